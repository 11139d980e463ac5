//! The case view in the database (`--format sqlite`), beside the rows it is made of:
//! - `cases`: one row per case number, the case view's columns (`cases::columns::CASE_FIELDS`)
//!   typed like the rows' cells, but `notices`, which is the table below;
//! - `case_notices`: the case's notices in the case view's order (`position` from 1), each the
//!   `row_id` of its row in `rows`;
//! - `case_links`: each case linked to another (an NVC letter quoting a USCIS receipt), both
//!   ways; the linked number may have no case of its own (no notice of it was read).
//!
//! Grouping is `crate::cases`' alone; this module only stores what it gives.

use rusqlite::types::Value;
use rusqlite::{Transaction, params_from_iter};

use super::sql_value;
use crate::cases::Case;
use crate::cases::columns::{CASE_FIELDS, FILES_COLUMN, case_texts};
use crate::output::cells::typed;
use crate::record::{Field, FieldType};

/// The case view's columns stored in `cases`: all but `notices` (the `case_notices` table).
fn case_columns() -> impl Iterator<Item = (usize, &'static Field)> {
    CASE_FIELDS
        .iter()
        .enumerate()
        .filter(|(at, _)| *at != FILES_COLUMN)
}

/// The case tables and their indexes, as SQL.
pub fn schema() -> String {
    let columns: Vec<String> = case_columns()
        .map(|(_, field)| {
            let sql_type = match field.kind {
                FieldType::Integer | FieldType::Boolean => "INTEGER",
                FieldType::Text | FieldType::Date => "TEXT",
            };
            let key = if field.name == "case_number" {
                " PRIMARY KEY"
            } else {
                ""
            };
            format!("    {} {sql_type}{key}", field.name)
        })
        .collect();
    format!(
        "CREATE TABLE cases (
{}
);
CREATE TABLE case_notices (
    case_number TEXT NOT NULL REFERENCES cases (case_number),
    position INTEGER NOT NULL,
    row_id INTEGER NOT NULL REFERENCES rows (row_id),
    PRIMARY KEY (case_number, position)
);
CREATE INDEX case_notices_by_row ON case_notices (row_id);
CREATE TABLE case_links (
    case_number TEXT NOT NULL REFERENCES cases (case_number),
    linked_case TEXT NOT NULL,
    PRIMARY KEY (case_number, linked_case)
);
CREATE INDEX case_links_by_linked_case ON case_links (linked_case);
",
        columns.join(",\n")
    )
}

/// Stores `cases` in one transaction.
pub fn insert(transaction: &Transaction<'_>, cases: &[Case]) -> rusqlite::Result<()> {
    let names: Vec<&str> = case_columns().map(|(_, field)| field.name).collect();
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let mut insert_case = transaction.prepare(&format!(
        "INSERT INTO cases ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    ))?;
    let mut insert_notice = transaction
        .prepare("INSERT INTO case_notices (case_number, position, row_id) VALUES (?1, ?2, ?3)")?;
    let mut insert_link =
        transaction.prepare("INSERT INTO case_links (case_number, linked_case) VALUES (?1, ?2)")?;
    for case in cases {
        let texts = case_texts(case);
        let values: Vec<Value> = case_columns()
            .map(|(at, field)| sql_value(typed(field.kind, &texts[at])))
            .collect();
        insert_case.execute(params_from_iter(values))?;
        for (position, notice) in case.notices.iter().enumerate() {
            // Rows are inserted in output order from row_id 1.
            let row_id = notice.row as i64 + 1;
            insert_notice.execute(rusqlite::params![
                case.case_number,
                position as i64 + 1,
                row_id
            ])?;
        }
        for linked in &case.linked_cases {
            insert_link.execute(rusqlite::params![case.case_number, linked])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::super::SqliteSink;
    use crate::cases::CaseBook;
    use crate::output::RowSink;
    use crate::record::Record;

    fn notice(file: &str, page: &str, number: &str, kind: &str, date: &str) -> Record {
        Record {
            file: file.into(),
            page: page.into(),
            receipt_number: number.into(),
            number_kind: kind.into(),
            notice_type: "Receipt Notice".into(),
            notice_date: date.into(),
            needs_review: "false".into(),
            status: "ok".into(),
            ..Record::default()
        }
    }

    #[test]
    fn case_notices_point_at_their_rows_and_links_go_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.db");
        let mut sink = SqliteSink::create(&output).unwrap();
        let mut book = CaseBook::default();
        let nvc = Record {
            linked_receipt: "EAC2190012345".into(),
            notice_type: String::new(),
            ..notice("c.pdf", "1", "MNL2020547051", "nvc_case", "")
        };
        let files = [
            // A file with no case, then rows of other statuses between the notices: the
            // places must still point at the right rows.
            vec![Record {
                file: "notes.txt".into(),
                status: "skipped".into(),
                ..Record::default()
            }],
            vec![
                notice("a.pdf", "1", "EAC2190012345", "uscis_receipt", "2024-03-01"),
                Record {
                    file: "a.pdf".into(),
                    page: "2".into(),
                    status: "error".into(),
                    ..Record::default()
                },
                Record {
                    needs_review: "true".into(),
                    ..notice("a.pdf", "3", "EAC2190012345", "uscis_receipt", "2024-01-22")
                },
            ],
            vec![nvc],
        ];
        for rows in &files {
            book.add_file(rows);
            sink.write_file(rows).unwrap();
        }
        assert!(sink.holds_cases());
        sink.write_cases(&book.cases()).unwrap();
        sink.finish().unwrap();

        let db = Connection::open(&output).unwrap();
        let notices: Vec<(String, i64, String, i64)> = db
            .prepare(
                "SELECT case_number, position, files.path, rows.page
                 FROM case_notices JOIN rows USING (row_id) JOIN files USING (file_id)
                 ORDER BY case_number, position",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            notices,
            [
                ("EAC2190012345".into(), 1, "a.pdf".into(), 3),
                ("EAC2190012345".into(), 2, "a.pdf".into(), 1),
                ("MNL2020547051".into(), 1, "c.pdf".into(), 1),
            ],
            "in date order, each the row it names"
        );
        let case: (i64, String, i64, String, Option<String>) = db
            .query_row(
                "SELECT notice_count, typeof(needs_review), needs_review, latest_state, form
                 FROM cases WHERE case_number = 'EAC2190012345'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            case,
            (2, "integer".into(), 1, "receipt 2024-03-01".into(), None)
        );
        let links: Vec<(String, String)> = db
            .prepare("SELECT case_number, linked_case FROM case_links ORDER BY case_number")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            links,
            [
                ("EAC2190012345".into(), "MNL2020547051".into()),
                ("MNL2020547051".into(), "EAC2190012345".into()),
            ]
        );
        let version: i64 = db
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 2);
    }
}
