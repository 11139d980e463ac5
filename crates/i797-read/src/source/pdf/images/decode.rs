//! A page's one scanned image, decoded for OCR: the image stream found, its filters undone per
//! codec (JPEG and Group 4 fax kept encoded for Leptonica, JBIG2, JPEG 2000 and raw samples
//! decoded here), ink made black on white and the picture turned as the page shows it.
//! Invariant: the pixel budget is checked before any decoding. Must not: choose which image is
//! the page's picture (`images.rs`).

use std::sync::Arc;

use lopdf::{Dictionary, Document, Object, Stream};

use super::super::super::{ImageData, PageImage, RawImage, SourceError};
use super::placement::{ImageSource, Placement, Resources, dimensions, resolve};
use super::raster::{self, MAX_GRAY_PIXELS, check_source};
use super::{Frame, Geometry, MAX_COLOUR_JPEG_PIXELS, ccitt, jbig2, jpeg, jpx, raw};

/// What decoding must produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Need {
    /// Anything, encoded bytes preferred.
    Any,
    /// Decoded pixels (to flip or compose them).
    Pixels,
}

/// A decoded image and the size of the source it came from (for the resolution).
pub(super) struct Decoded {
    pub(super) pixels: ImageData,
    pub(super) width: u32,
    pub(super) source_width: u32,
}

pub(super) fn picture_of(
    document: &Document,
    placement: &Placement<'_>,
    geometry: &Geometry,
) -> Result<PageImage, SourceError> {
    let frame = Frame::of(
        placement.ctm,
        placement.width,
        placement.height,
        geometry.rotate,
    );
    let need = if frame.mirrored {
        Need::Pixels
    } else {
        Need::Any
    };
    let stream = image_stream(document, placement)?;
    let mut decoded = decode_image(document, stream, &placement.resources, need)?;
    if frame.mirrored
        && let ImageData::Raw(raw) = &mut decoded.pixels
    {
        raster::flip_rows(raw);
    }
    Ok(PageImage {
        dpi: scaled_dpi(frame.dpi(), decoded.width, decoded.source_width),
        pixel_height: frame.pixel_height(),
        pixels: decoded.pixels,
        quarter_turns: frame.quarter_turns,
    })
}

pub(super) fn scaled_dpi(dpi: f64, width: u32, source_width: u32) -> Option<u32> {
    let dpi = dpi * f64::from(width) / f64::from(source_width.max(1));
    (36.0..=2400.0).contains(&dpi).then(|| dpi.round() as u32)
}

pub(super) fn image_stream<'a>(
    document: &'a Document,
    placement: &'a Placement<'_>,
) -> Result<&'a Stream, SourceError> {
    match &placement.source {
        ImageSource::XObject(id) => document
            .get_object(*id)
            .and_then(Object::as_stream)
            .map_err(|e| SourceError::Damaged(format!("image object {} missing: {e}", id.0))),
        ImageSource::Inline(stream) => Ok(stream),
    }
}

/// Decodes an image stream by its filters.
pub(super) fn decode_image(
    document: &Document,
    stream: &Stream,
    resources: &Resources<'_>,
    need: Need,
) -> Result<Decoded, SourceError> {
    let dict = &stream.dict;
    let (width, height) = dimensions(document, dict);
    check_source(width, height)?;
    let filters = raw::filters(document, dict);
    let codec = filters.iter().position(|f| {
        matches!(
            f.name.as_slice(),
            b"DCTDecode" | b"CCITTFaxDecode" | b"JBIG2Decode" | b"JPXDecode"
        )
    });
    let Some(codec) = codec else {
        let image = raw::decode(document, dict, &stream.content, &filters, resources)?;
        return Ok(raw_decoded(image, width));
    };
    if codec + 1 != filters.len() {
        return Err(SourceError::BadImage(
            "image filters continue after an image codec".to_string(),
        ));
    }
    let data = raw::apply_byte_filters(&stream.content, &filters[..codec], raw::MAX_CODEC_BYTES)?;
    let filter = &filters[codec];
    let inverted = raw::decode_inverted(document, dict);
    match filter.name.as_slice() {
        b"DCTDecode" => decode_jpeg(&data, inverted, need),
        b"CCITTFaxDecode" => {
            let params = ccitt::Params::read(filter.params.as_ref(), width, height);
            // Sample 0 is ink (black in DeviceGray, painted in a stencil) unless /Decode inverts;
            // code-black runs are sample 1 when /BlackIs1.
            let coded_black_is_ink = params.black_is_1 == inverted;
            if need == Need::Any && params.fits_tiff() {
                return Ok(Decoded {
                    pixels: ImageData::Encoded {
                        bytes: Arc::from(ccitt::tiff(&data, &params, coded_black_is_ink)),
                        frame: 0,
                    },
                    width: params.columns,
                    source_width: params.columns,
                });
            }
            let image = ccitt::decode(&data, &params, coded_black_is_ink)?;
            Ok(raw_decoded(image, params.columns))
        }
        b"JBIG2Decode" => {
            let globals = jbig2_globals(document, filter.params.as_ref())?;
            // JBIG2 black is PDF sample 0: ink unless /Decode inverts.
            let image = jbig2::decode(&data, globals.as_deref(), !inverted)?;
            Ok(raw_decoded(image, width))
        }
        _ => {
            let image = jpx::decode(&data)?;
            Ok(raw_decoded(image, width))
        }
    }
}

pub(super) fn raw_decoded(image: RawImage, source_width: u32) -> Decoded {
    Decoded {
        width: image.width,
        pixels: ImageData::Raw(image),
        source_width,
    }
}

pub(super) fn jbig2_globals(
    document: &Document,
    params: Option<&Dictionary>,
) -> Result<Option<Vec<u8>>, SourceError> {
    let Some(globals) = params.and_then(|p| p.get(b"JBIG2Globals").ok()) else {
        return Ok(None);
    };
    let Ok(stream) = resolve(document, globals).as_stream() else {
        return Ok(None);
    };
    let data = if stream.dict.has(b"Filter") {
        stream
            .decompressed_content_with_limit(raw::MAX_CODEC_BYTES)
            .map_err(|e| SourceError::BadImage(format!("JBIG2 globals unreadable: {e}")))?
    } else {
        stream.content.clone()
    };
    Ok(Some(data))
}

pub(super) fn decode_jpeg(data: &[u8], inverted: bool, need: Need) -> Result<Decoded, SourceError> {
    let info = jpeg::info(data)
        .ok_or_else(|| SourceError::BadImage("DCT image data is not a JPEG".to_string()))?;
    check_source(info.width, info.height)?;
    let pixels = u64::from(info.width) * u64::from(info.height);
    let budget = if info.components == 1 {
        MAX_GRAY_PIXELS
    } else {
        MAX_COLOUR_JPEG_PIXELS
    };
    // CMYK JPEGs: Leptonica reads Adobe's inverted form (APP14 marker) itself; the inverting
    // /Decode that PDF writers add for such JPEGs says the same thing, so it is not applied again.
    let inverted = inverted && info.components != 4;
    if need == Need::Any && !inverted && pixels <= budget {
        return Ok(Decoded {
            pixels: ImageData::Encoded {
                bytes: Arc::from(data),
                frame: 0,
            },
            width: info.width,
            source_width: info.width,
        });
    }
    let image = jpeg::decode_gray(data, info, MAX_GRAY_PIXELS, inverted)?;
    Ok(raw_decoded(image, info.width))
}
