//! Leptonica images behind a safe, owning handle: each `Pix` holds one reference to its C image
//! and releases it on drop. Operations return a new `Pix` (`None` when Leptonica refused).
//!
//! Invariant: no method changes an image after it was built, so when Leptonica hands back a
//! reference-counted clone instead of a copy (it does for no-op rotations, deskews and alpha
//! removals) the two handles can never see each other's writes. `Pix` is neither `Send` nor
//! `Sync` (it holds a raw pointer), because Leptonica's reference count is not atomic.

use std::ffi::CStr;
use std::ptr::{self, NonNull};

use leptess::capi;

/// An 8-bit grey, 1-bit or 32-bit colour image owned by Rust.
#[derive(Debug)]
pub struct Pix(NonNull<capi::PIX>);

/// What an encoded image holds, read from its header without decoding the pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Leptonica's `IFF_*` format code.
    pub format: i32,
    pub width: u32,
    pub height: u32,
    pub bits_per_sample: u32,
    pub samples_per_pixel: u32,
}

impl Pix {
    /// Takes ownership of a pointer Leptonica just returned; `None` when it returned null.
    fn own(raw: *mut capi::PIX) -> Option<Pix> {
        NonNull::new(raw).map(Pix)
    }

    fn raw(&self) -> *mut capi::PIX {
        self.0.as_ptr()
    }

    /// The C image, for the engine in this module only.
    pub(super) fn as_ptr(&self) -> *mut capi::PIX {
        self.raw()
    }

    /// Decodes any format Leptonica knows (the first image of a multi-image file).
    pub fn decode(bytes: &[u8]) -> Option<Pix> {
        // SAFETY: Leptonica reads `bytes.len()` bytes from the pointer and keeps no reference.
        Self::own(unsafe { capi::pixReadMem(bytes.as_ptr(), bytes.len()) })
    }

    /// Decodes page `frame` (0-based) of a TIFF.
    pub fn decode_tiff(bytes: &[u8], frame: usize) -> Option<Pix> {
        let frame = i32::try_from(frame).ok()?;
        // SAFETY: as in `decode`; libtiff reads the buffer through Leptonica's memory stream.
        Self::own(unsafe { capi::pixReadMemTiff(bytes.as_ptr(), bytes.len(), frame) })
    }

    /// Decodes a JPEG at 1/`reduction` of its size (1, 2, 4 or 8), done in the DCT domain so a
    /// large photo never exists at full size. Colour stays colour (32 bpp); grey stays 8 bpp.
    pub fn decode_jpeg(bytes: &[u8], reduction: u32) -> Option<Pix> {
        let mut warnings = 0;
        // SAFETY: as in `decode`; `warnings` is a valid out-pointer for the call's duration.
        Self::own(unsafe {
            capi::pixReadMemJpeg(
                bytes.as_ptr(),
                bytes.len(),
                0,
                reduction as i32,
                &mut warnings,
                0,
            )
        })
    }

    /// Decodes a JPEG 2000 image at 1/`reduction` of its size (a power of two).
    pub fn decode_jp2k(bytes: &[u8], reduction: u32) -> Option<Pix> {
        // SAFETY: as in `decode`; a null box means the whole image.
        Self::own(unsafe {
            capi::pixReadMemJp2k(
                bytes.as_ptr(),
                bytes.len(),
                reduction,
                ptr::null_mut(),
                0,
                0,
            )
        })
    }

    /// A new image of `depth` bits per pixel whose rows `fill` writes, given the row index and
    /// the row's 32-bit words (pixel 0 in the most significant bits of word 0, Leptonica's order).
    pub fn from_rows(
        width: u32,
        height: u32,
        depth: u32,
        mut fill: impl FnMut(usize, &mut [u32]),
    ) -> Option<Pix> {
        let (w, h) = (i32::try_from(width).ok()?, i32::try_from(height).ok()?);
        // SAFETY: plain constructor; Leptonica checks the size and returns null if it refuses.
        let pix = Self::own(unsafe { capi::pixCreate(w, h, depth as i32) })?;
        let wpl = pix.words_per_line();
        // SAFETY: pixCreate allocated `wpl * height` words, zeroed, which stay valid and are only
        // reachable through `pix`, which we hold exclusively for the slice's lifetime.
        let data = unsafe {
            std::slice::from_raw_parts_mut(capi::pixGetData(pix.raw()), wpl * height as usize)
        };
        for (y, row) in data.chunks_exact_mut(wpl).enumerate() {
            fill(y, row);
        }
        Some(pix)
    }

    pub fn width(&self) -> u32 {
        self.dimensions().0
    }

    pub fn height(&self) -> u32 {
        self.dimensions().1
    }

    /// Bits per pixel: 1, 2, 4, 8, 16 or 32.
    pub fn depth(&self) -> u32 {
        self.dimensions().2
    }

    fn dimensions(&self) -> (u32, u32, u32) {
        let (mut w, mut h, mut d) = (0, 0, 0);
        // SAFETY: `self` is a valid image; the out-pointers live for the call.
        unsafe { capi::pixGetDimensions(self.raw(), &mut w, &mut h, &mut d) };
        (w as u32, h as u32, d as u32)
    }

    /// Samples per pixel: 4 when a 32-bit image carries alpha.
    pub fn samples_per_pixel(&self) -> u32 {
        // SAFETY: `self` is a valid image.
        unsafe { capi::pixGetSpp(self.raw()) as u32 }
    }

    pub fn has_colormap(&self) -> bool {
        // SAFETY: `self` is a valid image; the colormap stays owned by it.
        !unsafe { capi::pixGetColormap(self.raw()) }.is_null()
    }

    fn words_per_line(&self) -> usize {
        // SAFETY: `self` is a valid image.
        unsafe { capi::pixGetWpl(self.raw()) as usize }
    }

    /// Row `y`'s 32-bit words, pixel 0 in the most significant bits of word 0.
    pub fn row(&self, y: u32) -> &[u32] {
        assert!(y < self.height(), "row {y} outside the image");
        let wpl = self.words_per_line();
        // SAFETY: the image owns `wpl * height` words; row `y` is in bounds (checked above) and
        // nothing writes to the image while `&self` is borrowed.
        unsafe {
            std::slice::from_raw_parts(capi::pixGetData(self.raw()).add(wpl * y as usize), wpl)
        }
    }

    /// An 8-bit grey image's pixels, row by row (`None` for another depth or a colormap).
    pub fn to_gray_image(&self) -> Option<image::GrayImage> {
        if self.depth() != 8 || self.has_colormap() {
            return None;
        }
        let (width, height) = (self.width(), self.height());
        let mut bytes = Vec::with_capacity(width as usize * height as usize);
        for y in 0..height {
            let row = self.row(y);
            // Leptonica keeps pixel 0 of each 32-bit word in its most significant byte.
            bytes.extend((0..width as usize).map(|x| (row[x / 4] >> (24 - 8 * (x % 4))) as u8));
        }
        image::GrayImage::from_raw(width, height, bytes)
    }

    /// An 8-bit grey Leptonica image of `gray`'s pixels.
    pub fn from_gray_image(gray: &image::GrayImage) -> Option<Pix> {
        let width = gray.width() as usize;
        Pix::from_rows(gray.width(), gray.height(), 8, |y, words| {
            let row = &gray.as_raw()[y * width..(y + 1) * width];
            for (word, pixels) in words.iter_mut().zip(row.chunks(4)) {
                *word = pixels
                    .iter()
                    .enumerate()
                    .fold(0u32, |w, (i, &p)| w | u32::from(p) << (24 - 8 * i));
            }
        })
    }

    /// Flattens an alpha channel onto white (a transparent background would otherwise read as
    /// black). Returns a copy when there is no alpha.
    pub fn without_alpha(&self) -> Option<Pix> {
        // SAFETY: `self` is valid; the result is a new image (or a copy), owned by the caller.
        Self::own(unsafe { capi::pixRemoveAlpha(self.raw()) })
    }

    /// 8-bit grey from any depth; colour by luminance, colormaps resolved.
    pub fn to_gray(&self) -> Option<Pix> {
        // SAFETY: as in `without_alpha`.
        Self::own(unsafe { capi::pixConvertTo8(self.raw(), 0) })
    }

    /// 1 bit per pixel, dark (below `threshold`) as 1.
    pub fn to_binary(&self, threshold: u8) -> Option<Pix> {
        // SAFETY: as in `without_alpha`.
        Self::own(unsafe { capi::pixConvertTo1(self.raw(), i32::from(threshold)) })
    }

    /// Rotated clockwise by `quarters` × 90°.
    pub fn rotate_quarters(&self, quarters: u8) -> Option<Pix> {
        // SAFETY: as in `without_alpha` (a clone for 0 quarters: see the module invariant).
        Self::own(unsafe { capi::pixRotateOrth(self.raw(), i32::from(quarters % 4)) })
    }

    /// Scaled by `factor`. A 1-bit image shrinks to 8-bit grey (anti-aliased), which reads better
    /// and avoids ever expanding a large bilevel page to 8 bits at full size.
    pub fn scale(&self, factor: f32) -> Option<Pix> {
        if self.depth() == 1 && factor < 1.0 {
            // SAFETY: as in `without_alpha`.
            Self::own(unsafe { capi::pixScaleToGray(self.raw(), factor) })
        } else {
            // SAFETY: as in `without_alpha`.
            Self::own(unsafe { capi::pixScale(self.raw(), factor, factor) })
        }
    }

    /// Rows stretched by `factor` (columns as they are): square pixels for a picture whose pixels
    /// are taller than wide (a standard-mode fax).
    pub fn stretch_rows(&self, factor: f32) -> Option<Pix> {
        // SAFETY: as in `without_alpha`.
        Self::own(unsafe { capi::pixScale(self.raw(), 1.0, factor) })
    }

    /// The resolution the file declared, across and down, when it declared both.
    pub fn resolution(&self) -> Option<(u32, u32)> {
        // SAFETY: `raw` is a live image; the getters only read two fields.
        let (x, y) = unsafe { (capi::pixGetXRes(self.raw()), capi::pixGetYRes(self.raw())) };
        (x > 0 && y > 0).then_some((x as u32, y as u32))
    }

    /// Evens out uneven lighting on an 8-bit grey image: the background (found by a grey-scale
    /// closing that wipes out text) is mapped to one light value, so Tesseract's global threshold
    /// separates ink from paper across a photo with a shadow or a dark corner. Unlike the
    /// threshold-based normalisation it needs no guess of what is paper.
    pub fn normalize_background(&self) -> Option<Pix> {
        // SAFETY: as in `without_alpha`; a null mask image means "no mask". Reduction 4 and a
        // 15-pixel closing there remove dark marks up to ~60 px: text up to ~20 points at 300 dpi.
        Self::own(unsafe { capi::pixBackgroundNormMorph(self.raw(), ptr::null_mut(), 4, 15, 200) })
    }

    /// The grey level below which `rank` (0 to 1) of the pixels lie, sampling every 4th pixel of
    /// every 4th row; 8-bit images only.
    pub fn rank_value(&self, rank: f32) -> Option<u8> {
        let mut value = 0u32;
        // SAFETY: as in `without_alpha`; Leptonica writes one value through the pointer.
        let failed = unsafe { capi::pixGetRankValue(self.raw(), 4, rank, &mut value) } != 0;
        (!failed).then(|| value.min(255) as u8)
    }

    /// Grey levels mapped linearly so that `black` and below become 0 and `white` and above 255.
    pub fn stretched(&self, black: u8, white: u8) -> Option<Pix> {
        // SAFETY: as in `without_alpha`; a null destination asks for a new image, gamma 1 is a
        // straight line.
        Self::own(unsafe {
            capi::pixGammaTRC(
                ptr::null_mut(),
                self.raw(),
                1.0,
                i32::from(black),
                i32::from(white),
            )
        })
    }

    /// Straightens a small tilt (up to ±7°). Returns the straightened image and the angle in
    /// degrees it found (0 when it found none it trusted; the image is then a copy).
    pub fn deskew(&self) -> Option<(Pix, f32)> {
        let (mut angle, mut confidence) = (0.0f32, 0.0f32);
        // SAFETY: as in `without_alpha`; zeros select Leptonica's default sweep and search.
        let pix = Self::own(unsafe {
            capi::pixDeskewGeneral(self.raw(), 0, 0.0, 0.0, 0, 0, &mut angle, &mut confidence)
        })?;
        Some((pix, angle))
    }

    /// Rotated by `degrees` (clockwise), white brought in at the corners; for tests.
    #[cfg(test)]
    pub fn rotate_degrees(&self, degrees: f32) -> Option<Pix> {
        // SAFETY: as in `without_alpha`; zero width/height keep the image's size.
        Self::own(unsafe {
            capi::pixRotate(
                self.raw(),
                degrees.to_radians(),
                capi::L_ROTATE_AREA_MAP as i32,
                capi::L_BRING_IN_WHITE as i32,
                0,
                0,
            )
        })
    }

    /// The `width` × `height` rectangle at (`x`, `y`), clipped to the image.
    pub fn crop(&self, x: u32, y: u32, width: u32, height: u32) -> Option<Pix> {
        // SAFETY: the box is created, used and destroyed here; pixClipRectangle copies pixels.
        unsafe {
            let mut area = capi::boxCreate(x as i32, y as i32, width as i32, height as i32);
            if area.is_null() {
                return None;
            }
            let pix = capi::pixClipRectangle(self.raw(), area, ptr::null_mut());
            capi::boxDestroy(&mut area);
            Self::own(pix)
        }
    }

    /// Encodes the image (Leptonica `IFF_*` format), for tests.
    #[cfg(test)]
    pub fn encode(&self, format: i32) -> Option<Vec<u8>> {
        let mut data: *mut u8 = ptr::null_mut();
        let mut size = 0usize;
        // SAFETY: Leptonica allocates `size` bytes at `data`, which we copy and then free with
        // its own deallocator.
        unsafe {
            if capi::pixWriteMem(&mut data, &mut size, self.raw(), format) != 0 || data.is_null() {
                return None;
            }
            let bytes = std::slice::from_raw_parts(data, size).to_vec();
            capi::lept_free(data.cast());
            Some(bytes)
        }
    }
}

/// Writes the images as the pages of one TIFF, for tests.
#[cfg(test)]
pub fn encode_multipage_tiff(pages: &[Pix]) -> Option<Vec<u8>> {
    // SAFETY: the PIXA holds clones of the pages (reference counts, released by pixaDestroy);
    // the output buffer is copied and freed with Leptonica's deallocator.
    unsafe {
        let mut pixa = capi::pixaCreate(pages.len() as i32);
        for page in pages {
            capi::pixaAddPix(pixa, page.raw(), capi::L_CLONE as i32);
        }
        let mut data: *mut u8 = ptr::null_mut();
        let mut size = 0usize;
        let failed = capi::pixaWriteMemMultipageTiff(&mut data, &mut size, pixa);
        capi::pixaDestroy(&mut pixa);
        if failed != 0 || data.is_null() {
            return None;
        }
        let bytes = std::slice::from_raw_parts(data, size).to_vec();
        capi::lept_free(data.cast());
        Some(bytes)
    }
}

impl Drop for Pix {
    fn drop(&mut self) {
        let mut raw = self.raw();
        // SAFETY: we own this reference; pixDestroy decrements the count and frees at zero.
        unsafe { capi::pixDestroy(&mut raw) };
    }
}

/// Reads an encoded image's size and sample layout without decoding its pixels. Only for formats
/// whose Leptonica header reader does not decode the whole image (not GIF, not BMP).
pub fn header(bytes: &[u8]) -> Option<Header> {
    let (mut format, mut w, mut h, mut bps, mut spp, mut cmap) = (0, 0, 0, 0, 0, 0);
    // SAFETY: Leptonica reads at most `bytes.len()` bytes; all out-pointers live for the call.
    let failed = unsafe {
        capi::pixReadHeaderMem(
            bytes.as_ptr(),
            bytes.len(),
            &mut format,
            &mut w,
            &mut h,
            &mut bps,
            &mut spp,
            &mut cmap,
        )
    };
    header_from(failed, format, w, h, bps, spp)
}

/// Like [`header`] for page `frame` of a TIFF.
pub fn tiff_header(bytes: &[u8], frame: usize) -> Option<Header> {
    let frame = i32::try_from(frame).ok()?;
    let (mut format, mut w, mut h, mut bps, mut spp, mut res, mut cmap) = (0, 0, 0, 0, 0, 0, 0);
    // SAFETY: as in `header`.
    let failed = unsafe {
        capi::readHeaderMemTiff(
            bytes.as_ptr(),
            bytes.len(),
            frame,
            &mut w,
            &mut h,
            &mut bps,
            &mut spp,
            &mut res,
            &mut cmap,
            &mut format,
        )
    };
    header_from(failed, format, w, h, bps, spp)
}

fn header_from(failed: i32, format: i32, w: i32, h: i32, bps: i32, spp: i32) -> Option<Header> {
    (failed == 0 && w > 0 && h > 0).then(|| Header {
        format,
        width: w as u32,
        height: h as u32,
        bits_per_sample: bps.max(1) as u32,
        samples_per_pixel: spp.max(1) as u32,
    })
}

/// The image libraries this Leptonica was built with, e.g. "libjpeg 6b (libjpeg-turbo 2.1.5) :
/// libpng 1.6.39 : libtiff 4.5.0 : …".
pub fn image_library_versions() -> String {
    // SAFETY: Leptonica returns a new NUL-terminated string that we copy and free.
    unsafe {
        let text = capi::getImagelibVersions();
        if text.is_null() {
            return String::new();
        }
        let versions = CStr::from_ptr(text).to_string_lossy().trim().to_string();
        capi::lept_free(text.cast());
        versions
    }
}

/// Leptonica's version, as it names itself (`leptonica-1.84.1`).
pub fn leptonica_version() -> String {
    // SAFETY: Leptonica returns a new NUL-terminated string that we copy and free.
    unsafe {
        let text = capi::getLeptonicaVersion();
        if text.is_null() {
            return String::new();
        }
        let version = CStr::from_ptr(text).to_string_lossy().trim().to_string();
        capi::lept_free(text.cast());
        version
    }
}

/// Tesseract's version (`5.3.4`).
pub fn tesseract_version() -> String {
    // SAFETY: Tesseract returns a pointer to a static NUL-terminated string.
    unsafe {
        let text = capi::TessVersion();
        if text.is_null() {
            return String::new();
        }
        CStr::from_ptr(text).to_string_lossy().trim().to_string()
    }
}

/// Stops Leptonica printing its own messages on stderr: a damaged image is reported to the user
/// once, as that file's error row, not as a burst of library diagnostics ("Error in
/// pixReadMemTiff", "Bad file: amount too big"). Some of those bypass the severity level, so the
/// output handler is replaced too.
pub fn silence_messages() {
    unsafe extern "C" fn discard(_message: *const std::os::raw::c_char) {}
    // SAFETY: both set process-wide settings; racing callers all set the same values, and
    // `discard` ignores its argument, so any message pointer is fine.
    unsafe {
        capi::setMsgSeverity(capi::L_SEVERITY_NONE as i32);
        capi::leptSetStderrHandler(Some(discard));
    }
}

/// Leptonica's file-format codes, for writing test images.
#[cfg(test)]
pub mod format {
    use leptess::capi;
    pub const JPEG: i32 = capi::IFF_JFIF_JPEG as i32;
    pub const JP2: i32 = capi::IFF_JP2 as i32;
    pub const GIF: i32 = capi::IFF_GIF as i32;
    pub const BMP: i32 = capi::IFF_BMP as i32;
    pub const PNG: i32 = capi::IFF_PNG as i32;
    pub const WEBP: i32 = capi::IFF_WEBP as i32;
    pub const TIFF_G4: i32 = capi::IFF_TIFF_G4 as i32;
    pub const TIFF_ZIP: i32 = capi::IFF_TIFF_ZIP as i32;
    pub const TIFF_LZW: i32 = capi::IFF_TIFF_LZW as i32;
    pub const TIFF: i32 = capi::IFF_TIFF as i32;
    pub const PNM: i32 = capi::IFF_PNM as i32;
}
