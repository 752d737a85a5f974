use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange, TextSize};
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{keyword, StringPart};

use super::clients::{http_call, CallKind, HTTP_CLIENTS};

declare_rule! {
    /// ## What it does
    /// Flags `http://` URLs requested with `requests`, `httpx`, `aiohttp` or `urllib`,
    /// including a `base_url` for an httpx client and URLs built from constants
    /// (`BASE + "/invoices"`, f-strings).
    ///
    /// Loopback addresses (`localhost`, `127.0.0.1`, `[::1]`) and single-label host names
    /// (`http://api:8000`, a service on the same Docker or Compose network) stay clean, and
    /// so do URLs whose host is only known at run time.
    ///
    /// ## Why is this bad?
    /// Plain HTTP can be read and changed by anyone on the path. Credentials, tokens and
    /// personal data travel in clear text, and a response can be rewritten on the way in.
    ///
    /// ## Example
    /// ```python
    /// import requests
    /// response = requests.post("http://api.example.com/login", json=credentials, timeout=10)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import requests
    /// response = requests.post("https://api.example.com/login", json=credentials, timeout=10)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the server must serve HTTPS on the default port; a port written in the URL
    /// usually belongs to plain HTTP and needs a human. Only literal URLs are rewritten.
    ///
    /// ## References
    /// CWE-319 · OWASP A02
    pub CLEARTEXT_HTTP_URL = RuleMeta {
        id: "PV606",
        name: "cleartext-http-url",
        severity: Severity::Low,
        confidence: Confidence::Medium,
        cwe: &[319],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &CLEARTEXT_HTTP_URL,
    checks: &[Check::Call(check_call)],
    needs: HTTP_CLIENTS,
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(http) = http_call(checker, call) else {
        return;
    };
    let url = match http.kind {
        CallKind::Request => http.url,
        CallKind::Client => keyword(call, "base_url").map(|keyword| &keyword.value),
        CallKind::Connector => None,
    };
    let Some(url) = url else {
        return;
    };
    let Some((host, has_port)) = cleartext_host(checker, url) else {
        return;
    };
    let message = format!(
        "`{}` sends this request to `{host}` over plain HTTP, where anyone on the path can read and change it; use `https://`",
        http.name
    );
    checker.report(
        Finding::new(&CLEARTEXT_HTTP_URL, url.range(), message)
            .with_fix((!has_port).then(|| https_fix(checker, url)).flatten()),
    );
}

/// The host of a URL that starts with `http://` and does not stay on this machine, and
/// whether the URL names a port.
fn cleartext_host<'a>(checker: &Checker<'a>, url: &'a Expr) -> Option<(String, bool)> {
    let parts = checker.semantic().string_parts(url)?;
    let Some(StringPart::Literal(first)) = parts.first() else {
        return None;
    };
    let rest = first
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("http://"))
        .map(|_| &first[7..])?;
    let end = rest.find(['/', '?', '#']);
    // The host must be known: `f"http://{host}/"` may well be local.
    if end.is_none() && parts.len() > 1 {
        return None;
    }
    let authority = &rest[..end.unwrap_or(rest.len())];
    let host_and_port = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match host_and_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']').unwrap_or((bracketed, "")),
        None => host_and_port
            .split_once(':')
            .map_or((host_and_port, ""), |(host, port)| (host, port)),
    };
    let host = host.to_ascii_lowercase();
    let has_port = port
        .trim_start_matches(':')
        .chars()
        .any(|c| c.is_ascii_digit());
    let local = host.is_empty()
        || host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
        || !host.contains('.');
    (!local).then_some((host, has_port))
}

/// `"http://..."` → `"https://..."` in a literal (also an f-string's literal start).
fn https_fix(checker: &Checker, url: &Expr) -> Option<Fix> {
    if !matches!(url, Expr::StringLiteral(_) | Expr::FString(_)) {
        return None;
    }
    let text = checker.text(url);
    let prefix = text.find(['"', '\''])?;
    let quotes = text[prefix..]
        .chars()
        .take_while(|c| *c == '"' || *c == '\'')
        .count();
    let start = prefix + quotes.min(3);
    if !text[..prefix].chars().all(|c| "rRuUfFbB".contains(c))
        || !text[start..].starts_with("http://")
    {
        return None;
    }
    let scheme = TextRange::at(
        url.start() + TextSize::try_from(start).ok()?,
        TextSize::from(7),
    );
    Some(Fix::unsafe_edits(
        "Use `https://`",
        vec![Edit::replace(scheme, "https://")],
    ))
}
