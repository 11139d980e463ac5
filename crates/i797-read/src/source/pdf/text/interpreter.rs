//! PDF reading, text layer: the content-stream interpreter. Runs text operators, the graphics
//! state and marked-content visibility into glyphs in display space. Invariant: bounded work
//! (operators, codes, glyphs, saved states all capped). Must not: decode fonts itself
//! (`font.rs`), lay out text (`finish.rs`, `layout.rs`).

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::MAX_OPERATIONS;
use crate::source::pdf::font::Font;
use crate::source::pdf::layout::WORD_GAP;
use crate::source::pdf::matrix::Matrix;
use crate::source::pdf::objects::{get, get_dict, get_number};
use crate::source::pdf::syntax::{Lexer, Op, Operand, full_key};

/// Glyphs kept per page.
const MAX_GLYPHS: usize = 500_000;
/// Character codes shown per page, drawn or not, before giving up on the rest.
const MAX_CODES: usize = 20_000_000;
/// Deepest `q` nesting kept (real pages need a handful).
const MAX_SAVED_STATES: usize = 1024;

impl Matrix {
    fn from_operands(operands: &[Operand]) -> Option<Matrix> {
        let v: Vec<f64> = operands
            .iter()
            .map(Operand::number)
            .collect::<Option<_>>()?;
        Matrix::from_slice(&v)
    }
}

#[derive(Clone, Debug)]
pub(super) struct GraphicsState {
    pub(super) ctm: Matrix,
    pub(super) font: Option<Rc<Font>>,
    pub(super) font_size: f64,
    pub(super) char_spacing: f64,
    pub(super) word_spacing: f64,
    /// Horizontal scaling as a factor (`Tz 100` is 1).
    pub(super) scaling: f64,
    pub(super) leading: f64,
    pub(super) rise: f64,
    pub(super) render_mode: i64,
    /// Fill opacity below 1, or a soft mask: images drawn now do not hide what is under them.
    pub(super) translucent: bool,
}

impl GraphicsState {
    pub(super) fn new(ctm: Matrix) -> Self {
        GraphicsState {
            ctm,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scaling: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
            translucent: false,
        }
    }
}

/// A glyph as drawn, in display space (x right, y down).
pub(super) struct Drawn {
    pub(super) text: Option<String>,
    pub(super) start: (f64, f64),
    pub(super) end: (f64, f64),
    /// The text direction, as one of four quarter turns clockwise from left-to-right.
    pub(super) direction: u8,
    pub(super) size: f64,
    pub(super) visible: bool,
    pub(super) seq: usize,
    pub(super) joined: bool,
    /// The font, when its encoding was guessed (see [`Font::guessed`]).
    pub(super) guessed_font: Option<usize>,
}

pub(super) struct Interpreter<'d> {
    pub(super) document: &'d Document,
    /// Fonts loaded so far, by the address of their dictionary in the document.
    pub(super) fonts: HashMap<usize, Rc<Font>>,
    /// For fonts with a guessed encoding: control codes drawn, and all codes drawn.
    pub(super) guessed_codes: HashMap<usize, (usize, usize)>,
    pub(super) fallback_font: Option<Rc<Font>>,
    pub(super) glyphs: Vec<Drawn>,
    /// Form XObjects being drawn (for cycles).
    pub(super) forms: Vec<ObjectId>,
    /// Decoded content of the forms drawn so far (a form is often drawn many times).
    pub(super) form_content: HashMap<ObjectId, Rc<Vec<u8>>>,
    pub(super) form_bytes: usize,
    pub(super) form_read: usize,
    pub(super) codes: usize,
    pub(super) hiding_images: usize,
    pub(super) operations: usize,
    pub(super) width: f64,
    pub(super) height: f64,
    pub(super) image_cover: f64,
    pub(super) paths: usize,
    pub(super) seq: usize,
    /// The next string continues where the last one ended, with no move in between: its first
    /// glyph is spaced from the last one by the font's widths.
    pub(super) chained: bool,
}
impl<'d> Interpreter<'d> {
    pub(super) fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        state: GraphicsState,
    ) {
        let mut stack: Vec<GraphicsState> = Vec::new();
        let mut gs = state;
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut lexer = Lexer::new(content);
        let mut operands = Vec::new();
        while let Some(op) = lexer.next(&mut operands) {
            self.operations += 1;
            if self.operations > MAX_OPERATIONS {
                return;
            }
            let op = match op {
                Op::InlineImage => {
                    let mask = dict_flag(&operands, &[b"IM", b"ImageMask"]);
                    self.draw_image(&gs, !mask);
                    continue;
                }
                Op::Operator(op) => op,
            };
            let num = |i: usize| operands.get(i).and_then(Operand::number);
            if matches!(
                op,
                b"BT" | b"Td" | b"TD" | b"Tm" | b"T*" | b"'" | b"\"" | b"cm" | b"Do"
            ) {
                self.chained = false;
            }
            match op {
                b"q" if stack.len() < MAX_SAVED_STATES => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                b"cm" => {
                    if let Some(m) = Matrix::from_operands(&operands) {
                        gs.ctm = m.then(gs.ctm);
                    }
                }
                b"gs" => {
                    if let Some(name) = operands.first().and_then(Operand::name) {
                        self.set_ext_state(&mut gs, resources, name);
                    }
                }
                b"BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                b"Tf" => {
                    if let (Some(name), Some(size)) =
                        (operands.first().and_then(Operand::name), num(1))
                    {
                        gs.font = Some(self.font(resources, name));
                        gs.font_size = size;
                    }
                }
                b"Tc" => gs.char_spacing = num(0).unwrap_or(gs.char_spacing),
                b"Tw" => gs.word_spacing = num(0).unwrap_or(gs.word_spacing),
                b"Tz" => gs.scaling = num(0).map_or(gs.scaling, |z| z / 100.0),
                b"TL" => gs.leading = num(0).unwrap_or(gs.leading),
                b"Ts" => gs.rise = num(0).unwrap_or(gs.rise),
                b"Tr" => gs.render_mode = num(0).map_or(gs.render_mode, |r| r as i64),
                b"Td" | b"TD" => {
                    if let (Some(x), Some(y)) = (num(0), num(1)) {
                        if op == b"TD" {
                            gs.leading = -y;
                        }
                        tlm = Matrix::translate(x, y).then(tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    if let Some(m) = Matrix::from_operands(&operands) {
                        tlm = m;
                        tm = m;
                    }
                }
                b"T*" => {
                    tlm = Matrix::translate(0.0, -gs.leading).then(tlm);
                    tm = tlm;
                }
                b"Tj" => {
                    if let Some(Operand::String(s)) = operands.first() {
                        self.show(&gs, &mut tm, s);
                    }
                }
                b"'" | b"\"" => {
                    if op == b"\"" {
                        gs.word_spacing = num(0).unwrap_or(gs.word_spacing);
                        gs.char_spacing = num(1).unwrap_or(gs.char_spacing);
                    }
                    tlm = Matrix::translate(0.0, -gs.leading).then(tlm);
                    tm = tlm;
                    if let Some(Operand::String(s)) = operands.last() {
                        self.show(&gs, &mut tm, s);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = operands.first() {
                        for item in items {
                            match item {
                                Operand::String(s) => self.show(&gs, &mut tm, s),
                                Operand::Number(n) => {
                                    let tx = -n / 1000.0 * gs.font_size * gs.scaling;
                                    tm = Matrix::translate(tx, 0.0).then(tm);
                                    // A deliberate move: the next string may start a new word.
                                    self.chained = false;
                                }
                                _ => {}
                            }
                        }
                    }
                }
                b"Do" => {
                    if let Some(name) = operands.first().and_then(Operand::name) {
                        self.draw_xobject(&gs, resources, name);
                    }
                }
                b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"S" | b"s" | b"sh" => {
                    self.paths += 1;
                }
                _ => {}
            }
        }
    }

    pub(super) fn set_ext_state(
        &self,
        gs: &mut GraphicsState,
        resources: Option<&Dictionary>,
        name: &[u8],
    ) {
        let Some(state) = resources
            .and_then(|r| get_dict(self.document, r, b"ExtGState"))
            .and_then(|states| get_dict(self.document, states, name))
        else {
            return;
        };
        if let Some(alpha) = get_number(self.document, state, b"ca") {
            gs.translucent = alpha < 0.99;
        }
        if let Some(mask) = get(self.document, state, b"SMask") {
            gs.translucent = !matches!(mask, Object::Name(n) if n == b"None");
        }
    }

    pub(super) fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Rc<Font> {
        let dict = resources
            .and_then(|r| get_dict(self.document, r, b"Font"))
            .and_then(|fonts| get_dict(self.document, fonts, name));
        match dict {
            Some(dict) => {
                let key = dict as *const Dictionary as usize;
                let document = self.document;
                self.fonts
                    .entry(key)
                    .or_insert_with(|| Rc::new(Font::load(document, dict)))
                    .clone()
            }
            None => self
                .fallback_font
                .get_or_insert_with(|| Rc::new(Font::fallback()))
                .clone(),
        }
    }

    /// Draws a string, moving the text matrix past it.
    pub(super) fn show(&mut self, gs: &GraphicsState, tm: &mut Matrix, bytes: &[u8]) {
        let font = match &gs.font {
            Some(font) => font.clone(),
            None => self
                .fallback_font
                .get_or_insert_with(|| Rc::new(Font::fallback()))
                .clone(),
        };
        let visible = !matches!(gs.render_mode, 3 | 7);
        // Character spacing as wide as a word space means the gaps inside this string are
        // real (some producers space every letter, then pull letters of a word together).
        let tracked = (gs.char_spacing * gs.scaling).abs() >= WORD_GAP * gs.font_size.abs();
        let size_matrix = Matrix([
            gs.font_size * gs.scaling,
            0.0,
            0.0,
            gs.font_size,
            0.0,
            gs.rise,
        ]);
        let codes = font.codes(bytes);
        self.codes += codes.len();
        if self.codes > MAX_CODES {
            // Stop the page here: the run loop checks the operation count.
            self.operations = MAX_OPERATIONS;
            return;
        }
        for (i, code) in codes.into_iter().enumerate() {
            let advance = font.advance(code);
            if self.glyphs.len() < MAX_GLYPHS {
                let trm = size_matrix.then(*tm).then(gs.ctm);
                let [ta, tb, tc, td, _, _] = trm.0;
                let start = trm.apply(0.0, 0.0);
                let end = trm.apply(advance, 0.0);
                let direction = if ta.abs() >= tb.abs() {
                    if ta >= 0.0 { 0 } else { 2 }
                } else if tb > 0.0 {
                    1
                } else {
                    3
                };
                self.seq += 1;
                let guessed_font = font.guessed.then_some(Rc::as_ptr(&font) as usize);
                if let Some(key) = guessed_font {
                    let counts = self.guessed_codes.entry(key).or_default();
                    counts.0 += usize::from(code.value < 32 && !matches!(code.value, 9 | 10 | 13));
                    counts.1 += 1;
                }
                self.glyphs.push(Drawn {
                    text: font.text(code),
                    start,
                    end,
                    direction,
                    size: tc.hypot(td),
                    visible,
                    seq: self.seq,
                    joined: !tracked && (i > 0 || self.chained),
                    guessed_font,
                });
            }
            let spacing = if code.len == 1 && code.value == 32 {
                gs.word_spacing
            } else {
                0.0
            };
            let tx = (advance * gs.font_size + gs.char_spacing + spacing) * gs.scaling;
            *tm = Matrix::translate(tx, 0.0).then(*tm);
        }
        self.chained = true;
    }
}

/// Whether an inline image dictionary sets one of `keys` to true.
fn dict_flag(operands: &[Operand], keys: &[&[u8]]) -> bool {
    let Some(Operand::Dict(items)) = operands.first() else {
        return false;
    };
    items.chunks_exact(2).any(|pair| {
        matches!(&pair[0], Operand::Name(k) if keys.contains(&full_key(k)))
            && pair[1] == Operand::Bool(true)
    })
}
