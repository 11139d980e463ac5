//! Fuzz target: any text through the extraction core, as a PDF text layer or as OCR text with
//! per-character confidences. Nothing may panic, and every notice must be well formed.
//!
//! Input layout: the first byte picks the source (odd: OCR); the text is the rest up to the first
//! 0xFF byte (never valid UTF-8, so it cannot occur inside the text), read as lossy UTF-8; the
//! bytes after it give the confidences of the text's characters in order (value % 101), 100 for
//! the characters past their end.

#![no_main]

use i797_core::page_kind::page_kind;
use i797_core::{Doubt, NumberKind, PageText, TextSource, extract_notices};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (text, tail) = match rest.iter().position(|&b| b == 0xFF) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let text = String::from_utf8_lossy(text).into_owned();
    let page = if mode & 1 == 1 {
        let confidence = (0..text.chars().count())
            .map(|i| tail.get(i).map_or(100, |b| b % 101))
            .collect();
        PageText {
            text,
            source: TextSource::Ocr,
            char_confidence: Some(confidence),
        }
    } else {
        PageText::from_pdf_text(text)
    };

    let _ = page_kind(&page);
    for notice in extract_notices(&page) {
        let number = &notice.number;
        let bytes = number.as_bytes();
        assert!(
            (12..=13).contains(&bytes.len())
                && bytes[..3].iter().all(u8::is_ascii_uppercase)
                && bytes[3..].iter().all(u8::is_ascii_digit),
            "malformed number {number:?}"
        );
        if notice.kind == NumberKind::NvcCase {
            assert_eq!(bytes.len(), 13, "NVC case number {number:?}");
        }
        assert!(notice.confidence <= 100, "confidence {}", notice.confidence);
        if page.source == TextSource::PdfText {
            assert_eq!(notice.confidence, 100, "text-layer confidence for {number}");
        }
        for doubt in &notice.doubts {
            let _ = doubt.to_string();
            match doubt {
                Doubt::Repaired {
                    position, as_char, ..
                } => {
                    assert!(*position < bytes.len(), "{doubt:?} in {number}");
                    assert_eq!(bytes[*position] as char, *as_char, "{doubt:?} in {number}");
                }
                Doubt::Unclear { positions } => {
                    assert!(!positions.is_empty(), "{doubt:?} in {number}");
                    assert!(
                        positions.iter().all(|&p| p < bytes.len()),
                        "{doubt:?} in {number}"
                    );
                }
                _ => {}
            }
        }
    }
});
