//! Content-Security-Policy values, read from a header string (`"default-src 'self'; ..."`)
//! or from the dict/tuple forms Flask-Talisman, django-csp and Django 6 take, and judged on
//! what they allow for scripts.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::semantic::StringPart;

/// Stands for a part of the header only known at run time (a nonce, usually).
const DYNAMIC: &str = "\u{0}";

/// A policy: each directive with its source expressions, lower-cased.
#[derive(Debug, Default)]
pub struct Policy {
    directives: Vec<(String, Vec<String>)>,
}

impl Policy {
    /// A header value: `"default-src 'self'; script-src 'self' 'nonce-{nonce}'"`.
    pub fn from_header<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<Policy> {
        let parts = checker.semantic().string_parts(value)?;
        let mut text = String::new();
        for part in parts {
            match part {
                StringPart::Literal(literal) => text.push_str(&literal),
                StringPart::Dynamic(_) => text.push_str(DYNAMIC),
            }
        }
        Some(Policy::from_text(&text))
    }

    /// A header value written out in full.
    pub fn from_text(text: &str) -> Policy {
        let directives = text
            .split(';')
            .filter_map(|directive| {
                let mut words = directive.split_whitespace();
                let name = words.next()?.to_ascii_lowercase();
                Some((name, words.map(str::to_ascii_lowercase).collect()))
            })
            .collect();
        Policy { directives }
    }

    /// A dict of directives: `{"script-src": ["'self'", "'unsafe-inline'"]}` (Talisman,
    /// Django 6's `SECURE_CSP`, django-csp 4's `DIRECTIVES`).
    pub fn from_dict<'a>(checker: &Checker<'a>, dict: &'a ast::ExprDict) -> Policy {
        let mut policy = Policy::default();
        for item in &dict.items {
            let Some(name) = item
                .key
                .as_ref()
                .and_then(|key| checker.semantic().constant_string(key))
            else {
                continue;
            };
            policy.add(checker, &name, &item.value);
        }
        policy
    }

    /// Adds one directive from a string (`"'self' cdn.example.com"`) or a list of sources.
    pub fn add<'a>(&mut self, checker: &Checker<'a>, name: &str, sources: &'a Expr) {
        let mut tokens = Vec::new();
        let items: Vec<&Expr> = match sources {
            Expr::List(ast::ExprList { elts, .. })
            | Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().collect(),
            single => vec![single],
        };
        for item in items {
            match source_text(checker, item) {
                Some(text) => tokens.extend(text.split_whitespace().map(str::to_ascii_lowercase)),
                None => tokens.push(DYNAMIC.to_string()),
            }
        }
        self.directives.push((name.to_ascii_lowercase(), tokens));
    }

    /// What the policy lets scripts do that a policy should not: the directive that
    /// governs scripts and the problems found in it.
    pub fn script_problems(&self) -> Option<(&str, Vec<&'static str>)> {
        let (name, sources) = self.script_directive()?;
        let nonce_or_hash = has_nonce_or_hash(sources);
        let strict_dynamic = sources.iter().any(|source| source == "'strict-dynamic'");
        let has = |wanted: &str| sources.iter().any(|source| source == wanted);
        let mut problems = Vec::new();
        if has("'unsafe-inline'") && !nonce_or_hash {
            problems.push("`'unsafe-inline'` runs injected inline scripts");
        }
        if has("'unsafe-eval'") {
            problems.push("`'unsafe-eval'` runs strings as code");
        }
        let any_host = ["*", "http:", "https:", "data:"]
            .iter()
            .find(|wanted| has(wanted));
        if any_host.is_some() && !strict_dynamic {
            problems.push("a source like `*`, `https:` or `data:` loads scripts from anywhere");
        }
        (!problems.is_empty()).then_some((name, problems))
    }

    /// The directive that governs scripts: `script-src`, else `default-src`.
    pub fn script_directive(&self) -> Option<(&str, &[String])> {
        self.find("script-src").or_else(|| self.find("default-src"))
    }

    fn find(&self, name: &str) -> Option<(&str, &[String])> {
        self.directives
            .iter()
            .find(|(directive, _)| directive == name)
            .map(|(directive, sources)| (directive.as_str(), sources.as_slice()))
    }
}

fn has_nonce_or_hash(sources: &[String]) -> bool {
    sources.iter().any(|source| {
        source.starts_with("'nonce-")
            || source.starts_with("'sha256-")
            || source.starts_with("'sha384-")
            || source.starts_with("'sha512-")
    })
}

/// Which of a script directive's sources (lower-cased) to drop so that it is safe: the
/// `'unsafe-eval'`, and the `'unsafe-inline'` that no nonce or hash overrides. `None` when
/// there is none to drop, when dropping them is not enough (a wildcard stays) or would
/// leave no source at all (which blocks every script).
pub fn unsafe_keywords(sources: &[String]) -> Option<Vec<bool>> {
    let nonce_or_hash = has_nonce_or_hash(sources);
    let dropped: Vec<bool> = sources
        .iter()
        .map(|source| source == "'unsafe-eval'" || (source == "'unsafe-inline'" && !nonce_or_hash))
        .collect();
    let kept: Vec<String> = sources
        .iter()
        .zip(&dropped)
        .filter(|(_, dropped)| !**dropped)
        .map(|(source, _)| source.clone())
        .collect();
    let safe_after = Policy {
        directives: vec![("script-src".to_string(), kept.clone())],
    }
    .script_problems()
    .is_none();
    (dropped.contains(&true) && !kept.is_empty() && safe_after).then_some(dropped)
}

/// A source written as a string, or as one of Django 6's `CSP` constants.
pub fn source_text<'a>(checker: &Checker<'a>, source: &'a Expr) -> Option<String> {
    if let Some(text) = checker.semantic().constant_string(source) {
        return Some(text);
    }
    let name = checker.semantic().resolve_qualified_name(source)?;
    let constant = match name.segments() {
        ["django", "utils", "csp", "CSP", constant] => *constant,
        _ => return None,
    };
    let text = match constant {
        "SELF" => "'self'",
        "NONE" => "'none'",
        "UNSAFE_INLINE" => "'unsafe-inline'",
        "UNSAFE_EVAL" => "'unsafe-eval'",
        "STRICT_DYNAMIC" => "'strict-dynamic'",
        "WILDCARD" => "*",
        "NONCE" => "'nonce-'",
        _ => return None,
    };
    Some(text.to_string())
}
