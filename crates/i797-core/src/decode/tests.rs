use super::*;
use crate::test_text::ocr_page;

fn pdf(text: &str) -> Vec<Notice> {
    extract_notices(&PageText::from_pdf_text(text))
}

fn ocr(text: &str) -> Vec<Notice> {
    extract_notices(&ocr_page(text, &[]))
}

/// `page` with character `k` of the first `needle` read at `score`.
fn scored(mut page: PageText, needle: &str, k: usize, score: u8) -> PageText {
    let byte = page.text.find(needle).expect("needle in text");
    let at = page.text[..byte].chars().count() + k;
    page.char_confidence.as_mut().expect("OCR page")[at] = score;
    page
}

fn numbers(notices: &[Notice]) -> Vec<&str> {
    notices.iter().map(|n| n.number.as_str()).collect()
}

#[test]
fn a_speck_between_digits_of_a_crop_is_no_stop() {
    let crop = ocr_page("ZNY95.6557652\n", &[(".", 40)]);
    let read = numbers_in_crop(&crop);
    assert_eq!(numbers(&read), ["ZNY956557652"]);
    // The confidences still line up with the characters: only the stop's score went.
    let cleaned = as_printed_number(&crop);
    assert_eq!(cleaned.text, "ZNY956557652\n");
    assert!(
        cleaned
            .char_confidence
            .expect("OCR")
            .iter()
            .all(|&c| c >= 96)
    );
    // A stop after the number, or between a word and a digit, stays.
    assert_eq!(
        as_printed_number(&ocr_page("No. 5.\n", &[])).text,
        "No. 5.\n"
    );
}

#[test]
fn a_crops_prefix_read_in_small_letters_is_in_capitals() {
    assert_eq!(
        numbers(&numbers_in_crop(&ocr_page("| Nyc2311188905\n", &[]))),
        ["NYC2311188905"]
    );
    // Small letters in the digits keep their own digit: g is 9.
    let crop = ocr_page("|  msc 1gi1.263805\n", &[]);
    assert_eq!(as_printed_number(&crop).text, "|  MSC 1gi1263805\n");
    assert_eq!(numbers(&numbers_in_crop(&crop)), ["MSC1911263805"]);
    // A word of four letters, or letters with no digits after them, stay as read.
    assert_eq!(
        as_printed_number(&ocr_page("Form 797c\n", &[])).text,
        "Form 797c\n"
    );
    assert_eq!(
        as_printed_number(&ocr_page("was here\n", &[])).text,
        "was here\n"
    );
}

#[test]
fn a_space_a_recogniser_put_inside_a_crops_number_is_no_gap() {
    for (read, number) in [
        ("NY C2311188905\n", "NYC2311188905"),
        ("YSC2209854 706\n", "YSC2209854706"),
        ("| ZNY 956557652 -\n", "ZNY956557652"),
        ("NY €2311188905\n", "NYC2311188905"),
    ] {
        assert_eq!(
            numbers(&numbers_in_crop(&ocr_page(read, &[]))),
            [number],
            "{read}"
        );
    }
    // The confidences still line up: only the space went.
    let cleaned = as_printed_number(&ocr_page("NY C2311188905\n", &[("C", 41)]));
    assert_eq!(cleaned.text, "NYC2311188905\n");
    assert_eq!(cleaned.char_confidence.expect("OCR")[2], 41);
    // A box edge read as `1` before a whole number is not part of it; words stay apart.
    assert_eq!(
        as_printed_number(&ocr_page("1 NBC2291220866\n", &[])).text,
        "1 NBC2291220866\n"
    );
    assert_eq!(
        as_printed_number(&ocr_page("Receipt Number\n", &[])).text,
        "Receipt Number\n"
    );
}

fn only(notices: Vec<Notice>) -> Notice {
    assert_eq!(notices.len(), 1, "{notices:#?}");
    notices.into_iter().next().unwrap()
}

fn no_fields(n: &Notice) -> bool {
    n.fields.form.is_none()
        && n.fields.notice_type.is_none()
        && n.fields.case_type.is_none()
        && n.fields.received_date.is_none()
        && n.fields.notice_date.is_none()
        && n.fields.priority_date.is_none()
        && n.fields.valid_from.is_none()
        && n.fields.valid_until.is_none()
        && n.fields.a_number.is_none()
        && n.fields.account_number.is_none()
        && n.fields.applicant.is_none()
        && n.fields.beneficiary.is_none()
}

const RECEIPT_I130: &str = "\
                  Department of Homeland Security                          Form I-797C, Notice of Action
                  U.S. Citizenship and Immigration Services

                         THIS NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFIT.

 Receipt Number                         Case Type
 EAC2190012345                          I130 - PETITION FOR ALIEN RELATIVE

 Received Date        Priority Date      Notice Date        Page
 01/15/2021                              01/20/2021         1 of 1

 Applicant/Petitioner                   Beneficiary
 A012 345 678                           A098 765 432
 DOE, JANE                              DOE, JOHN

     JANE DOE                                              Notice Type: Receipt Notice
     c/o EXAMPLE LAW GROUP LLP                             Amount received: $675.00 U.S.
     100 SAMPLE AVE STE 200                                Section: Husband or wife of U.S. citizen
     ANYTOWN TX 75001

     The above application or petition has been received. Keep this notice; you will need
     the receipt number to ask about your case. Call the USCIS Contact Center at 800-555-0100.

     *EAC2190012345*
 Form I-797C 07/11/14
";

#[test]
fn clean_receipt_notice_from_a_text_layer() {
    let n = only(pdf(RECEIPT_I130));
    assert_eq!(n.number, "EAC2190012345");
    assert_eq!(n.kind, NumberKind::UscisReceipt);
    assert_eq!(n.fields.form.as_deref(), Some("I-797C"));
    assert_eq!(n.fields.notice_type.as_deref(), Some("Receipt Notice"));
    assert_eq!(n.fields.case_type.as_deref(), Some("I-130"));
    assert_eq!(n.fields.received_date.as_deref(), Some("2021-01-15"));
    assert_eq!(n.fields.notice_date.as_deref(), Some("2021-01-20"));
    assert_eq!(n.fields.priority_date, None);
    assert_eq!(n.fields.valid_from, None);
    assert_eq!(n.fields.a_number.as_deref(), Some("A012345678"));
    assert_eq!(n.fields.account_number, None);
    assert_eq!(n.fields.applicant.as_deref(), Some("DOE, JANE"));
    assert_eq!(n.fields.beneficiary.as_deref(), Some("DOE, JOHN"));
    assert_eq!(n.confidence, 100);
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

#[test]
fn the_header_and_grid_alone_carry_the_form() {
    // The OCR stage reads the top of the page first and stops when a notice has its form.
    let top: String = RECEIPT_I130.lines().take(9).collect::<Vec<_>>().join("\n");
    let n = only(ocr(&top));
    assert_eq!(n.fields.form.as_deref(), Some("I-797C"));
    assert_eq!(n.fields.case_type.as_deref(), Some("I-130"));
}

#[test]
fn old_upper_case_layout() {
    let text = "\
                                    THE UNITED STATES OF AMERICA
U.S. Department of Homeland Security                                       I-797C, Notice of Action
U.S. Citizenship and Immigration Services

 RECEIPT NUMBER                                    CASE TYPE

 WAC-06-138-97010                                  I-129, PETITION FOR A NONIMMIGRANT WORKER

 RECEIPT DATE                   PRIORITY DATE                  PETITIONER

 04/13/2006                                                    EXAMPLE DATA SYSTEMS INC
 NOTICE DATE                    PAGE                           BENEFICIARY

 04/20/2006                     1 of 1                         SAMPLE-HOLT, FINN


     EXAMPLE DATA SYSTEMS INC                                  NOTICE TYPE: RECEIPT
";
    let n = only(pdf(text));
    assert_eq!(n.number, "WAC0613897010");
    assert_eq!(n.fields.form.as_deref(), Some("I-797C"));
    assert_eq!(n.fields.case_type.as_deref(), Some("I-129"));
    assert_eq!(n.fields.received_date.as_deref(), Some("2006-04-13"));
    assert_eq!(n.fields.notice_date.as_deref(), Some("2006-04-20"));
    assert_eq!(n.fields.priority_date, None);
    assert_eq!(n.fields.notice_type.as_deref(), Some("Receipt Notice"));
    assert_eq!(
        n.fields.applicant.as_deref(),
        Some("EXAMPLE DATA SYSTEMS INC")
    );
    assert_eq!(n.fields.beneficiary.as_deref(), Some("SAMPLE-HOLT, FINN"));
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

#[test]
fn approval_with_validity_period_and_class() {
    let text = "\
                  Department of Homeland Security                          Form I-797B, Notice of Action
 Receipt Number                                  Case Type
 EAC2213900001                                   I129 - PETITION FOR A NONIMMIGRANT WORKER
 Received Date                   Priority Date                  Notice Date                    Page
 04/14/2022                                                     05/30/2022                     1 of 1
 Petitioner                                                       Beneficiary
 NORTHWIND EXAMPLE LLC                                            NOON, OSKAR
     NORTHWIND EXAMPLE LLC                                          Notice Type: Approval Notice
     c/o EXAMPLE & PARTNERS LLP                                     Class: H1B
     2217 SAMPLE RD STE 1100                                        Valid from 10/01/2023 to 09/30/2026
";
    let n = only(pdf(text));
    assert_eq!(n.fields.form.as_deref(), Some("I-797B"));
    assert_eq!(n.fields.notice_type.as_deref(), Some("Approval Notice"));
    assert_eq!(n.fields.valid_from.as_deref(), Some("2023-10-01"));
    assert_eq!(n.fields.valid_until.as_deref(), Some("2026-09-30"));
    assert_eq!(n.fields.case_type.as_deref(), Some("I-129"));
    assert_eq!(n.fields.a_number, None);
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

#[test]
fn i797a_with_its_i94_tear_off_is_one_notice() {
    let text = "\
                  Department of Homeland Security                          Form I-797A, Notice of Action
 Receipt Number                                            Case Type
 WAC2314700001                                             I129 - PETITION FOR A NONIMMIGRANT WORKER
 Received Date                         Priority Date                         Notice Date          Page
 04/25/2023                                                                  06/26/2023           1 of 1
 Petitioner                                                                    Beneficiary
 SILVERLEAF EXAMPLE LLC                                                        CASTELL, DARIO
     SILVERLEAF EXAMPLE LLC                                                    Notice Type: Approval Notice
     c/o EXAMPLE & PARTNERS LLP                                                Class: H1B
                                                                               Valid from 10/01/2023 to 09/30/2026

Please tear off the bottom part of this notice and keep it with your passport.

Departure Record                                                                            Form I-94
  Admission (I-94) Record Number                                              Receipt Number
  277258211B7                                                                 WAC2314700001
  Family Name                                                                 First (Given) Name
  CASTELL                                                                     DARIO
  Birth Date                                                                  Country of Citizenship
  09/19/1998                                                                  PHILIPPINES
Form I-797A 07/11/14
";
    let n = only(pdf(text));
    assert_eq!(n.number, "WAC2314700001");
    assert_eq!(n.fields.form.as_deref(), Some("I-797A"));
    assert_eq!(n.fields.valid_until.as_deref(), Some("2026-09-30"));
    assert_eq!(n.fields.beneficiary.as_deref(), Some("CASTELL, DARIO"));
    assert_eq!(n.fields.a_number, None);
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

#[test]
fn appointment_notice_keeps_the_box_date_not_the_appointment() {
    let text = "\
U.S. Department of Homeland Security                                       I-797C, Notice of Action
 RECEIPT NUMBER                                    CASE TYPE
 MSC2007400001                                     I-485, APPLICATION TO REGISTER PERMANENT RESIDENCE OR ADJUST STATUS
 RECEIPT DATE                   PRIORITY DATE                  APPLICANT   A# 155-752-847
 01/13/2020                                                    MARKO, CELESTE
 NOTICE DATE                    PAGE
 February 11, 2020              1 of 1
     CELESTE MARKO                                                  NOTICE TYPE: ASC APPOINTMENT NOTICE
     APPLICATION SUPPORT CENTER                                     DATE AND TIME OF APPOINTMENT
     USCIS EXAMPLETOWN                                              Wednesday, March 4, 2020
     5139 SAMPLE CT STE 210                                         10:00 AM
";
    let n = only(pdf(text));
    assert_eq!(n.number, "MSC2007400001");
    assert_eq!(n.fields.notice_date.as_deref(), Some("2020-02-11"));
    assert_eq!(n.fields.received_date.as_deref(), Some("2020-01-13"));
    assert_eq!(
        n.fields.notice_type.as_deref(),
        Some("ASC Appointment Notice")
    );
    assert_eq!(n.fields.case_type.as_deref(), Some("I-485"));
    assert_eq!(n.fields.a_number.as_deref(), Some("A155752847"));
    assert_eq!(n.fields.applicant.as_deref(), Some("MARKO, CELESTE"));
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

#[test]
fn interview_notice_with_a_cut_off_type() {
    let text = "\
                  Department of Homeland Security                          Form I-797C, Notice of Action
 Receipt Number                                    Case Type
 MSC2001400002                                     I485 - APPLICATION TO REGISTER PERMANENT RESIDENCE OR ADJUST STATUS
 Received Date                   Priority Date                    Notice Date                     Page
 10/21/2019                                                       04/20/2020                      1 of 1
 Applicant   A# 119 231 579
 TORRES, LEO
     LEO TORRES                                           Notice Type: Request for Applicant to Appear for Initial Inter
     PLEASE COME TO:                                      ON:
     USCIS                                                Monday, May 25, 2020
";
    let n = only(pdf(text));
    assert_eq!(
        n.fields.notice_type.as_deref(),
        Some("Request for Applicant to Appear for Initial Interview")
    );
    assert_eq!(n.fields.notice_date.as_deref(), Some("2020-04-20"));
    assert_eq!(n.fields.applicant.as_deref(), Some("TORRES, LEO"));
    assert_eq!(n.fields.a_number.as_deref(), Some("A119231579"));
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

const OCR_GRID: &str = "\
 Department of Homeland Security                      Form 1-797C, Notice of Action
 Recei t Number                         Case Type
 EAC 21 900 l2345                       1130 - PETITION FOR ALIEN RELATIVE
 Received Date        Priority Date      Notice Date        Page
 0l/15/2021                              01/20/2021         1 of 1
 Applicant/Petitioner                   Beneficiary
 DOE, JANE                              DOE, JOHN
";

#[test]
fn ocr_confusions_are_repaired_and_flagged() {
    let n = only(ocr(OCR_GRID));
    assert_eq!(n.number, "EAC2190012345");
    assert_eq!(
        n.doubts,
        [Doubt::Repaired {
            position: 8,
            read: 'l',
            as_char: '1'
        }]
    );
    assert!(n.needs_review());
    assert_eq!(n.fields.form.as_deref(), Some("I-797C"));
    assert_eq!(n.fields.case_type.as_deref(), Some("I-130"));
    assert_eq!(n.fields.received_date.as_deref(), Some("2021-01-15"));
    assert_eq!(n.fields.notice_date.as_deref(), Some("2021-01-20"));
    assert_eq!(n.fields.applicant.as_deref(), Some("DOE, JANE"));
    assert_eq!(n.confidence, 96);
}

#[test]
fn ocr_prefix_confusion_under_a_misspelt_label() {
    let text = "\
 Receipt Nurnber                        Case Type
 I0E0912345678                          I765 - APPLICATION FOR EMPLOYMENT AUTHORIZATION
";
    let n = only(ocr(text));
    assert_eq!(n.number, "IOE0912345678");
    assert_eq!(
        n.doubts,
        [Doubt::Repaired {
            position: 1,
            read: '0',
            as_char: 'O'
        }]
    );
    assert_eq!(n.fields.case_type.as_deref(), Some("I-765"));
}

#[test]
fn ocr_labels_and_values_on_one_line() {
    let text = "\
Form I-797C, Notice of Action
Receipt Number EAC2190012345 Case Type I130 - PETITION FOR ALIEN RELATIVE
Received Date 01/15/2021 Priority Date Notice Date 01/20/2021 Page 1 of 1
Applicant/Petitioner DOE, JANE Beneficiary DOE, JOHN
Notice Type: Receipt Notice
";
    let n = only(ocr(text));
    assert_eq!(n.number, "EAC2190012345");
    assert_eq!(n.fields.case_type.as_deref(), Some("I-130"));
    assert_eq!(n.fields.received_date.as_deref(), Some("2021-01-15"));
    assert_eq!(n.fields.notice_date.as_deref(), Some("2021-01-20"));
    assert_eq!(n.fields.priority_date, None);
    assert_eq!(n.fields.applicant.as_deref(), Some("DOE, JANE"));
    assert_eq!(n.fields.beneficiary.as_deref(), Some("DOE, JOHN"));
    assert_eq!(n.fields.notice_type.as_deref(), Some("Receipt Notice"));
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

#[test]
fn ocr_values_shifted_off_their_labels() {
    let text = "\
Form I-797C, Notice of Action
Receipt Number                Case Type
     LIN2412500003                  I129 - PETITION FOR A NONIMMIGRANT WORKER
Received Date        Priority Date      Notice Date        Page
   03/25/2024                         03/29/2024             1 of 1
";
    let n = only(ocr(text));
    assert_eq!(n.number, "LIN2412500003");
    assert_eq!(n.fields.case_type.as_deref(), Some("I-129"));
    assert_eq!(n.fields.received_date.as_deref(), Some("2024-03-25"));
    assert_eq!(n.fields.notice_date.as_deref(), Some("2024-03-29"));
    assert_eq!(n.fields.priority_date, None);
}

#[test]
fn values_drifted_out_of_their_columns_are_left_empty_not_misfiled() {
    // OCR text whose value rows lost their alignment: the notice date sits nearer the
    // priority date's column than its own, the beneficiary far from both name columns.
    let text = "\
Department of Homeland Security                                       Form I-797C, Notice of Action
Receipt Number                                                          Case Type
WAC2314700001                                     1129 - PETITION FOR A NONIMMIGRANT WORKER
Received Date                           Priority Date                             Notice Date                              Page
04/25/2023                                               06/26/2023                  1 of 1
Petitioner                                                                          Beneficiary
SILVERLEAF EXAMPLE LLC                             CASTELL, DARIO
";
    let n = only(ocr(text));
    assert_eq!(n.number, "WAC2314700001");
    assert_eq!(n.fields.received_date.as_deref(), Some("2023-04-25"));
    assert_eq!(n.fields.priority_date, None);
    assert_eq!(n.fields.notice_date, None);
    assert_eq!(n.fields.case_type, None);
    assert_eq!(
        n.fields.applicant.as_deref(),
        Some("SILVERLEAF EXAMPLE LLC")
    );
    assert_eq!(n.fields.beneficiary, None);
    assert_eq!(
        n.doubts,
        [
            Doubt::UnreadField("case_type"),
            Doubt::UnreadField("priority_date"),
            Doubt::UnreadField("notice_date"),
            Doubt::UnreadField("beneficiary"),
        ]
    );
    // Nothing the row gives is in doubt: the empty fields are said, the row is not held.
    assert!(!n.needs_review());
}

#[test]
fn low_confidence_characters_are_unclear() {
    let page = ocr_page(OCR_GRID.replace("l2345", "12345").as_str(), &[("2345", 41)]);
    let n = only(extract_notices(&page));
    assert_eq!(n.number, "EAC2190012345");
    assert_eq!(n.confidence, 41);
    assert_eq!(
        n.doubts,
        [Doubt::Unclear {
            positions: vec![9, 10, 11, 12]
        }]
    );
    // Just above the line is not unclear.
    let page = ocr_page(
        OCR_GRID.replace("l2345", "12345").as_str(),
        &[("2345", UNCLEAR_BELOW)],
    );
    let n = only(extract_notices(&page));
    assert_eq!(n.confidence, UNCLEAR_BELOW);
    assert!(n.doubts.is_empty(), "{:?}", n.doubts);
}

#[test]
fn a_clean_sure_reading_vouches_for_a_doubtful_one() {
    let text = format!("{OCR_GRID}\n     *EAC2190012345*\n");
    let n = only(ocr(&text));
    assert_eq!(n.number, "EAC2190012345");
    assert!(n.doubts.is_empty(), "{:?}", n.doubts);
    // The box reading still gives the fields.
    assert_eq!(n.fields.case_type.as_deref(), Some("I-130"));
}

#[test]
fn a_misread_second_copy_is_flagged_on_both_sides() {
    let text = RECEIPT_I130.replace("*EAC2190012345*", "*EAC2190012346*");
    let notices = ocr(&text);
    assert_eq!(numbers(&notices), ["EAC2190012345", "EAC2190012346"]);
    assert_eq!(
        notices[0].doubts,
        [Doubt::NearDuplicate {
            of: "EAC2190012346".into()
        }]
    );
    assert_eq!(
        notices[1].doubts,
        [Doubt::NearDuplicate {
            of: "EAC2190012345".into()
        }]
    );
    assert_eq!(notices[0].fields.case_type.as_deref(), Some("I-130"));
    assert!(no_fields(&notices[1]));
    // In a text layer nothing is misread: two numbers are two numbers.
    assert!(pdf(&text).iter().all(|n| !n.needs_review()));
    // Numbers further apart are not flagged.
    let text = RECEIPT_I130.replace("*EAC2190012345*", "*EAC2190098765*");
    assert!(ocr(&text).iter().all(|n| !n.needs_review()));
}

/// Tesseract 5.3 on samples/images/notices-3pages-g4.tif page 2 (the field region).
const OCR_ZBO: &str = "
               Department of Homeland Security                                              Form I-797C, Notice of Action
               U.S. Citizenship and immigration Services

                       THiS NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFIT.

                               ,
 Receipt Number                                  Case Type
 ZBO02213775665                                  1589 - APPLICATION FOR ASYLUM AND FOR WITHHOLDING OF REMOVAL

 Received Date                  Priority Date                  Notice Date                    Page
 04/11/2022                                                    04/18/2022                     1 of 1

 Applicant  A095 222 703
 SOLIS-MARTEL, RASHID

    RASHID SOLIS-MARTEL                                               Notice Type: Receipt Notice
";

/// Tesseract 5.3 on samples/stacks/mailroom-batch-g4-15pages.pdf page 10 (old layout).
const OCR_IOE_OLD_LAYOUT: &str = r"                                 THE UNITED STATES OF AMERICA
U.S. Department of Homeland Security                                                              \-797C, Notice of Action
U.S. Citizenship and immigration Services

 RECEIPT NUMBER                                CASE TYPE
 IO0E3477857276                                I-765,   APPLICATION FOR EMPLOYMENT AUTHORIZATION
 RECEIPT DATE                PRIORITY DATE               APPLICANT  A208 589 590
 01/24/2024                                             MENDIBURU,      DMITRI                                            |
 NOTICE DATE                 PAGE
 02/05/2024                  lof il
                                                                                                                          _I

    DMITRI MENDIBURU                                                NOTICE TYPE: ASC APPOINTMENT NOTICE
";

#[test]
fn a_prefix_letter_ocr_read_twice_under_the_receipt_label_is_dropped_and_flagged() {
    // The recogniser doubted the extra `0` (as it did on the sample) and nothing else.
    let page = scored(ocr_page(OCR_ZBO, &[]), "ZBO0", 3, 62);
    let n = only(extract_notices(&page));
    assert_eq!(n.number, "ZBO2213775665");
    assert_eq!(
        n.doubts,
        [Doubt::ExtraCharacter {
            position: 3,
            read: '0'
        }]
    );
    assert_eq!(n.confidence, 62);
    assert_eq!(n.fields.form.as_deref(), Some("I-797C"));
    assert_eq!(n.fields.case_type.as_deref(), Some("I-589"));
    assert_eq!(n.fields.applicant.as_deref(), Some("SOLIS-MARTEL, RASHID"));
    assert_eq!(
        n.doubts[0].to_string(),
        "an extra '0' read between characters 3 and 4 was dropped"
    );

    // Both halves of the pair unsure, as on the mailroom sample: the kept `O` is unclear too.
    let page = scored(ocr_page(OCR_IOE_OLD_LAYOUT, &[]), "IO0E", 1, 71);
    let page = scored(page, "IO0E", 2, 55);
    let n = only(extract_notices(&page));
    assert_eq!(n.number, "IOE3477857276");
    assert_eq!(
        n.doubts,
        [
            Doubt::ExtraCharacter {
                position: 2,
                read: '0'
            },
            Doubt::Unclear { positions: vec![1] }
        ]
    );
    assert_eq!(n.confidence, 55);
    // `\-797C` is the header's `I-797C`; `lof il` in the Page box is nothing at all.
    assert_eq!(n.fields.form.as_deref(), Some("I-797C"));
    assert_eq!(
        n.fields.notice_type.as_deref(),
        Some("ASC Appointment Notice")
    );
    assert_eq!(n.fields.case_type.as_deref(), Some("I-765"));
    assert_eq!(n.fields.received_date.as_deref(), Some("2024-01-24"));
    assert_eq!(n.fields.notice_date.as_deref(), Some("2024-02-05"));
    assert_eq!(n.fields.priority_date, None);
    assert_eq!(n.fields.applicant.as_deref(), Some("MENDIBURU, DMITRI"));
    assert_eq!(n.fields.a_number.as_deref(), Some("A208589590"));

    // A doubled leading `I`.
    let text = OCR_ZBO.replace("ZBO02213775665", "1IOE3477857276");
    let page = scored(ocr_page(&text, &[]), "1IOE", 0, 80);
    let n = only(extract_notices(&page));
    assert_eq!(n.number, "IOE3477857276");
    assert_eq!(
        n.doubts[0].to_string(),
        "an extra '1' read before character 1 was dropped"
    );
}

#[test]
fn a_character_is_dropped_only_when_everything_around_it_says_so() {
    let low = |text: &str, needle: &str, k: usize| scored(ocr_page(text, &[]), needle, k, 62);
    // The recogniser was sure of the `0`: it may be printed (`ZBO0…`), the extra character
    // elsewhere. Not taken.
    assert!(ocr(OCR_ZBO).is_empty());
    // Unsure of a digit as well: the extra character may be that one.
    let page = scored(low(OCR_ZBO, "ZBO0", 3), "ZBO0", 9, 70);
    assert!(extract_notices(&page).is_empty());
    // A text layer prints what is printed.
    assert!(pdf(OCR_ZBO).is_empty());
    // Not in a Receipt Number label's place: in the body, or under another label.
    let text = OCR_ZBO
        .replace(" ZBO02213775665 ", "                ")
        .replace("RASHID SOLIS-MARTEL  ", "Re: ZBO02213775665   ");
    assert!(extract_notices(&low(&text, "ZBO0", 3)).is_empty());
    let text = OCR_ZBO.replace("Receipt Number", "Case Number   ");
    assert!(extract_notices(&low(&text, "ZBO0", 3)).is_empty());
    // Labelled, but on a page that is no notice.
    let text = "Dear client,\nReceipt Number: ZBO02213775665\nRegards\n";
    assert!(extract_notices(&low(text, "ZBO0", 3)).is_empty());
    // With every guard met, taken (the same strings as above, so the guards are what differ).
    assert_eq!(
        numbers(&extract_notices(&low(OCR_ZBO, "ZBO0", 3))),
        ["ZBO2213775665"]
    );
    // Read surely, but with no other way to drop a character that leaves a number (no
    // `1TS…` number exists): the label and the notice are enough.
    let text = OCR_ZBO.replace("ZBO02213775665", "1TSC1790932463");
    assert_eq!(numbers(&ocr(&text)), ["TSC1790932463"]);
    assert!(ocr(&text.replace("Receipt Number", "Case Number   ")).is_empty());
    assert!(pdf(&text).is_empty());
}

#[test]
fn a_space_inside_the_digits_is_taken_under_its_label_only() {
    // Tesseract on the 150 dpi low-contrast and the JBIG2 samples.
    let text = "\
 Receipt Number                                  Case Type
 MSC21 15853357                                   1130 - PETITION FOR ALIEN RELATIVE
";
    let n = only(ocr(text));
    assert_eq!(n.number, "MSC2115853357");
    assert!(n.doubts.is_empty(), "{:?}", n.doubts);
    let n = only(ocr(&text.replace("MSC21 15853357", "LIN2391 199246")));
    assert_eq!(n.number, "LIN2391199246");
    assert!(ocr("Your files MSC21 15853357 and LIN2391 199246 are here.").is_empty());
}

#[test]
fn a_dollar_sign_for_the_s_of_src_under_its_label() {
    let text = OCR_ZBO.replace("ZBO02213775665", "$RC2320787301 ");
    let n = only(ocr(&text));
    assert_eq!(n.number, "SRC2320787301");
    assert_eq!(
        n.doubts,
        [Doubt::Repaired {
            position: 0,
            read: '$',
            as_char: 'S'
        }]
    );
}

/// Tesseract 5.3 on samples/scans/i797e-rfe-i140-lin-jbig2-300dpi-2pages.pdf page 1.
const OCR_RFE_I140: &str = "
               Department of Homeland Security                                               Form I-797E, Notice of Action
               U.S. Citizenship and Immigration Services

 Receipt Number                                  Case Type -
 LIN2391 199246                                  1140 - IMMIGRANT PETITION FOR ALIEN WORKER

 Received Date                  Priority Date                  Notice Date                     Page
 02/14/2023                     02/14/2023                     04/24/2023                      1 of2

 Petitioner                                                       Beneficiary  A# 076 558 999
 BLUE HERON BIOLABS INC.                                          KAMINSKY-RUIZ, TEQDORA

    BLUE HERON BIOLABS INC                                             Notice Type: Request for Evidence
";

#[test]
fn a_speck_after_a_label_does_not_hide_its_value() {
    for speck in ["-", "|", "_", ".", " -", "~"] {
        let text = OCR_RFE_I140.replace("Case Type -", &format!("Case Type{speck}  "));
        let n = only(ocr(&text));
        assert_eq!(n.fields.case_type.as_deref(), Some("I-140"), "{speck:?}");
        assert_eq!(n.number, "LIN2391199246");
        assert_eq!(n.fields.form.as_deref(), Some("I-797E"));
        assert_eq!(n.fields.priority_date.as_deref(), Some("2023-02-14"));
        // Tesseract was sure of the `Q` in this name: only a person can see it is wrong.
        assert_eq!(
            n.fields.beneficiary.as_deref(),
            Some("KAMINSKY-RUIZ, TEQDORA")
        );
        assert!(n.doubts.is_empty(), "{speck:?}: {:?}", n.doubts);
    }
}

/// Tesseract 5.3 on samples/stacks/mailroom-batch-g4-15pages.pdf page 5 (the field region the
/// pipeline reads; the footer, `Form |-797E 07/11/14`, is further down).
const OCR_RFE_NO_LETTER: &str = "
               Department of Homeland Security                                              Form 1-797, Notice of Action
  3        I}  U.S. Citizenship and Immigration Services                                                          .

 Receipt Number                                 Case Type
 WAC2402728389                                   1129 - PETITION FOR A NONIMMIGRANT WORKER

             |
 Received Date                  Priority Date                  Notice Date                    Page
 11/08/2023                                                    12/25/2023                     1 of 2

 Petitioner                                                      Beneficiary
 SILVERBIRCH LOGISTICS LLC                                       BRIGHTWATER, YUKI

    SILVERBIRCH LOGISTICS LLC                                         Notice Type: Request for Evidence
";

#[test]
fn a_form_letter_lost_by_ocr_is_settled_by_the_notice_type_and_flagged() {
    let n = only(ocr(OCR_RFE_NO_LETTER));
    assert_eq!(n.fields.form.as_deref(), Some("I-797E"));
    assert_eq!(n.doubts, [Doubt::UnclearField("form")]);
    // With the footer read too, it says the same.
    let n = only(ocr(&format!("{OCR_RFE_NO_LETTER}\nForm |-797E 07/11/14\n")));
    assert_eq!(n.fields.form.as_deref(), Some("I-797E"));
    assert_eq!(n.doubts, [Doubt::UnclearField("form")]);
    // A text layer prints what it prints: kept, but flagged.
    let n = only(pdf(OCR_RFE_NO_LETTER));
    assert_eq!(n.fields.form.as_deref(), Some("I-797"));
    assert_eq!(n.doubts, [Doubt::UnclearField("form")]);
    // A letter that disagrees is kept as read, flagged.
    let n = only(ocr(&OCR_RFE_NO_LETTER.replace("1-797,", "I-797D,")));
    assert_eq!(n.fields.form.as_deref(), Some("I-797D"));
    assert_eq!(n.doubts, [Doubt::UnclearField("form")]);
    // An approval may be on I-797, A, B or D: nothing to settle.
    let text = OCR_RFE_NO_LETTER.replace("Request for Evidence", "Approval Notice");
    let n = only(ocr(&text));
    assert_eq!(n.fields.form.as_deref(), Some("I-797"));
    assert!(n.doubts.is_empty(), "{:?}", n.doubts);
}

/// Tesseract 5.3 on samples/scans/i797-approval-i130-msc-flate-gray-150dpi-low-contrast.pdf.
const OCR_LOW_CONTRAST: &str = "
               Department of Homeland Security                                                  Form I-797, Notice of Action
               U.S. Citizenship and Immigration Services

 Receipt Number                                  Case Type
 MSC21 15853357                                   1130 - PETITION FOR ALIEN RELATIVE

 Received Date                   Priority Date                  Notice Date                     Page
 05/11/2021                     05/11/2021.                     01/17/2022                      1 of 1

 Petitioner                                                        Beneficiary  A-045-548-837
 ESPINOZA-LAKE, TEOQDORA                                          OYELARAN, KOFI

    TEODORA ESPINOZA-LAKE                                              Notice Type: Approval Notice
";

#[test]
fn a_name_with_a_character_ocr_doubted_is_kept_and_flagged() {
    let page = scored(ocr_page(OCR_LOW_CONTRAST, &[]), "TEOQDORA", 2, 71);
    let n = only(extract_notices(&page));
    assert_eq!(n.number, "MSC2115853357");
    assert_eq!(
        n.fields.applicant.as_deref(),
        Some("ESPINOZA-LAKE, TEOQDORA")
    );
    assert_eq!(n.fields.beneficiary.as_deref(), Some("OYELARAN, KOFI"));
    assert_eq!(n.doubts, [Doubt::UnclearField("applicant")]);
    // Just at the line is not unclear; nor is a doubt about the A-number beside a name.
    let page = scored(
        ocr_page(OCR_LOW_CONTRAST, &[("A-045-548-837", 40)]),
        "TEOQDORA",
        2,
        UNCLEAR_BELOW,
    );
    let n = only(extract_notices(&page));
    assert!(n.doubts.is_empty(), "{:?}", n.doubts);
    // The beneficiary's name, read on the same line as its A-number.
    let text = OCR_LOW_CONTRAST.replace(
            "Beneficiary  A-045-548-837\n ESPINOZA-LAKE, TEOQDORA                                          OYELARAN, KOFI",
            "Beneficiary\n ESPINOZA-LAKE, TEODORA                                           OYELARAN, KOFI  A-045-548-837",
        );
    let page = scored(ocr_page(&text, &[("A-045", 40)]), "KOFI", 1, 80);
    let n = only(extract_notices(&page));
    assert_eq!(n.fields.beneficiary.as_deref(), Some("OYELARAN, KOFI"));
    assert_eq!(n.doubts, [Doubt::UnclearField("beneficiary")]);
    // A text layer has no confidences to doubt.
    assert!(only(pdf(OCR_LOW_CONTRAST)).doubts.is_empty());
}

#[test]
fn text_layer_confidence_is_100_even_with_scores() {
    let mut page = ocr_page(RECEIPT_I130, &[("EAC2190012345", 10)]);
    page.source = TextSource::PdfText;
    let n = only(extract_notices(&page));
    assert_eq!(n.confidence, 100);
    assert!(n.doubts.is_empty());
}

#[test]
fn repairs_need_a_label_or_a_notice() {
    // The same misread on a page that is no notice, with no label: not taken.
    assert!(ocr("Our ref: EAC21900I2345 (see enclosed)").is_empty());
    assert!(ocr("Ref I0E0912345678").is_empty());
    // With a label it is taken and flagged.
    let n = only(ocr("Your receipt number is EAC21900I2345."));
    assert_eq!(n.number, "EAC2190012345");
    assert!(n.needs_review());
    assert!(no_fields(&n));
}

#[test]
fn odd_groupings_need_a_label() {
    assert!(pdf("Ref EAC 2190 012345 attached").is_empty());
    let n = only(pdf("Receipt Number: EAC 2190 012345"));
    assert_eq!(n.number, "EAC2190012345");
}

#[test]
fn a_number_ocr_spaced_out_of_shape_is_flagged() {
    let front = "Receipt Number                       Received Date\n\
                     VSC  21  939 44213                                   10/04/2021\n";
    let n = only(ocr(front));
    assert_eq!(n.number, "VSC2193944213");
    assert!(n.doubts.contains(&Doubt::LooseSpacing), "{:?}", n.doubts);
    // Printed so in a text layer, or spaced as printed: no such doubt.
    assert!(!only(pdf(front)).doubts.contains(&Doubt::LooseSpacing));
    let n = only(ocr(&front.replace("VSC  21  939", "VSC 21 939")));
    assert!(!n.doubts.contains(&Doubt::LooseSpacing), "{:?}", n.doubts);
}

#[test]
fn a_split_number_under_a_garbled_label_is_taken_and_flagged_on_a_notice() {
    // A heavy 300-dpi G4 front: every reading split the number and garbled its label.
    let front = "\
Department of Homeland Security                              Form 1-797B, Notice of Action
U.S. Citizenship and Immigration Services
 RLCLIPT NUMBER                            REC EINE D DALE
 YSC229486 1427                            07°25 2022
";
    let n = only(ocr(front));
    assert_eq!(n.number, "YSC2294861427");
    assert!(n.doubts.contains(&Doubt::SplitUnlabelled), "{:?}", n.doubts);
    // The same text in a PDF text layer, or OCR of a page that is no notice: no number.
    assert!(pdf(front).is_empty());
    assert!(ocr(" RLCLIPT NUMBER      DATE\n YSC229486 1427      07°25 2022\n").is_empty());
    // Under a label it read, the split number is taken as before, unflagged.
    let labelled = front.replace("RLCLIPT NUMBER", "RECEIPT NUMBER");
    assert!(!only(ocr(&labelled)).needs_review());
}

#[test]
fn cover_letter_numbers_are_reported_without_notice_fields() {
    let text = "\
                     Example & Quill LLP
    Immigration Law | 410 Sample Blvd, Suite 900 | Madison, WI 53703 | (608) 555-0117
October 14, 2022

Re: Your family petition - our file 22-0417

Dear Ms. Sample:

We are writing regarding receipt number WAC2290100001, which USCIS assigned
when it received the petition on September 28, 2022. Form I-797C, Notice of Action,
is enclosed. The application for your husband's work permit was received the same week;
its number is
EAC-22-904-00002. Please call us if you move. Beneficiary: DOE, JOHN
";
    let notices = pdf(text);
    assert_eq!(numbers(&notices), ["WAC2290100001", "EAC2290400002"]);
    for n in &notices {
        assert!(no_fields(n), "{n:?}");
        assert!(!n.needs_review(), "{:?}", n.doubts);
        assert_eq!(n.kind, NumberKind::UscisReceipt);
    }
}

#[test]
fn a_labelled_number_in_a_letter_gets_no_notice_fields() {
    let text = "\
Dear Client,
Receipt Number: WAC2290100001
Beneficiary: DOE, JOHN
We will keep you informed.
";
    let n = only(pdf(text));
    assert!(no_fields(&n), "{n:?}");
}

#[test]
fn distractors_are_not_case_numbers() {
    let text = "\
BLUEJAY EXAMPLE COURIER LLC                                          INVOICE
Bill to:                                   Invoice No.         INV2023004417
Example & Vance LLP                        Order number        ORD1234567890
Phone 1-800-375-5283                       Customer ID         C-20931
Tracking 7734 2210 5589 and 1Z999AA10123456784
Serial XEAC2190012345 / EAC21900123456 / EAC2190012345B / 9EAC2190012345
A-Number A012 345 678, USCIS# 000-000-811, A12345678
I-94 Record Number: 277258211B7
";
    assert!(pdf(text).is_empty(), "{:?}", pdf(text));
}

const NVC_LETTER: &str = "\
            U.S. Department of State                                        31 Sample Way
            National Visa Center                                            Portsmouth, NH 03801-0001

February 24, 2020

FINN SAMPLE
993 Example Rd

                                               WELCOME LETTER

   NVC Case Number:                 MNL2020547051
   Invoice ID Number:               MNL2020547052
   Petitioner:                      SAMPLE, MATEO
   Beneficiary:                     SAMPLE, FINN
   Preference Category:             F2A - SPOUSE OR CHILD OF A PERMANENT RESIDENT
   Priority Date:                   May 3, 2019

Dear Applicant: The National Visa Center (NVC) has received your approved petition. Please
include your NVC Case Number and Invoice ID Number whenever you contact us.
";

#[test]
fn nvc_welcome_letter() {
    let n = only(pdf(NVC_LETTER));
    assert_eq!(n.number, "MNL2020547051");
    assert_eq!(n.kind, NumberKind::NvcCase);
    assert_eq!(n.fields.applicant.as_deref(), Some("SAMPLE, MATEO"));
    assert_eq!(n.fields.beneficiary.as_deref(), Some("SAMPLE, FINN"));
    assert_eq!(n.fields.priority_date.as_deref(), Some("2019-05-03"));
    assert_eq!(n.fields.form, None);
    assert_eq!(n.fields.notice_type, None);
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

#[test]
fn nvc_invoice_id_equal_to_the_case_number_is_one_notice() {
    let text = NVC_LETTER.replace("MNL2020547052", "MNL2020547051");
    let n = only(pdf(&text));
    assert_eq!(n.number, "MNL2020547051");
    // Only the invoice line: nothing at all.
    let text = NVC_LETTER.replace("   NVC Case Number:                 MNL2020547051\n", "");
    assert!(pdf(&text).is_empty());
}

#[test]
fn nvc_labels_take_unknown_post_codes_and_flag_odd_digits() {
    let n = only(pdf(
        "National Visa Center\nNVC Case Number: QQQ2021560001\n",
    ));
    assert_eq!(n.number, "QQQ2021560001");
    assert_eq!(n.kind, NumberKind::NvcCase);
    assert!(!n.needs_review());
    let n = only(pdf(
        "National Visa Center\nNVC Case Number: QQQ2190012345\n",
    ));
    assert_eq!(n.doubts, [Doubt::NotNvcPattern]);
}

#[test]
fn shared_prefix_without_a_label_is_ambiguous() {
    let n = only(pdf("Please see JAK2015601004 for details."));
    assert_eq!(n.kind, NumberKind::NvcCase);
    // Also a field-office prefix with no label on a plain page.
    assert_eq!(n.doubts, [Doubt::AmbiguousKind, Doubt::Unlabelled]);
    // On an NVC letter the page says which, but only the structure backs it.
    let n = only(pdf(
        "National Visa Center\nPlease see JAK2015601004 for details.",
    ));
    assert_eq!(n.kind, NumberKind::NvcCase);
    assert_eq!(n.doubts, [Doubt::AmbiguousKind]);
    // With a USCIS-only structure it is a receipt number.
    let n = only(pdf("Your case number is JAK2190012345."));
    assert_eq!(n.kind, NumberKind::UscisReceipt);
    assert!(!n.needs_review(), "{:?}", n.doubts);
    // A label settles it.
    let n = only(pdf("NVC Case Number: JAK2015601004"));
    assert_eq!(n.kind, NumberKind::NvcCase);
    assert!(!n.needs_review());
}

#[test]
fn a_confusable_capital_in_a_scanned_prefix_is_a_flagged_repair() {
    let text = "Department of Homeland Security          I-797, Notice of Action\n\
                    Receipt      IGE 09 026 50868        Notice Date    09/21/2015\n";
    let notices = ocr(text);
    assert_eq!(numbers(&notices), ["IOE0902650868"]);
    assert!(notices[0].needs_review());
    // A text layer prints what it prints.
    assert!(pdf(text).is_empty());
    // On a page that is no notice, an unlabelled repair is not taken.
    assert!(ocr("Order IGE 09 026 50868\n").is_empty());
}

#[test]
fn a_tear_off_repeating_the_number_does_not_cut_the_notice_short() {
    let page = "U.S. DEPARTMENT OF HOMELAND SECURITY                     NOTICE OF ACTION\n\
                    Receipt Number:    SRC2103256073\n\
                    Case Type:         I539 APPLICATION TO EXTEND/CHANGE NONIMMIGRANT STATUS\n\
                    Notice Date:       07/26/2022\n\
                    Notice Type: Approval Notice\n\
                    Please tear off this bottom part and keep it with your Form I-94.\n\
                    Receipt #  SRC2103256073         I-94 #      345960769M3\n\
                    Name       TAKAHARA, AUGUSTIN    Date of birth  11/01/1967\n\
                    TEXAS SERVICE CENTER\n\
                    Form I-797A 07/11/14\n";
    let n = only(pdf(page));
    assert_eq!(n.fields.form.as_deref(), Some("I-797A"));
    assert_eq!(n.fields.notice_date.as_deref(), Some("2022-07-26"));
    // Two different numbers still part the page between them.
    let stack = "Form I-797C, Notice of Action\nReceipt Number: EAC2190012345\n\
                     Notice Type: Receipt Notice\n\
                     Form I-797, Notice of Action\nReceipt Number: WAC2190012345\n\
                     Notice Type: Approval Notice\n";
    let notices = pdf(stack);
    assert_eq!(notices[0].fields.form.as_deref(), Some("I-797C"));
    assert_eq!(notices[1].fields.form.as_deref(), Some("I-797"));
}

#[test]
fn codes_labelled_as_other_identifiers_on_a_plain_page_are_not_numbers() {
    let page = "LAW OFFICE OF R. SANTAMARIA\nAttorney invoice\nMatter No.:   MTR7781200345\n\
                    Client ID:    CLT3482786938\nRe: receipt number WAC2290112233\n\
                    Our file: SAC6248006026\n";
    assert_eq!(numbers(&pdf(page)), ["WAC2290112233"]);
    // A service center's number stays, whatever precedes it.
    assert_eq!(
        numbers(&pdf("Our file: EAC2290455120\n")),
        ["EAC2290455120"]
    );
    // On a notice the page vouches for its codes.
    let notice = "Form I-797C, Notice of Action\nReceipt Number   Case Type\n\
                      NYC2311100005    I485\nFile: NYC2311100005\n";
    assert_eq!(numbers(&pdf(notice)), ["NYC2311100005"]);
}

#[test]
fn field_office_prefixes_without_a_label_on_a_plain_page_are_flagged() {
    let n = only(pdf("Matter LAW2024001234 opened"));
    assert_eq!(n.number, "LAW2024001234");
    assert_eq!(n.doubts, [Doubt::Unlabelled]);
    let n = only(pdf("Matter ZNY956557652 opened"));
    assert_eq!(n.doubts, [Doubt::Unlabelled]);
    // A service center's number is fine anywhere.
    assert!(!only(pdf("Matter WAC2290100001 opened")).needs_review());
    // So is a field office's with a label.
    assert!(!only(pdf("Receipt Number: NYC2311100005")).needs_review());
}

#[test]
fn a_number_repeated_on_a_page_is_one_notice() {
    let n = only(pdf(RECEIPT_I130));
    assert_eq!(n.number, "EAC2190012345");
}

#[test]
fn two_notices_on_one_page() {
    let second = RECEIPT_I130
        .replace("EAC2190012345", "EAC2190012346")
        .replace(
            "I130 - PETITION FOR ALIEN RELATIVE",
            "I485 - APPLICATION TO REGISTER PERMANENT RESIDENCE",
        )
        .replace("01/20/2021", "01/21/2021")
        .replace("DOE, JOHN", "ROE, JOHN");
    let text = format!("{RECEIPT_I130}\n{second}");
    let notices = pdf(&text);
    assert_eq!(numbers(&notices), ["EAC2190012345", "EAC2190012346"]);
    assert_eq!(notices[0].fields.case_type.as_deref(), Some("I-130"));
    assert_eq!(notices[1].fields.case_type.as_deref(), Some("I-485"));
    assert_eq!(notices[0].fields.notice_date.as_deref(), Some("2021-01-20"));
    assert_eq!(notices[1].fields.notice_date.as_deref(), Some("2021-01-21"));
    assert_eq!(notices[0].fields.beneficiary.as_deref(), Some("DOE, JOHN"));
    assert_eq!(notices[1].fields.beneficiary.as_deref(), Some("ROE, JOHN"));
    assert!(
        notices
            .iter()
            .all(|n| n.fields.form.as_deref() == Some("I-797C"))
    );
    assert!(notices.iter().all(|n| !n.needs_review()));
}

#[test]
fn other_numbers_in_a_notice_body_get_no_fields() {
    let text = RECEIPT_I130.replace(
        "the receipt number to ask about your case.",
        "the receipt number to ask about your case. Related: EAC2190012399.",
    );
    let notices = pdf(&text);
    assert_eq!(numbers(&notices), ["EAC2190012345", "EAC2190012399"]);
    assert_eq!(notices[0].fields.case_type.as_deref(), Some("I-130"));
    assert!(no_fields(&notices[1]));
}

#[test]
fn the_only_number_on_a_notice_page_gets_the_fields_without_its_label() {
    // OCR lost the label entirely; the header says it is a notice.
    let text = RECEIPT_I130.replace(" Receipt Number   ", " R@c#!pt Nvm8er   ");
    let n = only(ocr(&text));
    assert_eq!(n.number, "EAC2190012345");
    assert_eq!(n.fields.form.as_deref(), Some("I-797C"));
    assert_eq!(n.fields.case_type.as_deref(), Some("I-130"));
}

#[test]
fn a_date_that_does_not_read_is_left_empty_with_its_reason() {
    let text = RECEIPT_I130.replace("01/20/2021", "02/30/2021");
    let n = only(pdf(&text));
    assert_eq!(n.fields.notice_date, None);
    assert_eq!(n.doubts, [Doubt::UnreadField("notice_date")]);
    assert!(!n.needs_review());
    // A date given but read with a doubt holds the row.
    let mut doubtful = n.clone();
    doubtful.doubts = vec![Doubt::UnclearField("notice_date")];
    assert!(doubtful.needs_review());
}

#[test]
fn the_page_box_is_not_a_date() {
    let n = only(pdf(RECEIPT_I130));
    assert_ne!(n.fields.notice_date.as_deref(), Some("2024-01-01"));
    assert!(n.doubts.is_empty());
}

#[test]
fn asylum_notice_with_nine_digits_and_crlf() {
    let text = "\
Form I-797C, Notice of Action\r
 Receipt Number                                    Case Type\r
 ZNY956500001                                      I589 - APPLICATION FOR ASYLUM AND FOR WITHHOLDING OF REMOVAL\r
 Applicant   A137409107\r
 NOON, FINN\r
";
    let n = only(pdf(text));
    assert_eq!(n.number, "ZNY956500001");
    assert_eq!(n.fields.case_type.as_deref(), Some("I-589"));
    assert_eq!(n.fields.a_number.as_deref(), Some("A137409107"));
    assert_eq!(n.fields.applicant.as_deref(), Some("NOON, FINN"));
    assert!(!n.needs_review(), "{:?}", n.doubts);
}

#[test]
fn account_number_when_labelled() {
    let text = RECEIPT_I130.replace(
            "     ANYTOWN TX 75001",
            "     ANYTOWN TX 75001                                      USCIS Online Account Number: 1034 1272 4248",
        );
    let n = only(pdf(&text));
    assert_eq!(n.fields.account_number.as_deref(), Some("103412724248"));
}

#[test]
fn empty_and_blank_pages() {
    assert!(pdf("").is_empty());
    assert!(pdf("\n\n   \n\u{c}").is_empty());
    assert!(ocr("Form I-797E, Notice of Action\nPage 2 of 2\nEVIDENCE REQUESTED\n").is_empty());
}

/// Arbitrary text (multi-byte characters, label words, number-like runs) and confidence
/// vectors of any length never make extraction panic, and what it returns keeps its contract.
#[test]
fn arbitrary_text_never_panics() {
    const PIECES: &[&str] = &[
        "EAC",
        "2190012345",
        "I0E",
        "l2345",
        " ",
        "  ",
        "      ",
        "\n",
        "\r\n",
        "\t",
        "-",
        "*",
        "Receipt Number",
        "Recei t Nurnber",
        "Case Type",
        "Notice Date",
        "Page 1 of 1",
        "Beneficiary",
        "Applicant",
        "A#",
        "A012 345 678",
        "Form I-797C, Notice of Action",
        "NVC Case Number:",
        "Invoice ID Number",
        "ZNY",
        "JAK",
        "2015601004",
        "01/15/2021",
        "02/30/2021",
        "Wednesday, March 4, 2020",
        "Valid from",
        " to ",
        "ſun",
        "\u{212a}",
        "García",
        "Ñ",
        "–",
        "\u{a0}",
        "|",
        "O",
        "S",
        "B",
        ":",
        "DOE, JANE",
        "\u{c}",
        "USCIS Online Account Number",
        "1034 1272 4248",
        "I130 -",
        "ii30",
        "Notice Type:",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..3000 {
        let count = (next() % 60) as usize;
        let text: String = (0..count)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let chars = text.chars().count();
        let len = match round % 3 {
            0 => chars,
            1 => chars / 2,
            _ => chars + 5,
        };
        let page = PageText {
            text,
            source: TextSource::Ocr,
            char_confidence: Some((0..len).map(|_| (next() % 120) as u8).collect()),
        };
        for n in extract_notices(&page) {
            assert!(n.number.len() == 12 || n.number.len() == 13, "{n:?}");
            assert!(n.number[..3].bytes().all(|b| b.is_ascii_uppercase()));
            assert!(n.number[3..].bytes().all(|b| b.is_ascii_digit()));
            assert!(n.confidence <= 100);
            if let Some(a) = &n.fields.a_number {
                assert_eq!(a.len(), 10);
            }
        }
        extract_notices(&PageText::from_pdf_text(page.text));
    }
}

#[test]
fn doubts_read_as_messages() {
    let messages: Vec<String> = [
        Doubt::Unlabelled,
        Doubt::NotNvcPattern,
        Doubt::UnclearField("notice_date"),
        Doubt::NearDuplicate {
            of: "EAC2190012345".into(),
        },
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert!(messages[0].contains("not labelled"));
    assert!(messages[1].contains("NVC pattern"));
    assert_eq!(messages[2], "notice_date could not be read with confidence");
    assert!(messages[3].starts_with("differs from EAC2190012345"));
}
