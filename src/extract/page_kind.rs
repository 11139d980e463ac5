//! What a page without a case number seems to be, so `find` can tell an applicant why nothing was
//! found and what to try: a page too hard to read, a document that is not a notice (an I-94, a
//! passport), or a notice whose number could not be made out.

use super::PageText;

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
    /// Readable text, but none of the above.
    Other,
}

/// Judges a page from its text (and, for OCR, how sure the engine was of it).
pub fn page_kind(page: &PageText) -> PageKind {
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
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
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
    ]) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::TextSource;

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
