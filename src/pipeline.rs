//! The scan pipeline: discovered files are read in parallel (files, and the pages of large files,
//! spread over the worker threads); each file becomes its rows; one writer puts them in order.
//!
//! Invariant: every input becomes at least one row, and nothing a file does (an error, a panic
//! inside a decoder) reaches past that file's own rows.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::cli::{Cli, Command, ScanArgs};
use crate::discover::{Input, discover, name_is_not_utf8};
use crate::extract::{Notice, PageText, extract_notices};
use crate::ocr::RecognizerSource;
use crate::output::{OrderedWriter, format_for};
use crate::record::{FileFacts, Record, Status};
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

pub fn run_cli(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Scan(args) => scan(&args),
    }
}

fn scan(args: &ScanArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let sink: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout())),
    };
    let recognizers = crate::ocr::unavailable::NoOcr;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("cannot start worker threads")?;
    let inputs = discover(&args.paths);
    let summary = pool.install(|| scan_inputs(&inputs, &recognizers, args.format, sink))?;
    summary.print(started.elapsed());
    Ok(summary.exit_status())
}

/// Reads every input and writes its rows to `sink` in input order.
pub fn scan_inputs(
    inputs: &[Input],
    recognizers: &impl RecognizerSource,
    format: crate::cli::Format,
    mut sink: Box<dyn Write + Send>,
) -> anyhow::Result<Summary> {
    let format = format_for(format);
    sink.write_all(&format.header())
        .context("cannot write output")?;
    let (sender, receiver) = mpsc::channel::<(usize, Vec<Record>)>();
    let writer = std::thread::spawn(move || -> io::Result<Summary> {
        let mut writer = OrderedWriter::new(sink, 0);
        let mut summary = Summary::default();
        for (index, rows) in receiver {
            summary.count(&rows);
            writer.accept(index, format.rows(&rows)?)?;
        }
        writer.into_inner().flush()?;
        Ok(summary)
    });
    inputs
        .par_iter()
        .enumerate()
        .for_each_with(sender, |sender, (index, input)| {
            let rows = read_file_isolated(input, recognizers);
            // The writer only stops early on an output error, which is reported below.
            let _ = sender.send((index, rows));
        });
    let summary = writer
        .join()
        .map_err(|_| anyhow::anyhow!("output writer stopped unexpectedly"))?
        .context("cannot write output")?;
    Ok(summary)
}

/// Reads one file into its rows; a panic anywhere inside becomes that file's error row.
fn read_file_isolated(input: &Input, recognizers: &impl RecognizerSource) -> Vec<Record> {
    catch_unwind(AssertUnwindSafe(|| read_file(input, recognizers))).unwrap_or_else(|_| {
        let facts = FileFacts { file: input.display.clone(), sha256: String::new() };
        vec![Record::error(&facts, "internal error while reading this file (a decoder crashed); the rest of the batch was not affected")]
    })
}

fn read_file(input: &Input, recognizers: &impl RecognizerSource) -> Vec<Record> {
    let mut facts = FileFacts {
        file: input.display.clone(),
        sha256: String::new(),
    };
    let name_note = if name_is_not_utf8(&input.path) {
        "file name is not valid UTF-8; its undecodable bytes are shown as \\xNN. "
    } else {
        ""
    };
    if let Some(reason) = &input.walk_error {
        return vec![Record::error(&facts, format!("{name_note}{reason}"))];
    }
    let bytes: Arc<[u8]> = match std::fs::read(&input.path) {
        Ok(bytes) => bytes.into(),
        Err(error) => {
            return vec![Record::error(
                &facts,
                format!("{name_note}{}", read_error(&error)),
            )];
        }
    };
    facts.sha256 = hex_sha256(&bytes);
    let kind = sniff(&bytes[..bytes.len().min(SNIFF_LEN)]);
    if !kind.is_readable() {
        return vec![not_readable_row(&facts, &input.path, kind, name_note)];
    }
    let document = match source::open(kind, bytes) {
        Ok(document) => document,
        Err(error) => return vec![Record::error(&facts, format!("{name_note}{error}"))],
    };
    let pages: Vec<PageOutcome> = (0..document.page_count())
        .into_par_iter()
        .map(|index| read_page(document.as_ref(), index, recognizers))
        .collect();
    let mut rows = Vec::new();
    let mut failed_pages = Vec::new();
    for (index, page) in pages.into_iter().enumerate() {
        match page {
            PageOutcome::Read { notices, text } => {
                rows.extend(
                    notices
                        .iter()
                        .map(|n| Record::found(&facts, index + 1, n, text.source)),
                );
            }
            PageOutcome::Failed(reason) => failed_pages.push((index + 1, reason)),
        }
    }
    for (page, reason) in &failed_pages {
        let mut row = Record::error(
            &facts,
            format!("{name_note}page {page} could not be read: {reason}"),
        );
        row.page = page.to_string();
        rows.push(row);
    }
    if rows.is_empty() {
        let count = document.page_count();
        let pages = if count == 1 {
            "1 page".to_string()
        } else {
            format!("{count} pages")
        };
        rows.push(Record::no_notice(
            &facts,
            format!("{name_note}{pages} read; no receipt or NVC case number found"),
        ));
    } else if !name_note.is_empty() {
        for row in &mut rows {
            row.message = format!("{name_note}{}", row.message).trim_end().to_string();
        }
    }
    rows
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
            let enough = |text: &PageText| extract_notices(text).iter().any(|n| n.form.is_some());
            match recognizers.with_recognizer(|ocr| ocr.read(&image, &enough)) {
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

fn not_readable_row(
    facts: &FileFacts,
    path: &std::path::Path,
    kind: FileKind,
    name_note: &str,
) -> Record {
    let claimed = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .and_then(|ext| match ext.as_str() {
            "pdf" => Some("a PDF"),
            "jpg" | "jpeg" => Some("a JPEG image"),
            "png" => Some("a PNG image"),
            "tif" | "tiff" => Some("a TIFF image"),
            _ => None,
        });
    match claimed {
        // The name promises a notice format but the content is something else: that is a problem
        // with the file, not a file to ignore.
        Some(claimed) => Record::error(
            facts,
            format!("{name_note}not {claimed} although named so: it is {kind}"),
        ),
        None => Record::skipped(
            facts,
            format!("{name_note}not a notice file type: it is {kind}"),
        ),
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

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Counts for the end-of-run summary on stderr.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub numbers: usize,
    pub rows_ok: usize,
    pub rows_no_notice: usize,
    pub rows_error: usize,
    pub rows_skipped: usize,
    pub files_with_errors: usize,
}

impl Summary {
    fn count(&mut self, rows: &[Record]) {
        self.files += 1;
        let mut errored = false;
        for row in rows {
            match row.status.as_str() {
                s if s == Status::Ok.as_str() => {
                    self.rows_ok += 1;
                    self.numbers += 1;
                }
                s if s == Status::NoNotice.as_str() => self.rows_no_notice += 1,
                s if s == Status::Error.as_str() => {
                    self.rows_error += 1;
                    errored = true;
                }
                _ => self.rows_skipped += 1,
            }
        }
        self.files_with_errors += usize::from(errored);
    }

    fn exit_status(&self) -> ExitStatus {
        if self.files_with_errors > 0 {
            ExitStatus::SomeFilesFailed
        } else {
            ExitStatus::Success
        }
    }

    fn print(&self, elapsed: std::time::Duration) {
        eprintln!(
            "i797: {} files, {} numbers found; rows: {} ok, {} no_notice, {} error, {} skipped; {:.1} s",
            self.files,
            self.numbers,
            self.rows_ok,
            self.rows_no_notice,
            self.rows_error,
            self.rows_skipped,
            elapsed.as_secs_f64()
        );
    }
}
