//! A file's bytes, read with a bound: what the pipeline refuses to read (too large, not a file,
//! unreadable) becomes a `FileProblem` with a message in plain words, never a panic.

use super::*;

/// The bytes of a file the pipeline reads, or why it does not read it.
pub fn readable_bytes(input: &Input) -> Result<Arc<[u8]>, FileProblem> {
    if let Some(reason) = &input.walk_error {
        return Err(FileProblem::Error(reason.clone()));
    }
    if let Some(what) = input.not_a_file {
        return Err(FileProblem::Skipped(what.to_string()));
    }
    read_bounded(&input.path, MAX_FILE_BYTES)
}

/// Files are read whole into memory (a PDF's cross-references point anywhere in it). Notices,
/// even scanned stacks of hundreds of pages, are far smaller than this; a bigger file is refused
/// so that memory stays bounded by `--jobs` times this, plus one page per worker.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Reads the file at `path` whole, refusing it once more than `limit` bytes have come: the limit
/// counts bytes read, since a file's reported size can be wrong (`/proc` files report 0 and
/// never end; a file can grow while it is read). The reported size only sizes the buffer, so a
/// file of the size it claims is read into one allocation, with no copy.
pub(super) fn read_bounded(path: &std::path::Path, limit: u64) -> Result<Arc<[u8]>, FileProblem> {
    let cannot_read = |error: io::Error| FileProblem::Error(read_error(&error));
    let too_large = |size: u64| {
        FileProblem::Error(format!(
            "file is too large to read safely (over {} MB; the limit is {} MB)",
            (size >> 20).max(limit >> 20),
            limit >> 20
        ))
    };
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    let claimed = file.metadata().map_err(cannot_read)?.len();
    if claimed > limit {
        return Err(too_large(claimed));
    }
    if claimed > 0 {
        let mut bytes: Arc<[u8]> = std::iter::repeat_n(0u8, claimed as usize).collect();
        if let Some(buffer) = Arc::get_mut(&mut bytes)
            && file.read_exact(buffer).is_ok()
        {
            let mut probe = [0u8; 1];
            if matches!(file.read(&mut probe), Ok(0)) {
                return Ok(bytes);
            }
        }
        // It is not the size it said: read it again, counting.
        drop(bytes);
        io::Seek::rewind(&mut file).map_err(cannot_read)?;
    }
    // In whole aligned chunks: some kernel files refuse reads of odd sizes.
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let got = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(got) => got,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(cannot_read(error)),
        };
        bytes.extend_from_slice(&chunk[..got]);
        if bytes.len() as u64 > limit {
            return Err(too_large(bytes.len() as u64));
        }
    }
    Ok(Arc::from(bytes))
}

pub(super) fn read_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "file disappeared before it could be read".to_string(),
        io::ErrorKind::PermissionDenied => {
            "permission denied: the file cannot be opened".to_string()
        }
        _ => format!("file could not be read: {error}"),
    }
}
