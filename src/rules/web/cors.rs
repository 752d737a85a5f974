//! CORS policies as the libraries configure them: flask-cors (`CORS(app, ...)`,
//! `@cross_origin(...)`), Starlette/FastAPI's `CORSMiddleware` and django-cors-headers'
//! settings. Each policy says whether it lets any origin in, and whether it allows
//! credentials (cookies) along with it.

use super::arguments::delete_keyword;
use super::environment::env_list_expression;
use super::lists::without_elements;
use crate::checker::Checker;
use crate::diagnostic::{Confidence, Edit, Fix};
use crate::fix::statement::insert_before_statement;
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
    /// The policy limited to an allow-list, when it can be written for the reader.
    pub fix: Option<Fix>,
}

/// The environment variable the allow-list fixes read the origins from.
const ORIGINS_VARIABLE: &str = "CORS_ALLOWED_ORIGINS";

/// `value` (where a library takes its origins) rewritten to an allow-list: the listed
/// origins without those that let anyone in, or, when those are all it holds, the origins
/// named in the environment. `None` for origins held in a variable defined elsewhere.
fn allow_list_fix<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<Fix> {
    let lets_anyone_in = |origin: &'a Expr| origin_kind(checker, origin).is_some();
    if let Some(edit) = without_elements(checker, value, |origin| !lets_anyone_in(origin)) {
        return Some(Fix::unsafe_edits(
            "Keep only the listed origins",
            vec![edit],
        ));
    }
    let all_open = match value {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => {
            !checker.text(value).contains('#') && elts.iter().all(lets_anyone_in)
        }
        Expr::StringLiteral(_) => lets_anyone_in(value),
        _ => false,
    };
    if !all_open {
        return None;
    }
    let (origins, import) =
        env_list_expression(checker, value.start(), ORIGINS_VARIABLE, "origin")?;
    let mut edits = vec![Edit::replace(value.range(), origins)];
    edits.extend(import);
    Some(environment_fix(edits))
}

fn environment_fix(edits: Vec<Edit>) -> Fix {
    Fix::unsafe_edits(
        format!("Allow only the origins listed in `{ORIGINS_VARIABLE}`"),
        edits,
    )
}

/// A match-all `allow_origin_regex=` goes: deleted when `allow_origins=` lists origins
/// already, else replaced by `allow_origins=` read from the environment.
fn regex_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    regex: &'a ast::Keyword,
) -> Option<Fix> {
    if keyword(call, "allow_origins").is_some() {
        let edit = delete_keyword(checker, call, regex);
        return Some(Fix::unsafe_edits(
            "Remove the pattern that matches every origin",
            vec![edit],
        ));
    }
    let (origins, import) =
        env_list_expression(checker, regex.start(), ORIGINS_VARIABLE, "origin")?;
    let mut edits = vec![Edit::replace(
        regex.range(),
        format!("allow_origins={origins}"),
    )];
    edits.extend(import);
    Some(environment_fix(edits))
}

/// flask-cors without origins: `origins=` read from the environment added to the call.
/// `None` when the call passes `**options`, which may hold them.
fn added_origins_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Fix> {
    if call
        .arguments
        .keywords
        .iter()
        .any(|keyword| keyword.arg.is_none())
    {
        return None;
    }
    let (origins, import) = env_list_expression(checker, call.start(), ORIGINS_VARIABLE, "origin")?;
    let mut edits = vec![crate::fix::add_keyword_argument(
        checker.source(),
        call,
        &format!("origins={origins}"),
    )?];
    edits.extend(import);
    Some(environment_fix(edits))
}

/// `CORS_ALLOW_ALL_ORIGINS = True` → `False`, with `CORS_ALLOWED_ORIGINS` read from the
/// environment just before it unless the module lists origins already.
fn setting_fix<'a>(checker: &Checker<'a>, setting: &Setting<'a>) -> Option<Fix> {
    if setting.site != Site::Module {
        return None;
    }
    let mut edits = vec![Edit::replace(setting.value.range(), "False")];
    let listed = ["CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST"]
        .iter()
        .any(|name| {
            !checker
                .semantic()
                .bindings_in(MODULE_SCOPE, name)
                .is_empty()
        });
    if !listed {
        let (origins, import) =
            env_list_expression(checker, setting.range.start(), ORIGINS_VARIABLE, "origin")?;
        edits.push(insert_before_statement(
            checker.source(),
            &setting.range,
            &[format!("CORS_ALLOWED_ORIGINS = {origins}")],
        )?);
        edits.extend(import);
    }
    Some(environment_fix(edits))
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
    // A match-all pattern list gets no fix: what the patterns should have been is unknown.
    let (any_origin, fix) = if setting.name.contains("REGEX") {
        (any_origin_in(checker, setting.value)?.0, None)
    } else if literal_bool(setting.value) == Some(true) {
        (AnyOrigin::Wildcard, setting_fix(checker, setting))
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
        fix,
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
    let (any_origin, range, confidence, fix) = match origins {
        Some(origins) => {
            let (any_origin, range) = any_origin_in(checker, origins)?;
            let fix = allow_list_fix(checker, origins);
            (any_origin, range, Confidence::High, fix)
        }
        None => (
            AnyOrigin::Default,
            call.range(),
            Confidence::Medium,
            added_origins_fix(checker, call),
        ),
    };
    Some(CorsPolicy {
        any_origin,
        credentials,
        range,
        confidence,
        fix,
    })
}

/// `CORSMiddleware` given to `add_middleware`, `Middleware(...)` or called directly.
fn starlette<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<CorsPolicy> {
    let (any_origin, range, fix) = ["allow_origins", "allow_origin_regex"]
        .iter()
        .filter_map(|name| keyword(call, name))
        .find_map(|keyword| {
            let (any_origin, range) = any_origin_in(checker, &keyword.value)?;
            let fix = match keyword.arg.as_ref().map(|arg| arg.as_str()) {
                Some("allow_origins") => allow_list_fix(checker, &keyword.value),
                _ => regex_fix(checker, call, keyword),
            };
            Some((any_origin, range, fix))
        })?;
    Some(CorsPolicy {
        any_origin,
        credentials: is_true(keyword(call, "allow_credentials").map(|k| &k.value)),
        range,
        confidence: Confidence::High,
        fix,
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
