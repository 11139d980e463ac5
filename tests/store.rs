//! The store of files already read, end to end: a re-run reads only new or changed files and
//! writes, byte for byte, what a full run with `--no-store` writes (CSV, JSON Lines, xlsx,
//! sqlite, the case view); damaged entries are read again; two runs can share a store;
//! `--no-store` touches none. Every run here names its store (or `--no-store`): none writes to
//! the user's cache.
#![allow(clippy::unwrap_used)] // helpers fail the test like the tests do

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

/// How many notices the big folder holds (the 1 000).
const MANY: usize = 1000;

fn receipt(i: usize) -> String {
    format!("EAC21900{:05}", 10_000 + i)
}

fn notice(i: usize) -> Vec<u8> {
    NoticePdf::receipt(&receipt(i)).pdf()
}

fn scan(dir: &Path, args: &[&str]) -> Output {
    let output = run_in(dir, &[&["scan"], args].concat());
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
    output
}

/// The summary's `(N read, M from the store)`.
fn read_and_stored(output: &Output) -> (usize, usize) {
    let said = stderr(output);
    let line = said
        .lines()
        .find(|l| l.contains(" from the store)"))
        .unwrap_or_else(|| panic!("no store counts in the summary: {said}"));
    let counts = line.split('(').nth(1).unwrap().split(')').next().unwrap();
    let number = |word: &str| -> usize {
        let before = counts.split(word).next().unwrap();
        before.split_whitespace().last().unwrap().parse().unwrap()
    };
    (number(" read"), number(" from the store"))
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn entries(store: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![store.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for item in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            if item.file_type().unwrap().is_dir() {
                folders.push(item.path());
            } else {
                found.push(item.path());
            }
        }
    }
    found
}

#[test]
fn adding_one_file_to_a_thousand_reads_one_and_writes_what_a_full_run_writes() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..MANY {
        put(
            dir.path(),
            &format!("in/{:02}/{i:04}.pdf", i % 20),
            &notice(i),
        );
    }
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let first = scan(dir.path(), &["in", "--store", store_arg, "-o", "first.csv"]);
    assert_eq!(read_and_stored(&first), (MANY, 0));

    put(dir.path(), "in/07/new.pdf", &notice(MANY));
    let again = scan(dir.path(), &["in", "--store", store_arg, "-o", "again.csv"]);
    assert_eq!(read_and_stored(&again), (1, MANY));
    let full = scan(dir.path(), &["in", "--no-store", "-o", "full.csv"]);
    assert!(
        !stderr(&full).contains("from the store"),
        "{}",
        stderr(&full)
    );
    let again = read(&dir.path().join("again.csv"));
    assert_eq!(again, read(&dir.path().join("full.csv")));
    let rows = csv_rows(&String::from_utf8(again).unwrap());
    assert_eq!(rows.len(), MANY + 1);
    let new = rows.iter().find(|r| r["file"] == "in/07/new.pdf").unwrap();
    assert_eq!(new["receipt_number"], receipt(MANY));
}

/// A folder with what makes rows depend on more than one file's bytes: a copy of a notice under
/// another name (`duplicate_of`, the case view), a name that must be escaped, notices of one
/// case, a broken PDF and a file of another type.
fn mixed_folder(dir: &Path) {
    for i in 0..6 {
        put(dir, &format!("in/{i}.pdf"), &notice(i));
    }
    put(dir, "in/a copy of 2.pdf", &notice(2));
    let number = receipt(3);
    let approval = NoticePdf {
        notice_type: "Approval Notice",
        notice_date: "06/01/2021".to_string(),
        ..NoticePdf::receipt(&number)
    };
    put(dir, "in/3 approved.pdf", &approval.pdf());
    put(dir, "in/broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog");
    put(dir, "in/notes.txt", b"call the client back");
    let escaped = dir.join(OsStr::from_bytes(b"in/odd \xff name.pdf"));
    std::fs::write(escaped, notice(4)).unwrap();
}

/// An output's bytes, but for a workbook: each of its parts, without the time it was made
/// (`docProps/core.xml`), which differs between any two runs.
fn comparable(format: &str, path: &Path) -> Vec<(String, Vec<u8>)> {
    if format != "xlsx" {
        return vec![(String::new(), read(path))];
    }
    let mut workbook = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = Vec::new();
    for index in 0..workbook.len() {
        let mut part = workbook.by_index(index).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).unwrap();
        if name != "docProps/core.xml" {
            parts.push((name, bytes));
        }
    }
    assert!(parts.len() > 3, "a workbook: {parts:?}");
    parts
}

#[test]
fn every_format_and_the_case_view_are_the_same_from_the_store_as_from_a_full_run() {
    let dir = tempfile::tempdir().unwrap();
    mixed_folder(dir.path());
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let runs: [(&str, &[&str]); 5] = [
        ("csv", &["--cases", "CASES.csv"]),
        ("jsonl", &["--format", "jsonl", "--cases", "CASES.jsonl"]),
        ("bom.csv", &["--bom"]),
        ("xlsx", &["--format", "xlsx"]),
        ("sqlite", &["--format", "sqlite"]),
    ];
    let with = |run: &str, store: &[&str], name: &str, extra: &[&str]| {
        let output = format!("{run}-{name}");
        let extra: Vec<String> = extra
            .iter()
            .map(|a| a.replace("CASES", &format!("cases-{run}-{name}")))
            .collect();
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        scan(
            dir.path(),
            &[&["in", "-o", &output], store, &extra].concat(),
        )
    };
    // The store filled by one run (another format: formats do not shape what is stored).
    let primed = with("primer", &["--store", store_arg], "x", &[]);
    // (Two files have the bytes of another: either may find the other's rows already stored.)
    let (read_now, from_store) = read_and_stored(&primed);
    assert!(
        read_now >= 9 && read_now + from_store == 11,
        "{read_now} {from_store}"
    );
    // A renamed file and a new one.
    std::fs::rename(
        dir.path().join("in/5.pdf"),
        dir.path().join("in/5 renamed.pdf"),
    )
    .unwrap();
    put(dir.path(), "in/new.pdf", &notice(40));
    for (n, (name, extra)) in runs.into_iter().enumerate() {
        let stored = with(name, &["--store", store_arg], "stored", extra);
        // Read: the note (of a type not stored), and the new notice on the first run only.
        let expected = if n == 0 { (2, 10) } else { (1, 11) };
        assert_eq!(read_and_stored(&stored), expected, "{name}");
        with(name, &["--no-store"], "full", extra);
        for prefix in ["", "cases-"] {
            let path = |how: &str| dir.path().join(format!("{prefix}{name}-{how}"));
            if prefix.is_empty() || path("full").exists() {
                assert!(
                    comparable(name, &path("stored")) == comparable(name, &path("full")),
                    "{prefix}{name}: the stored run wrote other bytes"
                );
            }
        }
    }
    let rows = csv_rows(&std::fs::read_to_string(dir.path().join("csv-stored")).unwrap());
    let copy = rows
        .iter()
        .find(|r| r["file"] == "in/a copy of 2.pdf")
        .unwrap();
    assert_eq!(copy["duplicate_of"], "in/2.pdf");
    let odd = rows.iter().find(|r| r["file"].contains("odd")).unwrap();
    assert!(odd["message"].contains("not valid UTF-8"), "{odd:?}");
    let plain = rows.iter().find(|r| r["file"] == "in/4.pdf").unwrap();
    assert_eq!(
        plain["message"], "",
        "the escaped name's note is not stored"
    );
    assert!(rows.iter().any(|r| r["file"] == "in/5 renamed.pdf"));
}

#[test]
fn a_changed_file_is_read_again_and_a_damaged_entry_is_never_trusted() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..4 {
        put(dir.path(), &format!("in/{i}.pdf"), &notice(i));
    }
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let args = ["in", "--store", store_arg, "-o", "out.csv"];
    assert_eq!(read_and_stored(&scan(dir.path(), &args)), (4, 0));

    put(dir.path(), "in/1.pdf", &notice(77));
    assert_eq!(read_and_stored(&scan(dir.path(), &args)), (1, 3));
    let rows = csv_rows(&std::fs::read_to_string(dir.path().join("out.csv")).unwrap());
    let changed = rows.iter().find(|r| r["file"] == "in/1.pdf").unwrap();
    assert_eq!(changed["receipt_number"], receipt(77));

    // Every entry damaged a different way: cut short, emptied, a byte changed, swapped for
    // another file's entry. Each file is read again and the output is still right.
    let mut found = entries(&store);
    found.sort();
    assert!(found.len() >= 5, "{found:?}");
    let other = read(&found[0]);
    for (n, entry) in found.iter().enumerate() {
        let bytes = read(entry);
        let damaged = match n % 4 {
            0 => bytes[..bytes.len() / 2].to_vec(),
            1 => Vec::new(),
            2 => {
                let mut bytes = bytes;
                let at = bytes.len() - 30;
                bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
                bytes
            }
            _ => other.clone(),
        };
        std::fs::write(entry, damaged).unwrap();
    }
    let output = scan(dir.path(), &args);
    assert_eq!(read_and_stored(&output), (4, 0), "{}", stderr(&output));
    scan(dir.path(), &["in", "--no-store", "-o", "full.csv"]);
    assert_eq!(
        read(&dir.path().join("out.csv")),
        read(&dir.path().join("full.csv"))
    );
    // Written again whole, the entries are used again.
    assert_eq!(read_and_stored(&scan(dir.path(), &args)), (0, 4));
}

#[test]
fn two_runs_at_once_share_a_store_safely() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..200 {
        put(dir.path(), &format!("in/{i:03}.pdf"), &notice(i));
    }
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    // Two shards and a whole run, all at once, all writing the same entries.
    let start = |args: &[&str]| {
        i797()
            .current_dir(dir.path())
            .args([&["scan", "in", "--store", store_arg, "--jobs", "2"], args].concat())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let runs = [
        start(&["--shard", "0/2", "-o", "s0.csv"]),
        start(&["--shard", "1/2", "-o", "s1.csv"]),
        start(&["-o", "whole.csv"]),
    ];
    for run in runs {
        let output = run.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let merged = run_in(dir.path(), &["merge", "merged.csv", "s0.csv", "s1.csv"]);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    scan(dir.path(), &["in", "--no-store", "-o", "full.csv"]);
    let full = read(&dir.path().join("full.csv"));
    assert!(read(&dir.path().join("whole.csv")) == full);
    assert!(read(&dir.path().join("merged.csv")) == full);
    let again = scan(dir.path(), &["in", "--store", store_arg, "-o", "again.csv"]);
    assert_eq!(read_and_stored(&again), (0, 200));
    assert!(read(&dir.path().join("again.csv")) == full);
    let left: Vec<_> = entries(&store)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn the_default_store_is_private_in_the_cache_folder_and_no_store_touches_none() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "in/a.pdf", &notice(1));
    let home = dir.path().join("home");
    let run = |cache: Option<&str>, args: &[&str]| {
        let mut command = i797();
        command.env_remove("I797_STORE").env("HOME", &home);
        match cache {
            Some(cache) => command.env("XDG_CACHE_HOME", dir.path().join(cache)),
            None => command.env_remove("XDG_CACHE_HOME"),
        };
        let output = command
            .current_dir(dir.path())
            .args([&["scan", "in", "-o", "out.csv"], args].concat())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        output
    };
    run(None, &["--no-store"]);
    run(Some("cache"), &["--no-store"]);
    assert!(!home.exists() && !dir.path().join("cache").exists());

    run(None, &[]);
    let store = home.join(".cache/i797/store");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&store.join("i797-store-v1")), 0o700);
    let stored = entries(&store);
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(mode(&stored[0]), 0o600);
    run(Some("cache"), &[]);
    assert_eq!(entries(&dir.path().join("cache/i797/store")).len(), 1);
    assert_eq!(read_and_stored(&run(None, &[])), (0, 1));

    // `i797 store path` and `clear` use the same folder.
    let path = i797()
        .env_remove("I797_STORE")
        .env_remove("XDG_CACHE_HOME")
        .env("HOME", &home)
        .args(["store", "path"])
        .output()
        .unwrap();
    assert_eq!(stdout(&path).trim(), store.to_str().unwrap());
    let clear = i797()
        .args(["store", "clear", "--store", store.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(clear.status.code(), Some(0), "{}", stderr(&clear));
    assert!(
        stderr(&clear).contains("removed 1 entries"),
        "{}",
        stderr(&clear)
    );
    assert!(entries(&store).is_empty());
    assert_eq!(read_and_stored(&run(None, &[])), (1, 0));
}

#[test]
fn a_store_that_cannot_be_made_stops_the_run_only_when_it_was_named() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "in/a.pdf", &notice(1));
    put(
        dir.path(),
        "blocker",
        b"a file where the store's folder would go",
    );
    let named = run_in(dir.path(), &["scan", "in", "--store", "blocker/store"]);
    assert_eq!(named.status.code(), Some(2), "{}", stderr(&named));
    assert!(stderr(&named).contains("--store"), "{}", stderr(&named));
    let default = i797()
        .env("I797_STORE", dir.path().join("blocker/store"))
        .current_dir(dir.path())
        .args(["scan", "in"])
        .output()
        .unwrap();
    assert_eq!(default.status.code(), Some(0), "{}", stderr(&default));
    assert!(stderr(&default).contains("warning: cannot use the store"));
    assert_eq!(csv_rows(&stdout(&default)).len(), 1);
}

#[test]
fn a_file_its_time_limit_cut_short_is_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "in/stack.pdf", &g4_scan_pdf(6));
    put(dir.path(), "in/text.pdf", &notice(1));
    let store = dir.path().join("store");
    let args = [
        "in",
        "--store",
        store.to_str().unwrap(),
        "--file-time-limit",
        "1",
        "--jobs",
        "1",
    ];
    let first = scan(dir.path(), &args);
    let rows = csv_rows(&stdout(&first));
    assert!(
        rows.iter().any(|r| r["message"].contains("time limit")),
        "the limit cut the stack short: {rows:?}"
    );
    assert_eq!(read_and_stored(&first), (2, 0));
    // The stack is read again (next time it may have the time), the text notice is not.
    assert_eq!(read_and_stored(&scan(dir.path(), &args)), (1, 1));
}

#[test]
fn a_run_killed_while_storing_leaves_a_store_the_next_run_can_use() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        put(dir.path(), &format!("in/{i:03}.pdf"), &notice(i));
    }
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let mut child = i797()
        .current_dir(dir.path())
        .args(["scan", "in", "--store", store_arg, "-o", "cut.csv"])
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while entries(&store).len() < 20 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let stored_before = entries(&store).len();
    assert!(
        stored_before < 400,
        "the run ended before it could be killed"
    );
    let again = scan(dir.path(), &["in", "--store", store_arg, "-o", "again.csv"]);
    let (read_now, from_store) = read_and_stored(&again);
    assert_eq!(read_now + from_store, 400);
    assert!(
        from_store >= 20,
        "{read_now} read, {from_store} stored of {stored_before}"
    );
    scan(dir.path(), &["in", "--no-store", "-o", "full.csv"]);
    assert!(read(&dir.path().join("again.csv")) == read(&dir.path().join("full.csv")));
}
