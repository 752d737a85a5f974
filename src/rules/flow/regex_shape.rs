//! The shapes of regular expressions that backtrack exponentially: a repeated group whose
//! only required part repeats itself (`(a+)+`, `(\w+\s?)*`, `(.*)*`), and a repeated choice
//! between alternatives that match the same text (`(a|aa)+`, `(\w|\d)*`).

use std::collections::HashSet;
use std::ops::Range;

use super::regex_reader::{any_two_overlap, CharSet, Item, Node, Reader};

/// Why a group backtracks exponentially.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A repeated group whose only required part repeats: `(a+)+`.
    NestedRepetition,
    /// A repeated choice between alternatives that match the same text: `(a|aa)+`.
    OverlappingChoice,
}

/// The byte range (in `pattern`) of the first group that backtracks exponentially, and why.
pub fn exponential_group(pattern: &str, verbose: bool) -> Option<(Range<usize>, Shape)> {
    let alternatives = Reader::new(pattern, verbose).alternatives(0)?;
    alternatives
        .iter()
        .find_map(|alternative| first_exponential(alternative))
}

fn first_exponential(items: &[Item]) -> Option<(Range<usize>, Shape)> {
    for item in items {
        let Node::Group {
            alternatives,
            atomic,
        } = &item.node
        else {
            continue;
        };
        if item.max.is_none() && !item.possessive && !atomic && is_ambiguous(alternatives) {
            let shape = if alternatives.len() > 1 {
                Shape::OverlappingChoice
            } else {
                Shape::NestedRepetition
            };
            return Some((item.span.clone(), shape));
        }
        if let Some(span) = alternatives
            .iter()
            .find_map(|alternative| first_exponential(alternative))
        {
            return Some(span);
        }
    }
    None
}
/// True when one pass of the group can be split into several passes in more than one way.
fn is_ambiguous(alternatives: &[Vec<Item>]) -> bool {
    if let [alternative] = alternatives {
        // `(.+$\n?)*`, `(\w+\b)*`: an anchor or a lookaround fixes where each pass ends.
        if alternative
            .iter()
            .any(|item| matches!(item.node, Node::Assertion))
        {
            return false;
        }
        let required: Vec<&Item> = alternative
            .iter()
            .filter(|item| !can_be_empty(item))
            .collect();
        return match required.as_slice() {
            [only] => repeats(only),
            [] => alternative.iter().any(repeats),
            _ => false,
        };
    }
    let singles: Option<Vec<&CharSet>> = alternatives
        .iter()
        .map(|alternative| match alternative.as_slice() {
            [Item {
                node: Node::Char(set),
                min: 1,
                max: Some(1),
                ..
            }] => Some(set),
            _ => None,
        })
        .collect();
    if let Some(singles) = singles {
        return any_two_overlap(&singles);
    }
    let literals: Option<Vec<String>> = alternatives
        .iter()
        .map(|alternative| literal_text(alternative))
        .collect();
    literals.is_some_and(|literals| one_repeats_another(&literals))
}

/// True when one literal is another repeated (`a` and `aa`, `ab` and `abab`). Each literal
/// is only compared with the literals it could be a repetition of: `long` is `short`
/// repeated exactly when `short` is a prefix of `long` whose length is a multiple of
/// `long`'s shortest period and divides its length — so thousands of alternatives take
/// linear time, not a comparison of every pair.
fn one_repeats_another(literals: &[String]) -> bool {
    let known: HashSet<&str> = literals.iter().map(String::as_str).collect();
    let lengths: HashSet<usize> = literals.iter().map(String::len).collect();
    literals.iter().any(|long| {
        let length = long.len();
        let Some(period) = shortest_period(long.as_bytes()) else {
            return false;
        };
        if length % period != 0 {
            return false;
        }
        (period..length)
            .step_by(period)
            .filter(|short| length % short == 0 && lengths.contains(short))
            .any(|short| {
                long.get(..short)
                    .is_some_and(|prefix| known.contains(prefix))
            })
    })
}

/// The smallest `p > 0` with `text[i] == text[i + p]` throughout (Knuth–Morris–Pratt's
/// failure function); `None` for empty text.
fn shortest_period(text: &[u8]) -> Option<usize> {
    let mut border = vec![0; text.len()];
    for at in 1..text.len() {
        let mut length = border[at - 1];
        while length > 0 && text[at] != text[length] {
            length = border[length - 1];
        }
        if text[at] == text[length] {
            length += 1;
        }
        border[at] = length;
    }
    border.last().map(|last| text.len() - last)
}
fn literal_text(items: &[Item]) -> Option<String> {
    items
        .iter()
        .map(|item| match (&item.node, item.min, item.max) {
            (Node::Char(CharSet::Literal(c)), 1, Some(1)) => Some(*c),
            _ => None,
        })
        .collect()
}
fn can_be_empty(item: &Item) -> bool {
    item.min == 0
        || match &item.node {
            Node::Empty | Node::Assertion => true,
            Node::Char(_) => false,
            Node::Group { alternatives, .. } => alternatives
                .iter()
                .any(|alternative| alternative.iter().all(can_be_empty)),
        }
}
/// True when the item alone matches runs of any length.
fn repeats(item: &Item) -> bool {
    if item.possessive {
        return false;
    }
    match &item.node {
        Node::Group { atomic: true, .. } | Node::Empty | Node::Assertion => false,
        _ if item.max.is_none() => true,
        Node::Group { alternatives, .. } if item.max == Some(1) => match alternatives.as_slice() {
            [alternative] => {
                let required: Vec<&Item> = alternative
                    .iter()
                    .filter(|item| !can_be_empty(item))
                    .collect();
                matches!(required.as_slice(), [only] if repeats(only))
            }
            _ => false,
        },
        _ => false,
    }
}
#[cfg(test)]
mod tests {
    use super::{exponential_group, one_repeats_another, shortest_period};
    fn group(pattern: &str) -> Option<&str> {
        exponential_group(pattern, false).map(|(span, _)| &pattern[span])
    }
    #[test]
    fn nested_and_overlapping_repetition_is_found() {
        assert_eq!(group(r"^([a-zA-Z0-9]+)*$"), Some("([a-zA-Z0-9]+)*"));
        assert_eq!(group(r"(a+)+b"), Some("(a+)+"));
        assert_eq!(group(r"^(\w+\s?)*$"), Some(r"(\w+\s?)*"));
        assert_eq!(group(r"(.*)*x"), Some("(.*)*"));
        assert_eq!(group(r"(a|aa)+$"), Some("(a|aa)+"));
        assert_eq!(group(r"(\w|\d)+$"), Some(r"(\w|\d)+"));
        assert_eq!(group(r"x(?:(?:a+))*y"), Some("(?:(?:a+))*"));
        assert_eq!(group(r"(?x) ( a+ ) +  # comment"), Some("( a+ ) +"));
        assert_eq!(group(r"(a{2,})+"), Some("(a{2,})+"));
    }
    #[test]
    fn linear_patterns_are_clean() {
        for pattern in [
            r"[a-zA-Z0-9]{3,32}",
            r"^(\d+\.)*\d+$",
            r"(\s*,\s*)*",
            r"(a|b)+",
            r"(?>a+)+",
            r"(a++)+",
            r"(a+)?",
            r"(a+){1,3}",
            r"[(a+)+]",
            r"\(a+\)+",
            r"(ab|cd)*",
            r"a{2}+",
            r"(?=a+)+b",
            r"(?P<word>\w+)\s(?P=word)",
            r"(?:(?![ ]*$).+$\n?)*",
            r"(\w+\b)*x",
            r"((\w)+\2)*x",
            r"(unclosed",
            r"[unclosed",
            r"x{,3}",
        ] {
            assert_eq!(group(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn shortest_periods() {
        assert_eq!(shortest_period(b""), None);
        assert_eq!(shortest_period(b"a"), Some(1));
        assert_eq!(shortest_period(b"aaaa"), Some(1));
        assert_eq!(shortest_period(b"abab"), Some(2));
        assert_eq!(shortest_period(b"ababa"), Some(2));
        assert_eq!(shortest_period(b"abcab"), Some(3));
        assert_eq!(shortest_period(b"abc"), Some(3));
    }

    /// Every set of up to three words over a tiny alphabet (so repetitions are common):
    /// the one-pass answer is the answer of comparing every pair.
    #[test]
    fn one_repeats_another_agrees_with_comparing_every_pair() {
        let mut words = vec![String::new()];
        for length in 1..=4 {
            let mut more = Vec::new();
            for word in words
                .iter()
                .filter(|word| word.chars().count() == length - 1)
            {
                for c in ['a', 'b', 'é'] {
                    more.push(format!("{word}{c}"));
                }
            }
            words.extend(more);
        }
        let pairwise = |literals: &[String]| {
            literals.iter().any(|short| {
                !short.is_empty()
                    && literals.iter().any(|long| {
                        long.len() > short.len()
                            && long.len() % short.len() == 0
                            && long == &short.repeat(long.len() / short.len())
                    })
            })
        };
        let count = words.len();
        for first in 0..count {
            for second in first..count {
                for third in (second..count).step_by(7) {
                    let literals = [
                        words[first].clone(),
                        words[second].clone(),
                        words[third].clone(),
                    ];
                    assert_eq!(
                        one_repeats_another(&literals),
                        pairwise(&literals),
                        "{literals:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn many_alternatives_are_judged_without_comparing_every_pair() {
        let words: Vec<String> = (0..100_000).map(|index| format!("w{index}")).collect();
        let clean = format!("({})*x", words.join("|"));
        assert_eq!(group(&clean), None);
        let repeated = format!("({}|w7w7)*x", words.join("|"));
        assert_eq!(group(&repeated).map(str::len), Some(repeated.len() - 1));
        let characters: String = (0..100_000)
            .filter_map(|index| char::from_u32(0x2_0000 + index))
            .map(|c| format!("{c}|"))
            .collect();
        assert_eq!(group(&format!("({characters}x)*y")), None);
        assert!(group(&format!("({characters}\\w|x)*y")).is_some());
    }
}
