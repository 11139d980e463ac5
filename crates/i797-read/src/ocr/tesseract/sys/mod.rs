//! The only place that talks C: safe owning handles over Leptonica images ([`pix`]), Tesseract
//! engines ([`engine`]) and libgomp's thread limit ([`openmp`]), all through `leptess::capi`.
//!
//! Invariant: every `unsafe` block of the OCR stage is in this module, each with its SAFETY
//! reason; the code above it is safe Rust.

pub mod engine;
pub mod openmp;
pub mod pix;
