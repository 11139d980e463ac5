//! Text that reaches a terminal or a spreadsheet cell from outside (file names, text read off a
//! page) is shown, never obeyed: control characters (which a terminal runs as commands: `ESC ]`
//! sets the window title, `ESC [2J` clears the screen), bidirectional overrides (which make a
//! name read backwards) and bytes that are not UTF-8 are written as escapes.
//!
//! Invariant: the shown form has no control or bidi-override character, and is the original
//! whenever the original had none; it is for showing only, never for identity (a file is its
//! path's bytes).

use std::borrow::Cow;

/// `text` as it is safe to show: each control character as `\xNN` (C0 and DEL) or `\u{NN}`
/// (C1, bidi overrides and isolates).
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_shown(&mut out, c);
    }
    Cow::Owned(out)
}

/// Bytes (a file name on Unix) as safe text: valid UTF-8 kept, each byte that is not part of
/// valid UTF-8 written `\xNN`, control characters escaped as in [`for_terminal`].
pub fn bytes_for_terminal(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    while !bytes.is_empty() {
        let (valid, rest) = match std::str::from_utf8(bytes) {
            Ok(valid) => (valid, &[][..]),
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                (std::str::from_utf8(valid).unwrap_or_default(), rest)
            }
        };
        for c in valid.chars() {
            push_shown(&mut out, c);
        }
        let bad = match std::str::from_utf8(rest) {
            Ok(_) => 0,
            Err(error) => error.error_len().unwrap_or(rest.len()),
        };
        for byte in &rest[..bad] {
            out.push_str(&format!("\\x{byte:02X}"));
        }
        bytes = &rest[bad..];
    }
    out
}

/// Would [`bytes_for_terminal`] change these bytes?
pub fn bytes_need_escaping(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).map_or(true, |text| text.chars().any(is_unsafe))
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn push_shown(out: &mut String, c: char) {
    if !is_unsafe(c) {
        out.push(c);
    } else if c.is_ascii() {
        out.push_str(&format!("\\x{:02X}", c as u32));
    } else {
        out.push_str(&format!("\\u{{{:X}}}", c as u32));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_commands_in_a_name_are_shown_not_run() {
        let hostile = "notice\u{1b}]0;pwned\u{7}\u{1b}[2J.pdf";
        assert_eq!(
            for_terminal(hostile),
            "notice\\x1B]0;pwned\\x07\\x1B[2J.pdf"
        );
        assert_eq!(
            for_terminal("line\nbreak\tand\u{7f}"),
            "line\\x0Abreak\\x09and\\x7F"
        );
        assert_eq!(for_terminal("csi\u{9b}31m"), "csi\\u{9B}31m");
    }

    #[test]
    fn a_bidi_override_cannot_make_a_name_read_backwards() {
        assert_eq!(
            for_terminal("invoice\u{202e}fdp.exe"),
            "invoice\\u{202E}fdp.exe"
        );
        assert_eq!(for_terminal("a\u{2067}b"), "a\\u{2067}b");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for text in [
            "Fran\u{e7}ois Garc\u{ed}a.pdf",
            "\u{65e5}\u{672c}.png",
            "a b-c_d.PDF",
        ] {
            assert!(matches!(for_terminal(text), Cow::Borrowed(t) if t == text));
            assert!(!bytes_need_escaping(text.as_bytes()));
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_escaped_and_the_rest_kept() {
        assert_eq!(
            bytes_for_terminal(b"scan-\xff\xfe.pdf"),
            "scan-\\xFF\\xFE.pdf"
        );
        assert_eq!(
            bytes_for_terminal(b"caf\xe9 notice.pdf"),
            "caf\\xE9 notice.pdf"
        );
        assert_eq!(bytes_for_terminal(b"cut\xe2\x82"), "cut\\xE2\\x82");
        assert_eq!(
            bytes_for_terminal(b"mixed\xff\x1b[2J"),
            "mixed\\xFF\\x1B[2J"
        );
        assert!(bytes_need_escaping(b"a\xff.pdf"));
        assert!(bytes_need_escaping(b"a\x1b.pdf"));
    }
}
