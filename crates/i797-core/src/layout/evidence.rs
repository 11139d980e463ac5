//! What the text around a case number says about it (a case-number label, another identifier's
//! label, a USCIS notice's or an NVC letter's marks). No decoding of the number here.

use super::*;

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

impl<'a> Layout<'a> {
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
        self.label_kinds(lines, |h| h.is_label && h.kind.is_grid()) >= 2
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
}
