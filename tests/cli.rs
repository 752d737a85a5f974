//! The `pyvet` binary, run for real on temporary files. The cases use PV301
//! (`unsafe-yaml-load`) so they stay stable as rules are added.

#![cfg(feature = "cli")]

#[path = "support/cli_run.rs"]
mod cli_run;

use cli_run::{paths_of, project, pyvet, pyvet_with_stdin, read};
use serde_json::Value;

const YAML_LOAD: &str = "import yaml\n\nconfig = yaml.load(data)\n";
const CLEAN: &str = "x = 1\n";

#[test]
fn exit_status_is_0_clean_1_findings_2_errors() {
    let dir = project(&[
        ("clean.py", CLEAN.as_bytes()),
        ("bad.py", YAML_LOAD.as_bytes()),
    ]);
    let clean = pyvet(dir.path(), &["check", "clean.py"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert_eq!(clean.stdout, "No findings.\n");
    assert_eq!(pyvet(dir.path(), &["check", "bad.py"]).code, 1);
    assert_eq!(pyvet(dir.path(), &["check"]).code, 1, "defaults to `.`");
    let missing = pyvet(dir.path(), &["check", "clean.py", "missing.py"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("missing.py: No such file or directory"),
        "{}",
        missing.stderr
    );
    assert_eq!(pyvet(dir.path(), &["check", "--no-such-flag"]).code, 2);
    assert_eq!(
        pyvet(dir.path(), &["check", "--min-severity", "huge"]).code,
        2
    );
}

#[test]
fn json_report_matches_the_contract() {
    let dir = project(&[("app.py", YAML_LOAD.as_bytes())]);
    let run = pyvet(dir.path(), &["check", "--format", "json", "app.py"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    let keys = |value: &Value| {
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&json), ["errors", "findings", "version"]);
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["errors"], serde_json::json!([]));
    let finding = &json["findings"][0];
    assert_eq!(
        keys(finding),
        [
            "confidence",
            "cwe",
            "fix",
            "guideline",
            "message",
            "name",
            "owasp",
            "path",
            "range",
            "rule_id",
            "severity",
            "trace"
        ]
    );
    assert_eq!(finding["rule_id"], "PV301");
    assert_eq!(finding["name"], "unsafe-yaml-load");
    assert_eq!(finding["path"], "app.py");
    assert_eq!(finding["severity"], "high");
    assert_eq!(finding["confidence"], "high");
    assert_eq!(finding["cwe"], serde_json::json!([502]));
    assert_eq!(finding["owasp"], "A08");
    assert_eq!(finding["guideline"], "deserialization");
    assert!(finding["message"].as_str().unwrap().contains("yaml.load"));
    let call = serde_json::json!({
        "start": {"line": 3, "column": 10},
        "end": {"line": 3, "column": 25}
    });
    assert_eq!(finding["range"], call);
    assert_eq!(finding["trace"], serde_json::json!([]));
    assert_eq!(finding["fix"]["title"], "Use `yaml.safe_load`");
    assert_eq!(finding["fix"]["applicability"], "unsafe");
    assert_eq!(
        finding["fix"]["edits"],
        serde_json::json!([{"range": call, "content": "yaml.safe_load(data)"}])
    );

    let clean = pyvet(
        dir.path(),
        &["check", "--format", "json", "--ignore", "PV301"],
    );
    assert_eq!(clean.code, 0);
    assert_eq!(clean.json()["findings"], serde_json::json!([]));
}

#[test]
fn unreadable_and_non_utf8_files_are_errors_and_the_rest_is_still_checked() {
    let dir = project(&[
        ("src/good.py", YAML_LOAD.as_bytes()),
        ("src/latin1.py", b"# caf\xe9\nimport yaml\n"),
    ]);
    let run = pyvet(
        dir.path(),
        &["check", "--format", "json", "src", "missing.py"],
    );
    assert_eq!(run.code, 2);
    let json = run.json();
    assert_eq!(paths_of(&json, "findings"), ["src/good.py"]);
    assert_eq!(paths_of(&json, "errors"), ["missing.py", "src/latin1.py"]);
    for error in json["errors"].as_array().unwrap() {
        assert_eq!(error["range"], Value::Null);
    }
    let latin1 = json["errors"][1]["message"].as_str().unwrap();
    assert!(
        latin1.contains("UTF-8") && latin1.contains("line 1"),
        "{latin1}"
    );

    let text = pyvet(dir.path(), &["check", "src"]);
    assert_eq!(text.code, 2);
    assert!(text.stdout.contains("src/good.py:3:10: PV301"));
    assert!(text.stderr.contains("src/latin1.py: Not valid UTF-8"));
}

#[cfg(unix)]
#[test]
fn a_broken_link_in_a_folder_is_an_error_and_the_rest_is_still_checked() {
    let dir = project(&[("src/good.py", YAML_LOAD.as_bytes())]);
    std::os::unix::fs::symlink("gone.py", dir.path().join("src/broken.py")).unwrap();
    std::os::unix::fs::symlink("good.py", dir.path().join("src/linked.py")).unwrap();
    let run = pyvet(dir.path(), &["check", "--format", "json", "src"]);
    assert_eq!(run.code, 2);
    let json = run.json();
    assert_eq!(
        paths_of(&json, "findings"),
        ["src/good.py", "src/linked.py"]
    );
    assert_eq!(paths_of(&json, "errors"), ["src/broken.py"]);
    assert_eq!(json["errors"][0]["range"], Value::Null);
    assert_eq!(json["errors"][0]["message"], "No such file or directory");
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[
        ("locked.py", CLEAN.as_bytes()),
        ("open.py", YAML_LOAD.as_bytes()),
    ]);
    let locked = dir.path().join("locked.py");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        return; // Running as root: permissions do not stop reading.
    }
    let run = pyvet(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(run.code, 2);
    let json = run.json();
    assert_eq!(paths_of(&json, "errors"), ["locked.py"]);
    assert_eq!(paths_of(&json, "findings"), ["open.py"]);
}

#[test]
fn a_syntax_error_is_reported_with_its_range_and_exits_1() {
    let dir = project(&[("broken.py", b"x = (\n")]);
    let run = pyvet(dir.path(), &["check", "--format", "json", "broken.py"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["findings"], serde_json::json!([]));
    let error = &json["errors"][0];
    assert_eq!(error["path"], "broken.py");
    assert!(!error["message"].as_str().unwrap().is_empty());
    assert!(error["range"]["start"]["line"].as_u64().unwrap() >= 1);

    let text = pyvet(dir.path(), &["check", "broken.py"]);
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains("broken.py:"), "{}", text.stdout);
    assert!(text.stdout.contains("syntax error"), "{}", text.stdout);
}

#[test]
fn findings_are_still_reported_next_to_a_syntax_error() {
    let source = "import yaml\nyaml.load(data)\ndef broken(:\n    pass\n";
    let dir = project(&[("partial.py", source.as_bytes())]);
    let json = pyvet(dir.path(), &["check", "--format", "json", "partial.py"]).json();
    assert_eq!(json["findings"][0]["rule_id"], "PV301");
    assert_eq!(json["errors"][0]["range"]["start"]["line"], 3);
}

#[test]
fn stdin_is_reported_as_dash() {
    let dir = project(&[]);
    let run = pyvet_with_stdin(
        dir.path(),
        &["check", "--format", "json", "-"],
        Some(YAML_LOAD.as_bytes()),
    );
    assert_eq!(run.code, 1);
    assert_eq!(paths_of(&run.json(), "findings"), ["-"]);

    let named = pyvet_with_stdin(
        dir.path(),
        &["check", "--stdin-filename", "app/config.py", "-"],
        Some(YAML_LOAD.as_bytes()),
    );
    assert!(named.stdout.starts_with("app/config.py:3:10: PV301 [high]"));

    let clean = pyvet_with_stdin(dir.path(), &["check", "-"], Some(CLEAN.as_bytes()));
    assert_eq!((clean.code, clean.stdout.as_str()), (0, "No findings.\n"));

    let mixed = pyvet_with_stdin(dir.path(), &["check", "-", "x.py"], Some(b""));
    assert_eq!(mixed.code, 2);
}

#[test]
fn stdin_with_fix_prints_the_fixed_source() {
    let dir = project(&[]);
    let run = pyvet_with_stdin(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "-"],
        Some(YAML_LOAD.as_bytes()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "import yaml\n\nconfig = yaml.safe_load(data)\n");
    assert!(run.stderr.contains("Fixed 1 finding in 1 file."));
}

#[test]
fn folders_skip_virtualenvs_hidden_and_vendored_folders() {
    let vulnerable = YAML_LOAD.as_bytes();
    let dir = project(&[
        ("app/main.py", vulnerable),
        ("app/nested/deep.py", vulnerable),
        ("app/notes.txt", vulnerable),
        ("app/script", vulnerable),
        (".venv/lib/site.py", vulnerable),
        ("venv/lib/site.py", vulnerable),
        ("env-with-cfg/pyvenv.cfg", b"home = /usr/bin\n"),
        ("env-with-cfg/lib/site.py", vulnerable),
        ("node_modules/pkg/x.py", vulnerable),
        ("app/__pycache__/x.py", vulnerable),
        (".hidden/x.py", vulnerable),
        (".git/hooks/x.py", vulnerable),
        ("generated/x.py", vulnerable),
        (".gitignore", b"generated/\n"),
    ]);
    let run = pyvet(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        paths_of(&run.json(), "findings"),
        ["app/main.py", "app/nested/deep.py"]
    );
    // Named explicitly, a skipped folder or a file of any extension is checked.
    let explicit = pyvet(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            ".venv",
            "app/script",
            "./app/main.py",
            "app",
        ],
    );
    assert_eq!(
        paths_of(&explicit.json(), "findings"),
        [
            ".venv/lib/site.py",
            "app/main.py",
            "app/nested/deep.py",
            "app/script"
        ]
    );
}

#[test]
fn output_is_sorted_and_the_same_on_one_thread_or_many() {
    let mut files: Vec<(String, String)> = Vec::new();
    for index in 0..30 {
        let lines = "\n".repeat(index % 4);
        files.push((
            format!("pkg{}/m{index}.py", index % 3),
            format!("import yaml\n{lines}yaml.load(a)\nyaml.unsafe_load(b)\n"),
        ));
    }
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(path, content)| (path.as_str(), content.as_bytes()))
        .collect();
    let dir = project(&borrowed);
    let single = pyvet(dir.path(), &["check", "--threads", "1", "--format", "json"]);
    let many = pyvet(dir.path(), &["check", "--threads", "4", "--format", "json"]);
    assert_eq!(single.stdout, many.stdout);
    let findings = single.json()["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 60);
    let keys: Vec<(std::path::PathBuf, u64)> = findings
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().into(),
                finding["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn fix_applies_safe_fixes_only_unless_unsafe_fixes_is_given() {
    let dir = project(&[("app.py", YAML_LOAD.as_bytes())]);
    // PV301's fix is unsafe: `--fix` alone changes nothing.
    let safe_only = pyvet(dir.path(), &["check", "--fix", "app.py"]);
    assert_eq!(safe_only.code, 1);
    assert_eq!(read(&dir, "app.py"), YAML_LOAD);
    assert!(safe_only
        .stdout
        .ends_with("Found 1 finding in 1 file (1 fixable with --fix --unsafe-fixes).\n"));

    let fixed = pyvet(dir.path(), &["check", "--fix", "--unsafe-fixes", "app.py"]);
    assert_eq!(fixed.code, 0, "{}", fixed.stdout);
    assert_eq!(fixed.stdout, "Fixed 1 finding in 1 file.\nNo findings.\n");
    assert_eq!(
        read(&dir, "app.py"),
        "import yaml\n\nconfig = yaml.safe_load(data)\n"
    );

    let again = pyvet(dir.path(), &["check", "--fix", "--unsafe-fixes", "app.py"]);
    assert_eq!((again.code, again.stdout.as_str()), (0, "No findings.\n"));
}

#[test]
fn fix_reports_what_is_left() {
    // A home-made loader class cannot be rewritten safely: the finding stays.
    let source = "import yaml\nclass Custom(yaml.Loader):\n    pass\nyaml.load(a)\nyaml.load(b, Loader=Custom)\n";
    let dir = project(&[("app.py", source.as_bytes())]);
    let run = pyvet(
        dir.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "json",
            "app.py",
        ],
    );
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["findings"].as_array().unwrap().len(), 1);
    assert_eq!(json["findings"][0]["range"]["start"]["line"], 5);
    assert_eq!(json["findings"][0]["fix"]["applicability"], "display-only");
    assert_eq!(
        read(&dir, "app.py"),
        "import yaml\nclass Custom(yaml.Loader):\n    pass\nyaml.safe_load(a)\nyaml.load(b, Loader=Custom)\n"
    );
}

#[test]
fn fix_leaves_files_with_syntax_errors_alone() {
    let source = "import yaml\nyaml.load(a)\ndef broken(:\n";
    let dir = project(&[("app.py", source.as_bytes())]);
    let run = pyvet(dir.path(), &["check", "--fix", "--unsafe-fixes", "app.py"]);
    assert_eq!(run.code, 1);
    assert_eq!(read(&dir, "app.py"), source);
}

#[test]
fn diff_shows_the_changes_and_writes_nothing() {
    let dir = project(&[
        ("app.py", YAML_LOAD.as_bytes()),
        ("clean.py", CLEAN.as_bytes()),
    ]);
    let run = pyvet(dir.path(), &["check", "--diff", "--unsafe-fixes"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "--- app.py\n+++ app.py\n@@ -1,3 +1,3 @@\n import yaml\n \n-config = yaml.load(data)\n+config = yaml.safe_load(data)\n"
    );
    assert!(run.stderr.contains("Would fix 1 finding in 1 file."));
    assert_eq!(read(&dir, "app.py"), YAML_LOAD);

    // Without `--unsafe-fixes` there is nothing `--fix` would do.
    let safe_only = pyvet(dir.path(), &["check", "--diff"]);
    assert_eq!((safe_only.code, safe_only.stdout.as_str()), (0, ""));

    assert_eq!(pyvet(dir.path(), &["check", "--diff", "--fix"]).code, 2);
    assert_eq!(
        pyvet(dir.path(), &["check", "--diff", "--format", "json"]).code,
        2
    );
}

#[test]
fn select_and_ignore_take_ids_prefixes_names_and_groups() {
    let dir = project(&[("app.py", YAML_LOAD.as_bytes())]);
    for selector in ["PV301", "pv3", "unsafe-yaml-load", "deserialization", "ALL"] {
        assert_eq!(
            pyvet(dir.path(), &["check", "--select", selector]).code,
            1,
            "--select {selector}"
        );
        assert_eq!(
            pyvet(dir.path(), &["check", "--ignore", selector]).code,
            0,
            "--ignore {selector}"
        );
    }
    let list = pyvet(dir.path(), &["check", "--select", "PV301,deserialization"]);
    assert_eq!(list.code, 1);
    let unknown = pyvet(dir.path(), &["check", "--select", "PV301,nonsense"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown rule selector `nonsense`"));
    assert_eq!(pyvet(dir.path(), &["check", "--ignore", "PV999"]).code, 2);
    assert_eq!(
        pyvet(dir.path(), &["check", "--min-severity", "critical"]).code,
        0
    );
    assert_eq!(
        pyvet(dir.path(), &["check", "--min-severity", "high"]).code,
        1
    );
}

#[test]
fn columns_count_characters_after_non_ascii_text() {
    let source = "import yaml\ns = \"é😀\"; yaml.load(s)\n";
    let dir = project(&[("app.py", source.as_bytes())]);
    let run = pyvet(dir.path(), &["check", "--format", "json", "app.py"]);
    let range = &run.json()["findings"][0]["range"];
    assert_eq!(range["start"], serde_json::json!({"line": 2, "column": 11}));
    assert_eq!(range["end"], serde_json::json!({"line": 2, "column": 23}));
    let text = pyvet(dir.path(), &["check", "app.py"]);
    assert!(
        text.stdout.starts_with("app.py:2:11: PV301"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_byte_order_mark_is_not_a_column_and_survives_fixing() {
    let source = "\u{feff}import yaml; yaml.load(s)\n";
    let dir = project(&[("app.py", source.as_bytes())]);
    let text = pyvet(dir.path(), &["check", "app.py"]);
    assert!(
        text.stdout.starts_with("app.py:1:14: PV301"),
        "{}",
        text.stdout
    );
    pyvet(dir.path(), &["check", "--fix", "--unsafe-fixes", "app.py"]);
    assert_eq!(
        read(&dir, "app.py"),
        "\u{feff}import yaml; yaml.safe_load(s)\n"
    );
}

#[test]
fn text_report() {
    let dir = project(&[
        (
            "app/loader.py",
            b"import yaml\n\ndef load(path):\n    with open(path) as f:\n        return yaml.load(f, Loader=yaml.Loader)\n",
        ),
        (
            "app/multi.py",
            b"import yaml as y\ndocs = y.load_all(\n    stream,\n    y.FullLoader,\n)\n",
        ),
        ("app/clean.py", CLEAN.as_bytes()),
        ("broken.py", b"import yaml\nyaml.load(x)\nif True\n    pass\n"),
        ("tabs.py", b"import yaml\nif x:\n\tx = yaml.load(x)\n"),
    ]);
    let run = pyvet(dir.path(), &["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn text_report_colours_only_when_asked() {
    let dir = project(&[("app.py", YAML_LOAD.as_bytes())]);
    assert!(!pyvet(dir.path(), &["check"]).stdout.contains('\x1b'));
    let coloured = pyvet(dir.path(), &["check", "--color", "always"]);
    assert!(coloured.stdout.contains('\x1b'));
}

#[test]
fn sarif_report() {
    let dir = project(&[("my app.py", YAML_LOAD.as_bytes())]);
    let run = pyvet(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let sarif = run.json();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["name"], "pyvet");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "PV301");
    assert_eq!(result["level"], "error");
    let rule_index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][rule_index]["id"], "PV301");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "my%20app.py");
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(location["region"]["startColumn"], 10);
}

#[test]
fn rules_lists_every_rule() {
    let dir = project(&[]);
    let run = pyvet(dir.path(), &["rules"]);
    assert_eq!(run.code, 0);
    let mut lines = run.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["ID", "NAME", "SEVERITY", "FIX", "SUMMARY"]);
    let pv301 = lines.find(|line| line.starts_with("PV301")).unwrap();
    let cells: Vec<&str> = pv301.split_whitespace().take(4).collect();
    assert_eq!(cells, ["PV301", "unsafe-yaml-load", "high", "sometimes"]);
    assert!(pv301.contains("Flags YAML loading"));

    let json = pyvet(dir.path(), &["rules", "--format", "json"]).json();
    let rule = json
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["id"] == "PV301")
        .unwrap();
    assert_eq!(rule["name"], "unsafe-yaml-load");
    assert_eq!(rule["cwe"], serde_json::json!([502]));
    assert_eq!(
        rule["sources"],
        serde_json::json!([{"tool": "bandit", "id": "B506"}, {"tool": "ruff", "id": "S506"}])
    );
    assert!(rule["docs"].as_str().unwrap().contains("## What it does"));
}

#[test]
fn rule_prints_the_metadata_then_the_docs() {
    let dir = project(&[]);
    let by_id = pyvet(dir.path(), &["rule", "PV301"]);
    assert_eq!(by_id.code, 0);
    let by_name = pyvet(dir.path(), &["rule", "unsafe-yaml-load"]);
    assert_eq!(by_id.stdout, by_name.stdout);
    let lower = pyvet(dir.path(), &["rule", "pv301"]);
    assert_eq!(by_id.stdout, lower.stdout);
    let text = by_id.stdout;
    assert!(text.starts_with("PV301 unsafe-yaml-load\n\n"), "{text}");
    for line in [
        "Severity    high",
        "Confidence  high",
        "CWE         CWE-502",
        "OWASP       A08:2021 Software and Data Integrity Failures",
        "Fix         sometimes",
        "In tests    reported",
        "Bandit      B506",
        "Ruff        S506",
        "## What it does",
        "## Use instead",
        "config = yaml.safe_load(request_body)",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains("Guideline   "));

    let json = pyvet(dir.path(), &["rule", "PV301", "--format", "json"]).json();
    assert_eq!(json["id"], "PV301");
    assert_eq!(json["in_tests"], "report");

    // A rule whose findings do not matter in test code says so.
    let quiet = pyvet(dir.path(), &["rule", "PV602"]).stdout;
    assert!(
        quiet.contains("In tests    quiet unless --include-tests\n"),
        "{quiet}"
    );
    let quiet = pyvet(dir.path(), &["rule", "PV602", "--format", "json"]).json();
    assert_eq!(quiet["in_tests"], "skip");

    let unknown = pyvet(dir.path(), &["rule", "PV999"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown rule `PV999`"));
    assert!(unknown.stdout.is_empty());
}

#[test]
fn version_and_help() {
    let dir = project(&[]);
    let version = pyvet(dir.path(), &["--version"]);
    assert_eq!(version.code, 0);
    assert_eq!(
        version.stdout,
        format!("pyvet {}\n", env!("CARGO_PKG_VERSION"))
    );
    let help = pyvet(dir.path(), &["check", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit status:"));
    assert!(help.stdout.contains("a file that does not parse"));
}

/// A package whose views sign tokens with keys from its settings, imported every way.
const PACKAGE_VIEWS: &str = "\
import jwt
from .settings import SECRET
from app.settings import SECRET as ABSOLUTE
from app import settings
from app import REEXPORTED


def relative(payload):
    return jwt.encode(payload, SECRET, algorithm=\"HS256\")


def absolute(payload):
    return jwt.encode(payload, ABSOLUTE, algorithm=\"HS256\")


def attribute(payload):
    return jwt.encode(payload, settings.SECRET, algorithm=\"HS256\")


def through_init(payload):
    return jwt.encode(payload, REEXPORTED, algorithm=\"HS256\")
";

/// `(rule_id, path, line, column)` of every finding of a JSON report.
fn located(json: &Value) -> Vec<(String, String, u64, u64)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            let start = &finding["range"]["start"];
            (
                finding["rule_id"].as_str().unwrap().to_string(),
                finding["path"].as_str().unwrap().to_string(),
                start["line"].as_u64().unwrap(),
                start["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn jwt_key_at(path: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    ("PV533".to_string(), path.to_string(), line, column)
}

#[test]
fn a_key_from_another_module_of_the_project_is_found_where_it_is_used() {
    let dir = project(&[
        (
            "app/__init__.py",
            b"from .settings import SECRET as REEXPORTED\n",
        ),
        ("app/settings.py", b"SECRET = \"k3y-from-settings\"\n"),
        ("app/views.py", PACKAGE_VIEWS.as_bytes()),
    ]);
    let expected = [
        jwt_key_at("app/views.py", 9, 32),
        jwt_key_at("app/views.py", 13, 32),
        jwt_key_at("app/views.py", 17, 32),
        jwt_key_at("app/views.py", 21, 32),
    ];
    for args in [
        &["check", "--format", "json", "--select", "PV533"][..],
        &["check", "--format", "json", "--select", "PV533", "app"],
        &[
            "check",
            "--format",
            "json",
            "--select",
            "PV533",
            "app/views.py",
            "app/settings.py",
            "app/__init__.py",
        ],
    ] {
        let run = pyvet(dir.path(), args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert_eq!(located(&run.json()), expected, "{args:?}");
    }
    // Checked alone, a file knows nothing of the others: as before.
    let alone = pyvet(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "PV533",
            "app/views.py",
        ],
    );
    assert_eq!(alone.code, 0, "{}", alone.stdout);
}

#[test]
fn a_flat_layout_imports_its_neighbours() {
    let dir = project(&[
        (
            "service/app.py",
            b"import jwt\nfrom settings import KEY\n\ntoken = jwt.encode({}, KEY, algorithm=\"HS256\")\n",
        ),
        ("service/settings.py", b"KEY = \"flat-layout-key\"\n"),
        (
            "service/web.py",
            b"from flask import Flask\nfrom settings import KEY\n\napp = Flask(__name__)\napp.config[\"SECRET_KEY\"] = KEY\n",
        ),
    ]);
    let run = pyvet(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "PV533,PV502",
            "service",
        ],
    );
    assert_eq!(
        located(&run.json()),
        [
            jwt_key_at("service/app.py", 4, 24),
            ("PV502".to_string(), "service/web.py".to_string(), 5, 28)
        ]
    );
}

#[test]
fn a_key_read_from_the_environment_in_another_module_is_not_reported() {
    let dir = project(&[
        (
            "app/__init__.py",
            b"from .settings import SECRET as REEXPORTED\n",
        ),
        (
            "app/settings.py",
            b"import os\n\nSECRET = os.environ[\"SECRET\"]\n",
        ),
        ("app/views.py", PACKAGE_VIEWS.as_bytes()),
    ]);
    let run = pyvet(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn helpers_of_another_module_of_the_project_carry_values_through() {
    let dir = project(&[
        ("app/__init__.py", b""),
        (
            "app/db.py",
            b"def build_query(name):\n    return f\"SELECT * FROM users WHERE name = '{name}'\"\n\n\ndef report_path(name):\n    return \"/srv/reports/\" + name + \".csv\"\n\n\ndef fixed_path(name):\n    return \"/srv/reports/latest.csv\"\n",
        ),
        (
            "app/views.py",
            b"import sqlite3\n\nfrom flask import Flask, request\n\nfrom . import db\nfrom .db import build_query, fixed_path\n\napp = Flask(__name__)\n\n\n@app.get(\"/users\")\ndef users():\n    conn = sqlite3.connect(\"app.db\")\n    name = request.args[\"name\"]\n    rows = conn.execute(build_query(name)).fetchall()\n    report = open(db.report_path(name)).read()\n    fixed = open(fixed_path(name)).read()\n    return str(rows) + report + fixed\n",
        ),
    ]);
    let run = pyvet(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "PV201,PV715",
            "app",
        ],
    );
    assert_eq!(
        located(&run.json()),
        [
            ("PV201".to_string(), "app/views.py".to_string(), 15, 12),
            ("PV715".to_string(), "app/views.py".to_string(), 16, 14),
        ],
        "{}",
        run.stdout
    );
    // The path finding's trace follows the request data into the other module's function.
    let json = run.json();
    let messages: Vec<&str> = json["findings"][1]["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.first(), Some(&"`args` is read from the request"));
    assert!(
        messages.contains(&"it is passed to `report_path`"),
        "{messages:?}"
    );
}

#[test]
fn a_constant_of_another_module_prunes_the_branch_it_rules_out() {
    let dir = project(&[
        ("app/__init__.py", b""),
        (
            "app/settings.py",
            b"SERVE_RAW_FILES = False\nSERVE_REPORTS = True\n",
        ),
        (
            "app/views.py",
            b"from flask import Flask, request\n\nfrom .settings import SERVE_RAW_FILES, SERVE_REPORTS\n\napp = Flask(__name__)\n\n\n@app.get(\"/raw\")\ndef raw():\n    if SERVE_RAW_FILES:\n        return open(request.args[\"p\"]).read()\n    return \"off\"\n\n\n@app.get(\"/report\")\ndef report():\n    if SERVE_REPORTS:\n        return open(request.args[\"p\"]).read()\n    return \"off\"\n",
        ),
    ]);
    let run = pyvet(
        dir.path(),
        &["check", "--format", "json", "--select", "PV715", "app"],
    );
    assert_eq!(
        located(&run.json()),
        [("PV715".to_string(), "app/views.py".to_string(), 18, 16)],
        "{}",
        run.stdout
    );
}

#[test]
fn a_helper_s_trace_names_the_file_of_each_step_in_the_calling_module() {
    let dir = project(&[
        ("app/__init__.py", b""),
        (
            "app/tasks.py",
            b"def read_report(name):\n    with open(\"/srv/reports/\" + name) as handle:\n        return handle.read()\n",
        ),
        (
            "app/views.py",
            b"from flask import Flask, request\n\nfrom .tasks import read_report\n\napp = Flask(__name__)\n\n\n@app.get(\"/report\")\ndef report():\n    wanted = request.args[\"name\"]\n    return read_report(wanted)\n",
        ),
    ]);
    let json = pyvet(dir.path(), &["check", "--format", "json", "app"]).json();
    let finding = &json["findings"][0];
    assert_eq!(finding["path"], "app/tasks.py");
    // `[path, line, column, message]` per step; `path` only where it is another file.
    let steps: Vec<(Option<&str>, u64, u64, &str)> = finding["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            (
                step.get("path").map(|path| path.as_str().unwrap()),
                step["range"]["start"]["line"].as_u64().unwrap(),
                step["range"]["start"]["column"].as_u64().unwrap(),
                step["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps[..4],
        [
            (Some("app/views.py"), 10, 14, "`args` is read from the request"),
            (Some("app/views.py"), 10, 5, "`wanted` holds it"),
            (
                Some("app/views.py"),
                11,
                24,
                "it is passed to `read_report` as `name`"
            ),
            (
                None,
                1,
                17,
                "`name` is passed to `read_report` in app/views.py on line 11, where the data comes from `request.args`"
            ),
        ],
        "{steps:#?}"
    );
    // SARIF: each step of the code flow is in its own file.
    let sarif = pyvet(dir.path(), &["check", "--format", "sarif", "app"]).json();
    let flow = &sarif["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"];
    let uris: Vec<&str> = flow
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            step["location"]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        uris[..4],
        [
            "app/views.py",
            "app/views.py",
            "app/views.py",
            "app/tasks.py"
        ]
    );
    // The text report names the other file on its steps.
    let text = pyvet(dir.path(), &["check", "app"]).stdout;
    assert!(
        text.contains("= via app/views.py:10:14: `args` is read from the request"),
        "{text}"
    );
}

#[test]
fn a_file_declaring_latin_1_is_read_and_fixed_in_latin_1() {
    // PEP 263: the second line names the encoding; `é` is the single byte 0xE9.
    let source: &[u8] = b"#!/usr/bin/env python3\n# -*- coding: latin-1 -*-\nimport yaml\n\nnote = 'caf\xe9'; config = yaml.load(data)\n";
    let dir = project(&[("legacy.py", source)]);
    let run = pyvet(dir.path(), &["check", "--format", "json", "legacy.py"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["errors"], serde_json::json!([]));
    // Columns count characters: `é` is one.
    assert_eq!(
        located(&json),
        [("PV301".to_string(), "legacy.py".to_string(), 5, 25)]
    );
    let fixed = pyvet(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "legacy.py"],
    );
    assert_eq!(fixed.code, 0, "{}", fixed.stdout);
    let written = std::fs::read(dir.path().join("legacy.py")).unwrap();
    assert_eq!(
        written,
        b"#!/usr/bin/env python3\n# -*- coding: latin-1 -*-\nimport yaml\n\nnote = 'caf\xe9'; config = yaml.safe_load(data)\n",
        "written back as Latin-1: {}",
        String::from_utf8_lossy(&written)
    );
}

#[test]
fn an_encoding_pyvet_cannot_read_is_named_in_the_error() {
    let dir = project(&[
        ("sjis.py", b"# coding: shift_jis\nx = '\x83n'\n"),
        ("good.py", YAML_LOAD.as_bytes()),
    ]);
    let run = pyvet(dir.path(), &["check", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("good.py:3:10: PV301"), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "sjis.py: Declares the encoding `shift_jis` (line 1 or 2), which pyvet cannot read"
        ),
        "{}",
        run.stderr
    );
}
