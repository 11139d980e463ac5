//! `--format xlsx`: an Excel workbook for people. Every value is a constant cell, never a
//! formula, so nothing needs guarding and no value is altered: text stays text (receipt, account
//! and A-numbers keep their leading zeros; paths and names are exact), dates are real date cells
//! shown `YYYY-MM-DD`, `page` and `confidence` are numbers, `needs_review` is the text
//! `TRUE`/`FALSE`. The header row is frozen, with a filter, and columns are as wide as their text.
//! After the rows' sheet(s), the sheet `cases` holds the case view (`crate::cases`), typed alike.
//!
//! A workbook is not a stream: rows go to a temporary sheet file as files finish (so memory stays
//! flat), and the workbook is put at the output path whole when the run ends
//! ([`FinishedFile`]). A killed run leaves the earlier output (or nothing) there, never half a
//! workbook; `--resume` and `merge` therefore do not apply (config and merge refuse them).

use std::io;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::RowSink;
use super::cells::{Cell, kind_of, texts, typed};
use super::finished_file::FinishedFile;
use crate::cases::Case;
use crate::cases::columns::{CASE_COLUMNS, CASE_FIELDS, case_texts};
use crate::record::{COLUMNS, Record};

/// The custom document property that marks a workbook as an i797 output, so a re-run may replace
/// it and no other workbook is ever overwritten.
const MARK_NAME: &str = "i797";
const MARK_VALUE: &str = "scan output";
/// Rows per sheet, header included (Excel's limit); more rows continue on a next sheet.
const SHEET_ROWS: u32 = 1_048_576;
/// Widest column, in characters: long messages wrap the view, not the screen.
const MAX_WIDTH: usize = 60;

/// Writes rows into a workbook that is put in place when the run ends.
pub struct XlsxSink {
    workbook: Workbook,
    file: FinishedFile,
    /// Rows written on the current sheet, header included.
    sheet_rows: u32,
    /// Rows a sheet may hold, header included.
    sheet_limit: u32,
    sheets: usize,
    /// The rows' last sheet is finished (the case sheets follow it).
    rows_done: bool,
    widths: Vec<usize>,
    text: Format,
    date: Format,
    header: Format,
}

impl std::fmt::Debug for XlsxSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XlsxSink")
            .field("file", &self.file)
            .field("sheets", &self.sheets)
            .finish_non_exhaustive()
    }
}

impl XlsxSink {
    /// Starts the workbook for `output`; nothing is at the output path until [`RowSink::finish`].
    pub fn create(output: &Path) -> io::Result<XlsxSink> {
        let file = FinishedFile::start(output)?;
        let mut workbook = Workbook::new();
        // The sheet's rows wait beside the output, not in a shared /tmp: they are personal data.
        workbook.set_tempdir(file.folder()).map_err(to_io)?;
        workbook.set_properties(&DocProperties::new().set_custom_property(MARK_NAME, MARK_VALUE));
        let mut sink = XlsxSink {
            workbook,
            file,
            sheet_rows: 0,
            sheet_limit: SHEET_ROWS,
            sheets: 0,
            rows_done: false,
            widths: COLUMNS.iter().map(|c| c.len()).collect(),
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            header: Format::new().set_bold(),
        };
        sink.new_sheet().map_err(to_io)?;
        Ok(sink)
    }

    /// Adds a sheet (`rows`, then `rows 2`, …) with the frozen header row.
    fn new_sheet(&mut self) -> Result<(), XlsxError> {
        self.finish_sheet()?;
        self.sheets += 1;
        let name = match self.sheets {
            1 => "rows".to_string(),
            n => format!("rows {n}"),
        };
        // Low-memory mode: each row goes to disk once the next is started.
        let sheet = self.workbook.add_worksheet_with_low_memory()?;
        sheet.set_name(name)?;
        for (col, name) in COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *name, &self.header)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        // The workbook opens on the rows (and a converter that takes one sheet takes them).
        if self.sheets == 1 {
            sheet.set_active(true);
        }
        self.sheet_rows = 1;
        Ok(())
    }

    fn sheet(&mut self) -> Result<&mut Worksheet, XlsxError> {
        self.workbook.worksheet_from_index(self.sheets - 1)
    }

    /// Column widths and the header filter of the current sheet.
    fn finish_sheet(&mut self) -> Result<(), XlsxError> {
        if self.sheets == 0 {
            return Ok(());
        }
        let widths = self.widths.clone();
        let last_row = self.sheet_rows - 1;
        let sheet = self.sheet()?;
        for (col, width) in widths.iter().enumerate() {
            sheet.set_column_width(col as u16, (*width).min(MAX_WIDTH) as f64 + 2.0)?;
        }
        sheet.autofilter(0, 0, last_row, COLUMNS.len() as u16 - 1)?;
        Ok(())
    }

    fn write_row(&mut self, row: &Record) -> Result<(), XlsxError> {
        if self.sheet_rows == self.sheet_limit {
            self.new_sheet()?;
        }
        let at = self.sheet_rows;
        let (text, date) = (self.text.clone(), self.date.clone());
        let cells = texts(row);
        for (col, value) in cells.iter().enumerate() {
            let width = &mut self.widths[col];
            *width = (*width).max(value.chars().count());
        }
        let typed_cells = COLUMNS
            .iter()
            .zip(&cells)
            .map(|(name, value)| typed(kind_of(name), value));
        write_cells(self.sheet()?, at, typed_cells, &text, &date)?;
        self.sheet_rows += 1;
        Ok(())
    }

    /// The case view on a sheet of its own, `cases` (more past a sheet's limit: `cases 2`, …),
    /// after the rows' sheets: one row per case, the CSV case view's columns and values, typed
    /// by [`CASE_FIELDS`].
    fn write_case_sheets(&mut self, cases: &[Case]) -> Result<(), XlsxError> {
        self.finish_sheet()?;
        self.rows_done = true;
        let per_sheet = (self.sheet_limit - 1) as usize;
        let texts: Vec<[String; 13]> = cases.iter().map(case_texts).collect();
        let mut widths: Vec<usize> = CASE_COLUMNS.iter().map(|c| c.len()).collect();
        for cells in &texts {
            for (width, value) in widths.iter_mut().zip(cells) {
                *width = (*width).max(value.chars().count());
            }
        }
        let (text, date, header) = (self.text.clone(), self.date.clone(), self.header.clone());
        // An empty case view still gets its sheet, with the header: the sheet is the contract.
        let chunks: Vec<&[[String; 13]]> = if texts.is_empty() {
            vec![&[]]
        } else {
            texts.chunks(per_sheet).collect()
        };
        for (number, chunk) in chunks.into_iter().enumerate() {
            let sheet = self.workbook.add_worksheet_with_low_memory()?;
            sheet.set_name(match number {
                0 => "cases".to_string(),
                n => format!("cases {}", n + 1),
            })?;
            for (col, name) in CASE_COLUMNS.iter().enumerate() {
                sheet.write_string_with_format(0, col as u16, *name, &header)?;
            }
            sheet.set_freeze_panes(1, 0)?;
            for (at, cells) in chunk.iter().enumerate() {
                let typed_cells = CASE_FIELDS
                    .iter()
                    .zip(cells)
                    .map(|(field, value)| typed(field.kind, value));
                write_cells(sheet, at as u32 + 1, typed_cells, &text, &date)?;
            }
            for (col, width) in widths.iter().enumerate() {
                sheet.set_column_width(col as u16, (*width).min(MAX_WIDTH) as f64 + 2.0)?;
            }
            sheet.autofilter(0, 0, chunk.len() as u32, CASE_COLUMNS.len() as u16 - 1)?;
        }
        Ok(())
    }
}

/// Writes one row of typed cells at row `at`: text as text cells, numbers, dates as date cells,
/// booleans as the text `TRUE`/`FALSE`; an empty cell is left empty.
fn write_cells<'a>(
    sheet: &mut Worksheet,
    at: u32,
    cells: impl Iterator<Item = Cell<'a>>,
    text: &Format,
    date: &Format,
) -> Result<(), XlsxError> {
    for (col, cell) in cells.enumerate() {
        let col = col as u16;
        match cell {
            Cell::Empty => {}
            Cell::Text(value) => {
                sheet.write_string_with_format(at, col, fit_cell(value), text)?;
            }
            Cell::Integer(number) => {
                sheet.write_number(at, col, number as f64)?;
            }
            Cell::Date(year, month, day) => {
                let value = ExcelDateTime::from_ymd(year, month, day)?;
                sheet.write_datetime_with_format(at, col, &value, date)?;
            }
            Cell::Boolean(yes) => {
                sheet.write_string_with_format(
                    at,
                    col,
                    if yes { "TRUE" } else { "FALSE" },
                    text,
                )?;
            }
        }
    }
    Ok(())
}

/// Most characters Excel holds in a cell.
const CELL_CHARS: usize = 32_767;
/// Said at the end of a cell cut to Excel's limit (a case with hundreds of notices).
const CUT_MARK: &str = " … (cut: a cell holds 32767 characters; the CSV has the rest)";

/// `value`, cut to what a cell holds (with a mark saying so) rather than losing the workbook.
fn fit_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.chars().count() <= CELL_CHARS {
        return value.into();
    }
    let keep = CELL_CHARS - CUT_MARK.chars().count();
    let mut cut: String = value.chars().take(keep).collect();
    cut.push_str(CUT_MARK);
    cut.into()
}

impl RowSink for XlsxSink {
    fn write_file(&mut self, rows: &[Record]) -> io::Result<()> {
        rows.iter()
            .try_for_each(|row| self.write_row(row))
            .map_err(to_io)
    }

    fn holds_cases(&self) -> bool {
        true
    }

    fn write_cases(&mut self, cases: &[Case]) -> io::Result<()> {
        self.write_case_sheets(cases).map_err(to_io)
    }

    fn finish(&mut self) -> io::Result<()> {
        if !self.rows_done {
            self.finish_sheet().map_err(to_io)?;
        }
        self.workbook.save(self.file.partial()).map_err(to_io)?;
        self.file.put_in_place()
    }
}

fn to_io(error: XlsxError) -> io::Error {
    match error {
        XlsxError::IoError(error) => error,
        other => io::Error::other(other.to_string()),
    }
}

/// Is the file at `path` a workbook an earlier run wrote (it carries the i797 mark)?
pub fn is_earlier_output(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut archive) = zip::ZipArchive::new(file) else {
        return false;
    };
    let Ok(properties) = archive.by_name("docProps/custom.xml") else {
        return false;
    };
    let mut text = String::new();
    // The properties part is a few hundred bytes; a bound keeps a hostile archive harmless.
    let read = io::Read::read_to_string(&mut io::Read::take(properties, 1 << 16), &mut text);
    read.is_ok()
        && text.contains(&format!("name=\"{MARK_NAME}\""))
        && text.contains(&format!(">{MARK_VALUE}<"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook};

    fn sample_rows() -> Vec<Record> {
        vec![
            Record {
                file: "clients/García/-Gonzalez intake.pdf".into(),
                page: "2".into(),
                receipt_number: "EAC2190012345".into(),
                notice_date: "2024-03-05".into(),
                received_date: "02/30/2024".into(),
                account_number: "043889511833".into(),
                a_number: "A012345678".into(),
                applicant: "=SUM(A1)".into(),
                beneficiary: "José Núñez".into(),
                confidence: "97".into(),
                needs_review: "false".into(),
                status: "ok".into(),
                ..Record::default()
            },
            Record {
                file: "notes.txt".into(),
                needs_review: "true".into(),
                status: "skipped".into(),
                message: "a text file".into(),
                ..Record::default()
            },
        ]
    }

    fn write(output: &Path, rows: &[Record]) {
        let mut sink = XlsxSink::create(output).unwrap();
        sink.write_file(&rows[..1]).unwrap();
        sink.write_file(&rows[1..]).unwrap();
        assert!(
            !output.exists(),
            "nothing at the output path before the run ends"
        );
        sink.finish().unwrap();
    }

    /// The first row of a sheet, each cell as text.
    fn first_row(range: &calamine::Range<Data>) -> Vec<String> {
        let first = range.rows().next().unwrap();
        first.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn cells_keep_their_values_and_get_their_types() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.xlsx");
        write(&output, &sample_rows());
        let mut workbook: Xlsx<_> = open_workbook(&output).unwrap();
        assert_eq!(workbook.sheet_names(), ["rows"]);
        let range = workbook.worksheet_range("rows").unwrap();
        let header = first_row(&range);
        assert_eq!(header, COLUMNS);
        let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
        let cell =
            |row: usize, name: &str| range.get((row, col(name))).cloned().unwrap_or(Data::Empty);
        let text = |s: &str| Data::String(s.to_string());
        assert_eq!(cell(1, "file"), text("clients/García/-Gonzalez intake.pdf"));
        assert_eq!(cell(1, "account_number"), text("043889511833"));
        assert_eq!(cell(1, "a_number"), text("A012345678"));
        assert_eq!(cell(1, "applicant"), text("=SUM(A1)"));
        assert_eq!(cell(1, "beneficiary"), text("José Núñez"));
        assert_eq!(cell(1, "page"), Data::Float(2.0));
        assert_eq!(cell(1, "confidence"), Data::Float(97.0));
        assert_eq!(cell(1, "needs_review"), text("FALSE"));
        assert_eq!(cell(2, "needs_review"), text("TRUE"));
        // Not a calendar date: kept as the text it was.
        assert_eq!(cell(1, "received_date"), text("02/30/2024"));
        match cell(1, "notice_date") {
            Data::DateTime(date) => {
                // Excel's serial day number of 2024-03-05.
                assert!(date.is_datetime());
                assert_eq!(date.as_f64(), 45356.0);
            }
            other => panic!("notice_date is not a date cell: {other:?}"),
        }
        assert_eq!(cell(2, "page"), Data::Empty);
        assert_eq!(range.height(), 3);
        // No formula anywhere.
        let formulas = workbook.worksheet_formula("rows").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    }

    #[test]
    fn the_case_view_is_a_sheet_after_the_rows_typed_alike() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.xlsx");
        let mut book = crate::cases::CaseBook::default();
        let rows = sample_rows();
        book.add_file(&rows);
        let mut sink = XlsxSink::create(&output).unwrap();
        sink.write_file(&rows).unwrap();
        assert!(sink.holds_cases());
        sink.write_cases(&book.cases()).unwrap();
        sink.finish().unwrap();
        let mut workbook: Xlsx<_> = open_workbook(&output).unwrap();
        assert_eq!(workbook.sheet_names(), ["rows", "cases"]);
        let range = workbook.worksheet_range("cases").unwrap();
        let header = first_row(&range);
        assert_eq!(header, CASE_COLUMNS);
        let col = |name: &str| CASE_COLUMNS.iter().position(|c| *c == name).unwrap();
        let cell = |name: &str| range.get((1, col(name))).cloned().unwrap_or(Data::Empty);
        assert_eq!(cell("case_number"), Data::String("EAC2190012345".into()));
        assert_eq!(
            cell("applicant"),
            Data::String("=SUM(A1)".into()),
            "no guard, no formula"
        );
        assert_eq!(cell("notice_count"), Data::Float(1.0));
        assert_eq!(cell("needs_review"), Data::String("FALSE".into()));
        assert_eq!(
            cell("notices"),
            Data::String("clients/García/-Gonzalez intake.pdf#2 2024-03-05".into())
        );
        assert_eq!(range.height(), 2, "one case: the skipped file makes none");
        let formulas = workbook.worksheet_formula("cases").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    }

    #[test]
    fn a_value_longer_than_a_cell_holds_is_cut_with_a_mark() {
        let long = "x".repeat(CELL_CHARS + 10);
        let fitted = fit_cell(&long);
        assert_eq!(fitted.chars().count(), CELL_CHARS);
        assert!(fitted.ends_with(CUT_MARK));
        assert_eq!(fit_cell("short"), "short");
    }

    #[test]
    fn rows_past_a_sheets_limit_continue_on_the_next_sheet_with_a_header() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.xlsx");
        let mut sink = XlsxSink::create(&output).unwrap();
        sink.sheet_limit = 3;
        let rows: Vec<Record> = (1..=5)
            .map(|page| Record {
                file: "a.pdf".into(),
                page: page.to_string(),
                ..Record::default()
            })
            .collect();
        sink.write_file(&rows).unwrap();
        sink.finish().unwrap();
        let mut workbook: Xlsx<_> = open_workbook(&output).unwrap();
        assert_eq!(workbook.sheet_names(), ["rows", "rows 2", "rows 3"]);
        let mut pages = Vec::new();
        for name in workbook.sheet_names() {
            let range = workbook.worksheet_range(&name).unwrap();
            assert_eq!(range.get((0, 0)), Some(&Data::String("file".into())));
            pages.extend(range.rows().skip(1).map(|r| r[1].to_string()));
        }
        assert_eq!(pages, ["1", "2", "3", "4", "5"]);
    }

    #[test]
    fn a_workbook_is_recognised_as_ours_by_its_mark() {
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join("ours.xlsx");
        write(&ours, &sample_rows());
        assert!(is_earlier_output(&ours));
        let theirs = dir.path().join("theirs.xlsx");
        let mut workbook = Workbook::new();
        workbook.add_worksheet().write_string(0, 0, "i797").unwrap();
        workbook.save(&theirs).unwrap();
        assert!(!is_earlier_output(&theirs));
        std::fs::write(dir.path().join("x.csv"), "file,page\r\n").unwrap();
        assert!(!is_earlier_output(&dir.path().join("x.csv")));
    }

    #[test]
    fn a_sink_dropped_before_the_end_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.xlsx");
        let mut sink = XlsxSink::create(&output).unwrap();
        sink.write_file(&sample_rows()).unwrap();
        drop(sink);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
