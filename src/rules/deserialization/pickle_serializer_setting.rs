use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange};
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};

declare_rule! {
    /// ## What it does
    /// Flags settings that make a framework unpickle what it receives: Django's
    /// `SESSION_SERIALIZER = "...PickleSerializer"` and Celery's `accept_content` or
    /// `task_serializer` / `result_serializer` / `event_serializer` set to `pickle`.
    ///
    /// Settings are read where they are written: names at module or class level
    /// (`CELERY_ACCEPT_CONTENT`, a `celeryconfig.py`'s `accept_content`),
    /// `app.conf.accept_content = [...]` and `app.conf.update(accept_content=[...])`.
    ///
    /// ## Why is this bad?
    /// With pickled sessions, anyone who learns the `SECRET_KEY` (or can write to the session
    /// store) signs a cookie that runs code on the server. A Celery worker that accepts pickle
    /// runs code for anyone who can put a message on the broker. JSON carries the same data
    /// without that power.
    ///
    /// ## Example
    /// ```python
    /// SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"
    /// CELERY_ACCEPT_CONTENT = ["pickle", "json"]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"
    /// CELERY_ACCEPT_CONTENT = ["json"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: existing pickled sessions are dropped (users log in again), and tasks whose
    /// arguments or results are not JSON (dates, custom objects) fail until they are
    /// converted. The fix switches to JSON, or removes `pickle` from a list that has others.
    ///
    /// ## References
    /// CWE-502 · OWASP A08
    pub PICKLE_SERIALIZER_SETTING = RuleMeta {
        id: "PV306",
        name: "pickle-serializer-setting",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[502],
        owasp: Owasp::A08,
        guideline: "deserialization",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &PICKLE_SERIALIZER_SETTING,
    checks: &[Check::Stmt(check_stmt), Check::Call(check_call)],
    needs: &[],
};

const DJANGO_JSON_SERIALIZER: &str = "django.contrib.sessions.serializers.JSONSerializer";

/// What a setting holds, by its name (`None` for names that are no such setting).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setting {
    DjangoSessionSerializer,
    CelerySerializer,
    CeleryAcceptContent,
}

fn setting(name: &str) -> Option<Setting> {
    match name {
        "SESSION_SERIALIZER" => Some(Setting::DjangoSessionSerializer),
        "CELERY_TASK_SERIALIZER"
        | "CELERY_RESULT_SERIALIZER"
        | "CELERY_EVENT_SERIALIZER"
        | "task_serializer"
        | "result_serializer"
        | "event_serializer" => Some(Setting::CelerySerializer),
        "CELERY_ACCEPT_CONTENT"
        | "CELERY_RESULT_ACCEPT_CONTENT"
        | "accept_content"
        | "result_accept_content" => Some(Setting::CeleryAcceptContent),
        _ => None,
    }
}

fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let (targets, value) = match stmt {
        Stmt::Assign(assign) => (&assign.targets[..], &*assign.value),
        Stmt::AnnAssign(assign) => match &assign.value {
            Some(value) => (std::slice::from_ref(&*assign.target), &**value),
            None => return,
        },
        _ => return,
    };
    for target in targets {
        let setting = match target {
            // A settings module or class: `SESSION_SERIALIZER = ...`, `accept_content = [...]`.
            Expr::Name(name) if !in_function(checker) => setting(name.id.as_str()),
            // `app.conf.accept_content = [...]`
            Expr::Attribute(attribute) if is_celery_conf(checker, &attribute.value) => {
                setting(attribute.attr.id.as_str())
                    .filter(|s| *s != Setting::DjangoSessionSerializer)
            }
            _ => None,
        };
        if let Some(setting) = setting {
            check_value(checker, setting, value);
        }
    }
}

/// `app.conf.update(accept_content=[...], task_serializer=...)`
fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Attribute(update) = &*call.func else {
        return;
    };
    if update.attr.id.as_str() != "update" || !is_celery_conf(checker, &update.value) {
        return;
    }
    for keyword in &call.arguments.keywords {
        let setting = keyword
            .arg
            .as_ref()
            .and_then(|arg| setting(arg.id.as_str()));
        if let Some(setting) = setting.filter(|s| *s != Setting::DjangoSessionSerializer) {
            check_value(checker, setting, &keyword.value);
        }
    }
}

fn in_function(checker: &Checker) -> bool {
    checker.semantic().in_function_body()
}

/// `<something>.conf` in a module that imports Celery.
fn is_celery_conf(checker: &Checker, expr: &Expr) -> bool {
    checker.semantic().has_import("celery")
        && matches!(expr, Expr::Attribute(conf) if conf.attr.id.as_str() == "conf")
}

fn check_value<'a>(checker: &Checker<'a>, setting: Setting, value: &'a Expr) {
    let semantic = checker.semantic();
    match setting {
        Setting::DjangoSessionSerializer => {
            let Some(serializer) = semantic.constant_string(value) else {
                return;
            };
            if !serializer.ends_with(".PickleSerializer") {
                return;
            }
            let message = "Pickled sessions run code for anyone who can sign a session cookie";
            let fix = replace_literal(checker, value, DJANGO_JSON_SERIALIZER, "JSONSerializer");
            report(checker, value.range(), message, fix);
        }
        Setting::CelerySerializer => {
            if semantic.constant_string(value).as_deref() == Some("pickle") {
                let message = "Celery with the pickle serializer runs code from broker messages";
                let fix = replace_literal(checker, value, "json", "json");
                report(checker, value.range(), message, fix);
            }
        }
        Setting::CeleryAcceptContent => {
            let elements = match value {
                Expr::List(list) => &list.elts[..],
                Expr::Tuple(tuple) => &tuple.elts[..],
                Expr::Set(set) => &set.elts[..],
                _ => std::slice::from_ref(value),
            };
            for (index, element) in elements.iter().enumerate() {
                let content = semantic.constant_string(element);
                let json = match content.as_deref() {
                    Some("pickle") => "json",
                    Some("application/x-python-serialize") => "application/json",
                    _ => continue,
                };
                let message = "A Celery worker that accepts pickle runs code from broker messages";
                let fix = match elements.len() {
                    1 => replace_literal(checker, element, json, json),
                    _ => Some(remove_element(elements, index)),
                };
                report(checker, element.range(), message, fix);
            }
        }
    }
}

fn report(checker: &Checker, range: TextRange, message: &str, fix: Option<Fix>) {
    checker.report(Finding::new(&PICKLE_SERIALIZER_SETTING, range, message).with_fix(fix));
}

/// Replaces a plain string literal, keeping its quotes.
fn replace_literal(checker: &Checker, literal: &Expr, content: &str, name: &str) -> Option<Fix> {
    let literal = literal.as_string_literal_expr()?;
    let text = checker.text(literal);
    let quote = if text.starts_with('\'') { '\'' } else { '"' };
    let edit = Edit::replace(literal.range(), format!("{quote}{content}{quote}"));
    Some(Fix::unsafe_edits(format!("Use `{name}`"), vec![edit]))
}

/// Drops one element of a list with others, with the separator that follows (or precedes) it.
fn remove_element(elements: &[Expr], index: usize) -> Fix {
    let range = match (elements.get(index + 1), index.checked_sub(1)) {
        (Some(next), _) => TextRange::new(elements[index].start(), next.start()),
        (None, Some(previous)) => TextRange::new(elements[previous].end(), elements[index].end()),
        (None, None) => elements[index].range(),
    };
    Fix::unsafe_edits(
        "Remove `pickle` from the accepted content",
        vec![Edit::delete(range)],
    )
}
