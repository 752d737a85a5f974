//! Where a web framework's settings are written, in every shape the rules care about:
//!
//! - a module-level `NAME = value` (a Django settings module, a Flask config module),
//! - a class attribute of a Flask-style config class (`class ProductionConfig: DEBUG = False`),
//! - `app.config["NAME"] = value`, `app.config.update(NAME=value)`, `app.config.from_mapping(...)`,
//! - `app.debug = True` / `app.secret_key = "..."` on a Flask, Quart or FastAPI app,
//! - Django's `settings.configure(NAME=value)` and `settings.NAME = value`.
//!
//! Test code is not configuration: modules that import `pytest` or `unittest`, and config
//! classes whose name says development, testing or local, yield nothing.

use super::{keyword, SemanticModel, MODULE_SCOPE};
use crate::diagnostic::Confidence;
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange};

/// Where a setting was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// `NAME = value` at module level.
    Module,
    /// `NAME = value` in the body of a config class.
    ConfigClass,
    /// `app.config["NAME"] = value` or `app.config.update(NAME=value)`.
    AppConfig,
    /// `app.debug = value` (an attribute that mirrors a setting).
    AppAttribute,
    /// `settings.configure(NAME=value)` or `settings.NAME = value` (Django).
    DjangoSettings,
}

/// One setting given a value.
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    /// The setting's name, upper case (`app.debug` is `DEBUG`).
    pub name: &'a str,
    pub value: &'a Expr,
    pub site: Site,
    /// The name and its value as one span: `DEBUG = True`, `app.config["DEBUG"] = True`,
    /// `DEBUG=True`.
    pub range: TextRange,
    /// `Medium` when the object holding the config could not be resolved to an app.
    pub confidence: Confidence,
}

/// App attributes that mirror a setting.
const APP_ATTRIBUTES: &[(&str, &str)] = &[
    ("debug", "DEBUG"),
    ("secret_key", "SECRET_KEY"),
    ("testing", "TESTING"),
];

/// Names only a Django or Flask settings module defines: one of them makes a module a
/// settings module. (`DEBUG`, `SECRET_KEY` and `TESTING` alone are too common elsewhere:
/// botocore's credential providers name their `SECRET_KEY` environment variable, say.)
const SETTINGS_MARKERS: &[&str] = &[
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "MIDDLEWARE_CLASSES",
    "ROOT_URLCONF",
    "ALLOWED_HOSTS",
    "WSGI_APPLICATION",
    "ASGI_APPLICATION",
    "DATABASES",
    "TEMPLATES",
    "AUTH_PASSWORD_VALIDATORS",
    "DEFAULT_AUTO_FIELD",
    "STATIC_URL",
    "STATIC_ROOT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SQLALCHEMY_DATABASE_URI",
    "SQLALCHEMY_TRACK_MODIFICATIONS",
    "SESSION_TYPE",
    "PERMANENT_SESSION_LIFETIME",
    "WTF_CSRF_ENABLED",
    "MAX_CONTENT_LENGTH",
    "SERVER_NAME",
    "PREFERRED_URL_SCHEME",
];

/// Frameworks whose import makes module-level settings count.
const FRAMEWORKS: &[&str] = &["django", "flask", "quart"];

/// Class names that announce a configuration meant for a developer's machine or tests.
const NOT_PRODUCTION: &[&str] = &["dev", "test", "local", "debug"];

/// The settings a statement writes.
pub fn settings_in_stmt<'a>(semantic: &SemanticModel<'a>, stmt: &'a Stmt) -> Vec<Setting<'a>> {
    if semantic.is_test_module() {
        return Vec::new();
    }
    let mut found = Vec::new();
    match stmt {
        Stmt::Assign(assign) => {
            for target in &assign.targets {
                found.extend(assigned(semantic, target, &assign.value));
            }
        }
        Stmt::AnnAssign(ast::StmtAnnAssign {
            target,
            value: Some(value),
            ..
        }) => found.extend(assigned(semantic, target, value)),
        Stmt::ClassDef(class) if is_config_class(semantic, class) => {
            for (name, value) in class_attributes(class) {
                found.push(Setting {
                    name: name.id.as_str(),
                    value,
                    site: Site::ConfigClass,
                    range: TextRange::new(name.start(), value.end()),
                    confidence: Confidence::High,
                });
            }
        }
        _ => {}
    }
    found
}

/// The settings a call writes: `app.config.update(...)`, `settings.configure(...)`.
pub fn settings_in_call<'a>(
    semantic: &SemanticModel<'a>,
    call: &'a ast::ExprCall,
) -> Vec<Setting<'a>> {
    let Expr::Attribute(method) = &*call.func else {
        return Vec::new();
    };
    if semantic.is_test_module() {
        return Vec::new();
    }
    let (site, confidence) = match method.attr.id.as_str() {
        "update" | "from_mapping" => match app_config_confidence(semantic, &method.value) {
            Some(confidence) => (Site::AppConfig, confidence),
            None => return Vec::new(),
        },
        "configure" if is_django_settings(semantic, &method.value) => {
            (Site::DjangoSettings, Confidence::High)
        }
        _ => return Vec::new(),
    };
    let mut found = Vec::new();
    for keyword in &call.arguments.keywords {
        if let Some(arg) = &keyword.arg {
            if is_setting_name(arg.id.as_str()) {
                found.push(Setting {
                    name: arg.id.as_str(),
                    value: &keyword.value,
                    site,
                    range: keyword.range(),
                    confidence,
                });
            }
        }
    }
    if let [Expr::Dict(dict)] = &call.arguments.args[..] {
        for item in &dict.items {
            if let Some(Expr::StringLiteral(key)) = &item.key {
                if is_setting_name(key.value.to_str()) {
                    found.push(Setting {
                        name: key.value.to_str(),
                        value: &item.value,
                        site,
                        range: TextRange::new(key.start(), item.value.end()),
                        confidence,
                    });
                }
            }
        }
    }
    found
}

fn assigned<'a>(
    semantic: &SemanticModel<'a>,
    target: &'a Expr,
    value: &'a Expr,
) -> Option<Setting<'a>> {
    let range = TextRange::new(target.start(), value.end());
    let setting = |name: &'a str, site, confidence| Setting {
        name,
        value,
        site,
        range,
        confidence,
    };
    match target {
        Expr::Name(name)
            if semantic.current_scope() == MODULE_SCOPE && is_setting_name(name.id.as_str()) =>
        {
            Some(setting(name.id.as_str(), Site::Module, Confidence::High))
        }
        Expr::Subscript(subscript) => {
            let Expr::StringLiteral(key) = &*subscript.slice else {
                return None;
            };
            let confidence = app_config_confidence(semantic, &subscript.value)?;
            let name = key.value.to_str();
            is_setting_name(name).then(|| setting(name, Site::AppConfig, confidence))
        }
        Expr::Attribute(attribute) => {
            let attr = attribute.attr.id.as_str();
            if is_setting_name(attr) && is_django_settings(semantic, &attribute.value) {
                return Some(setting(attr, Site::DjangoSettings, Confidence::High));
            }
            let (_, name) = APP_ATTRIBUTES.iter().find(|(a, _)| *a == attr)?;
            let origin = semantic.resolve_value_origin(&attribute.value)?;
            is_app(origin.segments()).then(|| setting(name, Site::AppAttribute, Confidence::High))
        }
        _ => None,
    }
}

/// `NAME = value` statements directly in a class body.
fn class_attributes(class: &ast::StmtClassDef) -> impl Iterator<Item = (&ast::ExprName, &Expr)> {
    class.body.iter().filter_map(|stmt| match stmt {
        Stmt::Assign(ast::StmtAssign { targets, value, .. }) => match &targets[..] {
            [Expr::Name(name)] if is_setting_name(name.id.as_str()) => Some((name, &**value)),
            _ => None,
        },
        Stmt::AnnAssign(ast::StmtAnnAssign {
            target,
            value: Some(value),
            ..
        }) => match &**target {
            Expr::Name(name) if is_setting_name(name.id.as_str()) => Some((name, &**value)),
            _ => None,
        },
        _ => None,
    })
}

/// A class that holds framework settings and is not named for development or tests: it
/// sets a name only settings use, or it is named for configuration (`ProductionConfig`,
/// pydantic's `Settings`) in a module that uses a web framework or pydantic.
fn is_config_class(semantic: &SemanticModel, class: &ast::StmtClassDef) -> bool {
    let name = class.name.id.as_str().to_ascii_lowercase();
    if NOT_PRODUCTION.iter().any(|word| name.contains(word)) {
        return false;
    }
    let named = name.contains("config") || name.contains("settings");
    let framework = uses_framework(semantic)
        || semantic.has_any_import(&["fastapi", "pydantic", "pydantic_settings"]);
    (named && framework)
        || class_attributes(class).any(|(name, _)| SETTINGS_MARKERS.contains(&name.id.as_str()))
}

fn uses_framework(semantic: &SemanticModel) -> bool {
    semantic.has_any_import(FRAMEWORKS)
}

/// Settings are upper case with underscores (`SESSION_COOKIE_SECURE`).
fn is_setting_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// How sure we are that `expr` is an app's config (`app.config`, `current_app.config`).
/// `Medium` for `something.config` whose owner is unknown in a module that imports Flask.
fn app_config_confidence<'a>(semantic: &SemanticModel<'a>, expr: &'a Expr) -> Option<Confidence> {
    match semantic.resolve_value_origin(expr) {
        Some(origin) => match origin.segments() {
            [app @ .., "config"] if is_app(app) => Some(Confidence::High),
            _ => None,
        },
        None => {
            let Expr::Attribute(attribute) = expr else {
                return None;
            };
            let flask = semantic.has_import("flask") || semantic.has_import("quart");
            (flask && attribute.attr.id.as_str() == "config").then_some(Confidence::Medium)
        }
    }
}

/// The qualified name of a web application object (or the proxy to the current one).
pub fn is_app(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["flask", "Flask", "()"]
            | ["flask", "app", "Flask", "()"]
            | ["flask" | "quart", "current_app"]
            | ["quart", "Quart", "()"]
            | ["apiflask", "APIFlask", "()"]
            | ["fastapi", "FastAPI", "()"]
            | ["fastapi", "applications", "FastAPI", "()"]
            | ["starlette", "applications", "Starlette", "()"]
    )
}

fn is_django_settings<'a>(semantic: &SemanticModel<'a>, expr: &'a Expr) -> bool {
    semantic
        .resolve_qualified_name(expr)
        .is_some_and(|name| name.segments() == ["django", "conf", "settings"])
}

/// A module that reads like a settings module: it sets a framework-specific name,
/// star-imports another settings module (`from .base import *`), or imports a web framework
/// (a Flask app module configured with `app.config.from_object(__name__)`).
pub fn is_settings_module(semantic: &SemanticModel) -> bool {
    semantic.module_fact("web::settings-module", || {
        looks_like_settings_module(semantic)
    })
}

fn looks_like_settings_module(semantic: &SemanticModel) -> bool {
    let marked = semantic
        .module_bindings()
        .any(|(name, _)| SETTINGS_MARKERS.contains(&name));
    marked
        || uses_framework(semantic)
        || semantic.body().iter().any(|stmt| match stmt {
            Stmt::ImportFrom(import) => {
                let star = import
                    .names
                    .iter()
                    .any(|alias| alias.name.id.as_str() == "*");
                let module = import.module.as_ref().map_or("", |m| m.id.as_str());
                let last = module.rsplit('.').next().unwrap_or("");
                star && (module.contains("settings") || matches!(last, "base" | "common"))
            }
            _ => false,
        })
}

/// `True` / `False` written as a literal.
pub fn literal_bool(expr: &Expr) -> Option<bool> {
    match expr {
        Expr::BooleanLiteral(literal) => Some(literal.value),
        _ => None,
    }
}

/// The keyword `name` of a call when its value is a literal boolean.
pub fn keyword_bool<'e>(call: &'e ast::ExprCall, name: &str) -> Option<(bool, &'e ast::Keyword)> {
    let keyword = keyword(call, name)?;
    literal_bool(&keyword.value).map(|value| (value, keyword))
}
