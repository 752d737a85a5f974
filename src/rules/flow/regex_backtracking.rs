use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName};

use super::regex_shape::{exponential_group, Shape};

declare_rule! {
    /// ## What it does
    /// Flags regular expressions that take exponential time on some inputs (ReDoS).
    ///
    /// Covered: patterns passed to `re` and `regex` (`compile`, `match`, `search`,
    /// `fullmatch`, `findall`, `finditer`, `sub`, `subn`, `split`) with a repeated group
    /// whose only required part repeats itself,
    /// such as `([a-z0-9]+)*`, `(\w+\s?)*` or `(.*)*`, and a repeated choice between
    /// alternatives that match the same text, such as `(a|aa)+` or `(\w|\d)*`.
    ///
    /// Groups that must consume a separator on each pass (`(\d+\.)*`), bounded repetition,
    /// atomic groups `(?>...)` and possessive quantifiers (`\w++`, Python 3.11+) are not
    /// flagged. The pattern is read from constants, also through names.
    ///
    /// ## Why is this bad?
    /// Python's `re` engine backtracks. When the text almost matches (a long run of letters
    /// followed by one character the pattern refuses), it tries every way of splitting the
    /// run between the inner and the outer repetition, and the number of ways doubles with
    /// each character: a few dozen characters hold a worker for minutes (ReDoS).
    ///
    /// ## Example
    /// ```python
    /// import re
    ///
    /// USERNAME = re.compile(r"^([a-zA-Z0-9]+)*$")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import re
    ///
    /// USERNAME = re.compile(r"[a-zA-Z0-9]{1,32}")  # used with USERNAME.fullmatch(name)
    /// ```
    ///
    /// ## References
    /// CWE-1333, CWE-400 · OWASP A04
    pub REGEX_BACKTRACKING = RuleMeta {
        id: "PV721",
        name: "regex-backtracking",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[1333, 400],
        owasp: Owasp::A04,
        guideline: "input-validation",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &REGEX_BACKTRACKING,
    checks: &[Check::Callee(check_call)],
    needs: &["re", "regex"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let semantic = checker.semantic();
    let flags_position = match function.segments() {
        ["re" | "regex", "compile" | "match" | "search" | "fullmatch" | "findall" | "finditer"] => {
            if function.segments()[1] == "compile" {
                1
            } else {
                2
            }
        }
        ["re" | "regex", "split"] => 3,
        ["re" | "regex", "sub" | "subn"] => 4,
        _ => return,
    };
    let Some(pattern_expr) = argument(call, 0, "pattern") else {
        return;
    };
    let Some(pattern) = semantic.constant_string(pattern_expr) else {
        return;
    };
    let verbose =
        argument(call, flags_position, "flags").is_some_and(|flags| is_verbose(checker, flags, 0));
    let Some((span, shape)) = exponential_group(&pattern, verbose) else {
        return;
    };
    let group: String = pattern[span].chars().take(60).collect();
    let why = match shape {
        Shape::NestedRepetition => "repeats a part that itself repeats",
        Shape::OverlappingChoice => "repeats a choice whose alternatives match the same text",
    };
    let message = format!(
        "The group `{group}` {why}, so a near-match takes exponential time to reject (ReDoS)"
    );
    checker.report(Finding::new(
        &REGEX_BACKTRACKING,
        pattern_expr.range(),
        message,
    ));
}

/// `re.VERBOSE` / `re.X`, alone or combined with `|`.
fn is_verbose<'a>(checker: &Checker<'a>, flags: &'a Expr, depth: usize) -> bool {
    match flags {
        Expr::BinOp(binop) if depth < 32 => {
            is_verbose(checker, &binop.left, depth + 1)
                || is_verbose(checker, &binop.right, depth + 1)
        }
        other => checker
            .semantic()
            .resolve_qualified_name(other)
            .is_some_and(|name| matches!(name.segments(), ["re" | "regex", "VERBOSE" | "X"])),
    }
}
