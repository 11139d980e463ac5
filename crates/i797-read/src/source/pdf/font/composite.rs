//! PDF reading, fonts: composite (Type 0) fonts — the code-splitting CMap, CIDs and the `/W`
//! widths of the descendant font. Must not: read ToUnicode data itself (`cmap.rs`).

use super::simple::find;
use super::*;

pub(super) fn load_composite(document: &Document, font: &Dictionary) -> Font {
    let (to_unicode, unicode_identity) = load_to_unicode(document, font);
    let descendant = get_array(document, font, b"DescendantFonts")
        .and_then(|a| a.first())
        .and_then(|d| as_dict(document, d));
    let (split, cids, utf16) = match get(document, font, b"Encoding") {
        Some(Object::Name(name)) if name.starts_with(b"Identity-") => {
            (Split::Two, Cids::Code, false)
        }
        Some(Object::Name(name)) => {
            let utf16 = name.starts_with(b"Uni")
                && (find(name, b"UCS2").is_some() || find(name, b"UTF16").is_some());
            (Split::Two, Cids::Unknown, utf16)
        }
        Some(Object::Stream(stream)) => match stream_data(stream).map(|d| CMap::parse(&d)) {
            Some(cmap) if cmap.has_codespace() => (Split::CMap(cmap), Cids::CMap, false),
            _ => (Split::Two, Cids::Code, false),
        },
        _ => (Split::Two, Cids::Code, false),
    };
    // A predefined multi-byte CMap that is not bundled (`90ms-RKSJ-H`): the ToUnicode map's
    // code space says how long the codes are.
    let split = match (split, &cids) {
        (Split::Two, Cids::Unknown) if !utf16 => match get(document, font, b"ToUnicode") {
            Some(Object::Stream(stream)) => stream_data(stream)
                .map(|d| CMap::parse(&d))
                .filter(CMap::has_codespace)
                .map_or(Split::Two, Split::CMap),
            _ => Split::Two,
        },
        (split, _) => split,
    };

    let mut default = 1000.0;
    let mut runs = Vec::new();
    if let Some(descendant) = descendant {
        if let Some(dw) = get_number(document, descendant, b"DW") {
            default = dw;
        }
        if let Some(w) = get_array(document, descendant, b"W") {
            runs = width_runs(document, w);
        }
    }
    Font {
        split,
        to_unicode,
        simple: None,
        utf16: utf16 || unicode_identity,
        cids,
        widths: Widths::Composite { default, runs },
        scale: 0.001,
        guessed: false,
    }
}

/// A CIDFont's `/W`: `c [w1 w2 …]` and `c_first c_last w` entries.
pub(super) fn width_runs(document: &Document, w: &[Object]) -> Vec<WidthRun> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(low) = resolve(document, &w[i]).and_then(number) else {
            i += 1;
            continue;
        };
        let low = low.max(0.0) as u32;
        match w.get(i + 1).and_then(|o| resolve(document, o)) {
            Some(Object::Array(list)) => {
                let widths: Vec<f64> = list
                    .iter()
                    .map(|o| resolve(document, o).and_then(number).unwrap_or(0.0))
                    .collect();
                if !widths.is_empty() {
                    runs.push(WidthRun {
                        low,
                        high: low.saturating_add(widths.len() as u32 - 1),
                        widths: RunWidths::Each(widths),
                    });
                }
                i += 2;
            }
            Some(high) => {
                let high = number(high).unwrap_or(0.0).max(0.0) as u32;
                let width = w
                    .get(i + 2)
                    .and_then(|o| resolve(document, o))
                    .and_then(number);
                if let Some(width) = width
                    && high >= low
                {
                    runs.push(WidthRun {
                        low,
                        high,
                        widths: RunWidths::Same(width),
                    });
                }
                i += 3;
            }
            None => break,
        }
    }
    runs.sort_by_key(|r| r.low);
    runs
}
