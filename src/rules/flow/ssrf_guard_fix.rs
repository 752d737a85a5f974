//! The guard for a request to a URL from the request: only `http` / `https` to a host in
//! the module's `FETCH_ALLOWED_HOSTS`. Which hosts belong there only the author knows, so
//! where the module has no such list the fix adds an empty one and is display-only: applied
//! as it is, it would refuse every URL. Once the list exists, the guard is an unsafe fix.

use crate::checker::Checker;
use crate::diagnostic::Fix;
use crate::fix::statement::insert_before_statement;
use crate::parse::ast::Expr;
use crate::parse::TextSize;
use crate::semantic::MODULE_SCOPE;

use super::guard_fix::{failure, Guard};

/// The allow-list the guard reads: a name of its own, since `ALLOWED_HOSTS` in Django (and
/// often elsewhere) lists the hosts this server answers for, `localhost` included.
const ALLOW_LIST: &str = "FETCH_ALLOWED_HOSTS";

/// Names the URL may take when it is not a name already.
const URL_NAMES: &[&str] = &["target", "fetch_url", "checked_url"];

/// `requests.get(url)` → `if urlsplit(url).scheme not in ("http", "https") or
/// urlsplit(url).hostname not in FETCH_ALLOWED_HOSTS: abort(400)` before it. `host` is set
/// when the call takes a host name rather than a URL (`HTTPSConnection(host)`).
pub fn ssrf_guard_fix<'a>(checker: &Checker<'a>, url: &'a Expr, host: bool) -> Option<Fix> {
    let mut guard = Guard::new(checker, url, URL_NAMES, false)?;
    let (at, variable) = (guard.at, guard.variable.clone());
    let mut edits = Vec::new();
    let refused = if host {
        format!("{variable} not in {ALLOW_LIST}")
    } else {
        let (urlsplit, import) = checker.import_member("urllib.parse", "urlsplit", at);
        edits.extend(import);
        format!(
            "{urlsplit}({variable}).scheme not in (\"http\", \"https\") or {urlsplit}({variable}).hostname not in {ALLOW_LIST}"
        )
    };
    let fail = failure(checker, at, 400, "host not allowed");
    let unit = guard.unit;
    guard.lines.push(format!("if {refused}:\n{unit}{fail}"));
    let has_list = has_allow_list(checker, at);
    if !has_list {
        let list = [
            "# The hosts this module may send requests to: fill in before use.".to_string(),
            format!("{ALLOW_LIST} = frozenset()"),
        ];
        let outermost = checker.ancestors().statements().last()?;
        if std::ptr::eq(outermost.stmt, guard.statement.stmt) {
            guard.lines.splice(0..0, list);
        } else {
            let mut list = list.to_vec();
            list.extend([String::new(), String::new()]);
            edits.push(insert_before_statement(
                checker.source(),
                outermost.stmt,
                &list,
            )?);
        }
    }
    edits.extend(guard.edits(checker)?);
    let title = "Send the request only to hosts in `FETCH_ALLOWED_HOSTS`";
    Some(if has_list {
        Fix::unsafe_edits(title, edits)
    } else {
        Fix::display_only(title, edits)
    })
}

/// Whether the module binds the allow-list where the guard at `at` can read it: anywhere
/// at module level for code in a function (it runs after the module), before `at` for
/// module-level code.
fn has_allow_list(checker: &Checker, at: TextSize) -> bool {
    let semantic = checker.semantic();
    let Ok(end) = TextSize::try_from(checker.source().len()) else {
        return false;
    };
    semantic
        .lookup(ALLOW_LIST, semantic.current_scope(), end)
        .is_some_and(|binding| {
            binding.scope == MODULE_SCOPE
                && (semantic.in_function_body() || binding.effective <= at)
        })
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::fix::apply_edits;
    use crate::{analyze, Options};

    fn ssrf_only() -> Options {
        Options {
            select: vec!["PV710".to_string()],
            ..Options::default()
        }
    }

    #[test]
    fn without_an_allow_list_the_guard_and_an_empty_list_are_only_shown() {
        let source = "import requests\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.get(\"/preview\")\ndef preview():\n    return requests.get(request.args[\"url\"], timeout=5).text\n";
        let analysis = analyze(source, &ssrf_only());
        let fix = analysis.findings[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, Applicability::DisplayOnly);
        let edits: Vec<_> = fix.edits.iter().collect();
        let shown = apply_edits(source, &edits);
        assert_eq!(
            shown,
            "import requests\nfrom urllib.parse import urlsplit\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n# The hosts this module may send requests to: fill in before use.\nFETCH_ALLOWED_HOSTS = frozenset()\n\n\n@app.get(\"/preview\")\ndef preview():\n    target = request.args[\"url\"]\n    if urlsplit(target).scheme not in (\"http\", \"https\") or urlsplit(target).hostname not in FETCH_ALLOWED_HOSTS:\n        raise ValueError(\"host not allowed\")\n    return requests.get(target, timeout=5).text\n"
        );
        let after = analyze(&shown, &ssrf_only());
        assert!(after.syntax_errors.is_empty());
        assert!(after.findings.is_empty(), "{:?}", after.findings);
    }
}
