//! PDF reading, layout: positioned glyphs in, layout text out (see [`i797_core::PageText`]).
//!
//! Invariant: one output line per baseline, top to bottom; inside a phrase words are one space
//! apart, and a horizontal gap of a column's width becomes two or more spaces, placed on a
//! character grid shared by all lines so that a label and the value under it start in the same
//! column (as `pdftotext -layout` does).

/// A gap this wide (in ems) between two glyphs that were not drawn one after the other breaks a
/// word; kerning and tracking stay well below it.
pub(super) const WORD_GAP: f64 = 0.15;
/// A gap this wide (in ems) between words separates columns rather than words of a phrase.
const COLUMN_GAP: f64 = 0.8;
/// Baselines of same-size text closer than this (in ems) are one line.
const SAME_LINE: f64 = 0.4;
/// Text smaller than this share of a line's size is a superscript or subscript when its baseline
/// lies within the line's body; it joins the line.
const SCRIPT_SIZE: f64 = 0.8;
/// A vertical gap between baselines larger than this (in ems) becomes one blank line.
const BLANK_LINE: f64 = 2.0;

/// One glyph on the page, in its reading frame: x grows along the text, y grows down the page.
#[derive(Clone, Debug)]
pub(super) struct Glyph {
    pub text: String,
    /// Start and end of the glyph's advance along the baseline.
    pub x0: f64,
    pub x1: f64,
    /// The baseline.
    pub y: f64,
    /// Font size as drawn (height of an em), > 0.
    pub size: f64,
    /// Order in which glyphs were drawn.
    pub seq: usize,
    /// Drawn right after glyph `seq - 1`, in the same string with no position change between:
    /// the two are spaced by the font's own widths, so no gap between them is a word break.
    pub joined: bool,
}

impl Glyph {
    fn is_space(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }
}

struct Line {
    glyphs: Vec<Glyph>,
    /// Size of the line's main (largest) text, and the sum and count of its baselines.
    size: f64,
    main_sum: f64,
    main_count: usize,
}

impl Line {
    fn new(glyph: Glyph) -> Line {
        Line {
            size: glyph.size,
            main_sum: glyph.y,
            main_count: 1,
            glyphs: vec![glyph],
        }
    }

    /// The baseline of the line's main text.
    fn y(&self) -> f64 {
        self.main_sum / self.main_count as f64
    }

    /// Whether a glyph met next in baseline order belongs to this line: same-size text on a
    /// close baseline, or text of another size on the very same baseline. Superscripts and
    /// subscripts are joined to their line afterwards, in [`group_lines`].
    fn takes(&self, glyph: &Glyph) -> bool {
        let large = self.size.max(glyph.size);
        let small = self.size.min(glyph.size);
        let dy = (glyph.y - self.y()).abs();
        if small >= SCRIPT_SIZE * large {
            dy <= SAME_LINE * large
        } else {
            dy <= 0.1 * large
        }
    }

    /// Where a line of small text (a superscript or subscript) sits relative to this line's
    /// baseline, when that is within this line's body (cap height to descender).
    fn script_offset(&self, small: &Line) -> Option<f64> {
        if small.size >= SCRIPT_SIZE * self.size {
            return None;
        }
        let offset = small.y() - self.y();
        (-0.6 * self.size..=0.35 * self.size)
            .contains(&offset)
            .then_some(offset.abs())
    }

    fn add(&mut self, glyph: Glyph) {
        if !glyph.is_space() {
            if glyph.size * SCRIPT_SIZE > self.size {
                // Larger text arrived: it is the line's main text from now on.
                self.size = glyph.size;
                self.main_sum = glyph.y;
                self.main_count = 1;
            } else if glyph.size >= SCRIPT_SIZE * self.size {
                self.size = self.size.max(glyph.size);
                self.main_sum += glyph.y;
                self.main_count += 1;
            }
        }
        self.glyphs.push(glyph);
    }
}

struct Word {
    text: String,
    x0: f64,
    x1: f64,
    size: f64,
    last_seq: usize,
}

/// Lays out the glyphs of one reading direction as lines of text, each ending in `\n`.
pub(super) fn lay_out(mut glyphs: Vec<Glyph>) -> String {
    glyphs.retain(|g| {
        g.size > 0.0
            && g.x0.is_finite()
            && g.x1.is_finite()
            && g.y.is_finite()
            && !g.text.is_empty()
    });
    if glyphs.iter().all(Glyph::is_space) {
        return String::new();
    }
    let cell = grid_cell(&glyphs);
    let left = glyphs
        .iter()
        .filter(|g| !g.is_space())
        .map(|g| g.x0)
        .fold(f64::INFINITY, f64::min);

    let mut out = String::new();
    let mut previous: Option<(f64, f64)> = None;
    for line in group_lines(glyphs) {
        let (y, size) = (line.y(), line.size);
        let words = words(line.glyphs);
        if words.is_empty() {
            continue;
        }
        if let Some((prev_y, prev_size)) = previous
            && y - prev_y > BLANK_LINE * f64::max(prev_size, size)
        {
            out.push('\n');
        }
        previous = Some((y, size));
        write_line(&mut out, &words, left, cell);
        out.push('\n');
    }
    out
}

/// Width of one output column, in points: a bit under the typical glyph width, so that text
/// rarely takes more columns than the space it has on paper.
fn grid_cell(glyphs: &[Glyph]) -> f64 {
    let mut widths: Vec<f64> = glyphs
        .iter()
        .filter(|g| !g.is_space() && g.x1 > g.x0)
        .map(|g| (g.x1 - g.x0) / g.text.chars().count().max(1) as f64)
        .collect();
    let mut sizes: Vec<f64> = glyphs.iter().map(|g| g.size).collect();
    let size = median(&mut sizes).unwrap_or(10.0);
    let width = median(&mut widths).unwrap_or(size * 0.5);
    (width * 0.9).clamp(size * 0.3, size * 0.6)
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(values[values.len() / 2])
}

/// Groups glyphs into lines by baseline, top to bottom; a superscript or subscript joins the
/// nearest line whose body it lies in.
fn group_lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Line> = Vec::new();
    for glyph in glyphs {
        match lines.last_mut() {
            Some(line) if line.takes(&glyph) => line.add(glyph),
            _ => lines.push(Line::new(glyph)),
        }
    }
    let mut i = 0;
    while i < lines.len() {
        let above = i
            .checked_sub(1)
            .and_then(|j| lines[j].script_offset(&lines[i]));
        let below = lines
            .get(i + 1)
            .and_then(|next| next.script_offset(&lines[i]));
        let into = match (above, below) {
            (Some(a), Some(b)) => Some(if a <= b { i - 1 } else { i + 1 }),
            (Some(_), None) => Some(i - 1),
            (None, Some(_)) => Some(i + 1),
            (None, None) => None,
        };
        match into {
            Some(target) => {
                let script = lines.remove(i);
                let target = if target > i { target - 1 } else { target };
                lines[target].glyphs.extend(script.glyphs);
                i = target.max(i.saturating_sub(1));
            }
            None => i += 1,
        }
    }
    lines
}

/// The words of a line, left to right. Spaces in the text and wide gaps break words; a glyph
/// drawn over an identical one (fake bold, drawn twice) is dropped.
fn words(mut glyphs: Vec<Glyph>) -> Vec<Word> {
    glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0).then(a.seq.cmp(&b.seq)));
    let mut words: Vec<Word> = Vec::new();
    let mut space_pending = false;
    let mut kept: Vec<&Glyph> = Vec::new();
    for glyph in &glyphs {
        if glyph.is_space() {
            space_pending = true;
            continue;
        }
        let duplicate = kept.iter().rev().take(4).any(|k| {
            k.text == glyph.text
                && (k.x0 - glyph.x0).abs() < 0.15 * glyph.size
                && (k.y - glyph.y).abs() < 0.15 * glyph.size
        });
        if duplicate {
            continue;
        }
        kept.push(glyph);
        let text = glyph.text.trim();
        match words.last_mut() {
            Some(word) => {
                let follows = glyph.joined && glyph.seq == word.last_seq + 1;
                let gap = glyph.x0 - word.x1;
                let size = word.size.min(glyph.size);
                if space_pending || (!follows && gap > WORD_GAP * size) {
                    words.push(Word::new(glyph, text));
                } else {
                    word.text.push_str(text);
                    word.x1 = word.x1.max(glyph.x1);
                    word.size = word.size.max(glyph.size);
                    word.last_seq = glyph.seq;
                }
            }
            None => words.push(Word::new(glyph, text)),
        }
        space_pending = false;
    }
    words
}

impl Word {
    fn new(glyph: &Glyph, text: &str) -> Word {
        Word {
            text: text.to_string(),
            x0: glyph.x0,
            x1: glyph.x1,
            size: glyph.size,
            last_seq: glyph.seq,
        }
    }
}

fn write_line(out: &mut String, words: &[Word], left: f64, cell: f64) {
    let mut column = 0usize;
    for (i, word) in words.iter().enumerate() {
        let target = ((word.x0 - left) / cell).round().max(0.0) as usize;
        let spaces = if i == 0 {
            target
        } else {
            let before = &words[i - 1];
            let gap = word.x0 - before.x1;
            if gap < COLUMN_GAP * before.size.max(word.size) {
                1
            } else {
                target.saturating_sub(column).max(2)
            }
        };
        out.extend(std::iter::repeat_n(' ', spaces));
        out.push_str(&word.text);
        column += spaces + word.text.chars().count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs of `text` set in a 10 pt font with 5 pt advances from `x` on baseline `y`, as
    /// one string (each glyph joined to the one before).
    fn run(text: &str, x: f64, y: f64, seq: &mut usize) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                *seq += 1;
                Glyph {
                    text: c.to_string(),
                    x0: x + 5.0 * i as f64,
                    x1: x + 5.0 * (i + 1) as f64,
                    y,
                    size: 10.0,
                    seq: *seq,
                    joined: i > 0,
                }
            })
            .collect()
    }

    #[test]
    fn label_row_and_value_row_line_up() {
        let mut seq = 0;
        let mut glyphs = Vec::new();
        glyphs.extend(run("Receipt Number", 40.0, 100.0, &mut seq));
        glyphs.extend(run("Case Type", 240.0, 100.0, &mut seq));
        glyphs.extend(run("EAC2190012345", 40.0, 112.0, &mut seq));
        glyphs.extend(run(
            "I130 - PETITION FOR ALIEN RELATIVE",
            240.0,
            112.0,
            &mut seq,
        ));
        let text = lay_out(glyphs);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].starts_with("Receipt Number  "));
        assert!(lines[1].starts_with("EAC2190012345  "));
        assert_eq!(lines[0].find("Case Type"), lines[1].find("I130 - PETITION"));
    }

    #[test]
    fn lines_come_top_to_bottom_whatever_the_drawing_order() {
        let mut seq = 0;
        let mut glyphs = run("second", 40.0, 200.0, &mut seq);
        glyphs.extend(run("first", 40.0, 188.0, &mut seq));
        assert_eq!(lay_out(glyphs), "first\nsecond\n");
    }

    #[test]
    fn superscripts_stay_on_their_line() {
        let mut seq = 0;
        let mut glyphs = run("Alestig", 40.0, 100.0, &mut seq);
        glyphs.extend(run("Arnholm", 90.0, 100.0, &mut seq));
        for (x, text) in [(75.0, "1*"), (125.0, "2")] {
            let mut mark = run(text, x, 95.5, &mut seq);
            for g in &mut mark {
                g.size = 6.0;
            }
            glyphs.extend(mark);
        }
        // A smaller line well above is still its own line.
        let mut label = run("Label", 40.0, 88.0, &mut seq);
        for g in &mut label {
            g.size = 7.0;
        }
        glyphs.extend(label);
        assert_eq!(lay_out(glyphs), "Label\nAlestig1* Arnholm2\n");
    }

    #[test]
    fn a_footnote_mark_joins_its_own_line_not_the_one_above() {
        let mut seq = 0;
        let sized = |mut glyphs: Vec<Glyph>, size: f64| {
            for g in &mut glyphs {
                g.size = size;
            }
            glyphs
        };
        let mut glyphs = sized(run("* Correspondence", 40.0, 100.0, &mut seq), 7.0);
        glyphs.extend(sized(run("1", 40.0, 106.0, &mut seq), 5.0));
        glyphs.extend(sized(run("Department", 45.0, 109.0, &mut seq), 7.0));
        assert_eq!(lay_out(glyphs), "* Correspondence\n1Department\n");
    }

    #[test]
    fn big_vertical_gaps_become_one_blank_line() {
        let mut seq = 0;
        let mut glyphs = run("top", 40.0, 100.0, &mut seq);
        glyphs.extend(run("bottom", 40.0, 700.0, &mut seq));
        assert_eq!(lay_out(glyphs), "top\n\nbottom\n");
    }

    #[test]
    fn slightly_offset_baselines_share_a_line() {
        let mut seq = 0;
        let mut glyphs = run("Name:", 40.0, 100.0, &mut seq);
        glyphs.extend(run("DOE", 200.0, 101.5, &mut seq));
        let text = lay_out(glyphs);
        assert_eq!(text.lines().count(), 1);
        assert!(text.starts_with("Name:  "));
    }

    #[test]
    fn separately_placed_words_get_one_space() {
        let mut seq = 0;
        // Two strings, the second placed one space width (0.3 em) after the first.
        let mut glyphs = run("Notice", 40.0, 100.0, &mut seq);
        glyphs.extend(run("Type", 73.0, 100.0, &mut seq));
        assert_eq!(lay_out(glyphs), "Notice Type\n");
    }

    #[test]
    fn joined_glyphs_stay_one_word_even_when_letter_spaced() {
        let mut seq = 0;
        let mut glyphs = run("ABC", 40.0, 100.0, &mut seq);
        for (i, g) in glyphs.iter_mut().enumerate() {
            g.x0 += 3.0 * i as f64;
            g.x1 += 3.0 * i as f64;
        }
        assert_eq!(lay_out(glyphs), "ABC\n");
    }

    #[test]
    fn unjoined_glyphs_with_gaps_are_separate_words() {
        let mut seq = 0;
        let mut glyphs = run("ABC", 40.0, 100.0, &mut seq);
        for (i, g) in glyphs.iter_mut().enumerate() {
            g.joined = false;
            g.x0 += 3.0 * i as f64;
            g.x1 += 3.0 * i as f64;
        }
        assert_eq!(lay_out(glyphs), "A B C\n");
    }

    #[test]
    fn fake_bold_duplicates_are_dropped() {
        let mut seq = 0;
        let mut glyphs = run("Bold", 40.0, 100.0, &mut seq);
        let mut again = run("Bold", 40.4, 100.0, &mut seq);
        glyphs.append(&mut again);
        assert_eq!(lay_out(glyphs), "Bold\n");
    }

    #[test]
    fn space_glyphs_break_words_and_wide_runs_of_them_part_columns() {
        let mut seq = 0;
        assert_eq!(
            lay_out(run("Notice Type", 40.0, 100.0, &mut seq)),
            "Notice Type\n"
        );
        // Typewriter-style alignment: a run of spaces a column wide.
        let text = lay_out(run("Name:    DOE", 40.0, 100.0, &mut seq));
        assert!(text.starts_with("Name:  "), "{text:?}");
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["Name:", "DOE"]
        );
    }

    #[test]
    fn indentation_is_kept_on_the_grid() {
        let mut seq = 0;
        let mut glyphs = run("left", 40.0, 100.0, &mut seq);
        glyphs.extend(run("indented", 140.0, 112.0, &mut seq));
        let text = lay_out(glyphs);
        let second = text.lines().nth(1).unwrap();
        assert!(second.starts_with("     "), "{text:?}");
        assert_eq!(second.trim(), "indented");
    }
}
