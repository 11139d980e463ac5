//! PDF reading: the text layer of each page in layout order, or the page's picture to OCR.
//!
//! Invariant: opening reads what viewers read (damaged files are repaired as far as they can be)
//! and fails with a plain-words [`SourceError`] otherwise; nothing here recurses without bound
//! or lets a panic out of the page it happened on.
//!
//! `open` gets the file parsed, `pages` lists pages, `text` interprets a page's content stream
//! (with `syntax`, `font`, `cmap`, `encoding`) and `layout` turns its glyphs into layout text;
//! `images` gets a scanned page's picture out of its image stream, `render` draws the others.

mod cmap;
mod encoding;
mod font;
mod images;
mod layout;
mod objects;
mod open;
mod pages;
mod render;
mod salvage;
mod syntax;
mod tables;
#[cfg(test)]
mod tests;
mod text;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use lopdf::ObjectId;

use super::{Document, PageContent, SourceError};
use i797_core::PageText;

/// An opened PDF. Pages are read on demand, from any thread.
pub struct PdfDocument {
    document: lopdf::Document,
    /// Every page position, read or not (see [`pages::collect`]).
    pages: Vec<pages::Listed>,
    /// The file as parsed (junk before the header cut off), for the renderer.
    bytes: Arc<[u8]>,
    /// The file stops before its end: pages or parts of pages may be lost.
    cut_off: bool,
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
        let (document, bytes) = open::load(bytes)?;
        let pages = pages::collect(&document);
        if pages.is_empty() {
            return Err(if pages::tree_is_empty(&document) {
                SourceError::NoPages
            } else {
                SourceError::Damaged("no pages could be recovered".into())
            });
        }
        Ok(PdfDocument {
            document,
            pages,
            cut_off: open::is_cut_off(&bytes),
            bytes,
        })
    }

    fn read_page(&self, id: ObjectId) -> Result<PageContent, SourceError> {
        let document = &self.document;
        let page = document
            .get_dictionary(id)
            .map_err(|_| SourceError::Damaged("a page object is missing".into()))?;
        let layer = text::read_page(document, &self.bytes, page);
        if layer.is_usable() {
            return Ok(PageContent::Text(PageText::from_pdf_text(layer.visible)));
        }
        // No picture to read: what text there is beats nothing, a scanner's OCR layer included.
        let fallback = if layer.visible_chars > 0 {
            Some(layer.visible)
        } else if layer.hidden_chars > 0 {
            Some(layer.hidden)
        } else {
            None
        };
        match images::page_picture(document, id, &self.bytes) {
            Ok(Some(picture)) => Ok(PageContent::Image(picture)),
            Ok(None) => Ok(fallback.map_or(PageContent::Blank, |text| {
                PageContent::Text(PageText::from_pdf_text(text))
            })),
            Err(error) => match fallback {
                Some(text) => Ok(PageContent::Text(PageText::from_pdf_text(text))),
                None => Err(error),
            },
        }
    }
}

impl Document for PdfDocument {
    fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn damage(&self) -> Option<&str> {
        if self.cut_off {
            Some("PDF is damaged: it is cut off (the end of the file is missing)")
        } else if self.document.xref_recovery.is_some() {
            Some("PDF is damaged (its cross-reference table had to be rebuilt)")
        } else {
            None
        }
    }

    fn cut_off(&self) -> bool {
        self.cut_off
    }

    fn page(&self, index: usize) -> Result<PageContent, SourceError> {
        let listed = self
            .pages
            .get(index)
            .ok_or_else(|| SourceError::Other(format!("page {} does not exist", index + 1)))?;
        let &pages::Listed::Page(id) = listed else {
            let why = listed.not_read(index).unwrap_or_default();
            return Err(SourceError::Other(why));
        };
        catch_unwind(AssertUnwindSafe(|| self.read_page(id))).unwrap_or_else(|_| {
            Err(SourceError::Other(
                "the PDF reader failed on it (the page is damaged in a way it does not handle)"
                    .to_string(),
            ))
        })
    }
}
