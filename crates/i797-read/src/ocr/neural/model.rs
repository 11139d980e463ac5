//! Neural reader, models: finds the PP-OCR model files, loads them with rten (pure Rust, reads the
//! ONNX files as the wheel ships them), and runs them on tensors. The one place that knows the
//! runtime; detection and recognition code only see plain `f32` buffers.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rten::{Model, RunOptions, ThreadPool};
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

use super::NeuralError;
use super::recognize::Alphabet;

/// Text detection (DBNet), PP-OCRv6 small, from the PyPI wheel `rapidocr` 3.10.0.
pub const DETECTION_MODEL: &str = "PP-OCRv6_det_small.onnx";
/// Text-line recognition (CTC), PP-OCRv6 small, multilingual, from the same wheel. Its character
/// list is in its ONNX metadata under [`CHARACTER_KEY`].
pub const RECOGNITION_MODEL: &str = "PP-OCRv6_rec_small.onnx";
pub const CHARACTER_KEY: &str = "character";
/// Environment variable naming the models folder (as `scripts/setup` reads it).
pub const MODELS_ENV: &str = "I797_MODELS";

/// Where `scripts/setup` puts the models: `$I797_MODELS`, else
/// `${XDG_DATA_HOME:-$HOME/.local/share}/i797/models`.
pub fn default_models_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(MODELS_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from(".local/share"));
    data.join("i797").join("models")
}

/// Where inference runs.
enum Pool {
    /// rten's shared pool, a thread per core.
    Shared,
    /// A pool of this reader's own.
    Own(Arc<ThreadPool>),
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Pool::Shared => "shared",
            Pool::Own(_) => "own",
        })
    }
}

/// Both models, loaded, and the recogniser's classes.
pub(super) struct Models {
    detection: Model,
    recognition: Model,
    pub(super) alphabet: Alphabet,
    pool: Pool,
}

impl std::fmt::Debug for Models {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Models")
            .field("classes", &self.alphabet.len())
            .field("pool", &self.pool)
            .finish_non_exhaustive()
    }
}

impl Models {
    pub(super) fn load(dir: &Path, threads: Option<usize>) -> Result<Models, NeuralError> {
        let missing: Vec<&str> = [DETECTION_MODEL, RECOGNITION_MODEL]
            .into_iter()
            .filter(|name| !dir.join(name).is_file())
            .collect();
        if !missing.is_empty() {
            return Err(NeuralError::ModelsMissing {
                dir: dir.to_path_buf(),
                missing: missing.join(", "),
            });
        }
        let load = |name: &str| {
            let path = dir.join(name);
            Model::load_file(&path).map_err(|e| NeuralError::Load {
                path,
                reason: e.to_string(),
            })
        };
        let detection = load(DETECTION_MODEL)?;
        let recognition = load(RECOGNITION_MODEL)?;
        let bad = |reason: String| NeuralError::Load {
            path: dir.join(RECOGNITION_MODEL),
            reason,
        };
        let characters = recognition
            .metadata()
            .get(CHARACTER_KEY)
            .ok_or_else(|| bad(format!("no '{CHARACTER_KEY}' list in the model's metadata")))?;
        // The output is [batch, steps, classes]; the class count is fixed even where steps are not.
        let classes = recognition
            .output_ids()
            .first()
            .and_then(|&id| recognition.node_info(id))
            .and_then(|info| info.shape())
            .and_then(|shape| match shape.last() {
                Some(rten::Dimension::Fixed(n)) => Some(*n),
                _ => None,
            })
            .ok_or_else(|| bad("the output's class count is not fixed".into()))?;
        let alphabet = Alphabet::from_lines(characters, classes).map_err(bad)?;
        Ok(Models {
            detection,
            recognition,
            alphabet,
            pool: match threads {
                None => Pool::Shared,
                Some(n) => Pool::Own(Arc::new(ThreadPool::with_num_threads(n.max(1)))),
            },
        })
    }

    fn options(&self) -> Option<RunOptions> {
        match &self.pool {
            Pool::Shared => None,
            Pool::Own(pool) => Some(RunOptions::default().with_thread_pool(Some(pool.clone()))),
        }
    }

    /// Runs detection on a [1, 3, height, width] input; gives the probability map, height × width.
    pub(super) fn detect(
        &self,
        input: Vec<f32>,
        height: usize,
        width: usize,
    ) -> Result<Vec<f32>, NeuralError> {
        let input = NdTensor::from_data([1, 3, height, width], input);
        let output = self
            .detection
            .run_one(input.view().into(), self.options())
            .map_err(|e| NeuralError::Run(format!("detection: {e}")))?;
        let map: NdTensor<f32, 4> = output
            .try_into()
            .map_err(|e| NeuralError::Run(format!("detection output: {e:?}")))?;
        if map.shape() != [1, 1, height, width] {
            return Err(NeuralError::Run(format!(
                "detection output is {:?}, not [1, 1, {height}, {width}]",
                map.shape()
            )));
        }
        Ok(map.into_data())
    }

    /// Runs recognition on a [1, 3, 48, width] input; gives (steps, steps × classes scores).
    pub(super) fn recognize(
        &self,
        input: Vec<f32>,
        height: usize,
        width: usize,
    ) -> Result<(usize, Vec<f32>), NeuralError> {
        let input = NdTensor::from_data([1, 3, height, width], input);
        let output = self
            .recognition
            .run_one(input.view().into(), self.options())
            .map_err(|e| NeuralError::Run(format!("recognition: {e}")))?;
        let scores: NdTensor<f32, 3> = output
            .try_into()
            .map_err(|e| NeuralError::Run(format!("recognition output: {e:?}")))?;
        let [batch, steps, classes] = scores.shape();
        if batch != 1 || classes != self.alphabet.len() {
            return Err(NeuralError::Run(format!(
                "recognition output is {:?}, not [1, steps, {}]",
                scores.shape(),
                self.alphabet.len()
            )));
        }
        Ok((steps, scores.into_data()))
    }
}
