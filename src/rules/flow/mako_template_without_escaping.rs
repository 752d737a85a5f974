use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, QualifiedName};

declare_rule! {
    /// ## What it does
    /// Flags Mako templates and template lookups made without HTML escaping:
    /// `mako.template.Template(...)` and `mako.lookup.TemplateLookup(...)` without
    /// `default_filters`, or with a constant list of filters that leaves out `h`.
    ///
    /// A template whose constant text holds a tag, or whose file name ends in `.html` /
    /// `.htm`, is reported with high confidence; other templates and lookups with medium
    /// confidence, since Mako also renders text that is not HTML (code generators,
    /// configuration files, e-mails). Filters held in a name or built at run time are left
    /// alone.
    ///
    /// ## Why is this bad?
    /// Mako's default filter only turns each `${value}` into a string: nothing is escaped.
    /// A comment or a user name holding `<script>...</script>` reaches the page as markup
    /// and runs in the browser of whoever views it. With `default_filters=["h"]` every
    /// expression is HTML-escaped unless the template says otherwise (`${value | n}`), and
    /// values marked safe with `markupsafe.Markup` are kept as they are.
    ///
    /// ## Example
    /// ```python
    /// from mako.template import Template
    ///
    /// page = Template("<p>Hello ${name}</p>")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from mako.template import Template
    ///
    /// page = Template("<p>Hello ${name}</p>", default_filters=["h"])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: with `default_filters=["h"]` a value that held intended markup as a plain
    /// string is shown as text; mark it with `markupsafe.Markup` or write `${value | n}`
    /// after checking where it comes from. Offered when the call has no `default_filters`;
    /// only as a suggestion for a lookup or a template not known to be HTML, since escaping
    /// would garble generated code or plain text.
    ///
    /// ## References
    /// CWE-79, CWE-116 · OWASP A03
    pub MAKO_TEMPLATE_WITHOUT_ESCAPING = RuleMeta {
        id: "PV705",
        name: "mako-template-without-escaping",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[79, 116],
        owasp: Owasp::A03,
        guideline: "xss",
        sources: &[Source::Bandit("B702"), Source::Ruff("S702")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &MAKO_TEMPLATE_WITHOUT_ESCAPING,
    checks: &[Check::Callee(check_call)],
    needs: &["mako"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let is_template = match function.segments() {
        ["mako", "template", "Template"] => true,
        ["mako", "lookup", "TemplateLookup"] => false,
        _ => return,
    };
    // `Template(**options)`: the options may hold the filters.
    if call.arguments.keywords.iter().any(|k| k.arg.is_none()) {
        return;
    }
    let html = is_template && renders_html(checker, call);
    let name = checker.text(&*call.func);
    let (message, fix) = match keyword(call, "default_filters") {
        None => (
            format!("`{name}` without `default_filters` inserts `${{...}}` values into the output without HTML escaping"),
            add_filters_fix(checker, call, html),
        ),
        Some(filters) => match constant_filters(checker, &filters.value) {
            Some(names) if !names.iter().any(|filter| filter == "h") => (
                format!("`{name}`'s `default_filters` leave out `h`, so `${{...}}` values are not HTML-escaped"),
                None,
            ),
            _ => return,
        },
    };
    let confidence = if html {
        Confidence::High
    } else {
        Confidence::Medium
    };
    checker.report(
        Finding::new(&MAKO_TEMPLATE_WITHOUT_ESCAPING, call.range(), message)
            .with_confidence(confidence)
            .with_fix(fix),
    );
}

/// The filter names of a list or tuple of constant strings.
fn constant_filters<'a>(checker: &Checker<'a>, filters: &'a Expr) -> Option<Vec<String>> {
    let elements = match filters {
        Expr::List(list) => &list.elts,
        Expr::Tuple(tuple) => &tuple.elts,
        _ => return None,
    };
    elements
        .iter()
        .map(|element| checker.semantic().constant_string(element))
        .collect()
}

/// True when the template's text holds a tag or its file is an HTML file.
fn renders_html<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let semantic = checker.semantic();
    let text = argument(call, 0, "text").and_then(|text| semantic.constant_string(text));
    let file = keyword(call, "filename").and_then(|file| semantic.constant_string(&file.value));
    text.is_some_and(|text| text.contains('<'))
        || file.is_some_and(|file| {
            let file = file.to_ascii_lowercase();
            file.ends_with(".html") || file.ends_with(".htm")
        })
}

/// Adds `default_filters=["h"]`: applied on request for an HTML template, only suggested
/// for one that may render something else (code, e-mails), where escaping would garble it.
fn add_filters_fix(checker: &Checker, call: &ast::ExprCall, html: bool) -> Option<Fix> {
    let edit = crate::fix::add_keyword_argument(checker.source(), call, "default_filters=[\"h\"]")?;
    let title = "Escape every expression with `default_filters=[\"h\"]`";
    Some(if html {
        Fix::unsafe_edits(title, vec![edit])
    } else {
        Fix::display_only(title, vec![edit])
    })
}
