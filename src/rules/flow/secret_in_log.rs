use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, Owasp};
use crate::rules::{Check, Rule};

use super::enclosing::last_identifier;
use super::secret_words::{is_secret_key, is_secret_name};

declare_rule! {
    /// ## What it does
    /// Flags log calls (`logging`, `logging.getLogger(...)`, Flask's `app.logger`,
    /// structlog, loguru, and any `logger` / `log` object) whose arguments hold a secret: a
    /// variable or attribute named as one (`password`, `api_key`, `settings.SECRET_KEY`,
    /// `access_token`), a secret read by key (`request.headers["Authorization"]`,
    /// `data["password"]`), or a whole request part that carries them (`request.headers`,
    /// `request.cookies`, `request.form`, `request.get_json()`).
    ///
    /// A masked or derived value is not flagged: a hash, a length, a slice, a call of your
    /// own (`mask(token)`), a flag about the secret (`has_password`, `token_type`), a
    /// constant, or a single harmless field (`request.headers.get("User-Agent")`).
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
        fix: FixAvailability::None,
    }
}

pub static RULE: Rule = Rule {
    meta: &SECRET_IN_LOG,
    checks: &[Check::Call(check_call)],
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

/// Request parts that hold credentials when logged whole, and how sure we are of it.
const WHOLE_PARTS: &[(&str, Confidence)] = &[
    ("headers", Confidence::High),
    ("cookies", Confidence::High),
    ("COOKIES", Confidence::High),
    ("META", Confidence::High),
    ("form", Confidence::Medium),
    ("json", Confidence::Medium),
    ("data", Confidence::Medium),
    ("values", Confidence::Medium),
    ("POST", Confidence::Medium),
    ("body", Confidence::Medium),
    ("get_json", Confidence::Medium),
    ("get_data", Confidence::Medium),
];

/// Calls that pass their argument's text on: the secret is still in what they return.
const TRANSPARENT_METHODS: &[&str] = &[
    "decode", "encode", "strip", "lower", "upper", "items", "values", "to_dict", "copy", "format",
    "join",
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
    for argument in call
        .arguments
        .args
        .iter()
        .chain(keywords.map(|keyword| &keyword.value))
    {
        let Some((leak, what, confidence)) = find_secret(checker, argument, 0) else {
            continue;
        };
        let name = checker.text(&*call.func);
        let message = if what.ends_with(" whole") {
            format!("`{name}` writes {what} to the log, with any credentials it carries (authorization headers, cookies, passwords)")
        } else {
            format!("`{name}` writes {what} to the log; logs are copied and kept long after the request, and the secret with them")
        };
        checker.report(
            Finding::new(&SECRET_IN_LOG, leak.range(), message).with_confidence(confidence),
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

/// The first secret inside `expr`: the expression, a description, and the confidence.
fn find_secret<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    depth: usize,
) -> Option<(&'a Expr, String, Confidence)> {
    if depth > 16 {
        return None;
    }
    let semantic = checker.semantic();
    let recurse = |inner: &'a Expr| find_secret(checker, inner, depth + 1);
    match expr {
        Expr::Name(name) if is_secret_name(name.id.as_str()) => {
            // A constant is not a run-time secret (and a literal secret is another rule's).
            let constant = semantic.constant_string(expr).is_some();
            (!constant).then(|| (expr, format!("`{}`", name.id), Confidence::Medium))
        }
        Expr::Attribute(attribute) => {
            let part = attribute.attr.id.as_str();
            if let Some((_, confidence)) = WHOLE_PARTS.iter().find(|(whole, _)| *whole == part) {
                if semantic.is_request_object(&attribute.value) {
                    let text = checker.text(expr);
                    return Some((expr, format!("`{text}` whole"), *confidence));
                }
            }
            is_secret_name(part).then(|| {
                (
                    expr,
                    format!("`{}`", checker.text(expr)),
                    Confidence::Medium,
                )
            })
        }
        Expr::Subscript(subscript) => {
            let key = semantic.constant_string(&subscript.slice)?;
            is_secret_key(&key).then(|| {
                (
                    expr,
                    format!("the `{key}` value"),
                    key_confidence(checker, &subscript.value),
                )
            })
        }
        Expr::Call(call) => {
            let function = semantic.resolve_qualified_name(&call.func);
            match function.as_ref().map(|function| function.segments()) {
                Some(
                    ["builtins", "str" | "repr" | "format" | "dict" | "list" | "tuple" | "bytes"]
                    | ["json", "dumps"],
                ) => return call.arguments.args.iter().find_map(recurse),
                // A function of the program's own, a hash, a length: a derived value.
                Some(_) if !call.func.is_attribute_expr() => return None,
                _ => {}
            }
            let Expr::Attribute(method) = &*call.func else {
                return None;
            };
            let method_name = method.attr.id.as_str();
            if matches!(method_name, "get_json" | "get_data") {
                return recurse(&call.func);
            }
            if method_name == "get" {
                let key = call
                    .arguments
                    .args
                    .first()
                    .and_then(|key| semantic.constant_string(key))?;
                return is_secret_key(&key).then(|| {
                    (
                        expr,
                        format!("the `{key}` value"),
                        key_confidence(checker, &method.value),
                    )
                });
            }
            if TRANSPARENT_METHODS.contains(&method_name) {
                return recurse(&method.value)
                    .or_else(|| call.arguments.args.iter().find_map(recurse));
            }
            None
        }
        Expr::FString(fstring) => fstring.value.iter().find_map(|part| match part {
            ast::FStringPart::FString(part) => {
                part.elements.iter().find_map(|element| match element {
                    ast::InterpolatedStringElement::Interpolation(interpolation) => {
                        recurse(&interpolation.expression)
                    }
                    ast::InterpolatedStringElement::Literal(_) => None,
                })
            }
            ast::FStringPart::Literal(_) => None,
        }),
        Expr::BinOp(binop) if matches!(binop.op, ast::Operator::Mod | ast::Operator::Add) => {
            recurse(&binop.left).or_else(|| recurse(&binop.right))
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            elts.iter().find_map(recurse)
        }
        Expr::Dict(dict) => dict.items.iter().find_map(|item| recurse(&item.value)),
        Expr::Starred(starred) => recurse(&starred.value),
        _ => None,
    }
}

/// A key read from the request's headers or cookies is surely a credential.
fn key_confidence<'a>(checker: &Checker<'a>, container: &'a Expr) -> Confidence {
    match container {
        Expr::Attribute(attribute)
            if matches!(
                attribute.attr.id.as_str(),
                "headers" | "cookies" | "COOKIES" | "META"
            ) && checker.semantic().is_request_object(&attribute.value) =>
        {
            Confidence::High
        }
        _ => Confidence::Medium,
    }
}
