//! Notice fields: the form, notice type, case type, dates and validity period
//! printed in one notice's part of the page (its lines), read through the labels that head them.
//!
//! Invariant: a field is filled only from its own label (or, for the form, the printed form name)
//! and only with a value that reads cleanly; a value that is there but does not read becomes a
//! `Doubt::UnclearField`, never a guess. The one value not read as printed, an I-797 variant letter
//! OCR lost that the notice type settles, always carries `Doubt::UnclearField("form")`.

mod case_type;
pub(crate) mod date_checks;
pub(crate) mod dates;
mod forms;
pub(crate) mod labelled;
pub mod notice_type;
pub(crate) mod parties;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::confusions::{as_digit, letters_for};
use crate::layout::{LabelKind, Layout};
use crate::{Doubt, NoticeFields};
use dates::{DateRead, read_date, read_validity};
use labelled::{Parsed, labelled};
use parties::read_parties;

pub(crate) use case_type::*;
pub(crate) use forms::*;
pub(crate) use notice_type::*;

/// The fields of one notice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    pub fields: NoticeFields,
    pub doubts: Vec<Doubt>,
}

/// Reads the notice fields printed in `lines`. `ocr` says the text came from OCR, where an
/// unrecognised notice type is more likely a misreading than a new type.
pub(crate) fn read_fields(layout: &Layout, lines: &Range<usize>, ocr: bool) -> Fields {
    let mut read = Fields::default();
    let text = layout.lines_text(lines);

    let (notice_type, bad) = match long_notice_type(layout, lines) {
        Some(name) => (Some(name), false),
        None => labelled(layout, lines, &[LabelKind::NoticeType], |v| {
            notice_type_of(&v.text, ocr)
        }),
    };
    read.fields.notice_type = notice_type.or_else(|| titled_notice_type(layout, lines));
    if bad && read.fields.notice_type.is_none() {
        read.doubts.push(Doubt::UnreadField("notice_type"));
    }

    let (form, doubtful) = settle_form(read_forms(text), read.fields.notice_type.as_deref(), ocr);
    read.fields.form = form;
    if doubtful {
        read.doubts
            .push(Doubt::about_field("form", read.fields.form.as_ref()));
    }

    let (case_type, bad) = labelled(layout, lines, &[LabelKind::CaseType], |v| {
        case_type_of(&v.text)
    });
    read.fields.case_type = case_type;
    if bad {
        read.doubts.push(Doubt::about_field(
            "case_type",
            read.fields.case_type.as_ref(),
        ));
    }

    for (kind, slot, name) in [
        (
            LabelKind::ReceivedDate,
            &mut read.fields.received_date,
            "received_date",
        ),
        (
            LabelKind::PriorityDate,
            &mut read.fields.priority_date,
            "priority_date",
        ),
        (
            LabelKind::NoticeDate,
            &mut read.fields.notice_date,
            "notice_date",
        ),
    ] {
        let (date, bad) = labelled(layout, lines, &[kind], |v| match read_date(&v.text) {
            DateRead::Found(d) => Parsed::Ok(d),
            DateRead::Bad => Parsed::Bad,
            DateRead::Absent => Parsed::Empty,
        });
        if bad {
            read.doubts.push(Doubt::about_field(name, date.as_ref()));
        }
        *slot = date;
    }

    if let Some((from, until)) = read_validity(text) {
        match from {
            DateRead::Found(d) => read.fields.valid_from = Some(d),
            _ => read.doubts.push(Doubt::UnreadField("valid_from")),
        }
        match until {
            DateRead::Found(d) => read.fields.valid_until = Some(d),
            _ => read.doubts.push(Doubt::UnreadField("valid_until")),
        }
        if let (Some(from), Some(until)) = (&read.fields.valid_from, &read.fields.valid_until)
            && from > until
        {
            read.doubts.push(Doubt::UnclearField("valid_until"));
        }
    }

    let parties = read_parties(layout, lines, ocr);
    read.fields.a_number = parties.a_number;
    read.fields.account_number = parties.account_number;
    read.fields.applicant = parties.applicant;
    read.fields.beneficiary = parties.beneficiary;
    read.doubts.extend(parties.doubts);
    read
}

#[cfg(test)]
mod tests;
