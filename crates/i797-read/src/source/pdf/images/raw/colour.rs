//! Raw image samples, colour: what each colour space (Gray, RGB, CMYK, Lab, ICC, Indexed,
//! Separation, DeviceN, Cal*) contributes to gray, and the `/Decode` ranges. Invariant: any
//! colour space yields a linear map or a table, never a panic; nesting is bounded by
//! `MAX_COLOUR_DEPTH`. Must not: read samples (`samples.rs`) or undo filters (`raw.rs`).

use std::borrow::Cow;

use lopdf::{Dictionary, Document, Object};

use super::{MAX_COLOUR_DEPTH, bad};
use crate::source::SourceError;
use crate::source::pdf::images::placement::{Resources, resolve};

/// What a colour space contributes to gray, per component value in its own range.
#[derive(Debug)]
pub(super) struct ColourSpace {
    /// Gray (0–255) = base + Σ weights[c] × value_c for linear spaces.
    pub(super) base: f32,
    pub(super) weights: Vec<f32>,
    /// Default `/Decode` ranges.
    pub(super) ranges: Vec<(f32, f32)>,
    /// Indexed: gray of each palette entry.
    pub(super) palette: Option<Vec<u8>>,
}

impl ColourSpace {
    pub(super) fn components(&self) -> usize {
        self.weights.len()
    }

    pub(super) fn gray(weights: Vec<f32>, base: f32) -> ColourSpace {
        let ranges = vec![(0.0, 1.0); weights.len()];
        ColourSpace {
            base,
            weights,
            ranges,
            palette: None,
        }
    }

    pub(super) fn device_gray() -> ColourSpace {
        Self::gray(vec![255.0], 0.0)
    }

    pub(super) fn device_rgb() -> ColourSpace {
        Self::gray(vec![0.299 * 255.0, 0.587 * 255.0, 0.114 * 255.0], 0.0)
    }

    pub(super) fn device_cmyk() -> ColourSpace {
        Self::gray(
            vec![-0.30 * 255.0, -0.59 * 255.0, -0.11 * 255.0, -255.0],
            255.0,
        )
    }

    pub(super) fn device(components: usize) -> Option<ColourSpace> {
        match components {
            1 => Some(Self::device_gray()),
            3 => Some(Self::device_rgb()),
            4 => Some(Self::device_cmyk()),
            _ => None,
        }
    }

    /// Ink tints (Separation, DeviceN): more tint is darker.
    pub(super) fn tints(components: usize) -> ColourSpace {
        Self::gray(vec![-255.0; components], 255.0)
    }

    pub(super) fn value_to_gray(&self, values: &[f32]) -> u8 {
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

pub(super) fn colour_space(
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

pub(super) fn numbers(document: &Document, object: &Object) -> Option<Vec<f32>> {
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
