//! `--statistics`: how many findings of each rule, most frequent first, instead of the
//! findings themselves.

use std::fmt::Write;

use pyvet::RuleMeta;
use rustc_hash::FxHashMap as HashMap;
use serde_json::json;

use super::Report;

struct Row {
    rule: &'static RuleMeta,
    count: usize,
    fixable: usize,
}

fn rows(report: &Report) -> Vec<Row> {
    let mut by_rule: HashMap<&'static str, Row> = HashMap::default();
    for finding in report.files.iter().flat_map(|file| &file.analysis.findings) {
        let row = by_rule.entry(finding.rule.id).or_insert(Row {
            rule: finding.rule,
            count: 0,
            fixable: 0,
        });
        row.count += 1;
        row.fixable += usize::from(finding.fix.is_some());
    }
    let mut rows: Vec<Row> = by_rule.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.id.cmp(b.rule.id)));
    rows
}

fn syntax_errors(report: &Report) -> usize {
    report
        .files
        .iter()
        .map(|file| file.analysis.syntax_errors.len())
        .sum()
}

pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let rows = rows(report);
    let width = rows
        .iter()
        .map(|row| row.count.to_string().len())
        .max()
        .unwrap_or(1);
    for row in &rows {
        let fixable = if row.fixable > 0 {
            format!("  ({} with a fix)", row.fixable)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{:>width$}  {}  {:<8}  {}{fixable}",
            row.count,
            row.rule.id,
            row.rule.severity.as_str(),
            row.rule.name
        );
    }
    let errors = syntax_errors(report);
    if errors > 0 {
        let _ = writeln!(out, "{errors:>width$}  syntax errors");
    }
    if rows.is_empty() && errors == 0 {
        out.push_str("No findings.\n");
    }
    out
}

pub fn json(report: &Report) -> String {
    let rows: Vec<_> = rows(report)
        .iter()
        .map(|row| {
            json!({
                "rule_id": row.rule.id,
                "name": row.rule.name,
                "severity": row.rule.severity,
                "count": row.count,
                "fixable": row.fixable,
            })
        })
        .collect();
    let out = json!({"statistics": rows, "syntax_errors": syntax_errors(report)});
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}
