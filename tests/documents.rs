//! The binary on documents that are no notices and on NVC letters, end to end: a card, a visa
//! foil and a handout (text PDF made here, and the bundled scans) give no case row and say what
//! they are; an NVC letter quoting the petition's receipt gives one row linked to it.

mod common;

use std::path::Path;

use common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_handout_and_a_card_in_one_pdf_give_no_case_and_name_each_page() {
    let dir = tempfile::tempdir().unwrap();
    let handout: Page = vec![
        vec![(54.0, "How to check your case status")],
        vec![(
            54.0,
            "Your receipt number has 13 characters: three letters and 10 numbers.",
        )],
        vec![(54.0, "For example EAC2190012345 or IOE0912345678.")],
    ];
    let card: Page = vec![
        vec![(54.0, "UNITED STATES OF AMERICA")],
        vec![(54.0, "EMPLOYMENT AUTHORIZATION CARD")],
        vec![(54.0, "Surname"), (200.0, "DOE")],
        vec![(54.0, "Given Name"), (200.0, "JANE")],
        vec![
            (54.0, "USCIS#"),
            (200.0, "123-456-789"),
            (330.0, "Category"),
            (400.0, "C09"),
        ],
        vec![(54.0, "Card#"), (200.0, "SRC2390456789")],
        vec![(54.0, "Card Expires:"), (200.0, "01/14/2029")],
    ];
    std::fs::write(dir.path().join("guide.pdf"), text_pdf(&[handout, card])).unwrap();
    let output = run_in(dir.path(), &["scan", "guide.pdf"]);
    let rows = csv_rows(&stdout(&output));
    let summary: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r["page"].as_str(),
                r["status"].as_str(),
                r["receipt_number"].as_str(),
                r["number_kind"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("1", "no_notice", "", ""),
            ("2", "no_notice", "SRC2390456789", "card_number"),
        ],
        "{rows:?}"
    );
    assert!(rows[0].get("message").unwrap().contains("handout"));
    assert!(rows[1].get("message").unwrap().contains("EAD card"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn the_bundled_card_visa_and_handout_samples_are_named_and_give_no_case() {
    for (file, says) in [
        ("samples/other/ead-card-scan.jpg", "EAD card"),
        ("samples/other/green-card-scan.png", "green card"),
        ("samples/other/visa-foil-scan.png", "visa foil"),
        ("samples/other/receipt-number-handout.pdf", "handout"),
    ] {
        let rows = csv_rows(&stdout(&run_in(repo(), &["scan", file])));
        assert_eq!(rows.len(), 1, "{file}: {rows:?}");
        assert_eq!(rows[0]["status"], "no_notice", "{file}");
        assert!(
            rows[0]["message"].contains(says),
            "{file}: {}",
            rows[0]["message"]
        );
        assert_ne!(rows[0]["number_kind"], "uscis_receipt", "{file}");
    }
}

#[test]
fn an_nvc_letter_quoting_the_petition_gives_one_row_linked_to_its_receipt() {
    for file in [
        "samples/text/nvc-welcome-letter-kng-receipt.pdf",
        "samples/text/nvc-welcome-letter-ptp-case-number-label.pdf",
        "samples/scans/nvc-welcome-letter-isl-receipt-scan.pdf",
    ] {
        let rows = csv_rows(&stdout(&run_in(repo(), &["scan", file])));
        assert_eq!(rows.len(), 1, "{file}: {rows:?}");
        let row = &rows[0];
        assert_eq!(row["number_kind"], "nvc_case", "{file}");
        assert_eq!(row["linked_receipt"].len(), 13, "{file}: {row:?}");
        assert!(!row["invoice_id"].is_empty(), "{file}: {row:?}");
        assert!(
            !row["service_center"].is_empty(),
            "{file}: the post is known"
        );
    }
}
