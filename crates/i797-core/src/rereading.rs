//! What the reading policy asks the core when the first recogniser read a field's label but not
//! its value: which fields those are, where their labels are in the page text (so the policy can
//! find them in the picture), and what the second recogniser's reading of that place gives.
//!
//! Only fields with a grammar to check them are filled so (dates, case type, notice type): the
//! value must be read as a whole by the same field readers as any page, and dates are checked
//! again against the number and each other. A filled field says so (`Doubt::FieldReadOnce`).

use std::ops::Range;

use crate::fields::{date_checks::check_dates, read_fields};
use crate::layout::Layout;
use crate::{Doubt, Notice, PageText, TextSource};

/// The fields `notice` left empty though their label was read (`Doubt::UnreadField`), that a
/// reading of their label's place may fill.
pub fn unread_fields(notice: &Notice) -> Vec<&'static str> {
    notice
        .doubts
        .iter()
        .filter_map(|d| match d {
            Doubt::UnreadField(name) => Some(*name),
            _ => None,
        })
        .filter(|name| FILLED_BY_LABEL.contains(name))
        .collect()
}

/// The fields read under their label alone whose grammar checks them (see the module comment).
const FILLED_BY_LABEL: &[&str] = &[
    "case_type",
    "received_date",
    "priority_date",
    "notice_date",
    "notice_type",
];

/// Where the labels of the fields in [`unread_fields`] are printed in `text`: each field's name
/// and the `char` indexes of its label (a label printed as one, not a word in a sentence).
pub fn label_places(text: &PageText) -> Vec<(&'static str, Range<usize>)> {
    let layout = Layout::new(&text.text);
    layout
        .hits
        .iter()
        .filter(|hit| hit.is_label)
        .filter_map(|hit| {
            let name = hit.kind.heads_field()?;
            let start = layout.lines[hit.line].start;
            Some((name, start + hit.span.start..start + hit.span.end))
        })
        .collect()
}

/// `notice` with field `name` filled from `other`, the other recogniser's reading of the place
/// its label points at (the label with it), when the field reads cleanly there.
pub fn field_filled(mut notice: Notice, name: &'static str, other: &PageText) -> Notice {
    let layout = Layout::new(&other.text).with_confidence(other.char_confidence.as_deref());
    let ocr = other.source == TextSource::Ocr;
    let mut read = read_fields(&layout, &(0..layout.lines.len()), ocr);
    let clean = !read
        .doubts
        .iter()
        .any(|d| matches!(d, Doubt::UnclearField(n) | Doubt::UnreadField(n) if *n == name));
    let value = read.fields.by_name(name).and_then(Option::take);
    let (Some(value), true, Some(slot)) = (value, clean, notice.fields.by_name(name)) else {
        return notice;
    };
    *slot = Some(value);
    notice
        .doubts
        .retain(|d| !matches!(d, Doubt::UnreadField(n) if *n == name));
    notice.doubts.push(Doubt::FieldReadOnce(name));
    check_dates(&mut notice);
    notice
}
