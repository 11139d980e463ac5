//! Known words read with a few characters wrong: how the core tells that OCR text says a phrase
//! it knows (`NYC Case Number` for `NVC Case Number`, `Berfeficiary` for `Beneficiary`). One rule
//! for every vocabulary lookup, so that no lookup carries its own list of misspellings:
//!
//! - a word is said when every character of it is the known one or looks like it (the one
//!   confusion table, `number::confusions::looks_alike`), or, for words of four letters or more,
//!   when at most one character in four is wrong (edits);
//! - a phrase is said when its words are said one after another.
//!
//! Short words must be exact but for look-alike characters: `the case number` is no
//! `nvc case number`.

use crate::confusions::looks_alike;

/// The number of single-character insertions, deletions and substitutions from `a` to `b`.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Whether `read` (as OCR gave it, any case) is the known word `known` (any case).
pub(crate) fn says_word(read: &str, known: &str) -> bool {
    let (read_length, letters) = (read.chars().count(), known.chars().count());
    if read_length == letters
        && read
            .chars()
            .zip(known.chars())
            .all(|(r, k)| looks_alike(r, k))
    {
        return true;
    }
    // Each letter more or fewer is an edit: most words of a page are told apart by length alone.
    letters >= 4
        && read_length.abs_diff(letters) <= letters / 4
        && edit_distance(&read.to_uppercase(), &known.to_uppercase()) <= letters / 4
}

/// The words of `text`: runs of letters and digits (OCR's specks and punctuation part them).
pub(crate) fn words_of(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `words` (see [`words_of`]) say `phrase` (its words parted by spaces) somewhere.
pub(crate) fn says_phrase(words: &[&str], phrase: &str) -> bool {
    let known: Vec<&str> = phrase.split(' ').collect();
    (0..words.len()).any(|start| begins_with(&words[start..], &known))
}

/// Whether `words` (see [`words_of`]) begin with `phrase` (its words parted by spaces).
pub(crate) fn starts_with_phrase(words: &[&str], phrase: &str) -> bool {
    begins_with(words, &phrase.split(' ').collect::<Vec<_>>())
}

fn begins_with(words: &[&str], known: &[&str]) -> bool {
    words.len() >= known.len() && words.iter().zip(known).all(|(r, k)| says_word(r, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_characters_make_the_word() {
        assert!(says_word("NYC", "NVC"));
        assert!(says_word("Nvc", "NVC"));
        assert!(says_word("0F", "of"));
        assert!(!says_word("THE", "NVC"));
        assert!(!says_word("ANY", "NVC"));
    }

    #[test]
    fn long_words_may_have_one_edit_in_four_letters() {
        assert!(says_word("Berfeficiary", "beneficiary"));
        assert!(says_word("Benieficiary", "beneficiary"));
        assert!(says_word("Nauonal", "national"));
        assert!(!says_word("Create", "center"));
        assert!(!says_word("Requester", "petitioner"));
        // Three letters: one wrong is a third of the word, too many for a known word.
        assert!(!says_word("NBC", "NVC"));
    }

    #[test]
    fn a_phrase_is_its_words_in_order() {
        let words = words_of(".NYC Case Number:   MINL2020547");
        assert!(says_phrase(&words, "nvc case number"));
        let words = words_of("Please quote the case number on every letter.");
        assert!(!says_phrase(&words, "nvc case number"));
        let words = words_of("Nauonal .    Visa Create");
        assert!(!says_phrase(&words, "national visa center"));
        let words = words_of("Case Number NVC");
        assert!(!says_phrase(&words, "nvc case number"));
    }

    #[test]
    fn edit_distance_counts_single_characters() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
