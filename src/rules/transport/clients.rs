//! Which calls make HTTP requests, with which library: shared by the verification,
//! timeout and plain-HTTP rules.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::semantic::argument;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Library {
    Requests,
    Httpx,
    Aiohttp,
    Urllib,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// A call that sends a request: `requests.get`, `session.post`, `urlopen`.
    Request,
    /// A client or session constructor: `requests.Session()`, `httpx.Client()`.
    Client,
    /// `aiohttp.TCPConnector(...)`.
    Connector,
}

pub struct HttpCall<'a> {
    pub library: Library,
    pub kind: CallKind,
    /// `requests.get`, `session.get`: how to name the call in messages.
    pub name: String,
    /// The URL argument of a request, when the call has one.
    pub url: Option<&'a Expr>,
    /// True for a method of a session or client object (`session.get`), false for a
    /// module function (`requests.get`).
    pub on_instance: bool,
}

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

/// The HTTP client libraries: a request needs one of them imported.
pub const HTTP_CLIENTS: &[&str] = &["requests", "httpx", "aiohttp", "urllib"];

/// What an HTTP call is, if it is one.
pub fn http_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<HttpCall<'a>> {
    let origin = checker.semantic().resolve_value_origin(&call.func)?;
    let segments = origin.segments();
    let (library, kind, method) = match segments {
        ["requests", "api", method] | ["requests", method] => (
            Library::Requests,
            request_or_client(method, &["Session", "session"])?,
            *method,
        ),
        ["requests", "Session" | "session", "()", method]
        | ["requests", "sessions", "Session", "()", method] => {
            (Library::Requests, only_request(method)?, *method)
        }
        ["httpx", method] => (
            Library::Httpx,
            request_or_client(method, &["Client", "AsyncClient"])?,
            *method,
        ),
        ["httpx", "Client" | "AsyncClient", "()", method] => {
            (Library::Httpx, only_request(method)?, *method)
        }
        ["aiohttp", "ClientSession"] => (Library::Aiohttp, CallKind::Client, "ClientSession"),
        ["aiohttp", "TCPConnector"] => (Library::Aiohttp, CallKind::Connector, "TCPConnector"),
        ["aiohttp", "request"] => (Library::Aiohttp, CallKind::Request, "request"),
        ["aiohttp", "ClientSession", "()", method] => {
            (Library::Aiohttp, aiohttp_request(method)?, *method)
        }
        ["urllib", "request", method @ ("urlopen" | "Request")] => {
            (Library::Urllib, CallKind::Request, *method)
        }
        _ => return None,
    };
    let url_position = usize::from(method == "request");
    let url = match kind {
        CallKind::Request => argument(call, url_position, "url"),
        CallKind::Client => None,
        CallKind::Connector => None,
    };
    let on_instance = segments.contains(&"()");
    let name = match &*call.func {
        Expr::Attribute(attribute) if on_instance => format!(
            "{}.{}",
            short_receiver(&attribute.value),
            attribute.attr.id.as_str()
        ),
        _ => segments.join("."),
    };
    Some(HttpCall {
        library,
        kind,
        name,
        url,
        on_instance,
    })
}

fn request_or_client(method: &str, clients: &[&str]) -> Option<CallKind> {
    if clients.contains(&method) {
        Some(CallKind::Client)
    } else {
        only_request(method)
    }
}

fn only_request(method: &str) -> Option<CallKind> {
    (METHODS.contains(&method) || method == "request" || method == "stream")
        .then_some(CallKind::Request)
}

fn aiohttp_request(method: &str) -> Option<CallKind> {
    (METHODS.contains(&method) || matches!(method, "request" | "ws_connect"))
        .then_some(CallKind::Request)
}

/// `requests` for `requests.get`, `session` for `session.get`, `...` for anything longer.
fn short_receiver(receiver: &Expr) -> &str {
    match receiver {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.id.as_str(),
        _ => "...",
    }
}
