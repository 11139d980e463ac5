//! The bad inputs users actually have, each made here and run through the real binary
//! (`i797 scan DIR --jobs 2`): every file gets its rows with the right status and a message in
//! plain words, good files beside them still give theirs, nothing panics, nothing blocks, and
//! decompression bombs and huge pictures stay within bounded memory.

#![allow(clippy::unwrap_used)] // helpers fail the test like the tests do

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

type Row = BTreeMap<String, String>;

/// A run of `i797 scan . --jobs 2` in `dir`, stopped (and failed) if it takes longer than
/// `limit`: a named pipe opened by mistake would block it forever.
fn scan(dir: &Path, limit: Duration) -> (Output, Vec<Row>) {
    let mut child = i797()
        .current_dir(dir)
        .args(["scan", ".", "--jobs", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("i797 starts");
    let start = Instant::now();
    // Read the pipes on threads so a full pipe cannot stall the child while we wait.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut buffer).unwrap();
        buffer
    });
    let err_reader = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut buffer).unwrap();
        buffer
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("i797 scan did not finish within {limit:?}: something blocked");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    };
    let err = stderr_text(&output);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "panic text on stderr:\n{err}"
    );
    let rows = csv_rows(&stdout(&output));
    (output, rows)
}

fn stderr_text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn rows_of<'a>(rows: &'a [Row], file: &str) -> Vec<&'a Row> {
    let shown = format!("./{file}");
    rows.iter().filter(|r| r["file"] == shown).collect()
}

/// The one row `file` must have: its status and message.
fn only_row(rows: &[Row], file: &str) -> (String, String) {
    let mine = rows_of(rows, file);
    assert_eq!(mine.len(), 1, "{file}: exactly one row expected: {mine:#?}");
    (mine[0]["status"].clone(), mine[0]["message"].clone())
}

/// The receipt numbers `file`'s `ok` rows carry, page by page.
fn numbers(rows: &[Row], file: &str) -> Vec<(String, String)> {
    rows_of(rows, file)
        .into_iter()
        .filter(|r| r["status"] == "ok")
        .map(|r| (r["page"].clone(), r["receipt_number"].clone()))
        .collect()
}

/// The files the rows name, without the leading `./`.
fn files_in(rows: &[Row]) -> BTreeSet<String> {
    rows.iter()
        .map(|r| r["file"].trim_start_matches("./").to_string())
        .collect()
}

fn notice() -> Vec<u8> {
    receipt_notice_pdf(
        "EAC2190012345",
        "I130 - PETITION FOR ALIEN RELATIVE",
        "RIVERA, ANA",
    )
}

fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Every classic cross-reference entry's offset moved by `shift` bytes.
fn shifted_xref(pdf: &[u8], shift: usize) -> Vec<u8> {
    let entry = regex::bytes::Regex::new(r"(?m)^(\d{10}) 00000 n").unwrap();
    entry
        .replace_all(pdf, |c: &regex::bytes::Captures| {
            let offset: usize = std::str::from_utf8(&c[1]).unwrap().parse().unwrap();
            format!("{:010} 00000 n", offset + shift).into_bytes()
        })
        .into_owned()
}

/// Every `/Length N` changed by `delta`.
fn wrong_lengths(pdf: &[u8], delta: i64) -> Vec<u8> {
    let length = regex::bytes::Regex::new(r"/Length (\d+)").unwrap();
    length
        .replace_all(pdf, |c: &regex::bytes::Captures| {
            let n: i64 = std::str::from_utf8(&c[1]).unwrap().parse().unwrap();
            format!("/Length {}", (n + delta).max(0)).into_bytes()
        })
        .into_owned()
}

#[test]
fn every_bad_file_gets_its_rows_and_the_good_ones_beside_it_still_give_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = notice();
    put(d, "good/receipt.pdf", &good);
    put(
        d,
        "good/other.pdf",
        &receipt_notice_pdf("WAC2290054321", "I765", "DOE, JOHN"),
    );
    put(d, "empty.pdf", b"");
    put(
        d,
        "notes.pdf",
        b"Call the client about biometrics on Monday.\n",
    );
    put(d, "cover-letter.pdf", &docx());
    put(d, "scan.jpg", &png_blank(300, 200));
    put(
        d,
        "no-pages.pdf",
        &pdf_from_objects(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        ]),
    );
    // Damaged structure that viewers repair: the number must still come out.
    put(d, "xref-offsets-wrong.pdf", &shifted_xref(&good, 7));
    put(
        d,
        "xref-garbage.pdf",
        &replace_all(&good, b"\nxref\n0 ", b"\nGARBAGE ZZZ\n0 "),
    );
    let startxref = good.windows(9).rposition(|w| w == b"startxref").unwrap();
    let mut pointing_nowhere = good[..startxref].to_vec();
    pointing_nowhere.extend_from_slice(b"startxref\n99999999\n%%EOF\n");
    put(d, "startxref-wrong.pdf", &pointing_nowhere);
    put(d, "length-too-long.pdf", &wrong_lengths(&good, 40));
    put(d, "length-too-short.pdf", &wrong_lengths(&good, -25));
    put(d, "encrypted-empty-password.pdf", &encrypted(&good, ""));
    put(d, "encrypted-password.pdf", &encrypted(&good, "s3cret"));
    // Cut-off downloads of a one-page and of a three-page notice.
    let cuts = [10, 25, 40, 55, 70, 85];
    for percent in cuts {
        put(
            d,
            &format!("cut/one-{percent:02}.pdf"),
            &good[..good.len() * percent / 100],
        );
    }
    let three = notice_pages_pdf(3);
    for percent in cuts {
        put(
            d,
            &format!("cut/three-{percent:02}.pdf"),
            &three[..three.len() * percent / 100],
        );
    }
    let page_3 = three.windows(8).position(|w| w == b"\n8 0 obj").unwrap();
    put(d, "cut/three-before-page-3.pdf", &three[..page_3 + 1]);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::symlink;
        symlink(d.join("nowhere/gone.pdf"), d.join("dangling.pdf")).unwrap();
        std::fs::create_dir(d.join("loop")).unwrap();
        symlink(d.join("loop"), d.join("loop/again")).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(d.join("pipe.pdf"))
            .status()
            .unwrap();
        assert!(status.success());
        let name = std::ffi::OsStr::from_bytes(b"recibo-\xe9.pdf");
        std::fs::write(d.join(name), &good).unwrap();
    }

    let (output, rows) = scan(d, Duration::from_secs(120));
    assert_eq!(output.status.code(), Some(1), "{}", stderr_text(&output));

    let receipt = ("1".to_string(), "EAC2190012345".to_string());
    assert_eq!(
        numbers(&rows, "good/receipt.pdf"),
        std::slice::from_ref(&receipt)
    );
    assert_eq!(numbers(&rows, "good/other.pdf")[0].1, "WAC2290054321");
    let expect = |file: &str, status: &str, message: &str| {
        assert_eq!(
            only_row(&rows, file),
            (status.to_string(), message.to_string()),
            "{file}"
        );
    };
    expect(
        "empty.pdf",
        "error",
        "not a PDF although named so: it is an empty file",
    );
    expect(
        "notes.pdf",
        "error",
        "not a PDF although named so: it is a text file",
    );
    expect(
        "cover-letter.pdf",
        "error",
        "not a PDF although named so: it is a Word/Excel document or ZIP archive",
    );
    expect(
        "scan.jpg",
        "no_notice",
        "1 page read; no receipt or NVC case number found",
    );
    expect("no-pages.pdf", "error", "PDF has no pages");
    expect(
        "encrypted-password.pdf",
        "error",
        "PDF is password-protected",
    );
    for file in [
        "xref-offsets-wrong.pdf",
        "xref-garbage.pdf",
        "startxref-wrong.pdf",
        "length-too-long.pdf",
        "length-too-short.pdf",
        "encrypted-empty-password.pdf",
    ] {
        assert_eq!(
            rows_of(&rows, file).len(),
            1,
            "{file}: {:#?}",
            rows_of(&rows, file)
        );
        assert_eq!(
            numbers(&rows, file),
            std::slice::from_ref(&receipt),
            "{file}"
        );
    }

    // A cut-off file never passes for a file without a number: what is left gives its rows,
    // and an error row says the rest is lost (or the file could not be read at all).
    for percent in cuts {
        for (file, receipts) in [
            (format!("cut/one-{percent:02}.pdf"), vec![receipt.1.clone()]),
            (
                format!("cut/three-{percent:02}.pdf"),
                (0..3).map(page_receipt).collect(),
            ),
        ] {
            let mine = rows_of(&rows, &file);
            assert!(
                mine.iter().all(|r| r["status"] != "no_notice"),
                "{file}: {mine:#?}"
            );
            let errors: Vec<&str> = mine
                .iter()
                .filter(|r| r["status"] == "error")
                .map(|r| r["message"].as_str())
                .collect();
            assert!(
                errors
                    .iter()
                    .any(|m| m.contains("cut off") || m.contains("truncated or damaged")),
                "{file}: {mine:#?}"
            );
            for (page, number) in numbers(&rows, &file) {
                let index: usize = page.parse::<usize>().unwrap() - 1;
                assert_eq!(number, receipts[index], "{file} page {page}");
            }
        }
    }
    // The three-page file cut just before its third page: two pages read, the lost one said.
    let mine = rows_of(&rows, "cut/three-before-page-3.pdf");
    let summary: Vec<(&str, &str, &str)> = mine
        .iter()
        .map(|r| {
            let (page, status) = (r["page"].as_str(), r["status"].as_str());
            (page, status, r["receipt_number"].as_str())
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("1", "ok", page_receipt(0).as_str()),
            ("2", "ok", page_receipt(1).as_str()),
            ("3", "error", ""),
            ("", "error", "")
        ],
        "{mine:#?}"
    );
    assert_eq!(
        mine[2]["message"],
        "page 3 could not be read: file is truncated or damaged: a page object is missing"
    );
    assert_eq!(
        mine[3]["message"],
        "PDF is damaged: it is cut off (the end of the file is missing); \
         only what is left of it was read, the rest is lost"
    );

    #[cfg(unix)]
    {
        expect("dangling.pdf", "error", "file or folder not found");
        let (status, message) = only_row(&rows, "loop/again");
        assert_eq!(status, "error");
        assert!(message.starts_with("symbolic link loop"), "{message}");
        expect("pipe.pdf", "skipped", "a named pipe (FIFO), not a file");
        let (status, message) = only_row(&rows, "recibo-\\xE9.pdf");
        assert_eq!(status, "ok");
        assert!(message.contains("not valid UTF-8"), "{message}");
    }

    // Every file once, and nothing else.
    assert_eq!(files_in(&rows), walk_names(d));
}

/// Every entry under `dir` that is not a folder, as the tool shows it (symbolic links to
/// folders are not followed here).
fn walk_names(dir: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(path.clone());
            }
            let shown = path.strip_prefix(dir).unwrap();
            #[cfg(unix)]
            let shown = {
                use std::os::unix::ffi::OsStrExt;
                let bytes = shown.as_os_str().as_bytes();
                bytes
                    .utf8_chunks()
                    .map(|chunk| {
                        let bad: String = chunk
                            .invalid()
                            .iter()
                            .map(|b| format!("\\x{b:02X}"))
                            .collect();
                        format!("{}{bad}", chunk.valid())
                    })
                    .collect::<String>()
            };
            if !kind.is_dir() {
                names.insert(shown.to_string());
            }
        }
    }
    names
}

#[test]
fn a_pdf_of_thousands_of_pages_gives_one_row_per_notice_page_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let pages = 3000;
    put(dir.path(), "stack.pdf", &notice_pages_pdf(pages));
    put(dir.path(), "zero.pdf", b"");
    let (output, rows) = scan(dir.path(), Duration::from_secs(300));
    assert_eq!(output.status.code(), Some(1), "{}", stderr_text(&output));
    let found = numbers(&rows, "stack.pdf");
    let expected: Vec<(String, String)> = (0..pages)
        .map(|i| ((i + 1).to_string(), page_receipt(i)))
        .collect();
    assert_eq!(found.len(), pages);
    assert!(found == expected, "rows out of page order or misread");
    assert_eq!(only_row(&rows, "zero.pdf").0, "error");
}

/// Peak resident memory of the largest child this test process has waited for, in bytes.
#[cfg(target_os = "linux")]
fn peak_child_memory() -> u64 {
    // SAFETY: getrusage fills the zeroed struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    u64::try_from(usage.ru_maxrss).unwrap() * 1024 // kilobytes on Linux
}

#[test]
fn decompression_bombs_and_absurd_sizes_are_refused_within_bounded_memory() {
    const GIB: u64 = 1 << 30;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    put(d, "content-bomb.pdf", &content_bomb_pdf(2 * GIB));
    put(d, "form-bomb.pdf", &form_bomb_pdf(2 * GIB));
    put(
        d,
        "image-bomb.pdf",
        &image_bomb_pdf(100_000, 100_000, 2 * GIB),
    );
    put(d, "huge.png", &png_declaring(100_000, 100_000));
    put(d, "huge.tif", &tiff_declaring(100_000, 100_000));
    put(d, "receipt.pdf", &notice());
    let (output, rows) = scan(d, Duration::from_secs(120));
    assert_eq!(output.status.code(), Some(1), "{}", stderr_text(&output));
    assert_eq!(numbers(&rows, "receipt.pdf")[0].1, "EAC2190012345");
    let too_large =
        "page 1 could not be read: image is too large to read safely (100000×100000 pixels)";
    for (file, message) in [
        (
            "content-bomb.pdf",
            "page 1 could not be read: a compressed part of the page is too large to read \
             safely (over 64 MB once decompressed)",
        ),
        (
            "form-bomb.pdf",
            "page 1 could not be read: a compressed part of the page is too large to read \
             safely (over 64 MB once decompressed)",
        ),
        ("image-bomb.pdf", too_large),
        ("huge.png", too_large),
        ("huge.tif", too_large),
    ] {
        let mine = rows_of(&rows, file);
        assert_eq!(mine.len(), 1, "{file}: {mine:#?}");
        assert_eq!(
            (mine[0]["status"].as_str(), mine[0]["message"].as_str()),
            ("error", message),
            "{file}"
        );
    }
    #[cfg(target_os = "linux")]
    {
        // Before the renderer was bounded, the content bomb alone took 2.2 GB.
        let peak = peak_child_memory();
        assert!(peak < GIB, "a child took {} MB", peak >> 20);
    }
}

#[test]
fn the_bomb_maker_makes_valid_zlib_of_the_size_asked() {
    let bomb = zlib_bomb(3 << 20, b'x');
    assert!(bomb.len() < 8 << 10, "{} bytes", bomb.len());
    let mut inflated = Vec::new();
    let mut decoder = flate2::read::ZlibDecoder::new(&bomb[..]);
    std::io::Read::read_to_end(&mut decoder, &mut inflated).expect("valid zlib, checksum too");
    assert_eq!(inflated.len(), 3 << 20);
    assert!(inflated.iter().all(|&b| b == b'x'));
}

#[test]
fn a_photo_of_14000_by_10500_pixels_is_read_at_a_reduced_size() {
    let dir = tempfile::tempdir().unwrap();
    let photo = huge_photo_jpeg(14_000, 10_500, false);
    put(dir.path(), "photo.jpg", &photo);
    drop(photo);
    let (output, rows) = scan(dir.path(), Duration::from_secs(180));
    assert_eq!(output.status.code(), Some(0), "{}", stderr_text(&output));
    assert_eq!(
        numbers(&rows, "photo.jpg"),
        [("1".to_string(), "EAC2108235877".to_string())],
        "{rows:#?}"
    );
}
