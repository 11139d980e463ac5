//! Duplicates and the case view end to end: text-PDF samples copied into a folder (one twice
//! under another name, one saved again with other bytes), notices of one case generated beside
//! them, scanned with `--cases`; the same through `--shard` + `merge --cases` and `--resume`.
#![allow(clippy::unwrap_used)] // helpers fail the test like the tests do

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

type Row = BTreeMap<String, String>;

fn sample(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/text")
        .join(name);
    std::fs::read(path).unwrap()
}

/// The receipt number on `samples/text/i797c-receipt-i130-eac.pdf`.
const BERGSTROMER: &str = "EAC2108235877";
/// The case number on `samples/text/nvc-welcome-letter-mnl.pdf`.
const NVC_CASE: &str = "MNL2020547051";

/// A one-page notice of `receipt` as a text PDF, of the given type and notice date, for the
/// Bergstromers.
fn notice_pdf(form: &str, receipt: &str, notice_type: &str, notice_date: &str) -> Vec<u8> {
    let parties = ("BERGSTROMER, YUKI", "BERGSTROMER, OSKAR");
    notice_for(form, receipt, notice_type, notice_date, parties)
}

/// A one-page notice as a text PDF, with the applicant (petitioner) and beneficiary.
fn notice_for(
    form: &str,
    receipt: &str,
    notice_type: &str,
    notice_date: &str,
    (applicant, beneficiary): (&str, &str),
) -> Vec<u8> {
    NoticePdf {
        form,
        notice_type,
        received: "01/25/2021".to_string(),
        notice_date: notice_date.to_string(),
        applicant,
        beneficiary,
        ..NoticePdf::receipt(receipt)
    }
    .pdf()
}

/// A client folder: the Bergstromer case with its receipt (as downloaded, a same-bytes copy
/// under another name, and the same notice saved again with other bytes), a biometrics notice
/// and an approval; two other cases; an NVC letter; a broken file.
fn client_folder(dir: &Path) {
    let receipt = sample("i797c-receipt-i130-eac.pdf");
    put(dir, "clients/bergstromer/1 receipt.pdf", &receipt);
    put(dir, "clients/bergstromer/receipt (copy).pdf", &receipt);
    // Saved again by a viewer: the same pages, other bytes (a comment after the end).
    let mut resaved = receipt.clone();
    resaved.extend_from_slice(b"\n% saved again\n");
    put(dir, "clients/inbox/scan-0042.pdf", &resaved);
    put(
        dir,
        "clients/bergstromer/2 biometrics.pdf",
        &notice_pdf(
            "I-797C",
            BERGSTROMER,
            "ASC Appointment Notice",
            "03/15/2021",
        ),
    );
    put(
        dir,
        "clients/bergstromer/3 approval.pdf",
        &notice_pdf("I-797", BERGSTROMER, "Approval Notice", "11/30/2021"),
    );
    put(
        dir,
        "clients/lindqvist/receipt.pdf",
        &sample("i797c-receipt-i765-nbc.pdf"),
    );
    put(
        dir,
        "clients/oyelaran/approval.pdf",
        &sample("i797-approval-i140-src.pdf"),
    );
    put(
        dir,
        "clients/villasante/nvc.pdf",
        &sample("nvc-welcome-letter-mnl.pdf"),
    );
    put(dir, "clients/inbox/broken.pdf", b"%PDF-1.4\n1 0 obj <<");
    // Two notices for each of two more cases.
    put(
        dir,
        "clients/lindqvist/biometrics.pdf",
        &notice_for(
            "I-797C",
            "NBC2291220866",
            "ASC Appointment Notice",
            "09/01/2022",
            ("LINDQVIST, LUCIA", ""),
        ),
    );
    put(
        dir,
        "clients/oyelaran/rfe.pdf",
        &notice_for(
            "I-797E",
            "SRC2202973572",
            "Request for Evidence",
            "01/10/2022",
            ("LANTERNFISH DATA SYSTEMS INC", "OYELARAN, DMITRI"),
        ),
    );
}

fn scan_ok(dir: &Path, args: &[&str]) {
    let output = run_in(dir, args);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        stderr(&output)
    );
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn by_file<'a>(rows: &'a [Row], file: &str) -> &'a Row {
    rows.iter()
        .find(|r| r["file"] == file)
        .unwrap_or_else(|| panic!("no row for {file}"))
}

#[test]
fn copies_and_rescans_are_marked_and_each_case_gathers_its_notices() {
    let dir = tempfile::tempdir().unwrap();
    client_folder(dir.path());
    scan_ok(
        dir.path(),
        &["scan", "clients", "-o", "rows.csv", "--cases", "cases.csv"],
    );
    let rows = csv_rows(&read(dir.path(), "rows.csv"));
    let duplicate_of = |file: &str| by_file(&rows, file)["duplicate_of"].clone();
    // Output order is path order: "1 receipt.pdf" is the first copy.
    assert_eq!(duplicate_of("clients/bergstromer/1 receipt.pdf"), "");
    assert_eq!(
        duplicate_of("clients/bergstromer/receipt (copy).pdf"),
        "clients/bergstromer/1 receipt.pdf",
        "same bytes: names the first file"
    );
    assert_eq!(
        duplicate_of("clients/inbox/scan-0042.pdf"),
        "clients/bergstromer/1 receipt.pdf#1",
        "same notice, other bytes: names the first row"
    );
    for file in [
        "clients/bergstromer/2 biometrics.pdf",
        "clients/bergstromer/3 approval.pdf",
        "clients/inbox/broken.pdf",
        "clients/lindqvist/receipt.pdf",
        "clients/villasante/nvc.pdf",
    ] {
        assert_eq!(duplicate_of(file), "", "{file}");
    }

    let cases = csv_rows(&read(dir.path(), "cases.csv"));
    let numbers: Vec<&str> = cases.iter().map(|c| c["case_number"].as_str()).collect();
    assert_eq!(
        numbers,
        [BERGSTROMER, NVC_CASE, "NBC2291220866", "SRC2202973572"],
        "one row per case number, by number; none for the broken file"
    );
    let case = &cases[0];
    assert_eq!(
        case["notices"],
        "clients/bergstromer/1 receipt.pdf#1 Receipt Notice 2021-02-04 | \
         clients/bergstromer/2 biometrics.pdf#1 ASC Appointment Notice 2021-03-15 | \
         clients/bergstromer/3 approval.pdf#1 Approval Notice 2021-11-30"
    );
    assert_eq!(case["notice_count"], "3");
    assert_eq!(case["latest_state"], "approved 2021-11-30");
    assert_eq!(case["duplicate_rows"], "2");
    assert_eq!(case["case_type"], "I-130");
    assert_eq!(case["form"], "I-797C; I-797");
    assert_eq!(case["applicant"], "BERGSTROMER, YUKI");
    assert_eq!(case["beneficiary"], "BERGSTROMER, OSKAR");
    assert_eq!(case["needs_review"], "false");
    let nvc = &cases[1];
    assert_eq!(nvc["number_kind"], "nvc_case");
    assert_eq!(nvc["latest_state"], "at NVC");
    assert_eq!(nvc["notices"], "clients/villasante/nvc.pdf#1");
    assert_eq!(
        cases[2]["notices"],
        "clients/lindqvist/receipt.pdf#1 Receipt Notice 2022-08-05 | \
         clients/lindqvist/biometrics.pdf#1 ASC Appointment Notice 2022-09-01"
    );
    assert_eq!(
        cases[2]["latest_state"],
        "biometrics appointment 2022-09-01"
    );
    assert_eq!(cases[2]["applicant"], "LINDQVIST, LUCIA");
    assert_eq!(
        cases[3]["notices"],
        "clients/oyelaran/rfe.pdf#1 Request for Evidence 2022-01-10 | \
         clients/oyelaran/approval.pdf#1 Approval Notice 2022-03-21"
    );
    assert_eq!(cases[3]["latest_state"], "approved 2022-03-21");
    assert_eq!(cases[3]["form"], "I-797; I-797E");

    // The same run in JSON Lines: the same cases, lists as arrays.
    scan_ok(
        dir.path(),
        &[
            "scan",
            "clients",
            "--format",
            "jsonl",
            "-o",
            "rows.jsonl",
            "--cases",
            "cases.jsonl",
        ],
    );
    let json: Vec<serde_json::Value> = read(dir.path(), "cases.jsonl")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(json.len(), cases.len());
    assert_eq!(json[0]["notices"][2]["notice_type"], "Approval Notice");
    assert_eq!(json[0]["form"], serde_json::json!(["I-797C", "I-797"]));
    assert_eq!(json[0]["duplicate_rows"], 2);
}

#[test]
fn shards_merged_with_cases_give_the_single_run_rows_and_cases() {
    let dir = tempfile::tempdir().unwrap();
    client_folder(dir.path());
    // Copies that `--shard 0/2` reads while the shard 1/2 reads the others (shards go by a
    // hash of the path): the one in `archive/` comes first in the merged order.
    let receipt = sample("i797c-receipt-i130-eac.pdf");
    put(dir.path(), "clients/archive/receipt.pdf", &receipt);
    let mut resaved = receipt;
    resaved.extend_from_slice(b"\n% saved once more\n");
    put(dir.path(), "clients/inbox/scan-0043.pdf", &resaved);
    scan_ok(
        dir.path(),
        &[
            "scan",
            "clients",
            "-o",
            "all.csv",
            "--cases",
            "all-cases.csv",
        ],
    );
    for k in 0..2 {
        scan_ok(
            dir.path(),
            &[
                "scan",
                "clients",
                "--shard",
                &format!("{k}/2"),
                "-o",
                &format!("shard-{k}.csv"),
            ],
        );
    }
    let merged = run_in(
        dir.path(),
        &[
            "merge",
            "merged.csv",
            "shard-0.csv",
            "shard-1.csv",
            "--cases",
            "merged-cases.csv",
        ],
    );
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    let all = read(dir.path(), "all.csv");
    assert!(
        all.contains("clients/bergstromer/1 receipt.pdf"),
        "the folder was read"
    );
    // Each shard alone sees fewer duplicates than the whole; the merge must set them again.
    let marked = |text: &str| {
        csv_rows(text)
            .iter()
            .filter(|r| !r["duplicate_of"].is_empty())
            .count()
    };
    let shard_marks =
        marked(&read(dir.path(), "shard-0.csv")) + marked(&read(dir.path(), "shard-1.csv"));
    assert!(
        shard_marks < marked(&all),
        "the split must separate copies to test anything"
    );
    assert!(
        // `duplicate_of`, then `invoice_id` (empty on a receipt's row).
        all.contains(",clients/archive/receipt.pdf,\r\n"),
        "the first copy is the one in archive/: {all}"
    );
    assert_eq!(read(dir.path(), "merged.csv"), all);
    assert_eq!(
        read(dir.path(), "merged-cases.csv"),
        read(dir.path(), "all-cases.csv")
    );
}

#[test]
fn a_resumed_run_writes_the_marks_and_cases_of_an_uninterrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    client_folder(dir.path());
    scan_ok(
        dir.path(),
        &[
            "scan",
            "clients",
            "-o",
            "full.csv",
            "--cases",
            "full-cases.csv",
        ],
    );
    let full = read(dir.path(), "full.csv");
    let full_cases = read(dir.path(), "full-cases.csv");
    // Cut after each whole file's rows: the kept rows must seed what the rest is compared to.
    let ends: Vec<usize> = full.match_indices("\r\n").map(|(at, _)| at + 2).collect();
    for &cut in &ends[..ends.len() - 1] {
        std::fs::write(dir.path().join("cut.csv"), &full[..cut]).unwrap();
        scan_ok(
            dir.path(),
            &[
                "scan",
                "clients",
                "-o",
                "cut.csv",
                "--cases",
                "cut-cases.csv",
                "--resume",
            ],
        );
        assert_eq!(read(dir.path(), "cut.csv"), full, "cut at {cut}");
        assert_eq!(
            read(dir.path(), "cut-cases.csv"),
            full_cases,
            "cut at {cut}"
        );
    }
}

#[test]
fn merge_links_an_nvc_letter_and_the_receipt_it_quotes_on_both_cases() {
    let dir = tempfile::tempdir().unwrap();
    client_folder(dir.path());
    // One shard of one: merge joins only outputs with a shard manifest.
    scan_ok(
        dir.path(),
        &["scan", "clients", "--shard", "0/1", "-o", "rows.csv"],
    );
    // The NVC letter's row, as the reader writes it when the letter quotes the USCIS receipt.
    let mut rows = csv_rows(&read(dir.path(), "rows.csv"));
    let columns: Vec<String> = rows[0].keys().cloned().collect();
    let header = read(dir.path(), "rows.csv")
        .lines()
        .next()
        .unwrap()
        .to_string();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .has_headers(false)
        .from_writer(Vec::new());
    for row in &mut rows {
        if row["receipt_number"] == NVC_CASE {
            row.insert("linked_receipt".into(), BERGSTROMER.into());
        }
        let ordered: Vec<&str> = header.split(',').map(|c| row[c].as_str()).collect();
        writer.write_record(ordered).unwrap();
    }
    assert_eq!(columns.len(), header.split(',').count());
    let mut linked = format!("{header}\r\n").into_bytes();
    linked.extend(writer.into_inner().unwrap());
    // Its manifest, as the run that wrote these rows would leave it.
    let mut manifest: serde_json::Value =
        serde_json::from_str(&read(dir.path(), "rows.csv.i797-shard")).unwrap();
    let digest: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&linked)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    manifest["output_sha256"] = digest.into();
    std::fs::write(
        dir.path().join("linked.csv.i797-shard"),
        manifest.to_string(),
    )
    .unwrap();
    std::fs::write(dir.path().join("linked.csv"), linked).unwrap();
    let merged = run_in(
        dir.path(),
        &["merge", "merged.csv", "linked.csv", "--cases", "cases.csv"],
    );
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    let cases = csv_rows(&read(dir.path(), "cases.csv"));
    let linked_cases = |number: &str| {
        cases.iter().find(|c| c["case_number"] == number).unwrap()["linked_cases"].clone()
    };
    assert_eq!(linked_cases(NVC_CASE), BERGSTROMER);
    assert_eq!(linked_cases(BERGSTROMER), NVC_CASE);
    assert_eq!(linked_cases("NBC2291220866"), "");
}

#[test]
fn a_cases_path_that_would_destroy_a_file_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    client_folder(dir.path());
    put(dir.path(), "clients/notes.txt", b"call the client\n");
    for (args, says) in [
        (
            vec![
                "scan",
                "clients",
                "--cases",
                "clients/oyelaran/approval.pdf",
            ],
            "a PDF",
        ),
        (
            vec!["scan", "clients", "--cases", "clients/notes.txt"],
            "one of the files to read",
        ),
        (
            vec!["scan", "clients", "-o", "out.csv", "--cases", "./out.csv"],
            "same file",
        ),
    ] {
        let output = run_in(dir.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{args:?}: nothing read");
    }
    assert_eq!(read(dir.path(), "clients/notes.txt"), "call the client\n");
    assert!(
        sample("i797-approval-i140-src.pdf")
            == std::fs::read(dir.path().join("clients/oyelaran/approval.pdf")).unwrap()
    );
    // An earlier case view inside the scanned folder is not read as an input, and is replaced.
    scan_ok(
        dir.path(),
        &["scan", "clients", "--cases", "clients/cases.csv"],
    );
    let again = run_in(
        dir.path(),
        &["scan", "clients", "--cases", "clients/cases.csv"],
    );
    assert!(
        !stdout(&again).contains("clients/cases.csv"),
        "{}",
        stdout(&again)
    );
    assert!(stderr(&again).contains("case view"), "{}", stderr(&again));
}
