//! `--format sarif`: SARIF 2.1.0, for code-scanning services. Columns are counted in
//! Unicode characters (`columnKind: unicodeCodePoints`), like the rest of the CLI.

use pyvet::location::{LineColumn, LineIndex};
use pyvet::parse::TextRange;
use pyvet::registry::RuleMeta;
use pyvet::{Finding, Severity};
use serde_json::{json, Value};

use super::Report;

pub fn report(report: &Report) -> String {
    let rules: Vec<&'static RuleMeta> = pyvet::rules::all_rules()
        .iter()
        .map(|rule| rule.meta)
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for file in &report.files {
        let lines = LineIndex::new(&file.source);
        let uri = uri(&file.path);
        for finding in &file.analysis.findings {
            let index = rules.iter().position(|meta| meta.id == finding.rule.id);
            results.push(result(finding, index, &uri, &lines));
        }
        for error in &file.analysis.syntax_errors {
            notifications.push(json!({
                "level": "error",
                "message": {"text": format!("Syntax error: {}", error.message)},
                "locations": [location(&uri, &lines, error.range)],
            }));
        }
    }
    for error in &report.read_errors {
        notifications.push(json!({
            "level": "error",
            "message": {"text": error.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&error.path)}}}],
        }));
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pyvet",
                "version": pyvet::VERSION,
                "rules": rules.iter().map(|meta| rule(meta)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [{
                "executionSuccessful": report.read_errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
        }],
    });
    let mut text = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    text.push('\n');
    text
}

fn rule(meta: &RuleMeta) -> Value {
    let mut tags = vec!["security".to_string()];
    tags.extend(meta.cwe.iter().map(|id| format!("external/cwe/cwe-{id}")));
    tags.push(format!(
        "external/owasp/{}",
        meta.owasp.code().to_lowercase()
    ));
    json!({
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.summary()},
        "help": {"text": meta.docs(), "markdown": meta.docs()},
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": {
            "tags": tags,
            "precision": meta.confidence.as_str(),
            "security-severity": security_severity(meta.severity),
        },
    })
}

fn result(finding: &Finding, rule_index: Option<usize>, uri: &str, lines: &LineIndex) -> Value {
    let mut result = json!({
        "ruleId": finding.rule.id,
        "level": level(finding.severity()),
        "message": {"text": finding.message},
        "locations": [location(uri, lines, finding.range)],
        "properties": {
            "confidence": finding.confidence.as_str(),
            // What this finding found, the most specific weakness first (the rule's tags
            // list every weakness the rule can find).
            "tags": finding.cwe.iter().map(|id| format!("external/cwe/cwe-{id}")).collect::<Vec<_>>(),
        },
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if !finding.trace.is_empty() {
        let steps: Vec<Value> = finding
            .trace
            .iter()
            .map(|step| {
                let mut location = match &step.elsewhere {
                    // A step in another file of the project: a caller in another module.
                    Some(place) => json!({"physicalLocation": {
                        "artifactLocation": {"uri": self::uri(&place.path)},
                        "region": span(place.start, place.end),
                    }}),
                    None => location(uri, lines, step.range),
                };
                location["message"] = json!({"text": step.message});
                json!({"location": location})
            })
            .collect();
        result["codeFlows"] = json!([{"threadFlows": [{"locations": steps}]}]);
    }
    if let Some(fix) = &finding.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": region(lines, edit.range),
                    "insertedContent": {"text": edit.content},
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": {"text": format!("{} ({})", fix.title, fix.applicability.as_str())},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
        }]);
    }
    result
}

fn location(uri: &str, lines: &LineIndex, range: TextRange) -> Value {
    json!({"physicalLocation": {
        "artifactLocation": {"uri": uri},
        "region": region(lines, range),
    }})
}

fn region(lines: &LineIndex, range: TextRange) -> Value {
    span(
        lines.char_position(range.start()),
        lines.char_position(range.end()),
    )
}

fn span(start: LineColumn, end: LineColumn) -> Value {
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// The CVSS-like score code-scanning services sort by.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// A URI for a path (relative stays relative): `/` separators, other reserved bytes escaped.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut uri = String::with_capacity(path.len());
    if path.starts_with('/') {
        uri.push_str("file://");
    }
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}
