//! The commands: `scan` and `merge`. Validates settings first, then runs; returns the exit status.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::time::Instant;

use anyhow::Context;

use crate::cli::{Cli, ColorChoice, Command, FindArgs};
use crate::config::{OcrSettings, ScanConfig};
use crate::discover::{Input, discover};
use crate::find::FileReport;
use crate::ocr::tesseract::{TesseractSource, prepare_worker_thread};
use crate::output::format_for;
use crate::pipeline::read_document_isolated;
use crate::pipeline::{ExitStatus, scan_inputs};
use crate::progress::{Progress, Summary};
use crate::resume::{ResumePoint, resume_point};
use rayon::prelude::*;
use std::io::IsTerminal;

pub fn run_cli(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Scan(args) => {
            let config = ScanConfig::from_args(&args, |name| std::env::var(name).ok())?;
            scan(&config)
        }
        Command::Merge(args) => {
            crate::merge::merge(&args.output, &args.shards, args.format)?;
            Ok(ExitStatus::Success)
        }
        Command::Find(args) => find(&args),
    }
}

/// Reads one or a few notices and explains the numbers on them to a person (or a script).
fn find(args: &FindArgs) -> anyhow::Result<ExitStatus> {
    let recognizers = recognizers(&OcrSettings::from_args(&args.ocr)?)?;
    let inputs = discover(&args.files);
    let reports: Vec<FileReport> = worker_pool(default_jobs())?.install(|| {
        inputs
            .par_iter()
            .map(|input| FileReport::from_reading(&read_document_isolated(input, &recognizers)))
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

/// Runs a scan as configured: walk, (resume,) read in parallel, write in order, summarise.
pub fn scan(config: &ScanConfig) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let recognizers = recognizers(&config.ocr)?;
    let mut inputs = discover(&config.roots);
    if let Some(shard) = config.shard {
        inputs.retain(|input| shard.owns(&input.display));
    }
    let (sink, resumed) = open_output(config, &inputs)?;
    let mut summary = Summary::default();
    for rows in &resumed.kept_rows {
        summary.count_file(rows, 0);
    }
    summary.files_resumed = resumed.kept_files;

    let remaining = &inputs[resumed.kept_files..];
    let progress = Progress::new(remaining.len(), config.progress);
    let pool = worker_pool(config.jobs)?;
    let format = format_for(config.format);
    let this_run = pool.install(|| {
        scan_inputs(
            remaining,
            resumed.kept_files,
            &recognizers,
            format,
            sink,
            &progress,
        )
    })?;
    progress.finish();
    summary.add(&this_run);
    eprintln!("{}", summary.render(started.elapsed()));
    Ok(summary.exit_status())
}

/// Tesseract with the configured language data; fails (exit 2) when the data is missing.
fn recognizers(settings: &OcrSettings) -> anyhow::Result<TesseractSource> {
    let source = TesseractSource::new(settings.tessdata.clone(), &settings.lang)?;
    if !source.has_orientation_data() {
        eprintln!(
            "i797: warning: Tesseract's orientation data (osd) is missing: sideways and upside-down \
             pages may not be read; install tesseract-ocr-osd"
        );
    }
    Ok(source)
}

/// The worker threads: `jobs` of them, each with Tesseract's own threading off so that `--jobs`
/// really bounds the CPU threads (Tesseract's OpenMP would otherwise start more on every page).
fn worker_pool(jobs: usize) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .start_handler(|_| prepare_worker_thread())
        .build()
        .context("cannot start worker threads")
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Opens the output for writing, header included, or — with `--resume` — cut back to the rows an
/// earlier run completed, positioned to append.
fn open_output(
    config: &ScanConfig,
    inputs: &[Input],
) -> anyhow::Result<(Box<dyn Write + Send>, ResumePoint)> {
    let fresh = ResumePoint {
        kept_files: 0,
        keep_bytes: 0,
        kept_rows: Vec::new(),
    };
    let header = format_for(config.format).header();
    let Some(path) = &config.output else {
        let mut stdout = BufWriter::new(std::io::stdout());
        stdout
            .write_all(&header)
            .context("cannot write to standard output")?;
        return Ok((Box::new(stdout), fresh));
    };
    let cannot_write = || format!("cannot write {}", path.display());
    let point = match config.resume.then(|| std::fs::read(path)) {
        Some(Ok(existing)) => resume_point(&existing, config.format, inputs)
            .with_context(|| format!("cannot resume from {}", path.display()))?,
        Some(Err(error)) if error.kind() != std::io::ErrorKind::NotFound => {
            return Err(error).with_context(|| format!("cannot read {} to resume", path.display()));
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
    Ok((Box::new(file), point))
}
