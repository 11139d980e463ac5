//! PDF reading, CMaps: a font's `/ToUnicode` map (character code → text) and an embedded
//! `/Encoding` CMap (character code → CID, and how many bytes each code takes).
//!
//! Invariant: ranges are kept as ranges, never expanded, so a hostile `<00000000> <FFFFFFFF>`
//! range costs one entry.

use std::collections::HashMap;

use super::syntax::{Lexer, Op, Operand};

/// Longest character code a CMap may define, in bytes.
const MAX_CODE_BYTES: usize = 4;

/// A parsed CMap. Codes are big-endian numbers of 1 to 4 bytes; the byte length is part of the
/// code (`<41>` and `<0041>` differ).
#[derive(Debug, Default)]
pub(super) struct CMap {
    /// The code space: which byte sequences are codes, and so how long each code is.
    codespace: Vec<CodeRange>,
    chars: HashMap<(u8, u32), String>,
    char_ranges: Vec<UnicodeRange>,
    cids: HashMap<(u8, u32), u32>,
    cid_ranges: Vec<CidRange>,
    /// The map builds on `Identity-H`/`Identity-V` (`usecmap`): unlisted 2-byte codes are CIDs.
    identity: bool,
}

#[derive(Clone, Copy, Debug)]
struct CodeRange {
    len: u8,
    low: [u8; MAX_CODE_BYTES],
    high: [u8; MAX_CODE_BYTES],
}

#[derive(Debug)]
struct UnicodeRange {
    len: u8,
    low: u32,
    high: u32,
    target: RangeTarget,
}

#[derive(Debug)]
enum RangeTarget {
    /// `low` maps to these UTF-16 units; each next code adds one to the last unit.
    Start(Vec<u16>),
    /// One text per code, from `low` on.
    List(Vec<String>),
}

#[derive(Debug)]
struct CidRange {
    len: u8,
    low: u32,
    high: u32,
    cid: u32,
}

fn code_of(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > MAX_CODE_BYTES {
        return None;
    }
    let value = bytes.iter().fold(0u32, |v, &b| v << 8 | u32::from(b));
    Some((bytes.len() as u8, value))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    // Some producers write one byte where UTF-16 needs two: read it as the character itself.
    if let [b] = bytes {
        return vec![u16::from(*b)];
    }
    bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect()
}

/// Text of UTF-16 units; `None` when it holds nothing readable (empty, NUL, unpaired halves).
fn text_of_units(units: &[u16]) -> Option<String> {
    let text: String = char::decode_utf16(units.iter().copied())
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect();
    usable(text)
}

fn usable(text: String) -> Option<String> {
    if text.is_empty() || text.chars().all(|c| c == '\0' || c == '\u{FFFD}') {
        None
    } else {
        Some(text)
    }
}

impl CMap {
    pub(super) fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lexer = Lexer::new(data);
        let mut operands = Vec::new();
        while let Some(op) = lexer.next(&mut operands) {
            let Op::Operator(op) = op else { continue };
            match op {
                b"endcodespacerange" => {
                    for pair in operands.chunks_exact(2) {
                        if let (Operand::String(lo), Operand::String(hi)) = (&pair[0], &pair[1]) {
                            cmap.add_codespace(lo, hi);
                        }
                    }
                }
                b"endbfchar" => {
                    for pair in operands.chunks_exact(2) {
                        let Operand::String(src) = &pair[0] else {
                            continue;
                        };
                        let Some(code) = code_of(src) else { continue };
                        let text = match &pair[1] {
                            Operand::String(dst) => text_of_units(&utf16_units(dst)),
                            Operand::Name(name) => super::encoding::glyph_text(name),
                            _ => None,
                        };
                        if let Some(text) = text {
                            cmap.chars.insert(code, text);
                        }
                    }
                }
                b"endbfrange" => {
                    for triple in operands.chunks_exact(3) {
                        let (Operand::String(lo), Operand::String(hi)) = (&triple[0], &triple[1])
                        else {
                            continue;
                        };
                        let (Some((len, low)), Some((_, high))) = (code_of(lo), code_of(hi)) else {
                            continue;
                        };
                        if high < low {
                            continue;
                        }
                        let target = match &triple[2] {
                            Operand::String(dst) => RangeTarget::Start(utf16_units(dst)),
                            Operand::Array(items) => RangeTarget::List(
                                items
                                    .iter()
                                    .map(|item| match item {
                                        Operand::String(dst) => {
                                            text_of_units(&utf16_units(dst)).unwrap_or_default()
                                        }
                                        Operand::Name(name) => {
                                            super::encoding::glyph_text(name).unwrap_or_default()
                                        }
                                        _ => String::new(),
                                    })
                                    .collect(),
                            ),
                            _ => continue,
                        };
                        cmap.char_ranges.push(UnicodeRange {
                            len,
                            low,
                            high,
                            target,
                        });
                    }
                }
                b"endcidchar" => {
                    for pair in operands.chunks_exact(2) {
                        if let (Operand::String(src), Operand::Number(cid)) = (&pair[0], &pair[1])
                            && let Some(code) = code_of(src)
                        {
                            cmap.cids.insert(code, *cid as u32);
                        }
                    }
                }
                b"endcidrange" => {
                    for triple in operands.chunks_exact(3) {
                        if let (Operand::String(lo), Operand::String(hi), Operand::Number(cid)) =
                            (&triple[0], &triple[1], &triple[2])
                            && let (Some((len, low)), Some((_, high))) = (code_of(lo), code_of(hi))
                            && low <= high
                        {
                            cmap.cid_ranges.push(CidRange {
                                len,
                                low,
                                high,
                                cid: *cid as u32,
                            });
                        }
                    }
                }
                b"usecmap" => {
                    if let Some(Operand::Name(name)) = operands.first()
                        && name.starts_with(b"Identity-")
                    {
                        cmap.identity = true;
                        cmap.add_codespace(&[0, 0], &[0xff, 0xff]);
                    }
                }
                _ => {}
            }
        }
        cmap.char_ranges.sort_by_key(|r| (r.low, r.len));
        cmap.cid_ranges.sort_by_key(|r| (r.low, r.len));
        cmap
    }

    fn add_codespace(&mut self, low: &[u8], high: &[u8]) {
        if low.len() != high.len() || low.is_empty() || low.len() > MAX_CODE_BYTES {
            return;
        }
        let mut range = CodeRange {
            len: low.len() as u8,
            low: [0; MAX_CODE_BYTES],
            high: [0; MAX_CODE_BYTES],
        };
        range.low[..low.len()].copy_from_slice(low);
        range.high[..high.len()].copy_from_slice(high);
        self.codespace.push(range);
    }

    pub(super) fn has_codespace(&self) -> bool {
        !self.codespace.is_empty()
    }

    /// Byte length of the code starting at `bytes[0]`, by the code space: the shortest range
    /// that matches; with none matching, the shortest length the code space uses for a code
    /// that starts the same way, else its shortest length.
    pub(super) fn code_len(&self, bytes: &[u8]) -> usize {
        for len in 1..=MAX_CODE_BYTES {
            if bytes.len() < len {
                break;
            }
            let matches = self.codespace.iter().any(|r| {
                usize::from(r.len) == len
                    && (0..len).all(|k| r.low[k] <= bytes[k] && bytes[k] <= r.high[k])
            });
            if matches {
                return len;
            }
        }
        let first_byte = self
            .codespace
            .iter()
            .filter(|r| r.low[0] <= bytes[0] && bytes[0] <= r.high[0])
            .map(|r| usize::from(r.len))
            .min();
        first_byte
            .or_else(|| self.codespace.iter().map(|r| usize::from(r.len)).min())
            .unwrap_or(1)
            .clamp(1, bytes.len().max(1))
    }

    /// The text of code `code` (`len` bytes long). Falls back to a code of the same value but
    /// another length: producers often write 2-byte entries for a 1-byte font.
    pub(super) fn text(&self, len: u8, code: u32) -> Option<String> {
        self.text_exact(len, code).or_else(|| {
            (1..=MAX_CODE_BYTES as u8)
                .filter(|&l| l != len)
                .find_map(|l| self.text_exact(l, code))
        })
    }

    fn text_exact(&self, len: u8, code: u32) -> Option<String> {
        if let Some(text) = self.chars.get(&(len, code)) {
            return Some(text.clone());
        }
        let range = find_range(&self.char_ranges, code, |r| (r.low, r.high, r.len), len)?;
        let offset = code - range.low;
        match &range.target {
            RangeTarget::Start(units) => {
                let mut units = units.clone();
                let last = units.last_mut()?;
                *last = last.wrapping_add(offset as u16);
                text_of_units(&units)
            }
            RangeTarget::List(texts) => texts
                .get(offset as usize)
                .filter(|t| !t.is_empty())
                .cloned(),
        }
    }

    /// The CID of a code, for an encoding CMap.
    pub(super) fn cid(&self, len: u8, code: u32) -> Option<u32> {
        if let Some(&cid) = self.cids.get(&(len, code)) {
            return Some(cid);
        }
        if let Some(range) = find_range(&self.cid_ranges, code, |r| (r.low, r.high, r.len), len) {
            return Some(range.cid.wrapping_add(code - range.low));
        }
        (self.identity && len == 2).then_some(code)
    }
}

/// The range of byte length `len` holding `code`. Ranges are sorted by their low end and
/// rarely overlap, so a binary search finds the candidate and a short look back covers overlaps.
fn find_range<T>(
    ranges: &[T],
    code: u32,
    bounds: impl Fn(&T) -> (u32, u32, u8),
    len: u8,
) -> Option<&T> {
    let end = ranges.partition_point(|r| bounds(r).0 <= code);
    ranges[..end].iter().rev().take(16).find(|r| {
        let (low, high, l) = bounds(r);
        l == len && low <= code && code <= high
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TO_UNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
        /CMapName /Adobe-Identity-UCS def
        1 begincodespacerange <0000> <FFFF> endcodespacerange
        3 beginbfchar <0003> <0020> <0024> <0041> <00B3> <00660069> endbfchar
        2 beginbfrange <0010> <0019> <0030> <0050> <0052> [<0058> <0059> <005A>] endbfrange
        endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_and_bfrange_map_codes_to_text() {
        let cmap = CMap::parse(TO_UNICODE);
        assert_eq!(cmap.text(2, 0x24).as_deref(), Some("A"));
        assert_eq!(cmap.text(2, 0x03).as_deref(), Some(" "));
        assert_eq!(cmap.text(2, 0xB3).as_deref(), Some("fi"));
        assert_eq!(cmap.text(2, 0x10).as_deref(), Some("0"));
        assert_eq!(cmap.text(2, 0x19).as_deref(), Some("9"));
        assert_eq!(cmap.text(2, 0x51).as_deref(), Some("Y"));
        assert_eq!(cmap.text(2, 0x1A), None);
        assert_eq!(cmap.code_len(&[0x00, 0x24]), 2);
    }

    #[test]
    fn one_byte_lookup_falls_back_to_two_byte_entries() {
        let cmap = CMap::parse(TO_UNICODE);
        assert_eq!(cmap.text(1, 0x24).as_deref(), Some("A"));
    }

    #[test]
    fn mixed_width_code_space_splits_codes() {
        let cmap = CMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange
              1 begincidrange <8140> <817E> 633 endcidrange
              1 begincidchar <41> 34 endcidchar",
        );
        assert_eq!(cmap.code_len(&[0x41, 0x81]), 1);
        assert_eq!(cmap.code_len(&[0x81, 0x40]), 2);
        assert_eq!(cmap.cid(2, 0x8142), Some(635));
        assert_eq!(cmap.cid(1, 0x41), Some(34));
        assert_eq!(cmap.cid(1, 0x42), None);
    }

    #[test]
    fn a_huge_range_is_one_entry() {
        let cmap = CMap::parse(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(cmap.char_ranges.len(), 1);
        assert_eq!(cmap.text(4, 1).as_deref(), Some("B"));
    }
}
