//! What the core takes in and hands out: a page's text, and the notices read on it with
//! every doubt a person should check. Plain data: no reading, no decoding here.

use serde::Serialize;

/// Where a page's text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    /// The PDF's own text layer: taken as certain.
    PdfText,
    /// Tesseract's reading of a page image.
    Ocr,
}

/// The text of one page, line by line, with columns kept roughly in place: a run of spaces
/// stands for a horizontal gap, so a label row and the value row under it line up the way they
/// do on paper. Both the PDF reader and the OCR engine produce this shape.
#[derive(Clone, Debug, PartialEq)]
pub struct PageText {
    pub text: String,
    pub source: TextSource,
    /// For OCR text: the recogniser's confidence (0–100) in each `char` of `text`, in order
    /// (`char_confidence.len() == text.chars().count()`); spaces and newlines the engine did not
    /// read carry 100. `None` for a PDF text layer.
    pub char_confidence: Option<Vec<u8>>,
}

impl PageText {
    /// Text from a PDF text layer.
    pub fn from_pdf_text(text: impl Into<String>) -> Self {
        PageText {
            text: text.into(),
            source: TextSource::PdfText,
            char_confidence: None,
        }
    }
}

/// What kind of case number a notice carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    /// A USCIS receipt number (`EAC2190012345`).
    UscisReceipt,
    /// A Department of State National Visa Center case number (`MNL2007547002`).
    NvcCase,
}

/// One case number found on a page, with the notice fields that belong to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// Canonical form: three upper-case letters and the digits, no separators.
    pub number: String,
    pub kind: NumberKind,
    /// What the notice says beside the number; all empty for a number that is no notice's own.
    pub fields: NoticeFields,
    /// 0–100. 100 for a text layer; for OCR, the recogniser's confidence in the number's characters.
    pub confidence: u8,
    /// Every reason a person should check this notice against the paper; empty when none.
    pub doubts: Vec<Doubt>,
}

/// The fields printed beside a case number, each `None` when not printed or not read.
///
/// Dates are ISO `YYYY-MM-DD`; forms are `I-797C`; case types `I-130`; A-numbers `A` + 9 digits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoticeFields {
    pub form: Option<String>,
    pub notice_type: Option<String>,
    pub case_type: Option<String>,
    pub received_date: Option<String>,
    pub notice_date: Option<String>,
    pub priority_date: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub a_number: Option<String>,
    pub account_number: Option<String>,
    pub applicant: Option<String>,
    pub beneficiary: Option<String>,
    /// On an NVC letter: the USCIS receipt number it quotes (the petition's case).
    pub linked_receipt: Option<String>,
    /// On an NVC letter: its invoice ID, when labelled.
    pub invoice_id: Option<String>,
}

impl NoticeFields {
    /// The field whose CSV column is `name`, if it is one of these.
    pub fn by_name(&mut self, name: &str) -> Option<&mut Option<String>> {
        Some(match name {
            "form" => &mut self.form,
            "notice_type" => &mut self.notice_type,
            "case_type" => &mut self.case_type,
            "received_date" => &mut self.received_date,
            "notice_date" => &mut self.notice_date,
            "priority_date" => &mut self.priority_date,
            "valid_from" => &mut self.valid_from,
            "valid_until" => &mut self.valid_until,
            "a_number" => &mut self.a_number,
            "account_number" => &mut self.account_number,
            "applicant" => &mut self.applicant,
            "beneficiary" => &mut self.beneficiary,
            "linked_receipt" => &mut self.linked_receipt,
            "invoice_id" => &mut self.invoice_id,
            _ => return None,
        })
    }
}

impl Notice {
    /// Whether anything the row states may be wrong. A field left empty because it could not
    /// be read states nothing: it is said in the message, but it is no reason to hold the row;
    /// nor is a field one recogniser read where the other saw its label, its grammar holding
    /// (every field of a page read by one recogniser alone is read so).
    pub fn needs_review(&self) -> bool {
        self.doubts.iter().any(|d| {
            !matches!(
                d,
                Doubt::UnreadField(_) | Doubt::ContradictedField { .. } | Doubt::FieldReadOnce(_)
            )
        })
    }
}

/// A reason to check a notice by hand. `position`s are 0-based indexes into `Notice::number`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Doubt {
    /// OCR read `read` where the number needs a letter or digit; it was taken as `as_char`.
    Repaired {
        position: usize,
        read: char,
        as_char: char,
    },
    /// The recogniser was unsure of these characters.
    Unclear { positions: Vec<usize> },
    /// The prefix is both a USCIS office and a consular post, and no label said which.
    AmbiguousKind,
    /// A field was given, but read with a doubt (the field's CSV column name).
    UnclearField(&'static str),
    /// A field is printed but could not be read, so it was left empty (the column's name).
    UnreadField(&'static str),
    /// A field read as `value` contradicts the number or another field (`why`), so it was left
    /// empty: which character was misread is not known.
    ContradictedField {
        field: &'static str,
        value: String,
        why: String,
    },
    /// No label calls it a case number, the page is not a recognised notice, and its prefix is not
    /// a service center's: it may be some other code that happens to fit the pattern.
    Unlabelled,
    /// OCR read a space inside the number where case numbers have none, and no label beside
    /// it: the pieces may not belong together.
    SplitUnlabelled,
    /// OCR spaced the number's parts wider than print does, or read a speck between them as a
    /// mark: the line was hard to read.
    LooseSpacing,
    /// Labelled as an NVC case number, but the digits do not follow the NVC pattern.
    NotNvcPattern,
    /// OCR read another number on the page that differs from this one in one or two characters,
    /// and at most one of them is in a case-number label's place: one may be a misreading.
    NearDuplicate { of: String },
    /// OCR read one character of the number twice (`ZBO02213775665`); the extra `read`, which
    /// stood before `position` (0-based index into `Notice::number`), was dropped.
    ExtraCharacter { position: usize, read: char },
    /// Only one recogniser read this number: the other, reading where it is printed, read no
    /// number like it.
    Unconfirmed,
    /// The other recogniser read `rival` where this number is printed (differing at
    /// `positions`); this one is the reading more confident of itself.
    ReadersDisagree {
        rival: String,
        positions: Vec<usize>,
    },
    /// Read by one recogniser, with no second one installed to check it.
    NoSecondReader,
    /// The other recogniser read the same number but was unsure of the characters at
    /// `positions` (0-based): two readings agree, but only one of them vouches for those.
    OtherUnsure { positions: Vec<usize> },
    /// The page is an NVC letter whose NVC case number could not be read; this is the USCIS
    /// receipt it quotes, the petition's case, which the letter's row should link to.
    NvcCaseUnread,
    /// The two recognisers read field `field` differently where it is printed; `other` is the
    /// second reading.
    FieldDisputed { field: &'static str, other: String },
    /// The field (its CSV column) was read by one recogniser only, in the place its label points
    /// at, where the other read the label but no value; its grammar holds.
    FieldReadOnce(&'static str),
}

impl Doubt {
    /// The doubt about field `name` (its CSV column): unclear when a value was given anyway,
    /// unread when the field was left empty.
    pub(crate) fn about_field(name: &'static str, value: Option<&String>) -> Doubt {
        match value {
            Some(_) => Doubt::UnclearField(name),
            None => Doubt::UnreadField(name),
        }
    }
}

/// 0-based `positions` as a person counts them: `"3, 7"`.
fn counted(positions: &[usize]) -> String {
    let list: Vec<String> = positions.iter().map(|p| (p + 1).to_string()).collect();
    list.join(", ")
}

impl std::fmt::Display for Doubt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Doubt::Repaired {
                position,
                read,
                as_char,
            } => {
                write!(
                    f,
                    "character {} read as '{read}', taken as '{as_char}'",
                    position + 1
                )
            }
            Doubt::Unclear { positions } => {
                write!(f, "unclear character(s) at position {}", counted(positions))
            }
            Doubt::AmbiguousKind => {
                write!(
                    f,
                    "prefix is both a USCIS office and a consular post; kind is a guess"
                )
            }
            Doubt::UnclearField(field) => write!(f, "{field} could not be read with confidence"),
            Doubt::UnreadField(field) => {
                write!(f, "{field} is printed but could not be read; left empty")
            }
            Doubt::ContradictedField { field, value, why } => {
                write!(f, "{field} read as {value}, but {why}; left empty")
            }
            Doubt::Unlabelled => write!(
                f,
                "not labelled as a case number on a page that is not a notice, and its prefix is \
                 not a service center's"
            ),
            Doubt::SplitUnlabelled => write!(
                f,
                "read in pieces, with a space where case numbers have none, and no label beside it"
            ),
            Doubt::LooseSpacing => write!(
                f,
                "read with wide gaps or stray marks between its parts; its characters may be \
                 misread too"
            ),
            Doubt::NotNvcPattern => write!(
                f,
                "labelled as an NVC case number but the digits do not follow the NVC pattern"
            ),
            Doubt::Unconfirmed => write!(
                f,
                "read by one recogniser only; the other read no such number where it is printed"
            ),
            Doubt::ReadersDisagree { rival, positions } => write!(
                f,
                "the two recognisers disagree: the other read {rival}; check position {}",
                counted(positions)
            ),
            Doubt::NoSecondReader => write!(
                f,
                "read by one recogniser only: the neural reader's models are not installed \
                 (run scripts/setup)"
            ),
            Doubt::OtherUnsure { positions } => write!(
                f,
                "the other recogniser read the same number but was unsure of position {}",
                counted(positions)
            ),
            Doubt::NvcCaseUnread => write!(
                f,
                "the page is an NVC letter whose NVC case number could not be read; this is the \
                 USCIS receipt it quotes (the petition's case)"
            ),
            Doubt::FieldDisputed { field, other } => write!(
                f,
                "{field}: the other recogniser read \"{other}\" where it is printed"
            ),
            Doubt::FieldReadOnce(field) => write!(
                f,
                "{field} was read by the second recogniser only (the first read its label, not \
                 its value)"
            ),
            Doubt::NearDuplicate { of } => write!(
                f,
                "differs from {of}, also read on this page, in one or two characters; one of \
                 them may be misread"
            ),
            Doubt::ExtraCharacter { position: 0, read } => {
                write!(f, "an extra '{read}' read before character 1 was dropped")
            }
            Doubt::ExtraCharacter { position, read } => write!(
                f,
                "an extra '{read}' read between characters {position} and {} was dropped",
                position + 1
            ),
        }
    }
}
