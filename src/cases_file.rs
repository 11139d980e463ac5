//! Writing the case view: the `--cases FILE` path is checked like `--output` before any input is
//! read (never an input, never a user's document), and the file is written whole when the run
//! ends, through a temporary file renamed over it, so a reader never sees half a case view.
//!
//! CSV: one cell per column, lists joined with `; ` (notices with ` | `), in the page rows' CSV
//! form (`--bom`, the formula guard): every cell guarded but `notices`, which names files on disk
//! and, like the rows' `file`, is never altered. JSON Lines: lists as arrays, notices as
//! objects, `needs_review` a boolean and the counts numbers.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::cases::Case;
use crate::cases::columns::{CASE_COLUMNS, FILES_COLUMN, case_texts};
use crate::cli::Format;
use crate::discover::{Input, display_path};
use crate::output::{BOM, CsvOptions, guard_cell};
use crate::own_files::{OwnFileError, OwnFiles};

/// Where the case view goes, checked.
#[derive(Debug)]
pub struct CasesFile {
    path: PathBuf,
    own: OwnFiles,
}

/// Why `--cases` cannot be written where asked.
#[derive(Debug, thiserror::Error)]
pub enum CasesFileError {
    #[error(transparent)]
    OwnFile(#[from] OwnFileError),
    #[error("--cases {0} is the same file as {1}: give the case view a file of its own")]
    SameAsOther(String, String),
    #[error("--cases {0} is a folder; give a file name")]
    Folder(String),
}

impl CasesFile {
    /// Checks `path` before anything is read: not a folder, none of `others` (the page
    /// output, merge's shards), not a user's document.
    pub fn check(path: &Path, others: &[&Path]) -> Result<CasesFile, CasesFileError> {
        let shown = display_path(path);
        if path.is_dir() {
            return Err(CasesFileError::Folder(shown));
        }
        if let Some(other) = others.iter().find(|other| same_file(path, other)) {
            return Err(CasesFileError::SameAsOther(shown, display_path(other)));
        }
        let own = OwnFiles::check_as(path, "--cases")?;
        Ok(CasesFile {
            path: path.to_path_buf(),
            own,
        })
    }

    /// Takes the case view (an earlier one) out of the inputs; refuses an input that is not one.
    pub fn keep_out_of(&self, inputs: &mut Vec<Input>) -> Result<Vec<String>, OwnFileError> {
        self.own.keep_out_of(inputs)
    }

    /// Writes `cases` in `format` (`csv`: the page rows' CSV options), replacing the file in
    /// one step.
    pub fn write(&self, cases: &[Case], format: Format, csv: CsvOptions) -> anyhow::Result<()> {
        let shown = display_path(&self.path);
        let folder = match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut temporary = tempfile::Builder::new()
            .prefix(".i797-cases-")
            .tempfile_in(folder)
            .with_context(|| format!("cannot write {shown}"))?;
        temporary
            .write_all(&case_bytes(cases, format, csv)?)
            .and_then(|()| temporary.as_file().sync_all())
            .with_context(|| format!("cannot write {shown}"))?;
        temporary
            .persist(&self.path)
            .with_context(|| format!("cannot write {shown}"))?;
        Ok(())
    }
}

/// Two paths that name one file, however spelled; before the files exist, the same name in the
/// same folder.
fn same_file(a: &Path, b: &Path) -> bool {
    use crate::discover::FileId;
    if let (Some(a), Some(b)) = (FileId::of(a), FileId::of(b)) {
        return a == b;
    }
    let in_its_folder = |path: &Path| {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
        let folder = folder.unwrap_or(Path::new(".")).canonicalize().ok()?;
        Some(folder.join(path.file_name()?))
    };
    match (in_its_folder(a), in_its_folder(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// The whole case view in `format`; `options` apply to CSV only.
pub fn case_bytes(cases: &[Case], format: Format, options: CsvOptions) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Csv => {
            let start = if options.bom {
                BOM.to_vec()
            } else {
                Vec::new()
            };
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(start);
            writer.write_record(CASE_COLUMNS)?;
            for case in cases {
                let cells = case_texts(case).into_iter().enumerate().map(|(at, cell)| {
                    if options.formula_guard && at != FILES_COLUMN {
                        guard_cell(&cell)
                    } else {
                        cell
                    }
                });
                writer.write_record(cells)?;
            }
            Ok(writer.into_inner().map_err(|e| e.into_error())?)
        }
        Format::Jsonl => {
            let mut out = Vec::new();
            for case in cases {
                serde_json::to_writer(&mut out, &JsonCase::from(case))?;
                out.push(b'\n');
            }
            Ok(out)
        }
        // Inside the workbook or database itself (`output::xlsx`, `output::sqlite`); `--cases`
        // is refused with the settings (`config`), before any file is read.
        Format::Xlsx | Format::Sqlite => {
            anyhow::bail!("the case view is written as csv or jsonl only")
        }
    }
}

/// A case as one JSON object, with the CSV's column names.
#[derive(Serialize)]
struct JsonCase<'a> {
    case_number: &'a str,
    number_kind: &'a str,
    latest_state: &'a str,
    case_type: &'a [String],
    form: &'a [String],
    a_number: &'a [String],
    applicant: &'a [String],
    beneficiary: &'a [String],
    linked_cases: &'a [String],
    notice_count: usize,
    notices: &'a [crate::cases::CaseNotice],
    needs_review: bool,
    duplicate_rows: usize,
}

impl<'a> From<&'a Case> for JsonCase<'a> {
    fn from(case: &'a Case) -> Self {
        JsonCase {
            case_number: &case.case_number,
            number_kind: &case.number_kind,
            latest_state: &case.latest_state,
            case_type: &case.case_type,
            form: &case.form,
            a_number: &case.a_number,
            applicant: &case.applicant,
            beneficiary: &case.beneficiary,
            linked_cases: &case.linked_cases,
            notice_count: case.notices.len(),
            notices: &case.notices,
            needs_review: case.needs_review,
            duplicate_rows: case.duplicate_rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::CaseNotice;

    fn sample() -> Case {
        Case {
            case_number: "EAC2190012345".into(),
            number_kind: "uscis_receipt".into(),
            latest_state: "approved 2024-03-01".into(),
            case_type: vec!["I-130".into()],
            form: vec!["I-797C".into(), "I-797".into()],
            a_number: vec!["A012345678".into()],
            applicant: vec!["-RIVERA, ANA".into()],
            beneficiary: vec![],
            linked_cases: vec!["MNL2020547051".into()],
            notices: vec![
                CaseNotice {
                    file: "=a.pdf".into(),
                    page: "1".into(),
                    notice_type: "Receipt Notice".into(),
                    notice_date: "2024-01-22".into(),
                    row: 0,
                },
                CaseNotice {
                    file: "b.pdf".into(),
                    page: "2".into(),
                    notice_type: "Approval Notice".into(),
                    notice_date: "2024-03-01".into(),
                    row: 3,
                },
            ],
            needs_review: false,
            duplicate_rows: 1,
        }
    }

    #[test]
    fn csv_has_the_documented_columns_and_guards_every_cell_but_the_files() {
        assert_eq!(CASE_COLUMNS[FILES_COLUMN], "notices");
        let bytes = case_bytes(&[sample()], Format::Csv, CsvOptions::default()).unwrap();
        let csv = String::from_utf8(bytes).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.headers().unwrap(), CASE_COLUMNS.as_slice());
        let row = reader.records().next().unwrap().unwrap();
        let cell = |name: &str| {
            let at = CASE_COLUMNS.iter().position(|c| *c == name).unwrap();
            row[at].to_string()
        };
        assert_eq!(cell("form"), "I-797C; I-797");
        assert_eq!(cell("applicant"), "'-RIVERA, ANA");
        assert_eq!(
            cell("notices"),
            "=a.pdf#1 Receipt Notice 2024-01-22 | b.pdf#2 Approval Notice 2024-03-01",
            "a file path is never altered"
        );
        assert_eq!(cell("notice_count"), "2");
        assert_eq!(cell("needs_review"), "false");
        assert!(csv.ends_with("\r\n"));
    }

    #[test]
    fn csv_follows_the_page_rows_options() {
        let options = CsvOptions {
            bom: true,
            formula_guard: false,
        };
        let bytes = case_bytes(&[sample()], Format::Csv, options).unwrap();
        assert!(bytes.starts_with(BOM), "--bom opens the case view too");
        let csv = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
        assert!(csv.starts_with("case_number,"), "{csv}");
        assert!(
            csv.contains(",\"-RIVERA, ANA\","),
            "no guard when asked: {csv}"
        );
    }

    #[test]
    fn json_lines_carry_lists_objects_booleans_and_numbers_under_the_csv_names() {
        let out = case_bytes(&[sample(), sample()], Format::Jsonl, CsvOptions::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2);
        let value: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut columns = CASE_COLUMNS.to_vec();
        columns.sort_unstable();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort_unstable();
        assert_eq!(keys_sorted, columns);
        assert_eq!(value["notices"][0]["file"], "=a.pdf", "no guard in JSON");
        assert_eq!(value["needs_review"], false);
        assert_eq!(value["duplicate_rows"], 1);
        assert_eq!(value["linked_cases"][0], "MNL2020547051");
    }

    #[test]
    fn the_file_is_replaced_whole_and_a_document_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.csv");
        std::fs::write(&path, "stale\n").unwrap();
        // A file that is not an i797 output but not a document either (notes) is replaced only
        // when it is not among the inputs; here the run has no inputs.
        let file = CasesFile::check(&path, &[]).unwrap();
        file.write(&[sample()], Format::Csv, CsvOptions::default())
            .unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.starts_with("case_number,"), "{written}");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");

        let pdf = dir.path().join("notice.pdf");
        std::fs::write(&pdf, b"%PDF-1.4\n").unwrap();
        let refused = CasesFile::check(&pdf, &[]).unwrap_err();
        assert!(refused.to_string().contains("--cases"), "{refused}");
        let output = dir.path().join("out.csv");
        assert!(matches!(
            CasesFile::check(&output, &[&output]),
            Err(CasesFileError::SameAsOther(..))
        ));
        // The same file by another spelling, before and after it exists.
        let roundabout = dir.path().join(".").join("out.csv");
        for _ in 0..2 {
            assert!(matches!(
                CasesFile::check(&roundabout, &[&output]),
                Err(CasesFileError::SameAsOther(..))
            ));
            std::fs::write(&output, "").unwrap();
        }
        assert!(CasesFile::check(&dir.path().join("cases.csv"), &[&output]).is_ok());
        assert!(matches!(
            CasesFile::check(dir.path(), &[]),
            Err(CasesFileError::Folder(_))
        ));
    }
}
