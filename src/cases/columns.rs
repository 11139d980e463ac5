//! The case view's columns: the one typed list its CSV header, JSON Lines keys, workbook sheet
//! and database table are made from, and one case's cells as text. Pure: no files here.

use super::Case;
use crate::record::{Field, FieldType, field, names_of};

/// The case view's columns, in order, with their types: the one list the CSV header, the JSON
/// Lines keys, the workbook's `cases` sheet and the database's `cases` table are made from.
pub const CASE_FIELDS: [Field; 13] = {
    use FieldType::{Boolean, Integer, Text};
    [
        field("case_number", Text, "the receipt or NVC case number"),
        field("number_kind", Text, "uscis_receipt or nvc_case"),
        field(
            "latest_state",
            Text,
            "the state the latest notice leaves the case in",
        ),
        field("case_type", Text, "every case type its rows give"),
        field("form", Text, "every form its rows give"),
        field("a_number", Text, "every A-number its rows give"),
        field("applicant", Text, "every applicant its rows give"),
        field("beneficiary", Text, "every beneficiary its rows give"),
        field("linked_cases", Text, "the cases linked to this one"),
        field("notice_count", Integer, "how many notices it has"),
        field("notices", Text, "its notices in date order"),
        field("needs_review", Boolean, "some row of the case needs review"),
        field(
            "duplicate_rows",
            Integer,
            "rows of the case marked duplicate_of",
        ),
    ]
};

/// The case view's CSV header, in column order.
pub const CASE_COLUMNS: [&str; 13] = names_of(&CASE_FIELDS);

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
