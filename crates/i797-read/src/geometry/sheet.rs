//! Finding the sheet of paper in a picture: the bright, solid, page-shaped region that stands out
//! from a darker background on at least two sides, and its four corners.
//!
//! Invariant: looks only at a copy at most [`WORK_SIDE`] pixels long, and says `None` unless
//! every sign of a sheet on a table holds: a picture that is a page edge to edge, a crop of part
//! of a page, or a page on white is left alone.

use image::{GrayImage, Luma, imageops};
use imageproc::contrast::{ThresholdType, otsu_level, threshold};
use imageproc::filter::gaussian_blur_f32;
use imageproc::geometry::{
    approximate_polygon_dp, arc_length, contour_area, convex_hull, min_area_rect,
};
use imageproc::point::Point;
use imageproc::region_labelling::{Connectivity, connected_components};

/// Longest side of the copy the sheet is looked for in.
const WORK_SIDE: u32 = 640;
/// Share of the picture a sheet covers: less is a distant snapshot (too few pixels a character
/// to read anyway), more leaves no background to tell it by.
const SHEET_SHARE: std::ops::RangeInclusive<f32> = 0.2..=0.97;
/// Least share of the sheet's outline its bright region fills (text and the shadows of folds
/// make holes; a ragged non-page region fills far less).
const MIN_SOLIDITY: f32 = 0.8;
/// Long side over short side of what counts as a sheet: Letter is 1.29 and A4 1.41; a phone
/// held at an angle foreshortens the side running away from it by up to a fifth.
const PAGE_ASPECT: std::ops::RangeInclusive<f32> = 1.05..=1.6;
/// A side of the sheet counts as clear of the picture's edge when background shows beyond it
/// over at least this share of the picture's size.
const MARGIN_SHARE: f32 = 0.015;
/// Most bright pixels allowed outside the sheet, as a share of the outside: more means the
/// "background" is paper too (a page on a white desk, a crop).
const MAX_BRIGHT_OUTSIDE: f32 = 0.12;

/// A sheet's corners in picture pixels: top-left, top-right, bottom-right, bottom-left as the
/// picture shows them (not as the page reads: a sideways page is turned later).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quad {
    pub corners: [(f32, f32); 4],
}

impl Quad {
    /// The same corners in the picture that a copy `factor` times its size was made from.
    pub fn in_original(&self, factor: f32) -> Quad {
        Quad {
            corners: self.corners.map(|(x, y)| (x / factor, y / factor)),
        }
    }

    /// The area inside the corners (shoelace formula).
    pub fn area(&self) -> f32 {
        let c = self.corners;
        (0..4)
            .map(|i| {
                let (a, b) = (c[i], c[(i + 1) % 4]);
                a.0 * b.1 - b.0 * a.1
            })
            .sum::<f32>()
            .abs()
            / 2.0
    }

    /// How far `point` lies outside the quadrilateral (0 inside), for a convex one.
    pub fn outside_by(&self, point: (f32, f32)) -> f32 {
        let c = self.corners;
        let middle = mean(&c);
        (0..4)
            .map(|i| {
                let (a, b) = (c[i], c[(i + 1) % 4]);
                let length = distance(a, b).max(f32::EPSILON);
                let side = |p: (f32, f32)| {
                    ((b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0)) / length
                };
                // Outside is the side of the edge away from the middle.
                let inward = side(middle).signum();
                (-side(point) * inward).max(0.0)
            })
            .fold(0.0, f32::max)
    }

    /// Lengths of the top, right, bottom and left sides.
    pub fn sides(&self) -> [f32; 4] {
        let c = self.corners;
        std::array::from_fn(|i| distance(c[i], c[(i + 1) % 4]))
    }
}

/// The sheet in `picture`, if one stands out from a background.
pub fn find_sheet(picture: &GrayImage) -> Option<Quad> {
    let (width, height) = picture.dimensions();
    if width < 16 || height < 16 {
        return None;
    }
    let scale = (WORK_SIDE as f32 / width.max(height) as f32).min(1.0);
    let (w, h) = (
        ((width as f32 * scale).round() as u32).max(1),
        ((height as f32 * scale).round() as u32).max(1),
    );
    // Blurred so that print melts into its paper and the sheet is one bright region.
    let small = imageops::resize(picture, w, h, imageops::FilterType::Triangle);
    let small = gaussian_blur_f32(&small, 2.0);
    // Paper against the background; where the background has light parts of its own (white
    // checks of a tablecloth) that join the paper, paper against those: the split of the
    // bright pixels alone.
    let first = otsu_level(&small);
    [Some(first), otsu_above(&small, first)]
        .into_iter()
        .flatten()
        .find_map(|level| sheet_brighter_than(&small, level))
        .map(|quad| quad.in_original(scale))
}

/// The sheet as the pixels of `small` brighter than `level`, if they make one.
fn sheet_brighter_than(small: &GrayImage, level: u8) -> Option<Quad> {
    let (w, h) = small.dimensions();
    let bright = threshold(small, level, ThresholdType::Binary);
    let (label, area) = largest_region(&bright)?;
    let outline = region_outline(&label.0, label.1, w);
    let hull = convex_hull(outline);
    let hull_area = contour_area(&hull) as f32;
    let picture_area = (w * h) as f32;
    if !SHEET_SHARE.contains(&(hull_area / picture_area))
        || (area as f32) < MIN_SOLIDITY * hull_area
    {
        return None;
    }
    let quad = tightest_quad(hull, w, h)?;
    let [top, right, bottom, left] = quad.sides();
    let (across, down) = ((top + bottom) / 2.0, (left + right) / 2.0);
    let aspect = across.max(down) / across.min(down).max(1.0);
    if !PAGE_ASPECT.contains(&aspect) || !clear_on_two_sides(&quad, w, h) {
        return None;
    }
    // The "background" must be background: dark on the whole, not more paper.
    let bright_total = bright.pixels().filter(|p| p.0[0] > 0).count() as f32;
    let outside = (picture_area - hull_area).max(1.0);
    if (bright_total - area as f32).max(0.0) / outside > MAX_BRIGHT_OUTSIDE {
        return None;
    }
    Some(quad)
}

/// Otsu's split of the pixels brighter than `level` alone (`None` when there are too few).
fn otsu_above(image: &GrayImage, level: u8) -> Option<u8> {
    let mut histogram = [0u64; 256];
    for pixel in image.pixels().filter(|p| p.0[0] > level) {
        histogram[usize::from(pixel.0[0])] += 1;
    }
    let total: u64 = histogram.iter().sum();
    if total < 64 {
        return None;
    }
    let sum: f64 = histogram
        .iter()
        .enumerate()
        .map(|(v, &n)| v as f64 * n as f64)
        .sum();
    let (mut below, mut below_sum, mut best, mut best_level) = (0u64, 0.0f64, 0.0f64, None);
    for (value, &count) in histogram.iter().enumerate() {
        below += count;
        below_sum += value as f64 * count as f64;
        let above = total - below;
        if below == 0 || above == 0 {
            continue;
        }
        let mean_below = below_sum / below as f64;
        let mean_above = (sum - below_sum) / above as f64;
        let between = below as f64 * above as f64 * (mean_below - mean_above).powi(2);
        if between > best {
            (best, best_level) = (between, Some(value as u8));
        }
    }
    best_level
}

/// Labels of the bright regions, and the label and pixel count of the largest.
fn largest_region(bright: &GrayImage) -> Option<((Vec<u32>, u32), u32)> {
    let labels = connected_components(bright, Connectivity::Eight, Luma([0u8]));
    let mut counts: Vec<u32> = Vec::new();
    for pixel in labels.pixels() {
        let label = pixel.0[0] as usize;
        if label == 0 {
            continue;
        }
        if counts.len() <= label {
            counts.resize(label + 1, 0);
        }
        counts[label] += 1;
    }
    let (best, &area) = counts.iter().enumerate().max_by_key(|(_, count)| **count)?;
    (area > 0).then(|| ((labels.into_raw(), best as u32), area))
}

/// The leftmost and rightmost pixel of `label` on each row: all the convex hull needs.
fn region_outline(labels: &[u32], label: u32, width: u32) -> Vec<Point<i32>> {
    let mut points = Vec::new();
    for (y, row) in labels.chunks_exact(width as usize).enumerate() {
        let first = row.iter().position(|&l| l == label);
        let last = row.iter().rposition(|&l| l == label);
        if let (Some(first), Some(last)) = (first, last) {
            points.push(Point::new(first as i32, y as i32));
            points.push(Point::new(last as i32 + 1, y as i32));
        }
    }
    points
}

/// Four corners of a convex outline: the outline simplified (Douglas-Peucker, ever coarser)
/// until four points are left; failing that, the outline's points nearest the corners of its
/// smallest enclosing rectangle. Ordered clockwise from the one nearest the picture's top-left.
fn corners_of(hull: &[Point<i32>]) -> Option<Quad> {
    if hull.len() < 4 {
        return None;
    }
    let perimeter = arc_length(hull, true);
    let mut epsilon = 0.005 * perimeter;
    let mut corners: Vec<(f32, f32)> = Vec::new();
    while epsilon < 0.1 * perimeter {
        let simple = approximate_polygon_dp(hull, epsilon, true);
        if simple.len() <= 4 {
            if simple.len() == 4 {
                corners = simple.iter().map(|p| (p.x as f32, p.y as f32)).collect();
            }
            break;
        }
        epsilon *= 1.4;
    }
    if corners.len() != 4 {
        corners = min_area_rect(hull)
            .iter()
            .map(|target| {
                let t = (target.x as f32, target.y as f32);
                hull.iter()
                    .map(|p| (p.x as f32, p.y as f32))
                    .min_by(|a, b| distance(*a, t).total_cmp(&distance(*b, t)))
                    .unwrap_or(t)
            })
            .collect();
    }
    ordered(corners)
}

/// Pixels an outline may stand outside its quadrilateral (the blur's and the rounding's).
const OUTSIDE_TOLERANCE: f32 = 2.0;

/// The sheet's quadrilateral among those the outline's simplifications give (four of its points,
/// or its four longest sides extended; from its first point and from a corner): the smallest that
/// holds the whole outline, since one that lost a corner leaves the corner outside, and one
/// extended past a cut-off corner holds it. Failing that, the one the outline stands least
/// outside of.
fn tightest_quad(hull: Vec<Point<i32>>, width: u32, height: u32) -> Option<Quad> {
    let turned = from_a_corner(hull.clone());
    let candidates: Vec<Quad> = [&hull, &turned]
        .into_iter()
        .flat_map(|h| [corners_from_sides(h, width, height), corners_of(h)])
        .flatten()
        .collect();
    let points: Vec<(f32, f32)> = hull.iter().map(|p| (p.x as f32, p.y as f32)).collect();
    let outside = |q: &Quad| points.iter().map(|&p| q.outside_by(p)).fold(0.0, f32::max);
    let holding = candidates
        .iter()
        .filter(|q| outside(q) <= OUTSIDE_TOLERANCE)
        .min_by(|a, b| a.area().total_cmp(&b.area()));
    holding
        .or_else(|| {
            candidates
                .iter()
                .min_by(|a, b| outside(a).total_cmp(&outside(b)))
        })
        .copied()
}

/// `hull` starting at its point farthest from its middle, which is a corner of any
/// quadrilateral: Douglas-Peucker keeps the first point of a closed outline whatever it is, and
/// a start in the middle of a side cost the sheet a real corner.
fn from_a_corner(mut hull: Vec<Point<i32>>) -> Vec<Point<i32>> {
    let points: Vec<(f32, f32)> = hull.iter().map(|p| (p.x as f32, p.y as f32)).collect();
    let middle = mean(&points);
    let far = (0..points.len())
        .max_by(|&i, &j| distance(points[i], middle).total_cmp(&distance(points[j], middle)));
    if let Some(far) = far {
        hull.rotate_left(far);
    }
    hull
}

/// Most sides an outline may have, simplified, for its four longest to be taken as the sheet's.
const MOST_SIDES: usize = 6;

/// The corners of a sheet whose outline has a corner cut off (by the picture's edge, where a
/// phone held too close cut it, or by shadow): the outline's four longest sides, in order,
/// extended until they meet, outside the picture where the frame cut them. `None` when the
/// outline, simplified, has more than [`MOST_SIDES`] sides or already has four.
fn corners_from_sides(hull: &[Point<i32>], width: u32, height: u32) -> Option<Quad> {
    let (w, h) = (width as f32, height as f32);
    let perimeter = arc_length(hull, true);
    let simple: Vec<(f32, f32)> = approximate_polygon_dp(hull, 0.01 * perimeter, true)
        .iter()
        .map(|p| (p.x as f32, p.y as f32))
        .collect();
    let n = simple.len();
    if !(5..=MOST_SIDES).contains(&n) {
        return None;
    }
    let mut longest: Vec<usize> = (0..n).collect();
    longest.sort_by(|&i, &j| {
        let length = |k: usize| distance(simple[k], simple[(k + 1) % n]);
        length(j).total_cmp(&length(i))
    });
    let mut four = longest[..4].to_vec();
    four.sort_unstable();
    let side = |k: usize| (simple[four[k]], simple[(four[k] + 1) % n]);
    let corners = (0..4)
        .map(|k| meeting_point(side(k), side((k + 1) % 4)))
        .collect::<Option<Vec<_>>>()?;
    // Corners past the frame by more than a quarter of the picture are no sheet's.
    let beyond =
        |c: &(f32, f32)| c.0 < -w / 4.0 || c.0 > 1.25 * w || c.1 < -h / 4.0 || c.1 > 1.25 * h;
    if corners.iter().any(beyond) {
        return None;
    }
    ordered(corners)
}

/// Where the lines through sides `a` and `b` meet (`None` for parallel sides).
fn meeting_point(
    (a0, a1): ((f32, f32), (f32, f32)),
    (b0, b1): ((f32, f32), (f32, f32)),
) -> Option<(f32, f32)> {
    let (dax, day) = (a1.0 - a0.0, a1.1 - a0.1);
    let (dbx, dby) = (b1.0 - b0.0, b1.1 - b0.1);
    let cross = dax * dby - day * dbx;
    if cross.abs() < 1e-3 * dax.hypot(day) * dbx.hypot(dby) {
        return None;
    }
    let t = ((b0.0 - a0.0) * dby - (b0.1 - a0.1) * dbx) / cross;
    Some((a0.0 + t * dax, a0.1 + t * day))
}

/// Four corners ordered clockwise from the one nearest the picture's top-left, as a [`Quad`];
/// `None` when two of them (nearly) coincide.
fn ordered(mut corners: Vec<(f32, f32)>) -> Option<Quad> {
    let (cx, cy) = mean(&corners);
    corners.sort_by(|a, b| {
        (a.1 - cy)
            .atan2(a.0 - cx)
            .total_cmp(&(b.1 - cy).atan2(b.0 - cx))
    });
    let start = (0..4)
        .min_by(|&i, &j| (corners[i].0 + corners[i].1).total_cmp(&(corners[j].0 + corners[j].1)))?;
    corners.rotate_left(start);
    let quad = Quad {
        corners: [corners[0], corners[1], corners[2], corners[3]],
    };
    // Distinct corners: a degenerate outline (a line) gives none.
    (quad.sides().iter().all(|&s| s > 4.0)).then_some(quad)
}

/// Does background show beyond the sheet on at least two of its sides?
fn clear_on_two_sides(quad: &Quad, width: u32, height: u32) -> bool {
    let c = quad.corners;
    let (w, h) = (width as f32, height as f32);
    let margin = MARGIN_SHARE * w.max(h);
    let clear = [
        c[0].1.min(c[1].1) > margin,
        c[1].0.max(c[2].0) < w - margin,
        c[2].1.max(c[3].1) < h - margin,
        c[3].0.min(c[0].0) > margin,
    ];
    clear.iter().filter(|&&c| c).count() >= 2
}

/// The mean of `points` (their middle).
fn mean(points: &[(f32, f32)]) -> (f32, f32) {
    let n = points.len().max(1) as f32;
    points
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n))
}

fn distance(a: (f32, f32), b: (f32, f32)) -> f32 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_polygon_mut;

    /// A picture `width × height` of dark, noisy background with a light sheet whose corners are
    /// `corners`, printed with lines of dark "text".
    pub(crate) fn photo(width: u32, height: u32, corners: [(f32, f32); 4]) -> GrayImage {
        let mut picture = GrayImage::from_fn(width, height, |x, y| {
            // Wood-like streaks and noise, all well below paper.
            let streak = ((x as f32 * 0.05 + (y as f32 * 0.3).sin() * 3.0).sin() * 20.0) as i32;
            let noise = ((x * 7919 + y * 104_729) % 23) as i32;
            Luma([(70 + streak + noise).clamp(0, 255) as u8])
        });
        let points: Vec<Point<i32>> = corners
            .iter()
            .map(|&(x, y)| Point::new(x.round() as i32, y.round() as i32))
            .collect();
        draw_polygon_mut(&mut picture, &points, Luma([225u8]));
        // Text lines across the middle of the sheet.
        let (cx, cy) = mean(&corners);
        let span = distance(corners[0], corners[1]) * 0.3;
        for line in 0..12 {
            let y = cy - 120.0 + line as f32 * 20.0;
            for x in (cx - span) as u32..(cx + span) as u32 {
                for dy in 0..4 {
                    if x % 9 < 6 {
                        picture.put_pixel(x, (y as u32) + dy, Luma([40]));
                    }
                }
            }
        }
        picture
    }

    /// Each corner within `work_pixels` pixels of the truth, counted in the copy the sheet is
    /// looked for in (at most [`WORK_SIDE`] long), for a picture `long_side` pixels long.
    fn assert_near(found: Quad, truth: [(f32, f32); 4], work_pixels: f32, long_side: f32) {
        let tolerance = work_pixels * long_side / WORK_SIDE as f32;
        for (f, t) in found.corners.iter().zip(truth) {
            assert!(
                distance(*f, t) <= tolerance,
                "found {found:?}, truth {truth:?}"
            );
        }
    }

    #[test]
    fn sheets_on_a_table_are_found_within_a_few_pixels() {
        // (what, picture size, the sheet's corners as the picture shows them)
        type Case = (&'static str, (u32, u32), [(f32, f32); 4]);
        let cases: [Case; 3] = [
            (
                "tilted about 8 degrees, two thirds of the frame",
                (2000, 3000),
                [
                    (420.0, 300.0),
                    (1930.0, 510.0),
                    (1570.0, 2890.0),
                    (60.0, 2680.0),
                ],
            ),
            (
                "in perspective, the far edge narrower",
                (2000, 3000),
                [
                    (450.0, 600.0),
                    (1550.0, 600.0),
                    (1650.0, 2150.0),
                    (350.0, 2150.0),
                ],
            ),
            (
                "sideways (the page is turned later)",
                (3000, 2000),
                [
                    (300.0, 70.0),
                    (2700.0, 70.0),
                    (2700.0, 1930.0),
                    (300.0, 1930.0),
                ],
            ),
        ];
        for (what, (width, height), truth) in cases {
            let found = find_sheet(&photo(width, height, truth));
            let found = found.unwrap_or_else(|| panic!("{what}: no sheet found"));
            assert_near(found, truth, 4.0, width.max(height) as f32);
        }
    }

    #[test]
    fn a_sheet_the_frame_cuts_a_corner_off_has_its_corner_outside_the_picture() {
        // Sideways and tilted, its bottom-left corner below the picture's bottom edge: the
        // corner is where its left and bottom sides meet, not where the frame cut them.
        let truth = [
            (100.0, 600.0),
            (2700.0, 160.0),
            (2950.0, 1900.0),
            (420.0, 2330.0),
        ];
        let found = find_sheet(&photo(3200, 2200, truth)).expect("a sheet is found");
        assert!(found.corners[3].1 > 2200.0, "{found:?}");
        // Within 10 pixels of the small copy: the blur rounds the sharp top-right corner.
        assert_near(found, truth, 10.0, 3200.0);
    }

    #[test]
    fn a_sideways_sheet_foreshortened_by_the_camera_is_still_a_sheet() {
        // Letter's long side across, shortened by a fifth by the phone's angle: 1.07 : 1.
        let truth = [
            (700.0, 500.0),
            (2300.0, 500.0),
            (2380.0, 2000.0),
            (620.0, 2000.0),
        ];
        let found = find_sheet(&photo(3000, 2400, truth)).expect("a sheet is found");
        assert_near(found, truth, 4.0, 3000.0);
    }

    #[test]
    fn a_sheet_on_a_checked_cloth_whose_light_squares_touch_it_is_found() {
        let truth = [
            (420.0, 500.0),
            (1830.0, 700.0),
            (1600.0, 2500.0),
            (190.0, 2300.0),
        ];
        let mut picture = photo(2000, 3000, truth);
        // Gingham: dark red squares and light ones, which join the paper at its edges.
        let paper = picture.clone();
        for (x, y, pixel) in picture.enumerate_pixels_mut() {
            if paper.get_pixel(x, y).0[0] < 200 && paper.get_pixel(x, y).0[0] > 45 {
                pixel.0[0] = if (x / 120 + y / 120) % 2 == 0 {
                    190
                } else {
                    70
                };
            }
        }
        let found = find_sheet(&picture).expect("a sheet");
        // Looser than on a plain table: at the second split the blur of dark squares into the
        // paper's edge moves a corner inward (by under 3% of the page's side; the margins of a
        // notice are wider than that).
        assert_near(found, truth, 16.0, 3000.0);
    }

    #[test]
    fn a_page_edge_to_edge_or_on_white_is_left_alone() {
        // A flat scan: paper everywhere, print in the middle.
        let scan = GrayImage::from_fn(1700, 2200, |x, y| {
            Luma([if (800..900).contains(&x) && y % 20 < 4 {
                30
            } else {
                240
            }])
        });
        assert_eq!(find_sheet(&scan), None);
        // A sheet on a white desk: nothing dark around it.
        let mut white = photo(
            2000,
            3000,
            [
                (400.0, 400.0),
                (1600.0, 400.0),
                (1600.0, 2600.0),
                (400.0, 2600.0),
            ],
        );
        for pixel in white.pixels_mut() {
            if pixel.0[0] < 130 && pixel.0[0] > 45 {
                pixel.0[0] = 250;
            }
        }
        assert_eq!(find_sheet(&white), None);
    }

    #[test]
    fn a_region_not_shaped_like_a_page_is_not_a_sheet() {
        // A bright strip (a receipt, a crop of one box of a notice) on a dark table.
        let strip = [
            (200.0, 1200.0),
            (1800.0, 1200.0),
            (1800.0, 1700.0),
            (200.0, 1700.0),
        ];
        assert_eq!(find_sheet(&photo(2000, 3000, strip)), None);
    }
}
