//! Undoing a sheet's perspective: the quadrilateral the camera saw is mapped onto an upright
//! rectangle of the page's proportions (Letter when it is close to Letter, as USCIS notices are;
//! as measured otherwise).
//!
//! Invariant: the result never has more pixels than the sheet had across in the picture (no
//! invented detail), and at most [`MAX_DPI`] worth of them.

use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{Border, Interpolation, Projection, warp_into};

use super::sheet::Quad;
use super::{LETTER_ASPECT, LETTER_WIDTH_INCHES};

/// A sheet whose measured proportions (long side over short) are in this range is taken to be
/// Letter: the measurement is off by the camera's tilt, the paper is not. A phone held at an
/// angle foreshortens the side that runs away from it by up to a fifth, and when that is the
/// long side (a sheet photographed sideways) Letter's 1.29 is measured as low as 1.07.
const TAKEN_AS_LETTER: std::ops::RangeInclusive<f32> = 1.05..=1.45;
/// Most pixels per inch kept: the readers want less (the OCR stage scales to its own), and a
/// 48-megapixel phone photo would otherwise cost time for nothing.
const MAX_DPI: f32 = 300.0;

/// The sheet at `quad` in `picture`, flat. `None` when the quad cannot be mapped (degenerate).
pub fn rectify(picture: &GrayImage, quad: &Quad) -> Option<GrayImage> {
    let [top, right, bottom, left] = quad.sides();
    // The side nearer the camera shows the sheet's scale best; its shape, the mean of each pair.
    let (across, down) = (top.max(bottom), left.max(right));
    let (mean_across, mean_down) = ((top + bottom) / 2.0, (left + right) / 2.0);
    let short = across.min(down);
    let measured = mean_across.max(mean_down) / mean_across.min(mean_down).max(1.0);
    let aspect = if TAKEN_AS_LETTER.contains(&measured) {
        LETTER_ASPECT
    } else {
        measured
    };
    let short = short.min(MAX_DPI * LETTER_WIDTH_INCHES).round();
    let long = (short * aspect).round();
    let (width, height) = if mean_across <= mean_down {
        (short, long)
    } else {
        (long, short)
    };
    let target = [(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)];
    let projection = Projection::from_control_points(quad.corners, target)?;
    let mut flat = GrayImage::new(width as u32, height as u32);
    // Outside the sheet (a corner the camera cut off) is blank paper, not black.
    warp_into(
        picture,
        projection,
        Interpolation::Bilinear,
        Border::Constant(Luma([255])),
        &mut flat,
    );
    Some(flat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::flatten;

    #[test]
    fn a_sheet_in_perspective_comes_out_letter_shaped_and_upright() {
        // A grid of dark dots on the flat page; photographed in perspective, rectified, the dots
        // must be back on their grid.
        let (pw, ph) = (850u32, 1100u32);
        let page = GrayImage::from_fn(pw, ph, |x, y| {
            let on_dot = (x % 100).abs_diff(50) < 6 && (y % 100).abs_diff(50) < 6;
            Luma([if on_dot { 0 } else { 230 }])
        });
        let corners = [
            (500.0, 300.0),
            (1500.0, 330.0),
            (1560.0, 1650.0),
            (430.0, 1620.0),
        ];
        let to_photo = Projection::from_control_points(
            [
                (0.0, 0.0),
                (pw as f32, 0.0),
                (pw as f32, ph as f32),
                (0.0, ph as f32),
            ],
            corners,
        )
        .unwrap();
        let mut photo = GrayImage::from_pixel(2000, 2200, Luma([60]));
        // Paper only where the page lands: warp onto the dark table.
        let mut paper = GrayImage::from_pixel(2000, 2200, Luma([0]));
        warp_into(
            &page,
            to_photo,
            Interpolation::Bilinear,
            Border::Constant(Luma([1])),
            &mut paper,
        );
        for (p, q) in photo.pixels_mut().zip(paper.pixels()) {
            if q.0[0] != 1 {
                *p = *q;
            }
        }
        let flat = flatten(&photo).expect("the sheet is found");
        let ratio = flat.image.height() as f32 / flat.image.width() as f32;
        assert!((ratio - LETTER_ASPECT).abs() < 0.01, "{ratio}");
        // Dots where the grid puts them, scaled to the flat page's size.
        let scale = flat.image.width() as f32 / pw as f32;
        for (gx, gy) in [(50, 50), (450, 550), (750, 1050), (150, 950)] {
            let (x, y) = ((gx as f32 * scale) as u32, (gy as f32 * scale) as u32);
            let dark = (0..25).any(|d| {
                let (dx, dy) = (d % 5 * 5, d / 5 * 5);
                let (px, py) = ((x + dx).saturating_sub(10), (y + dy).saturating_sub(10));
                flat.image.get_pixel(px, py).0[0] < 120
            });
            assert!(dark, "dot at {gx},{gy} (pixel {x},{y}) is where it belongs");
        }
        // The page's width measured from the sheet, not from any file.
        assert!((flat.dpi - flat.image.width() as f32 / 8.5).abs() < 0.01);
    }

    #[test]
    fn a_huge_photo_is_not_kept_beyond_300_dpi() {
        let quad = Quad {
            corners: [(0.0, 0.0), (6000.0, 0.0), (6000.0, 7765.0), (0.0, 7765.0)],
        };
        let picture = GrayImage::from_pixel(6000, 7765, Luma([200]));
        let flat = rectify(&picture, &quad).unwrap();
        assert_eq!(flat.width(), 2550);
        assert_eq!(flat.height(), (2550.0 * LETTER_ASPECT).round() as u32);
    }
}
