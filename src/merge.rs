//! `i797 merge`: joins the outputs of `scan --shard K/N` runs into exactly the output one
//! machine would have written: header once, files in the same global order (by shown path),
//! each file's rows as its shard wrote them, except the duplicate marks, which depend on the
//! files before and are set again over the merged order (and the case view, with `--cases`).
//! With `--format xlsx|sqlite` the merged rows of csv or jsonl shards are written as a workbook or
//! database instead, with their case view, as a single run with that format would have.
//! Only a complete set is merged: each shard's manifest (see `shard_manifest.rs`) must show it
//! finished, unchanged since, and made by the same command as the others, and every shard 0..N
//! must be there exactly once.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::cases_file::CasesFile;
use crate::cli::Format;
use crate::discover::{FileId, display_path};
use crate::linking::Linking;
use crate::output::RowSink;
use crate::output::writer_for;
use crate::readback::{FileRows, read_back};
use crate::record::FileFacts;
use crate::shard_manifest::{ShardManifest, check_complete_set, format_name};

/// Merges `shards` into `output`, and writes the case view to `cases` when asked; `format`,
/// when given, must be the shards' format, or `xlsx`/`sqlite` to write the merged rows (and
/// their case view) as a workbook or database.
pub fn merge(
    output: &Path,
    shards: &[PathBuf],
    format: Option<Format>,
    cases: Option<&Path>,
) -> anyhow::Result<()> {
    let whole_file = format.and_then(crate::config::whole_file_format);
    if let (Some(name), Some(_)) = (whole_file, cases) {
        bail!(
            "--cases FILE is written as csv or jsonl; a merged {name} output holds the case view \
             itself, so leave --cases out"
        );
    }
    crate::own_files::OwnFiles::check(output)?;
    if let Some(output_id) = FileId::of(output)
        && let Some(shard) = shards.iter().find(|s| FileId::of(s) == Some(output_id))
    {
        bail!(
            "the merged output {} is the shard output {}: choose another file",
            display_path(output),
            display_path(shard)
        );
    }
    let mut not_cases: Vec<&Path> = shards.iter().map(PathBuf::as_path).collect();
    not_cases.push(output);
    let cases_file = cases
        .map(|cases| CasesFile::check(cases, &not_cases))
        .transpose()?;
    let mut manifests = Vec::new();
    let mut contents = Vec::new();
    for shard in shards {
        let shown = display_path(shard);
        let bytes = std::fs::read(shard).with_context(|| format!("cannot read {shown}"))?;
        let manifest = ShardManifest::read_beside(shard)
            .map_err(anyhow::Error::msg)?
            .with_context(|| {
                format!(
                    "{shown} has no shard manifest ({}): merge joins only outputs written by \
                     `i797 scan --shard K/N -o FILE`",
                    display_path(&crate::shard_manifest::path_for(shard))
                )
            })?;
        if manifest.finished
            && manifest.output_sha256.as_deref() != Some(FileFacts::sha256_of(&bytes).as_str())
        {
            bail!(
                "{shown} changed after its run (shard {}) finished: run that shard again",
                manifest.shard
            );
        }
        manifests.push((shown, manifest));
        contents.push(bytes);
    }
    check_complete_set(&manifests).map_err(anyhow::Error::msg)?;
    let settings = &manifests[0].1.settings;
    let shards_format = settings
        .format()
        .with_context(|| format!("the shards are in an unknown format '{}'", settings.format))?;
    if let Some(asked) = format
        && asked != shards_format
        && whole_file.is_none()
    {
        bail!(
            "--format {} was given but the shards are {}",
            format_name(asked),
            settings.format
        );
    }
    if let Some(name) = crate::config::whole_file_format(shards_format) {
        bail!("{}", not_a_stream(name));
    }
    let mut groups: Vec<FileRows> = Vec::new();
    for ((shown, _), bytes) in manifests.iter().zip(&contents) {
        let readback = read_back(bytes, shards_format, settings.csv.formula_guard)
            .with_context(|| format!("{shown} is not an i797 output"))?;
        if readback.torn_bytes > 0 {
            bail!(
                "{shown} ends in a cut-off row: its run did not finish; run it again with --resume first"
            );
        }
        groups.extend(readback.files);
    }
    // Each shard is already in order; a stable sort by path restores the single-run order.
    groups.sort_by(|a, b| a.file.as_bytes().cmp(b.file.as_bytes()));
    if let Some(pair) = groups.windows(2).find(|pair| pair[0].file == pair[1].file) {
        bail!(
            "{} appears in more than one shard output: were the shards made with the same --shard count?",
            pair[0].file
        );
    }
    let mut linking = Linking::new(cases_file.is_some() || whole_file.is_some());
    for group in &mut groups {
        linking.file_written(&mut group.rows);
    }
    if let Some(format) = format.filter(|_| whole_file.is_some()) {
        return write_whole_file(output, format, &groups, &linking);
    }
    let writer = writer_for(shards_format, settings.csv).context("not a text format")?;
    let shown = display_path(output);
    let file = File::create(output).with_context(|| format!("cannot write {shown}"))?;
    let mut sink = BufWriter::new(file);
    sink.write_all(&writer.header())?;
    for group in &groups {
        sink.write_all(&writer.rows(&group.rows)?)?;
    }
    sink.flush()
        .with_context(|| format!("cannot write {shown}"))?;
    if let (Some(cases_file), Some(cases)) = (&cases_file, linking.cases()) {
        cases_file.write(&cases, shards_format, settings.csv)?;
    }
    Ok(())
}

/// The merged rows as a workbook or database, with their case view, put in place whole.
fn write_whole_file(
    output: &Path,
    format: Format,
    groups: &[FileRows],
    linking: &Linking,
) -> anyhow::Result<()> {
    let shown = display_path(output);
    let mut sink = crate::output::whole_file_sink(format, output)
        .with_context(|| format!("cannot write {shown}"))?
        .context("not a whole-file format")?;
    for group in groups {
        sink.write_file(&group.rows)
            .with_context(|| format!("cannot write {shown}"))?;
    }
    if let Some(cases) = linking.cases() {
        sink.write_cases(&cases)
            .with_context(|| format!("cannot write {shown}"))?;
    }
    sink.finish()
        .with_context(|| format!("cannot write {shown}"))
}

/// Why a workbook or database cannot be merged, and what to do instead.
fn not_a_stream(name: &str) -> String {
    format!(
        "merge joins csv or jsonl shard outputs, not {name}: run the shards with --format csv \
         (or jsonl) and merge those (merge --format {name} writes the merged rows as {name})"
    )
}
