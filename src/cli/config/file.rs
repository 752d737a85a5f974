//! Reading one configuration file: `pyvet.toml`, `.pyvet.toml`, or the `[tool.pyvet]` table
//! of a `pyproject.toml`. Every key is checked here, so a typo or a bad value stops the run
//! with the file, the key and the line, instead of being ignored in silence.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use pyvet::Severity;

/// The file names searched in each folder, in this order (the first one found wins).
pub const FILE_NAMES: &[&str] = &["pyvet.toml", ".pyvet.toml", "pyproject.toml"];

/// The Python versions `target-version` accepts. The parser reads every Python 3 syntax
/// whatever the target, so the key is checked and kept for the projects that share it with
/// other tools, and changes nothing yet.
const TARGET_VERSIONS: &[&str] = &[
    "py37", "py38", "py39", "py310", "py311", "py312", "py313", "py314",
];

/// A configuration file, checked: every selector names a rule, every value has its type.
#[derive(Debug, Default, Clone)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    /// Glob → rule selectors, in the file's order.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    pub min_severity: Option<Severity>,
    pub include_tests: Option<bool>,
}

/// Bad configuration: shown as `FILE:LINE: KEY: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// The keys of the pyvet table, as written in the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Spanned<Vec<Spanned<String>>>>,
    extend_select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    extend_exclude: Option<Vec<Spanned<String>>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    min_severity: Option<Spanned<String>>,
    include_tests: Option<bool>,
    target_version: Option<Spanned<String>>,
}

/// `pyproject.toml`: only `[tool.pyvet]` is ours; the rest belongs to other tools.
#[derive(Deserialize)]
struct PyProject {
    tool: Option<Tools>,
}

#[derive(Deserialize)]
struct Tools {
    pyvet: Option<RawConfig>,
}

/// Reads `path`. `Ok(None)` for a `pyproject.toml` without a `[tool.pyvet]` table (the
/// search goes on upward, as it does for Ruff).
pub fn read(path: &Path) -> Result<Option<ConfigFile>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
        path: path.to_path_buf(),
        line: None,
        key: None,
        message: format!(
            "cannot read: {}",
            super::super::files::describe_io_error(&error)
        ),
    })?;
    parse(path, &text)
}

pub fn parse(path: &Path, text: &str) -> Result<Option<ConfigFile>, ConfigError> {
    let is_pyproject = path
        .file_name()
        .is_some_and(|name| name == "pyproject.toml");
    let prefix = if is_pyproject { "tool.pyvet." } else { "" };
    let error_at = |span: Option<Range<usize>>, key: Option<&str>, message: String| ConfigError {
        path: path.to_path_buf(),
        line: span.map(|span| line_of(text, span.start)),
        key: key.map(|key| format!("{prefix}{key}")),
        message,
    };
    let raw = if is_pyproject {
        toml::from_str::<PyProject>(text).map(|project| project.tool.and_then(|tool| tool.pyvet))
    } else {
        toml::from_str::<RawConfig>(text).map(Some)
    };
    let raw = match raw {
        Ok(Some(raw)) => raw,
        Ok(None) => return Ok(None),
        Err(error) => {
            let (key, message) = describe_toml_error(error.message());
            let span = error.span();
            // A value of the wrong type: the message does not say whose, its line does.
            let key = key.or_else(|| span.clone().and_then(|span| key_on_line(text, span.start)));
            return Err(error_at(span, key.as_deref(), message));
        }
    };
    let config = check(raw, &error_at)?;
    Ok(Some(ConfigFile {
        path: path.to_path_buf(),
        ..config
    }))
}

type ErrorAt<'a> = dyn Fn(Option<Range<usize>>, Option<&str>, String) -> ConfigError + 'a;

/// Checks the values serde cannot, keeping the first problem found.
struct Checker<'a> {
    error_at: &'a ErrorAt<'a>,
    error: Option<ConfigError>,
}

impl Checker<'_> {
    fn fail(&mut self, span: Range<usize>, key: &str, message: String) {
        if self.error.is_none() {
            self.error = Some((self.error_at)(Some(span), Some(key), message));
        }
    }

    /// Every selector names a rule.
    fn selectors(&mut self, key: &str, list: Vec<Spanned<String>>) -> Vec<String> {
        for selector in &list {
            if !pyvet::is_known_selector(selector.get_ref()) {
                let message = format!(
                    "unknown rule selector `{}` (see `pyvet rules`)",
                    selector.get_ref()
                );
                self.fail(selector.span(), key, message);
            }
        }
        list.into_iter().map(Spanned::into_inner).collect()
    }

    /// Every glob compiles.
    fn globs(&mut self, key: &str, list: Vec<Spanned<String>>) -> Vec<String> {
        for glob in &list {
            if let Some(problem) = super::patterns::glob_error(glob.get_ref()) {
                let message = format!("`{}` is no valid glob: {problem}", glob.get_ref());
                self.fail(glob.span(), key, message);
            }
        }
        list.into_iter().map(Spanned::into_inner).collect()
    }
}

/// The configuration in `raw`, or the first problem in it.
fn check(raw: RawConfig, error_at: &ErrorAt) -> Result<ConfigFile, ConfigError> {
    let mut checker = Checker {
        error_at,
        error: None,
    };
    let select = raw.select.map(|select| {
        let span = select.span();
        let list = checker.selectors("select", select.into_inner());
        if list.is_empty() {
            let message = "an empty list selects no rule; leave `select` out to check every rule";
            checker.fail(span, "select", message.to_string());
        }
        list
    });
    let extend_select = checker.selectors("extend-select", raw.extend_select.unwrap_or_default());
    let ignore = checker.selectors("ignore", raw.ignore.unwrap_or_default());
    let exclude = raw.exclude.map(|list| checker.globs("exclude", list));
    let extend_exclude = checker.globs("extend-exclude", raw.extend_exclude.unwrap_or_default());
    let per_file_ignores = raw
        .per_file_ignores
        .unwrap_or_default()
        .into_iter()
        .map(|(glob, rules)| {
            let glob = checker.globs("per-file-ignores", vec![glob]).remove(0);
            (glob, checker.selectors("per-file-ignores", rules))
        })
        .collect();
    let min_severity = raw.min_severity.and_then(|value| {
        let severity = parse_severity(value.get_ref());
        if severity.is_none() {
            let message = format!(
                "`{}` is no severity; use `low`, `medium`, `high` or `critical`",
                value.get_ref()
            );
            checker.fail(value.span(), "min-severity", message);
        }
        severity
    });
    if let Some(version) = &raw.target_version {
        if !TARGET_VERSIONS.contains(&version.get_ref().as_str()) {
            let message = format!(
                "`{}` is not a Python version pyvet knows; use one of {}",
                version.get_ref(),
                TARGET_VERSIONS.join(", ")
            );
            checker.fail(version.span(), "target-version", message);
        }
    }
    if let Some(error) = checker.error {
        return Err(error);
    }
    Ok(ConfigFile {
        path: PathBuf::new(),
        select,
        extend_select,
        ignore,
        exclude,
        extend_exclude,
        per_file_ignores,
        min_severity,
        include_tests: raw.include_tests,
    })
}

pub fn parse_severity(name: &str) -> Option<Severity> {
    match name {
        "low" => Some(Severity::Low),
        "medium" => Some(Severity::Medium),
        "high" => Some(Severity::High),
        "critical" => Some(Severity::Critical),
        _ => None,
    }
}

/// The key a TOML error is about, when its message names one, and the message in our
/// words where serde's would puzzle a user.
fn describe_toml_error(message: &str) -> (Option<String>, String) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((key, _)) = rest.split_once('`') {
            return (
                Some(key.to_string()),
                "unknown key (see the configuration keys in `pyvet check --help`)".to_string(),
            );
        }
    }
    (None, message.to_string())
}

/// The key of the `key = value` line holding `offset`, without the table prefix.
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |at| at + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let is_bare_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    is_bare_key.then(|| key.to_string())
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(name: &str, text: &str) -> String {
        parse(Path::new(name), text).unwrap_err().to_string()
    }

    #[test]
    fn reads_every_key() {
        let text = "select = [\"injection\"]\nextend-select = [\"PV301\"]\nignore = [\"PV211\"]\n\
                    exclude = [\"gen\"]\nextend-exclude = [\"vendor/*\"]\n\
                    per-file-ignores = { \"tests/*\" = [\"PV3\"] }\nmin-severity = \"high\"\n\
                    include-tests = false\ntarget-version = \"py311\"\n";
        let config = parse(Path::new("pyvet.toml"), text).unwrap().unwrap();
        assert_eq!(config.select, Some(vec!["injection".to_string()]));
        assert_eq!(config.extend_select, ["PV301"]);
        assert_eq!(config.ignore, ["PV211"]);
        assert_eq!(config.exclude, Some(vec!["gen".to_string()]));
        assert_eq!(config.extend_exclude, ["vendor/*"]);
        assert_eq!(
            config.per_file_ignores,
            [("tests/*".to_string(), vec!["PV3".to_string()])]
        );
        assert_eq!(config.min_severity, Some(Severity::High));
        assert_eq!(config.include_tests, Some(false));
    }

    #[test]
    fn a_pyproject_without_a_pyvet_table_is_no_configuration() {
        let text = "[project]\nname = \"x\"\n[tool.ruff]\nselect = [\"S\"]\n";
        assert!(parse(Path::new("pyproject.toml"), text).unwrap().is_none());
    }

    #[test]
    fn errors_name_the_file_the_key_and_the_line() {
        assert_eq!(
            error("pyproject.toml", "[project]\nname = \"x\"\n\n[tool.pyvet]\nselct = [\"PV301\"]\n"),
            "pyproject.toml:5: `tool.pyvet.selct`: unknown key (see the configuration keys in `pyvet check --help`)"
        );
        assert_eq!(
            error("pyvet.toml", "\nignore = [\"PV301\", \"PV999\"]\n"),
            "pyvet.toml:2: `ignore`: unknown rule selector `PV999` (see `pyvet rules`)"
        );
        assert_eq!(
            error("pyvet.toml", "min-severity = \"severe\"\n"),
            "pyvet.toml:1: `min-severity`: `severe` is no severity; use `low`, `medium`, `high` or `critical`"
        );
        assert!(error("pyvet.toml", "include-tests = \"no\"\n").starts_with("pyvet.toml:1: "));
        assert!(error("pyvet.toml", "target-version = \"py2\"\n")
            .starts_with("pyvet.toml:1: `target-version`: `py2` is not a Python version"));
        assert!(error("pyvet.toml", "select = [\n]\n").starts_with("pyvet.toml:1: `select`: "));
        assert!(error("pyvet.toml", "select = [\"PV301\"\n").starts_with("pyvet.toml:"));
    }
}
