//! The pool of Tesseract engines a run's workers share: found language data, settings, and an
//! engine lent to a thread for one page and put back (never more engines than working threads).

use super::*;

/// Tesseract engines for the worker threads of one run.
///
/// Engines are kept in a pool rather than in thread-locals: a worker takes one for a page and
/// puts it back, so there are never more engines than threads working at once, and all of them
/// are freed in order when the source is dropped (thread-local engines are never dropped, and
/// Tesseract then prints "ObjectCache … LEAK" lines at exit).
#[derive(Debug)]
pub struct TesseractSource {
    pub(super) tessdata: Option<PathBuf>,
    pub(super) lang: String,
    /// Where `osd.traineddata` was found, when it was.
    pub(super) orientation_data: Option<PathBuf>,
    pub(super) settings: Settings,
    pub(super) idle: Mutex<Vec<Engines>>,
}

#[derive(Clone, Debug)]
pub(super) struct Settings {
    pub(super) segmentation: Segmentation,
    pub(super) limit_openmp: bool,
    /// `None` reads the whole page at once.
    pub(super) field_region: Option<f32>,
}

/// One worker's engines: the text reader, and the orientation detector once it was needed.
#[derive(Debug)]
pub(super) struct Engines {
    pub(super) text: Engine,
    pub(super) orientation: Option<Engine>,
}

impl TesseractSource {
    /// Checks that Tesseract can load `lang` (e.g. "eng", "eng+spa") from `tessdata` (or from
    /// Tesseract's default place when `None`): by the files' names where the directory is known,
    /// otherwise by creating the first engine, which is kept. Fails with
    /// [`OcrError::MissingLanguageData`] when the data is not there.
    pub fn new(tessdata: Option<PathBuf>, lang: &str) -> Result<TesseractSource, OcrError> {
        sys::pix::silence_messages();
        let missing = || OcrError::MissingLanguageData {
            lang: lang.to_string(),
            searched: describe_search(tessdata.as_deref()),
        };
        let settings = Settings {
            segmentation: Segmentation::Auto,
            limit_openmp: true,
            field_region: Some(FIELD_REGION),
        };
        // When the data's directory is known, its files are checked by name and the first engine
        // starts only when a page needs OCR: a run over text-layer PDFs never pays Tesseract's
        // start-up (~0.1 s, a fifth of reading a thousand text PDFs).
        if let Some(dir) = tessdata.clone().or_else(system_tessdata) {
            check_languages(&dir, lang)?;
            return Ok(TesseractSource {
                orientation_data: Some(dir.clone()).filter(|d| d.join("osd.traineddata").is_file()),
                tessdata: Some(dir),
                lang: lang.to_string(),
                settings,
                idle: Mutex::new(Vec::new()),
            });
        }
        let text = Engine::new(tessdata.as_deref(), lang, Model::Lstm).ok_or_else(missing)?;
        // Tesseract starts when at least one of several languages loads; all of them must.
        let datapath = tessdata.clone().or_else(|| text.datapath());
        if let Some(dir) = &datapath {
            check_languages(dir, lang)?;
        }
        let orientation_data = datapath.filter(|dir| dir.join("osd.traineddata").is_file());
        let mut engines = Engines {
            text,
            orientation: None,
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

    pub(super) fn idle_engines(&self) -> std::sync::MutexGuard<'_, Vec<Engines>> {
        // A panic while holding the lock cannot leave the Vec inconsistent: use it anyway.
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn take_engines(&self) -> Result<Engines, OcrError> {
        if let Some(engines) = self.idle_engines().pop() {
            return Ok(engines);
        }
        let mut text = Engine::new(self.tessdata.as_deref(), &self.lang, Model::Lstm)
            .ok_or_else(|| OcrError::Engine("Tesseract could not start".into()))?;
        configure(&mut text, &self.settings);
        Ok(Engines {
            text,
            orientation: None,
        })
    }
}

/// Where Debian and Ubuntu's `tesseract-ocr-*` packages put the language data, for Tesseract 5
/// and 4; Tesseract looks there by default. `None` when `TESSDATA_PREFIX` points elsewhere or
/// none of them exists (then Tesseract itself is asked where it looks).
pub(super) fn system_tessdata() -> Option<PathBuf> {
    if std::env::var_os("TESSDATA_PREFIX").is_some() {
        return None;
    }
    [
        "/usr/share/tesseract-ocr/5/tessdata",
        "/usr/share/tesseract-ocr/4.00/tessdata",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|dir| dir.is_dir())
}

/// Fails for the first of `lang`'s languages ("eng+spa") without data in `dir`.
fn check_languages(dir: &Path, lang: &str) -> Result<(), OcrError> {
    match lang
        .split('+')
        .find(|l| !dir.join(format!("{l}.traineddata")).is_file())
    {
        Some(absent) => Err(OcrError::MissingLanguageData {
            lang: absent.to_string(),
            searched: dir.display().to_string(),
        }),
        None => Ok(()),
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
    // Inverted (white on black) text does not occur on notices; trying every line inverted when
    // its confidence is low costs time on noisy pages.
    engine.set_variable("tessedit_do_invert", "0");
    engine.set_segmentation(settings.segmentation);
}

impl RecognizerSource for TesseractSource {
    fn with_recognizer<T>(
        &self,
        work: impl FnOnce(&mut dyn Recognizer) -> T,
    ) -> Result<T, OcrError> {
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
