//! `i797 find` on the phone photos in `samples/photos/` (and a non-notice), as an applicant
//! would run it: the right number, said clearly, in the terminal report and in `--json`.

mod common;

use std::path::Path;

use common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The receipt number `samples/expected.csv` holds for one sample file.
fn expected_number(file: &str) -> String {
    let expected = std::fs::read_to_string(repo().join("samples/expected.csv")).expect("read");
    let rows = csv_rows(&expected);
    let row = rows
        .iter()
        .find(|r| r["file"] == file)
        .expect("sample has a row");
    row["receipt_number"].clone()
}

fn photos() -> Vec<String> {
    let folder = repo().join("samples/photos");
    let mut photos: Vec<String> = std::fs::read_dir(folder)
        .expect("samples/photos")
        .flatten()
        .map(|e| format!("samples/photos/{}", e.file_name().to_string_lossy()))
        .collect();
    photos.sort();
    assert!(photos.len() >= 4);
    photos
}

#[test]
fn json_gives_each_photo_its_number_and_never_a_guess_as_certain() {
    let photos = photos();
    let mut args = vec!["find", "--json"];
    args.extend(photos.iter().map(String::as_str));
    let output = run_in(repo(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let reports: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(reports.len(), photos.len());
    for (photo, report) in photos.iter().zip(&reports) {
        assert_eq!(report["file"], photo.as_str());
        let numbers = report["numbers"].as_array().unwrap();
        assert_eq!(numbers.len(), 1, "{report}");
        let number = &numbers[0];
        assert_eq!(
            number["receipt_number"],
            expected_number(photo).as_str(),
            "{report}"
        );
        let grouped = number["read_aloud"].as_str().unwrap().replace(' ', "");
        assert_eq!(grouped, number["receipt_number"].as_str().unwrap());
        if number["needs_review"] == true {
            assert!(
                !number["reasons"].as_array().unwrap().is_empty(),
                "uncertain without a reason: {report}"
            );
        }
    }
}

#[test]
fn the_terminal_report_says_the_number_clearly_and_colours_only_when_asked() {
    let photo = "samples/photos/phone-i797c-receipt-i485-msc-angle.jpg";
    let number = expected_number(photo);
    let plain = run_in(repo(), &["find", photo]);
    let text = stdout(&plain);
    assert!(
        text.contains(&format!("{number}         type exactly this")),
        "{text}"
    );
    let aloud = format!(
        "{} {} {} {}",
        &number[..3],
        &number[3..5],
        &number[5..8],
        &number[8..]
    );
    assert!(text.contains(&format!("{aloud}      read aloud")), "{text}");
    assert!(
        text.contains("National Benefits Center") && text.contains("I-797C"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes when piped: {text}"
    );
    let coloured = stdout(&run_in(repo(), &["find", "--color", "always", photo]));
    assert!(coloured.contains("\u{1b}[1;36m"), "{coloured}");
}

#[test]
fn a_document_that_is_not_a_notice_is_explained_not_guessed() {
    let output = run_in(
        repo(),
        &[
            "find",
            "samples/other/passport-specimen-scan.png",
            "samples/other/i94-record-scan.pdf",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("No number found."), "{text}");
    assert!(text.contains("passport"), "{text}");
    assert!(text.contains("I-94 record"), "{text}");
    assert!(!text.contains("type exactly this"), "{text}");
}
