//! The reading policy: which recogniser reads what, when to read more, and what counts as sure.
//!
//! 1. The first recogniser (Tesseract) reads the page once: its field region, the rest only when
//!    the region lacks a notice's number and header.
//! 2. Each number it read is checked by the second recogniser (the neural reader) on a crop of
//!    the same picture around the number's words, narrowed to its line (`one_line`): one line,
//!    one recognition call. Both readings go through the same decoder (`i797_core`); agreement
//!    makes the number sure (`i797_core::agreement`), anything else keeps it flagged with the
//!    other reading named; but where the other reads a rival number and the first, reading the
//!    same line again, reads that rival too, two recognisers agree on the rival.
//!    A field whose label the first read but not its value (a date, a type) is read by the
//!    second in the place the label points at, one small area each.
//! 3. Only where the first found no number on a page that may be a notice (its labels, or a
//!    page it could hardly read), or no NVC case number on an NVC letter, does the second find
//!    and read the lines of the field region; any number it reads there is checked by the first
//!    on its crop, the same way round.
//!
//! So a page is decoded and prepared once (by the first recogniser, which hands the picture it
//! read to the policy) and read at most once by each recogniser, plus one line per number.

use std::sync::Arc;

use image::GrayImage;

use super::areas::{field_region, label_cell};
pub use super::areas::{number_area, value_area};
use super::layout::{self, Word};
use super::one_line::one_line;
use super::{Area, OcrError, OcrPage, Recognizer, RecognizerSource, SecondReader};
use crate::source::PageImage;
use i797_core::agreement::{Verdict, field_checked, judged, literal_field, unchecked, verdict};
use i797_core::page_kind::{
    NoticeFront, is_no_notice_document, looks_like_notice_front, notice_front,
};
use i797_core::rereading::{field_filled, label_places, unread_fields};
use i797_core::{
    Doubt, Notice, NumberKind, PageText, decode_page, extract_notices, numbers_in_crop,
};

/// Both recognisers: the first, one per worker thread; the second, shared (`None` when its
/// models are not installed: then every number read by OCR is flagged as checked by no one).
pub struct Readers<S> {
    pub first: S,
    pub second: Option<Box<dyn SecondReader>>,
}

impl<S: std::fmt::Debug> std::fmt::Debug for Readers<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers")
            .field("first", &self.first)
            .field("second", &self.second.is_some())
            .finish()
    }
}

/// What the policy made of one picture: the reading that stands for the page, and its notices.
#[derive(Debug)]
pub struct PictureReading {
    pub page: OcrPage,
    pub notices: Vec<Notice>,
    /// No number was read, yet a reading shows a notice's front: by its marks, or by one mark
    /// on a page read too badly to say more. Such a page goes to a person.
    pub front_unread: bool,
}

impl<S: RecognizerSource> Readers<S> {
    /// Reads `image` as the policy says (see the module comment).
    pub fn read(&self, image: &PageImage) -> Result<PictureReading, OcrError> {
        self.first
            .with_recognizer(|first| read_picture(first, self.second.as_deref(), image))?
    }
}

fn read_picture(
    first: &mut dyn Recognizer,
    second: Option<&dyn SecondReader>,
    image: &PageImage,
) -> Result<PictureReading, OcrError> {
    let page = first.read(image, &header_is_complete)?;
    let decoded = decode_page(&page.text);
    let notices = decoded.notices;
    let (Some(second), Some(picture)) = (second, page.picture.clone()) else {
        let front_unread = shows_a_front(&[&page.text]);
        let notices = notices.into_iter().map(unchecked).collect();
        return Ok(PictureReading {
            page,
            notices,
            front_unread,
        });
    };
    // An NVC letter whose own number the first could not read: the second searches it too.
    let letter_unread = notices
        .iter()
        .any(|n| n.doubts.contains(&Doubt::NvcCaseUnread));
    // The first's reading, each number checked by the second on its crop, and each field whose
    // label the first read but not its value read by the second where the label points.
    let mut checked_by_second = |notices: Vec<Notice>, page: OcrPage| PictureReading {
        notices: checked(
            notices,
            &page.words,
            &picture,
            |area| second.read_area(&picture, area),
            |area| first.read_area(&picture, area),
        )
        .into_iter()
        .map(|notice| fields_filled(notice, &page.words, &picture, second))
        .collect(),
        page,
        front_unread: false,
    };
    if !notices.is_empty() && !letter_unread {
        return Ok(checked_by_second(notices, page));
    }
    if notices.is_empty() && !worth_a_second_look(&page.text, &decoded.unsupported, &picture) {
        return Ok(PictureReading {
            front_unread: shows_a_front(&[&page.text]),
            page,
            notices,
        });
    }
    let words = second.find_and_read(&picture, field_region(&picture))?;
    let found = OcrPage::of_words(words, page.turned, Some(Arc::clone(&picture)));
    let found_notices = extract_notices(&found.text);
    if letter_unread && !found_notices.iter().any(|n| n.kind == NumberKind::NvcCase) {
        return Ok(checked_by_second(notices, page));
    }
    let notices = found_notices;
    if notices.is_empty() {
        // No number either way. The reading that saw a notice's front stands for the page (the
        // first, which read more of it, when both or neither did).
        let front_unread = shows_a_front(&[&page.text, &found.text]);
        let page = if looks_like_notice_front(&found.text) && !looks_like_notice_front(&page.text) {
            found
        } else {
            page
        };
        return Ok(PictureReading {
            page,
            notices,
            front_unread,
        });
    }
    let notices = checked(
        notices,
        &found.words,
        &picture,
        |area| first.read_area(&picture, area),
        |area| second.read_area(&picture, area),
    );
    Ok(PictureReading {
        page: found,
        notices,
        front_unread: false,
    })
}

/// Whether any of `readings` shows a notice's front: its marks, or one of them on a page read
/// too badly to tell a front from a continuation page (which prints the header too, and is read
/// clearly).
fn shows_a_front(readings: &[&PageText]) -> bool {
    readings.iter().any(|text| a_front(text, clear_words(text)))
}

/// Whether `text`, with `clear` clear words, is a notice's front: its marks say so, or one of them
/// came through on a page read too badly to tell a front from a continuation page.
fn a_front(text: &PageText, clear: usize) -> bool {
    match notice_front(text) {
        NoticeFront::Clear => true,
        NoticeFront::Perhaps => clear < CLEAR_PAGE,
        NoticeFront::No => false,
    }
}

/// Is the part of a page read so far enough to stop OCR? Yes once a notice's number, the fields
/// of its header grid and the block its notice type heads are there (that block goes on with the
/// class and the validity period); prose and the rest of the page add nothing to the row.
pub fn header_is_complete(text: &PageText) -> bool {
    extract_notices(text).iter().any(|notice| {
        notice.fields.form.is_some()
            && notice.fields.notice_date.is_some()
            && notice
                .fields
                .notice_type
                .as_deref()
                .is_some_and(|kind| read_past_its_block(text, kind))
    })
}

/// Lines of a notice-type block that must be read below its first line: class and validity.
/// Asking for the third (the online account number) read the whole of every page whose address
/// block beside it has three lines: 30% more time on the scanned samples, and no field more on
/// a generated set of 63 scanned notices (seed 11: validity 96.8%, account number 93.7% both ways).
const NOTICE_BLOCK_LINES: usize = 2;

/// Whether `text` goes on for a whole notice-type block below the line that names `notice_type`.
fn read_past_its_block(text: &PageText, notice_type: &str) -> bool {
    let lines: Vec<&str> = text.text.lines().filter(|l| !l.trim().is_empty()).collect();
    let notice_type = notice_type.to_lowercase();
    lines
        .iter()
        .position(|line| line.to_lowercase().contains(&notice_type))
        .is_some_and(|at| lines.len() - at > NOTICE_BLOCK_LINES)
}

/// `notices` (read from `words` on `picture`), each judged by what the other recogniser reads
/// on the crop around its number. Where the other reads a rival number, the recogniser that read
/// `words` reads the crop again (`read_own`): its whole page and the number's line are two
/// readings, and when the line gives the other's number, two recognisers agree on that one.
fn checked(
    notices: Vec<Notice>,
    words: &[Word],
    picture: &GrayImage,
    mut read_other: impl FnMut(Area) -> Result<Vec<Word>, OcrError>,
    mut read_own: impl FnMut(Area) -> Result<Vec<Word>, OcrError>,
) -> Vec<Notice> {
    let numbers_read = |words: Vec<Word>| numbers_in_crop(&layout::build(&words));
    notices
        .into_iter()
        .map(|notice| {
            let line = number_area(&notice.number, words, picture.dimensions())
                .map(|area| one_line(picture, area));
            let other = line.and_then(|line| read_other(line).ok());
            let verdict = match other {
                Some(words) => verdict(&notice.number, &numbers_read(words)),
                None => Verdict::Silent,
            };
            let verdict = match (verdict, line) {
                (Verdict::Rival(rival), Some(line)) => {
                    let again = read_own(line).map(numbers_read).unwrap_or_default();
                    if again.iter().any(|n| n.number == rival.number) {
                        Verdict::Outvoted(rival)
                    } else {
                        Verdict::Rival(rival)
                    }
                }
                (verdict, _) => verdict,
            };
            let notice = judged(notice, verdict);
            fields_checked(notice, words, picture, &mut read_other)
        })
        .collect()
}

/// `notice` with each literal field (the names, the account number; and any other a doubt is
/// about) read again by the other recogniser where it is printed, one line each: a doubtful one
/// answered when the readings agree, a sure one put in doubt when they differ.
fn fields_checked(
    mut notice: Notice,
    words: &[Word],
    picture: &GrayImage,
    read_other: &mut impl FnMut(Area) -> Result<Vec<Word>, OcrError>,
) -> Notice {
    let mut names: Vec<&'static str> = notice
        .doubts
        .iter()
        .filter_map(|d| match d {
            Doubt::UnclearField(name) => Some(*name),
            _ => None,
        })
        .collect();
    for name in CHECKED_FIELDS {
        if !names.contains(name) && literal_field(&notice, name).is_some() {
            names.push(name);
        }
    }
    for name in names {
        // Where it is printed: the line that spells it, else (misread there) the word that
        // shares most of it, as for a number.
        let other = literal_field(&notice, name)
            .and_then(|value| {
                value_area(value, words, picture.dimensions())
                    .or_else(|| number_area(value, words, picture.dimensions()))
            })
            .and_then(|area| read_other(one_line(picture, area)).ok());
        if let Some(other) = other {
            notice = field_checked(notice, name, &layout::build(&other));
        }
    }
    notice
}

/// The fields a client is matched by, read again by the other recogniser even when the first
/// was sure of them: a name one recogniser misread with confidence (`MATEC` for `MATEO`) would
/// otherwise link a notice to another person.
const CHECKED_FIELDS: &[&str] = &["applicant", "beneficiary", "account_number"];

/// `notice` with each field whose label the first read but not its value (dates, types) read
/// by `second` in the place the label points at: one small area each, only for those fields.
fn fields_filled(
    mut notice: Notice,
    words: &[Word],
    picture: &GrayImage,
    second: &dyn SecondReader,
) -> Notice {
    let unread = unread_fields(&notice);
    if unread.is_empty() {
        return notice;
    }
    let (text, places) = layout::build_with_places(words);
    let labels = label_places(&text);
    for name in unread {
        let Some((_, label)) = labels.iter().find(|(field, _)| *field == name) else {
            continue;
        };
        let label_words = places
            .iter()
            .filter(|(chars, _)| chars.start < label.end && label.start < chars.end)
            .map(|(_, word)| *word);
        let Some(area) = label_cell(label_words, picture.dimensions()) else {
            continue;
        };
        if let Ok(other) = second.find_and_read(picture, area) {
            notice = field_filled(notice, name, &layout::build(&other));
        }
    }
    notice
}

/// Whether a page on which the first recogniser found no number is worth the second's search:
/// it has ink, and it is a notice's front by its labels, or it may be one (one mark of a front)
/// and was not read clearly enough to tell, or it was hardly read at all (so nothing says it is
/// no notice), or a number was read there that only a repair nothing supported makes one (a
/// notice whose labels came out as garble). A continuation page ("Page 2 of 2") prints the
/// header too, but is read clearly.
fn worth_a_second_look(text: &PageText, unsupported: &[String], picture: &GrayImage) -> bool {
    let clear = clear_words(text);
    // A card, visa foil or handout says by its own words that it is no notice.
    let search = a_front(text, clear)
        || (clear < CLEAR_WORDS && !is_no_notice_document(text))
        || !unsupported.is_empty();
    search && has_ink(picture)
}

/// Words of three letters or more read with every letter at [`CLEAR_CONFIDENCE`] or above.
fn clear_words(text: &PageText) -> usize {
    let confidence = text.char_confidence.as_deref().unwrap_or_default();
    let chars: Vec<(char, u8)> = text.text.chars().zip(confidence.iter().copied()).collect();
    chars
        .split(|(c, _)| !c.is_alphabetic())
        .filter(|word| word.len() >= 3 && word.iter().all(|&(_, v)| v >= CLEAR_CONFIDENCE))
        .count()
}

/// A page the first recogniser read this many clear words on said what it is; one with a
/// front's mark and this many more was read well (an I-797 front has some 150 words).
const CLEAR_WORDS: usize = 20;
const CLEAR_PAGE: usize = 80;
const CLEAR_CONFIDENCE: u8 = 85;

/// Whether a picture has more dark pixels than a blank sheet's specks (sampled every 4th pixel).
fn has_ink(picture: &GrayImage) -> bool {
    let (dark, total) = picture
        .as_raw()
        .iter()
        .step_by(4)
        .fold((0usize, 0usize), |(dark, total), &v| {
            (dark + usize::from(v < 128), total + 1)
        });
    dark * 1000 > total.max(1) * 2
}

#[cfg(test)]
mod tests;
