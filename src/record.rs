//! The output row: the one interface other systems build on. Column order is fixed by the field
//! order of [`Record`] and pinned by a test; change it only with a new major version.

use serde::{Deserialize, Serialize};

use i797_core::document::OtherDocument;
use i797_core::page_kind::PageKind;
use i797_core::{Notice, NumberKind, TextSource};

/// What happened to a file (or to one of its pages' numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A case number was read; the row carries it.
    Ok,
    /// The file was read and holds no case number.
    NoNotice,
    /// The file could not be read; `message` says why.
    Error,
    /// The file is of a type the tool does not read; `message` names the type.
    Skipped,
}

/// One CSV / JSON Lines row: one per (file, page, number), or one per file without a number.
///
/// Every field is held as text (or empty), as the CSV carries it; JSON Lines gives each the type
/// [`FIELDS`] names (see `output/json.rs`), losslessly both ways.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub file: String,
    pub page: String,
    pub receipt_number: String,
    pub number_kind: String,
    pub service_center: String,
    pub form: String,
    pub notice_type: String,
    pub case_type: String,
    pub received_date: String,
    pub notice_date: String,
    pub priority_date: String,
    pub valid_from: String,
    pub valid_until: String,
    pub a_number: String,
    pub account_number: String,
    pub applicant: String,
    pub beneficiary: String,
    pub text_source: String,
    pub confidence: String,
    pub needs_review: String,
    pub status: String,
    pub message: String,
    pub sha256: String,
    pub linked_receipt: String,
    pub duplicate_of: String,
    pub invoice_id: String,
}

/// What kind of value a field holds: how JSON Lines, the workbook and the database type it
/// (`output/cells.rs`) and how the schema describes it. In CSV every value is text; an empty
/// cell is JSON `null`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// A whole number (JSON number).
    Integer,
    /// `true` or `false` (JSON boolean).
    Boolean,
}

/// One field of the row: its name (CSV column, JSON key), its type, what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: FieldType,
    pub meaning: &'static str,
}

/// A field (`const`, so that field lists are constants).
pub const fn field(name: &'static str, kind: FieldType, meaning: &'static str) -> Field {
    Field {
        name,
        kind,
        meaning,
    }
}

/// The names of `fields`, in order: a header made from its field list.
pub const fn names_of<const N: usize>(fields: &[Field; N]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = fields[i].name;
        i += 1;
    }
    names
}

/// The one field list, in contract order: CSV header, JSON Lines keys and types, the schema.
pub const FIELDS: [Field; 26] = {
    use FieldType::{Boolean, Date, Integer, Text};
    [
        field("file", Text, "path of the file as walked; never altered"),
        field("page", Integer, "page number, 1-based"),
        field(
            "receipt_number",
            Text,
            "the case number in its canonical 13-character form",
        ),
        field(
            "number_kind",
            Text,
            "uscis_receipt, nvc_case, or card_number (on a card's no_notice row)",
        ),
        field(
            "service_center",
            Text,
            "the office the prefix names (NVC: the consular post)",
        ),
        field("form", Text, "I-797, I-797A … I-797E"),
        field("notice_type", Text, "notice type as printed"),
        field("case_type", Text, "form code of the case: I-130, I-485, …"),
        field("received_date", Date, "received date"),
        field("notice_date", Date, "notice date"),
        field("priority_date", Date, "priority date"),
        field("valid_from", Date, "start of an approval's validity"),
        field("valid_until", Date, "end of an approval's validity"),
        field("a_number", Text, "A-number: A and 9 digits"),
        field(
            "account_number",
            Text,
            "12-digit USCIS Online Account Number (leading zeros kept)",
        ),
        field("applicant", Text, "applicant or petitioner, as printed"),
        field("beneficiary", Text, "beneficiary, as printed"),
        field("text_source", Text, "pdf_text or ocr"),
        field(
            "confidence",
            Integer,
            "0-100: confidence in the number's characters",
        ),
        field(
            "needs_review",
            Boolean,
            "true when something the row states may be wrong",
        ),
        field("status", Text, "ok, no_notice, error or skipped"),
        field(
            "message",
            Text,
            "why to review, or why the file was not read",
        ),
        field(
            "sha256",
            Text,
            "SHA-256 of the file's bytes, lower-case hex",
        ),
        field(
            "linked_receipt",
            Text,
            "on an NVC letter: the USCIS receipt number it quotes",
        ),
        field(
            "duplicate_of",
            Text,
            "the file (and #page) of the first copy when this row repeats one",
        ),
        field(
            "invoice_id",
            Text,
            "on an NVC letter: the invoice ID, when labelled",
        ),
    ]
};

/// The CSV header, in contract order (the names of [`FIELDS`]).
pub const COLUMNS: [&str; FIELDS.len()] = names_of(&FIELDS);

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NoNotice => "no_notice",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

/// The file-level facts every row of a file repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileFacts {
    /// The path as shown in the `file` column.
    pub file: String,
    /// Lower-case hex SHA-256 of the file's bytes; empty when the file could not be read.
    pub sha256: String,
}

impl FileFacts {
    /// Lower-case hex SHA-256 of a file's bytes, as the `sha256` column carries it.
    pub fn sha256_of(bytes: &[u8]) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl Record {
    /// A row for one case number read from page `page` (1-based).
    pub fn found(facts: &FileFacts, page: usize, notice: &Notice, source: TextSource) -> Record {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let message = notice
            .doubts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        Record {
            file: facts.file.clone(),
            page: page.to_string(),
            receipt_number: notice.number.clone(),
            number_kind: match notice.kind {
                NumberKind::UscisReceipt => "uscis_receipt",
                NumberKind::NvcCase => "nvc_case",
            }
            .to_string(),
            service_center: service_center_for(notice).unwrap_or_default().to_string(),
            form: text(&notice.fields.form),
            notice_type: text(&notice.fields.notice_type),
            case_type: text(&notice.fields.case_type),
            received_date: text(&notice.fields.received_date),
            notice_date: text(&notice.fields.notice_date),
            priority_date: text(&notice.fields.priority_date),
            valid_from: text(&notice.fields.valid_from),
            valid_until: text(&notice.fields.valid_until),
            a_number: text(&notice.fields.a_number),
            account_number: text(&notice.fields.account_number),
            applicant: text(&notice.fields.applicant),
            beneficiary: text(&notice.fields.beneficiary),
            text_source: text_source_name(source).to_string(),
            confidence: notice.confidence.to_string(),
            needs_review: notice.needs_review().to_string(),
            status: Status::Ok.as_str().to_string(),
            message,
            sha256: facts.sha256.clone(),
            linked_receipt: text(&notice.fields.linked_receipt),
            invoice_id: text(&notice.fields.invoice_id),
            ..Record::default()
        }
    }

    /// A `no_notice` row for page `page` (1-based), a card, visa foil or handout: `message` says
    /// what it is; a card's number is in `receipt_number` with `number_kind=card_number` (its
    /// `confidence` and `needs_review` as for a case number), never as a case.
    pub fn other_document(
        facts: &FileFacts,
        page: usize,
        document: &OtherDocument,
        source: TextSource,
    ) -> Record {
        let what = document.description();
        let mut message = match &document.card_number {
            Some(_) => format!("{what}: not a notice; its card number is not a case number"),
            None if matches!(document.kind, PageKind::EadCard | PageKind::GreenCard) => {
                format!("{what}: not a notice; its card number could not be read")
            }
            None => format!("{what}: not a notice; no case number is taken from it"),
        };
        let mut row = Record {
            page: page.to_string(),
            text_source: text_source_name(source).to_string(),
            ..Record::no_notice(facts, String::new())
        };
        if let Some(card) = &document.card_number {
            for doubt in &card.doubts {
                message.push_str(&format!("; {doubt}"));
            }
            row.receipt_number = card.number.clone();
            row.number_kind = "card_number".to_string();
            row.service_center = i797_core::number::prefixes::office_name(&card.number[..3])
                .unwrap_or_default()
                .to_string();
            row.confidence = card.confidence.to_string();
            row.needs_review = document.needs_review().to_string();
        }
        row.message = message;
        row
    }

    /// A row for page `page` (1-based) that looks like a notice's front page but whose case
    /// number could not be read: an `error` for a person to check against the paper.
    pub fn number_unread(facts: &FileFacts, page: usize, source: TextSource) -> Record {
        let how = match source {
            TextSource::PdfText => "its text",
            TextSource::Ocr => "the picture",
        };
        let message = format!(
            "page {page} looks like a USCIS notice or NVC letter, but no receipt or NVC case \
             number could be read from {how}; check the page"
        );
        Record::page_for_a_person(facts, page, source, message)
    }

    /// An `error` row with `needs_review=true` for page `page`, which a person must check.
    fn page_for_a_person(
        facts: &FileFacts,
        page: usize,
        source: TextSource,
        message: String,
    ) -> Record {
        Record {
            page: page.to_string(),
            text_source: text_source_name(source).to_string(),
            needs_review: "true".to_string(),
            ..Record::error(facts, message)
        }
    }

    /// The one row of a file that was read and holds no case number.
    pub fn no_notice(facts: &FileFacts, message: impl Into<String>) -> Record {
        Record::file_level(facts, Status::NoNotice, message.into())
    }

    /// The one row of a file that could not be read.
    pub fn error(facts: &FileFacts, message: impl Into<String>) -> Record {
        Record::file_level(facts, Status::Error, message.into())
    }

    /// The one row of a file of a type the tool does not read.
    pub fn skipped(facts: &FileFacts, message: impl Into<String>) -> Record {
        Record::file_level(facts, Status::Skipped, message.into())
    }

    fn file_level(facts: &FileFacts, status: Status, message: String) -> Record {
        Record {
            file: facts.file.clone(),
            status: status.as_str().to_string(),
            message,
            sha256: facts.sha256.clone(),
            ..Record::default()
        }
    }
}

fn text_source_name(source: TextSource) -> &'static str {
    match source {
        TextSource::PdfText => "pdf_text",
        TextSource::Ocr => "ocr",
    }
}

fn service_center_for(notice: &Notice) -> Option<&'static str> {
    match notice.kind {
        NumberKind::UscisReceipt => i797_core::number::prefixes::office_name(&notice.number[..3]),
        NumberKind::NvcCase => i797_core::number::prefixes::consular_post_name(&notice.number[..3]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_the_documented_contract() {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.serialize(Record::default()).unwrap();
        let out = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(out.lines().next().unwrap(), COLUMNS.join(","));
    }

    #[test]
    fn a_card_row_is_no_notice_with_its_number_in_its_own_kind() {
        use i797_core::PageText;
        use i797_core::document::other_document;
        let facts = FileFacts {
            file: "ead.jpg".into(),
            sha256: "ab".into(),
        };
        let text = "EMPLOYMENT AUTHORIZATION CARD\nSurname DOE\nGiven Name JANE\n\
                    USCIS# 123-456-789  Category C09\nCard# IOE0912345678\nCard Expires 01/14/2029\n";
        let doc = other_document(&PageText::from_pdf_text(text)).expect("a card");
        let row = Record::other_document(&facts, 2, &doc, TextSource::PdfText);
        assert_eq!(row.status, "no_notice");
        assert_eq!(row.page, "2");
        assert_eq!(row.receipt_number, "IOE0912345678");
        assert_eq!(row.number_kind, "card_number");
        assert_eq!(row.needs_review, "false");
        assert!(row.message.contains("EAD card"), "{}", row.message);
        assert!(row.message.contains("not a case number"), "{}", row.message);
        // A visa foil: named, no number.
        let foil = "VISA\nIssuing Post Name MUMBAI\nControl Number 20231234567890\nVisa Type/Class R H1B\n\
                    Entries M\nAnnotation PETITION RECEIPT # WAC2190012345\n";
        let doc = other_document(&PageText::from_pdf_text(foil)).expect("a visa foil");
        let row = Record::other_document(&facts, 1, &doc, TextSource::PdfText);
        assert_eq!(
            (row.receipt_number.as_str(), row.number_kind.as_str()),
            ("", "")
        );
        assert!(
            row.message.starts_with("a U.S. visa foil"),
            "{}",
            row.message
        );
    }
}
