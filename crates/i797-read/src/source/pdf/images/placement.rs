//! Page walk for picture extraction: where each image lands on the page (its CTM) and whether
//! anything else is painted. Invariant: bounded work and depth on any input; a content stream that
//! stops parsing ends the walk with what was found so far, marked incomplete.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Form XObjects nest at most this deep (a form that draws itself ends here).
const MAX_FORM_DEPTH: usize = 12;
/// Operators read per page, forms included: a guard against forms drawn in nested loops.
const MAX_OPERATORS: usize = 2_000_000;
/// Decoded content read per page, forms included.
const MAX_CONTENT_BYTES: usize = 64 << 20;
/// Nesting of arrays and dictionaries inside an operand.
const MAX_OBJECT_DEPTH: usize = 32;

/// An affine map `[a b c d e f]` in PDF's row-vector convention: `(x, y) ↦ (ax + cy + e, bx + dy + f)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Matrix(pub [f64; 6]);

impl Matrix {
    pub(crate) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` applied first, then `next` (PDF's `self × next`).
    pub(crate) fn then(self, next: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [na, nb, nc, nd, ne, nf] = next.0;
        Matrix([
            a * na + b * nc,
            a * nb + b * nd,
            c * na + d * nc,
            c * nb + d * nd,
            e * na + f * nc + ne,
            e * nb + f * nd + nf,
        ])
    }

    pub(crate) fn apply(self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    pub(crate) fn is_finite(self) -> bool {
        self.0.iter().all(|v| v.is_finite())
    }

    fn from_operands(operands: &[Object]) -> Option<Matrix> {
        let values: Vec<f64> = operands.iter().map(number).collect::<Option<_>>()?;
        let values: [f64; 6] = values.try_into().ok()?;
        let matrix = Matrix(values);
        matrix.is_finite().then_some(matrix)
    }
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
        let mut operands: Vec<Object> = Vec::new();
        loop {
            let token = match lexer.next_token() {
                Ok(Some(token)) => token,
                Ok(None) => break,
                Err(()) => {
                    self.drawing.complete = false;
                    break;
                }
            };
            let operator = match token {
                Token::Operand(object) => {
                    // Only the last few operands matter to any operator read here.
                    if operands.len() >= 64 {
                        operands.drain(..32);
                    }
                    operands.push(object);
                    continue;
                }
                Token::Operator(operator) => operator,
            };
            self.operators += 1;
            if self.operators > MAX_OPERATORS {
                self.drawing.complete = false;
                return;
            }
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
                        .and_then(|start| Matrix::from_operands(&operands[start..]))
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
                    let values: Option<Vec<f64>> = operands.iter().map(number).collect();
                    state.fill_space = space;
                    state.fill_gray = values.and_then(|v| space.lightness(&v)).unwrap_or(0.0);
                }
                b"cs" => {
                    if let Some(space) = operands.last() {
                        state.fill_space = FillSpace::of(self.document, space, resources, 0);
                        // Every space starts at black (full ink for tints).
                        state.fill_gray = 0.0;
                    }
                }
                b"Tr" => {
                    if let Some(Object::Integer(mode)) = operands.last() {
                        state.text_mode = *mode;
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
                    if let Some(Object::Name(name)) = operands.last() {
                        self.draw_xobject(name, &state, resources, depth);
                    }
                }
                b"BI" => match lexer.inline_image() {
                    Ok(stream) => self.place_inline(stream, &state, resources),
                    Err(()) => {
                        self.drawing.complete = false;
                        break;
                    }
                },
                _ => {}
            }
            operands.clear();
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
                        let m: Vec<Object> =
                            m.iter().map(|v| resolve(document, v).clone()).collect();
                        Matrix::from_operands(&m)
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

fn dimensions(document: &Document, dict: &Dictionary) -> (u32, u32) {
    let get = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|v| resolve(document, v).as_i64().ok())
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
    };
    (get(b"Width"), get(b"Height"))
}

fn is_stencil(document: &Document, dict: &Dictionary) -> bool {
    dict.get(b"ImageMask")
        .ok()
        .and_then(|v| resolve(document, v).as_bool().ok())
        .unwrap_or(false)
}

enum Token<'c> {
    Operand(Object),
    Operator(&'c [u8]),
}

/// A content-stream tokenizer: operands become `lopdf` objects, operators stay byte strings.
struct Lexer<'c> {
    data: &'c [u8],
    pos: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delimiter(b)
}

impl<'c> Lexer<'c> {
    fn new(data: &'c [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(b) = self.peek() {
                    if b == b'\n' || b == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next operand or operator; `Ok(None)` at the end, `Err` on bytes that cannot start one.
    fn next_token(&mut self) -> Result<Option<Token<'c>>, ()> {
        self.skip_space();
        let Some(b) = self.peek() else {
            return Ok(None);
        };
        if is_regular(b) && !b.is_ascii_digit() && !matches!(b, b'+' | b'-' | b'.') {
            let word = self.regular_run();
            return Ok(Some(match word {
                b"true" => Token::Operand(Object::Boolean(true)),
                b"false" => Token::Operand(Object::Boolean(false)),
                b"null" => Token::Operand(Object::Null),
                _ => Token::Operator(word),
            }));
        }
        if matches!(b, b']' | b'>' | b')' | b'}' | b'{') {
            // Stray closers and PostScript braces (Type 4 functions never reach here): skip.
            self.pos += 1;
            return Ok(Some(Token::Operand(Object::Null)));
        }
        self.object(0).map(|o| Some(Token::Operand(o)))
    }

    fn regular_run(&mut self) -> &'c [u8] {
        let start = self.pos;
        while self.peek().is_some_and(is_regular) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    /// One PDF object (no indirect references in content streams).
    fn object(&mut self, depth: usize) -> Result<Object, ()> {
        if depth > MAX_OBJECT_DEPTH {
            return Err(());
        }
        self.skip_space();
        let b = self.peek().ok_or(())?;
        match b {
            b'/' => {
                self.pos += 1;
                Ok(Object::Name(unescape_name(self.regular_run())))
            }
            b'(' => self.literal_string(),
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.dictionary_body(depth, b">>").map(Object::Dictionary)
            }
            b'<' => self.hex_string(),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.peek() {
                        None => return Err(()),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Object::Array(items));
                        }
                        Some(_) => items.push(self.object(depth + 1)?),
                    }
                }
            }
            _ if b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.') => Ok(self.number()),
            _ if is_regular(b) => Ok(match self.regular_run() {
                b"true" => Object::Boolean(true),
                b"false" => Object::Boolean(false),
                // Anything else inside an array or dictionary is junk; keep going.
                _ => Object::Null,
            }),
            _ => Err(()),
        }
    }

    fn number(&mut self) -> Object {
        let text = self.regular_run();
        let text = std::str::from_utf8(text).unwrap_or("");
        if let Ok(i) = text.parse::<i64>() {
            return Object::Integer(i);
        }
        // Tolerate "--5", "4.-2" and similar writer bugs the way viewers do: read the leading part.
        let cleaned: String = text
            .trim_start_matches(['+', '-'])
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let value = cleaned.parse::<f32>().unwrap_or(0.0);
        Object::Real(if text.starts_with('-') { -value } else { value })
    }

    /// Dictionary entries up to `end` (`>>`, or `ID` for inline images).
    fn dictionary_body(&mut self, depth: usize, end: &[u8]) -> Result<Dictionary, ()> {
        let mut dict = Dictionary::new();
        loop {
            self.skip_space();
            if self.data[self.pos..].starts_with(end) {
                self.pos += end.len();
                return Ok(dict);
            }
            // A key that is not a name is skipped, as viewers do.
            if let Object::Name(key) = self.object(depth + 1)? {
                let value = self.object(depth + 1)?;
                dict.set(key, value);
            }
        }
    }

    fn literal_string(&mut self) -> Result<Object, ()> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut nesting = 0usize;
        loop {
            let b = self.peek().ok_or(())?;
            self.pos += 1;
            match b {
                b'(' => {
                    nesting += 1;
                    out.push(b);
                }
                b')' if nesting == 0 => break,
                b')' => {
                    nesting -= 1;
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut value = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(value as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        Ok(Object::String(out, lopdf::StringFormat::Literal))
    }

    fn hex_string(&mut self) -> Result<Object, ()> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let b = self.peek().ok_or(())?;
            self.pos += 1;
            let nibble = match b {
                b'>' => break,
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => out.push(h << 4 | nibble),
                None => high = Some(nibble),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        Ok(Object::String(out, lopdf::StringFormat::Hexadecimal))
    }

    /// Reads an inline image after `BI`: its dictionary (keys expanded), data, and `EI`.
    fn inline_image(&mut self) -> Result<Stream, ()> {
        let abbreviated = self.dictionary_body(0, b"ID")?;
        // One white-space byte separates ID from the data (CR LF counts as one).
        match self.peek() {
            Some(b'\r') if self.data.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
            Some(b) if is_white(b) => self.pos += 1,
            _ => {}
        }
        let dict = expand_inline_dict(abbreviated);
        let start = self.pos;
        let unfiltered_len = if dict.has(b"Filter") {
            None
        } else {
            unfiltered_length(&dict)
        };
        if let Some(len) = unfiltered_len {
            let end = start.checked_add(len).filter(|&e| e <= self.data.len());
            if let Some(end) = end {
                let mut after = Lexer {
                    data: self.data,
                    pos: end,
                };
                after.skip_space();
                if after.data[after.pos..].starts_with(b"EI")
                    && after
                        .data
                        .get(after.pos + 2)
                        .is_none_or(|&b| !is_regular(b))
                {
                    self.pos = after.pos + 2;
                    return Ok(Stream::new(dict, self.data[start..end].to_vec()));
                }
            }
        }
        let end = find_inline_end(&self.data[start..]).ok_or(())? + start;
        let mut data_end = end;
        // The white space before EI belongs to the syntax, not the data.
        if data_end > start && is_white(self.data[data_end - 1]) {
            data_end -= 1;
        }
        self.pos = end + 2;
        Ok(Stream::new(dict, self.data[start..data_end].to_vec()))
    }
}

/// Offset of the `EI` that ends inline image data: preceded by white space, followed by white
/// space or the end, and followed by text rather than binary data (filtered data may hold "EI").
fn find_inline_end(data: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = data[from..].windows(2).position(|w| w == b"EI") {
        let at = from + found;
        let before_ok = at == 0 || is_white(data[at - 1]);
        let after_ok = data.get(at + 2).is_none_or(|&b| is_white(b));
        let text_follows = data[at + 2..]
            .iter()
            .take(48)
            .all(|&b| b.is_ascii_graphic() || is_white(b));
        if before_ok && after_ok && text_follows {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn unescape_name(raw: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && i + 2 < raw.len()
            && let (Some(h), Some(l)) = (hex(raw[i + 1]), hex(raw[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

/// Inline images may abbreviate keys and names (ISO 32000-1, tables 93 and 94); the decoders
/// read the full spelling only.
fn expand_inline_dict(abbreviated: Dictionary) -> Dictionary {
    let mut dict = Dictionary::new();
    for (key, value) in abbreviated.into_iter() {
        let key: &[u8] = match key.as_slice() {
            b"BPC" => b"BitsPerComponent",
            b"CS" => b"ColorSpace",
            b"D" => b"Decode",
            b"DP" => b"DecodeParms",
            b"F" => b"Filter",
            b"H" => b"Height",
            b"IM" => b"ImageMask",
            b"I" => b"Interpolate",
            b"W" => b"Width",
            other => other,
        };
        let value = match key {
            b"Filter" | b"ColorSpace" => expand_inline_names(value),
            _ => value,
        };
        dict.set(key.to_vec(), value);
    }
    dict
}

fn expand_inline_names(value: Object) -> Object {
    match value {
        Object::Name(name) => {
            let full: &[u8] = match name.as_slice() {
                b"AHx" => b"ASCIIHexDecode",
                b"A85" => b"ASCII85Decode",
                b"LZW" => b"LZWDecode",
                b"Fl" => b"FlateDecode",
                b"RL" => b"RunLengthDecode",
                b"CCF" => b"CCITTFaxDecode",
                b"DCT" => b"DCTDecode",
                b"G" => b"DeviceGray",
                b"RGB" => b"DeviceRGB",
                b"CMYK" => b"DeviceCMYK",
                b"I" => b"Indexed",
                other => other,
            };
            Object::Name(full.to_vec())
        }
        Object::Array(items) => Object::Array(items.into_iter().map(expand_inline_names).collect()),
        other => other,
    }
}

/// Byte length of unfiltered inline image data, when the colour space says how many components.
fn unfiltered_length(dict: &Dictionary) -> Option<usize> {
    let int = |key: &[u8]| {
        dict.get(key)
            .ok()?
            .as_i64()
            .ok()
            .and_then(|v| usize::try_from(v).ok())
    };
    let width = int(b"Width")?;
    let height = int(b"Height")?;
    let mask = matches!(dict.get(b"ImageMask"), Ok(Object::Boolean(true)));
    let bpc = if mask { 1 } else { int(b"BitsPerComponent")? };
    let components = if mask {
        1
    } else {
        match dict.get(b"ColorSpace").ok()? {
            Object::Name(n) => match n.as_slice() {
                b"DeviceGray" | b"CalGray" => 1,
                b"DeviceRGB" | b"CalRGB" => 3,
                b"DeviceCMYK" => 4,
                _ => return None,
            },
            Object::Array(a) if matches!(a.first(), Some(Object::Name(n)) if n == b"Indexed") => 1,
            _ => return None,
        }
    };
    width
        .checked_mul(components)?
        .checked_mul(bpc)?
        .div_ceil(8)
        .checked_mul(height)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(content: &[u8]) -> Vec<String> {
        let mut lexer = Lexer::new(content);
        let mut out = Vec::new();
        while let Ok(Some(token)) = lexer.next_token() {
            match token {
                Token::Operator(b"BI") => {
                    let stream = lexer.inline_image().unwrap();
                    out.push(format!("BI[{}]", stream.content.len()));
                }
                Token::Operator(op) => out.push(String::from_utf8_lossy(op).into_owned()),
                Token::Operand(_) => {}
            }
        }
        out
    }

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 3.0, 0.0, 0.0]);
        let shift = Matrix([1.0, 0.0, 0.0, 1.0, 10.0, 20.0]);
        // Scale first, then shift: (1, 1) → (2, 3) → (12, 23).
        assert_eq!(scale.then(shift).apply(1.0, 1.0), (12.0, 23.0));
        assert_eq!(shift.then(scale).apply(1.0, 1.0), (22.0, 63.0));
    }

    #[test]
    fn lexer_skips_strings_comments_and_arrays() {
        let content = b"q % comment with Do\n(a (nested) \\) string Do) Tj [(x) -3 (y)] TJ Q";
        assert_eq!(ops(content), ["q", "Tj", "TJ", "Q"]);
    }

    #[test]
    fn unfiltered_inline_image_is_sized_from_its_dictionary() {
        // 3×2 gray at 8 bits = 6 bytes, one of which looks like "EI".
        let content = b"q BI /W 3 /H 2 /BPC 8 /CS /G ID \x01 EI\x03\x04 EI Q";
        assert_eq!(ops(content), ["q", "BI[6]", "Q"]);
    }

    #[test]
    fn filtered_inline_image_ends_at_an_ei_followed_by_text() {
        let content =
            b"BI /W 8 /H 8 /F /AHx /CS /DeviceGray /BPC 1 ID 00ff EI\xff\xfe\x80 more EI Q";
        let mut lexer = Lexer::new(content);
        assert!(matches!(
            lexer.next_token(),
            Ok(Some(Token::Operator(b"BI")))
        ));
        let stream = lexer.inline_image().unwrap();
        assert_eq!(stream.content, b"00ff EI\xff\xfe\x80 more");
        assert_eq!(
            stream.dict.get(b"Filter").unwrap().as_name().unwrap(),
            b"ASCIIHexDecode"
        );
        assert!(matches!(
            lexer.next_token(),
            Ok(Some(Token::Operator(b"Q")))
        ));
    }

    #[test]
    fn names_with_hex_escapes_are_decoded() {
        assert_eq!(unescape_name(b"Im#201"), b"Im 1");
        assert_eq!(unescape_name(b"A#"), b"A#");
    }
}
