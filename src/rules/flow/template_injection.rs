use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity, TraceStep};
use crate::parse::ast::{self, Expr, InterpolatedStringElement};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, Passage};

use super::exposure::{exposure, Exposure};
use super::format_template::rewrite_fstring;

declare_rule! {
    /// ## What it does
    /// Flags templates whose source, not just their data, comes from the request or is
    /// formatted on the spot (server-side template injection).
    ///
    /// Covered: `flask.render_template_string(...)`, `jinja2.Template(...)`,
    /// `Environment.from_string(...)`, Django's `Template(...)`, Mako and Tornado templates.
    ///
    /// A constant template, or one loaded from a file, is left alone: values passed as
    /// template variables (`render_template_string("{{ name }}", name=name)`) are data, not
    /// template code. Jinja2's `SandboxedEnvironment` is not flagged.
    ///
    /// ## Why is this bad?
    /// The template engine runs what it finds in the source. A name such as
    /// `{{ cycler.__init__.__globals__.os.popen('id').read() }}` runs a command on the server
    /// (server-side template injection), and any HTML in the value reaches the page
    /// unescaped. Escaping the value first does not help: braces are not HTML.
    ///
    /// ## Example
    /// ```python
    /// from flask import render_template_string, request
    ///
    /// def hello():
    ///     name = request.args.get("name", "")
    ///     return render_template_string(f"<h1>Hello {name}</h1>")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import render_template_string, request
    ///
    /// def hello():
    ///     name = request.args.get("name", "")
    ///     return render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the values become template variables, which Flask escapes, so one that held
    /// intended markup is shown as text. Offered for `render_template_string(f"...")` when
    /// every replacement field is a plain variable and the literal text holds no braces.
    ///
    /// ## References
    /// CWE-1336, CWE-94, CWE-79 · OWASP A03
    pub TEMPLATE_INJECTION = RuleMeta {
        id: "PV702",
        name: "template-injection",
        severity: Severity::Critical,
        confidence: Confidence::High,
        cwe: &[1336, 94, 79],
        owasp: Owasp::A03,
        guideline: "xss",
        sources: &[Source::Bandit("B702"), Source::Ruff("S702")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &TEMPLATE_INJECTION,
    checks: &[Check::Call(check_call)],
    needs: &["flask", "quart", "jinja2", "django", "mako", "tornado"],
};

/// Template sources are code: no escaping makes request data safe in them.
fn nothing_cleans(_: Passage) -> bool {
    false
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some(function) = semantic.resolve_value_origin(&call.func) else {
        return;
    };
    let parameter = match function.segments() {
        ["flask" | "quart", "render_template_string"]
        | ["flask" | "quart", "templating", "render_template_string"] => "source",
        ["jinja2", "Template"] | ["jinja2", "Environment", "()", "from_string"] => "source",
        ["flask" | "quart", "Flask", "()", "jinja_env", "from_string"] => "source",
        ["django", "template", "Template"] => "template_string",
        ["django", "template", "Engine", ..] if function.segments().ends_with(&["from_string"]) => {
            "template_code"
        }
        ["mako", "template", "Template"] => "text",
        ["tornado", "template", "Template"] => "template_string",
        _ => return,
    };
    let Some(source) = argument(call, 0, parameter) else {
        return;
    };
    let Some(exposure) = exposure(checker, source, nothing_cleans) else {
        return;
    };
    let name = checker.text(&*call.func);
    let message = match &exposure {
        Exposure::Tainted(_) => format!(
            "`{name}` compiles request data as template code, so template syntax in it runs on the server"
        ),
        Exposure::Built(_) => format!(
            "`{name}` compiles a template formatted with {}; template syntax in those values runs on the server",
            exposure.values(checker)
        ),
    };
    let sink = TraceStep {
        message: format!("`{name}` compiles it as a template"),
        range: call.range(),
        elsewhere: None,
    };
    let fix = match function.segments() {
        [_, "render_template_string"] | [_, "templating", "render_template_string"] => {
            variables_fix(checker, call, source)
        }
        _ => None,
    };
    checker.report(
        Finding::new(&TEMPLATE_INJECTION, call.range(), message)
            .with_confidence(exposure.confidence())
            .with_trace(exposure.trace(checker, sink))
            .with_fix(fix),
    );
}

/// `render_template_string(f"Hi {name}")` → `render_template_string("Hi {{ name }}", name=name)`.
fn variables_fix(checker: &Checker, call: &ast::ExprCall, source: &Expr) -> Option<Fix> {
    let Expr::FString(fstring) = source else {
        return None;
    };
    let has_brace_text = fstring.value.iter().any(|part| match part {
        ast::FStringPart::FString(part) => part.elements.iter().any(|element| {
            matches!(element, InterpolatedStringElement::Literal(literal)
                if literal.value.contains(['{', '}']))
        }),
        ast::FStringPart::Literal(_) => true,
    });
    let unpacks = call.arguments.keywords.iter().any(|k| k.arg.is_none());
    if has_brace_text || call.arguments.args.len() != 1 || unpacks {
        return None;
    }
    let mut variables: Vec<&str> = Vec::new();
    let template = rewrite_fstring(checker, fstring, |interpolation| {
        let Expr::Name(name) = &*interpolation.expression else {
            return None;
        };
        let plain = interpolation.conversion == ast::ConversionFlag::None
            && interpolation.format_spec.is_none();
        if !plain || keyword(call, name.id.as_str()).is_some() {
            return None;
        }
        if !variables.contains(&name.id.as_str()) {
            variables.push(name.id.as_str());
        }
        Some(format!("{{{{ {} }}}}", name.id))
    })?;
    let mut edits = vec![Edit::replace(source.range(), template.literal)];
    let keywords: Vec<String> = variables
        .iter()
        .map(|name| format!("{name}={name}"))
        .collect();
    edits.push(crate::fix::add_keyword_argument(
        checker.source(),
        call,
        &keywords.join(", "),
    )?);
    Some(Fix::unsafe_edits(
        "Pass the values as template variables",
        edits,
    ))
}
