//! Neural reader: a second recogniser, independent of Tesseract. PP-OCRv6 small text detection
//! (DBNet) finds the text lines of a page, CTC line recognition reads each one; both are ONNX
//! models run in process by rten. Grey pictures in, lines with boxes in the picture's pixels and
//! per-character confidences and runner-ups out. It knows nothing of notices or the pipeline.
//!
//! Stages, one file each: `model` (find, load, run the models), `detect` (probability map →
//! line boxes), `recognize` (line picture → input; scores → characters).
//!
//! The models are fetched by `scripts/setup` into [`default_models_dir`]; see `bench/neural.md`
//! for what the reader costs per page and per line.

use std::path::{Path, PathBuf};

use image::GrayImage;
use image::imageops::{FilterType, crop_imm, resize};

pub mod detect;
pub mod model;
pub mod recognize;
mod second;

pub use detect::{DetectOptions, TextBox};
pub use model::default_models_dir;

use detect::ProbabilityMap;
use model::Models;

/// Why the neural reader could not start or read.
#[derive(Debug, thiserror::Error)]
pub enum NeuralError {
    #[error(
        "the neural reader's models are not in {} (missing {missing}): run scripts/setup to fetch them, or set I797_MODELS to the folder that holds them",
        .dir.display()
    )]
    ModelsMissing { dir: PathBuf, missing: String },
    #[error("the neural reader's model {} could not be loaded: {reason}", .path.display())]
    Load { path: PathBuf, reason: String },
    #[error("the neural reader failed: {0}")]
    Run(String),
}

/// How the reader works; the defaults suit letter pages scanned at 150–300 dpi.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReaderOptions {
    /// The page is scaled so that its longer side is at most this many pixels before detection
    /// (detection time grows with the area; text lines of a letter page stay findable at 1280).
    pub detect_max_side: u32,
    pub detect: DetectOptions,
    /// Inference threads of this reader; `None` shares one pool of a thread per core. A worker
    /// that runs beside others wants 1.
    pub threads: Option<usize>,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            detect_max_side: 1280,
            detect: DetectOptions::default(),
            threads: None,
        }
    }
}

/// One character as read, with its place on the picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Char {
    pub ch: char,
    /// The model's probability for `ch` (0–1).
    pub confidence: f32,
    /// The most probable other character and its probability, where the model saw one.
    pub alternative: Option<(char, f32)>,
    /// Left and right edge of the steps it was read at, in picture pixels (approximate: CTC
    /// places a character, it does not outline it).
    pub left: f32,
    pub right: f32,
}

/// A text line (or a word of one): its text, where it is, and how each character was read.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine {
    pub text: String,
    /// In picture pixels; `score` is the detector's for a line, 1 for a line read as given.
    pub bounds: TextBox,
    pub chars: Vec<Char>,
}

impl TextLine {
    /// The lowest confidence of its characters (0 for an empty line): one doubtful character
    /// is enough to doubt a number.
    pub fn confidence(&self) -> f32 {
        if self.chars.is_empty() {
            return 0.0;
        }
        self.chars.iter().map(|c| c.confidence).fold(1.0, f32::min)
    }

    /// The line split at spaces, each word with the span of its characters widened by half a
    /// character's pitch on either side. CTC places each character at the steps where it fired,
    /// narrower than its print, so the words' own spans leave gaps about twice a space between
    /// the words of one phrase, which the layout would take for a column gap.
    pub fn words(&self) -> Vec<TextLine> {
        let half_pitch = self.pitch() / 2.0;
        self.chars
            .split(|c| c.ch == ' ')
            .filter(|chars| !chars.is_empty())
            .map(|chars| TextLine {
                text: chars.iter().map(|c| c.ch).collect(),
                bounds: TextBox {
                    left: (chars[0].left - half_pitch).max(self.bounds.left),
                    right: (chars[chars.len() - 1].right + half_pitch).min(self.bounds.right),
                    ..self.bounds
                },
                chars: chars.to_vec(),
            })
            .collect()
    }

    /// The median distance between the starts of neighbouring characters (0 with fewer than two).
    fn pitch(&self) -> f32 {
        let mut steps: Vec<f32> = self
            .chars
            .windows(2)
            .map(|pair| pair[1].left - pair[0].left)
            .filter(|step| *step > 0.0)
            .collect();
        steps.sort_by(f32::total_cmp);
        steps.get(steps.len() / 2).copied().unwrap_or(0.0)
    }
}

/// The neural reader: both models, loaded once. Reading takes `&self`; the models are not
/// changed by running them, so one reader may serve several threads.
#[derive(Debug)]
pub struct NeuralReader {
    models: Models,
    options: ReaderOptions,
}

impl NeuralReader {
    /// Loads the models from `dir` (see [`default_models_dir`]).
    pub fn load(dir: &Path) -> Result<NeuralReader, NeuralError> {
        NeuralReader::load_with(dir, ReaderOptions::default())
    }

    pub fn load_with(dir: &Path, options: ReaderOptions) -> Result<NeuralReader, NeuralError> {
        Ok(NeuralReader {
            models: Models::load(dir, options.threads)?,
            options,
        })
    }

    /// Finds the text lines of `page`, in reading order, in `page`'s pixels.
    pub fn detect(&self, page: &GrayImage) -> Result<Vec<TextBox>, NeuralError> {
        let (w, h) = page.dimensions();
        if w < 8 || h < 8 {
            return Ok(Vec::new());
        }
        let (dw, dh) = detection_size(w, h, self.options.detect_max_side);
        let scaled = resize(page, dw, dh, FilterType::Triangle);
        let plane = (dw * dh) as usize;
        let mut input = vec![0.0f32; 3 * plane];
        for (i, pixel) in scaled.pixels().enumerate() {
            let v = f32::from(pixel.0[0]) / 127.5 - 1.0;
            input[i] = v;
            input[plane + i] = v;
            input[2 * plane + i] = v;
        }
        let map = self.models.detect(input, dh as usize, dw as usize)?;
        let map = ProbabilityMap {
            width: dw as usize,
            height: dh as usize,
            data: &map,
        };
        let (sx, sy) = (w as f32 / dw as f32, h as f32 / dh as f32);
        Ok(detect::find_boxes(&map, &self.options.detect)
            .into_iter()
            .map(|b| b.scaled(sx, sy, w as f32, h as f32))
            .collect())
    }

    /// Reads the line inside `bounds` of `page`.
    pub fn read_box(&self, page: &GrayImage, bounds: &TextBox) -> Result<TextLine, NeuralError> {
        let x = bounds.left.floor().max(0.0) as u32;
        let y = bounds.top.floor().max(0.0) as u32;
        let right = (bounds.right.ceil() as u32).min(page.width());
        let bottom = (bounds.bottom.ceil() as u32).min(page.height());
        if right <= x || bottom <= y {
            return Ok(TextLine {
                text: String::new(),
                bounds: *bounds,
                chars: Vec::new(),
            });
        }
        let crop = crop_imm(page, x, y, right - x, bottom - y).to_image();
        let mut line = self.read_line(&crop)?;
        for c in &mut line.chars {
            c.left += x as f32;
            c.right += x as f32;
        }
        line.bounds = *bounds;
        Ok(line)
    }

    /// Reads `line`, a picture of one line of text (a crop), as a whole.
    pub fn read_line(&self, line: &GrayImage) -> Result<TextLine, NeuralError> {
        let bounds = TextBox {
            left: 0.0,
            top: 0.0,
            right: line.width() as f32,
            bottom: line.height() as f32,
            score: 1.0,
        };
        if line.width() == 0 || line.height() == 0 {
            return Ok(TextLine {
                text: String::new(),
                bounds,
                chars: Vec::new(),
            });
        }
        let input = recognize::line_input(line);
        let classes = self.models.alphabet.len();
        let (steps, mut scores) = self.models.recognize(
            input.data,
            recognize::LINE_HEIGHT as usize,
            input.width as usize,
        )?;
        recognize::ensure_probabilities(&mut scores, classes);
        let read = recognize::decode(&scores, steps, &self.models.alphabet);
        // A step covers width / steps input columns; the picture fills `used_width` of them.
        let to_picture = input.width as f32 / steps.max(1) as f32 * line.width() as f32
            / input.used_width as f32;
        let chars: Vec<Char> = read
            .into_iter()
            .map(|r| Char {
                ch: r.ch,
                confidence: r.confidence,
                alternative: r.alternative,
                left: (r.steps.start as f32 * to_picture).min(bounds.right),
                right: (r.steps.end as f32 * to_picture).min(bounds.right),
            })
            .collect();
        let chars = trim_spaces(chars);
        Ok(TextLine {
            text: chars.iter().map(|c| c.ch).collect(),
            bounds,
            chars,
        })
    }

    /// Detects the lines of `page` and reads each; lines read as nothing are left out.
    pub fn read_page(&self, page: &GrayImage) -> Result<Vec<TextLine>, NeuralError> {
        let mut lines = Vec::new();
        for bounds in self.detect(page)? {
            let line = self.read_box(page, &bounds)?;
            if !line.text.is_empty() {
                lines.push(line);
            }
        }
        Ok(lines)
    }
}

/// Spaces at either end carry nothing (and `text` has them trimmed too).
fn trim_spaces(mut chars: Vec<Char>) -> Vec<Char> {
    while chars.last().is_some_and(|c| c.ch == ' ') {
        chars.pop();
    }
    let lead = chars.iter().take_while(|c| c.ch == ' ').count();
    chars.drain(..lead);
    chars
}

/// The detector's input size for a `w` × `h` page: scaled down so the longer side is at most
/// `max_side`, each side rounded to a multiple of 32 (the network halves it five times).
fn detection_size(w: u32, h: u32, max_side: u32) -> (u32, u32) {
    let scale = (f64::from(max_side) / f64::from(w.max(h))).min(1.0);
    let round = |v: u32| (((f64::from(v) * scale) / 32.0).round() as u32).max(1) * 32;
    (round(w), round(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_input_is_at_most_the_limit_in_multiples_of_32() {
        assert_eq!(detection_size(1700, 2200, 1280), (992, 1280));
        assert_eq!(detection_size(1275, 1650, 1280), (992, 1280));
        assert_eq!(detection_size(600, 100, 1280), (608, 96));
        assert_eq!(detection_size(10, 10, 1280), (32, 32));
    }

    #[test]
    fn words_split_at_spaces_with_their_spans() {
        let c = |ch, left| Char {
            ch,
            confidence: 0.9,
            alternative: None,
            left,
            right: left + 5.0,
        };
        let line = TextLine {
            text: "AB CD".into(),
            bounds: TextBox {
                left: 0.0,
                top: 10.0,
                right: 40.0,
                bottom: 20.0,
                score: 0.8,
            },
            chars: vec![
                c('A', 0.0),
                c('B', 6.0),
                c(' ', 12.0),
                c('C', 20.0),
                c('D', 27.0),
            ],
        };
        let words = line.words();
        assert_eq!(words.len(), 2);
        assert_eq!(words[1].text, "CD");
        // Its characters' span (20–32), widened by half the median pitch (7) each side.
        assert_eq!((words[1].bounds.left, words[1].bounds.right), (16.5, 35.5));
        assert_eq!((words[1].bounds.top, words[1].bounds.bottom), (10.0, 20.0));
        assert_eq!(line.confidence(), 0.9);
    }

    #[test]
    fn missing_models_say_where_and_what_to_run() {
        let dir = std::env::temp_dir().join("i797-no-models-here");
        let err = NeuralReader::load(&dir).expect_err("no models there");
        let message = err.to_string();
        assert!(message.contains("i797-no-models-here"), "{message}");
        assert!(message.contains("scripts/setup"), "{message}");
        assert!(message.contains("PP-OCRv6_det_small.onnx"), "{message}");
    }
}
