//! The shapes of regular expressions that backtrack exponentially: a repeated group whose
//! only required part repeats itself (`(a+)+`, `(\w+\s?)*`, `(.*)*`), and a repeated choice
//! between alternatives that match the same text (`(a|aa)+`, `(\w|\d)*`).

use std::ops::Range;

use super::regex_reader::{CharSet, Item, Node, Reader};

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
        return singles
            .iter()
            .enumerate()
            .any(|(index, set)| singles[index + 1..].iter().any(|other| set.overlaps(other)));
    }
    let literals: Option<Vec<String>> = alternatives
        .iter()
        .map(|alternative| literal_text(alternative))
        .collect();
    literals.is_some_and(|literals| {
        literals.iter().any(|short| {
            !short.is_empty()
                && literals.iter().any(|long| {
                    long.len() > short.len()
                        && long.len() % short.len() == 0
                        && long == &short.repeat(long.len() / short.len())
                })
        })
    })
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
    use super::exponential_group;
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
}
