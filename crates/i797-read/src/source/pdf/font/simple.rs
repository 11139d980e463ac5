//! PDF reading, fonts: simple fonts (Type 1, TrueType, Type 3) — their encoding from the base
//! encoding, `/Differences`, the embedded Type 1 program or the standard 14 metrics, and their
//! widths. Must not: read CMaps (`cmap.rs`) or glyph-name tables (`encoding.rs`, `tables.rs`).

use super::*;

pub(super) fn load_simple(document: &Document, font: &Dictionary, type3: bool) -> Font {
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

pub(super) fn fill(table: &mut [Option<String>], base: BaseEncoding) {
    for (code, slot) in table.iter_mut().enumerate() {
        *slot = base.char(code as u8).map(String::from);
    }
}

/// `/Differences [code /name /name … code /name …]`: an unknown name replaces the base
/// character with "unknown", since the glyph is then not that character.
pub(super) fn apply_differences(
    document: &Document,
    table: &mut [Option<String>],
    differences: &[Object],
) {
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

pub(super) enum ProgramEncoding {
    Standard,
    Custom(Vec<(u8, Vec<u8>)>),
}

/// The built-in encoding of an embedded Type 1 font program, from its clear-text part
/// (`/Encoding StandardEncoding def`, or `dup 65 /A put` lines).
pub(super) fn type1_encoding(
    document: &Document,
    descriptor: &Dictionary,
) -> Option<ProgramEncoding> {
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

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
