use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};

use super::last_identifier;
use super::name_words::{is_access_name, is_ownership_name, is_user_name};
use crate::semantic::names_in;

declare_rule! {
    /// ## What it does
    /// Flags `assert` statements that decide who may do something.
    ///
    /// For example `assert user.is_admin`, `assert request.user.has_perm("app.delete")`,
    /// `assert project.owner == user`, `assert can_edit(user, doc)`.
    ///
    /// Only asserts that decide access are flagged: an access question (`is_admin`,
    /// `is_authenticated`, `has_perm`, `check_permission`, `can_...`), a record's owner
    /// compared with a user, or a user's role. Not every `assert` (Bandit's B101 flags them
    /// all), not type narrowing (`is not None`, `isinstance`), not module-level sanity
    /// checks, not tests (functions named `test...`, classes named `Test...`, modules that
    /// import `pytest` or `unittest`).
    ///
    /// ## Why is this bad?
    /// Python removes `assert` statements when it runs with `-O` or with `PYTHONOPTIMIZE`
    /// set, which some deployments do for speed. The check then never runs and every user
    /// may do what only some should: the code fails open without any sign.
    ///
    /// ## Example
    /// ```python
    /// def delete_project(user, project):
    ///     assert user.is_admin, "only admins may delete projects"
    ///     project.delete()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def delete_project(user, project):
    ///     if not user.is_admin:
    ///         raise PermissionError("only admins may delete projects")
    ///     project.delete()
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the check now raises `PermissionError` instead of `AssertionError`, so code
    /// that caught `AssertionError` sees a different exception; prefer your framework's own
    /// (`PermissionDenied`, `abort(403)`, `HTTPException(403)`) where you have one.
    ///
    /// ## References
    /// CWE-617, CWE-285 · OWASP A01
    pub ASSERT_FOR_ACCESS_CONTROL = RuleMeta {
        id: "PV722",
        name: "assert-for-access-control",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[617, 285],
        owasp: Owasp::A01,
        guideline: "error-handling",
        sources: &[Source::Bandit("B101"), Source::Ruff("S101")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &ASSERT_FOR_ACCESS_CONTROL,
    checks: &[Check::Stmt(check_assert)],
    needs: &[],
};

fn check_assert<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let Stmt::Assert(assert) = stmt else {
        return;
    };
    let semantic = checker.semantic();
    if semantic.is_test_module() || is_type_check(&assert.test) {
        return;
    }
    let Some(subject) = access_subject(checker, &assert.test, 0) else {
        return;
    };
    let around = checker.ancestors();
    let Some(function) = around.enclosing_function() else {
        return;
    };
    let in_test = function.name.id.as_str().starts_with("test")
        || around
            .enclosing_class()
            .is_some_and(|class| class.name.id.as_str().starts_with("Test"));
    if in_test {
        return;
    }
    let message = format!(
        "This `assert` checks `{subject}`, but Python drops asserts under `-O`, and the access check with them"
    );
    checker.report(
        Finding::new(&ASSERT_FOR_ACCESS_CONTROL, stmt.range(), message)
            .with_fix(raise_fix(checker, assert)),
    );
}

/// `x is None`, `x is not None`, `isinstance(...)`: narrowing types, not deciding access.
fn is_type_check(test: &Expr) -> bool {
    match test {
        Expr::Compare(compare) => compare.comparators.iter().any(Expr::is_none_literal_expr),
        Expr::Call(call) => matches!(
            last_identifier(&call.func),
            Some("isinstance" | "issubclass")
        ),
        _ => false,
    }
}

/// What makes the test an access decision, for the message: an access question
/// (`user.is_admin`, `has_perm(...)`), an ownership comparison (`doc.owner == user`), or a
/// role comparison (`user.role == "admin"`).
fn access_subject<'a>(checker: &Checker<'a>, test: &'a Expr, depth: usize) -> Option<&'a str> {
    if depth > 32 {
        return None;
    }
    let recurse = |inner: &'a Expr| access_subject(checker, inner, depth + 1);
    match test {
        Expr::BoolOp(boolop) => boolop.values.iter().find_map(recurse),
        Expr::UnaryOp(unary) => recurse(&unary.operand),
        Expr::Attribute(attribute) if is_access_name(attribute.attr.id.as_str()) => {
            Some(checker.text(test))
        }
        Expr::Name(name) if is_access_name(name.id.as_str()) => Some(checker.text(test)),
        Expr::Call(call) => {
            let function = last_identifier(&call.func)?;
            is_access_name(function).then(|| checker.text(&*call.func))
        }
        Expr::Compare(compare) => {
            let sides: Vec<&'a Expr> = std::iter::once(&*compare.left)
                .chain(compare.comparators.iter())
                .collect();
            if let Some(subject) = sides.iter().find_map(|side| recurse(side)) {
                return Some(subject);
            }
            let names_user = |side: &&'a Expr| {
                names_in(side)
                    .into_iter()
                    .filter_map(last_identifier)
                    .chain(attributes_of(side))
                    .any(is_user_name)
            };
            let ownership = sides.iter().find(|side| {
                matches!(side, Expr::Attribute(attribute)
                    if is_ownership_name(attribute.attr.id.as_str())
                        || (matches!(attribute.attr.id.as_str(), "role" | "roles" | "permissions" | "groups")
                            && names_user(&&*attribute.value)))
            })?;
            let other_side_is_user = sides
                .iter()
                .any(|side| !std::ptr::eq(*side, *ownership) && names_user(side));
            let is_role = matches!(ownership, Expr::Attribute(attribute)
                if matches!(attribute.attr.id.as_str(), "role" | "roles" | "permissions" | "groups"));
            (other_side_is_user || is_role).then(|| checker.text(*ownership))
        }
        _ => None,
    }
}

/// The attribute names along a dotted expression: `request.user.id` → `id`, `user`.
fn attributes_of(expr: &Expr) -> Vec<&str> {
    let mut found = Vec::new();
    let mut current = expr;
    while let Expr::Attribute(attribute) = current {
        found.push(attribute.attr.id.as_str());
        current = &attribute.value;
    }
    found
}

/// `assert test, msg` → `if not test:` / `raise PermissionError(msg)`, when the assert is
/// alone on its lines.
fn raise_fix(checker: &Checker, assert: &ast::StmtAssert) -> Option<Fix> {
    let source = checker.source();
    let start = assert.start().to_usize();
    let line_start = source[..start].rfind('\n').map_or(0, |at| at + 1);
    let indent = &source[line_start..start];
    let line_end = source[assert.end().to_usize()..]
        .find('\n')
        .map_or(source.len(), |at| at + assert.end().to_usize());
    let after = source[assert.end().to_usize()..line_end].trim_start();
    if !indent.chars().all(|c| c == ' ' || c == '\t')
        || !(after.is_empty() || after.starts_with('#'))
    {
        return None;
    }
    let unit = if indent.contains('\t') { "\t" } else { "    " };
    let test = checker.text(&*assert.test);
    let condition = match &*assert.test {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Call(_) | Expr::Subscript(_) => {
            format!("not {test}")
        }
        _ => format!("not ({test})"),
    };
    let raise = match &assert.msg {
        Some(msg) => format!("raise PermissionError({})", checker.text(&**msg)),
        None => "raise PermissionError".to_string(),
    };
    let newline = if source[..line_end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let replacement = format!("if {condition}:{newline}{indent}{unit}{raise}");
    Some(Fix::unsafe_edits(
        "Check with `if` and raise `PermissionError`",
        vec![Edit::replace(assert.range(), replacement)],
    ))
}
