//! The Python packaging: a wheel built with maturin from the repository root installs a
//! working `pyvet` command in a fresh virtualenv, and pre-commit runs the hook declared in
//! `.pre-commit-hooks.yaml` on a sample repository. They need maturin and pre-commit (from
//! PyPI, installed into `.tools/py/` by `scripts/setup.sh`) and a release build, so they are
//! ignored by a plain `cargo test`; `scripts/test.sh` runs them after the release tests:
//!
//!     cargo test --release --locked --test packaging -- --ignored
//!
//! maturin builds into the same `target/` with the same release profile and features, so the
//! wheel reuses what the release tests built instead of compiling the crate again.

#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `target/` folder this test binary was built in (`target/release/pyvet`'s grandparent).
fn target_dir() -> PathBuf {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_pyvet"));
    binary
        .parent()
        .and_then(Path::parent)
        .expect("the binary sits in target/<profile>/")
        .to_path_buf()
}

/// A tool from `.tools/py/bin` (or `PYVET_PYTHON_TOOLS`).
fn tool(name: &str) -> PathBuf {
    let folder = std::env::var_os("PYVET_PYTHON_TOOLS")
        .map_or_else(|| repository().join(".tools/py/bin"), PathBuf::from);
    let path = folder.join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `bash scripts/setup.sh python` first",
        path.display()
    );
    path
}

fn run(command: &mut Command) -> Output {
    let output = command
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap_or_else(|error| panic!("{command:?} does not start: {error}"));
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn succeeds(command: &mut Command) -> Output {
    let output = run(command);
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    output
}

const VULNERABLE: &str = "import yaml\n\nconfig = yaml.load(data)\n";

#[test]
#[ignore = "needs maturin and a release build; scripts/test.sh runs it"]
fn a_wheel_installs_a_working_pyvet_command_in_a_fresh_virtualenv() {
    let work = tempfile::tempdir().unwrap();
    let wheels = work.path().join("wheels");
    succeeds(
        Command::new(tool("maturin"))
            .args(["build", "--release", "--locked", "--out"])
            .arg(&wheels)
            .current_dir(repository()),
    );
    let wheel = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .expect("maturin wrote a wheel");
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("pyvet-{}-", env!("CARGO_PKG_VERSION"))),
        "{name}"
    );

    let venv = work.path().join("venv");
    succeeds(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    // The wheel has no dependencies: nothing is fetched.
    succeeds(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--no-index", "--quiet"])
            .arg(&wheel),
    );
    let pyvet = venv.join("bin/pyvet");
    assert!(
        pyvet.is_file(),
        "the wheel puts pyvet in the virtualenv's bin/"
    );

    let version = succeeds(Command::new(&pyvet).arg("--version"));
    assert_eq!(
        text(&version.stdout).trim(),
        format!("pyvet {}", env!("CARGO_PKG_VERSION"))
    );
    let project = work.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("app.py"), VULNERABLE).unwrap();
    let check = run(Command::new(&pyvet)
        .args(["check", "app.py"])
        .current_dir(&project));
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    assert!(
        text(&check.stdout).contains("app.py:3:10: PV301"),
        "{}",
        text(&check.stdout)
    );
}

fn git(dir: &Path, args: &[&str]) {
    succeeds(
        Command::new("git")
            .args([
                "-c",
                "user.name=pyvet",
                "-c",
                "user.email=pyvet@example.invalid",
            ])
            .args(args)
            .current_dir(dir),
    );
}

#[test]
#[ignore = "needs pre-commit, PyPI (for maturin) and a release build; scripts/test.sh runs it"]
fn pre_commit_try_repo_runs_the_hook_on_the_staged_python_files() {
    let work = tempfile::tempdir().unwrap();
    let sample = work.path().join("sample");
    let files: &[(&str, &str)] = &[
        ("app.py", VULNERABLE),
        ("clean.py", "x = 1\n"),
        ("generated/models.py", VULNERABLE),
        ("notes.txt", VULNERABLE),
        (
            "pyproject.toml",
            "[tool.pyvet]\nextend-exclude = [\"generated\"]\n",
        ),
    ];
    for (path, content) in files {
        let path = sample.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    git(&sample, &["init", "--quiet"]);
    git(&sample, &["add", "."]);

    let output = run(Command::new(tool("pre-commit"))
        .arg("try-repo")
        .arg(repository())
        .args(["pyvet", "--all-files", "--verbose"])
        .env("PRE_COMMIT_HOME", work.path().join("pre-commit-home"))
        .current_dir(&sample));
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("app.py:3:10: PV301"), "{stdout}");
    // The configuration's exclusions hold for the files pre-commit names; text files are
    // not handed to the hook at all.
    assert!(!stdout.contains("generated/models.py"), "{stdout}");
    assert!(!stdout.contains("notes.txt"), "{stdout}");
}
