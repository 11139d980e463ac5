//! Reading stage: turns one file's bytes into pages, each either text (a PDF text layer) or an
//! image to OCR. Opening a document is cheap; pages are produced one at a time on demand, so a
//! thousand-page PDF never holds more than the pages being worked on.

use std::sync::Arc;

use crate::sniff::FileKind;
use i797_core::PageText;

pub mod heif;
pub mod image;
pub mod pdf;

/// One page, as the reading stage hands it on.
#[derive(Debug)]
pub enum PageContent {
    /// The page has a usable text layer; no OCR needed.
    Text(PageText),
    /// The page is a picture (a scan, a photo): OCR must read it.
    Image(PageImage),
    /// Nothing to read: a blank page, or one with neither text nor a picture.
    Blank,
}

/// A page picture, as close to the file's own bytes as possible so the OCR stage decodes it once.
#[derive(Clone, Debug)]
pub struct PageImage {
    pub pixels: ImageData,
    /// Clockwise quarter turns that bring the picture upright as the file says it should be shown
    /// (PDF `/Rotate`, JPEG EXIF orientation). The OCR stage may still detect other orientations.
    pub quarter_turns: u8,
    /// Scan resolution in dots per inch when the file tells it (PDF placement, TIFF/JPEG tags).
    pub dpi: Option<u32>,
    /// How much taller than wide one stored pixel is shown, when the file says (a PDF's
    /// placement of a standard-mode fax, 204 × 98 dpi: about 2). `None` for square pixels or
    /// when only the picture's own tags can tell.
    pub pixel_height: Option<f32>,
}

impl PageImage {
    /// The first frame of an image file's bytes, as the image reader hands it to OCR (tests build
    /// pages with it).
    pub fn from_file_bytes(bytes: &[u8], quarter_turns: u8, dpi: Option<u32>) -> PageImage {
        PageImage {
            pixels: ImageData::Encoded {
                bytes: std::sync::Arc::from(bytes),
                frame: 0,
            },
            quarter_turns,
            dpi,
            pixel_height: None,
        }
    }
}

/// How much taller than wide a pixel is drawn at `across` × `down` dots per inch, when it is not
/// square (a standard-mode fax, 204 × 98 dpi: about 2). Sides within 3% of each other are square:
/// that is rounding in a PDF's placement or a file's tags.
pub fn pixel_height(across: f64, down: f64) -> Option<f32> {
    let ratio = across / down;
    (ratio.is_finite() && (ratio - 1.0).abs() > 0.03).then_some(ratio as f32)
}

/// The picture's pixels, either still encoded or already decoded.
#[derive(Clone, Debug)]
pub enum ImageData {
    /// An image file's bytes that Leptonica decodes itself (JPEG, PNG, TIFF, BMP, GIF, WebP, JPEG
    /// 2000, or a CCITT stream wrapped in a TIFF header). `frame` is the page of a multi-page TIFF.
    Encoded { bytes: Arc<[u8]>, frame: usize },
    /// Decoded pixels, rows top to bottom without padding.
    Raw(RawImage),
}

/// Decoded pixels.
#[derive(Clone, Debug)]
pub struct RawImage {
    pub width: u32,
    pub height: u32,
    pub format: PixelFormat,
    pub data: Vec<u8>,
}

/// Layout of [`RawImage::data`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PixelFormat {
    /// One bit per pixel, rows padded to whole bytes, most significant bit first, 1 = black.
    Bilevel,
    /// One byte per pixel, 0 = black.
    Gray8,
    /// Three bytes per pixel, R G B.
    Rgb8,
}

/// A file opened for reading, page by page. Shared across worker threads so the pages of one
/// large PDF spread over the cores like files do.
pub trait Document: Send + Sync {
    fn page_count(&self) -> usize;
    /// Reads page `index` (0-based).
    fn page(&self, index: usize) -> Result<PageContent, SourceError>;
    /// Set when the file was damaged and had to be repaired to be read at all: what was wrong.
    fn damage(&self) -> Option<&str> {
        None
    }
    /// The file stops before its end (a broken download or copy): what was read of it may be
    /// only part of it, so finding nothing in it proves nothing. [`Document::damage`] says so.
    fn cut_off(&self) -> bool {
        false
    }
}

/// Why a file or a page could not be read, in words a paralegal understands.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("PDF is password-protected")]
    PasswordProtected,
    #[error("file is truncated or damaged: {0}")]
    Damaged(String),
    #[error("PDF has no pages")]
    NoPages,
    #[error("image could not be decoded: {0}")]
    BadImage(String),
    #[error("image is too large to read safely ({width}×{height} pixels)")]
    TooLarge { width: u64, height: u64 },
    /// A page the renderer was not asked to draw (it asks too much of it) or failed to draw:
    /// the whole message, which says which.
    #[error("{0}")]
    NotDrawn(String),
    #[error("{0}")]
    Other(String),
}

/// Opens a file whose bytes and kind are known. Only readable kinds are passed here.
pub fn open(kind: FileKind, bytes: Arc<[u8]>) -> Result<Box<dyn Document>, SourceError> {
    match kind {
        FileKind::Pdf => Ok(Box::new(pdf::PdfDocument::open(bytes)?)),
        _ => Ok(Box::new(image::ImageFile::open(kind, bytes)?)),
    }
}
