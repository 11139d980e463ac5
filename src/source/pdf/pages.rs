//! PDF reading, pages: the page list (from the page tree, or by scanning when the tree is
//! damaged), each page's inherited attributes, and its content bytes.
//!
//! Invariant: no walk here recurses or can loop: the tree is walked with an explicit stack and a
//! visited set, and `/Parent` chains are followed a bounded number of steps.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::objects::{as_dict, get, numbers, resolve, stream_data};

/// Deepest `/Parent` chain followed for inherited attributes.
const MAX_PARENTS: usize = 64;
/// Most decoded content bytes taken for one page (its streams together).
const MAX_CONTENT_BYTES: usize = 128 << 20;

/// The pages of a document in order. Walks the page tree from the catalog; when that yields
/// nothing (a damaged or missing tree), takes every `/Type /Page` object in object order, as
/// viewers do when they rebuild a broken file.
///
/// A page the tree lists but the file does not hold (a cut-off file lost it) stays in the list,
/// so that reading it fails and says so, rather than the page silently not being there.
pub(super) fn collect(document: &Document) -> Vec<ObjectId> {
    let pages = walk_tree(document);
    if pages.iter().any(|id| document.objects.contains_key(id)) {
        return pages;
    }
    document
        .objects
        .iter()
        .filter(|(_, object)| match object {
            Object::Dictionary(d) => d.get_type().is_ok_and(|t| t == b"Page"),
            _ => false,
        })
        .map(|(&id, _)| id)
        .collect()
}

fn walk_tree(document: &Document) -> Vec<ObjectId> {
    let Some(root) = document
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|r| as_dict(document, r))
        .and_then(|catalog| catalog.get(b"Pages").ok())
    else {
        return Vec::new();
    };
    let mut pages = Vec::new();
    let mut seen = HashSet::new();
    // Each entry: the kids still to visit at one level of the tree.
    let mut stack: Vec<std::slice::Iter<'_, Object>> = vec![std::slice::from_ref(root).iter()];
    while let Some(level) = stack.last_mut() {
        let Some(kid) = level.next() else {
            stack.pop();
            continue;
        };
        let Object::Reference(id) = kid else {
            continue;
        };
        if !document.objects.contains_key(id) {
            pages.push(*id);
            continue;
        }
        let Some(node) = document.objects.get(id).and_then(|o| match o {
            Object::Dictionary(d) => Some(d),
            _ => None,
        }) else {
            continue;
        };
        let kids = match get(document, node, b"Kids") {
            Some(Object::Array(kids)) => Some(kids),
            _ => None,
        };
        let is_page = match node.get_type() {
            Ok(b"Page") => true,
            Ok(b"Pages") => false,
            // Untyped nodes: a node with kids is an inner node, anything else a page.
            _ => kids.is_none(),
        };
        // A page listed twice is shown twice, as viewers do; an inner node is entered once, so
        // a loop ends and a shared subtree cannot multiply.
        if is_page {
            pages.push(*id);
        } else if let Some(kids) = kids
            && seen.insert(*id)
        {
            stack.push(kids.iter());
        }
    }
    pages
}

/// Whether the document really has no pages: an intact page tree with no kids, as opposed to a
/// tree that points at pages that are not there.
pub(super) fn tree_is_empty(document: &Document) -> bool {
    let root = document
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|r| as_dict(document, r))
        .and_then(|catalog| catalog.get(b"Pages").ok())
        .and_then(|p| as_dict(document, p));
    document.xref_recovery.is_none()
        && matches!(root.and_then(|r| get(document, r, b"Kids")), Some(Object::Array(kids)) if kids.is_empty())
}

/// A page attribute, inherited from the page tree when the page does not set it.
pub(super) fn inherited<'a>(
    document: &'a Document,
    page: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..MAX_PARENTS {
        if let Some(value) = get(document, node, key) {
            return Some(value);
        }
        node = node
            .get(b"Parent")
            .ok()
            .and_then(|p| as_dict(document, p))?;
    }
    None
}

/// What part of a page is shown, and how it is turned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct View {
    /// The visible rectangle (crop box within the media box), in user space: x0, y0, x1, y1.
    pub rect: [f64; 4],
    /// Clockwise rotation for display: 0, 90, 180 or 270.
    pub rotate: u16,
}

impl View {
    pub(super) fn of(document: &Document, page: &Dictionary) -> View {
        let rect_of = |key: &[u8]| {
            let object = inherited(document, page, key)?;
            let Object::Array(values) = object else {
                return None;
            };
            let v = numbers(document, values)?;
            let rect = [v.first()?, v.get(1)?, v.get(2)?, v.get(3)?];
            let rect = [
                rect[0].min(*rect[2]),
                rect[1].min(*rect[3]),
                rect[0].max(*rect[2]),
                rect[1].max(*rect[3]),
            ];
            (rect[2] - rect[0] >= 1.0 && rect[3] - rect[1] >= 1.0).then_some(rect)
        };
        let media = rect_of(b"MediaBox").unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let rect = match rect_of(b"CropBox") {
            Some(crop) => {
                let r = [
                    crop[0].max(media[0]),
                    crop[1].max(media[1]),
                    crop[2].min(media[2]),
                    crop[3].min(media[3]),
                ];
                if r[2] - r[0] >= 1.0 && r[3] - r[1] >= 1.0 {
                    r
                } else {
                    media
                }
            }
            None => media,
        };
        let rotate = inherited(document, page, b"Rotate")
            .and_then(|r| resolve(document, r))
            .and_then(super::objects::number)
            .unwrap_or(0.0);
        let quarter = ((rotate / 90.0).round() as i64).rem_euclid(4);
        View {
            rect,
            rotate: (quarter * 90) as u16,
        }
    }

    /// Width and height as displayed (after rotation).
    pub(super) fn size(&self) -> (f64, f64) {
        let (w, h) = (self.rect[2] - self.rect[0], self.rect[3] - self.rect[1]);
        if self.rotate.is_multiple_of(180) {
            (w, h)
        } else {
            (h, w)
        }
    }
}

/// The page's content: its content streams decoded and joined. A stream lopdf could not parse
/// is salvaged from the file `bytes`; one that cannot be decoded is left out, like a viewer draws
/// the rest of the page.
pub(super) fn content(document: &Document, bytes: &[u8], page: &Dictionary) -> Vec<u8> {
    let mut out = Vec::new();
    // Not resolved here: a reference to a stream lopdf lost must reach the salvage below.
    let Ok(contents) = page.get(b"Contents") else {
        return out;
    };
    let streams: Vec<&Object> = match resolve(document, contents) {
        Some(Object::Array(items)) => items.iter().collect(),
        _ => vec![contents],
    };
    for item in streams {
        if out.len() >= MAX_CONTENT_BYTES {
            break;
        }
        let data = match (resolve(document, item), item) {
            (Some(Object::Stream(stream)), _) => stream_data(stream),
            (None, Object::Reference(id)) => super::salvage::stream(document, bytes, *id),
            _ => None,
        };
        if let Some(data) = data {
            out.extend_from_slice(&data);
            out.push(b'\n');
        }
    }
    out
}

/// The page's `/Resources`, inherited.
pub(super) fn resources<'a>(
    document: &'a Document,
    page: &'a Dictionary,
) -> Option<&'a Dictionary> {
    inherited(document, page, b"Resources").and_then(|r| as_dict(document, r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn page_tree_loops_end_and_repeated_pages_repeat() {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let loop_a = doc.new_object_id();
        let loop_b = doc.new_object_id();
        let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id });
        doc.objects.insert(
            loop_a,
            dictionary! { "Type" => "Pages", "Kids" => vec![loop_b.into()] }.into(),
        );
        doc.objects.insert(
            loop_b,
            dictionary! { "Type" => "Pages", "Kids" => vec![loop_a.into(), pages_id.into()] }
                .into(),
        );
        doc.objects.insert(
            pages_id,
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into(), loop_a.into(), page.into()] }
                .into(),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        assert_eq!(collect(&doc), vec![page, page]);
    }

    #[test]
    fn a_listed_page_the_file_lost_stays_listed_unless_none_is_left() {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id });
        let lost = (page.0 + 10, 0);
        doc.objects.insert(
            pages_id,
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into(), lost.into()] }.into(),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        assert_eq!(collect(&doc), vec![page, lost]);
        // Only lost pages in the tree: the pages found by scanning, as for a broken tree.
        doc.objects.insert(
            pages_id,
            dictionary! { "Type" => "Pages", "Kids" => vec![lost.into()] }.into(),
        );
        assert_eq!(collect(&doc), vec![page]);
    }

    #[test]
    fn pages_are_found_without_a_tree() {
        let mut doc = Document::with_version("1.5");
        let a = doc.add_object(dictionary! { "Type" => "Page" });
        let b = doc.add_object(dictionary! { "Type" => "Page" });
        assert_eq!(collect(&doc), vec![a, b]);
    }

    #[test]
    fn view_inherits_and_normalises() {
        let mut doc = Document::with_version("1.5");
        let parent = doc.add_object(dictionary! {
            "Type" => "Pages", "MediaBox" => vec![612.into(), 792.into(), 0.into(), 0.into()],
            "Rotate" => -90,
        });
        let page = dictionary! { "Type" => "Page", "Parent" => parent,
        "CropBox" => vec![10.into(), 10.into(), 700.into(), 400.into()] };
        let view = View::of(&doc, &page);
        assert_eq!(view.rect, [10.0, 10.0, 612.0, 400.0]);
        assert_eq!(view.rotate, 270);
        assert_eq!(view.size(), (390.0, 602.0));
    }
}
