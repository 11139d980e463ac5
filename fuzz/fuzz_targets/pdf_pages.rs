//! Fuzz target: any bytes opened as a PDF, and its first pages read (text layer, page picture,
//! the renderer's work budget, rendering). Nothing may panic, hang or blow up memory (run it
//! with `-rss_limit_mb`), and every page picture must keep the contract the OCR stage relies on.
//!
//! `PdfDocument::page` and the renderer catch panics, which would hide them; libfuzzer-sys's panic
//! hook aborts before any unwinding, so a panic anywhere is still a crash here. The error-text
//! check below is a second line in case that ever changes.

#![no_main]

use std::sync::Arc;

use i797_read::sniff::FileKind;
use i797_read::source::{self, ImageData, PageContent, PageImage, PixelFormat};
use libfuzzer_sys::fuzz_target;

/// Pages read per input: enough to reach the second and later pages' code paths.
const MAX_PAGES: usize = 8;

/// The largest picture the reader may hand on (`MAX_BILEVEL_PIXELS` in `source/pdf/images`).
const MAX_PICTURE_PIXELS: u64 = 40_000_000;

fuzz_target!(|data: &[u8]| {
    let bytes: Arc<[u8]> = Arc::from(data);
    let document = match source::open(FileKind::Pdf, bytes) {
        Ok(document) => document,
        Err(error) => {
            check_error(&error.to_string());
            return;
        }
    };
    let _ = document.damage();
    assert!(document.page_count() > 0, "an opened PDF has pages");
    for index in 0..document.page_count().min(MAX_PAGES) {
        match document.page(index) {
            Ok(PageContent::Text(text)) => assert!(text.char_confidence.is_none()),
            Ok(PageContent::Image(image)) => check_picture(&image),
            Ok(PageContent::Blank) => {}
            Err(error) => check_error(&error.to_string()),
        }
    }
    assert!(document.page(document.page_count()).is_err());
});

/// A caught panic surfaces as one of these messages; a page the renderer was not asked to draw
/// (its work budget, `source/pdf/images/work.rs`) must say which limit it passed.
fn check_error(message: &str) {
    for caught in [
        "the PDF reader failed",
        "the PDF parser failed",
        "the renderer failed on it",
    ] {
        assert!(!message.contains(caught), "caught panic: {message}");
    }
    if message.contains("was not drawn") {
        assert!(message.contains("(the limit is "), "no limit named: {message}");
    }
}

fn check_picture(image: &PageImage) {
    assert!(
        image.quarter_turns < 4,
        "quarter turns {}",
        image.quarter_turns
    );
    match &image.pixels {
        ImageData::Encoded { bytes, .. } => assert!(!bytes.is_empty()),
        ImageData::Raw(raw) => {
            let (w, h) = (raw.width as usize, raw.height as usize);
            assert!(w > 0 && h > 0, "empty picture {w}×{h}");
            assert!(
                (w as u64) * (h as u64) <= MAX_PICTURE_PIXELS,
                "picture of {w}×{h} pixels"
            );
            let stride = match raw.format {
                PixelFormat::Bilevel => w.div_ceil(8),
                PixelFormat::Gray8 => w,
                PixelFormat::Rgb8 => w * 3,
            };
            assert_eq!(
                raw.data.len(),
                stride * h,
                "{:?} picture {w}×{h} has {} bytes",
                raw.format,
                raw.data.len()
            );
        }
    }
}
