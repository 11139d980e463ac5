//! Documents that are no notice: what a card, a visa foil or a handout page is,
//! and, for a card, its card number (`IOE…`, `SRC…`: the receipt shape, but the number of the card
//! as a document, never a case number).
//!
//! Invariant: nothing here makes a case row; `extract_notices` gives no notice for such a page
//! (see `page_kind::is_no_notice_document`), and the row this gives says what the page is.

use crate::layout::Layout;
use crate::number::prefix;
use crate::number::prefixes::is_uscis_prefix;
use crate::number::receipt;
use crate::page_kind::{PageKind, page_kind};
use crate::{Doubt, PageText, TextSource, UNCLEAR_BELOW};

/// A page that is no notice and prints numbers that could pass for case numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherDocument {
    pub kind: PageKind,
    /// On a card: its card number, as read.
    pub card_number: Option<CardNumber>,
}

/// A card's number: 3 letters (the office that made the card) and 10 digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardNumber {
    pub number: String,
    /// 0–100, as a notice's: 100 for a text layer, the lowest character confidence for OCR.
    pub confidence: u8,
    /// Repairs of OCR confusions, and characters read with little confidence.
    pub doubts: Vec<Doubt>,
}

impl OtherDocument {
    /// What the page is, in words for the row's message.
    pub fn description(&self) -> &'static str {
        match self.kind {
            PageKind::EadCard => "an Employment Authorization Document (EAD card)",
            PageKind::GreenCard => "a Permanent Resident Card (green card)",
            PageKind::VisaFoil => "a U.S. visa foil",
            PageKind::Handout => "a handout that prints example receipt numbers",
            _ => "a document that is no notice",
        }
    }

    /// Whether the card number may be misread.
    pub fn needs_review(&self) -> bool {
        self.card_number
            .as_ref()
            .is_some_and(|card| !card.doubts.is_empty())
    }
}

/// The document `page` is, when it is a card, a visa foil or a handout; `None` for a notice, an
/// NVC letter or any other page.
pub fn other_document(page: &PageText) -> Option<OtherDocument> {
    let kind = page_kind(page);
    let card = match kind {
        PageKind::EadCard | PageKind::GreenCard => true,
        PageKind::VisaFoil | PageKind::Handout => false,
        _ => return None,
    };
    Some(OtherDocument {
        kind,
        card_number: card.then(|| card_number(page)).flatten(),
    })
}

/// The card number: the receipt-shaped number with a USCIS office's prefix on a line that names
/// the card number (`Card#`, `Card No.`), else the only such number on the page.
fn card_number(page: &PageText) -> Option<CardNumber> {
    let layout = Layout::new(&page.text);
    let ocr = page.source == TextSource::Ocr;
    let mut found: Vec<(bool, CardNumber)> = Vec::new();
    for reading in receipt::scan(&layout) {
        if reading.extra.is_some() {
            continue;
        }
        let Some(canonical) = reading.canonical(false) else {
            continue;
        };
        if !is_uscis_prefix(prefix(&canonical.number)) || (!ocr && !canonical.repairs.is_empty()) {
            continue;
        }
        let line = layout.line_text(reading.line).to_ascii_lowercase();
        let labelled =
            line.contains("card#") || line.contains("card #") || line.contains("card no");
        let scores: Vec<u8> = reading
            .positions
            .iter()
            .map(|&p| match (&page.char_confidence, ocr) {
                (Some(c), true) => c.get(p).copied().unwrap_or(100).min(100),
                _ => 100,
            })
            .collect();
        let unclear: Vec<usize> = (0..scores.len())
            .filter(|&k| scores[k] < UNCLEAR_BELOW)
            .collect();
        let mut doubts = canonical.repairs;
        if !unclear.is_empty() {
            doubts.push(Doubt::Unclear { positions: unclear });
        }
        let card = CardNumber {
            number: canonical.number,
            confidence: scores.iter().copied().min().unwrap_or(100),
            doubts,
        };
        if !found.iter().any(|(_, c)| c.number == card.number) {
            found.push((labelled, card));
        }
    }
    if let Some(at) = found.iter().position(|(labelled, _)| *labelled) {
        return Some(found.swap_remove(at).1);
    }
    (found.len() == 1).then(|| found.remove(0).1)
}

#[cfg(test)]
mod tests;
