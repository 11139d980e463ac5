//! Rendering for pages that are not one picture (text drawn as curves, tiled images, text in fonts
//! without usable Unicode), with the pure-Rust `hayro` renderer, to gray at 300 dpi. Invariant:
//! the rendered page never exceeds `MAX_RENDER_PIXELS` (larger pages get a lower resolution), and
//! the picture comes out upright (page `/Rotate` applied), so its quarter turns are 0.
//!
//! Only pages within the renderer's budgets are drawn (`images/budget.rs` for stream sizes,
//! `images/work.rs` for drawing work): the renderer cannot be stopped once started. It shares the
//! file's bytes rather than copying them, and whatever goes wrong in it, a panic included, is this
//! page's [`SourceError::NotDrawn`], saying why when the renderer said.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::{LoadPdfError, Pdf, PdfData};
use hayro::vello_cpu::Pixmap;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

use super::super::{ImageData, PageImage, PixelFormat, RawImage, SourceError};

/// Resolution pages are rendered at when they fit the budget.
pub(super) const RENDER_DPI: f32 = 300.0;
/// Most pixels of a rendered page: 300 dpi up to about A3. The renderer holds four bytes a pixel
/// (64 MB) while drawing, the gray result one.
pub(super) const MAX_RENDER_PIXELS: f32 = 16_000_000.0;
/// Longest side of a rendered page. The renderer keeps sides in 16 bits (it panics past 65,535);
/// a page box of 7 × 92,612 points (found by fuzzing) is within the pixel budget but not this.
const MAX_RENDER_SIDE: f32 = 20_000.0;

/// Renders page `page` of the PDF in `bytes` (found by object id, or by `index` in page order
/// when the renderer's page tree does not show that object) to gray. The renderer shares
/// `bytes`; nothing of the file is copied.
pub(super) fn render_page(
    bytes: &Arc<[u8]>,
    page: lopdf::ObjectId,
    index: Option<usize>,
) -> Result<PageImage, SourceError> {
    // The renderer reads untrusted content: a panic inside it becomes this page's error
    // rather than the file's (or the batch's). Nothing it touched outlives the call.
    let Drawn { pixmap, scale } = catch_unwind(AssertUnwindSafe(|| draw(bytes, page, index)))
        .unwrap_or_else(|panic| {
            Err(not_drawn(&format!(
                "the renderer failed on it ({})",
                panic_message(panic.as_ref())
            )))
        })?;
    let (w, h) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    if w == 0 || h == 0 {
        return Err(not_drawn("it has no area"));
    }
    // Opaque on white, so premultiplied and straight colour agree.
    let data = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .map(|px| {
            ((u32::from(px[0]) * 299 + u32::from(px[1]) * 587 + u32::from(px[2]) * 114 + 500)
                / 1000) as u8
        })
        .collect();
    Ok(PageImage {
        pixels: ImageData::Raw(RawImage {
            width: w,
            height: h,
            format: PixelFormat::Gray8,
            data,
        }),
        quarter_turns: 0,
        dpi: Some((scale * 72.0).round() as u32),
        pixel_height: None,
    })
}

/// The rendered page and the scale it was drawn at.
struct Drawn {
    pixmap: Pixmap,
    scale: f32,
}

fn draw(
    bytes: &Arc<[u8]>,
    page: lopdf::ObjectId,
    index: Option<usize>,
) -> Result<Drawn, SourceError> {
    let pdf = Pdf::new(PdfData::from(Arc::new(Arc::clone(bytes)))).map_err(|e| match e {
        LoadPdfError::Decryption(_) => SourceError::PasswordProtected,
        LoadPdfError::Invalid => not_drawn("the renderer could not read the file's structure"),
    })?;
    let pages = pdf.pages();
    let position = pages
        .iter()
        .position(|p| {
            p.raw()
                .obj_id()
                .is_some_and(|id| id.obj_number == page.0 && id.gen_number == i32::from(page.1))
        })
        .or(index.filter(|&i| i < pages.len()))
        .ok_or_else(|| not_drawn("the renderer did not find it in the file's page tree"))?;
    let page = &pages[position];
    let (width, height) = page.render_dimensions();
    let scale = render_scale(width, height);
    let pixmap = hayro::render(
        page,
        &RenderCache::new(),
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    );
    Ok(Drawn { pixmap, scale })
}

fn not_drawn(why: &str) -> SourceError {
    SourceError::NotDrawn(format!("the page could not be drawn: {why}"))
}

/// What a caught panic said, on one line and briefly ("the renderer failed on it (…)").
fn panic_message(panic: &(dyn Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no reason given");
    let line = text.lines().next().unwrap_or_default().trim();
    match line.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// Pixels per point: 300 dpi, less when the page would exceed the pixel budget or the longest
/// side the renderer can draw.
pub(super) fn render_scale(width: f32, height: f32) -> f32 {
    let area = (width * height).max(1.0);
    let longest = width.max(height).max(1.0);
    (RENDER_DPI / 72.0)
        .min((MAX_RENDER_PIXELS / area).sqrt())
        .min(MAX_RENDER_SIDE / longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_pages_render_at_300_dpi_and_huge_ones_within_budget() {
        assert_eq!(render_scale(612.0, 792.0), RENDER_DPI / 72.0);
        let scale = render_scale(2160.0, 2160.0);
        let pixels = (2160.0 * scale) * (2160.0 * scale);
        assert!(pixels <= MAX_RENDER_PIXELS * 1.001, "{pixels}");
        assert!(scale < RENDER_DPI / 72.0);
    }

    #[test]
    fn a_long_thin_page_box_fits_the_renderer() {
        let scale = render_scale(7.0, 92_612.0);
        assert!(92_612.0 * scale <= MAX_RENDER_SIDE, "{scale}");
        assert!(render_scale(92_612.0, 7.0) * 92_612.0 <= MAX_RENDER_SIDE);
    }

    /// Fuzzing found a page 7 × 92,612 points large that made the renderer panic (caught, but
    /// the page was lost): it renders now.
    #[test]
    fn a_long_thin_page_renders_without_panicking() {
        use lopdf::{Document, Object, Stream, dictionary};
        let mut document = Document::with_version("1.5");
        let pages = document.new_object_id();
        let content = document.add_object(Stream::new(
            dictionary! {},
            b"0 0 0 rg 1 1 5 90000 re f".to_vec(),
        ));
        let page = document.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 7.into(), Object::Integer(92_612)],
        });
        document.objects.insert(
            pages,
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }.into(),
        );
        let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        document.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).expect("saves");
        let image = render_page(&Arc::from(bytes), page, Some(0)).expect("renders");
        let ImageData::Raw(raw) = image.pixels else {
            panic!("a rendering is raw pixels");
        };
        assert!(raw.height <= MAX_RENDER_SIDE as u32 && raw.height > 10_000);
    }
}
