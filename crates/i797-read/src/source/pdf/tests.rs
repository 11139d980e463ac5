//! Tests of the PDF reader on small PDFs built here with lopdf's writer (no binary fixtures).

use std::collections::BTreeMap;
use std::sync::Arc;

use lopdf::encryption::crypt_filters::{Aes128CryptFilter, Aes256CryptFilter, CryptFilter};
use lopdf::{
    Dictionary, EncryptionState, EncryptionVersion, Object, Permissions, Stream, dictionary,
};

use super::text::TextLayer;
use super::*;

/// A one-page PDF under construction: `/F1` is Helvetica (WinAnsi); `edit` may add resources.
struct TestPdf {
    doc: lopdf::Document,
    pages: ObjectId,
    kids: Vec<Object>,
    resources: ObjectId,
}

impl TestPdf {
    fn new() -> TestPdf {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
        TestPdf {
            doc,
            pages,
            kids: Vec::new(),
            resources,
        }
    }

    fn font(&mut self, name: &str, font: Dictionary) -> &mut Self {
        let id = self.doc.add_object(font);
        let resources = self.doc.get_dictionary_mut(self.resources).unwrap();
        let fonts = resources.get_mut(b"Font").unwrap().as_dict_mut().unwrap();
        fonts.set(name, id);
        self
    }

    fn xobject(&mut self, name: &str, object: impl Into<Object>) -> ObjectId {
        let id = self.doc.add_object(object);
        self.xobject_ref(name, id);
        id
    }

    fn xobject_ref(&mut self, name: &str, id: ObjectId) {
        let resources = self.doc.get_dictionary_mut(self.resources).unwrap();
        if !resources.has(b"XObject") {
            resources.set("XObject", Dictionary::new());
        }
        let xobjects = resources
            .get_mut(b"XObject")
            .unwrap()
            .as_dict_mut()
            .unwrap();
        xobjects.set(name, id);
    }

    fn page(&mut self, content: &str, extra: Dictionary) -> &mut Self {
        let content = self
            .doc
            .add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let mut page = dictionary! {
            "Type" => "Page", "Parent" => self.pages, "Contents" => content,
            "Resources" => self.resources,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        };
        for (key, value) in extra {
            page.set(key, value);
        }
        let id = self.doc.add_object(page);
        self.kids.push(id.into());
        self
    }

    fn finish(&mut self) -> &mut lopdf::Document {
        let count = self.kids.len() as i64;
        self.doc.objects.insert(
            self.pages,
            dictionary! { "Type" => "Pages", "Kids" => self.kids.clone(), "Count" => count }.into(),
        );
        let catalog = self
            .doc
            .add_object(dictionary! { "Type" => "Catalog", "Pages" => self.pages });
        self.doc.trailer.set("Root", catalog);
        &mut self.doc
    }

    fn bytes(&mut self) -> Arc<[u8]> {
        let mut out = Vec::new();
        self.finish().save_to(&mut out).unwrap();
        out.into()
    }
}

fn one_page(content: &str) -> TestPdf {
    let mut pdf = TestPdf::new();
    pdf.page(content, dictionary! {});
    pdf
}

fn open(bytes: Arc<[u8]>) -> PdfDocument {
    PdfDocument::open(bytes).unwrap()
}

fn text_of(bytes: Arc<[u8]>, index: usize) -> String {
    match open(bytes).page(index).unwrap() {
        PageContent::Text(text) => text.text,
        other => panic!("expected text, got {other:?}"),
    }
}

fn layer_of(bytes: Arc<[u8]>, index: usize) -> TextLayer {
    let pdf = open(bytes);
    let document = &pdf.document;
    let pages::Listed::Page(id) = pdf.pages[index] else {
        panic!("page {index} is not read");
    };
    let page = document.get_dictionary(id).unwrap();
    text::read_page(document, &pdf.bytes, page)
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim_end).collect()
}

// --- Content-stream interpretation -------------------------------------------------------

#[test]
fn td_td_and_t_star_move_to_new_lines() {
    let content = "BT /F1 10 Tf 72 700 Td (first) Tj 0 -14 Td (second) Tj \
                   0 -14 TD (third) Tj T* (fourth) Tj 20 TL T* (fifth) Tj ET";
    let text = text_of(one_page(content).bytes(), 0);
    assert_eq!(
        lines(&text),
        ["first", "second", "third", "fourth", "fifth"]
    );
}

#[test]
fn tm_sets_absolute_positions_in_any_order() {
    let content = "BT /F1 10 Tf 1 0 0 1 300 700 Tm (right) Tj 1 0 0 1 72 700 Tm (left) Tj \
                   1 0 0 1 72 600 Tm (lower) Tj ET";
    let text = text_of(one_page(content).bytes(), 0);
    let l = lines(&text);
    assert!(l[0].starts_with("left  "), "{text:?}");
    assert!(l[0].ends_with("right"));
    assert_eq!(l[l.len() - 1], "lower");
}

#[test]
fn tj_kerning_joins_and_wide_adjustments_space_words() {
    let content = "BT /F1 10 Tf 72 700 Td [(Re) 20 (ceipt) -300 (Num) -15 (ber)] TJ ET";
    assert_eq!(text_of(one_page(content).bytes(), 0), "Receipt Number\n");
}

#[test]
fn quote_operators_move_down_a_line() {
    let content = "BT /F1 10 Tf 12 TL 72 700 Td (one) Tj (two) ' 2 1 (three) \" ET";
    assert_eq!(
        lines(&text_of(one_page(content).bytes(), 0)),
        ["one", "two", "three"]
    );
}

#[test]
fn cm_and_q_q_nesting_place_text() {
    // The second string is drawn in a scaled, shifted space that Q then undoes.
    let content = "q 1 0 0 1 0 -100 cm q 2 0 0 2 0 0 cm BT /F1 5 Tf 36 350 Td (big) Tj ET Q \
                   BT /F1 10 Tf 72 650 Td (after) Tj ET Q BT /F1 10 Tf 72 700 Td (top) Tj ET";
    let text = text_of(one_page(content).bytes(), 0);
    let l: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(l, ["top", "big", "after"]);
}

#[test]
fn a_q_without_q_and_garbage_do_not_stop_the_page() {
    let content = "Q Q ] >> BT /F1 10 Tf 72 700 Td (still) Tj ET q q";
    assert_eq!(text_of(one_page(content).bytes(), 0), "still\n");
}

#[test]
fn form_xobjects_draw_with_their_matrix_and_resources() {
    let mut pdf = TestPdf::new();
    let courier = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier",
    });
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 200.into(), 50.into()],
            "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 72.into(), 600.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "FC" => courier } },
        },
        b"BT /FC 10 Tf 0 0 Td (in the form) Tj ET".to_vec(),
    );
    pdf.xobject("Fm1", form);
    pdf.page(
        "BT /F1 10 Tf 72 700 Td (above) Tj ET /Fm1 Do BT /F1 10 Tf 72 500 Td (below) Tj ET",
        dictionary! {},
    );
    let text = text_of(pdf.bytes(), 0);
    let l: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(l, ["above", "in the form", "below"]);
}

#[test]
fn a_form_drawing_itself_ends() {
    let mut pdf = TestPdf::new();
    let form_id = pdf.doc.new_object_id();
    pdf.xobject_ref("Fm1", form_id);
    let form = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => pdf.resources },
        b"BT /F1 10 Tf 72 700 Td (again) Tj ET /Fm1 Do".to_vec(),
    );
    pdf.doc.objects.insert(form_id, form.into());
    pdf.page("/Fm1 Do", dictionary! {});
    let layer = layer_of(pdf.bytes(), 0);
    // Drawn once: entering the form again from inside it is refused.
    assert_eq!(layer.visible_chars, 5);
}

#[test]
fn deeply_nested_forms_are_cut_off_not_overflowed() {
    let mut pdf = TestPdf::new();
    // Fm0 draws Fm1 draws … Fm99, each a different object.
    let ids: Vec<ObjectId> = (0..100).map(|_| pdf.doc.new_object_id()).collect();
    for (i, &id) in ids.iter().enumerate() {
        let mut xobjects = Dictionary::new();
        let mut content = format!("BT /F1 10 Tf 72 {} Td (x) Tj ET", 700 - i);
        if let Some(&next) = ids.get(i + 1) {
            xobjects.set("Next", next);
            content.push_str(" /Next Do");
        }
        let form = Stream::new(
            dictionary! { "Subtype" => "Form", "Resources" => dictionary! {
                "XObject" => xobjects,
                "Font" => pdf.doc.get_dictionary(pdf.resources).unwrap().get(b"Font").unwrap().clone(),
            }},
            content.into_bytes(),
        );
        pdf.doc.objects.insert(id, form.into());
    }
    pdf.xobject_ref("Fm0", ids[0]);
    pdf.page("/Fm0 Do", dictionary! {});
    let layer = layer_of(pdf.bytes(), 0);
    assert!(layer.visible_chars > 0 && layer.visible_chars <= 13);
}

#[test]
fn filled_in_form_fields_are_read_where_they_sit() {
    let mut pdf = TestPdf::new();
    let font = pdf
        .doc
        .get_dictionary(pdf.resources)
        .unwrap()
        .get(b"Font")
        .unwrap()
        .clone();
    let appearance = |doc: &mut lopdf::Document, text: &str| {
        doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 100.into(), 20.into()],
                "Resources" => dictionary! { "Font" => font.clone() },
            },
            format!("/Tx BMC BT /F1 10 Tf 2 12 Td ({text}) Tj ET EMC").into_bytes(),
        ))
    };
    let shown = appearance(&mut pdf.doc, "DOE, JANE");
    let hidden = appearance(&mut pdf.doc, "SECRET");
    let annots = vec![
        Object::from(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx",
            "Rect" => vec![300.into(), 688.into(), 400.into(), 708.into()],
            "AP" => dictionary! { "N" => shown },
        }),
        Object::from(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "F" => 2,
            "Rect" => vec![300.into(), 600.into(), 400.into(), 620.into()],
            "AP" => dictionary! { "N" => hidden },
        }),
    ];
    pdf.page(
        "BT /F1 10 Tf 72 700 Td (Name:) Tj ET",
        dictionary! { "Annots" => annots },
    );
    let text = text_of(pdf.bytes(), 0);
    assert_eq!(lines(&text).len(), 1, "{text:?}");
    assert!(text.starts_with("Name:  "), "{text:?}");
    assert!(text.trim_end().ends_with("DOE, JANE"), "{text:?}");
    assert!(!text.contains("SECRET"));
}

// --- Encodings ---------------------------------------------------------------------------

#[test]
fn win_ansi_and_differences_decode() {
    let mut pdf = TestPdf::new();
    pdf.font(
        "F2",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman",
            "Encoding" => dictionary! {
                "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![1.into(), "A".into(), "eacute".into(), "fi".into()],
            },
        },
    );
    pdf.page(
        "BT /F1 10 Tf 72 700 Td (Caf\\351 \\223q\\224) Tj /F2 10 Tf 0 -20 Td (\\001\\002\\003t) Tj ET",
        dictionary! {},
    );
    assert_eq!(
        lines(&text_of(pdf.bytes(), 0)),
        ["Café \u{201C}q\u{201D}", "Aéfit"]
    );
}

#[test]
fn identity_h_font_with_to_unicode_ranges_decodes() {
    let mut pdf = TestPdf::new();
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
        1 begincodespacerange <0000> <FFFF> endcodespacerange
        1 beginbfrange <0010> <0029> <0041> endbfrange
        2 beginbfchar <0003> <0020> <0050> <0031> endbfchar
        endcmap end end";
    let to_unicode = pdf
        .doc
        .add_object(Stream::new(dictionary! {}, cmap.to_vec()));
    pdf.font(
        "F2",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Arial",
            "Encoding" => "Identity-H", "ToUnicode" => to_unicode,
            "DescendantFonts" => vec![dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+Arial",
                "DW" => 600,
            }.into()],
        },
    );
    // E A C 1 (space) 1: codes 0x14 0x10 0x12 0x50 0x03 0x50.
    pdf.page(
        "BT /F2 10 Tf 72 700 Td <001400100012005000030050> Tj ET",
        dictionary! {},
    );
    assert_eq!(text_of(pdf.bytes(), 0), "EAC1 1\n");
}

#[test]
fn glyphs_without_known_text_make_the_layer_unusable() {
    let mut pdf = TestPdf::new();
    pdf.font(
        "F2",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "NoMap",
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![dictionary! { "Subtype" => "CIDFontType2" }.into()],
        },
    );
    pdf.page(
        "BT /F2 10 Tf 72 700 Td <00140010001200500003005000140010001200500003> Tj ET",
        dictionary! {},
    );
    let layer = layer_of(pdf.bytes(), 0);
    assert_eq!(layer.visible_chars, 0);
    assert_eq!(layer.unknown_glyphs, 11);
    assert!(!layer.is_usable());
}

#[test]
fn a_font_numbering_its_glyphs_without_saying_so_is_garbage() {
    let mut pdf = TestPdf::new();
    pdf.font(
        "F2",
        dictionary! { "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "ABCDEF+Calibri" },
    );
    // Codes 1, 2, 3… as a subset font numbers its glyphs; 'E' and 'A' happen to be 69 and 65.
    pdf.page(
        "BT /F2 10 Tf 72 700 Td <0102030405064541070809> Tj ET",
        dictionary! {},
    );
    let layer = layer_of(pdf.bytes(), 0);
    assert_eq!(layer.visible_chars, 0);
    assert!(!layer.is_usable());
    // The same font drawing plain ASCII codes is read as Latin text.
    let mut pdf = TestPdf::new();
    pdf.font(
        "F2",
        dictionary! { "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "ABCDEF+Calibri" },
    );
    pdf.page(
        "BT /F2 10 Tf 72 700 Td (EAC2190012345) Tj ET",
        dictionary! {},
    );
    assert_eq!(text_of(pdf.bytes(), 0), "EAC2190012345\n");
}

// --- Page rotation -----------------------------------------------------------------------

/// Two lines drawn so that they read upright once the page is turned by `rotate`.
fn rotated_page(rotate: i64) -> Arc<[u8]> {
    // The inverse turn, mapping upright display space (612 x 792 after rotation) into user space.
    let (matrix, media) = match rotate {
        90 => ("0 1 -1 0 792 0", [0, 0, 792, 612]),
        180 => ("-1 0 0 -1 612 792", [0, 0, 612, 792]),
        270 => ("0 -1 1 0 0 612", [0, 0, 792, 612]),
        _ => ("1 0 0 1 0 0", [0, 0, 612, 792]),
    };
    let content = format!(
        "q {matrix} cm BT /F1 10 Tf 72 700 Td (Receipt Number) Tj 200 0 Td (Case Type) Tj \
         -200 -12 Td (EAC2190012345) Tj 200 0 Td (I130) Tj ET Q"
    );
    let mut pdf = TestPdf::new();
    pdf.page(
        &content,
        dictionary! {
            "Rotate" => rotate,
            "MediaBox" => media.iter().map(|&v| Object::from(v)).collect::<Vec<_>>(),
        },
    );
    pdf.bytes()
}

#[test]
fn rotated_pages_read_upright() {
    for rotate in [0, 90, 180, 270] {
        let text = text_of(rotated_page(rotate), 0);
        let l = lines(&text);
        assert_eq!(l.len(), 2, "rotate {rotate}: {text:?}");
        assert!(
            l[0].starts_with("Receipt Number  "),
            "rotate {rotate}: {text:?}"
        );
        assert!(
            l[1].starts_with("EAC2190012345  "),
            "rotate {rotate}: {text:?}"
        );
        assert_eq!(l[0].find("Case Type"), l[1].find("I130"), "rotate {rotate}");
    }
}

#[test]
fn text_turned_on_an_unrotated_page_still_reads_along_its_lines() {
    // Landscape text drawn sideways on a portrait page without /Rotate.
    let content = "q 0 1 -1 0 612 0 cm BT /F1 10 Tf 72 500 Td (sideways line one) Tj \
                   0 -12 Td (sideways line two) Tj ET Q";
    let text = text_of(one_page(content).bytes(), 0);
    assert_eq!(lines(&text), ["sideways line one", "sideways line two"]);
}

// --- Scans with an OCR layer ---------------------------------------------------------------

fn scan_with_ocr_layer(text_first: bool, render_mode: u8) -> Arc<[u8]> {
    let mut pdf = TestPdf::new();
    let image = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![255, 0, 0, 255],
    );
    pdf.xobject("Im1", image);
    let image = "q 612 0 0 792 0 0 cm /Im1 Do Q";
    let text =
        format!("BT {render_mode} Tr /F1 10 Tf 72 700 Td (Receipt Number EAC2190012345) Tj ET");
    let content = if text_first {
        format!("{text} {image}")
    } else {
        format!("{image} {text}")
    };
    pdf.page(&content, dictionary! {});
    pdf.bytes()
}

#[test]
fn invisible_text_over_a_scan_is_not_a_text_layer() {
    let layer = layer_of(scan_with_ocr_layer(false, 3), 0);
    assert!(!layer.is_usable());
    assert_eq!(layer.visible_chars, 0);
    assert_eq!(layer.hidden_chars, 26);
    assert!(layer.hidden.contains("EAC2190012345"));
    assert!(layer.image_cover > 0.99);
}

#[test]
fn text_painted_over_by_the_scan_is_hidden_too() {
    let layer = layer_of(scan_with_ocr_layer(true, 0), 0);
    assert!(!layer.is_usable());
    assert_eq!(layer.hidden_chars, 26);
}

#[test]
fn visible_text_over_a_background_image_is_a_text_layer_when_there_is_enough() {
    let layer = layer_of(scan_with_ocr_layer(false, 0), 0);
    assert_eq!(layer.visible_chars, 26);
    // A scan with a stamped line of text is still a scan…
    assert!(!layer.is_usable());
    // …but a page of real text over a background image is text.
    let mut pdf = TestPdf::new();
    let image = Stream::new(
        dictionary! { "Subtype" => "Image", "Width" => 1, "Height" => 1,
        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![200],
    );
    pdf.xobject("Im1", image);
    let mut content = String::from("q 612 0 0 792 0 0 cm /Im1 Do Q BT /F1 10 Tf 72 700 Td 12 TL");
    for _ in 0..10 {
        content.push_str(" (Receipt Number EAC2190012345) '");
    }
    content.push_str(" ET");
    pdf.page(&content, dictionary! {});
    assert!(layer_of(pdf.bytes(), 0).is_usable());
}

#[test]
fn an_ocr_layer_is_the_fallback_when_there_is_no_picture() {
    // With no picture to read (the image stub, or a failed decode), the OCR layer beats nothing.
    let pdf = open(scan_with_ocr_layer(false, 3));
    let layer = layer_of(scan_with_ocr_layer(false, 3), 0);
    assert!(!layer.is_usable());
    match pdf.page(0).unwrap() {
        PageContent::Text(text) => assert!(text.text.contains("EAC2190012345")),
        PageContent::Image(_) => {}
        PageContent::Blank => panic!("the OCR layer was thrown away"),
    }
}

// --- Opening -------------------------------------------------------------------------------

fn plain_pdf() -> Arc<[u8]> {
    one_page("BT /F1 10 Tf 72 700 Td (Receipt Number EAC2190012345) Tj ET").bytes()
}

fn encrypted(version: u8, user_password: &str) -> Arc<[u8]> {
    let mut pdf = one_page("BT /F1 10 Tf 72 700 Td (Receipt Number EAC2190012345) Tj ET");
    let doc = pdf.finish();
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"0123456789abcdef".to_vec()),
        ],
    );
    let key = [7u8; 32];
    let aes128: Arc<dyn CryptFilter> = Arc::new(Aes128CryptFilter);
    let aes256: Arc<dyn CryptFilter> = Arc::new(Aes256CryptFilter);
    let version = match version {
        2 => EncryptionVersion::V2 {
            document: doc,
            owner_password: "owner",
            user_password,
            key_length: 128,
            permissions: Permissions::all(),
        },
        4 => EncryptionVersion::V4 {
            document: doc,
            encrypt_metadata: true,
            crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), aes128)]),
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: "owner",
            user_password,
            permissions: Permissions::all(),
        },
        _ => EncryptionVersion::V5 {
            encrypt_metadata: true,
            crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), aes256)]),
            file_encryption_key: &key,
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: "owner",
            user_password,
            permissions: Permissions::all(),
        },
    };
    let state = EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out.into()
}

#[test]
fn encrypted_with_an_empty_password_opens() {
    for version in [2, 4, 5] {
        let bytes = encrypted(version, "");
        assert!(!bytes.windows(13).any(|w| w == b"EAC2190012345"));
        let text = text_of(bytes, 0);
        assert!(text.contains("EAC2190012345"), "V{version}: {text:?}");
    }
}

#[test]
fn encrypted_with_a_user_password_is_password_protected() {
    for version in [2, 4, 5] {
        let error = PdfDocument::open(encrypted(version, "secret")).unwrap_err();
        assert!(
            matches!(error, SourceError::PasswordProtected),
            "V{version}: {error}"
        );
        assert_eq!(error.to_string(), "PDF is password-protected");
    }
}

#[test]
fn html_glued_in_front_is_skipped() {
    let mut bytes = b"<html><head><meta http-equiv=\"refresh\"></head></html>\n".to_vec();
    bytes.extend_from_slice(&plain_pdf());
    assert!(text_of(bytes.into(), 0).contains("EAC2190012345"));
}

#[test]
fn a_file_without_header_opens() {
    let bytes = plain_pdf();
    let body = &bytes[bytes.iter().position(|&b| b == b'\n').unwrap() + 1..];
    assert!(text_of(body.to_vec().into(), 0).contains("EAC2190012345"));
}

#[test]
fn a_broken_cross_reference_table_is_rebuilt() {
    let mut bytes = plain_pdf().to_vec();
    let xref = bytes.windows(4).rposition(|w| w == b"xref").unwrap();
    // Wreck every offset in the table.
    for b in &mut bytes[xref + 4..] {
        if b.is_ascii_digit() {
            *b = b'9';
        }
    }
    assert!(text_of(bytes.into(), 0).contains("EAC2190012345"));
}

#[test]
fn trailing_garbage_and_a_missing_xref_are_survived() {
    let bytes = plain_pdf();
    let xref = bytes.windows(4).rposition(|w| w == b"xref").unwrap();
    let mut cut = bytes[..xref].to_vec();
    cut.extend(std::iter::repeat_n(b'\xAB', 5000));
    assert!(text_of(cut.into(), 0).contains("EAC2190012345"));
}

#[test]
fn a_damaged_content_stream_is_salvaged() {
    let mut pdf = TestPdf::new();
    let mut content = Stream::new(
        dictionary! {},
        b"BT /F1 10 Tf 72 700 Td (Receipt Number EAC2190012345) Tj ET".to_vec(),
    );
    content.compress().unwrap();
    let content = pdf.doc.add_object(content);
    let page = pdf.doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pdf.pages, "Contents" => content,
        "Resources" => pdf.resources,
    });
    pdf.kids.push(page.into());
    let bytes = pdf.bytes().to_vec();
    // A damaged endstream keyword: lopdf drops the object, viewers read it by its /Length.
    let mut damaged = bytes.clone();
    let at = damaged.windows(9).position(|w| w == b"endstream").unwrap();
    damaged[at + 6] = b'\xa7';
    assert!(text_of(damaged.into(), 0).contains("EAC2190012345"));
}

#[test]
fn a_file_cut_off_inside_a_content_stream_keeps_the_top_of_the_page() {
    let mut pdf = TestPdf::new();
    pdf.page("", dictionary! {});
    let doc = pdf.finish();
    // Many lines, compressed, written last so that the cut falls inside it.
    let mut text = String::from("BT /F1 10 Tf 12 TL 72 750 Td (Receipt Number EAC2190012345) Tj");
    for i in 0..400 {
        text.push_str(&format!(" (filler line {i} with some words on it) '"));
    }
    text.push_str(" ET");
    let mut content = Stream::new(dictionary! {}, text.into_bytes());
    content.compress().unwrap();
    let content = doc.add_object(content);
    let page = doc.page_iter().next().unwrap();
    doc.get_dictionary_mut(page)
        .unwrap()
        .set("Contents", content);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let data = bytes.windows(6).rposition(|w| w == b"stream").unwrap();
    bytes.truncate(data + 400);
    let text = text_of(bytes.into(), 0);
    assert!(
        text.starts_with("Receipt Number EAC2190012345\n"),
        "{text:?}"
    );
}

#[test]
fn truncated_files_never_panic() {
    let bytes = encrypted(4, "");
    for len in (0..bytes.len()).step_by(97) {
        let cut: Arc<[u8]> = bytes[..len].to_vec().into();
        if let Ok(pdf) = PdfDocument::open(cut) {
            for i in 0..pdf.page_count() {
                let _ = pdf.page(i);
            }
        }
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let mut pdf = one_page("BT /F1 10 Tf 72 700 Td (fine) Tj ET");
    let doc = pdf.finish();
    let mut nested = Vec::new();
    nested.extend(b"1 0 obj\n");
    nested.extend(std::iter::repeat_n(b'[', 100_000));
    nested.extend(std::iter::repeat_n(b']', 100_000));
    nested.extend(b"\nendobj\n");
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    // A hostile object before the real ones, in an otherwise readable file.
    let at = out.iter().position(|&b| b == b'\n').unwrap() + 1;
    out.splice(at..at, nested);
    let pdf = PdfDocument::open(out.into()).unwrap();
    assert!(matches!(pdf.page(0).unwrap(), PageContent::Text(_)));
    // And in a content stream.
    let mut content = String::from("BT /F1 10 Tf 72 700 Td (ok) Tj ");
    content.push_str(&"[".repeat(100_000));
    content.push_str(" TJ ET");
    assert!(text_of(one_page(&content).bytes(), 0).contains("ok"));
}

#[test]
fn no_pages_is_said_so() {
    let mut pdf = TestPdf::new();
    let error = PdfDocument::open(pdf.bytes()).unwrap_err();
    assert!(matches!(error, SourceError::NoPages), "{error}");
}

#[test]
fn a_page_tree_pointing_at_nothing_is_damage_not_an_empty_document() {
    let mut pdf = TestPdf::new();
    pdf.kids.push(Object::Reference((999, 0)));
    let error = PdfDocument::open(pdf.bytes()).unwrap_err();
    assert!(matches!(error, SourceError::Damaged(_)), "{error}");
}

#[test]
fn not_a_pdf_is_said_so() {
    let error = PdfDocument::open(Arc::from(&b"potato salad"[..])).unwrap_err();
    assert_eq!(error.to_string(), "not a PDF file (no %PDF header)");
    let error = PdfDocument::open(Arc::from(&b"%PDF-1.4\n%%EOF\n"[..])).unwrap_err();
    assert!(matches!(error, SourceError::Damaged(_)), "{error}");
}

#[test]
fn pages_are_read_from_many_threads() {
    let mut pdf = TestPdf::new();
    for i in 0..8 {
        pdf.page(
            &format!("BT /F1 10 Tf 72 700 Td (page {i}) Tj ET"),
            dictionary! {},
        );
    }
    let pdf = Arc::new(open(pdf.bytes()));
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let pdf = Arc::clone(&pdf);
            std::thread::spawn(move || match pdf.page(i).unwrap() {
                PageContent::Text(t) => t.text,
                _ => String::new(),
            })
        })
        .collect();
    for (i, handle) in handles.into_iter().enumerate() {
        assert_eq!(handle.join().unwrap(), format!("page {i}\n"));
    }
}

#[test]
fn damaged_bytes_never_panic() {
    // Deterministic mutations of a small PDF with a form, and of an encrypted one: every kind
    // of byte (structure, stream data, cross-reference table) gets hit somewhere.
    let mut pdf = TestPdf::new();
    let form = Stream::new(
        dictionary! { "Subtype" => "Form", "Resources" => pdf.resources },
        b"BT /F1 10 Tf 72 600 Td (in form) Tj ET".to_vec(),
    );
    pdf.xobject("Fm1", form);
    pdf.page(
        "BT /F1 10 Tf 72 700 Td [(Receipt) -300 (Number)] TJ ET /Fm1 Do",
        dictionary! {},
    );
    let originals = [pdf.bytes().to_vec(), encrypted(4, "").to_vec()];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize
    };
    for round in 0..2000 {
        let mut bytes = originals[round % 2].clone();
        for _ in 0..(1 + next() % 8) {
            if bytes.is_empty() {
                break;
            }
            let at = next() % bytes.len();
            match next() % 4 {
                0 => bytes[at] = (next() % 256) as u8,
                1 => {
                    bytes.truncate(at.max(1));
                }
                2 => {
                    let len = (next() % 64).min(bytes.len() - at);
                    bytes.drain(at..at + len);
                }
                _ => {
                    let chunk: Vec<u8> = bytes[at..bytes.len().min(at + 32)].to_vec();
                    bytes.splice(at..at, chunk);
                }
            }
        }
        if let Ok(pdf) = PdfDocument::open(bytes.into()) {
            for i in 0..pdf.page_count() {
                let _ = pdf.page(i);
            }
        }
    }
}
