//! The binary end to end on small generated inputs: every file accounted for, exit codes,
//! determinism across --jobs, shard + merge, resume after a kill.

mod common;

use std::path::Path;

use common::*;

/// A folder of text-layer notices, distractors and broken files.
fn mixed_folder(dir: &Path) {
    put(
        dir,
        "clients/ana/receipt.pdf",
        &receipt_notice_pdf(
            "EAC2190012345",
            "I130 - PETITION FOR ALIEN RELATIVE",
            "RIVERA, ANA",
        ),
    );
    put(
        dir,
        "clients/ana/COPY OF RECEIPT.PDF",
        &receipt_notice_pdf(
            "WAC-22-900-54321",
            "I765 - APPLICATION FOR EMPLOYMENT AUTHORIZATION",
            "RIVERA, ANA",
        ),
    );
    put(
        dir,
        "clients/josé/recibo de García.pdf",
        &receipt_notice_pdf(
            "LIN2212345678",
            "I485 - APPLICATION TO REGISTER PERMANENT RESIDENCE",
            "GARCIA, JOSE",
        ),
    );
    put(dir, "clients/notes.txt", b"call client about biometrics\n");
    put(
        dir,
        "clients/not-really.pdf",
        b"this is a text file, not a PDF\n",
    );
    put(dir, "clients/empty.pdf", b"");
    let notice = receipt_notice_pdf(
        "SRC2290011111",
        "I130 - PETITION FOR ALIEN RELATIVE",
        "DOE, JOHN",
    );
    put(dir, "clients/truncated.pdf", &notice[..notice.len() / 3]);
    put(
        dir,
        "clients/invoice.pdf",
        &text_pdf(&[vec![vec![(
            40.0,
            "INVOICE  Order ORD1234567890  Total $450.00",
        )]]]),
    );
}

#[test]
fn every_file_gets_rows_with_a_status_and_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    mixed_folder(dir.path());
    let output = run_in(dir.path(), &["scan", "clients", "--jobs", "2"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let rows = csv_rows(&stdout(&output));
    let status_of = |file: &str| -> Vec<(String, String, String)> {
        rows.iter()
            .filter(|r| r["file"] == format!("clients/{file}"))
            .map(|r| {
                (
                    r["status"].clone(),
                    r["receipt_number"].clone(),
                    r["message"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(status_of("ana/receipt.pdf")[0].0, "ok");
    assert_eq!(status_of("ana/receipt.pdf")[0].1, "EAC2190012345");
    assert_eq!(status_of("ana/COPY OF RECEIPT.PDF")[0].1, "WAC2290054321");
    assert_eq!(status_of("josé/recibo de García.pdf")[0].1, "LIN2212345678");
    assert_eq!(status_of("notes.txt")[0].0, "skipped");
    assert!(status_of("notes.txt")[0].2.contains("text file"));
    let fake = &status_of("not-really.pdf")[0];
    assert_eq!(
        (fake.0.as_str(), fake.2.as_str()),
        ("error", "not a PDF although named so: it is a text file")
    );
    assert!(
        status_of("empty.pdf")[0].2.contains("empty"),
        "{:?}",
        status_of("empty.pdf")
    );
    assert_eq!(status_of("truncated.pdf")[0].0, "error");
    assert_eq!(status_of("invoice.pdf")[0].0, "no_notice");
    // Every file the walk found, and nothing else.
    let mut files: Vec<&str> = rows.iter().map(|r| r["file"].as_str()).collect();
    files.dedup();
    assert_eq!(files.len(), 8, "{files:?}");
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "rows are in path order");
}

#[test]
fn stdout_carries_only_data_and_the_summary_goes_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    put(
        dir.path(),
        "a.pdf",
        &receipt_notice_pdf("EAC2190012345", "I130", "RIVERA, ANA"),
    );
    let output = run_in(dir.path(), &["scan", "a.pdf"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.starts_with("file,page,receipt_number,"), "{out}");
    assert_eq!(out.lines().count(), 2);
    assert!(stderr(&output).contains("1 files"), "{}", stderr(&output));
}

#[test]
fn usage_problems_exit_with_2_before_reading_anything() {
    let dir = tempfile::tempdir().unwrap();
    put(
        dir.path(),
        "a.pdf",
        &receipt_notice_pdf("EAC2190012345", "I130", "RIVERA, ANA"),
    );
    for args in [
        vec!["scan", "a.pdf", "-o", "no/such/folder/out.csv"],
        vec!["scan", "a.pdf", "--shard", "4/4"],
        vec!["scan", "a.pdf", "--jobs", "0"],
        vec!["scan"],
        vec!["scan", "a.pdf", "--resume"],
    ] {
        let output = run_in(dir.path(), &args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
}

/// Many small files so that parallel runs finish them out of order.
fn many_notices(dir: &Path, count: usize) {
    for n in 0..count {
        let receipt = format!("EAC21900{:05}", 10000 + n);
        let name = format!("batch/{:02}/notice-{n:03}.pdf", n % 7);
        put(
            dir,
            &name,
            &receipt_notice_pdf(
                &receipt,
                "I130 - PETITION FOR ALIEN RELATIVE",
                "RIVERA, ANA",
            ),
        );
        if n % 10 == 0 {
            put(
                dir,
                &format!("batch/{:02}/broken-{n:03}.pdf", n % 7),
                b"%PDF-1.4\n1 0 obj <<",
            );
        }
    }
}

#[test]
fn output_is_byte_identical_whatever_the_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    many_notices(dir.path(), 60);
    let one = run_in(dir.path(), &["scan", "batch", "--jobs", "1"]);
    for jobs in ["2", "8"] {
        let other = run_in(dir.path(), &["scan", "batch", "--jobs", jobs]);
        assert_eq!(one.stdout, other.stdout, "--jobs {jobs}");
    }
    let jsonl_one = run_in(
        dir.path(),
        &["scan", "batch", "--jobs", "1", "--format", "jsonl"],
    );
    let jsonl_eight = run_in(
        dir.path(),
        &["scan", "batch", "--jobs", "8", "--format", "jsonl"],
    );
    assert_eq!(jsonl_one.stdout, jsonl_eight.stdout);
}

#[test]
fn json_lines_carry_the_same_rows_as_csv_with_real_types() {
    let dir = tempfile::tempdir().unwrap();
    many_notices(dir.path(), 12);
    let csv = csv_rows(&stdout(&run_in(dir.path(), &["scan", "batch"])));
    let jsonl = stdout(&run_in(dir.path(), &["scan", "batch", "--format", "jsonl"]));
    let json_rows: Vec<serde_json::Map<String, serde_json::Value>> = jsonl
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let as_text: Vec<std::collections::BTreeMap<String, String>> = json_rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|(name, value)| {
                    let text = match value {
                        serde_json::Value::Null => String::new(),
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (name.clone(), text)
                })
                .collect()
        })
        .collect();
    assert_eq!(csv, as_text);
    let found = json_rows.iter().find(|r| r["status"] == "ok").unwrap();
    assert!(found["page"].is_u64(), "{found:?}");
    assert!(found["confidence"].is_u64(), "{found:?}");
    assert!(found["needs_review"].is_boolean(), "{found:?}");
    assert!(found["valid_until"].is_null(), "{found:?}");
    assert_eq!(found["receipt_number"].as_str().map(str::len), Some(13));
    let broken = json_rows.iter().find(|r| r["status"] == "error").unwrap();
    assert!(broken["page"].is_null() && broken["receipt_number"].is_null());
}

#[test]
fn shard_outputs_merge_into_exactly_the_single_run_output() {
    let dir = tempfile::tempdir().unwrap();
    many_notices(dir.path(), 40);
    let single = run_in(dir.path(), &["scan", "batch", "-o", "all.csv"]);
    assert!(
        single.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&single)
    );
    let mut shards = Vec::new();
    for k in 0..3 {
        let name = format!("shard-{k}.csv");
        let output = run_in(
            dir.path(),
            &["scan", "batch", "--shard", &format!("{k}/3"), "-o", &name],
        );
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&output)
        );
        shards.push(name);
    }
    let shard_sizes: Vec<usize> = shards
        .iter()
        .map(|s| {
            std::fs::read_to_string(dir.path().join(s))
                .unwrap()
                .lines()
                .count()
                - 1
        })
        .collect();
    assert!(
        shard_sizes.iter().all(|&n| n > 0),
        "each shard gets work: {shard_sizes:?}"
    );
    let mut args = vec!["merge", "merged.csv"];
    args.extend(shards.iter().map(String::as_str));
    let merged = run_in(dir.path(), &args);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    assert_eq!(
        std::fs::read(dir.path().join("merged.csv")).unwrap(),
        std::fs::read(dir.path().join("all.csv")).unwrap()
    );
}

#[test]
fn resuming_from_an_output_cut_anywhere_gives_the_uninterrupted_output() {
    let dir = tempfile::tempdir().unwrap();
    many_notices(dir.path(), 30);
    for format in ["csv", "jsonl"] {
        run_in(
            dir.path(),
            &["scan", "batch", "--format", format, "-o", "full.out"],
        );
        let full = std::fs::read(dir.path().join("full.out")).unwrap();
        // Cut at row ends, inside rows and inside the header: all the places a kill can land.
        let cuts = [
            0,
            5,
            full.len() / 7,
            full.len() / 3,
            full.len() / 2 + 1,
            full.len() - 2,
            full.len(),
        ];
        for cut in cuts {
            std::fs::write(dir.path().join("cut.out"), &full[..cut]).unwrap();
            let resumed = run_in(
                dir.path(),
                &[
                    "scan", "batch", "--format", format, "-o", "cut.out", "--resume",
                ],
            );
            assert!(
                resumed.status.code().is_some_and(|c| c <= 1),
                "{}",
                stderr(&resumed)
            );
            assert_eq!(
                std::fs::read(dir.path().join("cut.out")).unwrap(),
                full,
                "{format} cut at {cut}"
            );
        }
    }
}

#[test]
fn resume_reads_again_a_file_that_changed_since_the_interrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    many_notices(dir.path(), 10);
    run_in(dir.path(), &["scan", "batch", "-o", "out.csv"]);
    let changed = "batch/00/notice-000.pdf";
    put(
        dir.path(),
        changed,
        &receipt_notice_pdf("IOE0912345678", "I130", "RIVERA, ANA"),
    );
    run_in(dir.path(), &["scan", "batch", "-o", "out.csv", "--resume"]);
    let fresh = run_in(dir.path(), &["scan", "batch"]);
    assert_eq!(
        std::fs::read(dir.path().join("out.csv")).unwrap(),
        fresh.stdout
    );
    assert!(stdout(&fresh).contains("IOE0912345678"));
}

#[cfg(unix)]
#[test]
fn a_run_killed_with_sigkill_resumes_to_the_uninterrupted_output() {
    let dir = tempfile::tempdir().unwrap();
    many_notices(dir.path(), 400);
    run_in(
        dir.path(),
        &["scan", "batch", "--jobs", "2", "-o", "full.csv"],
    );
    let full = std::fs::read(dir.path().join("full.csv")).unwrap();
    let mut interrupted = 0;
    // Kill when the output has grown to a given share of the full output: mid-run by
    // construction, at a different file each time, whatever the speed of the machine.
    for percent in [3u64, 25, 50, 75, 97] {
        let out = format!("killed-{percent}.csv");
        let target = full.len() as u64 * percent / 100;
        let mut child = i797()
            .current_dir(dir.path())
            .args(["scan", "batch", "--jobs", "2", "-o", &out])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        loop {
            let size = std::fs::metadata(dir.path().join(&out)).map_or(0, |m| m.len());
            if size >= target || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(100));
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let left = std::fs::read(dir.path().join(&out)).unwrap_or_default();
        interrupted += usize::from(left.len() < full.len());
        let resumed = run_in(
            dir.path(),
            &["scan", "batch", "--jobs", "2", "-o", &out, "--resume"],
        );
        assert!(
            resumed.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&resumed)
        );
        assert_eq!(
            std::fs::read(dir.path().join(&out)).unwrap(),
            full,
            "killed at {percent}%"
        );
    }
    assert!(
        interrupted >= 2,
        "the kills must land mid-run to test anything ({interrupted} did)"
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_kept_recoverably_and_said_so() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"recibo-\xe9.pdf");
    std::fs::write(
        dir.path().join(name),
        receipt_notice_pdf("EAC2190012345", "I130", "RIVERA, ANA"),
    )
    .unwrap();
    let output = run_in(dir.path(), &["scan", "."]);
    let rows = csv_rows(&stdout(&output));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["file"], "./recibo-\\xE9.pdf");
    assert!(
        rows[0]["message"].contains("not valid UTF-8"),
        "{:?}",
        rows[0]
    );
}

// ---- Command-line conventions (as ripgrep and fd have them) ----

#[test]
fn help_shows_examples_and_exit_codes_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["scan", "--help"],
        vec!["merge", "--help"],
        vec!["find", "--help"],
        vec!["watch", "--help"],
    ] {
        let output = run_in(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let help = stdout(&output);
        assert!(help.contains("Examples:"), "{args:?}: {help}");
        assert!(help.contains("Exit codes"), "{args:?}: {help}");
        assert!(help.contains("i797 "), "{args:?}: {help}");
    }
    let scan = stdout(&run_in(dir.path(), &["scan", "--help"]));
    for code in ["0 ", "1 ", "2 ", "130"] {
        assert!(
            scan.contains(&format!("\n  {code}")),
            "exit code {code}: {scan}"
        );
    }
    for option in ["--files-from", "--bom", "--no-formula-guard", "--shard"] {
        assert!(scan.contains(option), "{option}: {scan}");
    }
}

#[test]
fn completions_and_manual_pages_come_from_the_command_line_definition() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = run_in(dir.path(), &["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        for word in ["scan", "merge", "files-from", "format"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    // bash loads the script and then completes `i797 mer` to `merge`.
    let bash = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source <('{}' completions bash) && COMP_WORDS=(i797 mer) COMP_CWORD=1 \
             COMP_LINE='i797 mer' COMP_POINT=8 && _i797 i797 mer i797 && echo \"${{COMPREPLY[@]}}\"",
            env!("CARGO_BIN_EXE_i797")
        ))
        .output()
        .expect("bash runs");
    assert_eq!(stdout(&bash).trim(), "merge", "{}", stderr(&bash));
    let bad = run_in(dir.path(), &["completions", "cmd.exe"]);
    assert_eq!(bad.status.code(), Some(2));
    let man = run_in(dir.path(), &["man"]);
    assert_eq!(man.status.code(), Some(0));
    let page = stdout(&man);
    assert!(page.contains(".TH i797 1"), "{page}");
    assert!(page.contains("Exit codes"), "{page}");
    let scan = stdout(&run_in(dir.path(), &["man", "scan"]));
    assert!(scan.contains(".TH i797-scan 1"), "{scan}");
    assert!(scan.contains("files\\-from"), "{scan}");
    assert_eq!(
        run_in(dir.path(), &["man", "nonsense"]).status.code(),
        Some(2)
    );
}

#[test]
fn version_names_the_engines_and_models_that_decide_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let version = stdout(&run_in(dir.path(), &["--version"]));
    let mut lines = version.lines();
    assert_eq!(
        lines.next(),
        Some(format!("i797 {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    let rest: Vec<&str> = lines.collect();
    let starts = |prefix: &str| rest.iter().any(|l| l.starts_with(prefix));
    assert!(starts("tesseract "), "{version}");
    assert!(starts("leptonica "), "{version}");
    // With the models where `I797_MODELS` points: one there (hash shown), one missing.
    let models = dir.path().join("models");
    std::fs::create_dir(&models).unwrap();
    std::fs::write(models.join("PP-OCRv6_det_small.onnx"), b"abc").unwrap();
    let output = i797()
        .env("I797_MODELS", &models)
        .arg("--version")
        .output()
        .unwrap();
    let text = stdout(&output);
    assert!(
        text.contains("model PP-OCRv6_det_small.onnx sha256:ba7816bf8f01"),
        "{text}"
    );
    assert!(
        text.contains("model PP-OCRv6_rec_small.onnx not installed"),
        "{text}"
    );
    // -V stays one short line.
    assert_eq!(stdout(&run_in(dir.path(), &["-V"])).lines().count(), 1);
}

#[test]
fn files_from_reads_a_list_from_a_file_or_standard_input() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    mixed_folder(dir.path());
    let everything = csv_rows(&stdout(&run_in(dir.path(), &["scan", "clients"])));
    let want = [
        "clients/ana/receipt.pdf",
        "clients/josé/recibo de García.pdf",
        "clients/notes.txt",
    ];
    let expected: Vec<_> = everything
        .iter()
        .filter(|r| want.contains(&r["file"].as_str()))
        .cloned()
        .collect();
    assert_eq!(expected.len(), 3);
    // A list file, with CRLF line ends and a blank line.
    put(
        dir.path(),
        "list.txt",
        b"clients/notes.txt\r\n\r\nclients/ana/receipt.pdf\r\n",
    );
    let from_file = run_in(
        dir.path(),
        &[
            "scan",
            "clients/jos\u{e9}/recibo de Garc\u{ed}a.pdf",
            "--files-from",
            "list.txt",
        ],
    );
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    assert_eq!(csv_rows(&stdout(&from_file)), expected);
    // Standard input, NUL-separated (as `find -print0` writes).
    let mut child = i797()
        .current_dir(dir.path())
        .args(["scan", "--files-from", "-", "-0"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(want.join("\0").as_bytes())
        .unwrap();
    let from_stdin = child.wait_with_output().unwrap();
    assert_eq!(from_stdin.status.code(), Some(0), "{}", stderr(&from_stdin));
    assert_eq!(csv_rows(&stdout(&from_stdin)), expected);
    // A list that cannot be read stops the run before anything is read.
    let missing = run_in(dir.path(), &["scan", "--files-from", "no-such-list.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no-such-list.txt"),
        "{}",
        stderr(&missing)
    );
    assert!(missing.stdout.is_empty());
    // -0 without a list makes no sense.
    assert_eq!(
        run_in(dir.path(), &["scan", "clients", "-0"]).status.code(),
        Some(2)
    );
}

/// Runs `i797 args…` in `dir` with stdout and stderr on one pseudo-terminal (as in a terminal
/// window) and returns all it drew there.
#[cfg(unix)]
fn run_on_terminal(dir: &Path, args: &[&str]) -> String {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut leader, mut follower) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new descriptors, which we own from here on.
    let opened = unsafe {
        libc::openpty(
            &mut leader,
            &mut follower,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "openpty");
    let (leader, follower) =
        unsafe { (OwnedFd::from_raw_fd(leader), OwnedFd::from_raw_fd(follower)) };
    let mut command = i797();
    command
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(follower.try_clone().expect("a second descriptor"))
        .stderr(follower);
    let mut child = command.spawn().expect("i797 runs");
    drop(command); // our copies of the terminal's far end: reading ends when the child's close
    let mut screen = Vec::new();
    let mut leader = std::fs::File::from(leader);
    let mut buffer = [0u8; 4096];
    // Linux reports EIO once the child has closed the terminal.
    while let Ok(n) = leader.read(&mut buffer) {
        if n == 0 {
            break;
        }
        screen.extend_from_slice(&buffer[..n]);
    }
    child.wait().expect("i797 ends");
    String::from_utf8_lossy(&screen).into_owned()
}

#[cfg(unix)]
#[test]
fn on_a_terminal_the_bar_never_mixes_with_rows_written_to_it() {
    let dir = tempfile::tempdir().unwrap();
    many_notices(dir.path(), 150);
    // What only the bar prints (the summary also says `N files (…)`).
    let bar = " left)";
    // Rows to a file: the bar is drawn (this proves the terminal is seen as one).
    let to_file = run_on_terminal(
        dir.path(),
        &["scan", "batch", "--jobs", "1", "-o", "out.csv"],
    );
    assert!(to_file.contains(bar), "the bar shows: {to_file:?}");
    // Rows to the terminal: no bar; every row is whole on its line.
    let to_terminal = run_on_terminal(dir.path(), &["scan", "batch", "--jobs", "1"]);
    assert!(!to_terminal.contains(bar), "{to_terminal:?}");
    assert!(
        !to_terminal.contains('\u{1b}'),
        "no cursor movement: {to_terminal:?}"
    );
    let expected = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    // The terminal turns each line end into CR LF: the CSV's CRLF arrives as CR CR LF.
    let rows: Vec<&str> = to_terminal
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    for line in expected.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(rows.contains(&line), "row missing or broken: {line}");
    }
}

/// `-q` leaves stderr empty on a clean run (errors still show), `-v` names each file with how it
/// was read and what it took, `-vv` adds its row counts; no level logs what a page says, and
/// stdout is the same at every level.
#[test]
fn log_levels_show_more_or_less_but_never_what_a_page_says() {
    let dir = tempfile::tempdir().unwrap();
    put(
        dir.path(),
        "client/a.pdf",
        &receipt_notice_pdf("EAC2190012345", "I130", "RIVERA, ANA"),
    );
    let run = |level: &[&str]| {
        let mut args = vec!["scan", "client"];
        args.extend_from_slice(level);
        let output = run_in(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        (stdout(&output), stderr(&output))
    };
    let (rows, default) = run(&[]);
    assert!(default.contains("1 files"), "the summary: {default}");
    let (quiet_rows, quiet) = run(&["-q"]);
    assert_eq!(quiet, "", "errors only");
    let (verbose_rows, verbose) = run(&["-v"]);
    assert!(
        verbose.contains("client/a.pdf: 1 page(s) in ") && verbose.contains("the PDF's text"),
        "{verbose}"
    );
    let (debug_rows, debug) = run(&["-vv"]);
    assert!(
        debug.contains("i797: debug: client/a.pdf: 1 row(s): 1 ok"),
        "{debug}"
    );
    assert!(debug.contains("i797: debug: "), "{debug}");
    for (rows_at_level, log) in [
        (quiet_rows, quiet),
        (verbose_rows, verbose),
        (debug_rows, debug),
    ] {
        assert_eq!(rows_at_level, rows, "stdout is data only, at every level");
        for read_from_the_page in ["EAC2190012345", "RIVERA", "2021-01-22", "I-130"] {
            assert!(
                !log.contains(read_from_the_page),
                "{read_from_the_page} in {log}"
            );
        }
    }
    // Errors show even with -q.
    let refused = run_in(
        dir.path(),
        &["scan", "client", "-q", "-o", "no/such/out.csv"],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("i797: error: "),
        "{}",
        stderr(&refused)
    );
}
