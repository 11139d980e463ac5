//! PDF reading, syntax: inline images (`BI <dictionary> ID <data> EI`) in a content stream, and
//! the short names they may use. Invariant: the end of the data is found without decoding it, and
//! never past the input; an image whose end is not found is reported as damage, not a panic.
//!
//! The abbreviation tables (ISO 32000-1, tables 93 and 94) live here only: the picture walk
//! spells an inline image's dictionary out with them, the image decoders read filter names
//! through [`full_filter_name`].

use super::{Lexer, Op, Operand, is_regular, is_whitespace};

/// The full spelling of an inline image dictionary key.
pub(in crate::source::pdf) fn full_key(key: &[u8]) -> &[u8] {
    match key {
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
    }
}

/// The full spelling of a filter name (`/Fl` is `/FlateDecode`).
pub(in crate::source::pdf) fn full_filter_name(name: &[u8]) -> &[u8] {
    match name {
        b"AHx" => b"ASCIIHexDecode",
        b"A85" => b"ASCII85Decode",
        b"LZW" => b"LZWDecode",
        b"Fl" => b"FlateDecode",
        b"RL" => b"RunLengthDecode",
        b"CCF" => b"CCITTFaxDecode",
        b"DCT" => b"DCTDecode",
        other => other,
    }
}

/// The full spelling of a filter or colour space name (an inline image's `/F` and `/CS` values).
pub(in crate::source::pdf) fn full_name(name: &[u8]) -> &[u8] {
    match full_filter_name(name) {
        b"G" => b"DeviceGray",
        b"RGB" => b"DeviceRGB",
        b"CMYK" => b"DeviceCMYK",
        b"I" => b"Indexed",
        other => other,
    }
}

impl<'a> Lexer<'a> {
    /// `BI` was read: gathers the image dictionary up to `ID` into a `Dict` pushed on
    /// `operands`, and finds the data (see [`Lexer::inline_image_data`]) and the `EI` after it.
    pub(super) fn inline_image(&mut self, operands: &mut Vec<Operand>) -> Op<'a> {
        let mut dict = Vec::new();
        loop {
            match self.operands_then_word(&mut dict) {
                Some(b"ID") => break,
                // A stray word inside the dictionary: viewers skip it.
                Some(_) => {}
                None => {
                    self.damaged = true;
                    self.inline_data = self.pos..self.pos;
                    operands.push(Operand::Dict(dict));
                    return Op::InlineImage;
                }
            }
        }
        // One white-space byte separates ID from the data (CR LF counts as one).
        match self.input.get(self.pos) {
            Some(b'\r') if self.input.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
            Some(&b) if is_whitespace(b) => self.pos += 1,
            _ => {}
        }
        let start = self.pos;
        match self.data_end(start, &dict) {
            Some((end, resume)) => {
                self.inline_data = start..end;
                self.pos = resume;
            }
            None => {
                self.damaged = true;
                self.inline_data = start..start;
                self.pos = self.input.len();
            }
        }
        operands.push(Operand::Dict(dict));
        Op::InlineImage
    }

    /// Where the data starting at `start` ends, and where reading resumes after its `EI`.
    /// Unfiltered data has a known length; other data ends at the first `EI` that looks like
    /// the end (see [`find_inline_end`]).
    fn data_end(&self, start: usize, dict: &[Operand]) -> Option<(usize, usize)> {
        let filtered = entry(dict, b"Filter").is_some();
        if let Some(len) = unfiltered_length(dict).filter(|_| !filtered) {
            let end = start.checked_add(len).filter(|&e| e <= self.input.len());
            if let Some(end) = end {
                let mut after = Lexer::new(self.input);
                after.pos = end;
                after.skip_whitespace_and_comments();
                let rest = &self.input[after.pos..];
                if rest.starts_with(b"EI") && rest.get(2).is_none_or(|&b| !is_regular(b)) {
                    return Some((end, after.pos + 2));
                }
            }
        }
        let at = find_inline_end(&self.input[start..])? + start;
        // The white space before EI belongs to the syntax, not the data.
        let data_end = if at > start && is_whitespace(self.input[at - 1]) {
            at - 1
        } else {
            at
        };
        Some((data_end, at + 2))
    }
}

/// Offset of the `EI` that ends inline image data: preceded by white space, followed by white
/// space or the end, and followed by text rather than binary data (filtered data may hold "EI").
fn find_inline_end(data: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = data[from..].windows(2).position(|w| w == b"EI") {
        let at = from + found;
        let before_ok = at == 0 || is_whitespace(data[at - 1]);
        let after_ok = data.get(at + 2).is_none_or(|&b| is_whitespace(b));
        let text_follows = data[at + 2..]
            .iter()
            .take(48)
            .all(|&b| b.is_ascii_graphic() || is_whitespace(b));
        if before_ok && after_ok && text_follows {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The value of the entry whose key, spelled out, is `key`.
fn entry<'d>(dict: &'d [Operand], key: &[u8]) -> Option<&'d Operand> {
    dict.chunks_exact(2)
        .find(|kv| kv[0].name().is_some_and(|k| full_key(k) == key))
        .map(|kv| &kv[1])
}

/// Byte length of unfiltered inline image data, when the colour space says how many components.
fn unfiltered_length(dict: &[Operand]) -> Option<usize> {
    let int = |key: &[u8]| {
        let n = entry(dict, key)?.number()?;
        (n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64).then_some(n as usize)
    };
    let width = int(b"Width")?;
    let height = int(b"Height")?;
    let mask = entry(dict, b"ImageMask") == Some(&Operand::Bool(true));
    let bpc = if mask { 1 } else { int(b"BitsPerComponent")? };
    let components = if mask {
        1
    } else {
        match entry(dict, b"ColorSpace")? {
            Operand::Name(n) => match full_name(n) {
                b"DeviceGray" | b"CalGray" => 1,
                b"DeviceRGB" | b"CalRGB" => 3,
                b"DeviceCMYK" => 4,
                _ => return None,
            },
            Operand::Array(a)
                if a.first().and_then(Operand::name).map(full_name) == Some(b"Indexed") =>
            {
                1
            }
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

    /// Operators in order, an inline image as `BI[data length]`.
    fn ops(content: &[u8]) -> Vec<String> {
        let mut lexer = Lexer::new(content);
        let mut operands = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = lexer.next(&mut operands) {
            out.push(match op {
                Op::InlineImage => format!("BI[{}]", lexer.inline_image_data().len()),
                Op::Operator(o) => String::from_utf8_lossy(o).into_owned(),
            });
        }
        out
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
        let mut operands = Vec::new();
        assert_eq!(lexer.next(&mut operands), Some(Op::InlineImage));
        assert_eq!(lexer.inline_image_data(), b"00ff EI\xff\xfe\x80 more");
        let Some(Operand::Dict(dict)) = operands.last() else {
            panic!("no dictionary: {operands:?}");
        };
        let filter = entry(dict, b"Filter")
            .and_then(Operand::name)
            .map(full_name);
        assert_eq!(filter, Some(&b"ASCIIHexDecode"[..]));
        assert_eq!(lexer.next(&mut operands), Some(Op::Operator(b"Q")));
        assert!(!lexer.met_damage());
    }

    #[test]
    fn decode_parameters_keep_their_dictionary() {
        let content = b"BI /W 4 /H 1 /F /CCF /DP << /K -1 /Columns 4 >> ID \x00\x01 EI Q";
        let mut lexer = Lexer::new(content);
        let mut operands = Vec::new();
        assert_eq!(lexer.next(&mut operands), Some(Op::InlineImage));
        let Some(Operand::Dict(dict)) = operands.last() else {
            panic!("no dictionary: {operands:?}");
        };
        let Some(Operand::Dict(parms)) = entry(dict, b"DecodeParms") else {
            panic!("no parameters: {dict:?}");
        };
        assert_eq!(parms[1], Operand::Number(-1.0));
    }

    #[test]
    fn an_inline_image_without_its_end_is_damage() {
        let mut lexer = Lexer::new(b"BI /W 2 /H 2 /F /Fl ID \x89\x00\x01");
        let mut operands = Vec::new();
        assert_eq!(lexer.next(&mut operands), Some(Op::InlineImage));
        assert!(lexer.met_damage());
        assert_eq!(lexer.next(&mut operands), None);
    }

    #[test]
    fn abbreviations_spell_out_and_full_names_stay() {
        assert_eq!(full_filter_name(b"DCT"), b"DCTDecode");
        assert_eq!(full_filter_name(b"FlateDecode"), b"FlateDecode");
        assert_eq!(full_name(b"RGB"), b"DeviceRGB");
        assert_eq!(full_key(b"BPC"), b"BitsPerComponent");
    }
}
