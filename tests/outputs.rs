//! The outputs each reader gets: a CSV with an optional byte-order mark and a formula guard
//! that never alters `file`; JSON Lines whose rows the published schema describes; `find --json`
//! with the scan's field names for the same facts; `--resume` across all of them.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn folder(dir: &Path) {
    put(
        dir,
        "in/-Gonzalez intake.pdf",
        &receipt_notice_pdf("EAC2190012345", "I130", "GONZALEZ, ANA"),
    );
    put(
        dir,
        "in/=HYPERLINK(1).pdf",
        &receipt_notice_pdf("WAC2290054321", "I765", "GARCÍA, JOSÉ"),
    );
    put(
        dir,
        "in/recibo de García.pdf",
        &receipt_notice_pdf("LIN2212345678", "I485", "GARCIA, JOSE"),
    );
    put(dir, "in/broken.pdf", b"%PDF-1.4\n1 0 obj <<");
}

#[test]
fn the_bom_opens_the_csv_and_changes_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    folder(dir.path());
    let plain = run_in(dir.path(), &["scan", "in"]);
    let with_bom = run_in(dir.path(), &["scan", "in", "--bom"]);
    assert!(!plain.stdout.starts_with(BOM));
    assert_eq!(&with_bom.stdout[..3], BOM);
    assert_eq!(&with_bom.stdout[3..], plain.stdout.as_slice());
    // An output with a BOM resumes like any other, from a cut anywhere (even inside the BOM).
    run_in(dir.path(), &["scan", "in", "--bom", "-o", "full.csv"]);
    let full = std::fs::read(dir.path().join("full.csv")).unwrap();
    for cut in [2, 10, full.len() / 2, full.len() - 1] {
        std::fs::write(dir.path().join("cut.csv"), &full[..cut]).unwrap();
        let resumed = run_in(
            dir.path(),
            &["scan", "in", "--bom", "-o", "cut.csv", "--resume"],
        );
        assert!(
            resumed.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&resumed)
        );
        assert_eq!(
            std::fs::read(dir.path().join("cut.csv")).unwrap(),
            full,
            "cut at {cut}"
        );
    }
    // Resumed with the other choice: the whole output follows this run's choice.
    run_in(dir.path(), &["scan", "in", "-o", "plain.csv"]);
    let plain = std::fs::read(dir.path().join("plain.csv")).unwrap();
    std::fs::write(dir.path().join("cut.csv"), &plain[..plain.len() / 2]).unwrap();
    run_in(
        dir.path(),
        &["scan", "in", "--bom", "-o", "cut.csv", "--resume"],
    );
    assert_eq!(std::fs::read(dir.path().join("cut.csv")).unwrap(), full);
}

#[test]
fn the_formula_guard_never_alters_the_file_column() {
    let dir = tempfile::tempdir().unwrap();
    folder(dir.path());
    for extra in [None, Some("--no-formula-guard")] {
        let mut args = vec!["scan", "in"];
        args.extend(extra);
        let rows = csv_rows(&stdout(&run_in(dir.path(), &args)));
        let files: Vec<&str> = rows.iter().map(|r| r["file"].as_str()).collect();
        for name in ["in/-Gonzalez intake.pdf", "in/=HYPERLINK(1).pdf"] {
            assert!(files.contains(&name), "{extra:?}: {files:?}");
            // The row names a file that is on disk, as a database import would look it up.
            assert!(dir.path().join(name).is_file());
        }
    }
}

#[test]
fn json_lines_rows_match_the_published_schema() {
    let dir = tempfile::tempdir().unwrap();
    folder(dir.path());
    let schema_run = run_in(dir.path(), &["schema"]);
    assert_eq!(schema_run.status.code(), Some(0));
    let schema: Value = serde_json::from_slice(&schema_run.stdout).unwrap();
    // The published copy is the generated one.
    let published =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/row.schema.json"))
            .expect("docs/row.schema.json is published");
    assert_eq!(
        serde_json::from_slice::<Value>(&published).unwrap(),
        schema,
        "regenerate it: i797 schema > docs/row.schema.json"
    );
    let properties = schema["properties"].as_object().unwrap();
    let jsonl = stdout(&run_in(dir.path(), &["scan", "in", "--format", "jsonl"]));
    let mut kinds_seen = std::collections::BTreeSet::new();
    for line in jsonl.lines() {
        let row: serde_json::Map<String, Value> = serde_json::from_str(line).unwrap();
        let names: Vec<&String> = row.keys().collect();
        let declared: Vec<&String> = properties.keys().collect();
        assert_eq!(names, declared, "every field, in schema order");
        for (name, value) in &row {
            let kind = match value {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Number(n) if n.is_u64() => "integer",
                Value::String(_) => "string",
                _ => "other",
            };
            kinds_seen.insert(kind);
            let allowed = properties[name]["type"].as_array().unwrap();
            assert!(allowed.contains(&Value::from(kind)), "{name}: {value}");
            if properties[name].get("format") == Some(&Value::from("date"))
                && let Value::String(date) = value
            {
                assert!(
                    date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
                    "{name}: {date}"
                );
            }
        }
    }
    assert_eq!(
        kinds_seen.into_iter().collect::<Vec<_>>(),
        ["boolean", "integer", "null", "string"],
        "the rows exercise every type"
    );
}

#[test]
fn find_json_uses_the_scan_names_and_values_for_the_same_facts() {
    let dir = tempfile::tempdir().unwrap();
    folder(dir.path());
    let file = "in/recibo de García.pdf";
    let found = run_in(dir.path(), &["find", "--json", file]);
    assert_eq!(found.status.code(), Some(0), "{}", stderr(&found));
    let reports: Vec<Value> = serde_json::from_slice(&found.stdout).unwrap();
    let number = reports[0]["numbers"][0].as_object().unwrap().clone();
    let jsonl = stdout(&run_in(dir.path(), &["scan", file, "--format", "jsonl"]));
    let row: serde_json::Map<String, Value> =
        serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    // The facts both state, under one name each, with equal values.
    let shared: Vec<&String> = number.keys().filter(|k| row.contains_key(*k)).collect();
    for name in [
        "receipt_number",
        "number_kind",
        "service_center",
        "form",
        "notice_type",
        "case_type",
        "notice_date",
        "page",
        "text_source",
        "confidence",
        "needs_review",
    ] {
        assert!(
            shared.iter().any(|k| *k == name),
            "find --json lacks {name}: {number:?}"
        );
        assert_eq!(number[name], row[name], "{name}");
    }
    // The old names are gone; the explanations stay.
    for old in ["number", "kind", "office", "certain"] {
        assert!(!number.contains_key(old), "{old}");
    }
    for extra in [
        "read_aloud",
        "kind_label",
        "check_positions",
        "reasons",
        "turned",
    ] {
        assert!(number.contains_key(extra), "{extra}");
    }
}

#[test]
fn a_typed_json_lines_output_is_read_back_by_resume() {
    let dir = tempfile::tempdir().unwrap();
    folder(dir.path());
    run_in(
        dir.path(),
        &["scan", "in", "--format", "jsonl", "-o", "full.jsonl"],
    );
    let full = std::fs::read(dir.path().join("full.jsonl")).unwrap();
    assert!(String::from_utf8_lossy(&full).contains("\"page\":1,"));
    let first_row_end = full.iter().position(|&b| b == b'\n').unwrap() + 1;
    for cut in [first_row_end, first_row_end + 7, full.len() - 3] {
        std::fs::write(dir.path().join("cut.jsonl"), &full[..cut]).unwrap();
        let resumed = run_in(
            dir.path(),
            &[
                "scan",
                "in",
                "--format",
                "jsonl",
                "-o",
                "cut.jsonl",
                "--resume",
            ],
        );
        assert!(
            resumed.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&resumed)
        );
        assert_eq!(
            std::fs::read(dir.path().join("cut.jsonl")).unwrap(),
            full,
            "cut at {cut}"
        );
        // The typed rows were read back and kept, not read again (the last whole file is
        // always read again: its rows may have been cut short).
        assert!(
            cut < full.len() / 2 || stderr(&resumed).contains("2 kept from the interrupted run"),
            "cut at {cut}: {}",
            stderr(&resumed)
        );
    }
}
