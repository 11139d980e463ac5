//! Output stage: one writer owns the output. Workers finish files in any order; the writer puts
//! them back in input order and writes each file's rows in one piece, flushed, so output is the
//! same whatever `--jobs` is, and a run killed at any moment leaves only whole rows behind.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::cli::Format;
use crate::record::Record;

/// Formats rows for one output format.
pub trait RowFormat: Send {
    /// The bytes that open the output (the CSV header); empty for formats without one.
    fn header(&self) -> Vec<u8>;
    /// The bytes for one file's rows.
    fn rows(&self, rows: &[Record]) -> io::Result<Vec<u8>>;
}

/// RFC 4180 CSV, UTF-8, header row; the options say what a spreadsheet needs.
#[derive(Debug, Default)]
pub struct Csv {
    pub options: CsvOptions,
}

/// Choices for the CSV form, recorded in a shard's manifest since they change its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte-order mark, so Excel reads accents as UTF-8.
    pub bom: bool,
    /// Defuse cells a spreadsheet would run as a formula (see [`guard_cell`]); never `file`.
    pub formula_guard: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            bom: false,
            formula_guard: true,
        }
    }
}

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One JSON object per line with the same fields as the CSV, each with its type (numbers,
/// booleans, null for empty: see [`crate::schema`]); no formula guard: programs read JSON,
/// spreadsheets do not.
#[derive(Debug, Default)]
pub struct JsonLines;

impl RowFormat for Csv {
    fn header(&self) -> Vec<u8> {
        let mut out = if self.options.bom {
            BOM.to_vec()
        } else {
            Vec::new()
        };
        out.extend_from_slice(crate::record::COLUMNS.join(",").as_bytes());
        out.extend_from_slice(b"\r\n");
        out
    }

    fn rows(&self, rows: &[Record]) -> io::Result<Vec<u8>> {
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for row in rows {
            if self.options.formula_guard {
                writer.serialize(guard_formulas(row))?;
            } else {
                writer.serialize(row)?;
            }
        }
        writer.into_inner().map_err(|e| e.into_error())
    }
}

impl RowFormat for JsonLines {
    fn header(&self) -> Vec<u8> {
        Vec::new()
    }

    fn rows(&self, rows: &[Record]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        for row in rows {
            serde_json::to_writer(&mut out, &crate::schema::typed_row(row))?;
            out.push(b'\n');
        }
        Ok(out)
    }
}

/// The writer for `format` with the default CSV options.
pub fn format_for(format: Format) -> Box<dyn RowFormat> {
    writer_for(format, CsvOptions::default())
}

/// The writer for `format`; `csv` applies to CSV only.
pub fn writer_for(format: Format, csv: CsvOptions) -> Box<dyn RowFormat> {
    match format {
        Format::Csv => Box::new(Csv { options: csv }),
        Format::Jsonl => Box::new(JsonLines),
    }
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab or
/// carriage return can smuggle one in). Paralegals open these files in Excel, so such a cell gets
/// a leading apostrophe, which Excel shows as plain text. Our own values (numbers, dates) never
/// start with these characters; names and messages might. `file` is never altered: a database
/// row must name the file on disk exactly (open the CSV with care, or use a format for people).
fn guard_formulas(row: &Record) -> Record {
    let guard = |cell: &String| guard_cell(cell);
    Record {
        applicant: guard(&row.applicant),
        beneficiary: guard(&row.beneficiary),
        message: guard(&row.message),
        ..row.clone()
    }
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The CSV form of a text cell: defused if a spreadsheet would run it.
pub fn guard_cell(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Restores input order: accepts each file's rows as they finish and writes every file whose
/// predecessors are all written, in one piece, then flushes.
#[derive(Debug)]
pub struct OrderedWriter<W: Write> {
    sink: W,
    next: usize,
    waiting: BTreeMap<usize, Vec<u8>>,
}

impl<W: Write> OrderedWriter<W> {
    /// Starts writing at file index `first` (0 for a new run; more when resuming).
    pub fn new(sink: W, first: usize) -> Self {
        OrderedWriter {
            sink,
            next: first,
            waiting: BTreeMap::new(),
        }
    }

    /// Hands over the formatted rows of file number `index`.
    pub fn accept(&mut self, index: usize, bytes: Vec<u8>) -> io::Result<()> {
        self.waiting.insert(index, bytes);
        while let Some(bytes) = self.waiting.remove(&self.next) {
            self.sink.write_all(&bytes)?;
            self.sink.flush()?;
            self.next += 1;
        }
        Ok(())
    }

    /// Files accepted but not yet written because an earlier one is still being read.
    pub fn pending(&self) -> usize {
        self.waiting.len()
    }

    pub fn into_inner(self) -> W {
        self.sink
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_in_input_order_whatever_order_they_finish_in() {
        let mut writer = OrderedWriter::new(Vec::new(), 0);
        writer.accept(2, b"c".to_vec()).unwrap();
        writer.accept(0, b"a".to_vec()).unwrap();
        assert_eq!(writer.pending(), 1);
        writer.accept(1, b"b".to_vec()).unwrap();
        assert_eq!(writer.pending(), 0);
        assert_eq!(writer.into_inner(), b"abc");
    }

    #[test]
    fn formula_like_cells_are_defused_in_csv_only_and_file_never() {
        let row = Record {
            file: "=HYPERLINK(\"x\").pdf".into(),
            applicant: "-Smith".into(),
            receipt_number: "EAC2190012345".into(),
            ..Record::default()
        };
        let csv =
            String::from_utf8(Csv::default().rows(std::slice::from_ref(&row)).unwrap()).unwrap();
        assert!(
            csv.starts_with("\"=HYPERLINK(\"\"x\"\").pdf\",,EAC2190012345,"),
            "{csv}"
        );
        assert!(csv.contains(",'-Smith,"), "{csv}");
        let json = String::from_utf8(JsonLines.rows(std::slice::from_ref(&row)).unwrap()).unwrap();
        assert!(json.contains("\"file\":\"=HYPERLINK"), "{json}");
        assert!(json.contains("\"applicant\":\"-Smith\""), "{json}");
        let raw = Csv {
            options: CsvOptions {
                formula_guard: false,
                ..CsvOptions::default()
            },
        };
        let csv = String::from_utf8(raw.rows(&[row]).unwrap()).unwrap();
        assert!(csv.contains(",-Smith,"), "{csv}");
    }

    #[test]
    fn the_bom_opens_the_csv_only_when_asked() {
        let plain = Csv::default().header();
        assert!(plain.starts_with(b"file,page,"));
        let with_bom = Csv {
            options: CsvOptions {
                bom: true,
                ..CsvOptions::default()
            },
        }
        .header();
        assert_eq!(&with_bom[..3], BOM);
        assert_eq!(&with_bom[3..], plain.as_slice());
    }

    #[test]
    fn csv_quotes_commas_quotes_and_newlines_per_rfc_4180() {
        let row = Record {
            applicant: "DOE, \"JANE\"\nX".into(),
            ..Record::default()
        };
        let csv = String::from_utf8(Csv::default().rows(&[row]).unwrap()).unwrap();
        assert!(csv.contains("\"DOE, \"\"JANE\"\"\nX\""), "{csv}");
        assert!(csv.ends_with("\r\n"));
    }
}
