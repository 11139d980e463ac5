//! The labels printed on notices, as data: each kind with the phrases it is printed as, and how
//! a page's lines are searched for them (OCR's misreadings by `words`' one rule). Pure text; no
//! value reading here.

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
    /// An NVC letter's visa preference category (`F2A`): no field of the row, but a label, so no
    /// name is read from it.
    PreferenceCategory,
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

    /// The field (its CSV column) whose value this label heads, for the fields that are read
    /// from under their label alone and checked by their grammar (dates, types).
    pub(crate) fn heads_field(self) -> Option<&'static str> {
        Some(match self {
            LabelKind::CaseType => "case_type",
            LabelKind::ReceivedDate => "received_date",
            LabelKind::PriorityDate => "priority_date",
            LabelKind::NoticeDate => "notice_date",
            LabelKind::NoticeType => "notice_type",
            _ => return None,
        })
    }

    /// Labels only a notice's or a letter's front prints: its grid's, the NVC case number, the
    /// invoice ID.
    pub(crate) fn marks_a_front(self) -> bool {
        self.is_grid() || matches!(self, LabelKind::NvcCaseNumber | LabelKind::InvoiceId)
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

/// The labels, as data: each kind with the phrases it is printed as (lower case, words parted by
/// spaces; `#`, `-` and `/` are words of their own). OCR's misreadings of them are not listed:
/// `words::find_phrases` knows a phrase read with a few characters wrong (`Recened Date`,
/// `Gase Type`, `ReceivedDaie`) by one rule for every vocabulary.
const VOCABULARY: &[(LabelKind, &[&str])] = &[
    (
        LabelKind::NvcCaseNumber,
        &["nvc case number", "nvc case no", "nvc case #"],
    ),
    (
        LabelKind::InvoiceId,
        &[
            "invoice id number",
            "invoice id no",
            "invoice id #",
            "invoice id",
        ],
    ),
    (
        LabelKind::AccountNumber,
        &[
            "uscis online account number",
            "online account number",
            "online account no",
            "online account #",
        ],
    ),
    (
        LabelKind::ReceiptNumber,
        &["receipt number", "receipt no", "receipt #"],
    ),
    (LabelKind::CaseNumber, &["case number", "case no", "case #"]),
    (LabelKind::CaseType, &["case type"]),
    (
        LabelKind::ReceivedDate,
        &["received date", "receipt date", "date received"],
    ),
    (LabelKind::PriorityDate, &["priority date"]),
    (LabelKind::NoticeDate, &["notice date"]),
    (LabelKind::NoticeType, &["notice type"]),
    (
        LabelKind::ApplicantPetitioner,
        &["applicant / petitioner", "petitioner / applicant"],
    ),
    (
        LabelKind::PrincipalApplicant,
        &["principal applicant name", "principal applicant"],
    ),
    (LabelKind::Applicant, &["applicant name", "applicant"]),
    (LabelKind::Petitioner, &["petitioner name", "petitioner"]),
    (LabelKind::Beneficiary, &["beneficiary name", "beneficiary"]),
    (
        LabelKind::ANumber,
        &[
            "a - number",
            "alien registration number",
            "alien number",
            "a #",
            "uscis #",
        ],
    ),
    (LabelKind::Page, &["page"]),
    (LabelKind::Class, &["class"]),
    (LabelKind::Section, &["section"]),
    (LabelKind::AmountReceived, &["amount received"]),
    (LabelKind::Appointment, &["date and time of appointment"]),
    (LabelKind::PreferenceCategory, &["preference category"]),
];

/// Every phrase of [`VOCABULARY`] with its kind, in one list for `words::find_phrases`.
static PHRASES: LazyLock<(Vec<Phrase>, Vec<LabelKind>)> = LazyLock::new(|| {
    VOCABULARY
        .iter()
        .flat_map(|(kind, phrases)| phrases.iter().map(move |p| (Phrase::new(p), *kind)))
        .unzip()
});

/// The labels said in `text`: each kind with the byte range that says it, left to right.
pub(super) fn labels_in(text: &str) -> Vec<(LabelKind, Range<usize>)> {
    let (phrases, kinds) = &*PHRASES;
    find_phrases(text, phrases)
        .into_iter()
        .map(|(index, bytes)| (kinds[index], bytes))
        .collect()
}

/// The form part of the notice header, `Form I-797C, ` (OCR: `1-797C`, `I-797 C`, `\-797C`,
/// `J-797C`); the rest is the phrase `Notice of Action`.
static HEADER_FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:form\s*)?(?:[I1l|i\\j]\s*-?\s*797\s*[A-F]?\s*,?\s*)?")
        .expect("header pattern compiles")
});

static NOTICE_OF_ACTION: LazyLock<Phrase> = LazyLock::new(|| Phrase::new("notice of action"));

/// Whether `text` is the notice header as a whole: `Form I-797C, Notice of Action`, its words
/// read by the one rule for known phrases (`Nutice of Action`).
pub(super) fn is_header(text: &str) -> bool {
    let form = HEADER_FORM.find(text).map_or(0, |m| m.end());
    NOTICE_OF_ACTION.says_all(&words_of(&text[form..]))
}

/// The National Visa Center, named: an NVC letter's sender, never a party to the case.
pub(crate) static VISA_CENTER: LazyLock<Regex> = LazyLock::new(|| {
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
    /// Starts its column, ends it, or a colon follows: set apart as a label is, whatever its case.
    pub stands_alone: bool,
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
    whole_label(text.trim()).is_some()
}

/// The words of the parties' labels, to know one OCR misread past the vocabulary's phrases
/// (`Berfeficiary`, `Benieficiary`): a name's place must not give a label as the name.
static PARTY_LABEL_WORDS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    ["applicant", "beneficiary", "petitioner", "requestor"]
        .into_iter()
        .map(Phrase::new)
        .collect()
});

/// Whether a word of `text` is a party label's word read with a few characters wrong (by the
/// rule of `words`).
pub(crate) fn has_misread_party_label(text: &str) -> bool {
    text.split(|c: char| !c.is_alphabetic()).any(|word| {
        PARTY_LABEL_WORDS
            .iter()
            .any(|label| label.says_all(&[word]))
    })
}

/// The kind of label `text` is as a whole (`Received Date`, `Alien Number`), if it is one.
fn whole_label(text: &str) -> Option<LabelKind> {
    let text = text.trim_end_matches(['.', ':']);
    match labels_in(text).as_slice() {
        [(kind, bytes)] if bytes.start == 0 && bytes.end == text.len() => Some(*kind),
        _ => None,
    }
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
                        stands_alone: true,
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
        let base = self.byte_of[self.lines[line].start];
        for (kind, bytes) in labels_in(self.line_text(line)) {
            let span = Span {
                start: self.column_of_byte(line, base + bytes.start),
                end: self.column_of_byte(line, base + bytes.end),
            };
            let segment = self.segment_at(line, span.start);
            let initial = segment.start == span.start;
            let is_label = self.looks_like_label(line, kind, span, initial);
            let colon_after = self
                .col_text(line, span.end, self.lines[line].len)
                .trim_start()
                .starts_with(':');
            self.hits.push(LabelHit {
                kind,
                line,
                span,
                is_label,
                stands_alone: initial || colon_after || span.end >= segment.end,
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
