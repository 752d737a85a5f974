//! Every rule's fixture, checked both ways: each finding needs an `# expect:` and each
//! `# expect:` needs a finding. Then its fixes, when it has a `.fixed.py`, and its docs.
//!
//! A trailing `# expect: PV201[, PV202]` covers findings that start on that line; on a line
//! of its own it covers the next line of code.
//!
//! `PYVET_BLESS=1 cargo test --test fixtures` rewrites each `.fixed.py` from the current fixes:
//! read the diff before committing it.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use pyvet::rules::{all_rules, Rule};
use pyvet::{analyze, apply_fixes, Applicability, FixSelection, Options};

#[path = "support/fixture_files.rs"]
mod fixture_files;
use fixture_files::{fixture_path, only};

/// Expected rule ids by 1-based line.
fn expectations(source: &str) -> BTreeMap<usize, Vec<String>> {
    let mut expected: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut pending: Vec<String> = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let line_number = index + 1;
        let trimmed = line.trim_start();
        let ids = line
            .find("# expect:")
            .map(|at| {
                line[at + "# expect:".len()..]
                    .split(['#'])
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(|id| id.trim().to_string())
                    .filter(|id| !id.is_empty())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        if trimmed.starts_with('#') {
            pending.extend(ids);
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        let entry = expected.entry(line_number).or_default();
        entry.append(&mut pending);
        entry.extend(ids);
    }
    expected.retain(|_, ids| !ids.is_empty());
    expected
}

fn found(source: &str, options: &Options) -> BTreeMap<usize, Vec<String>> {
    let lines = pyvet::location::LineIndex::new(source);
    let mut found: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for finding in analyze(source, options).findings {
        let line = lines.char_position(finding.range.start()).line;
        found
            .entry(line)
            .or_default()
            .push(finding.rule.id.to_string());
    }
    found
}

fn check_expectations(rule: &Rule, path: &Path, source: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expected = expectations(source);
    expected.iter_mut().for_each(|(_, ids)| {
        ids.retain(|id| id == rule.meta.id);
        ids.sort();
    });
    expected.retain(|_, ids| !ids.is_empty());
    let mut actual = found(source, &only(rule));
    actual.iter_mut().for_each(|(_, ids)| ids.sort());
    for (line, ids) in &actual {
        if expected.get(line) != Some(ids) {
            problems.push(format!(
                "{}:{line}: found {ids:?}, expected {:?}",
                path.display(),
                expected.get(line).cloned().unwrap_or_default()
            ));
        }
    }
    for (line, ids) in &expected {
        if !actual.contains_key(line) {
            problems.push(format!(
                "{}:{line}: expected {ids:?}, found nothing",
                path.display()
            ));
        }
    }
    problems
}

fn check_fixes(rule: &Rule, path: &Path, source: &str) -> Vec<String> {
    let fixed_path = path.with_extension("fixed.py");
    if std::env::var_os("PYVET_BLESS").is_some()
        && rule.meta.fix != pyvet::registry::FixAvailability::None
    {
        let outcome = apply_fixes(source, &only(rule), &FixSelection::All, true);
        fs::write(&fixed_path, outcome.source).expect("write the blessed .fixed.py");
    }
    let Ok(expected) = fs::read_to_string(&fixed_path) else {
        if rule.meta.fix != pyvet::registry::FixAvailability::None {
            return vec![format!(
                "{} declares a fix but {} is missing",
                rule.meta.id,
                fixed_path.display()
            )];
        }
        return Vec::new();
    };
    let mut problems = Vec::new();
    let options = only(rule);
    let outcome = apply_fixes(source, &options, &FixSelection::All, true);
    if outcome.source != expected {
        let actual_path = path.with_extension("actual.py");
        fs::write(&actual_path, &outcome.source).ok();
        problems.push(format!(
            "{}: fixed output differs from {} (written to {})",
            rule.meta.id,
            fixed_path.display(),
            actual_path.display()
        ));
    }
    let again = analyze(&outcome.source, &options);
    if !again.syntax_errors.is_empty() && analyze(source, &options).syntax_errors.is_empty() {
        problems.push(format!(
            "{}: the fixed output does not parse: {:?}",
            rule.meta.id, again.syntax_errors
        ));
    }
    for finding in &again.findings {
        let applicable = finding
            .fix
            .as_ref()
            .is_some_and(|fix| fix.applicability != Applicability::DisplayOnly);
        if applicable {
            let line = pyvet::location::LineIndex::new(&outcome.source)
                .char_position(finding.range.start())
                .line;
            problems.push(format!(
                "{}: still fires with a fix after fixing, line {line}",
                rule.meta.id
            ));
        }
    }
    let before = analyze(source, &options)
        .findings
        .iter()
        .filter(|finding| {
            finding
                .fix
                .as_ref()
                .is_none_or(|fix| fix.applicability == Applicability::DisplayOnly)
        })
        .count();
    if again.findings.len() != before {
        problems.push(format!(
            "{}: {} findings after fixing, but only {before} had no fix to apply",
            rule.meta.id,
            again.findings.len()
        ));
    }
    let twice = apply_fixes(&outcome.source, &options, &FixSelection::All, true);
    if twice.source != outcome.source {
        problems.push(format!(
            "{}: a second fix pass changed the file",
            rule.meta.id
        ));
    }
    problems
}

fn check_docs(rule: &Rule) -> Vec<String> {
    let mut problems = Vec::new();
    let options = only(rule);
    match rule.meta.doc_code("Example") {
        Some(code) if !analyze(&code, &options).findings.is_empty() => {}
        Some(_) => problems.push(format!("{}: the docs' Example does not fire", rule.meta.id)),
        None => problems.push(format!("{}: the docs have no Example code", rule.meta.id)),
    }
    match rule.meta.doc_code("Use instead") {
        Some(code) if analyze(&code, &options).findings.is_empty() => {}
        Some(_) => problems.push(format!("{}: the docs' Use instead fires", rule.meta.id)),
        None => problems.push(format!(
            "{}: the docs have no Use instead code",
            rule.meta.id
        )),
    }
    problems
}

#[test]
fn every_rule_matches_its_fixture_fixes_and_docs() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let path = fixture_path(rule);
        let Ok(source) = fs::read_to_string(&path) else {
            problems.push(format!(
                "{}: missing fixture {}",
                rule.meta.id,
                path.display()
            ));
            continue;
        };
        problems.extend(check_expectations(rule, &path, &source));
        problems.extend(check_fixes(rule, &path, &source));
        problems.extend(check_docs(rule));
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn expectations_read_trailing_and_own_line_comments() {
    let source = "a()  # expect: PV001\n# expect: PV002, PV003\n\nb(\n  c)\nd()\n";
    let expected = expectations(source);
    assert_eq!(expected.get(&1).unwrap(), &["PV001"]);
    assert_eq!(expected.get(&4).unwrap(), &["PV002", "PV003"]);
    assert_eq!(expected.len(), 2);
}
