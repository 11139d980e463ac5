//! Validated settings for a scan: everything that can make the run impossible (an output that
//! cannot be written, a malformed --shard, missing OCR language data) is found here, before any
//! input file is touched.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::ValueEnum;

use crate::cli::{Format, OcrArgs, ScanArgs, StoreArgs};
use crate::output::CsvOptions;
use crate::shard::Shard;

/// Most worker threads per CPU core. The work is CPU-bound (OCR, decoding): threads past the
/// cores only add memory (an OCR engine each) and switching.
pub const MAX_JOBS_PER_CORE: usize = 4;

/// Everything a scan needs, checked.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    pub roots: Vec<PathBuf>,
    /// `None` writes to standard output.
    pub output: Option<PathBuf>,
    pub format: Format,
    pub csv: CsvOptions,
    /// `--cases`: where the case view goes.
    pub cases: Option<PathBuf>,
    pub jobs: usize,
    pub resume: bool,
    pub shard: Option<Shard>,
    pub ocr: OcrSettings,
    pub limits: ReadLimits,
    /// Show a progress bar (only ever on a terminal, and never on the one the rows go to).
    pub progress: bool,
    /// Settings that were adjusted, to tell the user before the run starts.
    pub notes: Vec<String>,
    /// The store of files already read; `None` with `--no-store`.
    pub store: Option<StoreChoice>,
    /// Build the output beside FILE and rename it into place when the run ends, so that FILE
    /// is only ever whole (`watch`); a stream is otherwise written in place, for `--resume`.
    pub replace_whole: bool,
}

/// Where the store is, and whether the user named it (then a store that cannot be opened stops
/// the run; the default one only gets a warning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreChoice {
    pub dir: PathBuf,
    pub named: bool,
}

impl StoreChoice {
    /// `--store DIR`, else the default folder; `None` with `--no-store` or without a home folder.
    pub fn from_args(
        args: &StoreArgs,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<StoreChoice> {
        if args.no_store {
            return None;
        }
        if let Some(dir) = &args.store {
            return Some(StoreChoice {
                dir: dir.clone(),
                named: true,
            });
        }
        default_store_dir(|name| env(name).map(Into::into))
            .map(|dir| StoreChoice { dir, named: false })
    }
}

/// The store's folder when `--store` is not given: `$I797_STORE`, else
/// `$XDG_CACHE_HOME/i797/store`, else `~/.cache/i797/store`; `None` without a home folder.
pub fn default_store_dir(env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    if let Some(dir) = set("I797_STORE") {
        return Some(PathBuf::from(dir));
    }
    // The XDG rule: a relative XDG_CACHE_HOME is ignored.
    let cache = set("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| set("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(cache.join("i797").join("store"))
}

/// Limits on the work one file may cause, so that no file can hold a batch up for ever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// CPU time the reading of one file's pages may take; pages not started by then get an
    /// `error` row that says so.
    pub cpu_per_file: Duration,
}

impl Default for ReadLimits {
    /// Twenty minutes of CPU: a 1000-page scanned stack needs about a third of that.
    fn default() -> Self {
        ReadLimits {
            cpu_per_file: Duration::from_secs(1200),
        }
    }
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
    #[error("--file-time-limit must be at least 1 second")]
    NoTime,
    #[error("--output {0} is a folder; give a file name")]
    OutputIsFolder(PathBuf),
    #[error("--tessdata {0} is not a folder")]
    TessdataMissing(PathBuf),
    #[error(
        "--format {0} writes a file, not a stream: give one with --output FILE (only csv and \
         jsonl can go to standard output)"
    )]
    FormatNeedsFile(&'static str),
    #[error(
        "--resume works with --format csv or jsonl only: an {0} output is put in place whole \
         when the run ends, so an interrupted run left no rows of it to carry on from; run the \
         scan again without --resume"
    )]
    FormatCannotResume(&'static str),
    #[error(
        "--cases FILE is written as csv or jsonl; --format {0} holds the case view itself ({1}), \
         so leave --cases out (or add it to a csv or jsonl run)"
    )]
    CasesNeedTextFormat(&'static str, &'static str),
    #[error("--files-from {path}: {error}")]
    FilesFrom {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl ScanConfig {
    /// Checks `args`; `env` reads environment variables (for `--shard auto` and the store).
    pub fn from_args(
        args: &ScanArgs,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ScanConfig, ConfigError> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let mut notes = Vec::new();
        let jobs = match args.jobs {
            Some(0) => return Err(ConfigError::NoJobs),
            Some(jobs) => {
                let (jobs, note) = capped_jobs(jobs, cores);
                notes.extend(note);
                jobs
            }
            None => cores,
        };
        let limits = match args.file_time_limit {
            Some(0) => return Err(ConfigError::NoTime),
            Some(seconds) => ReadLimits {
                cpu_per_file: Duration::from_secs(seconds),
            },
            None => ReadLimits::default(),
        };
        if let Some(output) = &args.output
            && output.is_dir()
        {
            return Err(ConfigError::OutputIsFolder(output.clone()));
        }
        if let Some(note) = args
            .output
            .as_deref()
            .and_then(|o| format_mismatch(o, args.format))
        {
            notes.push(note);
        }
        notes.extend(csv_options_unused(
            args.format,
            args.csv.bom,
            args.csv.no_formula_guard,
        ));
        if let Some(name) = whole_file_format(args.format) {
            if args.output.is_none() {
                return Err(ConfigError::FormatNeedsFile(name));
            }
            if args.resume {
                return Err(ConfigError::FormatCannotResume(name));
            }
            if args.cases.is_some() {
                let inside = match args.format {
                    Format::Xlsx => "the sheet `cases`",
                    _ => "the tables cases, case_notices and case_links",
                };
                return Err(ConfigError::CasesNeedTextFormat(name, inside));
            }
        }
        let ocr = OcrSettings::from_args(&args.ocr)?;
        let shard = args
            .shard
            .as_deref()
            .map(|value| Shard::parse(value, &env))
            .transpose()?;
        let mut roots = args.paths.clone();
        if let Some(list) = &args.files_from {
            let listed = crate::files_from::read_list(list, args.null).map_err(|error| {
                ConfigError::FilesFrom {
                    path: list.clone(),
                    error,
                }
            })?;
            roots.extend(listed);
        }
        if shard.is_some() && args.output.is_none() {
            notes.push(
                "--shard without -o FILE: no shard manifest is written, and `i797 merge` joins \
                 only outputs that have one"
                    .to_string(),
            );
        }
        let store = StoreChoice::from_args(&args.store, &env);
        if store.is_none() && !args.store.no_store {
            notes.push(
                "no cache folder (HOME is not set): every file is read; give --store DIR to \
                 keep what is read"
                    .to_string(),
            );
        }
        let rows_to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
        Ok(ScanConfig {
            roots,
            output: args.output.clone(),
            format: args.format,
            csv: CsvOptions {
                bom: args.csv.bom,
                formula_guard: !args.csv.no_formula_guard,
            },
            cases: args.cases.clone(),
            jobs,
            resume: args.resume,
            shard,
            ocr,
            limits,
            progress: crate::progress::bar_allowed(args.quiet, rows_to_terminal),
            notes,
            store,
            replace_whole: false,
        })
    }
}

/// The name of `format` when it is written whole at the end of a run (not a stream of rows).
pub fn whole_file_format(format: Format) -> Option<&'static str> {
    match format {
        Format::Xlsx => Some("xlsx"),
        Format::Sqlite => Some("sqlite"),
        Format::Csv | Format::Jsonl => None,
    }
}

/// A note when CSV-only options are given for another format: they would change nothing, and a
/// user who asked for them should know.
fn csv_options_unused(format: Format, bom: bool, no_formula_guard: bool) -> Option<String> {
    let given: Vec<&str> = [("--bom", bom), ("--no-formula-guard", no_formula_guard)]
        .into_iter()
        .filter_map(|(option, set)| set.then_some(option))
        .collect();
    if format == Format::Csv || given.is_empty() {
        return None;
    }
    let name = format.to_possible_value()?.get_name().to_string();
    let verb = if given.len() == 1 {
        "changes"
    } else {
        "change"
    };
    Some(format!(
        "{} only {verb} CSV output; ignored with --format {name}",
        given.join(" and ")
    ))
}

/// A note when the output's extension names another format than the one written (a CSV named
/// `.xlsx` would not open in Excel).
fn format_mismatch(output: &std::path::Path, format: Format) -> Option<String> {
    let extension = output.extension()?.to_str()?.to_ascii_lowercase();
    let named = match extension.as_str() {
        "xlsx" => Format::Xlsx,
        "db" | "sqlite" | "sqlite3" => Format::Sqlite,
        "csv" => Format::Csv,
        "jsonl" => Format::Jsonl,
        _ => return None,
    };
    (named != format).then(|| {
        let name = |f: Format| f.to_possible_value().map(|v| v.get_name().to_string());
        format!(
            "writing {} to {}: for {}, add --format {}",
            name(format).unwrap_or_default(),
            crate::discover::display_path(output),
            extension,
            name(named).unwrap_or_default()
        )
    })
}

/// `--jobs` within [`MAX_JOBS_PER_CORE`] per core, and a note when it was lowered.
fn capped_jobs(asked: usize, cores: usize) -> (usize, Option<String>) {
    let most = MAX_JOBS_PER_CORE * cores.max(1);
    if asked <= most {
        return (asked, None);
    }
    let note = format!(
        "--jobs {asked} is more than {MAX_JOBS_PER_CORE} per CPU core ({cores} here): using {most}"
    );
    (most, Some(note))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_named_for_another_format_gets_a_note() {
        let note = format_mismatch(std::path::Path::new("out/Clients.XLSX"), Format::Csv);
        assert_eq!(
            note.as_deref(),
            Some("writing csv to out/Clients.XLSX: for xlsx, add --format xlsx")
        );
        assert_eq!(
            format_mismatch(std::path::Path::new("a.db"), Format::Sqlite),
            None
        );
        assert_eq!(
            format_mismatch(std::path::Path::new("a.txt"), Format::Csv),
            None
        );
    }

    #[test]
    fn csv_only_options_with_another_format_get_a_note() {
        assert_eq!(csv_options_unused(Format::Csv, true, true), None);
        assert_eq!(csv_options_unused(Format::Jsonl, false, false), None);
        assert_eq!(
            csv_options_unused(Format::Xlsx, true, false).as_deref(),
            Some("--bom only changes CSV output; ignored with --format xlsx")
        );
        let note = csv_options_unused(Format::Jsonl, true, true).unwrap();
        assert!(note.contains("--bom and --no-formula-guard"), "{note}");
    }

    #[test]
    fn jobs_past_a_few_per_core_are_capped_with_a_note() {
        assert_eq!(capped_jobs(3, 2), (3, None));
        assert_eq!(capped_jobs(8, 2), (8, None));
        let (jobs, note) = capped_jobs(100_000, 2);
        assert_eq!(jobs, 8);
        assert!(note.unwrap().contains("--jobs 100000"));
    }
}
