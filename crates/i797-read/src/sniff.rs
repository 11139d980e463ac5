//! File type by content (magic bytes), never by extension: a `scan.jpg` that is really a PNG is a
//! PNG, and a Word document named `.pdf` is a Word document.

use std::fmt;

/// What a file is, judged from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    Bmp,
    Gif,
    WebP,
    Jpeg2000,
    /// HEIC, the photo format of iPhones (read through libheif).
    Heic,
    /// AVIF (read through libheif, when it has an AV1 decoder).
    Avif,
    /// Not a type the tool reads; the name says what it seems to be.
    Other(OtherKind),
}

/// File types recognised only to say what they are in a `skipped` or `error` row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OtherKind {
    Empty,
    Html,
    Text,
    /// A ZIP container: Word (.docx), Excel (.xlsx) or a plain archive.
    ZipOrOffice,
    /// A legacy Office (OLE2) file: .doc, .xls, .msg.
    OleOffice,
    Unknown,
}

/// How many leading bytes [`sniff`] needs to decide.
pub const SNIFF_LEN: usize = 1024;

/// Tells a file's type from its first bytes (up to [`SNIFF_LEN`] of them).
pub fn sniff(head: &[u8]) -> FileKind {
    if head.is_empty() {
        return FileKind::Other(OtherKind::Empty);
    }
    // PDF readers accept the header anywhere in the first kilobyte (download damage can prepend
    // an HTML page), so look for it there before deciding anything else.
    if find(head, b"%PDF-").is_some() || looks_like_headerless_pdf(head) {
        return FileKind::Pdf;
    }
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        FileKind::Jpeg
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        FileKind::Png
    } else if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        FileKind::Tiff
    } else if starts(b"BM") && head.len() >= 14 {
        FileKind::Bmp
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        FileKind::Gif
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        FileKind::WebP
    } else if starts(b"\0\0\0\x0cjP  \r\n\x87\n") || starts(&[0xFF, 0x4F, 0xFF, 0x51]) {
        FileKind::Jpeg2000
    } else if let Some(kind) = heif_family(head) {
        kind
    } else if starts(b"PK\x03\x04") {
        FileKind::Other(OtherKind::ZipOrOffice)
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        FileKind::Other(OtherKind::OleOffice)
    } else if looks_like_html(head) {
        FileKind::Other(OtherKind::Html)
    } else if looks_like_text(head) {
        FileKind::Other(OtherKind::Text)
    } else {
        FileKind::Other(OtherKind::Unknown)
    }
}

impl FileKind {
    /// Can the tool read this kind of file?
    pub fn is_readable(self) -> bool {
        !matches!(self, FileKind::Other(_))
    }

    pub fn is_image(self) -> bool {
        self.is_readable() && self != FileKind::Pdf
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            FileKind::Pdf => "a PDF",
            FileKind::Jpeg => "a JPEG image",
            FileKind::Png => "a PNG image",
            FileKind::Tiff => "a TIFF image",
            FileKind::Bmp => "a BMP image",
            FileKind::Gif => "a GIF image",
            FileKind::WebP => "a WebP image",
            FileKind::Jpeg2000 => "a JPEG 2000 image",
            FileKind::Other(OtherKind::Empty) => "an empty file",
            FileKind::Other(OtherKind::Html) => "a web page (HTML)",
            FileKind::Other(OtherKind::Text) => "a text file",
            FileKind::Other(OtherKind::ZipOrOffice) => "a Word/Excel document or ZIP archive",
            FileKind::Other(OtherKind::OleOffice) => "an old-style Word/Excel/Outlook file",
            FileKind::Heic => "a HEIC photo",
            FileKind::Avif => "an AVIF image",
            FileKind::Other(OtherKind::Unknown) => "a file of unknown type",
        };
        f.write_str(name)
    }
}

/// HEIF-family files (HEIC photos, AVIF images) by the brands of their `ftyp` box: the major
/// brand, then the compatible ones (phones write `mif1` as major and `heic` among the others).
fn heif_family(head: &[u8]) -> Option<FileKind> {
    if head.get(4..8) != Some(b"ftyp") {
        return None;
    }
    let size = head
        .get(0..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))? as usize;
    let brands = head.get(8..size.clamp(12, head.len().max(12)))?;
    let has = |names: &[&[u8; 4]]| {
        brands
            .chunks_exact(4)
            .enumerate()
            .filter(|(i, _)| *i != 1) // the minor version, not a brand
            .any(|(_, b)| names.iter().any(|n| b == *n))
    };
    if has(&[b"avif", b"avis"]) {
        Some(FileKind::Avif)
    } else if has(&[
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
    ]) {
        Some(FileKind::Heic)
    } else {
        None
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A PDF whose `%PDF-` line was lost still starts with numbered objects (`1 0 obj << … >>`);
/// PDF readers open such files, and so does ours.
fn looks_like_headerless_pdf(head: &[u8]) -> bool {
    let starts_with_object = find(head, b" 0 obj").is_some_and(|at| {
        let before = head[..at].trim_ascii_end();
        before.last().is_some_and(u8::is_ascii_digit)
    });
    starts_with_object && find(head, b"<<").is_some() && find(head, b"endobj").is_some()
}

fn looks_like_html(head: &[u8]) -> bool {
    let start: Vec<u8> = head.iter().take(256).map(u8::to_ascii_lowercase).collect();
    let trimmed = start.trim_ascii_start();
    trimmed.starts_with(b"<!doctype html") || trimmed.starts_with(b"<html")
}

fn looks_like_text(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(text) => text.chars().all(|c| !c.is_control() || c.is_whitespace()),
        // A multi-byte character cut off at the end of the sniffed window is still text.
        Err(e) => e.error_len().is_none() && looks_like_text(&head[..e.valid_up_to()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `ftyp` box with `major` and `compatible` brands.
    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len() as u32;
        let mut bytes = size.to_be_bytes().to_vec();
        bytes.extend_from_slice(b"ftyp");
        bytes.extend_from_slice(major);
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        for brand in compatible {
            bytes.extend_from_slice(*brand);
        }
        bytes.extend_from_slice(b"\0\0\0\x08meta");
        bytes
    }

    #[test]
    fn heif_photos_and_avif_images_are_named_by_their_brands() {
        let heic = FileKind::Heic;
        let avif = FileKind::Avif;
        assert_eq!(sniff(&ftyp(b"heic", &[b"mif1", b"heic"])), heic);
        assert_eq!(sniff(&ftyp(b"mif1", &[b"mif1", b"heic"])), heic);
        assert_eq!(sniff(&ftyp(b"avif", &[b"avif", b"mif1", b"miaf"])), avif);
        assert_eq!(sniff(&ftyp(b"mif1", &[b"avif"])), avif);
        assert_eq!(sniff(&ftyp(b"avis", &[])), avif);
        // An MP4 video is none of them.
        assert_eq!(
            sniff(&ftyp(b"isom", &[b"isom", b"mp41"])),
            FileKind::Other(OtherKind::Unknown)
        );
    }

    #[test]
    fn images_and_pdfs_by_magic() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3"), FileKind::Pdf);
        assert_eq!(
            sniff(b"<html><head></head></html>\n%PDF-1.4\n"),
            FileKind::Pdf
        );
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), FileKind::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), FileKind::Png);
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), FileKind::Tiff);
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), FileKind::Tiff);
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), FileKind::Gif);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), FileKind::WebP);
        assert_eq!(sniff(b"BM\x36\0\0\0\0\0\0\0\x36\0\0\0"), FileKind::Bmp);
        let headerless =
            b"%\xe2\xe3\xcf\xd3\n1 0 obj \n<<\n/Pages 2 0 R\n/Type /Catalog\n>>\nendobj \n";
        assert_eq!(sniff(headerless), FileKind::Pdf);
        assert_eq!(
            sniff(b"see page 10 obj. << quote >> endobj"),
            FileKind::Other(OtherKind::Text)
        );
    }

    #[test]
    fn things_that_are_not_notices() {
        assert_eq!(sniff(b""), FileKind::Other(OtherKind::Empty));
        assert_eq!(
            sniff(b"not even a pdf file"),
            FileKind::Other(OtherKind::Text)
        );
        assert_eq!(
            sniff(b"PK\x03\x04\x14\0\x06\0"),
            FileKind::Other(OtherKind::ZipOrOffice)
        );
        assert_eq!(
            sniff(b"  <!DOCTYPE html><html>"),
            FileKind::Other(OtherKind::Html)
        );
        assert_eq!(
            sniff(b"\0\x01\x02\x03garbage"),
            FileKind::Other(OtherKind::Unknown)
        );
        assert_eq!(
            sniff("caf\u{e9}".as_bytes()),
            FileKind::Other(OtherKind::Text)
        );
    }
}
