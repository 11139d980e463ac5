//! Robustness on real third-party files (`../shared/corpus/wild`, described by its MANIFEST.tsv):
//! every file gets a row with the status its kind implies, and nothing panics or hangs.
//! The corpus lives outside the repository; when it is absent this test says so loudly.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::*;

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wild");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

#[test]
fn every_wild_file_gets_the_row_its_kind_implies() {
    let Some(dir) = corpus() else {
        eprintln!(
            "\n*** SKIPPED: ../shared/corpus/wild is not here; the robustness test did not run ***\n"
        );
        return;
    };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let expected: BTreeMap<String, String> = manifest
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields[0].to_string(), fields[6].to_string())
        })
        .collect();
    let output = run_in(&dir, &["scan", ".", "--jobs", "2"]);
    let err = stderr(&output);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        output.status.code(),
        Some(1),
        "some files are unreadable by design: {err}"
    );
    let rows = csv_rows(&stdout(&output));

    let mut problems = Vec::new();
    for (file, kind) in &expected {
        let mine: Vec<_> = rows
            .iter()
            .filter(|r| r["file"] == format!("./{file}"))
            .collect();
        if mine.is_empty() {
            problems.push(format!("{file}: no row"));
            continue;
        }
        let statuses: Vec<&str> = mine.iter().map(|r| r["status"].as_str()).collect();
        let messages: Vec<&str> = mine.iter().map(|r| r["message"].as_str()).collect();
        let fine = match kind.as_str() {
            // Readable documents: read to the end; none of them is a USCIS notice.
            "text" | "scan" | "encrypted-empty-password" => statuses == ["no_notice"],
            // Damaged files that viewers still open. When the repaired pages turn out to draw
            // nothing at all (PDFBox-4352: poppler shows an empty page), the honest answer to
            // a paralegal is that the file is damaged, not that it was read.
            "malformed-but-readable" => {
                statuses == ["no_notice"]
                    || (statuses == ["error"]
                        && messages[0].contains("damaged")
                        && messages[0].contains("nothing could be read"))
            }
            "encrypted-password" => statuses == ["error"] && messages[0].contains("password"),
            "unreadable" => statuses == ["error"] && !messages[0].is_empty(),
            "not-a-pdf" => {
                statuses == ["error"] && messages[0].starts_with("not a PDF although named so")
            }
            other => panic!("unknown manifest kind {other}"),
        };
        if !fine {
            problems.push(format!("{file} ({kind}): {statuses:?} {messages:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} files misread:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
