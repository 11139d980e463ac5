//! Output stage: one writer owns the output. Workers finish files in any order; the writer puts
//! them back in input order and writes each file's rows in one piece, flushed, so output is the
//! same whatever `--jobs` is, and a run killed at any moment leaves only whole rows behind.
//! Text formats (CSV, JSON Lines) are streams; the workbook and the database (`xlsx`, `sqlite`)
//! are files put in place whole when the run ends.

pub mod cells;
pub mod finished_file;
pub mod json;
pub mod sqlite;
pub mod xlsx;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::cases::Case;
use crate::cli::Format;
use crate::record::Record;

/// Where a run's rows go, file by file, in input order.
pub trait RowSink: Send {
    /// Takes one file's rows (every file has at least one).
    fn write_file(&mut self, rows: &[Record]) -> io::Result<()>;
    /// Does this output hold the case view itself (the workbook's sheet, the database's tables)?
    /// Then the writer gives it [`RowSink::write_cases`] before [`RowSink::finish`].
    fn holds_cases(&self) -> bool {
        false
    }
    /// Takes the case view of every row written (only when [`RowSink::holds_cases`]).
    fn write_cases(&mut self, _cases: &[Case]) -> io::Result<()> {
        Ok(())
    }
    /// Ends the output: a stream is flushed; a file written whole is put in place.
    fn finish(&mut self) -> io::Result<()>;
}

impl<S: RowSink + ?Sized> RowSink for Box<S> {
    fn write_file(&mut self, rows: &[Record]) -> io::Result<()> {
        (**self).write_file(rows)
    }

    fn holds_cases(&self) -> bool {
        (**self).holds_cases()
    }

    fn write_cases(&mut self, cases: &[Case]) -> io::Result<()> {
        (**self).write_cases(cases)
    }

    fn finish(&mut self) -> io::Result<()> {
        (**self).finish()
    }
}

/// A text format written to a stream: each file's rows in one piece, flushed at once.
pub struct StreamSink<W: Write + Send> {
    format: Box<dyn RowFormat>,
    out: W,
}

impl<W: Write + Send> StreamSink<W> {
    pub fn new(format: Box<dyn RowFormat>, out: W) -> Self {
        StreamSink { format, out }
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write + Send> RowSink for StreamSink<W> {
    fn write_file(&mut self, rows: &[Record]) -> io::Result<()> {
        self.out.write_all(&self.format.rows(rows)?)?;
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write + Send> std::fmt::Debug for StreamSink<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamSink")
    }
}

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
/// booleans, null for empty: see [`crate::output::json`]); no formula guard: programs read JSON,
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
            serde_json::to_writer(&mut out, &crate::output::json::typed_row(row))?;
            out.push(b'\n');
        }
        Ok(out)
    }
}

/// The text writer for `format` (`csv` applies to CSV only); `None` for the workbook and the
/// database, which are not streams of rows (see [`whole_file_sink`]).
pub fn writer_for(format: Format, csv: CsvOptions) -> Option<Box<dyn RowFormat>> {
    match format {
        Format::Csv => Some(Box::new(Csv { options: csv })),
        Format::Jsonl => Some(Box::new(JsonLines)),
        Format::Xlsx | Format::Sqlite => None,
    }
}

/// The writer of a format that is put at `output` whole when the run ends; `None` for the text
/// formats, which stream.
pub fn whole_file_sink(
    format: Format,
    output: &std::path::Path,
) -> io::Result<Option<Box<dyn RowSink>>> {
    Ok(match format {
        Format::Xlsx => Some(Box::new(xlsx::XlsxSink::create(output)?)),
        Format::Sqlite => Some(Box::new(sqlite::SqliteSink::create(output)?)),
        Format::Csv | Format::Jsonl => None,
    })
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab or
/// carriage return can smuggle one in). Paralegals open these files in Excel, so such a cell gets
/// a leading apostrophe, which Excel shows as plain text. Our own values (numbers, dates) never
/// start with these characters; names and messages might. `file` is never altered: a database
/// row must name the file on disk exactly (open the CSV with care, or use a format for people).
fn guard_formulas(row: &Record) -> Record {
    let mut row = row.clone();
    for cell in outside_text_cells(&mut row) {
        *cell = guard_cell(cell);
    }
    row
}

/// Undoes the formula guard on a row read back from a CSV output.
pub fn unguard_formulas(row: &mut Record) {
    for cell in outside_text_cells(row) {
        *cell = unguard_cell(cell);
    }
}

/// The cells that carry text from outside (names, messages): the ones the guard covers. Not
/// `file` nor `duplicate_of`, which name files on disk and must match them exactly.
fn outside_text_cells(row: &mut Record) -> [&mut String; 3] {
    [&mut row.applicant, &mut row.beneficiary, &mut row.message]
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Would a spreadsheet run `cell`, or does it look like a cell the guard defused (`'=…`, `''-…`)?
/// Guarding the second kind too keeps the guard undoable: a value that really starts with `'=`
/// reads back as itself, not as `=`.
fn guard_applies(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// The CSV form of a text cell: defused if a spreadsheet would run it.
pub fn guard_cell(cell: &str) -> String {
    if guard_applies(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Undoes [`guard_cell`] exactly: `unguard_cell(&guard_cell(v)) == v` for every `v`.
pub fn unguard_cell(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if guard_applies(rest) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// What the writer does to each file's rows, in output order, before writing them.
type InOrder<'a> = Box<dyn FnMut(&mut [Record]) + Send + 'a>;

/// Restores input order: accepts each file's rows as they finish and hands every file whose
/// predecessors are all written to the sink, in one piece. Just before a file is written, its
/// rows go through `in_order` (which sets what depends on the order: the duplicate marks).
pub struct OrderedWriter<'a, S: RowSink> {
    sink: S,
    in_order: InOrder<'a>,
    next: usize,
    waiting: BTreeMap<usize, Vec<Record>>,
}

impl<S: RowSink> std::fmt::Debug for OrderedWriter<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrderedWriter")
            .field("next", &self.next)
            .field("pending", &self.waiting.len())
            .finish_non_exhaustive()
    }
}

impl<'a, S: RowSink> OrderedWriter<'a, S> {
    /// Starts writing at file index `first` (0 for a new run; more when resuming).
    pub fn new(sink: S, first: usize, in_order: impl FnMut(&mut [Record]) + Send + 'a) -> Self {
        OrderedWriter {
            sink,
            in_order: Box::new(in_order),
            next: first,
            waiting: BTreeMap::new(),
        }
    }

    /// Hands over the rows of file number `index`.
    pub fn accept(&mut self, index: usize, rows: Vec<Record>) -> io::Result<()> {
        self.waiting.insert(index, rows);
        while let Some(mut rows) = self.waiting.remove(&self.next) {
            (self.in_order)(&mut rows);
            self.sink.write_file(&rows)?;
            self.next += 1;
        }
        Ok(())
    }

    /// Files accepted but not yet written because an earlier one is still being read.
    pub fn pending(&self) -> usize {
        self.waiting.len()
    }

    /// Ends the output (every file accepted so far is written).
    pub fn finish(mut self) -> io::Result<S> {
        self.sink.finish()?;
        Ok(self.sink)
    }

    pub fn into_inner(self) -> S {
        self.sink
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_in_input_order_whatever_order_they_finish_in() {
        let rows = |file: &str| {
            vec![Record {
                file: file.into(),
                ..Record::default()
            }]
        };
        let mut seen = Vec::new();
        let sink = StreamSink::new(Box::new(JsonLines), Vec::new());
        let mut writer = OrderedWriter::new(sink, 0, |rows| seen.push(rows[0].file.clone()));
        writer.accept(2, rows("c")).unwrap();
        writer.accept(0, rows("a")).unwrap();
        assert_eq!(writer.pending(), 1);
        writer.accept(1, rows("b")).unwrap();
        assert_eq!(writer.pending(), 0);
        let out = String::from_utf8(writer.into_inner().into_inner()).unwrap();
        let files: Vec<&str> = out
            .lines()
            .map(|line| line.split('"').nth(3).unwrap())
            .collect();
        assert_eq!(files, ["a", "b", "c"]);
        assert_eq!(seen, ["a", "b", "c"], "rows are handed on in output order");
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
        // `duplicate_of` names a file too: never altered.
        let copy = Record {
            duplicate_of: "=HYPERLINK(\"x\").pdf".into(),
            ..Record::default()
        };
        let csv = String::from_utf8(Csv::default().rows(&[copy]).unwrap()).unwrap();
        // `duplicate_of` is followed by `invoice_id` (empty here).
        assert!(
            csv.ends_with(",\"=HYPERLINK(\"\"x\"\").pdf\",\r\n"),
            "{csv}"
        );
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
    fn the_guard_is_undone_exactly_whatever_the_value_starts_with() {
        for value in [
            "=SUM(A1)",
            "-Smith",
            "'=already quoted",
            "''-twice",
            "'plain",
            "O'Brien",
            "",
            "'",
            "''",
            "@",
            "\t=x",
            "plain",
        ] {
            let guarded = guard_cell(value);
            assert_eq!(unguard_cell(&guarded), value, "{value:?} -> {guarded:?}");
            assert!(
                !guarded.starts_with(FORMULA_STARTS),
                "{guarded:?} would run"
            );
        }
        assert_eq!(guard_cell("'=x"), "''=x");
        assert_eq!(
            guard_cell("'plain"),
            "'plain",
            "only formula look-alikes change"
        );
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
