//! Which module each checked file is, so the files checked together form a project.
//!
//! A file's module name comes from its packages: walk up from its folder while the folder
//! has an `__init__.py`; the topmost package's parent is the import root (`src/app/views.py`
//! with `src/app/__init__.py` is `app.views`). A folder named on the command line that is no
//! package is an import root too: a flat layout (`app.py` beside `settings.py`) gives `app`
//! and `settings`, and a folder without `__init__.py` inside it (a namespace package) gives
//! `folder.module`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use super::files;
use pyvet::{ProjectFile, ProjectIndex, ProjectModule};

/// Each of `files` as a module of the project they form, or `None` for a file that is no
/// module (a name that is not an identifier, a script without `.py`). `checked` are the
/// paths named on the command line: the folders among them are import roots.
pub fn modules(files: &[PathBuf], checked: &[PathBuf]) -> Vec<Option<ProjectModule>> {
    let mut folders = Folders::new();
    let roots = folders.import_roots(checked);
    let found: Vec<Option<ProjectFile>> = files
        .iter()
        .map(|path| module_of(path, &roots, &mut folders))
        .collect();
    let mut positions = Vec::with_capacity(found.len());
    let mut project_files = Vec::new();
    for module in found {
        positions.push(module.map(|module| {
            project_files.push(module);
            project_files.len() - 1
        }));
    }
    let index = ProjectIndex::new(
        project_files,
        Box::new(|path: &Path| files::read_source(path).ok().map(|source| source.text)),
    );
    positions
        .into_iter()
        .map(|position| position.and_then(|position| index.module(position)))
        .collect()
}

/// What is known of folders, worked out once for each: whether it is a package (has an
/// `__init__.py`), and the names its modules start with.
pub struct Folders {
    /// The folder relative paths start from.
    current: PathBuf,
    packages: HashMap<PathBuf, bool>,
    names: HashMap<PathBuf, FolderNames>,
}

/// The dotted names a folder's modules start with.
#[derive(Clone)]
struct FolderNames {
    /// The folder's name as a package (`app.api`): `None` when it is no package,
    /// `Some(None)` when one of its parts is no identifier.
    package: Option<Option<String>>,
    /// The folder's name seen from the nearest checked folder (`""` for that folder
    /// itself), when there is one and every part is an identifier.
    from_root: Option<String>,
}

impl Folders {
    pub fn new() -> Self {
        Self {
            current: std::env::current_dir().unwrap_or_default(),
            packages: HashMap::default(),
            names: HashMap::default(),
        }
    }

    /// The folders among `checked` that are import roots: those that are no package (a
    /// package names its modules from its packages).
    pub fn import_roots(&mut self, checked: &[PathBuf]) -> HashSet<PathBuf> {
        let folders: Vec<PathBuf> = checked
            .iter()
            .filter(|path| path.is_dir())
            .map(|path| self.absolute(path))
            .collect();
        folders
            .into_iter()
            .filter(|folder| !self.is_package(folder))
            .collect()
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        self.current.join(path)
    }

    fn is_package(&mut self, folder: &Path) -> bool {
        if let Some(known) = self.packages.get(folder) {
            return *known;
        }
        let is_package = folder.join("__init__.py").is_file();
        self.packages.insert(folder.to_path_buf(), is_package);
        is_package
    }

    /// The names of `folder`'s modules (an absolute path), seen from `roots`.
    fn names(&mut self, folder: &Path, roots: &HashSet<PathBuf>) -> FolderNames {
        if let Some(known) = self.names.get(folder) {
            return known.clone();
        }
        let package = self.is_package(folder).then(|| {
            // The topmost package's parent is the import root.
            let mut import_root = folder;
            while self.is_package(import_root) {
                let Some(parent) = import_root.parent() else {
                    break;
                };
                import_root = parent;
            }
            dotted(folder, import_root)
        });
        let from_root = folder
            .ancestors()
            .find(|ancestor| roots.contains(*ancestor))
            .and_then(|root| dotted(folder, root));
        let names = FolderNames { package, from_root };
        self.names.insert(folder.to_path_buf(), names.clone());
        names
    }
}

/// The module `file` is, seen from its packages and from the checked folders `roots`
/// (see [`Folders::import_roots`]). `None` when it is no module.
pub fn module_of(
    file: &Path,
    roots: &HashSet<PathBuf>,
    folders: &mut Folders,
) -> Option<ProjectFile> {
    let file_name = file.file_name()?.to_str()?;
    let stem = file_name.strip_suffix(".py")?;
    let folder = folders.absolute(file.parent()?);
    let names = folders.names(&folder, roots);
    let is_package = stem == "__init__";
    let in_a_package = names.package.is_some();
    let (by_packages, by_root) = if is_package {
        // A package is named by its folder.
        let by_root = names.from_root.filter(|name| !name.is_empty());
        (names.package.flatten(), by_root)
    } else {
        if !is_identifier(stem) {
            return None;
        }
        let join = |prefix: String| {
            if prefix.is_empty() {
                stem.to_string()
            } else {
                format!("{prefix}.{stem}")
            }
        };
        let by_packages = match names.package {
            None => Some(stem.to_string()),
            Some(package) => package.map(join),
        };
        (by_packages, names.from_root.map(join))
    };
    let (name, alias) = match (by_packages, by_root) {
        (Some(by_packages), by_root) if in_a_package => (by_packages, by_root),
        // Not in a package: a namespace package under a checked folder, or top level.
        (by_packages, Some(by_root)) => (by_root, by_packages),
        (Some(by_packages), None) => (by_packages, None),
        (None, None) => return None,
    };
    let aliases = alias.into_iter().filter(|alias| *alias != name).collect();
    Some(ProjectFile {
        path: file.to_path_buf(),
        name,
        aliases,
        is_package,
    })
}

/// `root/app/api` → `app.api` (`""` for `root` itself), when every part is a Python
/// identifier.
fn dotted(folder: &Path, root: &Path) -> Option<String> {
    let relative = folder.strip_prefix(root).ok()?;
    let parts: Vec<&str> = relative
        .components()
        .map(|component| component.as_os_str().to_str())
        .collect::<Option<_>>()?;
    parts
        .iter()
        .all(|part| is_identifier(part))
        .then(|| parts.join("."))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first == '_' || first.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The module names of `files` in a folder holding `tree` (empty files), checked as `checked`
    /// (relative to the folder).
    fn names(tree: &[&str], files: &[&str], checked: &[&str]) -> Vec<(String, Vec<String>, bool)> {
        let dir = tempfile::tempdir().unwrap();
        for path in tree {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let checked: Vec<PathBuf> = checked.iter().map(|path| dir.path().join(path)).collect();
        let mut folders = Folders::new();
        let roots = folders.import_roots(&checked);
        files
            .iter()
            .map(|file| {
                let module = module_of(&dir.path().join(file), &roots, &mut folders);
                module.map_or_else(
                    || ("-".to_string(), Vec::new(), false),
                    |module| (module.name, module.aliases, module.is_package),
                )
            })
            .collect()
    }

    fn name(module: &str) -> (String, Vec<String>, bool) {
        (module.to_string(), Vec::new(), false)
    }

    #[test]
    fn packages_name_their_modules_from_the_topmost_package() {
        let tree = [
            "src/app/__init__.py",
            "src/app/views.py",
            "src/app/api/__init__.py",
            "src/app/api/auth.py",
        ];
        assert_eq!(
            names(&tree, &["src/app/views.py", "src/app/api/auth.py"], &[]),
            [name("app.views"), name("app.api.auth")]
        );
        assert_eq!(
            names(
                &tree,
                &["src/app/__init__.py", "src/app/api/__init__.py"],
                &[]
            ),
            [
                ("app".to_string(), vec![], true),
                ("app.api".to_string(), vec![], true)
            ]
        );
        // A checked folder that is a package is no import root.
        assert_eq!(
            names(&tree, &["src/app/api/auth.py"], &["src/app"]),
            [name("app.api.auth")]
        );
        // Checking from above the import root also names `src.app.views`.
        assert_eq!(
            names(&tree, &["src/app/views.py"], &["."]),
            [(
                "app.views".to_string(),
                vec!["src.app.views".to_string()],
                false
            )]
        );
    }

    #[test]
    fn a_checked_folder_is_an_import_root() {
        // A flat layout.
        let tree = ["proj/app.py", "proj/settings.py"];
        assert_eq!(
            names(&tree, &["proj/app.py", "proj/settings.py"], &["proj"]),
            [name("app"), name("settings")]
        );
        // A namespace package (no `__init__.py`) under the checked folder.
        let tree = ["proj/app/views.py", "proj/app/settings.py"];
        assert_eq!(
            names(&tree, &["proj/app/views.py"], &["proj"]),
            [("app.views".to_string(), vec!["views".to_string()], false)]
        );
    }

    #[test]
    fn files_that_are_no_module_have_no_name() {
        let tree = ["my-app/run.py", "tools/script", "tools/9lives.py"];
        assert_eq!(
            names(&tree, &["tools/script", "tools/9lives.py"], &[]),
            [name("-"), name("-")]
        );
        // `my-app` is no package name, but the file itself is a module.
        assert_eq!(names(&tree, &["my-app/run.py"], &["."]), [name("run")]);
    }
}
