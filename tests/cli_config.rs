//! `pyvet check` in a project: configuration files, exclusions, and the flags that override
//! them, through the real binary on temporary projects. The cases use PV301
//! (`unsafe-yaml-load`, high) and PV303 (`marshal-load`, medium); the test-code cases use
//! PV101 and PV602, which stay quiet in tests, and PV302, which does not.

#![cfg(feature = "cli")]

#[path = "support/cli_run.rs"]
mod cli_run;

use cli_run::{assert_usage_error, project, pyvet, pyvet_with_stdin, Run};
use serde_json::Value;
use std::path::Path;

const BOTH: &[u8] =
    b"import marshal\nimport yaml\n\nconfig = yaml.load(data)\ncode = marshal.loads(data)\n";

/// (path, rule id) of each finding `pyvet check --format json ARGS` reports in `dir`.
fn found_in(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let args: Vec<&str> = ["check", "--format", "json"]
        .iter()
        .chain(args)
        .copied()
        .collect();
    found(&pyvet(dir, &args))
}

/// (path, rule id) of each finding, in report order.
fn found(run: &Run) -> Vec<(String, String)> {
    let json: Value = run.json();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().to_string(),
                finding["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(path, rule)| (path.to_string(), rule.to_string()))
        .collect()
}

#[test]
fn pyproject_tool_pyvet_configures_the_files_below_it() {
    let dir = project(&[
        (
            "pyproject.toml",
            b"[project]\nname = \"demo\"\n\n[tool.pyvet]\nignore = [\"PV303\"]\n",
        ),
        ("app/main.py", BOTH),
    ]);
    let run = found_in(dir.path(), &[]);
    assert_eq!(run, pairs(&[("app/main.py", "PV301")]));
    // Found from the file's folder upward, wherever pyvet runs from.
    let from_app = found_in(&dir.path().join("app"), &["main.py"]);
    assert_eq!(from_app, pairs(&[("main.py", "PV301")]));
}

#[test]
fn the_nearest_configuration_wins() {
    let dir = project(&[
        ("pyproject.toml", b"[tool.pyvet]\nignore = [\"PV303\"]\n"),
        ("a.py", BOTH),
        // A pyproject.toml without [tool.pyvet] is passed over.
        ("lib/pyproject.toml", b"[project]\nname = \"lib\"\n"),
        ("lib/b.py", BOTH),
        ("svc/pyvet.toml", b"select = [\"PV303\"]\n"),
        ("svc/c.py", BOTH),
        (
            "svc/inner/.pyvet.toml",
            b"select = [\"deserialization\"]\nmin-severity = \"high\"\n",
        ),
        ("svc/inner/d.py", BOTH),
    ]);
    let run = found_in(dir.path(), &[]);
    assert_eq!(
        run,
        pairs(&[
            ("a.py", "PV301"),
            ("lib/b.py", "PV301"),
            ("svc/c.py", "PV303"),
            ("svc/inner/d.py", "PV301"),
        ])
    );
}

#[test]
fn config_and_isolated_choose_the_configuration() {
    let dir = project(&[
        ("pyvet.toml", b"ignore = [\"PV303\"]\n"),
        ("ci/strict.toml", b"select = [\"PV303\"]\n"),
        ("app.py", BOTH),
    ]);
    let given = found_in(dir.path(), &["--config", "ci/strict.toml"]);
    assert_eq!(given, pairs(&[("app.py", "PV303")]));
    let isolated = found_in(dir.path(), &["--isolated"]);
    assert_eq!(isolated, pairs(&[("app.py", "PV301"), ("app.py", "PV303")]));
    let missing = pyvet(dir.path(), &["check", "--config", "nope.toml"]);
    assert_usage_error(&missing, "nope.toml: cannot read");
    let no_table = project(&[("pyproject.toml", b"[project]\n"), ("app.py", BOTH)]);
    let run = pyvet(no_table.path(), &["check", "--config", "pyproject.toml"]);
    assert_usage_error(&run, "pyproject.toml: has no `[tool.pyvet]` table");
}

#[test]
fn flags_override_the_file() {
    let dir = project(&[
        (
            "pyvet.toml",
            b"select = [\"PV301\"]\nper-file-ignores = { \"tests/*\" = [\"PV301\"] }\n",
        ),
        ("app.py", BOTH),
        ("tests/test_app.py", BOTH),
    ]);
    let from_file = found_in(dir.path(), &[]);
    assert_eq!(from_file, pairs(&[("app.py", "PV301")]));
    // `--select` starts the selection anew; `--per-file-ignores` replaces the file's.
    let run = found_in(
        dir.path(),
        &["--select", "PV303", "--per-file-ignores", "app.py:PV303"],
    );
    assert_eq!(run, pairs(&[("tests/test_app.py", "PV303")]));
    // `--extend-select` adds to the file's selection, `--ignore` takes out.
    let run = found_in(
        dir.path(),
        &["--extend-select", "PV303", "--ignore", "PV301"],
    );
    assert_eq!(
        run,
        pairs(&[("app.py", "PV303"), ("tests/test_app.py", "PV303")])
    );
    let bad = pyvet(dir.path(), &["check", "--per-file-ignores", "tests/*"]);
    assert_usage_error(&bad, "expected `GLOB:RULES`");
}

#[test]
fn exclude_globs_are_relative_to_the_configuration_file() {
    let dir = project(&[
        (
            "proj/pyproject.toml",
            b"[tool.pyvet]\nextend-exclude = [\"src/generated\", \"*_pb2.py\"]\n",
        ),
        ("proj/src/app.py", BOTH),
        ("proj/src/generated/models.py", BOTH),
        ("proj/src/api_pb2.py", BOTH),
        // Not below the configuration's folder: `src/generated` does not reach it.
        ("other/src/generated/x.py", BOTH),
    ]);
    let run = found_in(dir.path(), &["--select", "PV301"]);
    assert_eq!(
        run,
        pairs(&[
            ("other/src/generated/x.py", "PV301"),
            ("proj/src/app.py", "PV301")
        ])
    );
    // A file named on the command line is checked whatever the exclusions say.
    let named = found_in(dir.path(), &["--select", "PV301", "proj/src/api_pb2.py"]);
    assert_eq!(named, pairs(&[("proj/src/api_pb2.py", "PV301")]));
    // `--exclude` replaces the list (so `build/` is searched again); `--extend-exclude` adds.
    let flags = project(&[
        ("build/x.py", BOTH),
        ("keep/y.py", BOTH),
        ("skip/z.py", BOTH),
    ]);
    let run = found_in(flags.path(), &["--select", "PV301", "--exclude", "skip"]);
    assert_eq!(
        run,
        pairs(&[("build/x.py", "PV301"), ("keep/y.py", "PV301")])
    );
    let run = found_in(
        flags.path(),
        &["--select", "PV301", "--extend-exclude", "keep/*.py"],
    );
    assert_eq!(run, pairs(&[("skip/z.py", "PV301")]));
}

#[test]
fn default_exclusions_and_gitignore_leave_out_what_is_not_the_project() {
    let dir = project(&[
        ("app.py", BOTH),
        ("build/lib/app.py", BOTH),
        ("dist/app.py", BOTH),
        ("lib/python3.12/site-packages/pkg/x.py", BOTH),
        ("__pypackages__/3.12/lib/x.py", BOTH),
        (".tox/py312/x.py", BOTH),
        ("vendored/x.py", BOTH),
        (".gitignore", b"# vendored code\nvendored/\n*.gen.py\n"),
        ("models.gen.py", BOTH),
    ]);
    let run = found_in(dir.path(), &["--select", "PV301"]);
    assert_eq!(run, pairs(&[("app.py", "PV301")]));
    let named = found_in(dir.path(), &["--select", "PV301", "dist/app.py", "build"]);
    assert_eq!(
        named,
        pairs(&[("build/lib/app.py", "PV301"), ("dist/app.py", "PV301")])
    );
}

#[test]
fn include_tests_false_leaves_test_files_out() {
    let files: &[(&str, &[u8])] = &[
        (
            "pyvet.toml",
            b"include-tests = false\nselect = [\"PV301\"]\n",
        ),
        ("app/main.py", BOTH),
        ("app/contest.py", BOTH),
        ("tests/helpers.py", BOTH),
        ("app/test_main.py", BOTH),
        ("app/main_test.py", BOTH),
        ("conftest.py", BOTH),
    ];
    let dir = project(files);
    let run = found_in(dir.path(), &[]);
    assert_eq!(
        run,
        pairs(&[("app/contest.py", "PV301"), ("app/main.py", "PV301")])
    );
}

/// A test module with a fake password (PV101), a request without a timeout (PV602) and
/// a view that unpickles the request body (PV302).
const TEST_APP: &[u8] = b"import pickle

import requests
from flask import Flask, request

app = Flask(__name__)
DB_PASSWORD = \"s3cr3t-Passw0rd!\"


@app.route(\"/load\", methods=[\"POST\"])
def load():
    return pickle.loads(request.data)


def test_health():
    response = requests.get(\"https://example.com/health\")
    assert response.status_code == 200
";

/// Every finding of `TEST_APP` at `path`.
fn test_app_findings(path: &str) -> Vec<(String, String)> {
    pairs(&[(path, "PV101"), (path, "PV302"), (path, "PV602")])
}

#[test]
fn test_files_are_checked_without_the_rules_that_do_not_matter_there() {
    let dir = project(&[
        ("app.py", TEST_APP),
        ("tests/test_app.py", TEST_APP),
        ("tests/helpers.py", TEST_APP),
        ("t/unit/helpers.py", TEST_APP),
        ("app/conftest.py", TEST_APP),
        ("app/contest.py", TEST_APP),
    ]);
    let mut expected = test_app_findings("app.py");
    expected.extend(test_app_findings("app/contest.py"));
    // In tests the fake password and the missing timeout are dropped; unpickling the
    // request body is as dangerous in a test app as anywhere.
    expected.extend(pairs(&[
        ("app/conftest.py", "PV302"),
        ("t/unit/helpers.py", "PV302"),
        ("tests/helpers.py", "PV302"),
        ("tests/test_app.py", "PV302"),
    ]));
    expected.sort();
    let mut reported = found_in(dir.path(), &[]);
    reported.sort();
    assert_eq!(reported, expected);

    // A test file named on the command line, or read from standard input under its name.
    assert_eq!(
        found_in(dir.path(), &["tests/test_app.py"]),
        pairs(&[("tests/test_app.py", "PV302")])
    );
    let stdin = pyvet_with_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "tests/test_app.py",
            "-",
        ],
        Some(TEST_APP),
    );
    assert_eq!(found(&stdin), pairs(&[("tests/test_app.py", "PV302")]));
}

#[test]
fn in_test_files_only_confident_findings_are_reported() {
    // A shell command from a parameter: where it comes from is unknown (medium confidence),
    // and in a test it is the test's own. The request body unpickled is known to be hostile.
    let source: &[u8] = b"import pickle, subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\ndef run(command):\n    subprocess.run(command, shell=True)\n\n\n@app.post(\"/load\")\ndef load():\n    return pickle.loads(request.data)\n";
    let dir = project(&[("helpers.py", source), ("tests/helpers.py", source)]);
    let everywhere = pairs(&[("helpers.py", "PV210"), ("helpers.py", "PV302")]);
    let mut expected = everywhere.clone();
    expected.push(("tests/helpers.py".to_string(), "PV302".to_string()));
    let mut reported = found_in(dir.path(), &[]);
    reported.sort();
    assert_eq!(reported, expected);
    let mut all = found_in(dir.path(), &["--include-tests"]);
    all.sort();
    assert_eq!(
        all,
        pairs(&[
            ("helpers.py", "PV210"),
            ("helpers.py", "PV302"),
            ("tests/helpers.py", "PV210"),
            ("tests/helpers.py", "PV302")
        ])
    );
}

#[test]
fn include_tests_reports_every_rule_in_test_files() {
    let files: &[(&str, &[u8])] = &[("tests/test_app.py", TEST_APP)];
    let everything = test_app_findings("tests/test_app.py");

    let dir = project(files);
    assert_eq!(found_in(dir.path(), &["--include-tests"]), everything);

    let dir = project(&[files[0], ("pyvet.toml", b"include-tests = true\n")]);
    assert_eq!(found_in(dir.path(), &[]), everything);

    // The flag wins over a file that leaves test files out.
    let dir = project(&[files[0], ("pyvet.toml", b"include-tests = false\n")]);
    assert_eq!(found_in(dir.path(), &[]), Vec::new());
    assert_eq!(found_in(dir.path(), &["--include-tests"]), everything);
}

#[test]
fn bad_configuration_names_the_file_the_key_and_the_line_and_exits_2() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "pyproject.toml",
            "[project]\nname = \"demo\"\n\n[tool.pyvet]\nselect = [\"PV301\"]\nexlude = [\"gen\"]\n",
            "pyproject.toml:6: `tool.pyvet.exlude`: unknown key",
        ),
        (
            "pyvet.toml",
            "ignore = [\n  \"PV301\",\n  \"PV999\",\n]\n",
            "pyvet.toml:3: `ignore`: unknown rule selector `PV999`",
        ),
        (
            "pyvet.toml",
            "min-severity = \"urgent\"\n",
            "pyvet.toml:1: `min-severity`: `urgent` is no severity",
        ),
        ("pyvet.toml", "\ninclude-tests = \"no\"\n", "pyvet.toml:2: `include-tests`: "),
        (
            "pyvet.toml",
            "per-file-ignores = { \"tests/[\" = [\"PV301\"] }\n",
            "pyvet.toml:1: `per-file-ignores`: `tests/[` is no valid glob",
        ),
        (".pyvet.toml", "select = \"PV301\"\n", ".pyvet.toml:1: `select`: "),
    ];
    for (name, text, expected) in cases {
        let dir = project(&[(name, text.as_bytes()), ("app/main.py", BOTH)]);
        let run = pyvet(dir.path(), &["check", "app"]);
        assert_usage_error(&run, expected);
        assert!(run.stdout.is_empty(), "nothing is checked: {}", run.stdout);
    }
}

#[test]
fn force_exclude_applies_the_exclusions_to_named_files() {
    let dir = project(&[
        (
            "pyvet.toml",
            b"extend-exclude = [\"generated\"]\ninclude-tests = false\n",
        ),
        ("app.py", BOTH),
        ("generated/models.py", BOTH),
        ("tests/test_app.py", BOTH),
    ]);
    // What pre-commit does: name every staged file.
    let files = ["app.py", "generated/models.py", "tests/test_app.py"];
    let forced: Vec<&str> = ["--select", "PV301", "--force-exclude"]
        .iter()
        .chain(&files)
        .copied()
        .collect();
    assert_eq!(found_in(dir.path(), &forced), pairs(&[("app.py", "PV301")]));
    let named: Vec<&str> = ["--select", "PV301"]
        .iter()
        .chain(&files)
        .copied()
        .collect();
    assert_eq!(found_in(dir.path(), &named).len(), 3);
}

#[test]
fn outside_the_configuration_folder_only_the_project_s_own_folders_make_test_code() {
    // Checked from `work/`, so the files are outside the folder settings come from. A
    // `t` folder far above the package is not a test folder; a `tests` folder beside it is.
    let source: &[u8] =
        b"import subprocess\n\n\ndef run(command):\n    subprocess.run(command, shell=True)\n";
    let dir = project(&[
        ("work/.keep", b""),
        ("t/shop/app/__init__.py", b""),
        ("t/shop/app/jobs.py", source),
        ("t/shop/tests/helpers.py", source),
    ]);
    let work = dir.path().join("work");
    let mut reported = found_in(
        &work,
        &["../t/shop/app/jobs.py", "../t/shop/tests/helpers.py"],
    );
    reported.sort();
    assert_eq!(reported, pairs(&[("../t/shop/app/jobs.py", "PV210")]));
}
