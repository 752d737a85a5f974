//! The globs of `exclude`, `extend-exclude` and `per-file-ignores`. A glob with a `/` is
//! matched against the path below the configuration's folder (`src/generated/*.py`); one
//! without is matched against the file or folder name wherever it is (`migrations`,
//! `*_pb2.py`), as in Ruff.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

pub struct Patterns {
    /// Each group of globs with the folder its relative globs start from.
    groups: Vec<Group>,
}

struct Group {
    root: PathBuf,
    by_path: GlobSet,
    by_name: GlobSet,
}

impl Patterns {
    /// Globs checked when the configuration was read; one that does not compile matches
    /// nothing (globset accepts nearly every string).
    pub fn new<S: AsRef<str>>(globs: &[S], root: &Path) -> Self {
        let mut patterns = Self { groups: Vec::new() };
        patterns.extend(globs, root);
        patterns
    }

    pub fn extend<S: AsRef<str>>(&mut self, globs: &[S], root: &Path) {
        if globs.is_empty() {
            return;
        }
        let mut by_path = GlobSetBuilder::new();
        let mut by_name = GlobSetBuilder::new();
        for glob in globs {
            let glob = glob.as_ref().trim();
            let glob = glob.strip_prefix("./").unwrap_or(glob);
            let glob = glob.trim_end_matches('/');
            let Ok(compiled) = Glob::new(glob) else {
                continue;
            };
            if glob.contains('/') {
                by_path.add(compiled);
            } else {
                by_name.add(compiled);
            }
        }
        self.groups.push(Group {
            root: root.to_path_buf(),
            by_path: by_path.build().unwrap_or_else(|_| GlobSet::empty()),
            by_name: by_name.build().unwrap_or_else(|_| GlobSet::empty()),
        });
    }

    /// `path` is absolute.
    pub fn matches(&self, path: &Path) -> bool {
        self.groups.iter().any(|group| {
            path.file_name()
                .is_some_and(|name| group.by_name.is_match(name))
                || path
                    .strip_prefix(&group.root)
                    .is_ok_and(|relative| group.by_path.is_match(relative))
        })
    }
}

/// A glob that does not compile, for the configuration check.
pub fn glob_error(glob: &str) -> Option<String> {
    Glob::new(glob.trim().trim_end_matches('/'))
        .err()
        .map(|error| error.kind().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_with_a_slash_match_below_the_root_and_others_match_names() {
        let root = Path::new("/project");
        let patterns = Patterns::new(&["src/gen/*.py", "migrations", "*_pb2.py"], root);
        assert!(patterns.matches(Path::new("/project/src/gen/models.py")));
        assert!(!patterns.matches(Path::new("/elsewhere/src/gen/models.py")));
        assert!(patterns.matches(Path::new("/project/app/migrations")));
        assert!(patterns.matches(Path::new("/project/deep/api_pb2.py")));
        assert!(!patterns.matches(Path::new("/project/app/views.py")));
    }
}
