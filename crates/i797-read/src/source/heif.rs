//! HEIF-family pictures (HEIC, the default photo format of iPhones; AVIF) through the system's
//! libheif, decoded to grey with the file's rotation and mirroring applied, as a viewer shows
//! the photo.
//!
//! Why bindings of our own: the maintained `libheif-rs` needs libheif 1.17 or newer, and the
//! Debian release this project installs from ships 1.15; the seven calls used here exist in
//! every libheif since 1.6. Invariant: the picture's size is read from its header and refused
//! past [`MAX_PIXELS`] before anything is decoded; every libheif object is released on every
//! path (the `Drop` guards below).

use std::ffi::{CStr, c_char, c_int, c_void};

use super::{PixelFormat, RawImage, SourceError};

/// The most pixels a HEIF picture may have (a 108-megapixel phone sensor fits; one grey byte
/// each).
const MAX_PIXELS: u64 = 120_000_000;

#[repr(C)]
struct HeifError {
    code: c_int,
    subcode: c_int,
    message: *const c_char,
}

#[link(name = "heif")]
unsafe extern "C" {
    fn heif_context_alloc() -> *mut c_void;
    fn heif_context_free(context: *mut c_void);
    fn heif_context_read_from_memory_without_copy(
        context: *mut c_void,
        memory: *const c_void,
        size: usize,
        options: *const c_void,
    ) -> HeifError;
    fn heif_context_get_primary_image_handle(
        context: *mut c_void,
        handle: *mut *mut c_void,
    ) -> HeifError;
    fn heif_image_handle_release(handle: *const c_void);
    fn heif_image_handle_get_width(handle: *const c_void) -> c_int;
    fn heif_image_handle_get_height(handle: *const c_void) -> c_int;
    fn heif_decode_image(
        handle: *const c_void,
        image: *mut *mut c_void,
        colorspace: c_int,
        chroma: c_int,
        options: *const c_void,
    ) -> HeifError;
    fn heif_image_release(image: *const c_void);
    fn heif_image_get_width(image: *const c_void, channel: c_int) -> c_int;
    fn heif_image_get_height(image: *const c_void, channel: c_int) -> c_int;
    fn heif_image_get_plane_readonly(
        image: *const c_void,
        channel: c_int,
        stride: *mut c_int,
    ) -> *const u8;
}

// libheif's enum values (heif.h): interleaved 8-bit RGB, which every libheif converts to (1.15
// cannot convert 4:2:0 to monochrome), and its one interleaved channel.
const COLORSPACE_RGB: c_int = 1;
const CHROMA_INTERLEAVED_RGB: c_int = 10;
const CHANNEL_INTERLEAVED: c_int = 10;

/// Releases a libheif object when dropped.
struct Owned(*mut c_void, unsafe extern "C" fn(*const c_void));

impl Drop for Owned {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from libheif with this release function, once.
            unsafe { (self.1)(self.0) };
        }
    }
}

unsafe extern "C" fn free_context(context: *const c_void) {
    // SAFETY: only ever called by `Owned` with a context from `heif_context_alloc`.
    unsafe { heif_context_free(context.cast_mut()) }
}

fn failed(what: &str, error: &HeifError) -> SourceError {
    let reason = if error.message.is_null() {
        format!("error {}.{}", error.code, error.subcode)
    } else {
        // SAFETY: libheif's messages are static NUL-terminated strings.
        unsafe { CStr::from_ptr(error.message) }
            .to_string_lossy()
            .into_owned()
    };
    SourceError::BadImage(format!("HEIF picture {what}: {reason}"))
}

/// The size of the primary picture in `bytes`, from its header; checks that libheif can parse
/// the file.
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), SourceError> {
    with_primary(bytes, |handle| Ok(declared_size(handle)))
}

/// The primary picture in `bytes` as grey pixels, rotated and mirrored as the file says.
pub fn decode_gray(bytes: &[u8]) -> Result<RawImage, SourceError> {
    with_primary(bytes, |handle| {
        let (w, h) = declared_size(handle);
        let pixels = u64::from(w) * u64::from(h);
        if pixels > MAX_PIXELS {
            return Err(SourceError::BadImage(format!(
                "HEIF picture is too large to read safely ({w}×{h} pixels)"
            )));
        }
        let mut image = std::ptr::null_mut();
        // SAFETY: `handle` is live; `image` receives a new image we release below.
        let error = unsafe {
            heif_decode_image(
                handle,
                &mut image,
                COLORSPACE_RGB,
                CHROMA_INTERLEAVED_RGB,
                std::ptr::null(),
            )
        };
        let image = Owned(image, heif_image_release);
        if error.code != 0 || image.0.is_null() {
            return Err(failed("could not be decoded", &error));
        }
        let mut stride = 0;
        // SAFETY: `image` is live; the plane stays valid until it is released (after the copy).
        let (width, height, plane) = unsafe {
            (
                heif_image_get_width(image.0, CHANNEL_INTERLEAVED),
                heif_image_get_height(image.0, CHANNEL_INTERLEAVED),
                heif_image_get_plane_readonly(image.0, CHANNEL_INTERLEAVED, &mut stride),
            )
        };
        if plane.is_null() || width <= 0 || height <= 0 || stride < 3 * width {
            return Err(SourceError::BadImage(
                "HEIF picture could not be converted to pixels".to_string(),
            ));
        }
        let (width, height, stride) = (width as usize, height as usize, stride as usize);
        let mut data = Vec::with_capacity(width * height);
        for row in 0..height {
            // SAFETY: the plane holds `height` rows of `stride` bytes, `3 × width` of them pixels.
            let line = unsafe { std::slice::from_raw_parts(plane.add(row * stride), 3 * width) };
            data.extend(line.chunks_exact(3).map(|px| {
                ((u32::from(px[0]) * 299 + u32::from(px[1]) * 587 + u32::from(px[2]) * 114 + 500)
                    / 1000) as u8
            }));
        }
        Ok(RawImage {
            width: width as u32,
            height: height as u32,
            format: PixelFormat::Gray8,
            data,
        })
    })
}

/// The width and height a live image handle declares.
fn declared_size(handle: *const c_void) -> (u32, u32) {
    // SAFETY: callers pass a live handle from `with_primary`.
    let (w, h) = unsafe {
        (
            heif_image_handle_get_width(handle),
            heif_image_handle_get_height(handle),
        )
    };
    (w.max(0) as u32, h.max(0) as u32)
}

/// Parses `bytes` and runs `work` on the primary image's handle.
fn with_primary<T>(
    bytes: &[u8],
    work: impl FnOnce(*const c_void) -> Result<T, SourceError>,
) -> Result<T, SourceError> {
    // SAFETY: a plain constructor; null on failure.
    let context = Owned(unsafe { heif_context_alloc() }, free_context);
    if context.0.is_null() {
        return Err(SourceError::Other("libheif could not start".to_string()));
    }
    // SAFETY: `bytes` outlives the context (both end in this call); libheif reads, never writes.
    let error = unsafe {
        heif_context_read_from_memory_without_copy(
            context.0,
            bytes.as_ptr().cast(),
            bytes.len(),
            std::ptr::null(),
        )
    };
    if error.code != 0 {
        return Err(failed("is damaged", &error));
    }
    let mut handle = std::ptr::null_mut();
    // SAFETY: `context` is live; `handle` receives a new handle we release below.
    let error = unsafe { heif_context_get_primary_image_handle(context.0, &mut handle) };
    let handle = Owned(handle, heif_image_handle_release);
    if error.code != 0 || handle.0.is_null() {
        return Err(failed("has no picture", &error));
    }
    // The handle is released before the context (reverse order of declaration).
    work(handle.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_heif_is_a_clear_error_not_a_crash() {
        for bytes in [&b""[..], b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", b"garbage"] {
            let error = dimensions(bytes).unwrap_err();
            assert!(error.to_string().contains("HEIF picture"), "{error}");
        }
    }

    #[test]
    fn the_sample_photo_decodes_to_grey_at_its_size() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/photos/phone-i797a-approval-i129-wac-sideways.heic"
        );
        let bytes = std::fs::read(path).unwrap();
        let (w, h) = dimensions(&bytes).unwrap();
        let image = decode_gray(&bytes).unwrap();
        assert_eq!((image.width, image.height), (w, h));
        assert_eq!(image.data.len(), (w * h) as usize);
        // A photo of paper on a table: neither all black nor all white.
        let mean = image.data.iter().map(|&p| u64::from(p)).sum::<u64>() / image.data.len() as u64;
        assert!((40..230).contains(&mean), "{mean}");
    }
}
