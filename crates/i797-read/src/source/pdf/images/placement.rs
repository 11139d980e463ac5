//! Page walk for picture extraction: where each image lands on the page (its CTM) and whether
//! anything else is painted. Invariant: bounded work and depth on any input; a content stream that
//! stops parsing ends the walk with what was found so far, marked incomplete. It reads through the
//! one content lexer (`syntax.rs`), whose damage marks the walk incomplete; it must not decode
//! images (`decode.rs`) or choose the page's picture (`images.rs`).

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::source::pdf::matrix::Matrix;
use crate::source::pdf::syntax::{Lexer, Op, Operand, full_key, full_name};

/// Form XObjects nest at most this deep (a form that draws itself ends here).
const MAX_FORM_DEPTH: usize = 12;
/// Operators read per page, forms included: a guard against forms drawn in nested loops.
const MAX_OPERATORS: usize = 2_000_000;
/// Decoded content read per page, forms included.
const MAX_CONTENT_BYTES: usize = 64 << 20;

/// A finite matrix from six numbers (a `cm` operator's operands, a form's `/Matrix`).
fn matrix_of(values: &[Operand]) -> Option<Matrix> {
    let values: Vec<f64> = values.iter().map(Operand::number).collect::<Option<_>>()?;
    Matrix::from_slice(&values).filter(|m| m.is_finite())
}

fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The resource dictionaries in force, nearest first (a form's own, then its parent's).
#[derive(Clone, Debug, Default)]
pub(crate) struct Resources<'a> {
    dicts: Vec<&'a Dictionary>,
}

impl<'a> Resources<'a> {
    pub(crate) fn of_page(document: &'a Document, page: ObjectId) -> Resources<'a> {
        let mut dicts = Vec::new();
        if let Ok((direct, ids)) = document.get_page_resources(page) {
            dicts.extend(direct);
            dicts.extend(
                ids.into_iter()
                    .filter_map(|id| document.get_dictionary(id).ok()),
            );
        }
        Resources { dicts }
    }

    fn with_own(&self, document: &'a Document, owner: &'a Dictionary) -> Resources<'a> {
        match owner
            .get(b"Resources")
            .ok()
            .and_then(|r| resolve(document, r).as_dict().ok())
        {
            Some(own) => {
                let mut dicts = vec![own];
                dicts.extend(self.dicts.iter().copied());
                Resources { dicts }
            }
            None => self.clone(),
        }
    }

    /// The resource `name` of `category` (`XObject`, `ColorSpace`, …), references resolved.
    pub(crate) fn lookup(
        &self,
        document: &'a Document,
        category: &[u8],
        name: &[u8],
    ) -> Option<(Option<ObjectId>, &'a Object)> {
        self.dicts.iter().find_map(|dict| {
            let group = resolve(document, dict.get(category).ok()?).as_dict().ok()?;
            document.dereference(group.get(name).ok()?).ok()
        })
    }
}

/// `object` with references followed (a dangling reference reads as null).
pub(crate) fn resolve<'a>(document: &'a Document, object: &'a Object) -> &'a Object {
    const NULL: &Object = &Object::Null;
    document.dereference(object).map_or(NULL, |(_, o)| o)
}

/// Where an image's samples live.
#[derive(Debug)]
pub(crate) enum ImageSource {
    XObject(ObjectId),
    /// An inline image (`BI … ID … EI`), its dictionary keys spelled out in full.
    Inline(Box<Stream>),
}

/// One image drawn on the page.
#[derive(Debug)]
pub(crate) struct Placement<'a> {
    pub source: ImageSource,
    /// Maps the image's unit square to default user space (page coordinates).
    pub ctm: Matrix,
    pub width: u32,
    pub height: u32,
    /// A stencil mask (`/ImageMask true`): its samples say where to paint the fill colour.
    pub is_mask: bool,
    /// Resources in force where it was drawn (inline images may name colour spaces there).
    pub resources: Resources<'a>,
    /// Lightness of the fill colour when it was drawn, 0 = black, 1 = white: what a stencil
    /// mask paints with.
    pub fill_gray: f32,
}

/// What a page draws, as far as picking its picture is concerned.
#[derive(Debug, Default)]
pub(crate) struct Drawing<'a> {
    pub images: Vec<Placement<'a>>,
    /// Paths or shadings are painted.
    pub paints_vectors: bool,
    /// Text is shown in a visible rendering mode.
    pub shows_text: bool,
    /// The walk read every operator (no parse error, no limit reached).
    pub complete: bool,
}

impl Drawing<'_> {
    pub(crate) fn is_blank(&self) -> bool {
        self.images.is_empty() && !self.paints_vectors && !self.shows_text
    }
}

/// Walks page `page`'s content, and the forms it draws, collecting image placements.
pub(crate) fn walk_page(document: &Document, page: ObjectId) -> Drawing<'_> {
    let mut walker = Walker {
        document,
        drawing: Drawing {
            complete: true,
            ..Drawing::default()
        },
        operators: 0,
        content_bytes: 0,
    };
    match document.get_page_content_with_limit(page, MAX_CONTENT_BYTES) {
        Ok(content) => {
            walker.content_bytes = content.len();
            let resources = Resources::of_page(document, page);
            let state = GraphicsState {
                ctm: Matrix::IDENTITY,
                text_mode: 0,
                fill_space: FillSpace::Gray,
                fill_gray: 0.0,
            };
            walker.walk(&content, state, &resources, 0);
        }
        Err(_) => walker.drawing.complete = false,
    }
    walker.drawing
}

#[derive(Clone, Copy)]
struct GraphicsState {
    ctm: Matrix,
    text_mode: i64,
    fill_space: FillSpace,
    fill_gray: f32,
}

/// The fill colour space, as far as telling dark from light goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FillSpace {
    Gray,
    Rgb,
    Cmyk,
    /// Separation and DeviceN: values are amounts of ink.
    Tints,
    /// Patterns, Indexed, Lab…: taken to be dark.
    Other,
}

impl FillSpace {
    fn of(document: &Document, object: &Object, resources: &Resources<'_>, depth: usize) -> Self {
        if depth > 4 {
            return FillSpace::Other;
        }
        match resolve(document, object) {
            Object::Name(name) => match name.as_slice() {
                b"DeviceGray" | b"CalGray" | b"G" => FillSpace::Gray,
                b"DeviceRGB" | b"CalRGB" | b"RGB" => FillSpace::Rgb,
                b"DeviceCMYK" | b"CMYK" => FillSpace::Cmyk,
                b"Pattern" => FillSpace::Other,
                other => match resources.lookup(document, b"ColorSpace", other) {
                    Some((_, named)) => FillSpace::of(document, named, resources, depth + 1),
                    None => FillSpace::Other,
                },
            },
            Object::Array(items) => {
                let family = items.first().map(|f| resolve(document, f));
                match family.and_then(|f| f.as_name().ok()) {
                    Some(b"Separation" | b"DeviceN") => FillSpace::Tints,
                    Some(b"ICCBased") => {
                        let n = items
                            .get(1)
                            .map(|s| resolve(document, s))
                            .and_then(|s| s.as_stream().ok())
                            .and_then(|s| s.dict.get(b"N").ok())
                            .and_then(|n| resolve(document, n).as_i64().ok());
                        match n {
                            Some(1) => FillSpace::Gray,
                            Some(3) => FillSpace::Rgb,
                            Some(4) => FillSpace::Cmyk,
                            _ => FillSpace::Other,
                        }
                    }
                    Some(_) => FillSpace::of(document, &items[0], resources, depth + 1),
                    None => FillSpace::Other,
                }
            }
            _ => FillSpace::Other,
        }
    }

    /// Lightness of a colour given by its components in this space.
    fn lightness(self, values: &[f64]) -> Option<f32> {
        let v = |i: usize| values.get(i).copied().unwrap_or(0.0).clamp(0.0, 1.0);
        let lightness = match (self, values.len()) {
            (FillSpace::Gray, 1) => v(0),
            (FillSpace::Rgb, 3) => 0.299 * v(0) + 0.587 * v(1) + 0.114 * v(2),
            (FillSpace::Cmyk, 4) => 1.0 - (0.3 * v(0) + 0.59 * v(1) + 0.11 * v(2) + v(3)).min(1.0),
            (FillSpace::Tints, n) if n > 0 => 1.0 - values.iter().sum::<f64>().clamp(0.0, 1.0),
            _ => return None,
        };
        Some(lightness as f32)
    }
}

struct Walker<'a> {
    document: &'a Document,
    drawing: Drawing<'a>,
    operators: usize,
    content_bytes: usize,
}

impl<'a> Walker<'a> {
    /// Walks one content stream; a form starts from the state it is drawn in.
    fn walk(
        &mut self,
        content: &[u8],
        mut state: GraphicsState,
        resources: &Resources<'a>,
        depth: usize,
    ) {
        let mut lexer = Lexer::new(content);
        let mut saved: Vec<GraphicsState> = Vec::new();
        let mut operands: Vec<Operand> = Vec::new();
        while let Some(op) = lexer.next(&mut operands) {
            self.operators += 1;
            if self.operators > MAX_OPERATORS {
                self.drawing.complete = false;
                return;
            }
            let operator = match op {
                Op::InlineImage => {
                    let stream = inline_stream(&operands, lexer.inline_image_data());
                    self.place_inline(stream, &state, resources);
                    continue;
                }
                Op::Operator(operator) => operator,
            };
            match operator {
                b"q" if saved.len() < 1024 => saved.push(state),
                b"Q" => {
                    if let Some(previous) = saved.pop() {
                        state = previous;
                    }
                }
                b"cm" => {
                    if let Some(m) = operands
                        .len()
                        .checked_sub(6)
                        .and_then(|start| matrix_of(&operands[start..]))
                    {
                        state.ctm = m.then(state.ctm);
                    }
                }
                b"g" | b"rg" | b"k" | b"sc" | b"scn" => {
                    let space = match operator {
                        b"g" => FillSpace::Gray,
                        b"rg" => FillSpace::Rgb,
                        b"k" => FillSpace::Cmyk,
                        _ => state.fill_space,
                    };
                    // A pattern name (scn) or an unknown space: taken to be dark.
                    let values: Option<Vec<f64>> = operands.iter().map(Operand::number).collect();
                    state.fill_space = space;
                    state.fill_gray = values.and_then(|v| space.lightness(&v)).unwrap_or(0.0);
                }
                b"cs" => {
                    if let Some(space) = operands.last() {
                        let space = to_object(space.clone());
                        state.fill_space = FillSpace::of(self.document, &space, resources, 0);
                        // Every space starts at black (full ink for tints).
                        state.fill_gray = 0.0;
                    }
                }
                b"Tr" => {
                    if let Some(mode) = operands.last().and_then(Operand::number)
                        && mode.fract() == 0.0
                    {
                        state.text_mode = mode as i64;
                    }
                }
                // Mode 3 is invisible (OCR layers), 7 only clips.
                b"Tj" | b"TJ" | b"'" | b"\"" if state.text_mode != 3 && state.text_mode != 7 => {
                    self.drawing.shows_text = true;
                }
                b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"sh" => {
                    self.drawing.paints_vectors = true;
                }
                b"Do" => {
                    if let Some(Operand::Name(name)) = operands.last() {
                        self.draw_xobject(name, &state, resources, depth);
                    }
                }
                _ => {}
            }
        }
        if lexer.met_damage() {
            self.drawing.complete = false;
        }
    }

    fn draw_xobject(
        &mut self,
        name: &[u8],
        state: &GraphicsState,
        resources: &Resources<'a>,
        depth: usize,
    ) {
        let ctm = state.ctm;
        let document = self.document;
        let Some((Some(id), Object::Stream(stream))) = resources.lookup(document, b"XObject", name)
        else {
            return;
        };
        let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).ok();
        match subtype {
            Some(b"Image") => {
                let (width, height) = dimensions(document, &stream.dict);
                self.drawing.images.push(Placement {
                    source: ImageSource::XObject(id),
                    ctm,
                    width,
                    height,
                    is_mask: is_stencil(document, &stream.dict),
                    resources: resources.clone(),
                    fill_gray: state.fill_gray,
                });
            }
            Some(b"Form") => {
                if depth >= MAX_FORM_DEPTH {
                    self.drawing.complete = false;
                    return;
                }
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|m| resolve(document, m).as_array().ok())
                    .and_then(|m| {
                        let m: Vec<f64> = m
                            .iter()
                            .map(|v| number(resolve(document, v)))
                            .collect::<Option<_>>()?;
                        Matrix::from_slice(&m).filter(|m| m.is_finite())
                    })
                    .unwrap_or(Matrix::IDENTITY);
                let remaining = MAX_CONTENT_BYTES.saturating_sub(self.content_bytes);
                let content = if stream.dict.has(b"Filter") {
                    stream.decompressed_content_with_limit(remaining)
                } else if stream.content.len() <= remaining {
                    Ok(stream.content.clone())
                } else {
                    Err(lopdf::Error::Unimplemented("content over limit"))
                };
                let Ok(content) = content else {
                    self.drawing.complete = false;
                    return;
                };
                self.content_bytes += content.len();
                let resources = resources.with_own(document, &stream.dict);
                let inner = GraphicsState {
                    ctm: matrix.then(ctm),
                    ..*state
                };
                self.walk(&content, inner, &resources, depth + 1);
            }
            _ => {}
        }
    }

    fn place_inline(&mut self, stream: Stream, state: &GraphicsState, resources: &Resources<'a>) {
        let (width, height) = dimensions(self.document, &stream.dict);
        let is_mask = is_stencil(self.document, &stream.dict);
        self.drawing.images.push(Placement {
            source: ImageSource::Inline(Box::new(stream)),
            ctm: state.ctm,
            width,
            height,
            is_mask,
            resources: resources.clone(),
            fill_gray: state.fill_gray,
        });
    }
}

/// An image's `/Width` and `/Height` (0 where absent or unusable).
pub(crate) fn dimensions(document: &Document, dict: &Dictionary) -> (u32, u32) {
    let get = |key: &[u8]| dict_u32(document, dict, key).unwrap_or(0);
    (get(b"Width"), get(b"Height"))
}

/// A whole number from an image dictionary that fits a `u32`, references followed.
pub(crate) fn dict_u32(document: &Document, dict: &Dictionary, key: &[u8]) -> Option<u32> {
    dict.get(key)
        .ok()
        .and_then(|v| resolve(document, v).as_i64().ok())
        .and_then(|v| u32::try_from(v).ok())
}

fn is_stencil(document: &Document, dict: &Dictionary) -> bool {
    dict.get(b"ImageMask")
        .ok()
        .and_then(|v| resolve(document, v).as_bool().ok())
        .unwrap_or(false)
}

/// An inline image as a stream with its dictionary spelled out in full, as the decoders read it.
fn inline_stream(operands: &[Operand], data: &[u8]) -> Stream {
    let mut dict = Dictionary::new();
    if let Some(Operand::Dict(entries)) = operands.last() {
        for kv in entries.chunks_exact(2) {
            // A key that is not a name is skipped, as viewers do.
            let Some(key) = kv[0].name() else { continue };
            let key = full_key(key);
            let value = to_object(kv[1].clone());
            let value = match key {
                b"Filter" | b"ColorSpace" => spell_out_names(value),
                _ => value,
            };
            dict.set(key.to_vec(), value);
        }
    }
    Stream::new(dict, data.to_vec())
}

fn spell_out_names(value: Object) -> Object {
    match value {
        Object::Name(name) => Object::Name(full_name(&name).to_vec()),
        Object::Array(items) => Object::Array(items.into_iter().map(spell_out_names).collect()),
        other => other,
    }
}

/// A content-stream operand as the `lopdf` object the decoders read (whole numbers as integers).
fn to_object(operand: Operand) -> Object {
    match operand {
        Operand::Number(n) if n.fract() == 0.0 && n.abs() <= i64::MAX as f64 => {
            Object::Integer(n as i64)
        }
        Operand::Number(n) => Object::Real(n as f32),
        Operand::Name(name) => Object::Name(name),
        Operand::String(bytes) => Object::String(bytes, lopdf::StringFormat::Literal),
        Operand::Array(items) => Object::Array(items.into_iter().map(to_object).collect()),
        Operand::Dict(entries) => {
            let mut dict = Dictionary::new();
            for kv in entries.chunks_exact(2) {
                if let Operand::Name(key) = &kv[0] {
                    dict.set(key.clone(), to_object(kv[1].clone()));
                }
            }
            Object::Dictionary(dict)
        }
        Operand::Bool(b) => Object::Boolean(b),
        Operand::Null => Object::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_images_are_spelled_out_for_the_decoders() {
        let content = b"BI /W 3 /H 2 /BPC 8 /CS /G /F [/AHx] /DP << /K -1 >> ID 0a0b0c EI";
        let mut lexer = Lexer::new(content);
        let mut operands = Vec::new();
        assert_eq!(lexer.next(&mut operands), Some(Op::InlineImage));
        let stream = inline_stream(&operands, lexer.inline_image_data());
        assert_eq!(stream.content, b"0a0b0c");
        let dict = &stream.dict;
        assert_eq!(dict.get(b"Width").unwrap().as_i64().unwrap(), 3);
        assert_eq!(
            dict.get(b"ColorSpace").unwrap().as_name().unwrap(),
            b"DeviceGray"
        );
        let filters = dict.get(b"Filter").unwrap().as_array().unwrap();
        assert_eq!(filters[0].as_name().unwrap(), b"ASCIIHexDecode");
        let parms = dict.get(b"DecodeParms").unwrap().as_dict().unwrap();
        assert_eq!(parms.get(b"K").unwrap().as_i64().unwrap(), -1);
    }
}
