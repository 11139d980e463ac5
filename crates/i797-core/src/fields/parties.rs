//! Parties: the applicant (or petitioner) and beneficiary names, the A-number
//! and the USCIS online account number printed in one notice's part of the page.
//!
//! Invariant: names are kept as printed (only whitespace is normalised) and come only from their
//! own label's place; identifiers come out canonical (`A` + 9 digits, 12 digits) or not at all. A
//! name with a character OCR was unsure of is kept, with a `Doubt::UnclearField`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::fields::labelled::{Parsed, labelled};
use crate::layout::{
    How, LabelKind, Layout, VISA_CENTER, Value, has_misread_party_label, is_label_text,
};
use crate::{Doubt, UNCLEAR_BELOW};

/// The filer's box: "Applicant/Petitioner", "Applicant", "Petitioner" (also on NVC letters).
const APPLICANT: &[LabelKind] = &[
    LabelKind::ApplicantPetitioner,
    LabelKind::Applicant,
    LabelKind::Petitioner,
];

/// The beneficiary's box; on an NVC letter the principal applicant is the petition's beneficiary.
const BENEFICIARY: &[LabelKind] = &[LabelKind::Beneficiary, LabelKind::PrincipalApplicant];

/// Name particles printed in lower case inside upper- or title-case names.
const PARTICLES: &[&str] = &[
    "al", "bin", "binti", "da", "das", "de", "del", "della", "der", "den", "di", "do", "dos", "du",
    "e", "el", "ibn", "la", "le", "van", "von", "y",
];

/// `A012 345 678`, `A# 012-345-678`, `A12345678`, `A-123-456-789`, `USCIS# 000-000-811`.
static A_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b(?i:a-number|alien[ \t]+(?:registration[ \t]+)?number|uscis[ \t]?#|a[ \t]?#)[ \t]*:?[ \t]*A?|\bA)[ \t-]?(\d(?:[ -]?\d){6,8})",
    )
    .expect("A-number pattern")
});

/// The digits after an A-number label: `012-345-678`, `A012345678`.
static A_DIGITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t:]*A?[ \t-]?(\d(?:[ -]?\d){6,8})").expect("A-number digits pattern")
});

static ACCOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t:#]*(\d(?:[ -]?\d){11})").expect("account number pattern"));

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Parties {
    pub applicant: Option<String>,
    pub beneficiary: Option<String>,
    pub a_number: Option<String>,
    pub account_number: Option<String>,
    pub doubts: Vec<Doubt>,
}

/// Reads the parties printed in `lines`; `ocr` allows repairing OCR's punctuation in names.
pub(crate) fn read_parties(layout: &Layout, lines: &Range<usize>, ocr: bool) -> Parties {
    let mut parties = Parties::default();
    let name_from = |value: &Value| {
        let name = name_from(value, ocr);
        match name {
            Parsed::Ok(name) if name_is_unclear(value, layout.value_confidence(value)) => {
                Parsed::Doubtful(name)
            }
            other => other,
        }
    };
    let (applicant, bad) = labelled(layout, lines, APPLICANT, name_from);
    parties.applicant = applicant;
    if bad {
        parties
            .doubts
            .push(Doubt::about_field("applicant", parties.applicant.as_ref()));
    }
    let (beneficiary, bad) = labelled(layout, lines, BENEFICIARY, name_from);
    parties.beneficiary = beneficiary;
    if bad {
        parties.doubts.push(Doubt::about_field(
            "beneficiary",
            parties.beneficiary.as_ref(),
        ));
    }
    // The CSV contract (samples/README.md): the applicant's or petitioner's A-number if one is
    // printed, else the beneficiary's, else one printed with its own label.
    // An A-number may wrap onto the next line of a narrow column (`A-145-` / `291-862`).
    let wrapped = |read: fn(&str) -> Parsed<String>| {
        move |value: &Value| match read(&value.text) {
            Parsed::Empty => layout.continued(value).map_or(Parsed::Empty, |whole| {
                // A hyphen at the end of the first line joins the parts.
                read(&whole.text.replace("- ", "-"))
            }),
            other => other,
        }
    };
    parties.a_number = labelled(layout, lines, APPLICANT, wrapped(a_number_in))
        .0
        .or_else(|| labelled(layout, lines, BENEFICIARY, wrapped(a_number_in)).0)
        .or_else(|| {
            labelled(
                layout,
                lines,
                &[LabelKind::ANumber],
                wrapped(a_number_after),
            )
            .0
        });
    let (account, bad) = labelled(layout, lines, &[LabelKind::AccountNumber], account_after);
    parties.account_number = account;
    if bad {
        parties.doubts.push(Doubt::about_field(
            "account_number",
            parties.account_number.as_ref(),
        ));
    }
    parties
}

/// The canonical A-number in `text`, if one is printed there.
pub(crate) fn find_a_number(text: &str) -> Option<String> {
    A_NUMBER
        .captures_iter(text)
        .find_map(|caps| canonical_a(text, caps.get(1).expect("digits group")))
}

fn canonical_a(text: &str, digits: regex::Match) -> Option<String> {
    let rest = &text[digits.end()..];
    let mut after = rest.chars();
    match after.next() {
        Some(c) if c.is_alphanumeric() => return None,
        Some(' ' | '-') if after.next().is_some_and(|c| c.is_ascii_digit()) => return None,
        _ => {}
    }
    let digits: String = digits
        .as_str()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    Some(format!("A{digits:0>9}"))
}

fn a_number_in(text: &str) -> Parsed<String> {
    find_a_number(text).map_or(Parsed::Empty, Parsed::Ok)
}

fn a_number_after(text: &str) -> Parsed<String> {
    A_DIGITS
        .captures(text)
        .and_then(|caps| canonical_a(text, caps.get(1).expect("digits group")))
        .map_or(Parsed::Empty, Parsed::Ok)
}

fn account_after(value: &Value) -> Parsed<String> {
    let found = ACCOUNT.captures(&value.text).and_then(|caps| {
        let m = caps.get(1).expect("digits group");
        let next = value.text[m.end()..].chars().next();
        (!next.is_some_and(char::is_alphanumeric))
            .then(|| m.as_str().chars().filter(char::is_ascii_digit).collect())
    });
    match found {
        Some(digits) => Parsed::Ok(digits),
        None if value.text.chars().any(|c| c.is_ascii_digit()) => Parsed::Bad,
        None => Parsed::Empty,
    }
}

/// A name in a label's place. Beside the label it counts only after a colon (or on a line of
/// labels whose gaps OCR closed); in the cell below, a line that is not a name is a doubt.
fn name_from(value: &Value, ocr: bool) -> Parsed<String> {
    let in_place = match value.how {
        How::SameLine => value.colon || value.row_labels >= 2,
        How::NextSegment => value.colon || value.table_row,
        How::Below => true,
    };
    if !in_place {
        return Parsed::Empty;
    }
    let without_a = A_NUMBER.replace_all(&value.text, " ");
    let mut words: Vec<&str> = without_a.split_whitespace().collect();
    // What is left of a `USCIS A# 123456789` label after the A-number.
    if words
        .last()
        .is_some_and(|w| w.eq_ignore_ascii_case("uscis"))
    {
        words.pop();
    }
    let text = words.join(" ");
    let text = text.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '-' | ' '));
    if text.is_empty() {
        return Parsed::Empty;
    }
    let text = if ocr {
        space_after_comma(&comma_for_period(without_trailing_speck(text)))
    } else {
        text.to_string()
    };
    if is_name(&text) {
        Parsed::Ok(text)
    } else if value.how == How::Below {
        Parsed::Bad
    } else {
        Parsed::Empty
    }
}

/// Did OCR read any character of the name in `value` (its A-number and the punctuation trimmed off
/// around it left aside) with a confidence below the line for case numbers? A misread letter in a
/// name (`TEOQDORA`) still looks like a name, so only the recogniser can tell.
fn name_is_unclear(value: &Value, confidence: Option<Vec<u8>>) -> bool {
    let Some(confidence) = confidence else {
        return false;
    };
    let a_numbers: Vec<std::ops::Range<usize>> =
        A_NUMBER.find_iter(&value.text).map(|m| m.range()).collect();
    let chars: Vec<(char, u8)> = value
        .text
        .char_indices()
        .zip(confidence)
        .filter(|((byte, _), _)| !a_numbers.iter().any(|r| r.contains(byte)))
        .map(|((_, c), score)| (c, score))
        .collect();
    let trimmed = |&(c, _): &(char, u8)| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-');
    let first = chars.iter().position(|c| !trimmed(c));
    let last = chars.iter().rposition(|c| !trimmed(c));
    let (Some(first), Some(last)) = (first, last) else {
        return false;
    };
    chars[first..=last]
        .iter()
        .any(|&(c, score)| !c.is_whitespace() && score < UNCLEAR_BELOW)
}

/// `text` without a period OCR read after its last word from a speck (`CASTELLAN, DARIUS.`):
/// names end in a period only after an initial or an abbreviation (`JOHN A.`, `ACME CO.`), words
/// of three letters or fewer or a company ending.
fn without_trailing_speck(text: &str) -> &str {
    let Some(before) = text.strip_suffix('.') else {
        return text;
    };
    let last = before.rsplit([' ', ',']).next().unwrap_or("");
    let abbreviation =
        last.chars().count() <= 3 || COMPANY_WORDS.contains(&last.to_uppercase().as_str());
    if abbreviation { text } else { before }
}

/// Company endings that are printed with a period and never stand before a given name.
const COMPANY_WORDS: &[&str] = &[
    "INC", "LLC", "LLP", "LTD", "CORP", "CO", "PC", "PLLC", "PLC",
];

/// OCR reads the comma of `LAST, FIRST` as a period: `HALLORAN-OYE. THANH`. Put the comma back
/// when that is the only period, after a surname of three letters or more (not an initial or
/// `ST.`), and the name is not a company's.
fn comma_for_period(text: &str) -> String {
    let Some((last, first)) = text.split_once(". ") else {
        return text.to_string();
    };
    let last_word = last.rsplit(' ').next().unwrap_or("");
    let plausible = !text.contains(',')
        && !first.contains('.')
        && !last.contains('.')
        && last_word.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && last.split(' ').count() <= 3
        && first.split(' ').count() <= 3
        && first.chars().next().is_some_and(char::is_uppercase)
        && !text
            .split([' ', '.'])
            .any(|w| COMPANY_WORDS.contains(&w.to_uppercase().as_str()));
    if plausible {
        format!("{last}, {first}")
    } else {
        text.to_string()
    }
}

/// Names are printed `LAST, FIRST`; OCR often loses the narrow space after the comma
/// (`OKONJO-BRAY,MEI`). The space is put back; nothing else about the name changes.
fn space_after_comma(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == ',' && chars.peek().is_some_and(|next| next.is_alphabetic()) {
            out.push(' ');
        }
    }
    out
}

/// Looks like a person's or company's name as printed: two words or more (family and given
/// name, or a company's), letters and name punctuation, each word capitalised (or a particle),
/// not a label, not the National Visa Center. One word alone is more often a label OCR garbled
/// (`Benéficiuy`) than a name.
fn is_name(text: &str) -> bool {
    let words: Vec<&str> = text.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    if text.chars().count() > 70 || words.len() > 8 || words.len() < 2 {
        return false;
    }
    if !text.chars().next().is_some_and(char::is_alphabetic)
        || text.chars().filter(|c| c.is_alphabetic()).count() < 2
        || !text
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | ',' | '.' | '-' | '\'' | '&'))
    {
        return false;
    }
    let capitalised = words.iter().all(|w| {
        *w == "&"
            || PARTICLES.contains(&w.to_lowercase().as_str())
            || w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
    });
    capitalised
        && !is_label_text(text)
        && !has_misread_party_label(text)
        && !VISA_CENTER.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties(text: &str) -> Parties {
        let layout = Layout::new(text);
        read_parties(&layout, &(0..layout.lines.len()), false)
    }

    #[test]
    fn a_speck_after_a_name_is_no_period() {
        assert_eq!(
            without_trailing_speck("CASTELLAN, DARIUS."),
            "CASTELLAN, DARIUS"
        );
        assert_eq!(without_trailing_speck("DOE, JOHN A."), "DOE, JOHN A.");
        assert_eq!(
            without_trailing_speck("ACME TOOLING CORP."),
            "ACME TOOLING CORP."
        );
        assert_eq!(
            without_trailing_speck("ACME TOOLING CO."),
            "ACME TOOLING CO."
        );
        assert_eq!(without_trailing_speck("DOE, JOHN"), "DOE, JOHN");
    }

    #[test]
    fn a_garbled_label_or_one_word_is_no_name() {
        // Tesseract on faxes: the beneficiary label misread past the vocabulary's rule, and an NVC
        // letter's label, in the place of the applicant's name.
        assert!(!is_name("Benéficiuy"));
        assert!(!is_name("Beneherary"));
        assert!(!is_name("Preference Category"));
        // An NVC letter's sender, at the head of its first sentence.
        assert!(!is_name("The National Visa Center"));
        assert!(is_name("GARCIA VILLASANTE, LUCIA"));
        assert!(is_name("BERGSTROMER, YUKI"));
        assert!(is_name("LANTERNFISH DATA SYSTEMS INC"));
    }

    #[test]
    fn name_before_a_uscis_a_number_label() {
        let text = "APPLICANT/PETITIONER:   BRAITHWAITE, PACO USCIS A# 123456789\n";
        let p = parties(text);
        assert_eq!(p.applicant.as_deref(), Some("BRAITHWAITE, PACO"));
        assert_eq!(p.a_number.as_deref(), Some("A123456789"));
        // The A-number beside the label, the name in the box below.
        let text = " Applicant/Petitioner  USCIS A# 206079049\n HOLLOWAY-SATO, TEMPERANCE\n";
        let p = parties(text);
        assert_eq!(p.applicant.as_deref(), Some("HOLLOWAY-SATO, TEMPERANCE"));
        assert_eq!(p.a_number.as_deref(), Some("A206079049"));
    }

    #[test]
    fn a_number_wrapped_in_a_box_or_past_a_line() {
        let grid = " Petitioner                   Beneficiary\n\
                    \x20GLASSWING THERAPEUTICS INC   MCALLISTER-NG, PACO USCIS A#\n\
                    \x20                             139674680\n";
        assert_eq!(parties(grid).a_number.as_deref(), Some("A139674680"));
        let inline = "RECEIVED           07/31/2017\n\
                      \x20                       BENEFICIARY:      DUCHESNE, JOAQUIN\n\
                      DATE:\n\
                      \x20                                         A53073834\n";
        assert_eq!(parties(inline).a_number.as_deref(), Some("A053073834"));
    }

    #[test]
    fn names_in_a_two_column_table_without_colons() {
        let text = " NVC Case Number                              BMB2022608918\n\
                    \x20Invoice ID Number                            239378413\n\
                    \x20Principal Applicant                          BALOGUN, MARISKA\n\
                    \x20Petitioner                                   TSVETKOVA, MIRELA\n\
                    \x20Preference Category                          CR1\n\
                    \x20Priority Date                                12/17/2020\n";
        let p = parties(text);
        assert_eq!(p.applicant.as_deref(), Some("TSVETKOVA, MIRELA"));
        assert_eq!(p.beneficiary.as_deref(), Some("BALOGUN, MARISKA"));
        // A row of two labels is no such table: the names are in the boxes below.
        let grid = " Petitioner                    Beneficiary\n\
                    \x20ACME WIDGETS INC              DOE, JANE\n";
        let p = parties(grid);
        assert_eq!(p.applicant.as_deref(), Some("ACME WIDGETS INC"));
        assert_eq!(p.beneficiary.as_deref(), Some("DOE, JANE"));
    }

    #[test]
    fn a_number_wrapped_in_a_narrow_column() {
        let text = "RECEIVED DATE:   May 5, 2014        APPLICANT/PETITIONER:  MOONSAIL AEROSPACE INC\n\
                    PRIORITY DATE:   December 16, 2013  BENEFICIARY:           ELLINGTON-RUIZ, OTTILIE A-145-\n\
                    \x20                                                          291-862\n";
        assert_eq!(parties(text).a_number.as_deref(), Some("A145291862"));
        let text = "Received Date:   08/22/2014          Petitioner:   STARLING MEDICAL PARTNERS PC\n\
                    \x20                                    Beneficiary:  MARROQUIN-DALE, MARISKA USCIS A#\n\
                    Priority Date:   07/01/2014                        105811636\n";
        assert_eq!(parties(text).a_number.as_deref(), Some("A105811636"));
        // The next row's value, under its own label, is not a continuation.
        let text = "Applicant:   DOE, JANE\nA-Number:    A-123-456-789\n";
        let p = parties(text);
        assert_eq!(p.applicant.as_deref(), Some("DOE, JANE"));
        assert_eq!(p.a_number.as_deref(), Some("A123456789"));
        let text = "Beneficiary:  DOE, JANE\nInvoice       2024-001-555\n";
        assert_eq!(parties(text).a_number, None);
    }

    #[test]
    fn ocr_periods_for_commas_in_names() {
        assert_eq!(
            comma_for_period("HALLORAN-OYE. THANH"),
            "HALLORAN-OYE, THANH"
        );
        assert_eq!(
            comma_for_period("DE LA CRUZ. MARIA JOSE"),
            "DE LA CRUZ, MARIA JOSE"
        );
        for kept in [
            "ST. JOHN, MARY",
            "ST. JOHN MARY",
            "J. DOE",
            "EXAMPLE INC. USA",
            "DOE, JANE",
            "BLUE HERON BIOLABS INC.",
            "A. B. SMITH",
        ] {
            assert_eq!(comma_for_period(kept), kept);
        }
        // Only in OCR text: a text layer's period is what is printed.
        let text = "Beneficiary\nHALLORAN-OYE. THANH\n";
        let layout = Layout::new(text);
        let lines = 0..layout.lines.len();
        assert_eq!(
            read_parties(&layout, &lines, true).beneficiary.as_deref(),
            Some("HALLORAN-OYE, THANH")
        );
        assert_eq!(
            read_parties(&layout, &lines, false).beneficiary.as_deref(),
            Some("HALLORAN-OYE. THANH")
        );
    }

    #[test]
    fn ocr_loses_the_space_after_a_names_comma() {
        assert_eq!(space_after_comma("OKONJO-BRAY,MEI"), "OKONJO-BRAY, MEI");
        assert_eq!(
            space_after_comma("PELLETIER-AMSEL,KOFI ANAN"),
            "PELLETIER-AMSEL, KOFI ANAN"
        );
        for kept in [
            "DOE, JANE",
            "NORTHWIND ANALYTICS LLC",
            "SMITH,",
            "O'NEIL, MAE",
        ] {
            assert_eq!(space_after_comma(kept), kept);
        }
        let text = "Applicant\nOKONJO-BRAY,MEI\n";
        let layout = Layout::new(text);
        let lines = 0..layout.lines.len();
        assert_eq!(
            read_parties(&layout, &lines, true).applicant.as_deref(),
            Some("OKONJO-BRAY, MEI")
        );
        // A text layer's name is as printed.
        assert_eq!(
            read_parties(&layout, &lines, false).applicant.as_deref(),
            Some("OKONJO-BRAY,MEI")
        );
    }

    #[test]
    fn a_numbers_in_every_printed_form() {
        for (text, a) in [
            ("A012 345 678", "A012345678"),
            ("A12 345 678", "A012345678"),
            ("A# 012-345-678", "A012345678"),
            ("A# 234 567 890", "A234567890"),
            ("A12345678", "A012345678"),
            ("A1234567", "A001234567"),
            ("A-123-456-789", "A123456789"),
            ("USCIS# 000-000-811", "A000000811"),
            ("A-Number: 098765432", "A098765432"),
            ("Alien Registration Number: A098765432", "A098765432"),
            ("DOE, JOHN   A098 765 432", "A098765432"),
        ] {
            assert_eq!(find_a_number(text).as_deref(), Some(a), "{text}");
        }
        for text in [
            "A123456",
            "A1234567890",
            "A012 345 678 9",
            "EAC2190012345",
            "I-94 Number: 12345678901",
            "CA12345678",
            "a12345678",
        ] {
            assert_eq!(find_a_number(text), None, "{text}");
        }
    }

    #[test]
    fn grid_names_and_a_numbers() {
        let p = parties(
            "Applicant/Petitioner                   Beneficiary\n\
             A012 345 678                           A098 765 432\n\
             DOE, JANE                              DOE, JOHN\n\
             Notice Type: Receipt Notice\n",
        );
        assert_eq!(p.applicant.as_deref(), Some("DOE, JANE"));
        assert_eq!(p.beneficiary.as_deref(), Some("DOE, JOHN"));
        // The applicant's A-number first (the CSV contract).
        assert_eq!(p.a_number.as_deref(), Some("A012345678"));
        assert!(p.doubts.is_empty());
    }

    #[test]
    fn a_number_beside_the_label_and_company_petitioners() {
        let p = parties(
            " Petitioner                                 Beneficiary   A112 510 416\n \
             SILVERBIRCH LOGISTICS LLC                  O'BRIEN-DE LA CRUZ, MARIA\n",
        );
        assert_eq!(p.applicant.as_deref(), Some("SILVERBIRCH LOGISTICS LLC"));
        assert_eq!(p.beneficiary.as_deref(), Some("O'BRIEN-DE LA CRUZ, MARIA"));
        assert_eq!(p.a_number.as_deref(), Some("A112510416"));
        let p = parties(" Applicant   A# 119 231 579\n TORRESDAL, LEANDRO\n");
        assert_eq!(p.applicant.as_deref(), Some("TORRESDAL, LEANDRO"));
        assert_eq!(p.a_number.as_deref(), Some("A119231579"));
        assert_eq!(p.beneficiary, None);
    }

    #[test]
    fn nvc_letter_names() {
        let p = parties(
            "   Petitioner:                      VORONOVA, MATEO\n   \
             Beneficiary:                     VILLASANTE, FINNEGAN\n\n\
             Dear Applicant: The National Visa Center (NVC) has received your petition.\n",
        );
        assert_eq!(p.applicant.as_deref(), Some("VORONOVA, MATEO"));
        assert_eq!(p.beneficiary.as_deref(), Some("VILLASANTE, FINNEGAN"));
        let p = parties("Principal Applicant: SANTOS, MARIA\nPetitioner Name: Jose Santos\n");
        assert_eq!(p.applicant.as_deref(), Some("Jose Santos"));
        assert_eq!(p.beneficiary.as_deref(), Some("SANTOS, MARIA"));
    }

    #[test]
    fn prose_is_not_a_name() {
        let p = parties(
            "APPLICANT MUST APPEAR FOR THE INTERVIEW\n\
             Request for Applicant to Appear for Initial Interview\n\
             The beneficiary should keep it with the passport.\n",
        );
        assert_eq!(p, Parties::default());
    }

    #[test]
    fn a_misread_label_is_no_name() {
        for label in ["Berfeficiary", "Benieficiary..", "APPL1CANT", "Petitiomer"] {
            assert!(!is_name(label), "{label}");
        }
        // Names near a label's spelling by more than one letter in four stay names.
        for name in ["PRINCIPE, ANA", "PETITJEAN, LUC", "BENEDICT, ARYA"] {
            assert!(is_name(name), "{name}");
        }
    }

    #[test]
    fn whitespace_inside_a_name_is_normalised() {
        let p = parties("Beneficiary\n  GARCIA   VILLASANTE,  MATEO\n");
        assert_eq!(p.beneficiary.as_deref(), Some("GARCIA VILLASANTE, MATEO"));
    }

    #[test]
    fn a_misread_name_in_its_cell_is_left_empty_and_said() {
        let p = parties("Beneficiary\nD0E, J0HN\n");
        assert_eq!(p.beneficiary, None);
        assert_eq!(p.doubts, [Doubt::UnreadField("beneficiary")]);
    }

    #[test]
    fn account_numbers_only_when_labelled() {
        let p = parties("USCIS Online Account Number: 1034 1272 4248\n");
        assert_eq!(p.account_number.as_deref(), Some("103412724248"));
        let p = parties("Online Account Number\n103412724248\n");
        assert_eq!(p.account_number.as_deref(), Some("103412724248"));
        let p = parties("tracking 7734 2210 5589\n");
        assert_eq!(p.account_number, None);
        let p = parties("USCIS Online Account Number: 1034127242\n");
        assert_eq!(p.account_number, None);
        assert_eq!(p.doubts, [Doubt::UnreadField("account_number")]);
    }
}
