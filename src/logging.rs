//! Diagnostics on stderr, through the `log` crate: one logger for the whole process, its level set
//! by `-q` (errors only), the default (warnings, notes and the summary), `-v` (what each file took
//! and how it was read) and `-vv` (details for debugging). While the progress bar is on screen a
//! line is printed with the bar taken off and drawn again after it, so the two never share a line.
//!
//! Must not log what a page says: no page text, names, numbers or dates read from a notice. A
//! file's shown path (escaped for the terminal), counts, timings and settings are all it logs.
//! stdout is for data only: nothing here writes to it.

use std::io::Write;
use std::sync::Mutex;

use indicatif::ProgressBar;
use log::{Level, LevelFilter, Log, Metadata, Record};

/// Target of a note: something the user should know that is not wrong (`i797: note: …`).
pub const NOTE: &str = "note";
/// Target of the end-of-run summary, printed as it is, at the default level.
pub const SUMMARY: &str = "summary";

/// The process's logger.
static LOGGER: Logger = Logger {
    bar: Mutex::new(None),
};

#[derive(Debug)]
struct Logger {
    /// The progress bar on screen, if any: taken off while a line is printed.
    bar: Mutex<Option<ProgressBar>>,
}

/// Installs the logger at the default level (warnings); call once, first thing in `main`, so
/// that even a panic while parsing is reported through it.
pub fn init() {
    // Only fails when a logger is already set (a second call): nothing to do then.
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(LevelFilter::Warn);
}

/// The level `-q` / `-v` / `-vv` ask for.
pub fn level_for(quiet: bool, verbose: u8) -> LevelFilter {
    match (quiet, verbose) {
        (true, _) => LevelFilter::Error,
        (false, 0) => LevelFilter::Warn,
        (false, 1) => LevelFilter::Info,
        (false, 2) => LevelFilter::Debug,
        (false, _) => LevelFilter::Trace,
    }
}

/// Sets the level (see [`level_for`]).
pub fn set_level(level: LevelFilter) {
    log::set_max_level(level);
}

/// Prints lines above `bar` while it is on screen (`None`: the bar is gone).
pub fn show_above(bar: Option<ProgressBar>) {
    if let Ok(mut slot) = LOGGER.bar.lock() {
        *slot = bar;
    }
}

/// One record as its line on stderr.
fn line(level: Level, target: &str, message: &str) -> String {
    match (level, target) {
        (_, SUMMARY) => message.to_string(),
        (_, NOTE) => format!("i797: note: {message}"),
        (Level::Error, _) => format!("i797: error: {message}"),
        (Level::Warn, _) => format!("i797: warning: {message}"),
        (Level::Info, _) => format!("i797: {message}"),
        (Level::Debug | Level::Trace, _) => format!("i797: debug: {message}"),
    }
}

impl Log for Logger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        // Records from other crates' `log` calls are theirs to debug, not the user's.
        let ours =
            [NOTE, SUMMARY].contains(&record.target()) || record.target().starts_with("i797");
        if !ours && record.level() > Level::Warn {
            return;
        }
        let text = line(record.level(), record.target(), &record.args().to_string());
        let print = || {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        };
        match self.bar.lock().ok().and_then(|bar| bar.clone()) {
            Some(bar) if !bar.is_hidden() => bar.suspend(print),
            _ => print(),
        }
    }

    fn flush(&self) {
        let _ = std::io::stderr().flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_is_errors_only_and_each_v_shows_more() {
        assert_eq!(level_for(true, 0), LevelFilter::Error);
        assert_eq!(level_for(true, 2), LevelFilter::Error);
        assert_eq!(level_for(false, 0), LevelFilter::Warn);
        assert_eq!(level_for(false, 1), LevelFilter::Info);
        assert_eq!(level_for(false, 2), LevelFilter::Debug);
    }

    #[test]
    fn each_kind_of_record_has_its_prefix() {
        assert_eq!(line(Level::Warn, NOTE, "x"), "i797: note: x");
        assert_eq!(line(Level::Warn, SUMMARY, "i797: 3 files"), "i797: 3 files");
        assert_eq!(line(Level::Warn, "i797::run", "x"), "i797: warning: x");
        assert_eq!(line(Level::Error, "i797::run", "x"), "i797: error: x");
        assert_eq!(line(Level::Info, "i797::pipeline", "x"), "i797: x");
        assert_eq!(line(Level::Debug, "i797::pipeline", "x"), "i797: debug: x");
    }
}
