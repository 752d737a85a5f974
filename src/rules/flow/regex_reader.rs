//! Reads a Python regular expression into groups, alternatives and quantified items: just
//! enough structure to judge how it backtracks.

use std::collections::HashSet;
use std::ops::Range;

/// How deep groups may nest before we stop reading (patterns deeper than this are rare).
const MAX_DEPTH: usize = 64;

/// Characters tried when deciding whether two character sets overlap.
const PROBES: &str = "aAzZ09_ \t\n.-/@:!<\"'é";

/// How much matching [`any_two_overlap`] may do between classes and literals, counted in
/// class parts tried against a character. Beyond it the answer is "unknown", taken as no
/// overlap: a pattern that big is not reported rather than maybe falsely reported.
const MAX_MATCH_WORK: usize = 1 << 22;

#[derive(Debug, Clone)]
pub enum CharSet {
    Any,
    Literal(char),
    /// `\d`, `\w`, `\s` and their negations, by letter.
    Escape(char),
    Class {
        negated: bool,
        items: Vec<(char, char)>,
        escapes: Vec<char>,
    },
}

impl CharSet {
    fn matches(&self, c: char) -> bool {
        match self {
            CharSet::Any => c != '\n',
            CharSet::Literal(literal) => *literal == c,
            CharSet::Escape(letter) => escape_matches(*letter, c),
            CharSet::Class {
                negated,
                items,
                escapes,
            } => {
                let inside = items.iter().any(|(low, high)| (*low..=*high).contains(&c))
                    || escapes.iter().any(|letter| escape_matches(*letter, c));
                inside != *negated
            }
        }
    }

    /// How many parts [`CharSet::matches`] may try.
    fn size(&self) -> usize {
        match self {
            CharSet::Class { items, escapes, .. } => 1 + items.len() + escapes.len(),
            _ => 1,
        }
    }

    /// Whether two sets overlap: both match one of the probes or the other's literal. The
    /// rule asks [`any_two_overlap`], which agrees with this on every pair without trying
    /// every pair.
    #[cfg(test)]
    pub fn overlaps(&self, other: &CharSet) -> bool {
        let literal = |set: &CharSet| match set {
            CharSet::Literal(c) => Some(*c),
            _ => None,
        };
        PROBES
            .chars()
            .chain(literal(self))
            .chain(literal(other))
            .any(|c| self.matches(c) && other.matches(c))
    }
}

/// True when two of `sets` (by position) overlap, as [`CharSet::overlaps`] would say of
/// some pair, without trying every pair. Two sets overlap when both match a probe, or when
/// one is a literal the other matches: so a probe matched twice, a literal written twice,
/// or a literal matched by a set that is not a literal.
pub fn any_two_overlap(sets: &[&CharSet]) -> bool {
    // One pass over the sets (each a heap node of its own, so a pass per probe would read
    // them all from memory twenty times), noting the probes matched so far.
    let mut probed = [false; PROBES.len()];
    let mut literals = HashSet::new();
    let mut others = Vec::new();
    for set in sets {
        for (seen, c) in probed.iter_mut().zip(PROBES.chars()) {
            if set.matches(c) {
                if *seen {
                    return true;
                }
                *seen = true;
            }
        }
        match set {
            CharSet::Literal(c) => {
                if !literals.insert(*c) {
                    return true;
                }
            }
            other => others.push(*other),
        }
    }
    let work = others
        .iter()
        .map(|set| set.size())
        .sum::<usize>()
        .saturating_mul(literals.len());
    if work > MAX_MATCH_WORK {
        return false;
    }
    others
        .iter()
        .any(|set| literals.iter().any(|c| set.matches(*c)))
}

fn escape_matches(letter: char, c: char) -> bool {
    let positive = match letter.to_ascii_lowercase() {
        'd' => c.is_numeric(),
        'w' => c.is_alphanumeric() || c == '_',
        's' => c.is_whitespace(),
        _ => c == letter,
    };
    if letter.is_ascii_uppercase() {
        !positive
    } else {
        positive
    }
}

#[derive(Debug)]
pub enum Node {
    Char(CharSet),
    /// Anchors, word boundaries, lookarounds: they match no text but constrain where a
    /// repetition may stop.
    Assertion,
    /// Comments and inline flags.
    Empty,
    Group {
        alternatives: Vec<Vec<Item>>,
        atomic: bool,
    },
}

#[derive(Debug)]
pub struct Item {
    pub node: Node,
    pub min: u32,
    /// `None` is unbounded.
    pub max: Option<u32>,
    pub possessive: bool,
    pub span: Range<usize>,
}

pub struct Reader<'p> {
    text: &'p str,
    at: usize,
    verbose: bool,
}

impl<'p> Reader<'p> {
    pub fn new(text: &'p str, verbose: bool) -> Self {
        Self {
            text,
            at: 0,
            verbose,
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, prefix: &str) -> bool {
        let found = self.text[self.at..].starts_with(prefix);
        if found {
            self.at += prefix.len();
        }
        found
    }

    /// Alternatives up to the closing `)` of the current group (or the end).
    pub fn alternatives(&mut self, depth: usize) -> Option<Vec<Vec<Item>>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut alternatives = vec![Vec::new()];
        while let Some(c) = self.peek() {
            let start = self.at;
            match c {
                ')' => break,
                '|' => {
                    self.next();
                    alternatives.push(Vec::new());
                    continue;
                }
                c if self.verbose && (c.is_whitespace() || c == '#') => {
                    self.skip_ignored();
                    continue;
                }
                _ => {}
            }
            let node = self.atom(depth)?;
            let (min, max, possessive) = self.quantifier();
            let item = Item {
                node,
                min,
                max,
                possessive,
                span: start..self.at,
            };
            alternatives.last_mut()?.push(item);
        }
        Some(alternatives)
    }

    fn atom(&mut self, depth: usize) -> Option<Node> {
        match self.next()? {
            '.' => Some(Node::Char(CharSet::Any)),
            '^' | '$' => Some(Node::Assertion),
            '\\' => Some(self.escape()),
            '[' => self.class(),
            '(' => self.group(depth),
            c => Some(Node::Char(CharSet::Literal(c))),
        }
    }

    fn escape(&mut self) -> Node {
        match self.next() {
            Some(letter @ ('d' | 'D' | 'w' | 'W' | 's' | 'S')) => {
                Node::Char(CharSet::Escape(letter))
            }
            Some('b' | 'B' | 'A' | 'Z' | 'z') => Node::Assertion,
            // A backreference matches text, but not text the pattern lets repeat freely.
            Some('1'..='9') => Node::Char(CharSet::Any),
            None => Node::Empty,
            Some('n') => Node::Char(CharSet::Literal('\n')),
            Some('t') => Node::Char(CharSet::Literal('\t')),
            Some('x' | 'u' | 'U' | 'N' | '0') => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_hexdigit() || c == '{' || c == '}')
                {
                    self.next();
                }
                Node::Char(CharSet::Literal('\u{FFFD}'))
            }
            Some(other) => Node::Char(CharSet::Literal(other)),
        }
    }

    fn class(&mut self) -> Option<Node> {
        let negated = self.eat("^");
        let (mut items, mut escapes) = (Vec::new(), Vec::new());
        let mut first = true;
        loop {
            let c = self.next()?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let low = if c == '\\' {
                match self.next()? {
                    letter @ ('d' | 'D' | 'w' | 'W' | 's' | 'S') => {
                        escapes.push(letter);
                        continue;
                    }
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                }
            } else {
                c
            };
            let high = if self.peek() == Some('-') && !self.text[self.at + 1..].starts_with(']') {
                self.next();
                match self.next()? {
                    '\\' => self.next()?,
                    high => high,
                }
            } else {
                low
            };
            items.push((low, high));
        }
        Some(Node::Char(CharSet::Class {
            negated,
            items,
            escapes,
        }))
    }

    fn group(&mut self, depth: usize) -> Option<Node> {
        let mut atomic = false;
        let mut zero_width = false;
        if self.eat("?") {
            if self.eat("#") {
                while self.next()? != ')' {}
                return Some(Node::Empty);
            }
            if self.eat("P=") {
                while self.next()? != ')' {}
                return Some(Node::Char(CharSet::Any));
            }
            if self.eat("(") {
                // A conditional `(?(1)yes|no)`: skip the condition, read the branches.
                while self.next()? != ')' {}
            } else if self.eat(">") {
                atomic = true;
            } else if self.eat("=") || self.eat("!") || self.eat("<=") || self.eat("<!") {
                zero_width = true;
            } else if self.eat("P<") || self.eat("<") {
                while self.next()? != '>' {}
            } else {
                // Inline flags: `(?i)` applies to the whole pattern, `(?i:...)` is a group.
                while let Some(c) = self.next() {
                    match c {
                        ')' => return Some(Node::Empty),
                        ':' => break,
                        'x' => self.verbose = true,
                        _ => {}
                    }
                }
            }
        }
        let alternatives = self.alternatives(depth + 1)?;
        self.eat(")");
        Some(if zero_width {
            Node::Assertion
        } else {
            Node::Group {
                alternatives,
                atomic,
            }
        })
    }

    /// `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`, `{,n}`, each optionally lazy or possessive.
    fn quantifier(&mut self) -> (u32, Option<u32>, bool) {
        if self.verbose {
            self.skip_ignored();
        }
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => match self.braces() {
                Some(bounds) => return self.suffix(bounds),
                None => return (1, Some(1), false),
            },
            _ => return (1, Some(1), false),
        };
        self.next();
        self.suffix((min, max))
    }

    /// A lazy `?` or possessive `+` after a quantifier.
    fn suffix(&mut self, (min, max): (u32, Option<u32>)) -> (u32, Option<u32>, bool) {
        let possessive = self.eat("+");
        if !possessive {
            self.eat("?");
        }
        (min, max, possessive)
    }

    /// Whitespace and `#` comments, which a verbose pattern ignores.
    fn skip_ignored(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.next();
                }
                Some('#') => while self.next().is_some_and(|c| c != '\n') {},
                _ => break,
            }
        }
    }

    fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let rest = &self.text[self.at + 1..];
        // Only digits, a comma and blanks may stand before the `}`: looking no further keeps
        // `a{a{a{…` linear.
        let length = rest.find(|c: char| !(c.is_ascii_digit() || c == ',' || c.is_whitespace()))?;
        if !rest[length..].starts_with('}') {
            return None;
        }
        let inside = &rest[..length];
        let (min, max) = match inside.split_once(',') {
            Some((min, max)) => (min.trim(), Some(max.trim())),
            None => (inside.trim(), None),
        };
        if !min
            .chars()
            .chain(max.unwrap_or("").chars())
            .all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let min: u32 = if min.is_empty() { 0 } else { min.parse().ok()? };
        let max = match max {
            None => Some(min),
            Some("") => None,
            Some(max) => Some(max.parse().ok()?),
        };
        self.at += inside.len() + 2;
        Some((min, max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets() -> Vec<CharSet> {
        let class = |negated, items: &[(char, char)], escapes: &[char]| CharSet::Class {
            negated,
            items: items.to_vec(),
            escapes: escapes.to_vec(),
        };
        vec![
            CharSet::Any,
            CharSet::Literal('a'),
            CharSet::Literal('b'),
            CharSet::Literal('\n'),
            CharSet::Literal('一'),
            CharSet::Literal('丁'),
            CharSet::Escape('d'),
            CharSet::Escape('W'),
            class(false, &[('b', 'c')], &[]),
            class(false, &[('一', '一')], &[]),
            class(false, &[], &['s']),
            class(true, &[('\0', '\u{10FFFF}')], &[]),
        ]
    }

    /// On every choice of up to four sets (repeats included), the one-pass answer is the
    /// answer of comparing every pair.
    #[test]
    fn any_two_overlap_agrees_with_comparing_every_pair() {
        let sets = sets();
        let count = sets.len();
        for code in 0..count.pow(4) {
            for size in 2..=4 {
                let chosen: Vec<&CharSet> = (0..size)
                    .map(|place| &sets[code / count.pow(place) % count])
                    .collect();
                let pairwise = chosen.iter().enumerate().any(|(index, set)| {
                    chosen[index + 1..].iter().any(|other| set.overlaps(other))
                });
                assert_eq!(any_two_overlap(&chosen), pairwise, "{chosen:?}");
            }
        }
    }

    /// A hundred thousand distinct characters and as many classes: too much to try each
    /// against each, so the answer is "unknown", taken as no overlap (no finding).
    #[test]
    fn too_many_classes_and_literals_are_unknown_not_slow() {
        let literals: Vec<CharSet> = (0..100_000)
            .filter_map(|index| char::from_u32(0x2_0000 + index))
            .map(CharSet::Literal)
            .collect();
        let classes: Vec<CharSet> = (0..100_000)
            .filter_map(|index| char::from_u32(0x4_0000 + index))
            .map(|c| CharSet::Class {
                negated: false,
                items: vec![(c, c)],
                escapes: Vec::new(),
            })
            .collect();
        let all: Vec<&CharSet> = literals.iter().chain(&classes).collect();
        assert!(!any_two_overlap(&all));
    }

    #[test]
    fn unclosed_braces_are_literal_text() {
        let mut reader = Reader::new("a{1,2}b{c}d{ 3 , }e{", false);
        let items = reader.alternatives(0).unwrap().remove(0);
        let bounds: Vec<(u32, Option<u32>)> =
            items.iter().map(|item| (item.min, item.max)).collect();
        assert_eq!(
            bounds,
            [
                (1, Some(2)), // a{1,2}
                (1, Some(1)), // b
                (1, Some(1)), // {
                (1, Some(1)), // c
                (1, Some(1)), // }
                (3, None),    // d{ 3 , }
                (1, Some(1)), // e
                (1, Some(1)), // {
            ]
        );
    }
}
