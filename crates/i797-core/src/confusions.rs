//! The one confusion table: which characters the recognisers read for which, as data. Every
//! repair of a number, a form code or a date looks here and nowhere else; adding a confusion is
//! a row here and a test beside the repair that needs it.
//!
//! A repair is only ever offered, never forced: the decoder (`receipt`) still demands a known
//! prefix, ten digits and at most a few repairs, and each repair is a doubt that only an
//! agreeing second reading answers (`agreement`).

use std::sync::LazyLock;

/// What a misread character may stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stands {
    /// A digit, where the grammar wants one.
    Digit(char),
    /// A capital letter, where the grammar wants a letter and read something else.
    Letter(char),
    /// Another capital letter: two capitals a degraded print makes look alike (`IGE` for `IOE`).
    Capital(char),
}

use Stands::{Capital, Digit, Letter};

/// (read, stands for). Where a character stands for several digits the first is taken; letters
/// are all offered (the known prefixes decide).
const TABLE: &[(char, Stands)] = &[
    // Round shapes.
    ('O', Digit('0')),
    ('o', Digit('0')),
    ('D', Digit('0')),
    ('Q', Digit('0')),
    ('0', Letter('O')),
    ('0', Letter('D')),
    ('0', Letter('Q')),
    ('o', Letter('O')),
    ('O', Capital('G')),
    ('O', Capital('C')),
    ('O', Capital('D')),
    ('O', Capital('Q')),
    ('G', Capital('O')),
    ('G', Capital('C')),
    ('C', Capital('G')),
    ('C', Capital('O')),
    ('Q', Capital('O')),
    ('D', Capital('O')),
    // Upright strokes: I, 1, l, the table's ruling, and a slanted I in a photo.
    ('I', Digit('1')),
    ('l', Digit('1')),
    ('|', Digit('1')),
    ('i', Digit('1')),
    ('!', Digit('1')),
    ('1', Letter('I')),
    ('1', Letter('L')),
    // A serif T whose crossbar faded (`1SC` for `TSC` on a 150-dpi scan).
    ('1', Letter('T')),
    ('l', Letter('I')),
    ('l', Letter('L')),
    ('|', Letter('I')),
    ('i', Letter('I')),
    ('!', Letter('I')),
    ('\\', Letter('I')),
    // Digits and the capitals they resemble.
    ('Z', Digit('2')),
    ('z', Digit('2')),
    ('2', Letter('Z')),
    ('4', Letter('A')),
    ('S', Digit('5')),
    ('s', Digit('5')),
    ('5', Letter('S')),
    ('G', Digit('6')),
    ('b', Digit('6')),
    ('6', Letter('G')),
    ('T', Digit('7')),
    ('7', Letter('T')),
    ('B', Digit('8')),
    ('8', Letter('B')),
    ('g', Digit('9')),
    ('q', Digit('9')),
    // Currency signs for the letters they are drawn from: S with a speck, a Y with a speck on
    // its stem, an E with a worn or doubled bar (`|0£3…`, `10€4…`).
    ('$', Letter('S')),
    ('\u{a5}', Letter('Y')),
    ('\u{a3}', Letter('E')),
    ('\u{20ac}', Letter('E')),
    // The euro sign is a C with two bars (`NY €2311188905` on a screened 300-dpi scan).
    ('\u{20ac}', Letter('C')),
    ('E', Capital('F')),
    ('F', Capital('E')),
    // The fork of a Y whose stem faded, a V with a speck under its point (`NYC Case Number` on
    // a 100-dpi fax).
    ('Y', Capital('V')),
    ('V', Capital('Y')),
    // Lower-case letters whose shape is the capital's, as OCR reads small print.
    ('c', Letter('C')),
    ('s', Letter('S')),
    ('u', Letter('U')),
    ('v', Letter('V')),
    ('w', Letter('W')),
    ('x', Letter('X')),
    ('z', Letter('Z')),
];

/// Marks a speck on the paper is read as: between two parts of a number they stand for nothing
/// (`YSC 25-093:96213`, `ZNY95.6557652`).
const SPECKS: &[char] = &['.', ':', ',', '\u{b0}', '\u{b7}'];

/// Whether `c` is a mark a speck on the paper is read as (see [`SPECKS`]).
pub fn is_speck(c: char) -> bool {
    SPECKS.contains(&c)
}

/// `c` as a digit where a digit is wanted: itself, or the digit it is a misreading of.
pub fn as_digit(c: char) -> Option<char> {
    if c.is_ascii_digit() {
        Some(c)
    } else {
        digit_for(c)
    }
}

/// Whether `c` is a letter or digit, or a character the table reads as one (`€`, `|`, `$`).
pub fn may_stand_for_alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric() || digit_for(c).is_some() || !letters_for(c).is_empty()
}

/// The digit `c` (not itself a digit) stands for where a digit is wanted: its likeliest one.
pub fn digit_for(c: char) -> Option<char> {
    TABLE.iter().find_map(|&(read, stands)| match stands {
        Digit(d) if read == c => Some(d),
        _ => None,
    })
}

/// The capital letters `c` (not itself a capital) may stand for where a letter is wanted.
pub fn letters_for(c: char) -> Vec<char> {
    TABLE
        .iter()
        .filter_map(|&(read, stands)| match stands {
            Letter(l) if read == c => Some(l),
            _ => None,
        })
        .collect()
}

/// Capitals a degraded print makes `c` (a capital) look like.
pub fn capitals_like(c: char) -> Vec<char> {
    TABLE
        .iter()
        .filter_map(|&(read, stands)| match stands {
            Capital(l) if read == c => Some(l),
            _ => None,
        })
        .collect()
}

/// Two characters OCR reads for one letter (`Nurnber` for `Number`), each row (read, stands for).
const PAIRS: &[(&str, char)] = &[("rn", 'M')];

/// Whether the two characters `first`, `second` (as OCR gave them) may be the one known letter
/// `known` (see [`PAIRS`]).
pub fn pair_looks_like(first: char, second: char, known: char) -> bool {
    PAIRS.iter().any(|&(pair, letter)| {
        let mut read = pair.chars();
        read.next() == Some(first.to_ascii_lowercase())
            && read.next() == Some(second.to_ascii_lowercase())
            && letter == known.to_ascii_uppercase()
    })
}

/// The ASCII characters a word as read may stand for, as bits (bit `k` for character `k`): each
/// of its characters' look-alikes, and the letter of each pair in it. A known word with more
/// characters outside this set than an allowed count of edits cannot be what was read.
pub fn may_stand_for(read: &str) -> u128 {
    let mut bits = 0u128;
    let mut previous = None;
    for c in read.chars() {
        bits |= match u8::try_from(c) {
            Ok(r) if r < 128 => ASCII_ALIKE[usize::from(r)],
            _ => (0..128u8)
                .filter(|&k| looks_alike_by_table(c, char::from(k)))
                .fold(0, |bits, k| bits | 1 << k),
        };
        if let Some(first) = previous {
            for &(_, letter) in PAIRS {
                if pair_looks_like(first, c, letter) {
                    bits |= 1 << (letter as u32);
                }
            }
        }
        previous = Some(c);
    }
    bits
}

/// The ASCII characters of `known`, as bits (see [`may_stand_for`]).
pub fn characters_of(known: &str) -> u128 {
    known
        .chars()
        .filter(char::is_ascii)
        .fold(0, |bits, c| bits | 1 << (c as u32))
}

/// Whether the two characters `first`, `second` (as OCR gave them) are a pair of [`PAIRS`],
/// whatever letter it stands for.
pub fn is_pair(first: char, second: char) -> bool {
    PAIRS
        .iter()
        .any(|&(_, letter)| pair_looks_like(first, second, letter))
}

/// Whether `read` (a character as OCR gave it) may be the known letter or digit `known`: the same
/// letter in either case, or one the table says it is misread for.
#[inline]
pub fn looks_alike(read: char, known: char) -> bool {
    match (u8::try_from(read), u8::try_from(known)) {
        (Ok(r), Ok(k)) if r < 128 && k < 128 => (ASCII_ALIKE[usize::from(r)] >> k) & 1 == 1,
        _ => looks_alike_by_table(read, known),
    }
}

/// [`looks_alike`] for ASCII characters, worked out once: bit `k` of entry `r`. Vocabulary lookups
/// compare every word of a page with every known word.
static ASCII_ALIKE: LazyLock<[u128; 128]> = LazyLock::new(|| {
    let mut alike = [0u128; 128];
    for (r, bits) in alike.iter_mut().enumerate() {
        for k in 0..128u8 {
            if looks_alike_by_table(char::from(r as u8), char::from(k)) {
                *bits |= 1 << k;
            }
        }
    }
    alike
});

fn looks_alike_by_table(read: char, known: char) -> bool {
    let (read_capital, known) = (read.to_ascii_uppercase(), known.to_ascii_uppercase());
    read_capital == known
        || digit_for(read) == Some(known)
        || TABLE.iter().any(|&(r, stands)| match stands {
            Letter(l) => r == read && l == known,
            Capital(l) => r == read_capital && l == known,
            Digit(_) => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_character_stands_for_one_digit_at_most() {
        for &(read, stands) in TABLE {
            if let Digit(_) = stands {
                let digits = TABLE
                    .iter()
                    .filter(|&&(r, s)| r == read && matches!(s, Digit(_)))
                    .count();
                assert_eq!(digits, 1, "{read:?} stands for {digits} digits");
            }
        }
    }

    #[test]
    fn no_row_maps_a_character_to_itself_and_letters_are_capitals() {
        for &(read, stands) in TABLE {
            let (Digit(to) | Letter(to) | Capital(to)) = stands;
            assert_ne!(read, to);
            match stands {
                Digit(d) => assert!(d.is_ascii_digit() && !read.is_ascii_digit()),
                Letter(l) => assert!(l.is_ascii_uppercase() && !read.is_ascii_uppercase()),
                Capital(l) => assert!(l.is_ascii_uppercase() && read.is_ascii_uppercase()),
            }
        }
    }

    #[test]
    fn lookups_read_the_table() {
        assert_eq!(digit_for('7'), None);
        assert_eq!(digit_for('O'), Some('0'));
        assert_eq!(digit_for('l'), Some('1'));
        assert_eq!(digit_for('A'), None);
        assert_eq!(letters_for('1'), vec!['I', 'L', 'T']);
        assert_eq!(letters_for('\u{20ac}'), vec!['E', 'C']);
        assert!(letters_for('A').is_empty());
        assert_eq!(capitals_like('G'), vec!['O', 'C']);
    }
}
