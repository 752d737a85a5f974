use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast;
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::QualifiedName;

use super::named_file::reads_named_file;

declare_rule! {
    /// ## What it does
    /// Flags `marshal.load` and `marshal.loads`.
    ///
    /// ## Why is this bad?
    /// `marshal` is the format of Python's own `.pyc` files, and its documentation says it
    /// is not meant to be secure against erroneous or malicious data. A crafted input can
    /// build code objects, exhaust memory or crash the interpreter. It is meant for data the
    /// program wrote itself, with the same Python version; the round trip
    /// `marshal.loads(marshal.dumps(value))` is not flagged.
    ///
    /// ## Example
    /// ```python
    /// import marshal
    /// settings = marshal.loads(uploaded_file.read())
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    /// settings = json.loads(uploaded_file.read())
    /// ```
    ///
    /// ## References
    /// CWE-502 · OWASP A08
    pub MARSHAL_LOAD = RuleMeta {
        id: "PV303",
        name: "marshal-load",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[502],
        owasp: Owasp::A08,
        guideline: "deserialization",
        sources: &[Source::Bandit("B302"), Source::Ruff("S302")],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &MARSHAL_LOAD,
    checks: &[Check::Callee(check_call)],
    needs: &["marshal"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    if !matches!(function.segments(), ["marshal", "load" | "loads"]) || is_round_trip(checker, call)
    {
        return;
    }
    let message = format!(
        "`{function}` is not safe against crafted data: use it only for bytes this program wrote"
    );
    let confidence = if reads_named_file(checker, call) {
        Confidence::Medium
    } else {
        Confidence::High
    };
    checker.report(Finding::new(&MARSHAL_LOAD, call.range(), message).with_confidence(confidence));
}

/// `marshal.loads(marshal.dumps(value))`, directly or through a variable.
fn is_round_trip<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    call.arguments.find_positional(0).is_some_and(|data| {
        checker
            .semantic()
            .resolve_value_origin(data)
            .is_some_and(|origin| origin.segments() == ["marshal", "dumps", "()"])
    })
}
