//! PDF reading: the text layer of each page in layout order, or the page's scan image.
//!
//! `text` turns a page's content stream into layout text; `images` gets a scanned page's picture
//! out of its image stream without rendering; `render` draws pages that are not one picture.

mod images;
mod render;
mod text;

use std::sync::Arc;

use super::{Document, PageContent, SourceError};
use crate::extract::PageText;

/// An opened PDF.
pub struct PdfDocument {
    document: lopdf::Document,
    pages: Vec<lopdf::ObjectId>,
}

impl std::fmt::Debug for PdfDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfDocument")
            .field("pages", &self.pages.len())
            .finish()
    }
}

impl PdfDocument {
    pub fn open(bytes: Arc<[u8]>) -> Result<Self, SourceError> {
        let document =
            lopdf::Document::load_mem(&bytes).map_err(|e| SourceError::Damaged(e.to_string()))?;
        let pages: Vec<_> = document.get_pages().into_values().collect();
        if pages.is_empty() {
            return Err(SourceError::NoPages);
        }
        Ok(PdfDocument { document, pages })
    }
}

impl Document for PdfDocument {
    fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn page(&self, index: usize) -> Result<PageContent, SourceError> {
        let number = u32::try_from(index + 1).map_err(|_| SourceError::NoPages)?;
        let text = self
            .document
            .extract_text(&[number])
            .map_err(|e| SourceError::Damaged(e.to_string()))?;
        if text.trim().is_empty() {
            Ok(PageContent::Blank)
        } else {
            Ok(PageContent::Text(PageText::from_pdf_text(text)))
        }
    }
}
