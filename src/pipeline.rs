//! The scan pipeline: files (and the pages of large files) are read in parallel on the worker
//! threads; each file becomes its rows; one writer thread puts them back in input order.
//!
//! Invariant: every input becomes at least one row, and nothing a file does (an error, a panic
//! inside a decoder) reaches past that file's own rows.

use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc;

use anyhow::Context;
use rayon::prelude::*;

use crate::discover::{Input, name_is_not_utf8};
use crate::extract::{Notice, PageText, extract_notices};
use crate::ocr::RecognizerSource;
use crate::output::{OrderedWriter, RowFormat};
use crate::progress::{Progress, Summary};
use crate::record::{FileFacts, Record};
use crate::sniff::{FileKind, SNIFF_LEN, sniff};
use crate::source::{self, PageContent};

/// The process exit code, as documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Every file was read.
    Success = 0,
    /// Some files (or pages) could not be read; the output still lists every file.
    SomeFilesFailed = 1,
    /// The run could not proceed: bad arguments, output not writable, no OCR language data.
    Fatal = 2,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status as u8)
    }
}

/// One file's rows, and how many pages it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileResult {
    pub rows: Vec<Record>,
    pub pages: usize,
}

/// Reads every input and writes its rows to `sink` in input order, as file indexes
/// `first_index..`. Runs on the current rayon pool.
pub fn scan_inputs(
    inputs: &[Input],
    first_index: usize,
    recognizers: &impl RecognizerSource,
    format: Box<dyn RowFormat>,
    sink: Box<dyn Write + Send>,
    progress: &Progress,
) -> anyhow::Result<Summary> {
    let (sender, receiver) = mpsc::channel::<(usize, FileResult)>();
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> io::Result<Summary> {
            let mut writer = OrderedWriter::new(sink, first_index);
            let mut summary = Summary::default();
            for (index, file) in receiver {
                summary.count_file(&file.rows, file.pages);
                writer.accept(index, format.rows(&file.rows)?)?;
                progress.file_done();
            }
            writer.into_inner().flush()?;
            Ok(summary)
        });
        inputs
            .par_iter()
            .enumerate()
            .for_each_with(sender, |sender, (offset, input)| {
                let result = read_file_isolated(input, recognizers);
                // The writer stops early only on an output error, which `join` reports below.
                let _ = sender.send((first_index + offset, result));
            });
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("output writer stopped unexpectedly"))?
            .context("cannot write output")
    })
}

/// Reads one file into its rows; a panic anywhere inside becomes that file's error row.
pub fn read_file_isolated(input: &Input, recognizers: &impl RecognizerSource) -> FileResult {
    catch_unwind(AssertUnwindSafe(|| read_file(input, recognizers))).unwrap_or_else(|_| {
        let facts = FileFacts {
            file: input.display.clone(),
            sha256: String::new(),
        };
        let message = "internal error while reading this file (a decoder crashed); \
                       the rest of the batch was not affected";
        FileResult {
            rows: vec![Record::error(&facts, message)],
            pages: 0,
        }
    })
}

fn read_file(input: &Input, recognizers: &impl RecognizerSource) -> FileResult {
    let mut facts = FileFacts {
        file: input.display.clone(),
        sha256: String::new(),
    };
    let note = NameNote::for_input(input);
    let one_row = |row: Record| FileResult {
        rows: vec![note.apply(row)],
        pages: 0,
    };
    if let Some(reason) = &input.walk_error {
        return one_row(Record::error(&facts, reason.clone()));
    }
    let bytes: Arc<[u8]> = match std::fs::read(&input.path) {
        Ok(bytes) => bytes.into(),
        Err(error) => return one_row(Record::error(&facts, read_error(&error))),
    };
    facts.sha256 = FileFacts::sha256_of(&bytes);
    let kind = sniff(&bytes[..bytes.len().min(SNIFF_LEN)]);
    if !kind.is_readable() {
        return one_row(not_readable_row(&facts, &input.path, kind));
    }
    let document = match source::open(kind, bytes) {
        Ok(document) => document,
        Err(error) => return one_row(Record::error(&facts, error.to_string())),
    };
    let page_count = document.page_count();
    let pages: Vec<PageOutcome> = (0..page_count)
        .into_par_iter()
        .map(|index| read_page(document.as_ref(), index, recognizers))
        .collect();

    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for (index, page) in pages.into_iter().enumerate() {
        match page {
            PageOutcome::Read { notices, text } => rows.extend(
                notices
                    .iter()
                    .map(|notice| Record::found(&facts, index + 1, notice, text.source)),
            ),
            PageOutcome::Failed(reason) => {
                let mut row = Record::error(
                    &facts,
                    format!("page {} could not be read: {reason}", index + 1),
                );
                row.page = (index + 1).to_string();
                failures.push(row);
            }
        }
    }
    rows.extend(failures);
    if rows.is_empty() {
        let pages = if page_count == 1 {
            "1 page".to_string()
        } else {
            format!("{page_count} pages")
        };
        rows.push(Record::no_notice(
            &facts,
            format!("{pages} read; no receipt or NVC case number found"),
        ));
    }
    FileResult {
        rows: rows.into_iter().map(|row| note.apply(row)).collect(),
        pages: page_count,
    }
}

/// The note every row of a file carries when its name is not valid UTF-8.
struct NameNote(bool);

impl NameNote {
    fn for_input(input: &Input) -> NameNote {
        NameNote(name_is_not_utf8(&input.path))
    }

    fn apply(&self, mut row: Record) -> Record {
        if self.0 {
            let note = "file name is not valid UTF-8; its undecodable bytes are shown as \\xNN";
            row.message = if row.message.is_empty() {
                note.to_string()
            } else {
                format!("{note}; {}", row.message)
            };
        }
        row
    }
}

enum PageOutcome {
    Read {
        notices: Vec<Notice>,
        text: PageText,
    },
    Failed(String),
}

fn read_page(
    document: &dyn source::Document,
    index: usize,
    recognizers: &impl RecognizerSource,
) -> PageOutcome {
    let content = match document.page(index) {
        Ok(content) => content,
        Err(error) => return PageOutcome::Failed(error.to_string()),
    };
    let text = match content {
        PageContent::Text(text) => text,
        PageContent::Blank => {
            return PageOutcome::Read {
                notices: Vec::new(),
                text: PageText::from_pdf_text(""),
            };
        }
        PageContent::Image(image) => {
            match recognizers.with_recognizer(|ocr| ocr.read(&image, &header_is_complete)) {
                Ok(Ok(page)) => page.text,
                Ok(Err(error)) | Err(error) => return PageOutcome::Failed(error.to_string()),
            }
        }
    };
    PageOutcome::Read {
        notices: extract_notices(&text),
        text,
    }
}

/// Is the part of a page read so far enough to stop OCR? Yes once a notice's number and the
/// fields of its header grid are there; prose and the rest of the page add nothing to the row.
fn header_is_complete(text: &PageText) -> bool {
    extract_notices(text).iter().any(|notice| {
        notice.form.is_some() && notice.notice_type.is_some() && notice.notice_date.is_some()
    })
}

fn not_readable_row(facts: &FileFacts, path: &std::path::Path, kind: FileKind) -> Record {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let claimed = match extension.as_deref() {
        Some("pdf") => Some("a PDF"),
        Some("jpg" | "jpeg") => Some("a JPEG image"),
        Some("png") => Some("a PNG image"),
        Some("tif" | "tiff") => Some("a TIFF image"),
        _ => None,
    };
    match claimed {
        // The name promises a notice format but the content is something else: a problem with
        // the file to tell the user about, not a file to pass over.
        Some(claimed) => Record::error(
            facts,
            format!("not {claimed} although named so: it is {kind}"),
        ),
        None => Record::skipped(facts, format!("not a notice file type: it is {kind}")),
    }
}

fn read_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "file disappeared before it could be read".to_string(),
        io::ErrorKind::PermissionDenied => {
            "permission denied: the file cannot be opened".to_string()
        }
        _ => format!("file could not be read: {error}"),
    }
}
