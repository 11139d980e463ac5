//! PDF reading, text layer: a page's text as laid out for the core (see
//! [`i797_core::PageText`]), with the facts needed to judge whether the layer is usable.
//!
//! Why this is hand-written and not a maintained crate (measured in `bench/pdf-text.md`): fed
//! into `layout.rs`, `hayro-interpret`'s glyphs (the renderer we already use) gave the core the
//! same notices on all 36 sample text pages, but it exposes no advance widths for outline glyphs
//! nor the font size, so only 0.2 % of a pdfTeX paper's words came out whole (no word gaps inside
//! a `TJ` run) and 2.8–53 % on three other corpus files; `pdf-extract` gave the same notices on
//! 10 of the 36 sample pages and failed to open 6 damaged files this code opens. So the fonts,
//! CMaps and encodings here stay until a crate is as good on every file.
//!
//! `text/interpreter.rs` runs the content stream's text operators into glyphs,
//! `text/xobjects.rs` follows forms, annotation appearances and images that hide text,
//! `text/finish.rs` turns the glyphs into layout text.
//!
//! Invariant: bounded work on any input. Forms nest at most `MAX_FORM_DEPTH` deep and never
//! into themselves, and a page stops after `MAX_OPERATIONS` operators, so neither a hostile
//! file nor a form drawn a million times can hang a worker or overflow its stack. Must not: lay
//! glyphs out itself (`layout.rs` does) or decode fonts (`font.rs`, `cmap.rs`, `encoding.rs`).

mod finish;
mod interpreter;
mod xobjects;

use std::collections::HashMap;

use lopdf::{Dictionary, Document};

use super::matrix::Matrix;
use super::objects::{as_dict, get_array};
use super::pages::{self, View};
use interpreter::{GraphicsState, Interpreter};

/// Deepest nesting of Form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
/// Operators interpreted per page, forms included, before giving up on the rest.
const MAX_OPERATIONS: usize = 4_000_000;
/// Annotations drawn per page.
const MAX_ANNOTATIONS: usize = 10_000;

/// Above this share of undecodable glyphs, a text layer is glyph soup.
const MAX_UNKNOWN_SHARE: f64 = 0.25;
/// Images covering this share of the page make it a picture…
const PICTURE_COVER: f64 = 0.5;
/// …and so do this many painted paths (text drawn as outlines)…
const PICTURE_PATHS: usize = 200;
/// …unless the page has at least this much visible text over it.
const MIN_CHARS_OVER_PICTURE: usize = 100;

impl Matrix {
    /// From user space to the displayed page: origin at the top left of the visible area, y
    /// down, the page's `/Rotate` applied.
    fn for_view(view: &View) -> Matrix {
        let [x0, y0, x1, y1] = view.rect;
        match view.rotate {
            90 => Matrix([0.0, 1.0, 1.0, 0.0, -y0, -x0]),
            180 => Matrix([-1.0, 0.0, 0.0, 1.0, x1, -y0]),
            270 => Matrix([0.0, -1.0, -1.0, 0.0, y1, x1]),
            _ => Matrix([1.0, 0.0, 0.0, -1.0, -x0, y1]),
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
