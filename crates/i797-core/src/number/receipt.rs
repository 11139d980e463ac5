//! Case numbers: finds 13-character codes (3 letters + 10 digits; 9 digits after
//! an asylum-office prefix) in layout text, canonicalises them and repairs OCR confusions.
//!
//! Invariant: a reading whose prefix is already a known office and whose digits are all digits is
//! never changed; a repair only ever turns a non-letter into a letter or a non-digit into a digit,
//! and only when exactly one known prefix results. The one other repair, dropping a character OCR
//! read twice at the prefix (`ZBO0…`), is only offered for a token that is no number as printed,
//! and is marked on the reading (`Reading::extra`) so the caller can demand more evidence.

use crate::Doubt;
use crate::confusions::{as_digit, capitals_like, digit_for, is_speck, letters_for};
use crate::layout::{Layout, Span};
use crate::number::PREFIX_LETTERS;
use crate::number::prefixes::{is_asylum_office, is_consular_post, is_uscis_prefix};

/// At most this many characters of one number may be repaired: beyond that the code is more
/// likely something else than a misread case number.
const MAX_REPAIRS: usize = 3;

/// One place a case-number-shaped code is printed, as read (before any repair).
#[derive(Clone, Debug)]
pub(crate) struct Reading {
    pub line: usize,
    /// Columns of the whole code, separators included.
    pub span: Span,
    /// The three prefix characters and the digit characters (9 or 10), as read.
    pub prefix: [char; 3],
    pub digits: Vec<char>,
    /// Page `char` indexes of the 12 or 13 significant characters, in order.
    pub positions: Vec<usize>,
    /// Printed ungrouped (`EAC2190012345`) or in the standard groups (`EAC-21-900-12345`); other
    /// groupings are taken only when a label vouches for them.
    pub standard_grouping: bool,
    /// OCR spaced parts of the number wider than print does, or read a speck between them as a
    /// mark: a sign the line was hard to read.
    pub loose_spacing: bool,
    /// A character read twice at the prefix and left out of `prefix`/`digits`.
    pub extra: Option<Extra>,
}

/// A character OCR read twice (`ZBO02213775665`: the `O` also as `0`), dropped from a reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Extra {
    /// Page `char` index of the dropped character.
    pub position: usize,
    /// How many characters of the number come before it.
    pub before: usize,
    pub read: char,
}

/// A reading made canonical.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Canonical {
    pub number: String,
    pub repairs: Vec<Doubt>,
}

fn is_hyphen(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}'
    )
}

fn is_separator(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || is_hyphen(c)
}

/// Characters OCR gives for a letter of a prefix: letters, digits, and the marks [`letters_for`]
/// knows (but `$`, which only ever starts a code, see `read_at`).
fn is_prefix_like(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c != '$' && !letters_for(c).is_empty())
}

/// How many characters at `j` separate two parts of a code: one space or hyphen, or a hyphen
/// with a space OCR put beside it (`WAC -21-962-93142`); 0 for none.
fn separator_len(chars: &[char], j: usize) -> usize {
    match (chars.get(j), chars.get(j + 1)) {
        (Some(&a), Some(&b))
            if is_separator(a) && is_separator(b) && is_hyphen(a) != is_hyphen(b) =>
        {
            2
        }
        (Some(&a), _) if is_separator(a) => 1,
        _ => 0,
    }
}

/// The widest run of spaces OCR puts between a grouped number's parts (`WAC 19     939 55568`);
/// wider is a gap between columns.
const MAX_GROUP_GAP: usize = 6;

/// How many characters at the start of `rest` part two groups of a grouped number: spaces (up
/// to [`MAX_GROUP_GAP`]), or one mark OCR made of a speck in the gap (`-`, `.`, `:`, `,`, `°`)
/// with at most one space on each side; 0 for none.
fn group_gap_len(rest: &[char]) -> usize {
    let spaces = rest.iter().take_while(|&&c| c == ' ').count();
    let is_mark = |c: &char| is_hyphen(*c) || is_speck(*c);
    if spaces > 1 || rest.get(spaces).is_none_or(|c| !is_mark(c)) {
        return if spaces <= MAX_GROUP_GAP { spaces } else { 0 };
    }
    let after = usize::from(rest.get(spaces + 1) == Some(&' '));
    spaces + 1 + after
}

/// Characters OCR gives for a table's ruling, and for an `I` (upright or, in a photo, slanted).
fn is_rule(c: char) -> bool {
    c == '|' || c == '\\'
}

/// Characters OCR gives for a digit.
fn is_digit_like(c: char) -> bool {
    as_digit(c).is_some()
}

/// What a prefix must be, given the digits read after it, for the code to be a case number: a
/// USCIS office's, or a consular post's when the digits follow the NVC pattern or an NVC label
/// stands beside the code. So the long list of posts makes no three-letter word plus ten digits
/// a number, and offers no more prefixes to repair a misread one into than the digits allow.
#[derive(Clone, Copy)]
struct PrefixTest<'a> {
    digits: &'a [char],
    labelled_nvc: bool,
}

impl PrefixTest<'_> {
    fn is_known(self, p: &str) -> bool {
        is_uscis_prefix(p) || (is_consular_post(p) && (self.labelled_nvc || self.nvc_digits()))
    }

    /// The digits, each misread one taken as the digit it stands for, follow the NVC pattern.
    fn nvc_digits(self) -> bool {
        let digits: Option<String> = self.digits.iter().map(|&c| as_digit(c)).collect();
        digits.is_some_and(|d| has_nvc_structure(&d))
    }
}

/// Every case-number-shaped code on the page, in reading order.
pub(crate) fn scan(layout: &Layout) -> Vec<Reading> {
    let mut out = Vec::new();
    for (line_index, line) in layout.lines.iter().enumerate() {
        let chars = &layout.chars[line.start..line.start + line.len];
        let mut i = 0;
        while i + 3 < chars.len() {
            // A table border OCR glued on (`|EAC…`) is no part of the code.
            let border_before =
                i >= 1 && is_rule(chars[i - 1]) && (i < 2 || !is_prefix_like(chars[i - 2]));
            let starts_token = i == 0
                || !(is_prefix_like(chars[i - 1]) || chars[i - 1] == '_')
                || (border_before && chars[i].is_ascii_uppercase());
            if starts_token
                && let Some((reading, end)) = read_at(chars, i).or_else(|| read_doubled(chars, i))
            {
                out.push(Reading {
                    line: line_index,
                    span: Span { start: i, end },
                    positions: reading.positions.iter().map(|p| line.start + p).collect(),
                    extra: reading.extra.map(|extra| Extra {
                        position: line.start + extra.position,
                        ..extra
                    }),
                    ..reading
                });
                i = end;
                continue;
            }
            i += 1;
        }
    }
    out
}

/// Reads a code starting at `i`: its reading (positions relative to the line) and end column.
fn read_at(chars: &[char], i: usize) -> Option<(Reading, usize)> {
    let prefix = [chars[i], chars[i + 1], chars[i + 2]];
    // OCR reads a leading `S` as `$` (`$RC…`); elsewhere `$` is no part of a code.
    let prefix_like = |(k, &c): (usize, &char)| is_prefix_like(c) || (k == 0 && c == '$');
    // Some character must be no digit or small letter: a run of digits is no code (`|0£` is).
    let letter_like = |c: &char| !(c.is_ascii_digit() || c.is_ascii_lowercase());
    if !prefix.iter().enumerate().all(prefix_like) || !prefix.iter().any(letter_like) {
        return None;
    }
    let n = chars.len();
    let mut j = i + 3;
    // `EAC-2190012345`, `EAC 21 900 12345`, `EAC*2190012345` (USCIS prints some with an asterisk).
    let digit_at = |k: usize| chars.get(k).is_some_and(|&c| is_digit_like(c));
    let separator = separator_len(chars, j);
    let spaces = chars[j..].iter().take_while(|&&c| c == ' ').count();
    // OCR may space a prefix as wide as a column gap from its digits (`LIN   19 035 74477`):
    // taken only when the digits then come in the printed groups.
    let wide_after_prefix = (2..=MAX_GROUP_GAP).contains(&spaces) && digit_at(j + spaces);
    let spaced = wide_after_prefix || (separator > 0 && digit_at(j + separator));
    if wide_after_prefix {
        j += spaces;
    } else if spaced {
        j += separator;
    } else if chars[j] == '*' && digit_at(j + 1) {
        j += 1;
    }
    let mut digits = Vec::new();
    let mut positions = vec![i, i + 1, i + 2];
    // Digit counts before each separator inside the digits.
    let mut gaps = Vec::new();
    let mut loose_spacing = wide_after_prefix;
    while digits.len() < 10 && j < n {
        let separator = separator_len(chars, j);
        if is_digit_like(chars[j]) {
            digits.push(chars[j]);
            positions.push(j);
            j += 1;
        } else if !digits.is_empty() && separator > 0 && digit_at(j + separator) {
            gaps.push(digits.len());
            j += separator;
        } else if spaced && matches!(digits.len(), 2 | 5) {
            // A number printed in groups (`WAC 19 939 55568`, often in a monospaced font) that
            // OCR spaced wider between two groups, or where it read a speck in the gap as a
            // mark (`YSC 25-093:96213`): only at the standard group boundaries.
            let run = group_gap_len(&chars[j..]);
            if run > 0 && chars.get(j + run).is_some_and(char::is_ascii_digit) {
                gaps.push(digits.len());
                loose_spacing = true;
                j += run;
            } else {
                break;
            }
        } else if (spaced || !gaps.is_empty())
            && chars[j..].starts_with(&[' ', ' '])
            && chars.get(j + 2).is_some_and(char::is_ascii_digit)
        {
            // A number OCR already broke into pieces (broken strokes on a degraded scan) may
            // have one gap just wide enough to mark a column: two spaces, the narrowest.
            gaps.push(digits.len());
            loose_spacing = true;
            j += 2;
        } else {
            break;
        }
    }
    let grouped = !gaps.is_empty();
    let ends_cleanly = |after: usize| -> bool {
        let Some(&c) = chars.get(after) else {
            return true;
        };
        if c.is_alphanumeric() || c == '|' {
            return false;
        }
        // More digits after a separator continue the number when it was printed in groups,
        // and always after a hyphen (`EAC-21-900-12345-6`).
        let digit_follows = chars.get(after + 1).is_some_and(char::is_ascii_digit);
        !(digit_follows && (is_hyphen(c) || (grouped && is_separator(c))))
    };
    let end_of = |count: usize| positions[2 + count] + 1;
    let inner_gaps =
        |count: usize| -> Vec<usize> { gaps.iter().copied().filter(|&g| g < count).collect() };
    // `WAC 19 939 55568`; an asylum office's 9 digits after the year, `ZMI 09 0452631`.
    let printed_groups = |count: usize| {
        let inner = inner_gaps(count);
        (count == 10 && inner == [2, 5]) || (count == 9 && inner == [2])
    };
    let group_ok = |count: usize| inner_gaps(count).is_empty() || printed_groups(count);
    let take = |count: usize| Reading {
        line: 0,
        span: Span { start: 0, end: 0 },
        prefix,
        digits: digits[..count].to_vec(),
        positions: positions[..3 + count].to_vec(),
        standard_grouping: group_ok(count),
        loose_spacing,
        extra: None,
    };
    // After a wide gap, the digits must come in the printed groups, or they belong to another
    // column.
    if wide_after_prefix && !printed_groups(digits.len()) {
        return None;
    }
    if digits.len() == 10 && ends_cleanly(end_of(10)) {
        return Some((take(10), end_of(10)));
    }
    // Asylum offices also issue 9-digit numbers (`ZNY956557652`).
    if digits.len() >= 9 && matches!(prefix[0], 'Z' | 'z' | '2') {
        let end = end_of(9);
        let next_is_digit_glued = chars.get(end).is_some_and(|c| c.is_ascii_digit());
        let clean_after = !next_is_digit_glued
            && match chars.get(end) {
                None => true,
                Some(&c) if c.is_alphanumeric() || c == '|' => false,
                Some(_) => !chars.get(end + 1).is_some_and(char::is_ascii_digit),
            };
        if clean_after && group_ok(9) {
            return Some((take(9), end));
        }
    }
    None
}

/// Characters OCR reads one of twice (`O` as `O0`, `I` as `1I`, a serif `T` as `1T`).
fn looks_doubled(a: char, b: char) -> bool {
    let round = |c| matches!(c, 'O' | '0');
    let stroke = |c| matches!(c, 'I' | '1' | 'l');
    (round(a) && round(b)) || (stroke(a) && (stroke(b) || b == 'T'))
}

/// Reads a token starting at `i` that is one character too long because OCR read a prefix
/// character twice: `ZBO02213775665`, `IO0E3477857276`, `1IOE3477857276`.
///
/// Only a token standing alone (no separators, nothing glued on), with the doubled pair inside
/// the first four characters, and where every way of dropping one of a doubled pair that leaves a
/// known prefix and clean digits gives the same number. A doubled digit further on (`…00…`) is
/// never dropped: there it is as likely printed, and the extra character could be anywhere.
fn read_doubled(chars: &[char], i: usize) -> Option<(Reading, usize)> {
    let end = (i..chars.len())
        .find(|&j| !is_prefix_like(chars[j]))
        .unwrap_or(chars.len());
    let token = &chars[i..end];
    if !(token.len() == 13 || token.len() == 14) {
        return None;
    }
    // `IO0E34 77857276`: a group follows, so the token is not the whole code.
    let continues = chars.get(end).is_some_and(|&c| is_separator(c) || c == '*')
        && chars.get(end + 1).is_some_and(char::is_ascii_digit);
    if continues {
        return None;
    }
    let mut best: Option<(usize, String, Reading)> = None;
    for k in 0..3 {
        if !looks_doubled(token[k], token[k + 1]) {
            continue;
        }
        for drop in [k, k + 1] {
            let kept: Vec<usize> = (0..token.len()).filter(|&j| j != drop).collect();
            if !kept[PREFIX_LETTERS..]
                .iter()
                .all(|&j| token[j].is_ascii_digit())
            {
                continue;
            }
            let reading = Reading {
                line: 0,
                span: Span { start: 0, end: 0 },
                prefix: [token[kept[0]], token[kept[1]], token[kept[2]]],
                digits: kept[PREFIX_LETTERS..].iter().map(|&j| token[j]).collect(),
                positions: kept.iter().map(|&j| i + j).collect(),
                standard_grouping: true,
                loose_spacing: false,
                extra: Some(Extra {
                    position: i + drop,
                    before: drop,
                    read: token[drop],
                }),
            };
            let Some(canonical) = reading.canonical(false) else {
                continue;
            };
            match &best {
                Some((_, number, _)) if *number != canonical.number => return None,
                Some((repairs, _, _)) if *repairs <= canonical.repairs.len() => {}
                _ => best = Some((canonical.repairs.len(), canonical.number, reading)),
            }
        }
    }
    best.map(|(_, _, reading)| (reading, end))
}

/// Whether `token`, a code one character too long, gives no case number but `number` whichever
/// one character is dropped.
pub(crate) fn admits_only(token: &[char], number: &str) -> bool {
    (0..token.len()).all(|drop| {
        let kept: Vec<char> = (0..token.len())
            .filter(|&j| j != drop)
            .map(|j| token[j])
            .collect();
        let read = read_at(&kept, 0).and_then(|(reading, _)| reading.canonical(false));
        read.is_none_or(|other| other.number == number)
    })
}

impl Reading {
    /// The canonical number, repairing OCR confusions where that gives a known prefix.
    /// `any_prefix` accepts a clean but unknown prefix (a labelled NVC case number's post code).
    pub(crate) fn canonical(&self, any_prefix: bool) -> Option<Canonical> {
        let mut repairs = Vec::new();
        let read: String = self.prefix.iter().collect();
        let test = self.prefix_test(any_prefix);
        let prefix = if self.prefix.iter().all(char::is_ascii_uppercase) {
            if !(test.is_known(&read) || any_prefix) {
                return None;
            }
            read
        } else {
            let fixed = repair_prefix(self.prefix, test)?;
            for (position, (&was, now)) in self.prefix.iter().zip(fixed.chars()).enumerate() {
                if was != now {
                    repairs.push(Doubt::Repaired {
                        position,
                        read: was,
                        as_char: now,
                    });
                }
            }
            fixed
        };
        let nine_ok = is_asylum_office(&prefix);
        if self.digits.len() == 9 && !nine_ok {
            return None;
        }
        let mut number = prefix;
        for (k, &c) in self.digits.iter().enumerate() {
            if c.is_ascii_digit() {
                number.push(c);
            } else {
                let d = digit_for(c)?;
                repairs.push(Doubt::Repaired {
                    position: 3 + k,
                    read: c,
                    as_char: d,
                });
                number.push(d);
            }
        }
        if let Some(extra) = self.extra {
            repairs.push(Doubt::ExtraCharacter {
                position: extra.before,
                read: extra.read,
            });
        }
        if repairs.len() > MAX_REPAIRS {
            return None;
        }
        Some(Canonical { number, repairs })
    }
}

impl Reading {
    /// For OCR text: a code whose capital-letter prefix is no known one, read as the one known
    /// prefix a single confusable capital away (`IGE 09 026 50868` as `IOE0902650868`), the
    /// letter counted as a repair. `None` when no or several prefixes are that near.
    pub(crate) fn canonical_confusable(&self) -> Option<Canonical> {
        if !self.prefix.iter().all(char::is_ascii_uppercase) || self.extra.is_some() {
            return None;
        }
        let read = self.prefix;
        let candidates = (0..3).flat_map(|position| {
            capitals_like(read[position]).into_iter().map(move |now| {
                let mut candidate = read;
                candidate[position] = now;
                candidate
            })
        });
        let known = the_one_known_prefix(candidates, self.prefix_test(false))?;
        let position = (0..3).find(|&p| read[p] != known[p])?;
        let mut fixed = self.clone();
        fixed.prefix = known;
        let mut canonical = fixed.canonical(false)?;
        canonical.repairs.insert(
            0,
            Doubt::Repaired {
                position,
                read: read[position],
                as_char: known[position],
            },
        );
        Some(canonical)
    }
}

impl Reading {
    fn prefix_test(&self, labelled_nvc: bool) -> PrefixTest<'_> {
        PrefixTest {
            digits: &self.digits,
            labelled_nvc,
        }
    }
}

/// The one known prefix a misread prefix can stand for, if exactly one.
fn repair_prefix(read: [char; 3], test: PrefixTest<'_>) -> Option<String> {
    let options = read.map(|c| {
        if c.is_ascii_uppercase() {
            vec![c]
        } else {
            letters_for(c)
        }
    });
    let [first, second, third] = &options;
    let candidates = first.iter().flat_map(|&a| {
        second
            .iter()
            .flat_map(move |&b| third.iter().map(move |&c| [a, b, c]))
    });
    the_one_known_prefix(candidates, test).map(|known| known.iter().collect())
}

/// The known prefix among `candidates`, when there is exactly one (repeats allowed): a misreading
/// that could stand for two offices is not repaired.
fn the_one_known_prefix(
    candidates: impl Iterator<Item = [char; 3]>,
    test: PrefixTest<'_>,
) -> Option<[char; 3]> {
    let mut found: Option<[char; 3]> = None;
    for candidate in candidates {
        if test.is_known(&candidate.iter().collect::<String>()) {
            if found.is_some_and(|f| f != candidate) {
                return None;
            }
            found = Some(candidate);
        }
    }
    found
}

/// Digits that follow the NVC pattern: a year 19xx/20xx, then 501–866 (day of year + 500).
pub(crate) fn has_nvc_structure(digits: &str) -> bool {
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let century = &digits[..2];
    let day: u32 = digits[4..7].parse().unwrap_or(0);
    (century == "19" || century == "20") && (501..=866).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<String> {
        let layout = Layout::new(text);
        scan(&layout)
            .iter()
            .filter_map(|r| r.canonical(false))
            .map(|c| c.number)
            .collect()
    }

    fn one(text: &str) -> Reading {
        let layout = Layout::new(text);
        let mut readings = scan(&layout);
        assert_eq!(readings.len(), 1, "{text}: {readings:?}");
        readings.remove(0)
    }

    #[test]
    fn a_confusable_capital_in_the_prefix() {
        let r = one("Receipt      IGE 09 026 50868        Notice Date    09/21/2015");
        assert!(r.canonical(false).is_none());
        let c = r.canonical_confusable().unwrap();
        assert_eq!(c.number, "IOE0902650868");
        assert_eq!(
            c.repairs,
            [Doubt::Repaired {
                position: 1,
                read: 'G',
                as_char: 'O'
            }]
        );
        // No known prefix that near: no number.
        assert!(one("ZOC2190012345").canonical_confusable().is_none());
        assert!(one("XYZ2190012345").canonical_confusable().is_none());
    }

    #[test]
    fn groups_spaced_wide_by_ocr() {
        assert_eq!(
            numbers(" WAC 19     939 55568                  IMMIGRANT PETITION"),
            ["WAC1993955568"]
        );
        assert_eq!(numbers("EAC 21 900    12345"), ["EAC2190012345"]);
        // Not at a group boundary, or not a grouped number to begin with: no number.
        assert!(numbers("EAC 219     0012345").is_empty());
        assert!(numbers("EAC21     90012345").is_empty());
        // Too wide a gap is two columns.
        assert!(numbers("EAC 21        900 12345").is_empty());
        // The narrowest column gap, two spaces, inside a number OCR already broke up (a heavy
        // 300-dpi G4 scan): an odd grouping, but the number.
        let r = one("Receipt          MSC 0925 109  360        Notice Date:");
        assert!(!r.standard_grouping);
        assert_eq!(r.canonical(false).unwrap().number, "MSC0925109360");
        // Not in a number read in one piece so far, and never three spaces.
        assert!(numbers("EAC2190  012345").is_empty());
        assert!(numbers("EAC 2190   012345").is_empty());
        // A prefix spaced as wide as a column gap from digits in the printed groups (a light
        // 200-dpi JPEG); in any other grouping, or wider still, the digits are another column's.
        let r = one(" LIN   19 035 74477              APPLICATION FOR WAIVER");
        assert!(r.standard_grouping);
        assert_eq!(r.canonical(false).unwrap().number, "LIN1903574477");
        assert!(numbers("LIN   1903574477").is_empty());
        assert!(numbers("LIN   19 0357 4477").is_empty());
        assert!(numbers("LIN        19 035 74477").is_empty());
    }

    #[test]
    fn specks_read_as_marks_between_groups() {
        // A speck in a group gap read as a mark (a heavy 200-dpi JPEG): `-` became `:`.
        let r = one(" YSC 25-093:96213              Form 1-765");
        assert!(r.standard_grouping);
        assert_eq!(r.canonical(false).unwrap().number, "YSC2509396213");
        assert_eq!(numbers("EAC 21 . 900 12345"), ["EAC2190012345"]);
        assert_eq!(numbers("EAC 21 900° 12345"), ["EAC2190012345"]);
        // Only between the printed groups of a grouped number.
        assert!(numbers("EAC 219:00 12345").is_empty());
        assert!(numbers("EAC2190012:345").is_empty());
        assert!(numbers("EAC 21 900 :  12345").is_empty());
        assert!(numbers("EAC 21 900 .. 12345").is_empty());
    }

    #[test]
    fn yen_sign_for_y_in_a_prefix() {
        let r = one("RECEIPT NUMBER:               \u{a5}SC2105392884");
        let c = r.canonical(false).unwrap();
        assert_eq!(c.number, "YSC2105392884");
        assert_eq!(c.repairs.len(), 1);
    }

    #[test]
    fn printed_forms_canonicalise_to_the_bare_number() {
        for text in [
            "EAC2190012345",
            "EAC-21-900-12345",
            "EAC 21 900 12345",
            "EAC-2190012345",
            "EAC 2190012345",
            "EAC*2190012345",
            "*EAC2190012345*",
            "(EAC2190012345)",
            "Receipt #EAC2190012345.",
            "EAC\u{2013}21\u{2013}900\u{2013}12345",
        ] {
            assert_eq!(numbers(text), ["EAC2190012345"], "{text}");
            let r = one(text);
            assert!(r.standard_grouping, "{text}");
            assert!(r.canonical(false).unwrap().repairs.is_empty(), "{text}");
        }
        assert_eq!(numbers("VSC 12 017 70920"), ["VSC1201770920"]);
        assert_eq!(numbers("ZAR-1234567890"), ["ZAR1234567890"]);
    }

    #[test]
    fn asylum_numbers_may_have_nine_digits() {
        assert_eq!(numbers("ZNY956557652"), ["ZNY956557652"]);
        assert_eq!(numbers("see ZLA123456789 Is pending"), ["ZLA123456789"]);
        // Nine digits only for asylum offices.
        assert!(numbers("EAC219001234").is_empty());
        assert!(numbers("ZNY95655765").is_empty());
        // Printed with the year apart, as ten-digit numbers are.
        for text in ["ZMI 09 0452631", "ZMI-09-0452631"] {
            assert_eq!(numbers(text), ["ZMI090452631"], "{text}");
            assert!(one(text).standard_grouping, "{text}");
        }
        // Any other split is not the year's, and ten digits still win.
        assert!(numbers("ZMI 090 452631").is_empty());
        assert_eq!(numbers("ZMI 09 045 26310"), ["ZMI0904526310"]);
    }

    #[test]
    fn codes_inside_longer_tokens_are_not_numbers() {
        for text in [
            "XEAC2190012345",
            "EAC21900123456",
            "EAC2190012345X",
            "1EAC2190012345",
            "EAC-21-900-12345-6",
            "EAC 21 900 12345 6",
            "EAC2190012345|",
            "A_EAC2190012345",
            "EAC21900123",
            "ZNY95655765212",
        ] {
            assert!(numbers(text).is_empty(), "{text}");
        }
        // A border glued on before is not part of it either.
        assert_eq!(numbers("|EAC2190012345 |"), ["EAC2190012345"]);
        assert_eq!(numbers("\\EAC2190012345"), ["EAC2190012345"]);
        // A 300-dpi JPEG scan: OCR put a space beside a hyphen.
        for text in [
            "WAC -21-962-93142",
            "WAC- 21-962-93142",
            "WAC-21 -962- 93142",
        ] {
            assert_eq!(numbers(text), ["WAC2196293142"], "{text}");
            assert!(one(text).standard_grouping, "{text}");
        }
        // Two spaces, or two hyphens, are no one separator.
        assert!(numbers("WAC  -21-962-93142").is_empty());
        assert!(numbers("WAC--21-962-93142").is_empty());
        assert_eq!(numbers("|OE0912345678"), ["IOE0912345678"]);
        // A date after a single space is not part of the number.
        assert_eq!(numbers("EAC2190012345 01/15/2024"), ["EAC2190012345"]);
    }

    #[test]
    fn unknown_prefixes_are_not_numbers() {
        for text in [
            "ORD1234567890",
            "INV2023004417",
            "ABC2190012345",
            "TTY1800767183",
        ] {
            assert!(numbers(text).is_empty(), "{text}");
        }
        // ...unless a label says it is an NVC case number.
        let r = one("ABC2020547051");
        assert_eq!(r.canonical(true).unwrap().number, "ABC2020547051");
    }

    #[test]
    fn other_identifiers_are_not_numbers() {
        for text in [
            "A012 345 678",
            "A012345678",
            "USCIS# 000-000-811",
            "277258211B7",
            "1-800-375-5283",
            "800-375-5283",
            "103412724248",
            "1234 5678 9012",
            "tracking 7734 2210 5589",
            "(608) 555-0117",
        ] {
            assert!(numbers(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn odd_groupings_are_marked() {
        let r = one("EAC 2190 012345");
        assert!(!r.standard_grouping);
        let r = one("EAC-21-90012345");
        assert!(!r.standard_grouping);
    }

    #[test]
    fn confused_digits_are_repaired_and_reported() {
        let c = one("EAC21900I2345").canonical(false).unwrap();
        assert_eq!(c.number, "EAC2190012345");
        assert_eq!(
            c.repairs,
            [Doubt::Repaired {
                position: 8,
                read: 'I',
                as_char: '1'
            }]
        );
        let c = one("EAC 21 900 l2345").canonical(false).unwrap();
        assert_eq!(c.number, "EAC2190012345");
        assert_eq!(c.repairs.len(), 1);
        let c = one("WAC2O9O0l2345").canonical(false).unwrap();
        assert_eq!(c.number, "WAC2090012345");
        assert_eq!(c.repairs.len(), 3);
        // Four repairs is too many.
        assert!(one("WAC2O9OOl2345").canonical(false).is_none());
    }

    #[test]
    fn confused_prefixes_are_repaired_to_the_one_known_prefix() {
        for (text, expect) in [
            ("I0E0912345678", "IOE0912345678"),
            ("10E0912345678", "IOE0912345678"),
            ("l0E0912345678", "IOE0912345678"),
            ("|OE0912345678", "IOE0912345678"),
            ("L1N2412543981", "LIN2412543981"),
            ("5RC2190012345", "SRC2190012345"),
            ("W4C2190012345", "WAC2190012345"),
            ("wAC2190012345", "WAC2190012345"),
            ("2NY956557652", "ZNY956557652"),
            ("1SC1910323819", "TSC1910323819"),
            // A phone photo at an angle.
            ("\\OE 98 538 57726", "IOE9853857726"),
            // Heavy 200-dpi G4 scans, read the same way by every way of reading.
            ("!0\u{a3}1252350483", "IOE1252350483"),
            ("|0\u{a3}3173835113", "IOE3173835113"),
            // A phone photo whose E's bars ran together: the euro sign.
            ("10\u{20ac} 4692613528", "IOE4692613528"),
        ] {
            let c = one(text).canonical(false);
            assert_eq!(c.map(|c| c.number).as_deref(), Some(expect), "{text}");
        }
        let c = one("I0E0912345678").canonical(false).unwrap();
        assert_eq!(
            c.repairs,
            [Doubt::Repaired {
                position: 1,
                read: '0',
                as_char: 'O'
            }]
        );
    }

    #[test]
    fn repairs_never_touch_a_clean_known_number() {
        for text in [
            "EAC2190012345",
            "IOE0912345678",
            "MSC2091234567",
            "NSC2091234567",
            "LIN2412543981",
            "SSC2412543981",
        ] {
            let c = one(text).canonical(false).unwrap();
            assert_eq!(c.number, text);
            assert!(c.repairs.is_empty());
        }
    }

    #[test]
    fn no_letter_to_letter_repairs_and_no_guessing_between_prefixes() {
        // EAG is not known and C/G is a letter-for-letter confusion: not repaired.
        assert!(one("EAG2190012345").canonical(false).is_none());
        // All-digit "prefixes" are not read as letters (no upper-case letter at all).
        assert!(numbers("1012345678901").is_empty());
        // Repairs take the one known prefix the confusions allow.
        assert_eq!(
            repair_prefix(['0', 'A', 'K'], RECEIPT_DIGITS),
            Some("OAK".to_string())
        );
        assert_eq!(
            repair_prefix(['0', 'E', 'N'], RECEIPT_DIGITS),
            Some("DEN".to_string())
        );
        assert_eq!(repair_prefix(['S', '0', 'L'], RECEIPT_DIGITS), None);
        // CH1 could be CHI (Chicago) or CHL (Charleston): not guessed.
        assert_eq!(repair_prefix(['C', 'H', '1'], RECEIPT_DIGITS), None);
        // M1L could be MIL or MTL, MI1 MIL or MIT: not guessed.
        assert_eq!(repair_prefix(['M', '1', 'L'], RECEIPT_DIGITS), None);
        assert_eq!(repair_prefix(['M', 'I', '1'], RECEIPT_DIGITS), None);
        assert!(one("CH12190012345").canonical(false).is_none());
    }

    /// A USCIS receipt number's digits (no NVC pattern), for the prefix repairs alone.
    const RECEIPT_DIGITS: PrefixTest<'static> = PrefixTest {
        digits: &['2', '1', '9', '0', '0', '1', '2', '3', '4', '5'],
        labelled_nvc: false,
    };

    #[test]
    fn a_post_code_makes_a_number_only_with_nvc_digits_or_an_nvc_label() {
        // Kingston, with the NVC pattern (year, day of year + 500, sequence): a number.
        assert_eq!(
            one("KNG2021612004").canonical(false).unwrap().number,
            "KNG2021612004"
        );
        // The same post code before a receipt-shaped tail is no number, unless labelled NVC.
        assert!(one("KNG2190012345").canonical(false).is_none());
        assert!(one("KNG2190012345").canonical(true).is_some());
        // A word that is also a post code (ROM, Rome) is a number only with the NVC pattern.
        assert!(one("ROM2190012345").canonical(false).is_none());
        assert!(
            one("ROM1999400123").canonical(false).is_none(),
            "day 400 is no NVC day"
        );
        assert!(one("ROM2021612004").canonical(false).is_some());
        // A misread post code is repaired only where the digits make it an NVC number.
        let c = one("KN62021612004").canonical(false).unwrap();
        assert_eq!(c.number, "KNG2021612004");
        assert_eq!(c.repairs.len(), 1);
        assert!(one("KN62190012345").canonical(false).is_none());
        assert!(
            one("5DO2022601017")
                .canonical(false)
                .is_some_and(|c| c.number == "SDO2022601017")
        );
        // A receipt number's prefix repair is not made ambiguous by a post code its digits
        // cannot belong to: 0EN is still only DEN (Denver).
        assert_eq!(
            repair_prefix(['0', 'E', 'N'], RECEIPT_DIGITS),
            Some("DEN".to_string())
        );
    }

    /// The canonical number and doubts of the one reading in `text`, if it canonicalises.
    fn canonical(text: &str) -> Option<Canonical> {
        let layout = Layout::new(text);
        let readings = scan(&layout);
        assert!(readings.len() <= 1, "{text}: {readings:?}");
        readings.first().and_then(|r| r.canonical(false))
    }

    #[test]
    fn a_prefix_character_read_twice_is_dropped_and_reported() {
        // Tesseract on samples/images/notices-3pages-g4.tif page 2, on
        // samples/stacks/mailroom-batch-g4-15pages.pdf page 10, and one seen by the OCR engineer.
        for (text, number, position, read) in [
            ("ZBO02213775665", "ZBO2213775665", 3, '0'),
            ("IO0E3477857276", "IOE3477857276", 2, '0'),
            ("1IOE3477857276", "IOE3477857276", 0, '1'),
            ("I0OE3477857276", "IOE3477857276", 1, '0'),
            ("LI1N2391199246", "LIN2391199246", 2, '1'),
            // A 150-dpi stack scan: the left serif of a `T` read as a `1` of its own.
            ("1TSC1790932463", "TSC1790932463", 0, '1'),
        ] {
            let c = canonical(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(c.number, number, "{text}");
            assert!(
                c.repairs
                    .contains(&Doubt::ExtraCharacter { position, read }),
                "{text}: {:?}",
                c.repairs
            );
        }
        // Dropping the last character instead gives another number, `ZBO0221377566`; dropping
        // any but the leading `1` gives none but `TSC1790932463`.
        let chars = |text: &str| text.chars().collect::<Vec<_>>();
        assert!(!admits_only(&chars("ZBO02213775665"), "ZBO2213775665"));
        assert!(admits_only(&chars("1TSC1790932463"), "TSC1790932463"));
        assert!(admits_only(&chars("1IOE3477857276"), "IOE3477857276"));
        let layout = Layout::new("Re: ZBO02213775665");
        let r = &scan(&layout)[0];
        let extra = r.extra.unwrap();
        assert_eq!(layout.chars[extra.position], '0');
        assert_eq!(extra.position, 7);
        assert_eq!(r.span, Span { start: 4, end: 18 });
        let picked: String = r.positions.iter().map(|&p| layout.chars[p]).collect();
        assert_eq!(picked, "ZBO2213775665");
    }

    #[test]
    fn only_a_doubled_prefix_character_is_dropped() {
        for text in [
            // A number as printed is never shortened, even with an `O0` in it.
            "ZBO0221377566",
            "POO0123456789",
        ] {
            let c = canonical(text).unwrap();
            assert_eq!(c.number, text);
            assert!(c.repairs.is_empty(), "{text}");
        }
        for text in [
            // A doubled digit further on could be printed so; the extra one could be anywhere.
            "EAC21900123456",
            "EAC21990012345",
            "IOE34778557276",
            "ZNY0O956557652",
            // Not a look-alike pair.
            "IOEE3477857276",
            "ZBO92213775665",
            // No known prefix after the drop.
            "XO0E3477857276",
            "QO0E3477857276",
            // Glued to more, or continued in groups: not a code standing alone.
            "ZBO02213775665X",
            "XZBO02213775665",
            "ZBO02213775665-1",
            "ZBO0 2213775665",
            "IO0E3477857276 12",
            // Two characters too many.
            "IO0OE3477857276",
            // The digits must read clean: no second repair on top of a drop.
            "IO0E34778572l6",
        ] {
            assert!(canonical(text).is_none(), "{text}");
        }
    }

    #[test]
    fn a_dollar_sign_for_a_leading_s() {
        let c = canonical("$RC2190012345").unwrap();
        assert_eq!(c.number, "SRC2190012345");
        assert_eq!(
            c.repairs,
            [Doubt::Repaired {
                position: 0,
                read: '$',
                as_char: 'S'
            }]
        );
        // Only as the first character; before a whole number it is no part of it.
        assert_eq!(numbers("$EAC2190012345"), ["EAC2190012345"]);
        assert!(numbers("E$C2190012345").is_empty());
        assert!(numbers("$1,440.00 and $2190012345").is_empty());
    }

    #[test]
    fn a_space_inside_the_digits_is_an_odd_grouping() {
        // Tesseract on the 150 dpi low-contrast and the JBIG2 samples.
        for (text, number) in [
            ("MSC21 15853357", "MSC2115853357"),
            ("LIN2391 199246", "LIN2391199246"),
        ] {
            let r = one(text);
            assert!(!r.standard_grouping, "{text}");
            assert_eq!(r.canonical(false).unwrap().number, number);
        }
    }

    #[test]
    fn positions_point_at_the_significant_characters() {
        let layout = Layout::new("xx\nRe: EAC-21-900-12345");
        let r = &scan(&layout)[0];
        let picked: String = r.positions.iter().map(|&p| layout.chars[p]).collect();
        assert_eq!(picked, "EAC2190012345");
        assert_eq!(r.line, 1);
        assert_eq!(r.span, Span { start: 4, end: 20 });
    }

    #[test]
    fn nvc_structure() {
        assert!(has_nvc_structure("2007547002"));
        assert!(has_nvc_structure("1999501001"));
        assert!(has_nvc_structure("2024866999"));
        assert!(!has_nvc_structure("2190012345"));
        assert!(!has_nvc_structure("2007500002"));
        assert!(!has_nvc_structure("2007867002"));
        assert!(!has_nvc_structure("1807547002"));
        assert!(!has_nvc_structure("200754700"));
    }
}
