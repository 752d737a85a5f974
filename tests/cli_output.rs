//! `pyvet check` for CI: the baseline, the `github`, `gitlab` and `junit` formats,
//! `--statistics`, `--exit-zero` and `--output`, through the real binary.

#![cfg(feature = "cli")]

#[path = "support/cli_run.rs"]
mod cli_run;

use cli_run::{assert_usage_error, project, pyvet, read, Run};
use serde_json::Value;

const YAML_LOAD: &str = "import yaml\n\nconfig = yaml.load(data)\n";
const TWO: &str =
    "import marshal\nimport yaml\n\nconfig = yaml.load(data)\ncode = marshal.loads(data)\n";

fn reported_lines(run: &Run) -> Vec<(String, u64)> {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["rule_id"].as_str().unwrap().to_string(),
                finding["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_baseline_hides_known_findings_even_when_the_code_moves() {
    let dir = project(&[("app.py", TWO.as_bytes())]);
    let write = pyvet(
        dir.path(),
        &["check", "--write-baseline", "pyvet-baseline.json"],
    );
    assert_eq!(write.code, 0, "{}", write.stderr);
    assert!(write
        .stderr
        .contains("Wrote 2 findings to pyvet-baseline.json."));
    let baseline = read(&dir, "pyvet-baseline.json");
    // Readable and sorted: path, rule, fingerprint, and the code it stands for.
    let entries: Value = serde_json::from_str(&baseline).unwrap();
    let rules: Vec<&str> = entries["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["PV301", "PV303"]);
    assert!(
        baseline.contains("\"code\": \"yaml.load(data)\""),
        "{baseline}"
    );
    assert!(!baseline.contains("line"), "no line numbers: {baseline}");

    let known = pyvet(dir.path(), &["check", "--baseline", "pyvet-baseline.json"]);
    assert_eq!(known.code, 0, "{}", known.stdout);
    assert!(known
        .stderr
        .contains("2 findings in the baseline not shown."));

    // The same code moved down, into a function, beside a new finding.
    let moved = "import marshal\nimport yaml\n\n\ndef load(data):\n    \"\"\"Loads.\"\"\"\n    \
                 code = marshal.loads(data)\n    config = yaml.load(data)\n    \
                 again = yaml.load(other)\n";
    std::fs::write(dir.path().join("app.py"), moved).unwrap();
    let run = pyvet(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "pyvet-baseline.json",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(reported_lines(&run), [("PV301".to_string(), 9)]);

    // A fixed finding leaves the baseline when it is written again.
    let fixed = "import marshal\n\ncode = marshal.loads(data)\n";
    std::fs::write(dir.path().join("app.py"), fixed).unwrap();
    let rewrite = pyvet(
        dir.path(),
        &["check", "--write-baseline", "pyvet-baseline.json"],
    );
    assert_eq!(rewrite.code, 0);
    let rewritten = read(&dir, "pyvet-baseline.json");
    assert!(!rewritten.contains("PV301"), "{rewritten}");
    assert!(rewritten.contains("PV303"), "{rewritten}");
}

#[test]
fn a_baseline_counts_identical_statements_and_works_from_another_folder() {
    let twice = "import yaml\n\na = yaml.load(data)\na = yaml.load(data)\n";
    let dir = project(&[("src/app.py", twice.as_bytes())]);
    let write = pyvet(dir.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(write.code, 0);
    // A third copy is new; the paths are relative to the baseline file, not to where
    // pyvet runs.
    let thrice = format!("{twice}a = yaml.load(data)\n");
    std::fs::write(dir.path().join("src/app.py"), thrice).unwrap();
    let run = pyvet(
        &dir.path().join("src"),
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "../baseline.json",
            "app.py",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(reported_lines(&run), [("PV301".to_string(), 5)]);
}

#[test]
fn a_bad_baseline_is_a_usage_error() {
    let dir = project(&[("app.py", YAML_LOAD.as_bytes()), ("bad.json", b"[1, 2]")]);
    let missing = pyvet(dir.path(), &["check", "--baseline", "missing.json"]);
    assert_usage_error(&missing, "cannot read the baseline missing.json");
    let bad = pyvet(dir.path(), &["check", "--baseline", "bad.json"]);
    assert_usage_error(&bad, "not a pyvet baseline");
}

#[test]
fn github_format_prints_escaped_annotations() {
    let source = "import yaml\n\nconfig = yaml.load(data)\n";
    let dir = project(&[("dir,with:odd%/app.py", source.as_bytes())]);
    let run = pyvet(dir.path(), &["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=dir%2Cwith%3Aodd%25/app.py,line=3,col=10,endLine=3,endColumn=25,\
         title=PV301 (unsafe-yaml-load)::`yaml.load` without a loader can build arbitrary \
         Python objects\n"
    );
    let broken = project(&[("broken.py", b"def f(:\n")]);
    let run = pyvet(broken.path(), &["check", "--format", "github"]);
    assert!(
        run.stdout.starts_with("::error file=broken.py,line=1,"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("title=syntax-error (syntax-error)::"));
}

#[test]
fn gitlab_format_is_code_quality_json_with_stable_unique_fingerprints() {
    let twice = "import yaml\n\na = yaml.load(data)\na = yaml.load(data)\n";
    let dir = project(&[("app.py", twice.as_bytes())]);
    let run = pyvet(dir.path(), &["check", "--format", "gitlab"]);
    assert_eq!(run.code, 1);
    let issues = run.json();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0]["check_name"], "PV301");
    assert_eq!(issues[0]["severity"], "critical");
    assert_eq!(issues[0]["location"]["path"], "app.py");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 3);
    assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
    // Lines added above change no fingerprint.
    std::fs::write(dir.path().join("app.py"), format!("\n\n{twice}")).unwrap();
    let moved = pyvet(dir.path(), &["check", "--format", "gitlab"]).json();
    assert_eq!(moved[0]["location"]["lines"]["begin"], 5);
    assert_eq!(moved[0]["fingerprint"], issues[0]["fingerprint"]);
    assert_eq!(moved[1]["fingerprint"], issues[1]["fingerprint"]);
}

#[test]
fn junit_format_has_a_suite_per_file_and_a_failure_per_finding() {
    let dir = project(&[
        ("app.py", b"import yaml\nx = yaml.load(\"<a & b>\")\n"),
        ("clean.py", b"x = 1\n"),
    ]);
    let run = pyvet(dir.path(), &["check", "--format", "junit"]);
    assert_eq!(run.code, 1);
    let xml = run.stdout;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pyvet\" tests=\"2\" failures=\"1\" errors=\"0\">"), "{xml}");
    assert!(xml.contains("<testsuite name=\"app.py\" tests=\"1\" failures=\"1\">"));
    assert!(xml.contains("<failure type=\"PV301\""));
    assert!(xml.contains("<testsuite name=\"clean.py\" tests=\"1\" failures=\"0\">"));
    assert_eq!(
        xml.matches("<testcase").count(),
        xml.matches("</testcase>").count() + 1
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = project(&[("a.py", TWO.as_bytes()), ("b.py", YAML_LOAD.as_bytes())]);
    let run = pyvet(dir.path(), &["check", "--statistics"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(lines[0].starts_with("2  PV301  high") && lines[0].contains("unsafe-yaml-load"));
    assert!(lines[1].starts_with("1  PV303  medium") && lines[1].contains("marshal-load"));
    let json = pyvet(dir.path(), &["check", "--statistics", "--format", "json"]).json();
    assert_eq!(json["statistics"][0]["rule_id"], "PV301");
    assert_eq!(json["statistics"][0]["count"], 2);
    let sarif = pyvet(dir.path(), &["check", "--statistics", "--format", "sarif"]);
    assert_usage_error(&sarif, "`--statistics` prints text or JSON");
}

#[test]
fn exit_zero_and_output_file() {
    let dir = project(&[("app.py", YAML_LOAD.as_bytes())]);
    let run = pyvet(
        dir.path(),
        &[
            "check",
            "--exit-zero",
            "--format",
            "json",
            "--output",
            "report.json",
        ],
    );
    assert_eq!(run.code, 0);
    assert!(run.stdout.is_empty());
    let report: Value = serde_json::from_str(&read(&dir, "report.json")).unwrap();
    assert_eq!(report["findings"][0]["rule_id"], "PV301");
    // An unreadable path still fails the run.
    let missing = pyvet(dir.path(), &["check", "--exit-zero", "missing.py"]);
    assert_usage_error(&missing, "missing.py: No such file or directory");
    let nowhere = pyvet(dir.path(), &["check", "--output", "no/such/folder/r.txt"]);
    assert_usage_error(&nowhere, "cannot write no/such/folder/r.txt");
}
