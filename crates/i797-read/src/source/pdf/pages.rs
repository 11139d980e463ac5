//! PDF reading, pages: the page list (from the page tree, or by scanning when the tree is
//! damaged), each page's inherited attributes, and its content bytes.
//!
//! Invariant: no walk here recurses or can loop: the tree is walked with an explicit stack and a
//! visited set, and `/Parent` chains are followed a bounded number of steps. The page list is
//! bounded ([`MAX_PAGES`] positions and one more) and loses no position: pages that are not read
//! (past the limits) are an entry that says why.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::objects::{as_dict, get, numbers, resolve, stream_data};

/// Deepest `/Parent` chain followed for inherited attributes.
const MAX_PARENTS: usize = 64;
/// Most decoded content bytes taken for one page (its streams together).
const MAX_CONTENT_BYTES: usize = 128 << 20;

/// Most pages read from one file: a petition packet with its exhibits runs to a few thousand.
/// The pages after these are reported, not read.
pub(super) const MAX_PAGES: usize = 10_000;
/// Most times a page tree may list a page object it already listed. The standard allows each
/// page one place (one `/Parent`), but files in the wild repeat a page now and then (qpdf's
/// `xref-compressed-in-compressed` test file lists page 8 again as page 28) and viewers show it
/// again: so a few repeats are read again. A tree with more repeats than this is read up to its
/// first repeat, and the rest reported.
pub(super) const MAX_REPEATS: usize = 10;

/// One position of the page list, in the page tree's order: the page numbers users see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Listed {
    Page(ObjectId),
    /// This position and every later one, to `last` (0-based), are not read.
    Rest {
        last: usize,
        why: Unread,
    },
}

/// Why the rest of a page tree is not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unread {
    /// More than [`MAX_PAGES`] pages.
    TooMany,
    /// More than [`MAX_REPEATS`] repeats in all; the first repeat lists position `of` again.
    Repeats { repeats: usize, of: usize },
}

impl Listed {
    /// Why the page at `index` (0-based) is not read, for the pages that are not.
    pub(super) fn not_read(&self, index: usize) -> Option<String> {
        let page = |i: usize| format!("page {}", i + 1);
        match *self {
            Listed::Page(_) => None,
            Listed::Rest { last, why } => {
                let rest = match last.saturating_sub(index) {
                    0 => "it was not read".to_string(),
                    n => format!(
                        "it and the {} after it (to page {}) were not read",
                        counted(n, "page"),
                        thousands(last + 1)
                    ),
                };
                let why = match why {
                    Unread::TooMany => format!(
                        "the file has {} pages, and at most {} are read from one file \
                         (split it to read the rest)",
                        thousands(last + 1),
                        thousands(MAX_PAGES)
                    ),
                    Unread::Repeats { repeats, of } => format!(
                        "the page tree lists pages it already listed again and again ({}; the \
                         first: this page is {} again), which no real PDF does",
                        counted(repeats, "repeat"),
                        page(of)
                    ),
                };
                Some(format!("{rest}: {why}"))
            }
        }
    }
}

fn counted(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{} {what}s", thousands(n)),
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The pages of a document in order. Walks the page tree from the catalog; when that yields
/// nothing (a damaged or missing tree), takes every `/Type /Page` object in object order, as
/// viewers do when they rebuild a broken file.
///
/// A page the tree lists but the file does not hold (a cut-off file lost it) stays in the list,
/// so that reading it fails and says so, rather than the page silently not being there. So do
/// pages past [`MAX_PAGES`] or past too many repeats: as one [`Listed::Rest`] entry, so the list
/// is bounded and every page not read is still there to say why.
pub(super) fn collect(document: &Document) -> Vec<Listed> {
    let mut tree = Tree::default();
    walk_tree(document, |id| tree.add(id));
    if !tree
        .pages
        .iter()
        .any(|id| document.objects.contains_key(id))
    {
        tree = Tree::default();
        for (&id, object) in &document.objects {
            if let Object::Dictionary(d) = object
                && d.get_type().is_ok_and(|t| t == b"Page")
            {
                tree.add(id);
            }
        }
    }
    tree.listing()
}

/// The page tree as walked: its first [`MAX_PAGES`] entries, and counts of all of them.
#[derive(Default)]
struct Tree {
    pages: Vec<ObjectId>,
    /// Every page object listed.
    distinct: HashSet<ObjectId>,
    listed: usize,
    repeats: usize,
}

impl Tree {
    fn add(&mut self, id: ObjectId) {
        if !self.distinct.insert(id) {
            self.repeats += 1;
        }
        if self.pages.len() < MAX_PAGES {
            self.pages.push(id);
        }
        self.listed += 1;
    }

    fn listing(self) -> Vec<Listed> {
        let mut first: HashMap<ObjectId, usize> = HashMap::new();
        let mut out = Vec::with_capacity(self.pages.len() + 1);
        for (index, &id) in self.pages.iter().enumerate() {
            match first.get(&id) {
                None => {
                    first.insert(id, index);
                    out.push(Listed::Page(id));
                }
                Some(&of) if self.repeats > MAX_REPEATS => {
                    let why = Unread::Repeats {
                        repeats: self.repeats,
                        of,
                    };
                    out.push(Listed::Rest {
                        last: self.listed - 1,
                        why,
                    });
                    return out;
                }
                // A few repeats: shown again, as viewers do.
                Some(_) => out.push(Listed::Page(id)),
            }
        }
        if self.listed > self.pages.len() {
            out.push(Listed::Rest {
                last: self.listed - 1,
                why: Unread::TooMany,
            });
        }
        out
    }
}

/// Calls `visit` with each page the tree lists, in order.
fn walk_tree(document: &Document, mut visit: impl FnMut(ObjectId)) {
    let Some(root) = document
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|r| as_dict(document, r))
        .and_then(|catalog| catalog.get(b"Pages").ok())
    else {
        return;
    };
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
            visit(*id);
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
        // A page listed twice is passed on twice (`collect` reports the repeat); an inner node
        // is entered once, so a loop ends and a shared subtree cannot multiply.
        if is_page {
            visit(*id);
        } else if let Some(kids) = kids
            && seen.insert(*id)
        {
            stack.push(kids.iter());
        }
    }
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

    /// A tree with `kids` (page objects by number, made as needed) under its root.
    fn tree(kids: &[u32]) -> (Document, Vec<ObjectId>) {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let count = kids.iter().max().map_or(0, |&n| n + 1);
        let pages: Vec<ObjectId> = (0..count)
            .map(|_| doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id }))
            .collect();
        let kids: Vec<Object> = kids.iter().map(|&n| pages[n as usize].into()).collect();
        doc.objects.insert(
            pages_id,
            dictionary! { "Type" => "Pages", "Kids" => kids }.into(),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        (doc, pages)
    }

    #[test]
    fn page_tree_loops_end_and_a_repeated_page_repeats() {
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
        // The repeated page is shown again, as viewers do; the loop adds nothing.
        assert_eq!(collect(&doc), vec![Listed::Page(page), Listed::Page(page)]);
    }

    #[test]
    fn a_tree_of_many_repeats_is_read_to_its_first_repeat_with_the_rest_reported() {
        // Pages 0 and 1, then page 0 listed 99,999 more times, then page 2.
        let mut kids = vec![0, 1];
        kids.extend(std::iter::repeat_n(0, 99_999));
        kids.push(2);
        let (doc, pages) = tree(&kids);
        let listed = collect(&doc);
        let why = Unread::Repeats {
            repeats: 99_999,
            of: 0,
        };
        assert_eq!(
            listed,
            vec![
                Listed::Page(pages[0]),
                Listed::Page(pages[1]),
                Listed::Rest { last: 100_001, why }
            ]
        );
        assert_eq!(
            listed[2].not_read(2).unwrap(),
            "it and the 99,999 pages after it (to page 100,002) were not read: the page tree \
             lists pages it already listed again and again (99,999 repeats; the first: this \
             page is page 1 again), which no real PDF does"
        );
        // A few repeats are read again, and everything else too.
        let mut kids = vec![0, 1];
        kids.extend(std::iter::repeat_n(1, MAX_REPEATS));
        kids.push(2);
        let (doc, pages) = tree(&kids);
        let listed = collect(&doc);
        assert_eq!(listed.len(), MAX_REPEATS + 3);
        assert_eq!(listed[2], Listed::Page(pages[1]));
        assert_eq!(listed.last(), Some(&Listed::Page(pages[2])));
    }

    #[test]
    fn pages_past_the_most_read_from_one_file_are_one_entry_that_says_so() {
        let kids: Vec<u32> = (0..MAX_PAGES as u32 + 5).collect();
        let (doc, _) = tree(&kids);
        let listed = collect(&doc);
        assert_eq!(listed.len(), MAX_PAGES + 1);
        let rest = listed[MAX_PAGES];
        assert_eq!(
            rest,
            Listed::Rest {
                last: MAX_PAGES + 4,
                why: Unread::TooMany
            }
        );
        assert_eq!(
            rest.not_read(MAX_PAGES).unwrap(),
            "it and the 4 pages after it (to page 10,005) were not read: the file has 10,005 \
             pages, and at most 10,000 are read from one file (split it to read the rest)"
        );
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
        assert_eq!(collect(&doc), vec![Listed::Page(page), Listed::Page(lost)]);
        // Only lost pages in the tree: the pages found by scanning, as for a broken tree.
        doc.objects.insert(
            pages_id,
            dictionary! { "Type" => "Pages", "Kids" => vec![lost.into()] }.into(),
        );
        assert_eq!(collect(&doc), vec![Listed::Page(page)]);
    }

    #[test]
    fn pages_are_found_without_a_tree() {
        let mut doc = Document::with_version("1.5");
        let a = doc.add_object(dictionary! { "Type" => "Page" });
        let b = doc.add_object(dictionary! { "Type" => "Page" });
        assert_eq!(collect(&doc), vec![Listed::Page(a), Listed::Page(b)]);
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
