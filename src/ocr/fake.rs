//! A recogniser for tests: canned text for each picture, no Tesseract, so the pipeline and the
//! binary's behaviour can be tested in milliseconds.
//!
//! Invariant: it honours the [`Recognizer`] contract like the real one — the field region's text
//! goes to `enough` first, the rest of the page is "read" (and counted) only when that says no.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{OcrError, OcrPage, Recognizer, RecognizerSource, Rows};
use crate::extract::{PageText, TextSource};
use crate::source::{ImageData, PageImage};

/// What the fake reads on one picture.
#[derive(Clone, Debug)]
pub struct FakePage {
    /// The field region (top of the page).
    pub top: PageText,
    /// The rest of the page.
    pub rest: PageText,
    /// Reported as [`OcrPage::turned`].
    pub turned: u8,
    /// What [`Recognizer::read_carefully`] reads, if the picture has a careful way.
    pub careful: Option<PageText>,
    /// What [`Recognizer::read_again`] reads, one text per other way of reading.
    pub again: Vec<PageText>,
    /// What [`Recognizer::read_closer`] reads, one text per way.
    pub closer: Vec<PageText>,
    /// Reported as [`OcrPage::coarse`] by the first reading.
    pub coarse: bool,
}

impl FakePage {
    /// Plain text with every character at `confidence`.
    pub fn new(top: &str, rest: &str, confidence: u8) -> FakePage {
        FakePage {
            top: ocr_text(top, confidence),
            rest: ocr_text(rest, confidence),
            turned: 0,
            careful: None,
            again: Vec::new(),
            closer: Vec::new(),
            coarse: false,
        }
    }

    /// The same, as a coarse black-and-white scan (see [`OcrPage::coarse`]).
    pub fn coarse(mut self) -> FakePage {
        self.coarse = true;
        self
    }

    /// The same, with `careful` as what the careful reading of the whole page finds.
    pub fn read_carefully_as(mut self, careful: &str, confidence: u8) -> FakePage {
        self.careful = Some(ocr_text(careful, confidence));
        self
    }

    /// The same, with `again` as what the other ways of reading the field region find, one
    /// text per way.
    pub fn read_again_as(mut self, again: &[&str], confidence: u8) -> FakePage {
        self.again = again.iter().map(|t| ocr_text(t, confidence)).collect();
        self
    }

    /// The same, with `closer` as what the closer readings of the field region find.
    pub fn read_closer_as(mut self, closer: &[&str], confidence: u8) -> FakePage {
        self.closer = closer.iter().map(|t| ocr_text(t, confidence)).collect();
        self
    }
}

/// OCR text with one confidence for every character.
pub fn ocr_text(text: &str, confidence: u8) -> PageText {
    PageText {
        text: text.to_string(),
        source: TextSource::Ocr,
        char_confidence: Some(vec![confidence; text.chars().count()]),
    }
}

/// Canned pages keyed by the picture's bytes (the encoded file bytes, or the raw pixel data).
#[derive(Debug, Default)]
pub struct FakeOcr {
    pages: Vec<(Vec<u8>, Result<FakePage, String>)>,
    reads: AtomicUsize,
    rest_reads: AtomicUsize,
    other_ways: AtomicUsize,
    closer_reads: AtomicUsize,
}

impl FakeOcr {
    pub fn new() -> FakeOcr {
        FakeOcr::default()
    }

    /// Reads `page` wherever the picture's bytes are `picture`.
    pub fn page(mut self, picture: impl Into<Vec<u8>>, page: FakePage) -> FakeOcr {
        self.pages.push((picture.into(), Ok(page)));
        self
    }

    /// Fails with `message` (as an engine error) on this picture.
    pub fn failing(mut self, picture: impl Into<Vec<u8>>, message: &str) -> FakeOcr {
        self.pages.push((picture.into(), Err(message.to_string())));
        self
    }

    /// Pictures read so far.
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::Relaxed)
    }

    /// Pictures read again other ways ([`Recognizer::read_again`]).
    pub fn other_ways(&self) -> usize {
        self.other_ways.load(Ordering::Relaxed)
    }

    /// Pictures read closer ([`Recognizer::read_closer`]).
    pub fn closer_reads(&self) -> usize {
        self.closer_reads.load(Ordering::Relaxed)
    }

    /// Pictures whose rest of page was read (because `enough` said no).
    pub fn rest_reads(&self) -> usize {
        self.rest_reads.load(Ordering::Relaxed)
    }
}

impl RecognizerSource for FakeOcr {
    fn with_recognizer<T>(
        &self,
        work: impl FnOnce(&mut dyn Recognizer) -> T,
    ) -> Result<T, OcrError> {
        Ok(work(&mut FakeRecognizer { source: self }))
    }
}

struct FakeRecognizer<'a> {
    source: &'a FakeOcr,
}

impl FakeRecognizer<'_> {
    fn page_for(&self, image: &PageImage) -> Result<&FakePage, OcrError> {
        let key: &[u8] = match &image.pixels {
            ImageData::Encoded { bytes, .. } => bytes,
            ImageData::Raw(raw) => &raw.data,
        };
        match self.source.pages.iter().find(|(picture, _)| picture == key) {
            Some((_, Ok(page))) => Ok(page),
            Some((_, Err(message))) => Err(OcrError::Engine(message.clone())),
            None => Err(OcrError::Decode(
                "the fake recogniser has no text for this picture".into(),
            )),
        }
    }
}

impl Recognizer for FakeRecognizer<'_> {
    fn read_carefully(
        &mut self,
        image: &PageImage,
        _enough: &dyn Fn(&PageText) -> bool,
    ) -> Result<Option<OcrPage>, OcrError> {
        let page = self.page_for(image)?;
        Ok(page
            .careful
            .clone()
            .map(|text| OcrPage::new(text, page.turned)))
    }

    fn read_again(
        &mut self,
        image: &PageImage,
        turned: u8,
        _around: Option<Rows>,
    ) -> Result<Vec<OcrPage>, OcrError> {
        self.source.other_ways.fetch_add(1, Ordering::Relaxed);
        let page = self.page_for(image)?;
        Ok(page
            .again
            .iter()
            .map(|text| OcrPage::new(text.clone(), turned))
            .collect())
    }

    fn read_closer(&mut self, image: &PageImage, turned: u8) -> Result<Vec<OcrPage>, OcrError> {
        self.source.closer_reads.fetch_add(1, Ordering::Relaxed);
        let page = self.page_for(image)?;
        Ok(page
            .closer
            .iter()
            .map(|text| OcrPage::new(text.clone(), turned))
            .collect())
    }

    fn read(
        &mut self,
        image: &PageImage,
        enough: &dyn Fn(&PageText) -> bool,
    ) -> Result<OcrPage, OcrError> {
        self.source.reads.fetch_add(1, Ordering::Relaxed);
        let page = self.page_for(image)?;
        let reading = |text: PageText| OcrPage {
            coarse: page.coarse,
            ..OcrPage::new(text, page.turned)
        };
        if enough(&page.top) {
            return Ok(reading(page.top.clone()));
        }
        self.source.rest_reads.fetch_add(1, Ordering::Relaxed);
        Ok(reading(join(&page.top, &page.rest)))
    }
}

/// The top's text followed by the rest's, on a new line.
fn join(top: &PageText, rest: &PageText) -> PageText {
    let mut text = top.text.clone();
    let mut confidence = top
        .char_confidence
        .clone()
        .unwrap_or_else(|| vec![100; text.chars().count()]);
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
        confidence.push(100);
    }
    text.push_str(&rest.text);
    confidence.extend(
        rest.char_confidence
            .clone()
            .unwrap_or_else(|| vec![100; rest.text.chars().count()]),
    );
    PageText {
        text,
        source: TextSource::Ocr,
        char_confidence: Some(confidence),
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn picture(bytes: &[u8]) -> PageImage {
        PageImage::from_file_bytes(bytes, 0, None)
    }

    #[test]
    fn reads_the_rest_only_when_the_top_is_not_enough() {
        let fake =
            FakeOcr::new().page(b"one".to_vec(), FakePage::new("Receipt Number", "body", 90));
        let image = picture(b"one");
        let page = fake
            .with_recognizer(|ocr| ocr.read(&image, &|text| text.text.contains("Receipt")))
            .unwrap()
            .unwrap();
        assert_eq!(page.text.text, "Receipt Number");
        assert_eq!(fake.rest_reads(), 0);
        let page = fake
            .with_recognizer(|ocr| ocr.read(&image, &|_| false))
            .unwrap()
            .unwrap();
        assert_eq!(page.text.text, "Receipt Number\nbody");
        assert_eq!(
            page.text.char_confidence.unwrap().len(),
            page.text.text.chars().count()
        );
        assert_eq!((fake.reads(), fake.rest_reads()), (2, 1));
    }

    #[test]
    fn unknown_and_failing_pictures_are_errors() {
        let fake = FakeOcr::new().failing(b"bad".to_vec(), "engine exploded");
        let error = fake
            .with_recognizer(|ocr| ocr.read(&picture(b"bad"), &|_| true))
            .unwrap()
            .unwrap_err();
        assert!(error.to_string().contains("engine exploded"));
        let error = fake
            .with_recognizer(|ocr| ocr.read(&picture(b"other"), &|_| true))
            .unwrap()
            .unwrap_err();
        assert!(matches!(error, OcrError::Decode(_)));
    }
}
