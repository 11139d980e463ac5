//! What decides the output besides the input: this build, the Tesseract and Leptonica it runs
//! with, and the neural reader's model files (named with a short SHA-256, or "not installed").
//! Shown by `--version` and recorded in each shard's manifest, so outputs made by different
//! engines are never merged as one.
//!
//! Must not: load or run a model (hashing the files is enough), print anything.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use i797_read::ocr::neural::model::{DETECTION_MODEL, RECOGNITION_MODEL};

/// How many hex digits of a model's SHA-256 to show: enough to tell two files apart.
const SHORT_HASH: usize = 12;

/// The engines that shape the rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engines {
    pub i797: String,
    pub tesseract: String,
    pub leptonica: String,
    pub models: Vec<ModelFile>,
}

/// One model file: its name and the start of its SHA-256 (`None`: not installed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelFile {
    pub name: String,
    pub sha256: Option<String>,
}

impl Engines {
    /// Looks at this build, the linked libraries and the model files in `models_dir`.
    pub fn detect(models_dir: &Path) -> Engines {
        let (tesseract, leptonica) = i797_read::ocr::tesseract::engine_versions();
        let models = [DETECTION_MODEL, RECOGNITION_MODEL]
            .into_iter()
            .map(|name| ModelFile {
                name: name.to_string(),
                sha256: short_sha256(&models_dir.join(name)),
            })
            .collect();
        Engines {
            i797: env!("CARGO_PKG_VERSION").to_string(),
            tesseract,
            leptonica: leptonica
                .strip_prefix("leptonica-")
                .unwrap_or(&leptonica)
                .to_string(),
            models,
        }
    }

    /// The text of `i797 --version` after the first line.
    pub fn describe(&self, models_dir: &Path) -> String {
        let mut lines = vec![
            format!("tesseract {}", self.tesseract),
            format!("leptonica {}", self.leptonica),
        ];
        for model in &self.models {
            lines.push(match &model.sha256 {
                Some(hash) => format!("model {} sha256:{hash}", model.name),
                None => format!("model {} not installed", model.name),
            });
        }
        lines.push(format!(
            "models folder {}",
            crate::discover::display_path(models_dir)
        ));
        lines.join("\n")
    }
}

/// The long `--version`: this version, then the engines that decide the output.
pub fn long_version() -> String {
    let dir = i797_read::ocr::neural::default_models_dir();
    format!(
        "{}\n{}",
        env!("CARGO_PKG_VERSION"),
        Engines::detect(&dir).describe(&dir)
    )
}

/// The first [`SHORT_HASH`] hex digits of the file's SHA-256, or `None` when it cannot be read.
fn short_sha256(path: &Path) -> Option<String> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).ok()?;
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some(hex[..SHORT_HASH].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_are_named_with_their_hash_or_said_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DETECTION_MODEL), b"abc").unwrap();
        let engines = Engines::detect(dir.path());
        // SHA-256("abc") starts ba7816bf8f01.
        assert_eq!(engines.models[0].sha256.as_deref(), Some("ba7816bf8f01"));
        assert_eq!(engines.models[1].sha256, None);
        let text = engines.describe(dir.path());
        assert!(
            text.contains(&format!("model {DETECTION_MODEL} sha256:ba7816bf8f01")),
            "{text}"
        );
        assert!(
            text.contains(&format!("model {RECOGNITION_MODEL} not installed")),
            "{text}"
        );
        assert!(
            engines
                .tesseract
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit()),
            "{engines:?}"
        );
        assert!(
            engines
                .leptonica
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit()),
            "{engines:?}"
        );
    }
}
