//! The guard for a redirect to a URL from the request: keep it only when it stays on this
//! site, else send the client to the site's root. Django checks it with
//! `url_has_allowed_host_and_scheme` against the host the request came to; elsewhere only
//! a path on this site passes (`/...`, not `//host`, not `/\host`, no control characters,
//! which browsers drop before reading the host).

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::fix::statement::{indent_unit, insert_before_statement};
use crate::parse::ast::Expr;
use crate::parse::{Ranged, TextSize};
use crate::semantic::BindingKind;

use super::guard_fix::{function_for_fix, guard_site, name_for_check};

/// Names the checked URL may take, in order of preference.
const URL_NAMES: &[&str] = &["target", "next_url", "redirect_to"];

/// Where the client goes when the URL fails the check: a path every site has.
const FALLBACK: &str = "\"/\"";

/// `return redirect(url)` → a check of `url` that replaces it with `"/"` when it leaves the
/// site, then the redirect. `django` says which check to write.
pub fn redirect_guard_fix<'a>(checker: &Checker<'a>, url: &'a Expr, django: bool) -> Option<Fix> {
    if checker.text(url).contains(['\n', '\r']) || is_absolute_url(checker.text(url)) {
        return None;
    }
    let statement = guard_site(checker, url)?;
    let at = statement.stmt.start();
    let (variable, assignment) = name_for_check(checker, url, URL_NAMES, true)?;
    let mut lines: Vec<String> = assignment.into_iter().collect();
    let mut edits = Vec::new();
    let fails = if django {
        let (check, import) = function_for_fix(
            checker,
            at,
            "django.utils.http",
            "url_has_allowed_host_and_scheme",
        )?;
        let request = request_parameter(checker, at)?;
        edits.extend(import);
        format!(
            "not {check}({variable}, allowed_hosts={{{request}.get_host()}}, require_https={request}.is_secure())"
        )
    } else {
        format!(
            "not ({variable} and {variable}.startswith(\"/\") and not {variable}.startswith(\"//\") and \"\\\\\" not in {variable} and {variable}.isprintable())"
        )
    };
    let unit = indent_unit(checker.source(), at);
    lines.push(format!("if {fails}:\n{unit}{variable} = {FALLBACK}"));
    edits.push(insert_before_statement(
        checker.source(),
        statement.stmt,
        &lines,
    )?);
    if !matches!(url, Expr::Name(name) if name.id.as_str() == variable) {
        edits.push(Edit::replace(url.range(), variable));
    }
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
