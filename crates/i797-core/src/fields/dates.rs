//! Dates: reads the dates printed on notices (`01/15/2024`, `January 15, 2024`,
//! `Wednesday, March 4, 2020`, `Jan 15, 2024`, `15 January 2024`, `2024-01-15`) into ISO form.
//!
//! Invariant: only real calendar dates with years 1980–2100 come out, and a printed weekday must be
//! the date's weekday; anything date-shaped that fails is reported as unreadable, never guessed.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::confusions::digit_for;

/// Years outside this range are misreads: USCIS notices in circulation start in the 1980s.
const YEARS: std::ops::RangeInclusive<u32> = 1980..=2100;

/// What a value holds, date-wise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DateRead {
    /// A valid date, ISO `YYYY-MM-DD`.
    Found(String),
    /// Something that looks like a date but is not a valid one (`02/30/2024`, `01/15/24`).
    Bad,
    /// No date at all (`1 of 1`, an empty box).
    Absent,
}

const MONTH: &str = "january|february|march|april|may|june|july|august|september|october|\
                     november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";

/// Month names and weekdays in any case; OCR reads `0` as `O`/`o` and `1` as `I`/`l`/`|` in
/// numeric dates, and years also get `S` for 5 and `B` for 8.
fn date_pattern() -> String {
    let weekday = "(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)";
    let month = format!("(?i:{MONTH})");
    [
        format!(r"(?:\b(?P<wd>{weekday})\b\.?,?\s+)?\b(?P<mon>{month})\b\.?\s*(?P<d>\d{{1,2}})(?i:st|nd|rd|th)?\s*,?\s*(?P<y>\d{{4}})"),
        format!(r"(?P<d2>\d{{1,2}})\s+(?P<mon2>{month})\b\.?,?\s+(?P<y2>\d{{4}})"),
        r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})".to_string(),
        r"(?P<m4>[0-9OoIl|]{1,2})\s?[/-]\s?(?P<d4>[0-9OoIl|]{1,2})\s?[/-]\s?(?P<y4>[0-9OoIl|SB]{4})".to_string(),
    ]
    .join("|")
}

static DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&date_pattern()).expect("date pattern"));

static DATE_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^[\s:]*(?:{})", date_pattern())).expect("date pattern"));

/// Date-shaped text that did not read as a date: a month name next to a number, or `nn/nn`.
static DATE_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:{MONTH})\b\.?\s*\d|\d\s*/\s*\d{{1,2}}\s*/|\b\d{{1,2}}/\d{{1,2}}\b"
    ))
    .expect("date-like pattern")
});

static VALIDITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bvalid(?:ity)?\s+(?:from|dates?|period)\b").expect("validity pattern")
});

static CONNECTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:to|through|thru|until|[-\u{2013}])").expect("connector pattern")
});

/// The first date in `text`.
pub(crate) fn read_date(text: &str) -> DateRead {
    let mut bad = false;
    for caps in DATE.captures_iter(text) {
        let m = caps.get(0).expect("group 0");
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        match interpret(&caps) {
            DateRead::Found(date) => return DateRead::Found(date),
            _ => bad = true,
        }
    }
    if bad || DATE_LIKE.is_match(text) {
        DateRead::Bad
    } else {
        DateRead::Absent
    }
}

/// A validity period, `Valid from 10/01/2023 to 09/30/2026`: (from, until), or `None` when no
/// validity phrase is printed.
pub(crate) fn read_validity(text: &str) -> Option<(DateRead, DateRead)> {
    let m = VALIDITY.find(text)?;
    let rest = &text[m.end()..];
    let Some(caps) = DATE_AT_START.captures(rest) else {
        return Some((DateRead::Bad, DateRead::Bad));
    };
    let from = interpret(&caps);
    let rest = &rest[caps.get(0).expect("group 0").end()..];
    let until = match CONNECTOR.find(rest) {
        Some(c) => match DATE_AT_START.captures(&rest[c.end()..]) {
            Some(caps) => interpret(&caps),
            None => DateRead::Bad,
        },
        None => DateRead::Bad,
    };
    Some((from, until))
}

fn interpret(caps: &Captures) -> DateRead {
    let number = |name: &str| caps.name(name).map(|m| m.as_str());
    let (year, month, day) = if let Some(mon) = caps.name("mon") {
        (
            number("y"),
            month_number(mon.as_str()),
            number("d").and_then(|d| d.parse().ok()),
        )
    } else if let Some(mon) = caps.name("mon2") {
        (
            number("y2"),
            month_number(mon.as_str()),
            number("d2").and_then(|d| d.parse().ok()),
        )
    } else if let Some(y) = caps.name("y3") {
        (
            Some(y.as_str()),
            number("m3").and_then(|m| m.parse().ok()),
            number("d3").and_then(|d| d.parse().ok()),
        )
    } else {
        let m = ocr_digits(number("m4").unwrap_or(""));
        let d = ocr_digits(number("d4").unwrap_or(""));
        let y = ocr_digits(number("y4").unwrap_or(""));
        let repaired = [&m, &d, &y].iter().map(|(_, n)| n).sum::<usize>();
        if repaired > 2 {
            return DateRead::Bad;
        }
        return iso(y.0.parse().ok(), m.0.parse().ok(), d.0.parse().ok(), None);
    };
    let year = year.and_then(|y| y.parse().ok());
    let weekday = caps.name("wd").map(|w| w.as_str().to_ascii_lowercase());
    iso(year, month, day, weekday.as_deref())
}

/// The digits OCR meant, and how many characters had to be read as digits.
fn ocr_digits(text: &str) -> (String, usize) {
    let mut repaired = 0;
    let digits = text
        .chars()
        .map(|c| match digit_for(c) {
            Some(d) if !c.is_ascii_digit() => {
                repaired += 1;
                d
            }
            _ => c,
        })
        .collect();
    (digits, repaired)
}

fn month_number(name: &str) -> Option<u32> {
    let name = name.to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    NAMES
        .iter()
        .position(|n| name.starts_with(n))
        .map(|i| i as u32 + 1)
}

fn iso(year: Option<u32>, month: Option<u32>, day: Option<u32>, weekday: Option<&str>) -> DateRead {
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return DateRead::Bad;
    };
    if !YEARS.contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return DateRead::Bad;
    }
    if day > days_in_month(year, month) {
        return DateRead::Bad;
    }
    if let Some(printed) = weekday {
        const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
        let printed: String = printed.chars().take(3).collect();
        if DAYS[weekday_of(year, month, day)] != printed {
            return DateRead::Bad;
        }
    }
    DateRead::Found(format!("{year:04}-{month:02}-{day:02}"))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// 0 = Sunday (Sakamoto's method).
fn weekday_of(year: u32, month: u32, day: u32) -> usize {
    const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    ((y + y / 4 - y / 100 + y / 400 + T[month as usize - 1] + day) % 7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> String {
        match read_date(text) {
            DateRead::Found(d) => d,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn printed_formats() {
        assert_eq!(found("01/15/2024"), "2024-01-15");
        assert_eq!(found("1/5/2024"), "2024-01-05");
        assert_eq!(found("January 15, 2024"), "2024-01-15");
        assert_eq!(found("JANUARY 15, 2024"), "2024-01-15");
        assert_eq!(found("Jan 15, 2024"), "2024-01-15");
        assert_eq!(found("Jan. 15, 2024"), "2024-01-15");
        assert_eq!(found("Sept 3, 2019"), "2019-09-03");
        assert_eq!(found("May 3, 2019"), "2019-05-03");
        assert_eq!(found("Wednesday, March 4, 2020"), "2020-03-04");
        assert_eq!(found("WEDNESDAY, MARCH 4, 2020"), "2020-03-04");
        assert_eq!(found("Monday, May 25, 2020 at 09:20 AM"), "2020-05-25");
        assert_eq!(found("15 January 2024"), "2024-01-15");
        assert_eq!(found("2024-01-15"), "2024-01-15");
        assert_eq!(found("Notice Date: 02/29/2024"), "2024-02-29");
    }

    #[test]
    fn ocr_confusions_in_numeric_dates() {
        assert_eq!(found("O1/15/2024"), "2024-01-15");
        assert_eq!(found("0l/2O/2024"), "2024-01-20");
        // Too many confusions: not a date any more.
        assert_eq!(read_date("Ol/lO/2O24"), DateRead::Bad);
    }

    #[test]
    fn impossible_dates_are_bad_not_guessed() {
        for text in [
            "02/30/2024",
            "02/29/2023",
            "13/01/2024",
            "00/10/2024",
            "04/31/2024",
            "01/15/1899",
            "01/15/2124",
            "01/15/24",
            "February 30, 2024",
            // March 4, 2020 was a Wednesday.
            "Thursday, March 4, 2020",
        ] {
            assert_eq!(read_date(text), DateRead::Bad, "{text}");
        }
    }

    #[test]
    fn non_dates_are_absent() {
        for text in [
            "1 of 1",
            "PAGE 1 of 2",
            "",
            "I130 - PETITION FOR ALIEN RELATIVE",
            "A012 345 678",
            "Mark 15 times",
            "EAC2190012345",
            "$535.00",
            "10:00 AM",
        ] {
            assert_eq!(read_date(text), DateRead::Absent, "{text}");
        }
    }

    #[test]
    fn digits_glued_to_a_date_are_not_a_date() {
        assert_ne!(
            read_date("101/15/20245"),
            DateRead::Found("2024-01-15".into())
        );
    }

    #[test]
    fn validity_periods() {
        let f = |s: &str| DateRead::Found(s.to_string());
        assert_eq!(
            read_validity("Valid from 10/01/2023 to 09/30/2026"),
            Some((f("2023-10-01"), f("2026-09-30")))
        );
        assert_eq!(
            read_validity("VALID FROM: 10/01/2023 THROUGH 09/30/2026"),
            Some((f("2023-10-01"), f("2026-09-30")))
        );
        assert_eq!(
            read_validity("Valid from\n  May 20, 2024 until May 19, 2029"),
            Some((f("2024-05-20"), f("2029-05-19")))
        );
        assert_eq!(
            read_validity("Valid from 10/01/2023 to 09/31/2026"),
            Some((f("2023-10-01"), DateRead::Bad))
        );
        assert_eq!(
            read_validity("Valid from l0/O1/2O23 to"),
            Some((DateRead::Bad, DateRead::Bad))
        );
        assert_eq!(read_validity("Class: H1B"), None);
    }

    #[test]
    fn weekdays_are_right() {
        assert_eq!(weekday_of(2020, 3, 4), 3);
        assert_eq!(weekday_of(2024, 1, 15), 1);
        assert_eq!(weekday_of(2000, 2, 29), 2);
    }
}
