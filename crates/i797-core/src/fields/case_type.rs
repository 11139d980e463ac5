//! The case type: the form a case is filed on (`I-130`, `I-821D`), from its code or its
//! description, checked against the forms USCIS receipts under.

use super::*;

/// Form codes USCIS receipts under (case types). A code read only after repairing OCR confusions
/// must be one of these.
pub(super) const KNOWN_FORMS: &[&str] = &[
    "I-90", "I-102", "I-129", "I-129CW", "I-129F", "I-129S", "I-130", "I-131", "I-131A", "I-140",
    "I-191", "I-192", "I-193", "I-212", "I-290B", "I-360", "I-361", "I-485", "I-526", "I-526E",
    "I-539", "I-589", "I-590", "I-600", "I-600A", "I-601", "I-601A", "I-612", "I-687", "I-690",
    "I-693", "I-694", "I-698", "I-730", "I-751", "I-765", "I-765V", "I-800", "I-800A", "I-817",
    "I-821", "I-821D", "I-824", "I-829", "I-864", "I-881", "I-907", "I-912", "I-914", "I-918",
    "I-924", "I-929", "I-941", "I-942", "I-956", "I-956F", "I-956G", "N-300", "N-336", "N-400",
    "N-470", "N-565", "N-600", "N-600K", "N-644", "N-648",
];

/// Case-type descriptions (normalised) and their form codes: a second reading of the box.
pub(super) const DESCRIPTIONS: &[(&str, &str)] = &[
    ("petition for alien relative", "I-130"),
    ("petition for a nonimmigrant worker", "I-129"),
    ("petition for nonimmigrant worker", "I-129"),
    ("petition for alien fiance", "I-129F"),
    (
        "application to register permanent residence or adjust status",
        "I-485",
    ),
    ("application for employment authorization", "I-765"),
    ("application for naturalization", "N-400"),
    ("immigrant petition for alien worker", "I-140"),
    ("application to extend change nonimmigrant status", "I-539"),
    ("application for travel document", "I-131"),
    ("petition to remove conditions on residence", "I-751"),
    ("petition to remove the conditions on residence", "I-751"),
    ("application to replace permanent resident card", "I-90"),
    (
        "consideration of deferred action for childhood arrivals",
        "I-821D",
    ),
    (
        "application for asylum and for withholding of removal",
        "I-589",
    ),
    ("application for temporary protected status", "I-821"),
    ("application for certificate of citizenship", "N-600"),
    ("notice of appeal or motion", "I-290B"),
    (
        "application for provisional unlawful presence waiver",
        "I-601A",
    ),
    ("refugee asylee relative petition", "I-730"),
    ("request for premium processing service", "I-907"),
];

pub(super) fn description_code(text: &str) -> Option<&'static str> {
    let norm = normalise_words(text);
    if norm.is_empty() {
        return None;
    }
    DESCRIPTIONS
        .iter()
        .find(|(d, _)| norm.contains(d) || (norm.len() >= 20 && d.starts_with(&norm)))
        .map(|(_, code)| *code)
}

/// Reads a case-type box: `I130 - PETITION FOR ALIEN RELATIVE`, `I-129, PETITION FOR …`,
/// `I821D`, and in this slot OCR's `1130`, `l-130`, `i130`, `ii30`.
pub(crate) fn case_type_of(text: &str) -> Parsed<String> {
    let text = text.trim();
    if text.is_empty() {
        return Parsed::Empty;
    }
    // Some notices name the form with its word: `Form I-131, Application For Travel Document`;
    // OCR puts specks of the box border before the code (`—-1129 PETITION FOR A`).
    let text = strip_form_word(text.trim_start_matches(|c: char| !c.is_alphanumeric()));
    if text.is_empty() {
        return Parsed::Bad;
    }
    let code = read_code(text);
    let described = code
        .as_ref()
        .map_or(text, |(_, _, rest)| rest.as_str())
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | ':'));
    let description = description_code(described);
    match (code, description) {
        (Some((code, _, _)), Some(d)) if d != code => {
            if KNOWN_FORMS.contains(&code.as_str()) {
                Parsed::Doubtful(code)
            } else {
                // The code misread to a form that does not exist; the description is clear.
                Parsed::Ok(d.to_string())
            }
        }
        (Some((code, repaired, _)), _) => {
            if KNOWN_FORMS.contains(&code.as_str()) {
                Parsed::Ok(code)
            } else if repaired {
                Parsed::Bad
            } else {
                Parsed::Doubtful(code)
            }
        }
        (None, Some(d)) => Parsed::Ok(d.to_string()),
        (None, None) => Parsed::Bad,
    }
}

/// `text` without a leading word "Form" (`Form I-765, …`, OCR's `FORM 1-765`) when a form code
/// follows it.
pub(super) fn strip_form_word(text: &str) -> &str {
    let Some(head) = text.get(..4) else {
        return text;
    };
    if !head.eq_ignore_ascii_case("form") {
        return text;
    }
    let rest = text[4..].trim_start_matches([' ', ':', '\t']);
    if rest.len() < text.len() - 4 && read_code(rest).is_some() {
        rest
    } else {
        text
    }
}

/// A form code at the start of `text`: (canonical code, read only after repairs, rest of text).
pub(super) fn read_code(text: &str) -> Option<(String, bool, String)> {
    let chars: Vec<char> = text.chars().collect();
    let (letter, mut repaired) = match chars.first()? {
        'I' => ('I', false),
        'N' => ('N', false),
        &c if letters_for(c).contains(&'I') => ('I', true),
        'n' => ('N', true),
        _ => return None,
    };
    let mut i = 1;
    if chars.get(i) == Some(&' ') && chars.get(i + 1) == Some(&'-') {
        i += 1;
    }
    if chars.get(i) == Some(&'-') {
        i += 1;
    }
    if chars.get(i) == Some(&' ') {
        i += 1;
    }
    let mut digits = String::new();
    while digits.len() < 3 {
        let Some(&c) = chars.get(i) else { break };
        let Some(d) = as_digit(c) else {
            break;
        };
        repaired |= d != c;
        digits.push(d);
        i += 1;
    }
    if digits.len() < 2 {
        return None;
    }
    let mut suffix = String::new();
    while let Some(&c) = chars.get(i) {
        if !c.is_ascii_uppercase() || suffix.len() == 2 {
            break;
        }
        suffix.push(c);
        i += 1;
    }
    if chars.get(i).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let code = format!("{letter}-{digits}{suffix}");
    Some((code, repaired, chars[i..].iter().collect()))
}
