use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity, TraceStep};
use crate::parse::ast;
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::argument;

use super::sanitizers;
use super::ssrf_guard_fix::ssrf_guard_fix;
use super::url_shape::destination_is_fixed;

declare_rule! {
    /// ## What it does
    /// Flags HTTP requests sent to a URL, or a host, that the client chose.
    ///
    /// Covered: `requests`, `httpx`, `aiohttp`, `urllib.request.urlopen`, `urllib3` and
    /// `http.client` connections, called directly or through a session or client object.
    ///
    /// A URL whose scheme and host are fixed text is not flagged, even when a request value
    /// fills its path or query (`f"https://api.example.com/users/{uid}"`), nor is a URL
    /// picked from your own mapping (`FEEDS[name]`), a percent-encoded value, or a URL
    /// checked against a host allow-list before the call (`if parts.hostname not in
    /// ALLOWED_HOSTS: abort(400)`).
    ///
    /// ## Why is this bad?
    /// The request leaves from your server, inside your network. A client who chooses the
    /// host can read the cloud metadata service (`169.254.169.254`, which hands out
    /// credentials), reach admin panels on `localhost` and scan internal services, with
    /// your server's identity: server-side request forgery.
    ///
    /// ## Example
    /// ```python
    /// import requests
    /// from flask import request
    ///
    /// def preview():
    ///     return requests.get(request.args["url"], timeout=5).text
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import requests
    /// from flask import abort, request
    /// from urllib.parse import urlsplit
    ///
    /// ALLOWED_HOSTS = {"images.example.com"}
    ///
    /// def preview():
    ///     parts = urlsplit(request.args["url"])
    ///     if parts.scheme != "https" or parts.hostname not in ALLOWED_HOSTS:
    ///         abort(400)
    ///     return requests.get(parts.geturl(), timeout=5, allow_redirects=False).text
    /// ```
    ///
    /// ## Fix safety
    /// A check goes before the call: the URL's scheme must be `http` or `https` and its
    /// host must be in `FETCH_ALLOWED_HOSTS` (for `HTTPConnection(host)`, the host itself),
    /// else the request fails (`abort(400)`, `HTTPException(400)`, or `ValueError`). Only
    /// you know which hosts belong in that list, so in a module without one the fix also
    /// adds `FETCH_ALLOWED_HOSTS = frozenset()` and is display-only: applied as it is, it
    /// would refuse every URL. Once the module has the list, the guard is an unsafe fix:
    /// URLs to other hosts that worked before now fail. The check does not follow
    /// redirects: pass `allow_redirects=False` (or its equivalent) when an allowed host
    /// can redirect elsewhere.
    ///
    /// ## References
    /// CWE-918 · OWASP A10
    pub SERVER_SIDE_REQUEST_FORGERY = RuleMeta {
        id: "PV710",
        name: "server-side-request-forgery",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[918],
        owasp: Owasp::A10,
        guideline: "ssrf",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &SERVER_SIDE_REQUEST_FORGERY,
    checks: &[Check::Call(check_call)],
    needs: &["requests", "httpx", "aiohttp", "urllib", "urllib3", "http"],
};

const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some(function) = semantic.resolve_value_origin(&call.func) else {
        return;
    };
    let Some((position, parameter)) = url_parameter(function.segments()) else {
        return;
    };
    let Some(url) = argument(call, position, parameter) else {
        return;
    };
    let Some(steps) = semantic.request_taint_with(url, sanitizers::url) else {
        return;
    };
    let whole = match destination_is_fixed(checker, url, sanitizers::url) {
        Some(true) => return,
        Some(false) => false,
        None => true,
    };
    let name = checker.text(&*call.func);
    let (what, step) = if parameter == "host" {
        (
            "connects to a host taken",
            "the connection goes to that host",
        )
    } else if whole {
        ("fetches a URL taken", "the request goes to that URL")
    } else {
        (
            "fetches a URL whose host comes",
            "the request goes to that host",
        )
    };
    let message = format!(
        "`{name}` {what} from the request, so a client can make your server call internal addresses"
    );
    let mut trace = steps;
    trace.push(TraceStep {
        message: step.to_string(),
        range: url.range(),
        elsewhere: None,
    });
    let fix = ssrf_guard_fix(checker, url, parameter == "host");
    checker.report(
        Finding::new(&SERVER_SIDE_REQUEST_FORGERY, call.range(), message)
            .with_trace(trace)
            .with_fix(fix),
    );
}

/// Where a client call takes its URL (or host): position and keyword.
fn url_parameter(segments: &[&str]) -> Option<(usize, &'static str)> {
    let method = *segments.last()?;
    let owner = &segments[..segments.len() - 1];
    let is_client = matches!(
        owner,
        ["requests"]
            | ["requests", "Session" | "session", "()"]
            | ["requests", "sessions", "Session", "()"]
            | ["httpx"]
            | ["httpx", "Client" | "AsyncClient", "()"]
            | ["aiohttp"]
            | ["aiohttp", "ClientSession", "()"]
            | ["urllib3"]
            | ["urllib3", "PoolManager" | "ProxyManager", "()"]
    );
    match (owner, method) {
        (["urllib", "request"], "urlopen" | "Request" | "urlretrieve") => Some((0, "url")),
        (["http", "client"], "HTTPConnection" | "HTTPSConnection") => Some((0, "host")),
        (_, "request" | "stream" | "build_request" | "urlopen") if is_client => Some((1, "url")),
        (_, verb) if is_client && VERBS.contains(&verb) => Some((0, "url")),
        _ => None,
    }
}
