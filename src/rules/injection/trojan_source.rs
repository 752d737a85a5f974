use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{Expr, FStringPart};
use crate::parse::{Ranged, TextRange, TextSize};
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::ancestors::Node;

declare_rule! {
    /// ## What it does
    /// Flags Unicode bidirectional control characters in the source: the embeddings,
    /// overrides and isolates U+202A–U+202E and U+2066–U+2069, in strings and comments
    /// (anywhere else they are a syntax error, which the parser reports).
    ///
    /// The directional marks U+200E, U+200F and U+061C are not flagged: they only set the
    /// direction of the characters right beside them, cannot reorder a stretch of code,
    /// and right-to-left text in strings and comments needs them.
    ///
    /// ## Why is this bad?
    /// These characters change the order in which an editor, a diff or a code review shows
    /// text, not the order in which Python reads it (the "Trojan Source" attack,
    /// CVE-2021-42574). A comment can appear to close before code that is in fact inside
    /// it; a string can appear to end where it does not, so a check such as
    /// `if role != "user"` can hide the rest of a condition. A reviewer
    /// approves code that is not what runs.
    ///
    /// ## Example
    /// The code below holds the characters themselves (written with escapes in this
    /// rule's source), so a page that shows them may show it in another order than it
    /// runs: Python sees one string that ends after the second isolate, not a comment.
    /// ```python
    /// role = "user"
    #[doc = "if role != \"user\u{202E} \u{2066}# admins only\u{2069} \u{2066}\":"]
    ///     print("not an administrator")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// role = "user"
    /// if role != "user":
    ///     print("not an administrator")
    /// ```
    ///
    /// ## Fix safety
    /// Inside a string literal (not a raw one), the fix writes the character as an escape
    /// (`\u202e`): the string's value stays the same and the text shows what is there.
    /// No fix in a comment, a raw string, or a string inside an f-string's `{...}` (where
    /// Python before 3.12 allows no backslash): what the text was meant to say needs a person;
    /// delete the character once you have read the line in an editor that shows it.
    ///
    /// ## References
    /// CWE-451 · OWASP A08
    pub TROJAN_SOURCE = RuleMeta {
        id: "PV216",
        name: "trojan-source",
        severity: Severity::High,
        confidence: Confidence::Medium,
        cwe: &[451],
        owasp: Owasp::A08,
        guideline: "dependencies",
        sources: &[Source::Bandit("B613"), Source::Ruff("PLE2502")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &TROJAN_SOURCE,
    checks: &[Check::Comment(check_comment), Check::Expr(check_expr)],
    needs: &[],
};

/// The controls that reorder text, with their Unicode names.
const CONTROLS: &[(char, &str)] = &[
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
];

fn check_comment(checker: &Checker, comment: TextRange) {
    for (range, control) in controls_in(checker, comment) {
        report(checker, range, control, "a comment", false);
    }
}

/// String literals and the literal text of f-strings; the values inserted into an f-string
/// are expressions of their own, checked when the walk reaches them.
fn check_expr<'a>(checker: &Checker<'a>, expr: &'a Expr) {
    match expr {
        // Every control is encoded with a leading E2 byte in UTF-8: most literals have none.
        Expr::StringLiteral(_) | Expr::FString(_)
            if !checker.text(expr).as_bytes().contains(&0xE2) => {}
        Expr::StringLiteral(string) => {
            // Before Python 3.12, a backslash inside an f-string's `{...}` is a syntax error.
            let in_fstring = checker.ancestors().iter().any(|node| {
                matches!(node, Node::Expr(outer) if outer.is_f_string_expr() || outer.is_t_string_expr())
            });
            for part in string.value.iter() {
                let escapable = !part.flags.prefix().is_raw() && !in_fstring;
                check_string(checker, part.range, escapable, &[]);
            }
        }
        Expr::FString(fstring) => {
            for part in fstring.value.iter() {
                match part {
                    FStringPart::Literal(literal) => {
                        let escapable = !literal.flags.prefix().is_raw();
                        check_string(checker, literal.range, escapable, &[]);
                    }
                    FStringPart::FString(fstring) => {
                        let inserted: Vec<TextRange> = fstring
                            .elements
                            .interpolations()
                            .map(|interpolation| interpolation.expression.range())
                            .collect();
                        let escapable = !fstring.flags.prefix().is_raw();
                        check_string(checker, fstring.range, escapable, &inserted);
                    }
                }
            }
        }
        _ => {}
    }
}

fn check_string(checker: &Checker, part: TextRange, escapable: bool, inserted: &[TextRange]) {
    for (range, control) in controls_in(checker, part) {
        if inserted.iter().any(|value| value.contains_range(range)) {
            continue;
        }
        let escapable = escapable && !is_escaped(checker.source(), range.start());
        report(checker, range, control, "a string", escapable);
    }
}

/// Each reordering control in `range`, with its own range.
fn controls_in(checker: &Checker, range: TextRange) -> Vec<(TextRange, char)> {
    let text = checker.text(&range);
    if !text.as_bytes().contains(&0xE2) {
        return Vec::new();
    }
    text.char_indices()
        .filter(|(_, ch)| CONTROLS.iter().any(|(control, _)| control == ch))
        .filter_map(|(at, ch)| {
            let start = range.start() + TextSize::try_from(at).ok()?;
            Some((TextRange::at(start, TextSize::of(ch)), ch))
        })
        .collect()
}

/// True when an odd number of backslashes stands right before `at`: `"\<control>"` is an
/// escape (an unknown one) that an inserted `\u` escape would change.
fn is_escaped(source: &str, at: TextSize) -> bool {
    let before = &source.as_bytes()[..at.to_usize()];
    let backslashes = before
        .iter()
        .rev()
        .take_while(|byte| **byte == b'\\')
        .count();
    backslashes % 2 == 1
}

fn report(checker: &Checker, range: TextRange, control: char, place: &str, escapable: bool) {
    let name = CONTROLS
        .iter()
        .find(|(known, _)| *known == control)
        .map_or("", |(_, name)| name);
    let code = format!("U+{:04X}", u32::from(control));
    let message = format!(
        "{place} holds an invisible {code} {name}, which changes the order editors and reviews show the code in, not the order Python reads it"
    );
    let fix = escapable.then(|| {
        let escape = format!("\\u{:04x}", u32::from(control));
        Fix::safe(
            format!("Write {code} as the escape `{escape}`"),
            vec![Edit::replace(range, escape)],
        )
    });
    checker.report(Finding::new(&TROJAN_SOURCE, range, message).with_fix(fix));
}

#[cfg(test)]
mod tests {
    use crate::{analyze, Options};

    fn ranges(source: &str) -> Vec<(usize, usize)> {
        let options = Options {
            select: vec!["PV216".to_string()],
            ..Options::default()
        };
        analyze(source, &options)
            .findings
            .iter()
            .map(|finding| {
                (
                    finding.range.start().to_usize(),
                    finding.range.end().to_usize(),
                )
            })
            .collect()
    }

    #[test]
    fn each_control_is_found_at_its_exact_bytes_after_wide_characters() {
        let source = "s = \"\u{1F600}é\u{202E}x\"  # \u{2067}\n";
        let rlo = source.find('\u{202E}').unwrap();
        let rli = source.find('\u{2067}').unwrap();
        assert_eq!(ranges(source), [(rlo, rlo + 3), (rli, rli + 3)]);
    }

    #[test]
    fn a_suppression_on_an_earlier_line_does_not_hide_a_comment_further_down() {
        let source = "x = 1  # pyvet: ignore[PV216]\ny = 2\n# \u{202E}\n";
        assert_eq!(ranges(source).len(), 1);
        let suppressed = "x = 1\n# \u{202E}  # pyvet: ignore[PV216]\n";
        assert!(ranges(suppressed).is_empty());
    }
}
