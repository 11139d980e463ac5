use super::*;
use crate::ocr::fake::{FakeOcr, FakePage, FakeSecond};
use i797_core::Doubt;

/// A notice's front page with `number` in its Receipt Number box.
fn front_with(number: &str) -> String {
    format!(
        "Department of Homeland Security\n\
         U.S. Citizenship and Immigration Services        Form I-797C, Notice of Action\n\
         Receipt Number             Case Type   I485\n\
         {number}              Notice Date 03/04/2024\n"
    )
}

fn picture() -> PageImage {
    PageImage::from_file_bytes(b"scan", 0, Some(300))
}

/// Reads the one fake picture with both fakes; the notices and the calls each reader got:
/// (pages read by the first, areas read by the first, lines read by the second, regions it
/// searched).
fn read(page: FakePage, second: FakeSecond) -> (Vec<Notice>, [usize; 4]) {
    let readers = Readers {
        first: FakeOcr::new().page(b"scan".to_vec(), page),
        second: Some(Box::new(second.clone()) as Box<dyn SecondReader>),
    };
    let notices = readers.read(&picture()).expect("read").notices;
    let (lines, regions) = second.calls();
    let calls = [
        readers.first.reads(),
        readers.first.areas_read(),
        lines,
        regions,
    ];
    (notices, calls)
}

fn numbers(notices: &[Notice]) -> Vec<&str> {
    notices.iter().map(|n| n.number.as_str()).collect()
}

#[test]
fn a_number_both_recognisers_read_is_sure_and_costs_one_line() {
    let (notices, calls) = read(
        FakePage::new(&front_with("EAC2190012345"), "", 90),
        FakeSecond::default().reading_lines_as("EAC2190012345", 97),
    );
    assert_eq!(numbers(&notices), ["EAC2190012345"]);
    assert!(
        !notices[0]
            .doubts
            .iter()
            .any(|d| matches!(d, Doubt::Unclear { .. } | Doubt::Unconfirmed)),
        "{:?}",
        notices[0].doubts
    );
    assert_eq!(calls, [1, 0, 1, 0]);
}

#[test]
fn a_repair_both_readings_need_is_still_sure() {
    // Both read O for 0 in the digits; the one decoder repairs both the same way.
    let (notices, _) = read(
        FakePage::new(&front_with("EAC219OO12345"), "", 99),
        FakeSecond::default().reading_lines_as("EAC219OO12345", 99),
    );
    assert_eq!(numbers(&notices), ["EAC2190012345"]);
    assert!(
        !notices[0]
            .doubts
            .iter()
            .any(|d| matches!(d, Doubt::Repaired { .. }))
    );
}

#[test]
fn a_number_only_one_recogniser_reads_is_flagged() {
    let (notices, _) = read(
        FakePage::new(&front_with("EAC2190012345"), "", 99),
        FakeSecond::default().reading_lines_as("Receipt", 99),
    );
    assert_eq!(numbers(&notices), ["EAC2190012345"]);
    assert!(notices[0].doubts.contains(&Doubt::Unconfirmed));
    assert!(notices[0].needs_review());
}

#[test]
fn recognisers_that_disagree_give_a_flagged_number_naming_the_other() {
    let (notices, _) = read(
        FakePage::new(&front_with("SRC1512262132"), "", 99),
        FakeSecond::default().reading_lines_as("SRC1512262152", 90),
    );
    assert_eq!(numbers(&notices), ["SRC1512262132"]);
    assert!(notices[0].doubts.contains(&Doubt::ReadersDisagree {
        rival: "SRC1512262152".into(),
        positions: vec![11],
    }));
}

#[test]
fn a_rival_the_first_reads_too_on_the_numbers_line_outvotes_its_page_reading() {
    // The first's whole page says …132, the second's crop …152, and the first, reading the
    // same crop, …152: two recognisers agree on it.
    let (notices, calls) = read(
        FakePage::new(&front_with("SRC1512262132"), "", 99).reading_areas_as("SRC1512262152", 95),
        FakeSecond::default().reading_lines_as("SRC1512262152", 90),
    );
    assert_eq!(numbers(&notices), ["SRC1512262152"]);
    assert!(!notices[0].needs_review(), "{:?}", notices[0].doubts);
    assert_eq!(notices[0].fields.notice_date.as_deref(), Some("2024-03-04"));
    assert_eq!(calls, [1, 1, 1, 0]);
    // The first reading its own number again on the line is no second opinion.
    let (notices, _) = read(
        FakePage::new(&front_with("SRC1512262132"), "", 99).reading_areas_as("SRC1512262132", 95),
        FakeSecond::default().reading_lines_as("SRC1512262152", 90),
    );
    assert_eq!(numbers(&notices), ["SRC1512262132"]);
    assert!(notices[0].needs_review());
}

#[test]
fn without_a_second_recogniser_every_number_is_flagged_as_unchecked() {
    let readers = Readers {
        first: FakeOcr::new().page(
            b"scan".to_vec(),
            FakePage::new(&front_with("EAC2190012345"), "", 99),
        ),
        second: None,
    };
    let notices = readers.read(&picture()).expect("read").notices;
    assert_eq!(notices[0].doubts, vec![Doubt::NoSecondReader]);
}

#[test]
fn where_the_first_finds_no_number_on_a_front_the_second_searches_and_the_first_checks() {
    let (notices, calls) = read(
        FakePage::new(&front_with("SREI 6I22 62I52"), "", 90).reading_areas_as("SRC1512262152", 95),
        FakeSecond::default().finding(&front_with("SRC1512262152"), 96),
    );
    assert_eq!(numbers(&notices), ["SRC1512262152"]);
    assert!(!notices[0].needs_review(), "{:?}", notices[0].doubts);
    assert_eq!(notices[0].fields.notice_date.as_deref(), Some("2024-03-04"));
    assert_eq!(calls, [1, 1, 0, 1]);
}

#[test]
fn a_number_only_the_second_finds_and_the_first_cannot_read_is_flagged() {
    let (notices, _) = read(
        FakePage::new(&front_with("SREI 6I22 62I52"), "", 90).reading_areas_as("SREI", 60),
        FakeSecond::default().finding(&front_with("SRC1512262152"), 96),
    );
    assert_eq!(numbers(&notices), ["SRC1512262152"]);
    assert!(notices[0].doubts.contains(&Doubt::Unconfirmed));
}

#[test]
fn a_clearly_read_page_that_is_no_front_is_not_searched_again() {
    let back = "Additional Information\n\
                GENERAL. This notice tells you about an action taken on the case named on the \
                front. If any of the information above is wrong, please tell us right away so \
                that we can correct our records. Keep this notice with your other documents, \
                and bring it with you when you come to an appointment.\n";
    let (notices, calls) = read(
        FakePage::new(back, "", 96),
        FakeSecond::default().finding(&front_with("SRC1512262152"), 96),
    );
    assert!(notices.is_empty());
    assert_eq!(calls, [1, 0, 0, 0]);
}

#[test]
fn a_number_only_a_repair_makes_on_a_garbled_page_sends_it_to_the_second() {
    // Labels and header came out as garble; the number's prefix too (`£AC` for `EAC`), so no
    // notice is taken from this reading, but the page is no longer a plain "no number".
    let garbled = "Pei ce OAT!  PROACH SATE  rNGrsce SATE and many more clearly read words \
                   that say nothing about what kind of page this is, on and on, line after \
                   line of them, as a degraded fax gives\n\
                   £AC0811072183   I-129 PETITION FOR A NONIMMIGRANT WORKER\n";
    let (notices, calls) = read(
        FakePage::new(garbled, "", 96).reading_areas_as("£AC0811072183", 96),
        FakeSecond::default().finding(&front_with("EAC0811072183"), 96),
    );
    assert_eq!(numbers(&notices), ["EAC0811072183"]);
    assert_eq!(calls[3], 1, "the second searched the page");
    // Without such a number the same page is no notice, and is not searched.
    let plain = garbled.replace("£AC0811072183", "");
    let (notices, calls) = read(
        FakePage::new(&plain, "", 96),
        FakeSecond::default().finding(&front_with("EAC0811072183"), 96),
    );
    assert!(notices.is_empty());
    assert_eq!(calls[3], 0);
}

#[test]
fn a_page_read_as_nonsense_is_searched_by_the_second() {
    let (notices, calls) = read(
        FakePage::new("~ ,.. il ii' .:", "", 40),
        FakeSecond::default()
            .finding(&front_with("SRC1512262152"), 96)
            .reading_lines_as("SRC1512262152", 96),
    );
    assert_eq!(numbers(&notices), ["SRC1512262152"]);
    assert_eq!(calls[3], 1);
}

fn word(text: &str, left: i32, right: i32) -> Word {
    Word::with_text(text, 95, left, 100, right, 130)
}

#[test]
fn a_number_split_in_pieces_is_cropped_whole_with_a_margin_and_without_its_neighbours() {
    let words = [
        word("Receipt", 10, 90),
        word("EAC", 200, 240),
        word("2190012345", 252, 400),
        word("I-130", 600, 660),
        word("Petition", 680, 760),
    ];
    let area = number_area("EAC2190012345", &words, (1000, 1000)).expect("found");
    assert_eq!((area.left, area.left + area.width), (170, 430));
    assert_eq!((area.top, area.top + area.height), (88, 142));
}

#[test]
fn a_number_no_word_holds_has_no_area() {
    let words = [word("Receipt", 10, 90), word("Number", 100, 180)];
    assert_eq!(number_area("EAC2190012345", &words, (1000, 1000)), None);
}

#[test]
fn clear_words_are_long_and_read_surely() {
    let text = PageText {
        text: "Receipt Nmber of it".into(),
        source: i797_core::TextSource::Ocr,
        char_confidence: Some([vec![99; 8], vec![99, 50, 99, 99, 99, 99], vec![99; 5]].concat()),
    };
    assert_eq!(clear_words(&text), 1);
}

#[test]
fn a_front_only_the_second_sees_as_one_is_what_the_page_shows_when_no_number_is_read() {
    let readers = Readers {
        first: FakeOcr::new().page(b"scan".to_vec(), FakePage::new("~ ,.. il ii' .:", "", 40)),
        second: Some(
            Box::new(FakeSecond::default().finding(&front_with("SRC15"), 90))
                as Box<dyn SecondReader>,
        ),
    };
    let read = readers.read(&picture()).expect("read");
    assert!(read.notices.is_empty());
    assert!(
        looks_like_notice_front(&read.page.text),
        "{}",
        read.page.text.text
    );
    assert!(read.front_unread);
}

#[test]
fn a_badly_read_page_with_a_fronts_header_and_no_number_goes_to_a_person() {
    let header = "Department of Homeland Security      Form I-797C, Notice of Action\n";
    let badly = Readers {
        first: FakeOcr::new().page(b"scan".to_vec(), FakePage::new(header, "", 60)),
        second: Some(Box::new(FakeSecond::default().finding("~ ,", 50)) as Box<dyn SecondReader>),
    };
    let read = badly.read(&picture()).expect("read");
    assert!(read.notices.is_empty() && read.front_unread);
    // The same header on a page read clearly (a continuation page) is no unread front.
    let page2 = format!(
        "{header}{}",
        "Please send the evidence listed below. ".repeat(20)
    );
    let clearly = Readers {
        first: FakeOcr::new().page(b"scan".to_vec(), FakePage::new(&page2, "", 97)),
        second: Some(Box::new(FakeSecond::default()) as Box<dyn SecondReader>),
    };
    assert!(!clearly.read(&picture()).expect("read").front_unread);
}

#[test]
fn a_name_is_cropped_on_its_own_line_and_not_found_where_it_is_not() {
    let mut words = vec![
        word("Applicant", 10, 120),
        word("OKONJO-BRAY,", 200, 330),
        word("MEI", 340, 380),
    ];
    // A word of the name on another line is not part of its crop.
    words.push(Word::with_text("MEI", 95, 600, 300, 640, 330));
    let area = value_area("OKONJO-BRAY, MEI", &words, (1000, 1000)).expect("found");
    assert_eq!((area.left, area.left + area.width), (170, 410));
    assert_eq!((area.top, area.top + area.height), (88, 142));
    // The address block prints the name given name first: not the name's place, even below.
    words.push(Word::with_text("MEI", 95, 200, 400, 240, 430));
    words.push(Word::with_text("OKONJO-BRAY", 95, 250, 400, 380, 430));
    let area = value_area("OKONJO-BRAY, MEI", &words, (1000, 1000)).expect("found");
    assert_eq!((area.top, area.top + area.height), (88, 142));
    // Less than two thirds of it printed on any one line: nowhere.
    assert_eq!(
        value_area("OKONJO-BRAY, MEILING SOFIA", &words[..1], (1000, 1000)),
        None
    );
    assert_eq!(
        value_area("TALLGRASS ROBOTICS INC", &words, (1000, 1000)),
        None
    );
}

/// The top of an approval notice as far as the first read of its field region may reach, cut
/// after `block_lines` lines of the block its notice type heads.
fn approval_read_to(block_lines: usize) -> PageText {
    let block = [
        "TOMAS OCAMPO-REYES                 NOTICE TYPE: APPROVAL NOTICE",
        "c/o STILLWATER IMMIGRATION         Class: C09",
        "2898 TAMARACK ST STE 400           Valid from 05/20/2024 to 05/19/2029",
        "FRANKLIN TN 37059                  USCIS Online Account Number: 103412724248",
    ];
    let text = format!(
        "Department of Homeland Security    Form I-797D, Notice of Action\n\
         Receipt Number                     Case Type\n\
         IOE4692613528                      I765 - APPLICATION FOR EMPLOYMENT AUTHORIZATION\n\
         Received Date      Notice Date\n\
         02/14/2024         05/20/2024\n\n{}\n",
        block[..block_lines].join("\n")
    );
    PageText::from_pdf_text(text)
}

#[test]
fn reading_stops_only_once_the_block_the_notice_type_heads_is_read() {
    // Cut after the notice type or the class, the validity is still unread.
    for cut in 1..block_lines_total() {
        assert!(
            !header_is_complete(&approval_read_to(cut)),
            "cut after {cut}"
        );
    }
    assert!(header_is_complete(&approval_read_to(block_lines_total())));
}

fn block_lines_total() -> usize {
    NOTICE_BLOCK_LINES + 1
}

#[test]
fn a_page_without_its_notice_type_is_never_complete() {
    let text = PageText::from_pdf_text(front_with("EAC2190012345") + "more\nlines\nof\nprose\n");
    assert!(!header_is_complete(&text));
}

/// An NVC welcome letter with `number` as its case number, quoting a petition's receipt.
fn nvc_letter_with(number: &str) -> String {
    format!(
        "U.S. Department of State\n\
         National Visa Center                 Portsmouth, NH 03801\n\
         \n\
         WELCOME LETTER\n\
         NVC Case Number:        {number}\n\
         USCIS Receipt Number:   EAC2190012345\n\
         Petitioner:             BRATHWAITE, ODETTE\n"
    )
}

#[test]
fn an_nvc_letter_whose_own_number_the_first_misses_is_searched_by_the_second() {
    let (notices, calls) = read(
        FakePage::new(&nvc_letter_with("KNG20216120"), "", 90)
            .reading_areas_as("KNG2021612004", 95),
        FakeSecond::default().finding(&nvc_letter_with("KNG2021612004"), 96),
    );
    assert_eq!(numbers(&notices), ["KNG2021612004"]);
    assert_eq!(
        notices[0].fields.linked_receipt.as_deref(),
        Some("EAC2190012345")
    );
    // The number is sure. The fake first reader reads every area as the number, so the
    // petitioner's line, read again by it as every name is, disagrees: that doubt is the fake's.
    assert!(
        notices[0].doubts.iter().all(|d| matches!(
            d,
            Doubt::FieldDisputed {
                field: "applicant",
                ..
            }
        )),
        "{:?}",
        notices[0].doubts
    );
    assert_eq!(calls, [1, 2, 0, 1]);
}

#[test]
fn an_nvc_letter_neither_reads_the_number_of_keeps_its_quoted_receipt_flagged() {
    let (notices, calls) = read(
        FakePage::new(&nvc_letter_with("KNG20216120"), "", 90),
        FakeSecond::default()
            .finding(&nvc_letter_with("KNG2O2"), 96)
            .reading_lines_as("EAC2190012345", 97),
    );
    assert_eq!(numbers(&notices), ["EAC2190012345"]);
    assert!(notices[0].doubts.contains(&Doubt::NvcCaseUnread));
    assert_eq!(calls, [1, 0, 1, 1]);
}

#[test]
fn the_receipt_a_letter_quotes_misread_where_printed_is_still_checked_by_the_second() {
    // `I0E…`: the first read the prefix's O as a zero, so no word of its line spells the value.
    let letter = nvc_letter_with("KNG2021612004").replace("EAC2190012345", "I0E4109968551");
    let (notices, calls) = read(
        FakePage::new(&letter, "", 90),
        FakeSecond::default().reading_lines_as("KNG2021612004 IOE4109968551", 97),
    );
    assert_eq!(numbers(&notices), ["KNG2021612004"]);
    assert_eq!(
        notices[0].fields.linked_receipt.as_deref(),
        Some("IOE4109968551")
    );
    assert!(
        !notices[0]
            .doubts
            .contains(&Doubt::UnclearField("linked_receipt")),
        "{:?}",
        notices[0].doubts
    );
    // The number, the receipt, and the name read at 90 (a doubt this fake leaves standing).
    assert_eq!(calls, [1, 0, 3, 0]);
}
