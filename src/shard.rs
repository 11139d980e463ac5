//! Sharding: splits one run over several machines. Each file belongs to exactly one shard,
//! chosen from a hash of its shown path, so every machine that walks the same folders agrees on
//! the split without talking to the others, and a file added later does not move the rest.

use sha2::{Digest, Sha256};

/// This machine's share: shard `index` of `count` (0-based, as Kubernetes, Slurm arrays and AWS
/// Batch number their tasks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// Why a `--shard` value could not be used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("--shard takes K/N with 0 <= K < N (for example 0/4), or 'auto'; got '{0}'")]
    Malformed(String),
    #[error(
        "--shard auto found no task index: set by a Kubernetes Indexed Job (JOB_COMPLETION_INDEX), \
         a Slurm array (SLURM_ARRAY_TASK_ID) or an AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX)"
    )]
    NoIndex,
    #[error(
        "--shard auto found the task index in {0} but not the number of tasks: set I797_SHARD_COUNT"
    )]
    NoCount(&'static str),
    #[error("--shard auto: {variable}='{value}' is not a number")]
    NotANumber {
        variable: &'static str,
        value: String,
    },
}

impl Shard {
    /// Parses `K/N`, or reads the job runner's variables for `auto` through `env`.
    pub fn parse(value: &str, env: impl Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        if value == "auto" {
            return Shard::from_job_runner(env);
        }
        let malformed = || ShardError::Malformed(value.to_string());
        let (index, count) = value.split_once('/').ok_or_else(malformed)?;
        let index: u64 = index.trim().parse().map_err(|_| malformed())?;
        let count: u64 = count.trim().parse().map_err(|_| malformed())?;
        if count == 0 || index >= count {
            return Err(malformed());
        }
        Ok(Shard { index, count })
    }

    fn from_job_runner(env: impl Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        let number = |variable: &'static str| -> Result<Option<u64>, ShardError> {
            env(variable)
                .map(|value| {
                    value
                        .trim()
                        .parse()
                        .map_err(|_| ShardError::NotANumber { variable, value })
                })
                .transpose()
        };
        let explicit_count = number("I797_SHARD_COUNT")?;
        let (index, count) = if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            (
                index,
                explicit_count.ok_or(ShardError::NoCount("JOB_COMPLETION_INDEX"))?,
            )
        } else if let Some(task) = number("SLURM_ARRAY_TASK_ID")? {
            // Slurm arrays may start anywhere (--array=1-8): count from the first task.
            let first = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let count = explicit_count.or(number("SLURM_ARRAY_TASK_COUNT")?);
            (
                task.saturating_sub(first),
                count.ok_or(ShardError::NoCount("SLURM_ARRAY_TASK_ID"))?,
            )
        } else if let Some(index) = number("AWS_BATCH_JOB_ARRAY_INDEX")? {
            (
                index,
                explicit_count.ok_or(ShardError::NoCount("AWS_BATCH_JOB_ARRAY_INDEX"))?,
            )
        } else {
            return Err(ShardError::NoIndex);
        };
        if count == 0 || index >= count {
            return Err(ShardError::Malformed(format!("{index}/{count}")));
        }
        Ok(Shard { index, count })
    }

    /// Does the file shown as `display` belong to this shard?
    pub fn owns(&self, display: &str) -> bool {
        let digest = Sha256::digest(display.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.count == self.index
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |key| map.get(key).cloned()
    }

    #[test]
    fn explicit_shards() {
        assert_eq!(
            Shard::parse("2/4", env(&[])),
            Ok(Shard { index: 2, count: 4 })
        );
        for bad in ["4/4", "1/0", "x/2", "3", "-1/2", ""] {
            assert!(
                matches!(Shard::parse(bad, env(&[])), Err(ShardError::Malformed(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn job_runners() {
        let k8s = env(&[("JOB_COMPLETION_INDEX", "3"), ("I797_SHARD_COUNT", "8")]);
        assert_eq!(Shard::parse("auto", k8s), Ok(Shard { index: 3, count: 8 }));
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ]);
        assert_eq!(
            Shard::parse("auto", slurm),
            Ok(Shard { index: 4, count: 8 })
        );
        let batch = env(&[
            ("AWS_BATCH_JOB_ARRAY_INDEX", "0"),
            ("I797_SHARD_COUNT", "2"),
        ]);
        assert_eq!(
            Shard::parse("auto", batch),
            Ok(Shard { index: 0, count: 2 })
        );
        assert_eq!(Shard::parse("auto", env(&[])), Err(ShardError::NoIndex));
        let no_count = env(&[("JOB_COMPLETION_INDEX", "1")]);
        assert_eq!(
            Shard::parse("auto", no_count),
            Err(ShardError::NoCount("JOB_COMPLETION_INDEX"))
        );
    }

    #[test]
    fn every_file_lands_in_exactly_one_shard_and_shares_are_even() {
        let count = 4;
        let shards: Vec<Shard> = (0..count).map(|index| Shard { index, count }).collect();
        let mut sizes = [0usize; 4];
        for n in 0..4000 {
            let path = format!("clients/{n:05}/notice.pdf");
            let owners: Vec<usize> = (0..4).filter(|&s| shards[s].owns(&path)).collect();
            assert_eq!(owners.len(), 1);
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&s| (850..1150).contains(&s)), "{sizes:?}");
    }
}
