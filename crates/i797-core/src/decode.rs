//! The number decoder over a whole page: every case number read on it, which of them are
//! notices (labelled, or the one number of a notice page), their fields attached and their doubts
//! settled. Pure: page text in, notices out.

use crate::confusions;
use crate::layout::{Evidence, LabelKind, Layout};
use crate::number::prefixes;
use crate::number::receipt::{self, Reading};
use crate::number::{PREFIX_LETTERS, prefix};
use crate::nvc::{self, LabelSays, PageSays};
use crate::{Doubt, Notice, NoticeFields, NumberKind, PageText, TextSource, fields, page_kind};
use fields::date_checks;
use std::ops::Range;

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
    let kept = without_splits(&chars, kept);
    PageText {
        text: kept.iter().map(|&k| chars[k]).collect(),
        source: crop.source,
        char_confidence: crop
            .char_confidence
            .as_ref()
            .map(|conf| kept.iter().map(|&k| conf[k]).collect()),
    }
}

/// `kept` (indices into `chars`) without the spaces a recogniser put inside the crop's number
/// (`NY C2311188905`, `YSC2209854 706`): a space between two runs of letters and digits (or
/// what the confusion table reads for them) that together
/// are as long as a number and mostly digits. Runs longer together (`1 NBC2291220866`: a box
/// edge read as `1`), or words, keep their space.
fn without_splits(chars: &[char], kept: Vec<usize>) -> Vec<usize> {
    let piece = |k: &&usize| confusions::may_stand_for_alphanumeric(chars[**k]);
    let is_split = |at: usize| {
        if chars[kept[at]] != ' ' {
            return false;
        }
        let before = kept[..at].iter().rev().take_while(piece);
        let after = kept[at + 1..].iter().take_while(piece);
        let (length, digits) = before.chain(after).fold((0, 0), |(n, d), &k| {
            (n + 1, d + usize::from(chars[k].is_ascii_digit()))
        });
        let both_sides =
            at > 0 && at + 1 < kept.len() && piece(&&kept[at - 1]) && piece(&&kept[at + 1]);
        both_sides && NUMBER_LENGTHS.contains(&length) && digits >= NUMBER_LENGTHS[0] - 3
    };
    (0..kept.len())
        .filter(|&at| !is_split(at))
        .map(|at| kept[at])
        .collect()
}

/// Characters of a case number: three letters and ten digits, or a legacy nine.
const NUMBER_LENGTHS: [usize; 2] = [12, 13];

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
            && !prefixes::is_service_center(prefix(&canonical.number))
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
            && !prefixes::is_service_center(prefix(&f.number))
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
        && reading.positions[PREFIX_LETTERS..]
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
        let read = fields::read_fields(layout, &lines, ocr);
        let linked_receipt = n.fields.linked_receipt.take();
        n.fields = NoticeFields {
            linked_receipt,
            ..read.fields
        };
        n.doubts.extend(read.doubts);
        if n.kind == NumberKind::NvcCase {
            let (invoice_id, bad) = nvc::invoice_id(layout, &lines);
            if bad && invoice_id.is_none() {
                n.doubts.push(Doubt::UnreadField("invoice_id"));
            }
            n.fields.invoice_id = invoice_id;
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
            fields: NoticeFields::default(),
            confidence: 100,
            doubts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
