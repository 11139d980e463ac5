//! Tesseract as the [`Recognizer`]: decode → prepare → read the field region → (only if the
//! caller wants more) read the rest of the page.
//!
//! Invariant: an engine is created once and reused for page after page; at most one thread uses
//! it at a time; every engine is freed when its [`TesseractSource`] is dropped (so Tesseract never
//! reports leaked engines at exit), and OpenMP never spreads one engine over several threads.

#![deny(unsafe_code)]

mod decode;
mod engines;
mod orientation;
mod prepare;
#[allow(unsafe_code)]
mod sys;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use std::sync::Arc;

use image::GrayImage;

use super::layout::{self, Word};
use super::{Area, OcrError, OcrPage, Recognizer, RecognizerSource};
use crate::source::PageImage;
use i797_core::PageText;
pub use sys::engine::Segmentation;
use sys::engine::{Engine, Model};
use sys::openmp;
use sys::pix::Pix;

use engines::Engines;
pub use engines::TesseractSource;
use orientation::looks_upright;

/// Makes the calling thread run Tesseract single-threaded (see `sys::openmp`). Call it from the
/// worker pool's `start_handler`; [`TesseractSource`] also calls it before each use, so it is
/// a no-op safety net there.
pub fn prepare_worker_thread() {
    openmp::limit_current_thread();
}

/// The image libraries Leptonica was built with (for `--version` and bug reports).
pub fn image_library_versions() -> String {
    sys::pix::image_library_versions()
}

/// The versions of Tesseract and Leptonica this build runs with (they decide what OCR reads).
pub fn engine_versions() -> (String, String) {
    (sys::pix::tesseract_version(), sys::pix::leptonica_version())
}

/// Decoding alone, without an engine, for the fuzz targets in `fuzz/` (cargo-fuzz builds with
/// `--cfg fuzzing`): a damaged picture must fail with an error, never crash. Returns the decoded
/// size. (Preparation is left out: it only sees pictures Leptonica decoded, and its scaling makes
/// each run a hundred times slower.)
#[cfg(fuzzing)]
pub fn fuzz_decode(image: &PageImage) -> Result<(u32, u32), OcrError> {
    let decoded = decode::decode(image)?;
    Ok((decoded.pix.width(), decoded.pix.height()))
}

/// Where the key fields of a notice are, read in two steps, each only when the text so far is
/// not enough: the top 31% of an upright page (the header and the box grid, which hold the
/// number, dates and most often the notice type), then down to 42% (the address block and a
/// notice type printed lower; the body starts at ~36% on I-797 layouts), then the rest.
/// Reading the top 31% first cost 21% less CPU on the scanned samples and 5% less on held-out
/// scans than reading 42% at once, with the same numbers found (bench/ocr.md); stopping
/// at 24% lost a number.
const FIELD_REGION: f32 = 0.31;
const FIELD_REGION_LOWER: f32 = 0.42;

/// A region that takes longer than this is abandoned (noise pages can make Tesseract crawl).
const REGION_DEADLINE: Duration = Duration::from_secs(90);

/// A worker's recogniser for the pages it reads.
struct TesseractRecognizer<'a> {
    engines: Engines,
    source: &'a TesseractSource,
}

impl Recognizer for TesseractRecognizer<'_> {
    fn read(
        &mut self,
        image: &PageImage,
        enough: &dyn Fn(&PageText) -> bool,
    ) -> Result<OcrPage, OcrError> {
        let page = prepare::prepare(decode::decode(image)?, image.quarter_turns)?;
        self.read_prepared(page, enough)
    }

    /// One line (psm 7): a crop around a number the other reader read.
    fn read_area(&mut self, picture: &GrayImage, area: Area) -> Result<Vec<Word>, OcrError> {
        if area.width < MIN_AREA_SIDE || area.height < MIN_AREA_SIDE {
            return Ok(Vec::new());
        }
        let crop = image::imageops::crop_imm(picture, area.left, area.top, area.width, area.height)
            .to_image();
        // A 3×3 median takes the specks and a halftone screen off the paper (a watermark
        // printed over the number, faxed) and keeps strokes, which at 240 dpi are wider.
        let crop = imageproc::filter::median_filter(&crop, 1, 1);
        let pix = Pix::from_gray_image(&crop)
            .ok_or_else(|| OcrError::Engine("could not copy the line to read".into()))?;
        let part = prepare::Page {
            pix,
            dpi: prepare::TARGET_DPI as u32,
        };
        let words = self.read_rows_as(Segmentation::SingleLine, &part)?;
        Ok(words
            .into_iter()
            .map(|w| w.shifted(area.left as i32, area.top as i32))
            .collect())
    }
}

/// Leptonica and Tesseract refuse pictures smaller than this on a side.
const MIN_AREA_SIDE: u32 = 8;

/// The picture Tesseract read, as 8-bit grey, for the other reader.
fn picture_of(page: &prepare::Page) -> Option<Arc<GrayImage>> {
    let grey;
    let pix = if page.pix.depth() == 8 {
        &page.pix
    } else {
        grey = page.pix.to_gray()?;
        &grey
    };
    pix.to_gray_image().map(Arc::new)
}

/// A page with its field region read.
struct FieldRegion {
    page: prepare::Page,
    /// Where the field region ends; `None` when it is the whole page.
    split: Option<u32>,
    words: Vec<Word>,
}

impl TesseractRecognizer<'_> {
    /// Reads a prepared page: its field region, turned upright if it is not, then the rest as
    /// far as `enough` asks.
    fn read_prepared(
        &mut self,
        page: prepare::Page,
        enough: &dyn Fn(&PageText) -> bool,
    ) -> Result<OcrPage, OcrError> {
        let mut region = self.read_field_region(page)?;
        let mut turned = 0;
        if !looks_upright(&region)
            && let Some((quarters, upright)) = self.find_orientation(&region)?
        {
            region = upright;
            turned = quarters;
        }
        let FieldRegion {
            page,
            split,
            mut words,
        } = region;
        let read = |words: Vec<Word>| OcrPage::of_words(words, turned, picture_of(&page));
        let Some(mut split) = split else {
            return Ok(read(words));
        };
        if enough(&layout::build(&words)) {
            return Ok(read(words));
        }
        if let Some(end) = prepare::split_row(&page, FIELD_REGION_LOWER)
            && end > split
        {
            words.extend(self.read_rows(&page, split, Some(end))?);
            split = end;
            if enough(&layout::build(&words)) {
                return Ok(read(words));
            }
        }
        words.extend(self.read_rows(&page, split, None)?);
        Ok(read(words))
    }

    fn read_field_region(&mut self, page: prepare::Page) -> Result<FieldRegion, OcrError> {
        let split = self
            .source
            .settings
            .field_region
            .and_then(|fraction| prepare::split_row(&page, fraction));
        let words = self.read_rows(&page, 0, split)?;
        Ok(FieldRegion { page, split, words })
    }

    /// The whole of `page` read segmenting it as `segmentation` says, then back to the source's
    /// own segmentation (also when reading fails).
    fn read_rows_as(
        &mut self,
        segmentation: Segmentation,
        page: &prepare::Page,
    ) -> Result<Vec<Word>, OcrError> {
        self.engines.text.set_segmentation(segmentation);
        let words = self.read_rows(page, 0, None);
        self.engines
            .text
            .set_segmentation(self.source.settings.segmentation);
        words
    }

    /// Reads rows `from..to` (to the bottom when `to` is `None`); word boxes in page coordinates.
    fn read_rows(
        &mut self,
        page: &prepare::Page,
        from: u32,
        to: Option<u32>,
    ) -> Result<Vec<Word>, OcrError> {
        let (width, height) = (page.pix.width(), page.pix.height());
        let to = to.unwrap_or(height).min(height);
        if from >= to {
            return Ok(Vec::new());
        }
        // Crop rather than `set_rectangle`: Tesseract 5.3 reads the wrong part of the image when
        // the rectangle is as wide as the image, and a crop is a cheap copy.
        let region;
        let pix = if from == 0 && to == height {
            &page.pix
        } else {
            region = page
                .pix
                .crop(0, from, width, to - from)
                .ok_or_else(|| OcrError::Engine("could not cut the page into regions".into()))?;
            &region
        };
        let engine = &mut self.engines.text;
        engine.set_image(pix, page.dpi);
        let finished = engine.recognize(REGION_DEADLINE);
        let words = engine.words();
        engine.clear();
        if !finished {
            return Err(OcrError::Engine(
                "Tesseract could not read this page (it gave up or ran out of time)".into(),
            ));
        }
        Ok(words
            .into_iter()
            .map(|w| w.shifted(0, from as i32))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::engines::system_tessdata;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::sys::pix::{self, Pix, format};
    use super::*;
    use crate::source::{Document, ImageData, PageContent, PixelFormat, RawImage};

    /// An I-797C receipt notice, 300 dpi, G4 (see testdata/README.md).
    const NOTICE: &[u8] = include_bytes!("../../../tests/fixtures/i797c-receipt-eac-300dpi-g4.tif");
    const RECEIPT: &str = "EAC2108235877";
    /// Printed in the page footer, far below the field region.
    const FOOTER: &str = "VERMONT SERVICE CENTER";

    fn source() -> TesseractSource {
        TesseractSource::new(None, "eng").expect(
            "Tesseract with English data is needed for these tests (scripts/setup installs it)",
        )
    }

    fn encoded(bytes: Vec<u8>, quarter_turns: u8) -> PageImage {
        PageImage::from_file_bytes(&bytes, quarter_turns, Some(300))
    }

    /// The notice turned `quarters` clockwise, as a G4 TIFF: a page scanned sideways.
    fn turned_notice(quarters: u8) -> Vec<u8> {
        let page = Pix::decode_tiff(NOTICE, 0).unwrap();
        page.rotate_quarters(quarters)
            .unwrap()
            .encode(format::TIFF_G4)
            .unwrap()
    }

    fn read(
        source: &TesseractSource,
        image: &PageImage,
        enough: &dyn Fn(&PageText) -> bool,
    ) -> OcrPage {
        source
            .with_recognizer(|ocr| ocr.read(image, enough))
            .expect("an engine")
            .expect("a reading")
    }

    #[test]
    fn reads_the_receipt_number_of_an_upright_notice_in_layout() {
        let page = read(&source(), &encoded(NOTICE.to_vec(), 0), &|_| false);
        let text = &page.text.text;
        assert_eq!(page.turned, 0);
        let label = text
            .lines()
            .position(|l| l.contains("Receipt Number"))
            .expect(text);
        let value = text.lines().nth(label + 1).unwrap();
        assert!(
            value.trim_start().starts_with(RECEIPT),
            "value line: {value:?}\n{text}"
        );
        // Columns kept: "Case Type" sits above the case type value.
        let labels = text.lines().nth(label).unwrap();
        assert_eq!(
            labels.find("Case Type"),
            value.find("I130").or(value.find("1130")),
            "\n{text}"
        );
        let confidence = page.text.char_confidence.as_ref().unwrap();
        assert_eq!(confidence.len(), text.chars().count());
        let at = text[..text.find(RECEIPT).unwrap()].chars().count();
        assert!(
            confidence[at..at + RECEIPT.len()].iter().all(|&c| c >= 80),
            "{:?}",
            &confidence[at..at + 13]
        );
    }

    #[test]
    fn upside_down_and_sideways_notices_are_turned_and_read() {
        let source = source();
        // Scanned upside down: two quarter turns bring it back. Scanned turned a quarter turn
        // clockwise: three more quarter turns do.
        for (scanned, expected) in [(2, 2), (1, 3)] {
            let page = read(&source, &encoded(turned_notice(scanned), 0), &|_| false);
            assert_eq!(page.turned, expected, "scanned turned {scanned}");
            assert!(
                page.text.text.contains(RECEIPT),
                "scanned turned {scanned}:\n{}",
                page.text.text
            );
        }
    }

    #[test]
    fn the_files_own_orientation_is_applied_before_reading() {
        // A sideways picture whose file says "turn me three quarters" (EXIF 8 or a PDF /Rotate).
        let page = read(&source(), &encoded(turned_notice(1), 3), &|_| false);
        assert_eq!(page.turned, 0);
        assert!(page.text.text.contains(RECEIPT), "{}", page.text.text);
    }

    #[test]
    fn the_rest_of_the_page_is_read_only_when_the_field_region_is_not_enough() {
        let source = source();
        let image = encoded(NOTICE.to_vec(), 0);
        let calls = AtomicUsize::new(0);
        let enough = |text: &PageText| {
            calls.fetch_add(1, Ordering::Relaxed);
            text.text.contains(RECEIPT)
        };
        let top = read(&source, &image, &enough);
        assert_eq!(calls.load(Ordering::Relaxed), 1);
        assert!(top.text.text.contains(RECEIPT));
        assert!(
            !top.text.text.contains(FOOTER),
            "the footer was read:\n{}",
            top.text.text
        );

        // Never enough: asked after each of the field region's two steps, then the rest is read.
        let asked = AtomicUsize::new(0);
        let whole = read(&source, &image, &|_| {
            asked.fetch_add(1, Ordering::Relaxed);
            false
        });
        assert_eq!(asked.load(Ordering::Relaxed), 2);
        let text = &whole.text.text;
        let (receipt, footer) = (
            text.find(RECEIPT).expect(text),
            text.find(FOOTER).expect(text),
        );
        assert!(receipt < footer, "not in page order:\n{text}");
        let first_words = |t: &str| {
            t.lines()
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(first_words(text), first_words(&top.text.text));
    }

    #[test]
    fn raw_bilevel_pixels_read_like_the_file() {
        // Unpack the fixture into the raw-rows format the PDF reader produces (1 = black).
        let pix = Pix::decode_tiff(NOTICE, 0).unwrap();
        let (width, height) = (pix.width(), pix.height());
        let stride = width.div_ceil(8) as usize;
        let mut data = Vec::with_capacity(stride * height as usize);
        for y in 0..height {
            let row: Vec<u8> = pix.row(y).iter().flat_map(|w| w.to_be_bytes()).collect();
            data.extend_from_slice(&row[..stride]);
        }
        let image = PageImage {
            pixels: ImageData::Raw(RawImage {
                width,
                height,
                format: PixelFormat::Bilevel,
                data,
            }),
            quarter_turns: 0,
            dpi: Some(300),
            pixel_height: None,
        };
        let page = read(&source(), &image, &|text| text.text.contains(RECEIPT));
        assert!(page.text.text.contains(RECEIPT), "{}", page.text.text);
    }

    #[test]
    fn the_picture_read_is_handed_on_and_an_area_of_it_reads_as_its_line() {
        let source = source();
        let image = encoded(NOTICE.to_vec(), 0);
        let page = read(&source, &image, &|_| true);
        let picture = page.picture.clone().expect("the picture Tesseract read");
        let word = page
            .words
            .iter()
            .find(|w| w.text.contains(RECEIPT))
            .expect("the number's word");
        assert!(word.right as u32 <= picture.width() && word.bottom as u32 <= picture.height());
        let pad = (word.bottom - word.top) as u32;
        let area = Area {
            left: word.left as u32 - pad,
            top: word.top as u32 - pad / 2,
            width: (word.right - word.left) as u32 + 2 * pad,
            height: (word.bottom - word.top) as u32 + pad,
        };
        let words = source
            .with_recognizer(|ocr| ocr.read_area(&picture, area))
            .unwrap()
            .unwrap();
        let text = layout::build(&words).text;
        assert!(text.contains(RECEIPT), "{text}");
        assert!(
            words.iter().all(|w| w.left >= area.left as i32),
            "in the picture's pixels"
        );
    }

    #[test]
    fn multi_page_tiff_pages_decode_in_order() {
        let sizes = [(300, 400), (320, 420), (340, 440)];
        let pages: Vec<Pix> = sizes
            .iter()
            .map(|&(w, h)| {
                Pix::from_rows(w, h, 1, |y, words| {
                    words[0] = if y % 2 == 0 { u32::MAX } else { 0 }
                })
                .unwrap()
            })
            .collect();
        let tiff = pix::encode_multipage_tiff(&pages).unwrap();
        let file =
            crate::source::image::ImageFile::open(crate::sniff::FileKind::Tiff, Arc::from(tiff))
                .unwrap();
        assert_eq!(file.page_count(), 3);
        for (index, &(w, h)) in sizes.iter().enumerate() {
            let PageContent::Image(image) = file.page(index).unwrap() else {
                panic!("page {index} is not an image")
            };
            let decoded = decode::decode(&image).unwrap();
            assert_eq!(
                (decoded.pix.width(), decoded.pix.height()),
                (w, h),
                "page {index}"
            );
        }
    }

    #[test]
    fn leptonica_reads_every_offered_format() {
        // A small grey page with some structure, written by Leptonica in each format and read
        // back through the decoder. JPEG and WebP are lossy: only the size is compared.
        let gray = Pix::from_rows(120, 80, 8, |y, words| {
            for (x, word) in words.iter_mut().enumerate() {
                *word = if (x + y / 10) % 2 == 0 {
                    0x2020_2020
                } else {
                    0xE0E0_E0E0
                };
            }
        })
        .unwrap();
        let binary = gray.to_binary(128).unwrap();
        let cases = [
            ("PNG", &gray, format::PNG),
            ("JPEG", &gray, format::JPEG),
            ("TIFF G4", &binary, format::TIFF_G4),
            ("TIFF LZW", &gray, format::TIFF_LZW),
            ("TIFF Deflate", &gray, format::TIFF_ZIP),
            ("TIFF", &gray, format::TIFF),
            ("BMP", &gray, format::BMP),
            ("GIF", &gray, format::GIF),
            ("WebP", &gray, format::WEBP),
            ("JPEG 2000", &gray, format::JP2),
            ("PNM", &gray, format::PNM),
        ];
        for (name, pix, code) in cases {
            let bytes = pix
                .encode(code)
                .unwrap_or_else(|| panic!("Leptonica cannot write {name}"));
            let decoded =
                decode::decode(&encoded(bytes, 0)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                (decoded.pix.width(), decoded.pix.height()),
                (120, 80),
                "{name}"
            );
        }
        assert!(
            image_library_versions().contains("libtiff"),
            "{}",
            image_library_versions()
        );
    }

    #[test]
    fn a_damaged_image_is_an_error_not_a_crash() {
        let mut bytes = NOTICE.to_vec();
        bytes.truncate(NOTICE.len() / 3);
        let outcome = source()
            .with_recognizer(|ocr| ocr.read(&encoded(bytes, 0), &|_| true))
            .unwrap();
        assert!(outcome.is_err(), "a third of a G4 page was read");
    }

    #[test]
    fn engines_are_reused_and_freed() {
        let source = source();
        // With the data in a known directory no engine starts before a page needs one;
        // otherwise the one that checked the data is kept.
        assert_eq!(
            source.idle_engines().len(),
            usize::from(system_tessdata().is_none())
        );
        source.with_recognizer(|_| ()).unwrap();
        assert_eq!(source.idle_engines().len(), 1, "the same engine came back");
        // A page read while another is in progress on the same thread needs a second engine.
        source
            .with_recognizer(|_| source.with_recognizer(|_| ()).unwrap())
            .unwrap();
        assert_eq!(source.idle_engines().len(), 2);
        source.release_engines();
        assert_eq!(source.idle_engines().len(), 0);
        source.with_recognizer(|_| ()).unwrap();
        assert_eq!(source.idle_engines().len(), 1);
    }

    #[test]
    fn missing_language_data_is_reported_plainly() {
        let empty = tempfile::tempdir().unwrap();
        let error = TesseractSource::new(Some(empty.path().to_path_buf()), "eng").unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, OcrError::MissingLanguageData { .. }),
            "{message}"
        );
        assert!(
            message.contains("'eng'") && message.contains(&empty.path().display().to_string()),
            "{message}"
        );
        assert!(message.contains("--tessdata"), "{message}");
        // A language that is nowhere, looked for in Tesseract's default place.
        let error = TesseractSource::new(None, "eng+zzz").unwrap_err();
        assert!(
            matches!(&error, OcrError::MissingLanguageData { lang, .. } if lang == "zzz"),
            "{error}"
        );
    }

    #[test]
    fn deskew_measures_a_small_tilt() {
        let page = Pix::decode_tiff(NOTICE, 0).unwrap().to_gray().unwrap();
        // Leptonica's rotation takes radians, clockwise positive; 2 degrees.
        let tilted = page.rotate_degrees(2.0).unwrap();
        let (_, angle) = tilted.deskew().unwrap();
        assert!((angle.abs() - 2.0).abs() < 0.3, "found {angle}°");
        let (_, angle) = page.deskew().unwrap();
        assert!(angle.abs() < 0.3, "found {angle}° on a straight page");
    }
}
