//! PDF reading, fonts: how a font's string bytes split into character codes, and each code's text
//! and advance width.
//!
//! Invariant: loading never fails. A font with a broken dictionary still splits and advances (one
//! byte per code, half an em per glyph); codes whose text cannot be known read as `None`, which
//! is what tells a real text layer from glyph soup.

mod composite;
mod simple;

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

use composite::load_composite;
use simple::load_simple;

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
