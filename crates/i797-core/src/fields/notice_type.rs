//! The notice type (`Receipt Notice`, `Approval Notice`, …): the canonical names, as data, and
//! how a printed or OCR'd type is matched to one.

use super::*;

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

pub(super) fn normalise_words(text: &str) -> String {
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

pub(super) fn notice_type_of(printed: &str, ocr: bool) -> Parsed<String> {
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
pub(super) fn long_notice_type(layout: &Layout, lines: &Range<usize>) -> Option<String> {
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
pub(super) fn titled_notice_type(layout: &Layout, lines: &Range<usize>) -> Option<String> {
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
