use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::ancestors::Node;
use crate::semantic::{argument, keyword};

use super::arguments::{add_keyword, has_keyword_splat};
use super::clients::{http_call, CallKind, Library, HTTP_CLIENTS};

declare_rule! {
    /// ## What it does
    /// Flags `requests` calls (module functions and session methods) and
    /// `urllib.request.urlopen` without a `timeout`, and any `requests`, `httpx` or
    /// `urlopen` call with `timeout=None`.
    ///
    /// `httpx` calls without a timeout are not flagged: httpx waits five seconds by
    /// default. Neither are `aiohttp` requests (five minutes by default), calls that pass
    /// `**kwargs`, which may carry a timeout, nor calls inside `with eventlet.Timeout(...)`
    /// or `with gevent.Timeout(...)`, which interrupt the block when the time is up.
    ///
    /// ## Why is this bad?
    /// `requests` and `urlopen` wait forever by default. A server that accepts the
    /// connection and never answers holds the calling thread for good; a handful of such
    /// calls exhausts a worker pool, and an attacker who controls a URL you fetch can do
    /// that on purpose.
    ///
    /// ## Example
    /// ```python
    /// import requests
    /// response = requests.get("https://api.example.com/status")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import requests
    /// response = requests.get("https://api.example.com/status", timeout=(3.05, 10))
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `timeout=10` where no timeout was given. The timeout bounds each wait
    /// for the server (to connect, and between bytes), not the whole download: a large
    /// body that keeps arriving is not cut off.
    ///
    /// Safe for `requests` calls that read the whole body before returning: every response
    /// that arrives keeps arriving the same way; only a server that stalls for more than ten
    /// seconds now raises `requests.Timeout` instead of hanging the worker forever.
    ///
    /// Safe too for `urlopen(url).read()`, which reads the whole body at once.
    ///
    /// Unsafe with `stream=True` (or a `stream` that may be true) and for any other
    /// `urlopen`: the body is read later, from a stream that may rightly pause for longer
    /// (server-sent events, long polls, a producer that sends in bursts), and each such pause
    /// now raises a timeout error in the code that reads it. Tune the number to the service.
    ///
    /// ## References
    /// CWE-400, CWE-1088 · OWASP A05
    pub REQUEST_WITHOUT_TIMEOUT = RuleMeta {
        id: "PV602",
        name: "request-without-timeout",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[400, 1088],
        owasp: Owasp::A05,
        guideline: "transport-security",
        sources: &[Source::Bandit("B113"), Source::Ruff("S113")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &REQUEST_WITHOUT_TIMEOUT,
    checks: &[Check::Call(check_call)],
    needs: HTTP_CLIENTS,
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(http) = http_call(checker, call) else {
        return;
    };
    let waits_forever_by_default = match (http.library, http.kind) {
        (Library::Requests, CallKind::Request) => true,
        (Library::Urllib, CallKind::Request) if http.name.ends_with("urlopen") => true,
        (Library::Httpx, _) => false,
        _ => return,
    };
    let position = if http.library == Library::Urllib {
        2
    } else {
        usize::MAX
    };
    match argument(call, position, "timeout") {
        Some(timeout) if timeout.is_none_literal_expr() => {
            let message = format!(
                "`{}` with `timeout=None` waits forever for a server that never answers",
                http.name
            );
            checker.report(Finding::new(
                &REQUEST_WITHOUT_TIMEOUT,
                timeout.range(),
                message,
            ));
        }
        None if waits_forever_by_default
            && !has_keyword_splat(call)
            && !inside_green_timeout(checker) =>
        {
            let message = format!(
                "`{}` has no timeout, so a server that never answers blocks this call forever",
                http.name
            );
            let edits = vec![add_keyword(checker, call, "timeout", "10")];
            let fix = if reads_body_later(checker, call, http.library) {
                Fix::unsafe_edits(
                    "Add `timeout=10` (a streamed body that pauses longer now raises)",
                    edits,
                )
            } else {
                Fix::safe("Add `timeout=10`", edits)
            };
            // A session may have an adapter that sets a default timeout, and `urlopen`
            // follows `socket.setdefaulttimeout()` when the program sets one.
            let confidence = if http.on_instance || http.library == Library::Urllib {
                Confidence::Medium
            } else {
                Confidence::High
            };
            checker.report(
                Finding::new(&REQUEST_WITHOUT_TIMEOUT, call.range(), message)
                    .with_confidence(confidence)
                    .with_fix(fix),
            );
        }
        _ => {}
    }
}

/// The body is read after the call returns, by code that may wait on the stream: `urlopen`
/// (a file to read, unless read whole at once: `urlopen(url).read()`) and `requests` with
/// `stream=True` (or a `stream` that may be true). The timeout then also bounds each pause
/// of that stream (server-sent events, long polls).
fn reads_body_later(checker: &Checker, call: &ast::ExprCall, library: Library) -> bool {
    if library == Library::Urllib {
        let read_at_once = matches!(
            checker.ancestors().parent(),
            Some(Node::Expr(Expr::Attribute(method)))
                if method.attr.as_str() == "read" && method.value.range() == call.range()
        );
        return !read_at_once;
    }
    keyword(call, "stream").is_some_and(|stream| {
        !matches!(&stream.value, Expr::BooleanLiteral(flag) if !flag.value)
            && !stream.value.is_none_literal_expr()
    })
}

/// Inside `with eventlet.Timeout(5):` or `with gevent.Timeout(5):`: with the standard
/// library patched to cooperate, the block is interrupted when the time is up.
fn inside_green_timeout(checker: &Checker<'_>) -> bool {
    let semantic = checker.semantic();
    checker.ancestors().statements().any(|statement| {
        let Stmt::With(with) = statement.stmt else {
            return false;
        };
        with.items.iter().any(|item| {
            let Expr::Call(timeout) = &item.context_expr else {
                return false;
            };
            semantic
                .resolve_qualified_name(&timeout.func)
                .is_some_and(|name| {
                    matches!(
                        name.segments(),
                        ["eventlet" | "gevent", "Timeout"]
                            | ["eventlet" | "gevent", "timeout", "Timeout"]
                    )
                })
        })
    })
}
