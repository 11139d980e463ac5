//! Which way up a page is: Tesseract's orientation detection, trusted when it is sure, checked
//! against the words read when it is not.

use super::*;

/// Orientation detections at least this confident are followed without a second opinion.
/// Tesseract's own `min_orientation_margin` is 7; turned notices score 10–13, scans and photos
/// that are hard to read 5–9.
const TRUSTED_ORIENTATION: f32 = 5.0;

/// A field region with fewer words of three letters or more than this is not taken as upright
/// without checking the page's orientation.
const MIN_LONG_WORDS: usize = 3;

impl TesseractRecognizer<'_> {
    /// The page turned upright (clockwise quarter turns, and its field region read), when the
    /// first reading did not look upright. Tesseract's orientation detector decides when it is
    /// sure. When it is unsure, or its data is not installed, the candidate turns are read and
    /// one is kept only if it has more dictionary words than the reading it replaces (a
    /// landscape reading counts as none: it is the sideways page being tried).
    pub(super) fn find_orientation(
        &mut self,
        current: &FieldRegion,
    ) -> Result<Option<(u8, FieldRegion)>, OcrError> {
        let candidates: Vec<u8> = match self.detect_turn(&current.page) {
            // A landscape picture of a portrait notice lies on its side whatever the detector
            // made of it (too blurred for it to tell, or read as upright vertical text).
            Detection::Turned(0, _) | Detection::TooLittleText if is_landscape(&current.page) => {
                vec![1, 3]
            }
            Detection::Turned(0, _) | Detection::TooLittleText => return Ok(None),
            Detection::Turned(quarters, confidence) if confidence >= TRUSTED_ORIENTATION => {
                let upright = self.read_field_region(prepare::turned(&current.page, quarters)?)?;
                return Ok(Some((quarters, upright)));
            }
            Detection::Turned(quarters, _) => vec![quarters],
            // Without the detector, try the turns, upside down first (the usual scanning mistake).
            Detection::Unavailable => vec![2, 1, 3],
        };
        let mut best: Option<(u8, FieldRegion)> = None;
        let mut best_score = if is_landscape(&current.page) {
            0
        } else {
            dictionary_words(&current.words)
        };
        for quarters in candidates {
            let turned = self.read_field_region(prepare::turned(&current.page, quarters)?)?;
            let score = dictionary_words(&turned.words);
            if score > best_score {
                best_score = score;
                let upright = looks_upright(&turned);
                best = Some((quarters, turned));
                if upright {
                    break;
                }
            }
        }
        Ok(best)
    }

    /// What Tesseract's orientation detector makes of the page.
    fn detect_turn(&mut self, page: &prepare::Page) -> Detection {
        let Some(detector) = self.orientation_engine() else {
            return Detection::Unavailable;
        };
        detector.set_image(&page.pix, page.dpi);
        let found = detector.detect_orientation();
        detector.clear();
        match found {
            // Tesseract reports how far the page is turned counter-clockwise.
            Some((degrees, confidence)) => {
                Detection::Turned(((360 - degrees) % 360 / 90) as u8, confidence)
            }
            None => Detection::TooLittleText,
        }
    }

    fn orientation_engine(&mut self) -> Option<&mut Engine> {
        let dir = self.source.orientation_data.as_deref()?;
        if self.engines.orientation.is_none() {
            self.engines.orientation = Some(Engine::new(Some(dir), "osd", Model::Legacy)?);
        }
        self.engines.orientation.as_mut()
    }
}

/// The orientation detector's verdict.
enum Detection {
    /// Clockwise quarter turns that bring the page upright, and Tesseract's confidence.
    Turned(u8, f32),
    /// Too few characters to tell: not a page of text, so not worth trying the turns either.
    TooLittleText,
    /// No orientation data installed.
    Unavailable,
}

fn is_landscape(page: &prepare::Page) -> bool {
    u64::from(page.pix.width()) * 10 > u64::from(page.pix.height()) * 11
}

/// Words of three letters or more that the recogniser found in its dictionary.
fn dictionary_words(words: &[Word]) -> usize {
    words
        .iter()
        .filter(|w| w.in_dictionary && long_word(w))
        .count()
}

fn long_word(word: &Word) -> bool {
    word.text.chars().filter(|c| c.is_alphabetic()).count() >= 3
}

/// Whether a reading looks like upright text. Tesseract's confidences do not tell: it reads
/// upside-down lines as confident nonsense ("SIHL 3OILON"). Dictionary words do: an upright
/// notice's field region has most of its longer words in the dictionary (about 80%), a turned
/// one a quarter or fewer. A landscape picture is most often a portrait page lying on its side
/// (which Tesseract half-reads as vertical text), so it is always checked.
pub(super) fn looks_upright(region: &FieldRegion) -> bool {
    if is_landscape(&region.page) {
        return false;
    }
    let long = region.words.iter().filter(|w| long_word(w)).count();
    long >= MIN_LONG_WORDS && dictionary_words(&region.words) * 2 >= long
}
