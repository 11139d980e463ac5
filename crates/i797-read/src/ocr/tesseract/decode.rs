//! Decoding a page picture into a Leptonica image, within a memory budget.
//!
//! Invariant: no picture is decoded at a size whose pixels would take more than
//! [`MAX_DECODED_BYTES`]; the size is read from the header first. JPEG and JPEG 2000 shrink while
//! decoding (in the transform domain) when they are larger than the page needs; other formats
//! that would exceed the budget are refused as too large, so a 14,000-pixel photo or a
//! decompression bomb cannot take the machine's memory.

use crate::ocr::OcrError;
use crate::source::{ImageData, PageImage, PixelFormat, RawImage};

use super::sys::pix::{self, Pix};

/// The most one decoded picture may take before preparation shrinks it. Two workers each holding
/// one, plus its grey copy and the engines, stay well under 1 GiB.
pub const MAX_DECODED_BYTES: u64 = 192 << 20;

/// Pages are read at about this resolution; JPEGs are not shrunk below it while decoding.
const DECODE_MIN_DPI: f32 = 280.0;

/// A decoded picture and what is known of its resolution.
#[derive(Debug)]
pub struct Decoded {
    pub pix: Pix,
    /// Pixels per inch of `pix` as the file declared it (already divided by any reduction).
    pub declared_dpi: Option<f32>,
    /// The source was black and white (a fax-style scan): no lighting to even out.
    pub bilevel: bool,
    /// How much taller than wide a pixel of `pix` is (1 for square pixels; about 2 for a
    /// standard-mode fax); `declared_dpi` is the resolution across.
    pub pixel_height: f32,
}

/// Decodes `image`'s pixels.
pub fn decode(image: &PageImage) -> Result<Decoded, OcrError> {
    pix::silence_messages();
    let declared = image
        .dpi
        .filter(|&dpi| (50..=4800).contains(&dpi))
        .map(|dpi| dpi as f32);
    match &image.pixels {
        ImageData::Encoded { bytes, frame } => {
            let decoded = decode_encoded(bytes, *frame, declared)?;
            Ok(match image.pixel_height {
                Some(pixel_height) => Decoded {
                    pixel_height,
                    ..decoded
                },
                None => decoded,
            })
        }
        ImageData::Raw(raw) => {
            let pix = from_raw(raw)?;
            Ok(Decoded {
                bilevel: raw.format == PixelFormat::Bilevel,
                pix,
                declared_dpi: declared,
                pixel_height: image.pixel_height.unwrap_or(1.0),
            })
        }
    }
}

/// How much taller than wide a pixel is by the picture's own resolution tags, and the resolution
/// across: a TIFF fax in standard mode says 204 × 98 dpi. Square, untagged, or tagged beyond
/// belief (more than 4 : 1): `None`.
fn tagged_pixel_shape(pix: &Pix) -> Option<(f32, f32)> {
    let (x, y) = pix.resolution()?;
    crate::source::pixel_height(f64::from(x), f64::from(y))
        .filter(|ratio| (0.25..=4.0).contains(ratio))
        .map(|ratio| (ratio, x as f32))
}

/// Image formats told apart by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Jpeg,
    Jpeg2000,
    Tiff,
    Gif,
    Bmp,
    Other,
}

fn kind(bytes: &[u8]) -> Kind {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Kind::Jpeg
    } else if starts(b"\0\0\0\x0CjP  \r\n\x87\n") || starts(&[0xFF, 0x4F, 0xFF, 0x51]) {
        Kind::Jpeg2000
    } else if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        Kind::Tiff
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Kind::Gif
    } else if starts(b"BM") {
        Kind::Bmp
    } else {
        Kind::Other
    }
}

/// The size and decoded depth of an encoded picture, read without decoding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Size {
    width: u32,
    height: u32,
    /// Bits per pixel of the image Leptonica will produce.
    depth: u32,
}

impl Size {
    fn bytes(&self, reduction: u32) -> u64 {
        let (w, h) = (
            u64::from(self.width.div_ceil(reduction)),
            u64::from(self.height.div_ceil(reduction)),
        );
        (w * u64::from(self.depth)).div_ceil(32) * 4 * h
    }

    fn too_large(&self) -> OcrError {
        OcrError::TooLarge {
            width: u64::from(self.width),
            height: u64::from(self.height),
        }
    }
}

fn size_from_header(header: pix::Header) -> Size {
    let depth = if header.samples_per_pixel >= 2 {
        32
    } else if header.bits_per_sample <= 1 {
        1
    } else if header.bits_per_sample <= 8 {
        8
    } else {
        16
    };
    Size {
        width: header.width,
        height: header.height,
        depth,
    }
}

fn damaged(what: &str) -> OcrError {
    OcrError::Decode(format!(
        "{what} is damaged or not a picture this tool can read"
    ))
}

/// The size and depth an encoded picture's header declares.
fn encoded_size(bytes: &[u8], frame: usize, kind: Kind) -> Result<Size, OcrError> {
    Ok(match kind {
        Kind::Gif => gif_size(bytes).ok_or_else(|| damaged("GIF image"))?,
        Kind::Bmp => bmp_size(bytes).ok_or_else(|| damaged("BMP image"))?,
        Kind::Tiff => size_from_header(
            pix::tiff_header(bytes, frame)
                .ok_or_else(|| damaged(&format!("TIFF page {}", frame + 1)))?,
        ),
        _ => size_from_header(pix::header(bytes).ok_or_else(|| damaged("image"))?),
    })
}

fn decode_encoded(bytes: &[u8], frame: usize, declared: Option<f32>) -> Result<Decoded, OcrError> {
    let kind = kind(bytes);
    let size = encoded_size(bytes, frame, kind)?;
    let mut reduction = 1;
    if matches!(kind, Kind::Jpeg | Kind::Jpeg2000) {
        // Shrink while decoding as far as the page allows (never below ~280 dpi), then further
        // only if the budget demands it.
        let dpi = page_dpi(size.width, size.height, declared);
        while reduction < 8 && dpi / (reduction * 2) as f32 >= DECODE_MIN_DPI {
            reduction *= 2;
        }
        while reduction < 8 && size.bytes(reduction) > MAX_DECODED_BYTES {
            reduction *= 2;
        }
    }
    if size.bytes(reduction) > MAX_DECODED_BYTES {
        return Err(size.too_large());
    }
    let pix = match kind {
        Kind::Jpeg => Pix::decode_jpeg(bytes, reduction),
        Kind::Jpeg2000 => Pix::decode_jp2k(bytes, reduction),
        Kind::Tiff => Pix::decode_tiff(bytes, frame),
        _ => Pix::decode(bytes),
    }
    .ok_or_else(|| {
        damaged(if kind == Kind::Tiff {
            "TIFF page"
        } else {
            "image"
        })
    })?;
    // A header that lied about the size must not slip past the budget check.
    let decoded = Size {
        width: pix.width(),
        height: pix.height(),
        depth: pix.depth(),
    };
    if decoded.bytes(1) > MAX_DECODED_BYTES {
        return Err(decoded.too_large());
    }
    let (pixel_height, declared) = match tagged_pixel_shape(&pix) {
        Some((pixel_height, across)) => (pixel_height, Some(across)),
        None => (1.0, declared),
    };
    Ok(Decoded {
        bilevel: pix.depth() == 1,
        pix,
        declared_dpi: declared.map(|dpi| dpi / reduction as f32),
        pixel_height,
    })
}

/// The resolution to assume for a picture: the declared one when it gives a believable paper
/// size (the long side 5.5–20 inches), else the one that makes the paper 8.5 inches wide — across
/// the short side, or across the long side for a strip (a crop of the top of a page). Phone
/// photos and some software write 72 dpi whatever the size.
pub fn page_dpi(width: u32, height: u32, declared: Option<f32>) -> f32 {
    let short = width.min(height).max(1) as f32;
    let long = width.max(height).max(1) as f32;
    match declared {
        Some(dpi) if (5.5..=20.0).contains(&(long / dpi)) => dpi,
        _ if long / short > 1.6 => long / 8.5,
        _ => short / 8.5,
    }
}

/// Logical screen and first image size of a GIF, read by hand: Leptonica's header reader decodes
/// the whole GIF, which is what the check is meant to avoid.
fn gif_size(bytes: &[u8]) -> Option<Size> {
    let u16_at = |at: usize| Some(u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
    let (screen_w, screen_h) = (u16_at(6)?, u16_at(8)?);
    let flags = *bytes.get(10)?;
    let mut at = 13;
    if flags & 0x80 != 0 {
        at += 3 << ((flags & 7) + 1);
    }
    // Skip extension blocks up to the first image descriptor.
    loop {
        match *bytes.get(at)? {
            0x21 => {
                at += 2;
                loop {
                    let len = *bytes.get(at)? as usize;
                    at += 1 + len;
                    if len == 0 {
                        break;
                    }
                }
            }
            0x2C => break,
            _ => return None,
        }
    }
    let (left, top, w, h) = (
        u16_at(at + 1)?,
        u16_at(at + 3)?,
        u16_at(at + 5)?,
        u16_at(at + 7)?,
    );
    let width = u32::from(screen_w).max(u32::from(left) + u32::from(w));
    let height = u32::from(screen_h).max(u32::from(top) + u32::from(h));
    (width > 0 && height > 0).then_some(Size {
        width,
        height,
        depth: 32,
    })
}

fn bmp_size(bytes: &[u8]) -> Option<Size> {
    let i32_at = |at: usize| Some(i32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    let width = i32_at(18)?.unsigned_abs();
    let height = i32_at(22)?.unsigned_abs();
    let bits = u16::from_le_bytes(bytes.get(28..30)?.try_into().ok()?);
    (width > 0 && height > 0).then_some(Size {
        width,
        height,
        depth: if bits <= 1 {
            1
        } else if bits <= 8 {
            8
        } else {
            32
        },
    })
}

/// Builds a Leptonica image from decoded rows; colour becomes grey here, since OCR reads grey.
pub fn from_raw(raw: &RawImage) -> Result<Pix, OcrError> {
    let (w, h) = (raw.width as usize, raw.height as usize);
    let (depth, stride) = match raw.format {
        PixelFormat::Bilevel => (1, w.div_ceil(8)),
        PixelFormat::Gray8 => (8, w),
        PixelFormat::Rgb8 => (8, w * 3),
    };
    let size = Size {
        width: raw.width,
        height: raw.height,
        depth,
    };
    if size.bytes(1) > MAX_DECODED_BYTES {
        return Err(size.too_large());
    }
    if w == 0 || h == 0 || raw.data.len() < stride * h {
        return Err(OcrError::Decode(format!(
            "picture data is short: {} bytes for {}×{} pixels",
            raw.data.len(),
            raw.width,
            raw.height
        )));
    }
    let rows = raw.data.chunks_exact(stride);
    let pix = match raw.format {
        PixelFormat::Bilevel | PixelFormat::Gray8 => {
            let rows: Vec<&[u8]> = rows.take(h).collect();
            Pix::from_rows(raw.width, raw.height, depth, |y, words| {
                pack_bytes(rows[y], words)
            })
        }
        PixelFormat::Rgb8 => {
            let rows: Vec<&[u8]> = rows.take(h).collect();
            let mut gray = vec![0u8; w];
            Pix::from_rows(raw.width, raw.height, 8, |y, words| {
                rgb_to_gray(rows[y], &mut gray);
                pack_bytes(&gray, words);
            })
        }
    };
    pix.ok_or_else(|| OcrError::Decode("picture could not be built".into()))
}

/// Packs a row of bytes into Leptonica's 32-bit words: byte 0 is the most significant byte of
/// word 0, whatever the machine's byte order. For 1-bit rows this is also Leptonica's bit order
/// (most significant bit first, 1 = black), the same as the PDF and TIFF convention.
fn pack_bytes(row: &[u8], words: &mut [u32]) {
    for (word, chunk) in words.iter_mut().zip(row.chunks(4)) {
        let mut bytes = [0u8; 4];
        bytes[..chunk.len()].copy_from_slice(chunk);
        *word = u32::from_be_bytes(bytes);
    }
}

/// ITU-R BT.601 luma, as Leptonica's own conversion uses.
fn rgb_to_gray(rgb: &[u8], gray: &mut [u8]) {
    for (g, px) in gray.iter_mut().zip(rgb.chunks_exact(3)) {
        let luma = 299 * u32::from(px[0]) + 587 * u32::from(px[1]) + 114 * u32::from(px[2]);
        *g = ((luma + 500) / 1000) as u8;
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::ocr::tesseract::sys::pix::format;

    fn raw(format: PixelFormat, width: u32, height: u32, data: Vec<u8>) -> RawImage {
        RawImage {
            width,
            height,
            format,
            data,
        }
    }

    /// Pixel (x, y) of an image as Leptonica stores it.
    fn pixel(pix: &Pix, x: u32, y: u32) -> u32 {
        let depth = pix.depth();
        let bit = x * depth;
        let word = pix.row(y)[(bit / 32) as usize];
        (word >> (32 - depth - bit % 32)) & ((1u64 << depth) - 1) as u32
    }

    #[test]
    fn bilevel_rows_keep_black_as_one_and_bit_order() {
        // 10 pixels wide (2 bytes per row with padding), 2 rows.
        // Row 0: pixels 0 and 9 black. Row 1: pixel 1 black.
        let data = vec![0b1000_0000, 0b0100_0000, 0b0100_0000, 0b0000_0000];
        let pix = from_raw(&raw(PixelFormat::Bilevel, 10, 2, data)).unwrap();
        assert_eq!((pix.width(), pix.height(), pix.depth()), (10, 2, 1));
        let row0: Vec<u32> = (0..10).map(|x| pixel(&pix, x, 0)).collect();
        assert_eq!(row0, [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        let row1: Vec<u32> = (0..10).map(|x| pixel(&pix, x, 1)).collect();
        assert_eq!(row1, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
        // Leptonica agrees that 1 is black: as grey, pixel 0 is dark and pixel 1 light.
        let gray = pix.to_gray().unwrap();
        assert!(pixel(&gray, 0, 0) < 50 && pixel(&gray, 1, 0) > 200);
    }

    #[test]
    fn gray_rows_keep_values_in_order() {
        let data: Vec<u8> = (0..15).map(|i| i * 10).collect(); // 5 × 3, odd width
        let pix = from_raw(&raw(PixelFormat::Gray8, 5, 3, data)).unwrap();
        assert_eq!(pix.depth(), 8);
        assert_eq!(pixel(&pix, 0, 0), 0);
        assert_eq!(pixel(&pix, 4, 0), 40);
        assert_eq!(pixel(&pix, 3, 2), 130);
    }

    #[test]
    fn rgb_becomes_gray_by_luma() {
        let data = vec![255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255];
        let pix = from_raw(&raw(PixelFormat::Rgb8, 4, 1, data)).unwrap();
        assert_eq!(pix.depth(), 8);
        let values: Vec<u32> = (0..4).map(|x| pixel(&pix, x, 0)).collect();
        assert_eq!(values, [255, 0, 76, 29]);
    }

    #[test]
    fn short_raw_data_is_an_error_not_a_crash() {
        let error = from_raw(&raw(PixelFormat::Gray8, 100, 100, vec![0; 99])).unwrap_err();
        assert!(matches!(error, OcrError::Decode(_)), "{error}");
    }

    #[test]
    fn huge_raw_picture_is_refused() {
        let picture = raw(PixelFormat::Rgb8, 40_000, 40_000, Vec::new());
        assert!(matches!(from_raw(&picture), Err(OcrError::TooLarge { .. })));
    }

    fn encoded(bytes: Vec<u8>) -> PageImage {
        PageImage::from_file_bytes(&bytes, 0, None)
    }

    #[test]
    fn gif_bomb_is_refused_from_its_header() {
        // A 60000 × 60000 GIF header with an empty image: decoding would need gigabytes.
        let mut gif = b"GIF89a".to_vec();
        gif.extend_from_slice(&60000u16.to_le_bytes());
        gif.extend_from_slice(&60000u16.to_le_bytes());
        gif.extend_from_slice(&[0, 0, 0]); // no global colour table
        gif.extend_from_slice(&[0x2C, 0, 0, 0, 0]);
        gif.extend_from_slice(&60000u16.to_le_bytes());
        gif.extend_from_slice(&60000u16.to_le_bytes());
        gif.extend_from_slice(&[0, 2, 0, 0x3B]);
        let error = decode(&encoded(gif)).unwrap_err();
        assert!(
            matches!(
                error,
                OcrError::TooLarge {
                    width: 60000,
                    height: 60000
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn png_bomb_is_refused_from_its_header() {
        // Encode a small PNG, then claim 50000 × 50000 in its header (Leptonica's header reader
        // does not check the CRC).
        let pix = Pix::from_rows(8, 8, 8, |_, words| words.fill(0xFFFF_FFFF)).unwrap();
        let mut png = pix.encode(format::PNG).unwrap();
        png[16..20].copy_from_slice(&50000u32.to_be_bytes());
        png[20..24].copy_from_slice(&50000u32.to_be_bytes());
        let error = decode(&encoded(png)).unwrap_err();
        assert!(matches!(error, OcrError::TooLarge { .. }), "{error}");
    }

    #[test]
    fn garbage_is_a_decode_error() {
        let error = decode(&encoded(b"II*\0garbage that is not a tiff".to_vec())).unwrap_err();
        assert!(matches!(error, OcrError::Decode(_)), "{error}");
        let error = decode(&encoded(vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])).unwrap_err();
        assert!(matches!(error, OcrError::Decode(_)), "{error}");
    }

    #[test]
    fn large_jpeg_is_shrunk_while_decoding() {
        // 4000 × 5200 grey JPEG declared at 600 dpi: decoded at half size (300 dpi).
        let pix = Pix::from_rows(4000, 5200, 8, |y, words| {
            words.fill(if y % 100 < 50 {
                0xFFFF_FFFF
            } else {
                0x4040_4040
            })
        })
        .unwrap();
        let jpeg = pix.encode(format::JPEG).unwrap();
        let mut image = encoded(jpeg);
        image.dpi = Some(600);
        let decoded = decode(&image).unwrap();
        assert_eq!((decoded.pix.width(), decoded.pix.height()), (2000, 2600));
        assert_eq!(decoded.declared_dpi, Some(300.0));
        assert!(!decoded.bilevel);
    }

    #[test]
    fn page_dpi_trusts_plausible_declarations_only() {
        assert_eq!(page_dpi(2550, 3300, Some(300.0)), 300.0);
        // A phone photo that says 72 dpi: 4000 px would be 55 inches.
        assert_eq!(page_dpi(3000, 4000, Some(72.0)), 3000.0 / 8.5);
        assert_eq!(page_dpi(1275, 1650, None), 150.0);
        // 300 "dots per centimetre" on a 2550-pixel page: a 3.3-inch page is not believable.
        assert_eq!(page_dpi(2550, 3300, Some(762.0)), 300.0);
        // The top third of a page, cropped: the width is the page's.
        assert_eq!(page_dpi(2550, 1100, None), 300.0);
    }
}
