//! Fuzz target: any bytes as an image file — sniffed, opened (headers only: TIFF directories,
//! EXIF, PNG/BMP/GIF/WebP/JPEG 2000 headers), every page listed, and each picture decoded and
//! prepared by the OCR stage's Leptonica code (no Tesseract: too slow to fuzz). Nothing may
//! panic, crash, hang or blow up memory.

#![no_main]

use std::sync::Arc;

use i797_read::ocr::tesseract::fuzz_decode;
use i797_read::sniff::{FileKind, SNIFF_LEN, sniff};
use i797_read::source::{self, PageContent};
use libfuzzer_sys::fuzz_target;

/// Pages decoded per input (a TIFF may list thousands).
const MAX_PAGES: usize = 4;

fuzz_target!(|data: &[u8]| {
    let kind = sniff(&data[..data.len().min(SNIFF_LEN)]);
    if matches!(kind, FileKind::Pdf | FileKind::Other(_)) {
        return;
    }
    let Ok(document) = source::open(kind, Arc::from(data)) else {
        return;
    };
    assert!(document.page_count() > 0, "an opened image has pages");
    for index in 0..document.page_count() {
        match document.page(index) {
            Ok(PageContent::Image(image)) => {
                assert!(image.quarter_turns < 4);
                if index < MAX_PAGES {
                    let _ = fuzz_decode(&image);
                }
            }
            Ok(other) => panic!("image page {index} read as {other:?}"),
            Err(_) => {}
        }
    }
});
