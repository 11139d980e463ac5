//! Discovery stage: expands the paths the user gave into the list of files to read, in one stable
//! order (sorted by the path as shown in the `file` column), so output is the same on every run.
//! A path that cannot be walked still becomes an entry, so it gets a row saying why.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// One file to read, or one place the walk could not enter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// The path as shown in the output: valid UTF-8; see [`display_path`].
    pub display: String,
    /// Set when the walk itself failed here (unreadable folder, symbolic-link loop, missing path).
    pub walk_error: Option<String>,
    /// Set for things that are not regular files (named pipes, sockets, devices): reading one
    /// could block forever, so they are listed, never opened.
    pub not_a_file: Option<&'static str>,
}

/// Walks `roots` (files or folders, recursively, following symbolic links but never round a
/// loop) and returns every file once, sorted by its shown path.
pub fn discover(roots: &[PathBuf]) -> Vec<Input> {
    let mut found: BTreeMap<String, Input> = BTreeMap::new();
    for root in roots {
        for entry in WalkDir::new(root).follow_links(true) {
            let input = match entry {
                Ok(entry) if entry.file_type().is_dir() => continue,
                Ok(entry) if entry.file_type().is_file() => Input::file(entry.into_path()),
                Ok(entry) => {
                    let what = special_file_kind(&entry.file_type());
                    Input {
                        not_a_file: Some(what),
                        ..Input::file(entry.into_path())
                    }
                }
                Err(error) => walk_failure(root, &error),
            };
            found.entry(input.display.clone()).or_insert(input);
        }
    }
    found.into_values().collect()
}

impl Input {
    pub fn file(path: PathBuf) -> Input {
        Input {
            display: display_path(&path),
            path,
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
        display: display_path(&path),
        path,
        walk_error: Some(reason),
        not_a_file: None,
    }
}

/// The path as text for the `file` column. A name that is not valid UTF-8 keeps every byte
/// recoverable: each byte that is not part of valid UTF-8 is written `\xNN`.
pub fn display_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        escape_invalid_utf8(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// Is the shown path an escaped rendering of a name that is not valid UTF-8?
pub fn name_is_not_utf8(path: &Path) -> bool {
    path.to_str().is_none()
}

fn escape_invalid_utf8(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    while !bytes.is_empty() {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                out.push_str(valid);
                break;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = error.error_len().unwrap_or(rest.len());
                for byte in &rest[..bad] {
                    out.push_str(&format!("\\x{byte:02X}"));
                }
                bytes = &rest[bad..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_bytes_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape_invalid_utf8(b"scan-\xff\xfe.pdf"),
            "scan-\\xFF\\xFE.pdf"
        );
        assert_eq!(
            escape_invalid_utf8("Fran\u{e7}ois.pdf".as_bytes()),
            "Fran\u{e7}ois.pdf"
        );
        assert_eq!(
            escape_invalid_utf8(b"caf\xe9 notice.pdf"),
            "caf\\xE9 notice.pdf"
        );
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
