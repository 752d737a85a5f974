//! `--format json`: the CLI JSON contract of DESIGN.md. Positions are 1-based lines and
//! columns counted in characters; `end` is the position just after the range.

use std::path::Path;

use pyvet::location::{LineColumn, LineIndex};
use pyvet::parse::TextRange;
use pyvet::{Applicability, Confidence, Finding, Severity};
use serde::Serialize;

use super::Report;

#[derive(Serialize)]
struct Output<'a> {
    version: &'static str,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'static str,
    name: &'static str,
    path: &'a str,
    severity: Severity,
    confidence: Confidence,
    cwe: &'static [u32],
    owasp: &'static str,
    message: &'a str,
    guideline: &'static str,
    range: JsonRange,
    fix: Option<JsonFix<'a>>,
    trace: Vec<JsonStep<'a>>,
}

#[derive(Serialize)]
struct JsonRange {
    start: LineColumn,
    end: LineColumn,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    range: JsonRange,
    content: &'a str,
}

#[derive(Serialize)]
struct JsonStep<'a> {
    /// Only for a step in another file than the finding's (a caller in another module).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    message: &'a str,
    range: JsonRange,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    message: &'a str,
    /// `null` when the file could not be read at all.
    range: Option<JsonRange>,
}

fn range(lines: &LineIndex, range: TextRange) -> JsonRange {
    JsonRange {
        start: lines.char_position(range.start()),
        end: lines.char_position(range.end()),
    }
}

fn finding<'a>(path: &'a str, lines: &LineIndex, finding: &'a Finding) -> JsonFinding<'a> {
    JsonFinding {
        rule_id: finding.rule.id,
        name: finding.rule.name,
        path,
        severity: finding.severity(),
        confidence: finding.confidence,
        cwe: finding.cwe,
        owasp: finding.rule.owasp.code(),
        message: &finding.message,
        guideline: finding.rule.guideline,
        range: range(lines, finding.range),
        fix: finding.fix.as_ref().map(|fix| JsonFix {
            title: &fix.title,
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    range: range(lines, edit.range),
                    content: &edit.content,
                })
                .collect(),
        }),
        trace: finding
            .trace
            .iter()
            .map(|step| match &step.elsewhere {
                Some(place) => JsonStep {
                    path: Some(&place.path),
                    message: &step.message,
                    range: JsonRange {
                        start: place.start,
                        end: place.end,
                    },
                },
                None => JsonStep {
                    path: None,
                    message: &step.message,
                    range: range(lines, step.range),
                },
            })
            .collect(),
    }
}

pub fn report(report: &Report) -> String {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for file in &report.files {
        if file.analysis.findings.is_empty() && file.analysis.syntax_errors.is_empty() {
            continue;
        }
        let lines = LineIndex::new(&file.source);
        findings.extend(
            file.analysis
                .findings
                .iter()
                .map(|item| finding(&file.path, &lines, item)),
        );
        errors.extend(file.analysis.syntax_errors.iter().map(|error| JsonError {
            path: &file.path,
            message: &error.message,
            range: Some(range(&lines, error.range)),
        }));
    }
    errors.extend(report.read_errors.iter().map(|error| JsonError {
        path: &error.path,
        message: &error.message,
        range: None,
    }));
    // Files come sorted; errors of unreadable paths join them by path (first for their path).
    errors.sort_by(|a, b| {
        let position = |error: &JsonError| {
            error
                .range
                .as_ref()
                .map(|range| (range.start.line, range.start.column))
        };
        Path::new(a.path)
            .cmp(Path::new(b.path))
            .then(position(a).cmp(&position(b)))
    });
    let output = Output {
        version: pyvet::VERSION,
        findings,
        errors,
    };
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
