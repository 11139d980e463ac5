//! One case number: its grammar (three letters and ten digits, or an NVC post and its digits),
//! the prefixes that exist, and the one table of characters a recogniser confuses. Pure.

pub mod prefixes;
pub(crate) mod receipt;
