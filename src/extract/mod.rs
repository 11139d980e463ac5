//! Extraction core: the text of one page in, the case numbers and notice fields on it out.
//!
//! Pure by design: no files, no OCR, no threads, no printing. Everything the tool knows about
//! USCIS notices lives here, so it can be tested in milliseconds on plain strings.

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
///
/// Dates are ISO `YYYY-MM-DD`; forms are `I-797C`; case types `I-130`; A-numbers `A` + 9 digits.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// Canonical form: three upper-case letters and the digits, no separators.
    pub number: String,
    pub kind: NumberKind,
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
    /// 0–100. 100 for a text layer; for OCR, the recogniser's confidence in the number's characters.
    pub confidence: u8,
    /// Every reason a person should check this notice against the paper; empty when none.
    pub doubts: Vec<Doubt>,
}

impl Notice {
    pub fn needs_review(&self) -> bool {
        !self.doubts.is_empty()
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
    /// A field was present but could not be read with confidence (the field's CSV column name).
    UnclearField(&'static str),
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
                let list: Vec<String> = positions.iter().map(|p| (p + 1).to_string()).collect();
                write!(f, "unclear character(s) at position {}", list.join(", "))
            }
            Doubt::AmbiguousKind => {
                write!(
                    f,
                    "prefix is both a USCIS office and a consular post; kind is a guess"
                )
            }
            Doubt::UnclearField(field) => write!(f, "{field} could not be read with confidence"),
        }
    }
}

pub mod prefixes;

/// Every case number on the page, each with the notice fields that belong to it, in reading order.
pub fn extract_notices(page: &PageText) -> Vec<Notice> {
    // Placeholder until the extraction core lands: finds nothing.
    let _ = page;
    Vec::new()
}
pub mod page_kind;
