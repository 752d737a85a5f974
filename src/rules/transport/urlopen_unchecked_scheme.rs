use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Fix, Severity, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::flow::guard_fix::{failure, Guard};
use crate::rules::flow::sanitizers;
use crate::rules::{Check, Rule};
use crate::semantic::{argument, BindingKind, StringPart};

declare_rule! {
    /// ## What it does
    /// Flags `urllib.request` opening a URL whose scheme may be something other than
    /// `http` or `https`: a URL from the request, the command line or `input()`, or a
    /// constant `file:` / `ftp:` URL.
    ///
    /// Covered: `urllib.request.urlopen`, `Request`, `urlretrieve`, and the `open` /
    /// `retrieve` methods of `URLopener`, `FancyURLopener` and `build_opener()` (also through
    /// `six.moves`). An opener held in a name is followed through every assignment that
    /// can reach the call (`opener = URLopener()` in one place, `opener = FancyURLopener()`
    /// in another) when each of them makes an opener.
    ///
    /// A URL that starts with constant `http://` or `https://` text is left alone, and so is
    /// one checked before the call (`if not url.startswith(("http://", "https://")):
    /// abort(400)`, `if urlsplit(url).scheme not in {"http", "https"}: raise ...`, a host
    /// allow-list), or one whose origin we cannot see. `urlopen(req)` of a `Request` is
    /// reported at the `Request`. URLs from a web request are reported as server-side
    /// request forgery (`server-side-request-forgery`) instead, which covers this too.
    ///
    /// ## Why is this bad?
    /// Unlike most HTTP clients, `urllib` also opens `file:` and `ftp:` URLs. Whoever picks
    /// the URL can make your program read any local file it can read
    /// (`file:///etc/passwd`, `file:///proc/self/environ` with its secrets) and hand back
    /// the content, or talk to an FTP server of their choice. A constant `file:` URL is
    /// reported with low severity: it reads a fixed file, but `open()` says so more plainly.
    ///
    /// ## Example
    /// ```python
    /// import sys
    /// import urllib.request
    ///
    /// page = urllib.request.urlopen(sys.argv[1], timeout=10).read()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import sys
    /// import urllib.request
    ///
    /// url = sys.argv[1]
    /// if not url.startswith(("https://", "http://")):
    ///     raise SystemExit("only http(s) URLs")
    /// page = urllib.request.urlopen(url, timeout=10).read()
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: for a URL that is not a constant, a check goes before the call and refuses
    /// any scheme but `http` and `https` with `ValueError` (a URL from the request fails
    /// the request with `abort(400)` / `HTTPException(400)` when the module imports one). Code that opened `file:`, `ftp:` or
    /// `data:` URLs on purpose now fails. A constant `file:` or `ftp:` URL gets no fix:
    /// it was written that way, and only you can say whether to read the file directly.
    ///
    /// ## References
    /// CWE-22, CWE-73 · OWASP A01
    pub URLOPEN_UNCHECKED_SCHEME = RuleMeta {
        id: "PV617",
        name: "urlopen-unchecked-scheme",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[22, 73],
        owasp: Owasp::A01,
        guideline: "ssrf",
        sources: &[Source::Bandit("B310"), Source::Ruff("S310")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &URLOPEN_UNCHECKED_SCHEME,
    checks: &[Check::Call(check_call)],
    needs: &["urllib", "six"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some((parameter, is_request)) = opened_url(checker, call) else {
        return;
    };
    let Some(url) = argument(call, 0, parameter) else {
        return;
    };
    if is_request_object(checker, url) || starts_with_web_scheme(checker, url) {
        return;
    }
    let name = checker.text(&*call.func);
    // `Request(url)` opens nothing yet; `urlopen` of it will.
    let opens = if is_request {
        "makes a request for"
    } else {
        "opens"
    };
    if let Some(text) = semantic.constant_string(url) {
        let Some(scheme) = non_web_scheme(&text) else {
            return;
        };
        let message = format!(
            "`{name}` {opens} a constant `{scheme}:` URL; urllib reads it without the checks an HTTP URL gets"
        );
        checker.report(
            Finding::new(&URLOPEN_UNCHECKED_SCHEME, call.range(), message)
                .with_severity(Severity::Low),
        );
        return;
    }
    let from_request = semantic.request_taint_with(url, sanitizers::web_url);
    let tainted = from_request.is_some();
    let Some(mut trace) =
        from_request.or_else(|| semantic.taint_source_with(url, sanitizers::web_url))
    else {
        return;
    };
    let (message, confidence) = if tainted {
        (
            format!("`{name}` {opens} a URL from the request without checking its scheme, so a `file:` URL reads files on the server"),
            Confidence::High,
        )
    } else {
        (
            format!("`{name}` {opens} a URL from outside without checking its scheme; urllib also reads `file:` URLs"),
            Confidence::Medium,
        )
    };
    trace.push(TraceStep {
        message: "urllib opens it with whatever scheme it has".to_string(),
        range: url.range(),
        elsewhere: None,
    });
    checker.report(
        Finding::new(&URLOPEN_UNCHECKED_SCHEME, call.range(), message)
            .with_confidence(confidence)
            .with_trace(trace)
            .with_fix(scheme_guard_fix(checker, url, tainted)),
    );
}

/// Names the URL may take when it is not a name already.
const URL_NAMES: &[&str] = &["target", "checked_url"];

/// `urlopen(url)` → `if urlsplit(url).scheme not in ("http", "https"): raise ...` before it.
/// A URL from the request fails the request the framework's way; any other raises.
fn scheme_guard_fix<'a>(checker: &Checker<'a>, url: &'a Expr, from_request: bool) -> Option<Fix> {
    let mut guard = Guard::new(checker, url, URL_NAMES, false)?;
    let (urlsplit, import) = checker.import_member("urllib.parse", "urlsplit", guard.at);
    let message = "only http and https URLs are allowed";
    let fail = if from_request {
        failure(checker, guard.at, 400, message)
    } else {
        format!("raise ValueError({message:?})")
    };
    let (variable, unit) = (&guard.variable, guard.unit);
    let check =
        format!("if {urlsplit}({variable}).scheme not in (\"http\", \"https\"):\n{unit}{fail}");
    guard.lines.push(check);
    let mut edits = guard.edits(checker)?;
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Refuse URLs whose scheme is not http or https",
        edits,
    ))
}

/// The parameter that takes the URL when the call opens one (or makes a `Request` for
/// one, the `bool`).
fn opened_url<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<(&'static str, bool)> {
    let semantic = checker.semantic();
    if let Some(function) = semantic.resolve_value_origin(&call.func) {
        let parameter = url_parameter(function.segments())?;
        return Some((parameter, function.segments().last() == Some(&"Request")));
    }
    // `opener.open(url)` with `opener` assigned more than once: every assignment that can
    // reach the call must make an opener.
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    let Expr::Name(object) = &*method.value else {
        return None;
    };
    let reaching = semantic.reaching_definitions(object, semantic.current_scope())?;
    let mut parameter = None;
    for binding in reaching {
        let BindingKind::Assignment(value) = binding.kind else {
            return None;
        };
        let mut segments = semantic.resolve_value_origin(value)?.segments().to_vec();
        segments.push(method.attr.id.as_str());
        parameter = Some(url_parameter(&segments)?);
    }
    Some((parameter?, false))
}

/// The parameter that takes the URL, for the urllib entry points that open one.
fn url_parameter(function: &[&str]) -> Option<&'static str> {
    let function = match function {
        ["six", "moves", rest @ ..] => rest,
        whole => whole,
    };
    match function {
        ["urllib", "request", "urlopen" | "urlretrieve" | "Request"] => Some("url"),
        ["urllib", "request", "URLopener" | "FancyURLopener" | "build_opener" | "OpenerDirector", "()", method @ ("open" | "retrieve")] => {
            Some(if *method == "open" { "fullurl" } else { "url" })
        }
        _ => None,
    }
}

/// A `Request` object, made here or held in a name: the `Request` call is the one reported.
fn is_request_object<'a>(checker: &Checker<'a>, url: &'a Expr) -> bool {
    checker
        .semantic()
        .resolve_value_origin(url)
        .is_some_and(|origin| matches!(origin.segments(), [.., "request", "Request", "()"]))
}

/// True when the URL's text starts with constant `http://` or `https://`.
fn starts_with_web_scheme<'a>(checker: &Checker<'a>, url: &'a Expr) -> bool {
    let Some(parts) = checker.semantic().string_parts(url) else {
        return false;
    };
    match parts.first() {
        Some(StringPart::Literal(text)) => {
            let text = text.trim_start().to_ascii_lowercase();
            text.starts_with("http://") || text.starts_with("https://")
        }
        _ => false,
    }
}

/// The scheme of a constant URL when it is one that reaches past the web: `file` or `ftp`.
fn non_web_scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.trim_start().split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    let is_scheme = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // Of the schemes urllib opens, `data:` only holds its own text, and it refuses the rest.
    (is_scheme && matches!(scheme.as_str(), "file" | "ftp")).then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::non_web_scheme;

    #[test]
    fn schemes_other_than_http_are_named() {
        assert_eq!(
            non_web_scheme("file:///etc/passwd").as_deref(),
            Some("file")
        );
        assert_eq!(non_web_scheme("FTP://host/x").as_deref(), Some("ftp"));
        assert_eq!(non_web_scheme("https://example.com"), None);
        assert_eq!(non_web_scheme("HTTP://example.com"), None);
        assert_eq!(non_web_scheme("/relative/path"), None);
        assert_eq!(non_web_scheme("data:text/plain,hello"), None);
        assert_eq!(non_web_scheme("wss://example.com/socket"), None);
    }
}
