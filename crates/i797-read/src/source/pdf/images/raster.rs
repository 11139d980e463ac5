//! Building decoded page pictures row by row, within the pixel budget: full-resolution rows go in,
//! a bilevel or gray raster comes out, box-averaged by an integer factor when the source is larger
//! than the budget. Invariant: memory is the output raster plus one row of sums, whatever the
//! source size.

use crate::source::{PixelFormat, RawImage, SourceError};

/// Most pixels a bilevel picture keeps at full resolution: 600 dpi Letter (33.7 MP) fits.
/// One bit per pixel here, 5 MB; the OCR stage's own copies are larger.
pub(crate) const MAX_BILEVEL_PIXELS: u64 = 40_000_000;
/// Most pixels of a gray picture (25 MB): 300 dpi at up to 16.6 × 16.6 in, 600 dpi Letter
/// is reduced to 300 dpi.
pub(crate) const MAX_GRAY_PIXELS: u64 = 25_000_000;
/// Sources above this are refused outright: even decoding them at a reduced size takes seconds.
/// (A 35000 × 35000 bilevel scan, 1.2 gigapixels, is still read, at 1/7 scale.)
pub(crate) const MAX_SOURCE_PIXELS: u64 = 1_500_000_000;

/// Smallest integer factor that brings `width × height` within `budget`.
pub(crate) fn reduction(width: u32, height: u32, budget: u64) -> u32 {
    let mut k = 1u32;
    loop {
        let w = u64::from(width.div_ceil(k));
        let h = u64::from(height.div_ceil(k));
        if w * h <= budget {
            return k;
        }
        k += 1;
    }
}

/// Refuses sources no budget can make safe.
pub(crate) fn check_source(width: u32, height: u32) -> Result<(), SourceError> {
    if width == 0 || height == 0 {
        return Err(SourceError::BadImage(format!(
            "image has no pixels ({width}×{height})"
        )));
    }
    if u64::from(width) * u64::from(height) > MAX_SOURCE_PIXELS {
        return Err(SourceError::TooLarge {
            width: u64::from(width),
            height: u64::from(height),
        });
    }
    Ok(())
}

/// Receives a picture's rows top to bottom and keeps them within the budget.
#[derive(Debug)]
pub(crate) struct RowSink {
    width: u32,
    height: u32,
    factor: u32,
    out_width: u32,
    out_height: u32,
    format: PixelFormat,
    data: Vec<u8>,
    /// Darkness sums (0–255 per source pixel) of the output row being built, when reducing.
    sums: Vec<u32>,
    rows_in_block: u32,
    out_row: u32,
    rows: u32,
}

impl RowSink {
    /// A sink for a bilevel source: bilevel output at full size when it fits the budget,
    /// otherwise gray at a reduced size.
    pub(crate) fn bilevel(width: u32, height: u32) -> RowSink {
        let factor = if u64::from(width) * u64::from(height) <= MAX_BILEVEL_PIXELS {
            1
        } else {
            reduction(width, height, MAX_GRAY_PIXELS)
        };
        Self::new(width, height, factor, factor == 1)
    }

    /// A sink for a gray source, reduced to fit `MAX_GRAY_PIXELS`.
    pub(crate) fn gray(width: u32, height: u32) -> RowSink {
        Self::new(
            width,
            height,
            reduction(width, height, MAX_GRAY_PIXELS),
            false,
        )
    }

    fn new(width: u32, height: u32, factor: u32, bilevel: bool) -> RowSink {
        let out_width = width.div_ceil(factor);
        let out_height = height.div_ceil(factor);
        let (format, data) = if bilevel {
            let stride = out_width.div_ceil(8) as usize;
            (
                PixelFormat::Bilevel,
                vec![0u8; stride * out_height as usize],
            )
        } else {
            (
                PixelFormat::Gray8,
                vec![255u8; out_width as usize * out_height as usize],
            )
        };
        RowSink {
            width,
            height,
            factor,
            out_width,
            out_height,
            format,
            data,
            sums: if factor > 1 {
                vec![0; out_width as usize]
            } else {
                Vec::new()
            },
            rows_in_block: 0,
            out_row: 0,
            rows: 0,
        }
    }

    pub(crate) fn is_full(&self) -> bool {
        self.rows >= self.height
    }

    pub(crate) fn rows(&self) -> u32 {
        self.rows
    }

    /// One row of 8-bit gray, 0 = black, `width` bytes.
    pub(crate) fn push_gray(&mut self, row: &[u8]) {
        if self.is_full() {
            return;
        }
        match (self.factor, self.format) {
            (1, PixelFormat::Gray8) => {
                let w = self.width as usize;
                let start = self.rows as usize * w;
                self.data[start..start + w].copy_from_slice(&row[..w]);
                self.rows += 1;
            }
            (1, _) => {
                // Bilevel output from gray rows: threshold at mid-gray.
                let stride = self.width.div_ceil(8) as usize;
                let start = self.rows as usize * stride;
                let out = &mut self.data[start..start + stride];
                for (x, &g) in row.iter().take(self.width as usize).enumerate() {
                    if g < 128 {
                        out[x / 8] |= 0x80 >> (x % 8);
                    }
                }
                self.rows += 1;
            }
            _ => {
                let k = self.factor as usize;
                let w = self.width as usize;
                for (sum, cell) in self.sums.iter_mut().zip(row[..w].chunks(k)) {
                    *sum += cell.iter().map(|&g| u32::from(255 - g)).sum::<u32>();
                }
                self.end_source_row();
            }
        }
    }

    /// One row of packed bits, most significant first, 1 = black.
    pub(crate) fn push_bits(&mut self, row: &[u8]) {
        if self.is_full() {
            return;
        }
        let stride = self.width.div_ceil(8) as usize;
        if self.factor == 1 && self.format == PixelFormat::Bilevel {
            let start = self.rows as usize * stride;
            let out = &mut self.data[start..start + stride];
            out.copy_from_slice(&row[..stride]);
            let tail = self.width % 8;
            if tail != 0 {
                out[stride - 1] &= 0xFFu8 << (8 - tail);
            }
            self.rows += 1;
            return;
        }
        let spans = black_spans(&row[..stride], self.width);
        self.push_spans(spans);
    }

    /// One row given as its black runs `[start, end)`, in order.
    pub(crate) fn push_spans(&mut self, spans: impl IntoIterator<Item = (u32, u32)>) {
        if self.is_full() {
            return;
        }
        if self.factor == 1 {
            match self.format {
                PixelFormat::Bilevel => {
                    let stride = self.width.div_ceil(8) as usize;
                    let start = self.rows as usize * stride;
                    let out = &mut self.data[start..start + stride];
                    for (s, e) in spans {
                        set_bits(out, s, e.min(self.width));
                    }
                }
                _ => {
                    let w = self.width as usize;
                    let start = self.rows as usize * w;
                    let out = &mut self.data[start..start + w];
                    for (s, e) in spans {
                        let e = e.min(self.width) as usize;
                        let s = (s as usize).min(e);
                        out[s..e].fill(0);
                    }
                }
            }
            self.rows += 1;
            return;
        }
        let k = self.factor;
        for (s, e) in spans {
            let e = e.min(self.width);
            if s >= e {
                continue;
            }
            let (first, last) = (s / k, (e - 1) / k);
            if first == last {
                self.sums[first as usize] += 255 * (e - s);
                continue;
            }
            self.sums[first as usize] += 255 * ((first + 1) * k - s);
            for cell in first + 1..last {
                self.sums[cell as usize] += 255 * k;
            }
            self.sums[last as usize] += 255 * (e - last * k);
        }
        self.end_source_row();
    }

    fn end_source_row(&mut self) {
        self.rows += 1;
        self.rows_in_block += 1;
        if self.rows_in_block == self.factor || self.rows == self.height {
            self.emit_block();
        }
    }

    fn emit_block(&mut self) {
        if self.rows_in_block == 0 || self.out_row >= self.out_height {
            return;
        }
        let k = self.factor;
        let w = self.out_width as usize;
        let start = self.out_row as usize * w;
        for (cell, sum) in self.sums.iter_mut().enumerate() {
            let cols = (self.width - cell as u32 * k).min(k);
            let count = cols * self.rows_in_block;
            self.data[start + cell] = 255 - (*sum / count).min(255) as u8;
            *sum = 0;
        }
        self.out_row += 1;
        self.rows_in_block = 0;
    }

    /// The picture; rows never received stay white.
    pub(crate) fn finish(mut self) -> RawImage {
        if self.factor > 1 {
            self.emit_block();
        }
        RawImage {
            width: self.out_width,
            height: self.out_height,
            format: self.format,
            data: self.data,
        }
    }
}

fn set_bits(row: &mut [u8], start: u32, end: u32) {
    let mut x = start;
    while x < end {
        let byte = (x / 8) as usize;
        if x.is_multiple_of(8) && end - x >= 8 {
            let whole = ((end - x) / 8) as usize;
            row[byte..byte + whole].fill(0xFF);
            x += whole as u32 * 8;
        } else {
            row[byte] |= 0x80 >> (x % 8);
            x += 1;
        }
    }
}

/// Black runs `[start, end)` of a packed row (1 = black), skipping white bytes quickly.
pub(crate) fn black_spans(row: &[u8], width: u32) -> Vec<(u32, u32)> {
    let mut spans = Vec::new();
    let mut run_start: Option<u32> = None;
    for (i, &byte) in row.iter().enumerate() {
        let base = i as u32 * 8;
        if base >= width {
            break;
        }
        match (byte, run_start) {
            (0x00, None) => continue,
            (0xFF, Some(_)) => continue,
            _ => {}
        }
        for bit in 0..8u32 {
            let x = base + bit;
            if x >= width {
                break;
            }
            let black = byte & (0x80 >> bit) != 0;
            match (black, run_start) {
                (true, None) => run_start = Some(x),
                (false, Some(s)) => {
                    spans.push((s, x));
                    run_start = None;
                }
                _ => {}
            }
        }
    }
    if let Some(s) = run_start {
        spans.push((s, width));
    }
    spans
}

/// Bytes per row of `image`.
pub(crate) fn stride(image: &RawImage) -> usize {
    match image.format {
        PixelFormat::Bilevel => image.width.div_ceil(8) as usize,
        PixelFormat::Gray8 => image.width as usize,
        PixelFormat::Rgb8 => image.width as usize * 3,
    }
}

/// Turns the picture upside down (a vertical mirror), for images placed mirrored.
pub(crate) fn flip_rows(image: &mut RawImage) {
    let stride = stride(image);
    let rows = image.height as usize;
    for top in 0..rows / 2 {
        let bottom = rows - 1 - top;
        let (upper, lower) = image.data.split_at_mut(bottom * stride);
        upper[top * stride..(top + 1) * stride].swap_with_slice(&mut lower[..stride]);
    }
}

/// ORs bilevel `part` into bilevel `canvas` with its top-left pixel at (`x`, `y`) (may be
/// negative or overhang: clipped).
pub(crate) fn paint_bilevel(canvas: &mut RawImage, part: &RawImage, x: i64, y: i64) {
    let canvas_stride = stride(canvas);
    let part_stride = stride(part);
    for row in 0..part.height as i64 {
        let cy = y + row;
        if cy < 0 || cy >= i64::from(canvas.height) {
            continue;
        }
        let source = &part.data[row as usize * part_stride..(row as usize + 1) * part_stride];
        let target =
            &mut canvas.data[cy as usize * canvas_stride..(cy as usize + 1) * canvas_stride];
        for (s, e) in black_spans(source, part.width) {
            let s = (x + i64::from(s)).clamp(0, i64::from(canvas.width)) as u32;
            let e = (x + i64::from(e)).clamp(0, i64::from(canvas.width)) as u32;
            set_bits(target, s, e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduction_is_the_smallest_factor_within_budget() {
        assert_eq!(reduction(100, 100, 10_000), 1);
        assert_eq!(reduction(100, 100, 9_999), 2);
        assert_eq!(reduction(35_000, 35_000, MAX_GRAY_PIXELS), 7);
    }

    #[test]
    fn bilevel_rows_are_kept_and_padding_cleared() {
        let mut sink = RowSink::bilevel(10, 2);
        sink.push_bits(&[0b1000_0001, 0b1111_1111]);
        sink.push_spans([(0, 2), (9, 10)]);
        let image = sink.finish();
        assert_eq!(image.format, PixelFormat::Bilevel);
        assert_eq!(
            image.data,
            [0b1000_0001, 0b1100_0000, 0b1100_0000, 0b0100_0000]
        );
    }

    #[test]
    fn large_sources_are_box_averaged_to_gray() {
        // 4×2 gray reduced by 2: each output pixel averages a 2×2 block.
        let mut sink = RowSink::new(4, 2, 2, false);
        sink.push_gray(&[0, 0, 255, 255]);
        sink.push_gray(&[0, 255, 255, 255]);
        let image = sink.finish();
        assert_eq!((image.width, image.height), (2, 1));
        assert_eq!(image.data, [255 - 191, 255]);
    }

    #[test]
    fn reduced_spans_count_partial_cells() {
        // Width 5 reduced by 2 → cells [0,2) [2,4) [4,5); one row of 3 rows (last block short).
        let mut sink = RowSink::new(5, 3, 2, false);
        sink.push_spans([(1, 5)]);
        sink.push_spans([]);
        sink.push_spans([(4, 5)]);
        let image = sink.finish();
        assert_eq!((image.width, image.height), (3, 2));
        // Cell 0: 1 of 4 black; cell 1: 2 of 4; cell 2: 1 of 2; second row cell 2: 1 of 1.
        assert_eq!(image.data, [255 - 63, 255 - 127, 255 - 127, 255, 255, 0]);
    }

    #[test]
    fn missing_rows_stay_white() {
        let mut sink = RowSink::gray(3, 3);
        sink.push_gray(&[0, 0, 0]);
        let image = sink.finish();
        assert_eq!(image.data, [0, 0, 0, 255, 255, 255, 255, 255, 255]);
    }

    #[test]
    fn flip_and_paint() {
        let mut image = RawImage {
            width: 2,
            height: 3,
            format: PixelFormat::Gray8,
            data: vec![1, 2, 3, 4, 5, 6],
        };
        flip_rows(&mut image);
        assert_eq!(image.data, [5, 6, 3, 4, 1, 2]);

        let mut canvas = RawImage {
            width: 12,
            height: 2,
            format: PixelFormat::Bilevel,
            data: vec![0; 4],
        };
        let part = RawImage {
            width: 3,
            height: 1,
            format: PixelFormat::Bilevel,
            data: vec![0b1010_0000],
        };
        paint_bilevel(&mut canvas, &part, 7, 1);
        paint_bilevel(&mut canvas, &part, -2, 0);
        assert_eq!(canvas.data, [0b1000_0000, 0, 0b0000_0001, 0b0100_0000]);
    }
}
