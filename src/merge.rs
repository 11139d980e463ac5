//! `i797 merge`: joins the outputs of `scan --shard K/N` runs into exactly the output one
//! machine would have written: header once, files in the same global order (by shown path),
//! each file's rows as its shard wrote them, except the duplicate marks, which depend on the
//! files before and are set again over the merged order (and the case view, with `--cases`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::cases::file::CasesFile;
use crate::cli::Format;
use crate::linking::Linking;
use crate::output::format_for;
use crate::readback::{FileRows, read_back};

/// Merges `shards` into `output`, and writes the case view to `cases` when asked.
pub fn merge(
    output: &Path,
    shards: &[PathBuf],
    format: Format,
    cases: Option<&Path>,
) -> anyhow::Result<()> {
    let mut not_cases: Vec<&Path> = shards.iter().map(PathBuf::as_path).collect();
    not_cases.push(output);
    let cases_file = cases
        .map(|cases| CasesFile::check(cases, &not_cases))
        .transpose()?;
    let mut groups: Vec<FileRows> = Vec::new();
    for shard in shards {
        let bytes =
            std::fs::read(shard).with_context(|| format!("cannot read {}", shard.display()))?;
        let readback = read_back(&bytes, format)
            .with_context(|| format!("{} is not an i797 output", shard.display()))?;
        if readback.torn_bytes > 0 {
            bail!(
                "{} ends in a cut-off row: its run did not finish; run it again with --resume first",
                shard.display()
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
    let mut linking = Linking::new(cases_file.is_some());
    for group in &mut groups {
        linking.file_written(&mut group.rows);
    }
    let row_format = format_for(format);
    let file =
        File::create(output).with_context(|| format!("cannot write {}", output.display()))?;
    let mut sink = BufWriter::new(file);
    sink.write_all(&row_format.header())?;
    for group in &groups {
        sink.write_all(&row_format.rows(&group.rows)?)?;
    }
    sink.flush()
        .with_context(|| format!("cannot write {}", output.display()))?;
    if let (Some(cases_file), Some(cases)) = (&cases_file, linking.cases()) {
        cases_file.write(&cases, format)?;
    }
    Ok(())
}
