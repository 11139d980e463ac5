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
    /// On an NVC letter: the USCIS receipt number it quotes (the petition's case).
    pub linked_receipt: Option<String>,
    /// On an NVC letter: its invoice ID, when labelled.
    pub invoice_id: Option<String>,
    /// 0–100. 100 for a text layer; for OCR, the recogniser's confidence in the number's characters.
    pub confidence: u8,
    /// Every reason a person should check this notice against the paper; empty when none.
    pub doubts: Vec<Doubt>,
}

impl Notice {
    /// Whether anything the row states may be wrong. A field left empty because it could not
    /// be read states nothing: it is said in the message, but it is no reason to hold the row.
    pub fn needs_review(&self) -> bool {
        self.doubts
            .iter()
            .any(|d| !matches!(d, Doubt::UnreadField(_) | Doubt::ContradictedField { .. }))
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

pub mod agreement;
pub mod confusions;
mod date_checks;
mod dates;
pub mod document;
mod fields;
mod layout;
mod nvc;
mod parties;
pub mod prefixes;
mod receipt;
#[cfg(test)]
pub(crate) mod test_text;

/// The canonical notice types: the case view checks its table of states covers them.
pub use fields::NOTICE_TYPES;
use std::ops::Range;

use layout::{Evidence, LabelKind, Layout};
use nvc::{LabelSays, PageSays};
use receipt::Reading;

/// OCR characters of a case number read with a confidence below this are listed in
/// `Doubt::Unclear`.
///
/// Measured, not guessed: fake receipt numbers rendered at 300 dpi in four fonts, clean and
/// degraded (blur, noise, down-and-up scaling), read by Tesseract 5.3 (fast `eng` model, psm 6)
/// with per-symbol confidences (the `RIL_SYMBOL` values the OCR stage passes on). Right characters
/// scored a median 99 (1st percentile 94.5); substituted characters scored 82–95, never below 80,
/// so a threshold of 60–75 would flag nothing. Per number, of 845 read right and 14 misread into
/// another well-formed known-prefix number: below 93 flags 4.6% of the right ones and catches 4 of
/// the 14, below 95 flags 8% and catches 6, below 96 flags 10% and catches 10. A wrong number
/// links a client to a stranger's case, so the line sits at 95.
pub const UNCLEAR_BELOW: u8 = 95;

/// Every case number on the page, each with the notice fields that belong to it, in reading order.
///
/// Notice fields go only to the number in a notice's own Receipt Number (or NVC Case Number) box,
/// or to the only number on a page that carries a notice header; a number mentioned elsewhere (a
/// cover letter's prose) is reported with its fields empty. The same number printed several times
/// on a page (box, barcode caption, body) is one notice.
pub fn extract_notices(page: &PageText) -> Vec<Notice> {
    decode_page(page).notices
}

/// What the decoder makes of a page.
#[derive(Debug)]
pub struct PageNumbers {
    /// As [`extract_notices`] gives them.
    pub notices: Vec<Notice>,
    /// Numbers read only with a repair that nothing on the page supports (no label beside them,
    /// no notice's marks read): not notices, but a sign that the page may be a notice whose
    /// labels came out as garble, worth a second reading (`ocr::policy`).
    pub unsupported: Vec<String>,
}

/// The notices on `page`, and the numbers it only hints at (see [`PageNumbers`]).
pub fn decode_page(page: &PageText) -> PageNumbers {
    notices_on(page, Context::Page)
}

/// The case numbers read in a crop of a page where another reading found one (see
/// `ocr::policy`): decoded as [`extract_notices`] decodes a number in a notice's Receipt Number
/// box, since that is where the crop was taken. Their fields are empty.
pub fn numbers_in_crop(crop: &PageText) -> Vec<Notice> {
    notices_on(&as_printed_number(crop), Context::CropOfANumber).notices
}

/// `crop` as a case number is printed, for what a crop holds is nothing but the number it was
/// cut around: no stop a speck on the paper put between two digits (`ZNY95.6557652`), and a
/// prefix of three small letters before the digits in capitals (`Nyc2311188905`, `msc 19…`: a
/// recogniser reading one line has no other capitals to tell the case by). Only the prefix: in
/// the digits a small letter says which digit it stands for (`g` 9, `G` 6).
fn as_printed_number(crop: &PageText) -> PageText {
    let mut chars: Vec<char> = crop.text.chars().collect();
    for start in 0..chars.len().saturating_sub(3) {
        let word_start = start == 0 || !chars[start - 1].is_alphanumeric();
        let prefix = &chars[start..start + 3];
        let letters = prefix.iter().all(char::is_ascii_alphabetic)
            && prefix.iter().any(char::is_ascii_lowercase);
        let digits_follow = match chars.get(start + 3) {
            Some(' ' | '-') => chars.get(start + 4).is_some_and(char::is_ascii_digit),
            Some(c) => c.is_ascii_digit(),
            None => false,
        };
        if word_start && letters && digits_follow {
            chars[start..start + 3]
                .iter_mut()
                .for_each(char::make_ascii_uppercase);
        }
    }
    let speck = |k: usize| {
        confusions::is_speck(chars[k])
            && k > 0
            && chars[k - 1].is_ascii_digit()
            && chars.get(k + 1).is_some_and(char::is_ascii_digit)
    };
    let kept: Vec<usize> = (0..chars.len()).filter(|&k| !speck(k)).collect();
    PageText {
        text: kept.iter().map(|&k| chars[k]).collect(),
        source: crop.source,
        char_confidence: crop
            .char_confidence
            .as_ref()
            .map(|conf| kept.iter().map(|&k| conf[k]).collect()),
    }
}

/// What vouches for the numbers in a text: its own labels and header, or where it was cut from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Page,
    CropOfANumber,
}

fn notices_on(page: &PageText, context: Context) -> PageNumbers {
    let crop = context == Context::CropOfANumber;
    // A card's number, a visa foil's annotation, a handout's examples: receipt-shaped, but no
    // case (`document` says what the page is instead).
    if !crop && page_kind::is_no_notice_document(page) {
        return PageNumbers {
            notices: Vec::new(),
            unsupported: Vec::new(),
        };
    }
    let confidence = match page.source {
        TextSource::Ocr => page.char_confidence.as_deref(),
        TextSource::PdfText => None,
    };
    let layout = Layout::new(&page.text).with_confidence(confidence);
    let whole = 0..layout.lines.len();
    // An NVC letter may print the petition's "Receipt Number" and "Priority Date": that makes
    // it no USCIS notice.
    let nvc_letter_page = !crop && layout.is_nvc_letter_page();
    let page_says = PageSays {
        uscis_notice: crop || (!nvc_letter_page && layout.is_uscis_notice(&whole)),
        nvc_letter: crop || layout.is_nvc_letter(&whole),
    };

    let mut found: Vec<Found> = Vec::new();
    let mut unsupported: Vec<String> = Vec::new();
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
        let vouched = crop || evidence != Evidence::None;
        // A space out of place (`YSC229486 1427`) needs a label, unless OCR of a page that is
        // plainly a notice read it: a degraded scan garbles the label as it splits the number.
        let split_unlabelled = !reading.standard_grouping && !vouched;
        if split_unlabelled && !(page.source == TextSource::Ocr && page_says.uscis_notice) {
            continue;
        }
        let labelled_nvc = matches!(evidence, Evidence::Label(_))
            && (says == LabelSays::Nvc || (says == LabelSays::Generic && page_says.nvc_letter));
        let canonical = reading.canonical(labelled_nvc).or_else(|| {
            // A misread capital in the prefix, on a scan: a repair like any other.
            (page.source == TextSource::Ocr)
                .then(|| reading.canonical_confusable())
                .flatten()
        });
        let Some(canonical) = canonical else {
            continue;
        };
        // On a page that is no notice, a code with a field-office-like prefix printed after a
        // label for some other identifier (`Client ID: CLT…`) is that identifier.
        if evidence == Evidence::None
            && !page_says.uscis_notice
            && !page_says.nvc_letter
            && !prefixes::is_service_center(&canonical.number[..3])
            && layout.after_other_identifier(reading.line, reading.span)
        {
            continue;
        }
        if reading.extra.is_some()
            && !doubled_reading_is_vouched(page, &layout, &reading, &canonical.number, evidence)
        {
            continue;
        }
        // Repairs need support: a label, or a page that is plainly a notice.
        let supported = vouched || page_says.uscis_notice || page_says.nvc_letter;
        if !canonical.repairs.is_empty() && !supported {
            unsupported.push(canonical.number);
            continue;
        }
        let mut doubts = canonical.repairs;
        if split_unlabelled {
            doubts.push(Doubt::SplitUnlabelled);
        }
        // OCR that spaced a number out of print's shape may have misread its digits too (a
        // heavy scan read `VSC  21  939 44213`, surely, for `VSC 21 039 44213`).
        if reading.loose_spacing && page.source == TextSource::Ocr {
            doubts.push(Doubt::LooseSpacing);
        }
        let sighting = Sighting::new(page, &reading, doubts, evidence, says);
        match found.iter_mut().find(|f| f.number == canonical.number) {
            Some(f) => f.sightings.push(sighting),
            None => found.push(Found {
                number: canonical.number,
                sightings: vec![sighting],
            }),
        }
    }

    let mut notices: Vec<Notice> = Vec::new();
    let mut unlabelled_notice: Vec<bool> = Vec::new();
    // (line, notice index) of each labelled sighting, and of every sighting.
    let mut labelled: Vec<(usize, usize)> = Vec::new();
    let mut seen: Vec<(usize, usize)> = Vec::new();
    let mut under_receipt_label: Vec<bool> = Vec::new();
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
        under_receipt_label.push(f.sightings.iter().any(|s| s.says == LabelSays::Uscis));
        unlabelled_notice.push(
            !f.sightings
                .iter()
                .any(|s| matches!(s.evidence, Evidence::Label(_))),
        );
        notices.push(Notice {
            confidence: best.confidence,
            doubts,
            ..Notice::bare(f.number, kind)
        });
    }
    if page.source == TextSource::Ocr {
        flag_near_duplicates(&mut notices, &unlabelled_notice);
    }
    if nvc_letter_page {
        nvc::link_quoted_receipt(
            &mut notices,
            &under_receipt_label,
            [&mut labelled, &mut seen],
        );
    }

    attach_fields(&layout, page, &mut notices, labelled, &seen);
    PageNumbers {
        notices,
        unsupported,
    }
}

/// A token one character too long (`ZBO02213775665`) is taken for a number only when everything
/// around it says so: it sits in a Receipt Number label's place on a page that is a notice, and
/// either no other character dropped gives another number (`1TSC1790932463`: no `1TS…` number
/// exists), or the recogniser itself doubted the character dropped and was sure of every digit
/// kept. So a number really printed with that character (`ZBO0…`), whose extra character OCR put
/// somewhere else, is not cut down to a different number. A text layer prints what it prints:
/// never.
fn doubled_reading_is_vouched(
    page: &PageText,
    layout: &Layout,
    reading: &Reading,
    number: &str,
    evidence: Evidence,
) -> bool {
    let Some(extra) = reading.extra else {
        return true;
    };
    let Evidence::Label(hit) = evidence else {
        return false;
    };
    let whole = 0..layout.lines.len();
    if layout.hits[hit].kind != LabelKind::ReceiptNumber || !layout.is_uscis_notice(&whole) {
        return false;
    }
    let (TextSource::Ocr, Some(scores)) = (page.source, &page.char_confidence) else {
        return false;
    };
    let line_start = layout.lines[reading.line].start;
    let token = &layout.chars[line_start + reading.span.start..line_start + reading.span.end];
    if receipt::admits_only(token, number) {
        return true;
    }
    // A character the recogniser gave no score for is no evidence of a doubt.
    let score = |p: usize| scores.get(p).copied().unwrap_or(100);
    score(extra.position) < UNCLEAR_BELOW
        && reading.positions[3..]
            .iter()
            .all(|&p| score(p) >= UNCLEAR_BELOW)
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
    // The same number labelled again further down (the I-797A tear-off's `Receipt #`) is the
    // same notice: its lines run on to the footer, which may be the only place the form is named.
    labelled.dedup_by_key(|(_, notice)| *notice);
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
        if n.kind == NumberKind::NvcCase {
            let (invoice_id, bad) = nvc::invoice_id(layout, &lines);
            if bad && invoice_id.is_none() {
                n.doubts.push(Doubt::UnreadField("invoice_id"));
            }
            n.invoice_id = invoice_id;
        }
        date_checks::check_dates(n);
    }
}

/// OCR can misread one copy of a number (the barcode caption, the body) into a second, wrong
/// number that differs from the real one in a character or two. Two labelled numbers are two
/// notices' boxes; otherwise such a pair is flagged on both sides.
fn flag_near_duplicates(notices: &mut [Notice], unlabelled: &[bool]) {
    let mut pairs = Vec::new();
    for i in 0..notices.len() {
        for j in i + 1..notices.len() {
            let (a, b) = (&notices[i].number, &notices[j].number);
            let differing = a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count();
            if a.len() == b.len() && differing <= 2 && (unlabelled[i] || unlabelled[j]) {
                pairs.push((i, j));
            }
        }
    }
    for (i, j) in pairs {
        let (a, b) = (notices[i].number.clone(), notices[j].number.clone());
        notices[i].doubts.push(Doubt::NearDuplicate { of: b });
        notices[j].doubts.push(Doubt::NearDuplicate { of: a });
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
        let score = |p: usize| match (&page.char_confidence, page.source) {
            (Some(scores), TextSource::Ocr) => scores.get(p).copied().unwrap_or(100).min(100),
            _ => 100,
        };
        let scores: Vec<u8> = reading.positions.iter().map(|&p| score(p)).collect();
        // A dropped character was read too: the number is no surer than it.
        let dropped = reading.extra.map_or(100, |extra| score(extra.position));
        Sighting {
            line: reading.line,
            repairs,
            confidence: scores.iter().copied().min().unwrap_or(100).min(dropped),
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
    pub(crate) fn bare(number: String, kind: NumberKind) -> Notice {
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
            linked_receipt: None,
            invoice_id: None,
            confidence: 100,
            doubts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_text::ocr_page;

    fn pdf(text: &str) -> Vec<Notice> {
        extract_notices(&PageText::from_pdf_text(text))
    }

    fn ocr(text: &str) -> Vec<Notice> {
        extract_notices(&ocr_page(text, &[]))
    }

    /// `page` with character `k` of the first `needle` read at `score`.
    fn scored(mut page: PageText, needle: &str, k: usize, score: u8) -> PageText {
        let byte = page.text.find(needle).expect("needle in text");
        let at = page.text[..byte].chars().count() + k;
        page.char_confidence.as_mut().expect("OCR page")[at] = score;
        page
    }

    fn numbers(notices: &[Notice]) -> Vec<&str> {
        notices.iter().map(|n| n.number.as_str()).collect()
    }

    #[test]
    fn a_speck_between_digits_of_a_crop_is_no_stop() {
        let crop = ocr_page("ZNY95.6557652\n", &[(".", 40)]);
        let read = numbers_in_crop(&crop);
        assert_eq!(numbers(&read), ["ZNY956557652"]);
        // The confidences still line up with the characters: only the stop's score went.
        let cleaned = as_printed_number(&crop);
        assert_eq!(cleaned.text, "ZNY956557652\n");
        assert!(
            cleaned
                .char_confidence
                .expect("OCR")
                .iter()
                .all(|&c| c >= 96)
        );
        // A stop after the number, or between a word and a digit, stays.
        assert_eq!(
            as_printed_number(&ocr_page("No. 5.\n", &[])).text,
            "No. 5.\n"
        );
    }

    #[test]
    fn a_crops_prefix_read_in_small_letters_is_in_capitals() {
        assert_eq!(
            numbers(&numbers_in_crop(&ocr_page("| Nyc2311188905\n", &[]))),
            ["NYC2311188905"]
        );
        // Small letters in the digits keep their own digit: g is 9.
        let crop = ocr_page("|  msc 1gi1.263805\n", &[]);
        assert_eq!(as_printed_number(&crop).text, "|  MSC 1gi1263805\n");
        assert_eq!(numbers(&numbers_in_crop(&crop)), ["MSC1911263805"]);
        // A word of four letters, or letters with no digits after them, stay as read.
        assert_eq!(
            as_printed_number(&ocr_page("Form 797c\n", &[])).text,
            "Form 797c\n"
        );
        assert_eq!(
            as_printed_number(&ocr_page("was here\n", &[])).text,
            "was here\n"
        );
    }

    fn only(notices: Vec<Notice>) -> Notice {
        assert_eq!(notices.len(), 1, "{notices:#?}");
        notices.into_iter().next().unwrap()
    }

    fn no_fields(n: &Notice) -> bool {
        n.form.is_none()
            && n.notice_type.is_none()
            && n.case_type.is_none()
            && n.received_date.is_none()
            && n.notice_date.is_none()
            && n.priority_date.is_none()
            && n.valid_from.is_none()
            && n.valid_until.is_none()
            && n.a_number.is_none()
            && n.account_number.is_none()
            && n.applicant.is_none()
            && n.beneficiary.is_none()
    }

    const RECEIPT_I130: &str = "\
                  Department of Homeland Security                          Form I-797C, Notice of Action
                  U.S. Citizenship and Immigration Services

                         THIS NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFIT.

 Receipt Number                         Case Type
 EAC2190012345                          I130 - PETITION FOR ALIEN RELATIVE

 Received Date        Priority Date      Notice Date        Page
 01/15/2021                              01/20/2021         1 of 1

 Applicant/Petitioner                   Beneficiary
 A012 345 678                           A098 765 432
 DOE, JANE                              DOE, JOHN

     JANE DOE                                              Notice Type: Receipt Notice
     c/o EXAMPLE LAW GROUP LLP                             Amount received: $675.00 U.S.
     100 SAMPLE AVE STE 200                                Section: Husband or wife of U.S. citizen
     ANYTOWN TX 75001

     The above application or petition has been received. Keep this notice; you will need
     the receipt number to ask about your case. Call the USCIS Contact Center at 800-555-0100.

     *EAC2190012345*
 Form I-797C 07/11/14
";

    #[test]
    fn clean_receipt_notice_from_a_text_layer() {
        let n = only(pdf(RECEIPT_I130));
        assert_eq!(n.number, "EAC2190012345");
        assert_eq!(n.kind, NumberKind::UscisReceipt);
        assert_eq!(n.form.as_deref(), Some("I-797C"));
        assert_eq!(n.notice_type.as_deref(), Some("Receipt Notice"));
        assert_eq!(n.case_type.as_deref(), Some("I-130"));
        assert_eq!(n.received_date.as_deref(), Some("2021-01-15"));
        assert_eq!(n.notice_date.as_deref(), Some("2021-01-20"));
        assert_eq!(n.priority_date, None);
        assert_eq!(n.valid_from, None);
        assert_eq!(n.a_number.as_deref(), Some("A012345678"));
        assert_eq!(n.account_number, None);
        assert_eq!(n.applicant.as_deref(), Some("DOE, JANE"));
        assert_eq!(n.beneficiary.as_deref(), Some("DOE, JOHN"));
        assert_eq!(n.confidence, 100);
        assert!(!n.needs_review(), "{:?}", n.doubts);
    }

    #[test]
    fn the_header_and_grid_alone_carry_the_form() {
        // The OCR stage reads the top of the page first and stops when a notice has its form.
        let top: String = RECEIPT_I130.lines().take(9).collect::<Vec<_>>().join("\n");
        let n = only(ocr(&top));
        assert_eq!(n.form.as_deref(), Some("I-797C"));
        assert_eq!(n.case_type.as_deref(), Some("I-130"));
    }

    #[test]
    fn old_upper_case_layout() {
        let text = "\
                                    THE UNITED STATES OF AMERICA
U.S. Department of Homeland Security                                       I-797C, Notice of Action
U.S. Citizenship and Immigration Services

 RECEIPT NUMBER                                    CASE TYPE

 WAC-06-138-97010                                  I-129, PETITION FOR A NONIMMIGRANT WORKER

 RECEIPT DATE                   PRIORITY DATE                  PETITIONER

 04/13/2006                                                    EXAMPLE DATA SYSTEMS INC
 NOTICE DATE                    PAGE                           BENEFICIARY

 04/20/2006                     1 of 1                         SAMPLE-HOLT, FINN


     EXAMPLE DATA SYSTEMS INC                                  NOTICE TYPE: RECEIPT
";
        let n = only(pdf(text));
        assert_eq!(n.number, "WAC0613897010");
        assert_eq!(n.form.as_deref(), Some("I-797C"));
        assert_eq!(n.case_type.as_deref(), Some("I-129"));
        assert_eq!(n.received_date.as_deref(), Some("2006-04-13"));
        assert_eq!(n.notice_date.as_deref(), Some("2006-04-20"));
        assert_eq!(n.priority_date, None);
        assert_eq!(n.notice_type.as_deref(), Some("Receipt Notice"));
        assert_eq!(n.applicant.as_deref(), Some("EXAMPLE DATA SYSTEMS INC"));
        assert_eq!(n.beneficiary.as_deref(), Some("SAMPLE-HOLT, FINN"));
        assert!(!n.needs_review(), "{:?}", n.doubts);
    }

    #[test]
    fn approval_with_validity_period_and_class() {
        let text = "\
                  Department of Homeland Security                          Form I-797B, Notice of Action
 Receipt Number                                  Case Type
 EAC2213900001                                   I129 - PETITION FOR A NONIMMIGRANT WORKER
 Received Date                   Priority Date                  Notice Date                    Page
 04/14/2022                                                     05/30/2022                     1 of 1
 Petitioner                                                       Beneficiary
 NORTHWIND EXAMPLE LLC                                            NOON, OSKAR
     NORTHWIND EXAMPLE LLC                                          Notice Type: Approval Notice
     c/o EXAMPLE & PARTNERS LLP                                     Class: H1B
     2217 SAMPLE RD STE 1100                                        Valid from 10/01/2023 to 09/30/2026
";
        let n = only(pdf(text));
        assert_eq!(n.form.as_deref(), Some("I-797B"));
        assert_eq!(n.notice_type.as_deref(), Some("Approval Notice"));
        assert_eq!(n.valid_from.as_deref(), Some("2023-10-01"));
        assert_eq!(n.valid_until.as_deref(), Some("2026-09-30"));
        assert_eq!(n.case_type.as_deref(), Some("I-129"));
        assert_eq!(n.a_number, None);
        assert!(!n.needs_review(), "{:?}", n.doubts);
    }

    #[test]
    fn i797a_with_its_i94_tear_off_is_one_notice() {
        let text = "\
                  Department of Homeland Security                          Form I-797A, Notice of Action
 Receipt Number                                            Case Type
 WAC2314700001                                             I129 - PETITION FOR A NONIMMIGRANT WORKER
 Received Date                         Priority Date                         Notice Date          Page
 04/25/2023                                                                  06/26/2023           1 of 1
 Petitioner                                                                    Beneficiary
 SILVERLEAF EXAMPLE LLC                                                        CASTELL, DARIO
     SILVERLEAF EXAMPLE LLC                                                    Notice Type: Approval Notice
     c/o EXAMPLE & PARTNERS LLP                                                Class: H1B
                                                                               Valid from 10/01/2023 to 09/30/2026

Please tear off the bottom part of this notice and keep it with your passport.

Departure Record                                                                            Form I-94
  Admission (I-94) Record Number                                              Receipt Number
  277258211B7                                                                 WAC2314700001
  Family Name                                                                 First (Given) Name
  CASTELL                                                                     DARIO
  Birth Date                                                                  Country of Citizenship
  09/19/1998                                                                  PHILIPPINES
Form I-797A 07/11/14
";
        let n = only(pdf(text));
        assert_eq!(n.number, "WAC2314700001");
        assert_eq!(n.form.as_deref(), Some("I-797A"));
        assert_eq!(n.valid_until.as_deref(), Some("2026-09-30"));
        assert_eq!(n.beneficiary.as_deref(), Some("CASTELL, DARIO"));
        assert_eq!(n.a_number, None);
        assert!(!n.needs_review(), "{:?}", n.doubts);
    }

    #[test]
    fn appointment_notice_keeps_the_box_date_not_the_appointment() {
        let text = "\
U.S. Department of Homeland Security                                       I-797C, Notice of Action
 RECEIPT NUMBER                                    CASE TYPE
 MSC2007400001                                     I-485, APPLICATION TO REGISTER PERMANENT RESIDENCE OR ADJUST STATUS
 RECEIPT DATE                   PRIORITY DATE                  APPLICANT   A# 155-752-847
 01/13/2020                                                    MARKO, CELESTE
 NOTICE DATE                    PAGE
 February 11, 2020              1 of 1
     CELESTE MARKO                                                  NOTICE TYPE: ASC APPOINTMENT NOTICE
     APPLICATION SUPPORT CENTER                                     DATE AND TIME OF APPOINTMENT
     USCIS EXAMPLETOWN                                              Wednesday, March 4, 2020
     5139 SAMPLE CT STE 210                                         10:00 AM
";
        let n = only(pdf(text));
        assert_eq!(n.number, "MSC2007400001");
        assert_eq!(n.notice_date.as_deref(), Some("2020-02-11"));
        assert_eq!(n.received_date.as_deref(), Some("2020-01-13"));
        assert_eq!(n.notice_type.as_deref(), Some("ASC Appointment Notice"));
        assert_eq!(n.case_type.as_deref(), Some("I-485"));
        assert_eq!(n.a_number.as_deref(), Some("A155752847"));
        assert_eq!(n.applicant.as_deref(), Some("MARKO, CELESTE"));
        assert!(!n.needs_review(), "{:?}", n.doubts);
    }

    #[test]
    fn interview_notice_with_a_cut_off_type() {
        let text = "\
                  Department of Homeland Security                          Form I-797C, Notice of Action
 Receipt Number                                    Case Type
 MSC2001400002                                     I485 - APPLICATION TO REGISTER PERMANENT RESIDENCE OR ADJUST STATUS
 Received Date                   Priority Date                    Notice Date                     Page
 10/21/2019                                                       04/20/2020                      1 of 1
 Applicant   A# 119 231 579
 TORRES, LEO
     LEO TORRES                                           Notice Type: Request for Applicant to Appear for Initial Inter
     PLEASE COME TO:                                      ON:
     USCIS                                                Monday, May 25, 2020
";
        let n = only(pdf(text));
        assert_eq!(
            n.notice_type.as_deref(),
            Some("Request for Applicant to Appear for Initial Interview")
        );
        assert_eq!(n.notice_date.as_deref(), Some("2020-04-20"));
        assert_eq!(n.applicant.as_deref(), Some("TORRES, LEO"));
        assert_eq!(n.a_number.as_deref(), Some("A119231579"));
        assert!(!n.needs_review(), "{:?}", n.doubts);
    }

    const OCR_GRID: &str = "\
 Department of Homeland Security                      Form 1-797C, Notice of Action
 Recei t Number                         Case Type
 EAC 21 900 l2345                       1130 - PETITION FOR ALIEN RELATIVE
 Received Date        Priority Date      Notice Date        Page
 0l/15/2021                              01/20/2021         1 of 1
 Applicant/Petitioner                   Beneficiary
 DOE, JANE                              DOE, JOHN
";

    #[test]
    fn ocr_confusions_are_repaired_and_flagged() {
        let n = only(ocr(OCR_GRID));
        assert_eq!(n.number, "EAC2190012345");
        assert_eq!(
            n.doubts,
            [Doubt::Repaired {
                position: 8,
                read: 'l',
                as_char: '1'
            }]
        );
        assert!(n.needs_review());
        assert_eq!(n.form.as_deref(), Some("I-797C"));
        assert_eq!(n.case_type.as_deref(), Some("I-130"));
        assert_eq!(n.received_date.as_deref(), Some("2021-01-15"));
        assert_eq!(n.notice_date.as_deref(), Some("2021-01-20"));
        assert_eq!(n.applicant.as_deref(), Some("DOE, JANE"));
        assert_eq!(n.confidence, 96);
    }

    #[test]
    fn ocr_prefix_confusion_under_a_misspelt_label() {
        let text = "\
 Receipt Nurnber                        Case Type
 I0E0912345678                          I765 - APPLICATION FOR EMPLOYMENT AUTHORIZATION
";
        let n = only(ocr(text));
        assert_eq!(n.number, "IOE0912345678");
        assert_eq!(
            n.doubts,
            [Doubt::Repaired {
                position: 1,
                read: '0',
                as_char: 'O'
            }]
        );
        assert_eq!(n.case_type.as_deref(), Some("I-765"));
    }

    #[test]
    fn ocr_labels_and_values_on_one_line() {
        let text = "\
Form I-797C, Notice of Action
Receipt Number EAC2190012345 Case Type I130 - PETITION FOR ALIEN RELATIVE
Received Date 01/15/2021 Priority Date Notice Date 01/20/2021 Page 1 of 1
Applicant/Petitioner DOE, JANE Beneficiary DOE, JOHN
Notice Type: Receipt Notice
";
        let n = only(ocr(text));
        assert_eq!(n.number, "EAC2190012345");
        assert_eq!(n.case_type.as_deref(), Some("I-130"));
        assert_eq!(n.received_date.as_deref(), Some("2021-01-15"));
        assert_eq!(n.notice_date.as_deref(), Some("2021-01-20"));
        assert_eq!(n.priority_date, None);
        assert_eq!(n.applicant.as_deref(), Some("DOE, JANE"));
        assert_eq!(n.beneficiary.as_deref(), Some("DOE, JOHN"));
        assert_eq!(n.notice_type.as_deref(), Some("Receipt Notice"));
        assert!(!n.needs_review(), "{:?}", n.doubts);
    }

    #[test]
    fn ocr_values_shifted_off_their_labels() {
        let text = "\
Form I-797C, Notice of Action
Receipt Number                Case Type
     LIN2412500003                  I129 - PETITION FOR A NONIMMIGRANT WORKER
Received Date        Priority Date      Notice Date        Page
   03/25/2024                         03/29/2024             1 of 1
";
        let n = only(ocr(text));
        assert_eq!(n.number, "LIN2412500003");
        assert_eq!(n.case_type.as_deref(), Some("I-129"));
        assert_eq!(n.received_date.as_deref(), Some("2024-03-25"));
        assert_eq!(n.notice_date.as_deref(), Some("2024-03-29"));
        assert_eq!(n.priority_date, None);
    }

    #[test]
    fn values_drifted_out_of_their_columns_are_left_empty_not_misfiled() {
        // OCR text whose value rows lost their alignment: the notice date sits nearer the
        // priority date's column than its own, the beneficiary far from both name columns.
        let text = "\
Department of Homeland Security                                       Form I-797C, Notice of Action
Receipt Number                                                          Case Type
WAC2314700001                                     1129 - PETITION FOR A NONIMMIGRANT WORKER
Received Date                           Priority Date                             Notice Date                              Page
04/25/2023                                               06/26/2023                  1 of 1
Petitioner                                                                          Beneficiary
SILVERLEAF EXAMPLE LLC                             CASTELL, DARIO
";
        let n = only(ocr(text));
        assert_eq!(n.number, "WAC2314700001");
        assert_eq!(n.received_date.as_deref(), Some("2023-04-25"));
        assert_eq!(n.priority_date, None);
        assert_eq!(n.notice_date, None);
        assert_eq!(n.case_type, None);
        assert_eq!(n.applicant.as_deref(), Some("SILVERLEAF EXAMPLE LLC"));
        assert_eq!(n.beneficiary, None);
        assert_eq!(
            n.doubts,
            [
                Doubt::UnreadField("case_type"),
                Doubt::UnreadField("priority_date"),
                Doubt::UnreadField("notice_date"),
                Doubt::UnreadField("beneficiary"),
            ]
        );
        // Nothing the row gives is in doubt: the empty fields are said, the row is not held.
        assert!(!n.needs_review());
    }

    #[test]
    fn low_confidence_characters_are_unclear() {
        let page = ocr_page(OCR_GRID.replace("l2345", "12345").as_str(), &[("2345", 41)]);
        let n = only(extract_notices(&page));
        assert_eq!(n.number, "EAC2190012345");
        assert_eq!(n.confidence, 41);
        assert_eq!(
            n.doubts,
            [Doubt::Unclear {
                positions: vec![9, 10, 11, 12]
            }]
        );
        // Just above the line is not unclear.
        let page = ocr_page(
            OCR_GRID.replace("l2345", "12345").as_str(),
            &[("2345", UNCLEAR_BELOW)],
        );
        let n = only(extract_notices(&page));
        assert_eq!(n.confidence, UNCLEAR_BELOW);
        assert!(n.doubts.is_empty(), "{:?}", n.doubts);
    }

    #[test]
    fn a_clean_sure_reading_vouches_for_a_doubtful_one() {
        let text = format!("{OCR_GRID}\n     *EAC2190012345*\n");
        let n = only(ocr(&text));
        assert_eq!(n.number, "EAC2190012345");
        assert!(n.doubts.is_empty(), "{:?}", n.doubts);
        // The box reading still gives the fields.
        assert_eq!(n.case_type.as_deref(), Some("I-130"));
    }

    #[test]
    fn a_misread_second_copy_is_flagged_on_both_sides() {
        let text = RECEIPT_I130.replace("*EAC2190012345*", "*EAC2190012346*");
        let notices = ocr(&text);
        assert_eq!(numbers(&notices), ["EAC2190012345", "EAC2190012346"]);
        assert_eq!(
            notices[0].doubts,
            [Doubt::NearDuplicate {
                of: "EAC2190012346".into()
            }]
        );
        assert_eq!(
            notices[1].doubts,
            [Doubt::NearDuplicate {
                of: "EAC2190012345".into()
            }]
        );
        assert_eq!(notices[0].case_type.as_deref(), Some("I-130"));
        assert!(no_fields(&notices[1]));
        // In a text layer nothing is misread: two numbers are two numbers.
        assert!(pdf(&text).iter().all(|n| !n.needs_review()));
        // Numbers further apart are not flagged.
        let text = RECEIPT_I130.replace("*EAC2190012345*", "*EAC2190098765*");
        assert!(ocr(&text).iter().all(|n| !n.needs_review()));
    }

    /// Tesseract 5.3 on samples/images/notices-3pages-g4.tif page 2 (the field region).
    const OCR_ZBO: &str = "
               Department of Homeland Security                                              Form I-797C, Notice of Action
               U.S. Citizenship and immigration Services

                       THiS NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFIT.

                               ,
 Receipt Number                                  Case Type
 ZBO02213775665                                  1589 - APPLICATION FOR ASYLUM AND FOR WITHHOLDING OF REMOVAL

 Received Date                  Priority Date                  Notice Date                    Page
 04/11/2022                                                    04/18/2022                     1 of 1

 Applicant  A095 222 703
 SOLIS-MARTEL, RASHID

    RASHID SOLIS-MARTEL                                               Notice Type: Receipt Notice
";

    /// Tesseract 5.3 on samples/stacks/mailroom-batch-g4-15pages.pdf page 10 (old layout).
    const OCR_IOE_OLD_LAYOUT: &str = r"                                 THE UNITED STATES OF AMERICA
U.S. Department of Homeland Security                                                              \-797C, Notice of Action
U.S. Citizenship and immigration Services

 RECEIPT NUMBER                                CASE TYPE
 IO0E3477857276                                I-765,   APPLICATION FOR EMPLOYMENT AUTHORIZATION
 RECEIPT DATE                PRIORITY DATE               APPLICANT  A208 589 590
 01/24/2024                                             MENDIBURU,      DMITRI                                            |
 NOTICE DATE                 PAGE
 02/05/2024                  lof il
                                                                                                                          _I

    DMITRI MENDIBURU                                                NOTICE TYPE: ASC APPOINTMENT NOTICE
";

    #[test]
    fn a_prefix_letter_ocr_read_twice_under_the_receipt_label_is_dropped_and_flagged() {
        // The recogniser doubted the extra `0` (as it did on the sample) and nothing else.
        let page = scored(ocr_page(OCR_ZBO, &[]), "ZBO0", 3, 62);
        let n = only(extract_notices(&page));
        assert_eq!(n.number, "ZBO2213775665");
        assert_eq!(
            n.doubts,
            [Doubt::ExtraCharacter {
                position: 3,
                read: '0'
            }]
        );
        assert_eq!(n.confidence, 62);
        assert_eq!(n.form.as_deref(), Some("I-797C"));
        assert_eq!(n.case_type.as_deref(), Some("I-589"));
        assert_eq!(n.applicant.as_deref(), Some("SOLIS-MARTEL, RASHID"));
        assert_eq!(
            n.doubts[0].to_string(),
            "an extra '0' read between characters 3 and 4 was dropped"
        );

        // Both halves of the pair unsure, as on the mailroom sample: the kept `O` is unclear too.
        let page = scored(ocr_page(OCR_IOE_OLD_LAYOUT, &[]), "IO0E", 1, 71);
        let page = scored(page, "IO0E", 2, 55);
        let n = only(extract_notices(&page));
        assert_eq!(n.number, "IOE3477857276");
        assert_eq!(
            n.doubts,
            [
                Doubt::ExtraCharacter {
                    position: 2,
                    read: '0'
                },
                Doubt::Unclear { positions: vec![1] }
            ]
        );
        assert_eq!(n.confidence, 55);
        // `\-797C` is the header's `I-797C`; `lof il` in the Page box is nothing at all.
        assert_eq!(n.form.as_deref(), Some("I-797C"));
        assert_eq!(n.notice_type.as_deref(), Some("ASC Appointment Notice"));
        assert_eq!(n.case_type.as_deref(), Some("I-765"));
        assert_eq!(n.received_date.as_deref(), Some("2024-01-24"));
        assert_eq!(n.notice_date.as_deref(), Some("2024-02-05"));
        assert_eq!(n.priority_date, None);
        assert_eq!(n.applicant.as_deref(), Some("MENDIBURU, DMITRI"));
        assert_eq!(n.a_number.as_deref(), Some("A208589590"));

        // A doubled leading `I`.
        let text = OCR_ZBO.replace("ZBO02213775665", "1IOE3477857276");
        let page = scored(ocr_page(&text, &[]), "1IOE", 0, 80);
        let n = only(extract_notices(&page));
        assert_eq!(n.number, "IOE3477857276");
        assert_eq!(
            n.doubts[0].to_string(),
            "an extra '1' read before character 1 was dropped"
        );
    }

    #[test]
    fn a_character_is_dropped_only_when_everything_around_it_says_so() {
        let low = |text: &str, needle: &str, k: usize| scored(ocr_page(text, &[]), needle, k, 62);
        // The recogniser was sure of the `0`: it may be printed (`ZBO0…`), the extra character
        // elsewhere. Not taken.
        assert!(ocr(OCR_ZBO).is_empty());
        // Unsure of a digit as well: the extra character may be that one.
        let page = scored(low(OCR_ZBO, "ZBO0", 3), "ZBO0", 9, 70);
        assert!(extract_notices(&page).is_empty());
        // A text layer prints what is printed.
        assert!(pdf(OCR_ZBO).is_empty());
        // Not in a Receipt Number label's place: in the body, or under another label.
        let text = OCR_ZBO
            .replace(" ZBO02213775665 ", "                ")
            .replace("RASHID SOLIS-MARTEL  ", "Re: ZBO02213775665   ");
        assert!(extract_notices(&low(&text, "ZBO0", 3)).is_empty());
        let text = OCR_ZBO.replace("Receipt Number", "Case Number   ");
        assert!(extract_notices(&low(&text, "ZBO0", 3)).is_empty());
        // Labelled, but on a page that is no notice.
        let text = "Dear client,\nReceipt Number: ZBO02213775665\nRegards\n";
        assert!(extract_notices(&low(text, "ZBO0", 3)).is_empty());
        // With every guard met, taken (the same strings as above, so the guards are what differ).
        assert_eq!(
            numbers(&extract_notices(&low(OCR_ZBO, "ZBO0", 3))),
            ["ZBO2213775665"]
        );
        // Read surely, but with no other way to drop a character that leaves a number (no
        // `1TS…` number exists): the label and the notice are enough.
        let text = OCR_ZBO.replace("ZBO02213775665", "1TSC1790932463");
        assert_eq!(numbers(&ocr(&text)), ["TSC1790932463"]);
        assert!(ocr(&text.replace("Receipt Number", "Case Number   ")).is_empty());
        assert!(pdf(&text).is_empty());
    }

    #[test]
    fn a_space_inside_the_digits_is_taken_under_its_label_only() {
        // Tesseract on the 150 dpi low-contrast and the JBIG2 samples.
        let text = "\
 Receipt Number                                  Case Type
 MSC21 15853357                                   1130 - PETITION FOR ALIEN RELATIVE
";
        let n = only(ocr(text));
        assert_eq!(n.number, "MSC2115853357");
        assert!(n.doubts.is_empty(), "{:?}", n.doubts);
        let n = only(ocr(&text.replace("MSC21 15853357", "LIN2391 199246")));
        assert_eq!(n.number, "LIN2391199246");
        assert!(ocr("Your files MSC21 15853357 and LIN2391 199246 are here.").is_empty());
    }

    #[test]
    fn a_dollar_sign_for_the_s_of_src_under_its_label() {
        let text = OCR_ZBO.replace("ZBO02213775665", "$RC2320787301 ");
        let n = only(ocr(&text));
        assert_eq!(n.number, "SRC2320787301");
        assert_eq!(
            n.doubts,
            [Doubt::Repaired {
                position: 0,
                read: '$',
                as_char: 'S'
            }]
        );
    }

    /// Tesseract 5.3 on samples/scans/i797e-rfe-i140-lin-jbig2-300dpi-2pages.pdf page 1.
    const OCR_RFE_I140: &str = "
               Department of Homeland Security                                               Form I-797E, Notice of Action
               U.S. Citizenship and Immigration Services

 Receipt Number                                  Case Type -
 LIN2391 199246                                  1140 - IMMIGRANT PETITION FOR ALIEN WORKER

 Received Date                  Priority Date                  Notice Date                     Page
 02/14/2023                     02/14/2023                     04/24/2023                      1 of2

 Petitioner                                                       Beneficiary  A# 076 558 999
 BLUE HERON BIOLABS INC.                                          KAMINSKY-RUIZ, TEQDORA

    BLUE HERON BIOLABS INC                                             Notice Type: Request for Evidence
";

    #[test]
    fn a_speck_after_a_label_does_not_hide_its_value() {
        for speck in ["-", "|", "_", ".", " -", "~"] {
            let text = OCR_RFE_I140.replace("Case Type -", &format!("Case Type{speck}  "));
            let n = only(ocr(&text));
            assert_eq!(n.case_type.as_deref(), Some("I-140"), "{speck:?}");
            assert_eq!(n.number, "LIN2391199246");
            assert_eq!(n.form.as_deref(), Some("I-797E"));
            assert_eq!(n.priority_date.as_deref(), Some("2023-02-14"));
            // Tesseract was sure of the `Q` in this name: only a person can see it is wrong.
            assert_eq!(n.beneficiary.as_deref(), Some("KAMINSKY-RUIZ, TEQDORA"));
            assert!(n.doubts.is_empty(), "{speck:?}: {:?}", n.doubts);
        }
    }

    /// Tesseract 5.3 on samples/stacks/mailroom-batch-g4-15pages.pdf page 5 (the field region the
    /// pipeline reads; the footer, `Form |-797E 07/11/14`, is further down).
    const OCR_RFE_NO_LETTER: &str = "
               Department of Homeland Security                                              Form 1-797, Notice of Action
  3        I}  U.S. Citizenship and Immigration Services                                                          .

 Receipt Number                                 Case Type
 WAC2402728389                                   1129 - PETITION FOR A NONIMMIGRANT WORKER

             |
 Received Date                  Priority Date                  Notice Date                    Page
 11/08/2023                                                    12/25/2023                     1 of 2

 Petitioner                                                      Beneficiary
 SILVERBIRCH LOGISTICS LLC                                       BRIGHTWATER, YUKI

    SILVERBIRCH LOGISTICS LLC                                         Notice Type: Request for Evidence
";

    #[test]
    fn a_form_letter_lost_by_ocr_is_settled_by_the_notice_type_and_flagged() {
        let n = only(ocr(OCR_RFE_NO_LETTER));
        assert_eq!(n.form.as_deref(), Some("I-797E"));
        assert_eq!(n.doubts, [Doubt::UnclearField("form")]);
        // With the footer read too, it says the same.
        let n = only(ocr(&format!("{OCR_RFE_NO_LETTER}\nForm |-797E 07/11/14\n")));
        assert_eq!(n.form.as_deref(), Some("I-797E"));
        assert_eq!(n.doubts, [Doubt::UnclearField("form")]);
        // A text layer prints what it prints: kept, but flagged.
        let n = only(pdf(OCR_RFE_NO_LETTER));
        assert_eq!(n.form.as_deref(), Some("I-797"));
        assert_eq!(n.doubts, [Doubt::UnclearField("form")]);
        // A letter that disagrees is kept as read, flagged.
        let n = only(ocr(&OCR_RFE_NO_LETTER.replace("1-797,", "I-797D,")));
        assert_eq!(n.form.as_deref(), Some("I-797D"));
        assert_eq!(n.doubts, [Doubt::UnclearField("form")]);
        // An approval may be on I-797, A, B or D: nothing to settle.
        let text = OCR_RFE_NO_LETTER.replace("Request for Evidence", "Approval Notice");
        let n = only(ocr(&text));
        assert_eq!(n.form.as_deref(), Some("I-797"));
        assert!(n.doubts.is_empty(), "{:?}", n.doubts);
    }

    /// Tesseract 5.3 on samples/scans/i797-approval-i130-msc-flate-gray-150dpi-low-contrast.pdf.
    const OCR_LOW_CONTRAST: &str = "
               Department of Homeland Security                                                  Form I-797, Notice of Action
               U.S. Citizenship and Immigration Services

 Receipt Number                                  Case Type
 MSC21 15853357                                   1130 - PETITION FOR ALIEN RELATIVE

 Received Date                   Priority Date                  Notice Date                     Page
 05/11/2021                     05/11/2021.                     01/17/2022                      1 of 1

 Petitioner                                                        Beneficiary  A-045-548-837
 ESPINOZA-LAKE, TEOQDORA                                          OYELARAN, KOFI

    TEODORA ESPINOZA-LAKE                                              Notice Type: Approval Notice
";

    #[test]
    fn a_name_with_a_character_ocr_doubted_is_kept_and_flagged() {
        let page = scored(ocr_page(OCR_LOW_CONTRAST, &[]), "TEOQDORA", 2, 71);
        let n = only(extract_notices(&page));
        assert_eq!(n.number, "MSC2115853357");
        assert_eq!(n.applicant.as_deref(), Some("ESPINOZA-LAKE, TEOQDORA"));
        assert_eq!(n.beneficiary.as_deref(), Some("OYELARAN, KOFI"));
        assert_eq!(n.doubts, [Doubt::UnclearField("applicant")]);
        // Just at the line is not unclear; nor is a doubt about the A-number beside a name.
        let page = scored(
            ocr_page(OCR_LOW_CONTRAST, &[("A-045-548-837", 40)]),
            "TEOQDORA",
            2,
            UNCLEAR_BELOW,
        );
        let n = only(extract_notices(&page));
        assert!(n.doubts.is_empty(), "{:?}", n.doubts);
        // The beneficiary's name, read on the same line as its A-number.
        let text = OCR_LOW_CONTRAST.replace(
            "Beneficiary  A-045-548-837\n ESPINOZA-LAKE, TEOQDORA                                          OYELARAN, KOFI",
            "Beneficiary\n ESPINOZA-LAKE, TEODORA                                           OYELARAN, KOFI  A-045-548-837",
        );
        let page = scored(ocr_page(&text, &[("A-045", 40)]), "KOFI", 1, 80);
        let n = only(extract_notices(&page));
        assert_eq!(n.beneficiary.as_deref(), Some("OYELARAN, KOFI"));
        assert_eq!(n.doubts, [Doubt::UnclearField("beneficiary")]);
        // A text layer has no confidences to doubt.
        assert!(only(pdf(OCR_LOW_CONTRAST)).doubts.is_empty());
    }

    #[test]
    fn text_layer_confidence_is_100_even_with_scores() {
        let mut page = ocr_page(RECEIPT_I130, &[("EAC2190012345", 10)]);
        page.source = TextSource::PdfText;
        let n = only(extract_notices(&page));
        assert_eq!(n.confidence, 100);
        assert!(n.doubts.is_empty());
    }

    #[test]
    fn repairs_need_a_label_or_a_notice() {
        // The same misread on a page that is no notice, with no label: not taken.
        assert!(ocr("Our ref: EAC21900I2345 (see enclosed)").is_empty());
        assert!(ocr("Ref I0E0912345678").is_empty());
        // With a label it is taken and flagged.
        let n = only(ocr("Your receipt number is EAC21900I2345."));
        assert_eq!(n.number, "EAC2190012345");
        assert!(n.needs_review());
        assert!(no_fields(&n));
    }

    #[test]
    fn odd_groupings_need_a_label() {
        assert!(pdf("Ref EAC 2190 012345 attached").is_empty());
        let n = only(pdf("Receipt Number: EAC 2190 012345"));
        assert_eq!(n.number, "EAC2190012345");
    }

    #[test]
    fn a_number_ocr_spaced_out_of_shape_is_flagged() {
        let front = "Receipt Number                       Received Date\n\
                     VSC  21  939 44213                                   10/04/2021\n";
        let n = only(ocr(front));
        assert_eq!(n.number, "VSC2193944213");
        assert!(n.doubts.contains(&Doubt::LooseSpacing), "{:?}", n.doubts);
        // Printed so in a text layer, or spaced as printed: no such doubt.
        assert!(!only(pdf(front)).doubts.contains(&Doubt::LooseSpacing));
        let n = only(ocr(&front.replace("VSC  21  939", "VSC 21 939")));
        assert!(!n.doubts.contains(&Doubt::LooseSpacing), "{:?}", n.doubts);
    }

    #[test]
    fn a_split_number_under_a_garbled_label_is_taken_and_flagged_on_a_notice() {
        // A heavy 300-dpi G4 front: every reading split the number and garbled its label.
        let front = "\
Department of Homeland Security                              Form 1-797B, Notice of Action
U.S. Citizenship and Immigration Services
 RLCLIPT NUMBER                            REC EINE D DALE
 YSC229486 1427                            07°25 2022
";
        let n = only(ocr(front));
        assert_eq!(n.number, "YSC2294861427");
        assert!(n.doubts.contains(&Doubt::SplitUnlabelled), "{:?}", n.doubts);
        // The same text in a PDF text layer, or OCR of a page that is no notice: no number.
        assert!(pdf(front).is_empty());
        assert!(ocr(" RLCLIPT NUMBER      DATE\n YSC229486 1427      07°25 2022\n").is_empty());
        // Under a label it read, the split number is taken as before, unflagged.
        let labelled = front.replace("RLCLIPT NUMBER", "RECEIPT NUMBER");
        assert!(!only(ocr(&labelled)).needs_review());
    }

    #[test]
    fn cover_letter_numbers_are_reported_without_notice_fields() {
        let text = "\
                     Example & Quill LLP
    Immigration Law | 410 Sample Blvd, Suite 900 | Madison, WI 53703 | (608) 555-0117
October 14, 2022

Re: Your family petition - our file 22-0417

Dear Ms. Sample:

We are writing regarding receipt number WAC2290100001, which USCIS assigned
when it received the petition on September 28, 2022. Form I-797C, Notice of Action,
is enclosed. The application for your husband's work permit was received the same week;
its number is
EAC-22-904-00002. Please call us if you move. Beneficiary: DOE, JOHN
";
        let notices = pdf(text);
        assert_eq!(numbers(&notices), ["WAC2290100001", "EAC2290400002"]);
        for n in &notices {
            assert!(no_fields(n), "{n:?}");
            assert!(!n.needs_review(), "{:?}", n.doubts);
            assert_eq!(n.kind, NumberKind::UscisReceipt);
        }
    }

    #[test]
    fn a_labelled_number_in_a_letter_gets_no_notice_fields() {
        let text = "\
Dear Client,
Receipt Number: WAC2290100001
Beneficiary: DOE, JOHN
We will keep you informed.
";
        let n = only(pdf(text));
        assert!(no_fields(&n), "{n:?}");
    }

    #[test]
    fn distractors_are_not_case_numbers() {
        let text = "\
BLUEJAY EXAMPLE COURIER LLC                                          INVOICE
Bill to:                                   Invoice No.         INV2023004417
Example & Vance LLP                        Order number        ORD1234567890
Phone 1-800-375-5283                       Customer ID         C-20931
Tracking 7734 2210 5589 and 1Z999AA10123456784
Serial XEAC2190012345 / EAC21900123456 / EAC2190012345B / 9EAC2190012345
A-Number A012 345 678, USCIS# 000-000-811, A12345678
I-94 Record Number: 277258211B7
";
        assert!(pdf(text).is_empty(), "{:?}", pdf(text));
    }

    const NVC_LETTER: &str = "\
            U.S. Department of State                                        31 Sample Way
            National Visa Center                                            Portsmouth, NH 03801-0001

February 24, 2020

FINN SAMPLE
993 Example Rd

                                               WELCOME LETTER

   NVC Case Number:                 MNL2020547051
   Invoice ID Number:               MNL2020547052
   Petitioner:                      SAMPLE, MATEO
   Beneficiary:                     SAMPLE, FINN
   Preference Category:             F2A - SPOUSE OR CHILD OF A PERMANENT RESIDENT
   Priority Date:                   May 3, 2019

Dear Applicant: The National Visa Center (NVC) has received your approved petition. Please
include your NVC Case Number and Invoice ID Number whenever you contact us.
";

    #[test]
    fn nvc_welcome_letter() {
        let n = only(pdf(NVC_LETTER));
        assert_eq!(n.number, "MNL2020547051");
        assert_eq!(n.kind, NumberKind::NvcCase);
        assert_eq!(n.applicant.as_deref(), Some("SAMPLE, MATEO"));
        assert_eq!(n.beneficiary.as_deref(), Some("SAMPLE, FINN"));
        assert_eq!(n.priority_date.as_deref(), Some("2019-05-03"));
        assert_eq!(n.form, None);
        assert_eq!(n.notice_type, None);
        assert!(!n.needs_review(), "{:?}", n.doubts);
    }

    #[test]
    fn nvc_invoice_id_equal_to_the_case_number_is_one_notice() {
        let text = NVC_LETTER.replace("MNL2020547052", "MNL2020547051");
        let n = only(pdf(&text));
        assert_eq!(n.number, "MNL2020547051");
        // Only the invoice line: nothing at all.
        let text = NVC_LETTER.replace("   NVC Case Number:                 MNL2020547051\n", "");
        assert!(pdf(&text).is_empty());
    }

    #[test]
    fn nvc_labels_take_unknown_post_codes_and_flag_odd_digits() {
        let n = only(pdf(
            "National Visa Center\nNVC Case Number: QQQ2021560001\n",
        ));
        assert_eq!(n.number, "QQQ2021560001");
        assert_eq!(n.kind, NumberKind::NvcCase);
        assert!(!n.needs_review());
        let n = only(pdf(
            "National Visa Center\nNVC Case Number: QQQ2190012345\n",
        ));
        assert_eq!(n.doubts, [Doubt::NotNvcPattern]);
    }

    #[test]
    fn shared_prefix_without_a_label_is_ambiguous() {
        let n = only(pdf("Please see JAK2015601004 for details."));
        assert_eq!(n.kind, NumberKind::NvcCase);
        // Also a field-office prefix with no label on a plain page.
        assert_eq!(n.doubts, [Doubt::AmbiguousKind, Doubt::Unlabelled]);
        // On an NVC letter the page says which, but only the structure backs it.
        let n = only(pdf(
            "National Visa Center\nPlease see JAK2015601004 for details.",
        ));
        assert_eq!(n.kind, NumberKind::NvcCase);
        assert_eq!(n.doubts, [Doubt::AmbiguousKind]);
        // With a USCIS-only structure it is a receipt number.
        let n = only(pdf("Your case number is JAK2190012345."));
        assert_eq!(n.kind, NumberKind::UscisReceipt);
        assert!(!n.needs_review(), "{:?}", n.doubts);
        // A label settles it.
        let n = only(pdf("NVC Case Number: JAK2015601004"));
        assert_eq!(n.kind, NumberKind::NvcCase);
        assert!(!n.needs_review());
    }

    #[test]
    fn a_confusable_capital_in_a_scanned_prefix_is_a_flagged_repair() {
        let text = "Department of Homeland Security          I-797, Notice of Action\n\
                    Receipt      IGE 09 026 50868        Notice Date    09/21/2015\n";
        let notices = ocr(text);
        assert_eq!(numbers(&notices), ["IOE0902650868"]);
        assert!(notices[0].needs_review());
        // A text layer prints what it prints.
        assert!(pdf(text).is_empty());
        // On a page that is no notice, an unlabelled repair is not taken.
        assert!(ocr("Order IGE 09 026 50868\n").is_empty());
    }

    #[test]
    fn a_tear_off_repeating_the_number_does_not_cut_the_notice_short() {
        let page = "U.S. DEPARTMENT OF HOMELAND SECURITY                     NOTICE OF ACTION\n\
                    Receipt Number:    SRC2103256073\n\
                    Case Type:         I539 APPLICATION TO EXTEND/CHANGE NONIMMIGRANT STATUS\n\
                    Notice Date:       07/26/2022\n\
                    Notice Type: Approval Notice\n\
                    Please tear off this bottom part and keep it with your Form I-94.\n\
                    Receipt #  SRC2103256073         I-94 #      345960769M3\n\
                    Name       TAKAHARA, AUGUSTIN    Date of birth  11/01/1967\n\
                    TEXAS SERVICE CENTER\n\
                    Form I-797A 07/11/14\n";
        let n = only(pdf(page));
        assert_eq!(n.form.as_deref(), Some("I-797A"));
        assert_eq!(n.notice_date.as_deref(), Some("2022-07-26"));
        // Two different numbers still part the page between them.
        let stack = "Form I-797C, Notice of Action\nReceipt Number: EAC2190012345\n\
                     Notice Type: Receipt Notice\n\
                     Form I-797, Notice of Action\nReceipt Number: WAC2190012345\n\
                     Notice Type: Approval Notice\n";
        let notices = pdf(stack);
        assert_eq!(notices[0].form.as_deref(), Some("I-797C"));
        assert_eq!(notices[1].form.as_deref(), Some("I-797"));
    }

    #[test]
    fn codes_labelled_as_other_identifiers_on_a_plain_page_are_not_numbers() {
        let page = "LAW OFFICE OF R. SANTAMARIA\nAttorney invoice\nMatter No.:   MTR7781200345\n\
                    Client ID:    CLT3482786938\nRe: receipt number WAC2290112233\n\
                    Our file: SAC6248006026\n";
        assert_eq!(numbers(&pdf(page)), ["WAC2290112233"]);
        // A service center's number stays, whatever precedes it.
        assert_eq!(
            numbers(&pdf("Our file: EAC2290455120\n")),
            ["EAC2290455120"]
        );
        // On a notice the page vouches for its codes.
        let notice = "Form I-797C, Notice of Action\nReceipt Number   Case Type\n\
                      NYC2311100005    I485\nFile: NYC2311100005\n";
        assert_eq!(numbers(&pdf(notice)), ["NYC2311100005"]);
    }

    #[test]
    fn field_office_prefixes_without_a_label_on_a_plain_page_are_flagged() {
        let n = only(pdf("Matter LAW2024001234 opened"));
        assert_eq!(n.number, "LAW2024001234");
        assert_eq!(n.doubts, [Doubt::Unlabelled]);
        let n = only(pdf("Matter ZNY956557652 opened"));
        assert_eq!(n.doubts, [Doubt::Unlabelled]);
        // A service center's number is fine anywhere.
        assert!(!only(pdf("Matter WAC2290100001 opened")).needs_review());
        // So is a field office's with a label.
        assert!(!only(pdf("Receipt Number: NYC2311100005")).needs_review());
    }

    #[test]
    fn a_number_repeated_on_a_page_is_one_notice() {
        let n = only(pdf(RECEIPT_I130));
        assert_eq!(n.number, "EAC2190012345");
    }

    #[test]
    fn two_notices_on_one_page() {
        let second = RECEIPT_I130
            .replace("EAC2190012345", "EAC2190012346")
            .replace(
                "I130 - PETITION FOR ALIEN RELATIVE",
                "I485 - APPLICATION TO REGISTER PERMANENT RESIDENCE",
            )
            .replace("01/20/2021", "01/21/2021")
            .replace("DOE, JOHN", "ROE, JOHN");
        let text = format!("{RECEIPT_I130}\n{second}");
        let notices = pdf(&text);
        assert_eq!(numbers(&notices), ["EAC2190012345", "EAC2190012346"]);
        assert_eq!(notices[0].case_type.as_deref(), Some("I-130"));
        assert_eq!(notices[1].case_type.as_deref(), Some("I-485"));
        assert_eq!(notices[0].notice_date.as_deref(), Some("2021-01-20"));
        assert_eq!(notices[1].notice_date.as_deref(), Some("2021-01-21"));
        assert_eq!(notices[0].beneficiary.as_deref(), Some("DOE, JOHN"));
        assert_eq!(notices[1].beneficiary.as_deref(), Some("ROE, JOHN"));
        assert!(notices.iter().all(|n| n.form.as_deref() == Some("I-797C")));
        assert!(notices.iter().all(|n| !n.needs_review()));
    }

    #[test]
    fn other_numbers_in_a_notice_body_get_no_fields() {
        let text = RECEIPT_I130.replace(
            "the receipt number to ask about your case.",
            "the receipt number to ask about your case. Related: EAC2190012399.",
        );
        let notices = pdf(&text);
        assert_eq!(numbers(&notices), ["EAC2190012345", "EAC2190012399"]);
        assert_eq!(notices[0].case_type.as_deref(), Some("I-130"));
        assert!(no_fields(&notices[1]));
    }

    #[test]
    fn the_only_number_on_a_notice_page_gets_the_fields_without_its_label() {
        // OCR lost the label entirely; the header says it is a notice.
        let text = RECEIPT_I130.replace(" Receipt Number   ", " R@c#!pt Nvm8er   ");
        let n = only(ocr(&text));
        assert_eq!(n.number, "EAC2190012345");
        assert_eq!(n.form.as_deref(), Some("I-797C"));
        assert_eq!(n.case_type.as_deref(), Some("I-130"));
    }

    #[test]
    fn a_date_that_does_not_read_is_left_empty_with_its_reason() {
        let text = RECEIPT_I130.replace("01/20/2021", "02/30/2021");
        let n = only(pdf(&text));
        assert_eq!(n.notice_date, None);
        assert_eq!(n.doubts, [Doubt::UnreadField("notice_date")]);
        assert!(!n.needs_review());
        // A date given but read with a doubt holds the row.
        let mut doubtful = n.clone();
        doubtful.doubts = vec![Doubt::UnclearField("notice_date")];
        assert!(doubtful.needs_review());
    }

    #[test]
    fn the_page_box_is_not_a_date() {
        let n = only(pdf(RECEIPT_I130));
        assert_ne!(n.notice_date.as_deref(), Some("2024-01-01"));
        assert!(n.doubts.is_empty());
    }

    #[test]
    fn asylum_notice_with_nine_digits_and_crlf() {
        let text = "\
Form I-797C, Notice of Action\r
 Receipt Number                                    Case Type\r
 ZNY956500001                                      I589 - APPLICATION FOR ASYLUM AND FOR WITHHOLDING OF REMOVAL\r
 Applicant   A137409107\r
 NOON, FINN\r
";
        let n = only(pdf(text));
        assert_eq!(n.number, "ZNY956500001");
        assert_eq!(n.case_type.as_deref(), Some("I-589"));
        assert_eq!(n.a_number.as_deref(), Some("A137409107"));
        assert_eq!(n.applicant.as_deref(), Some("NOON, FINN"));
        assert!(!n.needs_review(), "{:?}", n.doubts);
    }

    #[test]
    fn account_number_when_labelled() {
        let text = RECEIPT_I130.replace(
            "     ANYTOWN TX 75001",
            "     ANYTOWN TX 75001                                      USCIS Online Account Number: 1034 1272 4248",
        );
        let n = only(pdf(&text));
        assert_eq!(n.account_number.as_deref(), Some("103412724248"));
    }

    #[test]
    fn empty_and_blank_pages() {
        assert!(pdf("").is_empty());
        assert!(pdf("\n\n   \n\u{c}").is_empty());
        assert!(ocr("Form I-797E, Notice of Action\nPage 2 of 2\nEVIDENCE REQUESTED\n").is_empty());
    }

    /// Arbitrary text (multi-byte characters, label words, number-like runs) and confidence
    /// vectors of any length never make extraction panic, and what it returns keeps its contract.
    #[test]
    fn arbitrary_text_never_panics() {
        const PIECES: &[&str] = &[
            "EAC",
            "2190012345",
            "I0E",
            "l2345",
            " ",
            "  ",
            "      ",
            "\n",
            "\r\n",
            "\t",
            "-",
            "*",
            "Receipt Number",
            "Recei t Nurnber",
            "Case Type",
            "Notice Date",
            "Page 1 of 1",
            "Beneficiary",
            "Applicant",
            "A#",
            "A012 345 678",
            "Form I-797C, Notice of Action",
            "NVC Case Number:",
            "Invoice ID Number",
            "ZNY",
            "JAK",
            "2015601004",
            "01/15/2021",
            "02/30/2021",
            "Wednesday, March 4, 2020",
            "Valid from",
            " to ",
            "ſun",
            "\u{212a}",
            "García",
            "Ñ",
            "–",
            "\u{a0}",
            "|",
            "O",
            "S",
            "B",
            ":",
            "DOE, JANE",
            "\u{c}",
            "USCIS Online Account Number",
            "1034 1272 4248",
            "I130 -",
            "ii30",
            "Notice Type:",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..3000 {
            let count = (next() % 60) as usize;
            let text: String = (0..count)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let chars = text.chars().count();
            let len = match round % 3 {
                0 => chars,
                1 => chars / 2,
                _ => chars + 5,
            };
            let page = PageText {
                text,
                source: TextSource::Ocr,
                char_confidence: Some((0..len).map(|_| (next() % 120) as u8).collect()),
            };
            for n in extract_notices(&page) {
                assert!(n.number.len() == 12 || n.number.len() == 13, "{n:?}");
                assert!(n.number[..3].bytes().all(|b| b.is_ascii_uppercase()));
                assert!(n.number[3..].bytes().all(|b| b.is_ascii_digit()));
                assert!(n.confidence <= 100);
                if let Some(a) = &n.a_number {
                    assert_eq!(a.len(), 10);
                }
            }
            extract_notices(&PageText::from_pdf_text(page.text));
        }
    }

    #[test]
    fn doubts_read_as_messages() {
        let messages: Vec<String> = [
            Doubt::Unlabelled,
            Doubt::NotNvcPattern,
            Doubt::UnclearField("notice_date"),
            Doubt::NearDuplicate {
                of: "EAC2190012345".into(),
            },
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert!(messages[0].contains("not labelled"));
        assert!(messages[1].contains("NVC pattern"));
        assert_eq!(messages[2], "notice_date could not be read with confidence");
        assert!(messages[3].starts_with("differs from EAC2190012345"));
    }
}
pub mod page_kind;
