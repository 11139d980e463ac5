//! The store: each file's rows as read, kept by content, so that a re-run over a folder reads
//! only new or changed files (`--store DIR`, on by default in the user's cache folder).
//!
//! An entry's key is the SHA-256 of the file's bytes together with the fingerprint of everything
//! else that shapes its rows ([`Shaping`]: language data, time limit, engines, this build); the
//! path is not part of it, so a renamed or copied file is not read again. An entry holds the
//! rows without their path and without what depends on output order (`duplicate_of`, the case
//! view): the pipeline fills in the path and the writer links them as it would fresh rows.
//!
//! Entries are written whole (a private temporary file, then a rename), so a kill at any moment
//! leaves the old entry, the new one, or none; two runs may share a store. An entry is checked
//! before it is used (format, key, a checksum of its rows): a torn, damaged or foreign entry is
//! ignored and the file read again. The store is a cache: a failure to write it is a warning.
//!
//! Also here: opening the store a scan is configured with, and `i797 store path|clear`.
//!
//! Must not: decide which rows may be stored (`pipeline.rs` does), hold anything but rows.

use std::fs::{DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::cli::StoreCommand;
use crate::config::{ScanConfig, StoreChoice};
use crate::exit_status::ExitStatus;
use crate::record::{FileFacts, Record};
use crate::version::Engines;
use i797_read::ocr::neural::default_models_dir;

/// The entry format's version; a new format lives in a folder of its own.
pub const STORE_VERSION: u32 = 1;

/// The folder inside the store directory that holds the entries of this format. Only folders
/// named so are ever removed by `i797 store clear`.
const ENTRIES_FOLDER: &str = "i797-store-v1";
const ENTRIES_FOLDER_PREFIX: &str = "i797-store-v";

/// An entry larger than this is not one we wrote (a 1000-page stack is a few MB of rows).
const MAX_ENTRY_BYTES: u64 = 256 << 20;

/// One file's rows as read: `file` and `duplicate_of` empty in every row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub pages: usize,
    pub rows: Vec<Record>,
}

/// Everything besides a file's bytes that decides its rows. Output options (format, CSV options)
/// do not: they shape bytes, not rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shaping {
    pub lang: String,
    /// `--tessdata` as given (made absolute), and `TESSDATA_PREFIX`: where the language data
    /// comes from.
    pub tessdata: Option<String>,
    pub tessdata_prefix: Option<String>,
    /// A file that ran out of time is never stored, but a shorter limit could cut a file short
    /// that a longer one read whole.
    pub file_time_limit_seconds: u64,
    pub engines: Engines,
    /// This build of i797 (size and modification time of the program): a rebuilt program may
    /// read differently even when its version number did not change.
    pub build: String,
}

impl Shaping {
    /// The fingerprint in every key: SHA-256 of the shaping settings as JSON.
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        FileFacts::sha256_of(&json)
    }
}

/// The running program's identity, for [`Shaping::build`].
pub fn this_build() -> String {
    let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::metadata(exe).ok())
    else {
        return "unknown".to_string();
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{}-{modified}", meta.len())
}

/// The first line of an entry; the rows follow on the second.
#[derive(Debug, Serialize, Deserialize)]
struct EntryHeader {
    i797_store: u32,
    file_sha256: String,
    shaping: String,
    pages: usize,
    rows_sha256: String,
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    /// `DIR/i797-store-v1`.
    entries: PathBuf,
    fingerprint: String,
    /// Set once a write failed and the user was told.
    warned: AtomicBool,
}

/// Names temporary files apart between the threads of one process.
static TEMPORARY_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Store {
    /// Opens (creating, private to the user) the store in `dir` for rows shaped by `shaping`.
    pub fn open(dir: &Path, shaping: &Shaping) -> io::Result<Store> {
        let entries = dir.join(ENTRIES_FOLDER);
        private_folder(&entries)?;
        Ok(Store {
            entries,
            fingerprint: shaping.fingerprint(),
            warned: AtomicBool::new(false),
        })
    }

    /// The entry's path: `DIR/i797-store-v1/ab/abcd…` (256 subfolders keep folders small).
    fn entry_path(&self, file_sha256: &str) -> PathBuf {
        let key = FileFacts::sha256_of(format!("{}\n{file_sha256}", self.fingerprint).as_bytes());
        self.entries.join(&key[..2]).join(&key)
    }

    /// The stored rows of the file whose bytes hash to `file_sha256`, if a sound entry holds them.
    pub fn get(&self, file_sha256: &str) -> Option<StoredFile> {
        let bytes = read_small(&self.entry_path(file_sha256))?;
        self.parse(file_sha256, &bytes)
    }

    /// Checks an entry through and through; anything amiss is `None` (the file is read again).
    fn parse(&self, file_sha256: &str, bytes: &[u8]) -> Option<StoredFile> {
        let newline = bytes.iter().position(|&b| b == b'\n')?;
        let header: EntryHeader = serde_json::from_slice(&bytes[..newline]).ok()?;
        let body = bytes[newline + 1..].strip_suffix(b"\n")?;
        let sound = header.i797_store == STORE_VERSION
            && header.file_sha256 == file_sha256
            && header.shaping == self.fingerprint
            && header.rows_sha256 == FileFacts::sha256_of(body);
        if !sound {
            return None;
        }
        let rows: Vec<Record> = serde_json::from_slice(body).ok()?;
        let path_free = rows.iter().all(|row| {
            row.file.is_empty() && row.duplicate_of.is_empty() && row.sha256 == file_sha256
        });
        (path_free && !rows.is_empty()).then_some(StoredFile {
            pages: header.pages,
            rows,
        })
    }

    /// Keeps `file`'s rows for the file whose bytes hash to `file_sha256`. A failure is told once
    /// and otherwise ignored: the run's output does not depend on the store.
    pub fn put(&self, file_sha256: &str, file: &StoredFile) {
        if let Err(error) = self.write_entry(file_sha256, file)
            && !self.warned.swap(true, Ordering::SeqCst)
        {
            log::warn!(
                "cannot write to the store {} ({error}); files read now will be read again next \
                 time",
                crate::discover::display_path(&self.entries)
            );
        }
    }

    fn write_entry(&self, file_sha256: &str, file: &StoredFile) -> io::Result<()> {
        let body = serde_json::to_vec(&file.rows)?;
        let header = EntryHeader {
            i797_store: STORE_VERSION,
            file_sha256: file_sha256.to_string(),
            shaping: self.fingerprint.clone(),
            pages: file.pages,
            rows_sha256: FileFacts::sha256_of(&body),
        };
        let mut bytes = serde_json::to_vec(&header)?;
        bytes.push(b'\n');
        bytes.extend_from_slice(&body);
        bytes.push(b'\n');
        let path = self.entry_path(file_sha256);
        let folder = path.parent().unwrap_or(&self.entries);
        private_folder(folder)?;
        let temporary = folder.join(format!(
            ".tmp-{}-{}",
            std::process::id(),
            TEMPORARY_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        // No fsync: a power cut can leave a torn entry, which `get` refuses (the checksum), and
        // the file is read again; syncing every entry would cost more than the re-reads save.
        let written = (|| {
            let mut out = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&temporary)?;
            out.write_all(&bytes)?;
            drop(out);
            std::fs::rename(&temporary, &path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }
}

/// Creates `folder` (and its parents) readable by the user only.
fn private_folder(folder: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(folder)
}

/// The file's bytes, or `None` when it is missing, unreadable or too large to be an entry.
fn read_small(path: &Path) -> Option<Vec<u8>> {
    let file = std::fs::File::open(path).ok()?;
    if file.metadata().ok()?.len() > MAX_ENTRY_BYTES {
        return None;
    }
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut io::Read::take(file, MAX_ENTRY_BYTES), &mut bytes).ok()?;
    Some(bytes)
}

/// What `i797 store clear` removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleared {
    pub entries: usize,
    pub bytes: u64,
}

/// Removes every entry (of every format version) from the store in `dir`; nothing else there.
pub fn clear(dir: &Path) -> io::Result<Cleared> {
    let mut cleared = Cleared::default();
    let listing = match std::fs::read_dir(dir) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(cleared),
        listing => listing?,
    };
    for item in listing {
        let item = item?;
        let ours = item
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(ENTRIES_FOLDER_PREFIX));
        if !ours || !item.file_type()?.is_dir() {
            continue;
        }
        for file in walkdir::WalkDir::new(item.path()).into_iter().flatten() {
            if file.file_type().is_file() {
                cleared.entries += 1;
                cleared.bytes += file.metadata().map_or(0, |m| m.len());
            }
        }
        std::fs::remove_dir_all(item.path())?;
    }
    Ok(cleared)
}

/// The store as configured: `None` with `--no-store`. A store the user named that cannot be
/// opened stops the run; the default one is then left out with a warning.
pub fn open_for(config: &ScanConfig) -> anyhow::Result<Option<Store>> {
    let Some(choice) = &config.store else {
        return Ok(None);
    };
    let tessdata = config.ocr.tessdata.as_deref().map(|dir| {
        crate::discover::display_path(&std::fs::canonicalize(dir).unwrap_or(dir.to_path_buf()))
    });
    let shaping = Shaping {
        lang: config.ocr.lang.clone(),
        tessdata,
        tessdata_prefix: std::env::var("TESSDATA_PREFIX").ok(),
        file_time_limit_seconds: config.limits.cpu_per_file.as_secs(),
        engines: Engines::detect(&default_models_dir()),
        build: this_build(),
    };
    let shown = crate::discover::display_path(&choice.dir);
    match Store::open(&choice.dir, &shaping) {
        Ok(store) => Ok(Some(store)),
        Err(error) if choice.named => {
            Err(error).with_context(|| format!("cannot use --store {shown}"))
        }
        Err(error) => {
            log::warn!(
                "cannot use the store {shown} ({error}): every file is read; give --store DIR or \
                 --no-store"
            );
            Ok(None)
        }
    }
}

/// `i797 store path|clear`.
pub fn command(command: &StoreCommand) -> anyhow::Result<ExitStatus> {
    let args = match command {
        StoreCommand::Path(args) | StoreCommand::Clear(args) => args,
    };
    let Some(choice) = StoreChoice::from_args(args, |name| std::env::var(name).ok()) else {
        anyhow::bail!("no store: --no-store was given, or there is no home folder (HOME)");
    };
    let shown = crate::discover::display_path(&choice.dir);
    match command {
        StoreCommand::Path(_) => {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{shown}")?;
        }
        StoreCommand::Clear(_) => {
            let cleared =
                clear(&choice.dir).with_context(|| format!("cannot clear the store {shown}"))?;
            log::warn!(
                target: crate::logging::SUMMARY,
                "i797: removed {} entries ({:.1} MB) from the store {shown}",
                cleared.entries,
                cleared.bytes as f64 / 1e6
            );
        }
    }
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::default_store_dir;
    use std::ffi::OsString;
    use std::os::unix::fs::PermissionsExt;

    fn shaping(lang: &str) -> Shaping {
        Shaping {
            lang: lang.into(),
            tessdata: None,
            tessdata_prefix: None,
            file_time_limit_seconds: 1200,
            engines: Engines {
                i797: "0.1.0".into(),
                tesseract: "5.3.4".into(),
                leptonica: "1.84.1".into(),
                models: Vec::new(),
            },
            build: "test".into(),
        }
    }

    fn stored(sha: &str) -> StoredFile {
        StoredFile {
            pages: 2,
            rows: vec![Record {
                page: "1".into(),
                receipt_number: "EAC2190012345".into(),
                applicant: "GARCÍA,\nANA".into(),
                status: "ok".into(),
                sha256: sha.into(),
                ..Record::default()
            }],
        }
    }

    const SHA: &str = "5a1f0c";

    #[test]
    fn the_entries_folder_is_named_by_the_format_version() {
        assert_eq!(
            ENTRIES_FOLDER,
            format!("{ENTRIES_FOLDER_PREFIX}{STORE_VERSION}")
        );
    }

    #[test]
    fn an_entry_comes_back_as_put_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &shaping("eng")).unwrap();
        assert_eq!(store.get(SHA), None);
        store.put(SHA, &stored(SHA));
        assert_eq!(store.get(SHA), Some(stored(SHA)));
        let path = store.entry_path(SHA);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(mode(&dir.path().join(ENTRIES_FOLDER)), 0o700);
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    #[test]
    fn other_settings_or_other_bytes_find_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let english = Store::open(dir.path(), &shaping("eng")).unwrap();
        english.put(SHA, &stored(SHA));
        let spanish = Store::open(dir.path(), &shaping("eng+spa")).unwrap();
        assert_eq!(spanish.get(SHA), None);
        assert_eq!(english.get("5a1f0d"), None);
    }

    #[test]
    fn a_torn_damaged_or_foreign_entry_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &shaping("eng")).unwrap();
        store.put(SHA, &stored(SHA));
        let path = store.entry_path(SHA);
        let whole = std::fs::read(&path).unwrap();
        for cut in 0..whole.len() {
            std::fs::write(&path, &whole[..cut]).unwrap();
            assert_eq!(store.get(SHA), None, "cut at {cut}");
        }
        // One byte changed inside the rows: the checksum no longer holds.
        let mut damaged = whole.clone();
        let at = damaged.len() - 20;
        damaged[at] ^= 0x01;
        std::fs::write(&path, &damaged).unwrap();
        assert_eq!(store.get(SHA), None);
        // Another file's entry copied over this one's name.
        store.put("0ther", &stored("0ther"));
        std::fs::copy(store.entry_path("0ther"), &path).unwrap();
        assert_eq!(store.get(SHA), None);
        // Not ours at all.
        std::fs::write(&path, b"\x00\xff{\n[]\n").unwrap();
        assert_eq!(store.get(SHA), None);
        // Written again whole, it is used again.
        store.put(SHA, &stored(SHA));
        assert_eq!(store.get(SHA), Some(stored(SHA)));
    }

    #[test]
    fn the_default_folder_follows_the_environment() {
        let env = |pairs: &'static [(&str, &str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        assert_eq!(
            default_store_dir(env(&[("HOME", "/home/ana")])),
            Some(PathBuf::from("/home/ana/.cache/i797/store"))
        );
        assert_eq!(
            default_store_dir(env(&[("HOME", "/home/ana"), ("XDG_CACHE_HOME", "/c")])),
            Some(PathBuf::from("/c/i797/store"))
        );
        assert_eq!(
            default_store_dir(env(&[("HOME", "/home/ana"), ("XDG_CACHE_HOME", "rel")])),
            Some(PathBuf::from("/home/ana/.cache/i797/store"))
        );
        assert_eq!(
            default_store_dir(env(&[("HOME", "/h"), ("I797_STORE", "/s")])),
            Some(PathBuf::from("/s"))
        );
        assert_eq!(default_store_dir(env(&[])), None);
    }

    #[test]
    fn clear_removes_entries_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"mine").unwrap();
        let store = Store::open(dir.path(), &shaping("eng")).unwrap();
        store.put(SHA, &stored(SHA));
        store.put("0ther", &stored("0ther"));
        let cleared = clear(dir.path()).unwrap();
        assert_eq!(cleared.entries, 2);
        assert!(cleared.bytes > 0);
        assert_eq!(store.get(SHA), None);
        assert!(dir.path().join("notes.txt").exists());
        assert_eq!(clear(&dir.path().join("none")).unwrap(), Cleared::default());
    }
}
