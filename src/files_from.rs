//! `scan --files-from FILE`: the paths to read, listed in a file or on standard input (`-`),
//! one per line or, with `-0`, separated by NUL bytes (as `find -print0` writes them). Paths
//! are taken byte for byte (a name need not be UTF-8) and relative to the working folder, as on
//! the command line.
//!
//! Must not: check that the paths exist (the walk gives a missing one its `error` row).

use std::io::Read;
use std::path::{Path, PathBuf};

/// Reads the list at `source` (`-` for standard input).
pub fn read_list(source: &Path, nul_separated: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut bytes = Vec::new();
    if source == Path::new("-") {
        std::io::stdin().lock().read_to_end(&mut bytes)?;
    } else {
        std::fs::File::open(source)?.read_to_end(&mut bytes)?;
    }
    Ok(parse_list(&bytes, nul_separated))
}

/// The paths in a list's bytes; blank entries are skipped, a CRLF line end is one line end.
fn parse_list(bytes: &[u8], nul_separated: bool) -> Vec<PathBuf> {
    let separator = if nul_separated { b'\0' } else { b'\n' };
    bytes
        .split(|&b| b == separator)
        .map(|entry| {
            if nul_separated {
                entry
            } else {
                entry.strip_suffix(b"\r").unwrap_or(entry)
            }
        })
        .filter(|entry| !entry.is_empty())
        .map(path_from_bytes)
        .collect()
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_nul_separated_lists() {
        let lines = parse_list(b"a.pdf\r\nclients/b c.pdf\n\nlast.jpg", false);
        assert_eq!(
            lines,
            [
                PathBuf::from("a.pdf"),
                PathBuf::from("clients/b c.pdf"),
                PathBuf::from("last.jpg")
            ]
        );
        let nul = parse_list(b"odd\nname.pdf\0b.pdf\0", true);
        assert_eq!(
            nul,
            [PathBuf::from("odd\nname.pdf"), PathBuf::from("b.pdf")]
        );
        assert!(parse_list(b"\n\n", false).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_kept_byte_for_byte() {
        use std::os::unix::ffi::OsStrExt;
        let list = parse_list(b"recibo-\xe9.pdf\n", false);
        assert_eq!(list[0].as_os_str().as_bytes(), b"recibo-\xe9.pdf");
    }
}
