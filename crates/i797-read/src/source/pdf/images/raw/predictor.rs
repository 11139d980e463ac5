//! Raw image samples, predictors: PNG (per-row filter byte) and TIFF (horizontal differencing)
//! predictors undone row by row as rows are read. Invariant: works on one row and the one before
//! it; a short last row is dropped, never padded with invented samples.

use std::io::Read;

use lopdf::Dictionary;

use super::param_i64;

/// Predictor of a Flate or LZW stream (ISO 32000-1, 7.4.4.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Predictor {
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
    pub(super) fn of(params: Option<&Dictionary>) -> (Predictor, Option<usize>) {
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
pub(super) struct Rows<R> {
    pub(super) reader: R,
    pub(super) predictor: Predictor,
    pub(super) stride: usize,
    pub(super) row: Vec<u8>,
    pub(super) previous: Vec<u8>,
}

impl<R: Read> Rows<R> {
    pub(super) fn new(reader: R, predictor: Predictor, stride: usize) -> Self {
        Rows {
            reader,
            predictor,
            stride,
            row: vec![0; stride],
            previous: vec![0; stride],
        }
    }

    /// The next row, or `None` at the end of the data (a short last row is dropped).
    pub(super) fn next_row(&mut self) -> Option<&[u8]> {
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

pub(super) fn unfilter_png(filter: u8, bpp: usize, row: &mut [u8], previous: &[u8]) {
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

pub(super) fn undo_tiff_predictor(row: &mut [u8], colors: usize, bits: u32) {
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
