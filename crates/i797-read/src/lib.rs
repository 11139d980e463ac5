//! The reading shell of i797: a file's bytes in, each page's text out.
//!
//! `sniff` (what a file is, by its bytes) → `source` (PDF text layer, page pictures, images and
//! HEIF) → `geometry` (find the sheet, flatten it) → `ocr` (the recognisers and the reading
//! policy that decides who reads what). The text then goes to the pure `i797_core`. Nothing here
//! writes output or knows about rows, runs or the command line.

pub mod geometry;
pub mod ocr;
pub mod sniff;
pub mod source;
