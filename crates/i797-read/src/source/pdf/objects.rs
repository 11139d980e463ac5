//! PDF reading, object access: lenient lookups in a loaded document. A missing key, a dangling
//! reference or a value of the wrong type all read as "absent", because damaged files are full of
//! them and a viewer carries on.

use lopdf::{Dictionary, Document, Object, Stream};

/// Largest decoded size accepted for one content stream, font program or CMap. Real ones are a
/// few megabytes at most; this stops a small compressed stream from inflating without limit.
const MAX_STREAM_BYTES: usize = 64 << 20;

/// Follows references (a bounded number of them) to the object itself; `None` when one dangles.
pub(super) fn resolve<'a>(document: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match document.dereference(object) {
        Ok((_, Object::Null)) | Err(_) => None,
        Ok((_, object)) => Some(object),
    }
}

/// `dictionary[key]`, references followed.
pub(super) fn get<'a>(
    document: &'a Document,
    dictionary: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    resolve(document, dictionary.get(key).ok()?)
}

/// The dictionary an object is or refers to (a stream's dictionary counts).
pub(super) fn as_dict<'a>(document: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    match resolve(document, object)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub(super) fn get_dict<'a>(
    document: &'a Document,
    dictionary: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    as_dict(document, dictionary.get(key).ok()?)
}

/// The entry `name` of the `/XObject` dictionary in `resources` (a reference, usually).
pub(super) fn xobject_entry<'a>(
    document: &'a Document,
    resources: Option<&'a Dictionary>,
    name: &[u8],
) -> Option<&'a Object> {
    get_dict(document, resources?, b"XObject")?.get(name).ok()
}

pub(super) fn get_stream<'a>(
    document: &'a Document,
    dictionary: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Stream> {
    match get(document, dictionary, key)? {
        Object::Stream(s) => Some(s),
        _ => None,
    }
}

pub(super) fn get_name<'a>(
    document: &'a Document,
    dictionary: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [u8]> {
    match get(document, dictionary, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

pub(super) fn get_number(document: &Document, dictionary: &Dictionary, key: &[u8]) -> Option<f64> {
    number(get(document, dictionary, key)?)
}

pub(super) fn get_array<'a>(
    document: &'a Document,
    dictionary: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [Object]> {
    match get(document, dictionary, key)? {
        Object::Array(a) => Some(a),
        _ => None,
    }
}

pub(super) fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) if r.is_finite() => Some(f64::from(*r)),
        _ => None,
    }
}

/// Numbers of an array, references followed; `None` if any element is not a number.
pub(super) fn numbers(document: &Document, array: &[Object]) -> Option<Vec<f64>> {
    array
        .iter()
        .map(|o| resolve(document, o).and_then(number))
        .collect()
}

/// A stream's decoded bytes: `None` when its filters cannot be decoded (image codecs, damage)
/// or it would decode to more than [`MAX_STREAM_BYTES`].
pub(super) fn stream_data(stream: &Stream) -> Option<Vec<u8>> {
    stream
        .decompressed_content_with_limit(MAX_STREAM_BYTES)
        .ok()
}
