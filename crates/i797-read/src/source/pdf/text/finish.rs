//! PDF reading, text layer: from the glyphs drawn to the [`TextLayer`]: visible and hidden
//! text laid out per reading direction, glyph text made plain, fonts whose guessed encoding
//! drew control codes counted as unknown. Must not: place glyphs on lines itself (`layout.rs`).

use super::TextLayer;
use super::interpreter::Interpreter;
use crate::source::pdf::layout::{Glyph, lay_out};

impl Interpreter<'_> {
    pub(super) fn finish(self) -> TextLayer {
        let mut layer = TextLayer {
            image_cover: self.image_cover,
            paths: self.paths,
            ..TextLayer::default()
        };
        let (width, height) = (self.width, self.height);
        // A guessed encoding that yields many control codes is a font numbering its glyphs:
        // none of its text can be trusted.
        let garbled: std::collections::HashSet<usize> = self
            .guessed_codes
            .iter()
            .filter(|(_, counts)| counts.0 * 10 > counts.1 * 3)
            .map(|(&key, _)| key)
            .collect();
        // [visible, hidden] × four directions.
        let mut groups: [[Vec<Glyph>; 4]; 2] = Default::default();
        for drawn in self.glyphs {
            let (x, y) = drawn.start;
            let margin = drawn.size * 0.5;
            let on_page =
                x >= -margin && x <= width + margin && y >= -margin && y <= height + margin;
            let sized = drawn.size > 0.0;
            if !on_page || !sized {
                continue;
            }
            let garbage = drawn.guessed_font.is_some_and(|f| garbled.contains(&f));
            let Some(text) = drawn.text.filter(|_| !garbage).and_then(clean) else {
                if drawn.visible {
                    layer.unknown_glyphs += 1;
                }
                continue;
            };
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            if drawn.visible {
                layer.visible_chars += chars;
            } else {
                layer.hidden_chars += chars;
            }
            let (x0, y0) = turn(drawn.start, drawn.direction);
            let (x1, _) = turn(drawn.end, drawn.direction);
            groups[usize::from(!drawn.visible)][usize::from(drawn.direction)].push(Glyph {
                text,
                x0: x0.min(x1),
                x1: x0.max(x1),
                y: y0,
                size: drawn.size,
                seq: drawn.seq,
                joined: drawn.joined,
            });
        }
        let [visible, hidden] = groups;
        layer.visible = lay_out_directions(visible);
        layer.hidden = lay_out_directions(hidden);
        layer
    }
}

/// Lays out each reading direction on its own, the one with most text first.
fn lay_out_directions(groups: [Vec<Glyph>; 4]) -> String {
    let mut groups: Vec<Vec<Glyph>> = groups.into_iter().filter(|g| !g.is_empty()).collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    let mut out = String::new();
    for group in groups {
        let text = lay_out(group);
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

/// Turns a display-space point into the reading frame of text running in `direction`
/// (quarter turns clockwise): x along the text, y down its lines.
fn turn((x, y): (f64, f64), direction: u8) -> (f64, f64) {
    match direction {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

/// A glyph's text made plain: ligatures spelled out, no-break spaces as spaces, control and
/// private-use characters refused (`None`: the glyph's text is unknown).
fn clean(text: String) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{3000}' => out.push(' '),
            '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{FEFF}' => {}
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c) || c == '\u{FFFD}' => {
                return None;
            }
            c => out.push(c),
        }
    }
    if out.is_empty() { None } else { Some(out) }
}
