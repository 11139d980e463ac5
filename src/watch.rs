//! `i797 watch FOLDER… -o FILE`: a consume folder. When files under the folders arrive or
//! change, and once they have stopped changing, FILE is rebuilt by a scan (which takes the files
//! it read before from the store) and replaced whole: FILE always equals what
//! `i797 scan FOLDER… -o FILE` would write, and a reader never sees half of it.
//!
//! Notifications only wake the loop; what decides an update is a look at the files themselves
//! (path, size, time, inode), taken until two looks `--settle` apart agree. So a file still
//! being copied is not read half-way, events from the output itself change nothing, and a
//! share that sends no notifications is still looked at every minute.
//!
//! Must not: read files or write FILE itself (the scan does both).

use crate::logging::NOTE;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, bail};
use notify::RecursiveMode;

use crate::cli::WatchArgs;
use crate::config::ScanConfig;
use crate::exit_status::ExitStatus;
use crate::run::{CtrlC, inputs_of, scan_with};

/// How often the folders are looked at when no notification came.
const LOOK_EVERY: Duration = Duration::from_secs(60);

/// How often a wait checks for Ctrl-C.
const TICK: Duration = Duration::from_millis(100);

/// Set by Ctrl-C: the update under way is finished, then watching stops.
static STOP: AtomicBool = AtomicBool::new(false);

/// Watches until Ctrl-C; an update that cannot be written ends it (exit 2).
pub fn watch(args: &WatchArgs) -> anyhow::Result<ExitStatus> {
    let mut config = ScanConfig::from_args(&args.scan, |name| std::env::var(name).ok())?;
    let Some(output) = config.output.clone() else {
        bail!("watch needs -o FILE: the output it keeps up to date");
    };
    if config.resume {
        bail!("--resume does not apply to watch: every update writes the output whole");
    }
    if !(args.settle.is_finite() && args.settle > 0.0 && args.settle <= 3600.0) {
        bail!("--settle must be a number of seconds above 0 (at most 3600)");
    }
    let settle = Duration::from_secs_f64(args.settle);
    config.replace_whole = true;

    let (wake, woken) = mpsc::channel();
    let mut debouncer = notify_debouncer_mini::new_debouncer(settle, wake)
        .context("cannot watch for file changes")?;
    for root in &config.roots {
        debouncer
            .watcher()
            .watch(root, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", crate::discover::display_path(root)))?;
    }
    stop_on_ctrl_c();
    let shown = crate::discover::display_path(&output);
    let mut written: Option<Look> = None;
    while !STOP.load(Ordering::SeqCst) {
        let Some(look) = settled(&config, settle)? else {
            break;
        };
        if written.as_ref() != Some(&look) {
            scan_with(&config, CtrlC::CallerHandles)?;
            log::warn!(target: NOTE, "watch: {shown} is up to date; waiting for changes (Ctrl-C stops)");
            written = Some(look);
        }
        wait_for_news(&woken);
    }
    log::warn!(target: NOTE, "watch: stopped; {shown} is as last written");
    Ok(ExitStatus::Success)
}

/// What the files to read are, as far as a change to any of them goes.
type Look = Vec<(PathBuf, Option<(u64, Option<SystemTime>, u64)>)>;

fn look(config: &ScanConfig) -> anyhow::Result<Look> {
    use std::os::unix::fs::MetadataExt;
    Ok(inputs_of(config)?
        .into_iter()
        .map(|input| {
            let meta = std::fs::metadata(&input.path).ok();
            let state = meta.map(|m| (m.len(), m.modified().ok(), m.ino()));
            (input.path, state)
        })
        .collect())
}

/// The files once two looks `settle` apart agree (nothing is growing); `None` after Ctrl-C.
fn settled(config: &ScanConfig, settle: Duration) -> anyhow::Result<Option<Look>> {
    let mut before = look(config)?;
    loop {
        let until = Instant::now() + settle;
        while Instant::now() < until {
            if STOP.load(Ordering::SeqCst) {
                return Ok(None);
            }
            std::thread::sleep(TICK.min(until.saturating_duration_since(Instant::now())));
        }
        let now = look(config)?;
        if now == before {
            return Ok(Some(now));
        }
        before = now;
    }
}

/// Waits for a notification, the periodic look, or Ctrl-C.
fn wait_for_news(woken: &mpsc::Receiver<notify_debouncer_mini::DebounceEventResult>) {
    let until = Instant::now() + LOOK_EVERY;
    while Instant::now() < until && !STOP.load(Ordering::SeqCst) {
        match woken.recv_timeout(TICK) {
            Ok(Ok(_)) => break,
            Ok(Err(error)) => {
                log::warn!("watch: {error}; the folders are looked at every minute");
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                std::thread::sleep(TICK);
            }
        }
    }
    // Notifications that came together are one change.
    while woken.try_recv().is_ok() {}
}

/// Ctrl-C once: finish the update under way (FILE stays whole), then stop. Twice: stop at once;
/// FILE is as last written (an update is built beside it and only renamed over it whole).
fn stop_on_ctrl_c() {
    let installed = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            eprintln!("\ni797: watch: stopped");
            std::process::exit(ExitStatus::Interrupted as i32);
        }
        eprintln!("i797: watch: stopping; press Ctrl-C again to stop at once");
    });
    if let Err(error) = installed {
        log::warn!("Ctrl-C will stop watching at once ({error})");
    }
}
