//! The scan pipeline: files (and the pages of large files) are read in parallel on the worker
//! threads; each file becomes its rows; one writer thread puts them back in input order.
//!
//! Invariant: every input becomes at least one row, and nothing a file does (an error, a panic
//! inside a decoder) reaches past that file's own rows.

use std::io::{self, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use rayon::prelude::*;

use crate::config::ReadLimits;
use crate::discover::{Input, name_is_escaped};
use crate::journal::Journal;
use crate::linking::Linking;
use crate::output::{OrderedWriter, RowSink};
use crate::progress::{Progress, Summary};
use crate::record::{FileFacts, Record};
use crate::store::{Store, StoredFile};
use i797_core::document::other_document;
use i797_core::page_kind::looks_like_notice_front;
use i797_core::{Notice, PageText, extract_notices};
use i797_read::ocr::RecognizerSource;
use i797_read::ocr::policy::Readers;
use i797_read::sniff::{FileKind, SNIFF_LEN, sniff};
use i797_read::source::{self, PageContent};

mod file_bytes;
mod reading;

pub use file_bytes::{MAX_FILE_BYTES, readable_bytes};
use reading::*;
pub use reading::{FileProblem, PageReading, Reading, read_document_isolated};

/// One file's rows, and how many pages it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileResult {
    pub rows: Vec<Record>,
    pub pages: usize,
    /// The rows came from the store: the file was not read again.
    pub from_store: bool,
}

/// What the workers of one scan share besides the inputs.
#[derive(Clone, Copy, Debug)]
pub struct ScanControl<'a> {
    pub limits: ReadLimits,
    /// Where starts and finishes are recorded for `--resume` (with `--output` only).
    pub journal: Option<&'a Journal>,
    /// Set by Ctrl-C: no new file is started, and a file cut short is not written.
    pub interrupted: &'a AtomicBool,
    /// Where files already read are found, and files read now are kept (`--no-store`: none).
    pub store: Option<&'a Store>,
}

/// Reads every input and writes its rows to `sink` in input order, as file indexes
/// `first_index..`, each file's rows going through `linking` just before they are written.
/// Runs on the current rayon pool.
#[allow(clippy::too_many_arguments)]
pub fn scan_inputs(
    inputs: &[Input],
    first_index: usize,
    readers: &Readers<impl RecognizerSource>,
    sink: Box<dyn RowSink>,
    linking: &mut Linking,
    progress: &Progress,
    control: ScanControl<'_>,
) -> anyhow::Result<Summary> {
    let (sender, receiver) = mpsc::channel::<(usize, FileResult)>();
    std::thread::scope(|scope| {
        let writer = std::thread::Builder::new()
            .name("i797-writer".to_string())
            .spawn_scoped(scope, move || -> io::Result<Summary> {
                let mut writer = OrderedWriter::new(sink, first_index, |rows| {
                    linking.file_written(rows);
                });
                let mut summary = Summary::default();
                for (index, file) in receiver {
                    summary.count_file(&file.rows, file.pages);
                    summary.files_from_store += usize::from(file.from_store);
                    writer.accept(index, file.rows)?;
                    progress.file_done();
                }
                // The workbook and the database hold the case view of the rows they hold.
                let mut sink = writer.into_inner();
                if sink.holds_cases()
                    && let Some(cases) = linking.cases()
                {
                    sink.write_cases(&cases)?;
                }
                sink.finish()?;
                Ok(summary)
            })
            .context("cannot start the output writer")?;
        inputs
            .par_iter()
            .enumerate()
            .for_each_with(sender, |sender, (offset, input)| {
                let index = first_index + offset;
                if control.interrupted.load(Ordering::SeqCst) {
                    return;
                }
                if let Some(journal) = control.journal {
                    journal.started(index, &input.display);
                }
                let started = std::time::Instant::now();
                let result = read_file_isolated(input, readers, &control);
                if let Some(journal) = control.journal {
                    journal.finished(index);
                }
                log_file_read(&input.display, &result, started.elapsed());
                // A file Ctrl-C cut short is not written: `--resume` reads it again whole.
                if control.interrupted.load(Ordering::SeqCst) {
                    return;
                }
                // The writer stops early only on an output error, which `join` reports below.
                let _ = sender.send((index, result));
            });
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("output writer stopped unexpectedly"))?
            .context("cannot write output")
    })
}

/// `-v`: what a file took and how it was read; `-vv`: its rows by status. Counts and the shown
/// path only, never what the pages say.
fn log_file_read(shown: &str, result: &FileResult, took: std::time::Duration) {
    if !log::log_enabled!(log::Level::Info) {
        return;
    }
    let mut sources: Vec<&str> = Vec::new();
    for row in &result.rows {
        let source = match row.text_source.as_str() {
            "pdf_text" => "the PDF's text",
            "ocr" => "OCR",
            _ => continue,
        };
        if !sources.contains(&source) {
            sources.push(source);
        }
    }
    let how = if sources.is_empty() {
        let status = result.rows.first().map_or("", |row| row.status.as_str());
        format!("no number read ({status})")
    } else {
        format!("read from {}", sources.join(" and "))
    };
    log::info!(
        "{shown}: {} page(s) in {:.2} s, {how}",
        result.pages,
        took.as_secs_f64()
    );
    let count = |status: &str| result.rows.iter().filter(|r| r.status == status).count();
    log::debug!(
        "{shown}: {} row(s): {} ok ({} to review), {} no_notice, {} error, {} skipped",
        result.rows.len(),
        count("ok"),
        result
            .rows
            .iter()
            .filter(|r| r.needs_review == "true")
            .count(),
        count("no_notice"),
        count("error"),
        count("skipped")
    );
}

/// Reads one file into its rows, or takes them from the store when it holds this file's bytes;
/// a panic anywhere inside becomes that file's error row.
pub fn read_file_isolated(
    input: &Input,
    readers: &Readers<impl RecognizerSource>,
    control: &ScanControl<'_>,
) -> FileResult {
    catch_unwind(AssertUnwindSafe(|| read_file(input, readers, control))).unwrap_or_else(|_| {
        let reading = Reading::crashed(input);
        FileResult {
            pages: 0,
            rows: reading.rows(),
            from_store: false,
        }
    })
}

fn read_file(
    input: &Input,
    readers: &Readers<impl RecognizerSource>,
    control: &ScanControl<'_>,
) -> FileResult {
    let (reading, kind, bytes) = match open_input(input) {
        Ok(opened) => opened,
        // Unreadable, or not a type we read: told at once, and never stored (the row can
        // depend on the path: a name that promises a PDF).
        Err(reading) => {
            return FileResult {
                pages: 0,
                rows: reading.rows(),
                from_store: false,
            };
        }
    };
    let sha256 = reading.facts.sha256.clone();
    if let Some(stored) = control.store.and_then(|store| store.get(&sha256)) {
        return FileResult {
            pages: stored.pages,
            rows: rows_at(stored.rows, input),
            from_store: true,
        };
    }
    let reading = read_pages(reading, kind, bytes, readers, control);
    let mut rows = reading.rows_as_read();
    if let Some(store) = control.store
        && reading.is_final()
    {
        for row in &mut rows {
            row.file.clear();
        }
        let stored = StoredFile {
            pages: reading.page_count(),
            rows,
        };
        store.put(&sha256, &stored);
        rows = stored.rows;
    }
    FileResult {
        pages: reading.page_count(),
        rows: rows_at(rows, input),
        from_store: false,
    }
}

/// A file's rows as read (or as stored) placed at `input`'s path: its shown path in `file`, and
/// the note on a name that had to be escaped. Fresh rows and stored rows both go through here,
/// so that they are written alike.
fn rows_at(mut rows: Vec<Record>, input: &Input) -> Vec<Record> {
    for row in &mut rows {
        row.file.clone_from(&input.display);
    }
    if name_is_escaped(&input.path) {
        note_escaped_name(&mut rows);
    }
    rows
}

/// Says on every row that the file's name had to be escaped to be shown.
fn note_escaped_name(rows: &mut [Record]) {
    let note = "file name is not valid UTF-8 or has control characters; those bytes are shown \
                as \\xNN";
    for row in rows {
        row.message = match row.message.as_str() {
            "" => note.to_string(),
            message => format!("{note}; {message}"),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use i797_core::TextSource;
    use i797_read::ocr::fake::{FakeOcr, FakePage, FakeSecond};

    fn reading(pages: Vec<PageReading>, partial: Option<&str>) -> Reading {
        Reading {
            facts: FileFacts {
                file: "cut.pdf".into(),
                sha256: String::new(),
            },
            name_escaped: false,
            partial: partial.map(str::to_string),
            outcome: Ok(pages),
        }
    }

    fn page(text: &str) -> PageReading {
        let text = PageText {
            text: text.into(),
            source: TextSource::PdfText,
            char_confidence: None,
        };
        read_text(text)
    }

    #[test]
    fn a_partly_read_file_says_so_after_what_was_found_and_is_never_no_notice() {
        let rows = reading(vec![page("Receipt Number EAC2190012345")], Some("cut off")).rows();
        let statuses: Vec<_> = rows
            .iter()
            .map(|r| (r.status.as_str(), &*r.message))
            .collect();
        assert_eq!(statuses, [("ok", ""), ("error", "cut off")]);
        assert_eq!(rows[1].page, "");

        let rows = reading(vec![page("Dear applicant,")], Some("cut off")).rows();
        let statuses: Vec<_> = rows.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses, ["error"]);
        let rows = reading(vec![page("Dear applicant,")], None).rows();
        assert_eq!(rows[0].status, "no_notice");
    }

    #[test]
    fn a_card_page_is_a_no_notice_row_naming_it_beside_the_notice_rows() {
        let card = "UNITED STATES OF AMERICA\nEMPLOYMENT AUTHORIZATION CARD\nSurname DOE\n\
                    Given Name JANE\nUSCIS# 123-456-789   Category C09\nCard# IOE0912345678\n\
                    Card Expires 01/14/2029\n";
        let rows = reading(vec![page("Receipt Number EAC2190012345"), page(card)], None).rows();
        let summary: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.page.as_str(),
                    r.status.as_str(),
                    r.receipt_number.as_str(),
                    r.number_kind.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("1", "ok", "EAC2190012345", "uscis_receipt"),
                ("2", "no_notice", "IOE0912345678", "card_number"),
            ]
        );
        assert!(rows[1].message.contains("EAD card"), "{}", rows[1].message);
        // The card alone: its row, and no file-level `no_notice` row besides.
        let rows = reading(vec![page(card)], None).rows();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].number_kind, "card_number");
    }

    #[test]
    fn only_rows_the_bytes_alone_decide_are_final_for_the_store() {
        let read = || page("Receipt Number EAC2190012345");
        let failed = |why: &str| PageReading::Failed(why.to_string());
        let with_sha = |mut reading: Reading| {
            reading.facts.sha256 = "ab".into();
            reading
        };
        assert!(with_sha(reading(vec![read(), read()], None)).is_final());
        assert!(with_sha(reading(vec![read()], Some("cut off"))).is_final());
        // A page that ran out of time, was interrupted or failed in an engine may read next time.
        for why in [
            "not read: the file's earlier pages used up its time limit",
            "engine",
        ] {
            assert!(!with_sha(reading(vec![read(), failed(why)], None)).is_final());
        }
        let mut damaged = with_sha(reading(Vec::new(), None));
        damaged.outcome = Err(FileProblem::Error("not a PDF: damaged".into()));
        assert!(damaged.is_final());
        // A crash, and a file whose bytes were never read, are not.
        let crashed = Reading::crashed(&Input::file("x.pdf".into()));
        assert!(!crashed.is_final());
        damaged.outcome = Err(FileProblem::Skipped("a text file".into()));
        assert!(!damaged.is_final());
    }

    /// One scanned page whose picture is `picture` (the fake recogniser's key).
    struct OnePicture(&'static [u8]);

    impl source::Document for OnePicture {
        fn page_count(&self) -> usize {
            1
        }
        fn page(&self, _: usize) -> Result<PageContent, source::SourceError> {
            Ok(PageContent::Image(source::PageImage::from_file_bytes(
                self.0,
                0,
                Some(300),
            )))
        }
    }

    fn readers(first: FakeOcr) -> Readers<FakeOcr> {
        Readers {
            first,
            second: Some(Box::new(FakeSecond::default())),
        }
    }

    /// A notice's front page with `number` in its Receipt Number box.
    fn front_with(number: &str) -> String {
        format!(
            "Department of Homeland Security\n\
             U.S. Citizenship and Immigration Services        Form I-797C, Notice of Action\n\
             Receipt Number             Case Type   I485\n\
             {number}              Notice Date 03/04/2024\n"
        )
    }

    fn assert_is_for_a_person(row: &Record, says: &str) {
        assert_eq!(
            (
                row.page.as_str(),
                row.status.as_str(),
                row.needs_review.as_str(),
                row.receipt_number.as_str()
            ),
            ("1", "error", "true", "")
        );
        assert!(row.message.contains(says), "{}", row.message);
    }

    #[test]
    fn a_notice_page_without_a_readable_number_is_an_error_row_for_a_person() {
        let ocr = FakeOcr::new().page(
            b"scan".to_vec(),
            FakePage::new(&front_with("SREI 612262152"), "", 90),
        );
        let page = read_page(&OnePicture(b"scan"), 0, &readers(ocr));
        let rows = reading(vec![page], None).rows();
        assert_eq!(rows.len(), 1);
        assert_is_for_a_person(&rows[0], "looks like a USCIS notice");
        // A back page, or any other page without a number, still makes a `no_notice` file.
        let ocr = FakeOcr::new().page(
            b"back".to_vec(),
            FakePage::new("Please keep this notice for your records.", "", 90),
        );
        let rows = reading(
            vec![read_page(&OnePicture(b"back"), 0, &readers(ocr))],
            None,
        )
        .rows();
        assert_eq!(rows[0].status, "no_notice");
    }

    #[test]
    fn a_file_gone_before_it_is_read_is_an_error_row_saying_so() {
        let dir = tempfile::tempdir().unwrap();
        let input = Input::file(dir.path().join("vanished.pdf"));
        let interrupted = AtomicBool::new(false);
        let control = ScanControl {
            limits: ReadLimits::default(),
            journal: None,
            interrupted: &interrupted,
            store: None,
        };
        let result = read_file_isolated(&input, &readers(FakeOcr::default()), &control);
        assert_eq!(result.rows.len(), 1);
        assert_eq!(result.rows[0].status, "error");
        assert_eq!(
            result.rows[0].message,
            "file disappeared before it could be read"
        );
    }
}
