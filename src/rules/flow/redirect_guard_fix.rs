//! The guard for a redirect to a URL from the request: keep it only when it stays on this
//! site, else send the client to the site's root. Django checks it with
//! `url_has_allowed_host_and_scheme` against the host the request came to; elsewhere only
//! a path on this site passes (`/...`, not `//host`, not `/\host`, no control characters,
//! which browsers drop before reading the host).

use crate::checker::Checker;
use crate::diagnostic::Fix;
use crate::parse::ast::Expr;
use crate::parse::TextSize;
use crate::semantic::BindingKind;

use super::guard_fix::{function_for_fix, Guard};

/// Names the checked URL may take, in order of preference.
const URL_NAMES: &[&str] = &["target", "next_url", "redirect_to"];

/// Where the client goes when the URL fails the check: a path every site has.
const FALLBACK: &str = "\"/\"";

/// `return redirect(url)` → a check of `url` that replaces it with `"/"` when it leaves the
/// site, then the redirect. `django` says which check to write.
pub fn redirect_guard_fix<'a>(checker: &Checker<'a>, url: &'a Expr, django: bool) -> Option<Fix> {
    if is_absolute_url(checker.text(url)) {
        return None;
    }
    let mut guard = Guard::new(checker, url, URL_NAMES, true)?;
    let (at, variable) = (guard.at, guard.variable.clone());
    let (fails, import) = if django {
        let (check, import) = function_for_fix(
            checker,
            at,
            "django.utils.http",
            "url_has_allowed_host_and_scheme",
        )?;
        let request = request_parameter(checker, at)?;
        let fails = format!(
            "not {check}({variable}, allowed_hosts={{{request}.get_host()}}, require_https={request}.is_secure())"
        );
        (fails, import)
    } else {
        let fails = format!(
            "not ({variable} and {variable}.startswith(\"/\") and not {variable}.startswith(\"//\") and \"\\\\\" not in {variable} and {variable}.isprintable())"
        );
        (fails, None)
    };
    let unit = guard.unit;
    guard
        .lines
        .push(format!("if {fails}:\n{unit}{variable} = {FALLBACK}"));
    let mut edits = guard.edits(checker)?;
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Redirect only to this site, else to `/`",
        edits,
    ))
}

/// The view's `request` parameter, when that is what the name means here.
fn request_parameter(checker: &Checker, at: TextSize) -> Option<&'static str> {
    let semantic = checker.semantic();
    semantic
        .lookup("request", semantic.current_scope(), at)
        .is_some_and(|binding| matches!(binding.kind, BindingKind::Parameter { .. }))
        .then_some("request")
}

/// `f"https://{host}/home"`, `"//" + host`: a URL to another site by design, which no
/// check on this site's paths would let through.
fn is_absolute_url(text: &str) -> bool {
    let literal = text.trim_start_matches(['f', 'F', 'r', 'R', 'u', 'U']);
    let literal = literal.trim_start_matches(['"', '\'']).to_ascii_lowercase();
    literal.len() < text.len() && (literal.starts_with("http") || literal.starts_with("//"))
}
