//! Layout text from recognised words: word boxes in, [`PageText`] out, pure.
//!
//! Invariant: the text has one line per row of words, top to bottom; a word starts at the column
//! its left edge has on the page (in character widths), so a label row and the value row under it
//! line up as they do on paper — the shape `pdftotext -layout` gives for a text PDF, which the
//! extraction core reads. `char_confidence` has exactly one entry per `char` of the text.

use std::ops::Range;

use i797_core::{PageText, TextSource};

/// One recognised word: its box on the page (pixels, y down) and each character's confidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub text: String,
    /// 0–100, one per `char` of `text`.
    pub confidence: Vec<u8>,
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    /// The recogniser found the word in its dictionary (a sign the text is read the right way
    /// up: confidences alone are high even for upside-down text).
    pub in_dictionary: bool,
}

impl Word {
    /// An empty word with its box; symbols are added with [`Word::push_symbol`].
    pub fn new(left: i32, top: i32, right: i32, bottom: i32) -> Word {
        Word {
            text: String::new(),
            confidence: Vec::new(),
            left,
            top,
            right: right.max(left),
            bottom: bottom.max(top),
            in_dictionary: false,
        }
    }

    /// A whole word with one confidence for all its characters (tests, fakes).
    pub fn with_text(
        text: &str,
        confidence: u8,
        left: i32,
        top: i32,
        right: i32,
        bottom: i32,
    ) -> Word {
        let mut word = Word::new(left, top, right, bottom);
        word.push_symbol(text, f32::from(confidence));
        word
    }

    /// Appends one recognised symbol (usually one character; a ligature can be several).
    pub fn push_symbol(&mut self, symbol: &str, confidence: f32) {
        let confidence = confidence.round().clamp(0.0, 100.0) as u8;
        for c in symbol
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
        {
            self.text.push(c);
            self.confidence.push(confidence);
        }
    }

    /// The same word moved by (`dx`, `dy`) pixels: from a region's coordinates to the page's.
    /// The word with its box scaled by `factor` (from an enlarged picture back to the page).
    pub fn scaled(mut self, factor: f32) -> Word {
        let scale = |v: i32| (v as f32 * factor).round() as i32;
        self.left = scale(self.left);
        self.right = scale(self.right);
        self.top = scale(self.top);
        self.bottom = scale(self.bottom);
        self
    }

    pub fn shifted(mut self, dx: i32, dy: i32) -> Word {
        self.left += dx;
        self.right += dx;
        self.top += dy;
        self.bottom += dy;
        self
    }

    fn height(&self) -> i32 {
        (self.bottom - self.top).max(1)
    }

    fn center_y(&self) -> i32 {
        (self.top + self.bottom) / 2
    }

    fn mean_confidence(&self) -> u32 {
        let sum: u32 = self.confidence.iter().map(|&c| u32::from(c)).sum();
        sum / (self.confidence.len().max(1) as u32)
    }

    /// Specks, box borders and other line art that Tesseract turned into punctuation: no letter or
    /// digit and little confidence. Dropping them keeps a border from gluing onto a number.
    fn is_noise(&self) -> bool {
        !self.text.chars().any(char::is_alphanumeric) && self.mean_confidence() < 50
    }
}

/// Builds layout text from words in any order (boxes in one coordinate system).
pub fn build(words: &[Word]) -> PageText {
    build_with_places(words).0
}

/// [`build`], and where each word went: the range of `char` indexes its text fills in the page
/// text (words dropped as noise have none). How a place found in the text (a label) is found in
/// the picture.
pub fn build_with_places(words: &[Word]) -> (PageText, Vec<(Range<usize>, &Word)>) {
    let words: Vec<&Word> = words
        .iter()
        .filter(|w| !w.text.is_empty() && !w.is_noise())
        .collect();
    let mut text = String::new();
    let mut confidence = Vec::new();
    let mut places = Vec::new();
    if words.is_empty() {
        return (ocr_text(text, confidence), places);
    }
    let char_width = char_width(&words);
    let origin = words.iter().map(|w| w.left).min().unwrap_or(0);
    let line_height = median(words.iter().map(|w| w.height())).unwrap_or(1);
    let lines = group_lines(words);
    let mut previous_bottom: Option<i32> = None;
    for line in &lines {
        let top = line.iter().map(|w| w.top).min().unwrap_or(0);
        if let Some(bottom) = previous_bottom {
            // A wide vertical gap becomes one empty line, as in pdftotext's layout mode.
            if (top - bottom) * 2 > line_height * 3 {
                push(&mut text, &mut confidence, '\n', 100);
            }
        }
        let space = phrase_gap(line);
        let mut column = 0usize;
        let mut previous: Option<&Word> = None;
        for word in line {
            let wanted = ((word.left - origin).max(0) as f32 / char_width).round() as usize;
            let start = match previous {
                None => wanted,
                // Words of one phrase are a space apart on paper: one space here too, so a name
                // or a sentence never looks like two columns.
                Some(before) if (word.left - before.right) as f32 <= space => column + 1,
                // A wider gap is a column boundary: at the word's own column, and always at
                // least two spaces, the mark of a column gap in layout text.
                Some(_) => wanted.max(column + 2),
            };
            for _ in column..start {
                push(&mut text, &mut confidence, ' ', 100);
            }
            let at = confidence.len();
            text.push_str(&word.text);
            confidence.extend_from_slice(&word.confidence);
            places.push((at..confidence.len(), *word));
            column = start + word.text.chars().count();
            previous = Some(word);
        }
        push(&mut text, &mut confidence, '\n', 100);
        previous_bottom = Some(line.iter().map(|w| w.bottom).max().unwrap_or(top));
    }
    (ocr_text(text, confidence), places)
}

/// The widest gap between two words of one phrase on this line, in pixels: 1.3 character widths
/// of the line's own type (the median over its words), since a word space is about half that.
/// Wider gaps separate columns.
fn phrase_gap(line: &[&Word]) -> f32 {
    let widths = line
        .iter()
        .filter(|w| w.text.chars().count() >= 2)
        .map(|w| (w.right - w.left).max(1) * 100 / w.text.chars().count() as i32);
    let width =
        median(widths).unwrap_or_else(|| line.iter().map(|w| w.height() * 50).max().unwrap_or(100));
    1.3 * width as f32 / 100.0
}

fn ocr_text(text: String, confidence: Vec<u8>) -> PageText {
    debug_assert_eq!(text.chars().count(), confidence.len());
    PageText {
        text,
        source: TextSource::Ocr,
        char_confidence: Some(confidence),
    }
}

fn push(text: &mut String, confidence: &mut Vec<u8>, c: char, value: u8) {
    text.push(c);
    confidence.push(value);
}

/// The page's character width in pixels for placing columns: the lower quartile over words of
/// width / characters. Erring small leaves room on every line, so text in a wide typeface does
/// not push the words after it past their columns.
fn char_width(words: &[&Word]) -> f32 {
    let mut widths: Vec<f32> = words
        .iter()
        .filter(|w| w.text.chars().count() >= 3)
        .map(|w| (w.right - w.left).max(1) as f32 / w.text.chars().count() as f32)
        .collect();
    if widths.is_empty() {
        widths = words.iter().map(|w| w.height() as f32 * 0.5).collect();
    }
    widths.sort_by(f32::total_cmp);
    widths[widths.len() / 4].max(1.0)
}

fn median(values: impl Iterator<Item = i32>) -> Option<i32> {
    let mut values: Vec<i32> = values.collect();
    values.sort_unstable();
    values.get(values.len() / 2).copied()
}

/// Rows of words, top to bottom, each left to right. A word joins the row being built when it
/// overlaps the row's band by at least half the smaller height. The band is the row's typical
/// extent (the upper median of its tops, the lower median of its bottoms), so a short word
/// ("or", "a") sitting low still joins, and a tall word cannot stretch the row over the next.
fn group_lines(mut words: Vec<&Word>) -> Vec<Vec<&Word>> {
    words.sort_by_key(|w| (w.center_y(), w.left));
    let mut lines: Vec<Vec<&Word>> = Vec::new();
    for word in words {
        let joins = lines.last().is_some_and(|line| {
            let (top, bottom) = band(line);
            let overlap = word.bottom.min(bottom) - word.top.max(top);
            overlap * 2 >= word.height().min((bottom - top).max(1))
        });
        match lines.last_mut() {
            Some(line) if joins => line.push(word),
            _ => lines.push(vec![word]),
        }
    }
    for line in &mut lines {
        line.sort_by_key(|w| w.left);
    }
    lines
}

fn band(line: &[&Word]) -> (i32, i32) {
    let mut tops: Vec<i32> = line.iter().map(|w| w.top).collect();
    let mut bottoms: Vec<i32> = line.iter().map(|w| w.bottom).collect();
    tops.sort_unstable();
    bottoms.sort_unstable();
    let (top, bottom) = (tops[tops.len() / 2], bottoms[(bottoms.len() - 1) / 2]);
    if bottom > top {
        (top, bottom)
    } else {
        (line[0].top, line[0].bottom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, left: i32, top: i32) -> Word {
        // 20 px per character, 30 px tall, like 10-point type at 300 dpi.
        let right = left + 20 * text.chars().count() as i32;
        Word::with_text(text, 90, left, top, right, top + 30)
    }

    #[test]
    fn label_row_and_value_row_line_up_by_column() {
        let words = vec![
            // Out of order on purpose: Tesseract reads block by block.
            word("EAC2190012345", 100, 150),
            word("Case", 1100, 100),
            word("Type", 1220, 100),
            word("Receipt", 100, 100),
            word("Number", 260, 100),
            word("I130", 1100, 152),
        ];
        let page = build(&words);
        let lines: Vec<&str> = page.text.lines().collect();
        assert_eq!(lines.len(), 2, "{}", page.text);
        assert!(lines[0].starts_with("Receipt Number"), "{}", page.text);
        assert!(lines[1].starts_with("EAC2190012345"), "{}", page.text);
        let label = lines[0].find("Case").unwrap();
        let value = lines[1].find("I130").unwrap();
        assert_eq!(label, value, "columns differ:\n{}", page.text);
        assert_eq!(label, 50, "1000 px at 20 px per character");
    }

    #[test]
    fn confidences_follow_characters_and_inserted_space_is_certain() {
        let mut first = Word::new(0, 0, 60, 30);
        first.push_symbol("A", 91.6);
        first.push_symbol("B", 40.2);
        first.push_symbol("C", 77.0);
        let second = Word::with_text("D", 55, 200, 0, 220, 30);
        let page = build(&[first, second]);
        let confidence = page.char_confidence.unwrap();
        assert_eq!(page.text.chars().count(), confidence.len());
        assert_eq!(page.text, "ABC       D\n");
        assert_eq!(&confidence[..3], &[92, 40, 77]);
        assert!(confidence[3..10].iter().all(|&c| c == 100));
        assert_eq!(confidence[10], 55);
        assert_eq!(confidence[11], 100, "newline");
        assert_eq!(page.source, TextSource::Ocr);
    }

    #[test]
    fn multi_byte_symbols_keep_one_confidence_per_char() {
        let mut word = Word::new(0, 0, 100, 30);
        word.push_symbol("ﬁ", 80.0);
        word.push_symbol("é", 70.0);
        word.push_symbol("ö", 60.0);
        let page = build(&[word]);
        assert_eq!(
            page.text.chars().count(),
            page.char_confidence.unwrap().len()
        );
    }

    #[test]
    fn neighbouring_words_never_touch_even_when_columns_crowd() {
        // A wide bold word followed closely by another: the second would "want" a column inside
        // the first; it must still get a separating space.
        let wide = Word::with_text("WIDE", 90, 0, 0, 40, 30);
        let next = Word::with_text("NEXT", 90, 45, 0, 125, 30);
        let filler = word("filler", 0, 100);
        let page = build(&[wide, next, filler]);
        assert!(page.text.starts_with("WIDE NEXT"), "{}", page.text);
    }

    #[test]
    fn phrase_words_get_one_space_whatever_the_type_size() {
        // Small labels (12 px per character) set the column grid; the value below is in a wider
        // type (24 px per character) with 12-px word spaces.
        let small = |text: &str, left: i32, top: i32| {
            let right = left + 12 * text.chars().count() as i32;
            Word::with_text(text, 90, left, top, right, top + 20)
        };
        let wide = |text: &str, left: i32, top: i32| {
            let right = left + 24 * text.chars().count() as i32;
            Word::with_text(text, 90, left, top, right, top + 34)
        };
        let words = vec![
            small("Petitioner", 0, 0),
            small("Beneficiary", 1200, 0),
            wide("BERGSTROMER,", 0, 30),
            wide("YUKI", 300, 30),
            wide("BERGSTROMER,", 1200, 30),
            wide("OSKAR", 1500, 30),
        ];
        let page = build(&words);
        let lines: Vec<&str> = page.text.lines().collect();
        assert_eq!(lines.len(), 2, "{}", page.text);
        assert!(lines[1].starts_with("BERGSTROMER, YUKI  "), "{}", page.text);
        assert!(lines[1].ends_with("BERGSTROMER, OSKAR"), "{}", page.text);
        assert_eq!(
            lines[0].find("Beneficiary"),
            lines[1].rfind("BERGSTROMER"),
            "\n{}",
            page.text
        );
    }

    #[test]
    fn a_short_low_word_joins_its_row() {
        // "or" has no ascenders: its box covers only the lower part of the row. The left column's
        // line sits 12 px higher than the right column's, and comes first.
        let words = vec![
            word("576", 0, 88),
            word("Section:", 600, 100),
            word("Husband", 780, 100),
            Word::with_text("or", 90, 940, 110, 980, 130),
            word("wife", 1000, 100),
            word("FAIRVIEW", 0, 160),
        ];
        let page = build(&words);
        let lines: Vec<&str> = page.text.lines().collect();
        assert_eq!(lines.len(), 2, "{}", page.text);
        assert!(
            lines[0].ends_with("Section: Husband or wife"),
            "{}",
            page.text
        );
    }

    #[test]
    fn rows_stay_apart_and_slightly_tilted_words_join_their_row() {
        let words = vec![
            word("first", 0, 100),
            word("row", 140, 108), // 8 px lower: same row
            word("second", 0, 140),
        ];
        let page = build(&words);
        assert_eq!(page.text, "first  row\nsecond\n");
    }

    #[test]
    fn a_tall_word_does_not_chain_two_rows_together() {
        let tall = Word::with_text("BIG", 90, 0, 100, 90, 180);
        let upper = word("upper", 300, 100);
        let lower = word("lower", 300, 150);
        let page = build(&[tall, upper, lower]);
        assert_eq!(page.text.lines().count(), 2, "{}", page.text);
    }

    #[test]
    fn wide_vertical_gap_becomes_an_empty_line() {
        let page = build(&[word("top", 0, 0), word("bottom", 0, 400)]);
        assert_eq!(page.text, "top\n\nbottom\n");
    }

    #[test]
    fn left_margin_is_removed() {
        let page = build(&[word("indented", 600, 0)]);
        assert_eq!(page.text, "indented\n");
    }

    #[test]
    fn faint_line_art_is_dropped_but_confident_punctuation_kept() {
        let border = Word::with_text("|", 30, 0, 0, 5, 30);
        let dash = Word::with_text("-", 92, 200, 0, 220, 30);
        let text = word("I130", 100, 0);
        let page = build(&[border, text, dash]);
        assert_eq!(page.text.trim(), "I130 -");
    }

    #[test]
    fn no_words_give_empty_text() {
        let page = build(&[]);
        assert_eq!(page.text, "");
        assert_eq!(page.char_confidence, Some(Vec::new()));
    }
}
