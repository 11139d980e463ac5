//! The work budget's walk: a page's content stream read for what drawing it costs (painted
//! pixels, edge pixels, image samples, operators), at the render scale. Invariant: stops once
//! past `MAX_OPERATORS`; never panics. Must not: decide whether a page is refused (`work.rs`).

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, ObjectId};

use super::{MAX_OPERATORS, MAX_SAVED_STATES, Work};
use crate::source::pdf::matrix::Matrix;
use crate::source::pdf::syntax::{Lexer, Op, Operand, full_key};

/// An axis-aligned box in device pixels: x0, y0, x1, y1.
pub(super) type Rect = [f64; 4];

pub(super) fn area(r: Rect) -> f64 {
    let a = (r[2] - r[0]).max(0.0) * (r[3] - r[1]).max(0.0);
    if a.is_finite() { a } else { 0.0 }
}

pub(super) fn intersect(a: Rect, b: Rect) -> Rect {
    [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ]
}

/// How much `m` scales lengths, on average over directions (the square root of its area
/// factor).
pub(super) fn length_scale(m: Matrix) -> f64 {
    let [a, b, c, d, _, _] = m.0;
    let s = (a * d - b * c).abs().sqrt();
    if s.is_finite() { s } else { 0.0 }
}

#[derive(Clone, Copy, Debug)]
pub(super) struct State {
    /// User space to device pixels.
    pub(super) ctm: Matrix,
    /// Bounding box of the clip in force, device pixels.
    pub(super) clip: Rect,
    pub(super) line_width: f64,
    pub(super) font_size: f64,
    pub(super) horizontal_scaling: f64,
    /// Only its linear part matters to a glyph's size.
    pub(super) text_matrix: Matrix,
    pub(super) text_mode: i64,
}

/// The path under construction, in device pixels.
#[derive(Debug, Default)]
pub(super) struct Path {
    pub(super) bbox: Option<Rect>,
    pub(super) length: f64,
    pub(super) current: (f64, f64),
    pub(super) start: (f64, f64),
    /// `W` or `W*` was read: the path clips when it is ended.
    pub(super) clips: bool,
}

impl Path {
    pub(super) fn include(&mut self, (x, y): (f64, f64)) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        let r = self.bbox.get_or_insert([x, y, x, y]);
        *r = [r[0].min(x), r[1].min(y), r[2].max(x), r[3].max(y)];
    }

    pub(super) fn move_to(&mut self, p: (f64, f64)) {
        self.include(p);
        self.current = p;
        self.start = p;
    }

    pub(super) fn line_to(&mut self, p: (f64, f64)) {
        self.include(p);
        let length = (p.0 - self.current.0).hypot(p.1 - self.current.1);
        if length.is_finite() {
            self.length += length;
        }
        self.current = p;
    }
}

pub(super) struct Walker<'a> {
    pub(super) document: &'a Document,
    /// The visible page in device pixels: what is drawn outside it costs (almost) nothing.
    pub(super) page_box: Rect,
    pub(super) work: Work,
    /// Decoded content of the forms drawn so far.
    pub(super) forms: HashMap<ObjectId, Rc<[u8]>>,
    pub(super) form_bytes: usize,
}

impl<'a> Walker<'a> {
    /// The walk's own time is bounded by the operators it reads; it goes on past the other
    /// limits, so that the refusal gives the page's real totals.
    pub(super) fn done(&self) -> bool {
        self.work.operators > MAX_OPERATORS
    }

    pub(super) fn paint(&mut self, bbox: Rect) {
        self.work.painted_pixels += area(intersect(bbox, self.page_box));
    }

    /// Paints `bbox` with an image or a shading: each pixel computed on its own.
    pub(super) fn paint_textured(&mut self, bbox: Rect) {
        let pixels = area(intersect(bbox, self.page_box));
        self.work.painted_pixels += pixels;
        self.work.textured_pixels += pixels;
    }

    /// Walks one content stream in `state`; returns early once a limit is passed.
    pub(super) fn walk(
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
                    let size = |key: &[u8]| {
                        dict.chunks_exact(2)
                            .find(|kv| kv[0].name().is_some_and(|k| full_key(k) == key))
                            .and_then(|kv| kv[1].number())
                            .unwrap_or(0.0)
                    };
                    self.image(&state, size(b"Width"), size(b"Height"));
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
    pub(super) fn end_path(
        &mut self,
        path: &mut Path,
        state: &mut State,
        fill: bool,
        stroke: bool,
    ) {
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
    pub(super) fn glyphs(&mut self, state: &State, count: f64) {
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

    pub(super) fn image(&mut self, state: &State, width: f64, height: f64) {
        self.work.images += 1;
        let samples = (width.max(0.0) * height.max(0.0)).min(u64::MAX as f64 / 2.0);
        self.work.image_samples = self.work.image_samples.saturating_add(samples as u64);
        self.paint_textured(state.ctm.map_box([0.0, 0.0, 1.0, 1.0]));
    }
}
