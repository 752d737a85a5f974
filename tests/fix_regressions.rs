//! Fixes that once broke code, kept broken never again: each `tests/fix_regressions/NAME.py`
//! is fixed (unsafe fixes included) and must become exactly `NAME.fixed.py`, parse, and
//! change nothing when fixed once more.
//!
//! A first line `# fix: PV603, PV101` limits the fixes applied to those rules (every rule is
//! still analysed). The files are read as bytes turned into text unchanged, so lone `\r` and
//! `\r\n` line breaks stay what they are.
//!
//! `PYVET_BLESS=1 cargo test --test fix_regressions` rewrites each `.fixed.py` from the
//! current fixes: read the diff before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use pyvet::{analyze, apply_fixes, FixSelection, Options};

fn regression_inputs() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fix_regressions");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.ends_with(".py") && !name.ends_with(".fixed.py")
        })
        .collect();
    inputs.sort();
    inputs
}

/// The fixes the fixture asks for: `# fix: ID, ...` on its first line, else all.
fn selection(source: &str) -> FixSelection {
    let first_line = source.split(['\n', '\r']).next().unwrap_or("");
    match first_line.strip_prefix("# fix:") {
        Some(ids) => FixSelection::Rules(
            ids.split(',')
                .map(|id| id.trim().to_string())
                .filter(|id| !id.is_empty())
                .collect(),
        ),
        None => FixSelection::All,
    }
}

fn fix(source: &str) -> String {
    let unsafe_fixes = !source.starts_with("# safe fixes only");
    apply_fixes(
        source,
        &Options::default(),
        &selection(source),
        unsafe_fixes,
    )
    .source
}

#[test]
fn every_regression_fixture_is_fixed_as_recorded() {
    let inputs = regression_inputs();
    assert!(!inputs.is_empty(), "no fixtures in tests/fix_regressions");
    let bless = std::env::var_os("PYVET_BLESS").is_some();
    let mut failures = Vec::new();
    for input in inputs {
        let source = fs::read_to_string(&input).unwrap();
        let expected_path = input.with_extension("fixed.py");
        let fixed = fix(&source);
        if bless {
            fs::write(&expected_path, &fixed).unwrap();
        }
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|error| panic!("{}: {error}", expected_path.display()));
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        if fixed != expected {
            failures.push(format!(
                "{name}: the fixed text differs\n--- expected\n{expected:?}\n--- got\n{fixed:?}"
            ));
            continue;
        }
        let errors = analyze(&fixed, &Options::default()).syntax_errors;
        if !errors.is_empty() {
            failures.push(format!("{name}: the fixed text does not parse: {errors:?}"));
        }
        let again = fix(&fixed);
        if again != fixed {
            failures.push(format!(
                "{name}: a second round changes the text\n{fixed:?}\n--- becomes\n{again:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A fixture that fixes nothing proves nothing: each must change under the fixes, or be a
/// case where the right outcome is no edit (its name says so with `no_fix`).
#[test]
fn every_regression_fixture_exercises_a_fix() {
    for input in regression_inputs() {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let source = fs::read_to_string(&input).unwrap();
        let changes = fix(&source) != source;
        assert_eq!(
            changes,
            !name.contains("no_fix"),
            "{name}: a fixture named `no_fix` must stay unchanged, any other must change"
        );
    }
}
