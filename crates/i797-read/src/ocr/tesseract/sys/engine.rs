//! One Tesseract engine (a `TessBaseAPI`) behind a safe, owning handle.
//!
//! Why not leptess's `TessApi`: it keeps its raw pointer private and offers neither the result
//! iterator (per-symbol text, confidence and word boxes, which the layout text and the
//! per-character confidences are built from) nor orientation detection. Parsing its TSV or hOCR
//! output would give word boxes but only word-level confidences, and costs a text round trip.
//!
//! Invariant: every method takes `&mut self` or `&self` on an engine that is never shared between
//! threads, so Tesseract (which is not thread-safe per engine) only ever sees one caller.

use std::ffi::{CStr, CString};
use std::os::raw::c_int;
use std::path::{Path, PathBuf};
use std::ptr::{self, NonNull};
use std::time::Duration;

use leptess::capi;

use super::pix::Pix;
use crate::ocr::layout::Word;

/// Which of Tesseract's recognisers an engine runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// The LSTM line recogniser: the one that reads text.
    Lstm,
    /// The legacy classifier: only used with the `osd` data, for orientation detection.
    Legacy,
}

/// Tesseract's page segmentation modes that this tool uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segmentation {
    /// Full layout analysis (columns, blocks, line removal) — psm 3.
    Auto,
    /// One column of text of variable sizes — psm 4.
    SingleColumn,
    /// One uniform block of text — psm 6.
    SingleBlock,
    /// One line of text — psm 7.
    SingleLine,
}

/// An initialised Tesseract engine.
#[derive(Debug)]
pub struct Engine {
    api: NonNull<capi::TessBaseAPI>,
}

// SAFETY: a TessBaseAPI has no thread affinity (no thread-local state of its own); it only must
// not be used by two threads at once, which `&mut self` on every use guarantees. Moving it to
// another thread between pages is what leptess's `Send` `LepTess` does too.
unsafe impl Send for Engine {}

impl Engine {
    /// Loads `lang` (e.g. "eng", "eng+deu", "osd") from `datapath`, or from Tesseract's default
    /// place (`TESSDATA_PREFIX`, then the compiled-in path) when `None`. `None` when the language
    /// data cannot be loaded.
    pub fn new(datapath: Option<&Path>, lang: &str, model: Model) -> Option<Engine> {
        let datapath = match datapath {
            Some(path) => Some(CString::new(path.to_str()?).ok()?),
            None => None,
        };
        let lang = CString::new(lang).ok()?;
        let mode = match model {
            Model::Lstm => capi::TessOcrEngineMode_OEM_LSTM_ONLY,
            Model::Legacy => capi::TessOcrEngineMode_OEM_TESSERACT_ONLY,
        };
        // SAFETY: create returns a fresh engine, owned (and deleted on every path) by `engine`;
        // SetVariable copies its strings.
        let engine = Engine {
            api: NonNull::new(unsafe { capi::TessBaseAPICreate() })?,
        };
        // Tesseract's messages (including "Error opening data file" when the language is
        // missing, which the caller reports in its own words) go to a null file. The parameter
        // is process-wide and may be set before Init.
        let null = CString::new("/dev/null").ok()?;
        unsafe {
            capi::TessBaseAPISetVariable(engine.api.as_ptr(), c"debug_file".as_ptr(), null.as_ptr())
        };
        // SAFETY: Init2 copies the strings it is given.
        let status = unsafe {
            capi::TessBaseAPIInit2(
                engine.api.as_ptr(),
                datapath.as_ref().map_or(ptr::null(), |p| p.as_ptr()),
                lang.as_ptr(),
                mode,
            )
        };
        (status == 0).then_some(engine)
    }

    /// The directory the language data was loaded from.
    pub fn datapath(&self) -> Option<PathBuf> {
        // SAFETY: the returned string belongs to the engine and is copied at once.
        let path = unsafe { capi::TessBaseAPIGetDatapath(self.api.as_ptr()) };
        if path.is_null() {
            return None;
        }
        let path = unsafe { CStr::from_ptr(path) }.to_str().ok()?;
        Some(PathBuf::from(path))
    }

    /// Sets a Tesseract parameter; `false` when the name is unknown or the value refused.
    pub fn set_variable(&mut self, name: &str, value: &str) -> bool {
        let (Ok(name), Ok(value)) = (CString::new(name), CString::new(value)) else {
            return false;
        };
        // SAFETY: the engine is valid; Tesseract copies both strings.
        unsafe {
            capi::TessBaseAPISetVariable(self.api.as_ptr(), name.as_ptr(), value.as_ptr()) != 0
        }
    }

    pub fn set_segmentation(&mut self, mode: Segmentation) {
        let psm = match mode {
            Segmentation::Auto => capi::TessPageSegMode_PSM_AUTO,
            Segmentation::SingleColumn => capi::TessPageSegMode_PSM_SINGLE_COLUMN,
            Segmentation::SingleBlock => capi::TessPageSegMode_PSM_SINGLE_BLOCK,
            Segmentation::SingleLine => capi::TessPageSegMode_PSM_SINGLE_LINE,
        };
        // SAFETY: the engine is valid.
        unsafe { capi::TessBaseAPISetPageSegMode(self.api.as_ptr(), psm) };
    }

    /// Gives the engine a picture to read at `dpi` pixels per inch. Tesseract takes its own copy,
    /// so `pix` may be dropped afterwards.
    pub fn set_image(&mut self, pix: &Pix, dpi: u32) {
        // SAFETY: the engine and image are valid; SetImage copies the pixels (Tesseract's
        // thresholder keeps "our own copy, not just a clone of the input").
        unsafe {
            capi::TessBaseAPISetImage2(self.api.as_ptr(), pix.as_ptr());
            capi::TessBaseAPISetSourceResolution(self.api.as_ptr(), dpi.clamp(70, 2400) as c_int);
        }
    }

    /// Runs layout analysis and recognition on the image; gives up after `deadline` (a pathological
    /// page must not hold a worker for minutes). `false` when it failed or ran out of time.
    pub fn recognize(&mut self, deadline: Duration) -> bool {
        let millis = c_int::try_from(deadline.as_millis()).unwrap_or(c_int::MAX);
        // SAFETY: the monitor is created, used for this one call, and deleted here.
        unsafe {
            let monitor = capi::TessMonitorCreate();
            if !monitor.is_null() {
                capi::TessMonitorSetDeadlineMSecs(monitor, millis);
            }
            let status = capi::TessBaseAPIRecognize(self.api.as_ptr(), monitor);
            if !monitor.is_null() {
                capi::TessMonitorDelete(monitor);
            }
            status == 0
        }
    }

    /// The words of the last recognition, in Tesseract's reading order, each with its box and the
    /// confidence of every character.
    pub fn words(&mut self) -> Vec<Word> {
        let mut words: Vec<Word> = Vec::new();
        // SAFETY: the iterator is owned here and deleted before returning; every string it hands
        // out is copied and released with TessDeleteText; the page iterator view borrowed from it
        // is not used after the iterator is deleted.
        unsafe {
            let iter = capi::TessBaseAPIGetIterator(self.api.as_ptr());
            if iter.is_null() {
                return words;
            }
            let page = capi::TessResultIteratorGetPageIteratorConst(iter);
            loop {
                let symbol = capi::TessResultIteratorGetUTF8Text(
                    iter,
                    capi::TessPageIteratorLevel_RIL_SYMBOL,
                );
                if !symbol.is_null() {
                    if capi::TessPageIteratorIsAtBeginningOf(
                        page,
                        capi::TessPageIteratorLevel_RIL_WORD,
                    ) != 0
                        || words.is_empty()
                    {
                        let (mut left, mut top, mut right, mut bottom) = (0, 0, 0, 0);
                        capi::TessPageIteratorBoundingBox(
                            page,
                            capi::TessPageIteratorLevel_RIL_WORD,
                            &mut left,
                            &mut top,
                            &mut right,
                            &mut bottom,
                        );
                        let mut word = Word::new(left, top, right, bottom);
                        word.in_dictionary =
                            capi::TessResultIteratorWordIsFromDictionary(iter) != 0;
                        words.push(word);
                    }
                    let confidence = capi::TessResultIteratorConfidence(
                        iter,
                        capi::TessPageIteratorLevel_RIL_SYMBOL,
                    );
                    let text = CStr::from_ptr(symbol).to_string_lossy();
                    if let Some(word) = words.last_mut() {
                        word.push_symbol(&text, confidence);
                    }
                    capi::TessDeleteText(symbol);
                }
                if capi::TessResultIteratorNext(iter, capi::TessPageIteratorLevel_RIL_SYMBOL) == 0 {
                    break;
                }
            }
            capi::TessResultIteratorDelete(iter);
        }
        words.retain(|word| !word.text.is_empty());
        words
    }

    /// Orientation and script detection (an engine loaded with "osd"): the page's rotation in
    /// degrees counter-clockwise (0, 90, 180, 270) and Tesseract's confidence in it. `None` when
    /// the page has too little text to tell.
    pub fn detect_orientation(&mut self) -> Option<(u32, f32)> {
        let (mut degrees, mut confidence) = (0, 0.0f32);
        let mut script: *const std::os::raw::c_char = ptr::null();
        let mut script_confidence = 0.0f32;
        // SAFETY: the engine is valid and has an image; the script name points into Tesseract's
        // static tables and is not used.
        let found = unsafe {
            capi::TessBaseAPIDetectOrientationScript(
                self.api.as_ptr(),
                &mut degrees,
                &mut confidence,
                &mut script,
                &mut script_confidence,
            )
        };
        (found != 0 && degrees >= 0).then_some((degrees as u32 % 360, confidence))
    }

    /// Frees the image and the results; the loaded models stay.
    pub fn clear(&mut self) {
        // SAFETY: the engine is valid.
        unsafe { capi::TessBaseAPIClear(self.api.as_ptr()) };
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: we own the engine; End releases its models (and its hold on Tesseract's shared
        // dictionary cache, which otherwise reports "LEAK" at exit), Delete frees it.
        unsafe {
            capi::TessBaseAPIEnd(self.api.as_ptr());
            capi::TessBaseAPIDelete(self.api.as_ptr());
        }
    }
}
