//! CCITT fax images (`/CCITTFaxDecode`): Group 4 data is wrapped in a minimal TIFF header for
//! Leptonica (libtiff decodes it, ~5 ms a page); everything a TIFF header cannot say (Group 3,
//! byte-aligned rows, damaged data found here, pictures over the budget) is decoded with
//! `hayro-ccitt`. Invariant: ink is black in what comes out, whatever `/BlackIs1` and `/Decode` say.

use lopdf::Dictionary;

use super::raster::{MAX_BILEVEL_PIXELS, RowSink, check_source};
use super::raw::{param_bool, param_i64};
use crate::source::{RawImage, SourceError};

/// `/DecodeParms` of a CCITT stream, with the image's own size where the parameters are silent.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub k: i64,
    pub columns: u32,
    pub rows: u32,
    pub black_is_1: bool,
    pub byte_align: bool,
    pub end_of_line: bool,
    pub end_of_block: bool,
}

impl Params {
    pub(crate) fn read(params: Option<&Dictionary>, width: u32, height: u32) -> Params {
        let positive = |key: &[u8]| {
            param_i64(params, key)
                .and_then(|v| u32::try_from(v).ok())
                .filter(|&v| v > 0)
        };
        Params {
            k: param_i64(params, b"K").unwrap_or(0),
            columns: positive(b"Columns").unwrap_or(if width > 0 { width } else { 1728 }),
            // The image height wins over /Rows, as in other viewers.
            rows: if height > 0 {
                height
            } else {
                positive(b"Rows").unwrap_or(0)
            },
            black_is_1: param_bool(params, b"BlackIs1").unwrap_or(false),
            byte_align: param_bool(params, b"EncodedByteAlign").unwrap_or(false),
            end_of_line: param_bool(params, b"EndOfLine").unwrap_or(false),
            end_of_block: param_bool(params, b"EndOfBlock").unwrap_or(true),
        }
    }

    /// Whether the TIFF wrapper can carry this stream for libtiff to decode.
    pub(crate) fn fits_tiff(&self) -> bool {
        self.k < 0
            && !self.byte_align
            && self.rows > 0
            && u64::from(self.columns) * u64::from(self.rows) <= MAX_BILEVEL_PIXELS
    }
}

/// Wraps Group 4 `data` in a one-strip TIFF. `coded_black_is_ink` says whether the runs the code
/// calls black are what the page paints (`!BlackIs1`, flipped by an inverting `/Decode`).
pub(crate) fn tiff(data: &[u8], params: &Params, coded_black_is_ink: bool) -> Vec<u8> {
    const ENTRIES: u16 = 10;
    let data_offset = 8 + 2 + 12 * u32::from(ENTRIES) + 4;
    let mut out = Vec::with_capacity(data_offset as usize + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&ENTRIES.to_le_bytes());
    let mut entry = |tag: u16, kind: u16, value: u32| {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        match kind {
            // SHORT values sit in the first two bytes of the value field.
            3 => {
                out.extend_from_slice(&(value as u16).to_le_bytes());
                out.extend_from_slice(&[0, 0]);
            }
            _ => out.extend_from_slice(&value.to_le_bytes()),
        }
    };
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    entry(256, LONG, params.columns); // ImageWidth
    entry(257, LONG, params.rows); // ImageLength
    entry(258, SHORT, 1); // BitsPerSample
    entry(259, SHORT, 4); // Compression: CCITT T.6 (Group 4)
    // libtiff decodes coded black as 1; WhiteIsZero shows 1 as black.
    entry(262, SHORT, if coded_black_is_ink { 0 } else { 1 }); // PhotometricInterpretation
    entry(273, LONG, data_offset); // StripOffsets
    entry(277, SHORT, 1); // SamplesPerPixel
    entry(278, LONG, params.rows); // RowsPerStrip
    entry(279, LONG, data.len() as u32); // StripByteCounts
    entry(293, LONG, 0); // T6Options
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// Decodes the stream with `hayro-ccitt` into a bilevel picture (gray when reduced).
pub(crate) fn decode(
    data: &[u8],
    params: &Params,
    coded_black_is_ink: bool,
) -> Result<RawImage, SourceError> {
    if params.rows == 0 {
        return Err(SourceError::BadImage(
            "fax image of unknown height".to_string(),
        ));
    }
    check_source(params.columns, params.rows)?;
    let settings = hayro_ccitt::DecodeSettings {
        columns: params.columns,
        rows: params.rows,
        end_of_block: params.end_of_block,
        end_of_line: params.end_of_line,
        rows_are_byte_aligned: params.byte_align,
        encoding: if params.k < 0 {
            hayro_ccitt::EncodingMode::Group4
        } else if params.k == 0 {
            hayro_ccitt::EncodingMode::Group3_1D
        } else {
            hayro_ccitt::EncodingMode::Group3_2D
        },
        strict: false,
    };
    let mut rows = Rows {
        sink: RowSink::bilevel(params.columns, params.rows),
        columns: params.columns,
        coded_black_is_ink,
        spans: Vec::new(),
    };
    let mut context = hayro_ccitt::DecoderContext::new(settings);
    let result = hayro_ccitt::decode(data, &mut rows, &mut context);
    // A damaged stream still yields the rows before the damage; keep them as viewers do.
    if let Err(error) = result
        && rows.sink.rows() == 0
    {
        return Err(SourceError::BadImage(format!(
            "fax image could not be decoded: {error:?}"
        )));
    }
    Ok(rows.sink.finish())
}

struct Rows {
    sink: RowSink,
    columns: u32,
    coded_black_is_ink: bool,
    spans: Vec<(u32, u32)>,
}

impl hayro_ccitt::Decoder for Rows {
    fn push_row(&mut self, changes: &[u32]) {
        self.spans.clear();
        // Each row starts white; changes alternate white→black→white.
        let mut edges = changes.iter().copied();
        if self.coded_black_is_ink {
            while let Some(start) = edges.next() {
                let end = edges.next().unwrap_or(self.columns);
                self.spans.push((start, end));
            }
        } else {
            let mut start = 0;
            loop {
                let end = edges.next().unwrap_or(self.columns);
                if end > start {
                    self.spans.push((start, end));
                }
                match edges.next() {
                    Some(next) => start = next,
                    None => break,
                }
            }
        }
        self.sink.push_spans(self.spans.iter().copied());
    }
}
