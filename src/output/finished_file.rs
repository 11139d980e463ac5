//! A file written whole when the run ends (the workbook, the database): it is built under a
//! partial name beside the output, synced to disk, then renamed over the output path. So the
//! output path only ever holds a complete file, the earlier one or the new one, whatever stops
//! the run, and a run that fails removes its partial file.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{RowFormat, RowSink, StreamSink};
use crate::record::Record;

/// The partial file for `output`: hidden, in the same folder (a rename never crosses disks).
pub fn partial_path_for(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}.i797-partial"))
}

/// The output being built and where it goes.
#[derive(Debug)]
pub struct FinishedFile {
    output: PathBuf,
    partial: PathBuf,
    in_place: bool,
}

impl FinishedFile {
    /// Starts afresh: a partial file left by a killed run is removed.
    pub fn start(output: &Path) -> io::Result<FinishedFile> {
        let partial = partial_path_for(output);
        match std::fs::remove_file(&partial) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
        Ok(FinishedFile {
            output: output.to_path_buf(),
            partial,
            in_place: false,
        })
    }

    /// Where to build the file.
    pub fn partial(&self) -> &Path {
        &self.partial
    }

    /// The folder the output goes to (for a writer's own temporary files).
    pub fn folder(&self) -> &Path {
        match self.output.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        }
    }

    /// Syncs the built file and renames it over the output path.
    pub fn put_in_place(&mut self) -> io::Result<()> {
        std::fs::File::open(&self.partial)?.sync_all()?;
        std::fs::rename(&self.partial, &self.output)?;
        self.in_place = true;
        // The rename itself survives a power cut only once the folder is synced.
        if let Ok(folder) = std::fs::File::open(self.folder()) {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

impl Drop for FinishedFile {
    fn drop(&mut self) {
        if !self.in_place {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// A text output (CSV, JSON Lines) built whole beside its path and put in place when it ends
/// (`watch`): a reader of the output never sees half of it.
#[derive(Debug)]
pub struct WholeStream {
    file: FinishedFile,
    stream: StreamSink<BufWriter<File>>,
}

impl WholeStream {
    pub fn create(format: Box<dyn RowFormat>, output: &Path) -> io::Result<WholeStream> {
        let file = FinishedFile::start(output)?;
        let mut out = BufWriter::new(File::create(file.partial())?);
        out.write_all(&format.header())?;
        Ok(WholeStream {
            file,
            stream: StreamSink::new(format, out),
        })
    }
}

impl RowSink for WholeStream {
    fn write_file(&mut self, rows: &[Record]) -> io::Result<()> {
        self.stream.write_file(rows)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.stream.finish()?;
        self.file.put_in_place()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_appears_only_when_put_in_place_and_a_dropped_build_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.xlsx");
        std::fs::write(&output, "earlier").unwrap();
        let mut file = FinishedFile::start(&output).unwrap();
        std::fs::write(file.partial(), "new").unwrap();
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "earlier");
        file.put_in_place().unwrap();
        drop(file);
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "new");

        let file = FinishedFile::start(&output).unwrap();
        std::fs::write(file.partial(), "cut short").unwrap();
        let partial = file.partial().to_path_buf();
        drop(file);
        assert!(!partial.exists());
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "new");
    }

    #[test]
    fn the_partial_file_is_a_hidden_sibling() {
        assert_eq!(
            partial_path_for(Path::new("out/run.db")),
            Path::new("out/.run.db.i797-partial")
        );
    }
}
