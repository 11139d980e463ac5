//! Settling a page's case numbers from several readings of it.
//!
//! On a badly degraded scan every way of reading alone sometimes turns a number into a wrong but
//! well-formed one (`LIN0514396030` for `LIN2514396030`, `VSC2391446229` for `VSC2391448229`),
//! and different ways misread differently. So when the first reading of a page gives no number
//! on what looks like a notice, or a number it was not sure of, the page is read again other
//! ways (see `Recognizer::read_again`) and the readings are compared here:
//! - a number is taken from the other readings alone only when at least [`MIN_AGREEING`] of them
//!   give it;
//! - a number any reading contradicts with a close rival (a character or three apart) is not
//!   taken at all: at least one of them is misread and nothing says which, so the page goes to a
//!   person with the candidates named ([`Disputed`]);
//! - unless every reading of the rival was unsure of every character where the two differ, and
//!   at least [`MIN_AGREEING`] readings read those characters surely ([`Doubt::Outvoted`]);
//! - nor is a number read with an unclear digit that no other reading read at all.
//!
//! A number still disputed after that is read once more, closer (`Recognizer::read_closer`), and
//! taken when every closer reading, at least [`MIN_AGREEING`], reads the same candidate, sure of
//! the contested characters, and none reads a rival ([`settle_closer`], [`Doubt::ReadCloser`]).

use super::{Doubt, Notice, fields::edit_distance};

/// Other readings that must give the same number before it is taken from them alone.
pub const MIN_AGREEING: usize = 2;

/// A first reading of a number whose least sure character scored below this is checked against
/// other readings. Tesseract scored misread characters 82–95 in our measurements (see
/// `UNCLEAR_BELOW`, which flags below 95): a number at 95 or 96 is read right most of the time
/// but not reliably enough to link a client's case on it unchecked.
pub const CHECK_BELOW: u8 = 97;

/// Numbers this many edits apart or fewer are rival readings of one number, not two numbers.
const RIVAL_EDITS: usize = 3;

/// Whether the first reading of `notice`'s number should be checked against other readings:
/// the recogniser was unsure of it, or a digit had to be repaired. A prefix repaired into the one
/// known prefix it can be (`10E` → `IOE`, the commonest misreading of all) is not checked: no
/// other known prefix was in reach, and the digits that tell cases apart were read as digits.
pub fn worth_checking(notice: &Notice) -> bool {
    notice.confidence < CHECK_BELOW
        || notice.doubts.iter().any(|doubt| match doubt {
            Doubt::Repaired { position, .. } => *position >= PREFIX_LEN,
            other => is_about_characters(other),
        })
}

/// Letters before a case number's digits.
const PREFIX_LEN: usize = 3;

/// A sure reading of a number (`careful`), with the fields of the same number's notice in `fast`
/// (an earlier, unsure reading that read more of the page) where there is one. The sure reading
/// replaces what the unsure one made of the number's characters: their doubts go, its
/// confidence stays.
pub fn confirmed(careful: Notice, fast: &[Notice]) -> Notice {
    let Some(earlier) = fast.iter().find(|n| n.number == careful.number) else {
        return careful;
    };
    let mut notice = earlier.clone();
    notice.confidence = careful.confidence;
    notice.doubts.retain(|doubt| !is_about_characters(doubt));
    notice
}

fn has_unclear_digit(notice: &Notice) -> bool {
    notice.doubts.iter().any(|doubt| match doubt {
        Doubt::Unclear { positions } => positions.iter().any(|&p| p >= PREFIX_LEN),
        _ => false,
    })
}

fn is_about_characters(doubt: &Doubt) -> bool {
    matches!(
        doubt,
        Doubt::Repaired { .. }
            | Doubt::Unclear { .. }
            | Doubt::ExtraCharacter { .. }
            | Doubt::NearDuplicate { .. }
            | Doubt::SplitUnlabelled
            | Doubt::LooseSpacing
            | Doubt::ReadCloser { .. }
    )
}

/// A number the readings of a page do not settle: they disagree on it (several candidates), or
/// one reading read it unclearly and no other read it at all (one candidate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disputed {
    /// Every candidate, the most often read first.
    pub candidates: Vec<String>,
}

/// What the readings of one page settle on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settled {
    pub notices: Vec<Notice>,
    pub disputed: Vec<Disputed>,
}

impl From<Vec<Notice>> for Settled {
    /// A page whose reading needs no settling.
    fn from(notices: Vec<Notice>) -> Settled {
        Settled {
            notices,
            disputed: Vec::new(),
        }
    }
}

/// Settles a page from the notices of each of its `readings`: first the reading that stands for
/// the page, then the others. First-reading notices the others do not contradict are kept as
/// they are; numbers only the others give are flagged [`Doubt::SecondReading`].
pub fn settle(readings: &[Vec<Notice>]) -> Settled {
    let others = readings.get(1..).unwrap_or_default();
    let votes = Votes::count(others.iter().map(Vec::as_slice));
    let total = others.len();
    let mut settled = Settled::default();
    let mut handled: Vec<String> = Vec::new();
    for (index, notice) in readings
        .iter()
        .enumerate()
        .flat_map(|(index, reading)| reading.iter().map(move |notice| (index, notice)))
    {
        if handled.contains(&notice.number) {
            continue;
        }
        handled.push(notice.number.clone());
        let from_first = index == 0;
        let count = votes.of(&notice.number) + usize::from(from_first);
        let rivals = votes.rivals_of(&notice.number);
        if !rivals.is_empty() {
            handled.extend(rivals.iter().cloned());
            let mut candidates = rivals;
            candidates.insert(0, notice.number.clone());
            match outvoting(&candidates, readings) {
                Some(winner) => settled.notices.push(winner),
                None => {
                    let number = candidates.remove(0);
                    settled
                        .disputed
                        .push(votes.dispute(number, count, candidates));
                }
            }
        } else if from_first {
            // A digit OCR was unsure of, and no other reading read the number at all: too weak
            // to put in a client's record. (An unclear prefix letter is held in check by the few
            // known prefixes; any ten digits are some case's number.)
            if total > 0 && count == 1 && has_unclear_digit(notice) {
                settled.disputed.push(Disputed {
                    candidates: vec![notice.number.clone()],
                });
            } else {
                settled.notices.push(notice.clone());
            }
        } else if count >= MIN_AGREEING {
            let mut notice = notice.clone();
            notice.doubts.push(Doubt::SecondReading {
                agreeing: count,
                of: total,
            });
            settled.notices.push(notice);
        }
    }
    settled
}

/// Settles what `settled` left disputed with `closer` readings of the page (its field region
/// enlarged): a candidate that every closer reading gives, sure of each contested character
/// (where the candidates differ; every digit when there is one candidate), with nothing else
/// odd about it and no rival beside it, is taken from `readings` (the page's readings so far,
/// where its fields were read), flagged [`Doubt::ReadCloser`]. Fewer than [`MIN_AGREEING`]
/// closer readings settle nothing.
pub fn settle_closer(
    mut settled: Settled,
    readings: &[Vec<Notice>],
    closer: &[Vec<Notice>],
) -> Settled {
    if closer.len() < MIN_AGREEING {
        return settled;
    }
    for dispute in std::mem::take(&mut settled.disputed) {
        match read_closer_as(&dispute, readings, closer) {
            Some(notice) => settled.notices.push(notice),
            None => settled.disputed.push(dispute),
        }
    }
    settled
}

/// The candidate of `dispute` every `closer` reading reads surely, as `readings` read it, flagged.
fn read_closer_as(
    dispute: &Disputed,
    readings: &[Vec<Notice>],
    closer: &[Vec<Notice>],
) -> Option<Notice> {
    dispute.candidates.iter().find_map(|number| {
        let rivals: Vec<String> = dispute
            .candidates
            .iter()
            .filter(|c| *c != number)
            .cloned()
            .collect();
        let mut contested: Vec<usize> = rivals
            .iter()
            .filter_map(|rival| differing_positions(number, rival))
            .flatten()
            .collect();
        if rivals.is_empty() {
            contested = (PREFIX_LEN..number.len()).collect();
        }
        contested.sort_unstable();
        contested.dedup();
        // Nor a reading OCR made out of the number's printed shape.
        let out_of_shape = |n: &Notice| {
            n.doubts.iter().any(|doubt| {
                matches!(
                    doubt,
                    Doubt::NearDuplicate { .. } | Doubt::SplitUnlabelled | Doubt::LooseSpacing
                )
            })
        };
        let sure = |n: &Notice| n.number == *number && sure_of(n, &contested) && !out_of_shape(n);
        let rival_beside =
            |n: &Notice| n.number != *number && edit_distance(&n.number, number) <= RIVAL_EDITS;
        let agreed = closer
            .iter()
            .all(|reading| reading.iter().any(sure) && !reading.iter().any(rival_beside));
        if !agreed {
            return None;
        }
        let mut notice = sightings(readings, number)
            .min_by_key(|n| n.doubts.iter().filter(|d| is_about_characters(d)).count())?
            .clone();
        notice.doubts.retain(|doubt| !is_about_characters(doubt));
        notice.doubts.push(Doubt::ReadCloser {
            rivals,
            positions: contested,
        });
        Some(notice)
    })
}

/// The one of `candidates` (close rival readings of one number) that outvotes all the others,
/// flagged [`Doubt::Outvoted`]: at least [`MIN_AGREEING`] readings read it with every character
/// where it differs from a rival clear, while every reading of every rival was unsure of all
/// of those characters (unclear or repaired). Tesseract scored the characters it misread
/// 82–95, so a rival resting only on such characters is a misreading; a sure rival keeps the
/// dispute open, as does anything else (rivals of another length included).
fn outvoting(candidates: &[String], readings: &[Vec<Notice>]) -> Option<Notice> {
    candidates.iter().find_map(|number| {
        let mut doubts = Vec::new();
        let mut contested: Vec<usize> = Vec::new();
        for rival in candidates.iter().filter(|rival| *rival != number) {
            let positions = differing_positions(number, rival)?;
            let unsure_of_them = |notice: &Notice| {
                let unsure = unsure_positions(notice);
                positions.iter().all(|p| unsure.contains(p))
            };
            if !sightings(readings, rival).all(unsure_of_them) {
                return None;
            }
            contested.extend(&positions);
            doubts.push(Doubt::Outvoted {
                rival: rival.clone(),
                positions,
            });
        }
        let sure: Vec<&Notice> = sightings(readings, number)
            .filter(|notice| sure_of(notice, &contested))
            .collect();
        if sure.len() < MIN_AGREEING {
            return None;
        }
        let mut winner = sure[0].clone();
        winner.doubts.extend(doubts);
        Some(winner)
    })
}

/// The notice for `number` in each reading that gave it.
fn sightings<'a>(readings: &'a [Vec<Notice>], number: &'a str) -> impl Iterator<Item = &'a Notice> {
    readings
        .iter()
        .filter_map(move |reading| reading.iter().find(|n| n.number == number))
}

/// Where two numbers of the same length differ; `None` for numbers of different lengths.
fn differing_positions(a: &str, b: &str) -> Option<Vec<usize>> {
    (a.len() == b.len()).then(|| {
        a.chars()
            .zip(b.chars())
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .map(|(position, _)| position)
            .collect()
    })
}

/// Characters of `notice`'s number the recogniser was unsure of or that had to be repaired.
fn unsure_positions(notice: &Notice) -> Vec<usize> {
    notice
        .doubts
        .iter()
        .flat_map(|doubt| match doubt {
            Doubt::Unclear { positions } => positions.clone(),
            Doubt::Repaired { position, .. } => vec![*position],
            _ => Vec::new(),
        })
        .collect()
}

/// Whether `notice` read each of the `contested` characters surely (neither unclear nor
/// repaired) and kept every character it read (dropped no extra one).
fn sure_of(notice: &Notice, contested: &[usize]) -> bool {
    let unsure = unsure_positions(notice);
    let extra = notice
        .doubts
        .iter()
        .any(|doubt| matches!(doubt, Doubt::ExtraCharacter { .. }));
    !extra && contested.iter().all(|p| !unsure.contains(p))
}

/// Characters of a number that must stand together on a line to say it is printed there.
const NUMBER_ON_LINE: usize = 6;

/// The line of `text` holding the longest run of `number`'s characters (separators aside), if
/// the run is [`NUMBER_ON_LINE`] long or more; the first such line on a tie.
pub fn line_holding(number: &str, text: &str) -> Option<usize> {
    let number: Vec<char> = number.chars().collect();
    let mut best: Option<(usize, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let line: Vec<char> = line
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let run = longest_common_run(&number, &line);
        if run >= NUMBER_ON_LINE && best.is_none_or(|(_, longest)| run > longest) {
            best = Some((index, run));
        }
    }
    best.map(|(index, _)| index)
}

/// The length of the longest stretch `a` and `b` have in common.
fn longest_common_run(a: &[char], b: &[char]) -> usize {
    let mut previous = vec![0usize; b.len() + 1];
    let mut longest = 0;
    for &x in a {
        let mut current = vec![0usize; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            if x == y {
                current[j + 1] = previous[j] + 1;
                longest = longest.max(current[j + 1]);
            }
        }
        previous = current;
    }
    longest
}

/// How many readings gave each number (a number read twice in one reading counts once).
struct Votes(Vec<(String, usize)>);

impl Votes {
    fn count<'a>(readings: impl Iterator<Item = &'a [Notice]>) -> Votes {
        let mut votes: Vec<(String, usize)> = Vec::new();
        for reading in readings {
            let mut numbers: Vec<&str> = reading.iter().map(|n| n.number.as_str()).collect();
            numbers.sort_unstable();
            numbers.dedup();
            for number in numbers {
                match votes.iter_mut().find(|(seen, _)| seen == number) {
                    Some((_, count)) => *count += 1,
                    None => votes.push((number.to_string(), 1)),
                }
            }
        }
        Votes(votes)
    }

    fn of(&self, number: &str) -> usize {
        self.0
            .iter()
            .find(|(seen, _)| seen == number)
            .map_or(0, |&(_, count)| count)
    }

    /// `number` (read `count` times) against its `rivals`, the most often read first; the order
    /// they were met in breaks ties.
    fn dispute(&self, number: String, count: usize, rivals: Vec<String>) -> Disputed {
        let mut candidates = vec![(number, count)];
        candidates.extend(rivals.into_iter().map(|rival| {
            let count = self.of(&rival);
            (rival, count)
        }));
        // A stable sort: ties stay in the order met.
        candidates.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
        Disputed {
            candidates: candidates.into_iter().map(|(number, _)| number).collect(),
        }
    }

    /// Numbers read that are close to `number` but not it.
    fn rivals_of(&self, number: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(other, _)| other != number && edit_distance(other, number) <= RIVAL_EDITS)
            .map(|(other, _)| other.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{NumberKind, extract_notices};
    use crate::ocr::fake::ocr_text;

    /// [`settle`] of a page whose first reading gave `first` and other readings `others`.
    fn settle_of(first: Vec<Notice>, others: Vec<Vec<Notice>>) -> Settled {
        settle(&std::iter::once(first).chain(others).collect::<Vec<_>>())
    }

    fn notice(number: &str) -> Notice {
        Notice {
            confidence: 90,
            ..Notice::bare(number.to_string(), NumberKind::UscisReceipt)
        }
    }

    fn numbers(settled: &Settled) -> Vec<&str> {
        settled.notices.iter().map(|n| n.number.as_str()).collect()
    }

    fn disputed(candidates: &[&str]) -> Disputed {
        Disputed {
            candidates: candidates.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn closer_readings_settle_a_dispute_only_together_and_surely() {
        let readings = vec![
            vec![notice("CHI0927156157")],
            vec![notice("CHI0917156157")],
            vec![notice("CHI0917156157")],
        ];
        let open = || Settled {
            notices: Vec::new(),
            disputed: vec![disputed(&["CHI0917156157", "CHI0927156157"])],
        };
        let both = vec![vec![notice("CHI0917156157")], vec![notice("CHI0917156157")]];
        let settled = settle_closer(open(), &readings, &both);
        assert_eq!(numbers(&settled), ["CHI0917156157"]);
        assert!(settled.disputed.is_empty());
        assert_eq!(
            settled.notices[0].doubts,
            [Doubt::ReadCloser {
                rivals: vec!["CHI0927156157".into()],
                positions: vec![5],
            }]
        );
        // One closer reading alone settles nothing.
        let one = settle_closer(open(), &readings, &both[..1]);
        assert!(one.notices.is_empty());
        assert_eq!(one.disputed, open().disputed);
        // Unsure of the contested digit, or of how the number was spaced: nothing settled.
        let mut unclear = notice("CHI0917156157");
        unclear.doubts.push(Doubt::Unclear { positions: vec![5] });
        let mut spaced = notice("CHI0917156157");
        spaced.doubts.push(Doubt::LooseSpacing);
        for doubtful in [unclear, spaced] {
            let closer = vec![vec![notice("CHI0917156157")], vec![doubtful]];
            assert!(settle_closer(open(), &readings, &closer).notices.is_empty());
        }
        // Unsure of another character only (a repaired prefix): settled.
        let mut prefix = notice("CHI0917156157");
        prefix.doubts.push(Doubt::Repaired {
            position: 2,
            read: '1',
            as_char: 'I',
        });
        let closer = vec![vec![notice("CHI0917156157")], vec![prefix]];
        assert_eq!(
            numbers(&settle_closer(open(), &readings, &closer)),
            ["CHI0917156157"]
        );
        // A number read once with an unclear digit: every digit must be read surely.
        let once = Settled {
            notices: Vec::new(),
            disputed: vec![disputed(&["YSC2515407370"])],
        };
        let mut unclear_elsewhere = notice("YSC2515407370");
        unclear_elsewhere.doubts.push(Doubt::Unclear {
            positions: vec![12],
        });
        let closer = vec![vec![notice("YSC2515407370")], vec![unclear_elsewhere]];
        let readings = vec![vec![notice("YSC2515407370")]];
        assert!(
            settle_closer(once.clone(), &readings, &closer)
                .notices
                .is_empty()
        );
        let closer = vec![vec![notice("YSC2515407370")], vec![notice("YSC2515407370")]];
        assert_eq!(
            numbers(&settle_closer(once, &readings, &closer)),
            ["YSC2515407370"]
        );
    }

    #[test]
    fn other_readings_that_agree_give_a_flagged_number() {
        let settled = settle_of(
            vec![],
            vec![
                vec![],
                vec![notice("LIN2514396030")],
                vec![notice("LIN2514396030")],
            ],
        );
        assert_eq!(numbers(&settled), ["LIN2514396030"]);
        assert_eq!(
            settled.notices[0].doubts,
            [Doubt::SecondReading { agreeing: 2, of: 3 }]
        );
        assert!(settled.notices[0].needs_review());
        assert!(settled.disputed.is_empty());
    }

    #[test]
    fn one_other_reading_alone_is_not_enough() {
        let settled = settle_of(vec![], vec![vec![notice("MSC0925109360")], vec![], vec![]]);
        assert_eq!(settled, Settled::default());
        // Read twice within one reading is still one reading.
        let twice = vec![notice("EAC2190012345"), notice("EAC2190012345")];
        assert_eq!(settle_of(vec![], vec![twice, vec![]]), Settled::default());
    }

    #[test]
    fn a_close_rival_reading_vetoes_even_a_majority() {
        // Seen on a heavily degraded 150-dpi G4 scan: one way read a 2 as 0.
        let settled = settle_of(
            vec![],
            vec![
                vec![notice("LIN0514396030")],
                vec![notice("LIN2514396030")],
                vec![notice("LIN2514396030")],
            ],
        );
        assert!(settled.notices.is_empty());
        assert_eq!(
            settled.disputed,
            [disputed(&["LIN2514396030", "LIN0514396030"])]
        );
        // Three edits apart is still a rival.
        let settled = settle_of(
            vec![],
            vec![
                vec![notice("MSC0925109360")],
                vec![notice("MSC0925109360")],
                vec![notice("MSC0025109461")],
            ],
        );
        assert!(settled.notices.is_empty());
        assert_eq!(settled.disputed.len(), 1);
    }

    #[test]
    fn a_first_reading_contradicted_by_another_is_withheld() {
        let settled = settle_of(
            vec![notice("EAC7500954707")],
            vec![vec![notice("EAC1500954707")], vec![], vec![]],
        );
        assert!(settled.notices.is_empty());
        assert_eq!(
            settled.disputed,
            [disputed(&["EAC7500954707", "EAC1500954707"])]
        );
    }

    #[test]
    fn a_first_reading_the_others_confirm_or_say_nothing_of_is_kept_as_read() {
        let mut first = notice("VSC2391448229");
        first.doubts.push(Doubt::Repaired {
            position: 5,
            read: 'O',
            as_char: '0',
        });
        for others in [
            vec![vec![notice("VSC2391448229")], vec![]],
            vec![vec![], vec![]],
            vec![],
        ] {
            let settled = settle_of(vec![first.clone()], others);
            assert_eq!(settled.notices, [first.clone()]);
            assert!(settled.disputed.is_empty());
        }
    }

    #[test]
    fn an_unclear_digit_needs_another_reading_of_the_same_number() {
        let mut first = notice("YSC2515407370");
        first.doubts.push(Doubt::Unclear {
            positions: vec![6, 10],
        });
        let alone = settle_of(vec![first.clone()], vec![vec![], vec![], vec![]]);
        assert!(alone.notices.is_empty());
        assert_eq!(alone.disputed, [disputed(&["YSC2515407370"])]);
        let confirmed = settle_of(
            vec![first.clone()],
            vec![vec![], vec![notice("YSC2515407370")], vec![]],
        );
        assert_eq!(confirmed.notices, [first.clone()]);
        // With no other reading made at all, it stands, flagged.
        assert_eq!(settle_of(vec![first.clone()], vec![]).notices, [first]);
        // An unclear prefix letter alone does not hold a number back.
        let mut prefix = notice("LIN2514396030");
        prefix.doubts.push(Doubt::Unclear { positions: vec![0] });
        let settled = settle_of(vec![prefix.clone()], vec![vec![], vec![]]);
        assert_eq!(settled.notices, [prefix]);
    }

    /// `number` read with the characters at `positions` unclear.
    fn unsure(number: &str, positions: &[usize]) -> Notice {
        let mut notice = notice(number);
        notice.doubts.push(Doubt::Unclear {
            positions: positions.to_vec(),
        });
        notice
    }

    #[test]
    fn a_rival_read_only_unsurely_is_outvoted_by_two_sure_readings() {
        // A light 200-dpi G4 NVC letter: the first reading was unsure of the digit it misread.
        let settled = settle_of(
            vec![unsure("GUZ2027504285", &[5])],
            vec![
                vec![notice("GUZ2017504285")],
                vec![notice("GUZ2017504285")],
                vec![],
                vec![notice("GUZ2017504285")],
            ],
        );
        assert!(settled.disputed.is_empty());
        let [taken] = settled.notices.as_slice() else {
            panic!("{settled:?}")
        };
        assert_eq!(taken.number, "GUZ2017504285");
        assert_eq!(
            taken.doubts,
            [Doubt::Outvoted {
                rival: "GUZ2027504285".to_string(),
                positions: vec![5]
            }]
        );
        assert!(taken.needs_review());
        // A repaired character is as unsure as an unclear one.
        let mut repaired = notice("GUZ2027504285");
        repaired.doubts.push(Doubt::Repaired {
            position: 5,
            read: 'Z',
            as_char: '2',
        });
        let settled = settle_of(
            vec![repaired],
            vec![vec![notice("GUZ2017504285")], vec![notice("GUZ2017504285")]],
        );
        assert_eq!(settled.notices[0].number, "GUZ2017504285");
    }

    #[test]
    fn a_dispute_stays_open_unless_the_outvoting_is_plain() {
        let open = |first: Vec<Notice>, others: Vec<Vec<Notice>>| {
            let settled = settle_of(first, others);
            settled.notices.is_empty() && settled.disputed.len() == 1
        };
        // Stack scans where the readings split: the right number was EAC0901082705, read
        // unsurely twice; its rival once unsurely and once surely. One sure reading is too few.
        assert!(open(
            vec![unsure("EAC0901082705", &[3])],
            vec![
                vec![unsure("EAC0901082705", &[3])],
                vec![unsure("EAC6901082705", &[3])],
                vec![notice("EAC6901082705")],
            ],
        ));
        // The right one (SRC0916928897) read unsurely twice, a wrong one surely once.
        assert!(open(
            vec![],
            vec![
                vec![unsure("SRC0916928897", &[3])],
                vec![unsure("SRC0916928897", &[3])],
                vec![notice("SRC9916928897")],
            ],
        ));
        // The rival was sure of one of the characters in dispute.
        assert!(open(
            vec![unsure("GUZ2027504286", &[5])],
            vec![vec![notice("GUZ2017504285")], vec![notice("GUZ2017504285")]],
        ));
        // The sure readings were unsure of the character in dispute themselves.
        assert!(open(
            vec![unsure("GUZ2027504285", &[5])],
            vec![
                vec![unsure("GUZ2017504285", &[5])],
                vec![unsure("GUZ2017504285", &[5])],
            ],
        ));
        // Numbers of different lengths are not compared character by character.
        assert!(open(
            vec![unsure("ZNY9565576520", &[12])],
            vec![vec![notice("ZNY956557652")], vec![notice("ZNY956557652")]],
        ));
    }

    #[test]
    fn unrelated_numbers_on_one_page_are_judged_each_on_its_own() {
        let settled = settle_of(
            vec![notice("EAC2190012345")],
            vec![
                vec![notice("EAC2190012345"), notice("WAC1912345678")],
                vec![notice("EAC2190012345"), notice("WAC1912345678")],
                vec![notice("EAC2190012345")],
            ],
        );
        assert_eq!(numbers(&settled), ["EAC2190012345", "WAC1912345678"]);
        assert!(settled.notices[0].doubts.is_empty());
        assert_eq!(
            settled.notices[1].doubts,
            [Doubt::SecondReading { agreeing: 2, of: 3 }]
        );
    }

    #[test]
    fn fields_come_from_the_first_reading_that_gave_the_number() {
        let first = "Receipt Number: SRC1512262152   Case Type: I485\n";
        let second = "Receipt Number: SRC1512262152   Case Type: 1-765\n";
        let settled = settle_of(
            vec![],
            vec![
                vec![],
                extract_notices(&ocr_text(first, 90)),
                extract_notices(&ocr_text(second, 90)),
            ],
        );
        assert_eq!(settled.notices.len(), 1);
        assert_eq!(settled.notices[0].case_type.as_deref(), Some("I-485"));
    }

    #[test]
    fn a_sure_reading_confirms_an_unsure_one_and_keeps_its_fields() {
        let mut fast = notice("IOE3477857276");
        fast.case_type = Some("I-485".into());
        fast.doubts = vec![
            Doubt::Repaired {
                position: 1,
                read: '0',
                as_char: 'O',
            },
            Doubt::Unclear { positions: vec![7] },
            Doubt::UnclearField("applicant"),
        ];
        let mut careful = notice("IOE3477857276");
        careful.confidence = 98;
        let kept = confirmed(careful.clone(), std::slice::from_ref(&fast));
        assert_eq!(kept.case_type.as_deref(), Some("I-485"));
        assert_eq!(kept.confidence, 98);
        assert_eq!(kept.doubts, [Doubt::UnclearField("applicant")]);
        // A number the unsure reading did not have is the sure reading's own.
        let other = confirmed(notice("IOE3477857277"), &[fast]);
        assert_eq!(other, notice("IOE3477857277"));
    }

    #[test]
    fn the_line_holding_a_number_is_found_despite_separators_and_misreads() {
        let text = "Department of Homeland Security\n\
                    Receipt Number         Case Type\n\
                    EAC-21-9OO-12345       I485\n\
                    \n\
                    Please quote EAC2190012345 in all letters.\n";
        assert_eq!(
            line_holding("EAC2190012345", text),
            Some(4),
            "the whole number wins"
        );
        let boxed_only = "Receipt Number\nEAC-21-9OO-12345   I485\nPage 1 of 1\n";
        assert_eq!(line_holding("EAC2190012345", boxed_only), Some(1));
        assert_eq!(
            line_holding("EAC2190012345", "Receipt Number\nEAC 21\n"),
            None
        );
    }

    #[test]
    fn only_doubtful_first_readings_are_worth_checking() {
        let mut sure = notice("EAC2190012345");
        sure.confidence = 99;
        assert!(!worth_checking(&sure));
        let mut field_doubt = sure.clone();
        field_doubt.doubts.push(Doubt::UnclearField("applicant"));
        assert!(!worth_checking(&field_doubt));
        let mut low = sure.clone();
        low.confidence = 96;
        assert!(worth_checking(&low));
        let repaired = |position, read, as_char| {
            let mut notice = sure.clone();
            notice.doubts.push(Doubt::Repaired {
                position,
                read,
                as_char,
            });
            notice
        };
        assert!(worth_checking(&repaired(4, 'T', '7')));
        assert!(worth_checking(&repaired(3, 'O', '0')));
        assert!(!worth_checking(&repaired(1, '0', 'O')), "10E read for IOE");
    }
}
