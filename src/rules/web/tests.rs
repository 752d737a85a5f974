//! Module-wide behaviour a single fixture cannot show: what makes a module a settings
//! module, what test modules are spared, and settings that depend on each other.

use crate::{analyze, Options};

/// The ids of the web rules that fire on `source`, in order.
fn web_findings(source: &str) -> Vec<&'static str> {
    let options = Options {
        select: vec!["web".to_string()],
        ..Options::default()
    };
    analyze(source, &options)
        .findings
        .iter()
        .map(|finding| finding.rule.id)
        .collect()
}

#[test]
fn debug_needs_a_settings_module() {
    assert!(web_findings("DEBUG = True\n").is_empty());
    assert_eq!(
        web_findings("from .base import *\nDEBUG = True\n"),
        ["PV501"]
    );
    assert_eq!(
        web_findings("INSTALLED_APPS = []\nDEBUG = True\n"),
        ["PV501"]
    );
    let shadowed = "import os\nROOT_URLCONF = 'urls'\ndef bool(x):\n    return x\nDEBUG = bool(os.getenv('DEBUG'))\n";
    assert!(web_findings(shadowed).is_empty());
}

#[test]
fn test_modules_may_switch_protections_off() {
    let source = "import pytest\nfrom flask import Flask\napp = Flask(__name__)\napp.config['WTF_CSRF_ENABLED'] = False\napp.config['SESSION_COOKIE_SECURE'] = False\n";
    assert!(web_findings(source).is_empty());
    let production = source.replace("import pytest\n", "");
    assert_eq!(web_findings(&production), ["PV511", "PV504"]);
}

#[test]
fn middleware_extended_later_keeps_csrf() {
    let list = "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\n";
    assert_eq!(web_findings(list), ["PV511"]);
    let appended =
        format!("{list}MIDDLEWARE.append('django.middleware.csrf.CsrfViewMiddleware')\n");
    assert!(web_findings(&appended).is_empty());
    let extended = format!("{list}MIDDLEWARE += ['django.middleware.csrf.CsrfViewMiddleware']\n");
    assert!(web_findings(&extended).is_empty());
    let no_sessions = "MIDDLEWARE = ['django.middleware.common.CommonMiddleware']\n";
    assert!(web_findings(no_sessions).is_empty());
}

#[test]
fn django_cors_severity_depends_on_credentials() {
    assert_eq!(web_findings("CORS_ALLOW_ALL_ORIGINS = True\n"), ["PV521"]);
    assert_eq!(
        web_findings("CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n"),
        ["PV520"]
    );
    assert_eq!(
        web_findings("CORS_ALLOW_CREDENTIALS = True\nCORS_ALLOWED_ORIGIN_REGEXES = [r'^.*$']\n"),
        ["PV520"]
    );
}

#[test]
fn django_csp_default_src_yields_to_script_src() {
    let loose = "CSP_DEFAULT_SRC = (\"'self'\", \"'unsafe-inline'\")\n";
    assert_eq!(web_findings(loose), ["PV542"]);
    let strict = format!("{loose}CSP_SCRIPT_SRC = (\"'self'\",)\n");
    assert!(web_findings(&strict).is_empty());
}

#[test]
fn truncated_fixtures_never_panic() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let source = source.replace("example", "exämple 🚀");
        for (cut, _) in source.char_indices().step_by(37) {
            web_findings(&source[..cut]);
        }
    }
}
