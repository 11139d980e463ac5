//! Cards, visa foils and handouts on clean text and OCR'd text: named for what they are, no case
//! numbers from them, the card number in its own kind; and notices that print the same words stay
//! notices.

use super::*;
use crate::extract_notices;

fn pdf(text: &str) -> PageText {
    PageText::from_pdf_text(text)
}

/// OCR text, every character read at 96 but those of `low`, read at 70.
fn ocr(text: &str, low: &[&str]) -> PageText {
    let low: Vec<(&str, u8)> = low.iter().map(|needle| (*needle, 70)).collect();
    crate::test_text::ocr_page(text, &low)
}

const EAD: &str = "\
UNITED STATES OF AMERICA
EMPLOYMENT AUTHORIZATION CARD
Surname           OKONKWO-VEGA
Given Name        ADAEZE
USCIS#  123-456-789          Category  C09
Card#   IOE0912345678
Country of Birth  Nigeria
Terms and Conditions  None
Date of Birth  04 MAR 1990         Sex  F
Valid From: 01/15/2024
Card Expires: 01/14/2029
NOT VALID FOR REENTRY TO U.S.
";

const GREEN_CARD: &str = "\
UNITED STATES OF AMERICA          PERMANENT RESIDENT
Surname  HALVORSEN
Given Name  MIRELA
USCIS#  098-765-432      Category  IR1
Country of Birth  Romania
Date of Birth  17 JUL 1985      Sex  F
Card Expires  09/30/2033
Resident Since  10/01/2023
Card# SRC2390456789
";

const VISA_FOIL: &str = "\
UNITED STATES OF AMERICA                                    VISA
Issuing Post Name   MUMBAI          Control Number   20231234567890
Surname   RAGHUNATHAN
Given Name   PRIYA
Visa Type/Class   R  H1B      Passport Number   Z1234567     Sex  F
Entries   M        Issue Date   12JUN2023      Expiration Date   11JUN2026
Annotation   PETITION RECEIPT # WAC2190012345
             EMPLOYER: EXAMPLE SYSTEMS INC
VNUSARAGHUNATHAN<<PRIYA<<<<<<<<<<<<<<<<<<<<<<<<
";

const HANDOUT: &str = "\
How to check your case status online
Your receipt number is a unique 13-character identifier: three letters followed by 10 numbers.
For example: EAC2190012345, WAC2290112233 or IOE0912345678. Omit the dashes when you type it.
The letters tell you which office received your case.
";

#[test]
fn cards_are_named_and_their_number_is_a_card_number_not_a_case() {
    for (text, kind, number) in [
        (EAD, PageKind::EadCard, "IOE0912345678"),
        (GREEN_CARD, PageKind::GreenCard, "SRC2390456789"),
    ] {
        assert!(extract_notices(&pdf(text)).is_empty(), "{text}");
        let doc = other_document(&pdf(text)).expect("a card");
        assert_eq!(doc.kind, kind);
        let card = doc.card_number.as_ref().expect("its number");
        assert_eq!(card.number, number);
        assert_eq!(card.confidence, 100);
        assert!(!doc.needs_review());
    }
}

#[test]
fn visa_foils_and_handouts_give_no_case_and_no_card_number() {
    for (text, kind) in [
        (VISA_FOIL, PageKind::VisaFoil),
        (HANDOUT, PageKind::Handout),
    ] {
        assert!(extract_notices(&pdf(text)).is_empty(), "{text}");
        let doc = other_document(&pdf(text)).expect("named");
        assert_eq!(doc.kind, kind);
        assert_eq!(doc.card_number, None);
    }
}

#[test]
fn ocr_garbled_cards_are_still_cards_and_an_unsure_number_is_flagged() {
    let ead = "\
UNlTED STATES 0F AMERlCA
EMPL0YMENT AUTH0RIZATI0N CARD
Surnarne   OKONKWO-VEGA
Glven Name   ADAEZE
USCIS #  123-456-789     Categ0ry  C09
Card #   I0E09I2345678
Country of Blrth  Nigeria
Card Explres: 01/14/2029
";
    let page = ocr(ead, &["I0E09I2345678"]);
    assert!(extract_notices(&page).is_empty());
    let doc = other_document(&page).expect("a card");
    assert_eq!(doc.kind, PageKind::EadCard);
    let card = doc.card_number.as_ref().expect("its number");
    assert_eq!(card.number, "IOE0912345678");
    assert_eq!(card.confidence, 70);
    assert!(doc.needs_review(), "repaired and unsure: {:?}", card.doubts);
    let green = "\
UNITED STATES 0F AMERICA    PERMANENT RESlDENT
Surname HALVORSEN   Glven Name MIRELA
USCIS# 098-765-432  Category IR1
Card Expires 09/30/2033   Resident Slnce 10/01/2023
Card# SRC2390456789
";
    let doc = other_document(&ocr(green, &[])).expect("a card");
    assert_eq!(doc.kind, PageKind::GreenCard);
    assert!(!doc.needs_review());
}

#[test]
fn a_card_without_a_legible_number_is_named_without_one() {
    let text = EAD.replace("Card#   IOE0912345678\n", "Card#   IOE09\n");
    let doc = other_document(&pdf(&text)).expect("a card");
    assert_eq!(doc.kind, PageKind::EadCard);
    assert_eq!(doc.card_number, None);
}

#[test]
fn notices_that_name_cards_and_visas_stay_notices() {
    // An I-765 approval names employment authorization and prints a validity period.
    let approval = "\
Department of Homeland Security
U.S. Citizenship and Immigration Services          Form I-797, Notice of Action
Receipt Number                Case Type    I765 - APPLICATION FOR EMPLOYMENT AUTHORIZATION
IOE0912345678
Notice Type: Approval Notice      Category: C09
Valid from 01/15/2024 to 01/14/2029
Your card will be mailed separately. Card expires on the date shown on it.
";
    let notices = extract_notices(&pdf(approval));
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].number, "IOE0912345678");
    assert_eq!(other_document(&pdf(approval)), None);
    // An I-90 receipt names the permanent resident card.
    let i90 = "\
Department of Homeland Security
U.S. Citizenship and Immigration Services          Form I-797C, Notice of Action
Receipt Number               Case Type     I90 - APPLICATION TO REPLACE PERMANENT RESIDENT CARD
MSC2391234567
Received Date  03/02/2023    Notice Date  03/09/2023
Category: IR1   Country of Birth: Romania   Resident Since: 10/01/2018
";
    assert_eq!(extract_notices(&pdf(i90)).len(), 1);
    assert_eq!(other_document(&pdf(i90)), None);
    // An NVC letter that tells the applicant about the visa interview.
    let nvc = "\
National Visa Center
NVC Case Number:  MNL2020547051
Your visa interview is scheduled. Bring your passport; the visa type and entries are decided
at the interview. Issue date and expiration date are printed on the visa.
";
    assert_eq!(extract_notices(&pdf(nvc)).len(), 1);
    assert_eq!(other_document(&pdf(nvc)), None);
}

#[test]
fn a_notice_that_explains_the_number_format_is_no_handout() {
    let text = "\
Department of Homeland Security
U.S. Citizenship and Immigration Services          Form I-797C, Notice of Action
Receipt Number                Case Type    I130 - PETITION FOR ALIEN RELATIVE
EAC2190012345
Your receipt number has 13 characters, three letters and 10 numbers; for example, the one above.
";
    assert_eq!(extract_notices(&pdf(text)).len(), 1);
    assert_eq!(other_document(&pdf(text)), None);
}

#[test]
fn a_letter_that_mentions_a_visa_or_an_example_is_no_document_of_that_kind() {
    let letter = "\
Law Office of A. Example
Re: your visa. We enclose the approval notice WAC2190012345 for your records; for example,
you may show it at the consulate.
";
    assert_eq!(other_document(&pdf(letter)), None);
    assert_eq!(extract_notices(&pdf(letter)).len(), 1);
}

#[test]
fn many_wordings_and_misreadings_of_each_kind() {
    let cases: &[(&str, PageKind)] = &[
        (
            "Where is my receipt number? It is 13 characters long, e.g. WAC1234567890.\n\
             Three letters, then ten digits. Enter it without dashes.",
            PageKind::Handout,
        ),
        (
            "RECEIPT NUMBERS EXPLAINED\nA receipt number looks like IOE0912345678: 3 letters and \
             10 numbers.",
            PageKind::Handout,
        ),
        (
            "Sample notice text: your case number such as EAC2190012345 has three capital letters \
             followed by ten numbers.",
            PageKind::Handout,
        ),
        (
            "UNITED STATES OF AMERICA   V1SA\nIssuing Post Name  BOGOTA   Contro1 Number 20229876543210\n\
             Surname  ALVAREZ   Given Name  MARTA\nVisa Type/Class  R  F1   Entrles  M\n\
             Annotatlon  SEVIS N0012345678\nV<USAALVAREZ<<MARTA<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
            PageKind::VisaFoil,
        ),
        (
            "EMPLOYMENT AUTHORIZATION\nSurname NGUYEN\nGiven Name THANH\nUSCIS# 045-678-123\n\
             Category C03C\nCard# LIN2290123456\nCard Expires 03/02/2027",
            PageKind::EadCard,
        ),
        (
            "UNlTED STATES OF AMERlCA\nPERMANENT RESlDENT CARD\nSurname PETROV\nGiven Name IVAN\n\
             USCIS # 012-345-678  Category E21\nCountry of Birth Bulgaria\nResident Since 01 MAR 2019",
            PageKind::GreenCard,
        ),
        (
            "RESIDENT ALIEN\nSurname GARCIA\nGiven Name ANA\nUSCIS# 012-345-678\nCategory IR1\n\
             Resident Since 05 MAY 2009\nCard Expires 05 MAY 2019",
            PageKind::GreenCard,
        ),
    ];
    for (text, kind) in cases {
        for page in [pdf(text), ocr(text, &[])] {
            assert_eq!(page_kind(&page), *kind, "{text}");
            assert!(extract_notices(&page).is_empty(), "{text}");
        }
    }
}

#[test]
fn other_documents_are_not_taken_for_cards_visas_or_handouts() {
    // An I-94 printout says it is no visa; a passport page names its fields; neither is a foil.
    let i94 = "Most Recent I-94\nAdmission (I-94) Record Number: 482915067A4\n\
               Admit Until Date: 09/30/2025\nDocument Number: XK8842671\n\
               This record is not a visa and does not, by itself, show lawful status.";
    assert_eq!(page_kind(&pdf(i94)), PageKind::I94);
    let passport = "REPUBLIC OF ELDORIA - PASSPORT\nSurname SPECIMEN\nNationality ELDORIAN\n\
                    Date of birth 12 MAR 1988\nDate of issue 05 JUN 2019\nP<ELDSPECIMEN<<MARGIT";
    assert_eq!(page_kind(&pdf(passport)), PageKind::Passport);
    // A cover letter that lists a client's documents by name is a letter: its receipt number
    // is reported (without notice fields), as before.
    let letter = "Dear Ms. Doe,\nEnclosed are copies of your employment authorization card and \
                  your permanent resident card. Your petition's receipt number is WAC2190012345.";
    assert_eq!(other_document(&pdf(letter)), None);
    assert_eq!(extract_notices(&pdf(letter)).len(), 1);
}
