//! Helpers shared by the integration tests: run the real binary, build small text PDFs.
#![allow(dead_code, unused_imports)]
// Test helpers fail the test on any unexpected error, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod inputs;
mod measure;
pub use inputs::*;
pub use measure::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

/// The `i797` binary built for these tests, with a store of its own (see [`fresh_store`]).
pub fn i797() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_i797"));
    command.env("I797_STORE", fresh_store());
    command
}

/// An empty store folder for one run (under the build's temporary folder), so that a test never
/// writes to the user's cache and every run reads its files as if for the first time. Give it
/// as `I797_STORE` to any `i797` a test starts through a shell; a test that means to share a
/// store passes `--store DIR`.
pub fn fresh_store() -> PathBuf {
    static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    let stores = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stores");
    // Stores of earlier test runs (no test runs for an hour) would pile up in the build folder.
    SWEPT.call_once(|| {
        for old in std::fs::read_dir(&stores).into_iter().flatten().flatten() {
            let age = old
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok()?.elapsed().ok());
            if age.is_some_and(|age| age.as_secs() > 3600) {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
    });
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    stores.join(format!("{}-{run}", std::process::id()))
}

/// Runs `i797 args…` in `dir` and returns its output.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    i797()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("i797 runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("output is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A page: lines top down; each line's pieces of text at their x (in points).
pub type Page<'a> = Vec<Vec<(f32, &'a str)>>;

/// A letter-size PDF with one page per entry of `pages`, in Helvetica 10 pt.
pub fn text_pdf(pages: &[Page]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
        ];
        for (row, line) in lines.iter().enumerate() {
            let y = 740.0 - 14.0 * row as f32;
            for (x, text) in line {
                operations.push(Operation::new(
                    "Tm",
                    vec![
                        1.into(),
                        0.into(),
                        0.into(),
                        1.into(),
                        (*x).into(),
                        y.into(),
                    ],
                ));
                operations.push(Operation::new("Tj", vec![Object::string_literal(*text)]));
            }
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }.encode().expect("content encodes");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("PDF saves");
    bytes
}

/// A one-page I-797 notice as a text PDF, laid out like the real box grid: the one fixture
/// notice of the integration tests. Start from [`NoticePdf::receipt`] and change what a test
/// needs.
#[derive(Clone, Debug)]
pub struct NoticePdf<'a> {
    pub form: &'a str,
    pub receipt: &'a str,
    pub case_type: &'a str,
    pub received: String,
    pub notice_date: String,
    pub notice_type: &'a str,
    pub applicant: &'a str,
    pub beneficiary: &'a str,
    /// A line printed below the notice type (an online account number, say).
    pub extra_line: Option<&'a str>,
}

impl<'a> NoticePdf<'a> {
    /// An I-797C receipt notice of `receipt`, dated in January of the fiscal year its digits
    /// name (`EAC21…`: 2021), as real numbers and dates agree.
    pub fn receipt(receipt: &'a str) -> Self {
        let year = receipt.get(3..5).unwrap_or("24");
        NoticePdf {
            form: "I-797C",
            receipt,
            case_type: "I130 - PETITION FOR ALIEN RELATIVE",
            received: format!("01/16/20{year}"),
            notice_date: format!("01/22/20{year}"),
            notice_type: "Receipt Notice",
            applicant: "RIVERA, ANA",
            beneficiary: "",
            extra_line: None,
        }
    }

    pub fn pdf(&self) -> Vec<u8> {
        let header = format!("Form {}, Notice of Action", self.form);
        let notice_type = format!("Notice Type: {}", self.notice_type);
        let mut lines = vec![
            vec![
                (40.0, "Department of Homeland Security"),
                (400.0, header.as_str()),
            ],
            vec![(40.0, "U.S. Citizenship and Immigration Services")],
            vec![(
                40.0,
                "THIS NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFIT.",
            )],
            vec![(40.0, "Receipt Number"), (250.0, "Case Type")],
            vec![(40.0, self.receipt), (250.0, self.case_type)],
            vec![
                (40.0, "Received Date"),
                (160.0, "Priority Date"),
                (250.0, "Notice Date"),
                (360.0, "Page"),
            ],
            vec![
                (40.0, self.received.as_str()),
                (250.0, self.notice_date.as_str()),
                (360.0, "1 of 1"),
            ],
            vec![(40.0, "Applicant/Petitioner"), (250.0, "Beneficiary")],
            vec![(40.0, self.applicant), (250.0, self.beneficiary)],
            vec![(40.0, notice_type.as_str())],
        ];
        lines.extend(self.extra_line.map(|line| vec![(40.0, line)]));
        text_pdf(&[lines])
    }
}

/// A one-page I-797C receipt notice of `receipt` for `applicant` (case type as printed).
pub fn receipt_notice_pdf(receipt: &str, case_type: &str, applicant: &str) -> Vec<u8> {
    NoticePdf {
        case_type,
        applicant,
        ..NoticePdf::receipt(receipt)
    }
    .pdf()
}

/// Writes `bytes` to `dir/name`, creating parent folders.
pub fn put(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
    std::fs::write(&path, bytes).expect("write");
    path
}

/// The rows of a CSV output as maps from column name to value.
pub fn csv_rows(csv: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("row parses");
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
