//! Validated settings for a scan: everything that can make the run impossible (an output that
//! cannot be written, a malformed --shard, missing OCR language data) is found here, before any
//! input file is touched.

use std::path::PathBuf;

use crate::cli::{Format, OcrArgs, ScanArgs};
use crate::shard::Shard;

/// Everything a scan needs, checked.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    pub roots: Vec<PathBuf>,
    /// `None` writes to standard output.
    pub output: Option<PathBuf>,
    pub format: Format,
    pub jobs: usize,
    pub resume: bool,
    pub shard: Option<Shard>,
    pub ocr: OcrSettings,
    /// Show a progress bar (only ever on a terminal).
    pub progress: bool,
}

/// Where Tesseract finds its language data and which languages to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcrSettings {
    pub tessdata: Option<PathBuf>,
    pub lang: String,
}

/// A setting that makes the run impossible; reported before anything is read (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Shard(#[from] crate::shard::ShardError),
    #[error("--jobs must be at least 1")]
    NoJobs,
    #[error("--output {0} is a folder; give a file name")]
    OutputIsFolder(PathBuf),
    #[error("--tessdata {0} is not a folder")]
    TessdataMissing(PathBuf),
}

impl ScanConfig {
    /// Checks `args`; `env` reads environment variables (for `--shard auto`).
    pub fn from_args(
        args: &ScanArgs,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ScanConfig, ConfigError> {
        let jobs = match args.jobs {
            Some(0) => return Err(ConfigError::NoJobs),
            Some(jobs) => jobs,
            None => std::thread::available_parallelism().map_or(1, usize::from),
        };
        if let Some(output) = &args.output
            && output.is_dir()
        {
            return Err(ConfigError::OutputIsFolder(output.clone()));
        }
        let ocr = OcrSettings::from_args(&args.ocr)?;
        let shard = args
            .shard
            .as_deref()
            .map(|value| Shard::parse(value, env))
            .transpose()?;
        Ok(ScanConfig {
            roots: args.paths.clone(),
            output: args.output.clone(),
            format: args.format,
            jobs,
            resume: args.resume,
            shard,
            ocr,
            progress: !args.quiet,
        })
    }
}

impl OcrSettings {
    pub fn from_args(args: &OcrArgs) -> Result<OcrSettings, ConfigError> {
        if let Some(dir) = &args.tessdata
            && !dir.is_dir()
        {
            return Err(ConfigError::TessdataMissing(dir.clone()));
        }
        Ok(OcrSettings {
            tessdata: args.tessdata.clone(),
            lang: args.lang.clone(),
        })
    }
}
