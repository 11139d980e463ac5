//! OCR stage: reads a page image into [`PageText`] with per-character confidences.
//!
//! The pipeline only sees the [`Recognizer`] trait, so it can run with a fake in tests; the real
//! one is Tesseract through leptess, one engine per worker thread, created once and reused.

use crate::extract::PageText;
use crate::source::PageImage;

/// Reads page images. One value per worker thread; never shared between threads.
pub trait Recognizer {
    /// Reads `image`. Implementations read the part of the page that holds a notice's fields
    /// first and call `enough` on that text; they read the rest of the page only when it
    /// returns `false`. The returned text covers everything that was read.
    fn read(
        &mut self,
        image: &PageImage,
        enough: &dyn Fn(&PageText) -> bool,
    ) -> Result<OcrPage, OcrError>;

    /// Reads the field region of `image` again, another way, after [`Recognizer::read`] (which
    /// turned the page `turned` quarters) found no case number on a page that looks like a
    /// notice. `None` when the recogniser has no other way.
    fn read_again(&mut self, image: &PageImage, turned: u8) -> Result<Option<OcrPage>, OcrError> {
        let _ = (image, turned);
        Ok(None)
    }
}

/// Gives each worker thread its own recogniser, created once and reused for every page.
pub trait RecognizerSource: Sync {
    fn with_recognizer<T>(
        &self,
        work: impl FnOnce(&mut dyn Recognizer) -> T,
    ) -> Result<T, OcrError>;
}

/// What OCR made of one page.
#[derive(Clone, Debug)]
pub struct OcrPage {
    pub text: PageText,
    /// Clockwise quarter turns the engine applied to read the page upright (0 when it was).
    pub turned: u8,
}

/// Why a page could not be read by OCR.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("image could not be decoded: {0}")]
    Decode(String),
    #[error("image is too large to read safely ({width}×{height} pixels)")]
    TooLarge { width: u64, height: u64 },
    #[error("image is too small or too thin to hold text ({width}×{height} pixels)")]
    TooSmall { width: u32, height: u32 },
    #[error("OCR engine failed: {0}")]
    Engine(String),
    #[error(
        "Tesseract language data '{lang}' not found in {searched}; install tesseract-ocr-{lang} or pass --tessdata"
    )]
    MissingLanguageData { lang: String, searched: String },
}

pub mod fake;
pub mod layout;
pub mod tesseract;
