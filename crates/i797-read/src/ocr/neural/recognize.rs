//! Neural reader, line recognition around the model: a line picture in, the recogniser's input
//! tensor out (`line_input`); the recogniser's per-step class probabilities in, characters with
//! their confidence and their runner-up out (`decode`, greedy CTC). Pure: no model, no files.
//!
//! CTC: the model gives, for each horizontal step of the line, a probability for every class,
//! class 0 being "no character here" (blank). The text is the best class of each step with
//! repeats merged and blanks dropped; a blank between two equal classes keeps both (`00`).

use std::ops::Range;

use image::GrayImage;
use image::imageops::{FilterType, resize};

/// Height of the recogniser's input, in pixels (PP-OCR's line models are trained on 48).
pub const LINE_HEIGHT: u32 = 48;
/// Narrowest input: shorter lines are padded to it, as PP-OCR does at inference.
pub const MIN_LINE_WIDTH: u32 = 320;
/// Widest input: longer lines are squeezed to it (about 30 characters per 48 px of height
/// already fit in 1200 px; no field of a notice is longer).
pub const MAX_LINE_WIDTH: u32 = 1600;

/// The recogniser's classes: index 0 is the CTC blank, then the model's character list, then
/// (for models trained with it) the space.
#[derive(Clone, Debug)]
pub struct Alphabet {
    classes: Vec<char>,
}

impl Alphabet {
    /// `characters` as the model's metadata lists them, one per line; `classes` is the size of
    /// the model's output, which says whether a space class follows the list.
    pub fn from_lines(characters: &str, classes: usize) -> Result<Alphabet, String> {
        let mut list = vec!['\u{0}']; // blank, never emitted
        for (n, line) in characters.split('\n').enumerate() {
            let mut chars = line.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => list.push(c),
                // A trailing newline leaves one empty last line.
                (None, _) if n + 1 == characters.split('\n').count() => {}
                _ => {
                    return Err(format!(
                        "character list line {} is not one character: {line:?}",
                        n + 1
                    ));
                }
            }
        }
        match classes.checked_sub(list.len()) {
            Some(0) => {}
            Some(1) => list.push(' '),
            _ => {
                return Err(format!(
                    "the model has {classes} classes but its character list gives {}",
                    list.len()
                ));
            }
        }
        Ok(Alphabet { classes: list })
    }

    pub fn len(&self) -> usize {
        self.classes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.classes.len() <= 1
    }

    fn char(&self, class: usize) -> char {
        self.classes[class]
    }
}

/// One character of a line as the recogniser read it.
#[derive(Clone, Debug, PartialEq)]
pub struct CharReading {
    pub ch: char,
    /// The highest probability the model gave this character over the steps it was read at.
    pub confidence: f32,
    /// The most probable other character (never blank, never `ch` itself) over those steps, and
    /// its probability: what a number decoder tries when `ch` does not fit.
    pub alternative: Option<(char, f32)>,
    /// The model's output steps this character was read at.
    pub steps: Range<usize>,
}

/// Greedy CTC decoding of `probs`: `steps` rows of `alphabet.len()` probabilities each.
pub fn decode(probs: &[f32], steps: usize, alphabet: &Alphabet) -> Vec<CharReading> {
    let classes = alphabet.len();
    assert_eq!(
        probs.len(),
        steps * classes,
        "probabilities are not steps × classes"
    );
    let mut out: Vec<CharReading> = Vec::new();
    let mut previous = 0usize;
    for step in 0..steps {
        let row = &probs[step * classes..(step + 1) * classes];
        let (best, best_p) = argmax(row, None);
        if best != 0 {
            // The runner-up of this step, leaving out blank and the winner.
            let (second, second_p) = argmax(row, Some(best));
            if best == previous
                && let Some(last) = out.last_mut()
            {
                last.confidence = last.confidence.max(best_p);
                last.steps.end = step + 1;
                if second != 0 && last.alternative.is_none_or(|(_, p)| second_p > p) {
                    last.alternative = Some((alphabet.char(second), second_p));
                }
            } else {
                out.push(CharReading {
                    ch: alphabet.char(best),
                    confidence: best_p,
                    alternative: (second != 0).then(|| (alphabet.char(second), second_p)),
                    steps: step..step + 1,
                });
            }
        }
        previous = best;
    }
    out
}

/// The best class of `row` (ties go to the lower index); with `besides`, the best non-blank
/// class other than that one (0 when there is none).
fn argmax(row: &[f32], besides: Option<usize>) -> (usize, f32) {
    let mut best = (0usize, f32::NEG_INFINITY);
    for (class, &p) in row.iter().enumerate() {
        if besides.is_some_and(|b| class == b || class == 0) {
            continue;
        }
        if p > best.1 {
            best = (class, p);
        }
    }
    if best.1 == f32::NEG_INFINITY {
        (0, 0.0)
    } else {
        best
    }
}

/// Turns raw scores into probabilities, row by row, when the model did not (a row of
/// probabilities already sums to 1 and is left alone).
pub fn ensure_probabilities(scores: &mut [f32], classes: usize) {
    for row in scores.chunks_mut(classes) {
        let sum: f32 = row.iter().sum();
        if (sum - 1.0).abs() < 1e-3 && row.iter().all(|&p| p >= 0.0) {
            continue;
        }
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut total = 0.0;
        for p in row.iter_mut() {
            *p = (*p - max).exp();
            total += *p;
        }
        for p in row.iter_mut() {
            *p /= total;
        }
    }
}

/// The recogniser's input for one line picture.
#[derive(Clone, Debug)]
pub struct LineInput {
    /// 3 × [`LINE_HEIGHT`] × `width` values, channel-major, ink dark, in −1..1 (padding 0).
    pub data: Vec<f32>,
    pub width: u32,
    /// Columns of `data` that hold the picture (the rest is padding).
    pub used_width: u32,
}

/// Scales `line` to [`LINE_HEIGHT`] keeping its proportions, normalises it as PP-OCR does
/// (`(v / 255 − 0.5) / 0.5`, grey copied to the three colour channels) and pads it on the right.
pub fn line_input(line: &GrayImage) -> LineInput {
    let (w, h) = (line.width().max(1), line.height().max(1));
    let used_width = ((f64::from(w) * f64::from(LINE_HEIGHT) / f64::from(h)).ceil() as u32)
        .clamp(1, MAX_LINE_WIDTH);
    let width = used_width.max(MIN_LINE_WIDTH).div_ceil(8) * 8;
    let scaled = resize(line, used_width, LINE_HEIGHT, FilterType::Triangle);
    let plane = (LINE_HEIGHT * width) as usize;
    let mut data = vec![0.0f32; 3 * plane];
    for (x, y, pixel) in scaled.enumerate_pixels() {
        let v = f32::from(pixel.0[0]) / 127.5 - 1.0;
        let at = (y * width + x) as usize;
        data[at] = v;
        data[plane + at] = v;
        data[2 * plane + at] = v;
    }
    LineInput {
        data,
        width,
        used_width,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An alphabet of blank, the given characters and a space.
    fn alphabet(chars: &str) -> Alphabet {
        let list: Vec<String> = chars.chars().map(String::from).collect();
        Alphabet::from_lines(&list.join("\n"), chars.chars().count() + 2).expect("alphabet")
    }

    /// Probabilities for a sequence of steps, each step given as (class, p) pairs; the rest of
    /// each row shares what is left evenly.
    fn steps(alphabet: &Alphabet, rows: &[&[(usize, f32)]]) -> Vec<f32> {
        let n = alphabet.len();
        let mut out = Vec::new();
        for row in rows {
            let given: f32 = row.iter().map(|&(_, p)| p).sum();
            let rest = (1.0 - given) / (n - row.len()) as f32;
            let mut probs = vec![rest; n];
            for &(class, p) in row.iter() {
                probs[class] = p;
            }
            out.extend(probs);
        }
        out
    }

    fn text(chars: &[CharReading]) -> String {
        chars.iter().map(|c| c.ch).collect()
    }

    #[test]
    fn repeats_merge_blanks_split_and_drop() {
        // classes: 0 blank, 1 'E', 2 'A', 3 'C', 4 '0', 5 ' '
        let a = alphabet("EAC0");
        let probs = steps(
            &a,
            &[
                &[(0, 0.9)],
                &[(1, 0.8)],
                &[(1, 0.9)],
                &[(2, 0.7)],
                &[(3, 0.95)],
                &[(4, 0.9)],
                &[(0, 0.8)],
                &[(4, 0.85)],
                &[(4, 0.6)],
                &[(5, 0.9)],
                &[(0, 0.99)],
            ],
        );
        let chars = decode(&probs, 11, &a);
        assert_eq!(text(&chars), "EAC00 ");
        assert_eq!(chars[0].steps, 1..3);
        assert_eq!(
            chars[0].confidence, 0.9,
            "the best step of a run is its confidence"
        );
        assert_eq!(chars[4].steps, 7..9);
        assert_eq!(chars[4].confidence, 0.85);
    }

    #[test]
    fn the_runner_up_is_the_best_other_character_over_the_run() {
        // classes: 0 blank, 1 'O', 2 '0', 3 'D', 4 ' '
        let a = alphabet("O0D");
        let probs = steps(
            &a,
            &[
                &[(1, 0.5), (3, 0.3), (0, 0.1)],
                &[(1, 0.55), (2, 0.4), (0, 0.04)],
                &[(0, 0.7), (1, 0.2)],
            ],
        );
        let chars = decode(&probs, 3, &a);
        assert_eq!(chars.len(), 1);
        assert_eq!(chars[0].ch, 'O');
        assert_eq!(chars[0].confidence, 0.55);
        assert_eq!(chars[0].alternative, Some(('0', 0.4)));
    }

    #[test]
    fn blank_is_never_the_alternative() {
        let a = alphabet("12");
        // Blank is second best, far ahead of every character.
        let probs = steps(&a, &[&[(1, 0.6), (0, 0.39)]]);
        let chars = decode(&probs, 1, &a);
        let (alt, p) = chars[0].alternative.expect("some character is second");
        assert_ne!(alt, '\u{0}');
        assert!(p < 0.01);
    }

    #[test]
    fn all_blank_reads_nothing() {
        let a = alphabet("AB");
        let probs = steps(&a, &[&[(0, 0.99)], &[(0, 0.97)]]);
        assert!(decode(&probs, 2, &a).is_empty());
        assert!(decode(&[], 0, &a).is_empty());
    }

    #[test]
    fn raw_scores_become_probabilities_and_probabilities_stay() {
        let mut scores = vec![2.0, 1.0, 0.0, 0.2, 0.3, 0.5];
        ensure_probabilities(&mut scores, 3);
        let first: f32 = scores[..3].iter().sum();
        assert!((first - 1.0).abs() < 1e-5);
        assert!(scores[0] > scores[1] && scores[1] > scores[2]);
        assert_eq!(&scores[3..], &[0.2, 0.3, 0.5]);
    }

    #[test]
    fn the_alphabet_must_match_the_model() {
        assert_eq!(Alphabet::from_lines("a\nb\n", 4).map(|a| a.len()), Ok(4));
        assert_eq!(Alphabet::from_lines("a\nb", 3).map(|a| a.len()), Ok(3));
        assert!(Alphabet::from_lines("a\nb", 7).is_err());
        assert!(Alphabet::from_lines("a\nbc", 4).is_err());
    }

    #[test]
    fn a_line_is_scaled_to_48_high_normalised_and_padded() {
        let line = GrayImage::from_pixel(100, 24, image::Luma([255]));
        let input = line_input(&line);
        assert_eq!(input.used_width, 200);
        assert_eq!(input.width, MIN_LINE_WIDTH);
        assert_eq!(input.data.len(), (3 * LINE_HEIGHT * input.width) as usize);
        assert_eq!(input.data[0], 1.0, "white is 1");
        assert_eq!(input.data[250], 0.0, "padding is 0");
        let long = GrayImage::from_pixel(4000, 20, image::Luma([0]));
        let input = line_input(&long);
        assert_eq!(input.width, MAX_LINE_WIDTH);
        assert_eq!(input.data[0], -1.0, "black is -1");
    }
}
