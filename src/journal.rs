//! The run journal beside `--output` (`OUT.i797-journal`): which files a run started and
//! finished, and which one it was reading when the process crashed. `--resume` reads it, so that
//! a file that brought the process down (a crash in a C library, memory exhausted, a kill by the
//! system) is skipped with a row the next time instead of bringing it down again, and again.
//!
//! Invariant: the journal holds shown paths and counters only (no page text, no numbers); it is
//! appended to line by line (whole lines, `O_APPEND`), so a kill at any moment leaves it
//! readable; a run that completes removes it.
//!
//! Lines: `run` opens each run's section; `started\tINDEX\tFILE` and `finished\tINDEX` frame one
//! file's reading; `crashed\tINDEX` is written by the crash handler of the thread reading file
//! INDEX (the handler can only write bytes it already has, hence the index).

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};

/// How many interrupted runs in a row may have been reading a file before `--resume` stops
/// trying it: once may be a power cut or a `kill -9` from the user, twice is the file.
pub const INTERRUPTIONS_BEFORE_SKIP: usize = 2;

/// The journal's path for an output file.
pub fn path_for(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".i797-journal");
    PathBuf::from(name)
}

/// An open journal that workers write to as they start and finish files.
#[derive(Debug)]
pub struct Journal {
    file: Mutex<File>,
    path: PathBuf,
}

impl Journal {
    /// Opens the journal at `path`: emptied for a fresh run, appended to when resuming. Installs
    /// the crash handler that records the file being read when the process dies.
    pub fn open(path: PathBuf, resuming: bool) -> io::Result<Journal> {
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .truncate(false)
            .open(&path)?;
        if !resuming {
            file.set_len(0)?;
        }
        file.write_all(b"run\n")?;
        crash::watch(&file);
        Ok(Journal {
            file: Mutex::new(file),
            path,
        })
    }

    /// File `index` (its shown path `display`) is being read on this thread.
    pub fn started(&self, index: usize, display: &str) {
        crash::set_current(index);
        self.append(&format!("started\t{index}\t{display}\n"));
    }

    /// File `index` was read to the end.
    pub fn finished(&self, index: usize) {
        crash::set_current(usize::MAX);
        self.append(&format!("finished\t{index}\n"));
    }

    /// The run completed: nothing to resume, so the journal goes.
    pub fn remove(self) -> io::Result<()> {
        crash::unwatch();
        drop(self.file);
        std::fs::remove_file(&self.path)
    }

    fn append(&self, line: &str) {
        // The journal only helps a later --resume: failing to write it never stops a run.
        if let Ok(mut file) = self.file.lock() {
            let _ = file.write_all(line.as_bytes());
        }
    }
}

/// What the journal of earlier runs says about the files they were reading when they ended.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct History {
    /// Files the process crashed on (shown paths).
    pub crashed: HashSet<String>,
    /// For each file started and never finished: in how many runs, counted back from the last
    /// one without a break (a run that finished it resets the count).
    pub interrupted: HashMap<String, usize>,
}

impl History {
    /// Reads a journal's text; unknown or cut-off lines are passed over.
    pub fn parse(text: &str) -> History {
        let mut history = History::default();
        let mut run: Vec<(usize, String)> = Vec::new();
        let mut finished: HashSet<usize> = HashSet::new();
        let mut crashed: Vec<usize> = Vec::new();
        let lines = text.split_inclusive('\n').filter(|l| l.ends_with('\n'));
        for line in lines.map(|l| l.trim_end_matches('\n')).chain(["run"]) {
            let mut fields = line.splitn(3, '\t');
            let index = |f: Option<&str>| f.and_then(|i| i.parse::<usize>().ok());
            match fields.next() {
                Some("run") => {
                    history.close_run(&run, &finished, &crashed);
                    run.clear();
                    finished.clear();
                    crashed.clear();
                }
                Some("started") => {
                    if let (Some(i), Some(file)) = (index(fields.next()), fields.next()) {
                        run.push((i, file.to_string()));
                    }
                }
                Some("finished") => finished.extend(index(fields.next())),
                Some("crashed") => crashed.extend(index(fields.next())),
                _ => {}
            }
        }
        history
    }

    fn close_run(&mut self, run: &[(usize, String)], finished: &HashSet<usize>, crashed: &[usize]) {
        for (index, file) in run {
            if finished.contains(index) {
                self.interrupted.remove(file);
                self.crashed.remove(file);
            } else {
                *self.interrupted.entry(file.clone()).or_default() += 1;
                if crashed.contains(index) {
                    self.crashed.insert(file.clone());
                }
            }
        }
    }

    /// Why `--resume` should not try `file` again, if it should not.
    pub fn reason_to_skip(&self, file: &str) -> Option<String> {
        if self.crashed.contains(file) {
            return Some(
                "i797 crashed while reading this file in an earlier run, so it was not tried \
                 again (the rest of the batch was read); check the file by hand"
                    .to_string(),
            );
        }
        let times = self.interrupted.get(file).copied().unwrap_or(0);
        (times >= INTERRUPTIONS_BEFORE_SKIP).then(|| {
            format!(
                "the last {times} runs ended while reading this file (out of memory, or stopped \
                 by the system), so it was not tried again; check the file by hand"
            )
        })
    }
}

/// The crash handler: on a fatal signal (segmentation fault, abort — which is how Rust ends on
/// exhausted memory —, bus error, illegal instruction, arithmetic fault) it writes
/// `crashed\tINDEX` for the file the crashing thread was reading, then lets the signal go on
/// to the handler that was there before (Rust's stack-overflow report) or to the default.
mod crash {
    use super::*;

    const SIGNALS: [libc::c_int; 5] = [
        libc::SIGSEGV,
        libc::SIGBUS,
        libc::SIGABRT,
        libc::SIGILL,
        libc::SIGFPE,
    ];

    /// The journal's descriptor for the handler; -1 when no journal is open.
    static JOURNAL_FD: AtomicI32 = AtomicI32::new(-1);
    static PREVIOUS: Mutex<Vec<(libc::c_int, libc::sigaction)>> = Mutex::new(Vec::new());

    thread_local! {
        /// The file index this thread is reading (`usize::MAX`: none). Const-initialised, so
        /// the handler's read of it allocates nothing.
        static CURRENT: Cell<usize> = const { Cell::new(usize::MAX) };
    }

    pub(super) fn set_current(index: usize) {
        CURRENT.with(|current| current.set(index));
    }

    pub(super) fn watch(file: &File) {
        use std::os::fd::AsRawFd;
        if JOURNAL_FD.swap(file.as_raw_fd(), Ordering::SeqCst) >= 0 {
            return; // installed already
        }
        let mut previous = PREVIOUS.lock().unwrap_or_else(|e| e.into_inner());
        for signal in SIGNALS {
            // SAFETY: a zeroed `sigaction` is a valid starting value; the handler only reads an
            // atomic and a const thread-local and calls async-signal-safe `write`.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_crash as *const () as usize;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut action.sa_mask);
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, &action, &mut old) == 0 {
                    previous.push((signal, old));
                }
            }
        }
    }

    pub(super) fn unwatch() {
        JOURNAL_FD.store(-1, Ordering::SeqCst);
    }

    extern "C" fn on_crash(
        signal: libc::c_int,
        info: *mut libc::siginfo_t,
        context: *mut libc::c_void,
    ) {
        let fd = JOURNAL_FD.swap(-1, Ordering::SeqCst);
        let index = CURRENT.try_with(Cell::get).unwrap_or(usize::MAX);
        if fd >= 0 && index != usize::MAX {
            let mut line = *b"crashed\t00000000000000000000\n";
            let digits = &mut line[8..28];
            let mut rest = index;
            for slot in digits.iter_mut().rev() {
                *slot = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
            // SAFETY: `write` is async-signal-safe; the buffer lives on this stack.
            unsafe { libc::write(fd, line.as_ptr().cast(), line.len()) };
        }
        // Hand the signal on to the handler that was there before (Rust's report of a stack
        // overflow), then end the process with the signal under its default action: raised
        // here (it stays pending until this handler returns), since a signal another thread or
        // process sent would not come again by itself. `try_lock`: a handler never waits.
        let previous = PREVIOUS
            .try_lock()
            .ok()
            .and_then(|p| p.iter().find(|(s, _)| *s == signal).map(|(_, a)| *a));
        // SAFETY: calling the handler the kernel had, with the arguments it gave us; then
        // `signal` and `raise`, which are async-signal-safe.
        unsafe {
            if let Some(old) = previous
                && old.sa_flags & libc::SA_SIGINFO != 0
                && old.sa_sigaction > libc::SIG_IGN
            {
                let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    std::mem::transmute(old.sa_sigaction);
                handler(signal, info, context);
            }
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_skips_the_file_at_once() {
        let history = History::parse(
            "run\nstarted\t0\ta.pdf\nfinished\t0\nstarted\t1\tb.pdf\nstarted\t2\tc.pdf\ncrashed\t1\n",
        );
        assert!(history.reason_to_skip("b.pdf").unwrap().contains("crashed"));
        // c.pdf was only being read alongside: one interruption is not enough to blame it.
        assert_eq!(history.reason_to_skip("c.pdf"), None);
        assert_eq!(history.reason_to_skip("a.pdf"), None);
    }

    #[test]
    fn a_file_two_killed_runs_in_a_row_were_reading_is_skipped() {
        let once = "run\nstarted\t3\tbig.pdf\n";
        assert_eq!(History::parse(once).reason_to_skip("big.pdf"), None);
        let twice = format!("{once}run\nstarted\t3\tbig.pdf\n");
        let reason = History::parse(&twice).reason_to_skip("big.pdf").unwrap();
        assert!(reason.contains("last 2 runs"), "{reason}");
        // A run that read it to the end clears the record.
        let cleared = format!("{twice}run\nstarted\t3\tbig.pdf\nfinished\t3\n");
        assert_eq!(History::parse(&cleared).reason_to_skip("big.pdf"), None);
    }

    #[test]
    fn a_line_cut_off_by_a_kill_is_passed_over() {
        let history = History::parse("run\nstarted\t1\tb.pdf\ncrashed\t1");
        assert!(history.crashed.is_empty());
        assert_eq!(history.interrupted.get("b.pdf"), Some(&1));
    }

    #[test]
    fn the_journal_records_starts_and_finishes_and_goes_when_the_run_completes() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(&dir.path().join("out.csv"));
        assert!(path.ends_with("out.csv.i797-journal"));
        std::fs::write(&path, "run\nstarted\t0\told.pdf\n").unwrap();
        let journal = Journal::open(path.clone(), true).unwrap();
        journal.started(4, "x/notice.pdf");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "run\nstarted\t0\told.pdf\nrun\nstarted\t4\tx/notice.pdf\n"
        );
        journal.finished(4);
        journal.remove().unwrap();
        assert!(!path.exists());
        // A fresh run starts the journal empty.
        std::fs::write(&path, "run\nstarted\t0\told.pdf\n").unwrap();
        let journal = Journal::open(path.clone(), false).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "run\n");
        journal.remove().unwrap();
    }
}
