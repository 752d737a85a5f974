use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity, TraceStep};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword};

use super::exception_detail::{find_leak, is_broad, Caught};
use super::generic_error_fix::generic_error_fix;
use super::last_identifier;
use super::views::{exception_parameter, view_of, ViewKind};

declare_rule! {
    /// ## What it does
    /// Flags responses that send a traceback or an exception's text to the client.
    ///
    /// Covered: a traceback (`traceback.format_exc()` and friends), or the text of the caught
    /// exception
    /// (`str(e)`, `repr(e)`, `f"{e}"`, `e.args`) returned from a view or an error handler,
    /// passed to `abort(...)`, or raised as `HTTPException(detail=...)`.
    ///
    /// Logging the exception is fine (`logger.exception(...)`, `traceback.print_exc()`),
    /// and so is the text of a Flask error handler registered for an HTTP status or an
    /// `HTTPException`, which is written for clients. Text from an exception caught by name
    /// (`except ValueError as e`) is reported with medium confidence, from
    /// `except Exception` with high.
    ///
    /// ## Why is this bad?
    /// Exception text is written for developers: it holds SQL statements, file paths,
    /// internal host names and URLs, library versions, and sometimes values such as a
    /// connection string with its password. Sent to the client, it maps your internals for
    /// an attacker. Log the details, and answer with a generic message and an incident id.
    ///
    /// ## Example
    /// ```python
    /// import traceback
    /// from flask import Flask
    ///
    /// app = Flask(__name__)
    ///
    /// @app.get("/report")
    /// def report():
    ///     try:
    ///         return build_report()
    ///     except Exception:
    ///         return {"error": traceback.format_exc()}, 500
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import logging
    /// from flask import Flask
    ///
    /// app = Flask(__name__)
    /// logger = logging.getLogger(__name__)
    ///
    /// @app.get("/report")
    /// def report():
    ///     try:
    ///         return build_report()
    ///     except Exception:
    ///         logger.exception("report failed")
    ///         return {"error": "internal error"}, 500
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the message that carried the detail becomes `"request failed"`, and
    /// `logging.exception("request failed")` (in an error handler, `logging.error(...,
    /// exc_info=error)`) is added on the line before, so the detail goes to your log
    /// instead. Clients that read the detail, and tests that compare it, see the generic
    /// text. Only offered when the response statement starts its own line.
    ///
    /// ## References
    /// CWE-209, CWE-497 · OWASP A04
    pub EXCEPTION_IN_RESPONSE = RuleMeta {
        id: "PV740",
        name: "exception-in-response",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[209, 497],
        owasp: Owasp::A04,
        guideline: "error-handling",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &EXCEPTION_IN_RESPONSE,
    checks: &[Check::Stmt(check_stmt)],
    needs: &[
        "flask",
        "quart",
        "django",
        "fastapi",
        "starlette",
        "rest_framework",
        "bottle",
    ],
};

fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let semantic = checker.semantic();
    let sent: Vec<&'a Expr> = match stmt {
        Stmt::Return(ast::StmtReturn {
            value: Some(value), ..
        }) => vec![value],
        Stmt::Raise(ast::StmtRaise { exc: Some(exc), .. }) => match &**exc {
            Expr::Call(call) if last_identifier(&call.func) == Some("HTTPException") => {
                argument(call, 1, "detail").into_iter().collect()
            }
            _ => return,
        },
        Stmt::Expr(statement) => match &*statement.value {
            Expr::Call(call)
                if semantic
                    .resolve_qualified_name(&call.func)
                    .is_some_and(|name| {
                        matches!(
                            name.segments(),
                            ["flask" | "quart", "abort"] | ["werkzeug", "exceptions", "abort"]
                        )
                    }) =>
            {
                call.arguments
                    .args
                    .iter()
                    .skip(1)
                    .chain(keyword(call, "description").map(|k| &k.value))
                    .collect()
            }
            _ => return,
        },
        _ => return,
    };
    if sent.is_empty() {
        return;
    }
    let around = checker.ancestors();
    let Some(function) = around.enclosing_function() else {
        return;
    };
    let Some(view) = view_of(checker, function, around.enclosing_class().is_some()) else {
        return;
    };
    // The exceptions in reach, outermost first, and whether each was caught broadly.
    let handlers: Vec<_> = around.handlers().collect();
    let in_except = !handlers.is_empty();
    let mut exceptions: Vec<Caught> = handlers
        .into_iter()
        .rev()
        .filter_map(|handler| {
            let name = handler.name.as_ref()?;
            Some(Caught {
                name: name.id.as_str(),
                broad: is_broad(handler.type_.as_deref()),
                at: name.range,
            })
        })
        .collect();
    if view.kind == ViewKind::ErrorHandler {
        exceptions.extend(handled_exception(function));
    }
    let Some((sent_value, leak)) = sent
        .into_iter()
        .find_map(|value| find_leak(checker, value, &exceptions, 0).map(|leak| (value, leak)))
    else {
        return;
    };
    let message = format!(
        "The response carries {}, which can reveal SQL, file paths, hosts and credentials to the client",
        leak.what
    );
    let confidence = match leak.caught {
        Some(caught) if !caught.broad => Confidence::Medium,
        _ => Confidence::High,
    };
    let mut trace: Vec<TraceStep> = leak
        .caught
        .iter()
        .map(|caught| TraceStep {
            message: format!("`{}` is the exception caught here", caught.name),
            range: caught.at,
            elsewhere: None,
        })
        .collect();
    trace.push(TraceStep {
        message: "it is sent to the client".to_string(),
        range: leak.expr.range(),
        elsewhere: None,
    });
    // Outside an `except`, only an error handler's parameter says which exception to log.
    let fix = if in_except {
        generic_error_fix(checker, stmt, sent_value, leak.expr.range(), None)
    } else {
        exception_parameter(function).and_then(|handled| {
            let handled = Some(handled.id.as_str());
            generic_error_fix(checker, stmt, sent_value, leak.expr.range(), handled)
        })
    };
    checker.report(
        Finding::new(&EXCEPTION_IN_RESPONSE, leak.expr.range(), message)
            .with_confidence(confidence)
            .with_trace(trace)
            .with_fix(fix),
    );
}

/// The exception parameter of an error handler, unless it handles HTTP errors (whose text
/// is written for clients): `@app.errorhandler(404)`, `@app.errorhandler(HTTPException)`.
fn handled_exception(function: &ast::StmtFunctionDef) -> Option<Caught<'_>> {
    let parameter = exception_parameter(function)?;
    let handled =
        function
            .decorator_list
            .iter()
            .find_map(|decorator| match &decorator.expression {
                Expr::Call(call) => call.arguments.args.first(),
                _ => None,
            })?;
    if handled.is_number_literal_expr()
        || last_identifier(handled)
            .is_some_and(|name| name.ends_with("HTTPException") || name == "RequestValidationError")
    {
        return None;
    }
    Some(Caught {
        name: parameter.id.as_str(),
        broad: is_broad(Some(handled)),
        at: parameter.range,
    })
}
