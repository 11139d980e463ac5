//! A crop meant to hold one line of text, narrowed to that line before a recogniser reads it as
//! one line. Both recognisers guess a line's height and baseline from all the ink in the crop:
//! the foot of the label printed above a value and the edge of the grid box beside it make
//! Tesseract read `NBC2291220866` as `‘|nisc2291220866` (measured on 100-dpi faxes, where the
//! neural reader's line boxes, grown by its detector, reach the label above). Pure arithmetic on
//! grey pixels: no recogniser, no notice.

use image::GrayImage;
use imageproc::contrast::otsu_level;

use super::Area;

/// `area` of `picture` narrowed to the line of text through its middle: the rows of that line
/// with a margin of two fifths of its height (what a recogniser wants around a line), and without
/// the ruled lines at its sides. `area` as it is when its middle holds no line, or it has no ink.
pub fn one_line(picture: &GrayImage, area: Area) -> Area {
    let Some(ink) = Ink::of(picture, area) else {
        return area;
    };
    let Some((top, bottom)) = ink.line_rows() else {
        return area;
    };
    let (left, right) = ink.inside_rules(top, bottom);
    let margin = (bottom - top) * 2 / 5;
    let top = top.saturating_sub(margin);
    let bottom = (bottom + margin).min(ink.height);
    Area {
        left: area.left + left,
        top: area.top + top,
        width: right - left,
        height: bottom - top,
    }
}

/// The dark pixels of an area, as rows of booleans.
struct Ink {
    width: u32,
    height: u32,
    dark: Vec<bool>,
}

/// Below this contrast (grey levels between the darkest and lightest pixel) an area holds no
/// print to find a line in.
const MIN_CONTRAST: u8 = 48;

impl Ink {
    fn of(picture: &GrayImage, area: Area) -> Option<Ink> {
        let right = (area.left + area.width).min(picture.width());
        let bottom = (area.top + area.height).min(picture.height());
        if right <= area.left + 8 || bottom <= area.top + 8 {
            return None;
        }
        let crop = image::imageops::crop_imm(
            picture,
            area.left,
            area.top,
            right - area.left,
            bottom - area.top,
        )
        .to_image();
        let (lo, hi) = crop
            .pixels()
            .fold((u8::MAX, 0), |(lo, hi), p| (lo.min(p.0[0]), hi.max(p.0[0])));
        if hi.saturating_sub(lo) < MIN_CONTRAST {
            return None;
        }
        let level = otsu_level(&crop);
        let (width, height) = crop.dimensions();
        let dark: Vec<bool> = crop.pixels().map(|p| p.0[0] <= level).collect();
        Some(Ink {
            width,
            height,
            dark,
        })
    }

    fn is_dark(&self, x: u32, y: u32) -> bool {
        self.dark[(y * self.width + x) as usize]
    }

    fn row_ink(&self, y: u32) -> u32 {
        (0..self.width).filter(|&x| self.is_dark(x, y)).count() as u32
    }

    /// The rows, `top..bottom`, of the band of inked rows at the middle of the area (or the
    /// nearest to it within a quarter of its height). A row is inked when it holds a good part of
    /// the ink of the area's darkest row above what most rows hold (specks, a screened or
    /// watermarked background); a row dark across most of the width is a ruled line and ends
    /// the band.
    fn line_rows(&self) -> Option<(u32, u32)> {
        let rows: Vec<u32> = (0..self.height).map(|y| self.row_ink(y)).collect();
        let is_rule = |ink: u32| ink as f32 >= RULE_SHARE * self.width as f32;
        let mut sorted: Vec<u32> = rows.iter().copied().filter(|&i| !is_rule(i)).collect();
        sorted.sort_unstable();
        let background = *sorted.get(sorted.len() / 5)?;
        let peak = *sorted.last()?;
        let speck = (self.width / 100).max(1);
        let floor = (background + (peak - background) / 4).max(background + speck);
        let inked = |y: u32| {
            let ink = rows[y as usize];
            ink > floor && !is_rule(ink)
        };
        let middle = self.height / 2;
        let reach = self.height / 4;
        let start = (0..=reach)
            .flat_map(|d| [middle.checked_sub(d), Some(middle + d)])
            .flatten()
            .find(|&y| y < self.height && inked(y))?;
        let top = (0..start).rev().find(|&y| !inked(y)).map_or(0, |y| y + 1);
        let bottom = (start..self.height)
            .find(|&y| !inked(y))
            .unwrap_or(self.height);
        Some((top, bottom))
    }

    /// The columns, `left..right`, of the line in rows `top..bottom`: between the ruled lines
    /// beside it (none: the whole width).
    fn inside_rules(&self, top: u32, bottom: u32) -> (u32, u32) {
        let line = bottom - top;
        let rule: Vec<bool> = (0..self.width)
            .map(|x| self.longest_stroke(x, 0..self.height, RULE_WOBBLE) >= 2 * line)
            .collect();
        // Specks and a screened background put dots of ink everywhere; a letter, strokes.
        let text_in =
            |x: u32| !rule[x as usize] && self.longest_stroke(x, top..bottom, 0) * 4 >= line;
        let Some(first) = (0..self.width).find(|&x| text_in(x)) else {
            return (0, self.width);
        };
        let last = (0..self.width).rev().find(|&x| text_in(x)).unwrap_or(first);
        let left = (0..first)
            .rev()
            .find(|&x| rule[x as usize])
            .map_or(0, |x| x + 1);
        let right = (last + 1..self.width)
            .find(|&x| rule[x as usize])
            .unwrap_or(self.width);
        (left, right)
    }

    /// The longest run of `rows` dark at column `x` or up to `wobble` columns beside it (a
    /// scanned edge wobbles), a one-row break bridged (a fax drops a row). A letter's stroke is
    /// at most the line's height, a box edge runs well past it (a label's letters above stand
    /// apart from the value's), and a speck or a screen's dot is a pixel or two.
    fn longest_stroke(&self, x: u32, rows: std::ops::Range<u32>, wobble: u32) -> u32 {
        let columns = x.saturating_sub(wobble)..(x + wobble + 1).min(self.width);
        let (mut longest, mut run, mut gap) = (0, 0, 0);
        for y in rows {
            if columns.clone().any(|c| self.is_dark(c, y)) {
                run += 1 + gap;
                gap = 0;
                longest = longest.max(run);
            } else if gap == 0 && run > 0 {
                gap = 1;
            } else {
                (run, gap) = (0, 0);
            }
        }
        longest
    }
}

/// A row dark over this share of the width is a ruled line.
const RULE_SHARE: f32 = 0.7;

/// Pixels a ruled line strays sideways from its straight course on a scan or fax.
const RULE_WOBBLE: u32 = 1;

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    /// White paper with dark rectangles `(left, top, right, bottom)`.
    fn paper(width: u32, height: u32, marks: &[(u32, u32, u32, u32)]) -> GrayImage {
        GrayImage::from_fn(width, height, |x, y| {
            let dark = marks
                .iter()
                .any(|&(l, t, r, b)| x >= l && x < r && y >= t && y < b);
            Luma([if dark { 20 } else { 235 }])
        })
    }

    /// Letters of a line: short strokes with gaps, between rows `top` and `bottom`.
    fn letters(left: u32, right: u32, top: u32, bottom: u32) -> Vec<(u32, u32, u32, u32)> {
        (left..right)
            .step_by(12)
            .map(|x| (x, top, x + 5, bottom))
            .collect()
    }

    #[test]
    fn the_label_above_and_the_box_edge_beside_are_cut_off() {
        // A label's foot at the top, the value's line below, a box edge down the left side.
        let mut marks = letters(30, 150, 0, 6);
        marks.extend(letters(30, 280, 30, 56));
        marks.push((8, 0, 11, 90));
        let picture = paper(300, 90, &marks);
        let area = one_line(&picture, Area::whole(300, 90));
        assert_eq!(area.top, 30 - 10);
        assert_eq!(area.top + area.height, 56 + 10);
        assert!(
            (11..30).contains(&area.left),
            "{area:?}: past the edge, before the text"
        );
        assert_eq!(area.left + area.width, 300);
    }

    #[test]
    fn a_box_edge_a_fax_broke_and_that_ends_beside_the_line_is_cut_off_too() {
        let mut marks = letters(30, 280, 30, 56);
        // One row lost, and it wobbles a pixel to the side where it ends.
        marks.extend([(8, 0, 9, 22), (8, 23, 9, 56), (7, 56, 8, 62)]);
        let picture = paper(300, 90, &marks);
        let area = one_line(&picture, Area::whole(300, 90));
        assert!(
            (9..30).contains(&area.left),
            "{area:?}: past the edge, before the text"
        );
    }

    #[test]
    fn a_screened_background_does_not_widen_the_line() {
        // Every fourth pixel of every row dark: a halftone watermark under the text.
        let mut picture = paper(300, 90, &letters(30, 280, 30, 56));
        for (x, y, p) in picture.enumerate_pixels_mut() {
            if (x + y) % 4 == 0 {
                *p = Luma([20]);
            }
        }
        let area = one_line(&picture, Area::whole(300, 90));
        assert_eq!(area.top, 30 - 10);
        assert_eq!(area.top + area.height, 56 + 10);
    }

    #[test]
    fn a_line_with_nothing_around_it_keeps_its_margin() {
        let picture = paper(200, 40, &letters(20, 180, 10, 30));
        let area = one_line(&picture, Area::whole(200, 40));
        assert_eq!((area.top, area.height), (2, 36));
        assert_eq!((area.left, area.width), (0, 200));
    }

    #[test]
    fn an_area_of_a_larger_picture_stays_in_its_place() {
        let picture = paper(400, 300, &letters(120, 300, 150, 170));
        let area = Area {
            left: 100,
            top: 120,
            width: 220,
            height: 80,
        };
        let line = one_line(&picture, area);
        assert_eq!(line.top, 150 - 8);
        assert_eq!(line.top + line.height, 170 + 8);
        assert_eq!(line.left, 100);
    }

    #[test]
    fn a_ruled_line_under_the_text_ends_the_band() {
        let mut marks = letters(20, 180, 10, 30);
        marks.push((0, 30, 200, 33));
        let picture = paper(200, 50, &marks);
        let area = one_line(&picture, Area::whole(200, 50));
        assert_eq!(area.top + area.height, 30 + 8);
    }

    #[test]
    fn blank_or_flat_areas_are_left_as_they_are() {
        let area = Area::whole(200, 40);
        assert_eq!(one_line(&paper(200, 40, &[]), area), area);
        // Ink only far from the middle: the middle holds no line.
        let picture = paper(200, 80, &letters(20, 180, 0, 6));
        assert_eq!(
            one_line(&picture, Area::whole(200, 80)),
            Area::whole(200, 80)
        );
    }
}
