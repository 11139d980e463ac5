//! Raw image samples, shape and mapping: bits per component and components per pixel from the
//! image dictionary, and each row of samples turned into gray or bilevel pixels. Invariant: a row
//! shorter than the stride is padded, never read past. Must not: undo filters or predictors.

use lopdf::{Dictionary, Document};

use super::bad;
use super::colour::{ColourSpace, colour_space, decode_inverted, decode_pairs};
use crate::source::SourceError;
use crate::source::pdf::images::placement::{Resources, dict_u32, resolve};
use crate::source::pdf::images::raster::{RowSink, check_source};

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

    pub(super) fn sink(&self) -> RowSink {
        match self.map {
            SampleMap::Bilevel { .. } => RowSink::bilevel(self.width, self.height),
            SampleMap::Gray { .. } => RowSink::gray(self.width, self.height),
        }
    }

    /// Converts one row of samples into `sink`; `scratch` is reused between rows.
    pub(super) fn push_row(&self, row: &[u8], sink: &mut RowSink, scratch: &mut Vec<u8>) {
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
pub(super) fn sample(row: &[u8], index: usize, bits: u32) -> usize {
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
