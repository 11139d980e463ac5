use super::*;

#[test]
fn label_wrapped_in_a_narrow_column() {
    let text = "Receipt      TSC1721965519                  Notice Date:   05/22/2017\n\
                    No.:\n\
                    Received     03/10/2017                     Alien          A173214197\n\
                    Date:                                       Number:\n";
    let layout = Layout::new(text);
    let kinds: Vec<(usize, LabelKind)> = layout
        .hits
        .iter()
        .filter(|h| h.is_label)
        .map(|h| (h.line, h.kind))
        .collect();
    assert!(kinds.contains(&(0, LabelKind::ReceiptNumber)), "{kinds:?}");
    assert!(kinds.contains(&(2, LabelKind::ReceivedDate)), "{kinds:?}");
    assert!(kinds.contains(&(2, LabelKind::ANumber)), "{kinds:?}");
    let received = layout
        .hits
        .iter()
        .position(|h| h.kind == LabelKind::ReceivedDate)
        .unwrap();
    assert_eq!(layout.values(received)[0].text, "03/10/2017");
    // A taller cell beside it may push the rest of the label one line further down.
    let text = "Receipt        01/29/2019\n\
                    \x20                          A#:       A61433455\n\
                    Date:\n";
    let layout = Layout::new(text);
    let received = layout
        .hits
        .iter()
        .position(|h| h.kind == LabelKind::ReceivedDate)
        .unwrap();
    assert_eq!(layout.values(received)[0].text, "01/29/2019");
    // Several words wrapped: `USCIS Online Account` / `Number`.
    let layout = Layout::new("USCIS Online Account     807760034673\nNumber\n");
    assert!(
        layout
            .hits
            .iter()
            .any(|h| h.kind == LabelKind::AccountNumber && h.line == 0)
    );
    // A word that only starts a sentence on the next line is no label.
    let prose = Layout::new("Received\nDate of the interview: soon\n");
    assert!(prose.hits.iter().all(|h| h.kind != LabelKind::ReceivedDate));
}

#[test]
fn codes_after_labels_of_other_identifiers() {
    let text = "Client ID:   CLT3482786938\nInvoice No. SAC2024061234\nOur file: SAC6248006026\n\
                    Client!D:  | CLT4990355978\nClient 1D:  |  CLT2058565239\n\
                    Client (D:    CLT4491101898\n\
                    Receipt No. NYC2311100005\nsee NYC2311100006\n";
    let layout = Layout::new(text);
    let at = |line: usize| {
        let t = layout.line_text(line);
        let start = t.chars().count() - 13;
        layout.after_other_identifier(
            line,
            Span {
                start,
                end: start + 13,
            },
        )
    };
    // The next three as scans read them: `I` as `!`, `1` or `(`, a space lost, a border
    // glued on.
    assert!(at(0) && at(1) && at(2) && at(3) && at(4) && at(5));
    assert!(!at(6) && !at(7));
}

const GRID: &str = "\
Form I-797C, Notice of Action
Receipt Number                         Case Type
EAC2190012345                          I130 - PETITION FOR ALIEN RELATIVE
Received Date        Priority Date      Notice Date        Page
01/15/2024                              01/20/2024         1 of 1
Applicant/Petitioner                   Beneficiary
A012 345 678                           A098 765 432
DOE, JANE                              DOE, JOHN
Notice Type: Receipt Notice
";

fn hit(layout: &Layout, kind: LabelKind) -> usize {
    layout.hits.iter().position(|h| h.kind == kind).unwrap()
}

/// The values a label surely owns (not the doubtful strays).
fn texts(layout: &Layout, kind: LabelKind) -> Vec<String> {
    layout
        .values(hit(layout, kind))
        .into_iter()
        .filter(|v| !v.shared)
        .map(|v| v.text)
        .collect()
}

#[test]
fn segments_split_on_wide_gaps_only() {
    let layout = Layout::new("DOE, JANE      A012 345 678\tX");
    let segs: Vec<&str> = layout.lines[0]
        .segments
        .iter()
        .map(|&s| layout.segment_text(0, s))
        .collect();
    assert_eq!(segs, ["DOE, JANE", "A012 345 678", "X"]);
}

#[test]
fn a_speck_after_a_label_is_not_its_value() {
    // `Case Type -` is how Tesseract read the JBIG2 sample's label.
    for label in [
        "Case Type -",
        "Case Type |",
        "Case Type_",
        "Case Type .",
        "Case Type - |",
    ] {
        let text = format!(
            "Receipt Number                                  {label}\n\
                 LIN2391 199246                                  1140 - IMMIGRANT PETITION FOR ALIEN WORKER\n"
        );
        let layout = Layout::new(&text);
        assert_eq!(
            texts(&layout, LabelKind::CaseType),
            ["1140 - IMMIGRANT PETITION FOR ALIEN WORKER"],
            "{label}"
        );
        assert!(is_label_text(label), "{label}");
    }
    // Between a label and the value beside it, too.
    let layout = Layout::new(
        "   Petitioner:     |     DOE, JANE
",
    );
    assert_eq!(texts(&layout, LabelKind::Petitioner), ["DOE, JANE"]);
    // A value is still a value.
    let layout = Layout::new(
        "Notice Type: -Receipt Notice
",
    );
    assert_eq!(texts(&layout, LabelKind::NoticeType), ["-Receipt Notice"]);
}

#[test]
fn the_header_with_its_i_read_as_a_backslash() {
    let layout = Layout::new(
        "U.S. Department of Homeland Security                 \\-797C, Notice of Action\n",
    );
    assert!(layout.lines[0].header);
}

#[test]
fn the_header_with_a_letter_of_its_words_wrong() {
    // Tesseract on a 100-dpi fax.
    for header in [
        "Form 1-797, Nutice of Action.",
        "Form I-797C, Notice of Actlon",
    ] {
        let line = format!("  Department of Homeland Security      {header}\n");
        let layout = Layout::new(&line);
        assert!(layout.lines[0].header, "{header}");
    }
    // Words beside it make it no header; nor does another phrase of three words.
    for other in [
        "Form I-797C, Notice of Action oo",
        "Form I-797C, Notice of Appeal",
    ] {
        let line = format!("  Department of Homeland Security      {other}\n");
        let layout = Layout::new(&line);
        assert!(!layout.lines[0].header, "{other}");
    }
}

#[test]
fn the_header_spaced_out_over_several_segments_is_still_the_header() {
    // The neural reader's word spans leave wide gaps between the words of one phrase.
    let layout = Layout::new(
        "      Department of Homeland Security              Form   I-797C,   Notice    of  Action\n",
    );
    assert!(layout.lines[0].header);
    // Prose that mentions the form is not the header.
    let prose = Layout::new("We enclose Form I-797C, Notice of Action for your records.\n");
    assert!(!prose.lines[0].header);
}

#[test]
fn values_know_where_they_were_read() {
    let layout = Layout::new(GRID).with_confidence(None);
    let values = layout.values(hit(&layout, LabelKind::Beneficiary));
    assert_eq!(layout.value_confidence(&values[0]), None);
    let text = "Beneficiary   A098 765 432\nDOE,        JOHN\n";
    let scores: Vec<u8> = text
        .chars()
        .map(|c| if c == 'J' { 50 } else { 99 })
        .collect();
    let layout = Layout::new(text).with_confidence(Some(&scores));
    let values = layout.values(hit(&layout, LabelKind::Beneficiary));
    assert_eq!(values[1].text, "DOE, JOHN");
    assert_eq!(
        layout.value_confidence(&values[1]),
        Some(vec![99, 99, 99, 99, 100, 50, 99, 99, 99])
    );
}

#[test]
fn grid_values_come_from_the_cell_below() {
    let layout = Layout::new(GRID);
    assert!(layout.lines[0].header);
    assert_eq!(
        texts(&layout, LabelKind::CaseType),
        ["I130 - PETITION FOR ALIEN RELATIVE"]
    );
    assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["01/15/2024"]);
    assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
    assert_eq!(texts(&layout, LabelKind::NoticeDate), ["01/20/2024"]);
    assert_eq!(texts(&layout, LabelKind::Page), ["1 of 1"]);
    assert_eq!(
        texts(&layout, LabelKind::Beneficiary),
        ["A098 765 432", "DOE, JOHN"]
    );
    assert_eq!(texts(&layout, LabelKind::NoticeType), ["Receipt Notice"]);
    assert!(layout.is_uscis_notice(&(0..layout.lines.len())));
}

#[test]
fn a_number_under_its_label_is_labelled() {
    let layout = Layout::new(GRID);
    let receipt = hit(&layout, LabelKind::ReceiptNumber);
    let span = Span { start: 0, end: 13 };
    assert_eq!(layout.number_label(2, span), Evidence::Label(receipt));
    // The case type's cell is not the receipt number's.
    let span = Span { start: 39, end: 43 };
    assert_eq!(layout.number_label(2, span), Evidence::None);
}

#[test]
fn values_shifted_a_few_columns_still_land_in_their_cell() {
    let text = "\
Receipt Number              Case Type
     EAC2190012345        I130 - PETITION FOR ALIEN RELATIVE
Received Date        Priority Date      Notice Date
  01/15/2024                         01/20/2024
";
    let layout = Layout::new(text);
    assert_eq!(
        texts(&layout, LabelKind::CaseType),
        ["I130 - PETITION FOR ALIEN RELATIVE"]
    );
    assert_eq!(texts(&layout, LabelKind::NoticeDate), ["01/20/2024"]);
    assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
    let receipt = hit(&layout, LabelKind::ReceiptNumber);
    assert_eq!(
        layout.number_label(1, Span { start: 5, end: 18 }),
        Evidence::Label(receipt)
    );
}

#[test]
fn values_far_from_every_label_or_between_two_belong_to_none() {
    let text = "\
Received Date                           Priority Date                             Notice Date
01/25/2021                                                                  02/04/2021
Receipt Number          Case Type
EAC2108235877                 1130 - PETITION FOR ALIEN RELATIVE
";
    let layout = Layout::new(text);
    // 02/04/2021 starts 6 columns before Notice Date and 36 after Priority Date.
    assert_eq!(texts(&layout, LabelKind::NoticeDate), ["02/04/2021"]);
    assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
    // The case type starts 30 columns from "Receipt Number" and 6 from "Case Type".
    let grid = layout.grid(2);
    assert_eq!(
        layout.cell_owner(&grid, Span { start: 30, end: 34 }),
        Cell::Label(hit(&layout, LabelKind::CaseType))
    );
    assert_eq!(
        layout.cell_owner(&grid, Span { start: 60, end: 64 }),
        Cell::None
    );
    // A name far from both labels is nobody's, not the left one's continuation.
    let layout = Layout::new(
        "Petitioner                                                  Beneficiary\n\
             DOE, JANE                           ROE, JOHN\n",
    );
    assert_eq!(texts(&layout, LabelKind::Petitioner), ["DOE, JANE"]);
    // Out of place, it is offered to the empty column as a doubtful value.
    let values = layout.values(hit(&layout, LabelKind::Beneficiary));
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].text, "ROE, JOHN");
    assert!(values[0].shared);
    // Halfway between two labels: shared, so neither takes it as certain.
    let layout = Layout::new("Priority Date        Notice Date\n          01/20/2024\n");
    let values = layout.values(hit(&layout, LabelKind::NoticeDate));
    assert_eq!(values.len(), 1);
    assert!(values[0].shared);
}

#[test]
fn a_row_of_labels_split_over_two_lines_is_one_row() {
    // OCR of a skewed scan put "Case Type" a line above "Receipt Number". (The literal
    // starts with a line break: a `\` continuation would eat the first line's indent.)
    let text = "
                                               Case Type
Receipt Number                                                            OR ADJUST STATUS
MSC2206700001                                  I485 - APPLICATION TO REGISTER PERMANENT RESIDENCE
";
    let layout = Layout::new(text);
    assert_eq!(
        texts(&layout, LabelKind::CaseType),
        ["I485 - APPLICATION TO REGISTER PERMANENT RESIDENCE"]
    );
    let receipt = hit(&layout, LabelKind::ReceiptNumber);
    assert_eq!(
        layout.number_label(3, Span { start: 0, end: 13 }),
        Evidence::Label(receipt)
    );
}

#[test]
fn a_stray_label_on_the_value_line_does_not_end_the_values() {
    let text = "
     Received Date                  Priority Date                  Notice Date
     07/19/2023                                                                                   Page
                                                                   07/27/2023                     1  of 1
";
    let layout = Layout::new(text);
    assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["07/19/2023"]);
    assert_eq!(texts(&layout, LabelKind::NoticeDate), ["07/27/2023"]);
    assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
}

#[test]
fn a_label_in_a_grid_column_starts_the_next_row() {
    let text = "\
 RECEIPT DATE                   PRIORITY DATE                  PETITIONER
 04/13/2006                                                    EXAMPLE DATA SYSTEMS INC
 NOTICE DATE                    PAGE                           BENEFICIARY
 04/20/2006                     1 of 1                         HOLT, FINN
";
    let layout = Layout::new(text);
    assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["04/13/2006"]);
    assert_eq!(
        texts(&layout, LabelKind::Petitioner),
        ["EXAMPLE DATA SYSTEMS INC"]
    );
    assert_eq!(texts(&layout, LabelKind::NoticeDate), ["04/20/2006"]);
}

#[test]
fn values_with_wide_inner_gaps_stay_whole() {
    let layout = Layout::new("  Applicant  A112 261  017\n  RAVEN,       FINN\n");
    let values: Vec<String> = layout
        .values(hit(&layout, LabelKind::Applicant))
        .into_iter()
        .map(|v| v.text)
        .collect();
    assert_eq!(values, ["A112 261 017", "RAVEN, FINN"]);
}

#[test]
fn labels_and_values_on_one_line() {
    let text = "Receipt Number EAC2190012345 Case Type I130 - PETITION FOR ALIEN RELATIVE\n\
                    Received Date 01/15/2024  Priority Date  Notice Date 01/20/2024  Page 1 of 1\n";
    let layout = Layout::new(text);
    assert_eq!(
        texts(&layout, LabelKind::CaseType),
        ["I130 - PETITION FOR ALIEN RELATIVE"]
    );
    assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["01/15/2024"]);
    assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
    assert_eq!(texts(&layout, LabelKind::NoticeDate), ["01/20/2024"]);
    let receipt = hit(&layout, LabelKind::ReceiptNumber);
    assert_eq!(
        layout.number_label(0, Span { start: 15, end: 28 }),
        Evidence::Label(receipt)
    );
}

#[test]
fn ocr_spellings_of_the_receipt_label() {
    for label in [
        "Receipt Number",
        "RECEIPT NUMBER",
        "Recei t Number",
        "Receipt Nurnber",
        "Rece1pt Number",
        "Receipt #",
        "Receipt No.",
    ] {
        let layout = Layout::new(label);
        assert_eq!(layout.hits.len(), 1, "{label}");
        assert_eq!(layout.hits[0].kind, LabelKind::ReceiptNumber, "{label}");
        assert!(layout.hits[0].is_label, "{label}");
    }
    // A notice type is not a receipt-number label.
    let layout = Layout::new("Receipt Notice");
    assert!(layout.hits.is_empty());
}

#[test]
fn prose_mentions_are_not_labels() {
    let layout = Layout::new("We are writing regarding receipt number WAC2290112233, which");
    let h = layout.hits[0];
    assert_eq!(h.kind, LabelKind::ReceiptNumber);
    assert!(!h.is_label);
    assert_eq!(
        layout.number_label(0, Span { start: 40, end: 53 }),
        Evidence::Mention(LabelKind::ReceiptNumber)
    );
    // A common word inside a sentence is not a label either.
    let layout = Layout::new("Notice Type: Request for Applicant to Appear for Initial Interview");
    assert!(
        layout
            .hits
            .iter()
            .all(|h| h.kind != LabelKind::Applicant || !h.is_label)
    );
    assert_eq!(
        texts(&layout, LabelKind::NoticeType),
        ["Request for Applicant to Appear for Initial Interview"]
    );
}

#[test]
fn next_segment_value_and_colon() {
    let layout = Layout::new(
        "   NVC Case Number:                 MNL2020547051\n   Petitioner:     DOE, JANE\n",
    );
    let values = layout.values(hit(&layout, LabelKind::NvcCaseNumber));
    assert_eq!(values[0].text, "MNL2020547051");
    assert_eq!(values[0].how, How::NextSegment);
    assert!(values[0].colon);
    assert_eq!(
        layout.number_label(0, Span { start: 36, end: 49 }),
        Evidence::Label(hit(&layout, LabelKind::NvcCaseNumber))
    );
}

#[test]
fn inline_a_number_does_not_split_the_name_cell() {
    let text = "\
 Applicant   A# 119 231 579
 VILLASANTE-RODRIGUEZ, MARIA ALEJANDRA
";
    let layout = Layout::new(text);
    assert_eq!(
        texts(&layout, LabelKind::Applicant),
        ["A# 119 231 579", "VILLASANTE-RODRIGUEZ, MARIA ALEJANDRA"]
    );
}

#[test]
fn blank_lines_between_labels_and_values_are_skipped() {
    let text = "\
 RECEIPT NUMBER                                    CASE TYPE

 WAC-06-138-97010                                  I-129, PETITION FOR A NONIMMIGRANT WORKER

 RECEIPT DATE                   PRIORITY DATE                  PETITIONER

 04/13/2006                                                    LANTERNFISH DATA SYSTEMS INC
 NOTICE DATE                    PAGE                           BENEFICIARY
";
    let layout = Layout::new(text);
    assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["04/13/2006"]);
    assert_eq!(
        texts(&layout, LabelKind::Petitioner),
        ["LANTERNFISH DATA SYSTEMS INC"]
    );
    assert_eq!(
        texts(&layout, LabelKind::CaseType),
        ["I-129, PETITION FOR A NONIMMIGRANT WORKER"]
    );
}

#[test]
fn multibyte_text_keeps_columns_in_chars() {
    let text = "Notificación – García     Case Type\nÑÑ                        I130 - PETITION\n";
    let layout = Layout::new(text);
    assert_eq!(texts(&layout, LabelKind::CaseType), ["I130 - PETITION"]);
}

#[test]
fn grid_labels_read_with_letters_wrong_still_point_at_their_values() {
    // Tesseract on a 200-dpi fax of a receipt notice: every label of the grid garbled a little.
    let text = "\
 Receipt Number                                   Gase Type
 EAG2108235877                                    I130 - PETITION FOR ALIEN RELATIVE
 Received: Pate               Priority Mate.                 Notice Mate
 01/25/2024                                                  02/04/2021
 Petitioner                                                  Beneiclary
 BERGSTROMER, YUKI                                           BERGSTROMER, OSKAR
";
    let layout = Layout::new(text);
    assert_eq!(
        texts(&layout, LabelKind::CaseType),
        ["I130 - PETITION FOR ALIEN RELATIVE"]
    );
    assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["01/25/2024"]);
    assert_eq!(texts(&layout, LabelKind::NoticeDate), ["02/04/2021"]);
    assert_eq!(
        texts(&layout, LabelKind::Beneficiary),
        ["BERGSTROMER, OSKAR"]
    );
    // Words of a value that come near a label are no label.
    assert!(
        layout.hits.iter().all(|h| h.line != 1 && h.line != 5),
        "{:?}",
        layout.hits
    );
}
