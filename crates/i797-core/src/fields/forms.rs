//! The form a notice is printed on (`Form I-797C`), as read and as its notice type settles it.

use super::*;

/// `Form I-797C` (OCR: `1-797C`, `l-797C`, `1I-797C`, `I-797 C`, `\-797C`); the `-` optional.
pub(super) static FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(form\s*)?[I1l|i\\]{1,2}\s?-?\s?797(?:\s?([A-F]))?").expect("form pattern")
});

pub(super) static NOTICE_OF_ACTION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[ \t]*,?[ \t]*notice[ \t]+of[ \t]+action").expect("pattern")
});

/// The edition date after the form name in the footer: `Form I-797C 07/11/14`,
/// `Form I-797C (Rev. 01/31/05) N`.
pub(super) static EDITION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
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
pub(super) fn form_letters(notice_type: &str) -> Option<&'static [&'static str]> {
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
pub(super) fn form_fits(form: &str, notice_type: Option<&str>) -> Option<bool> {
    let letters = form_letters(notice_type?)?;
    let letter = form.strip_prefix("I-797")?;
    Some(letters.contains(&letter))
}

/// The form to report, and whether it needs a look: the header's reading, unless the footer's
/// fits the notice type and the header's does not. Readings that disagree with each other or with
/// the notice type are kept but doubted. In OCR text, a header that lost its letter (`1-797,` for
/// `I-797E,`) on a notice whose type is printed on one variant only takes that variant, doubted.
pub(super) fn settle_form(
    forms: Forms,
    notice_type: Option<&str>,
    ocr: bool,
) -> (Option<String>, bool) {
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
