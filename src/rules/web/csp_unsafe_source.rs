use super::csp::{source_text, unsafe_keywords, Policy};
use super::lists::without_elements;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::settings::{Setting, Site};
use crate::semantic::{keyword, MODULE_SCOPE};

declare_rule! {
    /// ## What it does
    /// Flags a Content-Security-Policy whose script sources defeat it.
    ///
    /// That is `'unsafe-inline'` (without a nonce or hash), `'unsafe-eval'`, or a source that
    /// matches any host (`*`, `https:`, `data:`) in `script-src`, or in `default-src` when there
    /// is no `script-src`.
    ///
    /// The policy is read where it is set: a `Content-Security-Policy` header (assigned,
    /// passed to `headers.set(...)` or written in a headers dict), Flask-Talisman's
    /// `content_security_policy=`, Django 6's `SECURE_CSP`, and django-csp's `CSP_SCRIPT_SRC` /
    /// `CSP_DEFAULT_SRC` / `CONTENT_SECURITY_POLICY` settings.
    ///
    /// ## Why is this bad?
    /// A CSP is there to stop scripts an attacker manages to inject. `'unsafe-inline'` allows
    /// exactly the inline `<script>` and `onerror=` handlers an injection produces,
    /// `'unsafe-eval'` lets injected strings become code, and a wildcard lets the attacker
    /// load a script from their own host. The header is sent, but it protects nothing.
    ///
    /// ## Example
    /// ```python
    /// def add_headers(response):
    ///     response.headers["Content-Security-Policy"] = "default-src * 'unsafe-inline'"
    ///     return response
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def add_headers(response):
    ///     response.headers["Content-Security-Policy"] = "default-src 'self'; object-src 'none'"
    ///     return response
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix deletes `'unsafe-inline'` (when no nonce or hash is there) and
    /// `'unsafe-eval'` from the directive that governs scripts, where the policy is written
    /// as a plain string or a literal list. Inline `<script>` blocks, `onclick=` handlers and
    /// `eval`/`new Function` then stop running in the browser: move them to files or give
    /// them a nonce. A policy whose scripts may come from anywhere (`*`, `https:`, `data:`),
    /// or that would be left with no script source, gets no fix: which hosts to trust is
    /// yours to say.
    ///
    /// ## References
    /// CWE-693, CWE-79 · OWASP A05
    pub CSP_UNSAFE_SOURCE = RuleMeta {
        id: "PV542",
        name: "csp-unsafe-source",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[693, 79],
        owasp: Owasp::A05,
        guideline: "security-headers",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &CSP_UNSAFE_SOURCE,
    checks: &[
        Check::Stmt(check_stmt),
        Check::Setting(check_setting),
        Check::Call(check_call),
        Check::Dict(check_dict),
    ],
    needs: &[],
};

const HEADER: &str = "content-security-policy";

fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    if let Stmt::Assign(assign) = stmt {
        let names_header = assign.targets.iter().any(|target| {
            matches!(target, Expr::Subscript(subscript) if is_header(checker, &subscript.slice))
        });
        if names_header {
            check_header(checker, &assign.value);
        }
    }
}

/// django-csp's and Django's own CSP settings.
fn check_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    if !matches!(setting.site, Site::Module | Site::DjangoSettings) {
        return;
    }
    let (policy, written) = match (setting.name, setting.value) {
        ("SECURE_CSP", Expr::Dict(dict)) => (Policy::from_dict(checker, dict), Written::Dict(dict)),
        ("CONTENT_SECURITY_POLICY", Expr::Dict(dict)) => {
            let Some(Expr::Dict(directives)) = dict_value(checker, dict, "DIRECTIVES") else {
                return;
            };
            (
                Policy::from_dict(checker, directives),
                Written::Dict(directives),
            )
        }
        ("CSP_SCRIPT_SRC", sources) => (
            single_directive(checker, "script-src", sources),
            Written::Sources(sources),
        ),
        ("CSP_DEFAULT_SRC", sources) => {
            let has_script_src = !checker
                .semantic()
                .bindings_in(MODULE_SCOPE, "CSP_SCRIPT_SRC")
                .is_empty();
            if has_script_src {
                return;
            }
            (
                single_directive(checker, "default-src", sources),
                Written::Sources(sources),
            )
        }
        _ => return,
    };
    report(checker, &policy, setting.value, written);
}

/// `headers.set("Content-Security-Policy", value)` and Talisman's `content_security_policy=`.
fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    if let Expr::Attribute(method) = &*call.func {
        let setter = matches!(
            method.attr.id.as_str(),
            "set" | "add" | "setdefault" | "add_header" | "set_header" | "__setitem__" | "append"
        );
        if let ([name, value, ..], true) = (&call.arguments.args[..], setter) {
            if is_header(checker, name) {
                check_header(checker, value);
            }
        }
    }
    let semantic = checker.semantic();
    if !semantic.has_import("flask_talisman") {
        return;
    }
    let Some(policy) = keyword(call, "content_security_policy").map(|k| &k.value) else {
        return;
    };
    let is_talisman = semantic
        .resolve_value_origin(&call.func)
        .is_some_and(|name| name.segments().first() == Some(&"flask_talisman"));
    match policy {
        Expr::Dict(dict) if is_talisman => report(
            checker,
            &Policy::from_dict(checker, dict),
            policy,
            Written::Dict(dict),
        ),
        other if is_talisman => check_header(checker, other),
        _ => {}
    }
}

/// `{"Content-Security-Policy": "..."}`
fn check_dict<'a>(checker: &Checker<'a>, dict: &'a ast::ExprDict) {
    for item in &dict.items {
        if item.key.as_ref().is_some_and(|key| is_header(checker, key)) {
            check_header(checker, &item.value);
        }
    }
}

fn is_header<'a>(checker: &Checker<'a>, name: &'a Expr) -> bool {
    checker
        .semantic()
        .constant_string(name)
        .is_some_and(|name| name.eq_ignore_ascii_case(HEADER))
}

fn check_header<'a>(checker: &Checker<'a>, value: &'a Expr) {
    if let Some(policy) = Policy::from_header(checker, value) {
        report(checker, &policy, value, Written::Header(value));
    }
}

fn single_directive<'a>(checker: &Checker<'a>, name: &str, sources: &'a Expr) -> Policy {
    let mut policy = Policy::default();
    policy.add(checker, name, sources);
    policy
}

/// How the policy is written, for the fix.
#[derive(Clone, Copy)]
enum Written<'a> {
    /// A header value: `"default-src 'self'; script-src 'self' 'unsafe-inline'"`.
    Header(&'a Expr),
    /// A dict of directives, each with its sources.
    Dict(&'a ast::ExprDict),
    /// The sources of the directive that governs scripts.
    Sources(&'a Expr),
}

fn report<'a>(checker: &Checker<'a>, policy: &Policy, value: &Expr, written: Written<'a>) {
    let Some((directive, problems)) = policy.script_problems() else {
        return;
    };
    let message = format!(
        "The Content-Security-Policy's `{directive}` lets injected scripts through: {}",
        problems.join("; ")
    );
    let edit = match written {
        Written::Header(header) => header_fix(checker, header),
        Written::Dict(dict) => script_sources(checker, dict, directive)
            .and_then(|sources| sources_fix(checker, sources)),
        Written::Sources(sources) => sources_fix(checker, sources),
    };
    let fix = edit.map(|edit| {
        Fix::unsafe_edits(
            "Remove `'unsafe-inline'` and `'unsafe-eval'` from the script sources",
            vec![edit],
        )
    });
    checker.report(Finding::new(&CSP_UNSAFE_SOURCE, value.range(), message).with_fix(fix));
}

/// The text of a string literal written plainly: one part, quoted with `"` or `'`, with no
/// escapes, so that the text between the quotes is its value. With the quote.
fn plain_string<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<(String, char)> {
    let Expr::StringLiteral(_) = value else {
        return None;
    };
    let text = checker.semantic().constant_string(value)?;
    let raw = checker.text(value);
    let quote = raw
        .chars()
        .next()
        .filter(|quote| matches!(quote, '"' | '\''))?;
    let inner = raw.get(1..raw.len().checked_sub(1)?)?;
    (inner == text && raw.ends_with(quote)).then_some((text, quote))
}

/// The header without the unsafe keywords in its script directive.
fn header_fix<'a>(checker: &Checker<'a>, header: &'a Expr) -> Option<Edit> {
    let (text, quote) = plain_string(checker, header)?;
    let policy = Policy::from_text(&text);
    let (name, _) = policy.script_directive()?;
    let mut directives: Vec<String> = text.split(';').map(str::to_string).collect();
    let index = directives.iter().position(|directive| {
        directive
            .split_whitespace()
            .next()
            .is_some_and(|word| word.eq_ignore_ascii_case(name))
    })?;
    let directive = &directives[index];
    let words: Vec<&str> = directive.split_whitespace().collect();
    let (directive_name, sources) = words.split_first()?;
    let kept = kept_words(sources)?;
    let leading = &directive[..directive.len() - directive.trim_start().len()];
    let trailing = &directive[directive.trim_end().len()..];
    directives[index] = format!("{leading}{directive_name} {kept}{trailing}");
    Some(Edit::replace(
        header.range(),
        format!("{quote}{}{quote}", directives.join(";")),
    ))
}

/// Space-separated sources without the unsafe keywords, joined by one space.
fn kept_words(sources: &[&str]) -> Option<String> {
    let lowered: Vec<String> = sources
        .iter()
        .map(|word| word.to_ascii_lowercase())
        .collect();
    let dropped = unsafe_keywords(&lowered)?;
    let kept: Vec<&str> = sources
        .iter()
        .zip(dropped)
        .filter(|(_, dropped)| !dropped)
        .map(|(word, _)| *word)
        .collect();
    Some(kept.join(" "))
}

/// The sources of `directive` in a dict of directives.
fn script_sources<'a>(
    checker: &Checker<'a>,
    dict: &'a ast::ExprDict,
    directive: &str,
) -> Option<&'a Expr> {
    dict.items.iter().find_map(|item| {
        let name = checker.semantic().constant_string(item.key.as_ref()?)?;
        name.eq_ignore_ascii_case(directive).then_some(&item.value)
    })
}

/// The sources without the unsafe keywords: a string of them (`"'self' 'unsafe-inline'"`)
/// or a literal list with one source per element.
fn sources_fix<'a>(checker: &Checker<'a>, sources: &'a Expr) -> Option<Edit> {
    if let Some((text, quote)) = plain_string(checker, sources) {
        let words: Vec<&str> = text.split_whitespace().collect();
        let kept = kept_words(&words)?;
        return Some(Edit::replace(
            sources.range(),
            format!("{quote}{kept}{quote}"),
        ));
    }
    let elements = match sources {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => elts,
        _ => return None,
    };
    // One source per element (`"'self' 'unsafe-inline'"` in one string is left alone); an
    // element we cannot read stays, as something that is not an unsafe keyword.
    let mut lowered = Vec::new();
    for element in elements {
        let text = source_text(checker, element).unwrap_or_else(|| "\u{0}".to_string());
        if text.split_whitespace().count() != 1 {
            return None;
        }
        lowered.push(text.trim().to_ascii_lowercase());
    }
    let dropped = unsafe_keywords(&lowered)?;
    let dropped: Vec<_> = elements
        .iter()
        .zip(dropped)
        .filter(|(_, dropped)| *dropped)
        .map(|(element, _)| element.range())
        .collect();
    without_elements(checker, sources, |element| {
        !dropped.contains(&element.range())
    })
}

fn dict_value<'a>(checker: &Checker<'a>, dict: &'a ast::ExprDict, key: &str) -> Option<&'a Expr> {
    dict.items.iter().find_map(|item| {
        let name = checker.semantic().constant_string(item.key.as_ref()?)?;
        (name == key).then_some(&item.value)
    })
}
