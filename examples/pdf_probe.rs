//! Opens PDFs the way the pipeline does and reports, per file, whether it opened, its pages, and
//! what each page became (text, picture, blank, error), with timings. `--text` prints page text.
//!
//!     cargo run --release --example pdf_probe -- [--text] FILE…

#![allow(clippy::print_stdout)] // a command-line tool for developers: stdout is its output

use std::sync::Arc;
use std::time::Instant;

use i797_read::source::pdf::PdfDocument;
use i797_read::source::{Document, PageContent};

fn main() {
    let mut show_text = false;
    for arg in std::env::args().skip(1) {
        if arg == "--text" {
            show_text = true;
            continue;
        }
        let name = arg.rsplit('/').next().unwrap_or(&arg).to_string();
        let bytes: Arc<[u8]> = match std::fs::read(&arg) {
            Ok(b) => b.into(),
            Err(e) => {
                eprintln!("{name}\tcannot read: {e}");
                continue;
            }
        };
        let started = Instant::now();
        let document = match PdfDocument::open(bytes) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{name}\tnot opened\t{e}\t{:.1?}", started.elapsed());
                continue;
            }
        };
        let opened = started.elapsed();
        let mut kinds = Vec::new();
        for index in 0..document.page_count() {
            let page_started = Instant::now();
            let kind = match document.page(index) {
                Ok(PageContent::Text(text)) => {
                    let chars = text.text.chars().filter(|c| !c.is_whitespace()).count();
                    if show_text {
                        eprintln!("----- {name} page {} -----\n{}", index + 1, text.text);
                    }
                    format!("T{chars}")
                }
                Ok(PageContent::Image(_)) => "I".to_string(),
                Ok(PageContent::Blank) => "B".to_string(),
                Err(e) => format!("E({e})"),
            };
            let took = page_started.elapsed();
            kinds.push(if took.as_millis() > 200 {
                format!("{kind}[{took:.0?}]")
            } else {
                kind
            });
        }
        eprintln!(
            "{name}\topened {:.1?}\t{} pages\t{}\ttotal {:.1?}",
            opened,
            document.page_count(),
            kinds.join(" "),
            started.elapsed()
        );
    }
}
