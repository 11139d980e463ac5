//! Image files (JPEG, PNG, TIFF, BMP, GIF, WebP, JPEG 2000): each frame is a page to OCR.

use std::sync::Arc;

use super::{Document, ImageData, PageContent, PageImage, SourceError};
use crate::sniff::FileKind;

/// An opened image file.
#[derive(Debug)]
pub struct ImageFile {
    bytes: Arc<[u8]>,
    frames: usize,
}

impl ImageFile {
    pub fn open(kind: FileKind, bytes: Arc<[u8]>) -> Result<Self, SourceError> {
        let _ = kind;
        Ok(ImageFile { bytes, frames: 1 })
    }
}

impl Document for ImageFile {
    fn page_count(&self) -> usize {
        self.frames
    }

    fn page(&self, index: usize) -> Result<PageContent, SourceError> {
        Ok(PageContent::Image(PageImage {
            pixels: ImageData::Encoded {
                bytes: Arc::clone(&self.bytes),
                frame: index,
            },
            quarter_turns: 0,
            dpi: None,
        }))
    }
}
