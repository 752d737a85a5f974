//! A file's findings and syntax errors as one list in source order, with their positions
//! worked out, for the report formats that treat both alike (GitHub, GitLab, JUnit).

use pyvet::location::{LineColumn, LineIndex};
use pyvet::{Finding, Severity};

use super::FileReport;

pub struct Problem<'a> {
    /// `None` for a syntax error.
    pub finding: Option<&'a Finding>,
    pub message: &'a str,
    /// 1-based, columns in characters; `end` is just after the range.
    pub start: LineColumn,
    pub end: LineColumn,
}

impl Problem<'_> {
    /// The rule id, or `syntax-error`.
    pub fn code(&self) -> &'static str {
        self.finding
            .map_or("syntax-error", |finding| finding.rule.id)
    }

    /// The rule's name, or `syntax-error`.
    pub fn name(&self) -> &'static str {
        self.finding
            .map_or("syntax-error", |finding| finding.rule.name)
    }

    /// A syntax error counts as high: the code after it may not have been checked.
    pub fn severity(&self) -> Severity {
        self.finding.map_or(Severity::High, Finding::severity)
    }
}

pub fn of(file: &FileReport) -> Vec<Problem<'_>> {
    let lines = LineIndex::new(&file.source);
    let findings = file.analysis.findings.iter().map(|finding| Problem {
        finding: Some(finding),
        message: &finding.message,
        start: lines.char_position(finding.range.start()),
        end: lines.char_position(finding.range.end()),
    });
    let errors = file.analysis.syntax_errors.iter().map(|error| Problem {
        finding: None,
        message: &error.message,
        start: lines.char_position(error.range.start()),
        end: lines.char_position(error.range.end()),
    });
    let mut problems: Vec<Problem> = findings.chain(errors).collect();
    problems.sort_by_key(|problem| {
        (
            problem.start.line,
            problem.start.column,
            problem.end.line,
            problem.end.column,
        )
    });
    problems
}
