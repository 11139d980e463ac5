//! The duplicate rule for page rows (the `duplicate_of` column): pure, rows in, marks out.
//!
//! A row is a duplicate when its file has the same bytes (`sha256`) as a file written earlier in
//! the output: it names that first file's `file`. Otherwise an `ok` row with the same (number,
//! notice type, notice date) as an earlier `ok` row (number and date present) is the same notice
//! scanned again with other bytes: it names the first such row as `FILE#PAGE`.
//!
//! "Earlier" is output order, which is input order whatever `--jobs` is. The scan, `--resume` and
//! `merge` all feed the same [`Duplicates`] the files in that order, so all three write the same
//! marks. This module does no I/O and must not depend on how rows were read.

use std::collections::HashMap;

use crate::record::{Record, Status};

/// What the output has shown so far: the first file of each content hash and the first row of
/// each notice.
#[derive(Debug, Default, Clone)]
pub struct Duplicates {
    first_file_with_hash: HashMap<String, String>,
    first_row_of_notice: HashMap<NoticeKey, String>,
}

/// The fields that make two rows one notice.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct NoticeKey {
    number: String,
    notice_type: String,
    notice_date: String,
}

impl NoticeKey {
    fn of(row: &Record) -> Option<NoticeKey> {
        let usable = row.status == Status::Ok.as_str()
            && !row.receipt_number.is_empty()
            && !row.notice_date.is_empty();
        usable.then(|| NoticeKey {
            number: row.receipt_number.clone(),
            notice_type: row.notice_type.clone(),
            notice_date: row.notice_date.clone(),
        })
    }
}

impl Duplicates {
    /// Sets `duplicate_of` on the rows of the next file in output order (all rows of one file,
    /// as written together), and remembers what they show for the files after it.
    pub fn mark_file(&mut self, rows: &mut [Record]) {
        let Some(hash) = rows.first().map(|row| row.sha256.clone()) else {
            return;
        };
        // An unreadable file has no hash; two of them are not the same file.
        let same_bytes = match self.first_file_with_hash.get(&hash) {
            Some(first) if !hash.is_empty() => Some(first.clone()),
            _ => {
                if !hash.is_empty() {
                    self.first_file_with_hash.insert(hash, rows[0].file.clone());
                }
                None
            }
        };
        for row in rows.iter_mut() {
            row.duplicate_of = match &same_bytes {
                Some(first) => first.clone(),
                None => self.same_notice(row).unwrap_or_default(),
            };
        }
    }

    /// The first row of the notice `row` repeats, or `None` when `row` is its first row (which is
    /// then remembered).
    fn same_notice(&mut self, row: &Record) -> Option<String> {
        let key = NoticeKey::of(row)?;
        match self.first_row_of_notice.get(&key) {
            Some(first) => Some(first.clone()),
            None => {
                self.first_row_of_notice
                    .insert(key, format!("{}#{}", row.file, row.page));
                None
            }
        }
    }
}

/// Marks every file's rows, the files given in output order, from nothing seen.
pub fn mark_in_order(files: &mut [Vec<Record>]) {
    let mut duplicates = Duplicates::default();
    for rows in files {
        duplicates.mark_file(rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(file: &str, page: &str, number: &str, kind: &str, date: &str, hash: &str) -> Record {
        Record {
            file: file.into(),
            page: page.into(),
            receipt_number: number.into(),
            notice_type: kind.into(),
            notice_date: date.into(),
            status: "ok".into(),
            sha256: hash.into(),
            ..Record::default()
        }
    }

    fn file_row(file: &str, status: Status, hash: &str) -> Record {
        Record {
            file: file.into(),
            status: status.as_str().into(),
            sha256: hash.into(),
            ..Record::default()
        }
    }

    fn marks(files: &[Vec<Record>]) -> Vec<Vec<String>> {
        let mut files = files.to_vec();
        mark_in_order(&mut files);
        files
            .iter()
            .map(|rows| rows.iter().map(|r| r.duplicate_of.clone()).collect())
            .collect()
    }

    const RECEIPT: &str = "Receipt Notice";
    const APPROVAL: &str = "Approval Notice";

    /// Three cases, a same-bytes copy, a rescan with other bytes, a file of two notices, and
    /// rows the notice rule must not touch.
    fn folder() -> Vec<Vec<Record>> {
        let ana = "EAC2190012345";
        let jose = "LIN2212345678";
        vec![
            vec![notice(
                "a/receipt.pdf",
                "1",
                ana,
                RECEIPT,
                "2024-01-22",
                "h1",
            )],
            vec![notice(
                "a/approval.pdf",
                "1",
                ana,
                APPROVAL,
                "2024-03-01",
                "h2",
            )],
            // The same bytes under another name: every row names the first file.
            vec![notice(
                "a/copy of receipt.pdf",
                "1",
                ana,
                RECEIPT,
                "2024-01-22",
                "h1",
            )],
            // A rescan: other bytes, same notice; and on page 2 another case's notice.
            vec![
                notice("b/scan.pdf", "1", ana, APPROVAL, "2024-03-01", "h3"),
                notice("b/scan.pdf", "2", jose, RECEIPT, "2024-01-22", "h3"),
            ],
            // Same number and date but another notice type: not the same notice.
            vec![notice(
                "b/transfer.pdf",
                "1",
                ana,
                "Transfer Notice",
                "2024-03-01",
                "h4",
            )],
            // No notice date (a number named in a letter): never a duplicate by the notice rule.
            vec![notice("c/letter.pdf", "1", jose, "", "", "h5")],
            vec![notice("c/letter2.pdf", "1", jose, "", "", "h6")],
            // Error and no-notice rows: only the content rule applies to them.
            vec![file_row("d/broken.pdf", Status::Error, "h7")],
            vec![file_row("d/broken copy.pdf", Status::Error, "h7")],
            vec![file_row("d/unreadable.pdf", Status::Error, "")],
            vec![file_row("d/unreadable2.pdf", Status::Error, "")],
            vec![file_row("d/invoice.pdf", Status::NoNotice, "h8")],
        ]
    }

    #[test]
    fn copies_name_the_first_file_and_rescans_the_first_row() {
        let got = marks(&folder());
        let want: Vec<Vec<&str>> = vec![
            vec![""],
            vec![""],
            vec!["a/receipt.pdf"],
            vec!["a/approval.pdf#1", ""],
            vec![""],
            vec![""],
            vec![""],
            vec![""],
            vec!["d/broken.pdf"],
            vec![""],
            vec![""],
            vec![""],
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_same_bytes_copy_of_a_file_of_several_notices_marks_each_row() {
        let two_pages = vec![
            notice("x.pdf", "1", "EAC2190012345", RECEIPT, "2024-01-22", "h"),
            notice("x.pdf", "2", "EAC2190099999", RECEIPT, "2024-01-22", "h"),
        ];
        let copy: Vec<Record> = two_pages
            .iter()
            .map(|r| Record {
                file: "y.pdf".into(),
                ..r.clone()
            })
            .collect();
        assert_eq!(
            marks(&[two_pages, copy]),
            vec![vec!["", ""], vec!["x.pdf", "x.pdf"]]
        );
    }

    #[test]
    fn the_same_notice_twice_in_one_file_names_its_first_page() {
        let stack = vec![
            notice(
                "stack.pdf",
                "1",
                "EAC2190012345",
                RECEIPT,
                "2024-01-22",
                "h",
            ),
            notice(
                "stack.pdf",
                "4",
                "EAC2190012345",
                RECEIPT,
                "2024-01-22",
                "h",
            ),
        ];
        assert_eq!(marks(&[stack]), vec![vec!["", "stack.pdf#1"]]);
    }

    #[test]
    fn marks_depend_only_on_the_order_and_are_stable_when_fed_again() {
        let folder = folder();
        // Feeding a prefix, then the rest (a resumed run) gives the marks of one pass.
        let one_pass = marks(&folder);
        for split in 0..folder.len() {
            let mut duplicates = Duplicates::default();
            let mut files = folder.clone();
            for rows in &mut files[..split] {
                duplicates.mark_file(rows);
            }
            let mut rest = duplicates.clone();
            for rows in &mut files[split..] {
                rest.mark_file(rows);
            }
            let got: Vec<Vec<String>> = files
                .iter()
                .map(|rows| rows.iter().map(|r| r.duplicate_of.clone()).collect())
                .collect();
            assert_eq!(got, one_pass, "split at {split}");
        }
        // Marked rows marked again keep their marks (stale marks are replaced, not kept).
        let mut files = folder.clone();
        mark_in_order(&mut files);
        let mut again = files.clone();
        again[0][0].duplicate_of = "stale.pdf".into();
        mark_in_order(&mut again);
        assert_eq!(again, files);
    }

    #[test]
    fn an_empty_file_group_changes_nothing() {
        let mut duplicates = Duplicates::default();
        duplicates.mark_file(&mut []);
        let mut rows = vec![notice(
            "a.pdf",
            "1",
            "EAC2190012345",
            RECEIPT,
            "2024-01-22",
            "h",
        )];
        duplicates.mark_file(&mut rows);
        assert_eq!(rows[0].duplicate_of, "");
    }
}
