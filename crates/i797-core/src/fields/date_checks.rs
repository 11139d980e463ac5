//! Dates checked against each other and against the receipt number: a date
//! that each reads as a real day on its own can still be a misreading (`2068` for `2008`). What
//! fails is left empty with the reason, never corrected: which digit was misread is not known.
//!
//! Owns only these cross-checks; reading a date is `dates.rs`, the number's grammar `receipt.rs`.

use crate::number::prefixes::year_digits_are_fiscal_year;
use crate::{Doubt, Notice, NumberKind};

/// Years a decision may come after its receipt (an employment-based adjustment can wait a decade).
const DECIDED_WITHIN_YEARS: i32 = 25;

/// The longest validity an I-797 approval gives (H-1B and L-1 three years, an EAD five; a
/// receipt that extends a card up to four): a longer period holds a misread year.
const LONGEST_VALIDITY_YEARS: i32 = 10;

/// Years of slack around the fiscal year the number was issued in: the number's year digits are
/// a hint (some series are not day counts), not a date.
const FISCAL_YEAR_SLACK: i32 = 1;

/// Empties each date of `notice` that cannot be right, with the reason in its doubts.
pub(crate) fn check_dates(notice: &mut Notice) {
    use DateField::{NoticeDate, PriorityDate, ReceivedDate, ValidFrom, ValidUntil};
    if notice.kind == NumberKind::UscisReceipt
        && let Some(fiscal_year) = fiscal_year(&notice.number)
    {
        // Fiscal year N runs from October of N-1 to September of N.
        let issued_from = fiscal_year - 1 - FISCAL_YEAR_SLACK;
        let issued_until = fiscal_year + FISCAL_YEAR_SLACK;
        let why = format!("the receipt number was issued in fiscal year {fiscal_year}");
        reject_outside(notice, ReceivedDate, issued_from..=issued_until, &why);
        reject_outside(
            notice,
            NoticeDate,
            issued_from..=issued_until + DECIDED_WITHIN_YEARS,
            &why,
        );
    }
    // ISO dates compare as text.
    if let (Some(received), Some(notice_date)) =
        (&notice.fields.received_date, &notice.fields.notice_date)
        && received > notice_date
    {
        let why = "the notice cannot be dated before the case was received";
        reject(notice, ReceivedDate, why);
        reject(notice, NoticeDate, why);
    }
    if let (Some(from), Some(until)) = (ValidFrom.year(notice), ValidUntil.year(notice))
        && until - from > LONGEST_VALIDITY_YEARS
    {
        let why = "no approval is valid for longer than ten years";
        reject(notice, ValidFrom, why);
        reject(notice, ValidUntil, why);
    }
    if let (Some(priority), Some(received)) =
        (&notice.fields.priority_date, &notice.fields.received_date)
        && priority > received
    {
        let why = "a priority date cannot come after the case was received";
        reject(notice, PriorityDate, why);
    }
}

/// The fiscal year a receipt number's 4th and 5th characters name, in the series where they do.
fn fiscal_year(number: &str) -> Option<i32> {
    if !year_digits_are_fiscal_year(number.get(..3)?) {
        return None;
    }
    let two: i32 = number.get(3..5)?.parse().ok()?;
    // Receipt numbers with today's shape began in the 1980s.
    Some(if two >= 80 { 1900 + two } else { 2000 + two })
}

/// The date fields of a notice, each with its CSV column name.
#[derive(Clone, Copy)]
enum DateField {
    ReceivedDate,
    NoticeDate,
    PriorityDate,
    ValidFrom,
    ValidUntil,
}

impl DateField {
    fn name(self) -> &'static str {
        match self {
            DateField::ReceivedDate => "received_date",
            DateField::NoticeDate => "notice_date",
            DateField::PriorityDate => "priority_date",
            DateField::ValidFrom => "valid_from",
            DateField::ValidUntil => "valid_until",
        }
    }

    fn of(self, notice: &mut Notice) -> &mut Option<String> {
        match self {
            DateField::ReceivedDate => &mut notice.fields.received_date,
            DateField::NoticeDate => &mut notice.fields.notice_date,
            DateField::PriorityDate => &mut notice.fields.priority_date,
            DateField::ValidFrom => &mut notice.fields.valid_from,
            DateField::ValidUntil => &mut notice.fields.valid_until,
        }
    }

    /// The year of the (ISO) date the field holds.
    fn year(self, notice: &mut Notice) -> Option<i32> {
        self.of(notice).as_deref()?.get(..4)?.parse().ok()
    }
}

fn reject_outside(
    notice: &mut Notice,
    field: DateField,
    years: std::ops::RangeInclusive<i32>,
    why: &str,
) {
    if field
        .year(notice)
        .is_some_and(|year| !years.contains(&year))
    {
        reject(notice, field, why);
    }
}

fn reject(notice: &mut Notice, field: DateField, why: &str) {
    if let Some(value) = field.of(notice).take() {
        notice.doubts.push(Doubt::ContradictedField {
            field: field.name(),
            value,
            why: why.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NoticeFields;

    fn notice(number: &str, received: &str, decided: &str, priority: &str) -> Notice {
        let date = |d: &str| (!d.is_empty()).then(|| d.to_string());
        Notice {
            fields: NoticeFields {
                received_date: date(received),
                notice_date: date(decided),
                priority_date: date(priority),
                ..NoticeFields::default()
            },
            ..Notice::bare(number.to_string(), NumberKind::UscisReceipt)
        }
    }

    fn checked(mut n: Notice) -> Notice {
        check_dates(&mut n);
        n
    }

    fn rejected(n: &Notice) -> Vec<&'static str> {
        n.doubts
            .iter()
            .filter_map(|d| match d {
                Doubt::ContradictedField { field, .. } => Some(*field),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn dates_that_fit_the_number_and_each_other_stay() {
        for n in [
            notice("EAC0811072183", "2008-03-04", "2008-05-19", ""),
            // Fiscal year 2024 began in October 2023.
            notice("WAC2490012345", "2023-10-02", "2024-01-20", "2023-06-01"),
            // ELIS numbers carry no fiscal year.
            notice("IOE0912345678", "2023-10-02", "2024-01-20", ""),
            // A decision a decade later.
            notice("LIN1490012345", "2014-01-10", "2024-06-30", "2012-05-01"),
            // Only some dates read.
            notice("WAC2314736841", "", "2023-05-02", ""),
            notice("SRC9912345678", "1999-02-01", "", ""),
        ] {
            let n = checked(n);
            assert!(n.doubts.is_empty(), "{:?}", n.doubts);
            assert!(n.fields.received_date.is_some() || n.fields.notice_date.is_some());
        }
    }

    #[test]
    fn a_year_misread_far_from_the_numbers_fiscal_year_is_left_empty() {
        // `2068` for `2008`, and a received date two years off its number.
        let n = checked(notice("EAC0811072183", "2008-03-04", "2068-05-19", ""));
        assert_eq!(rejected(&n), ["notice_date"]);
        assert_eq!(n.fields.notice_date, None);
        assert_eq!(n.fields.received_date.as_deref(), Some("2008-03-04"));
        let n = checked(notice("EAC2190012345", "2018-11-02", "", ""));
        assert_eq!(rejected(&n), ["received_date"]);
        // A notice before the number's fiscal year is as impossible.
        let n = checked(notice("EAC2190012345", "", "2011-04-01", ""));
        assert_eq!(rejected(&n), ["notice_date"]);
    }

    #[test]
    fn dates_out_of_order_are_both_left_empty() {
        let n = checked(notice("MSC2001455461", "2020-04-20", "2019-10-21", ""));
        assert_eq!(rejected(&n), ["received_date", "notice_date"]);
        assert_eq!((n.fields.received_date, n.fields.notice_date), (None, None));
        let n = checked(notice(
            "SRC2202973572",
            "2021-11-11",
            "2022-03-21",
            "2022-01-05",
        ));
        assert_eq!(rejected(&n), ["priority_date"]);
    }

    #[test]
    fn a_validity_period_longer_than_any_approval_gives_is_left_empty() {
        let mut n = notice("SRC0812345678", "2007-11-02", "2008-05-19", "");
        (n.fields.valid_from, n.fields.valid_until) =
            (Some("2008-10-01".into()), Some("2041-09-10".into()));
        let n = checked(n);
        assert_eq!(rejected(&n), ["valid_from", "valid_until"]);
        let mut n = notice("WAC2314736841", "", "", "");
        (n.fields.valid_from, n.fields.valid_until) =
            (Some("2023-10-01".into()), Some("2026-09-30".into()));
        assert!(checked(n).doubts.is_empty());
    }

    #[test]
    fn a_rejected_date_is_named_with_its_reason_and_holds_no_row_for_review() {
        let n = checked(notice("EAC0811072183", "", "2068-05-19", ""));
        let message = n.doubts[0].to_string();
        assert!(
            message.contains("notice_date") && message.contains("2068-05-19"),
            "{message}"
        );
        assert!(message.contains("fiscal year 2008"), "{message}");
        assert!(!n.needs_review());
    }

    #[test]
    fn nvc_case_numbers_and_other_series_carry_no_fiscal_year() {
        assert!(
            checked(notice("IOE8012345678", "2024-02-01", "", ""))
                .doubts
                .is_empty()
        );
        assert!(
            checked(notice("NYC2311188905", "2016-02-01", "", ""))
                .doubts
                .is_empty()
        );
        let mut n = notice("MNL2007547002", "", "2031-01-01", "");
        n.kind = NumberKind::NvcCase;
        assert!(checked(n).doubts.is_empty());
    }
}
