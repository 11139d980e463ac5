//! The values labels point at: on the same line, in the next segment, or in the box of a grid
//! row below its label. Columns only; no grammar of any field here.

use super::*;

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

impl<'a> Layout<'a> {
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
    pub(super) fn heads(&self, line: usize) -> Vec<(usize, usize)> {
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
}
