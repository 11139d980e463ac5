//! The three-letter prefixes that make a 13-character code a case number, and whose office they are.
//! Sources: `shared/docs/uscis-notices.md` (the USCIS case-status page's accepted prefixes) and
//! `consular_posts.tsv` (the State Department's consular post codes, with its own sources).

use std::sync::LazyLock;

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

/// Consular posts whose code starts an NVC case number: `consular_posts.tsv` (its header names
/// the source and how far each row was checked), one `code<TAB>post<TAB>checked` row a post.
static CONSULAR_POSTS: LazyLock<Vec<ConsularPost>> =
    LazyLock::new(|| parse_posts(include_str!("consular_posts.tsv")));

/// One row of `consular_posts.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ConsularPost {
    code: &'static str,
    name: &'static str,
}

/// The rows of the post table; `#` lines are its header. A malformed row is a bug in the
/// bundled table (its test reads every row), so it is skipped rather than taken half.
fn parse_posts(table: &'static str) -> Vec<ConsularPost> {
    table
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let code = cells.next()?;
            let name = cells.next()?;
            let well_formed = code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase());
            (well_formed && !name.is_empty()).then_some(ConsularPost { code, name })
        })
        .collect()
}

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
    consular_post_name(prefix).is_some()
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
        .find(|post| post.code == prefix)
        .map(|post| post.name)
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

    #[test]
    fn every_row_of_the_post_table_is_read_and_each_code_once() {
        let table = include_str!("consular_posts.tsv");
        let rows: Vec<&str> = table
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .collect();
        assert_eq!(CONSULAR_POSTS.len(), rows.len(), "a row did not parse");
        for row in rows {
            let cells: Vec<&str> = row.split('\t').collect();
            assert_eq!(cells.len(), 3, "{row}");
            assert!(["dos", "public", "assumed"].contains(&cells[2]), "{row}");
        }
        let mut codes: Vec<&str> = CONSULAR_POSTS.iter().map(|p| p.code).collect();
        let listed = codes.clone();
        codes.sort_unstable();
        assert_eq!(codes, listed, "the table is kept in code order");
        codes.dedup();
        assert_eq!(codes.len(), listed.len(), "a code is listed twice");
        assert!(CONSULAR_POSTS.len() >= 100, "the table looks truncated");
    }

    #[test]
    fn posts_beyond_the_old_short_list_are_known() {
        for code in [
            "KNG", "SDO", "PTP", "GUZ", "ISL", "SNS", "BGT", "TGG", "ACC", "CDJ",
        ] {
            assert!(is_consular_post(code), "{code}");
        }
        assert_eq!(consular_post_name("KNG"), Some("U.S. Embassy Kingston"));
        assert_eq!(consular_post_name("MNL"), Some("U.S. Embassy Manila"));
        // Service centers are no posts; an unknown code is neither.
        for code in [
            "EAC", "WAC", "IOE", "SRC", "MSC", "LIN", "QQQ", "ORD", "kng",
        ] {
            assert!(!is_consular_post(code), "{code}");
        }
    }

    #[test]
    fn a_malformed_row_is_skipped_not_taken_half() {
        let posts = parse_posts(
            "# header\nKNG\tU.S. Embassy Kingston\tpublic\nkng\tx\tdos\nAB\tShort\tdos\nXYZ\n\n",
        );
        assert_eq!(
            posts,
            [ConsularPost {
                code: "KNG",
                name: "U.S. Embassy Kingston"
            }]
        );
    }
}
