//! Image files (JPEG, PNG, TIFF, BMP, GIF, WebP, JPEG 2000, HEIC, AVIF): each frame is a page to
//! OCR.
//!
//! Invariant: opening reads only headers — the structure is checked (a damaged file fails here
//! with [`SourceError::BadImage`]) and each page's orientation and resolution are noted; pixels
//! are decoded later, one page at a time: by the OCR stage, or for HEIF pictures (which
//! Leptonica does not read) when the page is asked for.

use std::collections::HashSet;
use std::sync::Arc;

use super::{Document, ImageData, PageContent, PageImage, SourceError};
use crate::sniff::FileKind;

/// An opened image file.
#[derive(Debug)]
pub struct ImageFile {
    bytes: Arc<[u8]>,
    /// One entry per page; an `Err` marks a page whose directory is damaged.
    frames: Vec<Result<Frame, String>>,
    /// A HEIF-family picture: decoded here (through libheif), not by the OCR stage.
    heif: bool,
}

/// What the file says about one page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Frame {
    /// The decoder's frame index (TIFF directory number; 0 for single-image formats).
    index: usize,
    quarter_turns: u8,
    dpi: Option<u32>,
}

impl Frame {
    fn single(quarter_turns: u8, dpi: Option<u32>) -> Frame {
        Frame {
            index: 0,
            quarter_turns,
            dpi,
        }
    }
}

/// The most pages a TIFF may claim; beyond this it is treated as damaged (a loop or garbage).
const MAX_TIFF_PAGES: usize = 10_000;

impl ImageFile {
    pub fn open(kind: FileKind, bytes: Arc<[u8]>) -> Result<Self, SourceError> {
        let frames = match kind {
            FileKind::Tiff => tiff_frames(&bytes)?,
            FileKind::Jpeg => vec![Ok(jpeg_frame(&bytes)?)],
            FileKind::Png => vec![Ok(png_frame(&bytes)?)],
            FileKind::Bmp => vec![Ok(bmp_frame(&bytes)?)],
            FileKind::Gif => {
                check(
                    bytes.len() >= 13 && u16_le(&bytes, 6)? > 0 && u16_le(&bytes, 8)? > 0,
                    "GIF",
                )?;
                vec![Ok(Frame::single(0, None))]
            }
            FileKind::WebP => {
                let chunk = bytes.get(12..16).unwrap_or_default();
                check(matches!(chunk, b"VP8 " | b"VP8L" | b"VP8X"), "WebP")?;
                vec![Ok(Frame::single(0, None))]
            }
            FileKind::Jpeg2000 => {
                let signature = bytes.starts_with(b"\0\0\0\x0CjP  \r\n\x87\n")
                    || bytes.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]);
                check(signature, "JPEG 2000")?;
                vec![Ok(Frame::single(0, None))]
            }
            FileKind::Heic | FileKind::Avif => {
                let (width, height) = super::heif::dimensions(&bytes)?;
                check(width > 0 && height > 0, "HEIF")?;
                return Ok(ImageFile {
                    bytes,
                    frames: vec![Ok(Frame::single(0, None))],
                    heif: true,
                });
            }
            FileKind::Pdf | FileKind::Other(_) => {
                return Err(SourceError::Other(format!("{kind} is not an image format")));
            }
        };
        Ok(ImageFile {
            bytes,
            frames,
            heif: false,
        })
    }
}

impl Document for ImageFile {
    fn page_count(&self) -> usize {
        self.frames.len()
    }

    fn page(&self, index: usize) -> Result<PageContent, SourceError> {
        let frame = self
            .frames
            .get(index)
            .ok_or_else(|| SourceError::Other(format!("page {} does not exist", index + 1)))?
            .as_ref()
            .map_err(|reason| SourceError::Damaged(reason.clone()))?;
        if self.heif {
            return Ok(PageContent::Image(PageImage {
                pixels: ImageData::Raw(super::heif::decode_gray(&self.bytes)?),
                quarter_turns: 0,
                dpi: None,
                pixel_height: None,
            }));
        }
        Ok(PageContent::Image(PageImage {
            pixels: ImageData::Encoded {
                bytes: Arc::clone(&self.bytes),
                frame: frame.index,
            },
            quarter_turns: frame.quarter_turns,
            dpi: frame.dpi,
            // A TIFF fax's own X and Y resolution tags tell it; the decoder reads them.
            pixel_height: None,
        }))
    }
}

fn bad(format: &str, what: &str) -> SourceError {
    SourceError::BadImage(format!("{format} file is damaged: {what}"))
}

fn check(ok: bool, format: &str) -> Result<(), SourceError> {
    if ok {
        Ok(())
    } else {
        Err(bad(format, "its header is not valid"))
    }
}

fn u16_le(bytes: &[u8], at: usize) -> Result<u16, SourceError> {
    bytes
        .get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| bad("image", "it is truncated"))
}

/// A resolution worth passing on: scanners write 100–1200, fax 200; 1 or 65535 is noise.
fn plausible_dpi(dpi: f64) -> Option<u32> {
    (70.0..=2400.0).contains(&dpi).then(|| dpi.round() as u32)
}

/// Clockwise quarter turns that display an image with this EXIF/TIFF orientation upright.
/// Mirrored orientations (2, 4, 5, 7; cameras do not write them) keep their rotation part; the
/// mirroring cannot be expressed in a [`PageImage`] and is ignored.
fn orientation_turns(orientation: u32) -> u8 {
    match orientation {
        3 | 4 => 2,
        6 | 7 => 1,
        8 | 5 => 3,
        _ => 0,
    }
}

// ---------------------------------------------------------------------------------------------
// TIFF structure (TIFF files and the EXIF block inside JPEG and PNG files)

/// A TIFF (or EXIF) byte structure.
struct Tiff<'a> {
    data: &'a [u8],
    big_endian: bool,
    /// BigTIFF: 8-byte offsets and counts.
    big: bool,
}

/// One image file directory: its tags, and where the next one is.
struct Ifd {
    entries: Vec<Entry>,
    next: u64,
}

#[derive(Clone, Copy)]
struct Entry {
    tag: u16,
    kind: u16,
    count: u64,
    /// The value bytes' position (inline or at the offset).
    at: usize,
}

const TAG_SUBFILE_TYPE: u16 = 254;
const TAG_WIDTH: u16 = 256;
const TAG_HEIGHT: u16 = 257;
const TAG_ORIENTATION: u16 = 274;
const TAG_X_RESOLUTION: u16 = 282;
const TAG_RESOLUTION_UNIT: u16 = 296;

impl<'a> Tiff<'a> {
    /// Parses the header; returns the structure and the first directory's offset.
    fn parse(data: &'a [u8]) -> Option<(Tiff<'a>, u64)> {
        let big_endian = match data.get(..2)? {
            b"II" => false,
            b"MM" => true,
            _ => return None,
        };
        let mut tiff = Tiff {
            data,
            big_endian,
            big: false,
        };
        match tiff.u16(2)? {
            42 => {
                let first = u64::from(tiff.u32(4)?);
                Some((tiff, first))
            }
            43 => {
                tiff.big = true;
                (tiff.u16(4)? == 8).then_some(())?;
                let first = tiff.u64(8)?;
                Some((tiff, first))
            }
            _ => None,
        }
    }

    fn bytes<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        let mut bytes: [u8; N] = self.data.get(at..at.checked_add(N)?)?.try_into().ok()?;
        if !self.big_endian {
            bytes.reverse();
        }
        Some(bytes)
    }

    fn u16(&self, at: usize) -> Option<u16> {
        self.bytes::<2>(at).map(u16::from_be_bytes)
    }

    fn u32(&self, at: usize) -> Option<u32> {
        self.bytes::<4>(at).map(u32::from_be_bytes)
    }

    fn u64(&self, at: usize) -> Option<u64> {
        self.bytes::<8>(at).map(u64::from_be_bytes)
    }

    fn offset(&self, at: usize) -> Option<u64> {
        if self.big {
            self.u64(at)
        } else {
            self.u32(at).map(u64::from)
        }
    }

    fn ifd(&self, offset: u64) -> Option<Ifd> {
        let at = usize::try_from(offset).ok()?;
        let (count, first, size, inline) = if self.big {
            (self.u64(at)?, at + 8, 20, 8)
        } else {
            (u64::from(self.u16(at)?), at + 2, 12, 4)
        };
        let count = usize::try_from(count).ok()?;
        let end = first.checked_add(count.checked_mul(size)?)?;
        if end > self.data.len() {
            return None;
        }
        let mut entries = Vec::with_capacity(count);
        for i in 0..count {
            let entry = first + i * size;
            let (tag, kind) = (self.u16(entry)?, self.u16(entry + 2)?);
            let count = if self.big {
                self.u64(entry + 4)?
            } else {
                u64::from(self.u32(entry + 4)?)
            };
            let value = entry + if self.big { 12 } else { 8 };
            let bytes = count.saturating_mul(type_size(kind));
            let at = if bytes <= inline {
                value
            } else {
                usize::try_from(self.offset(value)?).ok()?
            };
            entries.push(Entry {
                tag,
                kind,
                count,
                at,
            });
        }
        Some(Ifd {
            entries,
            next: self.offset(end)?,
        })
    }

    /// A tag's first value as an integer (BYTE, SHORT, LONG or LONG8).
    fn number(&self, ifd: &Ifd, tag: u16) -> Option<u64> {
        let entry = ifd.entries.iter().find(|e| e.tag == tag && e.count >= 1)?;
        match entry.kind {
            1 => self.data.get(entry.at).map(|&b| u64::from(b)),
            3 => self.u16(entry.at).map(u64::from),
            4 => self.u32(entry.at).map(u64::from),
            16 => self.u64(entry.at),
            _ => None,
        }
    }

    /// A RATIONAL tag's first value.
    fn rational(&self, ifd: &Ifd, tag: u16) -> Option<f64> {
        let entry = ifd
            .entries
            .iter()
            .find(|e| e.tag == tag && e.kind == 5 && e.count >= 1)?;
        let (numerator, denominator) = (self.u32(entry.at)?, self.u32(entry.at + 4)?);
        (denominator != 0).then(|| f64::from(numerator) / f64::from(denominator))
    }

    /// Resolution in dots per inch, from XResolution and ResolutionUnit (inch when absent).
    fn dpi(&self, ifd: &Ifd) -> Option<u32> {
        let value = self.rational(ifd, TAG_X_RESOLUTION)?;
        match self.number(ifd, TAG_RESOLUTION_UNIT).unwrap_or(2) {
            2 => plausible_dpi(value),
            3 => plausible_dpi(value * 2.54),
            _ => None,
        }
    }
}

fn type_size(kind: u16) -> u64 {
    match kind {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 | 16 | 17 | 18 => 8,
        _ => 1,
    }
}

/// The pages of a TIFF, following the directory chain (and refusing loops). Reduced-resolution
/// copies (thumbnails) and transparency masks are directories but not pages.
fn tiff_frames(bytes: &[u8]) -> Result<Vec<Result<Frame, String>>, SourceError> {
    let (tiff, mut offset) =
        Tiff::parse(bytes).ok_or_else(|| bad("TIFF", "its header is not valid"))?;
    let mut frames = Vec::new();
    let mut seen = HashSet::new();
    let mut directory = 0;
    while offset != 0 {
        if !seen.insert(offset) || directory >= MAX_TIFF_PAGES {
            break; // A loop back to an earlier page: the chain ends there.
        }
        let Some(ifd) = tiff.ifd(offset) else {
            if frames.is_empty() {
                return Err(bad("TIFF", "its first page directory is unreadable"));
            }
            frames.push(Err(format!(
                "TIFF page {} is damaged (its directory is unreadable); later pages are lost",
                frames.len() + 1
            )));
            break;
        };
        let subfile = tiff.number(&ifd, TAG_SUBFILE_TYPE).unwrap_or(0);
        let sized = tiff.number(&ifd, TAG_WIDTH).unwrap_or(0) > 0
            && tiff.number(&ifd, TAG_HEIGHT).unwrap_or(0) > 0;
        if subfile & 0b101 == 0 {
            frames.push(if sized {
                Ok(Frame {
                    index: directory,
                    // Leptonica applies a TIFF's own Orientation tag while decoding.
                    quarter_turns: 0,
                    dpi: tiff.dpi(&ifd),
                })
            } else {
                Err(format!("TIFF page {} has no image size", frames.len() + 1))
            });
        }
        directory += 1;
        offset = ifd.next;
    }
    if frames.is_empty() {
        return Err(bad("TIFF", "it holds no page"));
    }
    Ok(frames)
}

/// Orientation and resolution from an EXIF block (a TIFF structure after "Exif\0\0").
fn exif_facts(exif: &[u8]) -> (u8, Option<u32>) {
    let Some((tiff, offset)) = Tiff::parse(exif) else {
        return (0, None);
    };
    let Some(ifd) = tiff.ifd(offset) else {
        return (0, None);
    };
    let turns = tiff
        .number(&ifd, TAG_ORIENTATION)
        .map_or(0, |o| orientation_turns(o as u32));
    (turns, tiff.dpi(&ifd))
}

// ---------------------------------------------------------------------------------------------
// JPEG, PNG, BMP headers

/// A JPEG's EXIF orientation and its resolution (JFIF density, else EXIF). Fails when no frame
/// header comes before the image data.
fn jpeg_frame(bytes: &[u8]) -> Result<Frame, SourceError> {
    let truncated = || bad("JPEG", "it ends before the image header");
    let mut at = 2;
    let (mut turns, mut jfif_dpi, mut exif_dpi) = (0, None, None);
    loop {
        // Markers may be padded with any number of 0xFF bytes.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if bytes.get(at) != Some(&0xFF) {
            return Err(bad("JPEG", "a marker is missing"));
        }
        let marker = *bytes.get(at + 1).ok_or_else(truncated)?;
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2).ok_or_else(truncated)?,
            *bytes.get(at + 3).ok_or_else(truncated)?,
        ]));
        let segment = bytes
            .get(at + 4..at + 2 + length.max(2))
            .ok_or_else(truncated)?;
        match marker {
            0xE0 if segment.starts_with(b"JFIF\0") && segment.len() >= 12 => {
                let density = f64::from(u16::from_be_bytes([segment[8], segment[9]]));
                jfif_dpi = match segment[7] {
                    1 => plausible_dpi(density),
                    2 => plausible_dpi(density * 2.54),
                    _ => None,
                };
            }
            0xE1 if segment.starts_with(b"Exif\0\0") => {
                (turns, exif_dpi) = exif_facts(&segment[6..]);
            }
            // Start of frame (baseline, progressive, lossless, arithmetic…): the size is here.
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let height = segment.get(1..3).map(|h| u16::from_be_bytes([h[0], h[1]]));
                let width = segment.get(3..5).map(|w| u16::from_be_bytes([w[0], w[1]]));
                if height.unwrap_or(0) == 0 || width.unwrap_or(0) == 0 {
                    return Err(bad("JPEG", "its image size is zero"));
                }
                return Ok(Frame::single(turns, jfif_dpi.or(exif_dpi)));
            }
            0xDA | 0xD9 => return Err(bad("JPEG", "it has no image header")),
            _ => {}
        }
        at += 2 + length;
    }
}

/// A PNG's resolution (pHYs) and EXIF orientation (eXIf), checked up to the first image data.
fn png_frame(bytes: &[u8]) -> Result<Frame, SourceError> {
    let mut at = 8;
    let (mut turns, mut dpi, mut sized) = (0, None, false);
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let data = bytes
            .get(at + 8..at + 8 + length)
            .ok_or_else(|| bad("PNG", "it is truncated"))?;
        match kind {
            b"IHDR" if data.len() >= 8 => {
                sized = data[..4] != [0; 4] && data[4..8] != [0; 4];
            }
            b"pHYs" if data.len() >= 9 && data[8] == 1 => {
                let per_metre = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
                dpi = plausible_dpi(f64::from(per_metre) * 0.0254);
            }
            b"eXIf" => turns = exif_facts(data).0,
            b"IDAT" | b"IEND" => break,
            _ => {}
        }
        if at == 8 && kind != b"IHDR" {
            break;
        }
        at += 12 + length;
    }
    if !sized {
        return Err(bad("PNG", "its image header is missing or empty"));
    }
    Ok(Frame::single(turns, dpi))
}

fn bmp_frame(bytes: &[u8]) -> Result<Frame, SourceError> {
    let i32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| bad("BMP", "it is truncated"))
    };
    let header = i32_at(14)?;
    let (width, height) = (i32_at(18)?, i32_at(22)?);
    if width == 0 || height == 0 {
        return Err(bad("BMP", "its image size is zero"));
    }
    let dpi = if header >= 40 {
        plausible_dpi(f64::from(i32_at(38)?) * 0.0254)
    } else {
        None
    };
    Ok(Frame::single(0, dpi))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A classic little-endian TIFF with one directory per entry of `pages`, each with the given
    /// (tag, type, value) entries; SHORT/LONG values inline, RATIONALs stored after the
    /// directory.
    fn tiff(pages: &[Vec<(u16, u16, u32)>]) -> Vec<u8> {
        let mut data = b"II*\0".to_vec();
        data.extend_from_slice(&8u32.to_le_bytes());
        for (index, entries) in pages.iter().enumerate() {
            let start = data.len();
            let rationals_at = start + 2 + entries.len() * 12 + 4;
            let mut rationals = Vec::new();
            data.extend_from_slice(&(entries.len() as u16).to_le_bytes());
            for &(tag, kind, value) in entries {
                data.extend_from_slice(&tag.to_le_bytes());
                data.extend_from_slice(&kind.to_le_bytes());
                data.extend_from_slice(&1u32.to_le_bytes());
                if kind == 5 {
                    let at = rationals_at + rationals.len();
                    rationals.extend_from_slice(&value.to_le_bytes());
                    rationals.extend_from_slice(&1u32.to_le_bytes());
                    data.extend_from_slice(&(at as u32).to_le_bytes());
                } else if kind == 3 {
                    data.extend_from_slice(&(value as u16).to_le_bytes());
                    data.extend_from_slice(&[0, 0]);
                } else {
                    data.extend_from_slice(&value.to_le_bytes());
                }
            }
            let next = if index + 1 < pages.len() {
                rationals_at + rationals.len()
            } else {
                0
            };
            data.extend_from_slice(&(next as u32).to_le_bytes());
            data.extend_from_slice(&rationals);
        }
        data
    }

    fn page(extra: &[(u16, u16, u32)]) -> Vec<(u16, u16, u32)> {
        let mut entries = vec![(TAG_WIDTH, 3, 100), (TAG_HEIGHT, 3, 200)];
        entries.extend_from_slice(extra);
        entries
    }

    fn open(kind: FileKind, bytes: Vec<u8>) -> Result<ImageFile, SourceError> {
        ImageFile::open(kind, Arc::from(bytes))
    }

    fn image(file: &ImageFile, index: usize) -> PageImage {
        match file.page(index).unwrap() {
            PageContent::Image(image) => image,
            other => panic!("not an image page: {other:?}"),
        }
    }

    #[test]
    fn tiff_pages_are_counted_and_thumbnails_skipped() {
        let bytes = tiff(&[
            page(&[(TAG_X_RESOLUTION, 5, 300)]),
            page(&[(TAG_SUBFILE_TYPE, 4, 1)]), // reduced-resolution copy
            page(&[(TAG_X_RESOLUTION, 5, 80), (TAG_RESOLUTION_UNIT, 3, 3)]), // 80 per cm
            page(&[]),
        ]);
        let file = open(FileKind::Tiff, bytes).unwrap();
        assert_eq!(file.page_count(), 3);
        let third = image(&file, 2);
        let ImageData::Encoded { frame, .. } = third.pixels else {
            panic!("not encoded")
        };
        assert_eq!(frame, 3, "directory 3 is page 3");
        assert_eq!(image(&file, 0).dpi, Some(300));
        assert_eq!(image(&file, 1).dpi, Some(203));
        assert_eq!(third.dpi, None);
    }

    #[test]
    fn tiff_directory_loop_ends_the_page_list() {
        let mut bytes = tiff(&[page(&[]), page(&[])]);
        // Point the second directory's "next" back to the first.
        let second_next = bytes.len() - 4;
        bytes[second_next..].copy_from_slice(&8u32.to_le_bytes());
        let file = open(FileKind::Tiff, bytes).unwrap();
        assert_eq!(file.page_count(), 2);
    }

    #[test]
    fn tiff_truncated_chain_marks_the_damaged_page() {
        let mut bytes = tiff(&[page(&[]), page(&[])]);
        // The first directory's "next" now points past the end.
        let next_at = 8 + 2 + 2 * 12;
        bytes[next_at..next_at + 4].copy_from_slice(&9999u32.to_le_bytes());
        let file = open(FileKind::Tiff, bytes).unwrap();
        assert_eq!(file.page_count(), 2);
        assert!(file.page(0).is_ok());
        let error = file.page(1).unwrap_err();
        assert!(matches!(error, SourceError::Damaged(_)), "{error}");
    }

    #[test]
    fn damaged_tiff_is_a_bad_image() {
        for bytes in [
            b"II*\0\x08\0\0\0\xff".to_vec(),
            b"II*\0".to_vec(),
            b"IIxx".to_vec(),
        ] {
            let error = open(FileKind::Tiff, bytes).unwrap_err();
            assert!(matches!(error, SourceError::BadImage(_)), "{error}");
        }
    }

    #[test]
    fn big_endian_and_bigtiff_headers_parse() {
        let mut be = b"MM\0*".to_vec();
        be.extend_from_slice(&8u32.to_be_bytes());
        be.extend_from_slice(&1u16.to_be_bytes());
        be.extend_from_slice(&TAG_WIDTH.to_be_bytes());
        be.extend_from_slice(&4u16.to_be_bytes());
        be.extend_from_slice(&1u32.to_be_bytes());
        be.extend_from_slice(&640u32.to_be_bytes());
        be.extend_from_slice(&0u32.to_be_bytes());
        let (tiff, first) = Tiff::parse(&be).unwrap();
        let ifd = tiff.ifd(first).unwrap();
        assert_eq!(tiff.number(&ifd, TAG_WIDTH), Some(640));

        let mut big = b"II+\0".to_vec();
        big.extend_from_slice(&8u16.to_le_bytes());
        big.extend_from_slice(&0u16.to_le_bytes());
        big.extend_from_slice(&16u64.to_le_bytes());
        big.extend_from_slice(&2u64.to_le_bytes());
        for (tag, value) in [(TAG_WIDTH, 1700u64), (TAG_HEIGHT, 2200)] {
            big.extend_from_slice(&tag.to_le_bytes());
            big.extend_from_slice(&16u16.to_le_bytes());
            big.extend_from_slice(&1u64.to_le_bytes());
            big.extend_from_slice(&value.to_le_bytes());
        }
        big.extend_from_slice(&0u64.to_le_bytes());
        let file = open(FileKind::Tiff, big).unwrap();
        assert_eq!(file.page_count(), 1);
    }

    /// A minimal JPEG header: SOI, optional APP segments, SOF0 (8 × 8), SOS.
    fn jpeg(segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let mut data = vec![0xFF, 0xD8];
        let mut all = segments.to_vec();
        all.push((0xC0, vec![8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
        all.push((0xDA, vec![1, 1, 0, 0, 63, 0]));
        for (marker, payload) in all {
            data.extend_from_slice(&[0xFF, marker]);
            data.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
            data.extend_from_slice(&payload);
        }
        data
    }

    fn exif(orientation: u16, big_endian: bool) -> Vec<u8> {
        let mut payload = b"Exif\0\0".to_vec();
        let put16 = |v: u16| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let put32 = |v: u32| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        payload.extend_from_slice(if big_endian { b"MM" } else { b"II" });
        payload.extend_from_slice(&put16(42));
        payload.extend_from_slice(&put32(8));
        payload.extend_from_slice(&put16(1));
        payload.extend_from_slice(&put16(TAG_ORIENTATION));
        payload.extend_from_slice(&put16(3));
        payload.extend_from_slice(&put32(1));
        payload.extend_from_slice(&put16(orientation));
        payload.extend_from_slice(&[0, 0]);
        payload.extend_from_slice(&put32(0));
        payload
    }

    #[test]
    fn jpeg_exif_orientation_becomes_quarter_turns() {
        for (orientation, turns) in [
            (1, 0),
            (3, 2),
            (6, 1),
            (8, 3),
            (2, 0),
            (4, 2),
            (5, 3),
            (7, 1),
            (0, 0),
            (9, 0),
        ] {
            for big_endian in [false, true] {
                let bytes = jpeg(&[(0xE1, exif(orientation, big_endian))]);
                let file = open(FileKind::Jpeg, bytes).unwrap();
                assert_eq!(
                    image(&file, 0).quarter_turns,
                    turns,
                    "orientation {orientation}"
                );
            }
        }
    }

    #[test]
    fn jpeg_resolution_from_jfif_when_plausible() {
        let jfif = |units: u8, density: u16| {
            let mut payload = b"JFIF\0\x01\x02".to_vec();
            payload.push(units);
            payload.extend_from_slice(&density.to_be_bytes());
            payload.extend_from_slice(&density.to_be_bytes());
            payload.extend_from_slice(&[0, 0]);
            payload
        };
        let dpi = |units, density| {
            image(
                &open(FileKind::Jpeg, jpeg(&[(0xE0, jfif(units, density))])).unwrap(),
                0,
            )
            .dpi
        };
        assert_eq!(dpi(1, 300), Some(300));
        assert_eq!(dpi(2, 118), Some(300)); // dots per cm
        assert_eq!(dpi(0, 1), None); // aspect ratio only
        assert_eq!(dpi(1, 1), None);
    }

    #[test]
    fn jpeg_without_frame_header_is_bad() {
        let bytes = vec![0xFF, 0xD8, 0xFF, 0xDA, 0, 2];
        assert!(matches!(
            open(FileKind::Jpeg, bytes),
            Err(SourceError::BadImage(_))
        ));
        let bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 40, 1, 2];
        assert!(matches!(
            open(FileKind::Jpeg, bytes),
            Err(SourceError::BadImage(_))
        ));
    }

    fn png(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
        let mut data = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, payload) in chunks {
            data.extend_from_slice(&(payload.len() as u32).to_be_bytes());
            data.extend_from_slice(*kind);
            data.extend_from_slice(payload);
            data.extend_from_slice(&[0; 4]); // CRC, not checked here
        }
        data
    }

    #[test]
    fn png_resolution_and_orientation() {
        let ihdr = [
            &640u32.to_be_bytes()[..],
            &480u32.to_be_bytes(),
            &[8, 0, 0, 0, 0],
        ]
        .concat();
        let mut phys = [&11811u32.to_be_bytes()[..], &11811u32.to_be_bytes()].concat();
        phys.push(1);
        let bytes = png(&[
            (b"IHDR", ihdr.clone()),
            (b"pHYs", phys),
            (b"eXIf", exif(6, true)[6..].to_vec()),
            (b"IDAT", vec![]),
        ]);
        let file = open(FileKind::Png, bytes).unwrap();
        assert_eq!(image(&file, 0).dpi, Some(300));
        assert_eq!(image(&file, 0).quarter_turns, 1);
        let empty = png(&[(b"IHDR", vec![0; 13])]);
        assert!(matches!(
            open(FileKind::Png, empty),
            Err(SourceError::BadImage(_))
        ));
    }

    #[test]
    fn bmp_header_checked() {
        let mut bmp = b"BM".to_vec();
        bmp.resize(54, 0);
        bmp[14..18].copy_from_slice(&40i32.to_le_bytes());
        bmp[18..22].copy_from_slice(&100i32.to_le_bytes());
        bmp[22..26].copy_from_slice(&(-50i32).to_le_bytes());
        bmp[38..42].copy_from_slice(&7874i32.to_le_bytes());
        assert_eq!(
            image(&open(FileKind::Bmp, bmp.clone()).unwrap(), 0).dpi,
            Some(200)
        );
        bmp[18..22].copy_from_slice(&0i32.to_le_bytes());
        assert!(matches!(
            open(FileKind::Bmp, bmp),
            Err(SourceError::BadImage(_))
        ));
    }
}
