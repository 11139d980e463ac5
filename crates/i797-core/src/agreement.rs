//! Two independent readings of one number, compared: what "sure" means.
//!
//! A number is sure when two independent readings give it (the two recognisers, each through
//! the same decoder): then what the first doubted about its characters no longer matters. A
//! reading unsure of one of its digits (the neural reader's `5` at 52%, `6` at 45%) vouches for
//! nothing there: two readings that agree on a glyph that is hard for both are not two votes.
//! A number only one reading gives, or that the other reading gives differently, is kept but
//! raised for review, with the competing reading named. Which reader reads what is the reading
//! policy's business (`ocr::policy`); this module only judges what two readings say.

use crate::number::PREFIX_LETTERS;
use crate::words::edit_distance;
use crate::{Doubt, Notice, PageText, UNCLEAR_BELOW};

/// Numbers this many edits apart or fewer are rival readings of one number, not two numbers.
const RIVAL_EDITS: usize = 3;

/// What the other reading of the place a number is printed says of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// It read the same number.
    Agrees,
    /// It read the same number but was itself unsure of the characters at `positions` (a `5`
    /// it nearly took for a `6`): there it vouches for nothing.
    AgreesUnsure { positions: Vec<usize> },
    /// It read this number instead (a few characters apart), with the notice it made of it.
    Rival(Box<Notice>),
    /// It read no number like it there.
    Silent,
    /// It read this number instead, and the recogniser whose reading is judged, reading the
    /// number's line again, read it too: two recognisers agree on it, and the reading of the
    /// whole page was the odd one out.
    Outvoted(Box<Notice>),
}

/// The other reading's verdict on `number`, from the notices it made of the same place.
pub fn verdict(number: &str, other: &[Notice]) -> Verdict {
    if let Some(same) = other.iter().find(|n| n.number == number) {
        // Only its digits: in the prefix the known prefixes leave no choice (an `O` the
        // recogniser nearly took for a `0` is an `O` there), in the digits nothing does.
        let unsure: Vec<usize> = same
            .doubts
            .iter()
            .filter_map(|d| match d {
                Doubt::Unclear { positions } => Some(positions),
                _ => None,
            })
            .flatten()
            .copied()
            .filter(|&p| p >= PREFIX_LETTERS)
            .collect();
        return if unsure.is_empty() {
            Verdict::Agrees
        } else {
            Verdict::AgreesUnsure { positions: unsure }
        };
    }
    other
        .iter()
        .filter(|n| n.number.len() == number.len() || edit_distance(&n.number, number) <= 1)
        .map(|n| (edit_distance(&n.number, number), n))
        .filter(|(edits, _)| *edits <= RIVAL_EDITS)
        .min_by_key(|(edits, _)| *edits)
        .map_or(Verdict::Silent, |(_, n)| {
            Verdict::Rival(Box::new(n.clone()))
        })
}

/// `notice` as the other reading's `verdict` leaves it: sure (its doubts about characters gone)
/// when the readings agree; otherwise flagged, and where they differ, the number of the reading
/// more confident of itself, with the other named.
pub fn judged(notice: Notice, verdict: Verdict) -> Notice {
    match verdict {
        Verdict::Agrees => sure(notice),
        Verdict::AgreesUnsure { positions } => {
            flagged(sure(notice), Doubt::OtherUnsure { positions })
        }
        Verdict::Silent => flagged(notice, Doubt::Unconfirmed),
        // The agreed characters; this reading's fields (it read more of the page).
        Verdict::Outvoted(rival) => sure(with_number_of(notice, *rival)),
        Verdict::Rival(rival) => {
            // The surer reading's characters; this reading's fields (it read more of the page).
            let (mut kept, other) = if rival.confidence > notice.confidence {
                let other = notice.number.clone();
                (with_number_of(notice, *rival), other)
            } else {
                (notice, rival.number)
            };
            let positions = differing_positions(&kept.number, &other);
            kept.doubts.retain(|d| !is_about_characters(d));
            kept.doubts.push(Doubt::ReadersDisagree {
                rival: other,
                positions,
            });
            kept
        }
    }
}

/// `notice` with the number `reading` made of it (its characters, kind and confidence), and
/// its own fields.
fn with_number_of(mut notice: Notice, reading: Notice) -> Notice {
    notice.number = reading.number;
    notice.kind = reading.kind;
    notice.confidence = reading.confidence;
    notice
}

/// A notice read by one recogniser where no second one was available to check it.
pub fn unchecked(notice: Notice) -> Notice {
    flagged(notice, Doubt::NoSecondReader)
}

fn sure(mut notice: Notice) -> Notice {
    notice.doubts.retain(|d| !is_about_characters(d));
    notice
}

fn flagged(mut notice: Notice, doubt: Doubt) -> Notice {
    notice.doubts.push(doubt);
    notice
}

/// The value of field `name` on `notice` when it is one a second reading can vouch for letter by
/// letter: printed as the row gives it (dates and form codes are rewritten into canonical form,
/// so a crop of them would not compare). `None` for the other fields.
pub fn literal_field<'n>(notice: &'n Notice, name: &str) -> Option<&'n str> {
    match name {
        "applicant" => notice.fields.applicant.as_deref(),
        "beneficiary" => notice.fields.beneficiary.as_deref(),
        "account_number" => notice.fields.account_number.as_deref(),
        // The receipt an NVC letter quotes: a number, sure only as a number is, on two readings.
        "linked_receipt" => notice.fields.linked_receipt.as_deref(),
        _ => None,
    }
}

/// Letters and digits of `text`, upper-cased: what two readings of one print must share
/// (recognisers differ on spaces and punctuation, which no field is told apart by).
pub fn letters_and_digits(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// `notice` as the other recogniser's reading where field `name` is printed (`other`) leaves it:
/// its doubt about the field answered when `other` holds the same letters and digits (two
/// readings agree); a value read without doubt put in doubt when `other` reads something else
/// of its length there, even with the characters it was itself unsure of taken as anything (a
/// reading's unsure characters neither vouch nor dispute). A reading of nothing there changes
/// nothing.
pub fn field_checked(mut notice: Notice, name: &'static str, other: &PageText) -> Notice {
    let Some(value) = literal_field(&notice, name).map(letters_and_digits) else {
        return notice;
    };
    let read = letters_and_digits(&other.text);
    if !value.is_empty() && read.contains(&value) {
        notice
            .doubts
            .retain(|d| !matches!(d, Doubt::UnclearField(n) if *n == name));
        return notice;
    }
    let disputed = read.chars().count() * 2 >= value.chars().count()
        && !holds_with_unsure_free(other, &value)
        && !notice.doubts.contains(&Doubt::UnclearField(name));
    if disputed {
        notice.doubts.push(Doubt::FieldDisputed {
            field: name,
            other: other.text.split_whitespace().collect::<Vec<_>>().join(" "),
        });
    }
    notice
}

/// Whether `other`'s letters and digits hold `value` (letters and digits, upper case) somewhere,
/// a character read below [`UNCLEAR_BELOW`] matching any.
fn holds_with_unsure_free(other: &PageText, value: &str) -> bool {
    let confidence = other.char_confidence.as_deref().unwrap_or_default();
    let read: Vec<(char, bool)> = other
        .text
        .chars()
        .enumerate()
        .filter(|(_, c)| c.is_alphanumeric())
        .flat_map(|(i, c)| {
            let unsure = confidence.get(i).is_some_and(|&v| v < UNCLEAR_BELOW);
            c.to_uppercase().map(move |c| (c, unsure))
        })
        .collect();
    let value: Vec<char> = value.chars().collect();
    read.windows(value.len().max(1)).any(|window| {
        window
            .iter()
            .zip(&value)
            .all(|(&(r, unsure), &v)| unsure || r == v)
    })
}

/// Doubts about how a number's characters were read, which a second reading that agrees
/// answers (unlike a doubt about what the number is, or about a field).
fn is_about_characters(doubt: &Doubt) -> bool {
    matches!(
        doubt,
        Doubt::Repaired { .. }
            | Doubt::Unclear { .. }
            | Doubt::ExtraCharacter { .. }
            | Doubt::NearDuplicate { .. }
            | Doubt::SplitUnlabelled
            | Doubt::LooseSpacing
    )
}

/// 0-based positions where `a` and `b` differ (all of the longer's tail when their lengths do).
fn differing_positions(a: &str, b: &str) -> Vec<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    (0..a.len().max(b.len()))
        .filter(|&i| a.get(i) != b.get(i))
        .collect()
}

/// The length of the longest stretch `a` and `b` have in common.
pub fn longest_common_run(a: &[char], b: &[char]) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_text::ocr_page;
    use crate::{NoticeFields, NumberKind};

    #[test]
    fn a_sure_name_the_other_reads_otherwise_is_disputed() {
        let mut n = notice("EAC2190012345", 96, vec![]);
        n.fields.beneficiary = Some("KOWALCZE, MATEC".into());
        let disputed = field_checked(n.clone(), "beneficiary", &ocr_page("KOWALCZE, MATEO", &[]));
        assert_eq!(
            disputed.doubts,
            [Doubt::FieldDisputed {
                field: "beneficiary",
                other: "KOWALCZE, MATEO".into()
            }]
        );
        assert!(disputed.needs_review());
        // A letter the other was unsure of disputes nothing; nor does a reading of nothing.
        let unsure = field_checked(
            n.clone(),
            "beneficiary",
            &ocr_page("KOWALCZE, MATEO", &[("EO", 60)]),
        );
        assert!(unsure.doubts.is_empty(), "{:?}", unsure.doubts);
        let nothing = field_checked(n.clone(), "beneficiary", &ocr_page("| .", &[]));
        assert!(nothing.doubts.is_empty());
        // Agreeing, it stays sure.
        n.fields.beneficiary = Some("KOWALCZE, MATEO".into());
        let agreed = field_checked(n, "beneficiary", &ocr_page("KOWALCZE,MATEO", &[]));
        assert!(agreed.doubts.is_empty());
    }

    #[test]
    fn a_doubtful_name_both_readers_read_alike_is_sure() {
        let mut n = notice("EAC2190012345", 96, vec![Doubt::UnclearField("applicant")]);
        n.fields.applicant = Some("OKONJO-BRAY, MEI".into());
        // Spacing and punctuation differ between readers; the letters do not.
        let sure = field_checked(
            n.clone(),
            "applicant",
            &ocr_page("Applicant OKONJO-BRAY,MEI A123", &[]),
        );
        assert!(sure.doubts.is_empty());
        // One letter read otherwise: still in doubt.
        let unsure = field_checked(n.clone(), "applicant", &ocr_page("OKONJO-BRAY,MEL", &[]));
        assert_eq!(unsure.doubts, [Doubt::UnclearField("applicant")]);
        // Only the doubt about that field goes.
        n.doubts.push(Doubt::UnclearField("beneficiary"));
        let one = field_checked(n, "applicant", &ocr_page("OKONJO-BRAY, MEI", &[]));
        assert_eq!(one.doubts, [Doubt::UnclearField("beneficiary")]);
    }

    #[test]
    fn the_receipt_an_nvc_letter_quotes_is_sure_when_the_other_reader_reads_it_alike() {
        let mut n = notice(
            "KNG2021560032",
            96,
            vec![Doubt::UnclearField("linked_receipt")],
        );
        n.kind = NumberKind::NvcCase;
        n.fields.linked_receipt = Some("EAC1925972455".into());
        let other = field_checked(n.clone(), "linked_receipt", &ocr_page("EAC1925972485", &[]));
        assert_eq!(other.doubts, [Doubt::UnclearField("linked_receipt")]);
        let alike = field_checked(n, "linked_receipt", &ocr_page("EAC 1925972455", &[]));
        assert!(alike.doubts.is_empty());
    }

    #[test]
    fn only_literal_fields_are_checked_letter_by_letter() {
        let mut n = notice(
            "EAC2190012345",
            96,
            vec![Doubt::UnclearField("notice_date")],
        );
        n.fields.notice_date = Some("2024-01-20".into());
        // The printed date reads otherwise than its canonical form: no comparison is made.
        let kept = field_checked(n, "notice_date", &ocr_page("2024-01-20", &[]));
        assert_eq!(kept.doubts, [Doubt::UnclearField("notice_date")]);
    }

    fn notice(number: &str, confidence: u8, doubts: Vec<Doubt>) -> Notice {
        Notice {
            number: number.to_string(),
            kind: NumberKind::UscisReceipt,
            fields: NoticeFields {
                form: Some("I-797C".into()),
                case_type: Some("I-130".into()),
                ..NoticeFields::default()
            },
            confidence,
            doubts,
        }
    }

    fn unclear(position: usize) -> Doubt {
        Doubt::Unclear {
            positions: vec![position],
        }
    }

    #[test]
    fn agreement_makes_a_doubted_number_sure_but_keeps_doubts_about_fields() {
        let first = notice(
            "EAC2190012345",
            88,
            vec![unclear(7), Doubt::UnclearField("notice_date")],
        );
        let other = [notice("EAC2190012345", 97, vec![])];
        let judged = judged(first, verdict("EAC2190012345", &other));
        assert_eq!(judged.doubts, vec![Doubt::UnclearField("notice_date")]);
    }

    #[test]
    fn a_reading_unsure_of_a_digit_does_not_vouch_for_it() {
        // A 100-dpi fax: both read `…455451`, the neural reader at 52% for the `5` it nearly
        // took for a `6` (the print said `…455461`).
        let first = notice("MSC2001455451", 97, vec![]);
        let other = [notice("MSC2001455451", 52, vec![unclear(11)])];
        let verdict = verdict("MSC2001455451", &other);
        assert_eq!(
            verdict,
            Verdict::AgreesUnsure {
                positions: vec![11]
            }
        );
        let judged = judged(first, verdict);
        assert_eq!(
            judged.doubts,
            vec![Doubt::OtherUnsure {
                positions: vec![11]
            }]
        );
        assert!(judged.needs_review());
    }

    #[test]
    fn a_reading_unsure_only_in_the_prefix_still_vouches() {
        // The known prefixes decide an `O` the recogniser nearly took for a `0`.
        let first = notice("IOE4692613528", 96, vec![unclear(1)]);
        let other = [notice("IOE4692613528", 70, vec![unclear(1)])];
        let verdict = verdict("IOE4692613528", &other);
        assert_eq!(verdict, Verdict::Agrees);
        assert!(!judged(first, verdict).needs_review());
    }

    #[test]
    fn a_number_the_other_reading_does_not_give_is_flagged_not_dropped() {
        let first = notice("EAC2190012345", 99, vec![]);
        let other = [notice("WAC1812345678", 99, vec![])];
        assert_eq!(verdict("EAC2190012345", &other), Verdict::Silent);
        let judged = judged(first, verdict("EAC2190012345", &[]));
        assert_eq!(judged.number, "EAC2190012345");
        assert_eq!(judged.doubts, vec![Doubt::Unconfirmed]);
        assert!(judged.needs_review());
    }

    #[test]
    fn readings_that_differ_keep_the_surer_number_and_name_the_other() {
        let first = notice("SRC1512262132", 80, vec![unclear(11)]);
        let other = [notice("SRC1512262152", 96, vec![])];
        let verdict = verdict("SRC1512262132", &other);
        assert!(matches!(&verdict, Verdict::Rival(n) if n.number == "SRC1512262152"));
        let judged = judged(first, verdict);
        assert_eq!(judged.number, "SRC1512262152");
        assert_eq!(
            judged.fields.case_type.as_deref(),
            Some("I-130"),
            "fields stay"
        );
        assert_eq!(
            judged.doubts,
            vec![Doubt::ReadersDisagree {
                rival: "SRC1512262132".into(),
                positions: vec![11],
            }]
        );
    }

    #[test]
    fn the_first_reading_stands_against_a_less_sure_rival() {
        let first = notice("LIN2514396030", 95, vec![]);
        let other = [notice("LIN0514396030", 70, vec![])];
        let judged = judged(first, verdict("LIN2514396030", &other));
        assert_eq!(judged.number, "LIN2514396030");
        assert!(judged.needs_review());
    }

    #[test]
    fn a_number_far_from_this_one_is_no_rival() {
        let other = [notice("IOE0912345678", 99, vec![])];
        assert_eq!(verdict("EAC2190012345", &other), Verdict::Silent);
    }

    #[test]
    fn unchecked_numbers_say_why() {
        let judged = unchecked(notice("EAC2190012345", 99, vec![]));
        assert_eq!(judged.doubts, vec![Doubt::NoSecondReader]);
    }

    #[test]
    fn common_runs_are_measured_in_characters() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(longest_common_run(&chars("EAC2190"), &chars("XAC219Y")), 5);
        assert_eq!(longest_common_run(&chars(""), &chars("ABC")), 0);
    }
}
