//! Recognisers for tests: canned text for each picture, no Tesseract and no neural reader, so
//! the reading policy and the pipeline can be tested in milliseconds. Text is placed on a
//! monospaced grid, so words have boxes and the policy's crops land where the text is.
//!
//! Invariant: it honours the [`Recognizer`] contract like the real one — the field region's text
//! goes to `enough` first, the rest of the page is "read" (and counted) only when that says no.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use image::GrayImage;

use super::layout::Word;
use super::{Area, OcrError, OcrPage, Recognizer, RecognizerSource, SecondReader};
use crate::source::{ImageData, PageImage};
use i797_core::{PageText, TextSource};

/// What the fake reads on one picture.
#[derive(Clone, Debug)]
pub struct FakePage {
    /// The field region (top of the page).
    pub top: PageText,
    /// The rest of the page.
    pub rest: PageText,
    /// Reported as [`OcrPage::turned`].
    pub turned: u8,
    /// What [`Recognizer::read_area`] reads, wherever it is asked to.
    pub area: Option<PageText>,
}

impl FakePage {
    /// Plain text with every character at `confidence`.
    pub fn new(top: &str, rest: &str, confidence: u8) -> FakePage {
        FakePage {
            top: ocr_text(top, confidence),
            rest: ocr_text(rest, confidence),
            turned: 0,
            area: None,
        }
    }

    /// The same, with `text` as what reading any area of the page gives.
    pub fn reading_areas_as(mut self, text: &str, confidence: u8) -> FakePage {
        self.area = Some(ocr_text(text, confidence));
        self
    }
}

/// A second reader for tests: canned text for one line, and for the lines it finds. Clones
/// share their counts.
#[derive(Clone, Debug, Default)]
pub struct FakeSecond {
    line: Option<PageText>,
    found: Option<PageText>,
    lines_read: Arc<AtomicUsize>,
    regions_read: Arc<AtomicUsize>,
}

impl FakeSecond {
    /// Reads `text` in any area it is given as a line.
    pub fn reading_lines_as(mut self, text: &str, confidence: u8) -> FakeSecond {
        self.line = Some(ocr_text(text, confidence));
        self
    }

    /// Finds and reads `text` in any area it is asked to find lines in.
    pub fn finding(mut self, text: &str, confidence: u8) -> FakeSecond {
        self.found = Some(ocr_text(text, confidence));
        self
    }

    /// Areas read as one line, and areas whose lines were found and read, so far.
    pub fn calls(&self) -> (usize, usize) {
        (
            self.lines_read.load(Ordering::Relaxed),
            self.regions_read.load(Ordering::Relaxed),
        )
    }
}

impl SecondReader for FakeSecond {
    fn read_area(&self, _: &GrayImage, area: Area) -> Result<Vec<Word>, OcrError> {
        self.lines_read.fetch_add(1, Ordering::Relaxed);
        Ok(self
            .line
            .as_ref()
            .map(|t| words_of(t, area))
            .unwrap_or_default())
    }

    fn find_and_read(&self, _: &GrayImage, area: Area) -> Result<Vec<Word>, OcrError> {
        self.regions_read.fetch_add(1, Ordering::Relaxed);
        Ok(self
            .found
            .as_ref()
            .map(|t| words_of(t, area))
            .unwrap_or_default())
    }
}

/// Width and height of a character, and height of a line, of the fake's text, in pixels.
const CHAR_WIDTH: i32 = 10;
const LINE_HEIGHT: i32 = 30;

/// `text` as words where a monospaced page at `area`'s corner prints them, with the
/// confidences of their characters.
pub fn words_of(text: &PageText, area: Area) -> Vec<Word> {
    let confidence = text
        .char_confidence
        .clone()
        .unwrap_or_else(|| vec![100; text.text.chars().count()]);
    let mut words = Vec::new();
    let mut index = 0;
    for (row, line) in text.text.split('\n').enumerate() {
        let mut word: Option<Word> = None;
        for (column, c) in line.chars().enumerate() {
            let value = f32::from(confidence.get(index).copied().unwrap_or(100));
            index += 1;
            if c.is_whitespace() {
                words.extend(word.take());
                continue;
            }
            let (x, y) = (
                area.left as i32 + column as i32 * CHAR_WIDTH,
                area.top as i32 + row as i32 * LINE_HEIGHT,
            );
            let w = word.get_or_insert_with(|| Word::new(x, y, x, y + LINE_HEIGHT * 2 / 3));
            w.right = x + CHAR_WIDTH;
            w.push_symbol(c.encode_utf8(&mut [0; 4]), value);
            w.in_dictionary = true;
        }
        words.extend(word.take());
        index += 1; // the newline
    }
    words
}

/// A white picture big enough for `text` as [`words_of`] places it, each word's box in ink.
fn picture_for(text: &PageText) -> Arc<GrayImage> {
    let columns = text
        .text
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let rows = text.text.lines().count();
    let width = (columns as u32 + 4) * CHAR_WIDTH as u32;
    let height = (rows as u32 + 4) * LINE_HEIGHT as u32;
    let mut picture = GrayImage::from_pixel(width, height, image::Luma([255]));
    for word in words_of(text, Area::whole(width, height)) {
        for y in word.top.max(0)..word.bottom.min(height as i32) {
            for x in word.left.max(0)..word.right.min(width as i32) {
                picture.put_pixel(x as u32, y as u32, image::Luma([0]));
            }
        }
    }
    Arc::new(picture)
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
    areas_read: AtomicUsize,
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

    /// Areas read as one line ([`Recognizer::read_area`]).
    pub fn areas_read(&self) -> usize {
        self.areas_read.load(Ordering::Relaxed)
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
        Ok(work(&mut FakeRecognizer {
            source: self,
            last: None,
        }))
    }
}

struct FakeRecognizer<'a> {
    source: &'a FakeOcr,
    /// The page read last: areas are read on it.
    last: Option<&'a FakePage>,
}

impl<'a> FakeRecognizer<'a> {
    fn page_for(&self, image: &PageImage) -> Result<&'a FakePage, OcrError> {
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

impl<'a> Recognizer for FakeRecognizer<'a> {
    fn read(
        &mut self,
        image: &PageImage,
        enough: &dyn Fn(&PageText) -> bool,
    ) -> Result<OcrPage, OcrError> {
        self.source.reads.fetch_add(1, Ordering::Relaxed);
        let page = self.page_for(image)?;
        self.last = Some(page);
        let text = if enough(&page.top) {
            page.top.clone()
        } else {
            self.source.rest_reads.fetch_add(1, Ordering::Relaxed);
            join(&page.top, &page.rest)
        };
        Ok(OcrPage {
            words: words_of(&text, Area::whole(0, 0)),
            picture: Some(picture_for(&text)),
            text,
            turned: page.turned,
        })
    }

    fn read_area(&mut self, _: &GrayImage, area: Area) -> Result<Vec<Word>, OcrError> {
        self.source.areas_read.fetch_add(1, Ordering::Relaxed);
        let text = self.last.and_then(|page| page.area.as_ref());
        Ok(text.map(|t| words_of(t, area)).unwrap_or_default())
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
