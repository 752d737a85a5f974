//! Suppression comments: `# pyvet: ignore[PV201]`, `# nosec B608`, `# noqa: S608`.
//!
//! A suppression applies to a finding when it sits on any physical line of the statement
//! the finding is in (a compound statement's header only). Comments come from the parser's
//! tokens, so `"# nosec"` inside a string is text, not a suppression.

use std::collections::HashMap;

use crate::diagnostic::Finding;
use crate::location::LineIndex;
use crate::parse::TextRange;
use crate::registry::{RuleMeta, Source};

/// What one comment suppresses.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Suppression {
    /// `# pyvet: ignore` or a bare `# nosec`: every rule.
    All,
    /// `# pyvet: ignore[PV201, sql-string-query]`: pyvet ids or names.
    Pyvet(Vec<String>),
    /// `# nosec B608`: Bandit test ids, mapped through each rule's sources.
    Bandit(Vec<String>),
    /// `# noqa: S608`: Ruff codes, mapped through each rule's sources.
    Ruff(Vec<String>),
}

impl Suppression {
    fn covers(&self, rule: &RuleMeta) -> bool {
        let listed = |codes: &[String], code: &str| codes.iter().any(|listed| listed == code);
        match self {
            Suppression::All => true,
            Suppression::Pyvet(codes) => codes
                .iter()
                .any(|code| code.eq_ignore_ascii_case(rule.id) || code == rule.name),
            Suppression::Bandit(codes) => rule
                .sources
                .iter()
                .any(|source| matches!(source, Source::Bandit(code) if listed(codes, code))),
            Suppression::Ruff(codes) => rule
                .sources
                .iter()
                .any(|source| matches!(source, Source::Ruff(code) if listed(codes, code))),
        }
    }
}

/// Drops the findings a comment suppresses.
pub fn filter_suppressed(
    findings: &mut Vec<Finding>,
    source: &str,
    comments: &[TextRange],
    lines: &LineIndex,
) {
    let mut by_line: Vec<(usize, Suppression)> = Vec::new();
    for comment in comments {
        let text = source
            .get(comment.start().to_usize()..comment.end().to_usize())
            .unwrap_or("");
        let line = lines.line_of(comment.start());
        by_line.extend(
            parse_comment(text)
                .into_iter()
                .map(|suppression| (line, suppression)),
        );
    }
    if by_line.is_empty() {
        return;
    }
    // Comments come in source order, so `by_line` is sorted by line: each finding looks only
    // at the comments on its own lines, and findings of one rule in one statement share the
    // answer (a long statement full of comments and findings stays linear, not quadratic).
    let mut answers: HashMap<(usize, usize, &'static str), bool> = HashMap::new();
    findings.retain(|finding| {
        let first = lines.line_of(finding.statement.start().min(finding.range.start()));
        let last = lines.line_of(finding.statement.end().max(finding.range.start()));
        let suppressed = *answers
            .entry((first, last, finding.rule.id))
            .or_insert_with(|| {
                let from = by_line.partition_point(|(line, _)| *line < first);
                by_line[from..]
                    .iter()
                    .take_while(|(line, _)| *line <= last)
                    .any(|(_, suppression)| suppression.covers(finding.rule))
            });
        !suppressed
    });
}

/// Every suppression in one comment (`# noqa: E501  # nosec` holds one).
fn parse_comment(comment: &str) -> Vec<Suppression> {
    let mut found = Vec::new();
    for part in comment
        .split('#')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        let lower = part.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("pyvet:") {
            let rest = rest.trim_start();
            if let Some(codes) = rest.strip_prefix("ignore") {
                let codes = codes.trim_start();
                found.push(match codes.strip_prefix('[') {
                    Some(list) => {
                        Suppression::Pyvet(codes_in(list.split(']').next().unwrap_or("")))
                    }
                    None => Suppression::All,
                });
            }
        } else if let Some(rest) = lower.strip_prefix("nosec") {
            let codes = codes_in(rest.trim_start_matches(':'));
            let codes: Vec<String> = codes
                .into_iter()
                .filter(|code| is_bandit_code(code))
                .collect();
            found.push(if codes.is_empty() {
                Suppression::All
            } else {
                Suppression::Bandit(codes)
            });
        } else if let Some(rest) = lower.strip_prefix("noqa") {
            // A bare `# noqa` is about other linters' rules; only named codes reach pyvet.
            if let Some(list) = rest.trim_start().strip_prefix(':') {
                found.push(Suppression::Ruff(codes_in(list)));
            }
        }
    }
    found
}

fn codes_in(list: &str) -> Vec<String> {
    list.split([',', ' ', '\t'])
        .map(str::trim)
        .take_while(|code| !code.starts_with("--"))
        .filter(|code| !code.is_empty())
        // ids and codes compare in upper case; kebab-case rule names as written
        .map(|code| {
            if code.contains('-') {
                code.to_string()
            } else {
                code.to_ascii_uppercase()
            }
        })
        .collect()
}

fn is_bandit_code(code: &str) -> bool {
    code.len() == 4 && code.starts_with('B') && code[1..].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_comment_style() {
        assert_eq!(parse_comment("# pyvet: ignore"), [Suppression::All]);
        assert_eq!(
            parse_comment("# pyvet: ignore[PV201, sql-string-query]"),
            [Suppression::Pyvet(vec![
                "PV201".into(),
                "sql-string-query".into()
            ])]
        );
        assert_eq!(parse_comment("# nosec"), [Suppression::All]);
        assert_eq!(
            parse_comment("# nosec B608"),
            [Suppression::Bandit(vec!["B608".into()])]
        );
        assert_eq!(
            parse_comment("# nosec: B602, B603 -- reviewed"),
            [Suppression::Bandit(vec!["B602".into(), "B603".into()])]
        );
        assert_eq!(
            parse_comment("# noqa: S608"),
            [Suppression::Ruff(vec!["S608".into()])]
        );
        assert_eq!(parse_comment("# noqa"), []);
        assert_eq!(
            parse_comment("# noqa: E501  # nosec"),
            [Suppression::Ruff(vec!["E501".into()]), Suppression::All]
        );
        assert_eq!(parse_comment("# a note about security"), []);
    }
}
