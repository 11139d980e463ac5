//! `i797 watch`: files dropped into a watched folder reach the output, which always equals what
//! `scan` writes for the folder and is replaced whole; Ctrl-C ends it cleanly.
#![allow(clippy::unwrap_used)] // helpers fail the test like the tests do

mod common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn notice(receipt: &str) -> Vec<u8> {
    NoticePdf::receipt(receipt).pdf()
}

/// Waits until `check` passes on the output's text, for at most two and a half minutes: longer
/// than `watch`'s look every minute, so that a machine without file notifications (where
/// `watch` falls back to looking) passes too, only slower.
fn wait_until(path: &Path, what: &str, check: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(150);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if check(&text) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} never {what}: {text}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What `scan` writes for the folder now.
fn scanned(dir: &Path) -> String {
    let output = run_in(dir, &["scan", "inbox", "--no-store"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

fn stop(child: Child) -> (Option<i32>, String) {
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    (output.status.code(), stderr(&output))
}

#[test]
fn files_dropped_in_reach_the_output_which_always_equals_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "inbox/first.pdf", &notice("EAC2190010001"));
    let store = dir.path().join("store");
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    let child = i797()
        .current_dir(dir.path())
        .args(["watch", "inbox", "-o", "out/notices.csv", "--settle", "0.3"])
        .args(["--store", store.to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = dir.path().join("out/notices.csv");
    let first = wait_until(&output, "held the first notice", |t| {
        t.contains("EAC2190010001")
    });
    assert_eq!(first, scanned(dir.path()));

    // Two files arrive, one written in pieces as a slow copy would.
    put(dir.path(), "inbox/second.pdf", &notice("EAC2190010002"));
    let third = notice("EAC2190010003");
    let growing = dir.path().join("inbox/sub/third.pdf");
    std::fs::create_dir_all(growing.parent().unwrap()).unwrap();
    let (head, tail) = third.split_at(third.len() / 2);
    std::fs::write(&growing, head).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    std::fs::write(&growing, [head, tail].concat()).unwrap();
    let text = wait_until(&output, "held all three", |t| {
        t.contains("EAC2190010002") && t.contains("EAC2190010003")
    });
    // The output is replaced whole: whenever it is read, it is a whole scan's output.
    assert_eq!(text, scanned(dir.path()));
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["status"] == "ok"), "{rows:?}");

    // A file removed leaves the output too.
    std::fs::remove_file(dir.path().join("inbox/first.pdf")).unwrap();
    let text = wait_until(&output, "lost the removed file", |t| {
        !t.contains("EAC2190010001")
    });
    assert_eq!(text, scanned(dir.path()));

    let (code, said) = stop(child);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("stopped"), "{said}");
    // Files read before came from the store.
    assert!(said.contains("1 from the store"), "{said}");
    let left: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["notices.csv"], "no partial file or journal left");
}

#[test]
fn watch_needs_an_output_file_and_refuses_resume() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inbox")).unwrap();
    for args in [
        &["watch", "inbox"][..],
        &["watch", "inbox", "-o", "o.csv", "--resume"],
        &["watch", "inbox", "-o", "o.csv", "--settle", "0"],
    ] {
        let output = run_in(dir.path(), args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert!(!dir.path().join("o.csv").exists());
}
