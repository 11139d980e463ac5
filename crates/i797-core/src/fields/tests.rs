use super::*;

/// The form as read, before it is checked against the notice type.
fn read_form(text: &str) -> Option<String> {
    let forms = read_forms(text);
    forms.header.or(forms.edition).or(forms.other)
}

#[test]
fn long_notice_type_with_a_label_word_inside_or_wrapped() {
    let one_line = "Receipt Number     EAC2190012345\n\n\
                        JANE DOE                  NOTICE TYPE: REQUEST FOR APPLICANT TO APPEAR FOR INITIAL INTERVIEW\n";
    assert_eq!(
        fields(one_line).fields.notice_type.as_deref(),
        Some("Request for Applicant to Appear for Initial Interview")
    );
    let wrapped = "Receipt Number     EAC2190012345\n\n\
                       JANE DOE                  NOTICE TYPE: REQUEST FOR APPLICANT TO\n\
                       c/o SOME LAW FIRM         APPEAR FOR INITIAL INTERVIEW\n\
                       12 MAIN ST\n";
    assert_eq!(
        fields(wrapped).fields.notice_type.as_deref(),
        Some("Request for Applicant to Appear for Initial Interview")
    );
    let under_value = "Notice Type: Request for Applicant to\n             Appear for Interview\n";
    assert_eq!(
        fields(under_value).fields.notice_type.as_deref(),
        Some("Request for Applicant to Appear for Interview")
    );
    // A short type is read as before; an unrelated next line is not glued on.
    assert_eq!(
        fields("Notice Type: Receipt Notice\nAmount received: $675.00\n")
            .fields
            .notice_type
            .as_deref(),
        Some("Receipt Notice")
    );
}

#[test]
fn case_type_printed_with_the_word_form() {
    assert_eq!(
        case_type_of("Form I-131, Application For Travel Document"),
        Parsed::Ok("I-131".to_string())
    );
    assert_eq!(
        case_type_of("FORM I-765 APPLICATION FOR EMPLOYMENT AUTHORIZATION"),
        Parsed::Ok("I-765".to_string())
    );
    assert_eq!(
        case_type_of("Form 1-130, Petition For Alien"),
        Parsed::Ok("I-130".to_string())
    );
    // Specks of a box border before the code.
    assert_eq!(
        case_type_of("\u{2014}-1129 PETITION FOR A"),
        Parsed::Ok("I-129".to_string())
    );
    assert_eq!(case_type_of("| I485"), Parsed::Ok("I-485".to_string()));
    assert_eq!(case_type_of("\u{2014}-"), Parsed::Bad);
    // "Formal" is no form word; and the word alone names no code.
    assert_eq!(case_type_of("Formal request"), Parsed::Bad);
    assert_eq!(case_type_of("Form"), Parsed::Bad);
}

fn fields(text: &str) -> Fields {
    let layout = Layout::new(text);
    read_fields(&layout, &(0..layout.lines.len()), false)
}

#[test]
fn form_from_the_header_and_its_ocr_spellings() {
    for (text, form) in [
        ("Form I-797C, Notice of Action", "I-797C"),
        ("Form I-797, Notice of Action", "I-797"),
        ("Form I-797A, Notice of Action", "I-797A"),
        ("I-797C, Notice of Action", "I-797C"),
        ("Form 1-797C, Notice of Action", "I-797C"),
        ("Form l-797C, Notice of Action", "I-797C"),
        ("Form I-797 C, Notice of Action", "I-797C"),
        ("FORM I-797E NOTICE OF ACTION", "I-797E"),
        ("Form I-797c, Notice of Action", "I-797C"),
        ("Form 1I-797C, Notice of Action", "I-797C"),
        ("blah\nForm I-797D 07/11/14", "I-797D"),
    ] {
        assert_eq!(read_form(text).as_deref(), Some(form), "{text}");
    }
    // The header wins over a footer or body mention of another variant.
    assert_eq!(
        read_form("Form I-797B, Notice of Action\n...\nForm I-797C 07/11/14").as_deref(),
        Some("I-797B")
    );
    for text in [
        "I-797 and other notices",
        "see the I-797C you received",
        "Form I-7970",
        "XI-797C",
        "Form I-94",
        "",
    ] {
        assert_eq!(read_form(text), None, "{text}");
    }
    assert_eq!(read_form("Form I-797 and more").as_deref(), Some("I-797"));
}

#[test]
fn the_form_is_read_in_the_header_and_on_the_edition_line() {
    let forms = read_forms(
        "\\-797C, Notice of Action\nKeep this Form I-797 safe.\nForm I-797C (Rev. 01/31/05) N\n",
    );
    assert_eq!(forms.header.as_deref(), Some("I-797C"));
    assert_eq!(forms.edition.as_deref(), Some("I-797C"));
    assert_eq!(forms.other.as_deref(), Some("I-797"));
    let forms = read_forms("Form 1-797, Notice of Action\nForm |-797E 07/11/14\n");
    assert_eq!(forms.header.as_deref(), Some("I-797"));
    assert_eq!(forms.edition.as_deref(), Some("I-797E"));
    // OCR's `lof il` for the Page box's `1 of 1` is no form, nor anything else.
    assert_eq!(read_forms("PAGE\nlof il\n"), Forms::default());
}

#[test]
fn the_form_is_checked_against_the_notice_type() {
    let forms = |header: &str, edition: &str| Forms {
        header: (!header.is_empty()).then(|| header.to_string()),
        edition: (!edition.is_empty()).then(|| edition.to_string()),
        other: None,
    };
    let settle = |header, edition, notice_type, ocr| {
        let (form, doubt) = settle_form(forms(header, edition), notice_type, ocr);
        (form.unwrap_or_default(), doubt)
    };
    let rfe = Some("Request for Evidence");
    let receipt = Some("Receipt Notice");
    let approval = Some("Approval Notice");
    for (header, edition, notice_type, ocr, form, doubt) in [
        // Agreeing: nothing to say.
        ("I-797E", "", rfe, true, "I-797E", false),
        ("I-797C", "I-797C", receipt, true, "I-797C", false),
        ("I-797", "", approval, true, "I-797", false),
        ("I-797D", "", approval, true, "I-797D", false),
        (
            "I-797C",
            "",
            Some("Request for Applicant to Appear for Initial Interview"),
            true,
            "I-797C",
            false,
        ),
        // Nothing known to check against.
        ("I-797C", "", None, true, "I-797C", false),
        (
            "I-797C",
            "",
            Some("Card Production Notice"),
            true,
            "I-797C",
            false,
        ),
        // Lost letter, one variant for the type: settled in OCR text, always flagged.
        ("I-797", "", rfe, true, "I-797E", true),
        ("I-797", "", receipt, true, "I-797C", true),
        ("I-797", "", rfe, false, "I-797", true),
        // A letter that disagrees is kept as read.
        ("I-797C", "", rfe, true, "I-797C", true),
        ("I-797E", "", approval, true, "I-797E", true),
        ("I-797A", "", receipt, true, "I-797A", true),
        // Header and footer disagree: the one that fits the type, flagged.
        ("I-797", "I-797E", rfe, true, "I-797E", true),
        ("I-797C", "I-797E", rfe, true, "I-797E", true),
        ("I-797B", "I-797C", approval, false, "I-797B", true),
        ("I-797", "I-797E", None, true, "I-797", true),
        // Only the footer.
        ("", "I-797E", rfe, true, "I-797E", false),
    ] {
        assert_eq!(
            settle(header, edition, notice_type, ocr),
            (form.to_string(), doubt),
            "{header} {edition} {notice_type:?} {ocr}"
        );
    }
    assert_eq!(settle_form(Forms::default(), rfe, true), (None, false));
}

#[test]
fn notice_types_canonicalise() {
    for (printed, name) in [
        ("Receipt Notice", "Receipt Notice"),
        ("RECEIPT NOTICE", "Receipt Notice"),
        ("RECEIPT", "Receipt Notice"),
        ("Recelpt Notice", "Receipt Notice"),
        ("Approval Notice", "Approval Notice"),
        ("APPROVAL", "Approval Notice"),
        ("Re-open Notice", "Re-open Notice"),
        ("Reopen Notice", "Re-open Notice"),
        ("Transfer Notice", "Transfer Notice"),
        ("Rejection Notice", "Rejection Notice"),
        (
            "Premium Processing Receipt Notice",
            "Premium Processing Receipt Notice",
        ),
        ("ASC APPOINTMENT NOTICE", "ASC Appointment Notice"),
        (
            "Biometrics Appointment Notice",
            "Biometrics Appointment Notice",
        ),
        ("Biometric Notification", "Biometric Notification"),
        ("Request for Evidence", "Request for Evidence"),
        ("Request for Evldence", "Request for Evidence"),
        (
            "Interview Appointment Notice",
            "Interview Appointment Notice",
        ),
        (
            "Request for Applicant to Appear for Initial Inter",
            "Request for Applicant to Appear for Initial Interview",
        ),
        (
            "REQUEST FOR APPLICANT TO APPEAR FOR INITIAL INTERVIEW",
            "Request for Applicant to Appear for Initial Interview",
        ),
    ] {
        assert_eq!(canonical_notice_type(printed), Some(name), "{printed}");
    }
    assert_eq!(canonical_notice_type("Class: H1B"), None);
    assert_eq!(canonical_notice_type("Re"), None);
}

#[test]
fn unknown_notice_types_are_kept_from_text_but_flagged_from_ocr() {
    assert_eq!(
        notice_type_of("Card Production Notice", false),
        Parsed::Ok("Card Production Notice".into())
    );
    assert_eq!(notice_type_of("Card Production Notice", true), Parsed::Bad);
    assert_eq!(notice_type_of("x7#@ 1", false), Parsed::Bad);
    assert_eq!(notice_type_of("  ", false), Parsed::Empty);
}

#[test]
fn case_types_read_in_every_spelling() {
    for (printed, code) in [
        ("I130 - PETITION FOR ALIEN RELATIVE", "I-130"),
        ("I-129, PETITION FOR A NONIMMIGRANT WORKER", "I-129"),
        ("I485", "I-485"),
        ("I-765", "I-765"),
        (
            "I539 - APPLICATION TO EXTEND/CHANGE NONIMMIGRANT STATUS",
            "I-539",
        ),
        ("N400 - APPLICATION FOR NATURALIZATION", "N-400"),
        ("N-400", "N-400"),
        ("I140 - IMMIGRANT PETITION FOR ALIEN WORKER", "I-140"),
        ("I751", "I-751"),
        (
            "I821D - CONSIDERATION OF DEFERRED ACTION FOR CHILDHOOD ARRIVALS",
            "I-821D",
        ),
        ("I-129F", "I-129F"),
        ("I131", "I-131"),
        (
            "I90 - APPLICATION TO REPLACE PERMANENT RESIDENT CARD",
            "I-90",
        ),
        (
            "I589 - APPLICATION FOR ASYLUM AND FOR WITHHOLDING OF REMOVAL",
            "I-589",
        ),
        // OCR in the case-type slot.
        ("1130 - PETITION FOR ALIEN RELATIVE", "I-130"),
        ("1-130", "I-130"),
        ("l-130 - PETITION FOR ALIEN RELATIVE", "I-130"),
        ("i130", "I-130"),
        ("ii30 - PETITION FOR ALIEN RELATIVE", "I-130"),
        ("I13O - PETITION FOR ALIEN RELATIVE", "I-130"),
        ("I 485", "I-485"),
        ("I - 765", "I-765"),
        // Only the description could be read.
        ("PETITION FOR ALIEN RELATIVE", "I-130"),
        ("I1#0 - PETITION FOR ALIEN RELATIVE", "I-130"),
        // A misread code that is no form, corrected by the description.
        ("I136 - PETITION FOR ALIEN RELATIVE", "I-130"),
    ] {
        assert_eq!(
            case_type_of(printed),
            Parsed::Ok(code.to_string()),
            "{printed}"
        );
    }
}

#[test]
fn doubtful_case_types_are_flagged() {
    // Code and description disagree: keep the code, flag it.
    assert_eq!(
        case_type_of("I129 - PETITION FOR ALIEN RELATIVE"),
        Parsed::Doubtful("I-129".into())
    );
    // A repaired code that is no known form.
    assert_eq!(case_type_of("1l3S"), Parsed::Bad);
    assert_eq!(case_type_of("unreadable smudge"), Parsed::Bad);
    assert_eq!(case_type_of(""), Parsed::Empty);
    // A clean code not in the table is kept but flagged.
    assert_eq!(case_type_of("I-999"), Parsed::Doubtful("I-999".into()));
}

#[test]
fn dates_come_from_their_own_boxes() {
    let f = fields(
        "Received Date        Priority Date      Notice Date        Page\n\
             01/15/2024                              01/20/2024         1 of 1\n",
    );
    assert_eq!(f.fields.received_date.as_deref(), Some("2024-01-15"));
    assert_eq!(f.fields.notice_date.as_deref(), Some("2024-01-20"));
    assert_eq!(f.fields.priority_date, None);
    assert!(f.doubts.is_empty());
}

#[test]
fn an_impossible_date_is_left_empty_not_guessed() {
    let f = fields(
        "Received Date        Priority Date      Notice Date        Page\n\
             02/30/2024                              01/20/2024         1 of 1\n",
    );
    assert_eq!(f.fields.received_date, None);
    assert_eq!(f.doubts, [Doubt::UnreadField("received_date")]);
}

#[test]
fn validity_periods_and_their_doubts() {
    let f =
        fields("Notice Type: Approval Notice\nClass: H1B\nValid from 10/01/2023 to 09/30/2026\n");
    assert_eq!(f.fields.valid_from.as_deref(), Some("2023-10-01"));
    assert_eq!(f.fields.valid_until.as_deref(), Some("2026-09-30"));
    assert_eq!(f.fields.notice_type.as_deref(), Some("Approval Notice"));
    assert!(f.doubts.is_empty());
    let f = fields("Valid from 10/01/2026 to 09/30/2023\n");
    assert_eq!(f.doubts, [Doubt::UnclearField("valid_until")]);
    let f = fields("Valid from 10/01/2023 to 09/3l/2O26\n");
    assert_eq!(f.fields.valid_until, None);
    assert_eq!(f.doubts, [Doubt::UnreadField("valid_until")]);
}

#[test]
fn titled_notice_types_without_a_label() {
    let f = fields("   APPROVAL NOTICE   \nThe petition has been approved.\n");
    assert_eq!(f.fields.notice_type.as_deref(), Some("Approval Notice"));
    // A sentence that merely contains the words is no title.
    let f = fields("This receipt notice is not a visa.\n");
    assert_eq!(f.fields.notice_type, None);
}
