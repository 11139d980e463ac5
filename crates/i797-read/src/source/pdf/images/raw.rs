//! Raw image samples (after Flate, LZW, RunLength, ASCII85/Hex filters) to gray or bilevel rows:
//! bit depths 1–16, colour spaces reduced to gray, `/Decode` arrays, stencil masks, PNG and TIFF
//! predictors. Invariant: a Flate image is inflated row by row into the pixel budget, never whole;
//! other filters are decoded whole only below `MAX_BUFFER_BYTES`.

use std::borrow::Cow;
use std::io::Read;

use lopdf::{Dictionary, Document, Object, Stream};

use super::placement::{Resources, resolve};
use super::raster::{RowSink, check_source};
use crate::source::{RawImage, SourceError};

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
            name: full_filter_name(name),
            params: params.get(i).cloned().flatten(),
        })
        .collect()
}

fn full_filter_name(name: Vec<u8>) -> Vec<u8> {
    let full: &[u8] = match name.as_slice() {
        b"AHx" => b"ASCIIHexDecode",
        b"A85" => b"ASCII85Decode",
        b"LZW" => b"LZWDecode",
        b"Fl" => b"FlateDecode",
        b"RL" => b"RunLengthDecode",
        b"CCF" => b"CCITTFaxDecode",
        b"DCT" => b"DCTDecode",
        _ => return name,
    };
    full.to_vec()
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

/// Shape of the samples: what the OCR stage gets is decided from this.
#[derive(Debug)]
pub(crate) struct Samples {
    pub width: u32,
    pub height: u32,
    pub bits: u32,
    pub components: usize,
    pub map: SampleMap,
}

/// How samples become gray.
#[derive(Debug)]
pub(crate) enum SampleMap {
    /// One bit per pixel with ink on the 1 bits (`invert: false`) or on the 0 bits.
    Bilevel { invert: bool },
    /// Gray level = clamp((base + Σ lut[c][sample_c]) / 256). 16-bit samples index by their
    /// high byte.
    Gray { base: i32, luts: Vec<Vec<i32>> },
}

/// What a colour space contributes to gray, per component value in its own range.
#[derive(Debug)]
struct ColourSpace {
    /// Gray (0–255) = base + Σ weights[c] × value_c for linear spaces.
    base: f32,
    weights: Vec<f32>,
    /// Default `/Decode` ranges.
    ranges: Vec<(f32, f32)>,
    /// Indexed: gray of each palette entry.
    palette: Option<Vec<u8>>,
}

impl ColourSpace {
    fn components(&self) -> usize {
        self.weights.len()
    }

    fn gray(weights: Vec<f32>, base: f32) -> ColourSpace {
        let ranges = vec![(0.0, 1.0); weights.len()];
        ColourSpace {
            base,
            weights,
            ranges,
            palette: None,
        }
    }

    fn device_gray() -> ColourSpace {
        Self::gray(vec![255.0], 0.0)
    }

    fn device_rgb() -> ColourSpace {
        Self::gray(vec![0.299 * 255.0, 0.587 * 255.0, 0.114 * 255.0], 0.0)
    }

    fn device_cmyk() -> ColourSpace {
        Self::gray(
            vec![-0.30 * 255.0, -0.59 * 255.0, -0.11 * 255.0, -255.0],
            255.0,
        )
    }

    fn device(components: usize) -> Option<ColourSpace> {
        match components {
            1 => Some(Self::device_gray()),
            3 => Some(Self::device_rgb()),
            4 => Some(Self::device_cmyk()),
            _ => None,
        }
    }

    /// Ink tints (Separation, DeviceN): more tint is darker.
    fn tints(components: usize) -> ColourSpace {
        Self::gray(vec![-255.0; components], 255.0)
    }

    fn value_to_gray(&self, values: &[f32]) -> u8 {
        let sum: f32 = self
            .weights
            .iter()
            .zip(values)
            .map(|(w, v)| w * v)
            .sum::<f32>()
            + self.base;
        sum.round().clamp(0.0, 255.0) as u8
    }
}

fn colour_space(
    document: &Document,
    object: &Object,
    resources: &Resources<'_>,
    depth: usize,
) -> Result<ColourSpace, SourceError> {
    if depth > MAX_COLOUR_DEPTH {
        return Err(bad("colour space nests too deeply"));
    }
    let object = resolve(document, object);
    let unsupported = |name: &[u8]| {
        bad(format!(
            "unsupported colour space {}",
            String::from_utf8_lossy(name)
        ))
    };
    match object {
        Object::Name(name) => match name.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => Ok(ColourSpace::device_gray()),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Ok(ColourSpace::device_rgb()),
            b"DeviceCMYK" | b"CMYK" => Ok(ColourSpace::device_cmyk()),
            other => match resources.lookup(document, b"ColorSpace", other) {
                Some((_, named)) => colour_space(document, named, resources, depth + 1),
                None => Err(unsupported(other)),
            },
        },
        Object::Array(items) => {
            let family = items
                .first()
                .map(|f| resolve(document, f))
                .and_then(|f| f.as_name().ok())
                .ok_or_else(|| bad("colour space array without a family name"))?;
            let arg = |i: usize| items.get(i).map(|o| resolve(document, o));
            match family {
                b"DeviceGray" | b"CalGray" | b"G" => Ok(ColourSpace::device_gray()),
                b"DeviceRGB" | b"CalRGB" | b"RGB" => Ok(ColourSpace::device_rgb()),
                b"DeviceCMYK" | b"CMYK" => Ok(ColourSpace::device_cmyk()),
                b"Lab" => {
                    let range = arg(1)
                        .and_then(|d| d.as_dict().ok())
                        .and_then(|d| d.get(b"Range").ok())
                        .and_then(|r| numbers(document, r))
                        .filter(|r| r.len() == 4)
                        .unwrap_or_else(|| vec![-100.0, 100.0, -100.0, 100.0]);
                    Ok(ColourSpace {
                        base: 0.0,
                        weights: vec![2.55, 0.0, 0.0],
                        ranges: vec![(0.0, 100.0), (range[0], range[1]), (range[2], range[3])],
                        palette: None,
                    })
                }
                b"ICCBased" => {
                    let n = match arg(1) {
                        Some(Object::Stream(s)) => s
                            .dict
                            .get(b"N")
                            .ok()
                            .and_then(|n| resolve(document, n).as_i64().ok()),
                        _ => None,
                    };
                    match n {
                        Some(n) => ColourSpace::device(n as usize)
                            .ok_or_else(|| bad(format!("ICC profile with {n} components"))),
                        None => match arg(1)
                            .and_then(|s| s.as_stream().ok())
                            .and_then(|s| s.dict.get(b"Alternate").ok())
                        {
                            Some(alternate) => {
                                colour_space(document, alternate, resources, depth + 1)
                            }
                            None => Err(bad("ICC colour space without /N")),
                        },
                    }
                }
                b"Indexed" | b"I" => {
                    let base = colour_space(
                        document,
                        items
                            .get(1)
                            .ok_or_else(|| bad("Indexed colour space without a base"))?,
                        resources,
                        depth + 1,
                    )?;
                    if base.palette.is_some() {
                        return Err(bad("Indexed colour space over another Indexed one"));
                    }
                    let hival = arg(2)
                        .and_then(|h| h.as_i64().ok())
                        .unwrap_or(255)
                        .clamp(0, 255) as usize;
                    let lookup: Cow<'_, [u8]> = match arg(3) {
                        Some(Object::String(bytes, _)) => Cow::Borrowed(bytes),
                        Some(Object::Stream(s)) => {
                            if s.dict.has(b"Filter") {
                                Cow::Owned(s.decompressed_content_with_limit(1 << 20).map_err(
                                    |e| bad(format!("colour table could not be read: {e}")),
                                )?)
                            } else {
                                Cow::Borrowed(&s.content)
                            }
                        }
                        _ => return Err(bad("Indexed colour space without a colour table")),
                    };
                    let m = base.components();
                    let palette = (0..=hival)
                        .map(|i| {
                            let values: Vec<f32> = (0..m)
                                .map(|c| {
                                    let byte = lookup.get(i * m + c).copied().unwrap_or(0);
                                    let (lo, hi) = base.ranges[c];
                                    lo + f32::from(byte) / 255.0 * (hi - lo)
                                })
                                .collect();
                            base.value_to_gray(&values)
                        })
                        .collect();
                    Ok(ColourSpace {
                        base: 0.0,
                        weights: vec![1.0],
                        ranges: vec![(0.0, hival as f32)],
                        palette: Some(palette),
                    })
                }
                b"Separation" => Ok(ColourSpace::tints(1)),
                b"DeviceN" => {
                    let n = arg(1).and_then(|a| a.as_array().ok()).map_or(1, Vec::len);
                    Ok(ColourSpace::tints(n.clamp(1, 32)))
                }
                other => Err(unsupported(other)),
            }
        }
        _ => Err(bad("colour space is neither a name nor an array")),
    }
}

fn numbers(document: &Document, object: &Object) -> Option<Vec<f32>> {
    resolve(document, object)
        .as_array()
        .ok()?
        .iter()
        .map(|v| resolve(document, v).as_float().ok())
        .collect()
}

/// `/Decode` of `dict` as pairs, when it has one pair per component.
pub(crate) fn decode_pairs(
    document: &Document,
    dict: &Dictionary,
    components: usize,
) -> Option<Vec<(f32, f32)>> {
    let values = numbers(document, dict.get(b"Decode").ok()?)?;
    (values.len() == components * 2).then(|| values.chunks(2).map(|p| (p[0], p[1])).collect())
}

/// True when `/Decode` swaps the first component's range (e.g. `[1 0]`: a negative).
pub(crate) fn decode_inverted(document: &Document, dict: &Dictionary) -> bool {
    dict.get(b"Decode")
        .ok()
        .and_then(|d| numbers(document, d))
        .is_some_and(|d| d.len() >= 2 && d[0] > d[1])
}

fn dict_u32(document: &Document, dict: &Dictionary, key: &[u8]) -> Option<u32> {
    dict.get(key)
        .ok()
        .and_then(|v| resolve(document, v).as_i64().ok())
        .and_then(|v| u32::try_from(v).ok())
}

/// Reads an image dictionary's sample layout and how samples map to gray.
pub(crate) fn samples(
    document: &Document,
    dict: &Dictionary,
    resources: &Resources<'_>,
) -> Result<Samples, SourceError> {
    let width = dict_u32(document, dict, b"Width").unwrap_or(0);
    let height = dict_u32(document, dict, b"Height").unwrap_or(0);
    check_source(width, height)?;
    let stencil = dict
        .get(b"ImageMask")
        .ok()
        .and_then(|v| resolve(document, v).as_bool().ok())
        .unwrap_or(false);
    if stencil {
        // Decode [0 1] (the default): 0 bits paint. The fill colour is taken to be ink.
        return Ok(Samples {
            width,
            height,
            bits: 1,
            components: 1,
            map: SampleMap::Bilevel {
                invert: !decode_inverted(document, dict),
            },
        });
    }
    let bits = dict_u32(document, dict, b"BitsPerComponent").unwrap_or(8);
    if !matches!(bits, 1 | 2 | 4 | 8 | 16) {
        return Err(bad(format!("{bits} bits per component")));
    }
    let space = match dict.get(b"ColorSpace") {
        Ok(object) => colour_space(document, object, resources, 0)?,
        // Required for these images; gray is the likely intent of a writer that left it out.
        Err(_) => ColourSpace::device_gray(),
    };
    let components = space.components();
    let ranges = match (&space.palette, decode_pairs(document, dict, components)) {
        (_, Some(pairs)) => pairs,
        (Some(_), None) => vec![(0.0, ((1u32 << bits.min(8)) - 1) as f32)],
        (None, None) => space.ranges.clone(),
    };
    let lut_bits = bits.min(8);
    let max_sample = ((1u32 << lut_bits) - 1) as f32;
    let luts: Vec<Vec<i32>> = (0..components)
        .map(|c| {
            let (lo, hi) = ranges[c];
            (0..1u32 << lut_bits)
                .map(|s| {
                    let value = lo + s as f32 / max_sample * (hi - lo);
                    let gray = match &space.palette {
                        Some(palette) => {
                            let index = value.round().clamp(0.0, (palette.len() - 1) as f32);
                            f32::from(palette[index as usize])
                        }
                        None => space.weights[c] * value,
                    };
                    (gray * 256.0).round() as i32
                })
                .collect()
        })
        .collect();
    let base = (space.base * 256.0).round() as i32;
    let gray_of = |lut_value: i32| (base + lut_value + 128) / 256;
    let map = if components == 1 && bits == 1 {
        match (gray_of(luts[0][0]) < 128, gray_of(luts[0][1]) < 128) {
            (true, false) => SampleMap::Bilevel { invert: true },
            (false, true) => SampleMap::Bilevel { invert: false },
            _ => SampleMap::Gray { base, luts },
        }
    } else {
        SampleMap::Gray { base, luts }
    };
    Ok(Samples {
        width,
        height,
        bits,
        components,
        map,
    })
}

impl Samples {
    /// Bytes per row of samples.
    pub(crate) fn stride(&self) -> usize {
        (self.width as usize * self.components * self.bits as usize).div_ceil(8)
    }

    fn sink(&self) -> RowSink {
        match self.map {
            SampleMap::Bilevel { .. } => RowSink::bilevel(self.width, self.height),
            SampleMap::Gray { .. } => RowSink::gray(self.width, self.height),
        }
    }

    /// Converts one row of samples into `sink`; `scratch` is reused between rows.
    fn push_row(&self, row: &[u8], sink: &mut RowSink, scratch: &mut Vec<u8>) {
        match &self.map {
            SampleMap::Bilevel { invert } => {
                if *invert {
                    scratch.clear();
                    scratch.extend(row.iter().map(|b| !b));
                    sink.push_bits(scratch);
                } else {
                    sink.push_bits(row);
                }
            }
            SampleMap::Gray { base, luts } => {
                let width = self.width as usize;
                scratch.clear();
                scratch.resize(width, 255);
                let to_u8 = |sum: i32| ((sum + 128) / 256).clamp(0, 255) as u8;
                match (self.components, self.bits) {
                    (1, 8) => {
                        for (out, &s) in scratch.iter_mut().zip(row) {
                            *out = to_u8(base + luts[0][usize::from(s)]);
                        }
                    }
                    (3, 8) => {
                        for (out, px) in scratch.iter_mut().zip(row.chunks_exact(3)) {
                            *out = to_u8(
                                base + luts[0][usize::from(px[0])]
                                    + luts[1][usize::from(px[1])]
                                    + luts[2][usize::from(px[2])],
                            );
                        }
                    }
                    _ => {
                        let n = self.components;
                        for (x, out) in scratch.iter_mut().enumerate() {
                            let mut sum = *base;
                            for (c, lut) in luts.iter().enumerate() {
                                sum += lut[sample(row, x * n + c, self.bits)];
                            }
                            *out = to_u8(sum);
                        }
                    }
                }
                sink.push_gray(scratch);
            }
        }
    }
}

/// Sample `index` of a packed row, as an index into an 8-bit-or-less table.
fn sample(row: &[u8], index: usize, bits: u32) -> usize {
    match bits {
        16 => usize::from(row.get(index * 2).copied().unwrap_or(0)),
        8 => usize::from(row.get(index).copied().unwrap_or(0)),
        _ => {
            let bit = index * bits as usize;
            let byte = row.get(bit / 8).copied().unwrap_or(0);
            let shift = 8 - bits as usize - bit % 8;
            usize::from(byte >> shift) & ((1 << bits) - 1)
        }
    }
}

/// Predictor of a Flate or LZW stream (ISO 32000-1, 7.4.4.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Predictor {
    None,
    /// PNG filters, one filter byte before each row; `bpp` bytes per pixel (at least 1).
    Png {
        bpp: usize,
    },
    /// TIFF predictor 2: each sample is a difference from the one `colors` samples before.
    Tiff {
        colors: usize,
        bits: u32,
    },
}

impl Predictor {
    /// The predictor and the row length it works on.
    fn of(params: Option<&Dictionary>) -> (Predictor, Option<usize>) {
        let predictor = param_i64(params, b"Predictor").unwrap_or(1);
        let colors = param_i64(params, b"Colors").unwrap_or(1).clamp(1, 32) as usize;
        let bits = param_i64(params, b"BitsPerComponent")
            .unwrap_or(8)
            .clamp(1, 16) as u32;
        let columns = param_i64(params, b"Columns").unwrap_or(1).clamp(1, 1 << 24) as usize;
        let row = (colors * bits as usize * columns).div_ceil(8);
        match predictor {
            2 => (Predictor::Tiff { colors, bits }, Some(row)),
            10..=15 => (
                Predictor::Png {
                    bpp: (colors * bits as usize).div_ceil(8).max(1),
                },
                Some(row),
            ),
            _ => (Predictor::None, None),
        }
    }
}

/// Reads rows of `stride` bytes from `reader`, undoing `predictor`.
struct Rows<R> {
    reader: R,
    predictor: Predictor,
    stride: usize,
    row: Vec<u8>,
    previous: Vec<u8>,
}

impl<R: Read> Rows<R> {
    fn new(reader: R, predictor: Predictor, stride: usize) -> Self {
        Rows {
            reader,
            predictor,
            stride,
            row: vec![0; stride],
            previous: vec![0; stride],
        }
    }

    /// The next row, or `None` at the end of the data (a short last row is dropped).
    fn next_row(&mut self) -> Option<&[u8]> {
        match self.predictor {
            Predictor::None => {
                self.reader.read_exact(&mut self.row).ok()?;
            }
            Predictor::Png { bpp } => {
                let mut filter = [0u8];
                self.reader.read_exact(&mut filter).ok()?;
                std::mem::swap(&mut self.row, &mut self.previous);
                self.reader.read_exact(&mut self.row).ok()?;
                unfilter_png(filter[0], bpp, &mut self.row, &self.previous);
            }
            Predictor::Tiff { colors, bits } => {
                self.reader.read_exact(&mut self.row).ok()?;
                undo_tiff_predictor(&mut self.row, colors, bits);
            }
        }
        Some(&self.row[..self.stride])
    }
}

fn unfilter_png(filter: u8, bpp: usize, row: &mut [u8], previous: &[u8]) {
    match filter {
        1 => {
            for i in bpp..row.len() {
                row[i] = row[i].wrapping_add(row[i - bpp]);
            }
        }
        2 => {
            for (x, &up) in row.iter_mut().zip(previous) {
                *x = x.wrapping_add(up);
            }
        }
        3 => {
            for i in 0..row.len() {
                let left = if i >= bpp { u16::from(row[i - bpp]) } else { 0 };
                let average = ((left + u16::from(previous[i])) / 2) as u8;
                row[i] = row[i].wrapping_add(average);
            }
        }
        4 => {
            for i in 0..row.len() {
                let a = if i >= bpp { i16::from(row[i - bpp]) } else { 0 };
                let b = i16::from(previous[i]);
                let c = if i >= bpp {
                    i16::from(previous[i - bpp])
                } else {
                    0
                };
                let p = a + b - c;
                let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                let predicted = if pa <= pb && pa <= pc {
                    a
                } else if pb <= pc {
                    b
                } else {
                    c
                };
                row[i] = row[i].wrapping_add(predicted as u8);
            }
        }
        // 0 is None; unknown filter types are read as None, as viewers do.
        _ => {}
    }
}

fn undo_tiff_predictor(row: &mut [u8], colors: usize, bits: u32) {
    match bits {
        8 => {
            for i in colors..row.len() {
                row[i] = row[i].wrapping_add(row[i - colors]);
            }
        }
        16 => {
            let step = colors * 2;
            let mut i = step;
            while i + 1 < row.len() {
                let left = u16::from_be_bytes([row[i - step], row[i - step + 1]]);
                let value = u16::from_be_bytes([row[i], row[i + 1]]).wrapping_add(left);
                row[i..i + 2].copy_from_slice(&value.to_be_bytes());
                i += 2;
            }
        }
        1 | 2 | 4 => {
            let per_row = row.len() * 8 / bits as usize;
            let mask = (1u8 << bits) - 1;
            for index in colors..per_row {
                let get = |row: &[u8], index: usize| {
                    let bit = index * bits as usize;
                    (row[bit / 8] >> (8 - bits as usize - bit % 8)) & mask
                };
                let value = get(row, index).wrapping_add(get(row, index - colors)) & mask;
                let bit = index * bits as usize;
                let shift = 8 - bits as usize - bit % 8;
                row[bit / 8] = (row[bit / 8] & !(mask << shift)) | (value << shift);
            }
        }
        _ => {}
    }
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
