use super::view_auth::Evidence;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::fix::statement::own_lines;
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::ancestors::Node;
use crate::semantic::BindingKind;

declare_rule! {
    /// ## What it does
    /// Flags views taken out of CSRF protection.
    ///
    /// That is Django's `@csrf_exempt` (also through `method_decorator` and as
    /// `csrf_exempt(view)` in a URL configuration) and Flask-WTF's `@csrf.exempt` /
    /// `csrf.exempt(blueprint)`.
    ///
    /// Views that authenticate each request on their own stay quiet: a webhook that checks
    /// an HMAC signature (`hmac.compare_digest`, a `*-Signature` header, a `verify...` call)
    /// or an API that reads the `Authorization` header is not reachable through a browser's
    /// cookies, so it does not need the token.
    ///
    /// ## Why is this bad?
    /// The browser attaches the user's session cookie to requests that any other site
    /// triggers. The CSRF token is the only thing that tells your view the request came
    /// from your own pages; without it, a hidden form elsewhere can change the user's email,
    /// password or money on their behalf.
    ///
    /// ## Example
    /// ```python
    /// from django.views.decorators.csrf import csrf_exempt
    ///
    /// @csrf_exempt
    /// def change_email(request):
    ///     request.user.email = request.POST["email"]
    ///     request.user.save()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from django.views.decorators.http import require_POST
    ///
    /// @require_POST
    /// def change_email(request):
    ///     request.user.email = request.POST["email"]
    ///     request.user.save()
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix deletes the `@csrf_exempt` (or `@csrf.exempt`) decorator line, or
    /// unwraps `csrf_exempt(view)` to `view` and deletes a `csrf.exempt(blueprint)`
    /// statement, so the view is protected again. Clients that post to it without the token
    /// (a form on another site, a script, a mobile app using the session cookie) are then
    /// refused with 403 until they send it. The import stays: other views may use it.
    ///
    /// ## References
    /// CWE-352 · OWASP A01
    pub CSRF_EXEMPT_VIEW = RuleMeta {
        id: "PV510",
        name: "csrf-exempt-view",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[352],
        owasp: Owasp::A01,
        guideline: "csrf",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &CSRF_EXEMPT_VIEW,
    checks: &[Check::Stmt(check_stmt), Check::Call(check_call)],
    needs: &["django", "flask_wtf"],
};

fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let (decorators, body, name) = match stmt {
        Stmt::FunctionDef(function) => (&function.decorator_list, &function.body, &function.name),
        Stmt::ClassDef(class) => (&class.decorator_list, &class.body, &class.name),
        _ => return,
    };
    let Some(decorator) = decorators
        .iter()
        .find(|d| is_exemption(checker, &d.expression))
    else {
        return;
    };
    let evidence = Evidence::of(body, decorators);
    if evidence.authenticates_otherwise {
        return;
    }
    let message = format!(
        "CSRF protection is turned off for `{}`: other sites can send it requests that carry the user's cookies",
        name.id.as_str()
    );
    let fix = own_lines(checker.source(), decorator.range())
        .map(|lines| Fix::unsafe_edits("Remove the CSRF exemption", vec![Edit::delete(lines)]));
    checker.report(
        Finding::new(&CSRF_EXEMPT_VIEW, decorator.range(), message)
            .with_confidence(evidence.confidence())
            .with_fix(fix),
    );
}

/// `csrf_exempt(view)` in a URL configuration, `csrf.exempt(blueprint)`.
fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    if !is_exempt_function(checker, &call.func) {
        return;
    }
    let [view] = &call.arguments.args[..] else {
        return;
    };
    let confidence = match view {
        Expr::Name(name) => match semantic.binding_of(name).map(|b| &b.kind) {
            Some(BindingKind::FunctionDef(function)) => {
                let evidence = Evidence::of(&function.body, &function.decorator_list);
                if evidence.authenticates_otherwise {
                    return;
                }
                evidence.confidence()
            }
            _ => Confidence::Medium,
        },
        _ => Confidence::Medium,
    };
    let message = format!(
        "CSRF protection is turned off for `{}`: other sites can send it requests that carry the user's cookies",
        checker.text(view)
    );
    checker.report(
        Finding::new(&CSRF_EXEMPT_VIEW, call.range(), message)
            .with_confidence(confidence)
            .with_fix(unwrap_fix(checker, call, view)),
    );
}

/// `csrf_exempt(view)` → `view` (both return the view they are given); a
/// `csrf.exempt(blueprint)` statement of its own is deleted, unless the block could be left
/// empty. A view written as anything
/// but a name, an attribute, a call or a subscript is left alone: without the call's
/// parentheses an operator in it could bind differently.
fn unwrap_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, view: &'a Expr) -> Option<Fix> {
    let statement = checker.ancestors().iter().find_map(|node| match node {
        Node::Stmt(statement) => Some(statement),
        _ => None,
    });
    let edit = match statement.map(|statement| (statement.stmt, statement.block())) {
        Some((Stmt::Expr(expr), block)) if expr.value.range() == call.range() => {
            // Other fixes may delete the block's other calls in the same pass: only a
            // statement that is not a bare expression is sure to keep the block non-empty.
            if block.iter().all(|stmt| matches!(stmt, Stmt::Expr(_))) {
                return None;
            }
            Edit::delete(own_lines(checker.source(), expr.range())?)
        }
        _ if matches!(
            view,
            Expr::Name(_) | Expr::Attribute(_) | Expr::Call(_) | Expr::Subscript(_)
        ) =>
        {
            Edit::replace(call.range(), checker.text(view))
        }
        _ => return None,
    };
    Some(Fix::unsafe_edits("Remove the CSRF exemption", vec![edit]))
}

/// `@csrf_exempt`, `@csrf.exempt`, `@method_decorator(csrf_exempt, name="dispatch")`.
fn is_exemption<'a>(checker: &Checker<'a>, decorator: &'a Expr) -> bool {
    if is_exempt_function(checker, decorator) {
        return true;
    }
    let Expr::Call(call) = decorator else {
        return false;
    };
    let is_method_decorator = checker
        .semantic()
        .resolve_qualified_name(&call.func)
        .is_some_and(|name| {
            name.segments() == ["django", "utils", "decorators", "method_decorator"]
        });
    is_method_decorator
        && call
            .arguments
            .args
            .first()
            .is_some_and(|wrapped| is_exempt_function(checker, wrapped))
}

fn is_exempt_function<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    checker
        .semantic()
        .resolve_value_origin(expr)
        .is_some_and(|name| {
            matches!(
                name.segments(),
                ["django", "views", "decorators", "csrf", "csrf_exempt"]
                    | ["flask_wtf", "csrf", "CSRFProtect", "()", "exempt"]
                    | ["flask_wtf", "CSRFProtect", "()", "exempt"]
            )
        })
}
