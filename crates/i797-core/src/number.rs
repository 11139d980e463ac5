//! One case number: its grammar (three letters and ten digits, or an NVC post and its digits),
//! the prefixes that exist, and the one table of characters a recogniser confuses. Pure.

pub mod prefixes;
pub(crate) mod receipt;

/// The letters a case number starts with: its USCIS office or consular post (`EAC`, `MNL`).
pub const PREFIX_LETTERS: usize = 3;

/// The office or post `number` (a case number as read) starts with.
pub fn prefix(number: &str) -> &str {
    number.get(..PREFIX_LETTERS).unwrap_or(number)
}
