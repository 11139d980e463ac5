//! Where a picture page's time goes, stage by stage, one page at a time on one thread:
//! the source (getting the page's picture out of its file), Tesseract's reading as the policy
//! asks for it (decode, flatten, prepare, field region first), the neural reader's check of each
//! number on its crop, and what its field-region search would cost (run on every page here, not
//! only where the policy runs it). Beside them, the naive way: Tesseract on the whole page.
//!
//! cargo run --release --example stage_bench -- FILE…      (see bench/policy.md)

#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use i797_core::extract_notices;
use i797_read::ocr::neural::{NeuralReader, ReaderOptions, default_models_dir};
use i797_read::ocr::policy::{header_is_complete, number_area};
use i797_read::ocr::tesseract::TesseractSource;
use i797_read::ocr::{Area, RecognizerSource, SecondReader};
use i797_read::sniff::{SNIFF_LEN, sniff};
use i797_read::source::{self, PageContent};

#[derive(Default)]
struct Stages {
    pages: usize,
    numbers: usize,
    source: Duration,
    first: Duration,
    lines: Duration,
    search: Duration,
    naive: Duration,
}

fn main() -> anyhow::Result<()> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let first = TesseractSource::new(None, "eng")?;
    let naive = TesseractSource::new(None, "eng")?.whole_pages();
    let options = ReaderOptions {
        threads: Some(1),
        ..ReaderOptions::default()
    };
    let second = NeuralReader::load_with(&default_models_dir(), options)?;
    let mut stages = Stages::default();
    for file in &files {
        let bytes: Arc<[u8]> = std::fs::read(file)?.into();
        let document = source::open(sniff(&bytes[..bytes.len().min(SNIFF_LEN)]), bytes)?;
        for index in 0..document.page_count() {
            let started = Instant::now();
            let PageContent::Image(image) = document.page(index)? else {
                continue;
            };
            stages.source += started.elapsed();
            stages.pages += 1;

            let started = Instant::now();
            let page = first.with_recognizer(|r| r.read(&image, &header_is_complete))??;
            stages.first += started.elapsed();

            let Some(picture) = page.picture.as_ref() else {
                continue;
            };
            for notice in extract_notices(&page.text) {
                if let Some(area) = number_area(&notice.number, &page.words, picture.dimensions()) {
                    let started = Instant::now();
                    second.read_area(picture, area)?;
                    stages.lines += started.elapsed();
                    stages.numbers += 1;
                }
            }
            let (width, height) = picture.dimensions();
            let region = Area {
                height: height * 45 / 100,
                ..Area::whole(width, height)
            };
            let started = Instant::now();
            second.find_and_read(picture, region)?;
            stages.search += started.elapsed();

            let started = Instant::now();
            naive.with_recognizer(|r| r.read(&image, &|_| false))??;
            stages.naive += started.elapsed();
        }
    }
    let pages = stages.pages.max(1) as f64;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} picture pages, {} numbers checked",
        stages.pages, stages.numbers
    );
    println!("| stage | total s | ms per page |");
    println!("|---|---|---|");
    for (name, total) in [
        ("source: the page's picture out of its file", stages.source),
        (
            "Tesseract, as the policy reads (decode, flatten, prepare, field region first)",
            stages.first,
        ),
        ("neural check of each number on its crop", stages.lines),
        (
            "neural search of the field region (run on every page here)",
            stages.search,
        ),
        ("naive: Tesseract on the whole page", stages.naive),
    ] {
        println!(
            "| {name} | {:.2} | {:.0} |",
            total.as_secs_f64(),
            ms(total) / pages
        );
    }
    if stages.numbers > 0 {
        println!(
            "neural check per number: {:.0} ms",
            ms(stages.lines) / stages.numbers as f64
        );
    }
    Ok(())
}
