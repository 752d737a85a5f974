use super::secret_name::env_var_name;
use super::secret_value::looks_random;
use super::sites::{bound_name, environment_fix, is_bare_string, is_test_code};
use super::url_credentials::{conventional_variable, find_url_credentials};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Fix, Severity};
use crate::parse::ast::Expr;
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::known_secrets::has_known_secret;
use crate::semantic::{LiteralKind, LiteralText};

declare_rule! {
    /// ## What it does
    /// Flags URLs with a password written into them, in any string:
    /// `postgresql://app:hunter2@db/app`.
    ///
    /// Every scheme counts (`redis://:hunter2@cache:6379/0`, `amqp://worker:hunter2@mq//`,
    /// `https://bob:hunter2@api.example.com/`), and so do f-strings:
    /// `f"postgresql://app:hunter2@{host}/app"` still has the password written in.
    ///
    /// Placeholders stay quiet: `{}`/`%s` templates, `${DB_PASSWORD}`, `<password>`, a password
    /// equal to the user name (`test:test@`), `user:password@` and `scott:tiger@`. So do
    /// docstrings, tests and passwords that have a known format (reported by PV103/PV104).
    ///
    /// ## Why is this bad?
    /// A connection URL is a password with an address attached: whoever reads it can connect.
    /// URLs also travel further than other strings: into logs, error messages, tracebacks and
    /// monitoring tools, where the password is printed along with them.
    ///
    /// ## Example
    /// ```python
    /// from sqlalchemy import create_engine
    /// engine = create_engine("postgresql://app:hunter2@db.internal/app")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// from sqlalchemy import create_engine
    /// engine = create_engine(os.environ["DATABASE_URL"])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the whole URL moves to an environment variable, which must be set before the
    /// code runs. It is named after what the URL is bound to when that name says it holds a
    /// URL (`broker_url` → `BROKER_URL`), else by scheme (`DATABASE_URL`, `REDIS_URL`,
    /// `BROKER_URL`, `MONGODB_URI`), else after the name with `_URL` appended. We move the whole URL rather than
    /// splice a password variable into it: a password with `@`, `:` or `/` in it would need
    /// URL-quoting, and host and database usually differ between environments anyway. No fix
    /// is offered when the URL is part of a longer string, an f-string, or has no name and an
    /// unknown scheme. Rotate the old password: it stays in the history.
    ///
    /// ## References
    /// CWE-798 · OWASP A07
    pub CREDENTIALS_IN_URL = RuleMeta {
        id: "PV102",
        name: "credentials-in-url",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[798],
        owasp: Owasp::A07,
        guideline: "secrets-management",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &CREDENTIALS_IN_URL,
    checks: &[Check::Literal(check_literal)],
    needs: &[],
};

fn check_literal<'a>(checker: &Checker<'a>, expr: &'a Expr, literal: &LiteralText<'a>) {
    if !literal.text.contains("://") {
        return;
    }
    let Some(credentials) = find_url_credentials(&literal.text) else {
        return;
    };
    if has_known_secret(credentials.password.as_bytes())
        || is_bare_string(checker, expr)
        || is_test_code(checker, expr.start())
    {
        return;
    }
    let confidence = if looks_random(credentials.password) {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let whole = credentials.start == 0 && credentials.end == literal.text.len();
    let fix = (whole && literal.kind != LiteralKind::Template)
        .then(|| url_fix(checker, expr, credentials.scheme, literal.kind))
        .flatten();
    let message = format!(
        "This `{}` URL carries a hardcoded password: anyone who can read it can connect to `{}`",
        credentials.scheme,
        if credentials.host.is_empty() {
            "the server"
        } else {
            credentials.host
        }
    );
    checker.report(
        Finding::new(&CREDENTIALS_IN_URL, expr.range(), message)
            .with_confidence(confidence)
            .with_fix(fix),
    );
}

/// The whole URL → `os.environ["NAME"]`, named after what it is bound to or its scheme.
fn url_fix(checker: &Checker, expr: &Expr, scheme: &str, kind: LiteralKind) -> Option<Fix> {
    let variable = variable_name(bound_name(checker, expr.range()), scheme)?;
    environment_fix(checker, expr, &variable, kind == LiteralKind::Bytes)
}

/// A name that says it holds a URL (`broker_url`, `SQLALCHEMY_DATABASE_URI`) is kept; a vaguer
/// one (`url`, `mongo`) gives way to the scheme's usual variable, or gets `_URL` appended.
fn variable_name(bound: Option<&str>, scheme: &str) -> Option<String> {
    let bound = bound.and_then(env_var_name);
    let says_url = bound.as_deref().is_some_and(|name| {
        name.contains('_')
            && ["_URL", "_URI", "_DSN"]
                .iter()
                .any(|end| name.ends_with(end))
    });
    match (bound, conventional_variable(scheme)) {
        (Some(name), _) if says_url => Some(name),
        (_, Some(conventional)) => Some(conventional.to_string()),
        (Some(name), None) => Some(format!("{name}_URL")),
        (None, None) => None,
    }
}
