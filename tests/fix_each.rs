//! Every fix in every rule's fixture, applied one at a time and all together, must leave
//! code a reviewer would accept: it parses, the fixed finding is gone, no finding appears
//! that was not there, every name the fix writes is bound to what it means at that place,
//! applying one fix changes only its own edits, and a second round of fixes changes nothing.
//!
//! tests/fixtures.rs compares each fixture's fixed text with its `.fixed.py`; this file
//! checks the properties that hold for any text, fix by fix.

use std::collections::BTreeMap;
use std::fs;

use pyvet::fix::apply_edits;
use pyvet::fix::names::misbound_names;
use pyvet::location::LineIndex;
use pyvet::parse::{TextRange, TextSize};
use pyvet::rules::{all_rules, Rule};
use pyvet::{analyze, apply_fixes, Applicability, Edit, Finding, FixSelection, Options};

#[path = "support/fixture_files.rs"]
mod fixture_files;
use fixture_files::{fixture_path, only};

/// Where `offset` of the text before `edits` is in the text after them.
fn shifted(edits: &[&Edit], offset: TextSize) -> TextSize {
    let mut moved = i64::from(u32::from(offset));
    for edit in edits {
        if edit.range.end() <= offset {
            moved += edit.content.len() as i64 - i64::from(u32::from(edit.range.len()));
        } else if edit.range.start() < offset {
            // Inside a replaced range: the finding starts where the new text does.
            moved = i64::from(u32::from(shifted(edits, edit.range.start())));
            break;
        }
    }
    TextSize::try_from(moved.max(0) as usize).unwrap_or(offset)
}

/// The ranges the edits' new text takes in the text after them: each starts where the
/// edits before it (not an insertion at the same offset itself) have moved its start.
fn written(edits: &[&Edit]) -> Vec<TextRange> {
    edits
        .iter()
        .enumerate()
        .map(|(index, edit)| {
            let start = shifted(&edits[..index], edit.range.start());
            TextRange::at(start, TextSize::try_from(edit.content.len()).unwrap())
        })
        .collect()
}

/// Findings as (rule, start) with how many there are of each.
fn counted(
    findings: impl IntoIterator<Item = (&'static str, TextSize)>,
) -> BTreeMap<(&'static str, TextSize), usize> {
    let mut counts = BTreeMap::new();
    for key in findings {
        *counts.entry(key).or_default() += 1;
    }
    counts
}

/// How many times each (name, problem) occurs among the misbound names of a whole text.
fn misbound_counts(source: &str) -> BTreeMap<(String, &'static str), usize> {
    let whole = TextRange::up_to(TextSize::try_from(source.len()).unwrap());
    let mut counts = BTreeMap::new();
    for problem in misbound_names(source, &[whole]) {
        *counts.entry((problem.name, problem.problem)).or_default() += 1;
    }
    counts
}

/// The problems of one fix, applied alone to `source`.
fn check_one_fix(
    rule: &Rule,
    source: &str,
    index: usize,
    finding: &Finding,
    all_before: &[Finding],
) -> Vec<String> {
    let fix = finding
        .fix
        .as_ref()
        .expect("only findings with a fix are checked");
    let lines = LineIndex::new(source);
    let line = lines.char_position(finding.range.start()).line;
    let at = format!(
        "{} line {line} ({:?} fix \"{}\")",
        rule.meta.id, fix.applicability, fix.title
    );
    let mut edits: Vec<&Edit> = fix.edits.iter().collect();
    edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    let fixed = apply_edits(source, &edits);
    let mut problems = Vec::new();

    if fix.edits.is_empty() {
        // Advice in words ("store the data as JSON"): nothing to apply.
        if fix.applicability == Applicability::DisplayOnly {
            return Vec::new();
        }
        return vec![format!("{at}: a fix to apply without edits")];
    }
    let before_parses = pyvet::parse::parse_module(source).errors.is_empty();
    if before_parses && !pyvet::parse::parse_module(&fixed).errors.is_empty() {
        return vec![format!("{at}: the fixed text does not parse:\n{fixed}")];
    }

    // The fixed finding is gone and nothing new appears, with every rule enabled.
    let before = counted(
        all_before
            .iter()
            .map(|found| (found.rule.id, shifted(&edits, found.range.start()))),
    );
    let after_analysis = analyze(&fixed, &Options::default());
    let after = counted(
        after_analysis
            .findings
            .iter()
            .map(|found| (found.rule.id, found.range.start())),
    );
    // With every rule, another rule's finding can stand in for this one (`urlopen` of
    // request data is reported as SSRF, not as an unchecked scheme): then it is judged with
    // its rule alone.
    let own = (finding.rule.id, shifted(&edits, finding.range.start()));
    let own_count = |text: &str, at: TextSize| {
        analyze(text, &only(rule))
            .findings
            .iter()
            .filter(|found| found.rule.id == finding.rule.id && found.range.start() == at)
            .count()
    };
    let still_there = match before.get(&own) {
        Some(_) => after.get(&own) >= before.get(&own),
        None => own_count(&fixed, own.1) >= own_count(source, finding.range.start()),
    };
    if still_there {
        problems.push(format!("{at}: the finding is still there after its fix"));
    }
    for (key, count) in &after {
        if before.get(key).copied().unwrap_or(0) < *count {
            let line = LineIndex::new(&fixed).char_position(key.1).line;
            problems.push(format!(
                "{at}: a new {} finding on line {line} of the fixed text",
                key.0
            ));
        }
    }

    // Names the fix brings in; one it only moves (`payload` in `yaml.load(payload)` →
    // `yaml.safe_load(payload)`) means what it meant before.
    let replaced: Vec<&str> = edits
        .iter()
        .flat_map(|edit| source[edit.range].split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .collect();
    for name in misbound_names(&fixed, &written(&edits)) {
        if !replaced.contains(&name.name.as_str()) {
            problems.push(format!("{at}: `{}` {}", name.name, name.problem));
        }
    }

    // What the playground's "apply this fix" does: only this fix's edits. Display-only
    // fixes are never applied.
    if fix.applicability != Applicability::DisplayOnly {
        let applied = apply_fixes(
            source,
            &only(rule),
            &FixSelection::Findings(vec![index]),
            true,
        );
        if applied.source != fixed {
            problems.push(format!(
                "{at}: applying this one fix changes more than its edits"
            ));
        }
    }
    problems
}

/// The problems of every fix of the fixture applied together, with `options`.
fn check_all_together(label: &str, source: &str, options: &Options) -> Vec<String> {
    let outcome = apply_fixes(source, options, &FixSelection::All, true);
    let mut problems = Vec::new();
    if pyvet::parse::parse_module(source).errors.is_empty()
        && !pyvet::parse::parse_module(&outcome.source)
            .errors
            .is_empty()
    {
        return vec![format!(
            "{label}: all fixes together give text that does not parse"
        )];
    }
    let again = apply_fixes(&outcome.source, options, &FixSelection::All, true);
    if again.source != outcome.source {
        problems.push(format!("{label}: a second round of fixes changes the text"));
    }
    let before = misbound_counts(source);
    for ((name, problem), count) in misbound_counts(&outcome.source) {
        if before.get(&(name.clone(), problem)).copied().unwrap_or(0) < count {
            problems.push(format!("{label}: after all fixes, `{name}` {problem}"));
        }
    }
    problems
}

#[test]
fn every_fix_alone_and_all_together_leaves_right_code() {
    let mut problems = Vec::new();
    let mut fixes = 0;
    for rule in all_rules() {
        let Ok(source) = fs::read_to_string(fixture_path(rule)) else {
            continue; // tests/fixtures.rs reports a missing fixture
        };
        let all_before = analyze(&source, &Options::default()).findings;
        let own = analyze(&source, &only(rule)).findings;
        for (index, finding) in own.iter().enumerate() {
            if finding.fix.is_some() {
                fixes += 1;
                problems.extend(check_one_fix(rule, &source, index, finding, &all_before));
            }
        }
        problems.extend(check_all_together(
            &format!("{} alone", rule.meta.id),
            &source,
            &only(rule),
        ));
        problems.extend(check_all_together(
            &format!("{}'s fixture with every rule", rule.meta.id),
            &source,
            &Options::default(),
        ));
    }
    assert!(
        fixes > 300,
        "only {fixes} fixes in the fixtures: is the fixture folder there?"
    );
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn a_fix_that_reads_a_hidden_module_is_caught() {
    // The check itself: an edit that writes `os.environ` where `os` is a parameter.
    let source = "import os\n\ndef connect(os):\n    return 'key'\n";
    let at = TextSize::try_from(source.find("'key'").unwrap()).unwrap();
    let edit = Edit::replace(TextRange::at(at, TextSize::from(5)), "os.environ['KEY']");
    let fixed = apply_edits(source, &[&edit]);
    let problems = misbound_names(&fixed, &written(&[&edit]));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].name, "os");
}

/// Issue 13's bar: at least 85% of all rules fix what they flag (with edits) in their own
/// fixture, and every rule that declares a fix shows one there.
#[test]
fn most_rules_fix_what_they_flag() {
    let mut with_edits = 0;
    let mut problems = Vec::new();
    for rule in all_rules() {
        let source = fs::read_to_string(fixture_path(rule)).unwrap_or_default();
        let fixes = analyze(&source, &only(rule))
            .findings
            .into_iter()
            .filter(|finding| {
                finding
                    .fix
                    .as_ref()
                    .is_some_and(|fix| !fix.edits.is_empty())
            })
            .count();
        let declared = rule.meta.fix != pyvet::registry::FixAvailability::None;
        match (declared, fixes > 0) {
            (true, true) => with_edits += 1,
            (true, false) => problems.push(format!(
                "{} declares a fix but its fixture shows none",
                rule.meta.id
            )),
            (false, true) => problems.push(format!(
                "{} fixes its fixture but declares no fix",
                rule.meta.id
            )),
            (false, false) => {}
        }
    }
    let total = all_rules().len();
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(
        with_edits * 100 >= total * 85,
        "{with_edits} of {total} rules have a fix with edits: fewer than 85%"
    );
}
