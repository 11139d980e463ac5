//! Command-line interface: what the user can ask for, with the help text they see.

mod examples;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns folders of USCIS I-797 notices (PDFs, scans, phone photos) into a CSV of receipt
/// numbers and notice fields. Everything runs on this computer; nothing is sent anywhere.
#[derive(Debug, Parser)]
#[command(name = "i797", version, about, long_about = None, after_help = examples::MAIN)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read every notice under the given files and folders and write one row per case number.
    #[command(after_help = examples::SCAN)]
    Scan(ScanArgs),
    /// Join the outputs of `scan --shard` runs into the one output a single run would write.
    #[command(after_help = examples::MERGE)]
    Merge(MergeArgs),
    /// Show the case number on one notice (a photo, a scan or a PDF), checked and explained.
    #[command(after_help = examples::FIND)]
    Find(FindArgs),
    /// Keep an output up to date with the folders it reads: whenever files arrive or change,
    /// FILE is replaced by what `scan FOLDER… -o FILE` would write.
    #[command(after_help = examples::WATCH)]
    Watch(WatchArgs),
    /// Show or clear the store of files already read.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Print the JSON Schema of one JSON Lines row (`scan --format jsonl`).
    Schema,
    /// Print a shell completion script (e.g. `i797 completions bash > /etc/bash_completion.d/i797`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `i797 man | man -l -`, or a command's: `i797 man scan`.
    Man {
        /// The command whose page to print (scan, merge, find, …).
        command: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and folders to read (folders are walked recursively).
    #[arg(required_unless_present = "files_from", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Also read the paths listed in FILE, one per line (`-`: standard input). Blank lines are
    /// ignored; folders are walked as on the command line.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// The paths in --files-from are separated by NUL bytes (as `find -print0` writes them), so
    /// names may hold line breaks.
    #[arg(short = '0', long, requires = "files_from")]
    pub null: bool,

    /// Write rows to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,

    #[command(flatten)]
    pub csv: CsvArgs,

    /// Also write the case view to FILE when the run ends: one row per case number with its
    /// notices, latest state, names and linked cases (csv or jsonl, as the output; an xlsx or
    /// sqlite output holds the case view itself).
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,

    /// Worker threads (default: one per CPU core; at most 4 per core). Bounds OCR threads too.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// CPU time one file's pages may take, in seconds (default 1200); pages left when it is
    /// used up get an `error` row saying so, and the run goes on.
    #[arg(long, value_name = "SECONDS")]
    pub file_time_limit: Option<u64>,

    #[command(flatten)]
    pub ocr: OcrArgs,

    /// Keep the rows an interrupted run already wrote to --output and read only the rest.
    #[arg(long, requires = "output")]
    pub resume: bool,

    /// Read only this machine's share of the files: K/N (0-based, e.g. 0/4 … 3/4), or `auto`
    /// to take it from a Kubernetes Indexed Job, a Slurm array or an AWS Batch array job.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,

    /// Errors only on stderr: no progress bar, warnings, notes or summary.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// More on stderr: -v what each file took and how it was read, -vv details for debugging
    /// (never what a page says).
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(flatten)]
    pub store: StoreArgs,
}

/// The store of files already read (see the README, "The store").
#[derive(Debug, Args, Clone)]
pub struct StoreArgs {
    /// Keep what was read in DIR and take from it the rows of files read before (default:
    /// $I797_STORE, else ~/.cache/i797/store). It holds names and A-numbers: keep it private.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Read every file and keep nothing in the store.
    #[arg(long, conflicts_with = "store")]
    pub no_store: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Seconds a folder must stay unchanged (no file growing) before the output is brought up
    /// to date.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub settle: f64,
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Print the store's folder.
    Path(StoreArgs),
    /// Remove every entry from the store (files are read again on the next run).
    Clear(StoreArgs),
}

#[derive(Debug, Args)]
pub struct FindArgs {
    /// The photo, scan or PDF of the notice (or a few of them).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Print JSON for scripts instead of the report for people.
    #[arg(long)]
    pub json: bool,

    /// Colour in the report: `auto` (when the output is a terminal and NO_COLOR is not set),
    /// `always` or `never`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(flatten)]
    pub ocr: OcrArgs,
}

/// How the CSV is written for the programs that open it.
#[derive(Debug, Args, Clone, Copy)]
pub struct CsvArgs {
    /// Start the CSV with a UTF-8 byte-order mark, so Excel shows accents (García) right.
    #[arg(long)]
    pub bom: bool,

    /// Write names and messages as read, even when they start with = + - or @ (by default
    /// such a cell gets a leading ' so a spreadsheet does not run it). `file` is never altered.
    #[arg(long)]
    pub no_formula_guard: bool,
}

/// Where Tesseract finds its language data.
#[derive(Debug, Args, Clone)]
pub struct OcrArgs {
    /// Tesseract language data folder (default: the system's).
    #[arg(long, value_name = "DIR")]
    pub tessdata: Option<PathBuf>,

    /// Tesseract language(s), e.g. `eng` or `eng+spa`.
    #[arg(long, default_value = "eng")]
    pub lang: String,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The merged output to write.
    #[arg(value_name = "OUT")]
    pub output: PathBuf,

    /// The shard outputs (all CSV, or all JSON Lines with --format jsonl).
    #[arg(required = true, value_name = "SHARD")]
    pub shards: Vec<PathBuf>,

    /// Format of the merged output: as the shards' (csv or jsonl, the default: as their manifests
    /// say), or xlsx or sqlite to write the merged rows as a workbook or database.
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Also write the case view of the merged rows to FILE (as `scan --cases`).
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// RFC 4180 CSV with a header row.
    Csv,
    /// One JSON object per line, same fields as the CSV, typed (see `i797 schema`).
    Jsonl,
    /// An Excel workbook for people, sheets `rows` and `cases` (needs --output; written when
    /// the run ends).
    Xlsx,
    /// An SQLite database: `files`, `rows` and the case tables (needs --output).
    Sqlite,
}
