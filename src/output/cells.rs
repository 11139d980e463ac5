//! The typed view of a row that JSON Lines, the workbook and the database share: each cell's
//! value, typed by its column's [`FieldType`] as the one field list (`record::FIELDS`) gives it.
//! Nothing here lists columns or types again.
//!
//! Must not change a value: a cell that does not read as its column's type stays text.

use crate::record::{COLUMNS, FIELDS, FieldType, Record};

/// The type of the column named `column` (one of [`COLUMNS`]; any other name is text).
pub fn kind_of(column: &str) -> FieldType {
    FIELDS
        .iter()
        .find(|field| field.name == column)
        .map_or(FieldType::Text, |field| field.kind)
}

/// One cell, typed where its column has a type and its text reads as one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell<'a> {
    /// An empty cell.
    Empty,
    Text(&'a str),
    Integer(i64),
    /// Year, month, day (a real calendar date).
    Date(u16, u8, u8),
    Boolean(bool),
}

/// The row's cells, in [`COLUMNS`] order, as text exactly as the CSV carries it (before the
/// CSV's formula guard).
pub fn texts(row: &Record) -> Vec<String> {
    let value = serde_json::to_value(row).unwrap_or_default();
    COLUMNS
        .iter()
        .map(|column| match value.get(column) {
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        })
        .collect()
}

/// The typed cell for `text` in a column of `kind`.
pub fn typed(kind: FieldType, text: &str) -> Cell<'_> {
    if text.is_empty() {
        return Cell::Empty;
    }
    let parsed = match kind {
        FieldType::Text => None,
        FieldType::Integer => {
            // Digits only, no leading zero: the number reads back as the same text.
            let plain =
                text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
            plain
                .then(|| text.parse().ok().map(Cell::Integer))
                .flatten()
        }
        FieldType::Date => iso_date(text).map(|(y, m, d)| Cell::Date(y, m, d)),
        FieldType::Boolean => match text {
            "true" => Some(Cell::Boolean(true)),
            "false" => Some(Cell::Boolean(false)),
            _ => None,
        },
    };
    parsed.unwrap_or(Cell::Text(text))
}

/// `YYYY-MM-DD` as a real calendar date.
fn iso_date(text: &str) -> Option<(u16, u8, u8)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u16> {
        let part = &text[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1900 && (1..=days).contains(&day)).then_some((year, month as u8, day as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_kind_and_only_the_typed_few_are_not_text() {
        let typed: Vec<(&str, FieldType)> = COLUMNS
            .iter()
            .map(|c| (*c, kind_of(c)))
            .filter(|(_, kind)| *kind != FieldType::Text)
            .collect();
        assert_eq!(
            typed,
            [
                ("page", FieldType::Integer),
                ("received_date", FieldType::Date),
                ("notice_date", FieldType::Date),
                ("priority_date", FieldType::Date),
                ("valid_from", FieldType::Date),
                ("valid_until", FieldType::Date),
                ("confidence", FieldType::Integer),
                ("needs_review", FieldType::Boolean),
            ]
        );
    }

    #[test]
    fn cells_are_typed_only_when_the_text_reads_back_the_same() {
        assert_eq!(typed(FieldType::Integer, "12"), Cell::Integer(12));
        assert_eq!(typed(FieldType::Integer, "012"), Cell::Text("012"));
        assert_eq!(typed(FieldType::Integer, "-1"), Cell::Text("-1"));
        assert_eq!(
            typed(FieldType::Date, "2024-02-29"),
            Cell::Date(2024, 2, 29)
        );
        assert_eq!(
            typed(FieldType::Date, "2023-02-29"),
            Cell::Text("2023-02-29")
        );
        assert_eq!(
            typed(FieldType::Date, "02/01/2024"),
            Cell::Text("02/01/2024")
        );
        assert_eq!(typed(FieldType::Boolean, "true"), Cell::Boolean(true));
        assert_eq!(typed(FieldType::Boolean, "yes"), Cell::Text("yes"));
        assert_eq!(
            typed(FieldType::Text, "043889511833"),
            Cell::Text("043889511833")
        );
        assert_eq!(typed(FieldType::Date, ""), Cell::Empty);
    }

    #[test]
    fn texts_follow_the_column_order() {
        let row = Record {
            file: "a/b.pdf".into(),
            account_number: "043889511833".into(),
            ..Record::default()
        };
        let cells = texts(&row);
        assert_eq!(cells.len(), COLUMNS.len());
        let at = |name: &str| &cells[COLUMNS.iter().position(|c| *c == name).unwrap()];
        assert_eq!(at("file"), "a/b.pdf");
        assert_eq!(at("account_number"), "043889511833");
        assert_eq!(at("page"), "");
    }
}
