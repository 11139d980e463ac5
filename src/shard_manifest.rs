//! A shard's manifest: `OUT.i797-shard` beside the output of `scan --shard K/N -o OUT`, saying
//! what the output is (shard K of N), the settings and engines that shaped its rows, and whether
//! the run finished (with the output's SHA-256 when it did). `merge` joins only a complete,
//! matching set: each of 0..N once, all finished, unchanged since, all made alike.
//!
//! The manifest is JSON (documented in the README) and always replaced whole (written to a
//! temporary file, synced, renamed), so a kill at any moment leaves the old one or the new one.
//! The output itself stays a plain CSV or JSON Lines file.
//!
//! Must not: read or judge rows (that is `readback.rs` and `merge.rs`).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cli::Format;
use crate::output::CsvOptions;
use crate::shard::Shard;
use crate::version::Engines;

/// The manifest format's version, bumped if its meaning changes.
pub const MANIFEST_VERSION: u32 = 1;

/// The manifest's path for an output file.
pub fn path_for(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".i797-shard");
    PathBuf::from(name)
}

/// What one `scan --shard` run wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardManifest {
    pub i797_shard_manifest: u32,
    /// `K/N`, as given to `--shard` (K counts from 0).
    pub shard: String,
    pub index: u64,
    pub count: u64,
    /// False while the run goes on, and after a run that was stopped or killed.
    pub finished: bool,
    /// SHA-256 of the whole output when the run finished.
    pub output_sha256: Option<String>,
    pub settings: ShardSettings,
}

/// Everything that decides which files a shard holds and what their rows say: shards made
/// with different settings cannot be merged into what one run would write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSettings {
    /// The paths given to `scan`, as shown (the split is by shown path).
    pub paths: Vec<String>,
    pub format: String,
    pub csv: CsvOptions,
    pub lang: String,
    pub tessdata: Option<String>,
    pub file_time_limit_seconds: u64,
    pub engines: Engines,
}

/// The name `--format` takes for `format`.
pub fn format_name(format: Format) -> String {
    use clap::ValueEnum;
    format
        .to_possible_value()
        .map_or_else(String::new, |value| value.get_name().to_string())
}

impl ShardSettings {
    /// The output format named in the settings.
    pub fn format(&self) -> Option<Format> {
        use clap::ValueEnum;
        Format::from_str(&self.format, false).ok()
    }

    /// The first setting that differs from `other`, as `name: this vs other`.
    pub fn first_difference(&self, other: &ShardSettings) -> Option<String> {
        let (Ok(serde_json::Value::Object(this)), Ok(serde_json::Value::Object(that))) =
            (serde_json::to_value(self), serde_json::to_value(other))
        else {
            return (self != other).then(|| "settings".to_string());
        };
        this.iter()
            .find(|(name, value)| that.get(name.as_str()) != Some(value))
            .map(|(name, value)| {
                let theirs = that.get(name.as_str()).cloned().unwrap_or_default();
                format!("{name}: {value} vs {theirs}")
            })
    }
}

impl ShardManifest {
    pub fn new(shard: Shard, settings: ShardSettings) -> ShardManifest {
        ShardManifest {
            i797_shard_manifest: MANIFEST_VERSION,
            shard: format!("{}/{}", shard.index, shard.count),
            index: shard.index,
            count: shard.count,
            finished: false,
            output_sha256: None,
            settings,
        }
    }

    /// Marks the run finished with the output as it now stands.
    pub fn finish(&mut self, output: &[u8]) {
        self.finished = true;
        self.output_sha256 = Some(crate::record::FileFacts::sha256_of(output));
    }

    /// Replaces the manifest of `output` whole: a kill leaves the old one or this one.
    pub fn write_beside(&self, output: &Path) -> std::io::Result<()> {
        let path = path_for(output);
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(format!(".tmp{}", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let mut text = serde_json::to_vec_pretty(self)?;
        text.push(b'\n');
        let written = (|| {
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&text)?;
            file.sync_all()?;
            std::fs::rename(&temporary, &path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }

    /// The manifest beside `output`; `None` when there is none.
    pub fn read_beside(output: &Path) -> Result<Option<ShardManifest>, String> {
        let path = path_for(output);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| format!("{} cannot be read: {e}", path.display())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(format!("cannot read {}: {error}", path.display())),
        }
    }
}

/// Checks that `manifests` (one per shard output, in the order given) form one complete set:
/// every shard 0..N exactly once, all finished, all made alike. Returns why not, in words.
pub fn check_complete_set(manifests: &[(String, ShardManifest)]) -> Result<(), String> {
    let Some((first_name, first)) = manifests.first() else {
        return Err("no shard outputs given".to_string());
    };
    for (name, manifest) in manifests {
        if !manifest.finished {
            return Err(format!(
                "{name} (shard {}) did not finish: run its scan command again with --resume, then merge",
                manifest.shard
            ));
        }
        if manifest.i797_shard_manifest != first.i797_shard_manifest {
            return Err(format!(
                "{name} and {first_name} were written by different i797 versions"
            ));
        }
        if manifest.count != first.count {
            return Err(format!(
                "{name} is shard {} but {first_name} is shard {}: the outputs come from runs split \
                 different ways",
                manifest.shard, first.shard
            ));
        }
        if let Some(difference) = manifest.settings.first_difference(&first.settings) {
            return Err(format!(
                "{name} was made with other settings than {first_name} ({difference}): merge only \
                 shards of one command"
            ));
        }
    }
    let count = first.count;
    let mut seen: Vec<Option<&str>> = vec![None; usize::try_from(count).unwrap_or(usize::MAX)];
    for (name, manifest) in manifests {
        let slot = usize::try_from(manifest.index)
            .ok()
            .and_then(|i| seen.get_mut(i))
            .ok_or_else(|| format!("{name}: shard {} is out of range", manifest.shard))?;
        if let Some(earlier) = slot {
            return Err(format!(
                "shard {} is given twice: {earlier} and {name}",
                manifest.shard
            ));
        }
        *slot = Some(name);
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, name)| name.is_none())
        .map(|(index, _)| format!("{index}/{count}"))
        .collect();
    if !missing.is_empty() {
        let which = match missing.as_slice() {
            [one] => format!("shard {one} is missing"),
            many => format!("shards {} are missing", many.join(", ")),
        };
        return Err(format!(
            "{which}: merging {} of {count} shards would leave out their files",
            manifests.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::ModelFile;

    fn settings() -> ShardSettings {
        ShardSettings {
            paths: vec!["archive".into()],
            format: "csv".into(),
            csv: CsvOptions::default(),
            lang: "eng".into(),
            tessdata: None,
            file_time_limit_seconds: 1200,
            engines: Engines {
                i797: "0.1.0".into(),
                tesseract: "5.3.4".into(),
                leptonica: "1.84.1".into(),
                models: vec![ModelFile {
                    name: "det.onnx".into(),
                    sha256: Some("0123456789ab".into()),
                }],
            },
        }
    }

    fn finished(index: u64, count: u64) -> (String, ShardManifest) {
        let mut manifest = ShardManifest::new(Shard { index, count }, settings());
        manifest.finish(b"rows");
        (format!("shard-{index}.csv"), manifest)
    }

    #[test]
    fn a_complete_set_in_any_order_passes() {
        let set = [finished(2, 3), finished(0, 3), finished(1, 3)];
        assert_eq!(check_complete_set(&set), Ok(()));
    }

    #[test]
    fn each_kind_of_incomplete_or_mixed_set_is_refused_with_its_reason() {
        let missing = check_complete_set(&[finished(0, 3), finished(2, 3)]).unwrap_err();
        assert!(missing.contains("shard 1/3 is missing"), "{missing}");
        let twice = check_complete_set(&[finished(0, 2), finished(1, 2), finished(1, 2)]);
        assert!(twice.unwrap_err().contains("shard 1/2 is given twice"));
        let mixed = check_complete_set(&[finished(0, 2), finished(1, 3)]).unwrap_err();
        assert!(mixed.contains("split different ways"), "{mixed}");
        let mut unfinished = finished(1, 2);
        unfinished.1.finished = false;
        let error = check_complete_set(&[finished(0, 2), unfinished]).unwrap_err();
        assert!(error.contains("did not finish"), "{error}");
        let mut other_lang = finished(1, 2);
        other_lang.1.settings.lang = "spa".into();
        let error = check_complete_set(&[finished(0, 2), other_lang]).unwrap_err();
        assert!(error.contains(r#"lang: "spa" vs "eng""#), "{error}");
        let mut other_model = finished(1, 2);
        other_model.1.settings.engines.models[0].sha256 = None;
        let error = check_complete_set(&[finished(0, 2), other_model]).unwrap_err();
        assert!(error.contains("engines"), "{error}");
    }

    #[test]
    fn the_manifest_is_replaced_whole_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("shard-0.csv");
        assert_eq!(ShardManifest::read_beside(&output), Ok(None));
        let (_, manifest) = finished(0, 2);
        manifest.write_beside(&output).unwrap();
        assert_eq!(ShardManifest::read_beside(&output), Ok(Some(manifest)));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["shard-0.csv.i797-shard"], "no temporary file left");
    }
}
