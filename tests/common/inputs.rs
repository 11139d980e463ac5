//! Bad and huge inputs, made on the spot: PDFs written byte by byte (so they can be broken on
//! purpose), decompression bombs, images that declare absurd sizes, a huge photo, encrypted PDFs.
//! Shared by `tests/bad_inputs.rs` and the memory benchmark (`examples/memory_inputs.rs`), so
//! this file uses nothing that only tests have.
#![allow(dead_code)]
// Generators for tests and benchmarks: a failure here should stop them loudly.
#![allow(clippy::unwrap_used)]

use std::io::Write;

use flate2::{Compress, Compression, Crc, FlushCompress};
use leptess::capi;
use lopdf::{Document, EncryptionState, EncryptionVersion, Object, Permissions};

/// A PDF whose object N is `objects[N - 1]` (the text between `N 0 obj` and `endobj`), with a
/// classic cross-reference table; object 1 must be the catalog.
pub fn pdf_from_objects(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", index + 1).unwrap();
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for offset in offsets {
        writeln!(out, "{offset:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

/// A stream object's text: `dict` (without `<< >>` and `/Length`) and its data.
pub fn stream_object(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut object = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    object.extend_from_slice(data);
    object.extend_from_slice(b"\nendstream");
    object
}

/// The receipt number on page `index` of [`notice_pages_pdf`].
pub fn page_receipt(index: usize) -> String {
    format!("EAC219{:07}", index)
}

/// A text PDF of `count` pages, each a short I-797C receipt notice with its own receipt number
/// ([`page_receipt`]), all pages sharing one font.
pub fn notice_pages_pdf(count: usize) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        Vec::new(), // the page tree, once the kids are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    let mut kids = String::new();
    for index in 0..count {
        let lines = [
            (40, 740, "Department of Homeland Security".to_string()),
            (400, 740, "Form I-797C, Notice of Action".to_string()),
            (40, 712, "Receipt Number".to_string()),
            (250, 712, "Case Type".to_string()),
            (40, 698, page_receipt(index)),
            (250, 698, "I130 - PETITION FOR ALIEN RELATIVE".to_string()),
            (40, 684, "Received Date".to_string()),
            (250, 684, "Notice Date".to_string()),
            (40, 670, "01/16/2024".to_string()),
            (250, 670, "01/22/2024".to_string()),
            (40, 656, "Notice Type: Receipt Notice".to_string()),
        ];
        let mut content = String::from("BT /F1 10 Tf ");
        for (x, y, text) in lines {
            content.push_str(&format!("1 0 0 1 {x} {y} Tm ({text}) Tj "));
        }
        content.push_str("ET");
        let content_id = objects.len() + 2;
        objects.push(
            format!("<< /Type /Page /Parent 2 0 R /Contents {content_id} 0 R >>").into_bytes(),
        );
        objects.push(stream_object("", content.as_bytes()));
        kids.push_str(&format!("{} 0 R ", content_id - 1));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{kids}] /Count {count} /MediaBox [0 0 612 792] \
         /Resources << /Font << /F1 3 0 R >> >> >>"
    )
    .into_bytes();
    pdf_from_objects(&objects)
}

/// zlib data that inflates to `total` bytes of `byte` (a decompression bomb), made in
/// milliseconds: one megabyte compressed with a full flush (so the block stands alone) is
/// repeated, then closed with an empty final block and the checksum of the whole.
pub fn zlib_bomb(total: u64, byte: u8) -> Vec<u8> {
    const CHUNK: u64 = 1 << 20;
    assert!(total.is_multiple_of(CHUNK), "whole megabytes only");
    let mut compress = Compress::new(Compression::best(), false);
    let mut block = Vec::with_capacity(4096);
    compress
        .compress_vec(&vec![byte; CHUNK as usize], &mut block, FlushCompress::Full)
        .unwrap();
    assert_eq!(
        compress.total_in(),
        CHUNK,
        "one chunk compresses in one call"
    );
    let mut out = vec![0x78, 0xDA];
    for _ in 0..total / CHUNK {
        out.extend_from_slice(&block);
    }
    out.extend_from_slice(&[0x03, 0x00]); // final block, fixed codes, end of block only
    // Adler-32 of `total` copies of `byte`: a = 1 + n·c, b = n + c·n(n+1)/2 (mod 65521).
    let (n, c, m) = (u128::from(total), u128::from(byte), 65521u128);
    let a = (1 + n * c) % m;
    let b = (n + c * (n * (n + 1) / 2)) % m;
    out.extend_from_slice(&(((b << 16) | a) as u32).to_be_bytes());
    out
}

/// A one-page PDF whose content stream inflates to `total` bytes of spaces.
pub fn content_bomb_pdf(total: u64) -> Vec<u8> {
    pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        stream_object("/Filter /FlateDecode", &zlib_bomb(total, b' ')),
    ])
}

/// A one-page PDF drawing one image that declares `width × height` gray pixels and whose Flate
/// data inflates to `total` bytes.
pub fn image_bomb_pdf(width: u64, height: u64, total: u64) -> Vec<u8> {
    pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
          /Resources << /XObject << /Im0 5 0 R >> >> >>"
            .to_vec(),
        stream_object("", b"q 612 0 0 792 0 0 cm /Im0 Do Q"),
        stream_object(
            &format!(
                "/Type /XObject /Subtype /Image /Width {width} /Height {height} \
                 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"
            ),
            &zlib_bomb(total, 0xFF),
        ),
    ])
}

/// A one-page PDF whose page draws a small image through a form, and whose form's content
/// inflates to `total` bytes: the text layer finds nothing, so the page goes to the renderer.
pub fn form_bomb_pdf(total: u64) -> Vec<u8> {
    pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
          /Resources << /XObject << /Fm0 5 0 R >> >> >>"
            .to_vec(),
        stream_object("", b"0 0 1 rg 10 10 100 100 re f /Fm0 Do"),
        stream_object(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Filter /FlateDecode",
            &zlib_bomb(total, b' '),
        ),
    ])
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A PNG that declares `width × height` 8-bit gray pixels and holds one row of them.
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    png_gray(width, height, 1)
}

/// A blank (white) 8-bit gray PNG of `width × height` pixels.
pub fn png_blank(width: u32, height: u32) -> Vec<u8> {
    png_gray(width, height, height)
}

/// A PNG header for `width × height` 8-bit gray pixels, and `rows` white rows of data.
fn png_gray(width: u32, height: u32, rows: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 0, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &header);
    let mut row = vec![0u8]; // filter type None
    row.resize(width as usize + 1, 0xFF);
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::fast());
    for _ in 0..rows {
        encoder.write_all(&row).unwrap();
    }
    png_chunk(&mut out, b"IDAT", &encoder.finish().unwrap());
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A little-endian TIFF that declares `width × height` 8-bit gray pixels, uncompressed, in one
/// strip of which only a kilobyte is there.
pub fn tiff_declaring(width: u32, height: u32) -> Vec<u8> {
    let entries: [(u16, u16, u32); 9] = [
        (256, 4, width),
        (257, 4, height),
        (258, 3, 8),   // bits per sample
        (259, 3, 1),   // no compression
        (262, 3, 1),   // black is zero
        (273, 4, 200), // strip offset
        (277, 3, 1),   // samples per pixel
        (278, 4, height),
        (279, 4, width.wrapping_mul(height)), // strip byte count, as declared
    ];
    let mut out = b"II*\0\x08\0\0\0".to_vec();
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.resize(200, 0);
    out.resize(1200, 0xFF);
    out
}

/// A minimal Word document (.docx): a ZIP with the two parts Word needs, stored uncompressed.
pub fn docx() -> Vec<u8> {
    let parts: [(&str, &[u8]); 2] = [
        (
            "[Content_Types].xml",
            b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
        ),
        (
            "word/document.xml",
            b"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>Receipt notice attached</w:t></w:r></w:p></w:body></w:document>",
        ),
    ];
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in parts {
        let mut crc = Crc::new();
        crc.update(data);
        let offset = out.len() as u32;
        let fields = |out: &mut Vec<u8>| {
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]); // version, flags, stored, time
            out.extend_from_slice(&crc.sum().to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(b"PK\x03\x04");
        fields(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02\x14\x00");
        fields(&mut central);
        central.extend_from_slice(&[0; 8]); // comment length, disk, attributes
        central.extend_from_slice(&0u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let central_at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0\x02\0\x02\0");
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// `pdf` encrypted with the standard handler (RC4, 128-bit key) and `user_password` ("" opens
/// it without asking, as for many bank and government downloads).
pub fn encrypted(pdf: &[u8], user_password: &str) -> Vec<u8> {
    let mut document = Document::load_mem(pdf).expect("PDF loads");
    document.trailer.set(
        "ID",
        Object::Array(vec![
            Object::string_literal(&b"0123456789abcdef"[..]),
            Object::string_literal(&b"0123456789abcdef"[..]),
        ]),
    );
    let state = EncryptionState::try_from(EncryptionVersion::V2 {
        document: &document,
        owner_password: "owner-secret",
        user_password,
        key_length: 128,
        permissions: Permissions::all(),
    })
    .expect("encryption state");
    document.encrypt(&state).expect("encrypts");
    let mut out = Vec::new();
    document.save_to(&mut out).expect("saves");
    out
}

/// The synthetic 300 dpi Group 4 scan of an I-797C receipt notice (receipt `EAC2108235877`)
/// kept for the OCR tests: its width, height and G4 data.
pub fn g4_notice_scan() -> (u32, u32, Vec<u8>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/i797-read/tests/fixtures/i797c-receipt-eac-300dpi-g4.tif"
    );
    let tiff = std::fs::read(path).expect("OCR fixture is there");
    let u16_at = |at: usize| u16::from_le_bytes([tiff[at], tiff[at + 1]]);
    let u32_at = |at: usize| u32::from_le_bytes(tiff[at..at + 4].try_into().unwrap());
    assert_eq!(&tiff[..4], b"II*\0");
    let ifd = u32_at(4) as usize;
    let (mut width, mut height, mut offset, mut length) = (0, 0, 0, 0);
    for entry in 0..usize::from(u16_at(ifd)) {
        let at = ifd + 2 + 12 * entry;
        let value = if u16_at(at + 2) == 3 {
            u32::from(u16_at(at + 8))
        } else {
            u32_at(at + 8)
        };
        match u16_at(at) {
            256 => width = value,
            257 => height = value,
            259 => assert_eq!(value, 4, "Group 4"),
            273 => offset = value as usize,
            278 => assert_eq!(value, height.max(value), "one strip"),
            279 => length = value as usize,
            _ => {}
        }
    }
    (width, height, tiff[offset..offset + length].to_vec())
}

/// A scanned PDF of `count` Letter pages, each its own copy of [`g4_notice_scan`] (so every
/// page is decoded and read by OCR on its own).
pub fn g4_scan_pdf(count: usize) -> Vec<u8> {
    let (width, height, g4) = g4_notice_scan();
    let mut objects = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(), Vec::new()];
    let mut kids = String::new();
    for _ in 0..count {
        let page = objects.len() + 1;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R \
                 /Resources << /XObject << /Im0 {} 0 R >> >> >>",
                page + 1,
                page + 2
            )
            .into_bytes(),
        );
        objects.push(stream_object("", b"q 612 0 0 792 0 0 cm /Im0 Do Q"));
        objects.push(stream_object(
            &format!(
                "/Type /XObject /Subtype /Image /Width {width} /Height {height} \
                 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode \
                 /DecodeParms << /K -1 /Columns {width} /Rows {height} >>"
            ),
            &g4,
        ));
        kids.push_str(&format!("{page} 0 R "));
    }
    objects[1] = format!("<< /Type /Pages /Kids [{kids}] /Count {count} >>").into_bytes();
    pdf_from_objects(&objects)
}

/// A photo-sized JPEG (`width × height`, gray or colour) of the notice in [`g4_notice_scan`],
/// enlarged to fill most of the frame's height on a darker table, as a phone at full resolution
/// would take it.
pub fn huge_photo_jpeg(width: u32, height: u32, colour: bool) -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/i797-read/tests/fixtures/i797c-receipt-eac-300dpi-g4.tif"
    );
    let tiff = std::fs::read(path).expect("OCR fixture is there");
    // SAFETY: Leptonica calls on images this function creates and destroys; each pointer is
    // checked for null before use and destroyed once.
    unsafe {
        let mut scan = capi::pixReadMem(tiff.as_ptr(), tiff.len());
        assert!(!scan.is_null(), "fixture decodes");
        let mut gray = capi::pixConvertTo8(scan, 0);
        capi::pixDestroy(&mut scan);
        let scale = (height as f32 * 0.95) / capi::pixGetHeight(gray) as f32;
        let mut notice = capi::pixScale(gray, scale, scale);
        capi::pixDestroy(&mut gray);
        assert!(!notice.is_null(), "scaled");
        let mut canvas = capi::pixCreate(width as i32, height as i32, 8);
        assert!(!canvas.is_null(), "canvas");
        capi::pixSetAllArbitrary(canvas, 96);
        let (w, h) = (capi::pixGetWidth(notice), capi::pixGetHeight(notice));
        let (x, y) = ((width as i32 - w) / 2, (height as i32 - h) / 2);
        capi::pixRasterop(canvas, x, y, w, h, capi::PIX_SRC as i32, notice, 0, 0);
        capi::pixDestroy(&mut notice);
        if colour {
            let rgb = capi::pixConvertTo32(canvas);
            assert!(!rgb.is_null(), "colour copy");
            capi::pixDestroy(&mut canvas);
            canvas = rgb;
        }
        let mut data: *mut u8 = std::ptr::null_mut();
        let mut size = 0usize;
        let status = capi::pixWriteMemJpeg(&mut data, &mut size, canvas, 80, 0);
        capi::pixDestroy(&mut canvas);
        assert_eq!(status, 0, "JPEG written");
        let jpeg = std::slice::from_raw_parts(data, size).to_vec();
        capi::lept_free(data.cast());
        jpeg
    }
}
