//! `--format sqlite`: the rows loaded straight into an SQLite database, for IT and scripts.
//!
//! Tables (documented in the README, built from the one field list `record::COLUMNS`):
//! - `files`: one per input file, in input order: `file_id`, `path` (the `file` column), `folder`
//!   (the path up to its last `/`), `sha256`, `status`, `message`.
//! - `rows`: exactly the CSV's rows, in order, each with its `file_id`; every other column of the
//!   CSV under its own name, typed: `page`, `confidence` INTEGER, `needs_review` INTEGER 0/1,
//!   dates ISO `YYYY-MM-DD` TEXT, the rest TEXT; an empty CSV cell is NULL.
//! - view `notices`: the rows with a case number, with their file's `file`, `folder`, `sha256`.
//! - `cases`, `case_notices`, `case_links`: the case view, written when the run ends
//!   (`sqlite/cases.rs`).
//!
//! The database is built under a partial name beside the output, one transaction per input file
//! (each file's rows land whole, and memory stays flat however long the run), then put at the
//! output path whole when the run ends ([`FinishedFile`]): a killed run leaves the earlier
//! database (or nothing) there. So `--resume` and `merge` do not apply. A database at the output
//! path is replaced only if an earlier run wrote it (its header carries [`APPLICATION_ID`]).

mod cases;

use std::io;
use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::RowSink;
use super::cells::{Cell, kind_of, texts, typed};
use super::finished_file::FinishedFile;
use crate::record::{COLUMNS, FieldType, Record, Status};

/// `PRAGMA application_id` of an i797 database: the bytes `i797`, at offset 68 of the file.
pub const APPLICATION_ID: i32 = i32::from_be_bytes(*b"i797");
/// `PRAGMA user_version`: the version of the tables described above (1: `files`, `rows`,
/// `notices`; 2: and the case tables).
pub const SCHEMA_VERSION: i32 = 2;
/// CSV columns that live in `files` rather than in `rows`.
const FILE_COLUMNS: [&str; 2] = ["file", "sha256"];

/// Writes rows into a database that is put in place when the run ends.
#[derive(Debug)]
pub struct SqliteSink {
    connection: Option<Connection>,
    file: FinishedFile,
    next_file_id: i64,
    insert_row: String,
}

/// The CSV columns of the `rows` table, in CSV order.
fn row_columns() -> impl Iterator<Item = &'static str> {
    COLUMNS.into_iter().filter(|c| !FILE_COLUMNS.contains(c))
}

/// The tables, indexes and view, as SQL.
pub fn schema() -> String {
    let columns: Vec<String> = row_columns()
        .map(|name| {
            let sql_type = match kind_of(name) {
                FieldType::Integer | FieldType::Boolean => "INTEGER",
                FieldType::Text | FieldType::Date => "TEXT",
            };
            format!("    {name} {sql_type}")
        })
        .collect();
    format!(
        "PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};
CREATE TABLE files (
    file_id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    folder TEXT NOT NULL,
    sha256 TEXT,
    status TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX files_by_path ON files (path);
CREATE INDEX files_by_sha256 ON files (sha256);
CREATE INDEX files_by_folder ON files (folder);
CREATE TABLE rows (
    row_id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files (file_id),
{}
);
CREATE INDEX rows_by_receipt_number ON rows (receipt_number);
CREATE INDEX rows_by_file ON rows (file_id);
CREATE VIEW notices AS
    SELECT rows.*, files.path AS file, files.folder, files.sha256
    FROM rows JOIN files USING (file_id)
    WHERE rows.receipt_number IS NOT NULL;
{}",
        columns.join(",\n"),
        cases::schema()
    )
}

impl SqliteSink {
    /// Starts the database for `output`; nothing is at the output path until
    /// [`RowSink::finish`].
    pub fn create(output: &Path) -> io::Result<SqliteSink> {
        let file = FinishedFile::start(output)?;
        let connection = Connection::open(file.partial()).map_err(to_io)?;
        // Durability comes from the rename at the end: a partial file is never used after a
        // crash, so it needs no fsync per transaction (and no journal on disk).
        connection
            .execute_batch("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;")
            .map_err(to_io)?;
        connection.execute_batch(&schema()).map_err(to_io)?;
        let names: Vec<&str> = row_columns().collect();
        let marks: Vec<String> = (1..=names.len() + 1).map(|i| format!("?{i}")).collect();
        let insert_row = format!(
            "INSERT INTO rows (file_id, {}) VALUES ({})",
            names.join(", "),
            marks.join(", ")
        );
        Ok(SqliteSink {
            connection: Some(connection),
            file,
            next_file_id: 1,
            insert_row,
        })
    }

    fn insert_file(&mut self, rows: &[Record]) -> rusqlite::Result<()> {
        let file_id = self.next_file_id;
        let Some(connection) = self.connection.as_mut() else {
            return Err(rusqlite::Error::InvalidQuery);
        };
        let transaction = connection.transaction()?;
        let first = texts(&rows[0]);
        let at = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
        let path = first[at("file")].clone();
        let folder = path
            .rsplit_once('/')
            .map_or("", |(folder, _)| folder)
            .to_string();
        let sha256 = Some(first[at("sha256")].clone()).filter(|s| !s.is_empty());
        let (status, message) = file_status(rows);
        transaction.execute(
            "INSERT INTO files (file_id, path, folder, sha256, status, message)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![file_id, path, folder, sha256, status, message],
        )?;
        {
            let mut insert = transaction.prepare_cached(&self.insert_row)?;
            for row in rows {
                let cells = texts(row);
                let values = COLUMNS
                    .iter()
                    .zip(cells.iter())
                    .filter(|(name, _)| !FILE_COLUMNS.contains(name))
                    .map(|(name, text)| sql_value(typed(kind_of(name), text)));
                insert.execute(params_from_iter(
                    std::iter::once(Value::Integer(file_id)).chain(values),
                ))?;
            }
        }
        transaction.commit()?;
        self.next_file_id += 1;
        Ok(())
    }
}

/// A file's status: `error` when any of its rows is one, else `ok` when it has a case number,
/// else its one row's (`no_notice`, `skipped`); the message is that of the rows with that status.
fn file_status(rows: &[Record]) -> (String, String) {
    let has = |status: Status| rows.iter().any(|r| r.status == status.as_str());
    let status = if has(Status::Error) {
        Status::Error.as_str()
    } else if has(Status::Ok) {
        Status::Ok.as_str()
    } else {
        rows[0].status.as_str()
    };
    let messages: Vec<&str> = if status == Status::Ok.as_str() {
        Vec::new()
    } else {
        rows.iter()
            .filter(|r| r.status == status && !r.message.is_empty())
            .map(|r| r.message.as_str())
            .collect()
    };
    (status.to_string(), messages.join("; "))
}

fn sql_value(cell: Cell<'_>) -> Value {
    match cell {
        Cell::Empty => Value::Null,
        Cell::Text(text) => Value::Text(text.to_string()),
        Cell::Integer(number) => Value::Integer(number),
        Cell::Date(year, month, day) => Value::Text(format!("{year:04}-{month:02}-{day:02}")),
        Cell::Boolean(yes) => Value::Integer(i64::from(yes)),
    }
}

impl RowSink for SqliteSink {
    fn write_file(&mut self, rows: &[Record]) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        self.insert_file(rows).map_err(to_io)
    }

    fn holds_cases(&self) -> bool {
        true
    }

    fn write_cases(&mut self, cases: &[crate::cases::Case]) -> io::Result<()> {
        let Some(connection) = self.connection.as_mut() else {
            return Err(to_io(rusqlite::Error::InvalidQuery));
        };
        let transaction = connection.transaction().map_err(to_io)?;
        cases::insert(&transaction, cases).map_err(to_io)?;
        transaction.commit().map_err(to_io)
    }

    fn finish(&mut self) -> io::Result<()> {
        if let Some(connection) = self.connection.take() {
            connection.close().map_err(|(_, error)| to_io(error))?;
        }
        self.file.put_in_place()
    }
}

fn to_io(error: rusqlite::Error) -> io::Error {
    io::Error::other(error.to_string())
}

/// Do the first bytes of a file (at least 72) start an SQLite database?
pub fn is_database(head: &[u8]) -> bool {
    head.starts_with(b"SQLite format 3\0")
}

/// Do the first bytes of a file start a database an earlier run wrote?
pub fn is_earlier_output(head: &[u8]) -> bool {
    is_database(head) && head.get(68..72) == Some(APPLICATION_ID.to_be_bytes().as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(file: &str, number: &str, status: Status) -> Record {
        Record {
            file: file.into(),
            page: "1".into(),
            receipt_number: number.into(),
            notice_date: "2024-03-05".into(),
            account_number: "043889511833".into(),
            confidence: "100".into(),
            needs_review: "true".into(),
            status: status.as_str().into(),
            sha256: "ab".repeat(32),
            ..Record::default()
        }
    }

    #[test]
    fn rows_land_typed_and_files_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.db");
        let mut sink = SqliteSink::create(&output).unwrap();
        sink.write_file(&[
            row("client A/x.pdf", "EAC2190012345", Status::Ok),
            Record {
                message: "page 2 could not be read".into(),
                ..row("client A/x.pdf", "", Status::Error)
            },
        ])
        .unwrap();
        sink.write_file(&[Record {
            message: "a text file".into(),
            ..row("notes.txt", "", Status::Skipped)
        }])
        .unwrap();
        // Two names can show alike (bytes that are not UTF-8 are shown escaped): a file each.
        sink.write_file(&[row("x\\xff.pdf", "EAC2190012346", Status::Ok)])
            .unwrap();
        sink.write_file(&[row("x\\xff.pdf", "EAC2190012347", Status::Ok)])
            .unwrap();
        assert!(!output.exists());
        sink.finish().unwrap();
        let head = std::fs::read(&output).unwrap();
        assert!(is_earlier_output(&head));

        let db = Connection::open(&output).unwrap();
        let files: Vec<(i64, String, String, String, String)> = db
            .prepare(
                "SELECT file_id, path, folder, status, message FROM files
                 WHERE file_id <= 2 ORDER BY file_id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            files,
            [
                (
                    1,
                    "client A/x.pdf".into(),
                    "client A".into(),
                    "error".into(),
                    "page 2 could not be read".into()
                ),
                (
                    2,
                    "notes.txt".into(),
                    "".into(),
                    "skipped".into(),
                    "a text file".into()
                ),
            ]
        );
        let (page, account, review, confidence, date): (i64, String, i64, i64, String) = db
            .query_row(
                "SELECT page, account_number, needs_review, confidence, notice_date FROM notices",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            (page, account.as_str(), review, confidence, date.as_str()),
            (1, "043889511833", 1, 100, "2024-03-05")
        );
        let types: String = db
            .query_row("SELECT typeof(page) || typeof(needs_review) || typeof(linked_receipt) FROM rows LIMIT 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(types, "integerintegernull");
        let rows: i64 = db
            .query_row("SELECT count(*) FROM rows", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 5);
        let files: i64 = db
            .query_row("SELECT count(*) FROM files", [], |r| r.get(0))
            .unwrap();
        assert_eq!(files, 4);
    }

    #[test]
    fn every_csv_column_is_in_rows_or_files() {
        let schema = schema();
        for column in COLUMNS {
            let home = if FILE_COLUMNS.contains(&column) {
                format!("files.{}", if column == "file" { "path" } else { column })
            } else {
                format!("    {column} ")
            };
            assert!(schema.contains(&home), "{column} missing from\n{schema}");
        }
    }

    #[test]
    fn only_a_database_with_our_application_id_counts_as_ours() {
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("theirs.db");
        Connection::open(&theirs)
            .unwrap()
            .execute_batch("CREATE TABLE clients (name TEXT);")
            .unwrap();
        let head = std::fs::read(&theirs).unwrap();
        assert!(is_database(&head));
        assert!(!is_earlier_output(&head));
    }
}
