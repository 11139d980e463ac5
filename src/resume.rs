//! `--resume`: keeps what an interrupted run already wrote and says where to carry on.
//!
//! Output is written in input order, file by file, so a killed run left a prefix of the full
//! output. We keep the longest prefix of whole files whose path and content (SHA-256) are still
//! the same, drop the rest (the last file's rows may be incomplete, so it is always read again),
//! and the run appends from there: the result is byte-identical to an uninterrupted run.
//! A kept file's rows must also be exactly what this version writes for them: a row edited by
//! hand (a live formula typed into a cell, say), or whose duplicate marks are not the ones the
//! files before it give (an output of an older version), is not kept but written anew.

use crate::cli::Format;
use crate::discover::Input;
use crate::duplicates::Duplicates;
use crate::output::CsvOptions;
use crate::readback::{ReadbackError, read_back};
use crate::record::{FileFacts, Record};

/// Where a resumed run carries on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumePoint {
    /// How many of the inputs (in order) already have their rows in the output.
    pub kept_files: usize,
    /// Truncate the output to this many bytes before appending; 0 means start afresh (header
    /// included).
    pub keep_bytes: u64,
    /// The kept files' rows, for the summary.
    pub kept_rows: Vec<Vec<Record>>,
}

/// Works out the resume point from the earlier output's bytes and this run's inputs.
pub fn resume_point(
    existing: &[u8],
    format: Format,
    csv: CsvOptions,
    inputs: &[Input],
) -> Result<ResumePoint, ReadbackError> {
    let mut readback = read_back(existing, format, csv.formula_guard)?;
    // The last file's rows may have been cut short by the kill: read that file again.
    readback.files.pop();
    let mut point = ResumePoint {
        kept_files: 0,
        keep_bytes: readback.header_end,
        kept_rows: Vec::new(),
    };
    let Some(writer) = crate::output::writer_for(format, csv) else {
        return Err(ReadbackError::NotAStream);
    };
    // A header this run would not write (with `--bom` now on or off): start afresh.
    if existing[..readback.header_end as usize] != writer.header()[..] {
        point.keep_bytes = 0;
        return Ok(point);
    }
    let mut duplicates = Duplicates::default();
    for (input, earlier) in inputs.iter().zip(readback.files) {
        let start = point.keep_bytes as usize;
        let as_written = &existing[start..earlier.end as usize];
        let mut as_we_mark = earlier.rows.clone();
        duplicates.mark_file(&mut as_we_mark);
        let as_we_write = writer.rows(&as_we_mark).unwrap_or_default();
        if earlier.file != input.display
            || as_written != as_we_write.as_slice()
            || !unchanged(input, &earlier.rows)
        {
            break;
        }
        point.kept_files += 1;
        point.keep_bytes = earlier.end;
        point.kept_rows.push(earlier.rows);
    }
    Ok(point)
}

/// Is the file still what it was when its rows were written?
fn unchanged(input: &Input, rows: &[Record]) -> bool {
    let recorded = rows.first().map_or("", |row| row.sha256.as_str());
    // Files the pipeline does not read (still unreadable, not a file, too large) have none.
    crate::pipeline::readable_bytes(input).map_or(String::new(), |b| FileFacts::sha256_of(&b))
        == recorded
}
