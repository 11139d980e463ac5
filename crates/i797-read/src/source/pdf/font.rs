//! PDF reading, fonts: how a font's string bytes split into character codes, and each code's text
//! and advance width.
//!
//! Invariant: loading never fails. A font with a broken dictionary still splits and advances (one
//! byte per code, half an em per glyph); codes whose text cannot be known read as `None`, which
//! is what tells a real text layer from glyph soup.

use lopdf::{Dictionary, Document, Object};

use super::cmap::CMap;
use super::encoding::{BaseEncoding, glyph_text, win_ansi_code};
use super::objects::{
    as_dict, get, get_array, get_dict, get_name, get_number, get_stream, number, numbers, resolve,
    stream_data,
};
use super::syntax::{Lexer, Op, Operand};
use super::tables;

/// One character code of a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Code {
    pub value: u32,
    /// Bytes it took (word spacing applies only to the one-byte code 32).
    pub len: u8,
}

/// A font as far as text extraction needs it.
#[derive(Debug)]
pub(super) struct Font {
    split: Split,
    to_unicode: Option<CMap>,
    /// Simple fonts: each code's text by the font's encoding.
    simple: Option<Vec<Option<String>>>,
    /// Composite fonts whose codes are UTF-16 (`Uni…-UCS2-H` CMaps, `/ToUnicode /Identity-H`).
    utf16: bool,
    cids: Cids,
    widths: Widths,
    /// Text-space units per glyph-space width unit (1/1000, or a Type 3 font's matrix).
    scale: f64,
    /// A simple font that says nothing about its encoding (no `/Encoding`, no `/ToUnicode`, no
    /// readable built-in one): its codes were read as Latin text on a guess. Subset fonts that
    /// number their glyphs 1, 2, 3… are like that, and give garbage.
    pub guessed: bool,
}

#[derive(Debug)]
enum Split {
    One,
    Two,
    CMap(CMap),
}

#[derive(Debug)]
enum Cids {
    /// Simple fonts have no CIDs; `Identity-H` fonts' codes are their CIDs.
    Code,
    /// An embedded encoding CMap gives them (it is `Split::CMap`).
    CMap,
    /// A predefined CMap that is not bundled: widths fall back to the default.
    Unknown,
}

#[derive(Debug)]
enum Widths {
    Simple {
        first: u32,
        widths: Vec<f64>,
        missing: f64,
        standard: Standard,
    },
    Composite {
        default: f64,
        runs: Vec<WidthRun>,
    },
}

#[derive(Debug)]
struct WidthRun {
    low: u32,
    high: u32,
    widths: RunWidths,
}

#[derive(Debug)]
enum RunWidths {
    Same(f64),
    Each(Vec<f64>),
}

/// Metrics for a font that gives no widths: the standard font it resembles.
#[derive(Clone, Copy, Debug)]
enum Standard {
    Table(&'static [u16; 256]),
    Fixed(f64),
}

impl Font {
    /// A font for a `Tf` that names nothing loadable: Standard encoding, half-em glyphs.
    pub(super) fn fallback() -> Font {
        Font {
            split: Split::One,
            to_unicode: None,
            simple: Some(
                (0..=255u8)
                    .map(|c| BaseEncoding::Standard.char(c).map(String::from))
                    .collect(),
            ),
            utf16: false,
            cids: Cids::Code,
            widths: Widths::Simple {
                first: 0,
                widths: Vec::new(),
                missing: 0.0,
                standard: Standard::Table(&tables::HELVETICA),
            },
            scale: 0.001,
            guessed: true,
        }
    }

    pub(super) fn load(document: &Document, font: &Dictionary) -> Font {
        match get_name(document, font, b"Subtype") {
            Some(b"Type0") => load_composite(document, font),
            Some(b"Type3") => load_simple(document, font, true),
            _ => load_simple(document, font, false),
        }
    }

    /// The codes of a string, in order.
    pub(super) fn codes(&self, bytes: &[u8]) -> Vec<Code> {
        match &self.split {
            Split::One => bytes
                .iter()
                .map(|&b| Code {
                    value: u32::from(b),
                    len: 1,
                })
                .collect(),
            Split::Two => bytes
                .chunks(2)
                .map(|c| Code {
                    value: c.iter().fold(0, |v, &b| v << 8 | u32::from(b)),
                    len: c.len() as u8,
                })
                .collect(),
            Split::CMap(cmap) => {
                let mut codes = Vec::with_capacity(bytes.len());
                let mut rest = bytes;
                while !rest.is_empty() {
                    let len = cmap.code_len(rest).min(rest.len());
                    let (code, tail) = rest.split_at(len);
                    codes.push(Code {
                        value: code.iter().fold(0, |v, &b| v << 8 | u32::from(b)),
                        len: len as u8,
                    });
                    rest = tail;
                }
                codes
            }
        }
    }

    /// The text of a code; `None` when the font does not say what character it is.
    pub(super) fn text(&self, code: Code) -> Option<String> {
        if let Some(text) = self
            .to_unicode
            .as_ref()
            .and_then(|t| t.text(code.len, code.value))
        {
            return Some(text);
        }
        if let Some(simple) = &self.simple {
            return simple.get(code.value as usize).cloned().flatten();
        }
        if self.utf16 {
            return char::from_u32(code.value)
                .filter(|c| !c.is_control())
                .map(String::from);
        }
        None
    }

    /// Advance width of a code in text space per unit of font size.
    pub(super) fn advance(&self, code: Code) -> f64 {
        self.width(code) * self.scale
    }

    fn width(&self, code: Code) -> f64 {
        match &self.widths {
            Widths::Simple {
                first,
                widths,
                missing,
                standard,
            } => {
                if let Some(&w) = code
                    .value
                    .checked_sub(*first)
                    .and_then(|i| widths.get(i as usize))
                {
                    return w;
                }
                if *missing > 0.0 {
                    return *missing;
                }
                match standard {
                    Standard::Fixed(w) => *w,
                    Standard::Table(table) => self
                        .text(code)
                        .and_then(|t| t.chars().next())
                        .and_then(win_ansi_code)
                        .map(|c| f64::from(table[usize::from(c)]))
                        .filter(|&w| w > 0.0)
                        .unwrap_or(500.0),
                }
            }
            Widths::Composite { default, runs } => {
                let cid = match (&self.cids, &self.split) {
                    (Cids::Code, _) => Some(code.value),
                    (Cids::CMap, Split::CMap(cmap)) => cmap.cid(code.len, code.value),
                    _ => None,
                };
                cid.and_then(|cid| run_width(runs, cid)).unwrap_or(*default)
            }
        }
    }
}

fn run_width(runs: &[WidthRun], cid: u32) -> Option<f64> {
    let end = runs.partition_point(|r| r.low <= cid);
    runs[..end]
        .iter()
        .rev()
        .take(8)
        .find(|r| r.low <= cid && cid <= r.high)
        .and_then(|r| match &r.widths {
            RunWidths::Same(w) => Some(*w),
            RunWidths::Each(ws) => ws.get((cid - r.low) as usize).copied(),
        })
}

/// The font's PostScript name without a subset tag (`ABCDEF+Arial` → `Arial`).
fn base_name<'a>(document: &'a Document, font: &'a Dictionary) -> &'a [u8] {
    let name = get_name(document, font, b"BaseFont").unwrap_or_default();
    match name.iter().position(|&b| b == b'+') {
        Some(6) => &name[7..],
        _ => name,
    }
}

fn standard_metrics(name: &[u8]) -> Standard {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["courier", "mono", "consol", "typewriter"]) {
        return Standard::Fixed(600.0);
    }
    let bold = has(&["bold", "black", "heavy", "demi", "semibold"]);
    let italic = has(&["italic", "oblique"]);
    let serif = has(&[
        "times", "roman", "georgia", "garamond", "cambria", "book", "serif",
    ]) && !has(&["sans"]);
    Standard::Table(match (serif, bold, italic) {
        (true, false, false) => &tables::TIMES_ROMAN,
        (true, true, false) => &tables::TIMES_BOLD,
        (true, false, true) => &tables::TIMES_ITALIC,
        (true, true, true) => &tables::TIMES_BOLDITALIC,
        (false, false, _) => &tables::HELVETICA,
        (false, true, _) => &tables::HELVETICA_BOLD,
    })
}

fn load_to_unicode(document: &Document, font: &Dictionary) -> (Option<CMap>, bool) {
    match get(document, font, b"ToUnicode") {
        Some(Object::Stream(stream)) => (stream_data(stream).map(|d| CMap::parse(&d)), false),
        Some(Object::Name(name)) if name.starts_with(b"Identity") => (None, true),
        _ => (None, false),
    }
}

fn load_simple(document: &Document, font: &Dictionary, type3: bool) -> Font {
    let name = base_name(document, font);
    let descriptor = get_dict(document, font, b"FontDescriptor");
    let (to_unicode, _) = load_to_unicode(document, font);

    let symbolic_name = {
        let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
        ["symbol", "dingbats", "wingdings", "webdings"]
            .iter()
            .any(|s| lower.contains(s))
    };
    let encoding = get(document, font, b"Encoding");
    let named_base = match encoding {
        Some(Object::Name(n)) => BaseEncoding::from_name(n),
        Some(Object::Dictionary(d)) => {
            get_name(document, d, b"BaseEncoding").and_then(BaseEncoding::from_name)
        }
        _ => None,
    };
    let mut table: Vec<Option<String>> = vec![None; 256];
    let program = if named_base.is_none() && !type3 {
        descriptor.and_then(|d| type1_encoding(document, d))
    } else {
        None
    };
    let guessed = to_unicode.is_none() && encoding.is_none() && program.is_none() && !type3;
    match (named_base, program) {
        (Some(base), _) => fill(&mut table, base),
        (None, Some(ProgramEncoding::Standard)) => fill(&mut table, BaseEncoding::Standard),
        (None, Some(ProgramEncoding::Custom(entries))) => {
            for (code, glyph) in entries {
                table[usize::from(code)] = glyph_text(&glyph);
            }
        }
        (None, None) if type3 || symbolic_name => {}
        (None, None) => {
            let truetype = get_name(document, font, b"Subtype") == Some(b"TrueType");
            fill(
                &mut table,
                if truetype {
                    BaseEncoding::WinAnsi
                } else {
                    BaseEncoding::Standard
                },
            );
        }
    }
    if let Some(Object::Dictionary(d)) = encoding
        && let Some(differences) = get_array(document, d, b"Differences")
    {
        apply_differences(document, &mut table, differences);
    }

    // A Type 3 font's matrix maps its glyph space to text space (by convention an em to one
    // unit, as the usual 1/1000 does).
    let mut scale = 0.001;
    if type3
        && let Some(matrix) =
            get_array(document, font, b"FontMatrix").and_then(|m| numbers(document, m))
        && matrix.len() == 6
        && matrix[0].abs() > 1e-9
    {
        scale = matrix[0].abs();
    }
    let first = get_number(document, font, b"FirstChar")
        .unwrap_or(0.0)
        .max(0.0) as u32;
    let widths = get_array(document, font, b"Widths")
        .map(|w| {
            w.iter()
                .map(|o| resolve(document, o).and_then(number).unwrap_or(0.0))
                .collect()
        })
        .unwrap_or_default();
    let missing = descriptor
        .and_then(|d| get_number(document, d, b"MissingWidth"))
        .unwrap_or(0.0);
    Font {
        split: Split::One,
        to_unicode,
        simple: Some(table),
        utf16: false,
        cids: Cids::Code,
        widths: Widths::Simple {
            first,
            widths,
            missing,
            standard: standard_metrics(name),
        },
        scale,
        guessed,
    }
}

fn fill(table: &mut [Option<String>], base: BaseEncoding) {
    for (code, slot) in table.iter_mut().enumerate() {
        *slot = base.char(code as u8).map(String::from);
    }
}

/// `/Differences [code /name /name … code /name …]`: an unknown name replaces the base
/// character with "unknown", since the glyph is then not that character.
fn apply_differences(document: &Document, table: &mut [Option<String>], differences: &[Object]) {
    let mut code: Option<usize> = None;
    for item in differences {
        match resolve(document, item) {
            Some(Object::Integer(n)) => code = usize::try_from(*n).ok(),
            Some(Object::Real(r)) => code = Some(*r as usize),
            Some(Object::Name(glyph)) => {
                if let Some(c) = code {
                    if let Some(slot) = table.get_mut(c) {
                        *slot = glyph_text(glyph);
                    }
                    code = Some(c + 1);
                }
            }
            _ => {}
        }
    }
}

enum ProgramEncoding {
    Standard,
    Custom(Vec<(u8, Vec<u8>)>),
}

/// The built-in encoding of an embedded Type 1 font program, from its clear-text part
/// (`/Encoding StandardEncoding def`, or `dup 65 /A put` lines).
fn type1_encoding(document: &Document, descriptor: &Dictionary) -> Option<ProgramEncoding> {
    let stream = get_stream(document, descriptor, b"FontFile")?;
    let data = stream_data(stream)?;
    let clear_len = get_number(document, &stream.dict, b"Length1")
        .map(|l| l as usize)
        .filter(|&l| l > 0 && l <= data.len())
        .unwrap_or(data.len());
    let clear = &data[..clear_len];
    let clear = match find(clear, b"eexec") {
        Some(p) => &clear[..p],
        None => clear,
    };
    let start = find(clear, b"/Encoding")?;
    let rest = &clear[start + b"/Encoding".len()..];
    if rest.trim_ascii_start().starts_with(b"StandardEncoding") {
        return Some(ProgramEncoding::Standard);
    }
    let mut entries = Vec::new();
    let mut lexer = Lexer::new(rest);
    let mut operands = Vec::new();
    while let Some(op) = lexer.next(&mut operands) {
        match op {
            Op::Operator(b"put") => {
                if let [.., Operand::Number(code), Operand::Name(glyph)] = operands.as_slice()
                    && (0.0..256.0).contains(code)
                {
                    entries.push((*code as u8, glyph.clone()));
                }
            }
            Op::Operator(b"def" | b"readonly") if !entries.is_empty() => break,
            _ => {}
        }
    }
    (!entries.is_empty()).then_some(ProgramEncoding::Custom(entries))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn load_composite(document: &Document, font: &Dictionary) -> Font {
    let (to_unicode, unicode_identity) = load_to_unicode(document, font);
    let descendant = get_array(document, font, b"DescendantFonts")
        .and_then(|a| a.first())
        .and_then(|d| as_dict(document, d));
    let (split, cids, utf16) = match get(document, font, b"Encoding") {
        Some(Object::Name(name)) if name.starts_with(b"Identity-") => {
            (Split::Two, Cids::Code, false)
        }
        Some(Object::Name(name)) => {
            let utf16 = name.starts_with(b"Uni")
                && (find(name, b"UCS2").is_some() || find(name, b"UTF16").is_some());
            (Split::Two, Cids::Unknown, utf16)
        }
        Some(Object::Stream(stream)) => match stream_data(stream).map(|d| CMap::parse(&d)) {
            Some(cmap) if cmap.has_codespace() => (Split::CMap(cmap), Cids::CMap, false),
            _ => (Split::Two, Cids::Code, false),
        },
        _ => (Split::Two, Cids::Code, false),
    };
    // A predefined multi-byte CMap that is not bundled (`90ms-RKSJ-H`): the ToUnicode map's
    // code space says how long the codes are.
    let split = match (split, &cids) {
        (Split::Two, Cids::Unknown) if !utf16 => match get(document, font, b"ToUnicode") {
            Some(Object::Stream(stream)) => stream_data(stream)
                .map(|d| CMap::parse(&d))
                .filter(CMap::has_codespace)
                .map_or(Split::Two, Split::CMap),
            _ => Split::Two,
        },
        (split, _) => split,
    };

    let mut default = 1000.0;
    let mut runs = Vec::new();
    if let Some(descendant) = descendant {
        if let Some(dw) = get_number(document, descendant, b"DW") {
            default = dw;
        }
        if let Some(w) = get_array(document, descendant, b"W") {
            runs = width_runs(document, w);
        }
    }
    Font {
        split,
        to_unicode,
        simple: None,
        utf16: utf16 || unicode_identity,
        cids,
        widths: Widths::Composite { default, runs },
        scale: 0.001,
        guessed: false,
    }
}

/// A CIDFont's `/W`: `c [w1 w2 …]` and `c_first c_last w` entries.
fn width_runs(document: &Document, w: &[Object]) -> Vec<WidthRun> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(low) = resolve(document, &w[i]).and_then(number) else {
            i += 1;
            continue;
        };
        let low = low.max(0.0) as u32;
        match w.get(i + 1).and_then(|o| resolve(document, o)) {
            Some(Object::Array(list)) => {
                let widths: Vec<f64> = list
                    .iter()
                    .map(|o| resolve(document, o).and_then(number).unwrap_or(0.0))
                    .collect();
                if !widths.is_empty() {
                    runs.push(WidthRun {
                        low,
                        high: low.saturating_add(widths.len() as u32 - 1),
                        widths: RunWidths::Each(widths),
                    });
                }
                i += 2;
            }
            Some(high) => {
                let high = number(high).unwrap_or(0.0).max(0.0) as u32;
                let width = w
                    .get(i + 2)
                    .and_then(|o| resolve(document, o))
                    .and_then(number);
                if let Some(width) = width
                    && high >= low
                {
                    runs.push(WidthRun {
                        low,
                        high,
                        widths: RunWidths::Same(width),
                    });
                }
                i += 3;
            }
            None => break,
        }
    }
    runs.sort_by_key(|r| r.low);
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, dictionary};

    fn text_of(font: &Font, bytes: &[u8]) -> String {
        font.codes(bytes)
            .into_iter()
            .map(|c| font.text(c).unwrap_or_else(|| "?".into()))
            .collect()
    }

    #[test]
    fn win_ansi_font_decodes_and_measures() {
        let doc = Document::with_version("1.5");
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        };
        let font = Font::load(&doc, &font);
        assert_eq!(
            text_of(&font, b"Caf\xe9 \x93x\x94"),
            "Café \u{201C}x\u{201D}"
        );
        // No /Widths: Helvetica's metrics.
        assert_eq!(
            font.advance(Code {
                value: 0x41,
                len: 1
            }),
            0.667
        );
        assert_eq!(
            font.advance(Code {
                value: 0x20,
                len: 1
            }),
            0.278
        );
    }

    #[test]
    fn differences_override_the_base_encoding() {
        let doc = Document::with_version("1.5");
        let font = dictionary! {
            "Subtype" => "Type1", "BaseFont" => "ABCDEF+Custom",
            "FirstChar" => 65, "Widths" => vec![600.into(), 700.into()],
            "Encoding" => dictionary! {
                "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![65.into(), "B".into(), "g17".into(), 200.into(), "eacute".into()],
            },
        };
        let font = Font::load(&doc, &font);
        assert_eq!(text_of(&font, b"ABC\xc8"), "B?Cé");
        assert!((font.advance(Code { value: 66, len: 1 }) - 0.7).abs() < 1e-9);
    }

    #[test]
    fn identity_h_font_uses_to_unicode_and_cid_widths() {
        let mut doc = Document::with_version("1.5");
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0024> <0041> <0025> <0042> endbfchar"
            .to_vec();
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap));
        let font = dictionary! {
            "Subtype" => "Type0", "BaseFont" => "XYZ", "Encoding" => "Identity-H",
            "ToUnicode" => to_unicode,
            "DescendantFonts" => vec![dictionary! {
                "Subtype" => "CIDFontType2", "DW" => 900,
                "W" => vec![36.into(), vec![500.into(), 550.into()].into(), 100.into(), 200.into(), 250.into()],
            }.into()],
        };
        let font = Font::load(&doc, &font);
        assert_eq!(text_of(&font, b"\x00\x24\x00\x25\x00\x26"), "AB?");
        let code = |value| Code { value, len: 2 };
        assert_eq!(font.advance(code(0x25)), 0.55);
        assert_eq!(font.advance(code(150)), 0.25);
        assert_eq!(font.advance(code(99)), 0.9);
    }

    #[test]
    fn identity_h_without_to_unicode_is_unknown_text() {
        let doc = Document::with_version("1.5");
        let font = dictionary! {
            "Subtype" => "Type0", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![dictionary! { "Subtype" => "CIDFontType2" }.into()],
        };
        let font = Font::load(&doc, &font);
        assert_eq!(text_of(&font, b"\x00\x24\x00\x25"), "??");
    }

    #[test]
    fn type3_font_without_known_names_is_unknown_text() {
        let doc = Document::with_version("1.5");
        let font = dictionary! {
            "Subtype" => "Type3",
            "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
            "FirstChar" => 1, "Widths" => vec![50.into(), 60.into()],
            "Encoding" => dictionary! { "Differences" => vec![1.into(), "a1".into(), "B".into()] },
        };
        let font = Font::load(&doc, &font);
        assert_eq!(text_of(&font, b"\x01\x02A"), "?B?");
        assert!((font.advance(Code { value: 2, len: 1 }) - 0.6).abs() < 1e-6);
    }

    #[test]
    fn type1_program_encoding_is_read() {
        let mut doc = Document::with_version("1.5");
        let program = b"%!PS-AdobeFont-1.0: CMR10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 65 /Z put\ndup 66 /ffi put\nreadonly def\ncurrentfile eexec\n\x80\x81binary"
            .to_vec();
        let file = doc.add_object(Stream::new(dictionary! { "Length1" => 120 }, program));
        let font = dictionary! {
            "Subtype" => "Type1", "BaseFont" => "CMR10",
            "FontDescriptor" => dictionary! { "FontFile" => file },
        };
        let font = Font::load(&doc, &font);
        assert_eq!(text_of(&font, b"ABC"), "Z\u{FB03}?");
    }
}
