//! The `scan` and `find` commands: settings validated first, then the run; the exit status.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;

use crate::cases_file::CasesFile;
use crate::cli::{ColorChoice, FindArgs};
use crate::config::{OcrSettings, ReadLimits, ScanConfig};
use crate::discover::{Input, discover};
use crate::exit_status::ExitStatus;
use crate::find::FileReport;
use crate::journal::{History, Journal};
use crate::linking::Linking;
use crate::logging::{NOTE, SUMMARY};
use crate::output::finished_file::WholeStream;
use crate::output::{RowSink, StreamSink, whole_file_sink, writer_for};
use crate::own_files::OwnFiles;
use crate::pipeline::{ScanControl, read_document_isolated, scan_inputs};
use crate::progress::{Progress, Summary};
use crate::resume::{ResumePoint, resume_point};
use crate::sanitize::for_terminal;
use crate::shard_manifest::{ShardManifest, ShardSettings};
use crate::version::Engines;
use i797_read::ocr::SecondReader;
use i797_read::ocr::neural::{NeuralReader, ReaderOptions, default_models_dir};
use i797_read::ocr::policy::Readers;
use i797_read::ocr::tesseract::{TesseractSource, prepare_worker_thread};
use rayon::prelude::*;
use std::io::IsTerminal;

/// Reads one or a few notices and explains the numbers on them to a person (or a script).
pub fn find(args: &FindArgs) -> anyhow::Result<ExitStatus> {
    let readers = readers(&OcrSettings::from_args(&args.ocr)?, default_jobs())?;
    let inputs = discover(&args.files);
    let interrupted = AtomicBool::new(false);
    let control = ScanControl {
        limits: ReadLimits::default(),
        journal: None,
        interrupted: &interrupted,
        store: None,
    };
    let reports: Vec<FileReport> = worker_pool(default_jobs())?.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                FileReport::from_reading(&read_document_isolated(input, &readers, &control))
            })
            .collect()
    });
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &reports)?;
        writeln!(stdout)?;
    } else {
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        };
        crate::find::write_text(&mut stdout, &reports, color)?;
    }
    stdout.flush()?;
    let all_found = reports.iter().all(FileReport::found_any);
    Ok(if all_found {
        ExitStatus::Success
    } else {
        ExitStatus::SomeFilesFailed
    })
}

/// How a scan answers Ctrl-C.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CtrlC {
    /// Stop after the files being read, and say how to carry on.
    Stops,
    /// The caller has its own handler (`watch`): the scan runs to its end.
    CallerHandles,
}

/// Runs a scan as configured: walk, (resume,) read in parallel, write in order, summarise.
pub fn scan(config: &ScanConfig) -> anyhow::Result<ExitStatus> {
    scan_with(config, CtrlC::Stops)
}

/// [`scan`], answering Ctrl-C as `ctrl_c` says.
pub fn scan_with(config: &ScanConfig, ctrl_c: CtrlC) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    for note in &config.notes {
        log::warn!(target: NOTE, "{note}");
    }
    log::debug!(
        "{} worker threads, format {:?}, shard {:?}, {} s of CPU per file",
        config.jobs,
        config.format,
        config.shard,
        config.limits.cpu_per_file.as_secs()
    );
    let readers = readers(&config.ocr, config.jobs)?;
    let store = crate::store::open_for(config)?;
    let own_files = config.output.as_deref().map(OwnFiles::check).transpose()?;
    let cases_file = (config.cases.as_deref())
        .map(|cases| CasesFile::check(cases, config.output.as_deref().as_slice()))
        .transpose()?;
    let (mut inputs, left_out) = walk(config, own_files.as_ref(), cases_file.as_ref())?;
    for note in left_out {
        log::warn!(target: NOTE, "{note}");
    }
    // Before the output is touched: a kill from here on leaves an unfinished manifest.
    let mut manifest = start_manifest(config)?;
    let (sink, mut resumed) = open_output(config, &inputs)?;
    // The kept rows come first in the output: what they show seeds the duplicates and cases.
    // A workbook or database holds the case view itself (see `RowSink::holds_cases`).
    let holds_cases = crate::config::whole_file_format(config.format).is_some();
    let mut linking = Linking::new(cases_file.is_some() || holds_cases);
    for rows in &mut resumed.kept_rows {
        linking.file_written(rows);
    }
    let journal = match &config.output {
        Some(output) => Some(open_journal(
            output,
            config.resume,
            &mut inputs[resumed.kept_files..],
        )?),
        None => None,
    };
    let mut summary = Summary::default();
    for rows in &resumed.kept_rows {
        summary.count_file(rows, 0);
    }
    summary.files_resumed = resumed.kept_files;
    summary.store_used = store.is_some();

    let remaining = &inputs[resumed.kept_files..];
    log::info!(
        "{} files to read ({} kept from the interrupted run), {} at a time",
        remaining.len(),
        resumed.kept_files,
        config.jobs
    );
    let progress = Progress::new(remaining.len(), config.progress);
    let never_interrupted = AtomicBool::new(false);
    let interrupted = match ctrl_c {
        CtrlC::Stops => {
            stop_on_ctrl_c(&INTERRUPTED, &progress);
            &INTERRUPTED
        }
        CtrlC::CallerHandles => &never_interrupted,
    };
    let pool = worker_pool(config.jobs)?;
    let control = ScanControl {
        limits: config.limits,
        journal: journal.as_ref(),
        interrupted,
        store: store.as_ref(),
    };
    let this_run = pool.install(|| {
        scan_inputs(
            remaining,
            resumed.kept_files,
            &readers,
            sink,
            &mut linking,
            &progress,
            control,
        )
    })?;
    progress.finish();
    summary.add(&this_run);
    log::warn!(target: SUMMARY, "{}", summary.render(started.elapsed()));
    if interrupted.load(Ordering::SeqCst) {
        // The answer to the user's Ctrl-C: printed at every level.
        eprintln!("{}", resume_hint(config, summary.files, inputs.len()));
        if cases_file.is_some() {
            log::warn!(target: NOTE, "the case view is written when the run ends, after --resume");
        }
        return Ok(ExitStatus::Interrupted);
    }
    if let (Some(cases_file), Some(cases)) = (&cases_file, linking.cases()) {
        cases_file.write(&cases, config.format, config.csv)?;
    }
    if let (Some(manifest), Some(output)) = (&mut manifest, &config.output) {
        let shown = crate::discover::display_path(output);
        let written = std::fs::read(output).with_context(|| format!("cannot read {shown}"))?;
        manifest.finish(&written);
        manifest
            .write_beside(output)
            .with_context(|| format!("cannot write the shard manifest beside {shown}"))?;
    }
    if let Some(journal) = journal {
        // Everything was read: nothing is left to resume.
        let _ = journal.remove();
    }
    Ok(summary.exit_status())
}

/// The files a scan reads: the walk of its paths less its own files (with a note on each left
/// out), and only its shard's share.
fn walk(
    config: &ScanConfig,
    own_files: Option<&OwnFiles>,
    cases_file: Option<&CasesFile>,
) -> anyhow::Result<(Vec<Input>, Vec<String>)> {
    let mut inputs = discover(&config.roots);
    let mut notes = Vec::new();
    if let Some(own_files) = own_files {
        for left_out in own_files.keep_out_of(&mut inputs)? {
            notes.push(format!(
                "not reading {left_out}: it is this run's own output"
            ));
        }
    }
    if let Some(cases_file) = cases_file {
        for left_out in cases_file.keep_out_of(&mut inputs)? {
            notes.push(format!(
                "not reading {left_out}: it is this run's case view"
            ));
        }
    }
    if let Some(shard) = config.shard {
        inputs.retain(|input| shard.owns(&input.display));
    }
    Ok((inputs, notes))
}

/// The files a scan as configured would read now (`watch` looks at them for changes).
pub fn inputs_of(config: &ScanConfig) -> anyhow::Result<Vec<Input>> {
    let own_files = config.output.as_deref().map(OwnFiles::check).transpose()?;
    let cases_file = (config.cases.as_deref())
        .map(|cases| CasesFile::check(cases, config.output.as_deref().as_slice()))
        .transpose()?;
    Ok(walk(config, own_files.as_ref(), cases_file.as_ref())?.0)
}

/// With `--shard` and `-o`: writes the manifest that says what the output is, not finished yet
/// (a run that is stopped or killed leaves it so, and `merge` refuses the output). Without
/// `--shard`, a manifest left beside the output by an earlier shard run no longer describes it
/// and is removed.
fn start_manifest(config: &ScanConfig) -> anyhow::Result<Option<ShardManifest>> {
    let Some(output) = &config.output else {
        return Ok(None);
    };
    let Some(shard) = config.shard else {
        let stale = crate::shard_manifest::path_for(output);
        if stale.exists() {
            std::fs::remove_file(&stale).with_context(|| {
                format!("cannot remove {}", crate::discover::display_path(&stale))
            })?;
        }
        return Ok(None);
    };
    let settings = ShardSettings {
        paths: config
            .roots
            .iter()
            .map(|p| crate::discover::display_path(p))
            .collect(),
        format: crate::shard_manifest::format_name(config.format),
        csv: config.csv,
        lang: config.ocr.lang.clone(),
        tessdata: config
            .ocr
            .tessdata
            .as_deref()
            .map(crate::discover::display_path),
        file_time_limit_seconds: config.limits.cpu_per_file.as_secs(),
        engines: Engines::detect(&default_models_dir()),
    };
    let manifest = ShardManifest::new(shard, settings);
    manifest.write_beside(output).with_context(|| {
        format!(
            "cannot write the shard manifest beside {}",
            crate::discover::display_path(output)
        )
    })?;
    Ok(Some(manifest))
}

/// Opens the journal beside `output`; when resuming, the files that an earlier run kept
/// crashing or dying on are marked not to be read again (their rows say why).
fn open_journal(
    output: &std::path::Path,
    resuming: bool,
    remaining: &mut [Input],
) -> anyhow::Result<Journal> {
    let path = crate::journal::path_for(output);
    if resuming {
        let history = std::fs::read_to_string(&path)
            .map_or_else(|_| History::default(), |t| History::parse(&t));
        for input in remaining.iter_mut() {
            if let Some(reason) = history.reason_to_skip(&input.display) {
                input.walk_error = Some(reason);
            }
        }
    }
    Journal::open(path.clone(), resuming)
        .with_context(|| format!("cannot write {}", crate::discover::display_path(&path)))
}

/// Set by Ctrl-C. One per process, as the signal handler is.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C once: no new file is started, what is read is written, and the run ends with the
/// command that carries on. Twice: stop at once (the output still holds whole rows).
fn stop_on_ctrl_c(interrupted: &'static AtomicBool, progress: &Progress) {
    let bar = progress.clone();
    let installed = ctrlc::set_handler(move || {
        if interrupted.swap(true, Ordering::SeqCst) {
            bar.clear();
            eprintln!("\ni797: stopped");
            std::process::exit(ExitStatus::Interrupted as i32);
        }
        bar.println(
            "i797: stopping after the files being read; press Ctrl-C again to stop at once",
        );
    });
    if let Err(error) = installed {
        log::warn!("Ctrl-C will stop the run without a summary ({error})");
    }
}

/// What to tell the user after Ctrl-C: how far the run got and how to carry on.
fn resume_hint(config: &ScanConfig, done: usize, total: usize) -> String {
    let Some(output) = &config.output else {
        return format!(
            "i797: interrupted after {done} of {total} files; to be able to carry on after an \
             interruption, write to a file with -o FILE and run again with --resume"
        );
    };
    if let Some(format) = crate::config::whole_file_format(config.format) {
        return format!(
            "i797: interrupted after {done} of {total} files; {} holds their rows. An {format} \
             output cannot be resumed: run the same command again to read every file",
            crate::discover::display_path(output)
        );
    }
    let mut words: Vec<String> = std::env::args_os()
        .map(|arg| shell_word(&arg.to_string_lossy()))
        .collect();
    if !config.resume {
        words.push("--resume".to_string());
    }
    format!(
        "i797: interrupted after {done} of {total} files; {} holds their rows. To read the rest:\n  {}",
        crate::discover::display_path(output),
        words.join(" ")
    )
}

/// `word` as a POSIX shell reads it back: bare when it is plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    for_terminal(&format!("'{}'", word.replace('\'', r"'\''"))).into_owned()
}

/// Tesseract with the configured language data (fails, exit 2, when the data is missing) and
/// the neural reader beside it (a loud warning when its models are missing: the run goes on with
/// Tesseract alone and every number it reads is flagged as checked by no second reader).
fn readers(settings: &OcrSettings, jobs: usize) -> anyhow::Result<Readers<TesseractSource>> {
    let first = TesseractSource::new(settings.tessdata.clone(), &settings.lang)?;
    if !first.has_orientation_data() {
        log::warn!(
            "Tesseract's orientation data (osd) is missing: sideways and upside-down pages may \
             not be read; install tesseract-ocr-osd"
        );
    }
    // As many inference threads as workers, shared by them.
    let options = ReaderOptions {
        threads: Some(jobs.clamp(1, default_jobs())),
        ..ReaderOptions::default()
    };
    let models = default_models_dir();
    let second = match NeuralReader::load_with(&models, options) {
        Ok(reader) => {
            log::info!(
                "pictures are read by Tesseract and the neural reader (models in {})",
                crate::discover::display_path(&models)
            );
            Some(Box::new(reader) as Box<dyn SecondReader>)
        }
        Err(error) => {
            log::warn!(
                "{error}. Reading with Tesseract alone: every number read from a picture will be \
                 flagged for review"
            );
            None
        }
    };
    Ok(Readers { first, second })
}

/// The worker threads: `jobs` of them, each with Tesseract's own threading off so that `--jobs`
/// really bounds the CPU threads (Tesseract's OpenMP would otherwise start more on every page).
fn worker_pool(jobs: usize) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|index| format!("i797-worker-{index}"))
        .start_handler(|_| prepare_worker_thread())
        .build()
        .context("cannot start worker threads")
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Opens the output for writing, header included, or — with `--resume` — cut back to the rows an
/// earlier run completed, positioned to append. A workbook or database is started beside the
/// output and put in place when the run ends.
fn open_output(
    config: &ScanConfig,
    inputs: &[Input],
) -> anyhow::Result<(Box<dyn RowSink>, ResumePoint)> {
    let fresh = ResumePoint {
        kept_files: 0,
        keep_bytes: 0,
        kept_rows: Vec::new(),
    };
    let Some(format) = writer_for(config.format, config.csv) else {
        // The configuration made sure these formats have an output file and no --resume.
        let path = config
            .output
            .as_deref()
            .context("this format needs --output FILE")?;
        let sink = whole_file_sink(config.format, path)
            .with_context(|| format!("cannot write {}", crate::discover::display_path(path)))?
            .context("not a whole-file format")?;
        return Ok((sink, fresh));
    };
    let header = format.header();
    let Some(path) = &config.output else {
        let mut stdout = BufWriter::new(std::io::stdout());
        stdout
            .write_all(&header)
            .context("cannot write to standard output")?;
        return Ok((Box::new(StreamSink::new(format, stdout)), fresh));
    };
    let shown = crate::discover::display_path(path);
    let cannot_write = || format!("cannot write {shown}");
    if config.replace_whole {
        let sink = WholeStream::create(format, path).with_context(cannot_write)?;
        return Ok((Box::new(sink), fresh));
    }
    let point = match config.resume.then(|| std::fs::read(path)) {
        Some(Ok(existing)) => resume_point(&existing, config.format, config.csv, inputs)
            .with_context(|| format!("cannot resume from {shown}"))?,
        Some(Err(error)) if error.kind() != std::io::ErrorKind::NotFound => {
            return Err(error).with_context(|| format!("cannot read {shown} to resume"));
        }
        _ => fresh,
    };
    let mut file = if point.keep_bytes > 0 {
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(cannot_write)?;
        file.set_len(point.keep_bytes).with_context(cannot_write)?;
        let mut file = BufWriter::new(file);
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).with_context(cannot_write)?;
        file
    } else {
        let mut file = BufWriter::new(File::create(path).with_context(cannot_write)?);
        file.write_all(&header).with_context(cannot_write)?;
        file
    };
    file.flush().with_context(cannot_write)?;
    Ok((Box::new(StreamSink::new(format, file)), point))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resume_command_is_one_a_shell_reads_back() {
        assert_eq!(shell_word("scan"), "scan");
        assert_eq!(shell_word("/archive/2024"), "/archive/2024");
        assert_eq!(shell_word("my notices"), "'my notices'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("a\u{1b}[2J"), "'a\\x1B[2J'");
    }
}
