//! Number kinds: tells a USCIS receipt number from a National Visa Center case
//! number (`MNL2007547002`: post code, calendar year, day of year + 500, daily sequence).
//!
//! Invariant: the label decides first, then the prefix sets, then the digit structure; when the
//! kind rests on structure alone and both kinds fit, the notice carries `Doubt::AmbiguousKind`.
//!
//! Also what an NVC letter adds to its case: the USCIS receipt number it quotes (the petition's
//! case, given as the NVC row's `linked_receipt`, not as a case of its own) and its invoice ID.

use std::ops::Range;

use crate::fields::labelled::{Parsed, labelled};
use crate::layout::{LabelKind, Layout};
use crate::number::prefixes::{is_consular_post, is_uscis_prefix};
use crate::number::receipt::has_nvc_structure;
use crate::number::{PREFIX_LETTERS, prefix};
use crate::{Doubt, Notice, NumberKind};

/// What the printed label (or a prose mention) next to a number says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LabelSays {
    /// "Receipt Number", "Receipt #".
    Uscis,
    /// "NVC Case Number".
    Nvc,
    /// "Case Number": either kind.
    Generic,
    /// No label.
    Nothing,
}

/// What the page as a whole is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PageSays {
    pub uscis_notice: bool,
    pub nvc_letter: bool,
}

/// The kind of canonical `number`, with any doubt about it; `None` when it is neither kind.
pub(crate) fn decide(
    number: &str,
    label: LabelSays,
    page: PageSays,
) -> Option<(NumberKind, Vec<Doubt>)> {
    let post = prefix(number);
    let uscis = is_uscis_prefix(post);
    let consular = is_consular_post(post);
    let nvc_shape = has_nvc_structure(&number[PREFIX_LETTERS..]);
    let label = match label {
        LabelSays::Generic if page.nvc_letter && !page.uscis_notice => LabelSays::Nvc,
        other => other,
    };
    let sure = |kind| Some((kind, Vec::new()));
    let doubtful = |kind, doubt| Some((kind, vec![doubt]));
    match label {
        LabelSays::Nvc => {
            if nvc_shape {
                sure(NumberKind::NvcCase)
            } else if uscis && !consular {
                // A receipt number printed where the case number belongs.
                doubtful(NumberKind::UscisReceipt, Doubt::AmbiguousKind)
            } else {
                doubtful(NumberKind::NvcCase, Doubt::NotNvcPattern)
            }
        }
        LabelSays::Uscis => {
            if uscis {
                sure(NumberKind::UscisReceipt)
            } else if consular && nvc_shape {
                doubtful(NumberKind::NvcCase, Doubt::AmbiguousKind)
            } else {
                None
            }
        }
        LabelSays::Generic | LabelSays::Nothing => match (uscis, consular) {
            (true, false) => sure(NumberKind::UscisReceipt),
            (false, true) if nvc_shape => sure(NumberKind::NvcCase),
            (true, true) if !nvc_shape => sure(NumberKind::UscisReceipt),
            (true, true) => {
                // Only the page is left to go by; say so either way.
                let kind = if page.uscis_notice && !page.nvc_letter {
                    NumberKind::UscisReceipt
                } else {
                    NumberKind::NvcCase
                };
                doubtful(kind, Doubt::AmbiguousKind)
            }
            _ => None,
        },
    }
}

/// On an NVC letter, the USCIS receipt number the letter quotes is the petition's case, not a
/// case the letter is about: it moves from the page's notices onto each NVC case's
/// `linked_receipt` (with a doubt when its own reading had one). The one quoted is the first
/// printed under a Receipt Number label, else the first on the page; any other receipt number
/// stays a row of its own, so nothing read is lost. When no NVC case number was read, the quoted
/// receipt stays a row too, flagged: the row is the letter's, whose own number is missing.
/// `places` are (line, notice index) lists whose indexes follow the removal.
pub(crate) fn link_quoted_receipt(
    notices: &mut Vec<Notice>,
    under_receipt_label: &[bool],
    places: [&mut Vec<(usize, usize)>; 2],
) {
    let receipts: Vec<usize> = (0..notices.len())
        .filter(|&i| notices[i].kind == NumberKind::UscisReceipt)
        .collect();
    let Some(&quoted) = receipts
        .iter()
        .find(|&&i| under_receipt_label[i])
        .or(receipts.first())
    else {
        return;
    };
    if !notices.iter().any(|n| n.kind == NumberKind::NvcCase) {
        notices[quoted].doubts.push(Doubt::NvcCaseUnread);
        return;
    }
    let receipt = notices.remove(quoted);
    for case in notices.iter_mut().filter(|n| n.kind == NumberKind::NvcCase) {
        case.fields.linked_receipt = Some(receipt.number.clone());
        if receipt.needs_review() {
            case.doubts.push(Doubt::UnclearField("linked_receipt"));
        }
    }
    for list in places {
        list.retain(|&(_, i)| i != quoted);
        for (_, i) in list.iter_mut() {
            if *i > quoted {
                *i -= 1;
            }
        }
    }
}

/// The invoice ID an NVC letter prints beside its label (`Invoice ID Number: 239378413`), taken
/// only when labelled (its format is not published): one run of 6–20 letters and digits with a
/// digit in it. The second value is true when something was printed there that does not read so.
pub(crate) fn invoice_id(layout: &Layout, lines: &Range<usize>) -> (Option<String>, bool) {
    labelled(layout, lines, &[LabelKind::InvoiceId], |value| {
        let text = value.text.trim_start_matches([':', ' ']);
        let Some(token) = text.split_whitespace().next() else {
            return Parsed::Empty;
        };
        let token = token.trim_end_matches([',', '.', ';']);
        let fits = (6..=20).contains(&token.len())
            && token.bytes().all(|b| b.is_ascii_alphanumeric())
            && token.bytes().any(|b| b.is_ascii_digit());
        if fits {
            Parsed::Ok(token.to_ascii_uppercase())
        } else {
            Parsed::Bad
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: PageSays = PageSays {
        uscis_notice: false,
        nvc_letter: false,
    };
    const NVC_PAGE: PageSays = PageSays {
        uscis_notice: false,
        nvc_letter: true,
    };
    const USCIS_PAGE: PageSays = PageSays {
        uscis_notice: true,
        nvc_letter: false,
    };

    #[test]
    fn the_label_decides_first() {
        assert_eq!(
            decide("MNL2007547002", LabelSays::Nvc, NONE),
            Some((NumberKind::NvcCase, vec![]))
        );
        // Unknown post codes are taken when labelled, but an odd structure is flagged.
        assert_eq!(
            decide("XYZ2020547051", LabelSays::Nvc, NVC_PAGE),
            Some((NumberKind::NvcCase, vec![]))
        );
        assert_eq!(
            decide("XYZ2190012345", LabelSays::Nvc, NVC_PAGE),
            Some((NumberKind::NvcCase, vec![Doubt::NotNvcPattern]))
        );
        // JAK is both; the label settles it.
        assert_eq!(
            decide("JAK2010534003", LabelSays::Nvc, NONE),
            Some((NumberKind::NvcCase, vec![]))
        );
        assert_eq!(
            decide("JAK2010534003", LabelSays::Uscis, NONE),
            Some((NumberKind::UscisReceipt, vec![]))
        );
        // A generic "Case Number" on an NVC letter is the NVC case number.
        assert_eq!(
            decide("JAK2010534003", LabelSays::Generic, NVC_PAGE),
            Some((NumberKind::NvcCase, vec![]))
        );
    }

    #[test]
    fn then_the_prefix_sets() {
        assert_eq!(
            decide("EAC2190012345", LabelSays::Nothing, NONE),
            Some((NumberKind::UscisReceipt, vec![]))
        );
        // EAC with an NVC-shaped tail is still a receipt number: EAC is no consular post.
        assert_eq!(
            decide("EAC2010534003", LabelSays::Nothing, NONE),
            Some((NumberKind::UscisReceipt, vec![]))
        );
        assert_eq!(
            decide("MNL2007547002", LabelSays::Nothing, NONE),
            Some((NumberKind::NvcCase, vec![]))
        );
        // A consular code without NVC structure is neither.
        assert_eq!(decide("MNL2190012345", LabelSays::Nothing, NONE), None);
        assert_eq!(decide("ORD1234567890", LabelSays::Nothing, NONE), None);
        assert_eq!(decide("ORD1234567890", LabelSays::Uscis, NONE), None);
    }

    #[test]
    fn then_the_structure_and_ambiguity_is_flagged() {
        // JAK/MTL/SNJ with a USCIS-only structure: a receipt number.
        assert_eq!(
            decide("SNJ2190012345", LabelSays::Nothing, NONE),
            Some((NumberKind::UscisReceipt, vec![]))
        );
        for page in [NONE, NVC_PAGE] {
            assert_eq!(
                decide("MTL2015601004", LabelSays::Nothing, page),
                Some((NumberKind::NvcCase, vec![Doubt::AmbiguousKind]))
            );
        }
        assert_eq!(
            decide("MTL2015601004", LabelSays::Nothing, USCIS_PAGE),
            Some((NumberKind::UscisReceipt, vec![Doubt::AmbiguousKind]))
        );
        assert_eq!(
            decide("MTL2015601004", LabelSays::Generic, NONE),
            Some((NumberKind::NvcCase, vec![Doubt::AmbiguousKind]))
        );
    }
}

#[cfg(test)]
mod letters;
