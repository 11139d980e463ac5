//! The neural reader (src/ocr/neural) with its real models on a sample page: the receipt number's
//! line must be read. The models come from scripts/setup (CI runs it first); without them this
//! fails and says so, unless I797_SKIP_NEURAL=1 asks for a (loudly reported) skip.

use std::path::Path;

use image::GrayImage;
use image::imageops::crop_imm;

use i797_read::ocr::neural::{NeuralReader, ReaderOptions, default_models_dir};

/// The reader, or `None` after a loud note when the models are missing and a skip was asked for.
fn reader() -> Option<NeuralReader> {
    let dir = default_models_dir();
    match NeuralReader::load_with(&dir, ReaderOptions::default()) {
        Ok(reader) => Some(reader),
        Err(e) if std::env::var_os("I797_SKIP_NEURAL").is_some_and(|v| v == "1") => {
            eprintln!("\n*** SKIPPED: neural reader test, I797_SKIP_NEURAL=1 and {e} ***\n");
            None
        }
        Err(e) => panic!("{e} (set I797_SKIP_NEURAL=1 to skip this test on purpose)"),
    }
}

/// samples/images/i797c-receipt-i130-nsc-200dpi.jpg: a 200-dpi grey scan, 1700 × 2200, of an
/// invented I-797C receipt notice whose number is NSC1520889949.
fn sample_page() -> GrayImage {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/images/i797c-receipt-i130-nsc-200dpi.jpg");
    image::open(&path).expect("sample picture").into_luma8()
}

#[test]
fn the_receipt_number_line_of_a_scanned_notice_is_read() {
    let Some(reader) = reader() else { return };
    let page = sample_page();

    // The notice's header (the top fifth of the page): detection finds the number's line.
    let header = crop_imm(&page, 0, 0, page.width(), page.height() / 5).to_image();
    let lines = reader.read_page(&header).expect("reading the header");
    let number = lines
        .iter()
        .find(|l| l.text.replace(' ', "") == "NSC1520889949")
        .unwrap_or_else(|| {
            panic!(
                "no line reads NSC1520889949: {:?}",
                lines.iter().map(|l| &l.text).collect::<Vec<_>>()
            )
        });
    // Under the "Receipt Number" label, at the left margin, in the header's pixels.
    assert!(
        number.bounds.left < 150.0 && number.bounds.top > 250.0 && number.bounds.bottom < 380.0,
        "{:?}",
        number.bounds
    );
    assert!(lines.iter().any(|l| l.text.contains("Receipt Number")));
    assert!(
        lines.iter().any(|l| l.text == "07/20/2015"),
        "the received date"
    );

    // The number's line alone, cropped by hand: every character, with a confidence and places
    // that run left to right across the crop.
    let crop = crop_imm(&page, 70, 285, 290, 70).to_image();
    let line = reader.read_line(&crop).expect("reading the line");
    assert_eq!(line.text, "NSC1520889949");
    assert_eq!(line.chars.len(), 13);
    assert!(line.confidence() > 0.5, "{:?}", line.chars);
    assert!(line.chars.windows(2).all(|w| w[0].left <= w[1].left));
    assert!(line.chars.iter().all(|c| c.right <= crop.width() as f32));
    assert!(line.chars.iter().all(|c| {
        c.alternative
            .is_some_and(|(alt, p)| alt != c.ch && p < c.confidence)
    }));
}
