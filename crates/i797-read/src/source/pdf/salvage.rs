//! PDF reading, salvage: the data of a page content stream that lopdf could not parse (its
//! `endstream` damaged, the file cut off inside it), read leniently from the file bytes where the
//! cross-reference table says the object is, as viewers do. A truncated compressed stream yields
//! the part that decodes, which is usually the top of the page.
//!
//! Invariant: only reads; looks at most [`MAX_HEADER`] bytes for the stream keyword and never
//! past the end of the file.

use lopdf::xref::XrefEntry;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::objects::stream_data;

/// How far after the object's start the `stream` keyword is looked for.
const MAX_HEADER: usize = 16 << 10;

/// The decoded data of stream object `id`, read from `bytes` directly.
pub(super) fn stream(document: &Document, bytes: &[u8], id: ObjectId) -> Option<Vec<u8>> {
    // Encrypted data would need the object's key; lopdf decrypts only what it parsed.
    if document.encryption_state.is_some() {
        return None;
    }
    let Some(XrefEntry::Normal { offset, .. }) = document.reference_table.get(id.0) else {
        return None;
    };
    let object = bytes.get(*offset as usize..)?;
    let header_end = object.len().min(MAX_HEADER);
    let keyword = find(&object[..header_end], b"stream")?;
    let header = &object[..keyword];
    // The object must be the one asked for: `N G obj` at its start.
    let expected = format!("{} {} obj", id.0, id.1);
    find(
        &header[..header.len().min(expected.len() + 16)],
        expected.as_bytes(),
    )?;
    let mut start = keyword + b"stream".len();
    if object.get(start) == Some(&b'\r') {
        start += 1;
    }
    if object.get(start) == Some(&b'\n') {
        start += 1;
    }
    let rest = &object[start..];
    // The length the dictionary gives (lopdf would have coped with a wrong length and an
    // intact `endstream`, so it is the keyword that is damaged); without one, the next
    // `endstream`; without that, all that is left of a truncated file.
    let end = direct_number(header, b"/Length")
        .filter(|&len| len <= rest.len())
        .or_else(|| find(rest, b"endstream"))
        .unwrap_or(rest.len());
    let mut dictionary = Dictionary::new();
    let filters = filter_names(header);
    match filters.len() {
        0 => {}
        1 => dictionary.set("Filter", Object::Name(filters[0].clone())),
        _ => dictionary.set(
            "Filter",
            filters.into_iter().map(Object::Name).collect::<Vec<_>>(),
        ),
    }
    stream_data(&Stream::new(dictionary, rest[..end].to_vec()))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `key N` with N a direct integer (not `N G R`).
fn direct_number(header: &[u8], key: &[u8]) -> Option<usize> {
    let at = find(header, key)? + key.len();
    let rest = header[at..].trim_ascii_start();
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let after = rest[digits..].trim_ascii_start();
    if digits == 0 || after.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

/// The names given by `/Filter`: one name or an array of them.
fn filter_names(header: &[u8]) -> Vec<Vec<u8>> {
    let Some(at) = find(header, b"/Filter") else {
        return Vec::new();
    };
    let rest = header[at + b"/Filter".len()..].trim_ascii_start();
    let (list, single) = match rest.first() {
        Some(b'[') => (
            &rest[1..rest.iter().position(|&b| b == b']').unwrap_or(rest.len())],
            false,
        ),
        _ => (rest, true),
    };
    let mut names = Vec::new();
    for part in list.split(|&b| b == b'/').skip(1) {
        let name: Vec<u8> = part
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric())
            .copied()
            .collect();
        if !name.is_empty() {
            names.push(name);
        }
        if single {
            break;
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_are_read_leniently() {
        let header = b"5 0 obj\n<< /Length 59 /Filter [/ASCIIHexDecode /FlateDecode] >>\n";
        assert_eq!(direct_number(header, b"/Length"), Some(59));
        assert_eq!(
            filter_names(header),
            [b"ASCIIHexDecode".to_vec(), b"FlateDecode".to_vec()]
        );
        assert_eq!(direct_number(b"<< /Length 6 0 R >>", b"/Length"), None);
        assert_eq!(
            filter_names(b"<</Filter/FlateDecode/Length 3>>"),
            [b"FlateDecode".to_vec()]
        );
    }
}
