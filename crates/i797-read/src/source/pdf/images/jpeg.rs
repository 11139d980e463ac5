//! JPEG images (`/DCTDecode`): the stream is a JPEG file, normally handed to the OCR stage as it
//! is. Here: reading its header (size, components) without decoding, and decoding to gray with
//! Leptonica where the stream alone would not do (larger than the budget, a negative `/Decode`,
//! CMYK, a mirrored placement). Invariant: Leptonica is asked for a DCT-domain reduction, so a
//! large JPEG never exists here at full size.

use leptess::capi;

use super::raster::{RowSink, reduction};
use crate::source::{RawImage, SourceError};

/// What the frame header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Info {
    pub width: u32,
    pub height: u32,
    pub components: u8,
}

/// Reads the frame header (SOFn) of a JPEG, or `None` when `data` is not one.
pub(crate) fn info(data: &[u8]) -> Option<Info> {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut pos = 2;
    loop {
        while *data.get(pos)? != 0xFF {
            pos += 1;
        }
        while *data.get(pos)? == 0xFF {
            pos += 1;
        }
        let marker = *data.get(pos)?;
        pos += 1;
        match marker {
            0x01 | 0xD0..=0xD8 => continue,
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*data.get(pos)?, *data.get(pos + 1)?]));
        let segment = data.get(pos + 2..pos + length)?;
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return Some(Info {
                height: u32::from(u16::from_be_bytes([*segment.get(1)?, *segment.get(2)?])),
                width: u32::from(u16::from_be_bytes([*segment.get(3)?, *segment.get(4)?])),
                components: *segment.get(5)?,
            });
        }
        pos += length;
    }
}

/// Frees a Leptonica image when dropped.
struct Pix(*mut capi::PIX);

impl Drop for Pix {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from Leptonica and is destroyed exactly once.
            unsafe { capi::pixDestroy(&mut self.0) };
        }
    }
}

/// Decodes a JPEG to gray with Leptonica, reduced in the DCT domain (by 1, 2, 4 or 8) to fit
/// `budget` pixels, then box-reduced further if that was not enough. `invert` makes a negative.
pub(crate) fn decode_gray(
    data: &[u8],
    info: Info,
    budget: u64,
    invert: bool,
) -> Result<RawImage, SourceError> {
    let factor = reduction(info.width, info.height, budget);
    let dct_factor = match factor {
        1 => 1,
        2 => 2,
        3 | 4 => 4,
        _ => 8,
    };
    let mut warnings = 0;
    // SAFETY: `data` outlives the call; Leptonica copies what it keeps.
    let pix = Pix(unsafe {
        capi::pixReadMemJpeg(data.as_ptr(), data.len(), 0, dct_factor, &mut warnings, 0)
    });
    if pix.0.is_null() {
        return Err(SourceError::BadImage(
            "JPEG image could not be decoded".to_string(),
        ));
    }
    // SAFETY: `pix.0` is a valid image; the result is a new image or null.
    let gray = Pix(unsafe { capi::pixConvertTo8(pix.0, 0) });
    drop(pix);
    if gray.0.is_null() {
        return Err(SourceError::BadImage(
            "JPEG image could not be converted to gray".to_string(),
        ));
    }
    // SAFETY: `gray.0` is a valid 8-bit image: `height` rows of `wpl` 32-bit words at `words`.
    let (width, height, wpl, words) = unsafe {
        (
            capi::pixGetWidth(gray.0),
            capi::pixGetHeight(gray.0),
            capi::pixGetWpl(gray.0),
            capi::pixGetData(gray.0),
        )
    };
    let (Ok(width), Ok(height), Ok(wpl)) = (
        u32::try_from(width),
        u32::try_from(height),
        usize::try_from(wpl),
    ) else {
        return Err(SourceError::BadImage(
            "JPEG image has no pixels".to_string(),
        ));
    };
    if words.is_null() || width == 0 || height == 0 {
        return Err(SourceError::BadImage(
            "JPEG image has no pixels".to_string(),
        ));
    }
    // SAFETY: see above; the slice ends before Leptonica's buffer does.
    let words = unsafe { std::slice::from_raw_parts(words, wpl * height as usize) };
    let mut sink = RowSink::gray(width, height);
    let mut row = vec![0u8; width as usize];
    for line in words.chunks_exact(wpl) {
        // Leptonica keeps pixels in native 32-bit words, the first pixel in the top byte.
        for (x, out) in row.iter_mut().enumerate() {
            let value = (line[x / 4] >> (24 - 8 * (x % 4))) as u8;
            *out = if invert { 255 - value } else { value };
        }
        sink.push_gray(&row);
    }
    Ok(sink.finish())
}
