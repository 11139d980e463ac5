//! The labels printed on notices, as data: each kind with the spellings (and OCR variants) it is
//! known by, and how a page's lines are searched for them. Pure text; no value reading here.

use super::*;

/// A label (or marker) printed on a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum LabelKind {
    ReceiptNumber,
    NvcCaseNumber,
    CaseNumber,
    InvoiceId,
    AccountNumber,
    ANumber,
    CaseType,
    ReceivedDate,
    PriorityDate,
    NoticeDate,
    NoticeType,
    ApplicantPetitioner,
    PrincipalApplicant,
    Applicant,
    Petitioner,
    Beneficiary,
    Page,
    Class,
    Section,
    AmountReceived,
    Appointment,
}

impl LabelKind {
    /// Labels whose value is a case number.
    pub(crate) fn names_a_number(self) -> bool {
        matches!(
            self,
            LabelKind::ReceiptNumber
                | LabelKind::NvcCaseNumber
                | LabelKind::CaseNumber
                | LabelKind::InvoiceId
        )
    }

    /// Single common words: inside a line of text they are only labels when they look like one.
    fn is_weak(self) -> bool {
        matches!(
            self,
            LabelKind::Applicant
                | LabelKind::Petitioner
                | LabelKind::Beneficiary
                | LabelKind::Page
                | LabelKind::Class
                | LabelKind::Section
        )
    }

    /// The box-grid labels of a USCIS notice: two of them on a page make it a notice.
    pub(super) fn is_grid(self) -> bool {
        matches!(
            self,
            LabelKind::ReceiptNumber
                | LabelKind::CaseType
                | LabelKind::ReceivedDate
                | LabelKind::PriorityDate
                | LabelKind::NoticeDate
                | LabelKind::NoticeType
        )
    }
}

/// Label patterns, case-insensitive. A space stands for "any run of blanks, or none" (OCR drops and
/// adds spaces inside labels); alternatives sharing a start are ordered longest first.
const LABEL_PATTERNS: &[(LabelKind, &str)] = &[
    (
        LabelKind::NvcCaseNumber,
        r"\bnvc case (?:n[uv](?:m|rn|n)b[eo]r\b|no\b\.?|#)",
    ),
    (
        LabelKind::InvoiceId,
        r"\binvoice id(?: (?:number\b|no\b\.?|#))?",
    ),
    (
        LabelKind::AccountNumber,
        r"\b(?:uscis )?online account (?:number\b|no\b\.?|#)",
    ),
    (
        LabelKind::ReceiptNumber,
        r"\bre(?:ce[il1|]?(?:p| )|ciep)t (?:n[uv](?:m|rn|n)b[eo]r\b|no\b\.?|#)",
    ),
    (
        LabelKind::CaseNumber,
        r"\bcase (?:n[uv](?:m|rn|n)b[eo]r\b|no\b\.?|#)",
    ),
    (LabelKind::CaseType, r"\bcase t[yv]pe\b"),
    (
        LabelKind::ReceivedDate,
        r"\b(?:rece[il1|]ved date|receipt date|date received)\b",
    ),
    (LabelKind::PriorityDate, r"\bpr[il1|]or[il1|]ty date\b"),
    (LabelKind::NoticeDate, r"\bnot[il1|]ce date\b"),
    (LabelKind::NoticeType, r"\bnot[il1|]ce type\b"),
    (
        LabelKind::ApplicantPetitioner,
        r"\b(?:applicant ?/ ?petitioner|petitioner ?/ ?applicant)\b",
    ),
    (
        LabelKind::PrincipalApplicant,
        r"\bprincipal applicant(?: name)?\b",
    ),
    (LabelKind::Applicant, r"\bapplicant(?: name)?\b"),
    (LabelKind::Petitioner, r"\bpetitioner(?: name)?\b"),
    (
        LabelKind::Beneficiary,
        r"\bbenef[il1|]c[il1|]ary(?: name)?\b",
    ),
    (
        LabelKind::ANumber,
        r"\ba-number\b|\balien (?:registration )?number\b|\ba ?#|\buscis ?#",
    ),
    (LabelKind::Page, r"\bpage\b"),
    (LabelKind::Class, r"\bclass\b"),
    (LabelKind::Section, r"\bsection\b"),
    (LabelKind::AmountReceived, r"\bamount received\b"),
    (LabelKind::Appointment, r"\bdate and time of appointment\b"),
];

static LABELS: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = LABEL_PATTERNS
        .iter()
        .map(|(_, pattern)| format!("({})", pattern.replace(' ', r"[ \t]*")))
        .collect();
    Regex::new(&format!("(?i){}", alternatives.join("|"))).expect("label patterns compile")
});

/// The notice header, as a whole segment: `Form I-797C, Notice of Action` (OCR: `1-797C`, `I-797 C`,
/// `\-797C`, `J-797C`).
pub(super) static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:form\s*)?(?:[I1l|i\\j]\s*-?\s*797\s*[A-F]?\s*,?\s*)?notice\s+of\s+action[\s.,:;]*$",
    )
    .expect("header pattern compiles")
});

pub(super) static VISA_CENTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bnational\s+visa\s+center\b").expect("visa center pattern compiles")
});

/// How many of a page's first non-empty lines make its letterhead.
pub(super) const LETTERHEAD_LINES: usize = 8;

/// One label found on the page.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LabelHit {
    pub kind: LabelKind,
    pub line: usize,
    pub span: Span,
    /// Printed as a label (capitalised, and not a word inside a sentence), not mentioned in prose.
    pub is_label: bool,
}

/// Specks OCR reads beside a label or in an empty box (`Case Type -`, `Page |`): text with no
/// letter or digit in it is no value.
pub(crate) fn is_noise(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric)
}

/// Is `text` exactly a label ("Beneficiary", "CASE TYPE", "Case Type -")?
pub(crate) fn is_label_text(text: &str) -> bool {
    let text =
        text.trim_end_matches(|c: char| is_blank(c) || matches!(c, ':' | '-' | '|' | '_' | '.'));
    let text = text.trim();
    LABELS
        .find(text)
        .is_some_and(|m| m.start() == 0 && m.end() == text.len())
}

/// The words of the parties' labels, to know one OCR misread past every pattern above
/// (`Berfeficiary`, `Benieficiary`): a name's place must not give a label as the name.
const PARTY_LABEL_WORDS: &[&str] = &["APPLICANT", "BENEFICIARY", "PETITIONER", "REQUESTOR"];

/// Whether a word of `text` is a party label's word read with a few characters wrong: at most
/// one edit in four letters.
pub(crate) fn has_misread_party_label(text: &str) -> bool {
    text.split(|c: char| !c.is_alphabetic()).any(|word| {
        let word = word.to_uppercase();
        word.chars().count() >= 7
            && PARTY_LABEL_WORDS
                .iter()
                .any(|label| edit_distance(&word, label) <= label.len() / 4)
    })
}

/// The kind of label `text` is as a whole (`Received Date`, `Alien Number`), if it is one.
fn whole_label(text: &str) -> Option<LabelKind> {
    let caps = LABELS.captures(text)?;
    let (group, m) = caps
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, m)| m.map(|m| (i, m)))?;
    (m.start() == 0 && m.end() == text.len()).then_some(LABEL_PATTERNS[group - 1].0)
}

impl<'a> Layout<'a> {
    /// Labels broken over two lines in a narrow label column, the value beside the first line:
    ///
    /// ```text
    /// Received     06/25/2012
    /// Date:
    /// ```
    ///
    /// The start of the label a segment of its own (`Received`, `USCIS Online Account`), the rest
    /// one word alone in a segment at the same column below, and the two together exactly a
    /// label.
    pub(super) fn find_wrapped_labels(&mut self) {
        let mut found = Vec::new();
        for line in 0..self.lines.len().saturating_sub(1) {
            for &segment in &self.lines[line].segments {
                let first = self.segment_text(line, segment);
                if !first.starts_with(char::is_uppercase) {
                    continue;
                }
                if self
                    .hits_on(line)
                    .iter()
                    .any(|h| h.span.start < segment.end && segment.start < h.span.end)
                {
                    continue;
                }
                // The rest on the next line, or the one after when the next line has nothing in
                // this column (a taller row in the column beside it pushed it down).
                let mut rest = None;
                for next in line + 1..self.lines.len().min(line + 3) {
                    let segments = &self.lines[next].segments;
                    if let Some(&below) = segments
                        .iter()
                        .find(|s| s.start.abs_diff(segment.start) <= 1)
                    {
                        rest = Some((next, below));
                        break;
                    }
                    if segments
                        .iter()
                        .any(|s| s.start < segment.end + 2 && segment.start < s.end)
                    {
                        break;
                    }
                }
                let Some((next, below)) = rest else {
                    continue;
                };
                let second = self.segment_text(next, below);
                if second.contains(' ') {
                    continue;
                }
                let second = second.trim_end_matches(':');
                if let Some(kind) = whole_label(&format!("{first} {second}")) {
                    found.push(LabelHit {
                        kind,
                        line,
                        span: segment,
                        is_label: true,
                    });
                }
            }
        }
        if !found.is_empty() {
            self.hits.extend(found);
            self.hits.sort_by_key(|h| (h.line, h.span.start));
        }
    }

    pub(super) fn find_labels(&mut self, line: usize) {
        // OCR glues a speck of the box border to a label (`Case Type_`); `_` is a word character
        // to `\b`, so it would hide the label. One byte for one: offsets stay the same.
        let text = self.line_text(line).replace('_', " ");
        let base = self.byte_of[self.lines[line].start];
        let mut found = Vec::new();
        for caps in LABELS.captures_iter(&text) {
            let Some((group, m)) = caps
                .iter()
                .enumerate()
                .skip(1)
                .find_map(|(i, m)| m.map(|m| (i, m)))
            else {
                continue;
            };
            let kind = LABEL_PATTERNS[group - 1].0;
            let span = Span {
                start: self.column_of_byte(line, base + m.start()),
                end: self.column_of_byte(line, base + m.end()),
            };
            found.push((kind, span));
        }
        for (kind, span) in found {
            let initial = self.segment_at(line, span.start).start == span.start;
            let is_label = self.looks_like_label(line, kind, span, initial);
            self.hits.push(LabelHit {
                kind,
                line,
                span,
                is_label,
            });
        }
    }

    /// A capitalised label at the start of a segment is a label; so is a multi-word one anywhere.
    /// A single common word ("Applicant", "Page") inside a segment is a label only when a colon
    /// follows it or a value (digits, or an upper-case word) comes right before it, as on a line
    /// where OCR closed the gaps between boxes.
    fn looks_like_label(&self, line: usize, kind: LabelKind, span: Span, initial: bool) -> bool {
        let first = self.char_at(line, span.start);
        if !first.is_uppercase() {
            return false;
        }
        if initial || !kind.is_weak() {
            return true;
        }
        let after = self.col_text(line, span.end, self.lines[line].len);
        if after.trim_start().starts_with(':') {
            return true;
        }
        let before = self.col_text(line, 0, span.start);
        let previous = before.split_whitespace().next_back().unwrap_or("");
        previous.chars().any(|c| c.is_ascii_digit())
            || (previous.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !previous.chars().any(|c| c.is_lowercase()))
    }
}
