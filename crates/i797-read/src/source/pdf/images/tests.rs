//! Page pictures from small PDFs built here with lopdf's writer (no binary fixtures), plus
//! corpus checks that run when `/work/shared/corpus/wild` is present and say so when it is not.

use std::io::Write;

use leptess::capi;
use lopdf::{Dictionary, Document, Object, Stream, dictionary};

use super::*;

/// A one-page PDF: `images` become XObjects `/Im0`, `/Im1`…; `content` draws them.
fn pdf(
    media: [i64; 4],
    rotate: Option<i64>,
    images: Vec<Stream>,
    content: impl AsRef<[u8]>,
) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut xobjects = Dictionary::new();
    for (i, image) in images.into_iter().enumerate() {
        let id = doc.add_object(image);
        xobjects.set(format!("Im{i}"), id);
    }
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_ref().to_vec()));
    let mut page = dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => media.iter().map(|&v| Object::Integer(v)).collect::<Vec<_>>(),
        "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => xobjects },
    };
    if let Some(rotate) = rotate {
        page.set("Rotate", rotate);
    }
    let page_id = doc.add_object(page);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn picture(bytes: &[u8]) -> Option<PageImage> {
    let doc = Document::load_mem(bytes).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    page_picture(&doc, page, &Arc::from(bytes)).unwrap()
}

fn raw(image: &PageImage) -> &RawImage {
    match &image.pixels {
        ImageData::Raw(raw) => raw,
        ImageData::Encoded { .. } => panic!("expected decoded pixels"),
    }
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn image(width: u32, height: u32, extra: Dictionary, data: Vec<u8>) -> Stream {
    let mut dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => width,
        "Height" => height,
    };
    for (k, v) in extra {
        dict.set(k, v);
    }
    Stream::new(dict, data)
}

fn gray_pattern(width: u32, height: u32) -> Vec<u8> {
    (0..height)
        .flat_map(|y| (0..width).map(move |x| ((x * 7 + y * 3) % 256) as u8))
        .collect()
}

fn bit(raw: &RawImage, x: u32, y: u32) -> bool {
    let stride = raw.width.div_ceil(8) as usize;
    raw.data[y as usize * stride + x as usize / 8] & (0x80 >> (x % 8)) != 0
}

#[test]
fn flate_gray_scan_with_rotate_90() {
    // 200×100 pixels on 2×1 inches: 100 dpi.
    let data = gray_pattern(200, 100);
    let stream = image(
        200,
        100,
        dictionary! {
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
            "Filter" => "FlateDecode",
        },
        zlib(&data),
    );
    let bytes = pdf(
        [0, 0, 144, 72],
        Some(90),
        vec![stream],
        "q 144 0 0 72 0 0 cm /Im0 Do Q",
    );
    let page = picture(&bytes).unwrap();
    assert_eq!(page.quarter_turns, 1);
    assert_eq!(page.dpi, Some(100));
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (200, 100, PixelFormat::Gray8)
    );
    assert_eq!(raw.data, data);
}

#[test]
fn one_bit_image_with_negative_decode() {
    // 16×2, rows 0xF0 0x0F and 0xAA 0x55; Decode [1 0] makes 1 bits black.
    let stream = image(
        16,
        2,
        dictionary! {
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 1,
            "Decode" => vec![1.into(), 0.into()],
        },
        vec![0xF0, 0x0F, 0xAA, 0x55],
    );
    let bytes = pdf(
        [0, 0, 612, 792],
        None,
        vec![stream],
        "612 0 0 792 0 0 cm /Im0 Do",
    );
    let page = picture(&bytes).unwrap();
    let raw = raw(&page);
    assert_eq!(raw.format, PixelFormat::Bilevel);
    assert_eq!(raw.data, [0xF0, 0x0F, 0xAA, 0x55]);
    assert_eq!(page.quarter_turns, 0);
}

#[test]
fn indexed_image_becomes_gray() {
    let stream = image(
        4,
        1,
        dictionary! {
            "ColorSpace" => vec![
                "Indexed".into(),
                "DeviceRGB".into(),
                3.into(),
                Object::String(vec![0, 0, 0, 255, 255, 255, 0, 0, 255, 128, 128, 128], lopdf::StringFormat::Hexadecimal),
            ],
            "BitsPerComponent" => 8,
        },
        vec![1, 0, 3, 2],
    );
    let bytes = pdf(
        [0, 0, 612, 792],
        None,
        vec![stream],
        "612 0 0 792 0 0 cm /Im0 Do",
    );
    let page = picture(&bytes).unwrap();
    assert_eq!(raw(&page).data, [255, 0, 128, 29]);
}

#[test]
fn blank_page_is_none() {
    let bytes = pdf([0, 0, 612, 792], None, vec![], "q 1 0 0 1 0 0 cm Q BT ET");
    assert!(picture(&bytes).is_none());
}

#[test]
fn vector_drawing_is_rendered_at_300_dpi() {
    // A 1-inch page with a black square in its lower-left quarter.
    let bytes = pdf([0, 0, 72, 72], None, vec![], "0 g 0 0 36 36 re f");
    let page = picture(&bytes).unwrap();
    assert_eq!(page.dpi, Some(300));
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (300, 300, PixelFormat::Gray8)
    );
    let at = |x: usize, y: usize| raw.data[y * 300 + x];
    assert!(at(50, 250) < 20, "lower left is black");
    assert!(at(250, 50) > 235, "upper right is white");
}

#[test]
fn rotated_and_mirrored_placements() {
    // Rows: first row black, the rest white. Placed turned 90° clockwise on the shown page:
    // the image's right points down the page.
    let mut data = vec![255u8; 8 * 4];
    data[..8].fill(0);
    let stream = |d: Vec<u8>| {
        image(
            8,
            4,
            dictionary! { "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            d,
        )
    };
    let bytes = pdf(
        [0, 0, 100, 100],
        None,
        vec![stream(data.clone())],
        "0 -90 90 0 5 95 cm /Im0 Do",
    );
    let page = picture(&bytes).unwrap();
    assert_eq!(page.quarter_turns, 1);
    assert_eq!(raw(&page).data, data);

    // Mirrored vertically (positive height, image origin at the top): rows are flipped back.
    let bytes = pdf(
        [0, 0, 100, 100],
        None,
        vec![stream(data.clone())],
        "90 0 0 -90 5 95 cm /Im0 Do",
    );
    let page = picture(&bytes).unwrap();
    assert_eq!(page.quarter_turns, 0);
    let raw = raw(&page);
    assert_eq!(&raw.data[..24], &[255; 24]);
    assert_eq!(&raw.data[24..], &[0; 8]);
}

#[test]
fn image_inside_a_form_xobject() {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image_id = doc.add_object(image(
        300,
        300,
        dictionary! { "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![200; 300 * 300],
    ));
    let form_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 1.into(), 1.into()],
            "Matrix" => vec![144.into(), 0.into(), 0.into(), 144.into(), 0.into(), 0.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Scan" => image_id } },
        },
        b"/Scan Do".to_vec(),
    ));
    let content_id = doc.add_object(Stream::new(dictionary! {}, b"q /Fm Do Q".to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => dictionary! { "Fm" => form_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 144.into(), 144.into()],
            "Rotate" => 180,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let page = picture(&bytes).unwrap();
    // 300 pixels over 2 inches; /Rotate inherited from the page tree.
    assert_eq!(page.dpi, Some(150));
    assert_eq!(page.quarter_turns, 2);
}

#[test]
fn inline_image_scan() {
    let content = b"q 72 0 0 72 0 0 cm BI /W 8 /H 2 /BPC 1 /CS /G ID \x0F\xF0 EI Q";
    let bytes = pdf([0, 0, 72, 72], None, vec![], content);
    let page = picture(&bytes).unwrap();
    assert_eq!(page.dpi, None, "8 dpi is not a scan resolution");
    assert_eq!(raw(&page).data, [0xF0, 0x0F]);
}

#[test]
fn huge_bilevel_image_is_reduced_to_gray() {
    // 8000×6000 = 48 MP, over the bilevel budget: halved to 4000×3000 gray at 150 dpi.
    let (w, h) = (8000u32, 6000u32);
    let mut data = vec![0xFFu8; (w / 8 * h) as usize];
    // A black band across the top 100 rows (DeviceGray: 0 bits are black).
    data[..(w / 8 * 100) as usize].fill(0);
    let stream = image(
        w,
        h,
        dictionary! {
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 1,
            "Filter" => "FlateDecode",
        },
        zlib(&data),
    );
    let bytes = pdf(
        [0, 0, 1920, 1440],
        None,
        vec![stream],
        "1920 0 0 1440 0 0 cm /Im0 Do",
    );
    let page = picture(&bytes).unwrap();
    assert_eq!(page.dpi, Some(150));
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (4000, 3000, PixelFormat::Gray8)
    );
    assert_eq!(raw.data[0], 0);
    assert_eq!(raw.data[4000 * 49 + 10], 0);
    assert_eq!(raw.data[4000 * 50 + 10], 255);
}

#[test]
fn mrc_page_composes_its_text_masks() {
    // A 150-dpi background over the whole 1×1-inch page and two 300-dpi masks: one in the
    // top half, one in the bottom-right quarter. Stencil 0 bits paint.
    let background = image(
        150,
        150,
        dictionary! { "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![230; 150 * 150],
    );
    let mask = |w: u32, h: u32| {
        let mut data = vec![0xFFu8; (w.div_ceil(8) * h) as usize];
        data[0] = 0x7F; // top-left pixel painted
        image(w, h, dictionary! { "ImageMask" => true }, data)
    };
    // A fourth mask, painted light gray in the bottom-left quarter, is decoration: left out.
    let content = "q 72 0 0 72 0 0 cm /Im0 Do Q \
                   q 72 0 0 36 0 36 cm /Im1 Do Q \
                   0.1 0.1 0.1 rg q 36 0 0 36 36 0 cm /Im2 Do Q \
                   0.9 g q 36 0 0 36 0 0 cm /Im3 Do Q";
    let bytes = pdf(
        [0, 0, 72, 72],
        None,
        vec![background, mask(300, 150), mask(150, 150), mask(150, 150)],
        content,
    );
    let page = picture(&bytes).unwrap();
    assert_eq!(page.dpi, Some(300));
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (300, 300, PixelFormat::Bilevel)
    );
    assert!(bit(raw, 0, 0));
    assert!(bit(raw, 150, 150));
    let black = (0..300)
        .flat_map(|y| (0..300).map(move |x| (x, y)))
        .filter(|&(x, y)| bit(raw, x, y))
        .count();
    assert_eq!(black, 2);
}

#[test]
fn pieces_at_the_masks_resolution_are_rendered_with_them() {
    // A full-page 300-dpi text mask plus a small 300-dpi colour piece (coloured text in MRC
    // writers): the mask alone would lose the piece, so the page is rendered.
    let mask = image(
        300,
        300,
        dictionary! { "ImageMask" => true },
        vec![0xFF; 38 * 300],
    );
    let piece = image(
        30,
        30,
        dictionary! { "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 },
        vec![0; 30 * 30 * 3],
    );
    let content = "q 72 0 0 72 0 0 cm /Im0 Do Q q 7.2 0 0 7.2 36 36 cm /Im1 Do Q";
    let bytes = pdf([0, 0, 72, 72], None, vec![mask, piece], content);
    let page = picture(&bytes).unwrap();
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (300, 300, PixelFormat::Gray8)
    );
    // The piece is black at (36..43.2, 36..43.2) pt: pixels 150..180 from the left, 120..150
    // from the top.
    assert!(raw.data[135 * 300 + 165] < 30);
    assert!(raw.data[50 * 300 + 50] > 230);
}

/// Leptonica 1-bit picture from a predicate (true = black).
fn leptonica_bilevel(w: u32, h: u32, black: impl Fn(u32, u32) -> bool) -> *mut capi::PIX {
    // SAFETY: plain Leptonica calls on an image created here.
    unsafe {
        let pix = capi::pixCreate(w as i32, h as i32, 1);
        for y in 0..h {
            for x in 0..w {
                if black(x, y) {
                    capi::pixSetPixel(pix, x as i32, y as i32, 1);
                }
            }
        }
        pix
    }
}

fn leptonica_write(pix: *mut capi::PIX, g4: bool) -> Vec<u8> {
    let mut data: *mut u8 = std::ptr::null_mut();
    let mut size = 0usize;
    // SAFETY: Leptonica allocates `data`; it is copied and freed here.
    unsafe {
        let ok = if g4 {
            capi::pixWriteMemTiff(&mut data, &mut size, pix, capi::IFF_TIFF_G4 as i32)
        } else {
            capi::pixWriteMemJpeg(&mut data, &mut size, pix, 90, 0)
        };
        assert_eq!(ok, 0);
        let bytes = std::slice::from_raw_parts(data, size).to_vec();
        capi::lept_free(data.cast());
        let mut pix = pix;
        capi::pixDestroy(&mut pix);
        bytes
    }
}

/// Pixel values of an encoded image as Leptonica reads it (what the OCR stage will see).
fn leptonica_read(bytes: &[u8]) -> (u32, u32, u32, Vec<u32>) {
    // SAFETY: reads into a new image, copied out and destroyed.
    unsafe {
        let mut pix = capi::pixReadMem(bytes.as_ptr(), bytes.len());
        assert!(!pix.is_null(), "Leptonica cannot read it");
        let (w, h, d) = (
            capi::pixGetWidth(pix) as u32,
            capi::pixGetHeight(pix) as u32,
            capi::pixGetDepth(pix) as u32,
        );
        let mut values = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let mut v = 0;
                capi::pixGetPixel(pix, x as i32, y as i32, &mut v);
                values.push(v);
            }
        }
        capi::pixDestroy(&mut pix);
        (w, h, d, values)
    }
}

/// The single strip of a little- or big-endian TIFF.
fn tiff_strip(tiff: &[u8]) -> Vec<u8> {
    let le = &tiff[..2] == b"II";
    let u16_at = |p: usize| {
        let b = [tiff[p], tiff[p + 1]];
        if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }
    };
    let u32_at = |p: usize| {
        let b = [tiff[p], tiff[p + 1], tiff[p + 2], tiff[p + 3]];
        if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    };
    let ifd = u32_at(4) as usize;
    let (mut offset, mut count) = (None, None);
    for i in 0..u16_at(ifd) as usize {
        let entry = ifd + 2 + 12 * i;
        let value = match u16_at(entry + 2) {
            3 => u32::from(u16_at(entry + 8)),
            _ => u32_at(entry + 8),
        };
        assert_eq!(u32_at(entry + 4), 1, "one strip expected");
        match u16_at(entry) {
            273 => offset = Some(value as usize),
            279 => count = Some(value as usize),
            _ => {}
        }
    }
    let (offset, count) = (offset.unwrap(), count.unwrap());
    tiff[offset..offset + count].to_vec()
}

fn pattern(x: u32, y: u32) -> bool {
    (x / 5 + y / 3).is_multiple_of(3) || (x == y)
}

#[test]
fn ccitt_g4_is_wrapped_in_tiff_with_the_right_polarity() {
    let (w, h) = (97u32, 41u32);
    let g4 = tiff_strip(&leptonica_write(leptonica_bilevel(w, h, pattern), true));
    for black_is_1 in [false, true] {
        let stream = image(
            w,
            h,
            dictionary! {
                "ColorSpace" => "DeviceGray",
                "BitsPerComponent" => 1,
                "Filter" => "CCITTFaxDecode",
                "DecodeParms" => dictionary! { "K" => -1, "Columns" => w, "Rows" => h, "BlackIs1" => black_is_1 },
            },
            g4.clone(),
        );
        let bytes = pdf(
            [0, 0, 612, 792],
            None,
            vec![stream],
            "612 0 0 792 0 0 cm /Im0 Do",
        );
        let page = picture(&bytes).unwrap();
        let ImageData::Encoded { bytes: tiff, .. } = &page.pixels else {
            panic!("G4 should stay encoded");
        };
        let (rw, rh, depth, values) = leptonica_read(tiff);
        assert_eq!((rw, rh, depth), (w, h, 1));
        // With BlackIs1 the code's black runs are gray 1: white; the picture is a negative.
        for y in 0..h {
            for x in 0..w {
                let black = values[(y * w + x) as usize] == 1;
                assert_eq!(
                    black,
                    pattern(x, y) != black_is_1,
                    "({x}, {y}) BlackIs1 {black_is_1}"
                );
            }
        }
        // The pure-Rust decoder agrees.
        let params = ccitt::Params::read(
            Some(&dictionary! { "K" => -1, "Columns" => w, "BlackIs1" => black_is_1 }),
            w,
            h,
        );
        let decoded = ccitt::decode(&g4, &params, !black_is_1).unwrap();
        for y in 0..h {
            for x in 0..w {
                assert_eq!(bit(&decoded, x, y), pattern(x, y) != black_is_1);
            }
        }
    }
}

#[test]
fn dct_stays_encoded_and_inverts_when_decode_says_so() {
    // SAFETY: plain Leptonica calls on an image created here.
    let pix = unsafe {
        let pix = capi::pixCreate(64, 32, 8);
        for y in 0..32 {
            for x in 0..64 {
                capi::pixSetPixel(pix, x, y, if x < 32 { 20 } else { 235 });
            }
        }
        pix
    };
    let jpeg = leptonica_write(pix, false);
    let stream = |extra: Dictionary| {
        let mut dict = dictionary! {
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
            "Filter" => "DCTDecode",
        };
        for (k, v) in extra {
            dict.set(k, v);
        }
        image(64, 32, dict, jpeg.clone())
    };
    let bytes = pdf(
        [0, 0, 612, 792],
        None,
        vec![stream(dictionary! {})],
        "612 0 0 792 0 0 cm /Im0 Do",
    );
    let page = picture(&bytes).unwrap();
    match &page.pixels {
        ImageData::Encoded { bytes, .. } => assert_eq!(&bytes[..], &jpeg[..]),
        ImageData::Raw(_) => panic!("JPEG should stay encoded"),
    }
    let bytes = pdf(
        [0, 0, 612, 792],
        None,
        vec![stream(dictionary! { "Decode" => vec![1.into(), 0.into()] })],
        "612 0 0 792 0 0 cm /Im0 Do",
    );
    let page = picture(&bytes).unwrap();
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (64, 32, PixelFormat::Gray8)
    );
    assert!(raw.data[16 * 64 + 5] > 220, "dark half inverted to light");
    assert!(raw.data[16 * 64 + 60] < 35, "light half inverted to dark");
}

#[test]
fn bad_jpeg_is_an_error_not_a_panic() {
    let stream = image(
        8,
        8,
        dictionary! { "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "DCTDecode" },
        b"ww not a jpeg".to_vec(),
    );
    let bytes = pdf(
        [0, 0, 612, 792],
        None,
        vec![stream],
        "612 0 0 792 0 0 cm /Im0 Do",
    );
    let doc = Document::load_mem(&bytes).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    assert!(matches!(
        page_picture(&doc, page, &Arc::from(bytes)),
        Err(SourceError::BadImage(_))
    ));
}

#[test]
fn frames_follow_the_ctm_and_rotate() {
    let upright = Matrix([612.0, 0.0, 0.0, 792.0, 0.0, 0.0]);
    let frame = Frame::of(upright, 2550, 3300, 0);
    assert_eq!(
        (frame.quarter_turns, frame.mirrored, frame.axis_aligned),
        (0, false, true)
    );
    assert!((frame.dpi() - 300.0).abs() < 1e-9);
    assert_eq!(frame.pixel_height(), None);
    // A standard-mode fax, 204 × 98 dpi, drawn over the page: its pixels are twice as tall as
    // wide, and its resolution is the one across.
    let fax = Frame::of(upright, 1734, 1078, 0);
    let pixel_height = fax.pixel_height().expect("not square");
    assert!((pixel_height - 204.0 / 98.0).abs() < 0.01, "{pixel_height}");
    assert!((fax.dpi() - 204.0).abs() < 1e-9);
    assert_eq!(Frame::of(upright, 2550, 3300, 270).quarter_turns, 3);
    // Turned 90° counter-clockwise in user space (right points up): shown turned a quarter
    // anticlockwise, so three clockwise turns bring it back.
    let ccw = Matrix([0.0, 612.0, -792.0, 0.0, 792.0, 0.0]);
    assert_eq!(Frame::of(ccw, 2550, 3300, 0).quarter_turns, 3);
    let skewed = Matrix([611.0, 10.0, -13.0, 791.0, 0.0, 0.0]);
    let frame = Frame::of(skewed, 2550, 3300, 90);
    assert_eq!((frame.quarter_turns, frame.axis_aligned), (1, false));
}

/// The third-party corpus beside the repository (CI has it; a fresh clone may not).
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/wild");

/// The first page's picture of a corpus file, or `None` (with a visible notice) without the corpus.
fn corpus_picture(name: &str, page_number: u32) -> Option<PageImage> {
    let path = std::path::Path::new(CORPUS).join(name);
    if !path.exists() {
        eprintln!(
            "NOTICE: {} absent: corpus check for {name} not run",
            path.display()
        );
        return None;
    }
    let bytes = std::fs::read(&path).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    let page = *doc.get_pages().get(&page_number).unwrap();
    Some(
        page_picture(&doc, page, &Arc::from(bytes))
            .unwrap()
            .unwrap(),
    )
}

fn black_share(raw: &RawImage) -> f64 {
    let black = match raw.format {
        PixelFormat::Bilevel => raw.data.iter().map(|b| b.count_ones() as u64).sum::<u64>(),
        _ => raw.data.iter().filter(|&&g| g < 128).count() as u64,
    };
    black as f64 / (f64::from(raw.width) * f64::from(raw.height))
}

#[test]
fn corpus_jbig2_with_globals() {
    let Some(page) = corpus_picture("ocrmypdf-jbig2-globals-scan.pdf", 1) else {
        return;
    };
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (2550, 3300, PixelFormat::Bilevel)
    );
    assert_eq!(page.dpi, Some(300));
    // Text on paper: a little ink, mostly white (a negative would be mostly black).
    let share = black_share(raw);
    assert!(share > 0.005 && share < 0.3, "{share}");
}

#[test]
fn corpus_jbig2_stencil_with_rotate_270() {
    let Some(page) = corpus_picture("pdfminer-jbig2-stencil-rotate270.pdf", 1) else {
        return;
    };
    let raw = raw(&page);
    assert_eq!((raw.width, raw.height), (3296, 2551));
    assert_eq!(page.quarter_turns, 3);
    let share = black_share(raw);
    assert!(share > 0.001 && share < 0.3, "{share}");
}

#[test]
fn corpus_hugemono_is_read_reduced() {
    let Some(page) = corpus_picture("ocrmypdf-hugemono-35000px-ccitt.pdf", 1) else {
        return;
    };
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (5000, 5000, PixelFormat::Gray8)
    );
    assert_eq!(page.dpi, Some(43));
}

#[test]
fn corpus_enormous_flate_page_is_read_reduced() {
    let Some(page) = corpus_picture("ocrmypdf-enormous-page-flate.pdf", 1) else {
        return;
    };
    // 9000×9000 RGB (243 MB) inflated row by row into 4500×4500 gray.
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (4500, 4500, PixelFormat::Gray8)
    );
    assert_eq!(page.dpi, Some(150));
}

#[test]
fn corpus_mrc_masks_are_composed() {
    let Some(page) = corpus_picture("kreuzberg-image-only-german-mrc-3pages.pdf", 1) else {
        return;
    };
    // The body mask and the light-blue letterhead mask, at 300 dpi, on one canvas.
    let raw = raw(&page);
    assert_eq!(
        (raw.width, raw.height, raw.format),
        (2104, 3064, PixelFormat::Bilevel)
    );
    assert_eq!(page.dpi, Some(300));
    let share = black_share(raw);
    assert!(share > 0.01 && share < 0.3, "{share}");
}
