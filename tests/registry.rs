//! The registry keeps itself honest: unique ids and names, complete docs, real guideline
//! sections, every rule file registered, and a README table that matches.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use pyvet::registry::FixAvailability;
use pyvet::rules::all_rules;

#[test]
fn ids_and_names_are_unique_and_well_formed() {
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for rule in all_rules() {
        let meta = rule.meta;
        assert!(ids.insert(meta.id), "duplicate rule id {}", meta.id);
        assert!(names.insert(meta.name), "duplicate rule name {}", meta.name);
        assert!(
            meta.id.len() == 5
                && meta.id.starts_with("PV")
                && meta.id[2..].chars().all(|c| c.is_ascii_digit()),
            "rule id {} is not PV + 3 digits",
            meta.id
        );
        assert!(
            meta.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "rule name {} is not kebab-case",
            meta.name
        );
        assert!(!meta.cwe.is_empty(), "{} names no CWE", meta.id);
    }
}

#[test]
fn every_rule_has_its_doc_sections() {
    for rule in all_rules() {
        let meta = rule.meta;
        let mut required = vec![
            "What it does",
            "Why is this bad?",
            "Example",
            "Use instead",
            "References",
        ];
        if meta.fix != FixAvailability::None {
            required.push("Fix safety");
        }
        for heading in required {
            let section = meta.doc_section(heading);
            assert!(
                section.is_some_and(|text| !text.trim().is_empty()),
                "{} is missing the doc section `## {heading}`",
                meta.id
            );
        }
    }
}

#[test]
fn every_guideline_section_exists() {
    for rule in all_rules() {
        assert!(
            pyvet::guide::section(rule.meta.guideline).is_some(),
            "{} points at the unknown guideline section `{}`",
            rule.meta.id,
            rule.meta.guideline
        );
    }
}

#[test]
fn every_rule_file_is_registered() {
    let registered: HashSet<&str> = all_rules().iter().map(|rule| rule.meta.id).collect();
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut declared = 0;
    for group in fs::read_dir(&rules_dir).unwrap() {
        let group = group.unwrap().path();
        if !group.is_dir() {
            continue;
        }
        for file in fs::read_dir(&group).unwrap() {
            let file = file.unwrap().path();
            let text = fs::read_to_string(&file).unwrap();
            for block in text.split("declare_rule!").skip(1) {
                let id = block
                    .split("id: \"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .unwrap_or_else(|| panic!("{}: a declare_rule! without an id", file.display()));
                declared += 1;
                assert!(
                    registered.contains(id),
                    "{id} is declared in {} but not registered in its group's mod.rs",
                    file.display()
                );
                let group_name = group.file_name().unwrap().to_str().unwrap();
                let rule = pyvet::rules::find_rule(id).unwrap();
                assert_eq!(
                    rule.meta.group(),
                    group_name,
                    "{id} lives in the wrong folder"
                );
            }
        }
    }
    assert_eq!(
        declared,
        registered.len(),
        "a registered rule is declared outside src/rules/<group>/"
    );
}

#[test]
fn readme_rule_table_is_current() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = fs::read_to_string(&readme_path).unwrap();
    let table = pyvet::registry::readme_table();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = readme.find(start).expect("README has a rules:start marker") + start.len();
    let to = readme.find(end).expect("README has a rules:end marker");
    if readme[from..to] != table {
        if std::env::var_os("PYVET_BLESS").is_some() {
            let updated = format!("{}{}{}", &readme[..from], table, &readme[to..]);
            fs::write(&readme_path, updated).unwrap();
            return;
        }
        panic!("the README's rule table is stale: run `PYVET_BLESS=1 cargo test --test registry`");
    }
}

/// Bandit 1.9.4's checks: its plugins, then its call and import blacklists.
const BANDIT_CHECKS: &[u32] = &[
    101, 102, 103, 104, 105, 106, 107, 108, 110, 112, 113, 201, 202, 324, 501, 502, 503, 504, 505,
    506, 507, 508, 509, 601, 602, 603, 604, 605, 606, 607, 608, 609, 610, 611, 612, 613, 614, 615,
    701, 702, 703, 704, 301, 302, 303, 304, 305, 306, 307, 308, 310, 311, 312, 313, 314, 315, 316,
    317, 318, 319, 321, 323, 401, 402, 403, 404, 405, 406, 407, 408, 409, 411, 412, 413, 415,
];

#[test]
fn every_bandit_check_is_covered_or_left_out_with_a_reason() {
    assert_eq!(BANDIT_CHECKS.len(), 75);
    let covered: HashSet<String> = all_rules()
        .iter()
        .flat_map(|rule| rule.meta.sources)
        .filter(|source| source.tool() == "bandit")
        .map(|source| source.code().to_string())
        .collect();
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let heading = "### Bandit checks pyvet leaves out\n";
    let section = &readme[readme
        .find(heading)
        .expect("the README lists the checks left out")..];
    let section = &section[heading.len()
        ..section[heading.len()..]
            .find("\n#")
            .map_or(section.len(), |end| end + heading.len())];
    let left_out: Vec<&str> = section
        .lines()
        .filter_map(|line| line.strip_prefix("- "))
        .collect();
    let mut problems = Vec::new();
    for check in BANDIT_CHECKS {
        let code = format!("B{check}");
        let reasons = left_out
            .iter()
            .filter(|line| line.starts_with(&format!("{code} ")))
            .count();
        match (covered.contains(&code), reasons) {
            (true, 0) | (false, 1) => {}
            (true, _) => problems.push(format!("{code} is covered by a rule and also left out")),
            (false, 0) => problems.push(format!("{code} is neither covered nor left out")),
            (false, _) => problems.push(format!("{code} is left out more than once")),
        }
    }
    for line in &left_out {
        let reason = line.split_once(": ").map_or("", |(_, reason)| reason);
        if reason.len() < 20 {
            problems.push(format!("no reason given: {line}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    let covered_count = BANDIT_CHECKS
        .iter()
        .filter(|check| covered.contains(&format!("B{check}")))
        .count();
    assert!(
        covered_count >= 55,
        "only {covered_count} of Bandit's checks are covered"
    );
}

#[test]
fn test_code_runs_only_the_rules_that_report_in_tests() {
    // Unpickling the request body is known to be hostile (high confidence), so it counts in
    // a test too; `payload` of unknown origin is the test's own there.
    let source = "import requests\nimport pickle\nfrom flask import request\n\n\
                  def test_fetch(payload):\n    \
                  requests.get(\"http://example.com/\")\n    \
                  pickle.loads(payload)\n    \
                  return pickle.loads(request.data)\n";
    let ids = |test_code: bool| -> Vec<&'static str> {
        let options = pyvet::Options {
            test_code,
            ..pyvet::Options::default()
        };
        pyvet::analyze(source, &options)
            .findings
            .iter()
            .map(|finding| finding.rule.id)
            .collect()
    };
    assert_eq!(ids(false), ["PV602", "PV606", "PV302", "PV302"]);
    assert_eq!(ids(true), ["PV302"]);
    let enabled = pyvet::Options {
        test_code: true,
        ..pyvet::Options::default()
    }
    .enabled_rules();
    assert!(enabled
        .iter()
        .all(|rule| rule.meta.in_tests == pyvet::InTests::Report));
}

/// A test file's PEM keys are fixtures (a module-level constant, as signing tests keep
/// them); a vendor token beside them still counts, and the same module outside tests
/// reports both.
#[test]
fn test_files_keep_private_keys_as_fixtures() {
    let source = "KEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----\n\
                  yiRUIQfHOJMaidDn87XG3/q/xbMtEPO6UkzYuF0ie9Pu2njHkAm1\n\
                  -----END RSA PRIVATE KEY-----\"\"\"\n\
                  TOKEN = \"ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\"\n";
    let lines = |test_code: bool| -> Vec<usize> {
        let options = pyvet::Options {
            test_code,
            select: vec!["PV103".to_string()],
            ..pyvet::Options::default()
        };
        let index = pyvet::location::LineIndex::new(source);
        pyvet::analyze(source, &options)
            .findings
            .iter()
            .map(|finding| index.char_position(finding.range.start()).line)
            .collect()
    };
    assert_eq!(lines(false), [1, 4]);
    assert_eq!(lines(true), [4]);
}

/// A test's Jinja2 environment that renders nothing (handed to filter functions) builds no
/// page; the same module outside tests, or one that renders through it, is reported (in a
/// test file only at high confidence, which a template of unknown origin is not).
#[test]
fn test_files_leave_environments_that_render_nothing() {
    let handed_on = "from jinja2 import Environment\n\
                     env = Environment()\n\
                     def test_unique():\n    assert unique(env, [1, 1]) == [1]\n";
    let rendering = "from jinja2 import Environment\n\
                     env = Environment()\n\
                     def test_page(name):\n    return env.from_string(name).render()\n";
    let count = |source: &str, test_code: bool| {
        let options = pyvet::Options {
            test_code,
            select: vec!["PV704".to_string()],
            ..pyvet::Options::default()
        };
        pyvet::analyze(source, &options).findings.len()
    };
    assert_eq!(count(handed_on, true), 0);
    assert_eq!(count(handed_on, false), 1);
    assert_eq!(count(rendering, false), 1);
    assert_eq!(count(rendering, true), 0);
}

/// The README lists the rules quiet in tests, each with the reason; the list must be the
/// registry's.
#[test]
fn readme_lists_the_rules_quiet_in_tests() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("The rules quiet in tests, and why:")
        .expect("README lists the rules quiet in tests");
    // The list is the paragraph after the heading line.
    let list = &readme[start..];
    let list = &list[list.find("\n\n").unwrap() + 2..];
    let list = &list[..list.find("\n\n").unwrap_or(list.len())];
    let mut listed: Vec<&str> = list
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| word.len() == 5 && word.starts_with("PV"))
        .collect();
    listed.sort_unstable();
    let mut quiet: Vec<&str> = all_rules()
        .iter()
        .filter(|rule| rule.meta.in_tests == pyvet::InTests::Skip)
        .map(|rule| rule.meta.id)
        .collect();
    quiet.sort_unstable();
    assert_eq!(listed, quiet);
}
