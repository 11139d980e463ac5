//! NVC letters read whole: the case number, the USCIS receipt they quote (as the row's link, not
//! a case of its own), the names and the invoice ID, on clean text and on OCR'd text.

use crate::{Doubt, Notice, NumberKind, PageText, extract_notices};

fn pdf(text: &str) -> Vec<Notice> {
    extract_notices(&PageText::from_pdf_text(text))
}

/// OCR text, every character read at 96 but those of `low`, read at 60.
fn ocr(text: &str, low: &[&str]) -> Vec<Notice> {
    let low: Vec<(&str, u8)> = low.iter().map(|needle| (*needle, 60)).collect();
    extract_notices(&crate::test_text::ocr_page(text, &low))
}

fn only(notices: Vec<Notice>) -> Notice {
    assert_eq!(notices.len(), 1, "{notices:#?}");
    notices.into_iter().next().expect("one notice")
}

/// A welcome letter in the NVC's table layout, quoting the petition's USCIS receipt number.
const KINGSTON: &str = "\
U.S. Department of State                                     31 Rochester Avenue
National Visa Center                                         Portsmouth, NH 03801-2915

March 3, 2021

                                 WELCOME LETTER

   NVC Case Number:          KNG2021612004
   Invoice ID Number:        KNG2021612005
   USCIS Receipt Number:     EAC2190012345
   Petitioner:               BRATHWAITE, ODETTE
   Principal Applicant:      MCKENZIE, DORIAN
   Preference Category:      IR1 - SPOUSE OF A U.S. CITIZEN
   Priority Date:            01/14/2021

Dear Applicant: The National Visa Center (NVC) has received your approved petition from USCIS.
Please include your NVC Case Number whenever you contact us.
";

#[test]
fn a_letter_quoting_the_petitions_receipt_gives_one_row_linked_to_it() {
    let n = only(pdf(KINGSTON));
    assert_eq!(n.number, "KNG2021612004");
    assert_eq!(n.kind, NumberKind::NvcCase);
    assert_eq!(n.fields.linked_receipt.as_deref(), Some("EAC2190012345"));
    assert_eq!(n.fields.invoice_id.as_deref(), Some("KNG2021612005"));
    // For NVC letters the petitioner is in `applicant`, the principal applicant (the
    // petition's beneficiary) in `beneficiary`; the receipt's label does not cut them off.
    assert_eq!(n.fields.applicant.as_deref(), Some("BRATHWAITE, ODETTE"));
    assert_eq!(n.fields.beneficiary.as_deref(), Some("MCKENZIE, DORIAN"));
    assert_eq!(n.fields.priority_date.as_deref(), Some("2021-01-14"));
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

#[test]
fn without_a_quoted_receipt_nothing_is_linked() {
    let text = KINGSTON.replace("   USCIS Receipt Number:     EAC2190012345\n", "");
    let n = only(pdf(&text));
    assert_eq!(n.number, "KNG2021612004");
    assert_eq!(n.fields.linked_receipt, None);
    assert_eq!(n.fields.applicant.as_deref(), Some("BRATHWAITE, ODETTE"));
}

#[test]
fn a_letter_whose_own_number_is_unreadable_gives_the_quoted_receipt_flagged() {
    // A 100-dpi fax: the NVC case number lost a digit, the receipt's `E` read as `£`.
    let text = KINGSTON
        .replace("KNG2021612004", "KNG202161200")
        .replace("EAC2190012345", "£AC2190012345");
    let n = only(ocr(&text, &[]));
    assert_eq!(n.number, "EAC2190012345");
    assert_eq!(n.kind, NumberKind::UscisReceipt);
    assert!(n.doubts.contains(&Doubt::NvcCaseUnread), "{:?}", n.doubts);
    assert!(n.needs_review());
}

#[test]
fn a_generic_case_number_label_beside_receipt_and_priority_labels_stays_the_nvc_case() {
    // "Receipt Number" and "Priority Date" are two grid labels of a USCIS notice; on a letter
    // from the NVC they are about the petition, and "Case Number" is the NVC's.
    let text = "\
National Visa Center
32 Rochester Avenue, Portsmouth NH

Case Number:        SDO2022601017
Receipt Number:     IOE0912345678
Priority Date:      11/02/2021
Petitioner:         ALMONTE, RAFAEL
Beneficiary:        ALMONTE, LUCIA
Invoice ID:         239378413
";
    let n = only(pdf(text));
    assert_eq!(n.number, "SDO2022601017");
    assert_eq!(n.kind, NumberKind::NvcCase);
    assert_eq!(n.fields.linked_receipt.as_deref(), Some("IOE0912345678"));
    assert_eq!(n.fields.invoice_id.as_deref(), Some("239378413"));
    assert_eq!(n.fields.beneficiary.as_deref(), Some("ALMONTE, LUCIA"));
}

#[test]
fn prose_letters_from_posts_of_the_full_list() {
    for (post, number) in [
        ("Port-au-Prince", "PTP2023534011"),
        ("Islamabad", "ISL2019700123"),
        ("Accra", "ACC2024866999"),
        ("Tegucigalpa", "TGG2020501001"),
    ] {
        let text = format!(
            "National Visa Center\n\nThe National Visa Center (NVC) has received the petition \
             WAC2190012345 that USCIS approved.\nYour case will be processed at {post}. Your \
             NVC case number is {number}.\n"
        );
        let n = only(pdf(&text));
        assert_eq!(n.number, number);
        assert_eq!(n.kind, NumberKind::NvcCase);
        assert_eq!(
            n.fields.linked_receipt.as_deref(),
            Some("WAC2190012345"),
            "{post}"
        );
    }
}

#[test]
fn an_ocr_garbled_letter_keeps_both_numbers_and_flags_a_doubtful_link() {
    let text = "\
U.S. Department of State
Nationa1 Visa Center

   NVC Case Nurnber:        KNG2O21612OO4
   USCIS Recelpt Number:    EAC219OO12345
   Petitioner:              BRATHWAITE, ODETTE
";
    let n = only(ocr(text, &[]));
    assert_eq!(n.number, "KNG2021612004");
    assert_eq!(n.fields.linked_receipt.as_deref(), Some("EAC2190012345"));
    // The receipt was read with repairs: the row says its link is doubtful.
    assert!(
        n.doubts.contains(&Doubt::UnclearField("linked_receipt")),
        "{:?}",
        n.doubts
    );
    assert!(n.needs_review());
    // Read cleanly but unsure of its characters: doubtful too.
    let text =
        "National Visa Center\nNVC Case Number: KNG2021612004\nReceipt Number: EAC2190012345\n";
    let n = only(ocr(text, &["EAC2190012345"]));
    assert!(
        n.doubts.contains(&Doubt::UnclearField("linked_receipt")),
        "{:?}",
        n.doubts
    );
    let n = only(ocr(text, &[]));
    assert_eq!(n.doubts, []);
}

#[test]
fn a_second_receipt_number_is_not_swallowed() {
    let text = "\
National Visa Center
NVC Case Number:        MNL2020547051
Petition Receipt Number: WAC2190012345
Your relative's petition WAC2290112233 is also on file.
";
    let notices = pdf(text);
    let numbers: Vec<&str> = notices.iter().map(|n| n.number.as_str()).collect();
    assert_eq!(numbers, ["MNL2020547051", "WAC2290112233"]);
    assert_eq!(
        notices[0].fields.linked_receipt.as_deref(),
        Some("WAC2190012345")
    );
    assert_eq!(notices[1].fields.linked_receipt, None);
}

#[test]
fn a_uscis_notice_that_names_the_visa_center_keeps_its_receipt() {
    // An I-797 approval sends the petition on to the NVC: its own number is its case.
    let text = "\
Department of Homeland Security
U.S. Citizenship and Immigration Services          Form I-797, Notice of Action
Receipt Number                Case Type    I130 - PETITION FOR ALIEN RELATIVE
EAC2190012345
Notice Type: Approval Notice
We have sent the approved petition to the Department of State National Visa Center.
";
    let n = only(pdf(text));
    assert_eq!(n.number, "EAC2190012345");
    assert_eq!(n.kind, NumberKind::UscisReceipt);
    assert_eq!(n.fields.linked_receipt, None);
}

#[test]
fn a_three_letter_word_and_ten_digits_is_no_case_on_a_plain_page() {
    // ROM (Rome) and PRS (Paris) are posts; without the NVC pattern or a label they are words.
    assert!(pdf("Order ROM2190012345 shipped; ref PRS1234567890.").is_empty());
    // With the NVC pattern but no label and no NVC page, it is taken and flagged.
    let n = only(pdf("Please quote ROM2021612004 on your reply."));
    assert_eq!(n.kind, NumberKind::NvcCase);
    assert!(n.doubts.contains(&Doubt::Unlabelled), "{:?}", n.doubts);
}

#[test]
fn garbled_labels_and_numbers_on_scanned_letters_from_many_posts() {
    // (case line, receipt line, case number, receipt)
    let cases = [
        (
            "NVC Case Nurnber:  SDO2O22601O17",
            "Receipt Number:  IOE09I2345678",
            "SDO2022601017",
            "IOE0912345678",
        ),
        (
            "NVC Case No.  GUZ2018 755 042",
            "USCIS Receipt #:  WAC-18-123-45678",
            "GUZ2018755042",
            "WAC1812345678",
        ),
        (
            "NVC Case #  BGT2022612001",
            "Petition Receipt Number  LIN2190012345",
            "BGT2022612001",
            "LIN2190012345",
        ),
        (
            "NVC Case Number  SNS2O217O1099",
            "Receipt Number  SRC2190012345",
            "SNS2021701099",
            "SRC2190012345",
        ),
        (
            "Case Number:  CDJ2023590120",
            "Receipt Number:  EAC2290112233",
            "CDJ2023590120",
            "EAC2290112233",
        ),
    ];
    for (case_line, receipt_line, number, receipt) in cases {
        let text = format!(
            "U.S. Department of State\nNational Visa Center\n\n   {case_line}\n   {receipt_line}\n   \
             Petitioner:   HALVORSEN, MIRELA\n   Beneficiary:   PETROV, IVAN\n"
        );
        let n = only(ocr(&text, &[]));
        assert_eq!(n.number, number, "{case_line}");
        assert_eq!(n.kind, NumberKind::NvcCase, "{case_line}");
        assert_eq!(
            n.fields.linked_receipt.as_deref(),
            Some(receipt),
            "{receipt_line}"
        );
        assert_eq!(
            n.fields.applicant.as_deref(),
            Some("HALVORSEN, MIRELA"),
            "{case_line}"
        );
        assert_eq!(
            n.fields.beneficiary.as_deref(),
            Some("PETROV, IVAN"),
            "{case_line}"
        );
    }
}
