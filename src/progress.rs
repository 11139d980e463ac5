//! Progress on the terminal while a scan runs, and the summary at the end. Both go to stderr:
//! stdout carries data only. The bar appears only when stderr is a terminal, and not when the
//! rows themselves go to a terminal: both would be drawn on one screen, a row and the bar on one
//! line.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::exit_status::ExitStatus;
use crate::record::{Record, Status};

/// A progress bar over files, hidden when stderr is not a terminal or the user asked for quiet.
/// Clones share the one bar.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: ProgressBar,
}

/// Is a bar wanted at all? Not when asked to be quiet, and not when the rows are written to a
/// terminal: the bar (on stderr) and the rows (on stdout) would interleave on the one screen.
pub fn bar_allowed(quiet: bool, rows_to_terminal: bool) -> bool {
    !quiet && !rows_to_terminal
}

impl Progress {
    pub fn new(files: usize, wanted: bool) -> Progress {
        let bar = if wanted && std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(files as u64);
            if let Ok(style) = ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {pos}/{len} files ({per_sec}, {eta} left)",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            // Log lines are printed above it, never on its line.
            crate::logging::show_above(Some(bar.clone()));
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress { bar }
    }

    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
        }
    }

    pub fn file_done(&self) {
        self.bar.inc(1);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
        crate::logging::show_above(None);
    }

    /// Takes the bar off the screen (it comes back on the next update).
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }

    /// Prints a line to stderr above the bar, so the two never share a line.
    pub fn println(&self, line: &str) {
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.println(line);
        }
    }
}

/// Counts for the end-of-run summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub pages: usize,
    pub numbers: usize,
    pub needs_review: usize,
    pub rows_ok: usize,
    pub rows_no_notice: usize,
    pub rows_error: usize,
    pub rows_skipped: usize,
    /// Files with at least one `error` row (the file, or one of its pages, could not be read).
    pub files_with_errors: usize,
    /// Files whose rows were kept from an earlier, interrupted run.
    pub files_resumed: usize,
    /// Files whose rows came from the store (not read again).
    pub files_from_store: usize,
    /// The store was in use: the summary says how many files were read and how many not.
    pub store_used: bool,
}

impl Summary {
    /// Counts one file's rows; `pages` is how many pages it had (0 when unknown).
    pub fn count_file(&mut self, rows: &[Record], pages: usize) {
        self.files += 1;
        self.pages += pages;
        let mut errored = false;
        for row in rows {
            match row.status.as_str() {
                s if s == Status::Ok.as_str() => {
                    self.rows_ok += 1;
                    self.numbers += 1;
                    self.needs_review += usize::from(row.needs_review == "true");
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

    /// Adds another summary's counts to this one.
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.pages += other.pages;
        self.numbers += other.numbers;
        self.needs_review += other.needs_review;
        self.rows_ok += other.rows_ok;
        self.rows_no_notice += other.rows_no_notice;
        self.rows_error += other.rows_error;
        self.rows_skipped += other.rows_skipped;
        self.files_with_errors += other.files_with_errors;
        self.files_resumed += other.files_resumed;
        self.files_from_store += other.files_from_store;
        self.store_used |= other.store_used;
    }

    pub fn exit_status(&self) -> ExitStatus {
        if self.files_with_errors > 0 {
            ExitStatus::SomeFilesFailed
        } else {
            ExitStatus::Success
        }
    }

    pub fn render(&self, elapsed: Duration) -> String {
        let mut how = Vec::new();
        if self.files_resumed > 0 {
            how.push(format!(
                "{} kept from the interrupted run",
                self.files_resumed
            ));
        }
        if self.store_used {
            let read = (self.files).saturating_sub(self.files_resumed + self.files_from_store);
            how.push(format!(
                "{read} read, {} from the store",
                self.files_from_store
            ));
        }
        let resumed = match how.is_empty() {
            true => String::new(),
            false => format!(" ({})", how.join("; ")),
        };
        format!(
            "i797: {} files{resumed}, {} pages read, {} numbers found ({} to review); \
             rows: {} ok, {} no_notice, {} error, {} skipped; {:.1} s",
            self.files,
            self.pages,
            self.numbers,
            self.needs_review,
            self.rows_ok,
            self.rows_no_notice,
            self.rows_error,
            self.rows_skipped,
            elapsed.as_secs_f64()
        )
    }
}
