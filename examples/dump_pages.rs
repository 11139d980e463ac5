//! Prints what i797 reads on each page of a file — the layout text (OCR confidences below 95
//! marked) and the notices extracted from it — to see why a number was or was not found.
//! `cargo run --release --example dump_pages -- FILE [PAGE] [--every-reading]` (PAGE is 1-based).
//! With `--every-reading`, an image page is also read the careful way, the three other ways and
//! the two closer ways the pipeline tries when in doubt (ways 4 and 5), each shown with what was
//! extracted from it.

#![allow(clippy::print_stdout)] // a command-line tool for developers: stdout is its output

use std::sync::Arc;

use i797::extract::extract_notices;
use i797::ocr::RecognizerSource;
use i797::ocr::tesseract::TesseractSource;
use i797::sniff::{SNIFF_LEN, sniff};
use i797::source::{self, PageContent};

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
                    let (careful, others) = ocr.with_recognizer(|r| {
                        let careful = r.read_carefully(&image, &|_| false)?;
                        let mut others = r.read_again(&image, page.turned, None)?;
                        others.extend(r.read_closer(&image, page.turned)?);
                        Ok::<_, i797::ocr::OcrError>((careful, others))
                    })??;
                    let labelled = careful
                        .into_iter()
                        .map(|c| ("careful".to_string(), c))
                        .chain(
                            others
                                .into_iter()
                                .enumerate()
                                .map(|(k, o)| (format!("other way {}", k + 1), o)),
                        );
                    for (name, reading) in labelled {
                        println!("===== page {} read {name}", index + 1);
                        for line in reading
                            .text
                            .text
                            .lines()
                            .filter(|l| !l.trim().is_empty())
                            .take(12)
                        {
                            println!("{line}");
                        }
                        for notice in extract_notices(&reading.text) {
                            println!("-> {} {:?}", notice.number, notice.doubts);
                        }
                    }
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
