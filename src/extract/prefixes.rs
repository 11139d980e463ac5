//! The three-letter prefixes that make a 13-character code a case number, and whose office they are.
//! Source: `shared/docs/uscis-notices.md` (the USCIS case-status page's accepted prefixes and the
//! State Department's consular post codes).

/// Service centers and online filing: the offices that print the I-797 notices firms see most.
const SERVICE_CENTERS: &[(&str, &str)] = &[
    ("EAC", "Vermont Service Center"),
    ("VSC", "Vermont Service Center"),
    ("WAC", "California Service Center"),
    ("CSC", "California Service Center"),
    ("LIN", "Nebraska Service Center"),
    ("NSC", "Nebraska Service Center"),
    ("SRC", "Texas Service Center"),
    ("TSC", "Texas Service Center"),
    ("MSC", "National Benefits Center"),
    ("NBC", "National Benefits Center"),
    ("IOE", "USCIS Electronic Immigration System (ELIS)"),
    ("YSC", "Potomac Service Center"),
];

/// Asylum offices: their receipt numbers may carry 9 or 10 digits after the prefix.
const ASYLUM_OFFICES: &[(&str, &str)] = &[
    ("ZAR", "Arlington Asylum Office"),
    ("ZCH", "Chicago Asylum Office"),
    ("ZHN", "Houston Asylum Office"),
    ("ZLA", "Los Angeles Asylum Office"),
    ("ZMI", "Miami Asylum Office"),
    ("ZNK", "Newark Asylum Office"),
    ("ZNY", "New York Asylum Office"),
    ("ZSF", "San Francisco Asylum Office"),
    ("ZBO", "Boston Asylum Office"),
    ("ZOL", "New Orleans Asylum Office"),
];

/// Every other prefix the USCIS case-status page accepts (field offices and the AAO).
const OTHER_USCIS_PREFIXES: &[&str] = &[
    "AAO", "ABQ", "AGA", "ALB", "ANC", "ATL", "BAL", "BOI", "BOS", "BUF", "CHA", "CHI", "CHL",
    "CHR", "CIN", "CLE", "CLM", "CLT", "DAL", "DEN", "DET", "DSM", "ELP", "ESC", "FRE", "FSA",
    "GRR", "HAR", "HEL", "HHW", "HIA", "HLG", "HNT", "HOU", "IMP", "INP", "JAC", "JAK", "KAN",
    "KND", "LAW", "LNY", "LOS", "LOU", "LVG", "MAN", "MCF", "MCT", "MEM", "MES", "MGL", "MIA",
    "MIL", "MIT", "MTL", "NEW", "NOL", "NOR", "NYC", "OAK", "OKC", "OKL", "OMA", "ORL", "PHI",
    "PHO", "PIT", "POM", "POO", "PRO", "QNS", "RAL", "REN", "SAA", "SAC", "SAJ", "SBD", "SEA",
    "SFR", "SFV", "SLC", "SNA", "SND", "SNJ", "SPM", "SPO", "SSC", "STA", "STL", "TAM", "TUC",
    "WAS", "WIC", "WPB", "WSC", "YAK",
];

/// Consular posts that issue NVC case numbers (a sample of the largest, plus the codes that are
/// also USCIS field offices; labelled numbers with other post codes are still taken, see `nvc`).
const CONSULAR_POSTS: &[(&str, &str)] = &[
    ("BMB", "U.S. Consulate General Mumbai"),
    ("MDR", "U.S. Consulate General Chennai"),
    ("NWD", "U.S. Embassy New Delhi"),
    ("MNL", "U.S. Embassy Manila"),
    ("GUZ", "U.S. Consulate General Guangzhou"),
    ("CDJ", "U.S. Consulate General Ciudad Juarez"),
    ("HCM", "U.S. Consulate General Ho Chi Minh City"),
    ("JAK", "U.S. Embassy Jakarta"),
    ("MTL", "U.S. Consulate General Montreal"),
    ("SNJ", "U.S. Embassy San Jose"),
];

/// Series whose 4th and 5th characters are the federal fiscal year the case was receipted in:
/// the service centers' receipts. ELIS numbers do not follow it (`IOE09…` and `IOE8…` both on
/// recent notices); field and asylum offices are not known to.
const FISCAL_YEAR_SERIES: &[&str] = &[
    "EAC", "VSC", "WAC", "CSC", "LIN", "NSC", "SRC", "TSC", "MSC", "NBC", "YSC",
];

/// Do the year digits of a `prefix` number name the fiscal year it was receipted in?
pub fn year_digits_are_fiscal_year(prefix: &str) -> bool {
    FISCAL_YEAR_SERIES.contains(&prefix)
}

/// Is `prefix` one the USCIS case-status system accepts?
pub fn is_uscis_prefix(prefix: &str) -> bool {
    office_name(prefix).is_some() || OTHER_USCIS_PREFIXES.contains(&prefix)
}

/// Is `prefix` a service center (or ELIS): the offices whose notices carry the most weight?
pub fn is_service_center(prefix: &str) -> bool {
    SERVICE_CENTERS.iter().any(|(p, _)| *p == prefix)
}

/// Is `prefix` an asylum office (9 or 10 digits may follow)?
pub fn is_asylum_office(prefix: &str) -> bool {
    ASYLUM_OFFICES.iter().any(|(p, _)| *p == prefix)
}

/// Is `prefix` a known consular post code?
pub fn is_consular_post(prefix: &str) -> bool {
    CONSULAR_POSTS.iter().any(|(p, _)| *p == prefix)
}

/// The office a USCIS prefix names, for the `service_center` column; `None` for field offices.
pub fn office_name(prefix: &str) -> Option<&'static str> {
    SERVICE_CENTERS
        .iter()
        .chain(ASYLUM_OFFICES)
        .find(|(p, _)| *p == prefix)
        .map(|(_, name)| *name)
}

/// The post an NVC prefix names; `None` when the code is not in the table.
pub fn consular_post_name(prefix: &str) -> Option<&'static str> {
    CONSULAR_POSTS
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_prefix_list_has_118_entries() {
        let count = SERVICE_CENTERS.len() + ASYLUM_OFFICES.len() + OTHER_USCIS_PREFIXES.len();
        assert_eq!(count, 118);
    }

    #[test]
    fn known_and_unknown_prefixes() {
        assert!(is_uscis_prefix("EAC") && is_service_center("EAC"));
        assert!(is_uscis_prefix("IOE") && is_uscis_prefix("NBC") && is_uscis_prefix("ZAR"));
        for both in ["JAK", "MTL", "SNJ"] {
            assert!(is_uscis_prefix(both) && is_consular_post(both), "{both}");
        }
        assert!(!is_uscis_prefix("INV") && !is_uscis_prefix("ORD") && !is_uscis_prefix("eac"));
        assert_eq!(office_name("LIN"), Some("Nebraska Service Center"));
        assert_eq!(office_name("ATL"), None);
    }
}
