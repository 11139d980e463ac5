//! Measures (bench/pdf-text.md; not part of the workspace, builds on its own): maintained crates' PDF text against i797's hand-written text layer.
//! For each PDF: per page, the hand-written text (i797_read PdfDocument), hayro-interpret's glyphs
//! laid out in lines, and pdf-extract's page text; each fed to the core (extract_notices) and
//! compared: same notices (number and every field), share of hand-written words present, time.
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hayro::hayro_interpret::font::GlyphRun;
use hayro::hayro_interpret::kurbo::{Affine, BezPath, Point, Rect};
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, TransformExt, interpret_page,
};
use hayro::hayro_syntax::{Pdf, PdfData};
use i797_core::PageText;
use i797_read::source::pdf::PdfDocument;
use i797_read::source::{Document, PageContent};

/// i797's own layout (glyphs in, layout text out), so that only the decoding differs.
#[path = "../../../crates/i797-read/src/source/pdf/layout.rs"]
#[allow(dead_code)]
mod layout;
use layout::Glyph;

struct G {
    x: f64,
    y: f64,
    size: f64,
    text: String,
}

#[derive(Default)]
struct Collect {
    glyphs: Vec<G>,
    laid: Vec<Glyph>,
    seq: usize,
}

impl<'a> Device<'a> for Collect {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, mode: &DrawMode) {
        if matches!(mode, DrawMode::Invisible) {
            return;
        }
        let mut run_glyphs: Vec<(f64, f64, f64, String)> = Vec::new();
        for g in run.glyphs() {
            let t: Affine = props.transform * g.transform();
            let o = t * Point::new(0.0, 0.0);
            let up = t * Point::new(0.0, 1.0);
            let size = ((up.x - o.x).powi(2) + (up.y - o.y).powi(2)).sqrt();
            let text = match g.as_unicode() {
                Some(hayro::hayro_interpret::hayro_cmap::BfString::Char(c)) => c.to_string(),
                Some(hayro::hayro_interpret::hayro_cmap::BfString::String(s)) => s,
                None => continue,
            };
            // Glyph space is 1/1000 of text space for Type 1 and CFF fonts (1/unitsPerEm for
            // TrueType, 1/2048 typically: those read about half size).
            run_glyphs.push((o.x, o.y, size * 1000.0, text.clone()));
            self.glyphs.push(G {
                x: o.x,
                y: o.y,
                size,
                text,
            });
        }
        for (i, (x, y, size, text)) in run_glyphs.iter().enumerate() {
            let x1 = match run_glyphs.get(i + 1) {
                Some(next) if (next.1 - y).abs() < 0.1 * size && next.0 > *x => next.0,
                _ => x + 0.5 * size,
            };
            self.seq += 1;
            self.laid.push(Glyph {
                text: text.clone(),
                x0: *x,
                x1,
                y: *y,
                size: *size,
                seq: self.seq,
                joined: i > 0,
            });
        }
    }
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

/// Lines top to bottom, glyphs left to right, a run of spaces for each gap of about a char.
fn lay_out(mut glyphs: Vec<G>, scale_em: f64) -> String {
    glyphs.retain(|g| g.size.is_finite() && g.size > 0.0);
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut lines: Vec<Vec<G>> = Vec::new();
    for g in glyphs {
        match lines.last_mut() {
            Some(line) if (line[0].y - g.y).abs() < 0.4 * line[0].size.max(g.size) * scale_em => {
                line.push(g)
            }
            _ => lines.push(vec![g]),
        }
    }
    let mut out = String::new();
    for mut line in lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut prev_x: Option<f64> = None;
        for g in &line {
            let cw = 0.5 * g.size * scale_em;
            if let Some(px) = prev_x {
                let gap = g.x - px - cw;
                if gap > 0.6 * cw && !out.ends_with(' ') && g.text != " " {
                    let n = ((gap / cw).round() as usize).clamp(1, 200);
                    out.extend(std::iter::repeat_n(' ', n));
                }
            }
            out.push_str(&g.text);
            prev_x = Some(g.x);
        }
        out.push('\n');
    }
    out
}

fn hayro_pages(bytes: &Arc<[u8]>) -> Result<Vec<String>, String> {
    let pdf = Pdf::new(PdfData::from(Arc::new(Arc::clone(bytes)))).map_err(|e| format!("{e:?}"))?;
    let mut out = Vec::new();
    for page in pdf.pages().iter() {
        let cache = InterpreterCache::new();
        let (w, h) = page.render_dimensions();
        let mut ctx = Context::new(
            page.initial_transform(true).to_kurbo(),
            Rect::new(0.0, 0.0, w as f64, h as f64),
            &cache,
            page.xref(),
            InterpreterSettings::default(),
        );
        let mut dev = Collect::default();
        interpret_page(page, &mut ctx, &mut dev);
        let _ = lay_out;
        out.push(if std::env::var_os("NAIVE").is_some() {
            lay_out(dev.glyphs, 1000.0)
        } else {
            layout::lay_out(dev.laid)
        });
    }
    Ok(out)
}

#[derive(Debug)]
enum Hand {
    Text(String),
    Image,
    Blank,
    Error(String),
}

fn hand_pages(bytes: &Arc<[u8]>) -> Result<Vec<Hand>, String> {
    let doc = PdfDocument::open(Arc::clone(bytes)).map_err(|e| e.to_string())?;
    Ok((0..doc.page_count())
        .map(|i| match doc.page(i) {
            Ok(PageContent::Text(t)) => Hand::Text(t.text),
            Ok(PageContent::Image(_)) => Hand::Image,
            Ok(PageContent::Blank) => Hand::Blank,
            Err(e) => Hand::Error(e.to_string()),
        })
        .collect())
}

fn notices(text: &str) -> Vec<String> {
    i797_core::extract_notices(&PageText::from_pdf_text(text))
        .into_iter()
        .map(|n| {
            format!(
                "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                n.number,
                n.form,
                n.notice_type,
                n.case_type,
                n.received_date,
                n.notice_date,
                n.priority_date,
                n.valid_from,
                n.valid_until,
                n.a_number,
                n.applicant,
                n.beneficiary,
                n.linked_receipt
            )
        })
        .collect()
}

/// Share of the reference's words (multiset) the other text has.
fn word_recall(reference: &str, other: &str) -> (usize, usize) {
    let mut have: HashMap<&str, usize> = HashMap::new();
    for w in other.split_whitespace() {
        *have.entry(w).or_default() += 1;
    }
    let (mut hit, mut all) = (0, 0);
    for w in reference.split_whitespace() {
        all += 1;
        if let Some(n) = have.get_mut(w)
            && *n > 0
        {
            *n -= 1;
            hit += 1;
        }
    }
    (hit, all)
}

fn timed<T>(f: impl FnOnce() -> T) -> (Result<T, String>, Duration) {
    let start = Instant::now();
    let r = catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into())
    });
    (
        r.map_err(|p| format!("PANIC {}", p.chars().take(60).collect::<String>())),
        start.elapsed(),
    )
}

fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let dump = std::env::var_os("DUMP").is_some();
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in std::env::args().skip(1) {
        let mut v: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
            .collect();
        v.sort();
        files.extend(v);
    }
    println!(
        "| file | pages (text/image/blank/err) | hand ms | hayro ms | pdf-extract ms | core same: hayro | core same: pdf-extract | words of hand text found: hayro | pdf-extract | notes |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut tot = [Duration::ZERO; 3];
    for path in files {
        let bytes: Arc<[u8]> = Arc::from(std::fs::read(&path).unwrap());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (hand, th) = timed(|| hand_pages(&bytes));
        let (hay, ty) = timed(|| hayro_pages(&bytes));
        let (ext, te) = timed(|| {
            pdf_extract::extract_text_from_mem_by_pages(&bytes).map_err(|e| e.to_string())
        });
        tot[0] += th;
        tot[1] += ty;
        tot[2] += te;
        let hand = hand.and_then(|r| r);
        let hay = hay.and_then(|r| r);
        let ext = ext.and_then(|r| r);
        let mut notes = Vec::new();
        let counts = match &hand {
            Ok(pages) => {
                let c = |f: fn(&Hand) -> bool| pages.iter().filter(|p| f(p)).count();
                format!(
                    "{}/{}/{}/{}",
                    c(|p| matches!(p, Hand::Text(_))),
                    c(|p| matches!(p, Hand::Image)),
                    c(|p| matches!(p, Hand::Blank)),
                    c(|p| matches!(p, Hand::Error(_)))
                )
            }
            Err(e) => {
                notes.push(format!("hand: {}", e.chars().take(50).collect::<String>()));
                "-".into()
            }
        };
        let compare = |other: &Result<Vec<String>, String>,
                       label: &str,
                       notes: &mut Vec<String>|
         -> (String, String) {
            let other = match other {
                Ok(o) => o,
                Err(e) => {
                    notes.push(format!(
                        "{label}: {}",
                        e.chars().take(50).collect::<String>()
                    ));
                    return ("fails".into(), "-".into());
                }
            };
            let Ok(hand) = &hand else {
                let chars: usize = other.iter().map(|p| p.split_whitespace().count()).sum();
                return ("-".into(), format!("({chars} words)"));
            };
            if other.len() != hand.len() {
                notes.push(format!("{label}: {} pages vs {}", other.len(), hand.len()));
            }
            let (mut same, mut pages, mut hit, mut all) = (0, 0, 0, 0);
            let mut extra_text = 0;
            for (i, h) in hand.iter().enumerate() {
                let o = other.get(i).map(String::as_str).unwrap_or("");
                match h {
                    Hand::Text(t) => {
                        pages += 1;
                        let (a, b) = (notices(t), notices(o));
                        if a == b && std::env::var_os("DUMPALL").is_none() {
                            same += 1;
                        } else if dump {
                            eprintln!(
                                "== {name} p{} {label}\nHAND {a:#?}\nOTHER {b:#?}\n--- hand text\n{t}\n--- other text\n{o}",
                                i + 1
                            );
                        }
                        let (h1, a1) = word_recall(t, o);
                        hit += h1;
                        all += a1;
                    }
                    _ => {
                        if o.split_whitespace().count() > 0 {
                            extra_text += 1;
                        }
                    }
                }
            }
            if extra_text > 0 {
                notes.push(format!(
                    "{label}: text on {extra_text} page(s) i797 reads as image/blank"
                ));
            }
            let recall = if all == 0 {
                "-".into()
            } else {
                format!("{:.1}%", 100.0 * hit as f64 / all as f64)
            };
            (
                if pages == 0 {
                    "-".into()
                } else {
                    format!("{same}/{pages}")
                },
                recall,
            )
        };
        let (sy, ry) = compare(&hay, "hayro", &mut notes);
        let (se, re) = compare(&ext, "pdf-extract", &mut notes);
        println!(
            "| {name} | {counts} | {} | {} | {} | {sy} | {se} | {ry} | {re} | {} |",
            th.as_millis(),
            ty.as_millis(),
            te.as_millis(),
            notes.join("; ")
        );
    }
    eprintln!(
        "total ms: hand {} hayro {} pdf-extract {}",
        tot[0].as_millis(),
        tot[1].as_millis(),
        tot[2].as_millis()
    );
}
