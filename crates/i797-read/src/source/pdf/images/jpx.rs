//! JPEG 2000 images (`/JPXDecode`), decoded with `hayro-jpeg2000` to gray. Invariant: a large
//! codestream is decoded at a lower resolution level, so the decoder's working memory (four bytes
//! per sample) stays near `MAX_JPX_PIXELS`.

use super::raster::{RowSink, check_source, reduction};
use crate::source::{RawImage, SourceError};

/// Pixels decoded at most: 12 MP of RGB is about 150 MB of decoder state.
const MAX_JPX_PIXELS: u64 = 12_000_000;

pub(crate) fn decode(data: &[u8]) -> Result<RawImage, SourceError> {
    let failed = |e: hayro_jpeg2000::DecodeError| {
        SourceError::BadImage(format!("JPEG 2000 image could not be decoded: {e:?}"))
    };
    let mut settings = hayro_jpeg2000::DecodeSettings::default();
    let probe = hayro_jpeg2000::Image::new(data, &settings).map_err(failed)?;
    let (width, height) = (probe.width(), probe.height());
    check_source(width, height)?;
    let factor = reduction(width, height, MAX_JPX_PIXELS);
    if factor > 1 {
        settings.target_resolution = Some((width.div_ceil(factor), height.div_ceil(factor)));
    }
    let image = hayro_jpeg2000::Image::new(data, &settings).map_err(failed)?;
    let (width, height) = (image.width(), image.height());
    if u64::from(width) * u64::from(height) > MAX_JPX_PIXELS * 4 {
        // No lower resolution level was available.
        return Err(SourceError::TooLarge {
            width: u64::from(width),
            height: u64::from(height),
        });
    }
    let colour = image.color_space().clone();
    let mut context = hayro_jpeg2000::DecoderContext::default();
    let decoded = image.decode(&mut context).map_err(failed)?;
    let samples = decoded.data_u8();
    let pixels = width as usize * height as usize;
    if pixels == 0 || samples.len() < pixels {
        return Err(SourceError::BadImage(
            "JPEG 2000 image has no pixels".to_string(),
        ));
    }
    // Alpha, when present, is the last channel; it is ignored.
    let channels = samples.len() / pixels;
    let colours = usize::from(colour.num_channels()).clamp(1, channels);
    let mut sink = RowSink::gray(width, height);
    let mut row = vec![255u8; width as usize];
    for line in samples.chunks_exact(width as usize * channels) {
        for (out, px) in row.iter_mut().zip(line.chunks_exact(channels)) {
            *out = match colours {
                3 => {
                    ((u32::from(px[0]) * 299
                        + u32::from(px[1]) * 587
                        + u32::from(px[2]) * 114
                        + 500)
                        / 1000) as u8
                }
                4 => {
                    let ink = u32::from(px[0]) * 30 + u32::from(px[1]) * 59 + u32::from(px[2]) * 11;
                    (255u32.saturating_sub(ink / 100 + u32::from(px[3]))) as u8
                }
                _ => px[0],
            };
        }
        sink.push_gray(&row);
    }
    Ok(sink.finish())
}
