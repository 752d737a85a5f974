//! `pyvet rules` (a table of every rule) and `pyvet rule ID` (one rule's docs).

use std::fmt::Write as _;
use std::io::Write as _;

use pyvet::registry::{InTests, RuleMeta};
use pyvet::rules::{all_rules, find_rule};
use serde::Serialize;

use super::Status;

/// A rule as `--format json` shows it.
#[derive(Serialize)]
struct JsonRule {
    id: &'static str,
    name: &'static str,
    group: &'static str,
    severity: pyvet::Severity,
    confidence: pyvet::Confidence,
    cwe: &'static [u32],
    owasp: &'static str,
    guideline: &'static str,
    sources: Vec<JsonSource>,
    fix: &'static str,
    /// `report` or `skip`: whether the rule reports in test files by default.
    in_tests: &'static str,
    summary: String,
    docs: String,
}

#[derive(Serialize)]
struct JsonSource {
    tool: &'static str,
    id: &'static str,
}

impl JsonRule {
    fn new(meta: &'static RuleMeta) -> Self {
        Self {
            id: meta.id,
            name: meta.name,
            group: meta.group(),
            severity: meta.severity,
            confidence: meta.confidence,
            cwe: meta.cwe,
            owasp: meta.owasp.code(),
            guideline: meta.guideline,
            sources: meta
                .sources
                .iter()
                .map(|source| JsonSource {
                    tool: source.tool(),
                    id: source.code(),
                })
                .collect(),
            fix: meta.fix.as_str(),
            in_tests: meta.in_tests.as_str(),
            summary: meta.summary(),
            docs: meta.docs(),
        }
    }
}

fn print_json(value: &impl Serialize) {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    print_text(&text);
}

/// Prints without panicking when the reader has gone (`pyvet rules | head`).
fn print_text(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// `pyvet rules`: id, name, severity, fix and summary of every rule.
pub fn list(json: bool) -> Status {
    let rules: Vec<&'static RuleMeta> = all_rules().iter().map(|rule| rule.meta).collect();
    if json {
        print_json(
            &rules
                .iter()
                .map(|meta| JsonRule::new(meta))
                .collect::<Vec<_>>(),
        );
        return Status::Clean;
    }
    let header = ["ID", "NAME", "SEVERITY", "FIX", "SUMMARY"];
    let rows: Vec<[String; 5]> = rules
        .iter()
        .map(|meta| {
            [
                meta.id.to_string(),
                meta.name.to_string(),
                meta.severity.as_str().to_string(),
                meta.fix.as_str().to_string(),
                meta.summary(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut write_row = |cells: [&str; 5]| {
        let mut line = String::new();
        for (index, cell) in cells.iter().enumerate() {
            if index + 1 == cells.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ", width = widths[index]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    write_row(header);
    for row in &rows {
        write_row([&row[0], &row[1], &row[2], &row[3], &row[4]]);
    }
    print_text(&out);
    Status::Clean
}

/// `pyvet rule PV301`: the rule's metadata, then its docs.
pub fn explain(id_or_name: &str, json: bool) -> Status {
    let Some(rule) = find_rule(id_or_name) else {
        return super::usage_error(&format!(
            "unknown rule `{id_or_name}` (see `pyvet rules` for every id and name)"
        ));
    };
    if json {
        print_json(&JsonRule::new(rule.meta));
    } else {
        print_text(&render(rule.meta));
    }
    Status::Clean
}

/// How `pyvet rule` says what the rule does in test files.
fn in_tests(in_tests: InTests) -> &'static str {
    match in_tests {
        InTests::Report => "reported",
        InTests::Skip => "quiet unless --include-tests",
    }
}

fn render(meta: &RuleMeta) -> String {
    let mut out = format!("{} {}\n\n", meta.id, meta.name);
    let cwe: Vec<String> = meta.cwe.iter().map(|id| format!("CWE-{id}")).collect();
    let guideline = match pyvet::guide::section(meta.guideline) {
        Some(section) if section.title() != meta.guideline => {
            format!("{} ({})", section.title(), meta.guideline)
        }
        _ => meta.guideline.to_string(),
    };
    let mut fields = vec![
        ("Severity", meta.severity.as_str().to_string()),
        ("Confidence", meta.confidence.as_str().to_string()),
        ("CWE", cwe.join(", ")),
        (
            "OWASP",
            format!("{}:2021 {}", meta.owasp.code(), meta.owasp.title()),
        ),
        ("Guideline", guideline),
        ("Fix", meta.fix.as_str().to_string()),
        ("In tests", in_tests(meta.in_tests).to_string()),
    ];
    for (label, tool) in [("Bandit", "bandit"), ("Ruff", "ruff")] {
        let codes: Vec<&str> = meta
            .sources
            .iter()
            .filter(|source| source.tool() == tool)
            .map(|source| source.code())
            .collect();
        if !codes.is_empty() {
            fields.push((label, codes.join(", ")));
        }
    }
    for (label, value) in fields {
        let _ = writeln!(out, "{label:<12}{value}");
    }
    out.push('\n');
    out.push_str(meta.docs().trim_end());
    out.push('\n');
    out
}
