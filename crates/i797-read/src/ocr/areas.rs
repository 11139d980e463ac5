//! Where on a page picture something the first reading found is printed, as an area for the
//! other recogniser to read: a number with the pieces OCR split it into, a field's value, the cell
//! a label points at, the region that holds every layout's number. Pixel boxes from word boxes;
//! no reading and no judging here (that is `policy`).

use image::GrayImage;

use super::Area;
use super::layout::Word;
use i797_core::agreement::{letters_and_digits, longest_common_run};
use i797_core::confusions::{as_digit, letters_for};

/// The place a label's words point at: the label's line and two more below it, from a little
/// left of the label to four label widths (at least a third of the page) to its right. Grid
/// labels head the value under them; others (`Notice Type:`) have it beside them.
pub(super) fn label_cell<'a>(
    words: impl Iterator<Item = &'a Word>,
    (width, height): (u32, u32),
) -> Option<Area> {
    let (mut left, mut top, mut right, mut bottom) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for word in words {
        left = left.min(word.left);
        top = top.min(word.top);
        right = right.max(word.right);
        bottom = bottom.max(word.bottom);
    }
    if left >= right || top >= bottom {
        return None;
    }
    let line = bottom - top;
    let reach = (4 * (right - left)).max(width as i32 / 3);
    let clamp = |v: i32, most: u32| v.clamp(0, most as i32) as u32;
    let (x0, y0) = (clamp(left - line, width), clamp(top - line / 2, height));
    let (x1, y1) = (clamp(left + reach, width), clamp(bottom + 3 * line, height));
    (x1 > x0 && y1 > y0).then(|| Area {
        left: x0,
        top: y0,
        width: x1 - x0,
        height: y1 - y0,
    })
}

/// Where `value` (a field's text) is printed among `words`: the line whose words, each a piece
/// of the value, spell most of it in their order (an address block that prints the name first
/// name first is another line), with a margin. `None` when no line spells two thirds of it.
pub fn value_area<'a>(value: &str, words: &'a [Word], dimensions: (u32, u32)) -> Option<Area> {
    let target = letters_and_digits(value);
    let pieces: Vec<&'a Word> = words
        .iter()
        .filter(|w| {
            let piece = letters_and_digits(&w.text);
            piece.chars().count() >= 2 && target.contains(&piece)
        })
        .collect();
    let on_line_of = |anchor: &Word| -> Vec<&'a Word> {
        let (top, bottom) = (anchor.top, anchor.bottom);
        let mut line: Vec<&Word> = pieces
            .iter()
            .copied()
            .filter(|w| (top..bottom).contains(&((w.top + w.bottom) / 2)))
            .collect();
        line.sort_by_key(|w| w.left);
        line
    };
    // The longest run of neighbouring pieces on a line that spells a stretch of the value in
    // order: a grid line holds the next column's name too, and the address block prints the
    // name first name first (`YUKI BERGSTROMER` is no stretch of `BERGSTROMER, YUKI`). Among
    // equal runs the highest on the page (the grid is above the address).
    let spelled_run = |line: Vec<&'a Word>| -> (Vec<&'a Word>, usize) {
        let mut best: (Vec<&Word>, usize) = (Vec::new(), 0);
        for start in 0..line.len() {
            let mut joined = String::new();
            for end in start..line.len() {
                joined.push_str(&letters_and_digits(&line[end].text));
                if !target.contains(&joined) {
                    break;
                }
                let length = joined.chars().count();
                if length > best.1 {
                    best = (line[start..=end].to_vec(), length);
                }
            }
        }
        best
    };
    let (line, covered) = pieces
        .iter()
        .map(|w| spelled_run(on_line_of(w)))
        .max_by_key(|(line, covered)| {
            (
                *covered,
                std::cmp::Reverse(line.first().map_or(0, |w| w.top)),
            )
        })?;
    if covered * 3 < target.chars().count() * 2 {
        return None;
    }
    let span = Span {
        left: line.iter().map(|w| w.left).min()?,
        right: line.iter().map(|w| w.right).max()?,
        top: line.iter().map(|w| w.top).min()?,
        bottom: line.iter().map(|w| w.bottom).max()?,
    };
    span.with_margin(dimensions)
}

/// A box on the picture, in its pixels (signed, since a margin may run off the edge).
struct Span {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
}

impl Span {
    /// The area of this box with a margin of a line's height at the sides and two fifths of it
    /// above and below, so a recogniser sees whole characters and a little paper around them;
    /// clipped to the picture.
    fn with_margin(&self, (width, height): (u32, u32)) -> Option<Area> {
        let line_height = (self.bottom - self.top).max(1);
        let (side, above) = (line_height, line_height * 2 / 5);
        let clip = |v: i32, max: u32| v.clamp(0, max as i32) as u32;
        let (x0, x1) = (
            clip(self.left - side, width),
            clip(self.right + side, width),
        );
        let (y0, y1) = (
            clip(self.top - above, height),
            clip(self.bottom + above, height),
        );
        let area = Area {
            left: x0,
            top: y0,
            width: x1 - x0,
            height: y1 - y0,
        };
        (!area.is_empty()).then_some(area)
    }
}

/// Characters of a number a word must hold to be where the number is printed.
const NUMBER_IN_WORD: usize = 6;

/// Where `number` is printed among `words` on a `width` × `height` picture: the word holding
/// most of its characters, with the pieces beside it on its line (OCR splits `EAC 2190012345`),
/// and a margin, so the other recogniser sees the whole number and a little paper around it.
pub fn number_area(number: &str, words: &[Word], (width, height): (u32, u32)) -> Option<Area> {
    let number: Vec<char> = number.chars().collect();
    let shared = |word: &Word| {
        let chars: Vec<char> = word
            .text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        longest_common_run(&number, &chars)
    };
    let best = words
        .iter()
        .map(|w| (shared(w), w))
        .filter(|(run, _)| *run >= NUMBER_IN_WORD.min(number.len()))
        .max_by_key(|(run, _)| *run)?
        .1;
    let line_height = (best.bottom - best.top).max(1);
    let (mut left, mut right) = (best.left, best.right);
    // Pieces on the same line, each within a gap of the span so far.
    let mut pieces: Vec<&Word> = words
        .iter()
        .filter(|w| {
            let middle = (w.top + w.bottom) / 2;
            let short = w.text.chars().count() <= PREFIX_PIECE;
            middle > best.top
                && middle < best.bottom
                && (shared(w) >= 2 || short)
                && is_number_piece(w)
        })
        .collect();
    pieces.sort_by_key(|w| w.left);
    let gap = line_height * 3 / 2;
    for w in pieces.iter().filter(|w| w.left >= best.right) {
        if w.left - right > gap {
            break;
        }
        right = right.max(w.right);
    }
    for w in pieces.iter().rev().filter(|w| w.right <= best.left) {
        if left - w.right > gap {
            break;
        }
        left = left.min(w.left);
    }
    Span {
        left,
        right,
        top: best.top,
        bottom: best.bottom,
    }
    .with_margin((width, height))
}

/// A piece this short beside the number may be its prefix even when it shares no character
/// with it: OCR misread every letter (`10£` for `IOE`).
const PREFIX_PIECE: usize = 4;

/// Capitals, digits, hyphens and what the confusion table reads for them: a piece of a number as
/// OCR splits and misreads it, not a word of prose.
fn is_number_piece(word: &Word) -> bool {
    word.text.chars().all(|c| {
        c.is_ascii_uppercase() || c == '-' || as_digit(c).is_some() || !letters_for(c).is_empty()
    })
}

/// The part of a page where notices print their number and header: its top [`FIELD_SHARE`].
pub(super) fn field_region(picture: &GrayImage) -> Area {
    let (width, height) = picture.dimensions();
    Area {
        height: (height as f32 * FIELD_SHARE).ceil() as u32,
        ..Area::whole(width, height)
    }
}

/// The share of a page, from the top, that holds every layout's number (the I-797 box grid ends
/// at about 31%, an NVC letter's case number at about 25%).
const FIELD_SHARE: f32 = 0.45;
