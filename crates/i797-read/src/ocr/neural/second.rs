//! The neural reader as the pipeline's [`SecondReader`]: its lines as layout words, in the
//! picture's pixels, so both readers' words go through the same layout and the same decoder.

use image::GrayImage;
use image::imageops::crop_imm;

use super::{NeuralError, NeuralReader, TextLine};
use crate::ocr::layout::Word;
use crate::ocr::{Area, OcrError, SecondReader};

impl SecondReader for NeuralReader {
    fn read_area(&self, picture: &GrayImage, area: Area) -> Result<Vec<Word>, OcrError> {
        let Some(crop) = cropped(picture, area) else {
            return Ok(Vec::new());
        };
        let line = off_the_pool(|| self.read_line(&crop)).map_err(engine_error)?;
        Ok(words_of(&line, area))
    }

    fn find_and_read(&self, picture: &GrayImage, area: Area) -> Result<Vec<Word>, OcrError> {
        let Some(crop) = cropped(picture, area) else {
            return Ok(Vec::new());
        };
        let lines = off_the_pool(|| self.read_page(&crop)).map_err(engine_error)?;
        Ok(lines.iter().flat_map(|line| words_of(line, area)).collect())
    }
}

/// Runs `work` on a thread of its own and waits for it. A worker of the scan's (rayon) pool that
/// ran the models itself would, while it waits for the inference threads, be handed other pages
/// by rayon (a worker blocked in another pool steals from its own): a line's read then waited
/// for whole pages (4 s instead of 40 ms, measured) and pages piled up in memory.
fn off_the_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        scope
            .spawn(work)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// `area` of `picture`, clipped to it; `None` when nothing is left.
fn cropped(picture: &GrayImage, area: Area) -> Option<GrayImage> {
    let left = area.left.min(picture.width());
    let top = area.top.min(picture.height());
    let width = area.width.min(picture.width() - left);
    let height = area.height.min(picture.height() - top);
    (width > 0 && height > 0).then(|| crop_imm(picture, left, top, width, height).to_image())
}

fn engine_error(error: NeuralError) -> OcrError {
    OcrError::Engine(error.to_string())
}

/// The words of `line` (read in a crop that starts at `area`'s corner) in the picture's pixels,
/// each character's probability as a 0–100 confidence.
fn words_of(line: &TextLine, area: Area) -> Vec<Word> {
    let (dx, dy) = (area.left as f32, area.top as f32);
    line.words()
        .into_iter()
        .map(|word| {
            let bounds = word.bounds;
            let mut out = Word::new(
                (bounds.left + dx).floor() as i32,
                (bounds.top + dy).floor() as i32,
                (bounds.right + dx).ceil() as i32,
                (bounds.bottom + dy).ceil() as i32,
            );
            for c in &word.chars {
                out.push_symbol(c.ch.encode_utf8(&mut [0; 4]), c.confidence * 100.0);
            }
            // The recogniser has no dictionary; a word is taken as read upright.
            out.in_dictionary = true;
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::neural::{Char, TextBox};

    #[test]
    fn words_land_in_the_pictures_pixels_with_their_confidences() {
        let c = |ch, left, confidence| Char {
            ch,
            confidence,
            alternative: None,
            left,
            right: left + 8.0,
        };
        let line = TextLine {
            text: "EAC 21".into(),
            bounds: TextBox {
                left: 0.0,
                top: 2.0,
                right: 60.0,
                bottom: 22.0,
                score: 1.0,
            },
            chars: vec![
                c('E', 0.0, 0.99),
                c('A', 9.0, 0.98),
                c('C', 18.0, 0.5),
                c(' ', 27.0, 0.9),
                c('2', 36.0, 0.97),
                c('1', 45.0, 1.0),
            ],
        };
        let area = Area {
            left: 100,
            top: 50,
            width: 60,
            height: 30,
        };
        let words = words_of(&line, area);
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].text, "EAC");
        assert_eq!(words[0].confidence, vec![99, 98, 50]);
        assert_eq!((words[0].left, words[0].top), (100, 52));
        // Widened by half the pitch (9 px) each side, within the line.
        assert_eq!(
            (words[1].left, words[1].right, words[1].bottom),
            (131, 158, 72)
        );
    }

    #[test]
    fn the_words_of_one_phrase_are_laid_out_as_one_phrase() {
        // CTC fires on a narrow step per character (3 px of a 12 px pitch): the spans alone
        // leave 21 px between `Receipt` and `Notice`, nearly two characters.
        let text = "Notice Type: Receipt Notice";
        let chars = text
            .chars()
            .enumerate()
            .map(|(k, ch)| Char {
                ch,
                confidence: 0.99,
                alternative: None,
                left: 12.0 * k as f32,
                right: 12.0 * k as f32 + 3.0,
            })
            .collect();
        let line = TextLine {
            text: text.into(),
            bounds: TextBox {
                left: 0.0,
                top: 0.0,
                right: 12.0 * text.len() as f32,
                bottom: 24.0,
                score: 1.0,
            },
            chars,
        };
        let words = words_of(&line, Area::whole(400, 30));
        assert_eq!(crate::ocr::layout::build(&words).text, format!("{text}\n"));
    }

    #[test]
    fn an_area_past_the_picture_is_clipped_or_empty() {
        let picture = GrayImage::new(50, 40);
        let inside = cropped(
            &picture,
            Area {
                left: 40,
                top: 30,
                width: 30,
                height: 30,
            },
        );
        assert_eq!(inside.map(|c| c.dimensions()), Some((10, 10)));
        assert!(
            cropped(
                &picture,
                Area {
                    left: 50,
                    top: 0,
                    width: 5,
                    height: 5
                }
            )
            .is_none()
        );
    }
}
