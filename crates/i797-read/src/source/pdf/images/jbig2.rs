//! JBIG2 images (`/JBIG2Decode`, with optional `/JBIG2Globals`), decoded with `hayro-jbig2`
//! (Leptonica cannot read them). Invariant: ink is black in the result; the decoder's own page
//! bitmap is bounded by `MAX_JBIG2_PIXELS` before it is allocated.

use super::raster::{RowSink, check_source};
use crate::source::{RawImage, SourceError};

/// hayro-jbig2 holds the whole page at one bit per pixel while decoding: 400 MP is 50 MB.
const MAX_JBIG2_PIXELS: u64 = 400_000_000;

/// Decodes an embedded JBIG2 stream. `black_is_ink` is false when `/Decode [1 0]` makes the
/// picture a negative.
pub(crate) fn decode(
    data: &[u8],
    globals: Option<&[u8]>,
    black_is_ink: bool,
) -> Result<RawImage, SourceError> {
    let failed = |e: hayro_jbig2::DecodeError| {
        SourceError::BadImage(format!("JBIG2 image could not be decoded: {e:?}"))
    };
    let settings = hayro_jbig2::DecodeSettings { strict: false };
    let globals = globals
        .map(|g| hayro_jbig2::Globals::new(g, &settings))
        .transpose()
        .map_err(failed)?;
    let page =
        hayro_jbig2::Page::new_embedded(data, globals.as_ref(), &settings).map_err(failed)?;
    let (width, height) = (page.width(), page.height());
    check_source(width, height)?;
    if u64::from(width) * u64::from(height) > MAX_JBIG2_PIXELS {
        return Err(SourceError::TooLarge {
            width: u64::from(width),
            height: u64::from(height),
        });
    }
    let mut rows = Rows {
        sink: RowSink::bilevel(width, height),
        row: vec![if black_is_ink { 0 } else { 0xFF }; width.div_ceil(8) as usize],
        x: 0,
        black_is_ink,
    };
    page.decode(&mut rows).map_err(failed)?;
    Ok(rows.sink.finish())
}

/// Packs the decoder's pixels into rows of ink bits.
struct Rows {
    sink: RowSink,
    row: Vec<u8>,
    x: usize,
    black_is_ink: bool,
}

impl hayro_jbig2::Decoder for Rows {
    fn push_pixel(&mut self, black: bool) {
        if black == self.black_is_ink {
            if let Some(byte) = self.row.get_mut(self.x / 8) {
                *byte |= 0x80 >> (self.x % 8);
            }
        } else if let Some(byte) = self.row.get_mut(self.x / 8) {
            *byte &= !(0x80 >> (self.x % 8));
        }
        self.x += 1;
    }

    fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
        let ink = black == self.black_is_ink;
        let start = self.x / 8;
        let end = (start + chunk_count as usize).min(self.row.len());
        if start < end {
            self.row[start..end].fill(if ink { 0xFF } else { 0 });
        }
        self.x += chunk_count as usize * 8;
    }

    fn next_line(&mut self) {
        self.sink.push_bits(&self.row);
        self.row.fill(if self.black_is_ink { 0 } else { 0xFF });
        self.x = 0;
    }
}
