//! Preparing a decoded picture for Tesseract: upright as the file says, grey, even lighting,
//! straight, at the resolution Tesseract reads best; and where to cut it into the field region
//! and the rest.
//!
//! Invariant: the prepared page is 1-bit (a black-and-white scan at a resolution that is kept)
//! or 8-bit grey without colormap, at most
//! [`MAX_WORK_PIXELS`] pixels, and its `dpi` is the resolution it now has.

#![deny(unsafe_code)]

use std::ops::RangeInclusive;

use super::decode::{Decoded, page_dpi};
use super::sys::pix::Pix;
use crate::ocr::OcrError;

/// Pages outside [`KEEP_DPI`] are scaled to this. Tesseract scales every text line to the same
/// height before recognising it, so pixels beyond what keeps strokes apart cost time in
/// thresholding and layout analysis and add nothing: reading 300-dpi grey scans at 240 took 11%
/// less CPU, and enlarging 150-dpi scans to 240 rather than 300 another 9%, with the same numbers
/// and fields found on the samples and on a held-out set of 69 scanned pages (bench/ocr.md).
pub const TARGET_DPI: f32 = 240.0;

/// Resolutions read as they are. 150 dpi and below lose words, so those are enlarged.
const KEEP_DPI: RangeInclusive<f32> = 190.0..=260.0;

/// The most pixels a prepared page may have (a tabloid page at 300 dpi is 15 million), so an
/// absurd page size cannot make Tesseract's own copies exhaust memory.
pub const MAX_WORK_PIXELS: f64 = 36e6;

/// A page ready to read.
#[derive(Debug)]
pub struct Page {
    pub pix: Pix,
    /// Pixels per inch of `pix`.
    pub dpi: u32,
}

/// Fewest pixels across a picture worth reading: one line of small print at 72 dpi.
const MIN_SIDE: u32 = 8;

fn failed(step: &str) -> OcrError {
    OcrError::Engine(format!("image preparation failed ({step})"))
}

/// Prepares a decoded picture, turning it `quarter_turns` clockwise first.
pub fn prepare(decoded: Decoded, quarter_turns: u8) -> Result<Page, OcrError> {
    let Decoded {
        mut pix,
        declared_dpi,
        bilevel,
        pixel_height,
    } = decoded;
    // Square pixels first: a standard-mode fax's rows are twice as far apart as its columns, and
    // squashed text is read as badly as the orientation is guessed from it.
    if pixel_height != 1.0 {
        pix = pix
            .stretch_rows(pixel_height)
            .ok_or_else(|| failed("stretch"))?;
    }
    if pix.depth() == 32 && pix.samples_per_pixel() == 4 {
        pix = pix.without_alpha().ok_or_else(|| failed("alpha"))?;
    }
    if !matches!(pix.depth(), 1 | 8) || pix.has_colormap() {
        pix = pix.to_gray().ok_or_else(|| failed("grey"))?;
    }
    // A photo of a sheet on a table: the sheet cut out, flat, its resolution measured from its
    // width (what the file declares is the camera's, not the page's).
    let mut declared_dpi = declared_dpi;
    if !bilevel && let Some(flat) = flattened(&pix) {
        (pix, declared_dpi) = (flat.0, Some(flat.1));
    }
    // A sliver (a damaged page box, a rule drawn as an image) cannot hold a line of text, and
    // Leptonica's scaling and deskewing refuse it with no reason given.
    if pix.width().min(pix.height()) < MIN_SIDE {
        return Err(OcrError::TooSmall {
            width: pix.width(),
            height: pix.height(),
        });
    }
    let dpi = page_dpi(pix.width(), pix.height(), declared_dpi);
    // A clean black-and-white scan above the range is read as it is: shrinking it makes it grey,
    // which Tesseract reads more slowly (it must threshold it again).
    let keep = KEEP_DPI.contains(&dpi) || (dpi > *KEEP_DPI.end() && pix.depth() == 1);
    let mut scale = if keep { 1.0 } else { TARGET_DPI / dpi };
    let pixels = f64::from(pix.width()) * f64::from(pix.height()) * f64::from(scale * scale);
    if pixels > MAX_WORK_PIXELS {
        scale *= (MAX_WORK_PIXELS / pixels).sqrt() as f32;
    }
    if scale != 1.0 {
        if pix.depth() == 1 && scale > 1.0 {
            // Enlarging 1-bit pixels only replicates them; enlarge grey, which interpolates.
            pix = pix.to_gray().ok_or_else(|| failed("grey"))?;
        }
        pix = pix.scale(scale).ok_or_else(|| failed("scale"))?;
    }
    if !quarter_turns.is_multiple_of(4) {
        pix = pix
            .rotate_quarters(quarter_turns)
            .ok_or_else(|| failed("rotate"))?;
    }
    let page = Page {
        dpi: (dpi * scale).round() as u32,
        pix,
    };
    finish(page, !bilevel)
}

/// Longest side of the copy the sheet is looked for in (see [`crate::geometry`]).
const SHEET_SEARCH_SIDE: f32 = 640.0;

/// The flat page and its resolution when `pix` (8-bit grey) is a picture of a sheet on a
/// background; `None` when it is the page already. The sheet is looked for in a small copy, so a
/// page that is already flat pays only for that copy and one look at it.
fn flattened(pix: &Pix) -> Option<(Pix, f32)> {
    let long = pix.width().max(pix.height()) as f32;
    let factor = (SHEET_SEARCH_SIDE / long).min(1.0);
    let small = if factor < 1.0 {
        pix.scale(factor)?
    } else {
        pix.to_gray()?
    };
    let quad = crate::geometry::find_sheet(&small.to_gray_image()?)?.in_original(factor);
    let flat = crate::geometry::flat_page(&pix.to_gray_image()?, quad)?;
    Some((Pix::from_gray_image(&flat.image)?, flat.dpi))
}

/// Evens out lighting (for pictures that were not black and white to begin with) and
/// straightens the page. Also used after an orientation fix.
pub fn finish(page: Page, normalize: bool) -> Result<Page, OcrError> {
    let Page { mut pix, dpi, .. } = page;
    if normalize && pix.depth() == 8 {
        // Leptonica refuses pages too small for its tiles; those are read as they are.
        if let Some(even) = pix.normalize_background() {
            pix = even;
        }
        if let Some(strong) = full_contrast(&pix) {
            pix = strong;
        }
    }
    let (pix, _angle) = pix.deskew().ok_or_else(|| failed("deskew"))?;
    Ok(Page { pix, dpi })
}

/// Share of a page's pixels taken as the darkest ink: text covers a few percent of a notice.
const INK_RANK: f32 = 0.01;

/// Fewer grey levels than this between ink and paper is a blank sheet's grain, not text.
const MIN_INK_CONTRAST: u8 = 40;

/// The page with its ink made black and its paper white. A light copy (grey toner on grey paper)
/// keeps some 50 levels between the two after the background is evened out, and Tesseract then
/// finds no text at all in the header grid, where the rules and the paper's grain sit beside
/// faint letters; stretched, the same page reads in full. `None` for a page without ink.
fn full_contrast(pix: &Pix) -> Option<Pix> {
    let ink = pix.rank_value(INK_RANK)?;
    let paper = pix.rank_value(0.5)?;
    if paper.saturating_sub(ink) < MIN_INK_CONTRAST {
        return None;
    }
    pix.stretched(ink, paper)
}

/// A copy of the page turned `quarters` × 90° clockwise and straightened again (a sideways
/// page's tilt could not be measured before).
pub fn turned(page: &Page, quarters: u8) -> Result<Page, OcrError> {
    let pix = page
        .pix
        .rotate_quarters(quarters)
        .ok_or_else(|| failed("rotate"))?;
    finish(Page { pix, dpi: page.dpi }, false)
}

/// Pages shorter than this many inches are read in one go.
const MIN_SPLIT_INCHES: f32 = 4.0;

/// Where the field region ends: a blank row between text lines near `fraction` of the height, so
/// no line is cut in two. `None` for a page too short to be worth splitting.
pub fn split_row(page: &Page, fraction: f32) -> Option<u32> {
    let (width, height) = (page.pix.width(), page.pix.height());
    if (height as f32) < MIN_SPLIT_INCHES * page.dpi as f32 {
        return None;
    }
    let target = (height as f32 * fraction) as u32;
    let low = (height as f32 * (fraction - 0.06)) as u32;
    let high = (height as f32 * (fraction + 0.08)).min(height as f32 - 1.0) as u32;
    let band = page.pix.crop(0, low, width, high - low)?;
    let band = if band.depth() == 1 {
        band
    } else {
        band.to_binary(128)?
    };
    let ink: Vec<u32> = (0..band.height())
        .map(|y| dark_pixels(band.row(y), width))
        .collect();
    let min_gap = (page.dpi / 30).max(3) as usize;
    best_gap(&ink, (width / 500).max(1), min_gap, (target - low) as usize)
        .map(|row| low + row as u32)
}

/// Number of 1 bits among the first `width` pixels of a 1-bit row.
fn dark_pixels(row: &[u32], width: u32) -> u32 {
    let full = (width / 32) as usize;
    let mut count: u32 = row[..full].iter().map(|w| w.count_ones()).sum();
    let rest = width % 32;
    if rest > 0 {
        count += (row[full] >> (32 - rest)).count_ones();
    }
    count
}

/// The middle of the run of near-blank rows (at most `blank` dark pixels) of at least `min_gap`
/// rows nearest `target`; failing that, the least inked row.
fn best_gap(ink: &[u32], blank: u32, min_gap: usize, target: usize) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None; // (distance, row)
    let mut start = None;
    for (row, &count) in ink.iter().chain(std::iter::once(&u32::MAX)).enumerate() {
        match (count <= blank, start) {
            (true, None) => start = Some(row),
            (false, Some(first)) => {
                if row - first >= min_gap {
                    let middle = (first + row) / 2;
                    let distance = middle.abs_diff(target);
                    if best.is_none_or(|(d, _)| distance < d) {
                        best = Some((distance, middle));
                    }
                }
                start = None;
            }
            _ => {}
        }
    }
    best.map(|(_, row)| row).or_else(|| {
        ink.iter()
            .enumerate()
            .min_by_key(|&(row, &count)| (count, row.abs_diff(target)))
            .map(|(row, _)| row)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_nearest_the_target_wins() {
        // Text rows (ink 50) with blank gaps at 10..20 and 40..60.
        let mut ink = vec![50u32; 80];
        ink[10..20].fill(0);
        ink[40..60].fill(0);
        assert_eq!(best_gap(&ink, 1, 5, 40), Some(50));
        assert_eq!(best_gap(&ink, 1, 5, 12), Some(15));
    }

    #[test]
    fn gaps_too_thin_are_ignored_and_least_ink_is_the_fallback() {
        let mut ink = vec![50u32; 40];
        ink[10..12].fill(0); // too thin
        ink[30] = 3;
        // Rows 10 and 11 are the blankest; 11 is nearer the target.
        assert_eq!(best_gap(&ink, 1, 5, 20), Some(11));
        let ink = vec![9, 8, 7, 8, 9];
        assert_eq!(best_gap(&ink, 1, 2, 0), Some(2));
    }

    #[test]
    fn dark_pixels_ignore_row_padding() {
        // 40 pixels: word 0 all black, word 1 has 8 real pixels (all black) and padding set.
        assert_eq!(dark_pixels(&[u32::MAX, u32::MAX], 40), 40);
        assert_eq!(dark_pixels(&[0, 0x8000_0000], 33), 1);
    }

    /// A black-and-white page at `dpi`: 20-pixel black bars every 60 rows.
    fn striped_bilevel(width: u32, height: u32, dpi: f32) -> Decoded {
        let pix = Pix::from_rows(width, height, 1, |y, words| {
            if y % 60 < 20 {
                words[10..50].fill(u32::MAX)
            }
        })
        .unwrap();
        Decoded {
            pix,
            declared_dpi: Some(dpi),
            bilevel: true,
            pixel_height: 1.0,
        }
    }

    /// Width, height, depth and dpi of the striped page prepared.
    fn prepared_stripes(width: u32, height: u32, dpi: f32) -> [u32; 4] {
        let page = prepare(striped_bilevel(width, height, dpi), 0).unwrap();
        [
            page.pix.width(),
            page.pix.height(),
            page.pix.depth(),
            page.dpi,
        ]
    }

    #[test]
    fn bilevel_pages_at_good_resolutions_are_kept_as_they_are() {
        assert_eq!(prepared_stripes(1700, 2200, 200.0), [1700, 2200, 1, 200]);
        assert_eq!(prepared_stripes(2550, 3300, 300.0), [2550, 3300, 1, 300]);
    }

    #[test]
    fn a_standard_mode_fax_gets_square_pixels_before_anything_else() {
        // 204 × 98 dpi: a Letter page stored as 1734 × 1078 pixels.
        let decoded = Decoded {
            pixel_height: 204.0 / 98.0,
            ..striped_bilevel(1734, 1078, 204.0)
        };
        let page = prepare(decoded, 0).unwrap();
        assert_eq!(page.pix.width(), 1734);
        assert!(
            (2236..=2246).contains(&page.pix.height()),
            "{}",
            page.pix.height()
        );
        assert_eq!(page.dpi, 204);
    }

    #[test]
    fn grey_page_at_300_dpi_is_read_at_240() {
        let pix = Pix::from_rows(2550, 3300, 8, |_, words| words.fill(u32::MAX)).unwrap();
        let decoded = Decoded {
            pix,
            declared_dpi: Some(300.0),
            bilevel: false,
            pixel_height: 1.0,
        };
        let page = prepare(decoded, 0).unwrap();
        assert_eq!((page.pix.width(), page.pix.height()), (2040, 2640));
        assert_eq!(page.dpi, 240);
    }

    #[test]
    fn low_resolution_page_is_enlarged_to_grey_and_turned() {
        let pix = Pix::from_rows(850, 1100, 1, |_, _| {}).unwrap();
        let decoded = Decoded {
            pix,
            declared_dpi: Some(100.0),
            bilevel: true,
            pixel_height: 1.0,
        };
        let page = prepare(decoded, 1).unwrap();
        assert_eq!(page.pix.depth(), 8);
        assert_eq!((page.pix.width(), page.pix.height()), (2640, 2040));
        assert_eq!(page.dpi, 240);
    }

    #[test]
    fn a_sliver_is_refused_in_plain_words() {
        // A 7 × 92,612 pt page box rendered within the renderer's limits: 1 pixel wide.
        let pix = Pix::from_rows(1, 20_000, 8, |_, _| {}).unwrap();
        let decoded = Decoded {
            pix,
            declared_dpi: Some(15.0),
            bilevel: false,
            pixel_height: 1.0,
        };
        let error = prepare(decoded, 0).unwrap_err();
        assert_eq!(
            error.to_string(),
            "image is too small or too thin to hold text (1×20000 pixels)"
        );
    }

    #[test]
    fn oversized_page_is_capped() {
        // 9,000 × 9,000 at 450 dpi: a 20-inch square sheet, read at its own resolution it
        // would be 81 Mpx.
        let pix = Pix::from_rows(9_000, 9_000, 1, |_, _| {}).unwrap();
        let decoded = Decoded {
            pix,
            declared_dpi: Some(450.0),
            bilevel: true,
            pixel_height: 1.0,
        };
        let page = prepare(decoded, 0).unwrap();
        let pixels = f64::from(page.pix.width()) * f64::from(page.pix.height());
        assert!(pixels <= MAX_WORK_PIXELS * 1.01, "{pixels}");
        assert!(page.dpi < 450);
    }
}
