//! Writes the inputs of the memory benchmark (`bench/memory.sh`) into a folder: the largest
//! inputs a firm's archive holds, made from the OCR test fixture so nothing is downloaded.
//!
//! cargo run --release --example memory_inputs -- DIR
//!
//! - `photo-14000x10500.jpg`: a 147-megapixel colour phone photo of an I-797C notice;
//! - `scans-1000-pages.pdf`: 1000 scanned Letter pages (300 dpi Group 4), each read by OCR;
//! - `text-3000-pages.pdf`: 3000 text-layer pages, one receipt notice each.

// The generators are the ones the bad-input tests use, so the benchmark measures what they check.
#[path = "../tests/common/inputs.rs"]
mod inputs;

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        anyhow::bail!("usage: memory_inputs DIR");
    };
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("photo-14000x10500.jpg"),
        inputs::huge_photo_jpeg(14_000, 10_500, true),
    )?;
    std::fs::write(dir.join("scans-1000-pages.pdf"), inputs::g4_scan_pdf(1000))?;
    std::fs::write(
        dir.join("text-3000-pages.pdf"),
        inputs::notice_pages_pdf(3000),
    )?;
    Ok(())
}
