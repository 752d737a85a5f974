use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};

use super::last_identifier;
use super::masked_log_fix::masked_log_fix;
use super::secret_values::find_secret;

declare_rule! {
    /// ## What it does
    /// Flags log calls that write a password, token, key, cookie or whole request headers.
    ///
    /// Covered: `logging`, `logging.getLogger(...)`, Flask's `app.logger`, structlog, loguru
    /// and any `logger` / `log` object, with an argument that holds a secret: a variable or
    /// attribute named as one (`password`, `api_key`, `settings.SECRET_KEY`,
    /// `access_token`), a secret read by key (`request.headers["Authorization"]`,
    /// `data["password"]`), or a whole request part that carries them (`request.headers`,
    /// `request.cookies`, `request.form`, `request.get_json()`).
    ///
    /// A masked or derived value is not flagged: a hash, a length, a slice, a call of your
    /// own (`mask(token)`), a flag about the secret (`has_password`, `token_type`), a
    /// constant, or a single harmless field (`request.headers.get("User-Agent")`). Neither
    /// is a `session_id` that a lock service created (`client.session.create(...)`): a
    /// handle for tracing locks, not a web session.
    ///
    /// ## Why is this bad?
    /// Logs are copied to files, log shippers, search services, tickets and screenshots,
    /// kept for months and read by many more people than your database. A password, token
    /// or session cookie written there is leaked, at every log level: DEBUG gets turned on
    /// in production during the incident you most need to contain.
    ///
    /// ## Example
    /// ```python
    /// import logging
    ///
    /// def log_login_attempt(username, password):
    ///     logging.info("login attempt user=%s password=%s", username, password)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import logging
    ///
    /// def log_login_attempt(username, succeeded):
    ///     logging.info("login attempt user=%r succeeded=%s", username, succeeded)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: each value of the call that carries a secret is replaced by `"<redacted>"` (in an
    /// f-string message, its placeholder becomes the text `<redacted>`), so the log line
    /// keeps its shape but loses the value. The program does the same, but whoever reads
    /// those logs (or a test that checks them) sees less, and a value taken for a secret by
    /// its name alone may have been worth logging. Only offered where a string fits: a
    /// value whose placeholder is `%s`, `%r` or `{}` without a format spec, a keyword
    /// field, an `extra=` entry; not for `%d`, `%(name)s` or `*args` (then the call gets no
    /// fix, since it would still write a secret).
    ///
    /// ## References
    /// CWE-532, CWE-359 · OWASP A09
    pub SECRET_IN_LOG = RuleMeta {
        id: "PV730",
        name: "secret-in-log",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[532, 359],
        owasp: Owasp::A09,
        guideline: "logging",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &SECRET_IN_LOG,
    checks: &[Check::Call(check_call)],
    needs: &[],
};

const LEVELS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
    "trace",
    "success",
];

const LOGGER_NAMES: &[&str] = &[
    "logger", "log", "_logger", "_log", "LOGGER", "LOG", "logging",
];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    if !is_log_call(checker, call) {
        return;
    }
    // structlog and loguru log every keyword; `logging` takes its fields in `extra=`.
    let keywords = call.arguments.keywords.iter().filter(|keyword| {
        !keyword
            .arg
            .as_ref()
            .is_some_and(|arg| matches!(arg.id.as_str(), "exc_info" | "stack_info" | "stacklevel"))
    });
    let positional = call
        .arguments
        .args
        .iter()
        .enumerate()
        .map(|(at, arg)| (arg, Some(at)));
    let logged: Vec<(&'a Expr, Option<usize>)> = positional
        .chain(keywords.map(|keyword| (&keyword.value, None)))
        .collect();
    for &(argument, _) in &logged {
        let Some((leak, what, confidence)) = find_secret(checker, argument, 0) else {
            continue;
        };
        let name = checker.text(&*call.func);
        let message = if what.ends_with(" whole") {
            format!("`{name}` writes {what} to the log, with any credentials it carries (authorization headers, cookies, passwords)")
        } else {
            format!("`{name}` writes {what} to the log; logs are copied and kept long after the request, and the secret with them")
        };
        // Where the secret came from, when the request sent it.
        let trace = checker
            .semantic()
            .request_taint_with(leak, |_| false)
            .unwrap_or_default();
        checker.report(
            Finding::new(&SECRET_IN_LOG, leak.range(), message)
                .with_confidence(confidence)
                .with_trace(trace)
                .with_fix(masked_log_fix(checker, call, &logged)),
        );
        return;
    }
}

/// True when `call` writes a log record: a level method on a logger.
fn is_log_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    if !LEVELS.contains(&method.attr.id.as_str()) {
        return false;
    }
    match checker.semantic().resolve_value_origin(&method.value) {
        Some(owner) => match owner.segments() {
            ["logging"] | ["logging", "getLogger", ..] | ["loguru", "logger"] => true,
            ["structlog", "get_logger" | "getLogger", ..] => true,
            ["flask" | "quart", "Flask", "()", "logger"] => true,
            segments => segments
                .iter()
                .any(|segment| LOGGER_NAMES.contains(segment)),
        },
        None => last_identifier(&method.value).is_some_and(|name| LOGGER_NAMES.contains(&name)),
    }
}
