//! Known words read with a few characters wrong: how the core tells that OCR text says a phrase
//! it knows (`NYC Case Number` for `NVC Case Number`, `Recened Date` for `Received Date`). One rule
//! for every vocabulary lookup (labels, page marks), so that no lookup carries its own list of
//! misspellings:
//!
//! - a character read as a look-alike of the known one (the one confusion table,
//!   `confusions::looks_alike`) is no edit;
//! - short words (under four letters: `NVC`, `No`, `#`) must be read as printed, but for
//!   look-alikes: one wrong letter makes another word (`the case number` is no `nvc case number`);
//! - the long words of a phrase may together have one edit (a letter wrong, missing or extra) in
//!   four letters, when they have seven letters or more, and each at most one in four (one in a
//!   word of four to seven letters): in a shorter phrase one edit makes another word (`Page`,
//!   `Paige`), and a word with two wrong, or two letters more or fewer, is another word (`Date
//!   Number` is no `Case Number`, `Petition` no `Petitioner`);
//! - a word split in two (`Rece ived`, `Recei t`: a faint letter read as a space) or two run
//!   together (`CaseType`) must be read as printed but for look-alikes.

use std::ops::Range;

use crate::confusions::{characters_of, is_pair, looks_alike, may_stand_for, pair_looks_like};

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

/// The longest word [`misread_distance`] compares.
const LONGEST: usize = 24;

/// The edits from what OCR read to a known word, a look-alike character (or pair of characters,
/// `rn` for `m`) being no edit; `None` when there are more than `most`. Only the band of `most`
/// cells either side of the diagonal can stay within `most`, so only it is worked out, on the
/// stack: every word of every page is compared with the vocabulary. Words longer than
/// [`LONGEST`] are never said with an edit (no known word is near that long, and a read word is
/// refused before it comes here when its length is more than one off the known word's).
fn misread_distance(read: &str, known: &str, most: usize) -> Option<usize> {
    let mut a = ['\0'; LONGEST];
    let mut b = ['\0'; LONGEST];
    let (n, m) = (fill(&mut a, read)?, fill(&mut b, known)?);
    // Each pair read for one letter (`rn` for `m`) moves the path one cell off the diagonal at no
    // cost: the band widens by one for each.
    let pairs = (1..n).filter(|&k| is_pair(a[k - 1], a[k])).count();
    let band = most + pairs;
    if n.abs_diff(m) > band {
        return None;
    }
    let far = most + 1;
    let mut last_best = 0;
    // Rows i-2, i-1 and i of the table; entries outside the band stay `far` (too many).
    let mut rows = [[far; LONGEST + 1]; 3];
    for (j, cell) in rows[1].iter_mut().enumerate().take(m.min(band) + 1) {
        *cell = j.min(far);
    }
    for i in 1..=n {
        let [r0, r1, r2] = &mut rows;
        // Rotate: `older` is row i-2, `last` row i-1, `row` row i.
        let (older, last, row) = match i % 3 {
            1 => (&*r0, &*r1, r2),
            2 => (&*r1, &*r2, r0),
            _ => (&*r2, &*r0, r1),
        };
        row.fill(far);
        let from = i.saturating_sub(band);
        let to = (i + band).min(m);
        if from == 0 {
            row[0] = i.min(far);
        }
        let mut best_in_row = far;
        for j in from.max(1)..=to {
            let substitution = last[j - 1] + usize::from(!looks_alike(a[i - 1], b[j - 1]));
            let mut cell = substitution.min(last[j] + 1).min(row[j - 1] + 1);
            if i > 1 && pair_looks_like(a[i - 2], a[i - 1], b[j - 1]) {
                cell = cell.min(older[j - 1]);
            }
            row[j] = cell.min(far);
            best_in_row = best_in_row.min(row[j]);
        }
        if from == 0 {
            best_in_row = best_in_row.min(row[0]);
        }
        // A pair steps over a row: only two rows in a row past `most` end the search.
        if best_in_row > most && last_best > most {
            return None;
        }
        last_best = best_in_row;
    }
    let last = match n % 3 {
        1 => &rows[2],
        2 => &rows[0],
        _ => &rows[1],
    };
    Some(last[m]).filter(|&d| d <= most)
}

/// `word`'s characters into `into`, their count; `None` when it is longer than `into`.
fn fill(into: &mut [char], word: &str) -> Option<usize> {
    let mut count = 0;
    for c in word.chars() {
        *into.get_mut(count)? = c;
        count += 1;
    }
    Some(count)
}

/// Words shorter than this are read as printed (but for look-alike characters).
const LONG_WORD: usize = 4;

/// A phrase whose long words have fewer letters than this allows no edit.
const FEWEST_LETTERS_FOR_EDITS: usize = 7;

/// A known phrase, prepared once: its words, and the edits the rule allows it.
#[derive(Debug)]
pub(crate) struct Phrase {
    words: Vec<String>,
    /// Each word's length and [`characters_of`] it, worked out once.
    lengths: Vec<usize>,
    characters: Vec<u128>,
    letters: usize,
    budget: usize,
}

impl Phrase {
    /// `phrase`: its words parted by spaces.
    pub(crate) fn new(phrase: &str) -> Phrase {
        let words: Vec<String> = phrase.split(' ').map(str::to_uppercase).collect();
        let lengths: Vec<usize> = words.iter().map(|w| length(w)).collect();
        let long_letters: usize = lengths.iter().filter(|&&n| n >= LONG_WORD).sum();
        Phrase {
            characters: words.iter().map(|w| characters_of(w)).collect(),
            letters: lengths.iter().sum(),
            lengths,
            budget: if long_letters >= FEWEST_LETTERS_FOR_EDITS {
                long_letters / 4
            } else {
                0
            },
            words,
        }
    }

    /// The edits by which the words `read` (as OCR gave them, any case) say this phrase under
    /// the rule of the module comment; `None` when they do not say it.
    fn edits(&self, read: &[&str]) -> Option<usize> {
        if read.len() == self.words.len() {
            let mut edits = 0;
            for (index, (r, k)) in read.iter().zip(&self.words).enumerate() {
                if alike(r, k) {
                    continue;
                }
                let known_length = self.lengths[index];
                if known_length < LONG_WORD || length(r).abs_diff(known_length) > 1 {
                    return None;
                }
                let most = (known_length / 4).max(1).min(self.budget - edits);
                // Each of the known word's characters the read one cannot stand for is an edit
                // at least: most words of a page are ruled out by that count alone.
                let unmatched = (self.characters[index] & !may_stand_for(r)).count_ones() as usize;
                if unmatched > most {
                    return None;
                }
                edits += misread_distance(r, k, most)?;
            }
            return Some(edits);
        }
        split_or_run_together(read, &self.words).then_some(0)
    }

    /// Whether `words` say this phrase and nothing more.
    pub(crate) fn says_all(&self, words: &[&str]) -> bool {
        self.said_at(words)
            .is_some_and(|(count, _)| count == words.len())
    }

    /// Whether a phrase may begin with `first` (a word as read): its first character is a
    /// look-alike of the phrase's, or the phrase's first word may be read with an edit there. Exact, and cheap enough to ask of every word
    /// for every phrase before [`Phrase::said_at`].
    fn may_begin_with(&self, first: &FirstWord) -> bool {
        let Some(k) = self.words[0].chars().next() else {
            return false;
        };
        if first.initial.is_some_and(|r| looks_alike(r, k)) {
            return true;
        }
        let known_length = self.lengths[0];
        let most = (known_length / 4).max(1).min(self.budget);
        self.budget > 0
            && known_length >= LONG_WORD
            && first.length.abs_diff(known_length) <= 1
            && (self.characters[0] & !first.may_stand_for).count_ones() as usize <= most
    }

    /// How `words` begin by saying this phrase: the count of words that say it (one more or
    /// fewer than its own when one is split or two are run together) and the edits.
    fn said_at(&self, words: &[&str]) -> Option<(usize, usize)> {
        let own = self.words.len();
        [own, own + 1, own.saturating_sub(1)]
            .into_iter()
            .filter(|&n| n >= 1 && n <= words.len())
            .filter_map(|n| self.edits(&words[..n]).map(|edits| (n, edits)))
            .min_by_key(|&(_, edits)| edits)
    }
}

/// Whether `read` says `known` with one word split in two (`Rece ived`, or `Recei t` where a faint
/// letter was read as a space) or two run together (`CaseType`), every character as printed but
/// for look-alikes: a split or a join is already one misreading, so no letter may be wrong too.
fn split_or_run_together(read: &[&str], known: &[String]) -> bool {
    let all_alike = |read: &[&str], known: &[String]| {
        read.len() == known.len() && read.iter().zip(known).all(|(r, k)| alike(r, k))
    };
    if read.len() == known.len() + 1 {
        (0..known.len()).any(|at| {
            let (head, tail, word) = (read[at], read[at + 1], &known[at]);
            let split = alike_chars(head.chars().chain(tail.chars()), word.chars())
                || read_with_a_gap(head, tail, word);
            split
                && all_alike(&read[..at], &known[..at])
                && all_alike(&read[at + 2..], &known[at + 1..])
        })
    } else if read.len() + 1 == known.len() {
        (0..read.len()).any(|at| {
            alike_chars(
                read[at].chars(),
                known[at].chars().chain(known[at + 1].chars()),
            ) && all_alike(&read[..at], &known[..at])
                && all_alike(&read[at + 1..], &known[at + 2..])
        })
    } else {
        false
    }
}

/// Whether `head` and `tail` are `word` with one letter between them read as a space.
fn read_with_a_gap(head: &str, tail: &str, word: &str) -> bool {
    let mut known = word.chars();
    head.chars()
        .all(|r| known.next().is_some_and(|k| looks_alike(r, k)))
        && known.next().is_some()
        && alike_chars(tail.chars(), known)
}

/// Whether `read` is `known` character for character, but for look-alikes.
fn alike(read: &str, known: &str) -> bool {
    alike_chars(read.chars(), known.chars())
}

fn alike_chars(
    mut read: impl Iterator<Item = char>,
    mut known: impl Iterator<Item = char>,
) -> bool {
    loop {
        match (read.next(), known.next()) {
            (Some(r), Some(k)) if looks_alike(r, k) => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// The number of characters of `word` (its byte length when it is ASCII, as most are).
fn length(word: &str) -> usize {
    if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    }
}

/// The words of `text`: runs of letters and digits (OCR's specks and punctuation part them).
pub(crate) fn words_of(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `words` (see [`words_of`]) say `phrase` (its words parted by spaces) somewhere.
pub(crate) fn says_phrase(words: &[&str], phrase: &str) -> bool {
    let phrase = Phrase::new(phrase);
    (0..words.len()).any(|start| phrase.said_at(&words[start..]).is_some())
}

/// The marks a label may print as words of their own (`A #`, `A-Number`, `Applicant /
/// Petitioner`).
const MARKS: &[char] = &['#', '-', '/'];

/// The words of a line for finding phrases in it, each with its byte range: runs of letters and
/// digits, and each of [`MARKS`] alone; anything else parts them.
fn words_with_places(text: &str) -> Vec<(&str, Range<usize>)> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(at);
            continue;
        }
        if let Some(from) = start.take() {
            words.push((&text[from..at], from..at));
        }
        if MARKS.contains(&c) {
            words.push((&text[at..at + 1], at..at + 1));
        }
    }
    if let Some(from) = start {
        words.push((&text[from..], from..text.len()));
    }
    words
}

/// What [`Phrase::may_begin_with`] asks of a word as read, worked out once for all phrases.
struct FirstWord {
    initial: Option<char>,
    length: usize,
    may_stand_for: u128,
}

impl FirstWord {
    fn of(word: &str) -> FirstWord {
        FirstWord {
            initial: word.chars().next(),
            length: length(word),
            may_stand_for: may_stand_for(word),
        }
    }
}

/// The phrases of `vocabulary` said in `text`, left to right and none overlapping: at each word,
/// the phrase said there with the most letters (fewest edits among those). Each as its index in
/// `vocabulary` and the byte range that says it.
pub(crate) fn find_phrases(text: &str, vocabulary: &[Phrase]) -> Vec<(usize, Range<usize>)> {
    let places = words_with_places(text);
    let words: Vec<&str> = places.iter().map(|(w, _)| *w).collect();
    let mut found = Vec::new();
    let mut at = 0;
    while at < words.len() {
        let first = FirstWord::of(words[at]);
        let best = vocabulary
            .iter()
            .enumerate()
            .filter(|(_, phrase)| phrase.may_begin_with(&first))
            .filter_map(|(index, phrase)| {
                let (count, edits) = phrase.said_at(&words[at..])?;
                Some((index, count, phrase.letters, edits))
            })
            .max_by_key(|&(index, _, letters, edits)| {
                (letters, std::cmp::Reverse(edits), std::cmp::Reverse(index))
            });
        match best {
            Some((index, count, ..)) => {
                found.push((index, places[at].1.start..places[at + count - 1].1.end));
                at += count;
            }
            None => at += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `read` (as OCR gave it, any case) is the known word `known` (any case).
    fn says_word(read: &str, known: &str) -> bool {
        Phrase::new(known).says_all(&[read])
    }

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
    fn a_phrase_may_have_one_edit_in_four_letters_and_one_in_a_short_word() {
        let said = |read: &str, phrase: &str| says_phrase(&words_of(read), phrase);
        assert!(said("Recened Date", "received date"));
        assert!(said("Gase Type", "case type"));
        assert!(said("Notice Mate", "notice date"));
        assert!(said("Beneiclary", "beneficiary"));
        // `rn` is read for `m`, one look-alike of two characters.
        assert!(said("Receipt Nurnber", "receipt number"));
        // Two wrong in a word of four, two letters fewer: other words.
        assert!(!said("Date Number", "case number"));
        assert!(!said("Petition", "petitioner"));
        // Under seven letters, no edit: one makes another word.
        assert!(!said("Paige", "page"));
        assert!(!said("Clash", "class"));
        assert!(!said("the case number", "nvc case number"));
    }

    #[test]
    fn a_word_split_or_two_run_together_must_be_read_as_printed() {
        let said = |read: &str, phrase: &str| says_phrase(&words_of(read), phrase);
        assert!(said("Rece ived Date", "received date"));
        assert!(said("Recei t Number", "receipt number"));
        assert!(said("CaseType", "case type"));
        assert!(!said("ReceivedDaie", "received date"));
        // A word and the next read as one with a letter wrong: not a label.
        assert!(!said("PETITION FOR", "petitioner"));
    }

    #[test]
    fn phrases_are_found_left_to_right_with_their_places() {
        let vocabulary: Vec<Phrase> = ["case type", "case number", "nvc case number", "page"]
            .into_iter()
            .map(Phrase::new)
            .collect();
        let text = "NVC Case Number:  MNL2020547   Gase Type  I-130   Page 1";
        let found: Vec<(usize, &str)> = find_phrases(text, &vocabulary)
            .into_iter()
            .map(|(index, bytes)| (index, &text[bytes]))
            .collect();
        assert_eq!(
            found,
            [(2, "NVC Case Number"), (0, "Gase Type"), (3, "Page")]
        );
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

    /// The misread distance worked out over the whole table, as the banded one must agree with.
    fn whole_table(read: &str, known: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (read.chars().collect(), known.chars().collect());
        let mut table = vec![vec![0; b.len() + 1]; a.len() + 1];
        for (i, row) in table.iter_mut().enumerate() {
            row[0] = i;
        }
        table[0] = (0..=b.len()).collect();
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let substitution =
                    table[i - 1][j - 1] + usize::from(!looks_alike(a[i - 1], b[j - 1]));
                let mut cell = substitution
                    .min(table[i - 1][j] + 1)
                    .min(table[i][j - 1] + 1);
                if i > 1 && pair_looks_like(a[i - 2], a[i - 1], b[j - 1]) {
                    cell = cell.min(table[i - 2][j - 1]);
                }
                table[i][j] = cell;
            }
        }
        table[a.len()][b.len()]
    }

    #[test]
    fn the_banded_distance_is_the_whole_tables_within_its_band() {
        let words = [
            "RECEIPT",
            "Rece1pt",
            "Recened",
            "RECEIVED",
            "Nurnber",
            "NUMBER",
            "Beneiclary",
            "BENEFICIARY",
            "Gase",
            "CASE",
            "Date",
            "Priority",
            "Prorty",
            "",
            "A",
            "rnrn",
            "MM",
        ];
        for read in words {
            for known in words {
                let whole = Some(whole_table(read, known));
                for most in 0..4 {
                    let within = whole.filter(|&d| d <= most);
                    assert_eq!(
                        misread_distance(read, known, most),
                        within,
                        "{read} {known} {most}"
                    );
                }
            }
        }
    }

    #[test]
    fn edit_distance_counts_single_characters() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
