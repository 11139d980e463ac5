//! PDF reading, text layer: interprets a page's content stream (text operators, the graphics
//! state, Form XObjects) into positioned glyphs, and lays them out as text (see
//! [`i797_core::PageText`]), with the facts needed to judge whether the layer is usable.
//!
//! Invariant: bounded work on any input. Forms nest at most [`MAX_FORM_DEPTH`] deep and never
//! into themselves, and a page stops after [`MAX_OPERATIONS`] operators, so neither a hostile
//! file nor a form drawn a million times can hang a worker or overflow its stack.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::Font;
use super::layout::{Glyph, WORD_GAP, lay_out};
use super::objects::{
    as_dict, get, get_array, get_dict, get_name, get_number, numbers, stream_data, xobject_entry,
};
use super::pages::{self, View};
use super::syntax::{Lexer, Op, Operand};

/// Deepest nesting of Form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
/// Operators interpreted per page, forms included, before giving up on the rest.
const MAX_OPERATIONS: usize = 4_000_000;
/// Glyphs kept per page.
const MAX_GLYPHS: usize = 500_000;
/// Decoded Form XObject content per page, all forms together.
const MAX_FORM_BYTES: usize = 256 << 20;
/// Form content read per page, counting a form each time it is drawn.
const MAX_FORM_READ: usize = 1 << 30;
/// Character codes shown per page, drawn or not, before giving up on the rest.
const MAX_CODES: usize = 20_000_000;
/// Images large enough to hide text under them that are checked against the text drawn so far.
const MAX_HIDING_IMAGES: usize = 64;
/// Annotations drawn per page.
const MAX_ANNOTATIONS: usize = 10_000;
/// Deepest `q` nesting kept (real pages need a handful).
const MAX_SAVED_STATES: usize = 1024;

/// Above this share of undecodable glyphs, a text layer is glyph soup.
const MAX_UNKNOWN_SHARE: f64 = 0.25;
/// Images covering this share of the page make it a picture…
const PICTURE_COVER: f64 = 0.5;
/// …and so do this many painted paths (text drawn as outlines)…
const PICTURE_PATHS: usize = 200;
/// …unless the page has at least this much visible text over it.
const MIN_CHARS_OVER_PICTURE: usize = 100;

/// An affine transformation `[a b c d e f]`, applied to row vectors as PDF does.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Matrix {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    e: f64,
    f: f64,
}

impl Matrix {
    const IDENTITY: Matrix = Matrix::new(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);

    const fn new(a: f64, b: f64, c: f64, d: f64, e: f64, f: f64) -> Matrix {
        Matrix { a, b, c, d, e, f }
    }

    fn from_operands(operands: &[Operand]) -> Option<Matrix> {
        let v: Vec<f64> = operands
            .iter()
            .map(Operand::number)
            .collect::<Option<_>>()?;
        Matrix::from_slice(&v)
    }

    fn from_slice(v: &[f64]) -> Option<Matrix> {
        match v {
            &[a, b, c, d, e, f] => Some(Matrix::new(a, b, c, d, e, f)),
            _ => None,
        }
    }

    fn translate(x: f64, y: f64) -> Matrix {
        Matrix::new(1.0, 0.0, 0.0, 1.0, x, y)
    }

    /// `self` then `then`.
    fn then(&self, then: &Matrix) -> Matrix {
        Matrix {
            a: self.a * then.a + self.b * then.c,
            b: self.a * then.b + self.b * then.d,
            c: self.c * then.a + self.d * then.c,
            d: self.c * then.b + self.d * then.d,
            e: self.e * then.a + self.f * then.c + then.e,
            f: self.e * then.b + self.f * then.d + then.f,
        }
    }

    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.a * x + self.c * y + self.e,
            self.b * x + self.d * y + self.f,
        )
    }

    /// From user space to the displayed page: origin at the top left of the visible area, y
    /// down, the page's `/Rotate` applied.
    fn for_view(view: &View) -> Matrix {
        let [x0, y0, x1, y1] = view.rect;
        match view.rotate {
            90 => Matrix::new(0.0, 1.0, 1.0, 0.0, -y0, -x0),
            180 => Matrix::new(-1.0, 0.0, 0.0, 1.0, x1, -y0),
            270 => Matrix::new(0.0, -1.0, -1.0, 0.0, y1, x1),
            _ => Matrix::new(1.0, 0.0, 0.0, -1.0, -x0, y1),
        }
    }
}

/// A page's text layer and what was seen while drawing it.
#[derive(Debug, Default)]
pub(super) struct TextLayer {
    /// Layout text of the visible glyphs.
    pub visible: String,
    /// Layout text of the invisible ones (render mode 3 or 7, or painted over by an image):
    /// a scanner's OCR layer.
    pub hidden: String,
    /// Visible non-space characters with known text.
    pub visible_chars: usize,
    /// Visible glyphs whose text the font does not tell.
    pub unknown_glyphs: usize,
    /// Invisible non-space characters with known text.
    pub hidden_chars: usize,
    /// Share of the page covered by images (0–1, summed over images, capped).
    pub image_cover: f64,
    /// Path-painting operators (vector drawing, text drawn as outlines).
    pub paths: usize,
}

impl TextLayer {
    /// Whether the visible text layer is the page's text. Not when it is mostly undecodable
    /// glyphs, nor when a few words sit on a page that is otherwise a picture (a scan with a
    /// stamped page number, text drawn as outlines): then the picture must be read.
    pub(super) fn is_usable(&self) -> bool {
        if self.visible_chars == 0 {
            return false;
        }
        let known = self.visible_chars as f64;
        let unknown = self.unknown_glyphs as f64;
        if unknown > MAX_UNKNOWN_SHARE * (known + unknown) {
            return false;
        }
        let picture = self.image_cover >= PICTURE_COVER || self.paths >= PICTURE_PATHS;
        !(picture && self.visible_chars < MIN_CHARS_OVER_PICTURE)
    }
}

/// Reads the text layer of a page: its content, then its annotations' appearances.
/// `bytes` is the file, for salvaging damaged content streams.
pub(super) fn read_page(document: &Document, bytes: &[u8], page: &Dictionary) -> TextLayer {
    let view = View::of(document, page);
    let content = pages::content(document, bytes, page);
    let resources = pages::resources(document, page);
    let (width, height) = view.size();
    let mut interpreter = Interpreter {
        document,
        fonts: HashMap::new(),
        guessed_codes: HashMap::new(),
        fallback_font: None,
        glyphs: Vec::new(),
        forms: Vec::new(),
        form_content: HashMap::new(),
        form_bytes: 0,
        form_read: 0,
        codes: 0,
        hiding_images: 0,
        operations: 0,
        width,
        height,
        image_cover: 0.0,
        paths: 0,
        seq: 0,
        chained: false,
    };
    let state = GraphicsState::new(Matrix::for_view(&view));
    interpreter.run(&content, resources, state.clone());
    if let Some(annotations) = get_array(document, page, b"Annots") {
        for annotation in annotations.iter().take(MAX_ANNOTATIONS) {
            if let Some(annotation) = as_dict(document, annotation) {
                interpreter.chained = false;
                interpreter.draw_annotation(&state, annotation, resources);
            }
        }
    }
    interpreter.finish()
}

/// A form's `/Matrix` (identity when absent or malformed).
fn form_matrix(document: &Document, stream: &lopdf::Stream) -> Matrix {
    get_array(document, &stream.dict, b"Matrix")
        .and_then(|m| numbers(document, m))
        .and_then(|m| Matrix::from_slice(&m))
        .unwrap_or(Matrix::IDENTITY)
}

/// A rectangle's numbers as x0, y0, x1, y1 with x0 <= x1 and y0 <= y1.
fn rectangle(values: &[f64]) -> Option<[f64; 4]> {
    let &[a, b, c, d] = values else { return None };
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

#[derive(Clone, Debug)]
struct GraphicsState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f64,
    char_spacing: f64,
    word_spacing: f64,
    /// Horizontal scaling as a factor (`Tz 100` is 1).
    scaling: f64,
    leading: f64,
    rise: f64,
    render_mode: i64,
    /// Fill opacity below 1, or a soft mask: images drawn now do not hide what is under them.
    translucent: bool,
}

impl GraphicsState {
    fn new(ctm: Matrix) -> Self {
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
struct Drawn {
    text: Option<String>,
    start: (f64, f64),
    end: (f64, f64),
    /// The text direction, as one of four quarter turns clockwise from left-to-right.
    direction: u8,
    size: f64,
    visible: bool,
    seq: usize,
    joined: bool,
    /// The font, when its encoding was guessed (see [`Font::guessed`]).
    guessed_font: Option<usize>,
}

struct Interpreter<'d> {
    document: &'d Document,
    /// Fonts loaded so far, by the address of their dictionary in the document.
    fonts: HashMap<usize, Rc<Font>>,
    /// For fonts with a guessed encoding: control codes drawn, and all codes drawn.
    guessed_codes: HashMap<usize, (usize, usize)>,
    fallback_font: Option<Rc<Font>>,
    glyphs: Vec<Drawn>,
    /// Form XObjects being drawn (for cycles).
    forms: Vec<ObjectId>,
    /// Decoded content of the forms drawn so far (a form is often drawn many times).
    form_content: HashMap<ObjectId, Rc<Vec<u8>>>,
    form_bytes: usize,
    form_read: usize,
    codes: usize,
    hiding_images: usize,
    operations: usize,
    width: f64,
    height: f64,
    image_cover: f64,
    paths: usize,
    seq: usize,
    /// The next string continues where the last one ended, with no move in between: its first
    /// glyph is spaced from the last one by the font's widths.
    chained: bool,
}

impl<'d> Interpreter<'d> {
    fn run(&mut self, content: &[u8], resources: Option<&'d Dictionary>, state: GraphicsState) {
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
                        gs.ctm = m.then(&gs.ctm);
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
                        tlm = Matrix::translate(x, y).then(&tlm);
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
                    tlm = Matrix::translate(0.0, -gs.leading).then(&tlm);
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
                    tlm = Matrix::translate(0.0, -gs.leading).then(&tlm);
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
                                    tm = Matrix::translate(tx, 0.0).then(&tm);
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

    fn set_ext_state(&self, gs: &mut GraphicsState, resources: Option<&Dictionary>, name: &[u8]) {
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

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Rc<Font> {
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
    fn show(&mut self, gs: &GraphicsState, tm: &mut Matrix, bytes: &[u8]) {
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
        let size_matrix = Matrix::new(
            gs.font_size * gs.scaling,
            0.0,
            0.0,
            gs.font_size,
            0.0,
            gs.rise,
        );
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
                let trm = size_matrix.then(tm).then(&gs.ctm);
                let start = trm.apply(0.0, 0.0);
                let end = trm.apply(advance, 0.0);
                let direction = if trm.a.abs() >= trm.b.abs() {
                    if trm.a >= 0.0 { 0 } else { 2 }
                } else if trm.b > 0.0 {
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
                    size: trm.c.hypot(trm.d),
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
            *tm = Matrix::translate(tx, 0.0).then(tm);
        }
        self.chained = true;
    }

    fn draw_xobject(&mut self, gs: &GraphicsState, resources: Option<&'d Dictionary>, name: &[u8]) {
        let document = self.document;
        let Some(reference) = xobject_entry(document, resources, name) else {
            return;
        };
        let id = match reference {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Some(Object::Stream(stream)) = super::objects::resolve(document, reference) else {
            return;
        };
        match get_name(document, &stream.dict, b"Subtype") {
            Some(b"Image") => {
                let mask = matches!(
                    get(document, &stream.dict, b"ImageMask"),
                    Some(Object::Boolean(true))
                );
                let soft = stream.dict.has(b"SMask") || stream.dict.has(b"Mask");
                self.draw_image(gs, !mask && !soft);
            }
            Some(b"Form") | None => self.draw_form(gs, id, stream, resources, &Matrix::IDENTITY),
            _ => {}
        }
    }

    /// Draws a form: its content in `gs` with the form's matrix, then `placement`, applied.
    fn draw_form(
        &mut self,
        gs: &GraphicsState,
        id: Option<ObjectId>,
        stream: &'d lopdf::Stream,
        resources: Option<&'d Dictionary>,
        placement: &Matrix,
    ) {
        let document = self.document;
        if self.forms.len() >= MAX_FORM_DEPTH || id.is_some_and(|id| self.forms.contains(&id)) {
            return;
        }
        let Some(content) = self.form_data(id, stream) else {
            return;
        };
        self.form_read += content.len();
        if self.form_read > MAX_FORM_READ {
            return;
        }
        let form_resources = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| as_dict(document, r))
            .or(resources);
        let mut state = gs.clone();
        state.ctm = form_matrix(document, stream).then(placement).then(&gs.ctm);
        self.chained = false;
        self.forms.push(id.unwrap_or((0, 0)));
        self.run(&content, form_resources, state);
        self.forms.pop();
    }

    /// Draws an annotation's normal appearance (a filled-in form field, a stamp) where the page
    /// puts it: the appearance's box, through its matrix, fitted to the annotation's `/Rect`.
    fn draw_annotation(
        &mut self,
        gs: &GraphicsState,
        annotation: &'d Dictionary,
        resources: Option<&'d Dictionary>,
    ) {
        let document = self.document;
        let flags = get_number(document, annotation, b"F").unwrap_or(0.0) as i64;
        // Hidden (2) or not to be viewed (32).
        if flags & (2 | 32) != 0 {
            return;
        }
        let Some(appearance) = get_dict(document, annotation, b"AP") else {
            return;
        };
        let Some(normal) = appearance.get(b"N").ok() else {
            return;
        };
        let (id, normal) = match normal {
            Object::Reference(id) => (Some(*id), super::objects::resolve(document, normal)),
            other => (None, Some(other)),
        };
        // A dictionary of states (check boxes): the one named by /AS.
        let (id, stream) = match normal {
            Some(Object::Stream(stream)) => (id, stream),
            Some(Object::Dictionary(states)) => {
                let Some(state) = get_name(document, annotation, b"AS") else {
                    return;
                };
                let Ok(entry) = states.get(state) else { return };
                let id = match entry {
                    Object::Reference(id) => Some(*id),
                    _ => None,
                };
                match super::objects::resolve(document, entry) {
                    Some(Object::Stream(stream)) => (id, stream),
                    _ => return,
                }
            }
            _ => return,
        };
        let rect = get_array(document, annotation, b"Rect").and_then(|r| numbers(document, r));
        let bbox = get_array(document, &stream.dict, b"BBox").and_then(|b| numbers(document, b));
        let (Some(rect), Some(bbox)) = (rect, bbox) else {
            return;
        };
        let (Some(rect), Some(bbox)) = (rectangle(&rect), rectangle(&bbox)) else {
            return;
        };
        // The box as the matrix places it, then scaled and moved onto the rectangle.
        let matrix = form_matrix(document, stream);
        let corners = [
            (bbox[0], bbox[1]),
            (bbox[2], bbox[1]),
            (bbox[0], bbox[3]),
            (bbox[2], bbox[3]),
        ]
        .map(|(x, y)| matrix.apply(x, y));
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in corners {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        if x1 - x0 < 1e-6 || y1 - y0 < 1e-6 {
            return;
        }
        let sx = (rect[2] - rect[0]) / (x1 - x0);
        let sy = (rect[3] - rect[1]) / (y1 - y0);
        let fit = Matrix::new(sx, 0.0, 0.0, sy, rect[0] - x0 * sx, rect[1] - y0 * sy);
        self.draw_form(gs, id, stream, resources, &fit);
    }

    /// A form's decoded content, from the cache when it was drawn before; `None` when it
    /// cannot be decoded or the page's budget for form content is spent.
    fn form_data(&mut self, id: Option<ObjectId>, stream: &lopdf::Stream) -> Option<Rc<Vec<u8>>> {
        if let Some(content) = id.and_then(|id| self.form_content.get(&id)) {
            return Some(content.clone());
        }
        if self.form_bytes >= MAX_FORM_BYTES {
            return None;
        }
        let content = Rc::new(stream_data(stream)?);
        self.form_bytes += content.len();
        if let Some(id) = id {
            self.form_content.insert(id, content.clone());
        }
        Some(content)
    }

    /// An image fills the unit square of the current matrix. An opaque one hides the text
    /// drawn before it underneath (the "text under the page image" way of making a scan
    /// searchable).
    fn draw_image(&mut self, gs: &GraphicsState, opaque: bool) {
        let corners =
            [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].map(|(x, y)| gs.ctm.apply(x, y));
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in corners {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let clipped_w = (x1.min(self.width) - x0.max(0.0)).max(0.0);
        let clipped_h = (y1.min(self.height) - y0.max(0.0)).max(0.0);
        let page_area = (self.width * self.height).max(1.0);
        let cover = clipped_w * clipped_h / page_area;
        self.image_cover = (self.image_cover + cover).min(1.0);
        // Only a large image can be a page's scan; small ones (logos, tiles) are not checked.
        if opaque && !gs.translucent && cover >= 0.25 && self.hiding_images < MAX_HIDING_IMAGES {
            self.hiding_images += 1;
            for glyph in &mut self.glyphs {
                let (x, y) = glyph.start;
                if glyph.visible && x0 <= x && x <= x1 && y0 <= y && y <= y1 {
                    glyph.visible = false;
                }
            }
        }
    }

    fn finish(self) -> TextLayer {
        let mut layer = TextLayer {
            image_cover: self.image_cover,
            paths: self.paths,
            ..TextLayer::default()
        };
        let (width, height) = (self.width, self.height);
        // A guessed encoding that yields many control codes is a font numbering its glyphs:
        // none of its text can be trusted.
        let garbled: std::collections::HashSet<usize> = self
            .guessed_codes
            .iter()
            .filter(|(_, counts)| counts.0 * 10 > counts.1 * 3)
            .map(|(&key, _)| key)
            .collect();
        // [visible, hidden] × four directions.
        let mut groups: [[Vec<Glyph>; 4]; 2] = Default::default();
        for drawn in self.glyphs {
            let (x, y) = drawn.start;
            let margin = drawn.size * 0.5;
            let on_page =
                x >= -margin && x <= width + margin && y >= -margin && y <= height + margin;
            let sized = drawn.size > 0.0;
            if !on_page || !sized {
                continue;
            }
            let garbage = drawn.guessed_font.is_some_and(|f| garbled.contains(&f));
            let Some(text) = drawn.text.filter(|_| !garbage).and_then(clean) else {
                if drawn.visible {
                    layer.unknown_glyphs += 1;
                }
                continue;
            };
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            if drawn.visible {
                layer.visible_chars += chars;
            } else {
                layer.hidden_chars += chars;
            }
            let (x0, y0) = turn(drawn.start, drawn.direction);
            let (x1, _) = turn(drawn.end, drawn.direction);
            groups[usize::from(!drawn.visible)][usize::from(drawn.direction)].push(Glyph {
                text,
                x0: x0.min(x1),
                x1: x0.max(x1),
                y: y0,
                size: drawn.size,
                seq: drawn.seq,
                joined: drawn.joined,
            });
        }
        let [visible, hidden] = groups;
        layer.visible = lay_out_directions(visible);
        layer.hidden = lay_out_directions(hidden);
        layer
    }
}

/// Lays out each reading direction on its own, the one with most text first.
fn lay_out_directions(groups: [Vec<Glyph>; 4]) -> String {
    let mut groups: Vec<Vec<Glyph>> = groups.into_iter().filter(|g| !g.is_empty()).collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    let mut out = String::new();
    for group in groups {
        let text = lay_out(group);
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

/// Turns a display-space point into the reading frame of text running in `direction`
/// (quarter turns clockwise): x along the text, y down its lines.
fn turn((x, y): (f64, f64), direction: u8) -> (f64, f64) {
    match direction {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

/// A glyph's text made plain: ligatures spelled out, no-break spaces as spaces, control and
/// private-use characters refused (`None`: the glyph's text is unknown).
fn clean(text: String) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{3000}' => out.push(' '),
            '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{FEFF}' => {}
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c) || c == '\u{FFFD}' => {
                return None;
            }
            c => out.push(c),
        }
    }
    if out.is_empty() { None } else { Some(out) }
}

/// Whether an inline image dictionary sets one of `keys` to true.
fn dict_flag(operands: &[Operand], keys: &[&[u8]]) -> bool {
    let Some(Operand::Dict(items)) = operands.first() else {
        return false;
    };
    items.chunks_exact(2).any(|pair| {
        matches!(&pair[0], Operand::Name(k) if keys.contains(&k.as_slice()))
            && pair[1] == Operand::Bool(true)
    })
}
