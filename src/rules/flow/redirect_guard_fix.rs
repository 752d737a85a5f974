//! The guard for a redirect to a URL from the request: keep it only when it stays on this
//! site, else send the client to the site's root. Django checks it with
//! `url_has_allowed_host_and_scheme` against the host the request came to; elsewhere only
//! a path on this site passes (`/...`, not `//host`, not `/\host`, no control characters,
//! which browsers drop before reading the host).

use crate::checker::Checker;
use crate::diagnostic::Fix;
use crate::parse::ast::Expr;
use crate::parse::TextSize;
use crate::semantic::{BindingKind, MODULE_SCOPE};

use super::guard_fix::Guard;

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
        let (check, import) =
            checker.import_member("django.utils.http", "url_has_allowed_host_and_scheme", at);
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

/// The view's `request` parameter, when that is what the name means here and nothing else
/// in the module goes by it (a module that imports Flask's `request` too would leave the
/// reader guessing which one the check reads).
fn request_parameter(checker: &Checker, at: TextSize) -> Option<&'static str> {
    let semantic = checker.semantic();
    let parameter = semantic
        .lookup("request", semantic.current_scope(), at)
        .is_some_and(|binding| matches!(binding.kind, BindingKind::Parameter { .. }));
    let end = TextSize::try_from(checker.source().len()).ok()?;
    let imported = semantic
        .lookup("request", MODULE_SCOPE, end)
        .is_some_and(|binding| matches!(binding.kind, BindingKind::Import(_)));
    (parameter && !imported).then_some("request")
}

/// `f"https://{host}/home"`, `"//" + host`: a URL to another site by design, which no
/// check on this site's paths would let through.
fn is_absolute_url(text: &str) -> bool {
    let literal = text.trim_start_matches(['f', 'F', 'r', 'R', 'u', 'U']);
    let literal = literal.trim_start_matches(['"', '\'']).to_ascii_lowercase();
    literal.len() < text.len() && (literal.starts_with("http") || literal.starts_with("//"))
}

#[cfg(test)]
mod tests {
    use crate::{apply_fixes, FixSelection, Options};

    fn redirects_only() -> Options {
        Options {
            select: vec!["PV711".to_string()],
            ..Options::default()
        }
    }

    #[test]
    fn a_django_redirect_is_checked_against_the_requests_own_host() {
        let source = "from django.shortcuts import redirect\n\n\ndef done(request):\n    return redirect(request.GET[\"next\"])\n";
        let fixed = apply_fixes(source, &redirects_only(), &FixSelection::All, true);
        assert_eq!(
            fixed.source,
            "from django.utils.http import url_has_allowed_host_and_scheme\nfrom django.shortcuts import redirect\n\n\ndef done(request):\n    target = request.GET[\"next\"]\n    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):\n        target = \"/\"\n    return redirect(target)\n"
        );
        let again = crate::analyze(&fixed.source, &redirects_only());
        assert!(again.findings.is_empty() && again.syntax_errors.is_empty());
    }
}
