use super::*;
use crate::duplicates::mark_in_order;

const ANA: &str = "EAC2190012345";
const JOSE: &str = "LIN2212345678";
const MEI: &str = "IOE0912345678";
const NVC: &str = "MNL2020547051";

struct Notice<'a> {
    file: &'a str,
    page: &'a str,
    number: &'a str,
    notice_type: &'a str,
    date: &'a str,
    hash: &'a str,
}

fn row(n: &Notice) -> Record {
    let nvc = n.number.starts_with("MNL");
    Record {
        file: n.file.into(),
        page: n.page.into(),
        receipt_number: n.number.into(),
        number_kind: if nvc { "nvc_case" } else { "uscis_receipt" }.into(),
        form: if nvc { "" } else { "I-797C" }.into(),
        notice_type: n.notice_type.into(),
        case_type: if nvc { "" } else { "I-130" }.into(),
        notice_date: n.date.into(),
        a_number: if nvc { "" } else { "A012345678" }.into(),
        applicant: "RIVERA, ANA".into(),
        beneficiary: "RIVERA, LUIS".into(),
        needs_review: "false".into(),
        status: "ok".into(),
        sha256: n.hash.into(),
        ..Record::default()
    }
}

fn one(file: &str, number: &str, notice_type: &str, date: &str, hash: &str) -> Vec<Record> {
    vec![row(&Notice {
        file,
        page: "1",
        number,
        notice_type,
        date,
        hash,
    })]
}

fn failed(file: &str, status: Status, hash: &str) -> Vec<Record> {
    vec![Record {
        file: file.into(),
        status: status.as_str().into(),
        sha256: hash.into(),
        message: "cannot read".into(),
        ..Record::default()
    }]
}

/// A firm's folder in output order: Ana's case with four notices (one copied, one rescanned),
/// José's with two on one stacked scan, Mei's with three (one flagged for review), an NVC letter
/// quoting Ana's receipt, and files that belong to no case.
fn folder() -> Vec<Vec<Record>> {
    let mut approval = one(
        "ana/approval.pdf",
        ANA,
        "Approval Notice",
        "2024-03-01",
        "a3",
    );
    approval[0].form = "I-797".into();
    let mut nvc_letter = one("ana/nvc.pdf", NVC, "", "", "n1");
    nvc_letter[0].linked_receipt = ANA.into();
    nvc_letter[0].beneficiary = "RIVERA, LUIS".into();
    // The rescan read a middle name the first copy did not print.
    let mut rescan = one(
        "inbox/scan0042.pdf",
        ANA,
        "Approval Notice",
        "2024-03-01",
        "a9",
    );
    rescan[0].applicant = "RIVERA, ANA MARIA".into();
    let mut mei_rfe = one(
        "mei/rfe.pdf",
        MEI,
        "Request for Evidence",
        "2023-12-04",
        "m2",
    );
    mei_rfe[0].needs_review = "true".into();
    mei_rfe[0].applicant = "CHEN, MEI".into();
    let stack = vec![
        row(&Notice {
            file: "jose/stack.pdf",
            page: "1",
            number: JOSE,
            notice_type: "Receipt Notice",
            date: "2023-11-02",
            hash: "j1",
        }),
        row(&Notice {
            file: "jose/stack.pdf",
            page: "3",
            number: JOSE,
            notice_type: "Biometrics Appointment Notice",
            date: "2023-12-10",
            hash: "j1",
        }),
    ];
    vec![
        approval,
        one(
            "ana/biometrics.pdf",
            ANA,
            "ASC Appointment Notice",
            "2024-01-30",
            "a2",
        ),
        nvc_letter,
        one("ana/receipt.pdf", ANA, "Receipt Notice", "2024-01-22", "a1"),
        // The receipt again, same bytes; the approval again, scanned anew.
        one(
            "ana/receipt copy.pdf",
            ANA,
            "Receipt Notice",
            "2024-01-22",
            "a1",
        ),
        rescan,
        failed("inbox/broken.pdf", Status::Error, "x1"),
        failed("inbox/invoice.pdf", Status::NoNotice, "x2"),
        stack,
        one("mei/receipt.pdf", MEI, "Receipt Notice", "2023-09-15", "m1"),
        mei_rfe,
        one(
            "mei/transfer.pdf",
            MEI,
            "Transfer Notice",
            "2024-02-20",
            "m3",
        ),
    ]
}

fn cases_of(files: &[Vec<Record>]) -> Vec<Case> {
    let mut files = files.to_vec();
    mark_in_order(&mut files);
    let mut book = CaseBook::default();
    for rows in &files {
        book.add_file(rows);
    }
    book.cases()
}

fn case<'a>(cases: &'a [Case], number: &str) -> &'a Case {
    cases
        .iter()
        .find(|c| c.case_number == number)
        .unwrap_or_else(|| panic!("no case {number} in {cases:#?}"))
}

fn notices(case: &Case) -> Vec<String> {
    case.notices
        .iter()
        .map(|n| format!("{}#{} {} {}", n.file, n.page, n.notice_type, n.notice_date))
        .collect()
}

#[test]
fn one_case_per_number_and_no_case_from_failed_files() {
    let cases = cases_of(&folder());
    let numbers: Vec<&str> = cases.iter().map(|c| c.case_number.as_str()).collect();
    assert_eq!(numbers, [ANA, MEI, JOSE, NVC]);
}

#[test]
fn notices_come_in_date_order_without_duplicates_and_the_latest_state_is_in_words() {
    let cases = cases_of(&folder());
    let ana = case(&cases, ANA);
    assert_eq!(
        notices(ana),
        [
            "ana/receipt.pdf#1 Receipt Notice 2024-01-22",
            "ana/biometrics.pdf#1 ASC Appointment Notice 2024-01-30",
            "ana/approval.pdf#1 Approval Notice 2024-03-01",
        ]
    );
    assert_eq!(ana.latest_state, "approved 2024-03-01");
    assert_eq!(ana.duplicate_rows, 2, "the copy and the rescan");
    assert_eq!(ana.form, ["I-797", "I-797C"]);
    assert_eq!(ana.case_type, ["I-130"]);
    assert_eq!(ana.a_number, ["A012345678"]);
    assert_eq!(ana.applicant, ["RIVERA, ANA", "RIVERA, ANA MARIA"]);
    assert!(!ana.needs_review);

    let jose = case(&cases, JOSE);
    assert_eq!(
        notices(jose),
        [
            "jose/stack.pdf#1 Receipt Notice 2023-11-02",
            "jose/stack.pdf#3 Biometrics Appointment Notice 2023-12-10",
        ]
    );
    assert_eq!(jose.latest_state, "biometrics appointment 2023-12-10");
    assert_eq!(jose.duplicate_rows, 0);

    let mei = case(&cases, MEI);
    assert_eq!(mei.notices.len(), 3);
    assert_eq!(mei.latest_state, "transferred 2024-02-20");
    assert!(mei.needs_review, "its RFE row needs review");
    assert_eq!(mei.applicant, ["RIVERA, ANA", "CHEN, MEI"]);
}

#[test]
fn an_nvc_letter_and_the_receipt_it_quotes_are_linked_both_ways() {
    let cases = cases_of(&folder());
    let nvc = case(&cases, NVC);
    assert_eq!(nvc.number_kind, "nvc_case");
    assert_eq!(nvc.linked_cases, [ANA]);
    assert_eq!(nvc.latest_state, "at NVC");
    assert_eq!(notices(nvc), ["ana/nvc.pdf#1  "]);
    assert_eq!(case(&cases, ANA).linked_cases, [NVC]);
    assert!(case(&cases, JOSE).linked_cases.is_empty());
    assert!(case(&cases, MEI).linked_cases.is_empty());
}

#[test]
fn a_quoted_receipt_without_rows_of_its_own_makes_no_case() {
    let mut letter = one("nvc.pdf", NVC, "", "", "n1");
    letter[0].linked_receipt = "WAC2390000001".into();
    let cases = cases_of(&[letter]);
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].linked_cases, ["WAC2390000001"]);
}

#[test]
fn the_case_view_does_not_depend_on_how_the_files_were_fed() {
    // All at once, or a prefix then the rest (a resumed run, shards merged): the same cases.
    let folder = folder();
    let whole = cases_of(&folder);
    let mut files = folder.clone();
    mark_in_order(&mut files);
    for split in 0..files.len() {
        let mut first = CaseBook::default();
        for rows in &files[..split] {
            first.add_file(rows);
        }
        let mut rest = first.clone();
        for rows in &files[split..] {
            rest.add_file(rows);
        }
        assert_eq!(rest.cases(), whole, "split at {split}");
    }
}

#[test]
fn on_one_date_the_later_notice_in_output_order_decides_and_undated_notices_come_last() {
    let files = vec![
        one(
            "a.pdf",
            ANA,
            "Premium Processing Receipt Notice",
            "2024-03-01",
            "1",
        ),
        one("b.pdf", ANA, "Approval Notice", "2024-03-01", "2"),
        one("c.pdf", ANA, "", "", "3"),
        one("d.pdf", ANA, "Receipt Notice", "2024-02-27", "4"),
    ];
    let cases = cases_of(&files);
    assert_eq!(cases[0].latest_state, "approved 2024-03-01");
    assert_eq!(
        notices(&cases[0]),
        [
            "d.pdf#1 Receipt Notice 2024-02-27",
            "a.pdf#1 Premium Processing Receipt Notice 2024-03-01",
            "b.pdf#1 Approval Notice 2024-03-01",
            "c.pdf#1  ",
        ]
    );
    // Without any date: the last notice with a type.
    let undated = cases_of(&[
        one("a.pdf", MEI, "Receipt Notice", "", "1"),
        one("b.pdf", MEI, "", "", "2"),
    ]);
    assert_eq!(undated[0].latest_state, "receipt");
}
