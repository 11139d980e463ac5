//! The case view (`--cases FILE`): one row per case number (USCIS receipt or NVC case) gathered
//! from the page rows: its notices in date order, its latest state, who and what it is about,
//! the cases linked to it (an NVC letter quoting a USCIS receipt), review and duplicate counts.
//!
//! Grouping is pure (rows in, cases out) and sees the rows in output order, after the duplicate
//! marks are set; `file.rs` writes the result. Only `ok` rows with a number make cases: error and
//! no-notice rows belong to no case.

pub mod columns;
mod state;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::record::{Record, Status};

/// One notice of a case: where it is and what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseNotice {
    pub file: String,
    pub page: String,
    pub notice_type: String,
    pub notice_date: String,
    /// The row's place in the output, counting every row from 0 (the database's `row_id` - 1);
    /// not part of the CSV or JSON case view.
    #[serde(skip)]
    pub row: usize,
}

/// One row of the case view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Case {
    pub case_number: String,
    pub number_kind: String,
    /// The latest notice's state and date, e.g. `approved 2024-03-01`.
    pub latest_state: String,
    /// These five: every distinct value of the case's rows (duplicates included), in order.
    pub case_type: Vec<String>,
    pub form: Vec<String>,
    pub a_number: Vec<String>,
    pub applicant: Vec<String>,
    pub beneficiary: Vec<String>,
    /// NVC case numbers and USCIS receipts this case is linked to, either way.
    pub linked_cases: Vec<String>,
    /// The case's notices, duplicates left out: dated ones by date, then undated ones, each in
    /// output order.
    pub notices: Vec<CaseNotice>,
    /// Some row of the case (its duplicates included) needs a person's check.
    pub needs_review: bool,
    /// Rows of this case marked `duplicate_of` another.
    pub duplicate_rows: usize,
}

/// Collects cases from page rows fed in output order.
#[derive(Debug, Default, Clone)]
pub struct CaseBook {
    cases: BTreeMap<String, Gathered>,
    /// (case, case it quotes), in the order the rows came.
    links: Vec<(String, String)>,
    /// Rows fed so far, of any status: the place in the output of the next one.
    rows_seen: usize,
}

#[derive(Debug, Default, Clone)]
struct Gathered {
    number_kind: String,
    /// The case's rows, in output order, each with its place in the output.
    rows: Vec<(usize, Record)>,
}

impl CaseBook {
    /// Takes the rows of the next file in output order (duplicate marks already set).
    pub fn add_file(&mut self, rows: &[Record]) {
        for row in rows {
            let place = self.rows_seen;
            self.rows_seen += 1;
            if row.status != Status::Ok.as_str() || row.receipt_number.is_empty() {
                continue;
            }
            let case = self.cases.entry(row.receipt_number.clone()).or_default();
            if case.number_kind.is_empty() {
                case.number_kind = row.number_kind.clone();
            }
            case.rows.push((place, row.clone()));
            if !row.linked_receipt.is_empty() && row.linked_receipt != row.receipt_number {
                self.links
                    .push((row.receipt_number.clone(), row.linked_receipt.clone()));
            }
        }
    }

    /// The cases gathered so far, by case number.
    pub fn cases(&self) -> Vec<Case> {
        let mut linked: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (from, to) in &self.links {
            // Shown on both cases; a quoted number with no rows of its own makes no case.
            for (this, other) in [(from, to), (to, from)] {
                let list = linked.entry(this).or_default();
                if !list.contains(other) {
                    list.push(other.clone());
                }
            }
        }
        self.cases
            .iter()
            .map(|(number, gathered)| {
                gathered.case(
                    number,
                    linked.get(number.as_str()).cloned().unwrap_or_default(),
                )
            })
            .collect()
    }
}

impl Gathered {
    fn case(&self, number: &str, linked_cases: Vec<String>) -> Case {
        let all = || self.rows.iter().map(|(_, row)| row);
        let originals: Vec<&(usize, Record)> = self
            .rows
            .iter()
            .filter(|(_, row)| row.duplicate_of.is_empty())
            .collect();
        let original_rows: Vec<&Record> = originals.iter().map(|(_, row)| row).collect();
        // Duplicates included: a photo of a notice may miss a name its PDF copy prints.
        let distinct = |field: fn(&Record) -> &String| {
            let mut values: Vec<String> = Vec::new();
            for value in all().map(field) {
                if !value.is_empty() && !values.contains(value) {
                    values.push(value.clone());
                }
            }
            values
        };
        let mut in_date_order = originals.clone();
        // Stable: rows of one date (or undated) stay in output order.
        in_date_order.sort_by_key(|(_, row)| (row.notice_date.is_empty(), row.notice_date.clone()));
        Case {
            case_number: number.to_string(),
            number_kind: self.number_kind.clone(),
            latest_state: latest_state(&original_rows),
            case_type: distinct(|r| &r.case_type),
            form: distinct(|r| &r.form),
            a_number: distinct(|r| &r.a_number),
            applicant: distinct(|r| &r.applicant),
            beneficiary: distinct(|r| &r.beneficiary),
            linked_cases,
            notices: in_date_order
                .into_iter()
                .map(|(place, row)| CaseNotice {
                    file: row.file.clone(),
                    page: row.page.clone(),
                    notice_type: row.notice_type.clone(),
                    notice_date: row.notice_date.clone(),
                    row: *place,
                })
                .collect(),
            needs_review: all().any(|row| row.needs_review == "true"),
            duplicate_rows: self.rows.len() - originals.len(),
        }
    }
}

/// The state of the latest dated notice (on one date, the later in output order), with its
/// date; without any date, the state of the last notice that has a type (or of the last one).
fn latest_state(rows: &[&Record]) -> String {
    let latest_dated = rows
        .iter()
        .filter(|row| !row.notice_date.is_empty())
        .max_by(|a, b| a.notice_date.cmp(&b.notice_date));
    if let Some(row) = latest_dated {
        let words = state::state_words(&row.notice_type, &row.number_kind);
        return format!("{words} {}", row.notice_date);
    }
    let latest = rows
        .iter()
        .rev()
        .find(|row| !row.notice_type.is_empty())
        .or(rows.last());
    latest.map_or_else(String::new, |row| {
        state::state_words(&row.notice_type, &row.number_kind)
    })
}

#[cfg(test)]
mod tests;
