//! PDF reading, opening: gets a damaged file to parse the way viewers do, and says in plain
//! words why one cannot be read.
//!
//! lopdf already skips junk before `%PDF`, rebuilds a broken cross-reference table by scanning
//! for `N G obj`, breaks `/Prev` loops, recovers stream lengths, bounds nesting and
//! decompression, and decrypts files whose user password is empty. What is added here: a file
//! with no header at all, an `/Encrypt` entry that points at garbage (viewers ignore it), telling
//! a real password from damage, and keeping a parser panic inside this file.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use lopdf::{Document, Object};

use super::objects::{as_dict, get_name};
use crate::source::SourceError;

/// How far into the file a PDF body is looked for when the header is missing.
const BODY_PROBE: usize = 64 << 10;

/// Parses `bytes` as a PDF. Returns the document and the bytes it was parsed from (the input,
/// cut or repaired at the start), which the renderer must use too.
pub(super) fn load(bytes: Arc<[u8]>) -> Result<(Document, Arc<[u8]>), SourceError> {
    let bytes = with_header(bytes)?;
    let document = parse(&bytes)?;
    match lock(&document) {
        Lock::Open => Ok((document, bytes)),
        Lock::Password => Err(SourceError::PasswordProtected),
        Lock::Unsupported => Err(SourceError::Other(
            "PDF is encrypted with a certificate or an unsupported method".into(),
        )),
        Lock::Broken => {
            // Viewers read such a file as unencrypted; make lopdf do the same.
            let unlocked: Arc<[u8]> = without_encrypt_entries(&bytes).into();
            let document = parse(&unlocked)?;
            match lock(&document) {
                Lock::Open => Ok((document, unlocked)),
                _ => Err(SourceError::Damaged(
                    "its encryption dictionary is unreadable".into(),
                )),
            }
        }
    }
}

/// The bytes from the `%PDF` header on. Without a header, a file whose start looks like a PDF
/// body (`1 0 obj`) gets one: in place of its first comment line when that is long enough (so
/// every byte offset stays right), else in front.
fn with_header(bytes: Arc<[u8]>) -> Result<Arc<[u8]>, SourceError> {
    if let Some(start) = find(&bytes, b"%PDF-") {
        return Ok(if start == 0 {
            bytes
        } else {
            Arc::from(&bytes[start..])
        });
    }
    let probe = &bytes[..bytes.len().min(BODY_PROBE)];
    let looks_like_pdf = find(probe, b" obj").is_some() && find(probe, b"endobj").is_some();
    if !looks_like_pdf {
        return Err(SourceError::Other("not a PDF file (no %PDF header)".into()));
    }
    let first_line = bytes
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(bytes.len());
    let mut fixed = Vec::with_capacity(bytes.len() + 10);
    if bytes.first() == Some(&b'%') && first_line >= b"%PDF-".len() {
        fixed.extend_from_slice(b"%PDF-");
        fixed.extend(std::iter::repeat_n(b' ', first_line - b"%PDF-".len()));
        fixed.extend_from_slice(&bytes[first_line..]);
    } else {
        fixed.extend_from_slice(b"%PDF-1.7\n");
        fixed.extend_from_slice(&bytes);
    }
    Ok(fixed.into())
}

fn parse(bytes: &[u8]) -> Result<Document, SourceError> {
    match catch_unwind(AssertUnwindSafe(|| Document::load_mem(bytes))) {
        Ok(Ok(document)) => Ok(document),
        Ok(Err(error)) => Err(describe(&error)),
        Err(_) => Err(SourceError::Damaged(
            "the PDF parser failed on its structure".into(),
        )),
    }
}

/// A lopdf load error in words a paralegal understands.
fn describe(error: &lopdf::Error) -> SourceError {
    use lopdf::{DecompressError, Error, ParseError};
    let why = match error {
        Error::InvalidPassword => return SourceError::PasswordProtected,
        Error::Parse(ParseError::InvalidFileHeader) => {
            return SourceError::Other("not a PDF file (no %PDF header)".into());
        }
        Error::Decompress(DecompressError::MemoryLimitExceeded { .. }) => {
            "a compressed part of it is too large to read safely".to_string()
        }
        Error::Xref(_)
        | Error::MissingXrefEntry
        | Error::Parse(ParseError::InvalidTrailer | ParseError::InvalidXref)
        | Error::Parse(ParseError::EndOfInput) => {
            "no cross-reference table or readable objects were found".to_string()
        }
        Error::Decryption(_) | Error::UnsupportedSecurityHandler(_) => {
            return SourceError::Other(
                "PDF is encrypted with a certificate or an unsupported method".into(),
            );
        }
        other => format!("it could not be parsed ({other})"),
    };
    SourceError::Damaged(why)
}

#[derive(Debug, PartialEq, Eq)]
enum Lock {
    Open,
    /// The standard handler, and the empty user password did not open it.
    Password,
    Unsupported,
    /// `/Encrypt` names something that is not an encryption dictionary.
    Broken,
}

/// lopdf removes `/Encrypt` from the trailer once it has decrypted a file; one still there
/// means the empty password did not open it.
fn lock(document: &Document) -> Lock {
    let Ok(entry) = document.trailer.get(b"Encrypt") else {
        return Lock::Open;
    };
    match as_dict(document, entry) {
        Some(dict) => match get_name(document, dict, b"Filter") {
            Some(b"Standard") | None => Lock::Password,
            Some(_) => Lock::Unsupported,
        },
        None if matches!(entry, Object::Reference(_) | Object::Null) => Lock::Broken,
        None => Lock::Broken,
    }
}

/// The file with every `/Encrypt` key renamed (same length, so offsets stay right).
fn without_encrypt_entries(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let key = b"/Encrypt";
    let mut from = 0;
    while let Some(at) = find(&out[from..], key) {
        let at = from + at;
        let next = out.get(at + key.len()).copied();
        // `/EncryptMetadata` and other longer names are different keys.
        if next.is_none_or(|b| !b.is_ascii_alphanumeric()) {
            out[at + key.len() - 1] = b'x';
        }
        from = at + key.len();
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Does the file stop before its end (a broken download or copy), inside or after its objects?
/// Writers follow the last object with the cross-reference data and `%%EOF`; when neither comes
/// after the last `endobj`, objects or parts of them may be lost. A file cut within its
/// cross-reference data has all its objects (lopdf finds them by scanning); junk after the
/// `%%EOF` is no cut.
pub(super) fn is_cut_off(bytes: &[u8]) -> bool {
    let tail = match rfind(bytes, b"endobj") {
        Some(at) => &bytes[at..],
        None => bytes,
    };
    find(tail, b"%%EOF").is_none() && find(tail, b"xref").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_before_the_header_is_cut() {
        let bytes: Arc<[u8]> = Arc::from(&b"<html>oops</html>%PDF-1.4\n1 0 obj"[..]);
        assert_eq!(&*with_header(bytes).unwrap(), b"%PDF-1.4\n1 0 obj");
    }

    #[test]
    fn a_missing_header_replaces_the_first_comment_in_place() {
        let bytes: Arc<[u8]> = Arc::from(&b"%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj"[..]);
        let fixed = with_header(bytes.clone()).unwrap();
        assert_eq!(fixed.len(), bytes.len());
        assert!(fixed.starts_with(b"%PDF-"));
        assert_eq!(&fixed[6..], &bytes[6..]);
    }

    #[test]
    fn text_is_not_a_pdf() {
        let bytes: Arc<[u8]> = Arc::from(&b"potato salad"[..]);
        assert!(matches!(with_header(bytes), Err(SourceError::Other(_))));
    }

    #[test]
    fn a_file_without_its_end_is_cut_off() {
        let whole = b"%PDF-1.4\n1 0 obj <<>> endobj\nxref\n0 1\ntrailer <<>>\n%%EOF\n";
        assert!(!is_cut_off(whole));
        let mut with_junk = whole.to_vec();
        with_junk.extend_from_slice(b"\0\0<html>junk</html>");
        assert!(!is_cut_off(&with_junk));
        for cut in [12, 20, 30] {
            assert!(is_cut_off(&whole[..cut]), "cut at {cut}");
        }
        // Cut in the cross-reference data: every object is there.
        let xref = whole.windows(4).position(|w| w == b"xref").unwrap();
        assert!(!is_cut_off(&whole[..xref + 6]));
        assert!(!is_cut_off(&whole[..whole.len() - 4]));
        // An update appended after the first %%EOF, then cut: the first %%EOF does not count.
        let mut updated = whole.to_vec();
        updated.extend_from_slice(b"2 0 obj <<>> endobj\n3 0 obj <<");
        assert!(is_cut_off(&updated));
    }

    #[test]
    fn encrypt_keys_are_renamed_in_place() {
        let out = without_encrypt_entries(b"<< /Encrypt 6 0 R /EncryptMetadata true >>");
        assert_eq!(&out[..], b"<< /Encrypx 6 0 R /EncryptMetadata true >>");
    }
}
