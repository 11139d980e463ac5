//! Raw image samples (after Flate, LZW, RunLength, ASCII85/Hex filters) to gray or bilevel rows:
//! bit depths 1–16, colour spaces reduced to gray, `/Decode` arrays, stencil masks, PNG and TIFF
//! predictors. Invariant: a Flate image is inflated row by row into the pixel budget, never whole;
//! other filters are decoded whole only below `MAX_BUFFER_BYTES`.

mod colour;
mod predictor;
mod samples;

use std::borrow::Cow;

use lopdf::{Dictionary, Document, Object, Stream};

use super::placement::{Resources, resolve};
use super::raster::RowSink;
use crate::source::pdf::syntax::full_filter_name;
use crate::source::{RawImage, SourceError};
pub(crate) use colour::decode_inverted;
use predictor::{Predictor, Rows};
use samples::{Samples, samples};

/// Most bytes a non-Flate filter chain may decode into one buffer (Flate streams instead).
const MAX_BUFFER_BYTES: usize = 256 << 20;
/// Most bytes of codec data (JPEG, CCITT, JBIG2, JPEG 2000) a filter chain may produce.
pub(crate) const MAX_CODEC_BYTES: usize = 64 << 20;
/// Colour space nesting (Indexed over ICCBased over …).
const MAX_COLOUR_DEPTH: usize = 8;

fn bad(message: impl Into<String>) -> SourceError {
    SourceError::BadImage(message.into())
}

/// One entry of a stream's filter chain, its parameters resolved.
#[derive(Clone, Debug)]
pub(crate) struct Filter {
    pub name: Vec<u8>,
    pub params: Option<Dictionary>,
}

impl Filter {
    pub(crate) fn is(&self, name: &[u8]) -> bool {
        self.name == name
    }
}

/// The stream's filters in decoding order, abbreviations spelled out, parameters resolved.
pub(crate) fn filters(document: &Document, dict: &Dictionary) -> Vec<Filter> {
    let names: Vec<Vec<u8>> = match dict.get(b"Filter").map(|f| resolve(document, f)) {
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(items)) => items
            .iter()
            .filter_map(|item| resolve(document, item).as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    };
    let params: Vec<Option<Dictionary>> =
        match dict.get(b"DecodeParms").map(|p| resolve(document, p)) {
            Ok(Object::Dictionary(d)) => vec![Some(resolved_dict(document, d))],
            Ok(Object::Array(items)) => items
                .iter()
                .map(|item| {
                    resolve(document, item)
                        .as_dict()
                        .ok()
                        .map(|d| resolved_dict(document, d))
                })
                .collect(),
            _ => Vec::new(),
        };
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Filter {
            name: full_filter_name(&name).to_vec(),
            params: params.get(i).cloned().flatten(),
        })
        .collect()
}

/// A copy of `dict` with direct values where it held references to numbers, booleans and
/// names (lopdf's decoders read only direct parameters). Streams stay references.
fn resolved_dict(document: &Document, dict: &Dictionary) -> Dictionary {
    let mut out = Dictionary::new();
    for (key, value) in dict.iter() {
        let direct = match resolve(document, value) {
            Object::Stream(_) => value.clone(),
            other => other.clone(),
        };
        out.set(key.clone(), direct);
    }
    out
}

pub(crate) fn param_i64(params: Option<&Dictionary>, key: &[u8]) -> Option<i64> {
    params?.get(key).ok()?.as_i64().ok()
}

pub(crate) fn param_bool(params: Option<&Dictionary>, key: &[u8]) -> Option<bool> {
    params?.get(key).ok()?.as_bool().ok()
}

/// Applies byte-oriented filters (everything but image codecs), each bounded by `limit`.
pub(crate) fn apply_byte_filters<'d>(
    data: &'d [u8],
    filters: &[Filter],
    limit: usize,
) -> Result<Cow<'d, [u8]>, SourceError> {
    let mut current: Cow<'d, [u8]> = Cow::Borrowed(data);
    for filter in filters {
        match filter.name.as_slice() {
            b"Crypt" => continue,
            b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode" | b"ASCIIHexDecode"
            | b"RunLengthDecode" => {}
            other => {
                return Err(bad(format!(
                    "unsupported filter {}",
                    String::from_utf8_lossy(other)
                )));
            }
        }
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Name(filter.name.clone()));
        if let Some(params) = &filter.params {
            dict.set("DecodeParms", Object::Dictionary(params.clone()));
        }
        let stream = Stream::new(dict, current.into_owned());
        let decoded = stream
            .decompressed_content_with_limit(limit)
            .map_err(|e| match e {
                lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                }) => bad("image data decompresses beyond the size limit"),
                other => bad(format!("image data could not be decompressed: {other}")),
            })?;
        current = Cow::Owned(decoded);
    }
    Ok(current)
}

/// Decodes a raw-sample image (no image codec in its filter chain) to gray or bilevel.
pub(crate) fn decode(
    document: &Document,
    dict: &Dictionary,
    content: &[u8],
    filters: &[Filter],
    resources: &Resources<'_>,
) -> Result<RawImage, SourceError> {
    let samples = samples(document, dict, resources)?;
    let stride = samples.stride();
    let mut sink = samples.sink();
    let mut scratch = Vec::with_capacity(stride.max(samples.width as usize));

    // A Flate stream at the end of the chain is inflated row by row.
    if let Some((last, before)) = filters.split_last()
        && last.is(b"FlateDecode")
    {
        let (predictor, predictor_row) = Predictor::of(last.params.as_ref());
        if predictor_row.is_none_or(|r| r == stride) {
            let compressed = apply_byte_filters(content, before, MAX_CODEC_BYTES)?;
            inflate_rows(&compressed, predictor, &samples, &mut sink, &mut scratch);
            return finish(sink);
        }
    }
    let expected = stride.saturating_mul(samples.height as usize);
    let limit = expected
        .saturating_add(expected / 4)
        .saturating_add(1 << 20);
    if limit > MAX_BUFFER_BYTES {
        return Err(SourceError::TooLarge {
            width: u64::from(samples.width),
            height: u64::from(samples.height),
        });
    }
    let data = apply_byte_filters(content, filters, limit)?;
    let mut rows = Rows::new(&data[..], Predictor::None, stride);
    while !sink.is_full() {
        let Some(row) = rows.next_row() else { break };
        samples.push_row(row, &mut sink, &mut scratch);
    }
    finish(sink)
}

fn finish(sink: RowSink) -> Result<RawImage, SourceError> {
    if sink.rows() == 0 {
        return Err(bad("image has no readable rows"));
    }
    Ok(sink.finish())
}

/// Inflates zlib data row by row; falls back to raw deflate when the zlib header is damaged.
fn inflate_rows(
    compressed: &[u8],
    predictor: Predictor,
    samples: &Samples,
    sink: &mut RowSink,
    scratch: &mut Vec<u8>,
) {
    let stride = samples.stride();
    let mut rows = Rows::new(
        flate2::read::ZlibDecoder::new(compressed),
        predictor,
        stride,
    );
    while !sink.is_full() {
        let Some(row) = rows.next_row() else { break };
        samples.push_row(row, sink, scratch);
    }
    if sink.rows() == 0 && compressed.len() > 2 {
        let mut rows = Rows::new(
            flate2::read::DeflateDecoder::new(&compressed[2..]),
            predictor,
            stride,
        );
        while !sink.is_full() {
            let Some(row) = rows.next_row() else { break };
            samples.push_row(row, sink, scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::predictor::{undo_tiff_predictor, unfilter_png};
    use super::*;
    use crate::source::PixelFormat;

    fn image_dict(entries: Vec<(&str, Object)>) -> Dictionary {
        let mut dict = Dictionary::new();
        for (k, v) in entries {
            dict.set(k, v);
        }
        dict
    }

    fn decode_plain(dict: &Dictionary, data: &[u8]) -> RawImage {
        let document = Document::with_version("1.5");
        decode(&document, dict, data, &[], &Resources::default()).unwrap()
    }

    #[test]
    fn png_predictors_are_undone() {
        let mut row = vec![10, 20, 5, 5];
        unfilter_png(1, 2, &mut row, &[0; 4]);
        assert_eq!(row, [10, 20, 15, 25]);
        let mut row = vec![1, 2, 3, 4];
        unfilter_png(2, 1, &mut row, &[10, 10, 10, 250]);
        assert_eq!(row, [11, 12, 13, 254]);
        let mut row = vec![0, 0];
        unfilter_png(4, 1, &mut row, &[7, 9]);
        // Paeth: first byte predicted from up (7); second: a=7, b=9, c=7 → p=9 → b.
        assert_eq!(row, [7, 9]);
    }

    #[test]
    fn tiff_predictor_sums_samples_of_each_colour() {
        let mut row = vec![10, 1, 5, 2];
        undo_tiff_predictor(&mut row, 2, 8);
        assert_eq!(row, [10, 1, 15, 3]);
        // 2-bit samples 1, 1, 1, 1 → 1, 2, 3, 0 (mod 4).
        let mut row = vec![0b0101_0101];
        undo_tiff_predictor(&mut row, 1, 2);
        assert_eq!(row, [0b0110_1100]);
    }

    #[test]
    fn one_bit_gray_is_bilevel_with_decode_respected() {
        let dict = image_dict(vec![
            ("Width", 8.into()),
            ("Height", 1.into()),
            ("BitsPerComponent", 1.into()),
            ("ColorSpace", Object::Name(b"DeviceGray".to_vec())),
        ]);
        // DeviceGray: 0 bits are black.
        let image = decode_plain(&dict, &[0b0000_1111]);
        assert_eq!(image.format, PixelFormat::Bilevel);
        assert_eq!(image.data, [0b1111_0000]);
        let mut inverted = dict.clone();
        inverted.set("Decode", vec![1.into(), 0.into()]);
        assert_eq!(decode_plain(&inverted, &[0b0000_1111]).data, [0b0000_1111]);
    }

    #[test]
    fn indexed_and_rgb_become_gray() {
        let indexed = image_dict(vec![
            ("Width", 3.into()),
            ("Height", 1.into()),
            ("BitsPerComponent", 2.into()),
            (
                "ColorSpace",
                Object::Array(vec![
                    Object::Name(b"Indexed".to_vec()),
                    Object::Name(b"DeviceRGB".to_vec()),
                    2.into(),
                    Object::String(
                        vec![255, 255, 255, 0, 0, 0, 255, 0, 0],
                        lopdf::StringFormat::Literal,
                    ),
                ]),
            ),
        ]);
        // Indices 0, 1, 2 → white, black, red (gray 76).
        let image = decode_plain(&indexed, &[0b0001_1000]);
        assert_eq!(image.format, PixelFormat::Gray8);
        assert_eq!(image.data, [255, 0, 76]);

        let rgb = image_dict(vec![
            ("Width", 2.into()),
            ("Height", 1.into()),
            ("BitsPerComponent", 8.into()),
            ("ColorSpace", Object::Name(b"DeviceRGB".to_vec())),
        ]);
        assert_eq!(
            decode_plain(&rgb, &[0, 255, 0, 255, 255, 255]).data,
            [150, 255]
        );
    }

    #[test]
    fn cmyk_and_sixteen_bit_gray() {
        let cmyk = image_dict(vec![
            ("Width", 2.into()),
            ("Height", 1.into()),
            ("BitsPerComponent", 8.into()),
            ("ColorSpace", Object::Name(b"DeviceCMYK".to_vec())),
        ]);
        assert_eq!(
            decode_plain(&cmyk, &[0, 0, 0, 255, 0, 0, 0, 0]).data,
            [0, 255]
        );
        let gray16 = image_dict(vec![
            ("Width", 2.into()),
            ("Height", 1.into()),
            ("BitsPerComponent", 16.into()),
            ("ColorSpace", Object::Name(b"DeviceGray".to_vec())),
        ]);
        assert_eq!(
            decode_plain(&gray16, &[0x80, 0xFF, 0xFF, 0x00]).data,
            [128, 255]
        );
    }

    #[test]
    fn flate_rows_stream_with_png_predictor() {
        use std::io::Write;
        // 3×2 gray, rows filtered with Sub and Up.
        let filtered = [1u8, 10, 10, 10, 2, 5, 5, 5];
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&filtered).unwrap();
        let compressed = encoder.finish().unwrap();
        let dict = image_dict(vec![
            ("Width", 3.into()),
            ("Height", 2.into()),
            ("BitsPerComponent", 8.into()),
            ("ColorSpace", Object::Name(b"DeviceGray".to_vec())),
        ]);
        let mut params = Dictionary::new();
        params.set("Predictor", 15);
        params.set("Columns", 3);
        let filters = [Filter {
            name: b"FlateDecode".to_vec(),
            params: Some(params),
        }];
        let document = Document::with_version("1.5");
        let image = decode(
            &document,
            &dict,
            &compressed,
            &filters,
            &Resources::default(),
        )
        .unwrap();
        assert_eq!(image.data, [10, 20, 30, 15, 25, 35]);
    }

    #[test]
    fn truncated_data_keeps_the_rows_read() {
        let dict = image_dict(vec![
            ("Width", 2.into()),
            ("Height", 3.into()),
            ("BitsPerComponent", 8.into()),
            ("ColorSpace", Object::Name(b"DeviceGray".to_vec())),
        ]);
        assert_eq!(
            decode_plain(&dict, &[1, 2, 3]).data,
            [1, 2, 255, 255, 255, 255]
        );
    }
}
