//! What PV103 and PV104 share: find a known-format secret in a literal, report it, and
//! offer to read it from the environment instead.

use super::secret_name::{env_var_name, secret_kind, words};
use super::sites::{bound_name, environment_fix, is_test_code};
use crate::checker::Checker;
use crate::diagnostic::{Confidence, Finding, Fix};
use crate::parse::ast::Expr;
use crate::parse::Ranged;
use crate::registry::RuleMeta;
use crate::semantic::known_secrets::KnownSecret;
use crate::semantic::{LiteralKind, LiteralText};

/// Reports the first known secret in `expr` whose format is (or is not) `critical`.
/// Docstrings and tests are included: a live key leaks wherever it is written. The one
/// exception is a PEM private key in test code: tests of signing and TLS generate
/// throwaway keys and keep them as fixtures, and nothing in a PEM block tells a real key
/// from one (a token's prefix and checksum do say it was issued by the vendor).
pub fn check_known_format(
    checker: &Checker,
    expr: &Expr,
    literal: &LiteralText,
    rule: &'static RuleMeta,
    critical: bool,
) {
    let known = literal.known_secrets();
    let Some(found) = (if critical {
        &known.critical
    } else {
        &known.other
    }) else {
        return;
    };
    let format = found.format;
    if format.is_private_key()
        && (checker.semantic().is_test_file() || is_test_code(checker, expr.start()))
    {
        return;
    }
    let encrypted = literal
        .text
        .get(found.start..found.end)
        .is_some_and(|matched| matched.contains("ENCRYPTED"));
    let confidence = if encrypted {
        Confidence::Medium
    } else {
        format.confidence
    };
    let consequence = if critical {
        "whoever holds it can run up charges on your account; revoke it now"
    } else {
        "anyone who can read the code or its history can use it; revoke it"
    };
    let message = format!("This string contains {}: {consequence}", format.label);
    let fix = format_fix(checker, expr, &literal.text, literal.kind, found);
    checker.report(
        Finding::new(rule, expr.range(), message)
            .with_confidence(confidence)
            .with_fix(fix),
    );
}

/// When the key is the whole string: `os.environ["NAME"]`, named after what it is bound to
/// when that names a secret, else the format's usual variable. A private key only gets a suggestion (display-only).
fn format_fix(
    checker: &Checker,
    expr: &Expr,
    text: &str,
    kind: LiteralKind,
    found: &KnownSecret,
) -> Option<Fix> {
    let leading = text.len() - text.trim_start().len();
    let trailing = text.trim_end().len();
    let whole = found.start == leading && found.end == trailing;
    if !whole || kind == LiteralKind::Template {
        return None;
    }
    // `gh_token` says which token it is; `token`, `hf` or `config` say less than `HF_TOKEN`.
    let variable = bound_name(checker, expr.range())
        .filter(|name| secret_kind(name).is_some() && words(name).len() > 1)
        .and_then(env_var_name)
        .unwrap_or_else(|| found.format.env_var.to_string());
    let fix = environment_fix(checker, expr, &variable, kind == LiteralKind::Bytes)?;
    Some(if found.format.is_private_key() {
        Fix::display_only(fix.title, fix.edits)
    } else {
        fix
    })
}
