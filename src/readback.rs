//! Reading an earlier output back: for `--resume` (keep what a killed run already wrote) and for
//! `merge` (join shard outputs). Only whole rows count: a row cut off by a kill (no line end yet)
//! is a torn tail and is dropped.

use crate::cli::Format;
use crate::output::json::record_from_json;
use crate::output::{BOM, unguard_formulas};
use crate::record::{COLUMNS, Record};

/// The rows of one input file, as they stand in an output, and where they end in its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRows {
    /// The file's shown path (the `file` column, which is never altered). In every row of a
    /// CSV, the formula guard is removed.
    pub file: String,
    pub rows: Vec<Record>,
    /// Byte offset just past this file's last row.
    pub end: u64,
}

/// An earlier output, split into per-file groups of whole rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Readback {
    /// Byte offset just past the header, byte-order mark included (0 for JSON Lines).
    pub header_end: u64,
    pub files: Vec<FileRows>,
    /// Bytes after the last whole row (a row cut off mid-write).
    pub torn_bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadbackError {
    #[error("it does not start with the i797 CSV header")]
    NotOurCsv,
    #[error(
        "an xlsx or sqlite output is written whole, not row by row: it cannot be resumed or merged"
    )]
    NotAStream,
    #[error("row ending at byte {offset} cannot be read: {reason}")]
    BadRow { offset: u64, reason: String },
}

/// Splits `bytes`, an output in `format`, into whole rows grouped by file; `guarded`: a CSV
/// written with the formula guard (which is undone), not `--no-formula-guard` (values as read,
/// a leading `'` included).
pub fn read_back(bytes: &[u8], format: Format, guarded: bool) -> Result<Readback, ReadbackError> {
    let (header_end, rows) = match format {
        Format::Csv => csv_rows(bytes)?,
        Format::Jsonl => (0, jsonl_rows(bytes)?),
        Format::Xlsx | Format::Sqlite => return Err(ReadbackError::NotAStream),
    };
    let mut readback = Readback {
        header_end,
        ..Readback::default()
    };
    for (mut row, end) in rows {
        // Only the CSV is guarded: a JSON value is always as read.
        if format == Format::Csv && guarded {
            unguard_formulas(&mut row);
        }
        match readback.files.last_mut() {
            Some(group) if group.file == row.file => {
                group.rows.push(row);
                group.end = end;
            }
            _ => readback.files.push(FileRows {
                file: row.file.clone(),
                rows: vec![row],
                end,
            }),
        }
    }
    let whole = readback.files.last().map_or(header_end, |group| group.end);
    readback.torn_bytes = bytes.len() as u64 - whole;
    Ok(readback)
}

fn csv_rows(bytes: &[u8]) -> Result<(u64, Vec<(Record, u64)>), ReadbackError> {
    let header = COLUMNS.join(",");
    // `--bom` puts a byte-order mark first; it belongs to the header.
    let bom = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let header_end = bom as u64
        + match bytes[bom..].strip_prefix(header.as_bytes()) {
            Some(rest) if rest.starts_with(b"\r\n") => header.len() as u64 + 2,
            Some(rest) if rest.starts_with(b"\n") => header.len() as u64 + 1,
            // A kill can land before the header is complete; then nothing was written yet.
            _ if header.as_bytes().starts_with(&bytes[bom..]) || BOM.starts_with(bytes) => {
                return Ok((0, Vec::new()));
            }
            _ => return Err(ReadbackError::NotOurCsv),
        };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[header_end as usize..]);
    let headers = csv::StringRecord::from(COLUMNS.to_vec());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let start = header_end + reader.position().byte();
        let more = reader.read_record(&mut record);
        let mut end = header_end + reader.position().byte();
        // The reader stops between the \r and \n of a CRLF line end; step over the \n.
        if bytes.get(end as usize - 1) == Some(&b'\r') && bytes.get(end as usize) == Some(&b'\n') {
            end += 1;
        }
        if matches!(more, Ok(false)) {
            break;
        }
        let raw = &bytes[start as usize..end as usize];
        // A kill can cut the last row anywhere, even just after a line break inside a quoted
        // cell; it counts only if it ends its line outside quotes.
        let whole = raw.ends_with(b"\n") && raw.iter().filter(|&&b| b == b'"').count() % 2 == 0;
        if end as usize == bytes.len() && !whole {
            break;
        }
        let parsed = more.map_err(|e| e.to_string()).and_then(|_| {
            if record.len() != COLUMNS.len() {
                return Err(format!(
                    "{} fields instead of {}",
                    record.len(),
                    COLUMNS.len()
                ));
            }
            record
                .deserialize::<Record>(Some(&headers))
                .map_err(|e| e.to_string())
        });
        match parsed {
            Ok(row) => rows.push((row, end)),
            Err(reason) => {
                return Err(ReadbackError::BadRow {
                    offset: end,
                    reason,
                });
            }
        }
    }
    Ok((header_end, rows))
}

fn jsonl_rows(bytes: &[u8]) -> Result<Vec<(Record, u64)>, ReadbackError> {
    let mut rows = Vec::new();
    let mut start = 0usize;
    while let Some(length) = bytes[start..].iter().position(|&b| b == b'\n') {
        let end = start + length + 1;
        let row = record_from_json(&bytes[start..end - 1]).map_err(|e| ReadbackError::BadRow {
            offset: end as u64,
            reason: e.to_string(),
        })?;
        rows.push((row, end as u64));
        start = end;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Csv, CsvOptions, JsonLines, RowFormat};

    fn row(file: &str, page: &str) -> Record {
        Record {
            file: file.into(),
            page: page.into(),
            status: "ok".into(),
            ..Record::default()
        }
    }

    fn written(format: &dyn RowFormat, groups: &[Vec<Record>]) -> Vec<u8> {
        let mut out = format.header();
        for rows in groups {
            out.extend(format.rows(rows).unwrap());
        }
        out
    }

    #[test]
    fn whole_rows_are_grouped_by_file_and_a_torn_tail_is_dropped() {
        let groups = vec![
            vec![row("a.pdf", "1"), row("a.pdf", "2")],
            vec![Record {
                applicant: "DOE,\nJANE".into(),
                ..row("b.pdf", "1")
            }],
        ];
        let with_bom = Csv {
            options: CsvOptions {
                bom: true,
                ..CsvOptions::default()
            },
        };
        for (format, kind) in [
            (&Csv::default() as &dyn RowFormat, Format::Csv),
            (&with_bom, Format::Csv),
            (&JsonLines, Format::Jsonl),
        ] {
            let bytes = written(format, &groups);
            let full = read_back(&bytes, kind, true).unwrap();
            assert_eq!(full.files.len(), 2);
            assert_eq!(full.files[0].rows.len(), 2);
            assert_eq!(full.files[1].rows[0].applicant, "DOE,\nJANE");
            assert_eq!(
                (full.files[1].end, full.torn_bytes),
                (bytes.len() as u64, 0)
            );
            // Cut anywhere inside the last row: only the first file survives, whole.
            let first_end = full.files[0].end as usize;
            for cut in first_end..bytes.len() {
                let torn = read_back(&bytes[..cut], kind, true).unwrap_or_else(|e| {
                    panic!(
                        "{e} at {cut}: {:?}",
                        String::from_utf8_lossy(&bytes[first_end..cut])
                    )
                });
                assert_eq!(torn.files.len(), 1, "cut at {cut}");
                assert_eq!(torn.files[0], full.files[0]);
                assert_eq!(torn.torn_bytes, (cut - first_end) as u64);
            }
        }
    }

    #[test]
    fn file_names_come_back_exactly_as_on_disk() {
        for name in ["=cmd.pdf", "'=cmd.pdf", "-Gonzalez intake.pdf"] {
            let bytes = written(&Csv::default(), &[vec![row(name, "1")]]);
            assert_eq!(
                read_back(&bytes, Format::Csv, true).unwrap().files[0].file,
                name
            );
        }
    }

    #[test]
    fn guarded_cells_come_back_as_they_were_and_write_again_to_the_same_bytes() {
        let original = Record {
            applicant: "-SMITH, ANA".into(),
            beneficiary: "'=already quoted".into(),
            duplicate_of: "@copy.pdf".into(),
            ..row("=cmd.pdf", "1")
        };
        let bytes = written(&Csv::default(), &[vec![original.clone()]]);
        let readback = read_back(&bytes, Format::Csv, true).unwrap();
        assert_eq!(readback.files[0].file, "=cmd.pdf");
        let back = &readback.files[0].rows[0];
        assert_eq!(back, &original, "every value exactly, `'=…` included");
        assert_eq!(
            written(&Csv::default(), &[readback.files[0].rows.clone()]),
            bytes
        );
        // Written without the guard: nothing to undo, a leading `'` is the value's own.
        let raw = Csv {
            options: CsvOptions {
                formula_guard: false,
                ..CsvOptions::default()
            },
        };
        let bytes = written(&raw, &[vec![original.clone()]]);
        let back = &read_back(&bytes, Format::Csv, false).unwrap().files[0].rows[0];
        assert_eq!(back, &original);
        // JSON Lines is never guarded, so a value is never unguarded either.
        let json = written(&JsonLines, &[vec![original.clone()]]);
        let back = &read_back(&json, Format::Jsonl, true).unwrap().files[0].rows[0];
        assert_eq!(back.beneficiary, "'=already quoted");
    }

    #[test]
    fn a_file_that_is_not_our_output_is_refused() {
        assert!(matches!(
            read_back(b"name,age\r\nx,1\r\n", Format::Csv, true),
            Err(ReadbackError::NotOurCsv)
        ));
        assert_eq!(
            read_back(b"file,pa", Format::Csv, true)
                .unwrap()
                .files
                .len(),
            0
        );
        // A kill inside the byte-order mark or the header after it: nothing written yet.
        for cut in [b"\xEF\xBB".as_slice(), b"\xEF\xBB\xBFfile,pa"] {
            let readback = read_back(cut, Format::Csv, true).unwrap();
            assert_eq!((readback.files.len(), readback.header_end), (0, 0));
        }
    }
}
