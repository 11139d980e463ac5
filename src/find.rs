//! `i797 find`: the applicant's view. One or a few files in, a short plain-words report out: the
//! number grouped for reading aloud and in the exact form to type, what it is, and — when OCR was
//! unsure — which characters to check against the paper. Never presents a guess as certain.

use std::io::{self, Write};

use serde::Serialize;

use crate::pipeline::{FileProblem, PageReading, Reading};
use crate::sanitize::for_terminal;
use i797_core::page_kind::{PageKind, page_kind};
use i797_core::{Notice, NumberKind, TextSource};

/// What `find` says about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub file: String,
    pub numbers: Vec<FoundNumber>,
    /// Set when no number was found: why, and what to try.
    pub problem: Option<Problem>,
}

/// One case number, explained. Facts the scan output also states have its field names and
/// types (`receipt_number`, `number_kind`, `service_center`, `page`, …); the rest explain them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundNumber {
    /// Exactly as to type it.
    pub receipt_number: String,
    /// Grouped for reading aloud: `EAC 21 900 12345`.
    pub read_aloud: String,
    pub number_kind: NumberKind,
    /// `USCIS receipt number` or `NVC case number`.
    pub kind_label: String,
    pub service_center: Option<String>,
    pub form: Option<String>,
    pub notice_type: Option<String>,
    pub case_type: Option<String>,
    pub notice_date: Option<String>,
    pub page: usize,
    pub text_source: TextSource,
    /// 0-100, as the scan's `confidence`.
    pub confidence: u8,
    /// True when any character was repaired or unclear, or anything else is uncertain (the
    /// scan's `needs_review`).
    pub needs_review: bool,
    /// 1-based positions in `receipt_number` to compare with the paper.
    pub check_positions: Vec<usize>,
    /// Why it needs review, in words.
    pub reasons: Vec<String>,
    /// The page had to be turned this many quarter turns clockwise to be read.
    pub turned: u8,
}

/// Why nothing was found, and what to try.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub reason: String,
    pub tips: Vec<String>,
}

const PHOTO_TIPS: [&str; 4] = [
    "Lay the notice flat and photograph it from straight above.",
    "Use more light, without flash glare or shadows across the page.",
    "Get the whole page in the frame, filling most of the photo.",
    "Hold still, or use a scanner if you have one.",
];

impl FileReport {
    /// Builds the report for one file from what the pipeline read.
    pub fn from_reading(reading: &Reading) -> FileReport {
        let file = reading.facts.file.clone();
        let pages = match &reading.outcome {
            Err(problem) => {
                return FileReport {
                    file,
                    numbers: Vec::new(),
                    problem: Some(file_problem(problem)),
                };
            }
            Ok(pages) => pages,
        };
        let mut numbers: Vec<FoundNumber> = Vec::new();
        for (index, page) in pages.iter().enumerate() {
            if let PageReading::Read {
                notices,
                text,
                turned,
                ..
            } = page
            {
                for notice in notices {
                    // A notice printed twice in one file (a copy in a stack) is one number.
                    if !numbers.iter().any(|n| n.receipt_number == notice.number) {
                        numbers.push(found(notice, index + 1, text.source, *turned));
                    }
                }
            }
        }
        let problem = numbers.is_empty().then(|| nothing_found(pages));
        FileReport {
            file,
            numbers,
            problem,
        }
    }

    /// Did this file give at least one number?
    pub fn found_any(&self) -> bool {
        !self.numbers.is_empty()
    }
}

fn found(notice: &Notice, page: usize, text_source: TextSource, turned: u8) -> FoundNumber {
    use i797_core::Doubt;
    let mut check_positions: Vec<usize> = notice
        .doubts
        .iter()
        .flat_map(|doubt| match doubt {
            Doubt::Repaired { position, .. } => vec![position + 1],
            Doubt::Unclear { positions } | Doubt::ReadersDisagree { positions, .. } => {
                positions.iter().map(|p| p + 1).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    check_positions.sort_unstable();
    check_positions.dedup();
    let (kind_label, service_center) = match notice.kind {
        NumberKind::UscisReceipt => (
            "USCIS receipt number",
            i797_core::number::prefixes::office_name(&notice.number[..3]),
        ),
        NumberKind::NvcCase => (
            "NVC case number",
            i797_core::number::prefixes::consular_post_name(&notice.number[..3]),
        ),
    };
    FoundNumber {
        receipt_number: notice.number.clone(),
        read_aloud: read_aloud(&notice.number, notice.kind),
        number_kind: notice.kind,
        kind_label: kind_label.to_string(),
        service_center: service_center.map(str::to_string),
        form: notice.fields.form.clone(),
        notice_type: notice.fields.notice_type.clone(),
        case_type: notice.fields.case_type.clone(),
        notice_date: notice.fields.notice_date.clone(),
        page,
        text_source,
        confidence: notice.confidence,
        needs_review: notice.needs_review(),
        check_positions,
        reasons: notice.doubts.iter().map(ToString::to_string).collect(),
        turned,
    }
}

/// Groups a number the way it is read aloud: receipt numbers as office, fiscal year, workday and
/// sequence (`EAC 21 900 12345`); NVC numbers as post, year, day and sequence (`MNL 2007 547 002`).
pub fn read_aloud(number: &str, kind: NumberKind) -> String {
    let groups: &[usize] = match (kind, number.len()) {
        (NumberKind::UscisReceipt, 13) => &[3, 2, 3, 5],
        (NumberKind::NvcCase, 13) => &[3, 4, 3, 3],
        _ => &[3, 3, 3, 3],
    };
    let mut parts = Vec::new();
    let mut rest = number;
    for &size in groups {
        if rest.is_empty() {
            break;
        }
        let (part, tail) = rest.split_at(size.min(rest.len()));
        parts.push(part);
        rest = tail;
    }
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts.join(" ")
}

fn file_problem(problem: &FileProblem) -> Problem {
    match problem {
        FileProblem::Skipped(what) => Problem {
            reason: format!("This file cannot be read: {what}."),
            tips: vec!["Give a PDF or a photo/scan (JPEG, PNG, TIFF) of the notice.".to_string()],
        },
        FileProblem::Error(why) => Problem {
            reason: format!("This file could not be read: {why}."),
            tips: vec![
                "If it opens on your computer, print it to a new PDF, or take a photo of the paper notice."
                    .to_string(),
            ],
        },
    }
}

fn nothing_found(pages: &[PageReading]) -> Problem {
    let kinds: Vec<PageKind> = pages
        .iter()
        .filter_map(|page| match page {
            PageReading::Read { text, .. } => Some(page_kind(text)),
            PageReading::Failed(_) => None,
        })
        .collect();
    let any = |kind: PageKind| kinds.contains(&kind);
    let tips = |extra: &[&str]| {
        extra
            .iter()
            .chain(&PHOTO_TIPS)
            .map(|t| t.to_string())
            .collect()
    };
    if kinds.is_empty() {
        Problem {
            reason: "No page of this file could be read.".to_string(),
            tips: tips(&["Try a new photo or scan of the notice."]),
        }
    } else if any(PageKind::UscisNotice) || any(PageKind::NvcLetter) {
        Problem {
            reason: "This looks like a USCIS or NVC notice, but its number could not be read clearly enough to be sure."
                .to_string(),
            tips: tips(&[]),
        }
    } else if any(PageKind::I94) {
        Problem {
            reason: "This looks like an I-94 record, not a USCIS notice. Your receipt number is printed on the \
                     Form I-797 notice USCIS mailed you (top left, \"Receipt Number\")."
                .to_string(),
            tips: Vec::new(),
        }
    } else if any(PageKind::Passport) {
        Problem {
            reason: "This looks like a passport or visa page, not a USCIS notice. Your receipt number is printed \
                     on the Form I-797 notice USCIS mailed you (top left, \"Receipt Number\")."
                .to_string(),
            tips: Vec::new(),
        }
    } else if kinds.iter().all(|&kind| kind == PageKind::Unreadable) {
        Problem {
            reason: "The text could not be read: the photo may be blurred, too dark, sideways, or taken from too far away."
                .to_string(),
            tips: tips(&[]),
        }
    } else {
        Problem {
            reason: "No USCIS receipt number or NVC case number is printed on this document; it does not look like a notice."
                .to_string(),
            tips: vec!["Check that this is the Form I-797 notice (it says \"Notice of Action\" at the top right).".to_string()],
        }
    }
}

/// Writes the reports for a person at a terminal (`color`) or in plain text.
pub fn write_text(out: &mut impl Write, reports: &[FileReport], color: bool) -> io::Result<()> {
    let style = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    // Everything below comes from the file (its name, the text on its pages): shown, never run.
    let reports: Vec<FileReport> = reports.iter().map(FileReport::shown).collect();
    for (index, report) in reports.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", style("1", &report.file))?;
        if let Some(problem) = &report.problem {
            writeln!(out, "  {}", style("1;33", "No number found."))?;
            writeln!(out, "{}", wrap(&problem.reason, "  "))?;
            if !problem.tips.is_empty() {
                writeln!(out, "  What to try:")?;
                for tip in &problem.tips {
                    writeln!(out, "{}", wrap(tip, "    - "))?;
                }
            }
            continue;
        }
        for number in &report.numbers {
            writeln!(out)?;
            writeln!(out, "  {}", number.kind_label)?;
            let width = number.read_aloud.len() + 6;
            let exact = format!("{:<width$}", number.receipt_number);
            writeln!(out, "      {}type exactly this", style("1;36", &exact))?;
            if number.needs_review && !number.check_positions.is_empty() {
                let marks: String = (1..=number.receipt_number.len())
                    .map(|p| {
                        if number.check_positions.contains(&p) {
                            '^'
                        } else {
                            ' '
                        }
                    })
                    .collect();
                writeln!(out, "      {}", style("1;31", marks.trim_end()))?;
            }
            let aloud = format!("{:<width$}", number.read_aloud);
            writeln!(out, "      {}read aloud", style("1", &aloud))?;
            if let Some(office) = &number.service_center {
                writeln!(out, "  Issued by:  {office}")?;
            }
            let notice: Vec<String> = [&number.form, &number.notice_type]
                .into_iter()
                .flatten()
                .cloned()
                .chain(number.case_type.as_ref().map(|c| format!("case type {c}")))
                .chain(number.notice_date.as_ref().map(|d| format!("dated {d}")))
                .collect();
            if !notice.is_empty() {
                writeln!(out, "  Notice:     {}", notice.join(", "))?;
            }
            let source = match number.text_source {
                TextSource::PdfText => "the PDF's own text".to_string(),
                TextSource::Ocr if number.turned == 0 => "the picture (OCR)".to_string(),
                TextSource::Ocr => "the picture (OCR), turned the right way up first".to_string(),
            };
            writeln!(out, "  Read from:  page {}, {source}", number.page)?;
            if !number.needs_review {
                let why = match number.text_source {
                    TextSource::PdfText => "Every character is in the PDF's own text.",
                    TextSource::Ocr => "Two independent recognisers read every character alike.",
                };
                writeln!(out, "  {}", style("32", why))?;
            } else {
                let positions: Vec<String> = number
                    .check_positions
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                let what = if positions.is_empty() {
                    "NOT CERTAIN: check the whole number against the paper before you use it."
                        .to_string()
                } else {
                    format!(
                        "NOT CERTAIN: check character{} {} (marked ^) against the paper before you use it.",
                        if positions.len() == 1 { "" } else { "s" },
                        positions.join(", ")
                    )
                };
                writeln!(out, "  {}", style("1;31", &what))?;
                for reason in &number.reasons {
                    writeln!(out, "    ({reason})")?;
                }
            }
        }
    }
    Ok(())
}

impl FileReport {
    /// The report with every text escaped for a terminal (see [`crate::sanitize`]).
    fn shown(&self) -> FileReport {
        let safe = |text: &String| for_terminal(text).into_owned();
        let safe_opt = |text: &Option<String>| text.as_ref().map(safe);
        FileReport {
            file: safe(&self.file),
            numbers: self
                .numbers
                .iter()
                .map(|n| FoundNumber {
                    receipt_number: safe(&n.receipt_number),
                    read_aloud: safe(&n.read_aloud),
                    kind_label: safe(&n.kind_label),
                    service_center: safe_opt(&n.service_center),
                    form: safe_opt(&n.form),
                    notice_type: safe_opt(&n.notice_type),
                    case_type: safe_opt(&n.case_type),
                    notice_date: safe_opt(&n.notice_date),
                    reasons: n.reasons.iter().map(safe).collect(),
                    ..n.clone()
                })
                .collect(),
            problem: self.problem.as_ref().map(|p| Problem {
                reason: safe(&p.reason),
                tips: p.tips.iter().map(safe).collect(),
            }),
        }
    }
}

/// Wraps `text` to 78 columns, each line starting with `indent` (continuation lines with as
/// many spaces), so long explanations stay readable in a terminal.
fn wrap(text: &str, indent: &str) -> String {
    let continuation = " ".repeat(indent.chars().count());
    let mut lines: Vec<String> = vec![indent.to_string()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("starts with one line");
        let fresh = line.trim().is_empty() || line.ends_with("- ");
        if !fresh && line.chars().count() + 1 + word.chars().count() > 78 {
            lines.push(format!("{continuation}{word}"));
        } else {
            if !fresh {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::FileFacts;
    use i797_core::{Doubt, NoticeFields, PageText};

    fn notice(number: &str, doubts: Vec<Doubt>) -> Notice {
        Notice {
            number: number.to_string(),
            kind: NumberKind::UscisReceipt,
            fields: NoticeFields {
                form: Some("I-797C".into()),
                notice_type: Some("Receipt Notice".into()),
                case_type: Some("I-130".into()),
                notice_date: Some("2024-01-22".into()),
                ..NoticeFields::default()
            },
            confidence: 90,
            doubts,
        }
    }

    fn reading(pages: Vec<PageReading>) -> Reading {
        Reading {
            facts: FileFacts {
                file: "photo.jpg".into(),
                sha256: String::new(),
            },
            name_escaped: false,
            partial: None,
            outcome: Ok(pages),
        }
    }

    fn ocr_page(notices: Vec<Notice>, text: &str) -> PageReading {
        let text = PageText {
            text: text.into(),
            source: TextSource::Ocr,
            char_confidence: Some(vec![90; text.chars().count()]),
        };
        PageReading::Read {
            notices,
            unread_front: false,
            text,
            turned: 2,
        }
    }

    #[test]
    fn long_explanations_are_wrapped_under_their_indent() {
        let text = "word ".repeat(40);
        let wrapped = wrap(&text, "    - ");
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(
            lines.len() > 2 && lines.iter().all(|l| l.chars().count() <= 78),
            "{wrapped}"
        );
        assert!(lines[0].starts_with("    - word") && lines[1].starts_with("      word"));
    }

    #[test]
    fn numbers_are_grouped_for_reading_aloud() {
        assert_eq!(
            read_aloud("EAC2190012345", NumberKind::UscisReceipt),
            "EAC 21 900 12345"
        );
        assert_eq!(
            read_aloud("MNL2007547002", NumberKind::NvcCase),
            "MNL 2007 547 002"
        );
        assert_eq!(
            read_aloud("ZLA001234567", NumberKind::UscisReceipt),
            "ZLA 001 234 567"
        );
    }

    #[test]
    fn an_uncertain_number_says_which_characters_to_check() {
        let doubts = vec![
            Doubt::Repaired {
                position: 8,
                read: 'l',
                as_char: '1',
            },
            Doubt::Unclear {
                positions: vec![11, 8],
            },
        ];
        let report = FileReport::from_reading(&reading(vec![ocr_page(
            vec![notice("EAC2190012345", doubts)],
            "x",
        )]));
        let number = &report.numbers[0];
        assert!(number.needs_review);
        assert_eq!(number.check_positions, [9, 12]);
        let mut out = Vec::new();
        write_text(&mut out, &[report], false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("      EAC 21 900 12345      read aloud"),
            "{text}"
        );
        assert!(
            text.contains("      EAC2190012345         type exactly this"),
            "{text}"
        );
        assert!(
            text.contains("type exactly this\n              ^  ^\n"),
            "{text}"
        );
        assert!(
            text.contains("NOT CERTAIN: check characters 9, 12"),
            "{text}"
        );
        assert!(text.contains("turned the right way up"), "{text}");
        assert!(!text.contains("\x1b["), "no colour codes when piped");
    }

    #[test]
    fn a_clear_number_is_presented_as_certain_with_what_it_is() {
        let report = FileReport::from_reading(&reading(vec![ocr_page(
            vec![notice("EAC2190012345", vec![])],
            "x",
        )]));
        let mut out = Vec::new();
        write_text(&mut out, &[report], true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Vermont Service Center"), "{text}");
        assert!(
            text.contains("I-797C, Receipt Notice, case type I-130, dated 2024-01-22"),
            "{text}"
        );
        assert!(
            text.contains("Two independent recognisers read every character alike."),
            "{text}"
        );
        assert!(
            text.contains("\x1b[1;36mEAC2190012345         \x1b[0m"),
            "{text}"
        );
    }

    #[test]
    fn nothing_found_explains_why() {
        let i94 =
            "Admission (I-94) Record Number 123456789A1 Most Recent Date of Entry Admit Until Date";
        let report = FileReport::from_reading(&reading(vec![ocr_page(vec![], i94)]));
        assert!(report.problem.as_ref().unwrap().reason.contains("I-94"));
        let blurred = FileReport::from_reading(&reading(vec![ocr_page(vec![], "~~ ,,")]));
        let problem = blurred.problem.unwrap();
        assert!(problem.reason.contains("blurred"), "{problem:?}");
        assert!(problem.tips.iter().any(|t| t.contains("light")));
    }

    #[test]
    fn text_from_the_file_reaches_the_terminal_escaped() {
        let mut hostile = notice("EAC2190012345", vec![]);
        hostile.fields.notice_type = Some("Receipt\u{1b}]0;owned\u{7}\u{1b}[2J Notice".into());
        let mut report = FileReport::from_reading(&reading(vec![ocr_page(vec![hostile], "x")]));
        report.file = "photo\u{1b}[31m.jpg".into();
        let mut out = Vec::new();
        write_text(&mut out, &[report], false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(
            text.contains("Receipt\\x1B]0;owned\\x07\\x1B[2J Notice"),
            "{text}"
        );
        assert!(text.contains("photo\\x1B[31m.jpg"), "{text}");
    }
}
