//! Relative imports, summaries and lookups through re-exports, on in-memory projects.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{absolute, Constant, Member, ModuleSummary, ProjectFile, ProjectIndex};
use crate::parse::parse_module;

fn segments(dotted: &str) -> Vec<String> {
    dotted.split('.').map(str::to_string).collect()
}

fn absolute_name(module: &str, is_package: bool, written: &[&str]) -> Option<String> {
    absolute(&segments(module), is_package, written).map(|path| path.join("."))
}

#[test]
fn relative_imports_climb_one_package_a_dot() {
    // `from .settings import SECRET` in app/views.py
    assert_eq!(
        absolute_name("app.views", false, &[".", "settings", "SECRET"]).as_deref(),
        Some("app.settings.SECRET")
    );
    // ... and in app/__init__.py, the package itself
    assert_eq!(
        absolute_name("app", true, &[".", "settings", "SECRET"]).as_deref(),
        Some("app.settings.SECRET")
    );
    // `from ..core import KEY` in app/api/views.py and in app/api/__init__.py
    assert_eq!(
        absolute_name("app.api.views", false, &[".", ".", "core", "KEY"]).as_deref(),
        Some("app.core.KEY")
    );
    assert_eq!(
        absolute_name("app.api", true, &[".", ".", "core", "KEY"]).as_deref(),
        Some("app.core.KEY")
    );
    // `from . import settings`
    assert_eq!(
        absolute_name("app.views", false, &[".", "settings"]).as_deref(),
        Some("app.settings")
    );
    // Absolute names stay as they are.
    assert_eq!(
        absolute_name("app.views", false, &["app", "settings", "SECRET"]).as_deref(),
        Some("app.settings.SECRET")
    );
}

#[test]
fn relative_imports_above_the_top_package_resolve_to_nothing() {
    assert_eq!(absolute_name("views", false, &[".", "settings"]), None);
    assert_eq!(absolute_name("app.views", false, &[".", ".", "x"]), None);
    assert_eq!(absolute_name("app", true, &[".", ".", "x"]), None);
}

fn summary(source: &str, module: &str, is_package: bool) -> ModuleSummary {
    let parsed = parse_module(source);
    ModuleSummary::of(&parsed.body, &segments(module), is_package)
}

#[test]
fn summaries_keep_names_bound_once_to_constants() {
    let summary = summary(
        "import os\n\
         from .base import *\n\
         from . import keys as k\n\
         SECRET = 'abc'\n\
         FULL = SECRET + '-def'\n\
         PORT = 8000\n\
         DEBUG = True\n\
         TWICE = 'a'\n\
         if os.environ.get('X'):\n    TWICE = 'b'\n\
         FROM_ENV = os.environ['SECRET']\n\
         def view(): pass\n",
        "app.settings",
        false,
    );
    let member = |name| summary.member(name);
    assert_eq!(
        member("SECRET"),
        Some(Member::Constant(Constant::Str("abc")))
    );
    assert_eq!(
        member("FULL"),
        Some(Member::Constant(Constant::Str("abc-def")))
    );
    assert_eq!(member("PORT"), Some(Member::Constant(Constant::Int(8000))));
    assert_eq!(
        member("DEBUG"),
        Some(Member::Constant(Constant::Bool(true)))
    );
    assert_eq!(member("TWICE"), Some(Member::Unknown));
    assert_eq!(member("FROM_ENV"), Some(Member::Unknown));
    assert_eq!(member("os"), Some(Member::Alias("os")));
    assert_eq!(member("k"), Some(Member::Alias("app.keys")));
    assert_eq!(member("view"), Some(Member::Unknown));
    assert!(summary.functions.is_empty(), "a slot, not filled yet");
    assert_eq!(summary.star_imports().collect::<Vec<_>>(), ["app.base"]);
}

/// An index of in-memory files: (path, module name, is a package, source).
fn project(files: &[(&str, &str, bool, &str)]) -> Arc<ProjectIndex> {
    let sources: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(path, _, _, source)| (PathBuf::from(path), source.to_string()))
        .collect();
    let files = files
        .iter()
        .map(|(path, name, is_package, _)| ProjectFile {
            path: PathBuf::from(path),
            name: name.to_string(),
            aliases: Vec::new(),
            is_package: *is_package,
        })
        .collect();
    ProjectIndex::new(
        files,
        Box::new(move |path: &Path| {
            sources
                .iter()
                .find(|(known, _)| known == path)
                .map(|(_, source)| source.clone())
        }),
    )
}

fn constant_from(index: &Arc<ProjectIndex>, file: usize, written: &[&str]) -> Option<String> {
    index
        .module(file)
        .unwrap()
        .constant(written)
        .map(|constant| format!("{constant:?}"))
}

#[test]
fn lookups_follow_re_exports_and_star_imports() {
    let index = project(&[
        (
            "app/__init__.py",
            "app",
            true,
            "from .settings import SECRET\nfrom . import settings as conf\n",
        ),
        (
            "app/settings.py",
            "app.settings",
            false,
            "from .base import *\nSECRET = 'abc'\n",
        ),
        (
            "app/base.py",
            "app.base",
            false,
            "BASE_KEY = 'base'\n_PRIVATE = 'p'\n",
        ),
        ("app/views.py", "app.views", false, ""),
    ]);
    let secret = Some("Str(\"abc\")".to_string());
    assert_eq!(
        constant_from(&index, 3, &[".", "settings", "SECRET"]),
        secret
    );
    assert_eq!(
        constant_from(&index, 3, &["app", "settings", "SECRET"]),
        secret
    );
    assert_eq!(constant_from(&index, 3, &["app", "SECRET"]), secret);
    assert_eq!(constant_from(&index, 3, &["app", "conf", "SECRET"]), secret);
    assert_eq!(
        constant_from(&index, 3, &["app", "settings", "BASE_KEY"]),
        Some("Str(\"base\")".to_string())
    );
    // Star imports skip private names; unknown names and modules give nothing.
    assert_eq!(
        constant_from(&index, 3, &["app", "settings", "_PRIVATE"]),
        None
    );
    assert_eq!(
        constant_from(&index, 3, &["app", "settings", "MISSING"]),
        None
    );
    assert_eq!(constant_from(&index, 3, &["os", "sep"]), None);
}

#[test]
fn re_export_cycles_end() {
    let index = project(&[
        ("a.py", "a", false, "from b import X\nfrom b import *\n"),
        ("b.py", "b", false, "from a import X\nfrom a import *\n"),
    ]);
    assert_eq!(constant_from(&index, 0, &["b", "X"]), None);
    assert_eq!(constant_from(&index, 0, &["b", "Y"]), None);
}

#[test]
fn a_name_two_files_claim_means_neither() {
    let index = project(&[
        ("one/settings.py", "settings", false, "SECRET = 'one'\n"),
        ("two/settings.py", "settings", false, "SECRET = 'two'\n"),
        ("app.py", "app", false, ""),
    ]);
    assert_eq!(constant_from(&index, 2, &["settings", "SECRET"]), None);
}

#[test]
fn a_module_s_own_name_wins_over_another_s_alias() {
    let file = |path: &str, name: &str, alias: Option<&str>| ProjectFile {
        path: PathBuf::from(path),
        name: name.to_string(),
        aliases: alias.into_iter().map(str::to_string).collect(),
        is_package: false,
    };
    let files = vec![
        file("flat/settings.py", "flat.settings", Some("settings")),
        file("settings.py", "settings", None),
        file("app.py", "app", None),
    ];
    let sources = [
        ("flat/settings.py", "SECRET = 'alias'\n"),
        ("settings.py", "SECRET = 'own'\n"),
    ];
    let index = ProjectIndex::new(
        files,
        Box::new(move |path: &Path| {
            sources
                .iter()
                .find(|(known, _)| Path::new(known) == path)
                .map(|(_, source)| source.to_string())
        }),
    );
    assert_eq!(
        constant_from(&index, 2, &["settings", "SECRET"]),
        Some("Str(\"own\")".to_string())
    );
}

#[test]
fn constants_built_from_constants_are_bounded() {
    let mut source = String::from("A0 = 'x' * 1\nB0 = 'xxxxxxxxxxxxxxxx'\n");
    for level in 1..=40 {
        let below = level - 1;
        source.push_str(&format!("B{level} = B{below} + B{below}\n"));
    }
    let summary = summary(&source, "m", false);
    assert_eq!(summary.member("A0"), Some(Member::Unknown));
    assert!(matches!(summary.member("B10"), Some(Member::Constant(_))));
    assert_eq!(summary.member("B40"), Some(Member::Unknown));
}

#[test]
fn analyze_follows_names_into_the_project_only_when_given_one() {
    let views =
        "import jwt\nfrom .settings import SECRET\n\njwt.encode({}, SECRET, algorithm='HS256')\n";
    let index = project(&[
        (
            "app/settings.py",
            "app.settings",
            false,
            "SECRET = 'k3y-in-settings'\n",
        ),
        ("app/views.py", "app.views", false, views),
    ]);
    let rules = |options: crate::Options| -> Vec<&'static str> {
        crate::analyze(views, &options)
            .findings
            .iter()
            .map(|finding| finding.rule.id)
            .collect()
    };
    let in_project = crate::Options {
        project: index.module(1),
        ..crate::Options::default()
    };
    assert_eq!(rules(in_project), ["PV533"]);
    assert_eq!(rules(crate::Options::default()), Vec::<&str>::new());
}
