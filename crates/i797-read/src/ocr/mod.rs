//! OCR stage: reads a page image into [`PageText`] with per-character confidences.
//!
//! Two independent recognisers: the first ([`Recognizer`], Tesseract through leptess, one engine
//! per worker thread) reads every page; the second ([`SecondReader`], the neural reader, shared)
//! checks each number the first read, and reads the field region where the first found none.
//! Which reads what, and what counts as sure, is decided in one place: [`policy`]. Both traits
//! have fakes ([`fake`]) so the policy and the pipeline are tested without either engine.

use std::sync::Arc;

use image::GrayImage;

use crate::source::PageImage;
use i797_core::PageText;
use layout::Word;

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

    /// Reads `area` of `picture` (a page as [`Recognizer::read`] gave it in [`OcrPage::picture`])
    /// as one line of text: how the other reader's number is checked. Words in `picture`'s
    /// pixels; empty when the recogniser has no such way.
    fn read_area(&mut self, picture: &GrayImage, area: Area) -> Result<Vec<Word>, OcrError> {
        let _ = (picture, area);
        Ok(Vec::new())
    }
}

/// The second recogniser, independent of the first: one for all workers (it reads with `&self`).
pub trait SecondReader: Send + Sync {
    /// Reads `area` of `picture` as one line of text; words in `picture`'s pixels.
    fn read_area(&self, picture: &GrayImage, area: Area) -> Result<Vec<Word>, OcrError>;

    /// Finds the text lines in `area` of `picture` and reads each; words in `picture`'s pixels.
    fn find_and_read(&self, picture: &GrayImage, area: Area) -> Result<Vec<Word>, OcrError>;
}

/// A rectangle of a picture, in its pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Area {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

impl Area {
    /// The whole of a `width` × `height` picture.
    pub fn whole(width: u32, height: u32) -> Area {
        Area {
            left: 0,
            top: 0,
            width,
            height,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }
}

/// Gives each worker thread its own recogniser, created once and reused for every page.
pub trait RecognizerSource: Sync {
    fn with_recognizer<T>(
        &self,
        work: impl FnOnce(&mut dyn Recognizer) -> T,
    ) -> Result<T, OcrError>;
}

impl<T: RecognizerSource> RecognizerSource for &T {
    fn with_recognizer<R>(
        &self,
        work: impl FnOnce(&mut dyn Recognizer) -> R,
    ) -> Result<R, OcrError> {
        (**self).with_recognizer(work)
    }
}

/// What OCR made of one page.
#[derive(Clone, Debug)]
pub struct OcrPage {
    pub text: PageText,
    /// Clockwise quarter turns the engine applied to read the page upright (0 when it was).
    pub turned: u8,
    /// The words `text` was laid out from, in `picture`'s pixels.
    pub words: Vec<Word>,
    /// The page as it was read: flat, upright, prepared. The other reader reads parts of this
    /// same picture, so both see the same pixels. `None` when the recogniser does not keep it.
    pub picture: Option<Arc<GrayImage>>,
}

impl OcrPage {
    /// A reading of `words` on `picture`, laid out as text.
    pub fn of_words(words: Vec<Word>, turned: u8, picture: Option<Arc<GrayImage>>) -> OcrPage {
        OcrPage {
            text: layout::build(&words),
            turned,
            words,
            picture,
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

mod areas;
pub mod fake;
pub mod layout;
pub mod neural;
mod one_line;
pub mod policy;
pub mod tesseract;
