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
