//! An MRC scan's text: dark stencil masks at scan resolution composed on one bilevel canvas in
//! page space (the background images dropped). Invariant: the canvas stays within the bilevel
//! pixel budget; a mask that cannot be placed or decoded makes the page be rendered instead.

use lopdf::Document;

use super::super::super::{ImageData, PageImage, PixelFormat, RawImage, SourceError};
use super::decode::{Need, decode_image, image_stream, picture_of, scaled_dpi};
use super::placement::{Drawing, Placement};
use super::raster::{self, MAX_BILEVEL_PIXELS};
use super::{Frame, Geometry};

/// Composes the text masks of an MRC page on one bilevel canvas. `None` when they do not line
/// up (different resolutions or orientations, skewed): the page is rendered instead.
pub(super) fn compose_masks(
    document: &Document,
    drawing: &Drawing<'_>,
    indices: &[usize],
    geometry: &Geometry,
) -> Result<Option<PageImage>, SourceError> {
    let placements: Vec<&Placement<'_>> = indices.iter().map(|&i| &drawing.images[i]).collect();
    let Some(first) = placements.first() else {
        return Ok(None);
    };
    if placements.len() == 1 {
        return picture_of(document, first, geometry).map(Some);
    }
    let frames: Vec<Frame> = placements
        .iter()
        .map(|p| Frame::of(p.ctm, p.width, p.height, geometry.rotate))
        .collect();
    let lead = frames[0];
    let lines_up = frames.iter().all(|f| {
        f.axis_aligned
            && f.quarter_turns == lead.quarter_turns
            && f.mirrored == lead.mirrored
            && (f.dpi_x / lead.dpi_x - 1.0).abs() < 0.03
            && (f.dpi_y / lead.dpi_y - 1.0).abs() < 0.03
    });
    if !lines_up {
        return Ok(None);
    }
    // Canvas coordinates: the first mask's pixel grid. Each mask's rectangle maps into it.
    let Some(to_canvas) = pixel_grid_inverse(first) else {
        return Ok(None);
    };
    let rects: Vec<[f64; 4]> = placements
        .iter()
        .map(|p| {
            let (x0, y0) = to_canvas(p.ctm.apply(0.0, 1.0));
            let (x1, y1) = to_canvas(p.ctm.apply(1.0, 0.0));
            [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)]
        })
        .collect();
    let left = rects.iter().map(|r| r[0]).fold(f64::MAX, f64::min).round();
    let top = rects.iter().map(|r| r[1]).fold(f64::MAX, f64::min).round();
    let right = rects.iter().map(|r| r[2]).fold(f64::MIN, f64::max).round();
    let bottom = rects.iter().map(|r| r[3]).fold(f64::MIN, f64::max).round();
    let (width, height) = (right - left, bottom - top);
    if !(width >= 1.0 && height >= 1.0) || width * height > MAX_BILEVEL_PIXELS as f64 {
        return Ok(None);
    }
    let mut canvas = RawImage {
        width: width as u32,
        height: height as u32,
        format: PixelFormat::Bilevel,
        data: vec![0; (width as usize).div_ceil(8) * height as usize],
    };
    for (placement, rect) in placements.iter().zip(&rects) {
        let stream = image_stream(document, placement)?;
        let decoded = decode_image(document, stream, &placement.resources, Need::Pixels)?;
        let ImageData::Raw(part) = decoded.pixels else {
            return Ok(None);
        };
        if part.format != PixelFormat::Bilevel {
            return Ok(None);
        }
        // Masks are drawn in the first mask's orientation, so their rows run the same way.
        let x = (rect[0] - left).round() as i64;
        let y = (rect[1] - top).round() as i64;
        raster::paint_bilevel(&mut canvas, &part, x, y);
    }
    if lead.mirrored {
        raster::flip_rows(&mut canvas);
    }
    Ok(Some(PageImage {
        pixels: ImageData::Raw(canvas),
        quarter_turns: lead.quarter_turns,
        dpi: scaled_dpi(lead.dpi(), 1, 1),
        pixel_height: lead.pixel_height(),
    }))
}

/// Maps a user-space point to (column, row) in `placement`'s pixel grid.
pub(super) fn pixel_grid_inverse(
    placement: &Placement<'_>,
) -> Option<impl Fn((f64, f64)) -> (f64, f64)> {
    let [a, b, c, d, e, f] = placement.ctm.0;
    let det = a * d - b * c;
    if det.abs() < 1e-12 || !det.is_finite() {
        return None;
    }
    let (w, h) = (f64::from(placement.width), f64::from(placement.height));
    Some(move |(x, y): (f64, f64)| {
        let (x, y) = (x - e, y - f);
        let u = (d * x - c * y) / det;
        let v = (a * y - b * x) / det;
        (u * w, (1.0 - v) * h)
    })
}
