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
mod jbig2;
mod jpeg;
mod jpx;
mod placement;
mod raster;
mod raw;
mod work;

use std::sync::Arc;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::super::{ImageData, PageImage, PixelFormat, RawImage, SourceError};
use placement::{Drawing, ImageSource, Matrix, Placement, Resources, resolve, walk_page};
use raster::{MAX_BILEVEL_PIXELS, MAX_GRAY_PIXELS, check_source};

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
    fn of_page(document: &Document, page: ObjectId) -> Geometry {
        let rect = |key: &[u8]| {
            inherited(document, page, key).and_then(|o| {
                let values: Vec<f64> = resolve(document, o)
                    .as_array()
                    .ok()?
                    .iter()
                    .map(|v| resolve(document, v).as_float().ok().map(f64::from))
                    .collect::<Option<_>>()?;
                let [a, b, c, d]: [f64; 4] = values.try_into().ok()?;
                let r = [a.min(c), b.min(d), a.max(c), b.max(d)];
                (r[2] > r[0] && r[3] > r[1]).then_some(r)
            })
        };
        let media = rect(b"MediaBox").unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let area = match rect(b"CropBox") {
            Some(crop) => {
                let r = [
                    crop[0].max(media[0]),
                    crop[1].max(media[1]),
                    crop[2].min(media[2]),
                    crop[3].min(media[3]),
                ];
                if r[2] > r[0] && r[3] > r[1] { r } else { media }
            }
            None => media,
        };
        let rotate = inherited(document, page, b"Rotate")
            .and_then(|r| resolve(document, r).as_i64().ok())
            .map_or(0, |r| (r.rem_euclid(360) + 45) / 90 * 90 % 360);
        Geometry { area, rotate }
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

/// What decoding must produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    /// Anything, encoded bytes preferred.
    Any,
    /// Decoded pixels (to flip or compose them).
    Pixels,
}

/// A decoded image and the size of the source it came from (for the resolution).
struct Decoded {
    pixels: ImageData,
    width: u32,
    source_width: u32,
}

fn picture_of(
    document: &Document,
    placement: &Placement<'_>,
    geometry: &Geometry,
) -> Result<PageImage, SourceError> {
    let frame = Frame::of(
        placement.ctm,
        placement.width,
        placement.height,
        geometry.rotate,
    );
    let need = if frame.mirrored {
        Need::Pixels
    } else {
        Need::Any
    };
    let stream = image_stream(document, placement)?;
    let mut decoded = decode_image(document, stream, &placement.resources, need)?;
    if frame.mirrored
        && let ImageData::Raw(raw) = &mut decoded.pixels
    {
        raster::flip_rows(raw);
    }
    Ok(PageImage {
        dpi: scaled_dpi(frame.dpi(), decoded.width, decoded.source_width),
        pixel_height: frame.pixel_height(),
        pixels: decoded.pixels,
        quarter_turns: frame.quarter_turns,
    })
}

fn scaled_dpi(dpi: f64, width: u32, source_width: u32) -> Option<u32> {
    let dpi = dpi * f64::from(width) / f64::from(source_width.max(1));
    (36.0..=2400.0).contains(&dpi).then(|| dpi.round() as u32)
}

fn image_stream<'a>(
    document: &'a Document,
    placement: &'a Placement<'_>,
) -> Result<&'a Stream, SourceError> {
    match &placement.source {
        ImageSource::XObject(id) => document
            .get_object(*id)
            .and_then(Object::as_stream)
            .map_err(|e| SourceError::Damaged(format!("image object {} missing: {e}", id.0))),
        ImageSource::Inline(stream) => Ok(stream),
    }
}

/// Decodes an image stream by its filters.
fn decode_image(
    document: &Document,
    stream: &Stream,
    resources: &Resources<'_>,
    need: Need,
) -> Result<Decoded, SourceError> {
    let dict = &stream.dict;
    let number = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|v| resolve(document, v).as_i64().ok())
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
    };
    let (width, height) = (number(b"Width"), number(b"Height"));
    check_source(width, height)?;
    let filters = raw::filters(document, dict);
    let codec = filters.iter().position(|f| {
        matches!(
            f.name.as_slice(),
            b"DCTDecode" | b"CCITTFaxDecode" | b"JBIG2Decode" | b"JPXDecode"
        )
    });
    let Some(codec) = codec else {
        let image = raw::decode(document, dict, &stream.content, &filters, resources)?;
        return Ok(raw_decoded(image, width));
    };
    if codec + 1 != filters.len() {
        return Err(SourceError::BadImage(
            "image filters continue after an image codec".to_string(),
        ));
    }
    let data = raw::apply_byte_filters(&stream.content, &filters[..codec], raw::MAX_CODEC_BYTES)?;
    let filter = &filters[codec];
    let inverted = raw::decode_inverted(document, dict);
    match filter.name.as_slice() {
        b"DCTDecode" => decode_jpeg(&data, inverted, need),
        b"CCITTFaxDecode" => {
            let params = ccitt::Params::read(filter.params.as_ref(), width, height);
            // Sample 0 is ink (black in DeviceGray, painted in a stencil) unless /Decode inverts;
            // code-black runs are sample 1 when /BlackIs1.
            let coded_black_is_ink = params.black_is_1 == inverted;
            if need == Need::Any && params.fits_tiff() {
                return Ok(Decoded {
                    pixels: ImageData::Encoded {
                        bytes: Arc::from(ccitt::tiff(&data, &params, coded_black_is_ink)),
                        frame: 0,
                    },
                    width: params.columns,
                    source_width: params.columns,
                });
            }
            let image = ccitt::decode(&data, &params, coded_black_is_ink)?;
            Ok(raw_decoded(image, params.columns))
        }
        b"JBIG2Decode" => {
            let globals = jbig2_globals(document, filter.params.as_ref())?;
            // JBIG2 black is PDF sample 0: ink unless /Decode inverts.
            let image = jbig2::decode(&data, globals.as_deref(), !inverted)?;
            Ok(raw_decoded(image, width))
        }
        _ => {
            let image = jpx::decode(&data)?;
            Ok(raw_decoded(image, width))
        }
    }
}

fn raw_decoded(image: RawImage, source_width: u32) -> Decoded {
    Decoded {
        width: image.width,
        pixels: ImageData::Raw(image),
        source_width,
    }
}

fn jbig2_globals(
    document: &Document,
    params: Option<&Dictionary>,
) -> Result<Option<Vec<u8>>, SourceError> {
    let Some(globals) = params.and_then(|p| p.get(b"JBIG2Globals").ok()) else {
        return Ok(None);
    };
    let Ok(stream) = resolve(document, globals).as_stream() else {
        return Ok(None);
    };
    let data = if stream.dict.has(b"Filter") {
        stream
            .decompressed_content_with_limit(raw::MAX_CODEC_BYTES)
            .map_err(|e| SourceError::BadImage(format!("JBIG2 globals unreadable: {e}")))?
    } else {
        stream.content.clone()
    };
    Ok(Some(data))
}

fn decode_jpeg(data: &[u8], inverted: bool, need: Need) -> Result<Decoded, SourceError> {
    let info = jpeg::info(data)
        .ok_or_else(|| SourceError::BadImage("DCT image data is not a JPEG".to_string()))?;
    check_source(info.width, info.height)?;
    let pixels = u64::from(info.width) * u64::from(info.height);
    let budget = if info.components == 1 {
        MAX_GRAY_PIXELS
    } else {
        MAX_COLOUR_JPEG_PIXELS
    };
    // CMYK JPEGs: Leptonica reads Adobe's inverted form (APP14 marker) itself; the inverting
    // /Decode that PDF writers add for such JPEGs says the same thing, so it is not applied again.
    let inverted = inverted && info.components != 4;
    if need == Need::Any && !inverted && pixels <= budget {
        return Ok(Decoded {
            pixels: ImageData::Encoded {
                bytes: Arc::from(data),
                frame: 0,
            },
            width: info.width,
            source_width: info.width,
        });
    }
    let image = jpeg::decode_gray(data, info, MAX_GRAY_PIXELS, inverted)?;
    Ok(raw_decoded(image, info.width))
}

/// Composes the text masks of an MRC page on one bilevel canvas. `None` when they do not line
/// up (different resolutions or orientations, skewed): the page is rendered instead.
fn compose_masks(
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
fn pixel_grid_inverse(placement: &Placement<'_>) -> Option<impl Fn((f64, f64)) -> (f64, f64)> {
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

#[cfg(test)]
mod tests;
