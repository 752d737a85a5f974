//! The data flow, construct by construct: each file under `tests/dataflow/` is Python with
//! every rule enabled, and each finding must be expected, with its trace when one is given.
//!
//! `# expect: PV715` covers a finding on that line (or, on a line of its own, the next line
//! of code); `# expect: PV715 trace 7>9>12` also requires the finding's trace steps to be on
//! lines 7, 9 and 12, source first. A line without an expectation must stay clean: those are
//! the constant, dead-branch, guarded and sanitised forms.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use pyvet::location::LineIndex;
use pyvet::{analyze, Options};

/// What is expected of a finding: its rule and, when given, the lines of its trace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    rule: String,
    trace: Option<Vec<usize>>,
}

fn expectations(source: &str) -> BTreeMap<usize, Vec<Expected>> {
    let mut expected: BTreeMap<usize, Vec<Expected>> = BTreeMap::new();
    let mut pending: Vec<Expected> = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let line_number = index + 1;
        let code = line.split('#').next().unwrap_or("").trim();
        let here: Vec<Expected> = line
            .find("# expect:")
            .map(|at| {
                line[at + "# expect:".len()..]
                    .split(',')
                    .filter_map(|entry| {
                        let mut words = entry.split_whitespace();
                        let rule = words.next()?.to_string();
                        let trace = match (words.next(), words.next()) {
                            (Some("trace"), Some(lines)) => Some(
                                lines
                                    .split('>')
                                    .map(|line| line.parse().expect("a trace line number"))
                                    .collect(),
                            ),
                            _ => None,
                        };
                        Some(Expected { rule, trace })
                    })
                    .collect()
            })
            .unwrap_or_default();
        if code.is_empty() {
            pending.extend(here);
            continue;
        }
        let entry = expected.entry(line_number).or_default();
        entry.append(&mut pending);
        entry.extend(here);
    }
    expected.retain(|_, all| !all.is_empty());
    for all in expected.values_mut() {
        all.sort();
    }
    expected
}

fn check(path: &Path) -> Vec<String> {
    let source = fs::read_to_string(path).expect("read the fixture");
    let lines = LineIndex::new(&source);
    let line_of = |offset| lines.char_position(offset).line;
    let mut expected = expectations(&source);
    let mut found: BTreeMap<usize, Vec<(String, Vec<usize>)>> = BTreeMap::new();
    let analysis = analyze(&source, &Options::default());
    let mut problems: Vec<String> = analysis
        .syntax_errors
        .iter()
        .map(|error| format!("{}: syntax error: {}", path.display(), error.message))
        .collect();
    for finding in analysis.findings {
        let trace = finding
            .trace
            .iter()
            .map(|step| line_of(step.range.start()))
            .collect();
        found
            .entry(line_of(finding.range.start()))
            .or_default()
            .push((finding.rule.id.to_string(), trace));
    }
    for (line, findings) in &found {
        let wanted = expected.remove(line).unwrap_or_default();
        let mut left = wanted.clone();
        for (rule, trace) in findings {
            let matching = left.iter().position(|expected| {
                expected.rule == *rule && expected.trace.as_ref().is_none_or(|lines| lines == trace)
            });
            match matching {
                Some(at) => {
                    left.remove(at);
                }
                None => problems.push(format!(
                    "{}:{line}: found {rule} (trace {trace:?}), expected {wanted:?}",
                    path.display()
                )),
            }
        }
        for missing in left {
            problems.push(format!(
                "{}:{line}: expected {missing:?}, found {findings:?}",
                path.display()
            ));
        }
    }
    for (line, missing) in expected {
        problems.push(format!(
            "{}:{line}: expected {missing:?}, found nothing",
            path.display()
        ));
    }
    problems
}

#[test]
fn every_construct_is_followed_both_ways() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dataflow");
    let mut paths: Vec<_> = fs::read_dir(&folder)
        .expect("the dataflow fixtures")
        .map(|entry| entry.expect("a fixture").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "py"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "the fixtures are missing");
    let problems: Vec<String> = paths.iter().flat_map(|path| check(path)).collect();
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn expectations_read_traces() {
    let expected = expectations("a()  # expect: PV715 trace 3>4, PV001\n# expect: PV002\nb()\n");
    assert_eq!(
        expected.get(&1).unwrap(),
        &[
            Expected {
                rule: "PV001".into(),
                trace: None
            },
            Expected {
                rule: "PV715".into(),
                trace: Some(vec![3, 4])
            },
        ]
    );
    assert_eq!(expected.get(&3).unwrap()[0].rule, "PV002");
}

#[test]
fn messages_name_the_source_and_the_helpers_in_words() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dataflow/helpers.py");
    let source = fs::read_to_string(path).expect("read the fixture");
    let messages: Vec<String> = analyze(&source, &Options::default())
        .findings
        .into_iter()
        .map(|finding| finding.message)
        .collect();
    assert!(
        messages.iter().any(|message| message
            .ends_with("; the data comes from `request.args` on line 31, through `report_path`")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|message| message
            .ends_with("; the data comes from `request.args` on line 129, through `build_query`")),
        "{messages:#?}"
    );
}
