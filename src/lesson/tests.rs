//! The requirement matcher and the verdict, on the kinds of code learners write.

use super::{grade, LessonCheck};

fn lesson(targets: &[&str], requirements: &str) -> LessonCheck {
    let requirements = serde_json::from_str(requirements).expect("requirements parse");
    LessonCheck {
        targets: targets.iter().map(|target| (*target).to_string()).collect(),
        requirements,
    }
}

fn holds(source: &str, requirement: &str) -> bool {
    let check = lesson(&["PV201"], &format!("[{requirement}]"));
    grade(source, &check).expect("valid lesson").requirements[0].1
}

const SQL_VULNERABLE: &str = r#"import sqlite3
from flask import request

def find(username):
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute(f"SELECT * FROM users WHERE name = '{username}'")
    return cur.fetchone()
"#;

const SQL_FIXED: &str = r#"import sqlite3 as db

def find(username):
    conn = db.connect("app.db")
    cur = conn.cursor()
    query = "SELECT * FROM users WHERE name = ?"
    cur.execute(query, (username,))
    return cur.fetchone()
"#;

const EXECUTE_WITH_USERNAME: &str = r#"{"says": "still queries on username",
    "call": ["sqlite3.connect().cursor().execute"],
    "args": [{"uses": "username"}, {"at": 0, "contains": "where"}]}"#;

#[test]
fn a_call_is_found_through_aliases_and_the_values_it_was_made_from() {
    assert!(holds(SQL_VULNERABLE, EXECUTE_WITH_USERNAME));
    assert!(holds(SQL_FIXED, EXECUTE_WITH_USERNAME));
}

#[test]
fn a_call_without_the_required_argument_does_not_count() {
    let without_user = SQL_FIXED.replace("(username,)", "()");
    assert!(!holds(&without_user, EXECUTE_WITH_USERNAME));
    let without_filter = SQL_FIXED.replace(" WHERE name = ?", "");
    assert!(!holds(&without_filter, EXECUTE_WITH_USERNAME));
}

#[test]
fn a_local_function_of_the_same_name_is_not_the_library_call() {
    let local = r#"
def execute(query, params):
    return None

def find(username):
    execute("SELECT * FROM users WHERE name = ?", (username,))
"#;
    assert!(!holds(local, EXECUTE_WITH_USERNAME));
    let yaml = r#"{"says": "loads YAML", "call": ["yaml.safe_load", "yaml.load"]}"#;
    assert!(!holds("def load(x): pass\nload(data)\n", yaml));
    assert!(holds(
        "from yaml import safe_load as parse\nparse(data)\n",
        yaml
    ));
}

#[test]
fn an_argument_pattern_with_only_a_place_asks_for_the_argument() {
    let timeout =
        r#"{"says": "has a timeout", "call": ["requests.get"], "args": [{"at": "timeout"}]}"#;
    assert!(holds(
        "import requests\nrequests.get(url, timeout=5)\n",
        timeout
    ));
    assert!(!holds("import requests\nrequests.get(url)\n", timeout));
    let second = r#"{"says": "has params", "call": ["requests.get"], "args": [{"at": 1}]}"#;
    assert!(holds("import requests\nrequests.get(url, {})\n", second));
    assert!(!holds("import requests\nrequests.get(url)\n", second));
    let empty = lesson(
        &["PV201"],
        r#"[{"says": "calls", "call": ["f"], "args": [{}]}]"#,
    );
    assert!(grade("", &empty).is_err());
}

#[test]
fn a_method_pattern_matches_any_receiver() {
    let requirement = r#"{"says": "runs a query", "call": ["*.execute"], "args": [{"at": 1, "uses": "username"}]}"#;
    assert!(holds(
        "def f(db, username):\n    db.execute('q', [username])\n",
        requirement
    ));
    assert!(!holds(
        "def f(db, username):\n    db.commit()\n",
        requirement
    ));
}

#[test]
fn uses_follows_imports_and_matches_parts_of_a_name() {
    let requirement = r#"{"says": "reads the body", "uses": "flask.request.data"}"#;
    assert!(holds(
        "from flask import request as r\nbody = r.data\n",
        requirement
    ));
    assert!(!holds(
        "request = object()\nbody = request.data\n",
        requirement
    ));
    let check = r#"{"says": "checks the role", "uses": "user.is_admin", "inside": "delete"}"#;
    assert!(holds(
        "def delete(user):\n    if not user.is_admin:\n        raise PermissionError\n",
        check
    ));
    assert!(!holds(
        "def other(user):\n    return user.is_admin\n",
        check
    ));
}

#[test]
fn a_local_value_is_known_by_its_name_and_by_what_it_holds() {
    let source =
        "from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app)\n";
    let by_name = r#"{"says": "enables CORS on app", "call": ["flask_cors.CORS"], "args": [{"uses": "app"}]}"#;
    let by_value = r#"{"says": "enables CORS on a Flask app", "call": ["flask_cors.CORS"], "args": [{"uses": "flask.Flask()"}]}"#;
    assert!(holds(source, by_name));
    assert!(holds(source, by_value));
    // An imported name is only what it imports: `sp.run` is not `sp.run`.
    let imported = r#"{"says": "runs it", "call": ["sp.run"]}"#;
    assert!(!holds(
        "import subprocess as sp\nsp.run(['ls'])\n",
        imported
    ));
}

#[test]
fn settings_and_definitions_are_found_in_every_shape() {
    let secret = r#"{"says": "sets the key", "setting": "SECRET_KEY"}"#;
    let flask = "import os\nfrom flask import Flask\napp = Flask(__name__)\n";
    assert!(holds(
        &format!("{flask}app.config['SECRET_KEY'] = os.environ['KEY']\n"),
        secret
    ));
    assert!(holds(
        &format!("{flask}app.secret_key = os.environ['KEY']\n"),
        secret
    ));
    assert!(!holds(flask, secret));
    let defines = r#"{"says": "defines login", "defines": "login"}"#;
    assert!(holds("def login():\n    pass\n", defines));
    assert!(!holds("def logout():\n    pass\n", defines));
}

#[test]
fn the_lesson_passes_only_with_the_rule_silent_and_every_requirement_held() {
    let check = lesson(&["PV201"], &format!("[{EXECUTE_WITH_USERNAME}]"));
    let start = grade(SQL_VULNERABLE, &check).unwrap();
    assert!(!start.passed);
    assert!(!start.findings.is_empty());
    assert!(grade(SQL_FIXED, &check).unwrap().passed);
    let emptied = grade("", &check).unwrap();
    assert!(!emptied.passed);
    assert!(emptied.findings.is_empty());
    assert_eq!(
        emptied.requirements,
        vec![("still queries on username".to_string(), false)]
    );
    let broken = grade(&format!("{SQL_FIXED}\ndef (:\n"), &check).unwrap();
    assert!(!broken.passed, "code that does not parse never passes");
}

#[test]
fn invalid_lessons_are_errors() {
    let none = lesson(&["PV201"], r#"[{"says": "nothing"}]"#);
    assert!(grade("", &none).is_err());
    let two = lesson(
        &["PV201"],
        r#"[{"says": "two", "uses": "a", "defines": "b"}]"#,
    );
    assert!(grade("", &two).is_err());
    let unknown = lesson(&["PV999"], "[]");
    assert!(grade("", &unknown).unwrap_err().contains("PV999"));
    assert!(
        serde_json::from_str::<Vec<super::Requirement>>(r#"[{"says": "x", "calls": []}]"#).is_err()
    );
}
