//! Extraction stage, notice fields: the form, notice type, case type, dates and validity period
//! printed in one notice's part of the page (its lines), read through the labels that head them.
//!
//! Invariant: a field is filled only from its own label (or, for the form, the printed form name)
//! and only with a value that reads cleanly; a value that is there but does not read becomes a
//! `Doubt::UnclearField`, never a guess. The one value not read as printed, an I-797 variant letter
//! OCR lost that the notice type settles, always carries `Doubt::UnclearField("form")`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::Doubt;
use super::confusions::{as_digit, letters_for};
use super::dates::{DateRead, read_date, read_validity};
use super::layout::{LabelKind, Layout, Value};
use super::parties::read_parties;

/// The fields of one notice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    pub form: Option<String>,
    pub notice_type: Option<String>,
    pub case_type: Option<String>,
    pub received_date: Option<String>,
    pub notice_date: Option<String>,
    pub priority_date: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub a_number: Option<String>,
    pub account_number: Option<String>,
    pub applicant: Option<String>,
    pub beneficiary: Option<String>,
    pub doubts: Vec<Doubt>,
}

/// How one value read for a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Parsed<T> {
    Ok(T),
    /// Read, but with a doubt worth a look.
    Doubtful(T),
    /// There, but unreadable.
    Bad,
    /// Not there.
    Empty,
}

/// The first value of a label of `kinds` within `lines` that reads; `unclear` when something was
/// there and none read, or when the value read only with a doubt.
pub(crate) fn labelled<T>(
    layout: &Layout,
    lines: &Range<usize>,
    kinds: &[LabelKind],
    parse: impl Fn(&Value) -> Parsed<T>,
) -> (Option<T>, bool) {
    let mut bad = false;
    for hit in layout.hits_in(lines) {
        let h = layout.hits[hit];
        if !h.is_label || !kinds.contains(&h.kind) {
            continue;
        }
        for value in layout.values(hit) {
            match parse(&value) {
                // Readable, but it may be the next column's: not taken.
                Parsed::Ok(_) | Parsed::Doubtful(_) if value.shared => bad = true,
                Parsed::Ok(v) => return (Some(v), false),
                Parsed::Doubtful(v) => return (Some(v), true),
                Parsed::Bad => bad = true,
                Parsed::Empty => {}
            }
        }
    }
    (None, bad)
}

/// Reads the notice fields printed in `lines`. `ocr` says the text came from OCR, where an
/// unrecognised notice type is more likely a misreading than a new type.
pub(crate) fn read_fields(layout: &Layout, lines: &Range<usize>, ocr: bool) -> Fields {
    let mut fields = Fields::default();
    let text = layout.lines_text(lines);

    let (notice_type, bad) = match long_notice_type(layout, lines) {
        Some(name) => (Some(name), false),
        None => labelled(layout, lines, &[LabelKind::NoticeType], |v| {
            notice_type_of(&v.text, ocr)
        }),
    };
    fields.notice_type = notice_type.or_else(|| titled_notice_type(layout, lines));
    if bad && fields.notice_type.is_none() {
        fields.doubts.push(Doubt::UnreadField("notice_type"));
    }

    let (form, doubtful) = settle_form(read_forms(text), fields.notice_type.as_deref(), ocr);
    fields.form = form;
    if doubtful {
        fields
            .doubts
            .push(Doubt::about_field("form", fields.form.as_ref()));
    }

    let (case_type, bad) = labelled(layout, lines, &[LabelKind::CaseType], |v| {
        case_type_of(&v.text)
    });
    fields.case_type = case_type;
    if bad {
        fields
            .doubts
            .push(Doubt::about_field("case_type", fields.case_type.as_ref()));
    }

    for (kind, slot, name) in [
        (
            LabelKind::ReceivedDate,
            &mut fields.received_date,
            "received_date",
        ),
        (
            LabelKind::PriorityDate,
            &mut fields.priority_date,
            "priority_date",
        ),
        (
            LabelKind::NoticeDate,
            &mut fields.notice_date,
            "notice_date",
        ),
    ] {
        let (date, bad) = labelled(layout, lines, &[kind], |v| match read_date(&v.text) {
            DateRead::Found(d) => Parsed::Ok(d),
            DateRead::Bad => Parsed::Bad,
            DateRead::Absent => Parsed::Empty,
        });
        if bad {
            fields.doubts.push(Doubt::about_field(name, date.as_ref()));
        }
        *slot = date;
    }

    if let Some((from, until)) = read_validity(text) {
        match from {
            DateRead::Found(d) => fields.valid_from = Some(d),
            _ => fields.doubts.push(Doubt::UnreadField("valid_from")),
        }
        match until {
            DateRead::Found(d) => fields.valid_until = Some(d),
            _ => fields.doubts.push(Doubt::UnreadField("valid_until")),
        }
        if let (Some(from), Some(until)) = (&fields.valid_from, &fields.valid_until)
            && from > until
        {
            fields.doubts.push(Doubt::UnclearField("valid_until"));
        }
    }

    let parties = read_parties(layout, lines, ocr);
    fields.a_number = parties.a_number;
    fields.account_number = parties.account_number;
    fields.applicant = parties.applicant;
    fields.beneficiary = parties.beneficiary;
    fields.doubts.extend(parties.doubts);
    fields
}

/// `Form I-797C` (OCR: `1-797C`, `l-797C`, `1I-797C`, `I-797 C`, `\-797C`); the `-` optional.
static FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(form\s*)?[I1l|i\\]{1,2}\s?-?\s?797(?:\s?([A-F]))?").expect("form pattern")
});

static NOTICE_OF_ACTION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[ \t]*,?[ \t]*notice[ \t]+of[ \t]+action").expect("pattern")
});

/// The edition date after the form name in the footer: `Form I-797C 07/11/14`,
/// `Form I-797C (Rev. 01/31/05) N`.
static EDITION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[ \t]+(?:\([ \t]*rev\.?[ \t]*)?\d{1,2}/\d{1,2}/\d{2,4}").expect("pattern")
});

/// The I-797 variants printed in a notice's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Forms {
    /// In the `Notice of Action` header.
    pub header: Option<String>,
    /// On the footer's edition line (`Form I-797C 07/11/14`).
    pub edition: Option<String>,
    /// The first other `Form I-797…`.
    pub other: Option<String>,
}

/// Every place `text` names its I-797 variant.
pub(crate) fn read_forms(text: &str) -> Forms {
    let mut forms = Forms::default();
    for caps in FORM.captures_iter(text) {
        let m = caps.get(0).expect("group 0");
        if text[..m.start()]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let after = |end: usize| text[end..].chars().next();
        let (letter, end) = match caps.get(2) {
            Some(l) if !after(l.end()).is_some_and(char::is_alphanumeric) => {
                (Some(l.as_str().to_ascii_uppercase()), l.end())
            }
            _ => {
                let end = m.start() + m.as_str().find("797").expect("797 in match") + 3;
                if after(end).is_some_and(char::is_alphanumeric) {
                    continue;
                }
                (None, end)
            }
        };
        let form = format!("I-797{}", letter.unwrap_or_default());
        let slot = if NOTICE_OF_ACTION_AFTER.is_match(&text[end..]) {
            &mut forms.header
        } else if caps.get(1).is_none() {
            continue;
        } else if EDITION_AFTER.is_match(&text[end..]) {
            &mut forms.edition
        } else {
            &mut forms.other
        };
        slot.get_or_insert(form);
    }
    forms
}

/// The I-797 variant letters a notice type is printed on (`""` is the plain I-797); `None` for a
/// type this does not know.
fn form_letters(notice_type: &str) -> Option<&'static [&'static str]> {
    Some(match notice_type {
        "Request for Evidence" => &["E"],
        "Approval Notice" => &["", "A", "B", "D"],
        "Receipt Notice"
        | "Premium Processing Receipt Notice"
        | "Rejection Notice"
        | "Transfer Notice"
        | "Re-open Notice"
        | "ASC Appointment Notice"
        | "Biometrics Appointment Notice"
        | "Biometric Notification"
        | "Interview Appointment Notice"
        | "Rescheduled Appointment Notice"
        | "Request for Applicant to Appear for Initial Interview"
        | "Request for Applicant to Appear for Interview"
        | "Request for Applicant to Appear for Naturalization Initial Interview" => &["C"],
        _ => return None,
    })
}

/// Does `form` fit `notice_type`? `None` when either is unknown.
fn form_fits(form: &str, notice_type: Option<&str>) -> Option<bool> {
    let letters = form_letters(notice_type?)?;
    let letter = form.strip_prefix("I-797")?;
    Some(letters.contains(&letter))
}

/// The form to report, and whether it needs a look: the header's reading, unless the footer's
/// fits the notice type and the header's does not. Readings that disagree with each other or with
/// the notice type are kept but doubted. In OCR text, a header that lost its letter (`1-797,` for
/// `I-797E,`) on a notice whose type is printed on one variant only takes that variant, doubted.
fn settle_form(forms: Forms, notice_type: Option<&str>, ocr: bool) -> (Option<String>, bool) {
    let Forms {
        header,
        edition,
        other,
    } = forms;
    let mut doubtful = false;
    let form = match (header, edition) {
        (Some(h), Some(e)) if h != e => {
            doubtful = true;
            let fits = |f: &str| form_fits(f, notice_type) == Some(true);
            if !fits(&h) && fits(&e) { e } else { h }
        }
        (h, e) => match h.or(e).or(other) {
            Some(form) => form,
            None => return (None, false),
        },
    };
    if form_fits(&form, notice_type) == Some(false) {
        doubtful = true;
        if let Some(&[only]) = notice_type.and_then(form_letters)
            && ocr
            && form == "I-797"
        {
            return (Some(format!("I-797{only}")), true);
        }
    }
    (Some(form), doubtful)
}

/// Printed notice types (normalised: lower case, letters only) and their canonical names.
pub const NOTICE_TYPES: &[(&str, &str)] = &[
    (
        "premium processing receipt notice",
        "Premium Processing Receipt Notice",
    ),
    (
        "premium processing receipt",
        "Premium Processing Receipt Notice",
    ),
    ("receipt notice", "Receipt Notice"),
    ("receipt", "Receipt Notice"),
    ("approval notice", "Approval Notice"),
    ("approval", "Approval Notice"),
    ("rejection notice", "Rejection Notice"),
    ("rejection", "Rejection Notice"),
    ("transfer notice", "Transfer Notice"),
    ("transfer", "Transfer Notice"),
    ("re open notice", "Re-open Notice"),
    ("reopen notice", "Re-open Notice"),
    ("re open", "Re-open Notice"),
    ("reopen", "Re-open Notice"),
    (
        "biometrics appointment notice",
        "Biometrics Appointment Notice",
    ),
    (
        "biometric appointment notice",
        "Biometrics Appointment Notice",
    ),
    ("asc appointment notice", "ASC Appointment Notice"),
    ("asc appointment", "ASC Appointment Notice"),
    ("biometric notification", "Biometric Notification"),
    ("biometrics notification", "Biometric Notification"),
    (
        "interview appointment notice",
        "Interview Appointment Notice",
    ),
    ("interview notice", "Interview Appointment Notice"),
    // Interview notices print their request as the type; the CSV keeps it as printed.
    (
        "request for applicant to appear for initial interview",
        "Request for Applicant to Appear for Initial Interview",
    ),
    (
        "request for applicant to appear for interview",
        "Request for Applicant to Appear for Interview",
    ),
    (
        "request for applicant to appear for naturalization initial interview",
        "Request for Applicant to Appear for Naturalization Initial Interview",
    ),
    (
        "rescheduled appointment notice",
        "Rescheduled Appointment Notice",
    ),
    ("request for evidence", "Request for Evidence"),
    ("request for initial evidence", "Request for Evidence"),
    ("notice of intent to deny", "Notice of Intent to Deny"),
    ("notice of intent to revoke", "Notice of Intent to Revoke"),
    ("denial notice", "Denial Notice"),
    ("account access notice", "Account Access Notice"),
    ("welcome notice", "Welcome Notice"),
];

fn normalise_words(text: &str) -> String {
    let letters: String = text
        .chars()
        .map(|c| {
            if c.is_alphabetic() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    letters.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canonical notice type a printed (or misread) one names.
pub(crate) fn canonical_notice_type(printed: &str) -> Option<&'static str> {
    let norm = normalise_words(printed);
    if norm.is_empty() {
        return None;
    }
    if let Some((_, name)) = NOTICE_TYPES.iter().find(|(p, _)| *p == norm) {
        return Some(name);
    }
    // Long names run past the box and get cut: "Request for Applicant to Appear for Initial Inter".
    if norm.len() >= 20
        && let Some((_, name)) = NOTICE_TYPES.iter().find(|(p, _)| p.starts_with(&norm))
    {
        return Some(name);
    }
    // OCR misspellings: within about one edit in ten characters, and only one type that close.
    let mut best: Option<(usize, &'static str)> = None;
    let mut tie = false;
    for (pattern, name) in NOTICE_TYPES {
        let distance = edit_distance(&norm, pattern);
        if distance > (pattern.len() / 10).max(1) {
            continue;
        }
        match best {
            Some((d, n)) if distance == d && n != *name => tie = true,
            Some((d, _)) if distance >= d => {}
            _ => {
                best = Some((distance, name));
                tie = false;
            }
        }
    }
    if tie { None } else { best.map(|(_, n)| n) }
}

fn notice_type_of(printed: &str, ocr: bool) -> Parsed<String> {
    if normalise_words(printed).is_empty() {
        return Parsed::Empty;
    }
    if let Some(name) = canonical_notice_type(printed) {
        return Parsed::Ok(name.to_string());
    }
    // A type this table does not know, printed in a text layer: keep it as printed.
    let words = printed.split_whitespace().collect::<Vec<_>>().join(" ");
    let wordy = words.len() <= 60
        && words
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '/'));
    if !ocr && wordy {
        Parsed::Ok(words)
    } else {
        Parsed::Bad
    }
}

/// A long notice type after its label, read as a whole: words in it that are labels elsewhere do
/// not end it (`NOTICE TYPE: REQUEST FOR APPLICANT TO APPEAR …`), and when the type is cut at the
/// end of its column it goes on at the start of the next line (`… APPLICANT TO` / `APPEAR FOR
/// INITIAL INTERVIEW`). Only a known type is taken this way.
fn long_notice_type(layout: &Layout, lines: &Range<usize>) -> Option<String> {
    let value_start = |c: char| c.is_whitespace() || matches!(c, ':' | '#' | '.');
    for hit in layout.hits_in(lines) {
        let h = layout.hits[hit];
        if !h.is_label || h.kind != LabelKind::NoticeType {
            continue;
        }
        let segment = layout.segment_at(h.line, h.span.start);
        let rest = layout.col_text(h.line, h.span.end, segment.end);
        let first = rest.trim_start_matches(value_start).trim_end();
        let norm = normalise_words(first);
        if norm.is_empty() {
            continue;
        }
        let exact = |norm: &str| {
            NOTICE_TYPES
                .iter()
                .find(|(p, _)| *p == norm)
                .map(|(_, name)| name.to_string())
        };
        if let Some(name) = exact(&norm) {
            // Only worth it when a label word inside cut the ordinary reading short.
            return (norm.contains(' ')).then_some(name);
        }
        let cut = NOTICE_TYPES
            .iter()
            .any(|(p, _)| p.len() > norm.len() && p.starts_with(&format!("{norm} ")));
        if !cut || h.line + 1 >= lines.end {
            continue;
        }
        // The rest of the type: a segment of the next line starting under the label or under
        // the value.
        let value_col = h.span.end + rest.chars().count()
            - rest.trim_start_matches(value_start).chars().count();
        let next = h.line + 1;
        let Some(more) = layout.lines[next]
            .segments
            .iter()
            .find(|s| s.start.abs_diff(h.span.start) <= 2 || s.start.abs_diff(value_col) <= 2)
        else {
            continue;
        };
        let joined = format!("{first} {}", layout.segment_text(next, *more));
        if let Some(name) = exact(&normalise_words(&joined)) {
            return Some(name);
        }
    }
    None
}

/// Notices without a "Notice Type" label print the type as a title line of its own.
fn titled_notice_type(layout: &Layout, lines: &Range<usize>) -> Option<String> {
    for line in lines.clone() {
        for &segment in &layout.lines[line].segments {
            let norm = normalise_words(layout.segment_text(line, segment));
            if !norm.contains(' ') {
                continue;
            }
            if let Some((_, name)) = NOTICE_TYPES.iter().find(|(p, _)| *p == norm) {
                return Some(name.to_string());
            }
        }
    }
    None
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Form codes USCIS receipts under (case types). A code read only after repairing OCR confusions
/// must be one of these.
const KNOWN_FORMS: &[&str] = &[
    "I-90", "I-102", "I-129", "I-129CW", "I-129F", "I-129S", "I-130", "I-131", "I-131A", "I-140",
    "I-191", "I-192", "I-193", "I-212", "I-290B", "I-360", "I-361", "I-485", "I-526", "I-526E",
    "I-539", "I-589", "I-590", "I-600", "I-600A", "I-601", "I-601A", "I-612", "I-687", "I-690",
    "I-693", "I-694", "I-698", "I-730", "I-751", "I-765", "I-765V", "I-800", "I-800A", "I-817",
    "I-821", "I-821D", "I-824", "I-829", "I-864", "I-881", "I-907", "I-912", "I-914", "I-918",
    "I-924", "I-929", "I-941", "I-942", "I-956", "I-956F", "I-956G", "N-300", "N-336", "N-400",
    "N-470", "N-565", "N-600", "N-600K", "N-644", "N-648",
];

/// Case-type descriptions (normalised) and their form codes: a second reading of the box.
const DESCRIPTIONS: &[(&str, &str)] = &[
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

fn description_code(text: &str) -> Option<&'static str> {
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
fn strip_form_word(text: &str) -> &str {
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
fn read_code(text: &str) -> Option<(String, bool, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The form as read, before it is checked against the notice type.
    fn read_form(text: &str) -> Option<String> {
        let forms = read_forms(text);
        forms.header.or(forms.edition).or(forms.other)
    }

    #[test]
    fn long_notice_type_with_a_label_word_inside_or_wrapped() {
        let one_line = "Receipt Number     EAC2190012345\n\n\
                        JANE DOE                  NOTICE TYPE: REQUEST FOR APPLICANT TO APPEAR FOR INITIAL INTERVIEW\n";
        assert_eq!(
            fields(one_line).notice_type.as_deref(),
            Some("Request for Applicant to Appear for Initial Interview")
        );
        let wrapped = "Receipt Number     EAC2190012345\n\n\
                       JANE DOE                  NOTICE TYPE: REQUEST FOR APPLICANT TO\n\
                       c/o SOME LAW FIRM         APPEAR FOR INITIAL INTERVIEW\n\
                       12 MAIN ST\n";
        assert_eq!(
            fields(wrapped).notice_type.as_deref(),
            Some("Request for Applicant to Appear for Initial Interview")
        );
        let under_value =
            "Notice Type: Request for Applicant to\n             Appear for Interview\n";
        assert_eq!(
            fields(under_value).notice_type.as_deref(),
            Some("Request for Applicant to Appear for Interview")
        );
        // A short type is read as before; an unrelated next line is not glued on.
        assert_eq!(
            fields("Notice Type: Receipt Notice\nAmount received: $675.00\n")
                .notice_type
                .as_deref(),
            Some("Receipt Notice")
        );
    }

    #[test]
    fn case_type_printed_with_the_word_form() {
        assert_eq!(
            case_type_of("Form I-131, Application For Travel Document"),
            Parsed::Ok("I-131".to_string())
        );
        assert_eq!(
            case_type_of("FORM I-765 APPLICATION FOR EMPLOYMENT AUTHORIZATION"),
            Parsed::Ok("I-765".to_string())
        );
        assert_eq!(
            case_type_of("Form 1-130, Petition For Alien"),
            Parsed::Ok("I-130".to_string())
        );
        // Specks of a box border before the code.
        assert_eq!(
            case_type_of("\u{2014}-1129 PETITION FOR A"),
            Parsed::Ok("I-129".to_string())
        );
        assert_eq!(case_type_of("| I485"), Parsed::Ok("I-485".to_string()));
        assert_eq!(case_type_of("\u{2014}-"), Parsed::Bad);
        // "Formal" is no form word; and the word alone names no code.
        assert_eq!(case_type_of("Formal request"), Parsed::Bad);
        assert_eq!(case_type_of("Form"), Parsed::Bad);
    }

    fn fields(text: &str) -> Fields {
        let layout = Layout::new(text);
        read_fields(&layout, &(0..layout.lines.len()), false)
    }

    #[test]
    fn form_from_the_header_and_its_ocr_spellings() {
        for (text, form) in [
            ("Form I-797C, Notice of Action", "I-797C"),
            ("Form I-797, Notice of Action", "I-797"),
            ("Form I-797A, Notice of Action", "I-797A"),
            ("I-797C, Notice of Action", "I-797C"),
            ("Form 1-797C, Notice of Action", "I-797C"),
            ("Form l-797C, Notice of Action", "I-797C"),
            ("Form I-797 C, Notice of Action", "I-797C"),
            ("FORM I-797E NOTICE OF ACTION", "I-797E"),
            ("Form I-797c, Notice of Action", "I-797C"),
            ("Form 1I-797C, Notice of Action", "I-797C"),
            ("blah\nForm I-797D 07/11/14", "I-797D"),
        ] {
            assert_eq!(read_form(text).as_deref(), Some(form), "{text}");
        }
        // The header wins over a footer or body mention of another variant.
        assert_eq!(
            read_form("Form I-797B, Notice of Action\n...\nForm I-797C 07/11/14").as_deref(),
            Some("I-797B")
        );
        for text in [
            "I-797 and other notices",
            "see the I-797C you received",
            "Form I-7970",
            "XI-797C",
            "Form I-94",
            "",
        ] {
            assert_eq!(read_form(text), None, "{text}");
        }
        assert_eq!(read_form("Form I-797 and more").as_deref(), Some("I-797"));
    }

    #[test]
    fn the_form_is_read_in_the_header_and_on_the_edition_line() {
        let forms = read_forms(
            "\\-797C, Notice of Action\nKeep this Form I-797 safe.\nForm I-797C (Rev. 01/31/05) N\n",
        );
        assert_eq!(forms.header.as_deref(), Some("I-797C"));
        assert_eq!(forms.edition.as_deref(), Some("I-797C"));
        assert_eq!(forms.other.as_deref(), Some("I-797"));
        let forms = read_forms("Form 1-797, Notice of Action\nForm |-797E 07/11/14\n");
        assert_eq!(forms.header.as_deref(), Some("I-797"));
        assert_eq!(forms.edition.as_deref(), Some("I-797E"));
        // OCR's `lof il` for the Page box's `1 of 1` is no form, nor anything else.
        assert_eq!(read_forms("PAGE\nlof il\n"), Forms::default());
    }

    #[test]
    fn the_form_is_checked_against_the_notice_type() {
        let forms = |header: &str, edition: &str| Forms {
            header: (!header.is_empty()).then(|| header.to_string()),
            edition: (!edition.is_empty()).then(|| edition.to_string()),
            other: None,
        };
        let settle = |header, edition, notice_type, ocr| {
            let (form, doubt) = settle_form(forms(header, edition), notice_type, ocr);
            (form.unwrap_or_default(), doubt)
        };
        let rfe = Some("Request for Evidence");
        let receipt = Some("Receipt Notice");
        let approval = Some("Approval Notice");
        for (header, edition, notice_type, ocr, form, doubt) in [
            // Agreeing: nothing to say.
            ("I-797E", "", rfe, true, "I-797E", false),
            ("I-797C", "I-797C", receipt, true, "I-797C", false),
            ("I-797", "", approval, true, "I-797", false),
            ("I-797D", "", approval, true, "I-797D", false),
            (
                "I-797C",
                "",
                Some("Request for Applicant to Appear for Initial Interview"),
                true,
                "I-797C",
                false,
            ),
            // Nothing known to check against.
            ("I-797C", "", None, true, "I-797C", false),
            (
                "I-797C",
                "",
                Some("Card Production Notice"),
                true,
                "I-797C",
                false,
            ),
            // Lost letter, one variant for the type: settled in OCR text, always flagged.
            ("I-797", "", rfe, true, "I-797E", true),
            ("I-797", "", receipt, true, "I-797C", true),
            ("I-797", "", rfe, false, "I-797", true),
            // A letter that disagrees is kept as read.
            ("I-797C", "", rfe, true, "I-797C", true),
            ("I-797E", "", approval, true, "I-797E", true),
            ("I-797A", "", receipt, true, "I-797A", true),
            // Header and footer disagree: the one that fits the type, flagged.
            ("I-797", "I-797E", rfe, true, "I-797E", true),
            ("I-797C", "I-797E", rfe, true, "I-797E", true),
            ("I-797B", "I-797C", approval, false, "I-797B", true),
            ("I-797", "I-797E", None, true, "I-797", true),
            // Only the footer.
            ("", "I-797E", rfe, true, "I-797E", false),
        ] {
            assert_eq!(
                settle(header, edition, notice_type, ocr),
                (form.to_string(), doubt),
                "{header} {edition} {notice_type:?} {ocr}"
            );
        }
        assert_eq!(settle_form(Forms::default(), rfe, true), (None, false));
    }

    #[test]
    fn notice_types_canonicalise() {
        for (printed, name) in [
            ("Receipt Notice", "Receipt Notice"),
            ("RECEIPT NOTICE", "Receipt Notice"),
            ("RECEIPT", "Receipt Notice"),
            ("Recelpt Notice", "Receipt Notice"),
            ("Approval Notice", "Approval Notice"),
            ("APPROVAL", "Approval Notice"),
            ("Re-open Notice", "Re-open Notice"),
            ("Reopen Notice", "Re-open Notice"),
            ("Transfer Notice", "Transfer Notice"),
            ("Rejection Notice", "Rejection Notice"),
            (
                "Premium Processing Receipt Notice",
                "Premium Processing Receipt Notice",
            ),
            ("ASC APPOINTMENT NOTICE", "ASC Appointment Notice"),
            (
                "Biometrics Appointment Notice",
                "Biometrics Appointment Notice",
            ),
            ("Biometric Notification", "Biometric Notification"),
            ("Request for Evidence", "Request for Evidence"),
            ("Request for Evldence", "Request for Evidence"),
            (
                "Interview Appointment Notice",
                "Interview Appointment Notice",
            ),
            (
                "Request for Applicant to Appear for Initial Inter",
                "Request for Applicant to Appear for Initial Interview",
            ),
            (
                "REQUEST FOR APPLICANT TO APPEAR FOR INITIAL INTERVIEW",
                "Request for Applicant to Appear for Initial Interview",
            ),
        ] {
            assert_eq!(canonical_notice_type(printed), Some(name), "{printed}");
        }
        assert_eq!(canonical_notice_type("Class: H1B"), None);
        assert_eq!(canonical_notice_type("Re"), None);
    }

    #[test]
    fn unknown_notice_types_are_kept_from_text_but_flagged_from_ocr() {
        assert_eq!(
            notice_type_of("Card Production Notice", false),
            Parsed::Ok("Card Production Notice".into())
        );
        assert_eq!(notice_type_of("Card Production Notice", true), Parsed::Bad);
        assert_eq!(notice_type_of("x7#@ 1", false), Parsed::Bad);
        assert_eq!(notice_type_of("  ", false), Parsed::Empty);
    }

    #[test]
    fn case_types_read_in_every_spelling() {
        for (printed, code) in [
            ("I130 - PETITION FOR ALIEN RELATIVE", "I-130"),
            ("I-129, PETITION FOR A NONIMMIGRANT WORKER", "I-129"),
            ("I485", "I-485"),
            ("I-765", "I-765"),
            (
                "I539 - APPLICATION TO EXTEND/CHANGE NONIMMIGRANT STATUS",
                "I-539",
            ),
            ("N400 - APPLICATION FOR NATURALIZATION", "N-400"),
            ("N-400", "N-400"),
            ("I140 - IMMIGRANT PETITION FOR ALIEN WORKER", "I-140"),
            ("I751", "I-751"),
            (
                "I821D - CONSIDERATION OF DEFERRED ACTION FOR CHILDHOOD ARRIVALS",
                "I-821D",
            ),
            ("I-129F", "I-129F"),
            ("I131", "I-131"),
            (
                "I90 - APPLICATION TO REPLACE PERMANENT RESIDENT CARD",
                "I-90",
            ),
            (
                "I589 - APPLICATION FOR ASYLUM AND FOR WITHHOLDING OF REMOVAL",
                "I-589",
            ),
            // OCR in the case-type slot.
            ("1130 - PETITION FOR ALIEN RELATIVE", "I-130"),
            ("1-130", "I-130"),
            ("l-130 - PETITION FOR ALIEN RELATIVE", "I-130"),
            ("i130", "I-130"),
            ("ii30 - PETITION FOR ALIEN RELATIVE", "I-130"),
            ("I13O - PETITION FOR ALIEN RELATIVE", "I-130"),
            ("I 485", "I-485"),
            ("I - 765", "I-765"),
            // Only the description could be read.
            ("PETITION FOR ALIEN RELATIVE", "I-130"),
            ("I1#0 - PETITION FOR ALIEN RELATIVE", "I-130"),
            // A misread code that is no form, corrected by the description.
            ("I136 - PETITION FOR ALIEN RELATIVE", "I-130"),
        ] {
            assert_eq!(
                case_type_of(printed),
                Parsed::Ok(code.to_string()),
                "{printed}"
            );
        }
    }

    #[test]
    fn doubtful_case_types_are_flagged() {
        // Code and description disagree: keep the code, flag it.
        assert_eq!(
            case_type_of("I129 - PETITION FOR ALIEN RELATIVE"),
            Parsed::Doubtful("I-129".into())
        );
        // A repaired code that is no known form.
        assert_eq!(case_type_of("1l3S"), Parsed::Bad);
        assert_eq!(case_type_of("unreadable smudge"), Parsed::Bad);
        assert_eq!(case_type_of(""), Parsed::Empty);
        // A clean code not in the table is kept but flagged.
        assert_eq!(case_type_of("I-999"), Parsed::Doubtful("I-999".into()));
    }

    #[test]
    fn dates_come_from_their_own_boxes() {
        let f = fields(
            "Received Date        Priority Date      Notice Date        Page\n\
             01/15/2024                              01/20/2024         1 of 1\n",
        );
        assert_eq!(f.received_date.as_deref(), Some("2024-01-15"));
        assert_eq!(f.notice_date.as_deref(), Some("2024-01-20"));
        assert_eq!(f.priority_date, None);
        assert!(f.doubts.is_empty());
    }

    #[test]
    fn an_impossible_date_is_left_empty_not_guessed() {
        let f = fields(
            "Received Date        Priority Date      Notice Date        Page\n\
             02/30/2024                              01/20/2024         1 of 1\n",
        );
        assert_eq!(f.received_date, None);
        assert_eq!(f.doubts, [Doubt::UnreadField("received_date")]);
    }

    #[test]
    fn validity_periods_and_their_doubts() {
        let f = fields(
            "Notice Type: Approval Notice\nClass: H1B\nValid from 10/01/2023 to 09/30/2026\n",
        );
        assert_eq!(f.valid_from.as_deref(), Some("2023-10-01"));
        assert_eq!(f.valid_until.as_deref(), Some("2026-09-30"));
        assert_eq!(f.notice_type.as_deref(), Some("Approval Notice"));
        assert!(f.doubts.is_empty());
        let f = fields("Valid from 10/01/2026 to 09/30/2023\n");
        assert_eq!(f.doubts, [Doubt::UnclearField("valid_until")]);
        let f = fields("Valid from 10/01/2023 to 09/3l/2O26\n");
        assert_eq!(f.valid_until, None);
        assert_eq!(f.doubts, [Doubt::UnreadField("valid_until")]);
    }

    #[test]
    fn titled_notice_types_without_a_label() {
        let f = fields("   APPROVAL NOTICE   \nThe petition has been approved.\n");
        assert_eq!(f.notice_type.as_deref(), Some("Approval Notice"));
        // A sentence that merely contains the words is no title.
        let f = fields("This receipt notice is not a visa.\n");
        assert_eq!(f.notice_type, None);
    }
}
