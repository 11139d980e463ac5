//! A page's picture for OCR: straight from its image stream when the page is one scanned image
//! (the stream is the scan: no rendering), rendered otherwise. Invariant: the picture handed on is
//! bounded in pixels (see `raster`), its ink is black on white, and `quarter_turns` clockwise
//! turns bring it upright as the page is shown.
//!
//! How a page is read:
//! - one image covering at least half the page, no other image and no visible text: that image,
//!   decoded per filter (JPEG and Group 4 fax stay encoded for Leptonica; the rest is decoded
//!   here to bilevel or gray);
//! - dark stencil masks at scan resolution, other images only at a clearly lower resolution
//!   (MRC scans: G4 text masks over a JPEG background): the masks, composed on one bilevel
//!   canvas, the background dropped;
//! - anything else that draws (text as curves, tiles, coloured pieces, visible text): rendered;
//! - nothing drawn: `None`.

mod budget;
mod ccitt;
mod decode;
mod jbig2;
mod jpeg;
mod jpx;
mod masks;
mod placement;
mod raster;
mod raw;
mod work;

use std::sync::Arc;

use lopdf::{Document, Object, ObjectId};

use super::super::{PageImage, SourceError};
use super::matrix::Matrix;
use placement::{Drawing, walk_page};

/// An image counts as "the scan" when it covers this much of the page and is the only one.
const SCAN_COVERAGE: f64 = 0.5;
/// Images smaller than this share of the page are ignored: 0.01 % of Letter is 7 × 7 pt.
const SPECK_COVERAGE: f64 = 0.0001;
/// Stencil masks painted lighter than this are decoration (rules, tints), not text; coloured
/// text (a light-blue letterhead is 0.7) is kept, and composed as black.
const MAX_INK_LIGHTNESS: f32 = 0.85;
/// Colour JPEGs above this are reduced here: Leptonica would hold them at four bytes a pixel.
const MAX_COLOUR_JPEG_PIXELS: u64 = 16_000_000;

/// The picture to OCR for page `page` of `document` (`bytes` is the whole file, for the
/// renderer), or `None` when the page draws nothing.
// Called from `pdf/mod.rs` for pages without a usable text layer (wired on the pdf-text branch).
#[cfg_attr(not(test), allow(dead_code))]
pub(super) fn page_picture(
    document: &Document,
    page: ObjectId,
    bytes: &Arc<[u8]>,
) -> Result<Option<PageImage>, SourceError> {
    let geometry = Geometry::of_page(document, page);
    let drawing = walk_page(document, page);
    match choose(&drawing, &geometry) {
        Choice::Blank => Ok(None),
        Choice::Image(index) => picture_of(document, &drawing.images[index], &geometry).map(Some),
        Choice::Masks(indices) => match compose_masks(document, &drawing, &indices, &geometry)? {
            Some(picture) => Ok(Some(picture)),
            None => render(document, &drawing, page, bytes).map(Some),
        },
        Choice::Render => render(document, &drawing, page, bytes).map(Some),
    }
}

fn render(
    document: &Document,
    drawing: &Drawing<'_>,
    page: ObjectId,
    bytes: &Arc<[u8]>,
) -> Result<PageImage, SourceError> {
    let scale = match document.get_dictionary(page) {
        Ok(dict) => {
            let (width, height) = super::pages::View::of(document, dict).size();
            super::render::render_scale(width as f32, height as f32)
        }
        Err(_) => super::render::RENDER_DPI / 72.0,
    };
    // Both budgets are checked before the renderer starts: it cannot be stopped once it has.
    budget::check_page(document, page, &drawing.images)?;
    work::check_page(document, page, bytes, f64::from(scale))?;
    let index = document.page_iter().position(|id| id == page);
    super::render::render_page(bytes, page, index)
}

/// The page's visible area (crop box within the media box) and rotation.
#[derive(Clone, Copy, Debug)]
struct Geometry {
    /// `[x0, y0, x1, y1]` in default user space.
    area: [f64; 4],
    /// `/Rotate`, normalised to 0, 90, 180 or 270.
    rotate: i64,
}

impl Geometry {
    /// The page's view (crop box within media box, rotation) as `pages::View` reads it.
    fn of_page(document: &Document, page: ObjectId) -> Geometry {
        let view = match document.get_dictionary(page) {
            Ok(dict) => super::pages::View::of(document, dict),
            Err(_) => super::pages::View::DEFAULT,
        };
        Geometry {
            area: view.rect,
            rotate: i64::from(view.rotate),
        }
    }

    fn page_area(&self) -> f64 {
        (self.area[2] - self.area[0]) * (self.area[3] - self.area[1])
    }
}

/// A page attribute, inherited through the page tree (bounded, loop-safe).
fn inherited<'a>(document: &'a Document, page: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = document.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(value) = node.get(key) {
            return Some(value);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = document.get_dictionary(parent).ok()?;
    }
    None
}

/// How an image sits on the shown page.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    /// Clockwise quarter turns that bring the stored picture upright on the shown page.
    quarter_turns: u8,
    /// The picture is shown mirrored (flipping its rows undoes it).
    mirrored: bool,
    /// Placed at a multiple of 90° (no skew).
    axis_aligned: bool,
    dpi_x: f64,
    dpi_y: f64,
}

impl Frame {
    fn of(ctm: Matrix, width: u32, height: u32, rotate: i64) -> Frame {
        let [a, b, c, d, _, _] = ctm.0;
        // Shown-page coordinates: y down, then the page's clockwise /Rotate.
        let show = |x: f64, y: f64| {
            let (mut x, mut y) = (x, -y);
            for _ in 0..rotate / 90 {
                (x, y) = (-y, x);
            }
            (x, y)
        };
        let right = show(a, b);
        let down = show(-c, -d);
        let angle = right.1.atan2(right.0).to_degrees();
        let turns = (angle / 90.0).round();
        let axis_aligned = (angle - turns * 90.0).abs() < 0.5;
        let cross = right.0 * down.1 - right.1 * down.0;
        let inches = |(x, y): (f64, f64)| x.hypot(y) / 72.0;
        Frame {
            quarter_turns: (turns as i64).rem_euclid(4) as u8,
            mirrored: cross < 0.0,
            axis_aligned,
            dpi_x: f64::from(width) / inches(right),
            dpi_y: f64::from(height) / inches(down),
        }
    }

    /// The resolution once the rows are stretched to square pixels (see `pixel_height`).
    fn dpi(&self) -> f64 {
        if self.pixel_height().is_some() {
            self.dpi_x
        } else {
            (self.dpi_x + self.dpi_y) / 2.0
        }
    }

    /// How much taller than wide a stored pixel is drawn, when not square (a standard-mode fax
    /// drawn over a page: 204 × 98 dpi).
    fn pixel_height(&self) -> Option<f32> {
        crate::source::pixel_height(self.dpi_x, self.dpi_y)
    }
}

/// Share of the page's visible area an image covers.
fn coverage(ctm: Matrix, geometry: &Geometry) -> f64 {
    let [a, b, c, d, _, _] = ctm.0;
    let corners = [
        ctm.apply(0.0, 0.0),
        ctm.apply(1.0, 0.0),
        ctm.apply(0.0, 1.0),
        ctm.apply(1.0, 1.0),
    ];
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in corners {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let bbox_area = (x1 - x0) * (y1 - y0);
    let area = geometry.area;
    let inside =
        (x1.min(area[2]) - x0.max(area[0])).max(0.0) * (y1.min(area[3]) - y0.max(area[1])).max(0.0);
    let page = geometry.page_area();
    if bbox_area.is_nan() || bbox_area <= 0.0 || page.is_nan() || page <= 0.0 {
        return 0.0;
    }
    // The parallelogram's area, scaled by the share of its bounding box on the page.
    ((a * d - b * c).abs() * inside / bbox_area / page).min(1.0)
}

#[derive(Debug, PartialEq)]
enum Choice {
    Blank,
    Image(usize),
    Masks(Vec<usize>),
    Render,
}

fn choose(drawing: &Drawing<'_>, geometry: &Geometry) -> Choice {
    if !drawing.complete {
        // The walk stopped early (damaged content, limits): the renderer reads what it can.
        return Choice::Render;
    }
    if drawing.is_blank() {
        return Choice::Blank;
    }
    struct Seen {
        index: usize,
        coverage: f64,
        frame: Frame,
        is_mask: bool,
    }
    let seen: Vec<Seen> = drawing
        .images
        .iter()
        .enumerate()
        .filter(|(_, image)| image.width > 0 && image.height > 0 && image.ctm.is_finite())
        .map(|(index, image)| Seen {
            index,
            coverage: coverage(image.ctm, geometry),
            frame: Frame::of(image.ctm, image.width, image.height, geometry.rotate),
            is_mask: image.is_mask,
        })
        .filter(|s| s.coverage >= SPECK_COVERAGE && s.frame.dpi().is_finite())
        .collect();

    // Text masks: scans of text (not 1×1 fills) at scan resolution, painted in a dark colour
    // (MRC writers also paint light decoration through masks).
    let masks: Vec<&Seen> = seen
        .iter()
        .filter(|s| {
            let image = &drawing.images[s.index];
            s.is_mask
                && image.fill_gray < MAX_INK_LIGHTNESS
                && s.frame.dpi() >= 100.0
                && u64::from(image.width) * u64::from(image.height) >= 1000
        })
        .collect();
    let mask_coverage: f64 = masks.iter().map(|s| s.coverage).sum();
    if !masks.is_empty() && mask_coverage >= 0.02 && !drawing.shows_text {
        let mask_dpi = masks.iter().map(|s| s.frame.dpi()).fold(f64::MAX, f64::min);
        // Other images must be backgrounds at a clearly lower resolution (MRC); pieces at the
        // masks' resolution carry foreground (coloured text) and call for rendering.
        if seen
            .iter()
            .filter(|s| !s.is_mask)
            .all(|s| s.frame.dpi() < 0.8 * mask_dpi)
        {
            return Choice::Masks(masks.iter().map(|s| s.index).collect());
        }
    }

    // One scan and nothing else visible. Anything more (a logo, a highlight, coloured text
    // pieces) is composed by rendering.
    if let [only] = seen.as_slice()
        && only.coverage >= SCAN_COVERAGE
        && !drawing.shows_text
    {
        return Choice::Image(only.index);
    }
    Choice::Render
}

use decode::picture_of;
use masks::compose_masks;

#[cfg(test)]
mod tests;
