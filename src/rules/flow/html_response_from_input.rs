use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity, TraceStep};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange};
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, QualifiedName, StringPart};

use super::escape_fix::escape_fix;
use super::request_reads::is_request_text;
use super::sanitizers;
use super::views::{view_of, Framework};

declare_rule! {
    /// ## What it does
    /// Flags HTML responses that echo request data without escaping it (reflected
    /// cross-site scripting).
    ///
    /// Covered: a Flask view that returns a string built from the request
    /// (`return f"<p>{name}</p>"`), and response objects built the same way:
    /// `make_response(...)`, `Response(...)`, Django's `HttpResponse(...)`, Starlette's
    /// `HTMLResponse(...)`.
    ///
    /// Values escaped on the way (`escape(name)`, `format_html`, `render_template`), numbers,
    /// responses with a non-HTML content type and FastAPI's JSON returns are not flagged.
    ///
    /// ## Why is this bad?
    /// Flask and Django send a string as `text/html`. Whatever markup the client put in the
    /// value (a `<script>` in a link you send someone) runs in the page with the visitor's
    /// session: reflected cross-site scripting. Templates escape variables for you; strings
    /// built in Python do not.
    ///
    /// ## Example
    /// ```python
    /// from flask import Flask, request
    ///
    /// app = Flask(__name__)
    ///
    /// @app.get("/search")
    /// def search():
    ///     return f"<p>No results for {request.args['q']}</p>"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import Flask, render_template, request
    ///
    /// app = Flask(__name__)
    ///
    /// @app.get("/search")
    /// def search():
    ///     return render_template("search.html", query=request.args["q"])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the request values are wrapped in `markupsafe.escape(...)` (Flask),
    /// `django.utils.html.escape(...)` (Django) or `html.escape(...)` (Starlette), so `<`, `>`, `&` and quotes in them are
    /// shown as text instead of markup. Offered when every such value is written inside the
    /// response expression itself.
    ///
    /// ## References
    /// CWE-79, CWE-80 · OWASP A03
    pub HTML_RESPONSE_FROM_INPUT = RuleMeta {
        id: "PV703",
        name: "html-response-from-input",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[79, 80],
        owasp: Owasp::A03,
        guideline: "xss",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &HTML_RESPONSE_FROM_INPUT,
    checks: &[Check::Stmt(check_return), Check::Callee(check_call)],
    needs: &[
        "flask",
        "quart",
        "bottle",
        "werkzeug",
        "django",
        "starlette",
        "fastapi",
    ],
};

fn check_return<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let Stmt::Return(ast::StmtReturn {
        value: Some(value), ..
    }) = stmt
    else {
        return;
    };
    let semantic = checker.semantic();
    if !semantic.has_any_import(&["flask", "quart", "bottle"]) {
        return;
    }
    let body = match &**value {
        Expr::Tuple(tuple) => match tuple.elts.first() {
            Some(first) => first,
            None => return,
        },
        other => other,
    };
    if !(body.is_f_string_expr()
        || body.is_bin_op_expr()
        || body.is_call_expr()
        || body.is_name_expr()
        || body.is_subscript_expr())
    {
        return;
    }
    let around = checker.ancestors();
    let Some(function) = around.enclosing_function() else {
        return;
    };
    let is_flask_view = view_of(checker, function, around.enclosing_class().is_some())
        .is_some_and(|view| view.framework == Framework::Flask);
    if is_flask_view {
        report(checker, body, stmt.range(), "returns", Framework::Flask);
    }
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let semantic = checker.semantic();
    let (framework, parameter, type_keyword) = match function.segments() {
        ["flask" | "quart", "make_response"] => (Framework::Flask, "args", None),
        ["flask" | "quart", "Response"] | ["werkzeug", .., "Response"] => {
            (Framework::Flask, "response", Some("mimetype"))
        }
        ["django", "http", name] if is_html_response_class(name) => {
            (Framework::Django, "content", Some("content_type"))
        }
        ["starlette" | "fastapi", "responses", "HTMLResponse"] => {
            (Framework::FastApi, "content", None)
        }
        _ => return,
    };
    let Some(body) = argument(call, 0, parameter) else {
        return;
    };
    let declared_type = type_keyword
        .and_then(|name| keyword(call, name).or_else(|| keyword(call, "content_type")))
        .map(|keyword| semantic.constant_string(&keyword.value));
    if let Some(declared) = declared_type {
        // Unknown or non-HTML content types are not this rule's business.
        if !declared.is_some_and(|text| text.contains("html")) {
            return;
        }
    }
    let name = checker.text(&*call.func);
    report(
        checker,
        body,
        call.range(),
        &format!("`{name}` sends"),
        framework,
    );
}

/// `HttpResponse` and its error-status subclasses, which take the page content first.
fn is_html_response_class(name: &str) -> bool {
    matches!(
        name,
        "HttpResponse"
            | "HttpResponseBadRequest"
            | "HttpResponseNotFound"
            | "HttpResponseForbidden"
            | "HttpResponseGone"
            | "HttpResponseServerError"
    )
}

fn report<'a>(
    checker: &Checker<'a>,
    body: &'a Expr,
    range: TextRange,
    verb: &str,
    framework: Framework,
) {
    let semantic = checker.semantic();
    let tainted: Vec<(&'a Expr, Vec<TraceStep>)> = match semantic.string_parts(body) {
        Some(parts) => parts
            .into_iter()
            .filter_map(|part| match part {
                StringPart::Dynamic(value) => semantic
                    .request_taint_with(value, sanitizers::html)
                    .map(|steps| (value, steps)),
                StringPart::Literal(_) => None,
            })
            .collect(),
        None if is_request_text(checker, body, 0) => semantic
            .request_taint_with(body, sanitizers::html)
            .map(|steps| vec![(body, steps)])
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let Some((_, first_steps)) = tainted.first() else {
        return;
    };
    let verb = if verb == "returns" {
        "The view returns".to_string()
    } else {
        verb.to_string()
    };
    let message = format!(
        "{verb} request data as HTML without escaping it, so markup in it runs in the visitor's browser"
    );
    let mut trace = first_steps.clone();
    trace.push(TraceStep {
        message: "it is sent as part of an HTML page".to_string(),
        range,
        elsewhere: None,
    });
    let fix = escape_fix(checker, body, &tainted, framework);
    checker.report(
        Finding::new(&HTML_RESPONSE_FROM_INPUT, range, message)
            .with_trace(trace)
            .with_fix(fix),
    );
}
