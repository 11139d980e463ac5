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

    /// Reads `image` again as [`Recognizer::read`] does, the careful and slower way, after the
    /// fast reading gave no number it was sure of, or a number from a coarse scan
    /// ([`OcrPage::coarse`]). `None` when the recogniser has no other way
    /// for this picture (only black-and-white scans have one: read as soft-edged grey).
    fn read_carefully(
        &mut self,
        image: &PageImage,
        enough: &dyn Fn(&PageText) -> bool,
    ) -> Result<Option<OcrPage>, OcrError> {
        let _ = (image, enough);
        Ok(None)
    }

    /// Reads part of `image` again, several other ways, after [`Recognizer::read`] (which turned
    /// the page `turned` quarters) and the careful reading left a number in doubt or found none: `around`, the lines where
    /// a number in doubt was read, when it is known, otherwise the part of the page that holds a
    /// notice's number. One reading per way, each independent of the others, so the caller can
    /// trust only what several of them agree on. Empty when the recogniser has no other way.
    fn read_again(
        &mut self,
        image: &PageImage,
        turned: u8,
        around: Option<Rows>,
    ) -> Result<Vec<OcrPage>, OcrError> {
        let _ = (image, turned, around);
        Ok(Vec::new())
    }

    /// Reads the part of `image` that holds a notice's number (as [`Recognizer::read_again`]
    /// does without `around`) once more, closer (enlarged), after all the readings so far
    /// disputed a number. Empty when the recogniser has no such way.
    fn read_closer(&mut self, image: &PageImage, turned: u8) -> Result<Vec<OcrPage>, OcrError> {
        let _ = (image, turned);
        Ok(Vec::new())
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
    /// Where each line of `text` is on the upright page: its top and bottom as fractions of the
    /// page's height (`None` for an empty line). Empty when the recogniser does not say.
    pub line_rows: Vec<Option<Rows>>,
    /// The picture was a black-and-white scan coarser than Tesseract reads reliably (one was
    /// misread at 98% confidence), so no number read from it is taken unchecked. Set by
    /// [`Recognizer::read`] only: it is the fast reading that decides what is checked.
    pub coarse: bool,
}

/// A horizontal band of a page: its top and bottom as fractions (0–1) of the page's height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rows {
    pub top: f32,
    pub bottom: f32,
}

impl OcrPage {
    /// A reading with no line positions.
    pub fn new(text: PageText, turned: u8) -> OcrPage {
        OcrPage {
            text,
            turned,
            line_rows: Vec::new(),
            coarse: false,
        }
    }
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
pub mod neural;
pub mod tesseract;
