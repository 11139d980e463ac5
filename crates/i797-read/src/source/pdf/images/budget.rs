//! The renderer's memory budget: `hayro` decodes every stream a page uses (content, forms,
//! fonts, images, annotation appearances) whole and without a size limit, so a few kilobytes of
//! Flate data inflating to gigabytes would take the machine's memory. Before a page is rendered,
//! each compressed stream it can reach is decoded here under a limit, and a page with a stream
//! over its limit is refused.
//!
//! Invariant: the check never holds more than one stream's decoded bytes, and never more than
//! that stream's limit of them (a trailing Flate filter is only counted, not kept); it visits at
//! most [`MAX_OBJECTS`] objects and never enters another page.

use std::collections::HashSet;
use std::io::Read;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::placement::{ImageSource, Placement};
use super::raw::{Filter, apply_byte_filters, filters};
use crate::source::SourceError;

/// Largest decoded size of a stream that is not an image (content, form, font, profile): the
/// text layer stops at this size too.
const MAX_STREAM_BYTES: usize = 64 << 20;
/// Largest decoded size of any one image stream, whatever its declared size.
const MAX_IMAGE_BYTES: usize = 256 << 20;
/// Most objects looked at for one page; a page reaching more is refused rather than checked in
/// part.
const MAX_OBJECTS: usize = 100_000;

/// Checks that every compressed stream page `page` can reach, and every inline image it draws,
/// decodes within its limit.
pub(super) fn check_page(
    document: &Document,
    page: ObjectId,
    drawn: &[Placement<'_>],
) -> Result<(), SourceError> {
    let Ok(page_dict) = document.get_dictionary(page) else {
        return Ok(());
    };
    let mut walk = Walk {
        document,
        seen: HashSet::from([page]),
        stack: Vec::new(),
        visited: 0,
    };
    walk.push_dict(page_dict);
    // Resources inherited from the page tree are reached through `/Parent`, which the walk
    // does not follow (it leads to every other page).
    if page_dict.get(b"Resources").is_err()
        && let Some(resources) = super::inherited(document, page, b"Resources")
    {
        walk.stack.push(resources);
    }
    walk.run()?;
    for placement in drawn {
        if let ImageSource::Inline(stream) = &placement.source {
            check_stream(document, stream)?;
        }
    }
    Ok(())
}

struct Walk<'a> {
    document: &'a Document,
    seen: HashSet<ObjectId>,
    stack: Vec<&'a Object>,
    visited: usize,
}

impl<'a> Walk<'a> {
    fn push_dict(&mut self, dict: &'a Dictionary) {
        for (key, value) in dict.iter() {
            // `/Parent` leads up the page tree (and from an annotation to its page), `/P` from
            // an annotation to its page: neither is drawn as part of this page.
            if key != b"Parent" && key != b"P" {
                self.stack.push(value);
            }
        }
    }

    fn run(&mut self) -> Result<(), SourceError> {
        while let Some(object) = self.stack.pop() {
            self.visited += 1;
            if self.visited > MAX_OBJECTS {
                return Err(SourceError::Other(
                    "the page refers to too many objects to be drawn safely".into(),
                ));
            }
            let object = match object {
                Object::Reference(id) => {
                    if !self.seen.insert(*id) {
                        continue;
                    }
                    match self.document.get_object(*id) {
                        Ok(object) => object,
                        Err(_) => continue,
                    }
                }
                direct => direct,
            };
            match object {
                Object::Array(items) => self.stack.extend(items),
                Object::Dictionary(dict) if !is_other_page(dict) => self.push_dict(dict),
                Object::Stream(stream) => {
                    check_stream(self.document, stream)?;
                    self.push_dict(&stream.dict);
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A page or page-tree node: links (`/Dest`, `/A`) reach them, but they are not drawn here.
fn is_other_page(dict: &Dictionary) -> bool {
    matches!(dict.get_type(), Ok(b"Page" | b"Pages"))
}

/// Decodes `stream`'s byte filters within its limit: `Err` when they give more.
fn check_stream(document: &Document, stream: &Stream) -> Result<(), SourceError> {
    let chain = filters(document, &stream.dict);
    // Bytes an image codec reads (JPEG, fax, JBIG2, JPEG 2000) are bounded by the codec's own
    // checks of the declared size; only the byte filters in front of it are checked here.
    let codec = chain.iter().position(|f| !is_byte_filter(f));
    let byte_filters = &chain[..codec.unwrap_or(chain.len())];
    if byte_filters.is_empty() {
        return Ok(());
    }
    let limit = match codec {
        Some(_) => super::raw::MAX_CODEC_BYTES,
        None => limit_of(document, &stream.dict),
    };
    if decoded_len_within(&stream.content, byte_filters, limit) {
        Ok(())
    } else {
        Err(SourceError::Other(format!(
            "a compressed part of the page is too large to read safely \
             (over {} MB once decompressed)",
            limit >> 20
        )))
    }
}

fn is_byte_filter(filter: &Filter) -> bool {
    [
        &b"FlateDecode"[..],
        b"LZWDecode",
        b"ASCII85Decode",
        b"ASCIIHexDecode",
        b"RunLengthDecode",
        b"Crypt",
    ]
    .iter()
    .any(|name| filter.is(name))
}

/// The most a stream may decode to: for an image, its declared size at up to four 16-bit
/// components, with a quarter to spare (some writers pad rows); for anything else,
/// [`MAX_STREAM_BYTES`].
fn limit_of(document: &Document, dict: &Dictionary) -> usize {
    let number = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|o| document.dereference(o).ok())
            .and_then(|(_, o)| o.as_i64().ok())
    };
    let is_image = matches!(dict.get(b"Subtype").and_then(Object::as_name), Ok(b"Image"))
        || dict.get(b"W").is_ok();
    if !is_image {
        return MAX_STREAM_BYTES;
    }
    let width = number(b"Width").or_else(|| number(b"W")).unwrap_or(0);
    let height = number(b"Height").or_else(|| number(b"H")).unwrap_or(0);
    let bits = number(b"BitsPerComponent")
        .or_else(|| number(b"BPC"))
        .unwrap_or(8)
        .clamp(1, 16);
    let (Ok(width), Ok(height), Ok(bits)) = (
        u64::try_from(width),
        u64::try_from(height),
        u64::try_from(bits),
    ) else {
        return 0;
    };
    let row = (width.saturating_mul(4).saturating_mul(bits)).div_ceil(8);
    let expected = row.saturating_mul(height);
    let limit = expected
        .saturating_add(expected / 4)
        .saturating_add(1 << 20);
    usize::try_from(limit).map_or(MAX_IMAGE_BYTES, |l| l.min(MAX_IMAGE_BYTES))
}

/// Does `data` decode through `chain` to at most `limit` bytes? A trailing Flate filter (the
/// usual case, and the one a bomb uses) is inflated in small pieces and counted, never kept.
fn decoded_len_within(data: &[u8], chain: &[Filter], limit: usize) -> bool {
    let (front, flate) = match chain.split_last() {
        Some((last, front)) if last.is(b"FlateDecode") => (front, true),
        _ => (chain, false),
    };
    let input = match apply_byte_filters(data, front, limit) {
        Ok(input) => input,
        // Over the limit, or undecodable: the renderer gets no further than this either, but
        // only the first is a reason to refuse the page.
        Err(SourceError::BadImage(reason)) => return !reason.contains("size limit"),
        Err(_) => return true,
    };
    if !flate {
        return input.len() <= limit;
    }
    // The renderer inflates as zlib; when that fails (even at the very end, on a bad checksum)
    // it tries raw deflate, then raw deflate past the zlib header, each time from the start and
    // keeping all it decoded. Count each attempt it would make.
    let past_header = input.get(2..).unwrap_or_default();
    let attempts: [&dyn Fn() -> (usize, bool); 3] = [
        &|| inflated_len(flate2::read::ZlibDecoder::new(&input[..]), limit),
        &|| inflated_len(flate2::read::DeflateDecoder::new(&input[..]), limit),
        &|| inflated_len(flate2::read::DeflateDecoder::new(past_header), limit),
    ];
    for attempt in attempts {
        let (len, finished) = attempt();
        if len > limit {
            return false;
        }
        if finished {
            break;
        }
    }
    true
}

/// How many bytes `decoder` gives before its end, an error, or `limit + 1` (whichever is
/// first), and whether it reached its end without an error.
fn inflated_len(mut decoder: impl Read, limit: usize) -> (usize, bool) {
    let mut buffer = vec![0u8; 64 << 10];
    let mut total = 0usize;
    loop {
        match decoder.read(&mut buffer) {
            Ok(0) => return (total, true),
            Ok(n) => {
                total += n;
                if total > limit {
                    return (total, false);
                }
            }
            Err(_) => return (total, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use lopdf::dictionary;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn flate() -> Vec<Filter> {
        vec![Filter {
            name: b"FlateDecode".to_vec(),
            params: None,
        }]
    }

    #[test]
    fn inflation_is_counted_up_to_the_limit() {
        let data = zlib(&vec![b' '; 3 << 20]);
        assert!(decoded_len_within(&data, &flate(), 3 << 20));
        assert!(!decoded_len_within(&data, &flate(), (3 << 20) - 1));
        // A damaged zlib header: raw deflate is counted instead, as the renderer would read it.
        let mut damaged = data.clone();
        damaged[0] = 0;
        assert!(!decoded_len_within(&damaged, &flate(), 1 << 20));
        assert!(decoded_len_within(b"not deflate at all", &flate(), 10));
    }

    #[test]
    fn images_may_decode_to_their_declared_size_and_no_more() {
        let document = Document::new();
        let image = |w: i64, h: i64| {
            dictionary! { "Subtype" => "Image", "Width" => w, "Height" => h,
            "BitsPerComponent" => 8 }
        };
        // 4000 × 4000 at up to four components: 64 MB, plus a quarter, plus 1 MB.
        assert_eq!(
            limit_of(&document, &image(4000, 4000)),
            80_000_000 + (1 << 20)
        );
        assert_eq!(
            limit_of(&document, &image(100_000, 100_000)),
            MAX_IMAGE_BYTES
        );
        assert_eq!(limit_of(&document, &image(-5, 10)), 0);
        assert_eq!(limit_of(&document, &dictionary! {}), MAX_STREAM_BYTES);
    }

    #[test]
    fn a_content_stream_bomb_is_refused_and_a_normal_page_passes() {
        let mut document = Document::with_version("1.5");
        let bomb = zlib(&vec![b' '; (MAX_STREAM_BYTES) + 1]);
        let content =
            document.add_object(Stream::new(dictionary! { "Filter" => "FlateDecode" }, bomb));
        let page = document.add_object(dictionary! { "Type" => "Page", "Contents" => content });
        let error = check_page(&document, page, &[]).unwrap_err();
        assert!(error.to_string().contains("too large"), "{error}");

        let small = document.add_object(Stream::new(
            dictionary! { "Filter" => "FlateDecode" },
            zlib(b"BT /F1 10 Tf (hello) Tj ET"),
        ));
        let other = document.add_object(dictionary! { "Type" => "Page", "Contents" => small });
        check_page(&document, other, &[]).unwrap();
    }

    #[test]
    fn the_walk_does_not_wander_into_other_pages() {
        let mut document = Document::with_version("1.5");
        let bomb = document.add_object(Stream::new(
            dictionary! { "Filter" => "FlateDecode" },
            zlib(&vec![0; MAX_STREAM_BYTES + 1]),
        ));
        let other = document.add_object(dictionary! { "Type" => "Page", "Contents" => bomb });
        let tree =
            document.add_object(dictionary! { "Type" => "Pages", "Kids" => vec![other.into()] });
        let link = dictionary! { "Subtype" => "Link", "Dest" => vec![other.into(), "Fit".into()] };
        let page = document.add_object(dictionary! {
            "Type" => "Page", "Parent" => tree, "Annots" => vec![link.into()],
        });
        check_page(&document, page, &[]).unwrap();
        assert!(check_page(&document, other, &[]).is_err());
    }
}
