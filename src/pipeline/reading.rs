//! One file read into its rows: opened, each page read (text layer, or a picture through the
//! reading policy), each page's text decoded by the core, and the rows a file gives whatever
//! happens to it (an error, a time limit, a panic in a decoder). No threads and no output here.

use super::*;

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
    pub(super) fn crashed(input: &Input) -> Reading {
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
    pub(super) fn rows_as_read(&self) -> Vec<Record> {
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

pub(super) fn read_document(
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
pub(super) fn open_input(input: &Input) -> Result<(Reading, FileKind, Arc<[u8]>), Reading> {
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
pub(super) fn read_pages(
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

pub(super) fn read_page(
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

pub(super) fn read_text(text: PageText) -> PageReading {
    let notices = extract_notices(&text);
    PageReading::Read {
        unread_front: notices.is_empty() && looks_like_notice_front(&text),
        notices,
        text,
        turned: 0,
    }
}

pub(super) fn not_readable(path: &std::path::Path, kind: FileKind) -> FileProblem {
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
pub(super) fn thread_cpu_time() -> Duration {
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
