//! A recogniser source for runs where OCR is not available: every image page fails with a
//! message that says so.

use super::{OcrError, Recognizer, RecognizerSource};

#[derive(Debug)]
pub struct NoOcr;

impl RecognizerSource for NoOcr {
    fn with_recognizer<T>(
        &self,
        _work: impl FnOnce(&mut dyn Recognizer) -> T,
    ) -> Result<T, OcrError> {
        Err(OcrError::Engine(
            "this page is an image and OCR is not available in this build".into(),
        ))
    }
}
