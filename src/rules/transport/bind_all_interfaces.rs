use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::settings::is_app;
use crate::semantic::{argument, keyword};

declare_rule! {
    /// ## What it does
    /// Flags servers told to listen on every network interface (`"0.0.0.0"`, `"::"`).
    ///
    /// The servers: a socket's `bind`, `socket.create_server`, `http.server` and
    /// `socketserver` servers, `SimpleXMLRPCServer`, `wsgiref`'s `make_server`, Werkzeug's
    /// `run_simple`, Flask's `app.run`, `uvicorn.run`, `aiohttp.web.run_app`,
    /// `waitress.serve` (also `listen="*:8080"`) and `asyncio.start_server`; for the
    /// socket-level servers, also `""`, which means the same there.
    ///
    /// Only the address a server is given is judged, directly or through a constant: the
    /// string `"0.0.0.0"` compared against, printed or in a docstring is not flagged
    /// (Bandit's B104 flags every such string). An address read from configuration or the
    /// environment is not flagged either.
    ///
    /// Development servers (Flask's and Werkzeug's, `http.server`, `socketserver`,
    /// `wsgiref`, `SimpleXMLRPCServer`) are rated medium; production servers and plain
    /// sockets, low.
    ///
    /// ## Why is this bad?
    /// A server on every interface answers anyone who can reach the machine: the office
    /// network, the café's Wi-Fi, the internet when the machine has a public address. A
    /// development server (Flask's, Werkzeug's, `http.server`) is not built for that and
    /// often serves a debugger or the working folder. Listen on `127.0.0.1` unless the
    /// service is meant to be reached from elsewhere, and then choose the interface (or put
    /// it behind a proxy) on purpose, from configuration.
    ///
    /// Inside a container the public address is usually what you want: the container's
    /// network is the boundary. There, suppress the finding with a comment that says so.
    ///
    /// ## Example
    /// ```python
    /// from flask import Flask
    ///
    /// app = Flask(__name__)
    /// app.run(host="0.0.0.0", port=5000)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import Flask
    ///
    /// app = Flask(__name__)
    /// app.run(host="127.0.0.1", port=5000)
    /// ```
    ///
    /// ## Fix safety
    /// Display only: binding to the loopback address makes the service unreachable from
    /// other machines, which may be what it is for.
    ///
    /// ## References
    /// CWE-1327, CWE-605 · OWASP A05
    pub BIND_ALL_INTERFACES = RuleMeta {
        id: "PV610",
        name: "bind-all-interfaces",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[1327, 605],
        owasp: Owasp::A05,
        guideline: "configuration",
        sources: &[Source::Bandit("B104"), Source::Ruff("S104")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &BIND_ALL_INTERFACES,
    checks: &[Check::Call(check_call)],
    needs: &[
        "socket",
        "http",
        "socketserver",
        "xmlrpc",
        "wsgiref",
        "werkzeug",
        "flask",
        "quart",
        "flask_socketio",
        "uvicorn",
        "aiohttp",
        "waitress",
        "asyncio",
    ],
};

/// How a server takes the address it listens on.
enum Address {
    /// A host argument: its position (when it may be positional) and keyword.
    Host(Option<usize>, &'static str),
    /// A `(host, port)` pair: its position and keyword.
    Pair(usize, &'static str),
}

/// A server call: where its address is, whether `""` means every interface there, and
/// whether the server is only meant for development (medium severity; others are low).
struct Server {
    name: String,
    address: Address,
    empty_is_any: bool,
    development: bool,
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(server) = server(checker, call) else {
        return;
    };
    let host = match server.address {
        Address::Host(position, name) => match position {
            Some(position) => argument(call, position, name),
            None => keyword(call, name).map(|keyword| &keyword.value),
        },
        Address::Pair(position, name) => argument(call, position, name)
            .and_then(|pair| pair_elements(checker, pair))
            .and_then(|elements| elements.first().copied()),
    };
    if let Some(host) = host {
        check_host(checker, call, &server, host);
    }
    // `waitress.serve(app, listen="0.0.0.0:8080 [::]:8080")`
    if server.name == "waitress.serve" {
        if let Some(listen) = keyword(call, "listen") {
            check_listen(checker, call, &server, &listen.value);
        }
    }
}

fn server<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Server> {
    let origin = checker.semantic().resolve_value_origin(&call.func);
    let segments = origin.as_ref().map(|origin| origin.segments());
    let make = |name: &str, address, empty_is_any, development| Server {
        name: name.to_string(),
        address,
        empty_is_any,
        development,
    };
    Some(match segments {
        Some(["socket", "create_server"]) => make(
            "socket.create_server",
            Address::Pair(0, "address"),
            true,
            false,
        ),
        Some(["socket", "socket" | "create_connection", "()", "bind"]) => {
            make("bind", Address::Pair(0, "address"), true, false)
        }
        Some(
            ["http", "server", class @ ("HTTPServer" | "ThreadingHTTPServer")]
            | ["socketserver", class @ ("TCPServer" | "ThreadingTCPServer" | "ForkingTCPServer" | "UDPServer"
            | "ThreadingUDPServer")]
            | ["xmlrpc", "server", class @ ("SimpleXMLRPCServer" | "DocXMLRPCServer")],
        ) => make(class, Address::Pair(0, "server_address"), true, true),
        Some(["wsgiref", "simple_server", "make_server"]) => {
            make("make_server", Address::Host(Some(0), "host"), true, true)
        }
        Some(["werkzeug", "serving", "run_simple"] | ["werkzeug", "run_simple"]) => make(
            "run_simple",
            Address::Host(Some(0), "hostname"),
            false,
            true,
        ),
        Some(app @ [.., "run"]) if is_app(&app[..app.len() - 1]) => {
            make("app.run", Address::Host(Some(0), "host"), false, true)
        }
        Some(["flask_socketio", "SocketIO", "()", "run"]) => {
            make("socketio.run", Address::Host(Some(1), "host"), false, true)
        }
        Some(["uvicorn", "run" | "Config"]) => {
            make("uvicorn", Address::Host(None, "host"), false, false)
        }
        Some(["aiohttp", "web", "run_app"]) => {
            make("run_app", Address::Host(None, "host"), false, false)
        }
        Some(["waitress", "serve"]) => {
            make("waitress.serve", Address::Host(None, "host"), false, false)
        }
        Some(
            ["asyncio", "start_server" | "start_unix_server"] | ["asyncio", .., "create_server"],
        ) => make("the server", Address::Host(Some(1), "host"), false, false),
        _ => return unresolved_server(checker, call),
    })
}

/// `sock.bind(("0.0.0.0", port))` and `app.run(host="0.0.0.0")` on an object whose origin
/// the code does not show (a parameter, `app = create_app()`).
fn unresolved_server<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Server> {
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    let (name, address, development) = match method.attr.id.as_str() {
        "bind" => ("bind", Address::Pair(0, "address"), false),
        "run" if checker.semantic().has_any_import(&["flask", "quart"]) => {
            ("app.run", Address::Host(None, "host"), true)
        }
        _ => return None,
    };
    Some(Server {
        name: name.to_string(),
        address,
        empty_is_any: false,
        development,
    })
}

/// The elements of a `(host, port)` tuple, written in the call or in a local variable.
fn pair_elements<'a>(checker: &Checker<'a>, pair: &'a Expr) -> Option<Vec<&'a Expr>> {
    let pair = match pair {
        Expr::Name(name) => checker.semantic().assigned_value(name)?,
        other => other,
    };
    let Expr::Tuple(tuple) = pair else {
        return None;
    };
    Some(tuple.elts.iter().collect())
}

fn check_host<'a>(checker: &Checker<'a>, call: &ast::ExprCall, server: &Server, host: &'a Expr) {
    let Some(text) = checker.semantic().constant_string(host) else {
        return;
    };
    let any = matches!(text.as_str(), "0.0.0.0" | "::" | "::0" | "0:0:0:0:0:0:0:0")
        || (text.is_empty() && server.empty_is_any);
    if !any {
        return;
    }
    let loopback = if text.contains(':') {
        "::1"
    } else {
        "127.0.0.1"
    };
    let shown = if text.is_empty() { "\"\"" } else { &text };
    let message = format!(
        "`{}` listens on every network interface (`{shown}`), so anyone who can reach this machine can connect; bind `{loopback}` unless it must be reachable from elsewhere",
        server.name
    );
    let fix = matches!(host, Expr::StringLiteral(_)).then(|| {
        Fix::display_only(
            format!("Listen on `{loopback}` only"),
            vec![Edit::replace(host.range(), format!("\"{loopback}\""))],
        )
    });
    report(checker, call, server, host, message, fix);
}

/// `listen="0.0.0.0:8080"`, `"*:8080"`, `"[::]:8080"`, several separated by spaces.
fn check_listen<'a>(
    checker: &Checker<'a>,
    call: &ast::ExprCall,
    server: &Server,
    listen: &'a Expr,
) {
    let Some(text) = checker.semantic().constant_string(listen) else {
        return;
    };
    let any = text.split_whitespace().any(|address| {
        let host = address.rsplit_once(':').map_or(address, |(host, _)| host);
        matches!(host, "0.0.0.0" | "*" | "[::]")
    });
    if any {
        let message = format!(
            "`{}` listens on every network interface (`{text}`), so anyone who can reach this machine can connect; listen on `127.0.0.1` unless it must be reachable from elsewhere",
            server.name
        );
        report(checker, call, server, listen, message, None);
    }
}

fn report(
    checker: &Checker,
    call: &ast::ExprCall,
    server: &Server,
    host: &Expr,
    message: String,
    fix: Option<Fix>,
) {
    let severity = if server.development {
        Severity::Medium
    } else {
        Severity::Low
    };
    // The address where the call names it; the call when it comes from a variable.
    let range = if call.range().contains_range(host.range()) {
        host.range()
    } else {
        call.range()
    };
    checker.report(
        Finding::new(&BIND_ALL_INTERFACES, range, message)
            .with_severity(severity)
            .with_fix(fix),
    );
}
