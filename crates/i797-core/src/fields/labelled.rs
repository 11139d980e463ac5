//! A field's value found through its label: the first value under or beside a label of the
//! field's kinds that its grammar reads. Every field reader goes through here, so what "read",
//! "there but unreadable" and "not there" mean is decided once.

use std::ops::Range;

use crate::layout::{LabelKind, Layout, Value};

/// How one value read for a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Parsed<T> {
    Ok(T),
    /// Read, but with a doubt worth a look.
    Doubtful(T),
    /// There, but unreadable.
    Bad,
    /// Not there.
    Empty,
}

/// The first value of a label of `kinds` within `lines` that reads; `unclear` when something was
/// there and none read, or when the value read only with a doubt.
pub(crate) fn labelled<T>(
    layout: &Layout,
    lines: &Range<usize>,
    kinds: &[LabelKind],
    parse: impl Fn(&Value) -> Parsed<T>,
) -> (Option<T>, bool) {
    let mut bad = false;
    for hit in layout.hits_in(lines) {
        let h = layout.hits[hit];
        if !h.is_label || !kinds.contains(&h.kind) {
            continue;
        }
        for value in layout.values(hit) {
            match parse(&value) {
                // Readable, but it may be the next column's: not taken.
                Parsed::Ok(_) | Parsed::Doubtful(_) if value.shared => bad = true,
                Parsed::Ok(v) => return (Some(v), false),
                Parsed::Doubtful(v) => return (Some(v), true),
                Parsed::Bad => bad = true,
                Parsed::Empty => {}
            }
        }
    }
    (None, bad)
}
