//! Which settings apply to each checked file: the nearest configuration file above it
//! (`pyvet.toml`, `.pyvet.toml`, or `pyproject.toml` with `[tool.pyvet]`, nearest wins, as in
//! Ruff), or the one given with `--config`, or none with `--isolated`; then the command
//! line's flags on top.

pub mod file;
mod patterns;

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use file::{ConfigError, ConfigFile};
use patterns::Patterns;
use pyvet::{Options, Severity};

/// Folders never searched unless `exclude` replaces this list (Ruff's list, plus the
/// caches of the tools pyvet runs beside). Hidden folders and virtualenvs are skipped
/// whatever `exclude` says.
pub const DEFAULT_EXCLUDE: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// Where the configuration comes from.
pub enum ConfigSource {
    /// The nearest configuration file above each checked file.
    Discover,
    /// `--config PATH`: this file for every checked file.
    File(PathBuf),
    /// `--isolated`: no configuration file at all.
    Isolated,
}

/// What the command line says about the settings; each flag given replaces (or, for the
/// `extend-` ones, adds to) what the configuration file says.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    pub per_file_ignores: Option<Vec<(String, Vec<String>)>>,
    pub min_severity: Option<Severity>,
    /// `--include-tests`: every rule reports in test files.
    pub include_tests: bool,
}

/// What happens to test files (`tests/`, `test_*.py`, `conftest.py`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TestFiles {
    /// `include-tests = false`: left out of folder searches, as before the key meant more.
    Skipped,
    /// No `include-tests`: checked, but only by the rules whose findings matter in tests.
    Checked,
    /// `include-tests = true` or `--include-tests`: checked by every rule.
    Everything,
}

/// The settings for the files one configuration covers, with the flags applied.
pub struct Settings {
    /// The folder the configuration's globs are relative to (absolute).
    root: PathBuf,
    /// The ids of the rules that run.
    rules: Vec<&'static str>,
    min_severity: Option<Severity>,
    per_file_ignores: Vec<(Patterns, Vec<String>)>,
    exclude: Patterns,
    test_files: TestFiles,
}

impl Settings {
    fn new(config: Option<ConfigFile>, overrides: &Overrides, cwd: &Path) -> Self {
        let root = config
            .as_ref()
            .and_then(|config| absolute(cwd, &config.path).parent().map(Path::to_path_buf))
            .unwrap_or_else(|| cwd.to_path_buf());
        let config = config.unwrap_or_default();
        let rules = enabled_rules(&[
            Selection {
                select: config.select.as_deref(),
                extend_select: &config.extend_select,
                ignore: &config.ignore,
            },
            Selection {
                select: overrides.select.as_deref(),
                extend_select: &overrides.extend_select,
                ignore: &overrides.ignore,
            },
        ]);
        // Globs from the command line are relative to the current folder.
        let per_file_ignores = match &overrides.per_file_ignores {
            Some(flags) => patterns_with_rules(flags, cwd),
            None => patterns_with_rules(&config.per_file_ignores, &root),
        };
        let mut exclude = match (&overrides.exclude, &config.exclude) {
            (Some(flags), _) => Patterns::new(flags, cwd),
            (None, Some(listed)) => Patterns::new(listed, &root),
            (None, None) => Patterns::new(DEFAULT_EXCLUDE, &root),
        };
        exclude.extend(&config.extend_exclude, &root);
        exclude.extend(&overrides.extend_exclude, cwd);
        Settings {
            root,
            rules,
            min_severity: overrides.min_severity.or(config.min_severity),
            per_file_ignores,
            exclude,
            test_files: match (overrides.include_tests, config.include_tests) {
                (true, _) | (false, Some(true)) => TestFiles::Everything,
                (false, Some(false)) => TestFiles::Skipped,
                (false, None) => TestFiles::Checked,
            },
        }
    }

    /// The analysis options for `file` (an absolute path).
    pub fn options_for(&self, file: &Path) -> Options {
        let mut ignore: Vec<String> = self
            .per_file_ignores
            .iter()
            .filter(|(patterns, _)| patterns.matches(file))
            .flat_map(|(_, rules)| rules.iter().cloned())
            .collect();
        if self.rules.is_empty() {
            // An empty selection means every rule to the engine.
            ignore.push("ALL".to_string());
        }
        // Every rule: an empty selection, which the engine checks fastest.
        let every_rule = self.rules.len() == pyvet::rules::all_rules().len();
        let select = if every_rule {
            Vec::new()
        } else {
            self.rules.iter().map(|id| id.to_string()).collect()
        };
        Options {
            select,
            ignore,
            min_severity: self.min_severity,
            project: None,
            test_code: self.test_files != TestFiles::Everything && self.is_test_file(file),
        }
    }

    /// Whether a file or folder met while searching a folder (an absolute path) is left out:
    /// by `exclude` / `extend-exclude`, or as a test file with `include-tests = false`.
    pub fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        self.exclude.matches(path)
            || (!is_dir && self.test_files == TestFiles::Skipped && self.is_test_file(path))
    }

    /// `tests/` or `test/` folders, `test_*.py`, `*_test.py` and `conftest.py` (pytest's
    /// conventions), and `t/` folders (celery, kombu and the Perl tradition keep their tests
    /// there), looking only below the configuration's folder (outside it, only at the
    /// file's own package folders and the one holding them).
    fn is_test_file(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
            return false;
        };
        let is_test_folder =
            |folder: &std::ffi::OsStr| matches!(folder.to_str(), Some("tests" | "test" | "t"));
        let in_test_folder = match path.strip_prefix(&self.root) {
            Ok(relative) => relative
                .parent()
                .into_iter()
                .flat_map(Path::components)
                .any(|part| is_test_folder(part.as_os_str())),
            // Outside the configuration's folder, the folders of the file's own package
            // and the one holding it: `/home/t/app/views.py` is not test code because of
            // a `t` far above the project.
            Err(_) => project_folders(path).any(is_test_folder),
        };
        in_test_folder
            || name == "conftest.py"
            || (name.starts_with("test_") && name.ends_with(".py"))
            || name.ends_with("_test.py")
    }
}

/// One layer of rule selection: the configuration file's, then the command line's.
struct Selection<'a> {
    select: Option<&'a [String]>,
    extend_select: &'a [String],
    ignore: &'a [String],
}

/// The rules left after each layer in turn: a layer's `select` starts the set anew (so
/// `--select PV301` runs PV301 even when the file ignores it), `extend-select` adds to it,
/// `ignore` takes out.
fn enabled_rules(layers: &[Selection]) -> Vec<&'static str> {
    let all = pyvet::rules::all_rules();
    let picks = |selectors: &[String], meta: &pyvet::RuleMeta| {
        selectors
            .iter()
            .any(|selector| pyvet::selects(selector, meta))
    };
    let mut enabled: Vec<bool> = vec![true; all.len()];
    for layer in layers {
        for (on, rule) in enabled.iter_mut().zip(all) {
            if let Some(select) = layer.select {
                *on = picks(select, rule.meta);
            }
            *on = (*on || picks(layer.extend_select, rule.meta)) && !picks(layer.ignore, rule.meta);
        }
    }
    all.iter()
        .zip(enabled)
        .filter(|(_, on)| *on)
        .map(|(rule, _)| rule.meta.id)
        .collect()
}

fn patterns_with_rules(
    list: &[(String, Vec<String>)],
    root: &Path,
) -> Vec<(Patterns, Vec<String>)> {
    list.iter()
        .map(|(glob, rules)| {
            (
                Patterns::new(std::slice::from_ref(glob), root),
                rules.clone(),
            )
        })
        .collect()
}

/// Finds and reads the configuration of each folder once.
pub struct Resolver {
    source: ConfigSource,
    overrides: Overrides,
    cwd: PathBuf,
    /// With `--config` or `--isolated`, or where no configuration file is found.
    fallback: Arc<Settings>,
    /// Folder → the settings found from it upward.
    folders: HashMap<PathBuf, Arc<Settings>>,
}

impl Resolver {
    pub fn new(source: ConfigSource, overrides: Overrides) -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let fallback = match &source {
            ConfigSource::File(path) => match file::read(path)? {
                Some(config) => Settings::new(Some(config), &overrides, &cwd),
                None => {
                    return Err(ConfigError {
                        path: path.clone(),
                        line: None,
                        key: None,
                        message: "has no `[tool.pyvet]` table".to_string(),
                    })
                }
            },
            ConfigSource::Discover | ConfigSource::Isolated => {
                Settings::new(None, &overrides, &cwd)
            }
        };
        Ok(Self {
            source,
            overrides,
            cwd,
            fallback: Arc::new(fallback),
            folders: HashMap::default(),
        })
    }

    /// A path as an absolute path without `.` or `..` parts.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        absolute(&self.cwd, path)
    }

    /// The settings for the files in `folder` (absolute).
    pub fn for_folder(&mut self, folder: &Path) -> Result<Arc<Settings>, ConfigError> {
        if !matches!(self.source, ConfigSource::Discover) {
            return Ok(self.fallback.clone());
        }
        if let Some(known) = self.folders.get(folder) {
            return Ok(known.clone());
        }
        let settings = match find_config(folder)? {
            Some(config) => Arc::new(Settings::new(Some(config), &self.overrides, &self.cwd)),
            None => match folder.parent() {
                // The parent's answer, found (and remembered) once for all its folders.
                Some(parent) => self.for_folder(parent)?,
                None => self.fallback.clone(),
            },
        };
        self.folders.insert(folder.to_path_buf(), settings.clone());
        Ok(settings)
    }

    /// With `--force-exclude`: whether a file named on the command line is left out, by
    /// the exclusions that would have left it (or one of its folders below the
    /// configuration's folder) out of a search.
    pub fn excludes_named_file(&mut self, file: &Path) -> Result<bool, ConfigError> {
        let file = self.absolute(file);
        let Some(folder) = file.parent() else {
            return Ok(false);
        };
        let settings = self.for_folder(folder)?;
        let excluded = file
            .ancestors()
            .take_while(|path| path.starts_with(&settings.root) && *path != settings.root)
            .any(|path| settings.excludes(path, path != file));
        Ok(excluded)
    }

    /// The analysis options for `file`, from the settings of its folder.
    pub fn options_for(&mut self, file: &Path) -> Result<Options, ConfigError> {
        let file = self.absolute(file);
        let settings = match file.parent() {
            Some(folder) => self.for_folder(folder)?,
            None => self.fallback.clone(),
        };
        Ok(settings.options_for(&file))
    }
}

/// The configuration file in `folder` itself, if any.
fn find_config(folder: &Path) -> Result<Option<ConfigFile>, ConfigError> {
    for name in file::FILE_NAMES {
        let path = folder.join(name);
        if path.is_file() {
            if let Some(config) = file::read(&path)? {
                return Ok(Some(config));
            }
        }
    }
    Ok(None)
}

/// `cwd/path` without `.` and `..` parts, worked out on the text (no links are followed,
/// so a file is matched against the globs by the path it was found under).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let mut absolute = PathBuf::new();
    for component in cwd.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                absolute.pop();
            }
            other => absolute.push(other),
        }
    }
    absolute
}

/// The names of the folders above `file` that belong to its project: each package (a folder
/// with `__init__.py`) going up, and the folder that holds the topmost one.
fn project_folders(file: &Path) -> impl Iterator<Item = &std::ffi::OsStr> {
    let mut folder = file.parent();
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let current = folder?;
        done = !current.join("__init__.py").is_file();
        folder = current.parent();
        current.file_name()
    })
}
