//! Page geometry: turns a picture of a page (a phone photo of a sheet on a table, a scan) into a
//! flat page before anything reads it: the sheet found and cut from its background, its
//! perspective undone, and its resolution measured from the page itself rather than trusted from
//! the file (a phone writes 72 dpi whatever it saw).
//!
//! Invariant: pure image arithmetic on grey pixels (no OCR, no decoding, no files); a picture in
//! which no sheet stands out from a background (a flat scan, a page edge to edge) is left as it
//! is, at the cost of one look at a small copy of it. Orientation (quarter turns) and residual
//! skew are the reader's preparation's, after this.

mod rectify;
mod sheet;

pub use rectify::rectify;
pub use sheet::{Quad, find_sheet};

use image::GrayImage;

/// US Letter, the paper of every USCIS notice: its short side in inches, and long over short.
pub const LETTER_WIDTH_INCHES: f32 = 8.5;
pub const LETTER_ASPECT: f32 = 11.0 / 8.5;

/// A page made flat, and what was done to get it.
#[derive(Debug)]
pub struct FlatPage {
    pub image: GrayImage,
    /// Where the sheet's corners were in the original picture (top-left, top-right,
    /// bottom-right, bottom-left as the picture shows them).
    pub quad: Quad,
    /// Pixels per inch of `image`, measured from the sheet's width.
    pub dpi: f32,
}

/// The flat page in `picture`, or `None` when no sheet stands out from a background there (the
/// picture is the page already).
pub fn flatten(picture: &GrayImage) -> Option<FlatPage> {
    flat_page(picture, find_sheet(picture)?)
}

/// The sheet at `quad` in `picture`, flat, with its measured resolution. For callers that look
/// for the sheet in a smaller copy of the picture (see [`Quad::in_original`]).
pub fn flat_page(picture: &GrayImage, quad: Quad) -> Option<FlatPage> {
    let image = rectify(picture, &quad)?;
    let short = image.width().min(image.height()) as f32;
    Some(FlatPage {
        dpi: short / LETTER_WIDTH_INCHES,
        image,
        quad,
    })
}
