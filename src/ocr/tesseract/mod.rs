//! Tesseract as the [`Recognizer`]: decode → prepare → read the field region → (only if the
//! caller wants more) read the rest of the page.
//!
//! Invariant: an engine is created once and reused for page after page; at most one thread uses
//! it at a time; every engine is freed when its [`TesseractSource`] is dropped (so Tesseract never
//! reports leaked engines at exit), and OpenMP never spreads one engine over several threads.

#![deny(unsafe_code)]

mod decode;
mod prepare;
#[allow(unsafe_code)]
mod sys;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use super::layout::{self, Word};
use super::{OcrError, OcrPage, Recognizer, RecognizerSource};
use crate::extract::PageText;
use crate::source::PageImage;
pub use sys::engine::Segmentation;
use sys::engine::{Engine, Model};
use sys::openmp;

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

/// Where the key fields of a notice are: the top 42% of an upright page (the box grid, the
/// address block and the notice type; measured on I-797 layouts, where the body starts at ~36%).
const FIELD_REGION: f32 = 0.42;

/// A region that takes longer than this is abandoned (noise pages can make Tesseract crawl).
const REGION_DEADLINE: Duration = Duration::from_secs(90);

/// Characters read with at least this confidence are "legible".
const LEGIBLE_CONFIDENCE: u8 = 80;

/// A region with fewer legible letters and digits than this is not upright text: time to look
/// for the page's orientation. An upright notice's field region has hundreds; a page read upside
/// down or sideways gives a handful (see `benches/README.md`).
const LEGIBLE_CHARS: usize = 25;

/// Orientation detection results below this confidence are ignored (Tesseract's own
/// `min_orientation_margin` is 7; upright and turned notices score 10–13).
const MIN_ORIENTATION_CONFIDENCE: f32 = 5.0;

/// Tesseract engines for the worker threads of one run.
///
/// Engines are kept in a pool rather than in thread-locals: a worker takes one for a page and
/// puts it back, so there are never more engines than threads working at once, and all of them
/// are freed in order when the source is dropped (thread-local engines are never dropped, and
/// Tesseract then prints "ObjectCache … LEAK" lines at exit).
#[derive(Debug)]
pub struct TesseractSource {
    tessdata: Option<PathBuf>,
    lang: String,
    /// Where `osd.traineddata` was found, when it was.
    orientation_data: Option<PathBuf>,
    settings: Settings,
    idle: Mutex<Vec<Engines>>,
}

#[derive(Clone, Debug)]
struct Settings {
    segmentation: Segmentation,
    limit_openmp: bool,
    /// `None` reads the whole page at once.
    field_region: Option<f32>,
}

/// One worker's engines: the text reader, and the orientation detector once it was needed.
#[derive(Debug)]
struct Engines {
    text: Engine,
    orientation: Option<Engine>,
}

impl TesseractSource {
    /// Checks that Tesseract can load `lang` (e.g. "eng", "eng+spa") from `tessdata` (or from
    /// Tesseract's default place when `None`) by creating the first engine, which is kept.
    /// Fails with [`OcrError::MissingLanguageData`] when the data is not there.
    pub fn new(tessdata: Option<PathBuf>, lang: &str) -> Result<TesseractSource, OcrError> {
        sys::pix::silence_messages();
        let missing = || OcrError::MissingLanguageData {
            lang: lang.to_string(),
            searched: describe_search(tessdata.as_deref()),
        };
        if let Some(dir) = &tessdata {
            if let Some(absent) = lang.split('+').find(|l| !dir.join(format!("{l}.traineddata")).is_file()) {
                return Err(OcrError::MissingLanguageData {
                    lang: absent.to_string(),
                    searched: dir.display().to_string(),
                });
            }
        }
        let text = Engine::new(tessdata.as_deref(), lang, Model::Lstm).ok_or_else(missing)?;
        let orientation_data = tessdata
            .clone()
            .or_else(|| text.datapath())
            .filter(|dir| dir.join("osd.traineddata").is_file());
        let mut engines = Engines {
            text,
            orientation: None,
        };
        let settings = Settings {
            segmentation: Segmentation::Auto,
            limit_openmp: true,
            field_region: Some(FIELD_REGION),
        };
        configure(&mut engines.text, &settings);
        Ok(TesseractSource {
            tessdata,
            lang: lang.to_string(),
            orientation_data,
            settings,
            idle: Mutex::new(vec![engines]),
        })
    }

    /// Whether sideways and upside-down pages can be detected with Tesseract's orientation data
    /// (`osd.traineddata`). Without it they are found by trying the turns, which is slower.
    pub fn has_orientation_data(&self) -> bool {
        self.orientation_data.is_some()
    }

    /// Frees the engines not in use now. Dropping the source frees them all; call this when the
    /// source must outlive the run (e.g. it sits in a `static`).
    pub fn release_engines(&self) {
        self.idle_engines().clear();
    }

    /// For measurements: page segmentation mode (default: automatic, psm 3).
    pub fn with_segmentation(mut self, mode: Segmentation) -> Self {
        self.settings.segmentation = mode;
        for engines in self.idle_engines().iter_mut() {
            configure(&mut engines.text, &self.settings);
        }
        self
    }

    /// For measurements: leave OpenMP at Tesseract's default (4 threads per engine).
    pub fn without_openmp_limit(mut self) -> Self {
        self.settings.limit_openmp = false;
        self
    }

    /// For measurements: read every page whole instead of the field region first.
    pub fn whole_pages(mut self) -> Self {
        self.settings.field_region = None;
        self
    }

    fn idle_engines(&self) -> std::sync::MutexGuard<'_, Vec<Engines>> {
        // A panic while holding the lock cannot leave the Vec inconsistent: use it anyway.
        self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn take_engines(&self) -> Result<Engines, OcrError> {
        if let Some(engines) = self.idle_engines().pop() {
            return Ok(engines);
        }
        let mut text = Engine::new(self.tessdata.as_deref(), &self.lang, Model::Lstm)
            .ok_or_else(|| OcrError::Engine("Tesseract could not start another engine".into()))?;
        configure(&mut text, &self.settings);
        Ok(Engines {
            text,
            orientation: None,
        })
    }
}

fn describe_search(tessdata: Option<&Path>) -> String {
    match (tessdata, std::env::var_os("TESSDATA_PREFIX")) {
        (Some(dir), _) => dir.display().to_string(),
        (None, Some(prefix)) => format!("{} (TESSDATA_PREFIX)", Path::new(&prefix).display()),
        (None, None) => "Tesseract's default location".to_string(),
    }
}

fn configure(engine: &mut Engine, settings: &Settings) {
    // Tesseract's diagnostics ("Estimating resolution as …", "Empty page!!", and the cache
    // report at exit) go to a null file instead of the user's terminal. The parameter is global.
    engine.set_variable("debug_file", "/dev/null");
    // Inverted (white on black) text does not occur on notices; trying every line inverted when
    // its confidence is low costs time on noisy pages.
    engine.set_variable("tessedit_do_invert", "0");
    engine.set_segmentation(settings.segmentation);
}

impl RecognizerSource for TesseractSource {
    fn with_recognizer<T>(&self, work: impl FnOnce(&mut dyn Recognizer) -> T) -> Result<T, OcrError> {
        if self.settings.limit_openmp {
            openmp::limit_current_thread();
        }
        let mut recognizer = TesseractRecognizer {
            engines: self.take_engines()?,
            source: self,
        };
        let result = work(&mut recognizer);
        // Reached only when `work` returned: an engine interrupted by a panic is dropped instead.
        self.idle_engines().push(recognizer.engines);
        Ok(result)
    }
}

/// A worker's recogniser for the pages it reads.
struct TesseractRecognizer<'a> {
    engines: Engines,
    source: &'a TesseractSource,
}

impl Recognizer for TesseractRecognizer<'_> {
    fn read(&mut self, image: &PageImage, enough: &dyn Fn(&PageText) -> bool) -> Result<OcrPage, OcrError> {
        let decoded = decode::decode(image)?;
        let mut page = prepare::prepare(decoded, image.quarter_turns)?;
        let fraction = self.source.settings.field_region;
        let mut split = fraction.and_then(|f| prepare::split_row(&page, f));
        let mut top = self.read_rows(&page, 0, split)?;
        let mut turned = 0;
        if legible_chars(&top) < LEGIBLE_CHARS {
            if let Some(found) = self.find_orientation(&page, fraction)? {
                split = fraction.and_then(|f| prepare::split_row(&found.page, f));
                top = match found.words {
                    Some(words) => words,
                    None => self.read_rows(&found.page, 0, split)?,
                };
                page = found.page;
                turned = found.quarters;
            }
        }
        let top_text = layout::build(&top);
        let Some(split) = split else {
            return Ok(OcrPage { text: top_text, turned });
        };
        if enough(&top_text) {
            return Ok(OcrPage { text: top_text, turned });
        }
        top.extend(self.read_rows(&page, split, None)?);
        Ok(OcrPage {
            text: layout::build(&top),
            turned,
        })
    }
}

impl TesseractRecognizer<'_> {
    /// Reads rows `from..to` (to the bottom when `to` is `None`); word boxes in page coordinates.
    fn read_rows(&mut self, page: &prepare::Page, from: u32, to: Option<u32>) -> Result<Vec<Word>, OcrError> {
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
        Ok(words.into_iter().map(|w| w.shifted(0, from as i32)).collect())
    }

    /// The page turned upright, when it is not: asks Tesseract's orientation detector; when that
    /// is unavailable or unsure, reads the field region at each other turn and keeps the first
    /// that is legible (its words come along so they need not be read again).
    fn find_orientation(&mut self, page: &prepare::Page, fraction: Option<f32>) -> Result<Option<Upright>, OcrError> {
        if let Some(detector) = self.orientation_engine() {
            detector.set_image(&page.pix, page.dpi);
            let found = detector.detect_orientation();
            detector.clear();
            if let Some((degrees, confidence)) = found {
                if confidence >= MIN_ORIENTATION_CONFIDENCE {
                    // Tesseract reports how far the page is turned counter-clockwise.
                    let quarters = ((360 - degrees) % 360 / 90) as u8;
                    if quarters == 0 {
                        return Ok(None);
                    }
                    let page = prepare::turned(page, quarters)?;
                    return Ok(Some(Upright { quarters, page, words: None }));
                }
            }
        }
        for quarters in [2u8, 1, 3] {
            let turned = prepare::turned(page, quarters)?;
            let split = fraction.and_then(|f| prepare::split_row(&turned, f));
            let words = self.read_rows(&turned, 0, split)?;
            if legible_chars(&words) >= LEGIBLE_CHARS {
                return Ok(Some(Upright { quarters, page: turned, words: Some(words) }));
            }
        }
        Ok(None)
    }

    fn orientation_engine(&mut self) -> Option<&mut Engine> {
        let dir = self.source.orientation_data.as_deref()?;
        if self.engines.orientation.is_none() {
            let mut engine = Engine::new(Some(dir), "osd", Model::Legacy)?;
            engine.set_variable("debug_file", "/dev/null");
            self.engines.orientation = Some(engine);
        }
        self.engines.orientation.as_mut()
    }
}

/// A page found turned, set upright.
struct Upright {
    /// Clockwise quarter turns applied.
    quarters: u8,
    page: prepare::Page,
    /// The field region's words, when finding the turn already read them.
    words: Option<Vec<Word>>,
}

/// Letters and digits read with confidence: how much real text a region gave.
fn legible_chars(words: &[Word]) -> usize {
    words
        .iter()
        .flat_map(|w| w.text.chars().zip(&w.confidence))
        .filter(|&(c, &confidence)| c.is_alphanumeric() && confidence >= LEGIBLE_CONFIDENCE)
        .count()
}
