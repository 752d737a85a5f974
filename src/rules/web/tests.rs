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
fn secret_key_names_outside_settings_are_not_framework_keys() {
    let provider = "class EnvProvider:\n    ACCESS_KEY = 'AWS_ACCESS_KEY_ID'\n    SECRET_KEY = 'AWS_SECRET_ACCESS_KEY'\n";
    assert!(web_findings(provider).is_empty());
    let named = "class ConfigProvider:\n    SECRET_KEY = 'aws_secret_access_key'\n";
    assert!(web_findings(named).is_empty());
    let pydantic = format!(
        "from pydantic_settings import BaseSettings\n{}",
        named.replace("ConfigProvider", "Settings(BaseSettings)")
    );
    assert_eq!(web_findings(&pydantic), ["PV502"]);
    assert!(web_findings("SECRET_KEY = 'AWS_SECRET_ACCESS_KEY'\n").is_empty());
    let flask_config = "import os\nclass Config:\n    SECRET_KEY = 'dev'\n    SQLALCHEMY_DATABASE_URI = os.environ['DB']\n";
    assert_eq!(web_findings(flask_config), ["PV502"]);
    let django = "from django.conf import settings\nSECRET_KEY = 'dev'\n";
    assert_eq!(web_findings(django), ["PV502"]);
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

/// The source after applying every fix of `rule`, unsafe ones included.
fn fixed(source: &str, rule: &str) -> String {
    let options = Options {
        select: vec![rule.to_string()],
        ..Options::default()
    };
    crate::fix::apply_fixes(source, &options, &crate::fix::FixSelection::All, true).source
}

#[test]
fn the_pinned_jwt_algorithm_follows_the_key_when_no_encode_shows_it() {
    let secret = "import jwt\nKEY = 'a-shared-secret'\nclaims = jwt.decode(token, KEY)\n";
    assert!(fixed(secret, "PV531").contains("jwt.decode(token, KEY, algorithms=[\"HS256\"])"));
    let pem =
        "import jwt\nPUBLIC = open('keys/public.pem').read()\nclaims = jwt.decode(token, PUBLIC)\n";
    assert!(fixed(pem, "PV531").contains("algorithms=[\"RS256\"]"));
    let loaded = "import jwt\nfrom cryptography.hazmat.primitives.serialization import load_pem_public_key\nKEY = load_pem_public_key(data)\nclaims = jwt.decode(token, KEY)\n";
    assert!(fixed(loaded, "PV531").contains("algorithms=[\"RS256\"]"));
    let written_pem =
        "import jwt\nclaims = jwt.decode(token, '-----BEGIN EC PUBLIC KEY-----\\n...')\n";
    assert!(fixed(written_pem, "PV531").contains("algorithms=[\"ES256\"]"));
    // From the environment the key could be either: no fix.
    let unknown = "import os\nimport jwt\nclaims = jwt.decode(token, os.environ['JWT_KEY'])\n";
    assert_eq!(fixed(unknown, "PV531"), unknown);
    // Encodes that disagree show nothing either.
    let mixed = "import jwt\na = jwt.encode(p, k, algorithm='RS256')\nb = jwt.encode(p, s, algorithm='HS256')\nclaims = jwt.decode(token, 'secret')\n";
    assert_eq!(fixed(mixed, "PV531"), mixed);
    let encoded = "import jwt\ndef issue(p):\n    return jwt.encode(p, PRIVATE, algorithm='ES384')\nclaims = jwt.decode(token, PUBLIC)\n";
    assert!(fixed(encoded, "PV531").contains("jwt.decode(token, PUBLIC, algorithms=[\"ES384\"])"));
}

#[test]
fn debug_read_from_the_environment_imports_os_once() {
    let source =
        "from flask import Flask\napp = Flask(__name__)\napp.debug = True\napp.run(debug=True)\n";
    assert_eq!(
        fixed(source, "PV501"),
        "import os\nfrom flask import Flask\napp = Flask(__name__)\napp.debug = os.environ.get(\"FLASK_DEBUG\") == \"1\"\napp.run(debug=os.environ.get(\"FLASK_DEBUG\") == \"1\")\n"
    );
}

#[test]
fn a_reflected_origin_is_checked_against_an_allow_list_from_the_environment() {
    let source = "\"\"\"CORS by hand.\"\"\"\nfrom flask import request\n\n\ndef allow(response):\n    origin = request.headers[\"Origin\"]\n    response.headers[\"Access-Control-Allow-Origin\"] = origin\n    return response\n\n\ndef again(response):\n    origin = request.headers[\"Origin\"]\n    response.headers[\"Access-Control-Allow-Origin\"] = origin\n    return response\n";
    let expected = "\"\"\"CORS by hand.\"\"\"\nimport os\nfrom flask import request\n\n\nCORS_ALLOWED_ORIGINS = [allowed for allowed in os.environ.get(\"CORS_ALLOWED_ORIGINS\", \"\").split(\",\") if allowed]\n\n\ndef allow(response):\n    origin = request.headers[\"Origin\"]\n    if origin in CORS_ALLOWED_ORIGINS:\n        response.headers[\"Access-Control-Allow-Origin\"] = origin\n    return response\n\n\ndef again(response):\n    origin = request.headers[\"Origin\"]\n    if origin in CORS_ALLOWED_ORIGINS:\n        response.headers[\"Access-Control-Allow-Origin\"] = origin\n    return response\n";
    assert_eq!(fixed(source, "PV522"), expected);
    assert_eq!(web_findings(expected), Vec::<&str>::new());
}
