//! Discovery stage: expands the paths the user gave into the list of files to read, in one stable
//! order (sorted by the path as shown in the `file` column, then by its bytes), so output is the
//! same on every run. A path that cannot be walked still becomes an entry, so it gets a row saying
//! why.
//!
//! Invariant: a file's identity is its path's bytes, never its shown form: two names that show
//! alike (`a\xFF.pdf` as raw bytes and as literal text) are two entries, and one path reached
//! twice is one.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// One file to read, or one place the walk could not enter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// The path as shown in the output: valid UTF-8 with no control character; see
    /// [`display_path`].
    pub display: String,
    /// Device and inode, when the file could be looked at: tells this run's own output apart.
    pub id: Option<FileId>,
    /// Set when the walk itself failed here (unreadable folder, symbolic-link loop, missing path).
    pub walk_error: Option<String>,
    /// Set for things that are not regular files (named pipes, sockets, devices): reading one
    /// could block forever, so they are listed, never opened.
    pub not_a_file: Option<&'static str>,
}

/// A file's device and inode: the same file whatever path or link reaches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId {
    pub device: u64,
    pub inode: u64,
}

impl FileId {
    /// The identity of the file at `path` (links followed), if it exists.
    pub fn of(path: &Path) -> Option<FileId> {
        std::fs::metadata(path)
            .ok()
            .and_then(|m| FileId::from_metadata(&m))
    }

    fn from_metadata(metadata: &std::fs::Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId {
                device: metadata.dev(),
                inode: metadata.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            None
        }
    }
}

/// Walks `roots` (files or folders, recursively, following symbolic links but never round a
/// loop) and returns every file once, sorted by its shown path (then by its bytes).
pub fn discover(roots: &[PathBuf]) -> Vec<Input> {
    let mut found: BTreeMap<(String, OsString), Input> = BTreeMap::new();
    for root in roots {
        for entry in WalkDir::new(root).follow_links(true) {
            let input = match entry {
                Ok(entry) if entry.file_type().is_dir() => continue,
                Ok(entry) => {
                    let id = entry
                        .metadata()
                        .ok()
                        .and_then(|m| FileId::from_metadata(&m));
                    let not_a_file = (!entry.file_type().is_file())
                        .then(|| special_file_kind(&entry.file_type()));
                    Input {
                        id,
                        not_a_file,
                        ..Input::file(entry.into_path())
                    }
                }
                Err(error) => walk_failure(root, &error),
            };
            let key = (input.display.clone(), input.path.clone().into_os_string());
            found.entry(key).or_insert(input);
        }
    }
    found.into_values().collect()
}

impl Input {
    pub fn file(path: PathBuf) -> Input {
        Input {
            display: display_path(&path),
            path,
            id: None,
            walk_error: None,
            not_a_file: None,
        }
    }
}

fn special_file_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO), not a file";
        } else if file_type.is_socket() {
            return "a socket, not a file";
        } else if file_type.is_block_device() || file_type.is_char_device() {
            return "a device, not a file";
        }
    }
    let _ = file_type;
    "not a regular file"
}

fn walk_failure(root: &Path, error: &walkdir::Error) -> Input {
    let path = error.path().unwrap_or(root).to_path_buf();
    let reason = if error.loop_ancestor().is_some() {
        "symbolic link loop: this folder links back to one of its own parents, so it was not entered again".to_string()
    } else if let Some(io) = error.io_error() {
        match io.kind() {
            std::io::ErrorKind::NotFound => "file or folder not found".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => format!("could not be read: {io}"),
        }
    } else {
        error.to_string()
    };
    Input {
        walk_error: Some(reason),
        ..Input::file(path)
    }
}

/// The path as text for the `file` column and for every message: each byte that is not part of
/// valid UTF-8, and each control character, is written `\xNN` (see [`crate::sanitize`]).
pub fn display_path(path: &Path) -> String {
    crate::sanitize::bytes_for_terminal(path_bytes(path).as_ref())
}

/// Is the shown path an escaped rendering of the name (not UTF-8, or control characters)?
pub fn name_is_escaped(path: &Path) -> bool {
    crate::sanitize::bytes_need_escaping(path_bytes(path).as_ref())
}

fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        match path.to_string_lossy() {
            std::borrow::Cow::Borrowed(text) => std::borrow::Cow::Borrowed(text.as_bytes()),
            std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(text.into_bytes()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_that_show_alike_are_two_files_and_both_are_listed() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let raw = dir.path().join(std::ffi::OsStr::from_bytes(b"a\xff.pdf"));
        let literal = dir.path().join("a\\xFF.pdf");
        std::fs::write(&raw, b"x").unwrap();
        std::fs::write(&literal, b"y").unwrap();
        let inputs = discover(&[dir.path().to_path_buf(), raw.clone()]);
        assert_eq!(inputs.len(), 2, "{inputs:?}");
        assert_eq!(inputs[0].display, inputs[1].display);
        assert_ne!(inputs[0].path, inputs[1].path);
        let escaped: Vec<bool> = inputs.iter().map(|i| name_is_escaped(&i.path)).collect();
        assert_eq!(escaped.iter().filter(|&&e| e).count(), 1);
        assert!(inputs.iter().all(|i| i.id.is_some()));
    }

    #[test]
    fn walk_is_sorted_by_shown_path_and_finds_nested_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/b.pdf"), b"x").unwrap();
        std::fs::write(dir.path().join("a-c.pdf"), b"x").unwrap();
        std::fs::write(dir.path().join("Z.pdf"), b"x").unwrap();
        let inputs = discover(&[dir.path().to_path_buf()]);
        let names: Vec<_> = inputs
            .iter()
            .map(|i| {
                i.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["Z.pdf", "a-c.pdf", "a/b.pdf"]);
    }

    #[test]
    fn a_missing_path_is_reported_not_dropped() {
        let inputs = discover(&[PathBuf::from("/definitely/not/here.pdf")]);
        assert_eq!(inputs.len(), 1);
        assert_eq!(
            inputs[0].walk_error.as_deref(),
            Some("file or folder not found")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_listed_but_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.pdf");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let inputs = discover(&[dir.path().to_path_buf()]);
        assert_eq!(inputs.len(), 1);
        assert_eq!(
            inputs[0].not_a_file,
            Some("a named pipe (FIFO), not a file")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_reported_once_and_the_walk_ends() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/notice.pdf"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/back")).unwrap();
        let inputs = discover(&[dir.path().to_path_buf()]);
        let files = inputs.iter().filter(|i| i.walk_error.is_none()).count();
        let loops = inputs
            .iter()
            .filter(|i| i.walk_error.as_deref().is_some_and(|e| e.contains("loop")))
            .count();
        assert_eq!((files, loops), (1, 1));
    }
}
