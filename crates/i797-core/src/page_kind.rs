//! What a page seems to be, judged from its own words: a notice or NVC letter, a document that is
//! no notice (a card, a visa foil, a handout that prints example numbers, an I-94, a passport), or
//! a page too hard to read. Cards, visa foils and handouts print numbers of the receipt shape
//! that are no case numbers, so their pages give no case rows (`document.rs` names them); the
//! others let `find` tell an applicant why nothing was found.
//!
//! The documents are told apart by the marks in [`DOCUMENT_MARKS`] (data, one entry a kind), never
//! by rules for one sample.

use std::sync::LazyLock;

use regex::Regex;

use crate::PageText;
use crate::layout::Layout;
use crate::words::{says_phrase, words_of};

/// What a page looks like, judged from its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    /// Too little legible text to tell anything (blurred, dark, blank, far too small).
    Unreadable,
    /// A USCIS notice (I-797 family or another USCIS letter).
    UscisNotice,
    /// A Department of State / National Visa Center letter.
    NvcLetter,
    /// An I-94 arrival/departure record.
    I94,
    /// A passport or visa page.
    Passport,
    /// An Employment Authorization Document (Form I-766 card).
    EadCard,
    /// A Permanent Resident Card (Form I-551, "green card").
    GreenCard,
    /// A U.S. visa foil (the visa printed in a passport).
    VisaFoil,
    /// A handout or guide that explains the receipt number and prints examples of it.
    Handout,
    /// Readable text, but none of the above.
    Other,
}

/// Judges a page from its text (and, for OCR, how sure the engine was of it).
pub fn page_kind(page: &PageText) -> PageKind {
    kind_in(page, &Layout::new(&page.text))
}

/// [`page_kind`], with the page's layout already built (it is built once per question).
fn kind_in(page: &PageText, layout: &Layout) -> PageKind {
    let text = page.text.to_ascii_lowercase();
    let letters = text.chars().filter(char::is_ascii_alphanumeric).count();
    let mean_confidence = page.char_confidence.as_ref().and_then(|c| {
        let read: Vec<u32> = page
            .text
            .chars()
            .zip(c)
            .filter(|(ch, _)| !ch.is_whitespace())
            .map(|(_, &conf)| u32::from(conf))
            .collect();
        (!read.is_empty()).then(|| read.iter().sum::<u32>() / read.len() as u32)
    });
    // Fewer than a line's worth of characters, or text the engine itself barely believed.
    if letters < 25 || mean_confidence.is_some_and(|c| c < 45) {
        return PageKind::Unreadable;
    }
    // OCR keeps the gaps of a label's layout (`NVC Case    Number:`): words are matched with
    // their spacing made single.
    let words_only = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = words_of(&text);
    if let Some(kind) = other_document(page, layout, &text, &words_only, &words) {
        return kind;
    }
    let has = |phrases: &[&str]| phrases.iter().any(|p| says(&words_only, &words, p));
    if has(&[
        "national visa center",
        "nvc case number",
        "department of state",
    ]) {
        PageKind::NvcLetter
    } else if has(&[
        "notice of action",
        "citizenship and immigration services",
        "i-797",
    ]) || BANNER.is_match(&page.text)
    {
        PageKind::UscisNotice
    } else if has(&[
        "arrival/departure record",
        "admission record",
        "admit until",
        "i-94",
    ]) {
        PageKind::I94
    } else if has(&["passport", "p<"]) && has(&["nationality", "date of birth", "surname"]) {
        PageKind::Passport
    } else {
        PageKind::Other
    }
}

/// What marks a document that is no notice: a title (any of `titles`) and at least `labels` of
/// its field labels. Patterns are matched on the lower-cased page text and allow OCR's usual
/// slips (`0` for `o`, dropped spaces).
struct DocumentMarks {
    kind: PageKind,
    titles: &'static [&'static str],
    field_labels: &'static [&'static str],
    labels: usize,
}

/// One entry a kind, most specific first: a page that fits two is the first.
const DOCUMENT_MARKS: &[DocumentMarks] = &[
    DocumentMarks {
        kind: PageKind::Handout,
        // It says what a receipt number looks like...
        titles: &[
            r"(?:three|3)\s*(?:capital\s*|upper-?\s*case\s*)?letters",
            r"13[\s-]*(?:character|digit)",
            r"(?:ten|10)\s*(?:numbers|digits)",
        ],
        // ...and shows one as an example.
        field_labels: &[
            r"for\s*(?:example|instance)",
            r"\be\.\s?g\.",
            r"\bexamples?\b",
            r"\bsample\b",
            r"such\s*as",
            r"looks\s*like",
        ],
        labels: 1,
    },
    DocumentMarks {
        kind: PageKind::GreenCard,
        titles: &[r"permanent\s*res[il1]dent", r"resident\s*al[il1]en"],
        field_labels: &[
            r"res[il1]dent\s*s[il1]nce",
            r"card\s*exp[il1]res",
            r"uscis\s*#",
            r"categ[o0]ry",
            r"c[o0]untry\s*[o0]f\s*b[il1]rth",
            r"g[il1]ven\s*name",
            r"surname",
            r"card\s*(?:#|n[o0]\b|number)",
        ],
        labels: 3,
    },
    DocumentMarks {
        kind: PageKind::EadCard,
        titles: &[r"empl[o0]yment\s*auth[o0]r[il1][sz]at[il1][o0]n"],
        field_labels: &[
            r"card\s*(?:#|n[o0]\b|number)",
            r"card\s*exp[il1]res",
            r"val[il1]d\s*fr[o0]m",
            r"uscis\s*#",
            r"categ[o0]ry",
            r"c[o0]untry\s*[o0]f\s*b[il1]rth",
            r"terms\s*and\s*c[o0]nd[il1]t[il1][o0]ns",
            r"n[o0]t\s*val[il1]d\s*f[o0]r\s*re-?\s*entry",
            r"g[il1]ven\s*name",
            r"surname",
        ],
        labels: 3,
    },
    DocumentMarks {
        kind: PageKind::VisaFoil,
        titles: &[r"\bv[il1]sa\b"],
        field_labels: &[
            r"[il1]ssu[il1]ng\s*p[o0]st",
            r"c[o0]ntr[o0]l\s*(?:number|n[o0]\b)",
            r"v[il1]sa\s*type",
            r"\bentr[il1]es\b",
            r"ann[o0]tat[il1][o0]n",
            r"exp[il1]rat[il1][o0]n\s*date",
            r"[il1]ssue\s*date",
            r"passp[o0]rt\s*(?:number|n[o0]\b)",
            r"v<usa",
        ],
        labels: 3,
    },
];

/// [`DOCUMENT_MARKS`], compiled: (kind, titles, field labels, how many labels it needs).
/// (kind, titles, field labels, how many labels it needs).
type CompiledMarks = (PageKind, Vec<Regex>, Vec<Regex>, usize);

static DOCUMENTS: LazyLock<Vec<CompiledMarks>> = LazyLock::new(|| {
    let compile = |patterns: &[&str]| -> Vec<Regex> {
        patterns
            .iter()
            .map(|p| Regex::new(p).expect("document mark patterns are valid"))
            .collect()
    };
    DOCUMENT_MARKS
        .iter()
        .map(|d| (d.kind, compile(d.titles), compile(d.field_labels), d.labels))
        .collect()
});

/// The document that is no notice `page` is, if its marks say so. A page that shows a notice's
/// own marks (the I-797 header, the banner, "Notice of Action", two grid labels printed as labels,
/// the National Visa Center or its case number) is a notice whatever else it prints: an I-797
/// for an I-765 names employment authorization, one for an I-90 the permanent resident card. A
/// handout may picture a notice's grid; only the header itself marks it as one.
/// `text` is the page's text in lower case, `words_only` the same with single spaces.
fn other_document(
    page: &PageText,
    layout: &Layout,
    text: &str,
    words_only: &str,
    words: &[&str],
) -> Option<PageKind> {
    let header = layout.lines.iter().any(|line| line.header);
    let notice = header
        || BANNER.is_match(&page.text)
        || ["notice of action", "national visa center", "nvc case"]
            .iter()
            .any(|p| says(words_only, words, p))
        || front_labels(layout) >= 2;
    DOCUMENTS
        .iter()
        .filter(|(kind, ..)| {
            if *kind == PageKind::Handout {
                !header
            } else {
                !notice
            }
        })
        .find(|(_, titles, labels, needed)| {
            titles.iter().any(|t| t.is_match(text))
                && labels.iter().filter(|l| l.is_match(text)).count() >= *needed
        })
        .map(|(kind, ..)| *kind)
}

/// Whether the page's text says `phrase` (lower case): as printed, or, for a phrase of two words
/// or more made of letters alone, with OCR's misreadings of its words (`words::says_phrase`:
/// `nyc case number`). One word alone is too little to go on.
fn says(words_only: &str, words: &[&str], phrase: &str) -> bool {
    words_only.contains(phrase)
        || (phrase.contains(' ')
            && phrase.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
            && says_phrase(words, phrase))
}

/// Is `page` a document that prints receipt-shaped numbers which are no case numbers (a card, a
/// visa foil, a handout)? Its numbers give no case rows, and no second reading is worth making.
pub fn is_no_notice_document(page: &PageText) -> bool {
    matches!(
        page_kind(page),
        PageKind::EadCard | PageKind::GreenCard | PageKind::VisaFoil | PageKind::Handout
    )
}

/// How many kinds of the labels only a front prints (its grid's, the NVC case number, the
/// invoice ID) `layout` shows set apart as labels are: a front page prints several; a back page,
/// an instruction sheet or a letter about a case names them in sentences.
fn front_labels(layout: &Layout) -> usize {
    layout.label_kinds(&(0..layout.lines.len()), |h| {
        h.stands_alone && h.kind.marks_a_front()
    })
}

/// The banner an I-797C prints under its header since 2012, "THIS NOTICE DOES NOT GRANT ANY
/// IMMIGRATION STATUS OR BENEFIT.", by either half (OCR garbles words of degraded scans).
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)this\s+notice\s+does\s+not\s+grant|grant\s+any\s+immigration\s+status")
        .expect("banner pattern compiles")
});

/// How far a page's own marks say it is the front page of a USCIS notice or an NVC letter, whose
/// number should be on it (see [`notice_front`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeFront {
    /// Two marks or more: a front. Flagged when no number could be read from it, rather than let
    /// pass as a page without a notice.
    Clear,
    /// One mark: a front read so badly that only one mark came through, or a back page or
    /// instruction sheet (they print none, but may print the header): worth a closer look.
    Perhaps,
    /// No mark.
    No,
}

/// What the page's marks say (see [`NoticeFront`]).
pub fn notice_front(page: &PageText) -> NoticeFront {
    match front_page_marks(page) {
        0 => NoticeFront::No,
        1 => NoticeFront::Perhaps,
        _ => NoticeFront::Clear,
    }
}

/// Is this clearly the front page of a notice or letter ([`NoticeFront::Clear`])?
pub fn looks_like_notice_front(page: &PageText) -> bool {
    notice_front(page) == NoticeFront::Clear
}

/// What only a notice's front prints, counted on a USCIS or NVC page (0 on any other page): each
/// grid label read as a label, the header "Form I-797C, Notice of Action" standing on its own,
/// and the banner. A heavily degraded front may keep only its header and banner legible.
fn front_page_marks(page: &PageText) -> usize {
    let layout = Layout::new(&page.text);
    if !matches!(
        kind_in(page, &layout),
        PageKind::UscisNotice | PageKind::NvcLetter
    ) {
        return 0;
    }
    let labels = front_labels(&layout);
    let header = layout.lines.iter().any(|line| line.header);
    labels + usize::from(header) + usize::from(BANNER.is_match(&page.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One mark or more: a front read badly, or a page worth a closer look.
    fn might_be_notice_front(page: &PageText) -> bool {
        notice_front(page) != NoticeFront::No
    }
    use crate::TextSource;

    #[test]
    fn labels_read_with_their_column_gaps_still_name_the_page() {
        let letter = "Department  of State\n\
                      February 24, 2020\n\
                      NVC Case    Number:      INL2020547051\n\
                      Invoice ID Number:       397392208\n\
                      Priority Dates           May 3 2013\n";
        let page = PageText::from_pdf_text(letter);
        assert_eq!(page_kind(&page), PageKind::NvcLetter);
        assert!(looks_like_notice_front(&page));
    }

    /// A 100-dpi fax of an NVC letter as Tesseract read it: the letterhead is garble, but the
    /// case-number label is there with one look-alike letter (`NYC`), so the page is a letter
    /// whose number must be found (and, when it is not, said so), not a page with no notice.
    #[test]
    fn a_label_read_with_a_look_alike_letter_still_names_the_page() {
        let fax = "{.SaDeparinent of State                      a2 Grave Way\n\
                   Nauonal .    Visa Create\n\
                   FINNSSGAN VILEASANTE\n\
                   40% Grisumill Rd\n\
                   .NYC Case Number:                 MINL2020547\n\
                   Inveice ID Number:                387392208\n\
                   Petitioner:                       ORONO\n";
        assert_eq!(page_kind(&ocr(fax, 80)), PageKind::NvcLetter);
        assert!(
            looks_like_notice_front(&ocr(fax, 80)),
            "two grid labels, each misread"
        );
        let prose = "Please quote the case number in every letter you send to this office.\n\
                     Any case number you were given by another agency is not needed here.\n";
        assert_eq!(page_kind(&ocr(prose, 90)), PageKind::Other);
    }

    fn ocr(text: &str, confidence: u8) -> PageText {
        PageText {
            text: text.to_string(),
            source: TextSource::Ocr,
            char_confidence: Some(vec![confidence; text.chars().count()]),
        }
    }

    #[test]
    fn kinds_of_pages() {
        let notice = "Department of Homeland Security\nU.S. Citizenship and Immigration Services\nForm I-797C, Notice of Action\nReceipt Number";
        assert_eq!(
            page_kind(&PageText::from_pdf_text(notice)),
            PageKind::UscisNotice
        );
        let i94 = "Most Recent I-94\nAdmission (I-94) Record Number: 123456789A1\nMost Recent Date of Entry: 2023 March 04\nAdmit Until Date: 09/01/2024";
        assert_eq!(page_kind(&PageText::from_pdf_text(i94)), PageKind::I94);
        let passport = "UNITED STATES OF AMERICA PASSPORT\nSurname / Nom\nNationality USA\nDate of birth 01 JAN 1990\nP<USADOE<<JANE<<<<<<<<<<<<<<<";
        assert_eq!(
            page_kind(&PageText::from_pdf_text(passport)),
            PageKind::Passport
        );
        let nvc = "U.S. Department of State\nNational Visa Center\nNVC Case Number: MNL2007547002";
        assert_eq!(
            page_kind(&PageText::from_pdf_text(nvc)),
            PageKind::NvcLetter
        );
        let lease =
            "Residential lease agreement between the landlord and the tenant for the premises";
        assert_eq!(page_kind(&PageText::from_pdf_text(lease)), PageKind::Other);
    }

    #[test]
    fn a_notice_front_is_told_from_its_back_and_from_letters_about_it() {
        let front = "Department of Homeland Security\n\
                     U.S. Citizenship and Immigration Services   Form I-797C, Notice of Action\n\
                     Recelpt Number                Case Type    I130 - PETITION FOR ALIEN RELATIVE\n\
                     W4C-2I9-OO~I2345               Notice Date  01/15/2024\n";
        assert!(looks_like_notice_front(&ocr(front, 80)));
        assert!(looks_like_notice_front(&PageText::from_pdf_text(
            "U.S. Department of State\nNational Visa Center\nNVC Case Number: MNL2OO7S4?0O2\n\
             Invoice ID Number: MNL2007547002\nDear Applicant, this letter concerns your case"
        )));
        let back = "U.S. Citizenship and Immigration Services\n\
                    Please read this notice carefully. If you have questions, call us and give\n\
                    the receipt number shown on the front of this notice. Keep it for your records.";
        assert!(!looks_like_notice_front(&ocr(back, 85)));
        let letter = "Law Office of A. Example\nRe: Form I-797C receipt notice\n\
                      We enclose the notice of action for your records; the receipt number and \
                      the case type are on its first page.";
        assert!(!looks_like_notice_front(&PageText::from_pdf_text(letter)));
        assert!(!looks_like_notice_front(&ocr(front, 30)), "unreadable");
    }

    #[test]
    fn a_badly_read_front_with_one_mark_might_be_a_notice_but_a_back_page_is_not() {
        // A heavily degraded G4 front: one label of the grid came through, and no header.
        let front = "Department of Homeland Security\n\
                     U.S. Citizenship and Immigration Services\n\
                     i RECEIVE Nt      CASE TYPE\n\
                     YSCI7IO5 78I24    I140 IMMIGRANT PETITION\n";
        let front = ocr(front, 70);
        assert!(might_be_notice_front(&front));
        assert!(!looks_like_notice_front(&front));
        let back = "Additional Information\n\
                    GENERAL. This notice tells you about an action taken on the case named on the \
                    front. Keep it with your records. U.S. Citizenship and Immigration Services\n";
        assert!(!might_be_notice_front(&ocr(back, 90)));
        let other = "Invoice\nCase Type:  courier\nTracking: TRK1234567890\n";
        assert!(!might_be_notice_front(&ocr(other, 90)), "not a USCIS page");
    }

    #[test]
    fn a_front_whose_labels_are_all_garbled_is_told_by_its_header_and_banner() {
        // A heavy 150-dpi G4 stack page: the header's `I` read as `J`, every label garbled.
        let front = "THE UNITED STATES OF AMERICA                         Form J-797C, Notice of Action\n\
                     U.S. DLPAREMENT Gb HOMELAND SECURELY\n\
                     \x20        THIS NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFTE.\n\
                     \x20Reeeipt Nainiiez                  '  € shat Byer\n\
                     \x20TSC Hi IN0§ 8367                  : Form 1-129, Petition bor\n";
        assert!(looks_like_notice_front(&ocr(front, 70)));
        // Every other USCIS mark garbled but the banner's second half and a label (a heavy
        // stack scan): still a USCIS front.
        let garbled = "Department of Homeland Security                 Porm 1-797C, Natice of Action\n\
                       U.S. Citizenship and fmnngration Services\n\
                       \x20    THES NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFIT.\n\
                       AUGUSTIN RAMANUIAM                      Notice Type: Re-open Notice\n";
        assert_eq!(page_kind(&ocr(garbled, 80)), PageKind::UscisNotice);
        assert!(looks_like_notice_front(&ocr(garbled, 80)));
        // One of the two: only might be a front.
        let header_only = front.replace("DOES NOT GRANT ANY IMMIGRATION STATUS", "DOES NOY GRAN");
        assert!(might_be_notice_front(&ocr(&header_only, 70)));
        assert!(!looks_like_notice_front(&ocr(&header_only, 70)));
        // The header named in a sentence is no header.
        let letter = "U.S. Citizenship and Immigration Services\n\
                      We enclose Form I-797C, Notice of Action for your records.\n\
                      This notice does not grant any immigration status or benefit.\n";
        assert!(!looks_like_notice_front(&PageText::from_pdf_text(letter)));
    }

    #[test]
    fn little_or_doubtful_text_is_unreadable() {
        assert_eq!(
            page_kind(&PageText::from_pdf_text("")),
            PageKind::Unreadable
        );
        assert_eq!(page_kind(&ocr("~ .. ,, ii l1 ;", 80)), PageKind::Unreadable);
        let blurred = "Fonn I-797C Notlce of Actlon Recelpt Nurnber Case Tvpe Recelved Date";
        assert_eq!(page_kind(&ocr(blurred, 30)), PageKind::Unreadable);
        assert_eq!(page_kind(&ocr(blurred, 80)), PageKind::UscisNotice);
    }
}
