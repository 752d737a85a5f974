use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity, TraceStep};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};

use super::sanitizers;

declare_rule! {
    /// ## What it does
    /// Flags request data written into the server-side session: `session[key] = value` with
    /// Flask's (or Quart's) `session`, and `request.session[key] = value` in Django and
    /// Starlette (and their `update` and `setdefault`), where the value (or the key) comes
    /// from the request.
    ///
    /// The finding is of low severity when only the value comes from the request, and of
    /// medium severity when the client also chooses the key, since it can then overwrite
    /// any entry (`user_id`, `is_admin`), as with `session.update(request.form)`. A value checked against an allow-list, converted
    /// to a number, or decided by your code is not flagged, and neither is a constant key
    /// holding a value your code computed.
    ///
    /// ## Why is this bad?
    /// The session is a trust boundary: what is in it, later requests believe without
    /// asking, as if the server had decided it. Data that crosses that boundary unchecked
    /// lends the client's word the server's authority: a role, a price or an account
    /// number taken from a form once is read back as fact on every request after.
    ///
    /// ## Example
    /// ```python
    /// from flask import request, session
    ///
    /// def choose_plan():
    ///     session["plan"] = request.form["plan"]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import abort, request, session
    ///
    /// PLANS = {"free", "team", "enterprise"}
    ///
    /// def choose_plan():
    ///     plan = request.form["plan"]
    ///     if plan not in PLANS:
    ///         abort(400)
    ///     session["plan"] = plan
    /// ```
    ///
    /// ## References
    /// CWE-501 · OWASP A04
    pub REQUEST_DATA_IN_SESSION = RuleMeta {
        id: "PV712",
        name: "request-data-in-session",
        severity: Severity::Low,
        confidence: Confidence::Medium,
        cwe: &[501],
        owasp: Owasp::A04,
        guideline: "input-validation",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &REQUEST_DATA_IN_SESSION,
    checks: &[Check::Stmt(check_stmt), Check::Call(check_call)],
    needs: &["flask", "quart", "django", "starlette", "fastapi"],
};

/// `session[key] = value`.
fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let Stmt::Assign(assign) = stmt else {
        return;
    };
    for target in &assign.targets {
        let Expr::Subscript(subscript) = target else {
            continue;
        };
        if checker.semantic().is_session_object(&subscript.value) {
            report(
                checker,
                stmt,
                Some(&*subscript.slice),
                &assign.value,
                target,
            );
        }
    }
}

/// `session.update(...)`, `session.setdefault(key, value)`.
fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    let method_name = method.attr.id.as_str();
    if !matches!(method_name, "update" | "setdefault")
        || !checker.semantic().is_session_object(&method.value)
    {
        return;
    }
    let (key, value) = match (method_name, &call.arguments.args[..]) {
        ("setdefault", [key, value, ..]) => (Some(key), value),
        // `session.update({"plan": plan})` writes fixed keys; `session.update(request.form)`
        // writes the keys the client sent.
        ("update", [items]) if items.is_dict_expr() => (None, items),
        ("update", [items]) => (Some(items), items),
        ("update", []) => match call.arguments.keywords.first() {
            Some(keyword) if keyword.arg.is_some() => (None, &keyword.value),
            Some(keyword) => (Some(&keyword.value), &keyword.value),
            None => return,
        },
        _ => return,
    };
    report(checker, call, key, value, &*call.func);
}

fn report<'a>(
    checker: &Checker<'a>,
    node: &impl Ranged,
    key: Option<&'a Expr>,
    value: &'a Expr,
    target: &impl Ranged,
) {
    let semantic = checker.semantic();
    let key_trace = key.and_then(|key| semantic.request_taint_with(key, sanitizers::session));
    let value_trace = semantic.request_taint_with(value, sanitizers::session);
    let target_text = checker.text(target);
    let (message, trace, severity) = match (key_trace, value_trace) {
        (Some(trace), _) => (
            format!(
                "`{target_text}`: the client chooses which session entry is written, so it can set any of them (a user id, a role) for later requests to trust"
            ),
            trace,
            Severity::Medium,
        ),
        (None, Some(trace)) => (
            format!(
                "`{target_text}` stores request data in the session unchecked; later requests will trust it as if the server had set it"
            ),
            trace,
            Severity::Low,
        ),
        (None, None) => return,
    };
    let mut trace = trace;
    trace.push(TraceStep {
        message: "it is written into the session".to_string(),
        range: target.range(),
        elsewhere: None,
    });
    checker.report(
        Finding::new(&REQUEST_DATA_IN_SESSION, node.range(), message)
            .with_severity(severity)
            .with_trace(trace),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::{analyze, Options};

    #[test]
    fn a_key_the_client_chooses_is_rated_higher() {
        let source = "from flask import request, session\nsession['plan'] = request.form['plan']\nsession[request.form['k']] = 1\n";
        let options = Options {
            select: vec!["PV712".to_string()],
            ..Options::default()
        };
        let severities: Vec<Severity> = analyze(source, &options)
            .findings
            .iter()
            .map(|finding| finding.severity())
            .collect();
        assert_eq!(severities, [Severity::Low, Severity::Medium]);
    }
}
