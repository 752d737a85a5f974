use super::arguments::append_arguments;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, QualifiedName};

declare_rule! {
    /// ## What it does
    /// Flags cookies set without `Secure`, `SameSite` or, for session cookies, `HttpOnly`.
    ///
    /// Covers `response.set_cookie(...)` in Flask/Werkzeug, Django, Starlette/FastAPI, aiohttp,
    /// Tornado and Bottle, on a response made in the function or received as a parameter:
    /// one annotated with the framework's class (`def view(response: Response)` in
    /// FastAPI) is that framework's, a Django middleware's `process_response(self,
    /// request, response)` gets Django's, and an unannotated one is reported with medium
    /// confidence. `httponly=True` is asked for when the cookie's name says it carries a
    /// session or a token.
    ///
    /// Starlette already defaults to `SameSite=Lax`, so only `secure` (and `httponly`) are
    /// asked for there. A cookie being deleted (empty value, `max_age=0`) is left alone.
    ///
    /// ## Why is this bad?
    /// These frameworks set none of the flags unless asked. A cookie without `Secure` is also
    /// sent over plain HTTP, where it can be read off the network; without `HttpOnly` any
    /// injected script can steal it; without `SameSite` the browser attaches it to requests
    /// that other sites trigger.
    ///
    /// ## Example
    /// ```python
    /// from flask import make_response
    /// response = make_response("ok")
    /// response.set_cookie("session_id", token)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import make_response
    /// response = make_response("ok")
    /// response.set_cookie("session_id", token, secure=True, httponly=True, samesite="Lax")
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: a `Secure` cookie is not sent over plain HTTP, so a site (or a local setup)
    /// served without TLS stops receiving it, and `SameSite="Lax"` keeps it off cross-site
    /// POSTs.
    ///
    /// ## References
    /// CWE-614, CWE-1004, CWE-1275 · OWASP A05
    pub COOKIE_WITHOUT_FLAGS = RuleMeta {
        id: "PV505",
        name: "cookie-without-flags",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[614, 1004, 1275],
        owasp: Owasp::A05,
        guideline: "configuration",
        sources: &[],
        fix: FixAvailability::Always,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &COOKIE_WITHOUT_FLAGS,
    checks: &[Check::Call(check_call)],
    needs: FRAMEWORKS,
};

/// Frameworks whose responses set cookies with `set_cookie(key, value, ...)` and no flags
/// by default (Falcon is not here: its cookies are secure by default).
#[rustfmt::skip]
const FRAMEWORKS: &[&str] = &[
    "flask", "werkzeug", "quart", "django", "starlette", "fastapi", "aiohttp", "tornado",
    "bottle", "sanic",
];

/// Frameworks whose cookies default to `SameSite=Lax`.
const LAX_BY_DEFAULT: &[&str] = &["starlette", "fastapi"];

/// Words that mark a cookie as carrying a session or a credential.
#[rustfmt::skip]
const SESSION_WORDS: &[&str] = &[
    "session", "sess", "sid", "auth", "token", "jwt", "login", "remember", "refresh", "access",
    "identity", "credential",
];

/// A cookie attribute: its `set_cookie` argument (position and keyword, the same in Flask,
/// Django and Starlette), the secure value, and what the browser does without it.
struct Flag {
    attribute: &'static str,
    position: usize,
    keyword: &'static str,
    value: &'static str,
    consequence: &'static str,
}

#[rustfmt::skip]
const FLAGS: &[Flag] = &[
    Flag { attribute: "Secure", position: 6, keyword: "secure", value: "True",
           consequence: "it also travels over plain HTTP" },
    Flag { attribute: "HttpOnly", position: 7, keyword: "httponly", value: "True",
           consequence: "scripts can read it" },
    Flag { attribute: "SameSite", position: 8, keyword: "samesite", value: "\"Lax\"",
           consequence: "it rides along on requests other sites trigger" },
];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    if !matches!(method.attr.id.as_str(), "set_cookie" | "set_signed_cookie") {
        return;
    }
    let origin = semantic
        .resolve_value_origin(&method.value)
        .or_else(|| received_response(checker, &method.value));
    let framework = match origin {
        Some(origin) => match FRAMEWORKS
            .iter()
            .find(|module| origin.segments().first() == Some(*module))
        {
            Some(module) => Some(*module),
            // A cookie jar or some other library's object.
            None => return,
        },
        None => None,
    };
    let has_unpacking = call.arguments.keywords.iter().any(|k| k.arg.is_none());
    if has_unpacking || is_deletion(checker, call) {
        return;
    }
    let session_like = argument(call, 0, "key")
        .or_else(|| argument(call, 0, "name"))
        .and_then(|name| semantic.constant_string(name))
        .is_some_and(|name| is_session_like(&name));
    let lax_by_default = is_lax_by_default(checker, framework);
    let missing: Vec<&Flag> = FLAGS
        .iter()
        .filter(|flag| match flag.attribute {
            "HttpOnly" => session_like,
            "SameSite" => !lax_by_default,
            _ => true,
        })
        .filter(|flag| is_off(argument(call, flag.position, flag.keyword)))
        .collect();
    if missing.is_empty() {
        return;
    }
    let attributes: Vec<String> = missing
        .iter()
        .map(|f| format!("`{}`", f.attribute))
        .collect();
    let consequences: Vec<String> = missing.iter().map(|f| f.consequence.to_string()).collect();
    let message = format!(
        "Cookie set without {}: {}",
        join_words(&attributes, "or"),
        join_words(&consequences, "and")
    );
    let confidence = if framework.is_some() {
        Confidence::High
    } else {
        Confidence::Medium
    };
    checker.report(
        Finding::new(&COOKIE_WITHOUT_FLAGS, call.range(), message)
            .with_confidence(confidence)
            .with_cwe(weaknesses(&missing))
            .with_fix(flags_fix(checker, call, &missing)),
    );
}

/// What a response received as a parameter is: its annotation (`response: Response` in a
/// FastAPI view), or Django's response for a middleware's `process_response(self, request,
/// response)`.
fn received_response<'a>(checker: &Checker<'a>, receiver: &'a Expr) -> Option<QualifiedName<'a>> {
    let semantic = checker.semantic();
    let Expr::Name(name) = receiver else {
        return None;
    };
    let (function, parameter) = semantic.parameter_of(name)?;
    if let Some(annotation) = parameter.annotation.as_deref() {
        return semantic.resolve_qualified_name(annotation);
    }
    (function.name.id.as_str() == "process_response" && semantic.has_import("django"))
        .then(|| QualifiedName::from_dotted("django.http.HttpResponse"))
}

/// The CWEs of the missing attributes, in the order they are listed.
fn weaknesses(missing: &[&Flag]) -> &'static [u32] {
    let lacks = |attribute: &str| missing.iter().any(|flag| flag.attribute == attribute);
    match (lacks("Secure"), lacks("HttpOnly"), lacks("SameSite")) {
        (true, true, true) => &[614, 1004, 1275],
        (true, true, false) => &[614, 1004],
        (true, false, true) => &[614, 1275],
        (true, false, false) => &[614],
        (false, true, true) => &[1004, 1275],
        (false, true, false) => &[1004],
        (false, false, _) => &[1275],
    }
}

/// Starlette's cookies get `SameSite=Lax` unless told otherwise: true when the response is
/// known to be Starlette's, or when the module uses no other framework.
fn is_lax_by_default(checker: &Checker, framework: Option<&str>) -> bool {
    let semantic = checker.semantic();
    match framework {
        Some(module) => LAX_BY_DEFAULT.contains(&module),
        None => {
            let imported = |module: &&str| semantic.has_import(module);
            LAX_BY_DEFAULT.iter().any(imported)
                && !FRAMEWORKS
                    .iter()
                    .filter(|module| !LAX_BY_DEFAULT.contains(module))
                    .any(imported)
        }
    }
}

/// A flag that is absent, `False` or `None`.
fn is_off(value: Option<&Expr>) -> bool {
    matches!(
        value,
        None | Some(Expr::NoneLiteral(_))
            | Some(Expr::BooleanLiteral(ast::ExprBooleanLiteral {
                value: false,
                ..
            }))
    )
}

/// `set_cookie("name", "", max_age=0)` / `expires=0`: the cookie is being removed.
fn is_deletion<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let empty = argument(call, 1, "value")
        .is_some_and(|value| checker.semantic().constant_string(value).as_deref() == Some(""));
    let expired = ["max_age", "expires"].iter().any(|name| {
        keyword(call, name).is_some_and(|k| {
            matches!(&k.value, Expr::NumberLiteral(number)
                if checker.text(number) == "0")
        })
    });
    empty && expired
}

fn is_session_like(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if name.contains("csrf") || name.contains("xsrf") {
        return false;
    }
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| {
            SESSION_WORDS
                .iter()
                .any(|session| word.starts_with(session) || word.ends_with(session))
        })
}

fn join_words(words: &[String], conjunction: &str) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// Sets each missing flag: replaces a `False`/`None` value, appends the absent ones (one per
/// line when the call already puts its arguments on lines of their own).
fn flags_fix(checker: &Checker, call: &ast::ExprCall, missing: &[&Flag]) -> Option<Fix> {
    let mut edits = Vec::new();
    let mut absent = Vec::new();
    for flag in missing {
        match argument(call, flag.position, flag.keyword) {
            Some(present) => edits.push(Edit::replace(present.range(), flag.value)),
            None => absent.push(format!("{}={}", flag.keyword, flag.value)),
        }
    }
    if !absent.is_empty() {
        let last = call
            .arguments
            .args
            .iter()
            .map(Ranged::range)
            .chain(call.arguments.keywords.iter().map(Ranged::range))
            .max_by_key(|range| range.end())?;
        edits.push(append_arguments(checker.source(), call, last, &absent));
    }
    Some(Fix::unsafe_edits("Set the missing cookie flags", edits))
}
