//! The row as typed JSON, and its published JSON Schema, both from the one field list
//! ([`crate::record::FIELDS`]). A [`Record`] holds every value as text (the CSV form); JSON Lines
//! gives each its type: `page` and `confidence` as numbers, `needs_review` as a boolean, an empty
//! value as `null`. The conversion is lossless both ways, so `--resume` and `merge` can read a
//! JSON Lines output back into exactly the records that wrote it.
//!
//! Must not: decide what a field means or holds (that is `record.rs`); print anything.

use serde_json::{Map, Value, json};

use crate::output::cells::{Cell, texts, typed};
use crate::record::{FIELDS, Field, FieldType, Record};

/// Why a JSON Lines row cannot be read back into a [`Record`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RowError {
    #[error("not a JSON object: {0}")]
    NotJson(String),
    #[error("field `{0}` is missing")]
    Missing(&'static str),
    #[error("field `{0}` is not an i797 field")]
    Unknown(String),
    #[error("field `{field}` holds {found}, which is not {expected}")]
    WrongType {
        field: &'static str,
        found: String,
        expected: &'static str,
    },
}

/// One row as a JSON object, fields in contract order, each with its type.
pub fn typed_row(record: &Record) -> Value {
    let mut object = Map::new();
    for (field, value) in FIELDS.iter().zip(texts(record)) {
        object.insert(field.name.to_string(), typed_value(field, &value));
    }
    Value::Object(object)
}

/// Reads one JSON Lines row back into the record that wrote it. Rows written as text only (by
/// earlier versions) are read too.
pub fn record_from_json(line: &[u8]) -> Result<Record, RowError> {
    let object: Map<String, Value> =
        serde_json::from_slice(line).map_err(|e| RowError::NotJson(e.to_string()))?;
    if let Some(unknown) = object
        .keys()
        .find(|key| !FIELDS.iter().any(|f| f.name == key.as_str()))
    {
        return Err(RowError::Unknown(unknown.clone()));
    }
    let mut text = Map::new();
    for field in &FIELDS {
        let value = object
            .get(field.name)
            .ok_or(RowError::Missing(field.name))?;
        text.insert(
            field.name.to_string(),
            Value::String(text_value(field, value)?),
        );
    }
    serde_json::from_value(Value::Object(text)).map_err(|e| RowError::NotJson(e.to_string()))
}

/// The JSON Schema (draft 2020-12) of one JSON Lines row.
pub fn json_schema() -> Value {
    let mut properties = Map::new();
    for field in &FIELDS {
        let mut property = Map::new();
        let kind = match field.kind {
            FieldType::Text | FieldType::Date => "string",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
        };
        property.insert("type".into(), json!([kind, "null"]));
        match field.kind {
            FieldType::Date => {
                property.insert("format".into(), json!("date"));
            }
            FieldType::Integer => {
                property.insert("minimum".into(), json!(0));
            }
            FieldType::Text | FieldType::Boolean => {}
        }
        property.insert("description".into(), json!(field.meaning));
        properties.insert(field.name.to_string(), Value::Object(property));
    }
    let required: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "i797 row",
        "description": "One row of `i797 scan --format jsonl`: one per (file, page, case number), \
            or one per file without a number. The CSV has the same columns in the same order, \
            every value as text and null as an empty cell.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// `value` (as the CSV holds it) with its JSON type, typed as the workbook and the database type
/// it (`output/cells.rs`). A value that does not read as its type stays a string, so nothing is
/// ever lost; a date stays a string (JSON has no date type).
fn typed_value(field: &Field, value: &str) -> Value {
    match typed(field.kind, value) {
        Cell::Empty => Value::Null,
        Cell::Integer(n) => json!(n),
        Cell::Boolean(b) => Value::Bool(b),
        Cell::Text(_) | Cell::Date(..) => json!(value),
    }
}

/// Undoes [`typed_value`].
fn text_value(field: &Field, value: &Value) -> Result<String, RowError> {
    let wrong = |expected| RowError::WrongType {
        field: field.name,
        found: value.to_string(),
        expected,
    };
    Ok(match (field.kind, value) {
        (_, Value::Null) => String::new(),
        (_, Value::String(text)) => text.clone(),
        (FieldType::Integer, Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| wrong("a whole number"))?
            .to_string(),
        (FieldType::Boolean, Value::Bool(b)) => b.to_string(),
        (FieldType::Integer, _) => return Err(wrong("a whole number")),
        (FieldType::Boolean, _) => return Err(wrong("true or false")),
        (FieldType::Text | FieldType::Date, _) => return Err(wrong("text")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found_row() -> Record {
        Record {
            file: "clients/ana/receipt.pdf".into(),
            page: "2".into(),
            receipt_number: "EAC2190012345".into(),
            account_number: "043889511833".into(),
            notice_date: "2024-01-22".into(),
            confidence: "87".into(),
            needs_review: "false".into(),
            status: "ok".into(),
            ..Record::default()
        }
    }

    #[test]
    fn rows_carry_real_types_and_null_for_empty() {
        let json = typed_row(&found_row());
        assert_eq!(json["page"], json!(2));
        assert_eq!(json["confidence"], json!(87));
        assert_eq!(json["needs_review"], json!(false));
        assert_eq!(json["account_number"], json!("043889511833"));
        assert_eq!(json["form"], Value::Null);
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, crate::record::COLUMNS, "contract order");
    }

    #[test]
    fn typed_rows_read_back_to_the_same_record() {
        let odd = Record {
            page: "007".into(), // not as we write a page: must survive as text
            needs_review: "maybe".into(),
            ..found_row()
        };
        for record in [found_row(), odd, Record::default()] {
            let line = serde_json::to_vec(&typed_row(&record)).unwrap();
            assert_eq!(record_from_json(&line).unwrap(), record);
        }
        // Rows of earlier versions, every value a string, are read too.
        let text_only = serde_json::to_vec(&found_row()).unwrap();
        assert_eq!(record_from_json(&text_only).unwrap(), found_row());
    }

    #[test]
    fn rows_with_missing_unknown_or_mistyped_fields_are_refused() {
        let mut json = typed_row(&found_row());
        json.as_object_mut().unwrap().remove("sha256");
        let line = serde_json::to_vec(&json).unwrap();
        assert_eq!(record_from_json(&line), Err(RowError::Missing("sha256")));
        let mut json = typed_row(&found_row());
        json["extra"] = json!(1);
        assert!(matches!(
            record_from_json(&serde_json::to_vec(&json).unwrap()),
            Err(RowError::Unknown(_))
        ));
        let mut json = typed_row(&found_row());
        json["needs_review"] = json!(3);
        assert!(matches!(
            record_from_json(&serde_json::to_vec(&json).unwrap()),
            Err(RowError::WrongType {
                field: "needs_review",
                ..
            })
        ));
    }

    /// The schema and the record agree: every field of a row is a schema property of the type
    /// the row's value has, and the schema names no other.
    #[test]
    fn the_schema_describes_exactly_the_rows_written() {
        let schema = json_schema();
        let properties = schema["properties"].as_object().unwrap();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(required, crate::record::COLUMNS);
        for record in [found_row(), Record::default()] {
            let row = typed_row(&record);
            let row = row.as_object().unwrap();
            assert_eq!(row.len(), properties.len());
            for (name, value) in row {
                let allowed = properties[name]["type"].as_array().unwrap();
                let kind = match value {
                    Value::Null => "null",
                    Value::Bool(_) => "boolean",
                    Value::Number(_) => "integer",
                    Value::String(_) => "string",
                    _ => "other",
                };
                assert!(
                    allowed.contains(&json!(kind)),
                    "{name}: {value} vs {allowed:?}"
                );
            }
        }
    }
}
