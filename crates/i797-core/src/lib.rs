//! i797's pure core: the text of one page in, the case numbers and notice fields on it out.
//!
//! Pure by design: no files, no OCR engine, no PDF or image library, no threads, no printing.
//! Everything the tool knows about USCIS notices and NVC letters lives here, so it can be tested
//! in milliseconds on plain strings. Where to look:
//! - `notice`: the types handed in and out (`PageText`, `Notice`, `Doubt`);
//! - `decode`: a page's case numbers, which are notices, with their fields and doubts;
//! - `number/`: one number's grammar (`receipt`) and its prefixes;
//! - `confusions`: the one table of characters recognisers confuse (numbers, dates, known words);
//! - `layout/`: the page as lines, labels and the values they point at;
//! - `fields/`: each field's reading and checks (dates, names, forms and types);
//! - `page_kind`, `document`, `nvc`: what a page is (notice, NVC letter, card, handout);
//! - `agreement`: what two readings agreeing or not makes of a notice;
//! - `rereading`: a field whose label the first recogniser read, its value read by the second;
//! - `words`: known words and phrases read with a few characters wrong (one rule for every lookup).

pub mod agreement;
pub mod confusions;
mod decode;
pub mod document;
mod fields;
mod layout;
mod notice;
pub mod number;
mod nvc;
pub mod page_kind;
pub mod rereading;
#[cfg(test)]
pub(crate) mod test_text;
mod words;

pub use decode::{PageNumbers, UNCLEAR_BELOW, decode_page, extract_notices, numbers_in_crop};
/// The canonical notice types: the case view checks its table of states covers them.
pub use fields::notice_type::NOTICE_TYPES;
pub use notice::{Doubt, Notice, NoticeFields, NumberKind, PageText, TextSource};
