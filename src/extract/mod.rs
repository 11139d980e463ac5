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
    /// No label calls it a case number, the page is not a recognised notice, and its prefix is not
    /// a service center's: it may be some other code that happens to fit the pattern.
    Unlabelled,
    /// Labelled as an NVC case number, but the digits do not follow the NVC pattern.
    NotNvcPattern,
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
            Doubt::Unlabelled => write!(
                f,
                "not labelled as a case number on a page that is not a notice, and its prefix is \
                 not a service center's"
            ),
            Doubt::NotNvcPattern => write!(
                f,
                "labelled as an NVC case number but the digits do not follow the NVC pattern"
            ),
        }
    }
}

mod dates;
mod fields;
mod layout;
mod nvc;
mod parties;
pub mod prefixes;
mod receipt;

use std::ops::Range;

use layout::{Evidence, LabelKind, Layout};
use nvc::{LabelSays, PageSays};
use receipt::Reading;

/// OCR characters of a case number read with a confidence below this are listed in
/// `Doubt::Unclear`. Tesseract's LSTM models give cleanly printed glyphs confidences in the 90s
/// and put most substitutions well below 75; a wrong number costs far more than a look at a
/// right one, so the line sits at the top of the 60–75 band where misreadings cluster.
pub const UNCLEAR_BELOW: u8 = 75;

/// Every case number on the page, each with the notice fields that belong to it, in reading order.
///
/// Notice fields go only to the number in a notice's own Receipt Number (or NVC Case Number) box,
/// or to the only number on a page that carries a notice header; a number mentioned elsewhere (a
/// cover letter's prose) is reported with its fields empty. The same number printed several times
/// on a page (box, barcode caption, body) is one notice.
pub fn extract_notices(page: &PageText) -> Vec<Notice> {
    let layout = Layout::new(&page.text);
    let whole = 0..layout.lines.len();
    let page_says = PageSays {
        uscis_notice: layout.is_uscis_notice(&whole),
        nvc_letter: layout.is_nvc_letter(&whole),
    };

    let mut found: Vec<Found> = Vec::new();
    for reading in receipt::scan(&layout) {
        let evidence = layout.number_label(reading.line, reading.span);
        let label_kind = match evidence {
            Evidence::Label(hit) => Some(layout.hits[hit].kind),
            Evidence::Mention(kind) => Some(kind),
            Evidence::None => None,
        };
        // An NVC "Invoice ID Number" is never a case number.
        if label_kind == Some(LabelKind::InvoiceId) {
            continue;
        }
        let says = label_kind.map_or(LabelSays::Nothing, label_says);
        let vouched = evidence != Evidence::None;
        if !reading.standard_grouping && !vouched {
            continue;
        }
        let labelled_nvc = matches!(evidence, Evidence::Label(_))
            && (says == LabelSays::Nvc || (says == LabelSays::Generic && page_says.nvc_letter));
        let Some(canonical) = reading.canonical(labelled_nvc) else {
            continue;
        };
        // Repairs need support: a label, or a page that is plainly a notice.
        if !canonical.repairs.is_empty()
            && !(vouched || page_says.uscis_notice || page_says.nvc_letter)
        {
            continue;
        }
        let sighting = Sighting::new(page, &reading, canonical.repairs, evidence, says);
        match found.iter_mut().find(|f| f.number == canonical.number) {
            Some(f) => f.sightings.push(sighting),
            None => found.push(Found {
                number: canonical.number,
                sightings: vec![sighting],
            }),
        }
    }

    let mut notices: Vec<Notice> = Vec::new();
    // (line, notice index) of each labelled sighting, and of every sighting.
    let mut labelled: Vec<(usize, usize)> = Vec::new();
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for f in found {
        let says = f
            .sightings
            .iter()
            .find(|s| matches!(s.evidence, Evidence::Label(_)))
            .or_else(|| f.sightings.iter().find(|s| s.evidence != Evidence::None))
            .map_or(LabelSays::Nothing, |s| s.says);
        let Some((kind, kind_doubts)) = nvc::decide(&f.number, says, page_says) else {
            continue;
        };
        for s in &f.sightings {
            if let Evidence::Label(hit) = s.evidence {
                labelled.push((layout.hits[hit].line, notices.len()));
            }
            seen.push((s.line, notices.len()));
        }
        // Two readings that agree vouch for each other: the cleanest, surest one speaks for both.
        let best = f
            .sightings
            .iter()
            .min_by_key(|s| (s.repairs.len(), std::cmp::Reverse(s.confidence)))
            .expect("a number has at least one sighting");
        let mut doubts = best.repairs.clone();
        if !best.unclear.is_empty() {
            doubts.push(Doubt::Unclear {
                positions: best.unclear.clone(),
            });
        }
        doubts.extend(kind_doubts);
        let unlabelled = f.sightings.iter().all(|s| s.evidence == Evidence::None);
        if unlabelled
            && !page_says.uscis_notice
            && !page_says.nvc_letter
            && !prefixes::is_service_center(&f.number[..3])
        {
            doubts.push(Doubt::Unlabelled);
        }
        notices.push(Notice {
            confidence: best.confidence,
            doubts,
            ..Notice::bare(f.number, kind)
        });
    }

    attach_fields(&layout, page, &mut notices, labelled, &seen);
    notices
}

/// Gives each notice on the page the fields printed in its part of the page.
///
/// `labelled` holds (label line, notice index) for each sighting in a case-number label's place,
/// `seen` (line, notice index) for every sighting. A labelled sighting starts a notice's part of
/// the page (from its header line, if one is printed just above it) and the part runs to the next
/// one; a part with no labelled sighting belongs to the only number seen in it, if just one.
fn attach_fields(
    layout: &Layout,
    page: &PageText,
    notices: &mut [Notice],
    mut labelled: Vec<(usize, usize)>,
    seen: &[(usize, usize)],
) {
    labelled.sort_unstable();
    labelled.dedup_by_key(|(line, _)| *line);
    let mut parts: Vec<(Range<usize>, Option<usize>)> = Vec::new();
    if labelled.is_empty() {
        parts.push((0..layout.lines.len(), None));
    }
    for (k, &(line, notice)) in labelled.iter().enumerate() {
        let start = if k == 0 {
            0
        } else {
            let floor = labelled[k - 1].0 + 1;
            (floor.max(line.saturating_sub(12))..=line)
                .rev()
                .find(|&l| layout.lines[l].header)
                .unwrap_or(line)
        };
        if let Some(previous) = parts.last_mut() {
            previous.0.end = start;
        }
        parts.push((start..layout.lines.len(), Some(notice)));
    }

    let ocr = page.source == TextSource::Ocr;
    let mut done = vec![false; notices.len()];
    for (lines, labelled_notice) in parts {
        let notice = labelled_notice.or_else(|| {
            let mut inside: Vec<usize> = seen
                .iter()
                .filter(|(line, _)| lines.contains(line))
                .map(|&(_, i)| i)
                .collect();
            inside.sort_unstable();
            inside.dedup();
            (inside.len() == 1).then(|| inside[0])
        });
        let Some(index) = notice else { continue };
        let n = &mut notices[index];
        let is_notice = match n.kind {
            NumberKind::UscisReceipt => layout.is_uscis_notice(&lines),
            NumberKind::NvcCase => layout.is_nvc_letter(&lines),
        };
        if !is_notice || done[index] {
            continue;
        }
        done[index] = true;
        let f = fields::read_fields(layout, &lines, ocr);
        n.form = f.form;
        n.notice_type = f.notice_type;
        n.case_type = f.case_type;
        n.received_date = f.received_date;
        n.notice_date = f.notice_date;
        n.priority_date = f.priority_date;
        n.valid_from = f.valid_from;
        n.valid_until = f.valid_until;
        n.a_number = f.a_number;
        n.account_number = f.account_number;
        n.applicant = f.applicant;
        n.beneficiary = f.beneficiary;
        n.doubts.extend(f.doubts);
    }
}

fn label_says(kind: LabelKind) -> LabelSays {
    match kind {
        LabelKind::ReceiptNumber => LabelSays::Uscis,
        LabelKind::NvcCaseNumber => LabelSays::Nvc,
        _ => LabelSays::Generic,
    }
}

/// The readings of one canonical number on the page.
struct Found {
    number: String,
    sightings: Vec<Sighting>,
}

/// One place a number is printed, and what is known about that reading.
struct Sighting {
    line: usize,
    repairs: Vec<Doubt>,
    /// The lowest confidence among the number's characters (100 for a text layer).
    confidence: u8,
    /// Positions in the number read with a confidence below [`UNCLEAR_BELOW`].
    unclear: Vec<usize>,
    evidence: Evidence,
    says: LabelSays,
}

impl Sighting {
    fn new(
        page: &PageText,
        reading: &Reading,
        repairs: Vec<Doubt>,
        evidence: Evidence,
        says: LabelSays,
    ) -> Sighting {
        // Characters the recogniser gave no confidence for count as certain, as spaces do.
        let scores: Vec<u8> = match (&page.char_confidence, page.source) {
            (Some(scores), TextSource::Ocr) => reading
                .positions
                .iter()
                .map(|&p| scores.get(p).copied().unwrap_or(100).min(100))
                .collect(),
            _ => vec![100; reading.positions.len()],
        };
        Sighting {
            line: reading.line,
            repairs,
            confidence: scores.iter().copied().min().unwrap_or(100),
            unclear: scores
                .iter()
                .enumerate()
                .filter(|&(_, &s)| s < UNCLEAR_BELOW)
                .map(|(k, _)| k)
                .collect(),
            evidence,
            says,
        }
    }
}

impl Notice {
    /// A notice with only its number and kind.
    fn bare(number: String, kind: NumberKind) -> Notice {
        Notice {
            number,
            kind,
            form: None,
            notice_type: None,
            case_type: None,
            received_date: None,
            notice_date: None,
            priority_date: None,
            valid_from: None,
            valid_until: None,
            a_number: None,
            account_number: None,
            applicant: None,
            beneficiary: None,
            confidence: 100,
            doubts: Vec::new(),
        }
    }
}
