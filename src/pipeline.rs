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

/// The process exit code, as documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Every file was read.
    Success = 0,
    /// Some files (or pages) could not be read; the output still lists every file.
    SomeFilesFailed = 1,
    /// The run could not proceed: bad arguments, output not writable, no OCR language data.
    Fatal = 2,
    /// Stopped by Ctrl-C (128 + SIGINT, as shells report it); the output holds whole files.
    Interrupted = 130,
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
    /// The rows came from the store: the file was not read again.
    pub from_store: bool,
}

/// Limits on the work one file may cause, so that no file can hold a batch up for ever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// CPU time the reading of one file's pages may take; pages not started by then get an
    /// `error` row that says so.
    pub cpu_per_file: Duration,
}

impl Default for ReadLimits {
    /// Twenty minutes of CPU: a 1000-page scanned stack needs about a third of that.
    fn default() -> Self {
        ReadLimits {
            cpu_per_file: Duration::from_secs(1200),
        }
    }
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

/// Reads one file's pages; a panic anywhere inside becomes a file-level error.
pub fn read_document_isolated(
    input: &Input,
    readers: &Readers<impl RecognizerSource>,
    control: &ScanControl<'_>,
) -> Reading {
    catch_unwind(AssertUnwindSafe(|| read_document(input, readers, control)))
        .unwrap_or_else(|_| Reading::crashed(input))
}

/// What reading one file gave: its pages, or why it has none.
#[derive(Debug)]
pub struct Reading {
    pub facts: FileFacts,
    /// The name is not valid UTF-8 or has control characters: `facts.file` shows it escaped,
    /// and every row says so.
    pub name_escaped: bool,
    /// Set when only part of the file could be read (it is cut off): why, in an `error` row of
    /// its own after the rows of what was read, so that a lost page is never silently missing.
    pub partial: Option<String>,
    pub outcome: Result<Vec<PageReading>, FileProblem>,
}

/// Why a file gives no pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// It could not be read (the reason in plain words).
    Error(String),
    /// It is not a type of file the tool reads (what it is).
    Skipped(String),
}

/// One page, read or not.
#[derive(Debug)]
pub enum PageReading {
    Read {
        notices: Vec<Notice>,
        /// No number was read, but the page shows a notice's front (or, read badly, may be
        /// one): it goes to a person, never passes for a page without a notice.
        unread_front: bool,
        text: PageText,
        /// Quarter turns OCR applied to read the page upright (0 for a text layer).
        turned: u8,
    },
    Failed(String),
}

impl Reading {
    /// A file whose reading panicked.
    fn crashed(input: &Input) -> Reading {
        Reading {
            facts: FileFacts {
                file: input.display.clone(),
                sha256: String::new(),
            },
            name_escaped: name_is_escaped(&input.path),
            partial: None,
            outcome: Err(FileProblem::Error(
                "internal error while reading this file (a decoder crashed); \
                 the rest of the batch was not affected"
                    .to_string(),
            )),
        }
    }

    pub fn page_count(&self) -> usize {
        self.outcome.as_ref().map_or(0, Vec::len)
    }

    /// Would reading the same bytes again give the same rows? Not when a page failed: its
    /// reason may pass (the time limit, Ctrl-C, an engine that could not start, a decoder that
    /// crashed). A file that cannot be opened as its type (damaged, encrypted) or is cut off is
    /// final: its bytes decide that.
    pub fn is_final(&self) -> bool {
        match &self.outcome {
            Ok(pages) => pages
                .iter()
                .all(|page| matches!(page, PageReading::Read { .. })),
            Err(FileProblem::Error(_)) => !self.facts.sha256.is_empty(),
            Err(FileProblem::Skipped(_)) => false,
        }
    }

    /// The file's rows, as the output contract says.
    pub fn rows(&self) -> Vec<Record> {
        let mut rows = self.rows_as_read();
        if self.name_escaped {
            note_escaped_name(&mut rows);
        }
        rows
    }

    /// The rows the file's bytes give, before the note on an escaped name.
    fn rows_as_read(&self) -> Vec<Record> {
        let facts = &self.facts;
        let mut rows = Vec::new();
        match &self.outcome {
            Err(FileProblem::Error(reason)) => rows.push(Record::error(facts, reason.clone())),
            Err(FileProblem::Skipped(what)) => rows.push(Record::skipped(facts, what.clone())),
            Ok(pages) => {
                let mut failures = Vec::new();
                for (index, page) in pages.iter().enumerate() {
                    match page {
                        PageReading::Read {
                            notices,
                            text,
                            unread_front,
                            ..
                        } => {
                            rows.extend(
                                notices
                                    .iter()
                                    .map(|n| Record::found(facts, index + 1, n, text.source)),
                            );
                            // A notice's front page whose number could not be read must not
                            // pass for a page without a notice: it goes to a person.
                            if *unread_front {
                                failures.push(Record::number_unread(facts, index + 1, text.source));
                            } else if notices.is_empty()
                                && let Some(document) = other_document(text)
                            {
                                // A card, a visa foil, a handout: named for what it is.
                                rows.push(Record::other_document(
                                    facts,
                                    index + 1,
                                    &document,
                                    text.source,
                                ));
                            }
                        }
                        PageReading::Failed(reason) => {
                            let message = format!("page {} could not be read: {reason}", index + 1);
                            let mut row = Record::error(facts, message);
                            row.page = (index + 1).to_string();
                            failures.push(row);
                        }
                    }
                }
                rows.extend(failures);
                if let Some(reason) = &self.partial {
                    rows.push(Record::error(facts, reason.clone()));
                }
                if rows.is_empty() {
                    let pages = match pages.len() {
                        1 => "1 page".to_string(),
                        n => format!("{n} pages"),
                    };
                    let message = format!("{pages} read; no receipt or NVC case number found");
                    rows.push(Record::no_notice(facts, message));
                }
            }
        }
        rows
    }
}

fn read_document(
    input: &Input,
    readers: &Readers<impl RecognizerSource>,
    control: &ScanControl<'_>,
) -> Reading {
    match open_input(input) {
        Ok((reading, kind, bytes)) => read_pages(reading, kind, bytes, readers, control),
        Err(reading) => reading,
    }
}

/// Reads the file's bytes, hashes and sniffs them: what it takes to know whether the store has
/// its rows. `Err` holds the finished reading of a file that is not read further.
fn open_input(input: &Input) -> Result<(Reading, FileKind, Arc<[u8]>), Reading> {
    let mut reading = Reading {
        facts: FileFacts {
            file: input.display.clone(),
            sha256: String::new(),
        },
        name_escaped: name_is_escaped(&input.path),
        partial: None,
        outcome: Ok(Vec::new()),
    };
    let bytes = match readable_bytes(input) {
        Ok(bytes) => bytes,
        Err(problem) => {
            reading.outcome = Err(problem);
            return Err(reading);
        }
    };
    reading.facts.sha256 = FileFacts::sha256_of(&bytes);
    let kind = sniff(&bytes[..bytes.len().min(SNIFF_LEN)]);
    if !kind.is_readable() {
        reading.outcome = Err(not_readable(&input.path, kind));
        return Err(reading);
    }
    Ok((reading, kind, bytes))
}

/// Opens the file as its kind and reads its pages.
fn read_pages(
    mut reading: Reading,
    kind: FileKind,
    bytes: Arc<[u8]>,
    readers: &Readers<impl RecognizerSource>,
    control: &ScanControl<'_>,
) -> Reading {
    let document = match source::open(kind, bytes) {
        Ok(document) => document,
        Err(error) => {
            reading.outcome = Err(FileProblem::Error(error.to_string()));
            return reading;
        }
    };
    let cpu_spent = AtomicU64::new(0);
    let limit = control.limits.cpu_per_file;
    let pages_read: Vec<PageReading> = (0..document.page_count())
        .into_par_iter()
        .map(|index| {
            if control.interrupted.load(Ordering::SeqCst) {
                return PageReading::Failed("not read: the run was interrupted".to_string());
            }
            if Duration::from_nanos(cpu_spent.load(Ordering::SeqCst)) >= limit {
                return PageReading::Failed(format!(
                    "not read: the file's earlier pages used up its time limit ({} s of CPU)",
                    limit.as_secs()
                ));
            }
            let started = thread_cpu_time();
            let page = read_page(document.as_ref(), index, readers);
            let spent = thread_cpu_time().saturating_sub(started);
            cpu_spent.fetch_add(spent.as_nanos() as u64, Ordering::SeqCst);
            page
        })
        .collect();
    let nothing_on_any_page = pages_read.iter().all(|page| match page {
        PageReading::Read { text, .. } => text.text.trim().is_empty(),
        PageReading::Failed(_) => false,
    });
    reading.outcome = match document.damage() {
        // A repaired file with nothing on its pages was not really recovered: say so rather
        // than report an empty document as read.
        Some(damage) if nothing_on_any_page => Err(FileProblem::Error(format!(
            "{damage}, and nothing could be read from its pages"
        ))),
        // Rows for what is left, and one that says the rest is lost: a cut-off notice must not
        // pass for a file without a number.
        Some(damage) if document.cut_off() => {
            reading.partial = Some(format!(
                "{damage}; only what is left of it was read, the rest is lost"
            ));
            Ok(pages_read)
        }
        _ => Ok(pages_read),
    };
    reading
}

fn read_page(
    document: &dyn source::Document,
    index: usize,
    readers: &Readers<impl RecognizerSource>,
) -> PageReading {
    let content = match document.page(index) {
        Ok(content) => content,
        Err(error) => return PageReading::Failed(error.to_string()),
    };
    let image = match content {
        PageContent::Text(text) => return read_text(text),
        PageContent::Blank => return read_text(PageText::from_pdf_text("")),
        PageContent::Image(image) => image,
    };
    match readers.read(&image) {
        Ok(read) => PageReading::Read {
            unread_front: read.notices.is_empty() && read.front_unread,
            notices: read.notices,
            text: read.page.text,
            turned: read.page.turned,
        },
        Err(error) => PageReading::Failed(error.to_string()),
    }
}

fn read_text(text: PageText) -> PageReading {
    let notices = extract_notices(&text);
    PageReading::Read {
        unread_front: notices.is_empty() && looks_like_notice_front(&text),
        notices,
        text,
        turned: 0,
    }
}

fn not_readable(path: &std::path::Path, kind: FileKind) -> FileProblem {
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
        Some(claimed) => {
            FileProblem::Error(format!("not {claimed} although named so: it is {kind}"))
        }
        None => FileProblem::Skipped(format!("not a notice file type: it is {kind}")),
    }
}

/// CPU time this thread has used (zero where the system cannot tell).
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `clock_gettime` writes one `timespec`, which `now` is.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(
        now.tv_sec.max(0) as u64,
        now.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

/// The bytes of a file the pipeline reads, or why it does not read it.
pub fn readable_bytes(input: &Input) -> Result<Arc<[u8]>, FileProblem> {
    if let Some(reason) = &input.walk_error {
        return Err(FileProblem::Error(reason.clone()));
    }
    if let Some(what) = input.not_a_file {
        return Err(FileProblem::Skipped(what.to_string()));
    }
    read_bounded(&input.path, MAX_FILE_BYTES)
}

/// Files are read whole into memory (a PDF's cross-references point anywhere in it). Notices,
/// even scanned stacks of hundreds of pages, are far smaller than this; a bigger file is refused
/// so that memory stays bounded by `--jobs` times this, plus one page per worker.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Reads the file at `path` whole, refusing it once more than `limit` bytes have come: the limit
/// counts bytes read, since a file's reported size can be wrong (`/proc` files report 0 and
/// never end; a file can grow while it is read). The reported size only sizes the buffer, so a
/// file of the size it claims is read into one allocation, with no copy.
fn read_bounded(path: &std::path::Path, limit: u64) -> Result<Arc<[u8]>, FileProblem> {
    let cannot_read = |error: io::Error| FileProblem::Error(read_error(&error));
    let too_large = |size: u64| {
        FileProblem::Error(format!(
            "file is too large to read safely (over {} MB; the limit is {} MB)",
            (size >> 20).max(limit >> 20),
            limit >> 20
        ))
    };
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    let claimed = file.metadata().map_err(cannot_read)?.len();
    if claimed > limit {
        return Err(too_large(claimed));
    }
    if claimed > 0 {
        let mut bytes: Arc<[u8]> = std::iter::repeat_n(0u8, claimed as usize).collect();
        if let Some(buffer) = Arc::get_mut(&mut bytes)
            && file.read_exact(buffer).is_ok()
        {
            let mut probe = [0u8; 1];
            if matches!(file.read(&mut probe), Ok(0)) {
                return Ok(bytes);
            }
        }
        // It is not the size it said: read it again, counting.
        drop(bytes);
        io::Seek::rewind(&mut file).map_err(cannot_read)?;
    }
    // In whole aligned chunks: some kernel files refuse reads of odd sizes.
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let got = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(got) => got,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(cannot_read(error)),
        };
        bytes.extend_from_slice(&chunk[..got]);
        if bytes.len() as u64 > limit {
            return Err(too_large(bytes.len() as u64));
        }
    }
    Ok(Arc::from(bytes))
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
