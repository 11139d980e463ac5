//! Measures the neural reader (src/ocr/neural) page by page: decoding, detection, recognition of
//! every line found, recognition of the receipt number's line alone, and, on the same picture in
//! the same run, the Tesseract command line reading the whole page (OMP_THREAD_LIMIT=1).
//!
//! cargo run --release --example neural_bench -- [--dpi 150] [--max-side 1280] [--threads N]
//!     [--quiet] [--no-tesseract] FILE…
//!
//! FILE is a PNG, JPEG or TIFF picture, or a PDF whose pages are rendered with `pdftoppm -gray`
//! at `--dpi` (scripts/setup --bench installs it and tesseract). `--quiet` leaves out the lines
//! read. The numbers and the commands behind bench/neural.md come from here.

#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use image::GrayImage;
use regex::Regex;

use i797_read::ocr::neural::{NeuralReader, ReaderOptions, default_models_dir};

struct Options {
    dpi: u32,
    reader: ReaderOptions,
    quiet: bool,
    tesseract: bool,
    files: Vec<PathBuf>,
}

fn options() -> Options {
    let mut options = Options {
        dpi: 150,
        reader: ReaderOptions::default(),
        quiet: false,
        tesseract: true,
        files: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || {
            args.next()
                .and_then(|v| v.parse::<u32>().ok())
                .expect("a number")
        };
        match arg.as_str() {
            "--dpi" => options.dpi = number(),
            "--max-side" => options.reader.detect_max_side = number(),
            "--threads" => options.reader.threads = Some(number() as usize),
            "--quiet" => options.quiet = true,
            "--no-tesseract" => options.tesseract = false,
            _ => options.files.push(PathBuf::from(arg)),
        }
    }
    options
}

/// A page picture and the PNG file Tesseract reads it from.
struct Page {
    name: String,
    image: GrayImage,
    png: PathBuf,
    decode: Duration,
}

fn pages(file: &Path, dpi: u32, work: &Path, n: &mut usize) -> Vec<Page> {
    let name = file
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let is_pdf = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if is_pdf {
        *n += 1;
        let prefix = work.join(format!("pdf{n}"));
        let start = Instant::now();
        let status = Command::new("pdftoppm")
            .args(["-gray", "-png", "-r", &dpi.to_string()])
            .arg(file)
            .arg(&prefix)
            .status()
            .expect("pdftoppm (scripts/setup --bench)");
        assert!(status.success(), "pdftoppm failed on {}", file.display());
        let render = start.elapsed();
        let mut rendered: Vec<PathBuf> = std::fs::read_dir(work)
            .expect("work folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|f| f.to_string_lossy().starts_with(&format!("pdf{n}-")))
            })
            .collect();
        rendered.sort();
        let count = rendered.len().max(1) as u32;
        rendered
            .into_iter()
            .enumerate()
            .map(|(i, png)| {
                let start = Instant::now();
                let image = image::open(&png).expect("rendered page").into_luma8();
                Page {
                    name: format!("{name} p{}", i + 1),
                    image,
                    png,
                    decode: render / count + start.elapsed(),
                }
            })
            .collect()
    } else {
        let start = Instant::now();
        let image = match image::open(file) {
            Ok(image) => image.into_luma8(),
            Err(e) => {
                println!("{name}: skipped ({e})");
                return Vec::new();
            }
        };
        let decode = start.elapsed();
        *n += 1;
        let png = work.join(format!("img{n}.png"));
        image.save(&png).expect("page PNG for tesseract");
        vec![Page {
            name,
            image,
            png,
            decode,
        }]
    }
}

fn tesseract_seconds(png: &Path) -> Option<(f64, String)> {
    let start = Instant::now();
    let output = Command::new("tesseract")
        .arg(png)
        .args(["-", "-l", "eng"])
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .ok()?;
    output.status.success().then(|| {
        (
            start.elapsed().as_secs_f64(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let options = options();
    let dir = default_models_dir();
    let start = Instant::now();
    let reader = NeuralReader::load_with(&dir, options.reader).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "models loaded from {} in {:.0} ms",
        dir.display(),
        ms(start.elapsed())
    );
    let receipt = Regex::new(r"[A-Z]{3}[0-9]{10}").expect("regex");
    let work = tempfile::tempdir().expect("temporary folder");
    let mut n = 0;
    let mut rows = Vec::new();
    for file in &options.files {
        for page in pages(file, options.dpi, work.path(), &mut n) {
            let (w, h) = page.image.dimensions();
            let start = Instant::now();
            let boxes = reader.detect(&page.image).expect("detection");
            let detect = start.elapsed();
            let start = Instant::now();
            let mut lines = Vec::new();
            for b in &boxes {
                let line = reader.read_box(&page.image, b).expect("recognition");
                if !line.text.is_empty() {
                    lines.push(line);
                }
            }
            let recognize = start.elapsed();
            // The receipt number's line on its own: what reading only the lines that matter costs.
            let found = lines
                .iter()
                .find(|l| receipt.is_match(&l.text.replace(' ', "")));
            let number = found.and_then(|l| {
                receipt
                    .find(&l.text.replace(' ', ""))
                    .map(|m| m.as_str().to_string())
            });
            let line_ms = found.map(|l| {
                let start = Instant::now();
                let again = reader
                    .read_box(&page.image, &l.bounds)
                    .expect("recognition");
                assert_eq!(again.text, l.text);
                (
                    ms(start.elapsed()),
                    l.bounds.width().round(),
                    l.bounds.height().round(),
                )
            });
            let tesseract = options
                .tesseract
                .then(|| tesseract_seconds(&page.png))
                .flatten();
            let tesseract_number = tesseract.as_ref().and_then(|(_, text)| {
                receipt
                    .find(&text.replace(' ', ""))
                    .map(|m| m.as_str().to_string())
            });
            println!(
                "{}: {w}x{h}, decode {:.0} ms, detect {:.0} ms ({} boxes), recognise {:.0} ms ({} lines, {:.0} ms/line), number line alone {}; neural {:.2} s vs tesseract {}",
                page.name,
                ms(page.decode),
                ms(detect),
                boxes.len(),
                ms(recognize),
                lines.len(),
                ms(recognize) / lines.len().max(1) as f64,
                line_ms.map_or("-".into(), |(t, lw, lh)| format!("{t:.0} ms ({lw}x{lh})")),
                (detect + recognize).as_secs_f64(),
                tesseract
                    .as_ref()
                    .map_or("-".into(), |(t, _)| format!("{t:.2} s")),
            );
            println!(
                "  number: neural {}, tesseract {}",
                number.as_deref().unwrap_or("none"),
                tesseract_number
                    .as_deref()
                    .unwrap_or(if tesseract.is_some() { "none" } else { "-" }),
            );
            if !options.quiet {
                for line in &lines {
                    println!(
                        "    {:>5.0},{:<5.0} {:.2} {}",
                        line.bounds.left,
                        line.bounds.top,
                        line.confidence(),
                        line.text
                    );
                }
            }
            rows.push((
                ms(detect),
                ms(recognize),
                lines.len(),
                line_ms.map(|l| l.0),
                tesseract.map(|t| t.0),
            ));
        }
    }
    if !rows.is_empty() {
        let count = rows.len() as f64;
        let det: f64 = rows.iter().map(|r| r.0).sum::<f64>() / count;
        let rec: f64 = rows.iter().map(|r| r.1).sum::<f64>() / count;
        let lines: usize = rows.iter().map(|r| r.2).sum();
        let line_times: Vec<f64> = rows.iter().filter_map(|r| r.3).collect();
        let tess: Vec<f64> = rows.iter().filter_map(|r| r.4).collect();
        println!(
            "mean of {} pages: detect {det:.0} ms, recognise {rec:.0} ms ({:.1} ms/line over {lines} lines), number line alone {} ms, tesseract {} s",
            rows.len(),
            rows.iter().map(|r| r.1).sum::<f64>() / lines.max(1) as f64,
            if line_times.is_empty() {
                "-".into()
            } else {
                format!(
                    "{:.0}",
                    line_times.iter().sum::<f64>() / line_times.len() as f64
                )
            },
            if tess.is_empty() {
                "-".into()
            } else {
                format!("{:.2}", tess.iter().sum::<f64>() / tess.len() as f64)
            },
        );
    }
}
