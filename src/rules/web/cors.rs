//! CORS policies as the libraries configure them: flask-cors (`CORS(app, ...)`,
//! `@cross_origin(...)`), Starlette/FastAPI's `CORSMiddleware` and django-cors-headers'
//! settings. Each policy says whether it lets any origin in, and whether it allows
//! credentials (cookies) along with it.

use crate::checker::Checker;
use crate::diagnostic::Confidence;
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange};
use crate::semantic::settings::{literal_bool, Setting, Site};
use crate::semantic::{keyword, BindingKind, MODULE_SCOPE};

/// How a policy lets any origin in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyOrigin {
    /// `"*"` or a setting that means it.
    Wildcard,
    /// A pattern like `".*"` that matches every origin.
    Pattern,
    /// `"null"`, which any sandboxed iframe or `file:` page sends.
    Null,
    /// Nothing limits the origins and the library's default is `"*"`.
    Default,
}

impl AnyOrigin {
    pub fn describe(self) -> &'static str {
        match self {
            AnyOrigin::Wildcard => "allows every origin (`*`)",
            AnyOrigin::Pattern => "allows every origin through a pattern that matches anything",
            AnyOrigin::Null => "allows the `null` origin, which any sandboxed page can send",
            AnyOrigin::Default => "allows every origin, the library's default when none are listed",
        }
    }
}

pub struct CorsPolicy {
    pub any_origin: AnyOrigin,
    pub credentials: bool,
    /// What to underline: the origin value, or the call when the origin is the default.
    pub range: TextRange,
    pub confidence: Confidence,
}

/// The libraries whose calls set a policy up: [`policies_in_call`] needs one imported.
pub const CORS_LIBRARIES: &[&str] = &["flask_cors", "starlette", "fastapi"];

/// The policies a call sets up (in a module that imports one of [`CORS_LIBRARIES`]).
pub fn policies_in_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Vec<CorsPolicy> {
    let semantic = checker.semantic();
    let function = semantic.resolve_qualified_name(&call.func);
    let segments = function.as_ref().map_or(&[][..], |name| name.segments());
    match segments {
        ["flask_cors", "CORS" | "cross_origin"]
        | ["flask_cors", "extension", "CORS"]
        | ["flask_cors", "decorator", "cross_origin"] => flask_cors(checker, call),
        _ if is_middleware_name(segments)
            || call
                .arguments
                .args
                .first()
                .is_some_and(|first| is_cors_middleware(checker, first)) =>
        {
            starlette(checker, call).into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// The django-cors-headers policy a setting sets up.
pub fn policy_in_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) -> Option<CorsPolicy> {
    let is_policy = matches!(setting.site, Site::Module | Site::DjangoSettings)
        && matches!(
            setting.name,
            "CORS_ALLOW_ALL_ORIGINS"
                | "CORS_ORIGIN_ALLOW_ALL"
                | "CORS_ALLOWED_ORIGIN_REGEXES"
                | "CORS_ORIGIN_REGEX_WHITELIST"
        );
    if !is_policy {
        return None;
    }
    let any_origin = if setting.name.contains("REGEX") {
        any_origin_in(checker, setting.value)?.0
    } else if literal_bool(setting.value) == Some(true) {
        AnyOrigin::Wildcard
    } else {
        return None;
    };
    let credentials = checker
        .semantic()
        .bindings_in(MODULE_SCOPE, "CORS_ALLOW_CREDENTIALS")
        .last()
        .is_some_and(|binding| {
            matches!(binding.kind, BindingKind::Assignment(value) if literal_bool(value) == Some(true))
        });
    Some(CorsPolicy {
        any_origin,
        credentials,
        range: setting.range,
        confidence: Confidence::High,
    })
}

/// flask-cors: top-level `origins` / `supports_credentials`, each overridable per resource.
fn flask_cors<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Vec<CorsPolicy> {
    let origins = keyword(call, "origins").map(|k| &k.value);
    let credentials = is_true(keyword(call, "supports_credentials").map(|k| &k.value));
    let resources = match keyword(call, "resources").map(|k| &k.value) {
        Some(Expr::Dict(resources)) => resources
            .items
            .iter()
            .filter_map(|item| match &item.value {
                Expr::Dict(options) => Some(options),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    if resources.is_empty() {
        return flask_policy(checker, call, origins, credentials)
            .into_iter()
            .collect();
    }
    resources
        .into_iter()
        .filter_map(|options| {
            let origins = dict_value(options, "origins").or(origins);
            let credentials = dict_value(options, "supports_credentials")
                .map_or(credentials, |value| is_true(Some(value)));
            flask_policy(checker, call, origins, credentials)
        })
        .collect()
}

fn flask_policy<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    origins: Option<&'a Expr>,
    credentials: bool,
) -> Option<CorsPolicy> {
    let (any_origin, range, confidence) = match origins {
        Some(origins) => {
            let (any_origin, range) = any_origin_in(checker, origins)?;
            (any_origin, range, Confidence::High)
        }
        None => (AnyOrigin::Default, call.range(), Confidence::Medium),
    };
    Some(CorsPolicy {
        any_origin,
        credentials,
        range,
        confidence,
    })
}

/// `CORSMiddleware` given to `add_middleware`, `Middleware(...)` or called directly.
fn starlette<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<CorsPolicy> {
    let (any_origin, range) = ["allow_origins", "allow_origin_regex"]
        .iter()
        .filter_map(|name| keyword(call, name))
        .find_map(|keyword| any_origin_in(checker, &keyword.value))?;
    Some(CorsPolicy {
        any_origin,
        credentials: is_true(keyword(call, "allow_credentials").map(|k| &k.value)),
        range,
        confidence: Confidence::High,
    })
}

fn is_cors_middleware<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    checker
        .semantic()
        .resolve_qualified_name(expr)
        .is_some_and(|name| is_middleware_name(name.segments()))
}

fn is_middleware_name(segments: &[&str]) -> bool {
    matches!(
        segments,
        [
            "starlette" | "fastapi",
            "middleware",
            "cors",
            "CORSMiddleware"
        ]
    )
}

/// Lists of origins named by names in lists deeper than this are not followed (a list that
/// holds its own name, `ORIGINS = [ORIGINS]`, once recursed until the stack ran out).
const MAX_LIST_DEPTH: usize = 8;

/// The origin value that lets any origin in: `"*"`, `[".*"]`, `"null"`.
fn any_origin_in<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<(AnyOrigin, TextRange)> {
    any_origin_at(checker, value, 0)
}

fn any_origin_at<'a>(
    checker: &Checker<'a>,
    value: &'a Expr,
    depth: usize,
) -> Option<(AnyOrigin, TextRange)> {
    if depth > MAX_LIST_DEPTH {
        return None;
    }
    match value {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => elts
            .iter()
            .find_map(|origin| any_origin_at(checker, origin, depth + 1)),
        Expr::Name(name) => match checker.semantic().assigned_value(name) {
            Some(list @ (Expr::List(_) | Expr::Tuple(_) | Expr::Set(_))) => {
                any_origin_at(checker, list, depth + 1).map(|(kind, _)| (kind, name.range()))
            }
            _ => origin_kind(checker, value),
        },
        _ => origin_kind(checker, value),
    }
}

fn origin_kind<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<(AnyOrigin, TextRange)> {
    let origin = checker.semantic().constant_string(value)?;
    let kind = match origin.trim() {
        "*" => AnyOrigin::Wildcard,
        "null" => AnyOrigin::Null,
        pattern if matches_everything(pattern) => AnyOrigin::Pattern,
        _ => return None,
    };
    Some((kind, value.range()))
}

/// `.*`, `^.*$`, `https?://.*`, `^https://(.+)$`: patterns no origin fails.
fn matches_everything(pattern: &str) -> bool {
    let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
    let pattern = pattern.strip_suffix('$').unwrap_or(pattern);
    let pattern = [
        "(https?://)?",
        "https?://",
        "https?:\\/\\/",
        "https://",
        "http://",
    ]
    .iter()
    .find_map(|scheme| pattern.strip_prefix(scheme))
    .unwrap_or(pattern);
    matches!(pattern, ".*" | ".+" | "(.*)" | "(.+)" | "[^/]*" | "[^/]+")
}

fn dict_value<'a>(dict: &'a ast::ExprDict, key: &str) -> Option<&'a Expr> {
    dict.items.iter().find_map(|item| match &item.key {
        Some(Expr::StringLiteral(literal)) if literal.value.to_str() == key => Some(&item.value),
        _ => None,
    })
}

fn is_true(value: Option<&Expr>) -> bool {
    value.and_then(literal_bool) == Some(true)
}
