//! The renderer's work budget: how much drawing a page asks of `hayro` (`vello_cpu` underneath),
//! estimated from the page's content before it is rendered, and the refusal of a page that asks
//! too much.
//!
//! The renderer records every fill, stroke, clip, glyph and image of a page before it rasterises
//! any of them, so its memory grows with how much the page draws, not with the file's size: 1.2 KB
//! of content that fills 10,000 half-page triangles took 1.27 GB. What a recorded operation costs
//! is set by the area it covers (commands for every 256 × 4 pixel tile under it) and the length of
//! its outline (coverage strips along every edge), so the walk here sums, at the render scale:
//! - painted pixels: the device-space bounding box of every fill, clip, glyph, image and shading,
//!   cut to the page (a stroke counts its length times its width when that is smaller);
//! - edge pixels: the device-space length of every outline filled, stroked (twice: both sides) or
//!   clipped;
//! - textured pixels: the painted pixels of images and shadings, which cost far more time each;
//! - image samples: the decoded size of every image each time it is drawn (each draw is decoded
//!   anew and kept until the page is rasterised);
//! - operators, forms counted each time they are drawn (the interpreter's own time).
//!
//! Measured: peak resident memory of a process that renders one Letter page at 300 dpi and does
//! nothing else (`render_cost` in the tests below, under `/usr/bin/time -f %M`, dependencies
//! optimised as in every build; 2 cores, shared):
//!
//! | page | painted px | edge px | peak | time |
//! |---|---|---|---|---|
//! | nothing (a 1 pt square): the process and its 34 MB page raster | 17 | 17 | 63 MB | 0.08 s |
//! | 5,000 outlined glyphs of 40 curves (140,000 operators) | 3.6 M | 4.0 M | 71 MB | 0.17 s |
//! | the shared corpus's pages (text as curves, printed HTML, scans with OCR layers) | ≤ 31 M | ≤ 0.7 M | 73–78 MB | ≤ 0.7 s |
//! | 1,000 / 3,000 / 10,000 half-page triangles | 4.2 / 12.6 / 42 G | 5.6 / 17 / 56 M | 123 / 273 / 770 MB | 0.4 / 0.8 / 3.1 s |
//! | 500 / 2,000 full-page fills | 4.2 / 16.8 G | 5.8 / 23 M | 109 / 271 MB | 0.3 / 0.9 s |
//! | one path zigzagging corner to corner 10,000 / 40,000 times | 8.4 M | 42 / 167 M | 169 / 513 MB | 1.2 / 5.5 s |
//! | a 2000 × 2000 image drawn full-page 10 / 40 times (40 / 160 M samples) | 84 / 337 M | 0 | 216 / 688 MB | 0.9 / 3.2 s |
//! | a 64 × 64 image drawn 1,674 times at 671 × 704 pt on a larger page | 3.2 G (all images) | 0 | — | 64 s |
//!
//! (100,000 triangles made the renderer panic with `alpha_idx too large` at 3 GB.) Above the
//! 63 MB, that is about 13 MB per billion painted pixels, 2.7 bytes per edge pixel and 4 bytes per
//! image sample. So each limit alone allows about 52 MB (painted), 108 MB (edges) and 160 MB
//! (images) of drawing, and [`MAX_DRAWING_BYTES`] caps them together: a page the budget lets
//! through peaks under about 270 MB, and real pages sit a hundred times inside the painted and
//! edge limits.
//!
//! Invariant: the walk stops once past [`MAX_OPERATORS`], so its own time is bounded whatever the
//! file (it reads on past the other limits, to report a page's real totals); it holds at most one decoded copy of each form, follows forms as
//! deep as the renderer does ([`MAX_FORM_DEPTH`]) and no deeper, and never panics.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::placement::Matrix;
use crate::source::SourceError;
use crate::source::pdf::objects::{
    get, get_dict, get_name, number, numbers, resolve, stream_data, xobject_entry,
};
use crate::source::pdf::pages;
use crate::source::pdf::syntax::{Lexer, Op, Operand};

/// Most operators interpreted for one page, forms counted each time they are drawn. A dense page
/// of text drawn as outlined glyphs has a few hundred thousand.
pub(super) const MAX_OPERATORS: u64 = 4_000_000;
/// Most painted pixels (bounding boxes, see the module comment) for one page at the render scale:
/// about 470 times a Letter page at 300 dpi. Real pages paint a few pages' worth at most.
pub(super) const MAX_PAINTED_PIXELS: f64 = 4e9;
/// Most edge pixels (outline length) for one page at the render scale: 12,000 times the height
/// of a Letter page at 300 dpi. A page of outlined text has a few million.
pub(super) const MAX_EDGE_PIXELS: f64 = 40e6;
/// Most pixels painted with images and shadings for one page at the render scale: 12 times a
/// Letter page at 300 dpi. The renderer samples the image or evaluates the shading for each of
/// them, some 20 ns a pixel (1,674 draws of a small image over a page took 64 s), where a solid
/// fill costs a hundredth of that; a scanned page is drawn over its area once.
pub(super) const MAX_TEXTURED_PIXELS: f64 = 100e6;
/// Most image samples decoded for one page, every draw of an image counted: a 300 dpi Letter scan
/// is 8.4 million. The renderer holds them at four bytes each.
pub(super) const MAX_IMAGE_SAMPLES: u64 = 40_000_000;
/// What the renderer holds per painted pixel, per edge pixel and per image sample, above the
/// page's own raster (measured; see the module comment).
const BYTES_PER_PAINTED_PIXEL: f64 = 0.013;
const BYTES_PER_EDGE_PIXEL: f64 = 2.7;
const BYTES_PER_IMAGE_SAMPLE: f64 = 4.0;
/// Most memory the renderer may be expected to take for one page's drawing, the three above
/// together: a page near two limits at once passes none of them alone but this. With the ~63 MB
/// of a rendering process and its page raster, a page stays under 300 MB.
pub(super) const MAX_DRAWING_BYTES: f64 = 200.0 * 1024.0 * 1024.0;
/// The renderer follows forms drawing forms this deep (`hayro_interpret`'s own limit), a form
/// that draws itself included.
const MAX_FORM_DEPTH: usize = 50;
/// Decoded form content held during one walk (each form decoded once).
const MAX_FORM_BYTES: usize = 64 << 20;
/// Saved graphics states kept; deeper `q` are ignored (their `Q` then restores an outer one).
const MAX_SAVED_STATES: usize = 4096;

/// What a page asks of the renderer, as far as the walk got.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Work {
    pub operators: u64,
    pub painted_pixels: f64,
    pub edge_pixels: f64,
    /// Painted pixels of images and shadings (also in `painted_pixels`).
    pub textured_pixels: f64,
    pub image_samples: u64,
    /// Images drawn (each draw counted).
    pub images: u64,
}

/// Which limit a page passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Limit {
    Operators,
    PaintedPixels,
    EdgePixels,
    TexturedPixels,
    ImageSamples,
    DrawingBytes,
}

impl Work {
    /// The first limit this work passes, if any.
    pub(super) fn over(&self) -> Option<Limit> {
        if self.operators > MAX_OPERATORS {
            Some(Limit::Operators)
        } else if self.image_samples > MAX_IMAGE_SAMPLES {
            Some(Limit::ImageSamples)
        } else if self.painted_pixels > MAX_PAINTED_PIXELS {
            Some(Limit::PaintedPixels)
        } else if self.edge_pixels > MAX_EDGE_PIXELS {
            Some(Limit::EdgePixels)
        } else if self.textured_pixels > MAX_TEXTURED_PIXELS {
            Some(Limit::TexturedPixels)
        } else if self.drawing_bytes() > MAX_DRAWING_BYTES {
            Some(Limit::DrawingBytes)
        } else {
            None
        }
    }

    /// The memory the renderer is expected to take for this drawing, above its page raster.
    pub(super) fn drawing_bytes(&self) -> f64 {
        self.painted_pixels * BYTES_PER_PAINTED_PIXEL
            + self.edge_pixels * BYTES_PER_EDGE_PIXEL
            + self.image_samples as f64 * BYTES_PER_IMAGE_SAMPLE
    }

    /// Why a page doing this work is not drawn, in plain words.
    pub(super) fn refusal(&self, limit: Limit) -> SourceError {
        let what = match limit {
            Limit::Operators => format!(
                "it has more drawing operations than one page may, counting each form as often \
                 as it is drawn (the limit is {})",
                amount(MAX_OPERATORS as f64)
            ),
            Limit::PaintedPixels => format!(
                "it paints {} pixels at the resolution it is read at (the limit is {})",
                amount(self.painted_pixels),
                amount(MAX_PAINTED_PIXELS)
            ),
            Limit::EdgePixels => format!(
                "its shapes have outlines {} pixels long at the resolution it is read at \
                 (the limit is {})",
                amount(self.edge_pixels),
                amount(MAX_EDGE_PIXELS)
            ),
            Limit::TexturedPixels => format!(
                "it paints {} pixels with images and shadings at the resolution it is read at \
                 (the limit is {})",
                amount(self.textured_pixels),
                amount(MAX_TEXTURED_PIXELS)
            ),
            Limit::ImageSamples => format!(
                "it draws {} image pixels in all, {} {} (the limit is {})",
                amount(self.image_samples as f64),
                self.images,
                if self.images == 1 { "image" } else { "images" },
                amount(MAX_IMAGE_SAMPLES as f64)
            ),
            Limit::DrawingBytes => format!(
                "what it paints, outlines and draws as images together would take the renderer \
                 about {} MB (the limit is {} MB)",
                (self.drawing_bytes() / 1048576.0).round(),
                (MAX_DRAWING_BYTES / 1048576.0).round()
            ),
        };
        SourceError::NotDrawn(format!(
            "the page was not drawn: {what}; a scanned or printed notice page needs far less"
        ))
    }
}

/// `n` in words a reader takes in at a glance: "4.1 billion", "250 million", "12,000".
fn amount(n: f64) -> String {
    let (value, unit) = if n >= 1e9 {
        (n / 1e9, " billion")
    } else if n >= 1e6 {
        (n / 1e6, " million")
    } else {
        let whole = n.round() as u64;
        let digits = whole.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        return out;
    };
    let text = format!("{value:.1}");
    format!("{}{unit}", text.strip_suffix(".0").unwrap_or(&text))
}

/// Estimates the work of drawing page `page` at `scale` pixels per point: `Err` says which limit
/// it passes, if any.
pub(super) fn check_page(
    document: &Document,
    page: ObjectId,
    bytes: &[u8],
    scale: f64,
) -> Result<Work, SourceError> {
    let work = estimate(document, page, bytes, scale);
    match work.over() {
        Some(limit) => Err(work.refusal(limit)),
        None => Ok(work),
    }
}

/// The work of drawing page `page` at `scale`, as far as the walk went (it stops past
/// [`MAX_OPERATORS`]).
pub(super) fn estimate(document: &Document, page: ObjectId, bytes: &[u8], scale: f64) -> Work {
    let Ok(dict) = document.get_dictionary(page) else {
        return Work::default();
    };
    let view = pages::View::of(document, dict);
    let [x0, y0, x1, y1] = view.rect;
    let page_box = [x0 * scale, y0 * scale, x1 * scale, y1 * scale];
    let mut walker = Walker {
        document,
        page_box,
        work: Work::default(),
        forms: HashMap::new(),
        form_bytes: 0,
    };
    let state = State {
        ctm: Matrix([scale, 0.0, 0.0, scale, 0.0, 0.0]),
        clip: page_box,
        line_width: 1.0,
        font_size: 0.0,
        horizontal_scaling: 1.0,
        text_matrix: Matrix::IDENTITY,
        text_mode: 0,
    };
    let content = pages::content(document, bytes, dict);
    let resources = pages::resources(document, dict);
    walker.walk(&content, state, resources, 0);
    walker.annotations(dict, state);
    walker.work
}

/// An axis-aligned box in device pixels: x0, y0, x1, y1.
type Rect = [f64; 4];

fn area(r: Rect) -> f64 {
    let a = (r[2] - r[0]).max(0.0) * (r[3] - r[1]).max(0.0);
    if a.is_finite() { a } else { 0.0 }
}

fn intersect(a: Rect, b: Rect) -> Rect {
    [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ]
}

/// The bounding box of the unit square under `m` (where an image or a form's box lands).
fn bbox_of(m: Matrix, corners: &[(f64, f64)]) -> Rect {
    let mut r = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for &(x, y) in corners {
        let (x, y) = m.apply(x, y);
        r = [r[0].min(x), r[1].min(y), r[2].max(x), r[3].max(y)];
    }
    r
}

/// The corners of a box given as x0, y0, x1, y1.
fn corners([x0, y0, x1, y1]: [f64; 4]) -> [(f64, f64); 4] {
    [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]
}

/// How much `m` scales lengths, on average over directions (the square root of its area
/// factor).
fn length_scale(m: Matrix) -> f64 {
    let [a, b, c, d, _, _] = m.0;
    let s = (a * d - b * c).abs().sqrt();
    if s.is_finite() { s } else { 0.0 }
}

#[derive(Clone, Copy, Debug)]
struct State {
    /// User space to device pixels.
    ctm: Matrix,
    /// Bounding box of the clip in force, device pixels.
    clip: Rect,
    line_width: f64,
    font_size: f64,
    horizontal_scaling: f64,
    /// Only its linear part matters to a glyph's size.
    text_matrix: Matrix,
    text_mode: i64,
}

/// The path under construction, in device pixels.
#[derive(Debug, Default)]
struct Path {
    bbox: Option<Rect>,
    length: f64,
    current: (f64, f64),
    start: (f64, f64),
    /// `W` or `W*` was read: the path clips when it is ended.
    clips: bool,
}

impl Path {
    fn include(&mut self, (x, y): (f64, f64)) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        let r = self.bbox.get_or_insert([x, y, x, y]);
        *r = [r[0].min(x), r[1].min(y), r[2].max(x), r[3].max(y)];
    }

    fn move_to(&mut self, p: (f64, f64)) {
        self.include(p);
        self.current = p;
        self.start = p;
    }

    fn line_to(&mut self, p: (f64, f64)) {
        self.include(p);
        let length = (p.0 - self.current.0).hypot(p.1 - self.current.1);
        if length.is_finite() {
            self.length += length;
        }
        self.current = p;
    }
}

struct Walker<'a> {
    document: &'a Document,
    /// The visible page in device pixels: what is drawn outside it costs (almost) nothing.
    page_box: Rect,
    work: Work,
    /// Decoded content of the forms drawn so far.
    forms: HashMap<ObjectId, Rc<[u8]>>,
    form_bytes: usize,
}

impl<'a> Walker<'a> {
    /// The walk's own time is bounded by the operators it reads; it goes on past the other
    /// limits, so that the refusal gives the page's real totals.
    fn done(&self) -> bool {
        self.work.operators > MAX_OPERATORS
    }

    fn paint(&mut self, bbox: Rect) {
        self.work.painted_pixels += area(intersect(bbox, self.page_box));
    }

    /// Paints `bbox` with an image or a shading: each pixel computed on its own.
    fn paint_textured(&mut self, bbox: Rect) {
        let pixels = area(intersect(bbox, self.page_box));
        self.work.painted_pixels += pixels;
        self.work.textured_pixels += pixels;
    }

    /// Walks one content stream in `state`; returns early once a limit is passed.
    fn walk(
        &mut self,
        content: &[u8],
        mut state: State,
        resources: Option<&'a Dictionary>,
        depth: usize,
    ) {
        let mut lexer = Lexer::new(content);
        let mut operands = Vec::new();
        let mut saved: Vec<State> = Vec::new();
        let mut path = Path::default();
        let num = |operands: &[Operand], i: usize| operands.get(i).and_then(Operand::number);
        while let Some(op) = lexer.next(&mut operands) {
            self.work.operators += 1;
            if self.done() {
                return;
            }
            let operator = match op {
                Op::InlineImage => {
                    let dict = match operands.first() {
                        Some(Operand::Dict(entries)) => entries.as_slice(),
                        _ => &[],
                    };
                    let size = |short: &[u8], long: &[u8]| {
                        dict.chunks_exact(2)
                            .find(|kv| kv[0].name().is_some_and(|k| k == short || k == long))
                            .and_then(|kv| kv[1].number())
                            .unwrap_or(0.0)
                    };
                    self.image(&state, size(b"W", b"Width"), size(b"H", b"Height"));
                    continue;
                }
                Op::Operator(operator) => operator,
            };
            let point = |i: usize| {
                let (x, y) = (num(&operands, i)?, num(&operands, i + 1)?);
                Some(state.ctm.apply(x, y))
            };
            match operator {
                b"q" if saved.len() < MAX_SAVED_STATES => saved.push(state),
                b"Q" => state = saved.pop().unwrap_or(state),
                b"cm" => {
                    let m: Option<Vec<f64>> = (0..6).map(|i| num(&operands, i)).collect();
                    if let Some(Ok(m)) = m.map(<[f64; 6]>::try_from) {
                        let m = Matrix(m);
                        if m.is_finite() {
                            state.ctm = m.then(state.ctm);
                        }
                    }
                }
                b"w" => state.line_width = num(&operands, 0).unwrap_or(state.line_width),
                b"m" => {
                    if let Some(p) = point(0) {
                        path.move_to(p);
                    }
                }
                b"l" => {
                    if let Some(p) = point(0) {
                        path.line_to(p);
                    }
                }
                // A curve lies within its control polygon; its length is at most the polygon's.
                b"c" => {
                    for p in [point(0), point(2), point(4)].into_iter().flatten() {
                        path.line_to(p);
                    }
                }
                b"v" | b"y" => {
                    for p in [point(0), point(2)].into_iter().flatten() {
                        path.line_to(p);
                    }
                }
                b"h" => path.line_to(path.start),
                b"re" => {
                    if let (Some(x), Some(y), Some(w), Some(h)) = (
                        num(&operands, 0),
                        num(&operands, 1),
                        num(&operands, 2),
                        num(&operands, 3),
                    ) {
                        let ctm = state.ctm;
                        path.move_to(ctm.apply(x, y));
                        path.line_to(ctm.apply(x + w, y));
                        path.line_to(ctm.apply(x + w, y + h));
                        path.line_to(ctm.apply(x, y + h));
                        path.line_to(path.start);
                    }
                }
                b"W" | b"W*" => path.clips = true,
                b"f" | b"F" | b"f*" => self.end_path(&mut path, &mut state, true, false),
                b"S" => self.end_path(&mut path, &mut state, false, true),
                b"s" => {
                    path.line_to(path.start);
                    self.end_path(&mut path, &mut state, false, true);
                }
                b"B" | b"B*" => self.end_path(&mut path, &mut state, true, true),
                b"b" | b"b*" => {
                    path.line_to(path.start);
                    self.end_path(&mut path, &mut state, true, true);
                }
                b"n" => self.end_path(&mut path, &mut state, false, false),
                // A shading fills the clip it is drawn in.
                b"sh" => self.paint_textured(state.clip),
                b"BT" => state.text_matrix = Matrix::IDENTITY,
                b"Tm" => {
                    let m: Option<Vec<f64>> = (0..6).map(|i| num(&operands, i)).collect();
                    if let Some(Ok(m)) = m.map(<[f64; 6]>::try_from) {
                        state.text_matrix = Matrix(m);
                    }
                }
                b"Tf" => state.font_size = num(&operands, 1).unwrap_or(state.font_size),
                b"Tz" => {
                    state.horizontal_scaling =
                        num(&operands, 0).map_or(state.horizontal_scaling, |z| z / 100.0);
                }
                b"Tr" => state.text_mode = num(&operands, 0).map_or(state.text_mode, |m| m as i64),
                b"Tj" | b"'" | b"\"" | b"TJ" => {
                    let glyphs: usize = operands
                        .iter()
                        .map(|o| match o {
                            Operand::String(s) => s.len(),
                            Operand::Array(items) => items
                                .iter()
                                .map(|i| match i {
                                    Operand::String(s) => s.len(),
                                    _ => 0,
                                })
                                .sum(),
                            _ => 0,
                        })
                        .sum();
                    self.glyphs(&state, glyphs as f64);
                }
                b"Do" => {
                    if let Some(name) = operands.first().and_then(Operand::name) {
                        self.xobject(&state, resources, name, depth);
                    }
                }
                _ => {}
            }
        }
    }

    /// Ends the path: fills and strokes it as asked, clips with it if `W` came before.
    fn end_path(&mut self, path: &mut Path, state: &mut State, fill: bool, stroke: bool) {
        let taken = std::mem::take(path);
        let Some(bbox) = taken.bbox else {
            return;
        };
        if fill {
            self.paint(bbox);
            self.work.edge_pixels += taken.length;
        }
        if stroke {
            // At least a pixel wide, as the renderer draws a hairline.
            let width = (state.line_width.abs() * length_scale(state.ctm)).max(1.0);
            let grown = [
                bbox[0] - width / 2.0,
                bbox[1] - width / 2.0,
                bbox[2] + width / 2.0,
                bbox[3] + width / 2.0,
            ];
            let boxed = area(intersect(grown, self.page_box));
            self.work.painted_pixels += boxed.min(taken.length * (width + 1.0));
            self.work.edge_pixels += 2.0 * taken.length;
        }
        if taken.clips {
            self.paint(bbox);
            self.work.edge_pixels += taken.length;
            state.clip = intersect(state.clip, bbox);
        }
    }

    /// `count` glyphs in the current font: each counts its em square.
    fn glyphs(&mut self, state: &State, count: f64) {
        // Mode 3 draws nothing (a scanner's invisible OCR layer).
        if state.text_mode == 3 || count == 0.0 {
            return;
        }
        let size = state.font_size.abs() * length_scale(state.text_matrix.then(state.ctm));
        let em = size * size * state.horizontal_scaling.abs();
        let em = if em.is_finite() { em } else { f64::MAX };
        let page = area(self.page_box);
        self.work.painted_pixels += count * em.min(page);
        self.work.edge_pixels += count * 4.0 * em.min(page).sqrt();
    }

    fn image(&mut self, state: &State, width: f64, height: f64) {
        self.work.images += 1;
        let samples = (width.max(0.0) * height.max(0.0)).min(u64::MAX as f64 / 2.0);
        self.work.image_samples = self.work.image_samples.saturating_add(samples as u64);
        self.paint_textured(bbox_of(state.ctm, &corners([0.0, 0.0, 1.0, 1.0])));
    }

    fn xobject(
        &mut self,
        state: &State,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        depth: usize,
    ) {
        let document = self.document;
        let Some(reference) = xobject_entry(document, resources, name) else {
            return;
        };
        let Some(Object::Stream(stream)) = resolve(document, reference) else {
            return;
        };
        let dict = &stream.dict;
        match get_name(document, dict, b"Subtype") {
            Some(b"Image") => {
                let size = |d: &Dictionary, key: &[u8]| {
                    get(document, d, key).and_then(number).unwrap_or(0.0)
                };
                self.image(state, size(dict, b"Width"), size(dict, b"Height"));
                // A soft mask is decoded alongside the image.
                if let Some(Object::Stream(mask)) = get(document, dict, b"SMask") {
                    let samples = size(&mask.dict, b"Width") * size(&mask.dict, b"Height");
                    self.work.image_samples = self
                        .work
                        .image_samples
                        .saturating_add(samples.clamp(0.0, u64::MAX as f64 / 2.0) as u64);
                }
            }
            Some(b"Form") | None => {
                let id = match reference {
                    Object::Reference(id) => Some(*id),
                    _ => None,
                };
                let own = get_dict(document, dict, b"Resources").or(resources);
                self.form(state, id, stream, own, depth);
            }
            _ => {}
        }
    }

    /// Draws a form (or an annotation's appearance) in `state`: its `/Matrix` applied, clipped
    /// to its `/BBox` (which the renderer paints as a clip, each time).
    fn form(
        &mut self,
        state: &State,
        id: Option<ObjectId>,
        stream: &'a lopdf::Stream,
        resources: Option<&'a Dictionary>,
        depth: usize,
    ) {
        if depth >= MAX_FORM_DEPTH {
            return;
        }
        let (matrix, form_box) = self.form_geometry(&stream.dict);
        let mut inner = State {
            ctm: matrix.then(state.ctm),
            ..*state
        };
        if let Some(b) = form_box {
            let bbox = bbox_of(inner.ctm, &corners(b));
            self.paint(bbox);
            self.work.edge_pixels += 2.0 * ((bbox[2] - bbox[0]) + (bbox[3] - bbox[1])).max(0.0);
            inner.clip = intersect(inner.clip, bbox);
        }
        let Some(content) = self.form_content(id, stream) else {
            return;
        };
        self.walk(&content, inner, resources, depth + 1);
    }

    /// A form's `/Matrix` (identity when absent or unusable) and `/BBox`.
    fn form_geometry(&self, dict: &Dictionary) -> (Matrix, Option<[f64; 4]>) {
        let document = self.document;
        let numbers = |key: &[u8]| -> Option<Vec<f64>> {
            match get(document, dict, key)? {
                Object::Array(items) => numbers(document, items),
                _ => None,
            }
        };
        let matrix = numbers(b"Matrix")
            .and_then(|m| <[f64; 6]>::try_from(m).ok())
            .map(Matrix)
            .filter(|m| m.is_finite())
            .unwrap_or(Matrix::IDENTITY);
        let form_box = numbers(b"BBox").and_then(|b| <[f64; 4]>::try_from(b).ok());
        (matrix, form_box)
    }

    /// A form's decoded content, decoded once per walk (within [`MAX_FORM_BYTES`] in all).
    fn form_content(&mut self, id: Option<ObjectId>, stream: &lopdf::Stream) -> Option<Rc<[u8]>> {
        if let Some(content) = id.and_then(|id| self.forms.get(&id)) {
            return Some(content.clone());
        }
        let data: Rc<[u8]> = if stream.dict.has(b"Filter") {
            stream_data(stream)?.into()
        } else {
            stream.content.as_slice().into()
        };
        self.form_bytes += data.len();
        if self.form_bytes > MAX_FORM_BYTES {
            return None;
        }
        if let Some(id) = id {
            self.forms.insert(id, data.clone());
        }
        Some(data)
    }

    /// Annotation appearances, which the renderer draws over the page: each normal appearance
    /// mapped onto its annotation's rectangle.
    fn annotations(&mut self, page: &'a Dictionary, state: State) {
        let document = self.document;
        let Some(Object::Array(annotations)) = get(document, page, b"Annots") else {
            return;
        };
        for annotation in annotations {
            if self.done() {
                return;
            }
            let Some(Object::Dictionary(annotation)) = resolve(document, annotation) else {
                continue;
            };
            let Some(appearance) = get_dict(document, annotation, b"AP")
                .and_then(|ap| get(document, ap, b"N").map(|n| (ap, n)))
                .and_then(|(_, normal)| match normal {
                    Object::Stream(s) => Some(s),
                    // Appearance states: the one named by `/AS`.
                    Object::Dictionary(states) => get_name(document, annotation, b"AS")
                        .and_then(|state| get(document, states, state))
                        .and_then(|s| match s {
                            Object::Stream(s) => Some(s),
                            _ => None,
                        }),
                    _ => None,
                })
            else {
                continue;
            };
            let rect = match get(document, annotation, b"Rect") {
                Some(Object::Array(r)) => numbers(document, r),
                _ => None,
            };
            let Some([x0, y0, x1, y1]) = rect.and_then(|r| <[f64; 4]>::try_from(r).ok()) else {
                continue;
            };
            // The appearance's box, as its matrix turns it, is scaled to fill the rectangle.
            let (x0, x1, y0, y1) = (x0.min(x1), x0.max(x1), y0.min(y1), y0.max(y1));
            let (matrix, form_box) = self.form_geometry(&appearance.dict);
            let placed_box = form_box.map(|b| bbox_of(matrix, &corners(b)));
            let to_rect = match placed_box {
                Some(b) if area(b) > 0.0 => {
                    let (sx, sy) = ((x1 - x0) / (b[2] - b[0]), (y1 - y0) / (b[3] - b[1]));
                    Matrix([sx, 0.0, 0.0, sy, x0 - b[0] * sx, y0 - b[1] * sy])
                }
                _ => Matrix([1.0, 0.0, 0.0, 1.0, x0, y0]),
            };
            let placed = State {
                ctm: to_rect.then(state.ctm),
                ..state
            };
            let resources = get_dict(document, &appearance.dict, b"Resources");
            self.form(&placed, None, appearance, resources, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, dictionary};

    const LETTER_300: f64 = 300.0 / 72.0;

    /// A Letter page drawing `content`, with `/X` a form drawing `form` and `/I` a 2000 × 2000
    /// image.
    fn page(content: &str, form: &str) -> (Document, ObjectId) {
        let mut document = Document::with_version("1.5");
        let image = document.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 2000,
            "Height" => 2000, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            Vec::new(),
        ));
        let form = document.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()] },
            form.as_bytes().to_vec(),
        ));
        let contents =
            document.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page = document.add_object(dictionary! {
            "Type" => "Page", "Contents" => contents,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "X" => form, "I" => image } },
        });
        (document, page)
    }

    fn work(content: &str, form: &str) -> Work {
        let (document, page) = page(content, form);
        estimate(&document, page, &[], LETTER_300)
    }

    const PAGE_PIXELS: f64 = 2550.0 * 3300.0;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * b.abs().max(1.0)
    }

    #[test]
    fn a_full_page_fill_paints_the_page_and_its_outline() {
        let w = work("0 0 612 792 re f", "");
        assert!(close(w.painted_pixels, PAGE_PIXELS), "{w:?}");
        assert!(close(w.edge_pixels, 2.0 * (2550.0 + 3300.0)), "{w:?}");
        assert_eq!(w.operators, 2);
    }

    #[test]
    fn what_lies_off_the_page_is_not_counted_and_the_ctm_scales() {
        // Half the rectangle is off the page; the CTM doubles it.
        let w = work("2 0 0 2 0 0 cm 153 0 306 396 re f", "");
        assert!(close(w.painted_pixels, PAGE_PIXELS / 2.0), "{w:?}");
    }

    #[test]
    fn a_triangle_counts_its_bounding_box() {
        let w = work("0 0 m 612 0 l 0 396 l h f", "");
        assert!(close(w.painted_pixels, PAGE_PIXELS / 2.0), "{w:?}");
        let hypotenuse = 2550.0f64.hypot(1650.0);
        assert!(close(w.edge_pixels, 2550.0 + 1650.0 + hypotenuse), "{w:?}");
    }

    #[test]
    fn a_thin_diagonal_stroke_counts_its_length_times_its_width_not_its_box() {
        let w = work("1 w 0 0 m 612 792 l S", "");
        let length = 2550.0f64.hypot(3300.0);
        let width = LETTER_300;
        assert!(close(w.painted_pixels, length * (width + 1.0)), "{w:?}");
        assert!(close(w.edge_pixels, 2.0 * length), "{w:?}");
    }

    #[test]
    fn forms_count_each_time_they_are_drawn_with_their_box_as_a_clip() {
        let w = work("/X Do /X Do /X Do", "0 0 306 396 re f");
        // Each draw: the form's box (the page) as a clip, then a quarter page filled.
        assert!(close(w.painted_pixels, 3.0 * 1.25 * PAGE_PIXELS), "{w:?}");
        assert_eq!(w.operators, 3 + 3 * 2);
    }

    #[test]
    fn a_form_that_draws_itself_stops_at_the_renderer_depth_and_at_the_limits() {
        // Drawing itself once: MAX_FORM_DEPTH levels, as the renderer goes.
        let w = work("/X Do", "/X Do");
        assert_eq!(w.operators, 1 + MAX_FORM_DEPTH as u64);
        // Twice: 2^50 draws. The walk stops past the operator limit.
        let w = work("/X Do", "/X Do /X Do");
        assert_eq!(w.over(), Some(Limit::Operators), "{w:?}");
        assert!(w.operators > MAX_OPERATORS && w.operators < MAX_OPERATORS + 100);
    }

    #[test]
    fn images_count_their_samples_each_time_they_are_drawn() {
        let content = "q 612 0 0 792 0 0 cm /I Do Q ".repeat(100);
        let w = work(&content, "");
        assert_eq!(w.image_samples, 100 * 4_000_000);
        assert_eq!(w.images, 100);
        assert_eq!(w.over(), Some(Limit::ImageSamples));
        let message = w.refusal(Limit::ImageSamples).to_string();
        assert!(
            message.contains("400 million image pixels in all, 100 images"),
            "{message}"
        );
        assert!(message.contains("the limit is 40 million"), "{message}");
        let w = work("q 612 0 0 792 0 0 cm /I Do Q", "");
        assert!(close(w.painted_pixels, PAGE_PIXELS), "{w:?}");
        assert_eq!(w.painted_pixels, w.textured_pixels);
        assert_eq!(w.over(), None);
        // A small image drawn over the page again and again takes time, not memory.
        let w = work(
            &"q 612 0 0 792 0 0 cm BI /W 8 /H 8 /BPC 8 /CS /G ID x EI Q ".repeat(20),
            "",
        );
        assert_eq!(w.over(), Some(Limit::TexturedPixels), "{w:?}");
        // Inline images too.
        let w = work(
            "q 10 0 0 10 0 0 cm BI /W 4000 /H 3000 /BPC 8 /CS /G ID x EI Q",
            "",
        );
        assert_eq!((w.image_samples, w.images), (12_000_000, 1));
    }

    #[test]
    fn glyphs_count_their_em_squares() {
        let w = work("BT /F1 10 Tf 72 700 Td (Hello) Tj [(a) -20 (b)] TJ ET", "");
        let em = (10.0 * LETTER_300).powi(2);
        assert!(close(w.painted_pixels, 7.0 * em), "{w:?}");
        // An invisible OCR layer draws nothing.
        let w = work("BT 3 Tr /F1 10 Tf (Hello) Tj ET", "");
        assert_eq!(w.painted_pixels, 0.0);
        // A glyph larger than the page counts as the page.
        let w = work("BT /F1 100000 Tf (A) Tj ET", "");
        assert!(close(w.painted_pixels, PAGE_PIXELS), "{w:?}");
    }

    #[test]
    fn a_shading_fills_its_clip() {
        let w = work("q 0 0 306 396 re W n /Sh sh Q /Sh sh", "");
        // The clip path itself, the shading within it, then the shading on the whole page.
        assert!(close(w.painted_pixels, 1.5 * PAGE_PIXELS), "{w:?}");
    }

    #[test]
    fn a_page_of_outlined_text_is_far_inside_every_limit() {
        // 5,000 glyphs of 10 pt text, each an outline of 40 curves within a 6 × 7 pt box.
        let glyph = "0 0 m ".to_string() + &"1 1 2 3 3 5 c ".repeat(20) + "6 7 l 0 7 l h f\n";
        let mut content = String::new();
        for row in 0..100 {
            for column in 0..50 {
                content += &format!(
                    "q 1 0 0 1 {} {} cm {glyph}Q\n",
                    30 + column * 11,
                    20 + row * 7
                );
            }
        }
        let w = work(&content, "");
        assert_eq!(w.over(), None, "{w:?}");
        assert!(w.painted_pixels < MAX_PAINTED_PIXELS / 1000.0, "{w:?}");
        assert!(w.edge_pixels < MAX_EDGE_PIXELS / 5.0, "{w:?}");
        assert!(w.operators < MAX_OPERATORS / 10, "{w:?}");
    }

    #[test]
    fn ten_thousand_half_page_triangles_are_over_the_painted_limit() {
        let content = "0 0 m 612 0 l 0 396 l f\n".repeat(10_000);
        let w = work(&content, "");
        assert_eq!(w.over(), Some(Limit::PaintedPixels), "{w:?}");
        let message = w.refusal(Limit::PaintedPixels).to_string();
        assert!(
            message.starts_with("the page was not drawn: it paints 4"),
            "{message}"
        );
        assert!(message.contains("(the limit is 4 billion)"), "{message}");
    }

    #[test]
    fn a_long_zigzag_is_over_the_edge_limit_though_its_box_is_one_page() {
        let content = "0 0 m ".to_string() + &"612 792 l 0 0 l ".repeat(5_000) + "f";
        let w = work(&content, "");
        assert_eq!(w.over(), Some(Limit::EdgePixels), "{w:?}");
    }

    #[test]
    fn annotation_appearances_are_counted() {
        let (mut document, page) = page("", "");
        let appearance = document.add_object(Stream::new(
            dictionary! { "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 1.into(), 1.into()] },
            "0 0 1 1 re f\n".repeat(10).into_bytes(),
        ));
        let annotation = dictionary! {
            "Subtype" => "Stamp", "Rect" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "AP" => dictionary! { "N" => appearance },
        };
        document
            .get_dictionary_mut(page)
            .unwrap()
            .set("Annots", vec![Object::from(annotation)]);
        let w = estimate(&document, page, &[], LETTER_300);
        assert_eq!(w.operators, 20);
    }

    /// The measurement behind the limits (see the module comment): prints the work estimate of
    /// each page of the PDF in `I797_RENDER_COST`, and renders it with no budget when
    /// `I797_RENDER_COST_DRAW` is set, so that the test binary's peak memory under
    /// `/usr/bin/time -v` is the renderer's.
    #[test]
    #[ignore = "a measurement, run by hand"]
    fn render_cost() {
        let Ok(path) = std::env::var("I797_RENDER_COST") else {
            return;
        };
        let bytes: std::sync::Arc<[u8]> = std::fs::read(path).unwrap().into();
        let document = Document::load_mem(&bytes).unwrap();
        let draw = std::env::var_os("I797_RENDER_COST_DRAW").is_some();
        for (number, id) in document.get_pages() {
            let dict = document.get_dictionary(id).unwrap();
            let (width, height) = pages::View::of(&document, dict).size();
            let scale = crate::source::pdf::render::render_scale(width as f32, height as f32);
            let started = std::time::Instant::now();
            let work = estimate(&document, id, &bytes, f64::from(scale));
            eprintln!(
                "page {number}: {work:?}, over: {:?}, estimated in {:?}",
                work.over(),
                started.elapsed()
            );
            if draw {
                let started = std::time::Instant::now();
                let drawn = crate::source::pdf::render::render_page(&bytes, id, None);
                eprintln!("  drawn in {:?}: {:?}", started.elapsed(), drawn.err());
            }
        }
    }

    #[test]
    fn a_page_near_two_limits_is_over_the_memory_they_take_together() {
        // 9 images of 2000 × 2000 (36 M samples) and a path with 30 M edge pixels.
        let images = "q 612 0 0 792 0 0 cm /I Do Q ".repeat(9);
        let zigzag = "0 0 m ".to_string() + &"612 792 l 0 0 l ".repeat(3_600) + "f";
        let w = work(&(images + &zigzag), "");
        assert!(w.image_samples < MAX_IMAGE_SAMPLES && w.edge_pixels < MAX_EDGE_PIXELS);
        assert_eq!(w.over(), Some(Limit::DrawingBytes), "{w:?}");
        let message = w.refusal(Limit::DrawingBytes).to_string();
        assert!(message.contains("(the limit is 200 MB)"), "{message}");
    }

    #[test]
    fn amounts_read_at_a_glance() {
        assert_eq!(amount(4_100_000_000.0), "4.1 billion");
        assert_eq!(amount(4e9), "4 billion");
        assert_eq!(amount(40e6), "40 million");
        assert_eq!(amount(12_000.0), "12,000");
        assert_eq!(amount(999.0), "999");
    }
}
