//! Nothing lost, ever: each way a user's file or a run could be lost that a hostile review found
//! (issue 13), as a test that makes its input at test time and runs the real binary.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

const GIB: u64 = 1 << 30;

fn notice(receipt: &str) -> Vec<u8> {
    receipt_notice_pdf(receipt, "I130", "MARIA GARCIA")
}

fn scan_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut command = i797();
    command.current_dir(dir).arg("scan").args(args);
    command
}

#[test]
fn an_output_that_names_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let original = notice("EAC2190012345");
    put(dir.path(), "x/scan.pdf", &original);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("scan.pdf", dir.path().join("x/link.csv")).unwrap();
        std::fs::hard_link(dir.path().join("x/scan.pdf"), dir.path().join("x/hard.csv")).unwrap();
    }
    let outputs = [
        "x/scan.pdf",
        "./x/../x/scan.pdf",
        "x/link.csv",
        "x/hard.csv",
    ];
    for output in outputs {
        let run = run_in(dir.path(), &["scan", "x/scan.pdf", "-o", output]);
        assert_eq!(run.status.code(), Some(2), "-o {output}: {}", stderr(&run));
        assert!(
            stderr(&run).contains("will not overwrite it"),
            "{}",
            stderr(&run)
        );
        assert_eq!(
            std::fs::read(dir.path().join("x/scan.pdf")).unwrap(),
            original
        );
    }
    // A text file among the inputs is a user's file too.
    put(dir.path(), "x/notes.txt", b"call the client\n");
    let run = run_in(dir.path(), &["scan", "x", "-o", "x/notes.txt"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("one of the files to read"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        std::fs::read(dir.path().join("x/notes.txt")).unwrap(),
        b"call the client\n"
    );
}

#[test]
fn the_output_inside_the_scanned_folder_is_never_read_back() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "in/a.pdf", &notice("EAC2190012345"));
    put(dir.path(), "in/b.pdf", &notice("WAC2290054321"));
    let first = run_in(dir.path(), &["scan", "in", "-o", "in/out.csv"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let once = std::fs::read(dir.path().join("in/out.csv")).unwrap();
    for args in [
        &["scan", "in", "-o", "in/out.csv"][..],
        &["scan", "in", "-o", "in/out.csv", "--resume"][..],
    ] {
        let again = run_in(dir.path(), args);
        assert_eq!(again.status.code(), Some(0), "{args:?}: {}", stderr(&again));
        assert_eq!(
            std::fs::read(dir.path().join("in/out.csv")).unwrap(),
            once,
            "{args:?}"
        );
        assert!(
            stderr(&again).contains("not reading in/out.csv"),
            "{}",
            stderr(&again)
        );
    }
    let rows = csv_rows(&String::from_utf8(once).unwrap());
    assert_eq!(rows.len(), 2);
    assert!(
        !dir.path().join("in/out.csv.i797-journal").exists(),
        "a complete run leaves no journal"
    );
}

/// Every file under `root`, found by a walk of its own (not the tool's), as shown paths.
fn independent_walk(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("folder lists") {
            let path = entry.expect("entry reads").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[cfg(unix)]
#[test]
fn every_file_is_one_row_even_when_names_show_alike() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    std::fs::create_dir(&root).unwrap();
    let names: [&[u8]; 6] = [
        b"a\xff.pdf",
        b"a\\xFF.pdf",
        b"tab\there.txt",
        b"esc\x1b]0;title\x07.txt",
        b"caf\xc3\xa9.txt",
        b"plain.txt",
    ];
    for name in names {
        std::fs::write(
            root.join(std::ffi::OsStr::from_bytes(name)),
            b"nothing here\n",
        )
        .unwrap();
    }
    let run = run_in(dir.path(), &["scan", "in"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let rows = csv_rows(&stdout(&run));
    assert_eq!(rows.len(), independent_walk(&root).len(), "{rows:#?}");
    let alike = rows.iter().filter(|r| r["file"] == "in/a\\xFF.pdf").count();
    assert_eq!(
        alike, 2,
        "both names that show as in/a\\xFF.pdf have their row"
    );
    for row in &rows {
        assert!(
            !row["file"].chars().any(char::is_control),
            "{:?}",
            row["file"]
        );
    }
    let escaped = rows
        .iter()
        .filter(|r| r["message"].contains("shown as \\xNN"))
        .count();
    assert_eq!(
        escaped, 3,
        "the raw byte, the tab and the escape sequence are said"
    );
}

#[test]
fn a_file_that_says_it_is_empty_is_read_by_what_comes_not_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/proc/self/pagemap", dir.path().join("pagemap.pdf")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.pdf")).unwrap();
    put(dir.path(), "ok.pdf", &notice("EAC2190012345"));
    let out_dir = tempfile::tempdir().unwrap();
    let run = measured(
        scan_cmd(
            dir.path(),
            &[".", "-o", &out_dir.path().join("out.csv").to_string_lossy()],
        ),
        Duration::from_secs(120),
        &out_dir.path().join("said.txt"),
    );
    let rows = csv_rows(&std::fs::read_to_string(out_dir.path().join("out.csv")).unwrap());
    assert_eq!(run.code, Some(1), "{}", run.output);
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["file"] == format!("./{name}"))
            .unwrap()
    };
    assert_eq!(row("ok.pdf")["receipt_number"], "EAC2190012345");
    #[cfg(unix)]
    {
        // /proc/self/pagemap reports size 0 and reads on for gigabytes.
        assert_eq!(row("pagemap.pdf")["status"], "error");
        assert!(
            row("pagemap.pdf")["message"].contains("too large"),
            "{rows:#?}"
        );
        assert_eq!(
            row("zero.pdf")["status"],
            "skipped",
            "a device is listed, never read"
        );
    }
    assert!(run.peak_bytes < GIB, "peak {} MiB", run.peak_bytes >> 20);
}

#[test]
fn jobs_past_a_few_per_core_are_capped_and_said() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..4 {
        put(dir.path(), &format!("{i}.pdf"), &notice("EAC2190012345"));
    }
    let run = run_in(dir.path(), &["scan", ".", "--jobs", "100000"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("--jobs 100000 is more than 4 per CPU core"),
        "{}",
        stderr(&run)
    );
    assert_eq!(csv_rows(&stdout(&run)).len(), 4);
}

#[cfg(unix)]
#[test]
fn find_shows_a_hostile_file_name_without_running_it() {
    let dir = tempfile::tempdir().unwrap();
    let name = "notice\u{1b}]0;owned\u{7}\u{1b}[2J.pdf";
    put(dir.path(), name, &notice("EAC2190012345"));
    let run = run_in(dir.path(), &["find", name, "--color", "always"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let out = stdout(&run);
    assert!(
        out.contains("notice\\x1B]0;owned\\x07\\x1B[2J.pdf"),
        "{out}"
    );
    // Our own colour codes are the only escapes left: none sets a title or clears the screen.
    assert!(!out.contains("\u{1b}]") && !out.contains("\u{1b}[2J") && !out.contains('\u{7}'));
    let run = run_in(dir.path(), &["scan", name]);
    assert!(!stderr(&run).contains('\u{1b}') && !stdout(&run).contains('\u{1b}'));
}

#[test]
fn a_hand_edited_formula_in_a_kept_row_is_not_kept_on_resume() {
    let dir = tempfile::tempdir().unwrap();
    for (name, receipt) in [
        ("a", "EAC2190012345"),
        ("b", "WAC2290054321"),
        ("c", "LIN2290054321"),
    ] {
        put(dir.path(), &format!("in/{name}.pdf"), &notice(receipt));
    }
    let full = run_in(dir.path(), &["scan", "in", "-o", "out.csv"]);
    assert_eq!(full.status.code(), Some(0), "{}", stderr(&full));
    let uninterrupted = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    // Someone opens the file and types a live formula into the first (kept) row's empty
    // beneficiary cell.
    let edited = uninterrupted.replacen("MARIA GARCIA,,", "MARIA GARCIA,=HYPERLINK(\"x\"),", 1);
    assert_ne!(edited, uninterrupted);
    std::fs::write(dir.path().join("out.csv"), &edited).unwrap();
    let resumed = run_in(dir.path(), &["scan", "in", "-o", "out.csv", "--resume"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.csv")).unwrap(),
        uninterrupted
    );
}

/// A folder of `count` notices, `in/0000.pdf` on: thousands take seconds with one worker.
fn many_notices(dir: &Path, count: usize) {
    for i in 0..count {
        let receipt = format!("EAC21900{:05}", 10_000 + i);
        put(dir, &format!("in/{i:04}.pdf"), &notice(&receipt));
    }
}

/// Waits until `path` holds `needle`, for at most a minute.
fn wait_for(path: &Path, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} never held {needle:?}: {text}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_writes_whole_files_and_prints_the_command_that_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    many_notices(dir.path(), 2000);
    let full = run_in(dir.path(), &["scan", "in", "-o", "full.csv", "--jobs", "1"]);
    assert_eq!(full.status.code(), Some(0), "{}", stderr(&full));
    let child = scan_cmd(dir.path(), &["in", "-o", "cut.csv", "--jobs", "1"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&dir.path().join("cut.csv.i797-journal"), "started\t50\t");
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(130), "{said}");
    assert!(said.contains("interrupted after"), "{said}");
    let command = said
        .lines()
        .skip_while(|l| !l.contains("To read the rest"))
        .nth(1)
        .unwrap_or_else(|| panic!("a command to carry on: {said}"))
        .trim()
        .to_string();
    assert!(command.ends_with("--resume"), "{command}");
    let cut = std::fs::read_to_string(dir.path().join("cut.csv")).unwrap();
    let full_text = std::fs::read_to_string(dir.path().join("full.csv")).unwrap();
    assert!(
        full_text.starts_with(&cut) && cut.len() < full_text.len(),
        "a prefix of whole files"
    );
    // The printed command, as a shell would run it, finishes the output.
    let carried_on = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .env("I797_STORE", fresh_store())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        carried_on.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&carried_on.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("cut.csv")).unwrap(),
        full_text
    );
}

/// The thread ids of the child's worker threads.
#[cfg(target_os = "linux")]
fn worker_threads(pid: u32) -> Vec<i32> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|tasks| {
            tasks
                .filter_map(|t| t.ok())
                .filter(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|comm| comm.starts_with("i797-worker"))
                })
                .filter_map(|t| t.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The crash test's folder: this many files of this many notice pages each.
#[cfg(target_os = "linux")]
const FILES: usize = 80;
#[cfg(target_os = "linux")]
const PAGES: usize = 60;

#[cfg(target_os = "linux")]
#[test]
fn a_file_the_process_crashed_on_is_skipped_with_a_row_when_resuming() {
    let dir = tempfile::tempdir().unwrap();
    // Files of many pages: the worker is inside one nearly all the time, as it is when a
    // decoder crashes.
    let stack = notice_pages_pdf(PAGES);
    for i in 0..FILES {
        put(dir.path(), &format!("in/{i:04}.pdf"), &stack);
    }
    let journal = dir.path().join("out.csv.i797-journal");
    // A signal sent from outside is taken when the thread next returns from the kernel, which
    // can be between two files (then no file is to blame, rightly); a fault inside a decoder
    // is always inside one. So crash fresh runs until one crash lands inside a file.
    let crashed = (0..8).find_map(|_| {
        let mut child = scan_cmd(dir.path(), &["in", "-o", "out.csv", "--jobs", "1"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        wait_for(&journal, "started\t20\t");
        // A segmentation fault on the worker thread, as a crash inside a C decoder raises.
        let workers = worker_threads(child.id());
        // Text pages read fast: the run may have ended before it could be crashed, or (on a
        // loaded machine) be past its last file and writing. Try again.
        if workers.is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        assert_eq!(workers.len(), 1, "one worker with --jobs 1");
        // SAFETY: signalling a thread of our own child.
        unsafe {
            libc::syscall(
                libc::SYS_tgkill,
                child.id() as i32,
                workers[0],
                libc::SIGSEGV,
            )
        };
        let status = child.wait().unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(libc::SIGSEGV)
        );
        let text = std::fs::read_to_string(&journal).unwrap();
        let crashed: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with("crashed\t"))
            .map(str::to_string)
            .collect();
        assert!(crashed.len() <= 1, "{text}");
        crashed.into_iter().next()
    });
    let crashed = [crashed.expect("a crash landed inside a file in one of 8 tries")];
    let index: usize = crashed[0][8..].parse().unwrap();
    let resumed = run_in(
        dir.path(),
        &["scan", "in", "-o", "out.csv", "--resume", "--jobs", "1"],
    );
    assert_eq!(resumed.status.code(), Some(1), "{}", stderr(&resumed));
    let rows = csv_rows(&std::fs::read_to_string(dir.path().join("out.csv")).unwrap());
    let crashed_file = format!("in/{index:04}.pdf");
    let of_it: Vec<_> = rows.iter().filter(|r| r["file"] == crashed_file).collect();
    assert_eq!(
        of_it.len(),
        1,
        "one row for the file it crashed on: {of_it:?}"
    );
    let skipped = of_it[0];
    assert_eq!(skipped["status"], "error");
    assert!(
        skipped["message"].contains("crashed while reading this file"),
        "{skipped:?}"
    );
    let read: BTreeSet<_> = rows
        .iter()
        .filter(|r| r["status"] == "ok")
        .map(|r| &r["file"])
        .collect();
    assert_eq!(read.len(), FILES - 1, "every other file is read");
    assert_eq!(rows.len(), (FILES - 1) * PAGES + 1);
}
