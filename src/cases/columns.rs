//! The case view's columns: the one typed list its CSV header, JSON Lines keys, workbook sheet
//! and database table are made from, and one case's cells as text. Pure: no files here.

use super::Case;
use crate::record::{Field, FieldType};

/// The case view's columns, in order, with their types: the one list the CSV header, the JSON
/// Lines keys, the workbook's `cases` sheet and the database's `cases` table are made from.
pub const CASE_FIELDS: [Field; 13] = {
    use FieldType::{Boolean, Integer, Text};
    [
        case_field("case_number", Text, "the receipt or NVC case number"),
        case_field("number_kind", Text, "uscis_receipt or nvc_case"),
        case_field(
            "latest_state",
            Text,
            "the state the latest notice leaves the case in",
        ),
        case_field("case_type", Text, "every case type its rows give"),
        case_field("form", Text, "every form its rows give"),
        case_field("a_number", Text, "every A-number its rows give"),
        case_field("applicant", Text, "every applicant its rows give"),
        case_field("beneficiary", Text, "every beneficiary its rows give"),
        case_field("linked_cases", Text, "the cases linked to this one"),
        case_field("notice_count", Integer, "how many notices it has"),
        case_field("notices", Text, "its notices in date order"),
        case_field("needs_review", Boolean, "some row of the case needs review"),
        case_field(
            "duplicate_rows",
            Integer,
            "rows of the case marked duplicate_of",
        ),
    ]
};

const fn case_field(name: &'static str, kind: FieldType, meaning: &'static str) -> Field {
    Field {
        name,
        kind,
        meaning,
    }
}

/// The case view's CSV header, in column order.
pub const CASE_COLUMNS: [&str; 13] = {
    let mut names = [""; 13];
    let mut at = 0;
    while at < names.len() {
        names[at] = CASE_FIELDS[at].name;
        at += 1;
    }
    names
};

/// The column that names files on disk: never altered by the formula guard.
pub const FILES_COLUMN: usize = 10;

/// The cells of one case as text (before the CSV's formula guard), in [`CASE_COLUMNS`] order:
/// lists joined with `; `, notices `FILE#PAGE TYPE DATE` joined with ` | `.
pub fn case_texts(case: &Case) -> [String; 13] {
    let notices: Vec<String> = case
        .notices
        .iter()
        .map(|n| {
            let mut words = vec![format!("{}#{}", n.file, n.page)];
            words.extend(
                [&n.notice_type, &n.notice_date]
                    .into_iter()
                    .filter(|w| !w.is_empty())
                    .cloned(),
            );
            words.join(" ")
        })
        .collect();
    [
        case.case_number.clone(),
        case.number_kind.clone(),
        case.latest_state.clone(),
        case.case_type.join("; "),
        case.form.join("; "),
        case.a_number.join("; "),
        case.applicant.join("; "),
        case.beneficiary.join("; "),
        case.linked_cases.join("; "),
        case.notices.len().to_string(),
        notices.join(" | "),
        case.needs_review.to_string(),
        case.duplicate_rows.to_string(),
    ]
}
