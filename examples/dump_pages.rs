//! Prints what i797 reads on each page of a file — the layout text (OCR confidences below 95
//! marked) and the notices extracted from it — to see why a number was or was not found.
//! `cargo run --release --example dump_pages -- FILE [PAGE]` (PAGE is 1-based).

#![allow(clippy::print_stdout)] // a command-line tool for developers: stdout is its output

use std::sync::Arc;

use i797::extract::extract_notices;
use i797::ocr::RecognizerSource;
use i797::ocr::tesseract::TesseractSource;
use i797::sniff::{SNIFF_LEN, sniff};
use i797::source::{self, PageContent};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: dump_pages FILE [PAGE]"))?;
    let only: Option<usize> = args.next().map(|p| p.parse()).transpose()?;
    let bytes: Arc<[u8]> = std::fs::read(&path)?.into();
    let kind = sniff(&bytes[..bytes.len().min(SNIFF_LEN)]);
    let document = source::open(kind, bytes)?;
    let ocr = TesseractSource::new(None, "eng")?;
    for index in 0..document.page_count() {
        if only.is_some_and(|p| p != index + 1) {
            continue;
        }
        let (text, how) = match document.page(index)? {
            PageContent::Text(text) => (text, "text layer".to_string()),
            PageContent::Blank => continue,
            PageContent::Image(image) => {
                let page = ocr.with_recognizer(|r| r.read(&image, &|_| false))??;
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
