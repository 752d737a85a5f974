use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName, StringPart};

use super::exposure::{exposure, Exposure};
use super::format_template::{template_and_arguments, Arguments};
use super::sanitizers;

declare_rule! {
    /// ## What it does
    /// Flags strings marked as safe HTML while they hold request data or values formatted on
    /// the spot.
    ///
    /// Covered: `markupsafe.Markup(...)` (also `flask.Markup`), Django's `mark_safe(...)` and
    /// `SafeString(...)`, and `format_html(...)` whose template is itself formatted. Django's
    /// older names for a safe string, `SafeText`, `SafeUnicode` (Django 1.x) and `SafeBytes`
    /// (up to 2.x), are `SafeString` too; `SafeBytes` gets no rewrite, since `format_html`
    /// makes text, not bytes.
    ///
    /// A constant string, a value escaped first (`escape(name)`) and an opaque value built
    /// elsewhere are left alone; request data is reported with high confidence, markup
    /// formatted from other values with medium confidence.
    ///
    /// ## Why is this bad?
    /// Marking a string as safe tells the template engine not to escape it. Everything
    /// inside it, the inserted value included, reaches the page as markup: a name such as
    /// `<script>...</script>` runs in your users' browsers with their session.
    /// `Markup("<b>{}</b>").format(name)` and `format_html("<b>{}</b>", name)` escape each
    /// value and trust only your template.
    ///
    /// ## Example
    /// ```python
    /// from flask import request
    /// from markupsafe import Markup
    ///
    /// def greeting():
    ///     return Markup(f"<b>{request.args['name']}</b>")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import request
    /// from markupsafe import Markup
    ///
    /// def greeting():
    ///     return Markup("<b>{}</b>").format(request.args["name"])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the values are escaped after the fix, so one that held intended markup (a
    /// trusted fragment) is shown as text. `Markup(f"...")`, `Markup("..." % x)` and
    /// `Markup("...".format(x))` become `Markup("...").format(...)` / `Markup("...") % x`;
    /// `mark_safe(f"...")` / `SafeString(f"...")` (and `.format`, `+`) become
    /// `format_html("...", ...)`, adding `from django.utils.html import format_html` when it
    /// is not imported yet (as `_format_html` when the name means something else there);
    /// `format_html(f"...")` gets its values as arguments.
    ///
    /// ## References
    /// CWE-79, CWE-116 · OWASP A03
    pub UNSAFE_MARKUP = RuleMeta {
        id: "PV701",
        name: "unsafe-markup",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[79, 116],
        owasp: Owasp::A03,
        guideline: "xss",
        sources: &[Source::Bandit("B704"), Source::Bandit("B703"), Source::Bandit("B308"), Source::Ruff("S704"), Source::Ruff("S308")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &UNSAFE_MARKUP,
    checks: &[Check::Callee(check_call)],
    needs: &["markupsafe", "flask", "jinja2", "django"],
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Markup,
    MarkSafe,
    /// Django's old `SafeBytes`: marks bytes, so no text builder replaces it.
    SafeBytes,
    FormatHtml,
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let (marker, parameter) = match function.segments() {
        ["markupsafe" | "flask" | "jinja2", "Markup"] => (Marker::Markup, "base"),
        ["django", "utils", "safestring", "mark_safe" | "SafeString" | "SafeText" | "SafeUnicode"] => {
            (Marker::MarkSafe, "s")
        }
        ["django", "utils", "safestring", "SafeBytes"] => (Marker::SafeBytes, "s"),
        ["django", "utils", "html", "format_html"] => (Marker::FormatHtml, "format_string"),
        _ => return,
    };
    let Some(value) = argument(call, 0, parameter) else {
        return;
    };
    let Some(exposure) = exposure(checker, value, sanitizers::html) else {
        return;
    };
    // Text formatted without any markup of its own (`Markup(" " + rendered)`) is usually
    // joining fragments that are already safe.
    if matches!(exposure, Exposure::Built(_)) && !has_markup(checker, value) {
        return;
    }
    let name = checker.text(&*call.func);
    let message = match (&exposure, marker) {
        (Exposure::Tainted(_), Marker::FormatHtml) => {
            format!("`{name}` uses request data as its template, so its markup runs in the page")
        }
        (Exposure::Tainted(_), _) => format!(
            "`{name}` marks request data as safe HTML, so any markup in it runs in the page"
        ),
        (Exposure::Built(_), Marker::FormatHtml) => format!(
            "`{name}` gets a template already formatted with {}, which it does not escape",
            exposure.values(checker)
        ),
        (Exposure::Built(_), _) => format!(
            "`{name}` marks a string formatted with {} as safe HTML; markup in those values is not escaped",
            exposure.values(checker)
        ),
    };
    let sink = TraceStep {
        message: format!("`{name}` trusts the whole string as HTML"),
        range: call.range(),
        elsewhere: None,
    };
    let fix = if call.arguments.len() == 1 {
        escaping_fix(checker, call, value, marker)
    } else {
        None
    };
    checker.report(
        Finding::new(&UNSAFE_MARKUP, call.range(), message)
            .with_confidence(exposure.confidence())
            .with_trace(exposure.trace(checker, sink))
            .with_fix(fix),
    );
}

/// The same markup built with a builder that escapes the values.
fn escaping_fix(
    checker: &Checker,
    call: &ast::ExprCall,
    value: &Expr,
    marker: Marker,
) -> Option<Fix> {
    let callee = checker.text(&*call.func);
    let (template, arguments) = template_and_arguments(checker, value)?;
    let replacement = match (marker, arguments) {
        (Marker::Markup, Arguments::Percent(values)) => {
            format!("{callee}({template}) % {values}")
        }
        (Marker::Markup, Arguments::Listed(values)) => {
            format!("{callee}({template}).format({values})")
        }
        (Marker::FormatHtml, Arguments::Listed(values)) => {
            format!("{callee}({template}, {values})")
        }
        (Marker::MarkSafe, Arguments::Listed(values)) => {
            let (format_html, import) =
                checker.import_member("django.utils.html", "format_html", call.start());
            let mut edits = vec![Edit::replace(
                call.range(),
                format!("{format_html}({template}, {values})"),
            )];
            edits.extend(import);
            return Some(Fix::unsafe_edits(TITLE, edits));
        }
        _ => return None,
    };
    Some(Fix::unsafe_edits(
        TITLE,
        vec![Edit::replace(call.range(), replacement)],
    ))
}

const TITLE: &str = "Let the builder escape the values: pass them as arguments";

/// True when the literal text of a formatted string holds a tag or an entity.
fn has_markup<'a>(checker: &Checker<'a>, value: &'a Expr) -> bool {
    checker
        .semantic()
        .string_parts(value)
        .unwrap_or_default()
        .iter()
        .any(|part| matches!(part, StringPart::Literal(text) if text.contains(['<', '&'])))
}
