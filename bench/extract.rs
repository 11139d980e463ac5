//! Throughput of the extraction core alone (text in, notices out), in bytes of page text per
//! second, on the text layers of the sample notices and on OCR-like text with confusions.
//! Run: `cargo bench --bench extract`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use i797_core::{PageText, TextSource, extract_notices};

/// Page texts shaped like the ones the readers produce: a clean text-layer grid, an older
/// upper-case layout, an OCR reading with typical confusions, and a page with no notice.
fn pages() -> Vec<PageText> {
    let grid = "\
                  Department of Homeland Security                                  Form I-797C, Notice of Action
                  U.S. Citizenship and Immigration Services
                         THIS NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFIT.
 Receipt Number                                    Case Type
 EAC2108235877                                     I130 - PETITION FOR ALIEN RELATIVE
 Received Date                   Priority Date                    Notice Date                     Page
 01/25/2021                                                       02/04/2021                      1 of 1
 Petitioner                                                         Beneficiary   A112 510 416
 BERGSTROMER, YUKI                                                  BERGSTROMER, OSKAR
     YUKI BERGSTROMER                                                     Notice Type: Receipt Notice
     c/o HALVERSEN ODUYA & PARK LLP                                       Amount received: $535.00 U.S.
     576 HARBORVIEW AVE STE 800                                           Section: Husband or wife of U.S. citizen
     The above application or petition has been received. It usually takes 5 to 14 months to process.
     USCIS                                                                USCIS Contact Center: 800-555-0142
     VERMONT SERVICE CENTER                                               www.uscis.gov/contactcenter
";
    let legacy = "\
 RECEIPT NUMBER                                   CASE TYPE  I129
 WAC-06-138-97010                                 PETITION FOR A NONIMMIGRANT WORKER
 RECEIPT DATE         PRIORITY DATE      PETITIONER                      NOTICE DATE       PAGE
 April 13, 2006                          LANTERNFISH DATA SYSTEMS INC    April 20, 2006    1 of 1
 NOTICE TYPE: RECEIPT NOTICE           BENEFICIARY  MWANGI-HOLT, FINNEGAN
";
    let ocr_text = "\
Department of Homeland Security                          Form 1-797C, Notice of Action
Recei t Number                    Case Type
I0E0912345678                     1130 - PETITION FOR ALIEN RELATIVE
Received Date    Priority Date    Notice Date    Page
O1/16/2024                        01/22/2024     1 of 1
Applicant/Petitioner              Beneficiary
A# 012-345-678                    DOE, JOHN
Notice Type: Receipt Notice
";
    let letter = "Dear client,\nPlease find enclosed the invoice ORD1234567890 for $450.00, due 02/01/2024.\n"
        .repeat(8);
    let ocr = |text: &str| PageText {
        text: text.to_string(),
        source: TextSource::Ocr,
        char_confidence: Some(
            text.chars()
                .map(|c| if c.is_ascii_digit() { 91 } else { 97 })
                .collect(),
        ),
    };
    vec![
        PageText::from_pdf_text(grid),
        PageText::from_pdf_text(legacy),
        ocr(ocr_text),
        PageText::from_pdf_text(letter),
    ]
}

fn extraction(c: &mut Criterion) {
    let pages = pages();
    let bytes: usize = pages.iter().map(|p| p.text.len()).sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("four pages", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| extract_notices(std::hint::black_box(p)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);
