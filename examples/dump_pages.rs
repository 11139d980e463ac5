//! Prints what i797 reads on each page of a file — the layout text (OCR confidences below 95
//! marked) and the notices extracted from it — to see why a number was or was not found.
//! `cargo run --release --example dump_pages -- FILE [PAGE] [--every-reading]` (PAGE is 1-based).
//! With `--every-reading`, an image page is also read by the second (neural) reader: the lines
//! it finds in the field region, what it reads around each number the first read, and what the
//! reading policy settles on.

#![allow(clippy::print_stdout)] // a command-line tool for developers: stdout is its output

use std::sync::Arc;

use i797_core::{extract_notices, numbers_in_crop};
use i797_read::ocr::layout;
use i797_read::ocr::neural::{NeuralReader, default_models_dir};
use i797_read::ocr::policy::{Readers, number_area};
use i797_read::ocr::tesseract::TesseractSource;
use i797_read::ocr::{Area, OcrPage, RecognizerSource, SecondReader};
use i797_read::sniff::{SNIFF_LEN, sniff};
use i797_read::source::PageImage;
use i797_read::source::{self, PageContent};

fn main() -> anyhow::Result<()> {
    let (flags, mut args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let every_reading = flags.iter().any(|f| f == "--every-reading");
    args.reverse();
    let path = args
        .pop()
        .ok_or_else(|| anyhow::anyhow!("usage: dump_pages FILE [PAGE] [--every-reading]"))?;
    let only: Option<usize> = args.pop().map(|p| p.parse()).transpose()?;
    let bytes: Arc<[u8]> = std::fs::read(&path)?.into();
    let kind = sniff(&bytes[..bytes.len().min(SNIFF_LEN)]);
    let document = source::open(kind, bytes)?;
    let ocr = TesseractSource::new(None, "eng")?;
    let second = every_reading
        .then(|| NeuralReader::load(&default_models_dir()))
        .transpose()?;
    for index in 0..document.page_count() {
        if only.is_some_and(|p| p != index + 1) {
            continue;
        }
        let (text, how) = match document.page(index)? {
            PageContent::Text(text) => (text, "text layer".to_string()),
            PageContent::Blank => continue,
            PageContent::Image(image) => {
                let page = ocr.with_recognizer(|r| r.read(&image, &|_| false))??;
                if every_reading {
                    every_reading_of(&ocr, second.as_ref(), &image, index, &page)?;
                }
                (
                    page.text,
                    format!("OCR, turned {} quarter turns", page.turned),
                )
            }
        };
        println!("===== page {} ({how})", index + 1);
        let conf = text.char_confidence.clone().unwrap_or_default();
        println!("{}", text.text);
        println!("----- low-confidence characters (~) by line:\n{}", {
            let mut out = String::new();
            let mut line = String::new();
            for (c, v) in text
                .text
                .chars()
                .zip(conf.iter().copied().chain(std::iter::repeat(100)))
            {
                if c == '\n' {
                    if line.contains('~') {
                        out.push_str(line.trim_end());
                        out.push('\n');
                    }
                    line.clear();
                } else {
                    line.push(if v < 95 { '~' } else { c });
                }
            }
            out
        });
        for notice in extract_notices(&text) {
            println!("-> {notice:?}");
        }
    }
    Ok(())
}

/// What the second reader reads of `image` (whose first reading is `page`), and what the policy
/// makes of both.
fn every_reading_of(
    ocr: &TesseractSource,
    second: Option<&NeuralReader>,
    image: &PageImage,
    index: usize,
    page: &OcrPage,
) -> anyhow::Result<()> {
    let (Some(second), Some(picture)) = (second, page.picture.as_ref()) else {
        println!("===== page {}: no second reader or no picture", index + 1);
        return Ok(());
    };
    let (width, height) = picture.dimensions();
    let region = Area {
        height: height * 45 / 100,
        ..Area::whole(width, height)
    };
    let found_words = second.find_and_read(picture, region)?;
    let found = layout::build(&found_words);
    println!(
        "===== page {} field region read by the second reader",
        index + 1
    );
    println!("{}", found.text);
    for notice in extract_notices(&found) {
        println!("-> {} {:?}", notice.number, notice.doubts);
        if let Some(area) = number_area(&notice.number, &found_words, (width, height)) {
            let crop = ocr.with_recognizer(|r| r.read_area(picture, area))??;
            let crop = layout::build(&crop);
            let read: Vec<String> = numbers_in_crop(&crop)
                .into_iter()
                .map(|n| n.number)
                .collect();
            println!(
                "   at {area:?}: the first reads {:?} -> {read:?}",
                crop.text
            );
        }
    }
    for notice in extract_notices(&page.text) {
        let Some(area) = number_area(&notice.number, &page.words, (width, height)) else {
            println!("-> {}: no words hold it", notice.number);
            continue;
        };
        let crop = layout::build(&second.read_area(picture, area)?);
        let read: Vec<String> = numbers_in_crop(&crop)
            .into_iter()
            .map(|n| n.number)
            .collect();
        println!(
            "-> {} at {area:?}: the second reads {:?} -> {read:?}",
            notice.number, crop.text
        );
    }
    let readers = Readers {
        first: ocr,
        second: Some(Box::new(NeuralReader::load(&default_models_dir())?)),
    };
    for notice in readers.read(image)?.notices {
        println!("=> policy: {} {:?}", notice.number, notice.doubts);
    }
    Ok(())
}
