//! PDF reading, syntax: splits a content stream (or a CMap, which uses the same PostScript-like
//! tokens) into operators with their operands.
//!
//! Invariant: never recursive and never panics. Nesting is capped at [`MAX_NESTING`] (deeper
//! brackets are flattened), so neither parsing nor dropping an operand can exhaust the stack, and
//! damaged bytes are skipped rather than ending the stream: viewers show the rest of the page too.

/// Deepest array/dictionary nesting kept as structure. Real content streams need 2 (a `TJ`
/// array, a marked-content property list); deeper brackets are read as if they were absent.
const MAX_NESTING: usize = 8;
/// Most operands kept for one operator (or in one array). Real ones need a few thousand at most
/// (a long `TJ`, a CMap block); a stream of numbers with no operator must not fill memory.
const MAX_OPERANDS: usize = 100_000;

/// One operand of a content-stream operator.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Operand {
    Number(f64),
    Name(Vec<u8>),
    /// A literal `(…)` or hex `<…>` string, decoded to its bytes.
    String(Vec<u8>),
    Array(Vec<Operand>),
    /// A `<< … >>` dictionary as its key, value, key, value… sequence.
    Dict(Vec<Operand>),
    Bool(bool),
    Null,
}

impl Operand {
    pub(super) fn number(&self) -> Option<f64> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub(super) fn name(&self) -> Option<&[u8]> {
        match self {
            Operand::Name(n) => Some(n),
            _ => None,
        }
    }
}

/// Reads operators one at a time: `next` fills `operands` and returns the operator.
#[derive(Debug)]
pub(super) struct Lexer<'a> {
    input: &'a [u8],
    pos: usize,
    /// Open arrays/dictionaries: what kind, and the operands gathered so far outside them.
    open: Vec<(Bracket, Vec<Operand>)>,
    /// Brackets opened beyond [`MAX_NESTING`], read as if absent.
    flattened: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bracket {
    Array,
    Dict,
}

/// What [`Lexer::next`] found.
#[derive(Debug, PartialEq)]
pub(super) enum Op<'a> {
    /// An operator (`Tj`, `cm`, `beginbfchar`…) with its operands in the caller's vector.
    Operator(&'a [u8]),
    /// An inline image (`BI … ID … EI`), its dictionary in the caller's vector as a `Dict`.
    InlineImage,
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_whitespace(b) && !is_delimiter(b)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    pub(super) fn new(input: &'a [u8]) -> Self {
        Lexer {
            input,
            pos: 0,
            open: Vec::new(),
            flattened: 0,
        }
    }

    /// The next operator, its operands left in `operands` (cleared first); `None` at the end.
    pub(super) fn next(&mut self, operands: &mut Vec<Operand>) -> Option<Op<'a>> {
        operands.clear();
        self.open.clear();
        self.flattened = 0;
        loop {
            self.skip_whitespace_and_comments();
            let &b = self.input.get(self.pos)?;
            let operand = match b {
                b'(' => Operand::String(self.literal_string()),
                b'<' if self.input.get(self.pos + 1) == Some(&b'<') => {
                    self.pos += 2;
                    self.open_bracket(Bracket::Dict, operands);
                    continue;
                }
                b'<' => Operand::String(self.hex_string()),
                b'>' if self.input.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    self.close_bracket(operands);
                    continue;
                }
                b'[' => {
                    self.pos += 1;
                    self.open_bracket(Bracket::Array, operands);
                    continue;
                }
                b']' => {
                    self.pos += 1;
                    self.close_bracket(operands);
                    continue;
                }
                b'/' => Operand::Name(self.name()),
                b'+' | b'-' | b'.' | b'0'..=b'9' => match self.number() {
                    Some(n) => Operand::Number(n),
                    None => continue,
                },
                // A stray delimiter (`)`, `>`, `{`, `}`): skip it.
                _ if is_delimiter(b) => {
                    self.pos += 1;
                    continue;
                }
                _ => {
                    let start = self.pos;
                    while self.input.get(self.pos).is_some_and(|&c| is_regular(c)) {
                        self.pos += 1;
                    }
                    let word = &self.input[start..self.pos];
                    match word {
                        b"true" => Operand::Bool(true),
                        b"false" => Operand::Bool(false),
                        b"null" => Operand::Null,
                        _ => {
                            // An operator inside an unclosed array ends it: close what is open.
                            self.close_all(operands);
                            if word == b"BI" {
                                return Some(self.inline_image(operands));
                            }
                            return Some(Op::Operator(word));
                        }
                    }
                }
            };
            if operands.len() < MAX_OPERANDS {
                operands.push(operand);
            }
        }
    }

    fn open_bracket(&mut self, kind: Bracket, operands: &mut Vec<Operand>) {
        if self.open.len() >= MAX_NESTING {
            self.flattened += 1;
            return;
        }
        self.open.push((kind, std::mem::take(operands)));
    }

    /// Closes the innermost open bracket, whichever kind closes it (`[ … >>` happens).
    fn close_bracket(&mut self, operands: &mut Vec<Operand>) {
        if self.flattened > 0 {
            self.flattened -= 1;
            return;
        }
        let Some((kind, outer)) = self.open.pop() else {
            // A closing bracket with nothing open: ignore it.
            return;
        };
        let inner = std::mem::replace(operands, outer);
        operands.push(match kind {
            Bracket::Array => Operand::Array(inner),
            Bracket::Dict => Operand::Dict(inner),
        });
    }

    fn close_all(&mut self, operands: &mut Vec<Operand>) {
        self.flattened = 0;
        while !self.open.is_empty() {
            self.close_bracket(operands);
        }
    }

    fn skip_whitespace_and_comments(&mut self) {
        while let Some(&b) = self.input.get(self.pos) {
            if is_whitespace(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self
                    .input
                    .get(self.pos)
                    .is_some_and(|&c| c != b'\n' && c != b'\r')
                {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A `(…)` string with its escapes resolved; an unterminated one runs to the end.
    fn literal_string(&mut self) -> Vec<u8> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 0usize;
        while let Some(&b) = self.input.get(self.pos) {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' if depth == 0 => return out,
                b')' => {
                    depth -= 1;
                    out.push(b);
                }
                b'\\' => {
                    let Some(&e) = self.input.get(self.pos) else {
                        break;
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut value = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.input.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((value & 0xff) as u8);
                        }
                        // A backslash at the end of a line continues the string.
                        b'\r' => {
                            if self.input.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    /// A `<…>` string; characters that are not hex digits are skipped, an odd final digit is
    /// padded with 0 as the standard says.
    fn hex_string(&mut self) -> Vec<u8> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(&b) = self.input.get(self.pos) {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if let Some(v) = hex_value(b) {
                match high.take() {
                    Some(h) => out.push(h << 4 | v),
                    None => high = Some(v),
                }
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    fn name(&mut self) -> Vec<u8> {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(&b) = self.input.get(self.pos) {
            if !is_regular(b) {
                break;
            }
            self.pos += 1;
            if b == b'#' {
                let hi = self.input.get(self.pos).copied().and_then(hex_value);
                let lo = self.input.get(self.pos + 1).copied().and_then(hex_value);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push(hi << 4 | lo);
                    self.pos += 2;
                    continue;
                }
            }
            out.push(b);
        }
        out
    }

    /// A number, read leniently (`--5`, `1.2.3`, `5-` occur in the wild); `None` if the token
    /// holds no digit at all.
    fn number(&mut self) -> Option<f64> {
        let start = self.pos;
        while self.input.get(self.pos).is_some_and(|&c| is_regular(c)) {
            self.pos += 1;
        }
        let token = &self.input[start..self.pos];
        let mut negative = false;
        let mut i = 0;
        while i < token.len() && matches!(token[i], b'+' | b'-') {
            negative ^= token[i] == b'-';
            i += 1;
        }
        let mut value = 0f64;
        let mut digits = 0;
        while i < token.len() && token[i].is_ascii_digit() {
            value = value * 10.0 + f64::from(token[i] - b'0');
            digits += 1;
            i += 1;
        }
        if i < token.len() && token[i] == b'.' {
            i += 1;
            let mut scale = 0.1;
            while i < token.len() && token[i].is_ascii_digit() {
                value += f64::from(token[i] - b'0') * scale;
                scale *= 0.1;
                digits += 1;
                i += 1;
            }
        }
        if digits == 0 {
            return None;
        }
        Some(if negative { -value } else { value })
    }

    /// `BI` was read: gathers the image dictionary up to `ID`, then skips the image data to the
    /// `EI` that ends it.
    fn inline_image(&mut self, operands: &mut Vec<Operand>) -> Op<'a> {
        let mut dict = Vec::new();
        loop {
            self.skip_whitespace_and_comments();
            let Some(&b) = self.input.get(self.pos) else {
                break;
            };
            if b == b'I' && self.input.get(self.pos + 1) == Some(&b'D') {
                let after = self.input.get(self.pos + 2).copied();
                if after.is_none_or(|c| !is_regular(c)) {
                    self.pos += 2;
                    // One white-space byte separates ID from the data.
                    if after.is_some_and(is_whitespace) {
                        self.pos += 1;
                    }
                    break;
                }
            }
            // Dictionary entries are plain operands; read one through the normal path.
            let mut one = Vec::new();
            let before = self.pos;
            match b {
                b'(' => one.push(Operand::String(self.literal_string())),
                b'<' => one.push(Operand::String(self.hex_string())),
                b'/' => one.push(Operand::Name(self.name())),
                b'[' => {
                    // Filter and decode arrays: read to the closing bracket, flat.
                    self.pos += 1;
                    let mut items = Vec::new();
                    loop {
                        self.skip_whitespace_and_comments();
                        match self.input.get(self.pos) {
                            None => break,
                            Some(b']') => {
                                self.pos += 1;
                                break;
                            }
                            Some(b'/') => items.push(Operand::Name(self.name())),
                            Some(_) => {
                                if let Some(n) = self.number()
                                    && items.len() < MAX_OPERANDS
                                {
                                    items.push(Operand::Number(n));
                                } else {
                                    self.pos += 1;
                                }
                            }
                        }
                    }
                    one.push(Operand::Array(items));
                }
                b'+' | b'-' | b'.' | b'0'..=b'9' => {
                    if let Some(n) = self.number() {
                        one.push(Operand::Number(n));
                    }
                }
                _ => {
                    while self.input.get(self.pos).is_some_and(|&c| is_regular(c)) {
                        self.pos += 1;
                    }
                    match &self.input[before..self.pos] {
                        b"true" => one.push(Operand::Bool(true)),
                        b"false" => one.push(Operand::Bool(false)),
                        _ => {}
                    }
                }
            }
            if self.pos == before {
                self.pos += 1;
            }
            if dict.len() < MAX_OPERANDS {
                dict.extend(one);
            }
        }
        self.skip_image_data();
        operands.push(Operand::Dict(dict));
        Op::InlineImage
    }

    /// Moves past the inline image data and its `EI`. The data is binary and its length is not
    /// given, so the end is the first `EI` standing alone between white space whose following
    /// bytes look like content-stream text again.
    fn skip_image_data(&mut self) {
        let data = &self.input[self.pos.min(self.input.len())..];
        let mut i = 0;
        while i + 2 <= data.len() {
            let at_ei = data[i] == b'E'
                && data[i + 1] == b'I'
                && (i == 0 || is_whitespace(data[i - 1]))
                && data.get(i + 2).is_none_or(|&c| !is_regular(c));
            if at_ei {
                let rest = &data[i + 2..data.len().min(i + 2 + 32)];
                let textual = rest
                    .iter()
                    .all(|&c| is_whitespace(c) || (0x20..0x7f).contains(&c));
                if textual {
                    self.pos += i + 2;
                    return;
                }
            }
            i += 1;
        }
        self.pos = self.input.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(input: &[u8]) -> Vec<(String, Vec<Operand>)> {
        let mut lexer = Lexer::new(input);
        let mut operands = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = lexer.next(&mut operands) {
            let name = match op {
                Op::Operator(o) => String::from_utf8_lossy(o).into_owned(),
                Op::InlineImage => "BI".to_string(),
            };
            out.push((name, operands.clone()));
        }
        out
    }

    #[test]
    fn reads_operators_with_operands() {
        let got = ops(b"BT /F1 12 Tf 72 -7.5e Td [(A) -250 (B)] TJ ET");
        assert_eq!(got[0], ("BT".into(), vec![]));
        assert_eq!(
            got[1],
            (
                "Tf".into(),
                vec![Operand::Name(b"F1".to_vec()), Operand::Number(12.0)]
            )
        );
        assert_eq!(got[2].0, "Td");
        assert_eq!(got[2].1[1], Operand::Number(-7.5));
        assert_eq!(
            got[3].1,
            vec![Operand::Array(vec![
                Operand::String(b"A".to_vec()),
                Operand::Number(-250.0),
                Operand::String(b"B".to_vec()),
            ])]
        );
        assert_eq!(got[4].0, "ET");
    }

    #[test]
    fn decodes_string_escapes_and_hex() {
        let got = ops(b"(a\\(b\\)c\\101\\\n(d)) Tj <48 65 6c6C 6> Tj");
        assert_eq!(got[0].1, vec![Operand::String(b"a(b)cA(d)".to_vec())]);
        assert_eq!(got[1].1, vec![Operand::String(b"Hell`".to_vec())]);
    }

    #[test]
    fn names_decode_hash_escapes() {
        let got = ops(b"/A#20B gs");
        assert_eq!(got[0].1, vec![Operand::Name(b"A B".to_vec())]);
    }

    #[test]
    fn skips_inline_image_data() {
        let got = ops(b"q BI /W 2 /H 2 /BPC 8 /CS /G ID \x00EI\xff\x10 EI Q (x) Tj");
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["q", "BI", "Q", "Tj"]);
    }

    #[test]
    fn deep_nesting_is_flattened_without_recursion() {
        let mut input = Vec::new();
        input.extend(std::iter::repeat_n(b'[', 200_000));
        input.extend(b"1");
        input.extend(std::iter::repeat_n(b']', 200_000));
        input.extend(b" TJ");
        let got = ops(&input);
        assert_eq!(got.len(), 1);
        // Dropping the result must not overflow the stack either (it is at most MAX_NESTING deep).
        let mut depth = 0;
        let mut operand = &got[0].1[0];
        while let Operand::Array(items) = operand {
            depth += 1;
            operand = &items[0];
        }
        assert_eq!(depth, MAX_NESTING);
    }

    #[test]
    fn operands_without_an_operator_are_capped() {
        let input = "1 ".repeat(MAX_OPERANDS + 10) + "cm";
        let got = ops(input.as_bytes());
        assert_eq!(got[0].1.len(), MAX_OPERANDS);
    }

    #[test]
    fn garbage_does_not_stop_the_stream() {
        let got = ops(b"1 0 0 1 0 0 cm ) } >> ] BT (x) Tj ET");
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["cm", "BT", "Tj", "ET"]);
        assert_eq!(got[0].1.len(), 6);
    }

    #[test]
    fn unterminated_things_end_at_the_end() {
        let got = ops(b"(abc");
        assert!(got.is_empty());
        let got = ops(b"[ (a) (b");
        assert!(got.is_empty());
    }
}
