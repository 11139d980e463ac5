//! Page texts for the extraction tests: OCR text with the confidences a recogniser would give.

use crate::{PageText, TextSource};

/// OCR text where every character was read at 96, except the first occurrence of each
/// `(needle, score)` pair, read at `score`.
pub(crate) fn ocr_page(text: &str, low: &[(&str, u8)]) -> PageText {
    let mut scores: Vec<u8> = text
        .chars()
        .map(|c| if c.is_whitespace() { 100 } else { 96 })
        .collect();
    for (needle, score) in low {
        let byte = text.find(needle).expect("needle in text");
        let first = text[..byte].chars().count();
        for s in &mut scores[first..first + needle.chars().count()] {
            *s = *score;
        }
    }
    PageText {
        text: text.to_string(),
        source: TextSource::Ocr,
        char_confidence: Some(scores),
    }
}
