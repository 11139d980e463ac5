//! The work budget's walk, beyond the page's own content: Form XObjects (counted each time they
//! are drawn, decoded once), images, and annotation appearances. Invariant: forms nest at most
//! `MAX_FORM_DEPTH` deep, as the renderer goes, and their decoded bytes are capped.

use std::rc::Rc;

use lopdf::{Dictionary, Object, ObjectId};

use super::walker::{State, Walker, area, intersect};
use super::{MAX_FORM_BYTES, MAX_FORM_DEPTH};
use crate::source::pdf::matrix::Matrix;
use crate::source::pdf::objects::{
    get, get_dict, get_name, number, numbers, resolve, stream_data, xobject_entry,
};

impl<'a> Walker<'a> {
    pub(super) fn xobject(
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
    pub(super) fn form(
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
            let bbox = inner.ctm.map_box(b);
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
    pub(super) fn form_geometry(&self, dict: &Dictionary) -> (Matrix, Option<[f64; 4]>) {
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
    pub(super) fn form_content(
        &mut self,
        id: Option<ObjectId>,
        stream: &lopdf::Stream,
    ) -> Option<Rc<[u8]>> {
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
    pub(super) fn annotations(&mut self, page: &'a Dictionary, state: State) {
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
            let placed_box = form_box.map(|b| matrix.map_box(b));
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
