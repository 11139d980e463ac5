//! PDF reading, encodings: the character each byte of a simple font stands for, and the text of
//! a glyph name (`/Differences`, `bfchar` names).

use super::tables::{GLYPH_NAMES, MAC_ROMAN, STANDARD, WIN_ANSI};

/// A simple font's base encoding (`/Encoding` name or `/BaseEncoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
}

impl BaseEncoding {
    pub(super) fn from_name(name: &[u8]) -> Option<Self> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            // MacExpert holds small capitals and old-style figures; Standard reads them close enough.
            b"StandardEncoding" | b"MacExpertEncoding" | b"PDFDocEncoding" => {
                Some(BaseEncoding::Standard)
            }
            _ => None,
        }
    }

    /// The character of `code`, `None` where the encoding has none.
    pub(super) fn char(self, code: u8) -> Option<char> {
        let table = match self {
            BaseEncoding::Standard => &STANDARD,
            BaseEncoding::WinAnsi => &WIN_ANSI,
            BaseEncoding::MacRoman => &MAC_ROMAN,
        };
        Some(table[usize::from(code)]).filter(|&c| c != '\0')
    }
}

/// The WinAnsi code of a character, to look up standard-font widths (indexed that way).
pub(super) fn win_ansi_code(c: char) -> Option<u8> {
    if (' '..='~').contains(&c) {
        return Some(c as u8);
    }
    WIN_ANSI
        .iter()
        .position(|&w| w == c && w != '\0')
        .map(|p| p as u8)
}

/// The text a glyph name stands for: Adobe Glyph List names, `uniXXXX…`, `uXXXX[XX]`, and
/// names built from those (`f_f_i`, `A.sc`). `None` for names that say nothing about the
/// character (`g42`, `cid123`, `.notdef`).
pub(super) fn glyph_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    // A suffix after a period names a variant of the same character.
    let base = match name.find('.') {
        Some(0) => return None,
        Some(p) => &name[..p],
        None => name,
    };
    if base.contains('_') {
        let parts: Option<String> = base.split('_').map(single_glyph_text).collect();
        return parts.filter(|p| !p.is_empty());
    }
    single_glyph_text(base)
}

fn single_glyph_text(name: &str) -> Option<String> {
    if let Ok(i) = GLYPH_NAMES.binary_search_by(|(n, _)| n.cmp(&name)) {
        return Some(GLYPH_NAMES[i].1.to_string());
    }
    if let Some(hex) = name.strip_prefix("uni")
        && !hex.is_empty()
        && hex.len() % 4 == 0
    {
        let units: Option<Vec<u16>> = (0..hex.len())
            .step_by(4)
            .map(|i| u16::from_str_radix(hex.get(i..i + 4)?, 16).ok())
            .collect();
        let text: String = char::decode_utf16(units?).collect::<Result<_, _>>().ok()?;
        return Some(text).filter(|t| !t.contains('\0'));
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
    {
        let value = u32::from_str_radix(hex, 16).ok()?;
        return char::from_u32(value)
            .filter(|&c| c != '\0')
            .map(String::from);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_encodings_differ_where_they_should() {
        assert_eq!(BaseEncoding::WinAnsi.char(0x41), Some('A'));
        assert_eq!(BaseEncoding::WinAnsi.char(0x92), Some('\u{2019}'));
        assert_eq!(BaseEncoding::WinAnsi.char(0xE9), Some('é'));
        assert_eq!(BaseEncoding::MacRoman.char(0x8E), Some('é'));
        assert_eq!(BaseEncoding::Standard.char(0x27), Some('\u{2019}'));
        assert_eq!(BaseEncoding::Standard.char(0xAE), Some('\u{FB01}'));
        assert_eq!(BaseEncoding::Standard.char(0xE9), Some('Ø'));
    }

    #[test]
    fn glyph_names_become_text() {
        assert_eq!(glyph_text(b"A").as_deref(), Some("A"));
        assert_eq!(glyph_text(b"eacute").as_deref(), Some("é"));
        assert_eq!(glyph_text(b"quoteright").as_deref(), Some("\u{2019}"));
        assert_eq!(glyph_text(b"uni0041").as_deref(), Some("A"));
        assert_eq!(glyph_text(b"uni00660069").as_deref(), Some("fi"));
        assert_eq!(glyph_text(b"u1F600").as_deref(), Some("😀"));
        assert_eq!(glyph_text(b"f_f_i").as_deref(), Some("ffi"));
        assert_eq!(glyph_text(b"seven.oldstyle").as_deref(), Some("7"));
        assert_eq!(glyph_text(b"g42"), None);
        assert_eq!(glyph_text(b"cid00123"), None);
        assert_eq!(glyph_text(b".notdef"), None);
    }

    #[test]
    fn glyph_name_table_is_sorted_for_binary_search() {
        assert!(GLYPH_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn win_ansi_codes_round_trip() {
        assert_eq!(win_ansi_code('A'), Some(0x41));
        assert_eq!(win_ansi_code('€'), Some(0x80));
        assert_eq!(win_ansi_code('中'), None);
    }
}
