//! Extraction stage, layout: the page as lines of column-aligned segments, the labels printed on
//! it, and the values those labels point at (same line, next segment, or the cell below).
//!
//! Invariant: columns are `char` counts from the start of a line, and every position maps back to
//! a `char` index of the page text (so OCR confidences can be looked up).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::fields::edit_distance;

/// A label (or marker) printed on a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum LabelKind {
    ReceiptNumber,
    NvcCaseNumber,
    CaseNumber,
    InvoiceId,
    AccountNumber,
    ANumber,
    CaseType,
    ReceivedDate,
    PriorityDate,
    NoticeDate,
    NoticeType,
    ApplicantPetitioner,
    PrincipalApplicant,
    Applicant,
    Petitioner,
    Beneficiary,
    Page,
    Class,
    Section,
    AmountReceived,
    Appointment,
}

impl LabelKind {
    /// Labels whose value is a case number.
    pub(crate) fn names_a_number(self) -> bool {
        matches!(
            self,
            LabelKind::ReceiptNumber
                | LabelKind::NvcCaseNumber
                | LabelKind::CaseNumber
                | LabelKind::InvoiceId
        )
    }

    /// Single common words: inside a line of text they are only labels when they look like one.
    fn is_weak(self) -> bool {
        matches!(
            self,
            LabelKind::Applicant
                | LabelKind::Petitioner
                | LabelKind::Beneficiary
                | LabelKind::Page
                | LabelKind::Class
                | LabelKind::Section
        )
    }

    /// The box-grid labels of a USCIS notice: two of them on a page make it a notice.
    fn is_grid(self) -> bool {
        matches!(
            self,
            LabelKind::ReceiptNumber
                | LabelKind::CaseType
                | LabelKind::ReceivedDate
                | LabelKind::PriorityDate
                | LabelKind::NoticeDate
                | LabelKind::NoticeType
        )
    }
}

/// Label patterns, case-insensitive. A space stands for "any run of blanks, or none" (OCR drops and
/// adds spaces inside labels); alternatives sharing a start are ordered longest first.
const LABEL_PATTERNS: &[(LabelKind, &str)] = &[
    (
        LabelKind::NvcCaseNumber,
        r"\bnvc case (?:n[uv](?:m|rn|n)b[eo]r\b|no\b\.?|#)",
    ),
    (
        LabelKind::InvoiceId,
        r"\binvoice id(?: (?:number\b|no\b\.?|#))?",
    ),
    (
        LabelKind::AccountNumber,
        r"\b(?:uscis )?online account (?:number\b|no\b\.?|#)",
    ),
    (
        LabelKind::ReceiptNumber,
        r"\bre(?:ce[il1|]?(?:p| )|ciep)t (?:n[uv](?:m|rn|n)b[eo]r\b|no\b\.?|#)",
    ),
    (
        LabelKind::CaseNumber,
        r"\bcase (?:n[uv](?:m|rn|n)b[eo]r\b|no\b\.?|#)",
    ),
    (LabelKind::CaseType, r"\bcase t[yv]pe\b"),
    (
        LabelKind::ReceivedDate,
        r"\b(?:rece[il1|]ved date|receipt date|date received)\b",
    ),
    (LabelKind::PriorityDate, r"\bpr[il1|]or[il1|]ty date\b"),
    (LabelKind::NoticeDate, r"\bnot[il1|]ce date\b"),
    (LabelKind::NoticeType, r"\bnot[il1|]ce type\b"),
    (
        LabelKind::ApplicantPetitioner,
        r"\b(?:applicant ?/ ?petitioner|petitioner ?/ ?applicant)\b",
    ),
    (
        LabelKind::PrincipalApplicant,
        r"\bprincipal applicant(?: name)?\b",
    ),
    (LabelKind::Applicant, r"\bapplicant(?: name)?\b"),
    (LabelKind::Petitioner, r"\bpetitioner(?: name)?\b"),
    (
        LabelKind::Beneficiary,
        r"\bbenef[il1|]c[il1|]ary(?: name)?\b",
    ),
    (
        LabelKind::ANumber,
        r"\ba-number\b|\balien (?:registration )?number\b|\ba ?#|\buscis ?#",
    ),
    (LabelKind::Page, r"\bpage\b"),
    (LabelKind::Class, r"\bclass\b"),
    (LabelKind::Section, r"\bsection\b"),
    (LabelKind::AmountReceived, r"\bamount received\b"),
    (LabelKind::Appointment, r"\bdate and time of appointment\b"),
];

static LABELS: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = LABEL_PATTERNS
        .iter()
        .map(|(_, pattern)| format!("({})", pattern.replace(' ', r"[ \t]*")))
        .collect();
    Regex::new(&format!("(?i){}", alternatives.join("|"))).expect("label patterns compile")
});

/// The notice header, as a whole segment: `Form I-797C, Notice of Action` (OCR: `1-797C`, `I-797 C`,
/// `\-797C`, `J-797C`).
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:form\s*)?(?:[I1l|i\\j]\s*-?\s*797\s*[A-F]?\s*,?\s*)?notice\s+of\s+action[\s.,:;]*$",
    )
    .expect("header pattern compiles")
});

static VISA_CENTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bnational\s+visa\s+center\b").expect("visa center pattern compiles")
});

/// How many of a page's first non-empty lines make its letterhead.
const LETTERHEAD_LINES: usize = 8;

/// Columns `start..end` of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug)]
pub(crate) struct Line {
    /// `char` index of the line's first character in the page text.
    pub start: usize,
    /// Length in `char`s, without the line break.
    pub len: usize,
    /// Runs of text separated by two or more blanks.
    pub segments: Vec<Span>,
    /// The whole segment-level notice header ("Form I-797C, Notice of Action") is on this line.
    pub header: bool,
}

/// One label found on the page.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LabelHit {
    pub kind: LabelKind,
    pub line: usize,
    pub span: Span,
    /// Printed as a label (capitalised, and not a word inside a sentence), not mentioned in prose.
    pub is_label: bool,
}

/// How a value was found relative to its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum How {
    /// After the label within its segment (`Notice Type: Receipt Notice`).
    SameLine,
    /// The next segment on the label's line (`NVC Case Number:      MNL…`).
    NextSegment,
    /// In the label's cell on a line below (the box grid).
    Below,
}

/// A value a label points at.
#[derive(Clone, Debug)]
pub(crate) struct Value {
    pub text: String,
    pub how: How,
    /// The label was followed by a colon (`Petitioner: …`).
    pub colon: bool,
    /// How many labels share the label's line (more than one: a row of labels or boxes).
    pub row_labels: usize,
    /// Below the label, but about as near another label's column: it may be that one's.
    pub shared: bool,
    /// Where `text` was read: (line, columns) of each piece, in order; `text` is the pieces'
    /// texts joined by single spaces.
    pub pieces: Vec<(usize, Span)>,
    /// Where its label is: (line, columns).
    pub label: (usize, Span),
    /// Beside the only label of its line, which starts the line, and running to the line's end:
    /// a row of a two-column table (`Petitioner        DOE, JANE`).
    pub table_row: bool,
}

/// A row of box labels and the lines under it that hold their values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Grid {
    /// (start column, label hit index) of each column's label, left to right.
    pub heads: Vec<(usize, usize)>,
    pub values: Vec<usize>,
}

/// Where a value below a row of labels belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cell {
    Label(usize),
    /// About as near the columns of these two labels.
    Shared(usize, usize),
    None,
}

/// Columns a value may start away from its label's start (OCR layout text drifts a little).
const MAX_DRIFT: usize = 12;

/// A value must be at least this many columns nearer its own label than the next one.
const MIN_SEPARATION: usize = 3;

/// The widest gap inside one value (`DOE,      JANE` as OCR spaces a monospaced name); wider
/// gaps part columns, which sit 20 and more columns apart on a notice.
const MAX_INNER_GAP: usize = 8;

/// Specks OCR reads beside a label or in an empty box (`Case Type -`, `Page |`): text with no
/// letter or digit in it is no value.
pub(crate) fn is_noise(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric)
}

/// Is `text` exactly a label ("Beneficiary", "CASE TYPE", "Case Type -")?
pub(crate) fn is_label_text(text: &str) -> bool {
    let text =
        text.trim_end_matches(|c: char| is_blank(c) || matches!(c, ':' | '-' | '|' | '_' | '.'));
    let text = text.trim();
    LABELS
        .find(text)
        .is_some_and(|m| m.start() == 0 && m.end() == text.len())
}

/// The words of the parties' labels, to know one OCR misread past every pattern above
/// (`Berfeficiary`, `Benieficiary`): a name's place must not give a label as the name.
const PARTY_LABEL_WORDS: &[&str] = &["APPLICANT", "BENEFICIARY", "PETITIONER", "REQUESTOR"];

/// Whether a word of `text` is a party label's word read with a few characters wrong: at most
/// one edit in four letters.
pub(crate) fn has_misread_party_label(text: &str) -> bool {
    text.split(|c: char| !c.is_alphabetic()).any(|word| {
        let word = word.to_uppercase();
        word.chars().count() >= 7
            && PARTY_LABEL_WORDS
                .iter()
                .any(|label| edit_distance(&word, label) <= label.len() / 4)
    })
}

/// The kind of label `text` is as a whole (`Received Date`, `Alien Number`), if it is one.
fn whole_label(text: &str) -> Option<LabelKind> {
    let caps = LABELS.captures(text)?;
    let (group, m) = caps
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, m)| m.map(|m| (i, m)))?;
    (m.start() == 0 && m.end() == text.len()).then_some(LABEL_PATTERNS[group - 1].0)
}

/// The page text split into lines, segments and labels.
#[derive(Debug)]
pub(crate) struct Layout<'a> {
    pub text: &'a str,
    pub chars: Vec<char>,
    /// Byte offset of each `char`, plus `text.len()` at the end.
    byte_of: Vec<usize>,
    pub lines: Vec<Line>,
    /// Sorted by (line, column).
    pub hits: Vec<LabelHit>,
    /// OCR's confidence in each `char` (see `PageText::char_confidence`); `None` for a text layer.
    confidence: Option<&'a [u8]>,
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\u{c}' | '\u{a0}')
}

impl<'a> Layout<'a> {
    pub(crate) fn new(text: &'a str) -> Layout<'a> {
        let mut chars = Vec::with_capacity(text.len());
        let mut byte_of = Vec::with_capacity(text.len() + 1);
        for (b, c) in text.char_indices() {
            chars.push(c);
            byte_of.push(b);
        }
        byte_of.push(text.len());

        let mut lines = Vec::new();
        let mut start = 0;
        for (i, &c) in chars.iter().enumerate() {
            if c == '\n' {
                lines.push(Line::new(&chars[start..i], start));
                start = i + 1;
            }
        }
        lines.push(Line::new(&chars[start..], start));

        let mut layout = Layout {
            text,
            chars,
            byte_of,
            lines,
            hits: Vec::new(),
            confidence: None,
        };
        for index in 0..layout.lines.len() {
            let header = layout.lines[index]
                .segments
                .iter()
                .any(|&s| HEADER.is_match(layout.segment_text(index, s)));
            layout.lines[index].header = header;
            layout.find_labels(index);
        }
        layout.find_wrapped_labels();
        layout
    }

    /// Labels broken over two lines in a narrow label column, the value beside the first line:
    ///
    /// ```text
    /// Received     06/25/2012
    /// Date:
    /// ```
    ///
    /// The start of the label a segment of its own (`Received`, `USCIS Online Account`), the rest
    /// one word alone in a segment at the same column below, and the two together exactly a
    /// label.
    fn find_wrapped_labels(&mut self) {
        let mut found = Vec::new();
        for line in 0..self.lines.len().saturating_sub(1) {
            for &segment in &self.lines[line].segments {
                let first = self.segment_text(line, segment);
                if !first.starts_with(char::is_uppercase) {
                    continue;
                }
                if self
                    .hits_on(line)
                    .iter()
                    .any(|h| h.span.start < segment.end && segment.start < h.span.end)
                {
                    continue;
                }
                // The rest on the next line, or the one after when the next line has nothing in
                // this column (a taller row in the column beside it pushed it down).
                let mut rest = None;
                for next in line + 1..self.lines.len().min(line + 3) {
                    let segments = &self.lines[next].segments;
                    if let Some(&below) = segments
                        .iter()
                        .find(|s| s.start.abs_diff(segment.start) <= 1)
                    {
                        rest = Some((next, below));
                        break;
                    }
                    if segments
                        .iter()
                        .any(|s| s.start < segment.end + 2 && segment.start < s.end)
                    {
                        break;
                    }
                }
                let Some((next, below)) = rest else {
                    continue;
                };
                let second = self.segment_text(next, below);
                if second.contains(' ') {
                    continue;
                }
                let second = second.trim_end_matches(':');
                if let Some(kind) = whole_label(&format!("{first} {second}")) {
                    found.push(LabelHit {
                        kind,
                        line,
                        span: segment,
                        is_label: true,
                    });
                }
            }
        }
        if !found.is_empty() {
            self.hits.extend(found);
            self.hits.sort_by_key(|h| (h.line, h.span.start));
        }
    }

    /// The same layout, with OCR's per-`char` confidences to look values up in.
    pub(crate) fn with_confidence(self, confidence: Option<&'a [u8]>) -> Layout<'a> {
        Layout { confidence, ..self }
    }

    /// OCR's confidence in each `char` of `value.text` (100 for the spaces joining its pieces,
    /// and for characters the recogniser gave no score); `None` for a text layer.
    pub(crate) fn value_confidence(&self, value: &Value) -> Option<Vec<u8>> {
        let scores = self.confidence?;
        let mut out = Vec::with_capacity(value.text.len());
        for (k, &(line, span)) in value.pieces.iter().enumerate() {
            if k > 0 {
                out.push(100);
            }
            let start = self.lines[line].start;
            out.extend(
                (span.start..span.end).map(|c| scores.get(start + c).copied().unwrap_or(100)),
            );
        }
        debug_assert_eq!(out.len(), value.text.chars().count(), "{value:?}");
        Some(out)
    }

    fn find_labels(&mut self, line: usize) {
        // OCR glues a speck of the box border to a label (`Case Type_`); `_` is a word character
        // to `\b`, so it would hide the label. One byte for one: offsets stay the same.
        let text = self.line_text(line).replace('_', " ");
        let base = self.byte_of[self.lines[line].start];
        let mut found = Vec::new();
        for caps in LABELS.captures_iter(&text) {
            let Some((group, m)) = caps
                .iter()
                .enumerate()
                .skip(1)
                .find_map(|(i, m)| m.map(|m| (i, m)))
            else {
                continue;
            };
            let kind = LABEL_PATTERNS[group - 1].0;
            let span = Span {
                start: self.column_of_byte(line, base + m.start()),
                end: self.column_of_byte(line, base + m.end()),
            };
            found.push((kind, span));
        }
        for (kind, span) in found {
            let initial = self.segment_at(line, span.start).start == span.start;
            let is_label = self.looks_like_label(line, kind, span, initial);
            self.hits.push(LabelHit {
                kind,
                line,
                span,
                is_label,
            });
        }
    }

    /// A capitalised label at the start of a segment is a label; so is a multi-word one anywhere.
    /// A single common word ("Applicant", "Page") inside a segment is a label only when a colon
    /// follows it or a value (digits, or an upper-case word) comes right before it, as on a line
    /// where OCR closed the gaps between boxes.
    fn looks_like_label(&self, line: usize, kind: LabelKind, span: Span, initial: bool) -> bool {
        let first = self.char_at(line, span.start);
        if !first.is_uppercase() {
            return false;
        }
        if initial || !kind.is_weak() {
            return true;
        }
        let after = self.col_text(line, span.end, self.lines[line].len);
        if after.trim_start().starts_with(':') {
            return true;
        }
        let before = self.col_text(line, 0, span.start);
        let previous = before.split_whitespace().next_back().unwrap_or("");
        previous.chars().any(|c| c.is_ascii_digit())
            || (previous.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !previous.chars().any(|c| c.is_lowercase()))
    }

    pub(crate) fn line_text(&self, line: usize) -> &'a str {
        let l = &self.lines[line];
        &self.text[self.byte_of[l.start]..self.byte_of[l.start + l.len]]
    }

    /// The text of columns `from..to` of a line (clamped to the line).
    pub(crate) fn col_text(&self, line: usize, from: usize, to: usize) -> &'a str {
        let l = &self.lines[line];
        let to = to.min(l.len);
        let from = from.min(to);
        &self.text[self.byte_of[l.start + from]..self.byte_of[l.start + to]]
    }

    pub(crate) fn segment_text(&self, line: usize, span: Span) -> &'a str {
        self.col_text(line, span.start, span.end)
    }

    fn char_at(&self, line: usize, col: usize) -> char {
        self.chars[self.lines[line].start + col]
    }

    fn column_of_byte(&self, line: usize, byte: usize) -> usize {
        self.byte_of.partition_point(|&b| b < byte) - self.lines[line].start
    }

    /// The segment containing column `col` (or an empty span there when it is in a gap).
    pub(crate) fn segment_at(&self, line: usize, col: usize) -> Span {
        self.lines[line]
            .segments
            .iter()
            .copied()
            .find(|s| s.start <= col && col < s.end)
            .unwrap_or(Span {
                start: col,
                end: col,
            })
    }

    pub(crate) fn is_blank_line(&self, line: usize) -> bool {
        self.lines[line].segments.is_empty()
    }

    /// The label hits on `line`.
    pub(crate) fn hits_on(&self, line: usize) -> &[LabelHit] {
        let from = self.hits.partition_point(|h| h.line < line);
        let to = self.hits.partition_point(|h| h.line <= line);
        &self.hits[from..to]
    }

    fn first_hit_index(&self, line: usize) -> usize {
        self.hits.partition_point(|h| h.line < line)
    }

    /// Label hits (indexes into `hits`) within `lines`, in reading order.
    pub(crate) fn hits_in(&self, lines: &Range<usize>) -> Range<usize> {
        self.first_hit_index(lines.start)..self.first_hit_index(lines.end)
    }

    /// The values label hit `hit` points at, most direct first: the text after it in its segment;
    /// else the next segments on its line; else (for a label standing alone, as in the box grid)
    /// its cell on the lines below, then any stray text near its column. An inline `A#` label is
    /// part of a value, not a stop.
    pub(crate) fn values(&self, hit: usize) -> Vec<Value> {
        let h = self.hits[hit];
        let mut out = Vec::new();
        let others = || {
            self.hits_on(h.line)
                .iter()
                .filter(|o| o.is_label && o.kind != LabelKind::ANumber)
        };
        let row_labels = others().count();
        let value = |pieces: Vec<(usize, Span)>, how, colon, shared| Value {
            text: pieces
                .iter()
                .map(|&(line, span)| self.segment_text(line, span))
                .collect::<Vec<_>>()
                .join(" "),
            how,
            colon,
            row_labels,
            shared,
            pieces,
            label: (h.line, h.span),
            table_row: false,
        };
        let segment = self.segment_at(h.line, h.span.start);
        // Within the segment the value runs to the next label (a line whose gaps OCR closed).
        let stop = others()
            .filter(|o| o.span.start >= h.span.end && o.span.start < segment.end)
            .map(|o| o.span.start)
            .min()
            .unwrap_or(segment.end);
        let rest = self.col_text(h.line, h.span.end, stop);
        let colon = rest.trim_start().starts_with(':');
        let same = rest
            .trim_start_matches(|c: char| is_blank(c) || matches!(c, ':' | '#' | '.'))
            .trim_end();
        if !is_noise(same) {
            let start = h.span.end + rest.chars().count()
                - rest
                    .trim_start_matches(|c: char| is_blank(c) || matches!(c, ':' | '#' | '.'))
                    .chars()
                    .count();
            let span = Span {
                start,
                end: start + same.chars().count(),
            };
            out.push(value(vec![(h.line, span)], How::SameLine, colon, false));
            return out;
        }
        if stop == segment.end {
            // The next segments, while the gaps stay narrow, up to the next label.
            let mut parts = Vec::new();
            let mut end = segment.end;
            for &next in &self.lines[h.line].segments {
                if next.start < segment.end {
                    continue;
                }
                let label_here =
                    others().find(|o| o.span.start >= next.start && o.span.start < next.end);
                if label_here.is_some_and(|o| o.span.start == next.start)
                    || (!parts.is_empty() && next.start - end > MAX_INNER_GAP)
                {
                    break;
                }
                let to = label_here.map_or(next.end, |o| o.span.start);
                let part = self.col_text(h.line, next.start, to).trim_end();
                if parts.is_empty() && is_noise(part) {
                    // A speck between the label and its value (`Receipt Number  |  EAC…`).
                    end = next.end;
                    continue;
                }
                parts.push((
                    h.line,
                    Span {
                        start: next.start,
                        end: next.start + part.chars().count(),
                    },
                ));
                if label_here.is_some() {
                    break;
                }
                end = next.end;
            }
            if !parts.is_empty() {
                let segments = &self.lines[h.line].segments;
                let table_row = row_labels == 1
                    && segments.first().is_some_and(|s| s.start == h.span.start)
                    && parts.last().map(|&(_, p)| p.end) == segments.last().map(|s| s.end);
                out.push(Value {
                    table_row,
                    ..value(parts, How::NextSegment, colon, false)
                });
            }
        }
        if h.is_label {
            let grid = self.grid(h.line);
            for &line in &grid.values {
                let (pieces, shared) = self.owned_text(&grid, hit, line);
                if !pieces.is_empty() {
                    out.push(value(pieces, How::Below, false, shared));
                }
            }
            // Offered last, so it only matters when nothing of the label's own reads.
            if let Some(&line) = grid.values.first() {
                let pieces = self.stray_text(&grid, hit, line);
                if !pieces.is_empty() {
                    out.push(value(pieces, How::Below, false, true));
                }
            }
        }
        out
    }

    /// `value` with its continuation: the segment starting at the value's column on the next
    /// line (or the one after, when the next has nothing in the label's or the value's columns),
    /// when no label stands in the label's column there, as when a value wraps in a narrow column
    /// (`ELLINGTON-RUIZ, OTTILIE A-145-` / `291-862`, a box's `DOE, JANE USCIS A#` / `139674680`).
    pub(crate) fn continued(&self, value: &Value) -> Option<Value> {
        let &(first_line, first) = value.pieces.first()?;
        let &(last_line, _) = value.pieces.last()?;
        let (label_line, label) = value.label;
        if value.how != How::Below && first_line != label_line {
            return None;
        }
        let left = label.start.min(first.start);
        for next in last_line + 1..self.lines.len().min(last_line + 3) {
            let segments = &self.lines[next].segments;
            let label_beside = self
                .hits_on(next)
                .iter()
                .any(|h| h.is_label && h.span.end > left && h.span.start <= first.start + 1);
            let in_label_column = segments
                .iter()
                .any(|s| s.start + 1 < first.start && s.end > left);
            if label_beside || in_label_column {
                return None;
            }
            let Some(&more) = segments.iter().find(|s| s.start.abs_diff(first.start) <= 1) else {
                if segments.iter().any(|s| s.end > left) {
                    return None;
                }
                continue;
            };
            let mut pieces = value.pieces.clone();
            pieces.push((next, more));
            return Some(Value {
                text: format!("{} {}", value.text, self.segment_text(next, more)),
                pieces,
                ..value.clone()
            });
        }
        None
    }

    /// The labels on `line` that can head a column of boxes, as (start column, hit index). An
    /// inline `A#` label heads no column.
    fn heads(&self, line: usize) -> Vec<(usize, usize)> {
        let first = self.first_hit_index(line);
        (first..first + self.hits_on(line).len())
            .filter(|&i| self.hits[i].is_label && self.hits[i].kind != LabelKind::ANumber)
            .map(|i| (self.hits[i].span.start, i))
            .collect()
    }

    /// Does a segment of `line` start with a label?
    fn starts_with_label(&self, line: usize, segment: Span) -> bool {
        self.hits_on(line)
            .iter()
            .any(|h| h.is_label && h.span.start == segment.start)
    }

    /// The box grid that label row `row` heads: its column labels and the lines holding their
    /// values (the next non-blank lines after at most two blank ones, at most three).
    ///
    /// A line with a label in one of the grid's columns starts the next row of boxes. A line of
    /// labels in other columns, before any value, is the same row split in two by OCR; a line
    /// with a stray label in another column (`Page` next to the dates) is still a value line, but
    /// only as the first.
    pub(crate) fn grid(&self, row: usize) -> Grid {
        let mut heads = self.heads(row);
        let mut values = Vec::new();
        let mut blanks = 0;
        for line in row + 1..self.lines.len().min(row + 9) {
            if self.is_blank_line(line) {
                if !values.is_empty() {
                    break;
                }
                blanks += 1;
                if blanks > 2 {
                    break;
                }
                continue;
            }
            let line_heads = self.heads(line);
            let near_a_head = |col: usize| heads.iter().any(|&(h, _)| h.abs_diff(col) <= MAX_DRIFT);
            if line_heads.iter().any(|&(c, _)| near_a_head(c)) {
                break;
            }
            if !line_heads.is_empty() {
                if !values.is_empty() {
                    break;
                }
                let carries_values = self.lines[line]
                    .segments
                    .iter()
                    .any(|&s| !self.starts_with_label(line, s) && near_a_head(s.start));
                if !carries_values {
                    heads.extend(line_heads);
                    heads.sort_unstable();
                    continue;
                }
            }
            values.push(line);
            if values.len() == 3 {
                break;
            }
        }
        Grid { heads, values }
    }

    /// Which of `grid`'s labels heads the column that text at columns `span` sits in. Values are
    /// printed left-aligned under their labels, so the nearest label start wins; text far from
    /// every label belongs to none, and text about as near two labels (a layout whose columns
    /// drifted) is `Cell::Shared` rather than a guess.
    pub(crate) fn cell_owner(&self, grid: &Grid, span: Span) -> Cell {
        let mut near: Vec<(usize, usize)> = grid
            .heads
            .iter()
            .map(|&(col, i)| (col.abs_diff(span.start), i))
            .collect();
        near.sort_unstable();
        match near[..] {
            [] => Cell::None,
            [(d, _), ..] if d > MAX_DRIFT => Cell::None,
            [(d, a), (e, b), ..] if e - d < MIN_SEPARATION => Cell::Shared(a, b),
            [(_, a), ..] => Cell::Label(a),
        }
    }

    /// The value segments of `line` (labels on it left out) with the column each belongs to. A
    /// segment far from every label start, a few blanks after the one before it (a value with a
    /// wide gap inside, as OCR leaves them), continues that one if it starts before the next
    /// column.
    fn line_cells(&self, grid: &Grid, line: usize) -> Vec<(Span, Cell)> {
        let mut out: Vec<(Span, Cell)> = Vec::new();
        for &s in &self.lines[line].segments {
            if self.starts_with_label(line, s) {
                continue;
            }
            let mut cell = self.cell_owner(grid, s);
            if cell == Cell::None
                && let Some(&(previous, Cell::Label(owner))) = out.last()
                && s.start - previous.end <= MAX_INNER_GAP
            {
                let owner_start = self.hits[owner].span.start;
                let next_column = grid
                    .heads
                    .iter()
                    .map(|&(c, _)| c)
                    .find(|&c| c > owner_start);
                if next_column.is_none_or(|c| s.start < c) {
                    cell = Cell::Label(owner);
                }
            }
            out.push((s, cell));
        }
        out
    }

    /// The segments of `line` in the column of label `hit`, and whether any of them might as
    /// well be another label's.
    fn owned_text(&self, grid: &Grid, hit: usize, line: usize) -> (Vec<(usize, Span)>, bool) {
        let mut parts = Vec::new();
        let mut shared = false;
        for (s, cell) in self.line_cells(grid, line) {
            match cell {
                Cell::Label(owner) if owner == hit => parts.push((line, s)),
                Cell::Shared(a, b) if a == hit || b == hit => {
                    parts.push((line, s));
                    shared = true;
                }
                _ => {}
            }
        }
        (parts, shared)
    }

    /// Text on `line` that belongs to no column but lies between the neighbours of label `hit`:
    /// when nothing of the label's own reads, this may be its value, drifted out of place.
    fn stray_text(&self, grid: &Grid, hit: usize, line: usize) -> Vec<(usize, Span)> {
        let Some(k) = grid.heads.iter().position(|&(_, i)| i == hit) else {
            return Vec::new();
        };
        let low = if k == 0 { 0 } else { grid.heads[k - 1].0 + 1 };
        let high = grid.heads.get(k + 1).map_or(usize::MAX, |&(c, _)| c);
        self.line_cells(grid, line)
            .into_iter()
            .filter(|&(s, cell)| cell == Cell::None && low <= s.start && s.start < high)
            .map(|(s, _)| (line, s))
            .collect()
    }

    /// Does text at columns `span` of `line` sit where a case-number label puts its value?
    pub(crate) fn number_label(&self, line: usize, span: Span) -> Evidence {
        // Same line, after the label: `Receipt Number: EAC…`, `NVC Case Number:     MNL…`.
        if let Some((i, h)) = self
            .hits_on(line)
            .iter()
            .enumerate()
            .rfind(|(_, h)| h.kind.names_a_number() && h.span.end <= span.start)
        {
            let hit = self.first_hit_index(line) + i;
            let between = self.col_text(line, h.span.end, span.start);
            if between
                .chars()
                .all(|c| is_blank(c) || matches!(c, ':' | '#' | '.' | '-' | '*'))
            {
                return if h.is_label {
                    Evidence::Label(hit)
                } else {
                    Evidence::Mention(h.kind)
                };
            }
            let other_label_between = self
                .hits_on(line)
                .iter()
                .any(|o| o.is_label && o.span.start >= h.span.end && o.span.end <= span.start);
            if between.chars().count() <= 30
                && !between.chars().any(|c| c.is_ascii_digit())
                && !other_label_between
            {
                return Evidence::Mention(h.kind);
            }
        }
        // In the cell under a label of a box grid above.
        for row in (line.saturating_sub(8)..line).rev() {
            if self.heads(row).is_empty() {
                continue;
            }
            let grid = self.grid(row);
            if grid.values.contains(&line) {
                if let Cell::Label(owner) = self.cell_owner(&grid, span)
                    && self.hits[owner].kind.names_a_number()
                {
                    return Evidence::Label(owner);
                }
                break;
            }
        }
        // Prose wrapped after the label: "… regarding receipt number\nWAC…".
        if line > 0 && span.start == self.lines[line].segments.first().map_or(0, |s| s.start) {
            let above = line - 1;
            if let Some(h) = self
                .hits_on(above)
                .iter()
                .rfind(|h| h.kind.names_a_number())
            {
                let after = self.col_text(above, h.span.end, self.lines[above].len);
                let after = after.trim();
                if after.chars().count() <= 12 && !after.chars().any(|c| c.is_ascii_digit()) {
                    return Evidence::Mention(h.kind);
                }
            }
        }
        Evidence::None
    }

    /// Is the code at columns `span` of `line` printed after a label naming some other kind of
    /// identifier (`Client ID: CLT…`, `Invoice No. …`, `Our file: SAC…`)?
    pub(crate) fn after_other_identifier(&self, line: usize, span: Span) -> bool {
        const OTHER: &[&str] = &[
            "id",
            "ref",
            "reference",
            "file",
            "invoice",
            "order",
            "account",
            "acct",
            "client",
            "tracking",
            "confirmation",
            "transaction",
            "ticket",
            "customer",
            "employee",
            "policy",
            "member",
            "store",
            "auth",
            "code",
            "po",
            "sku",
            "item",
            "serial",
            "loan",
            "claim",
        ];
        // OCR reads the `I` of `ID` as `!`, `1`, `|` or a bracket and may lose the space before
        // it (`Client!D`, `Client 1D`, `Client (D`).
        let before = i_as_read(&self.col_text(line, 0, span.start).to_lowercase());
        let mut words = before
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .rev();
        let Some(mut word) = words.next() else {
            return false;
        };
        // `Invoice No.`, `Client number`: the word before says what it numbers.
        if matches!(word, "no" | "nr" | "num" | "number") {
            let Some(previous) = words.next() else {
                return false;
            };
            word = previous;
        }
        // Nothing but punctuation between the label and the code.
        let gap = &before[before.trim_end_matches(|c: char| !c.is_alphabetic()).len()..];
        let adjacent = gap
            .chars()
            .all(|c| is_blank(c) || matches!(c, ':' | '#' | '.' | '-' | '\u{2013}' | '|'));
        let names_other = |word: &str| {
            OTHER.contains(&word) || word.strip_suffix("id").is_some_and(|w| OTHER.contains(&w))
        };
        adjacent && names_other(word)
    }

    /// Lines whose content says "this is a USCIS notice": the header, or two box-grid labels.
    pub(crate) fn is_uscis_notice(&self, lines: &Range<usize>) -> bool {
        if self.lines[lines.clone()].iter().any(|l| l.header) {
            return true;
        }
        let mut kinds: Vec<LabelKind> = self.hits[self.hits_in(lines)]
            .iter()
            .filter(|h| h.is_label && h.kind.is_grid())
            .map(|h| h.kind)
            .collect();
        kinds.sort_by_key(|k| *k as u8);
        kinds.dedup();
        kinds.len() >= 2
    }

    /// Lines whose content says "this is a National Visa Center letter".
    pub(crate) fn is_nvc_letter(&self, lines: &Range<usize>) -> bool {
        self.hits[self.hits_in(lines)]
            .iter()
            .any(|h| h.is_label && h.kind == LabelKind::NvcCaseNumber)
            || lines
                .clone()
                .any(|l| VISA_CENTER.is_match(self.line_text(l)))
    }

    /// A National Visa Center letter as a whole page: an NVC Case Number label, or the Center
    /// named in the letterhead (the first lines), and no I-797 header. Such a letter may print
    /// "Receipt Number" and "Priority Date" for the petition it is about: no USCIS notice for that.
    pub(crate) fn is_nvc_letter_page(&self) -> bool {
        if self.lines.iter().any(|l| l.header) {
            return false;
        }
        let labelled = self
            .hits
            .iter()
            .any(|h| h.is_label && h.kind == LabelKind::NvcCaseNumber);
        let letterhead = (0..self.lines.len())
            .filter(|&l| !self.line_text(l).trim().is_empty())
            .take(LETTERHEAD_LINES)
            .any(|l| VISA_CENTER.is_match(self.line_text(l)));
        labelled || letterhead
    }

    /// Page text of `lines`, line breaks included.
    pub(crate) fn lines_text(&self, lines: &Range<usize>) -> &'a str {
        if lines.is_empty() {
            return "";
        }
        let first = &self.lines[lines.start];
        let last = &self.lines[lines.end - 1];
        &self.text[self.byte_of[first.start]..self.byte_of[last.start + last.len]]
    }
}

impl Line {
    fn new(chars: &[char], start: usize) -> Line {
        let mut segments = Vec::new();
        let mut i = 0;
        let n = chars.len();
        while i < n {
            if is_blank(chars[i]) {
                i += 1;
                continue;
            }
            let seg_start = i;
            let mut end = i;
            while i < n {
                if !is_blank(chars[i]) {
                    i += 1;
                    end = i;
                    continue;
                }
                // A single blank (not a tab) keeps words together; two or more end the segment.
                if chars[i] == ' ' && i + 1 < n && !is_blank(chars[i + 1]) {
                    i += 1;
                    continue;
                }
                break;
            }
            segments.push(Span {
                start: seg_start,
                end,
            });
        }
        let len = if chars.last() == Some(&'\r') {
            n - 1
        } else {
            n
        };
        Line {
            start,
            len,
            segments,
            header: false,
        }
    }
}

/// What the text around a case number says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Evidence {
    /// In the value place of this label hit (index into `Layout::hits`).
    Label(usize),
    /// Near a prose mention of a case-number label ("regarding receipt number …").
    Mention(LabelKind),
    None,
}

/// `text` with each `!`, `1`, `|` or opening bracket that stands before a letter read as the `i`
/// it usually is.
fn i_as_read(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let before_letter = chars.get(k + 1).is_some_and(char::is_ascii_alphabetic);
            if matches!(c, '!' | '1' | '|' | '(' | '[' | '{') && before_letter {
                'i'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_wrapped_in_a_narrow_column() {
        let text = "Receipt      TSC1721965519                  Notice Date:   05/22/2017\n\
                    No.:\n\
                    Received     03/10/2017                     Alien          A173214197\n\
                    Date:                                       Number:\n";
        let layout = Layout::new(text);
        let kinds: Vec<(usize, LabelKind)> = layout
            .hits
            .iter()
            .filter(|h| h.is_label)
            .map(|h| (h.line, h.kind))
            .collect();
        assert!(kinds.contains(&(0, LabelKind::ReceiptNumber)), "{kinds:?}");
        assert!(kinds.contains(&(2, LabelKind::ReceivedDate)), "{kinds:?}");
        assert!(kinds.contains(&(2, LabelKind::ANumber)), "{kinds:?}");
        let received = layout
            .hits
            .iter()
            .position(|h| h.kind == LabelKind::ReceivedDate)
            .unwrap();
        assert_eq!(layout.values(received)[0].text, "03/10/2017");
        // A taller cell beside it may push the rest of the label one line further down.
        let text = "Receipt        01/29/2019\n\
                    \x20                          A#:       A61433455\n\
                    Date:\n";
        let layout = Layout::new(text);
        let received = layout
            .hits
            .iter()
            .position(|h| h.kind == LabelKind::ReceivedDate)
            .unwrap();
        assert_eq!(layout.values(received)[0].text, "01/29/2019");
        // Several words wrapped: `USCIS Online Account` / `Number`.
        let layout = Layout::new("USCIS Online Account     807760034673\nNumber\n");
        assert!(
            layout
                .hits
                .iter()
                .any(|h| h.kind == LabelKind::AccountNumber && h.line == 0)
        );
        // A word that only starts a sentence on the next line is no label.
        let prose = Layout::new("Received\nDate of the interview: soon\n");
        assert!(prose.hits.iter().all(|h| h.kind != LabelKind::ReceivedDate));
    }

    #[test]
    fn codes_after_labels_of_other_identifiers() {
        let text = "Client ID:   CLT3482786938\nInvoice No. SAC2024061234\nOur file: SAC6248006026\n\
                    Client!D:  | CLT4990355978\nClient 1D:  |  CLT2058565239\n\
                    Client (D:    CLT4491101898\n\
                    Receipt No. NYC2311100005\nsee NYC2311100006\n";
        let layout = Layout::new(text);
        let at = |line: usize| {
            let t = layout.line_text(line);
            let start = t.chars().count() - 13;
            layout.after_other_identifier(
                line,
                Span {
                    start,
                    end: start + 13,
                },
            )
        };
        // The next three as scans read them: `I` as `!`, `1` or `(`, a space lost, a border
        // glued on.
        assert!(at(0) && at(1) && at(2) && at(3) && at(4) && at(5));
        assert!(!at(6) && !at(7));
    }

    const GRID: &str = "\
Form I-797C, Notice of Action
Receipt Number                         Case Type
EAC2190012345                          I130 - PETITION FOR ALIEN RELATIVE
Received Date        Priority Date      Notice Date        Page
01/15/2024                              01/20/2024         1 of 1
Applicant/Petitioner                   Beneficiary
A012 345 678                           A098 765 432
DOE, JANE                              DOE, JOHN
Notice Type: Receipt Notice
";

    fn hit(layout: &Layout, kind: LabelKind) -> usize {
        layout.hits.iter().position(|h| h.kind == kind).unwrap()
    }

    /// The values a label surely owns (not the doubtful strays).
    fn texts(layout: &Layout, kind: LabelKind) -> Vec<String> {
        layout
            .values(hit(layout, kind))
            .into_iter()
            .filter(|v| !v.shared)
            .map(|v| v.text)
            .collect()
    }

    #[test]
    fn segments_split_on_wide_gaps_only() {
        let layout = Layout::new("DOE, JANE      A012 345 678\tX");
        let segs: Vec<&str> = layout.lines[0]
            .segments
            .iter()
            .map(|&s| layout.segment_text(0, s))
            .collect();
        assert_eq!(segs, ["DOE, JANE", "A012 345 678", "X"]);
    }

    #[test]
    fn a_speck_after_a_label_is_not_its_value() {
        // `Case Type -` is how Tesseract read the JBIG2 sample's label.
        for label in [
            "Case Type -",
            "Case Type |",
            "Case Type_",
            "Case Type .",
            "Case Type - |",
        ] {
            let text = format!(
                "Receipt Number                                  {label}\n\
                 LIN2391 199246                                  1140 - IMMIGRANT PETITION FOR ALIEN WORKER\n"
            );
            let layout = Layout::new(&text);
            assert_eq!(
                texts(&layout, LabelKind::CaseType),
                ["1140 - IMMIGRANT PETITION FOR ALIEN WORKER"],
                "{label}"
            );
            assert!(is_label_text(label), "{label}");
        }
        // Between a label and the value beside it, too.
        let layout = Layout::new(
            "   Petitioner:     |     DOE, JANE
",
        );
        assert_eq!(texts(&layout, LabelKind::Petitioner), ["DOE, JANE"]);
        // A value is still a value.
        let layout = Layout::new(
            "Notice Type: -Receipt Notice
",
        );
        assert_eq!(texts(&layout, LabelKind::NoticeType), ["-Receipt Notice"]);
    }

    #[test]
    fn the_header_with_its_i_read_as_a_backslash() {
        let layout = Layout::new(
            "U.S. Department of Homeland Security                 \\-797C, Notice of Action\n",
        );
        assert!(layout.lines[0].header);
    }

    #[test]
    fn values_know_where_they_were_read() {
        let layout = Layout::new(GRID).with_confidence(None);
        let values = layout.values(hit(&layout, LabelKind::Beneficiary));
        assert_eq!(layout.value_confidence(&values[0]), None);
        let text = "Beneficiary   A098 765 432\nDOE,        JOHN\n";
        let scores: Vec<u8> = text
            .chars()
            .map(|c| if c == 'J' { 50 } else { 99 })
            .collect();
        let layout = Layout::new(text).with_confidence(Some(&scores));
        let values = layout.values(hit(&layout, LabelKind::Beneficiary));
        assert_eq!(values[1].text, "DOE, JOHN");
        assert_eq!(
            layout.value_confidence(&values[1]),
            Some(vec![99, 99, 99, 99, 100, 50, 99, 99, 99])
        );
    }

    #[test]
    fn grid_values_come_from_the_cell_below() {
        let layout = Layout::new(GRID);
        assert!(layout.lines[0].header);
        assert_eq!(
            texts(&layout, LabelKind::CaseType),
            ["I130 - PETITION FOR ALIEN RELATIVE"]
        );
        assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["01/15/2024"]);
        assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
        assert_eq!(texts(&layout, LabelKind::NoticeDate), ["01/20/2024"]);
        assert_eq!(texts(&layout, LabelKind::Page), ["1 of 1"]);
        assert_eq!(
            texts(&layout, LabelKind::Beneficiary),
            ["A098 765 432", "DOE, JOHN"]
        );
        assert_eq!(texts(&layout, LabelKind::NoticeType), ["Receipt Notice"]);
        assert!(layout.is_uscis_notice(&(0..layout.lines.len())));
    }

    #[test]
    fn a_number_under_its_label_is_labelled() {
        let layout = Layout::new(GRID);
        let receipt = hit(&layout, LabelKind::ReceiptNumber);
        let span = Span { start: 0, end: 13 };
        assert_eq!(layout.number_label(2, span), Evidence::Label(receipt));
        // The case type's cell is not the receipt number's.
        let span = Span { start: 39, end: 43 };
        assert_eq!(layout.number_label(2, span), Evidence::None);
    }

    #[test]
    fn values_shifted_a_few_columns_still_land_in_their_cell() {
        let text = "\
Receipt Number              Case Type
     EAC2190012345        I130 - PETITION FOR ALIEN RELATIVE
Received Date        Priority Date      Notice Date
  01/15/2024                         01/20/2024
";
        let layout = Layout::new(text);
        assert_eq!(
            texts(&layout, LabelKind::CaseType),
            ["I130 - PETITION FOR ALIEN RELATIVE"]
        );
        assert_eq!(texts(&layout, LabelKind::NoticeDate), ["01/20/2024"]);
        assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
        let receipt = hit(&layout, LabelKind::ReceiptNumber);
        assert_eq!(
            layout.number_label(1, Span { start: 5, end: 18 }),
            Evidence::Label(receipt)
        );
    }

    #[test]
    fn values_far_from_every_label_or_between_two_belong_to_none() {
        let text = "\
Received Date                           Priority Date                             Notice Date
01/25/2021                                                                  02/04/2021
Receipt Number          Case Type
EAC2108235877                 1130 - PETITION FOR ALIEN RELATIVE
";
        let layout = Layout::new(text);
        // 02/04/2021 starts 6 columns before Notice Date and 36 after Priority Date.
        assert_eq!(texts(&layout, LabelKind::NoticeDate), ["02/04/2021"]);
        assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
        // The case type starts 30 columns from "Receipt Number" and 6 from "Case Type".
        let grid = layout.grid(2);
        assert_eq!(
            layout.cell_owner(&grid, Span { start: 30, end: 34 }),
            Cell::Label(hit(&layout, LabelKind::CaseType))
        );
        assert_eq!(
            layout.cell_owner(&grid, Span { start: 60, end: 64 }),
            Cell::None
        );
        // A name far from both labels is nobody's, not the left one's continuation.
        let layout = Layout::new(
            "Petitioner                                                  Beneficiary\n\
             DOE, JANE                           ROE, JOHN\n",
        );
        assert_eq!(texts(&layout, LabelKind::Petitioner), ["DOE, JANE"]);
        // Out of place, it is offered to the empty column as a doubtful value.
        let values = layout.values(hit(&layout, LabelKind::Beneficiary));
        assert_eq!(values.len(), 1);
        assert_eq!(values[0].text, "ROE, JOHN");
        assert!(values[0].shared);
        // Halfway between two labels: shared, so neither takes it as certain.
        let layout = Layout::new("Priority Date        Notice Date\n          01/20/2024\n");
        let values = layout.values(hit(&layout, LabelKind::NoticeDate));
        assert_eq!(values.len(), 1);
        assert!(values[0].shared);
    }

    #[test]
    fn a_row_of_labels_split_over_two_lines_is_one_row() {
        // OCR of a skewed scan put "Case Type" a line above "Receipt Number". (The literal
        // starts with a line break: a `\` continuation would eat the first line's indent.)
        let text = "
                                               Case Type
Receipt Number                                                            OR ADJUST STATUS
MSC2206700001                                  I485 - APPLICATION TO REGISTER PERMANENT RESIDENCE
";
        let layout = Layout::new(text);
        assert_eq!(
            texts(&layout, LabelKind::CaseType),
            ["I485 - APPLICATION TO REGISTER PERMANENT RESIDENCE"]
        );
        let receipt = hit(&layout, LabelKind::ReceiptNumber);
        assert_eq!(
            layout.number_label(3, Span { start: 0, end: 13 }),
            Evidence::Label(receipt)
        );
    }

    #[test]
    fn a_stray_label_on_the_value_line_does_not_end_the_values() {
        let text = "
     Received Date                  Priority Date                  Notice Date
     07/19/2023                                                                                   Page
                                                                   07/27/2023                     1  of 1
";
        let layout = Layout::new(text);
        assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["07/19/2023"]);
        assert_eq!(texts(&layout, LabelKind::NoticeDate), ["07/27/2023"]);
        assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
    }

    #[test]
    fn a_label_in_a_grid_column_starts_the_next_row() {
        let text = "\
 RECEIPT DATE                   PRIORITY DATE                  PETITIONER
 04/13/2006                                                    EXAMPLE DATA SYSTEMS INC
 NOTICE DATE                    PAGE                           BENEFICIARY
 04/20/2006                     1 of 1                         HOLT, FINN
";
        let layout = Layout::new(text);
        assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["04/13/2006"]);
        assert_eq!(
            texts(&layout, LabelKind::Petitioner),
            ["EXAMPLE DATA SYSTEMS INC"]
        );
        assert_eq!(texts(&layout, LabelKind::NoticeDate), ["04/20/2006"]);
    }

    #[test]
    fn values_with_wide_inner_gaps_stay_whole() {
        let layout = Layout::new("  Applicant  A112 261  017\n  RAVEN,       FINN\n");
        let values: Vec<String> = layout
            .values(hit(&layout, LabelKind::Applicant))
            .into_iter()
            .map(|v| v.text)
            .collect();
        assert_eq!(values, ["A112 261 017", "RAVEN, FINN"]);
    }

    #[test]
    fn labels_and_values_on_one_line() {
        let text = "Receipt Number EAC2190012345 Case Type I130 - PETITION FOR ALIEN RELATIVE\n\
                    Received Date 01/15/2024  Priority Date  Notice Date 01/20/2024  Page 1 of 1\n";
        let layout = Layout::new(text);
        assert_eq!(
            texts(&layout, LabelKind::CaseType),
            ["I130 - PETITION FOR ALIEN RELATIVE"]
        );
        assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["01/15/2024"]);
        assert!(texts(&layout, LabelKind::PriorityDate).is_empty());
        assert_eq!(texts(&layout, LabelKind::NoticeDate), ["01/20/2024"]);
        let receipt = hit(&layout, LabelKind::ReceiptNumber);
        assert_eq!(
            layout.number_label(0, Span { start: 15, end: 28 }),
            Evidence::Label(receipt)
        );
    }

    #[test]
    fn ocr_spellings_of_the_receipt_label() {
        for label in [
            "Receipt Number",
            "RECEIPT NUMBER",
            "Recei t Number",
            "Receipt Nurnber",
            "Rece1pt Number",
            "Receipt #",
            "Receipt No.",
        ] {
            let layout = Layout::new(label);
            assert_eq!(layout.hits.len(), 1, "{label}");
            assert_eq!(layout.hits[0].kind, LabelKind::ReceiptNumber, "{label}");
            assert!(layout.hits[0].is_label, "{label}");
        }
        // A notice type is not a receipt-number label.
        let layout = Layout::new("Receipt Notice");
        assert!(layout.hits.is_empty());
    }

    #[test]
    fn prose_mentions_are_not_labels() {
        let layout = Layout::new("We are writing regarding receipt number WAC2290112233, which");
        let h = layout.hits[0];
        assert_eq!(h.kind, LabelKind::ReceiptNumber);
        assert!(!h.is_label);
        assert_eq!(
            layout.number_label(0, Span { start: 40, end: 53 }),
            Evidence::Mention(LabelKind::ReceiptNumber)
        );
        // A common word inside a sentence is not a label either.
        let layout =
            Layout::new("Notice Type: Request for Applicant to Appear for Initial Interview");
        assert!(
            layout
                .hits
                .iter()
                .all(|h| h.kind != LabelKind::Applicant || !h.is_label)
        );
        assert_eq!(
            texts(&layout, LabelKind::NoticeType),
            ["Request for Applicant to Appear for Initial Interview"]
        );
    }

    #[test]
    fn next_segment_value_and_colon() {
        let layout = Layout::new(
            "   NVC Case Number:                 MNL2020547051\n   Petitioner:     DOE, JANE\n",
        );
        let values = layout.values(hit(&layout, LabelKind::NvcCaseNumber));
        assert_eq!(values[0].text, "MNL2020547051");
        assert_eq!(values[0].how, How::NextSegment);
        assert!(values[0].colon);
        assert_eq!(
            layout.number_label(0, Span { start: 36, end: 49 }),
            Evidence::Label(hit(&layout, LabelKind::NvcCaseNumber))
        );
    }

    #[test]
    fn inline_a_number_does_not_split_the_name_cell() {
        let text = "\
 Applicant   A# 119 231 579
 VILLASANTE-RODRIGUEZ, MARIA ALEJANDRA
";
        let layout = Layout::new(text);
        assert_eq!(
            texts(&layout, LabelKind::Applicant),
            ["A# 119 231 579", "VILLASANTE-RODRIGUEZ, MARIA ALEJANDRA"]
        );
    }

    #[test]
    fn blank_lines_between_labels_and_values_are_skipped() {
        let text = "\
 RECEIPT NUMBER                                    CASE TYPE

 WAC-06-138-97010                                  I-129, PETITION FOR A NONIMMIGRANT WORKER

 RECEIPT DATE                   PRIORITY DATE                  PETITIONER

 04/13/2006                                                    LANTERNFISH DATA SYSTEMS INC
 NOTICE DATE                    PAGE                           BENEFICIARY
";
        let layout = Layout::new(text);
        assert_eq!(texts(&layout, LabelKind::ReceivedDate), ["04/13/2006"]);
        assert_eq!(
            texts(&layout, LabelKind::Petitioner),
            ["LANTERNFISH DATA SYSTEMS INC"]
        );
        assert_eq!(
            texts(&layout, LabelKind::CaseType),
            ["I-129, PETITION FOR A NONIMMIGRANT WORKER"]
        );
    }

    #[test]
    fn multibyte_text_keeps_columns_in_chars() {
        let text =
            "Notificación – García     Case Type\nÑÑ                        I130 - PETITION\n";
        let layout = Layout::new(text);
        assert_eq!(texts(&layout, LabelKind::CaseType), ["I130 - PETITION"]);
    }
}
