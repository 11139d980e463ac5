//! Layout: the page as lines of column-aligned segments, the labels printed on
//! it, and the values those labels point at (same line, next segment, or the cell below).
//!
//! Invariant: columns are `char` counts from the start of a line, and every position maps back to
//! a `char` index of the page text (so OCR confidences can be looked up).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::words::{Phrase, find_phrases, words_of};

mod evidence;
mod labels;
mod values;

pub(crate) use evidence::Evidence;
pub(crate) use labels::*;
pub(crate) use values::*;

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
            let header = layout.has_header(index);
            layout.lines[index].header = header;
            layout.find_labels(index);
        }
        layout.find_wrapped_labels();
        layout
    }

    /// Whether the notice header stands on `line` as a whole segment, or as a run of segments
    /// side by side: a recogniser that spaced its words widely (`Form   I-797C,   Notice    of
    /// Action`, the neural reader's spans) splits one into several.
    fn has_header(&self, line: usize) -> bool {
        let segments = &self.lines[line].segments;
        (0..segments.len()).any(|first| {
            (first..segments.len()).any(|last| {
                let run: Vec<&str> = segments[first..=last]
                    .iter()
                    .map(|&s| self.segment_text(line, s).trim())
                    .collect();
                is_header(&run.join(" "))
            })
        })
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

    /// How many kinds of label the hits within `lines` that `counts` accepts are.
    pub(crate) fn label_kinds(
        &self,
        lines: &Range<usize>,
        counts: impl Fn(&LabelHit) -> bool,
    ) -> usize {
        let mut kinds: Vec<LabelKind> = self.hits[self.hits_in(lines)]
            .iter()
            .filter(|h| counts(h))
            .map(|h| h.kind)
            .collect();
        kinds.sort_by_key(|k| *k as u8);
        kinds.dedup();
        kinds.len()
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

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\u{c}' | '\u{a0}')
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

#[cfg(test)]
mod tests;
