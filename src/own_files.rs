//! This run's own files: the output (`--output`), its journal, its shard manifest and (for a
//! workbook or database) its partial file. They are never read as inputs (an output inside a
//! scanned folder would otherwise come back as a row on every re-run), and no file the user holds
//! is ever overwritten by them: an output that names an input, through any path or link, or an
//! existing notice document, is refused before anything is written.
//!
//! Invariant: files are compared by device and inode, never by spelling, so `./x/../scan.pdf`,
//! a symbolic link and a hard link all count as the file they lead to.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::cases::columns::CASE_COLUMNS;
use crate::discover::{FileId, Input, display_path};
use crate::journal;
use crate::output::finished_file::partial_path_for;
use crate::output::{sqlite, xlsx};
use crate::record::COLUMNS;
use i797_read::sniff::{FileKind, OtherKind, SNIFF_LEN, sniff};

/// Why a run's output would destroy a user's file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OwnFileError {
    #[error(
        "{option} {output} is the file {input}, one of the files to read: writing the output \
         there would destroy it; choose another output file"
    )]
    OutputIsInput {
        option: &'static str,
        output: String,
        input: String,
    },
    #[error(
        "{option} {output} already exists and is {kind}, not an earlier i797 output; i797 will \
         not overwrite it: choose another output file"
    )]
    OutputIsDocument {
        option: &'static str,
        output: String,
        kind: String,
    },
}

/// What stands at the output path before the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    Nothing,
    /// An earlier i797 output (or an empty file): safe to overwrite or resume.
    EarlierOutput,
    /// An SQLite database that no i797 run wrote.
    Database,
    /// Anything else: a user's file.
    Other(FileKind),
}

impl Existing {
    /// What the file is, when it is one nobody means to replace with a table: a notice document
    /// (a PDF or a picture), someone's database, workbook, document or archive.
    fn kept(self) -> Option<String> {
        match self {
            Existing::Database => Some("an SQLite database".to_string()),
            Existing::Other(
                kind @ FileKind::Other(OtherKind::ZipOrOffice | OtherKind::OleOffice),
            ) => Some(kind.to_string()),
            Existing::Other(kind) if kind.is_readable() => Some(kind.to_string()),
            _ => None,
        }
    }
}

/// The output and journal of one run, as found before it starts.
#[derive(Debug)]
pub struct OwnFiles {
    /// The option that named it, for messages: `--output`, `--cases`.
    option: &'static str,
    output: PathBuf,
    output_id: Option<FileId>,
    existing: Existing,
    journal_id: Option<FileId>,
    partial_id: Option<FileId>,
    manifest_id: Option<FileId>,
}

impl OwnFiles {
    /// Looks at what stands at `output`. Refuses a notice document (a PDF or a picture), or a
    /// database, workbook or archive that no i797 run wrote: nobody means to replace one with a
    /// table.
    pub fn check(output: &Path) -> Result<OwnFiles, OwnFileError> {
        OwnFiles::check_as(output, "--output")
    }

    /// [`OwnFiles::check`] for an output named by another option (`--cases`).
    pub fn check_as(output: &Path, option: &'static str) -> Result<OwnFiles, OwnFileError> {
        let existing = existing_at(output);
        if let Some(kind) = existing.kept() {
            return Err(OwnFileError::OutputIsDocument {
                option,
                output: display_path(output),
                kind,
            });
        }
        Ok(OwnFiles {
            option,
            output: output.to_path_buf(),
            output_id: FileId::of(output),
            existing,
            journal_id: FileId::of(&journal::path_for(output)),
            partial_id: FileId::of(&partial_path_for(output)),
            manifest_id: FileId::of(&crate::shard_manifest::path_for(output)),
        })
    }

    /// Takes this run's own files out of `inputs` and returns their shown paths (to say so).
    /// Refuses the run when the output is one of the inputs and is not an earlier output: the
    /// user's file would be overwritten.
    pub fn keep_out_of(&self, inputs: &mut Vec<Input>) -> Result<Vec<String>, OwnFileError> {
        if let Some(input) = inputs
            .iter()
            .find(|i| i.id.is_some() && i.id == self.output_id)
            && self.existing != Existing::EarlierOutput
        {
            return Err(OwnFileError::OutputIsInput {
                option: self.option,
                output: display_path(&self.output),
                input: input.display.clone(),
            });
        }
        let own = |input: &Input| {
            input.id.is_some()
                && [
                    self.output_id,
                    self.journal_id,
                    self.partial_id,
                    self.manifest_id,
                ]
                .contains(&input.id)
        };
        let left_out = inputs
            .iter()
            .filter(|i| own(i))
            .map(|i| i.display.clone())
            .collect();
        inputs.retain(|i| !own(i));
        Ok(left_out)
    }
}

fn existing_at(path: &Path) -> Existing {
    let Ok(mut file) = std::fs::File::open(path) else {
        return Existing::Nothing;
    };
    let mut head = Vec::with_capacity(SNIFF_LEN);
    if (&mut file)
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .is_err()
    {
        return Existing::Nothing;
    }
    let kind = sniff(&head);
    if is_earlier_output(&head)
        || sqlite::is_earlier_output(&head)
        || (kind == FileKind::Other(OtherKind::ZipOrOffice) && xlsx::is_earlier_output(path))
    {
        Existing::EarlierOutput
    } else if sqlite::is_database(&head) {
        Existing::Database
    } else {
        Existing::Other(kind)
    }
}

/// Does `head` start an i797 output (page rows or a case view): the CSV header (or part of it,
/// from a run killed while writing it, after a byte-order mark with `--bom`), a JSON Lines row,
/// or nothing at all?
fn is_earlier_output(head: &[u8]) -> bool {
    let head = head.strip_prefix(crate::output::BOM).unwrap_or(head);
    head.is_empty()
        || [COLUMNS.as_slice(), CASE_COLUMNS.as_slice()]
            .iter()
            .any(|columns| starts_output_with(head, columns))
}

fn starts_output_with(head: &[u8], columns: &[&str]) -> bool {
    let header = columns.join(",");
    let header = header.as_bytes();
    let n = head.len().min(header.len());
    head[..n] == header[..n] || head.starts_with(format!("{{\"{}\":", columns[0]).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::discover;

    fn scan_folder() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let notice = dir.path().join("scan.pdf");
        std::fs::write(&notice, b"%PDF-1.4\n1 0 obj <<>> endobj\n").unwrap();
        (dir, notice)
    }

    #[test]
    fn an_output_naming_a_notice_is_refused_and_the_notice_kept() {
        let (dir, notice) = scan_folder();
        let error = OwnFiles::check(&notice).unwrap_err();
        assert!(
            matches!(error, OwnFileError::OutputIsDocument { ref kind, .. } if kind == "a PDF")
        );
        // The same file reached another way: `..`, a symbolic link.
        let roundabout = dir.path().join(".").join("scan.pdf");
        assert!(OwnFiles::check(&roundabout).is_err());
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&notice, &link).unwrap();
            assert!(OwnFiles::check(&link).is_err());
        }
        assert!(std::fs::read(&notice).unwrap().starts_with(b"%PDF"));
    }

    #[test]
    fn an_output_that_is_an_input_is_refused_unless_it_is_an_earlier_output() {
        let (dir, _) = scan_folder();
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "call the client on Monday\n").unwrap();
        let own = OwnFiles::check(&notes).unwrap();
        let mut inputs = discover(&[dir.path().to_path_buf()]);
        let error = own.keep_out_of(&mut inputs).unwrap_err();
        assert!(
            matches!(error, OwnFileError::OutputIsInput { .. }),
            "{error}"
        );
        #[cfg(unix)]
        {
            // A hard link: another name, the same file.
            let hard = dir.path().join("out.csv");
            std::fs::hard_link(&notes, &hard).unwrap();
            let own = OwnFiles::check(&hard).unwrap();
            let mut inputs = discover(&[dir.path().to_path_buf()]);
            assert!(own.keep_out_of(&mut inputs).is_err());
        }
    }

    #[test]
    fn an_earlier_output_and_journal_in_the_scanned_folder_are_not_read() {
        let (dir, _) = scan_folder();
        let output = dir.path().join("out.csv");
        std::fs::write(&output, format!("{}\r\n", COLUMNS.join(","))).unwrap();
        std::fs::write(journal::path_for(&output), "run\n").unwrap();
        std::fs::write(crate::shard_manifest::path_for(&output), "{}\n").unwrap();
        let own = OwnFiles::check(&output).unwrap();
        let mut inputs = discover(&[dir.path().to_path_buf()]);
        assert_eq!(inputs.len(), 4);
        let left_out = own.keep_out_of(&mut inputs).unwrap();
        assert_eq!(left_out.len(), 3);
        let names: Vec<_> = inputs.iter().map(|i| i.path.file_name().unwrap()).collect();
        assert_eq!(names, ["scan.pdf"]);
    }

    #[test]
    fn a_database_or_workbook_is_replaced_only_when_an_earlier_run_wrote_it() {
        use crate::output::RowSink;
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("clients.db");
        rusqlite::Connection::open(&theirs)
            .unwrap()
            .execute_batch("CREATE TABLE clients (name TEXT);")
            .unwrap();
        let error = OwnFiles::check(&theirs).unwrap_err();
        assert!(error.to_string().contains("an SQLite database"), "{error}");
        let workbook = dir.path().join("billing.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet();
        book.save(&workbook).unwrap();
        assert!(OwnFiles::check(&workbook).is_err());

        let ours = dir.path().join("out.db");
        let mut sink = crate::output::sqlite::SqliteSink::create(&ours).unwrap();
        sink.write_file(&[crate::record::Record::default()])
            .unwrap();
        sink.finish().unwrap();
        assert!(OwnFiles::check(&ours).is_ok());
        // Its partial file, left by a killed run, is kept out of the inputs too.
        std::fs::write(partial_path_for(&ours), b"SQLite format 3\0").unwrap();
        let own_with_partial = OwnFiles::check(&ours).unwrap();
        let mut inputs = discover(&[dir.path().to_path_buf()]);
        assert_eq!(own_with_partial.keep_out_of(&mut inputs).unwrap().len(), 2);
        assert!(inputs.iter().all(|i| !i.display.contains("out.db")));
    }

    #[test]
    fn earlier_outputs_are_told_by_their_first_bytes() {
        let header = COLUMNS.join(",");
        assert!(is_earlier_output(header.as_bytes()));
        assert!(is_earlier_output(&header.as_bytes()[..7]));
        assert!(is_earlier_output(b""));
        assert!(is_earlier_output(b"\xEF\xBB\xBFfile,page,"));
        assert!(is_earlier_output(b"{\"file\":\"a.pdf\",\"page\":\"1\"}\n"));
        assert!(!is_earlier_output(b"file,page\r\nx,1\r\n"));
        assert!(!is_earlier_output(b"%PDF-1.7"));
        let cases = CASE_COLUMNS.join(",");
        assert!(is_earlier_output(cases.as_bytes()));
        assert!(is_earlier_output(b"{\"case_number\":\"EAC2190012345\"}\n"));
    }
}
