//! What the writer does with each file's rows, in output order, besides writing them: sets the
//! duplicate marks (`duplicates`) and, with `--cases`, gathers the case view (`cases`). The scan,
//! `--resume` (fed the kept rows first) and `merge` (fed the merged order) all go through here,
//! so they agree. No I/O.

use crate::cases::{Case, CaseBook};
use crate::duplicates::Duplicates;
use crate::record::Record;

#[derive(Debug, Default, Clone)]
pub struct Linking {
    duplicates: Duplicates,
    cases: Option<CaseBook>,
}

impl Linking {
    /// Duplicate marks always; the case view only when `with_cases`.
    pub fn new(with_cases: bool) -> Linking {
        Linking {
            duplicates: Duplicates::default(),
            cases: with_cases.then(CaseBook::default),
        }
    }

    /// Takes the next file's rows in output order: marks them, and notes them for the cases.
    pub fn file_written(&mut self, rows: &mut [Record]) {
        self.duplicates.mark_file(rows);
        if let Some(cases) = &mut self.cases {
            cases.add_file(rows);
        }
    }

    /// The case view of every file fed so far (`None` without `--cases`).
    pub fn cases(&self) -> Option<Vec<Case>> {
        self.cases.as_ref().map(CaseBook::cases)
    }
}
