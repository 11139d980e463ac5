//! Neural reader, detection post-processing: the text detector's probability map in, text-line
//! boxes out (DB post-processing). Pure: no model, no files; boxes are in the map's pixel grid,
//! and the caller scales them to the page.
//!
//! The detector (a DBNet) marks each text line *shrunk*: a core narrower and shorter than the ink.
//! So the map is thresholded, split into connected regions, each region scored by the mean
//! probability inside its box, and the survivors grown back ("unclipped") by the distance
//! `area × ratio / perimeter`, the inverse of the shrink the model was trained with.

use image::{GrayImage, Luma};
use imageproc::morphology::{Mask, grayscale_dilate};
use imageproc::region_labelling::{Connectivity, connected_components};

/// The detector's output for one page: text probability (0–1) per pixel, rows top to bottom.
#[derive(Clone, Copy, Debug)]
pub struct ProbabilityMap<'a> {
    pub width: usize,
    pub height: usize,
    pub data: &'a [f32],
}

impl ProbabilityMap<'_> {
    fn at(&self, x: usize, y: usize) -> f32 {
        self.data[y * self.width + x]
    }
}

/// Settings of the post-processing. The defaults are PP-OCR's published ones for its detector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DetectOptions {
    /// A pixel is text when its probability is above this.
    pub threshold: f32,
    /// A region is kept when the mean probability inside its box is at least this.
    pub box_threshold: f32,
    /// How far a region is grown back: `area × unclip_ratio / perimeter` pixels on every side.
    pub unclip_ratio: f32,
    /// Regions whose shorter side (before growing) is under this many pixels are noise.
    pub min_size: f32,
    /// At most this many regions are looked at (the largest first), against pathological maps.
    pub max_boxes: usize,
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 1.6,
            min_size: 3.0,
            max_boxes: 1000,
        }
    }
}

/// An axis-aligned text box: edges in pixels (right and bottom exclusive), and the mean text
/// probability of the region it came from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextBox {
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub score: f32,
}

impl TextBox {
    pub fn width(&self) -> f32 {
        self.right - self.left
    }

    pub fn height(&self) -> f32 {
        self.bottom - self.top
    }

    /// This box in another pixel grid: coordinates multiplied by `sx`, `sy`, then clipped to
    /// `width` × `height`.
    pub fn scaled(&self, sx: f32, sy: f32, width: f32, height: f32) -> TextBox {
        TextBox {
            left: (self.left * sx).clamp(0.0, width),
            top: (self.top * sy).clamp(0.0, height),
            right: (self.right * sx).clamp(0.0, width),
            bottom: (self.bottom * sy).clamp(0.0, height),
            score: self.score,
        }
    }
}

/// Finds the text lines in `map`, in reading order (top to bottom, then left to right).
pub fn find_boxes(map: &ProbabilityMap, options: &DetectOptions) -> Vec<TextBox> {
    let (width, height) = (map.width, map.height);
    if width == 0 || height == 0 || map.data.len() != width * height {
        return Vec::new();
    }
    let bitmap = GrayImage::from_fn(width as u32, height as u32, |x, y| {
        Luma([u8::from(map.at(x as usize, y as usize) > options.threshold) * 255])
    });
    // A 2 × 2 dilation (as PP-OCR's own post-processing does) joins the characters of a line
    // whose cores the model left apart; a wider one would join a line to the next.
    let bitmap = grayscale_dilate(
        &bitmap,
        &Mask::from_image(&GrayImage::from_pixel(2, 2, Luma([255])), 0, 0),
    );
    let labels = connected_components(&bitmap, Connectivity::Eight, Luma([0u8]));

    // Bounds of each region: label → (min x, min y, max x, max y, pixel count).
    let mut regions: Vec<(u32, u32, u32, u32, u32)> = Vec::new();
    for (x, y, label) in labels.enumerate_pixels() {
        let label = label.0[0] as usize;
        if label == 0 {
            continue;
        }
        if regions.len() < label {
            regions.resize(label, (u32::MAX, u32::MAX, 0, 0, 0));
        }
        let region = &mut regions[label - 1];
        region.0 = region.0.min(x);
        region.1 = region.1.min(y);
        region.2 = region.2.max(x);
        region.3 = region.3.max(y);
        region.4 += 1;
    }
    regions.sort_by_key(|region| std::cmp::Reverse(region.4));
    regions.truncate(options.max_boxes);

    let mut boxes: Vec<TextBox> = regions
        .iter()
        .filter_map(|&(x0, y0, x1, y1, _)| {
            let (w, h) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
            if w.min(h) < options.min_size {
                return None;
            }
            let score = mean_inside(map, x0, y0, x1, y1);
            if score < options.box_threshold {
                return None;
            }
            let grow = w * h * options.unclip_ratio / (2.0 * (w + h));
            Some(
                TextBox {
                    left: x0 as f32 - grow,
                    top: y0 as f32 - grow,
                    right: x1 as f32 + 1.0 + grow,
                    bottom: y1 as f32 + 1.0 + grow,
                    score,
                }
                .scaled(1.0, 1.0, width as f32, height as f32),
            )
        })
        .collect();
    sort_reading_order(&mut boxes);
    boxes
}

/// Mean probability over the rectangle (inclusive bounds).
fn mean_inside(map: &ProbabilityMap, x0: u32, y0: u32, x1: u32, y1: u32) -> f32 {
    let mut sum = 0.0f64;
    for y in y0 as usize..=y1 as usize {
        let row = &map.data[y * map.width + x0 as usize..=y * map.width + x1 as usize];
        sum += row.iter().map(|&p| f64::from(p)).sum::<f64>();
    }
    let count = f64::from(x1 - x0 + 1) * f64::from(y1 - y0 + 1);
    (sum / count) as f32
}

/// Top to bottom; boxes whose vertical centres are within half a line of each other count as one
/// line and go left to right.
fn sort_reading_order(boxes: &mut [TextBox]) {
    boxes.sort_by(|a, b| a.top.total_cmp(&b.top));
    // Insertion pass: swap neighbours on the same line that are out of left-to-right order.
    for i in 1..boxes.len() {
        let mut j = i;
        while j > 0 {
            let (a, b) = (boxes[j - 1], boxes[j]);
            let centre = |t: &TextBox| (t.top + t.bottom) / 2.0;
            let same_line = (centre(&a) - centre(&b)).abs() < a.height().min(b.height()) / 2.0;
            if same_line && b.left < a.left {
                boxes.swap(j - 1, j);
                j -= 1;
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map of `width` × `height` with the given rectangles (x0, y0, x1, y1 exclusive) filled with
    /// probability `p`, on a faint background.
    fn map_with(
        width: usize,
        height: usize,
        rects: &[(usize, usize, usize, usize, f32)],
    ) -> Vec<f32> {
        let mut data = vec![0.02; width * height];
        for &(x0, y0, x1, y1, p) in rects {
            for y in y0..y1 {
                for x in x0..x1 {
                    data[y * width + x] = p;
                }
            }
        }
        data
    }

    /// The boxes found, with the default options, on a map of `w × h` holding `lines`.
    fn boxes_in(w: usize, h: usize, lines: &[(usize, usize, usize, usize, f32)]) -> Vec<TextBox> {
        let data = map_with(w, h, lines);
        let map = ProbabilityMap {
            width: w,
            height: h,
            data: &data,
        };
        find_boxes(&map, &DetectOptions::default())
    }

    /// What the post-processing must give back for a core of `w` × `h` starting at (x0, y0): the
    /// core dilated by one pixel (to the left and up, or to the right and down: 0.5 px either
    /// way is within every tolerance below), then grown by area × 1.6 / perimeter.
    fn grown(x0: f32, y0: f32, w: f32, h: f32) -> (f32, f32, f32, f32) {
        let (x0, y0, w, h) = (x0 - 0.5, y0 - 0.5, w + 1.0, h + 1.0);
        let d = w * h * 1.6 / (2.0 * (w + h));
        (x0 - d, y0 - d, x0 + w + d, y0 + h + d)
    }

    fn assert_near(found: &TextBox, want: (f32, f32, f32, f32), tolerance: f32) {
        let got = (found.left, found.top, found.right, found.bottom);
        let close = (got.0 - want.0).abs() <= tolerance
            && (got.1 - want.1).abs() <= tolerance
            && (got.2 - want.2).abs() <= tolerance
            && (got.3 - want.3).abs() <= tolerance;
        assert!(
            close,
            "box {got:?} is not within {tolerance} px of {want:?}"
        );
    }

    #[test]
    fn two_lines_are_found_grown_back_and_in_reading_order() {
        let (w, h) = (400, 200);
        // The second line is listed first, so the order must come from the sorting.
        let boxes = boxes_in(w, h, &[(30, 120, 330, 132, 0.9), (50, 40, 250, 52, 0.95)]);
        assert_eq!(boxes.len(), 2, "{boxes:?}");
        assert_near(&boxes[0], grown(50.0, 40.0, 200.0, 12.0), 1.0);
        assert_near(&boxes[1], grown(30.0, 120.0, 300.0, 12.0), 1.0);
        assert!(boxes[0].score > 0.8 && boxes[1].score > 0.8);
    }

    #[test]
    fn lines_three_pixels_apart_stay_apart() {
        let (w, h) = (300, 100);
        let boxes = boxes_in(w, h, &[(20, 20, 280, 30, 0.9), (20, 33, 280, 43, 0.9)]);
        assert_eq!(boxes.len(), 2, "{boxes:?}");
        assert!(boxes[0].top < boxes[1].top);
    }

    #[test]
    fn boxes_on_one_line_go_left_to_right() {
        let (w, h) = (400, 100);
        // Two fields on one line; the right one starts a pixel higher.
        let boxes = boxes_in(w, h, &[(220, 39, 380, 51, 0.9), (20, 40, 150, 52, 0.9)]);
        assert_eq!(boxes.len(), 2);
        assert!(boxes[0].left < boxes[1].left, "{boxes:?}");
    }

    #[test]
    fn weak_tiny_and_absent_regions_give_no_box() {
        let (w, h) = (300, 100);
        let data = map_with(
            w,
            h,
            &[
                (10, 10, 200, 22, 0.4),   // above the pixel threshold, below the box threshold
                (250, 50, 252, 52, 0.99), // a speck
            ],
        );
        let map = ProbabilityMap {
            width: w,
            height: h,
            data: &data,
        };
        assert!(find_boxes(&map, &DetectOptions::default()).is_empty());
        let empty = vec![0.0; w * h];
        let map = ProbabilityMap {
            width: w,
            height: h,
            data: &empty,
        };
        assert!(find_boxes(&map, &DetectOptions::default()).is_empty());
    }

    #[test]
    fn a_box_grown_past_the_edge_is_clipped_to_the_map() {
        let (w, h) = (200, 60);
        let boxes = boxes_in(w, h, &[(0, 2, 120, 14, 0.9)]);
        assert_eq!(boxes.len(), 1);
        assert_eq!((boxes[0].left, boxes[0].top), (0.0, 0.0));
        let want = grown(0.0, 2.0, 120.0, 12.0);
        assert!((boxes[0].right - want.2).abs() <= 1.0 && (boxes[0].bottom - want.3).abs() <= 1.0);
    }

    #[test]
    fn a_map_of_the_wrong_size_gives_nothing() {
        let data = vec![0.9; 10];
        let map = ProbabilityMap {
            width: 4,
            height: 4,
            data: &data,
        };
        assert!(find_boxes(&map, &DetectOptions::default()).is_empty());
    }
}
