use super::environment::env_lookup;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, BoolOp, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::settings::{is_settings_module, Setting, Site};

declare_rule! {
    /// ## What it does
    /// Flags a web framework's signing key written into the code.
    ///
    /// That is Django's and Flask's `SECRET_KEY` (as a setting, `app.secret_key`,
    /// `app.config["SECRET_KEY"]` or `app.config.update(SECRET_KEY=...)`), Flask-JWT-Extended's
    /// `JWT_SECRET_KEY`, Flask-WTF's `WTF_CSRF_SECRET_KEY`, and old keys kept in
    /// `SECRET_KEY_FALLBACKS`.
    ///
    /// A key read from the environment with a fallback written in the code
    /// (`os.environ.get("SECRET_KEY", "dev")`) is flagged too. Unlike a general secrets check,
    /// any value counts, `"dev"` and `"changeme"` included: a guessable signing key is as bad
    /// as a leaked one.
    ///
    /// ## Why is this bad?
    /// The framework signs session cookies, password-reset links, CSRF tokens and messages
    /// with this key. Whoever knows it can forge a session for any user; with Django's
    /// older pickle-based sessions, that was enough to run code on the server. A key in the
    /// source is known to everyone who can read the repository, and a fallback means a
    /// deployment that forgot to set the variable silently runs with the published key.
    ///
    /// ## Example
    /// ```python
    /// from flask import Flask
    /// app = Flask(__name__)
    /// app.secret_key = "dev"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// from flask import Flask
    /// app = Flask(__name__)
    /// app.secret_key = os.environ["SECRET_KEY"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the key is read with `os.environ["NAME"]`, which raises `KeyError` until the
    /// variable is set in every environment. The old key stays in the history: replace it.
    ///
    /// ## References
    /// CWE-798, CWE-321 · OWASP A05
    pub HARDCODED_FRAMEWORK_SECRET_KEY = RuleMeta {
        id: "PV502",
        name: "hardcoded-framework-secret-key",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[798, 321],
        owasp: Owasp::A05,
        guideline: "configuration",
        sources: &[Source::Bandit("B105"), Source::Ruff("S105")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &HARDCODED_FRAMEWORK_SECRET_KEY,
    checks: &[Check::Setting(check_setting)],
    needs: &[],
};

/// Settings that hold a framework's signing key.
const KEY_SETTINGS: &[&str] = &["SECRET_KEY", "JWT_SECRET_KEY", "WTF_CSRF_SECRET_KEY"];

fn check_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    let name = setting.name;
    if setting.site == Site::Module && !is_settings_module(checker.semantic()) {
        return;
    }
    if setting.name == "SECRET_KEY_FALLBACKS" {
        if let Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) =
            setting.value
        {
            for key in elts.iter().filter(|key| is_written_key(checker, key)) {
                let message = "An old signing key in `SECRET_KEY_FALLBACKS` is written in the code: it still verifies forged signatures";
                checker.report(Finding::new(
                    &HARDCODED_FRAMEWORK_SECRET_KEY,
                    key.range(),
                    message,
                ));
            }
        }
        return;
    }
    if !KEY_SETTINGS.contains(&name) {
        return;
    }
    let value = setting.value;
    let (message, fix) = if is_written_key(checker, value) {
        (
            format!("`{name}` is written in the code: anyone who reads it can forge sessions and signed tokens"),
            literal_fix(checker, name, value),
        )
    } else if let Some(variable) = fallback_key(checker, value) {
        (
            format!("`{name}` falls back to a key written in the code when the environment variable is missing"),
            Some(environment_fix(checker, value, checker.text(variable).to_string(), false)),
        )
    } else {
        return;
    };
    checker.report(
        Finding::new(&HARDCODED_FRAMEWORK_SECRET_KEY, value.range(), message)
            .with_confidence(setting.confidence)
            .with_fix(fix),
    );
}

/// A non-empty constant string or bytes value (an empty key makes the framework refuse to
/// sign, which is not a leak).
fn is_written_key<'a>(checker: &Checker<'a>, value: &'a Expr) -> bool {
    if let Expr::BytesLiteral(bytes) = value {
        return !bytes.value.is_empty();
    }
    checker
        .semantic()
        .constant_string(value)
        .is_some_and(|key| !key.is_empty() && !key.starts_with("${"))
}

/// The variable of an environment lookup that falls back to a written key:
/// `os.getenv("SECRET_KEY", "dev")` or `os.getenv("SECRET_KEY") or "dev"`.
fn fallback_key<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<&'a Expr> {
    if let Expr::BoolOp(ast::ExprBoolOp {
        op: BoolOp::Or,
        values,
        ..
    }) = value
    {
        let [lookup, fallback] = &values[..] else {
            return None;
        };
        let lookup = env_lookup(checker, lookup)?;
        return is_written_key(checker, fallback).then_some(lookup.variable);
    }
    let lookup = env_lookup(checker, value)?;
    lookup
        .default
        .is_some_and(|default| is_written_key(checker, default))
        .then_some(lookup.variable)
}

/// `"dev"` → `os.environ["SECRET_KEY"]` (`.encode()` for bytes). Only literals written at
/// the setting itself: a constant defined elsewhere is left for a human to remove.
fn literal_fix(checker: &Checker, name: &str, value: &Expr) -> Option<Fix> {
    let bytes = match value {
        Expr::StringLiteral(_) => false,
        Expr::BytesLiteral(_) => true,
        _ => return None,
    };
    Some(environment_fix(
        checker,
        value,
        format!("\"{name}\""),
        bytes,
    ))
}

fn environment_fix(checker: &Checker, value: &Expr, variable: String, bytes: bool) -> Fix {
    let (os, import) = checker.import_module("os", value.start());
    let encode = if bytes { ".encode()" } else { "" };
    let mut edits = vec![Edit::replace(
        value.range(),
        format!("{os}.environ[{variable}]{encode}"),
    )];
    edits.extend(import);
    Fix::unsafe_edits(format!("Read the key from `os.environ[{variable}]`"), edits)
}
