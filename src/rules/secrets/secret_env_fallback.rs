use super::secret_name::secret_kind;
use super::secret_value::secret_confidence;
use super::sites::is_test_code;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::known_secrets::has_known_secret;
use crate::semantic::{argument, keyword, literal_text, LiteralKind, QualifiedName};

declare_rule! {
    /// ## What it does
    /// Flags a secret written in as the fallback of an environment lookup:
    /// `os.getenv("SECRET_KEY", "dev-secret-9f8e7d")`.
    ///
    /// Covers `os.getenv`, `os.environ.get`, `os.environ.setdefault` and python-decouple's
    /// `config(..., default=...)`, when the variable's name announces a secret and the
    /// fallback looks like one (empty strings and placeholders stay quiet).
    ///
    /// ## Why is this bad?
    /// The code reads as if the secret came from the environment, so reviewers and scanners
    /// move on, but the real value sits in the source for everyone who can read it. Worse, a
    /// deployment that forgets to set the variable does not fail: it quietly runs with the
    /// key from the repository, and sessions or tokens signed with it can be forged.
    ///
    /// ## Example
    /// ```python
    /// import os
    /// SECRET_KEY = os.getenv("SECRET_KEY", "dev-secret-9f8e7d6c5b4a")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// SECRET_KEY = os.environ["SECRET_KEY"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: without the fallback the lookup raises (`KeyError`, or decouple's
    /// `UndefinedValueError`) where the variable is not set, which is the point: set it in
    /// every environment first, development included. `os.environ.setdefault` gets no fix:
    /// it also writes the value into the environment, and what should happen instead is a
    /// human choice.
    ///
    /// ## References
    /// CWE-798, CWE-1188 · OWASP A07
    pub SECRET_ENV_FALLBACK = RuleMeta {
        id: "PV105",
        name: "secret-env-fallback",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[798, 1188],
        owasp: Owasp::A07,
        guideline: "secrets-management",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &SECRET_ENV_FALLBACK,
    checks: &[Check::Callee(check_call)],
    needs: &["os", "decouple"],
};

/// The lookups we know, and how each one takes its fallback.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lookup {
    /// `os.getenv(name, default)` and `os.environ.get(name, default)`.
    Get,
    /// `os.environ.setdefault(name, value)`.
    SetDefault,
    /// `decouple.config(name, default=...)`.
    Decouple,
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let semantic = checker.semantic();
    let (lookup, fallback) = match function.segments() {
        ["os", "getenv"] | ["os", "environ", "get"] => (Lookup::Get, argument(call, 1, "default")),
        ["os", "environ", "setdefault"] => (Lookup::SetDefault, argument(call, 1, "default")),
        ["decouple", "config"] => (Lookup::Decouple, keyword(call, "default").map(|k| &k.value)),
        _ => return,
    };
    let (Some(name_expr), Some(fallback)) = (argument(call, 0, "key"), fallback) else {
        return;
    };
    let Some(variable) = semantic.constant_string(name_expr) else {
        return;
    };
    let Some(kind) = secret_kind(&variable) else {
        return;
    };
    let Some(literal) = literal_text(fallback).filter(|text| text.kind == LiteralKind::Str) else {
        return;
    };
    // A fallback with a known format is PV103/PV104's.
    if has_known_secret(literal.text.as_bytes()) {
        return;
    }
    let Some(confidence) = secret_confidence(&literal.text, &variable, kind) else {
        return;
    };
    if is_test_code(checker, call.start()) {
        return;
    }
    let message = format!(
        "`{variable}` falls back to a hardcoded {} when the variable is unset: the code \
         looks configured, but the real value is in the source",
        kind.noun()
    );
    let fix = match lookup {
        Lookup::SetDefault => None,
        Lookup::Get | Lookup::Decouple => without_fallback(checker, call, name_expr, lookup),
    };
    checker.report(
        Finding::new(&SECRET_ENV_FALLBACK, fallback.range(), message)
            .with_confidence(confidence)
            .with_fix(fix),
    );
}

/// `os.getenv("X", "…")` → `os.environ["X"]`; `config("X", default="…")` → `config("X")`.
/// Only for calls with nothing but the name and the fallback, and no comment to lose.
fn without_fallback(
    checker: &Checker,
    call: &ast::ExprCall,
    name: &Expr,
    lookup: Lookup,
) -> Option<Fix> {
    let arguments = &call.arguments;
    if arguments.args.len() + arguments.keywords.len() != 2 || checker.text(call).contains('#') {
        return None;
    }
    let (replacement, import) = if lookup == Lookup::Get {
        let (os, import) = checker.import_module("os", call.start());
        (format!("{os}.environ[{}]", checker.text(name)), import)
    } else {
        let callee = checker.text(&*call.func);
        (format!("{callee}({})", checker.text(name)), None)
    };
    let mut edits = vec![Edit::replace(call.range(), replacement)];
    edits.extend(import);
    Some(Fix::unsafe_edits("Remove the hardcoded fallback", edits))
}
