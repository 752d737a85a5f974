//! `--format gitlab`: GitLab's Code Quality report (a JSON array of issues), shown on merge
//! requests. Each issue's fingerprint is unique in the report and stays the same while the
//! flagged code does, so GitLab can tell new issues from old ones.

use pyvet::Severity;
use serde_json::{json, Value};

use super::fingerprint::{fingerprint, hash_hex};
use super::{problems, Report};

pub fn report(report: &Report) -> String {
    let mut issues = Vec::new();
    let mut seen = rustc_hash::FxHashMap::<String, usize>::default();
    for file in &report.files {
        for problem in problems::of(file) {
            let code_fingerprint = match problem.finding {
                Some(finding) => fingerprint(&file.source, finding),
                None => hash_hex(&[problem.message.as_bytes()]),
            };
            // Identical statements in one file: the second one is told apart by its rank.
            let key = format!("{}\0{code_fingerprint}", file.path);
            let rank = seen.entry(key.clone()).or_default();
            *rank += 1;
            let unique = hash_hex(&[key.as_bytes(), &rank.to_le_bytes()]);
            issues.push(json!({
                "type": "issue",
                "check_name": problem.code(),
                "description": format!("{} ({}): {}", problem.code(), problem.name(), problem.message),
                "categories": ["Security"],
                "severity": severity(problem.severity()),
                "fingerprint": unique,
                "location": {
                    "path": file.path,
                    "lines": {"begin": problem.start.line, "end": problem.end.line},
                },
            }));
        }
    }
    let mut out = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    out.push('\n');
    out
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "minor",
        Severity::Medium => "major",
        Severity::High => "critical",
        Severity::Critical => "blocker",
    }
}
