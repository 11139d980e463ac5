//! i797's command line: turns folders of USCIS I-797 notices into linkable rows.
//!
//! The stages: `discover` (walk) → `i797_read` (sniff, PDF text layer and page pictures, geometry,
//! the recognisers and the reading policy) → `i797_core` (pure: page text in, notices out) →
//! `record` (the CSV row) → `output` (ordered writer) → `linking` (duplicates, cases).
//! `pipeline` wires them together in parallel; `main.rs` only parses arguments and maps exit codes.

pub mod cases;
pub mod cases_file;
pub mod cli;
pub mod commands;
pub mod config;
pub mod discover;
pub mod duplicates;
pub mod exit_status;
pub mod files_from;
pub mod find;
pub mod help;
pub mod journal;
pub mod linking;
pub mod logging;
pub mod merge;
pub mod output;
pub mod own_files;
pub mod pipeline;
pub mod progress;
pub mod readback;
pub mod record;
pub mod resume;
pub mod run;
pub mod sanitize;
pub mod shard;
pub mod shard_manifest;
pub mod store;
pub mod version;
pub mod watch;
