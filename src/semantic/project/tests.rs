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
    let view = summary
        .function("view")
        .expect("every top-level function is summarised");
    assert!(view.parameters.is_empty() && !view.returns_known);
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

/// The findings of `file` in `index`, as "rule line: message".
fn findings_in(index: &Arc<ProjectIndex>, file: usize, source: &str) -> Vec<String> {
    let options = crate::Options {
        project: index.module(file),
        ..crate::Options::default()
    };
    crate::analyze(source, &options)
        .findings
        .iter()
        .map(|finding| {
            let line = source[..finding.range.start().to_usize()].lines().count();
            format!("{} {line}: {}", finding.rule.id, finding.message)
        })
        .collect()
}

const TASKS: &str = "import os\n\n\ndef read_report(name):\n    with open(\"/srv/reports/\" + name) as report:\n        return report.read()\n\n\ndef run_report(name):\n    os.system(\"report \" + name)\n";

/// The findings of rule `rule`.
fn of_rule(findings: &[String], rule: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|finding| finding.starts_with(rule))
        .cloned()
        .collect()
}

#[test]
fn a_helper_called_with_request_data_from_another_module_names_the_caller() {
    let views = "from flask import Flask, request\n\nfrom .tasks import read_report\nfrom . import tasks\n\napp = Flask(__name__)\n\n\n@app.get(\"/report\")\ndef report():\n    tasks.run_report(request.args[\"kind\"])\n    return read_report(request.args[\"name\"])\n";
    let index = project(&[
        ("app/tasks.py", "app.tasks", false, TASKS),
        ("app/views.py", "app.views", false, views),
    ]);
    let findings = findings_in(&index, 0, TASKS);
    let [opened] = &of_rule(&findings, "PV715")[..] else {
        panic!("{findings:#?}");
    };
    assert!(
        opened.starts_with("PV715 5:")
            && opened.ends_with(
                "; the data comes from `request.args` in app/views.py on line 12, through `read_report`"
            ),
        "{opened}"
    );
    let [command] = &of_rule(&findings, "PV211")[..] else {
        panic!("{findings:#?}");
    };
    assert!(
        command.ends_with(
            "; the data comes from `request.args` in app/views.py on line 11, through `run_report`"
        ),
        "{command}"
    );
}

/// A step's file, line and column in another module.
type Place<'a> = (&'a str, usize, usize);

#[test]
fn the_trace_of_a_helper_s_finding_starts_in_the_calling_module() {
    let views = "from flask import Flask, request\n\nfrom .tasks import read_report\n\napp = Flask(__name__)\n\n\n@app.get(\"/report\")\ndef report():\n    wanted = request.args[\"name\"]\n    return read_report(wanted)\n";
    let index = project(&[
        ("app/tasks.py", "app.tasks", false, TASKS),
        ("app/views.py", "app.views", false, views),
    ]);
    let options = crate::Options {
        project: index.module(0),
        ..crate::Options::default()
    };
    let analysis = crate::analyze(TASKS, &options);
    let opened = analysis
        .findings
        .iter()
        .find(|finding| finding.rule.id == "PV715")
        .expect("the helper's open is reported");
    let steps: Vec<(Option<Place>, &str)> = opened
        .trace
        .iter()
        .map(|step| {
            let place = step
                .elsewhere
                .as_ref()
                .map(|place| (place.path.as_str(), place.start.line, place.start.column));
            (place, step.message.as_str())
        })
        .collect();
    assert_eq!(
        steps[..3],
        [
            (
                Some(("app/views.py", 10, 14)),
                "`args` is read from the request"
            ),
            (Some(("app/views.py", 10, 5)), "`wanted` holds it"),
            (
                Some(("app/views.py", 11, 24)),
                "it is passed to `read_report` as `name`"
            ),
        ],
        "{steps:#?}"
    );
    // Then the steps in the helper's own file, from its parameter to the sink.
    assert!(
        steps[3..].iter().all(|(place, _)| place.is_none()) && steps.len() >= 5,
        "{steps:#?}"
    );
    assert!(steps[3]
        .1
        .starts_with("`name` is passed to `read_report` in app/views.py on line 11"));
}

#[test]
fn a_helper_no_caller_passes_request_data_to_stays_quiet() {
    let views = "from flask import Flask, request\n\nfrom .tasks import read_report, run_report\n\napp = Flask(__name__)\n\n\n@app.get(\"/report\")\ndef report():\n    name = request.args[\"name\"]\n    if name not in (\"daily\", \"weekly\"):\n        return \"no\", 400\n    run_report(\"daily\")\n    return read_report(name)\n";
    let cli =
        "import sys\n\nfrom app.tasks import read_report\n\nprint(read_report(sys.argv[1]))\n";
    let index = project(&[
        ("app/tasks.py", "app.tasks", false, TASKS),
        ("app/views.py", "app.views", false, views),
        ("app/cli.py", "app.cli", false, cli),
    ]);
    let findings = findings_in(&index, 0, TASKS);
    // The allow-list guards the path; a file named on the command line is the user's own.
    assert_eq!(of_rule(&findings, "PV715"), Vec::<String>::new());
    // The command is still built from a value, but nothing says from request data.
    let [command] = &of_rule(&findings, "PV211")[..] else {
        panic!("{findings:#?}");
    };
    assert!(!command.contains("the data comes from"), "{command}");
}

#[test]
fn helpers_are_searched_only_from_modules_that_import_them() {
    // The same helper name in a module that imports another `tasks`: not a caller.
    let other = "from flask import request\nfrom vendor.tasks import read_report\n\nread_report(request.args[\"x\"])\n";
    let index = project(&[
        ("app/tasks.py", "app.tasks", false, TASKS),
        ("app/other.py", "app.other", false, other),
    ]);
    assert_eq!(
        of_rule(&findings_in(&index, 0, TASKS), "PV715"),
        Vec::<String>::new()
    );
    // Without a project, the helper's parameter comes from nowhere.
    let alone = crate::analyze(TASKS, &crate::Options::default());
    assert!(alone
        .findings
        .iter()
        .all(|finding| finding.rule.id != "PV715"));
}
