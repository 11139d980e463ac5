//! PDF reading, text layer: what a page draws besides its own content stream — Form XObjects
//! (followed once per drawing, never into themselves), annotation appearances, and images, which
//! hide the text drawn under them (a scan over its OCR layer). Invariant: forms nest at most
//! `MAX_FORM_DEPTH` deep and their decoded bytes are capped per page. Must not: interpret
//! operators itself (`interpreter.rs` runs each form's content).

use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::MAX_FORM_DEPTH;
use super::interpreter::{GraphicsState, Interpreter};
use crate::source::pdf::matrix::Matrix;
use crate::source::pdf::objects::{
    self, as_dict, get, get_array, get_dict, get_name, get_number, numbers, stream_data,
    xobject_entry,
};

/// Decoded Form XObject content per page, all forms together.
const MAX_FORM_BYTES: usize = 256 << 20;
/// Form content read per page, counting a form each time it is drawn.
const MAX_FORM_READ: usize = 1 << 30;
/// Images large enough to hide text under them that are checked against the text drawn so far.
const MAX_HIDING_IMAGES: usize = 64;

impl<'d> Interpreter<'d> {
    pub(super) fn draw_xobject(
        &mut self,
        gs: &GraphicsState,
        resources: Option<&'d Dictionary>,
        name: &[u8],
    ) {
        let document = self.document;
        let Some(reference) = xobject_entry(document, resources, name) else {
            return;
        };
        let id = match reference {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Some(Object::Stream(stream)) = objects::resolve(document, reference) else {
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
    pub(super) fn draw_form(
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
        state.ctm = form_matrix(document, stream).then(*placement).then(gs.ctm);
        self.chained = false;
        self.forms.push(id.unwrap_or((0, 0)));
        self.run(&content, form_resources, state);
        self.forms.pop();
    }

    /// Draws an annotation's normal appearance (a filled-in form field, a stamp) where the page
    /// puts it: the appearance's box, through its matrix, fitted to the annotation's `/Rect`.
    pub(super) fn draw_annotation(
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
            Object::Reference(id) => (Some(*id), objects::resolve(document, normal)),
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
                match objects::resolve(document, entry) {
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
        let [x0, y0, x1, y1] = matrix.map_box(bbox);
        if x1 - x0 < 1e-6 || y1 - y0 < 1e-6 {
            return;
        }
        let sx = (rect[2] - rect[0]) / (x1 - x0);
        let sy = (rect[3] - rect[1]) / (y1 - y0);
        let fit = Matrix([sx, 0.0, 0.0, sy, rect[0] - x0 * sx, rect[1] - y0 * sy]);
        self.draw_form(gs, id, stream, resources, &fit);
    }

    /// A form's decoded content, from the cache when it was drawn before; `None` when it
    /// cannot be decoded or the page's budget for form content is spent.
    pub(super) fn form_data(
        &mut self,
        id: Option<ObjectId>,
        stream: &lopdf::Stream,
    ) -> Option<Rc<Vec<u8>>> {
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
    pub(super) fn draw_image(&mut self, gs: &GraphicsState, opaque: bool) {
        let [x0, y0, x1, y1] = gs.ctm.map_box([0.0, 0.0, 1.0, 1.0]);
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
