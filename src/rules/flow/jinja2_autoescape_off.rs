use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{keyword, QualifiedName};

use super::template_output::{bound_environment_renders, renders_text_not_html, BoundRenders};

declare_rule! {
    /// ## What it does
    /// Flags Jinja2 environments with autoescaping off, explicitly or by default.
    ///
    /// Covered: a Jinja2 `Environment` (or `SandboxedEnvironment`) created with
    /// `autoescape=False`, or without `autoescape` at all, which is the same thing; and
    /// `aiohttp_jinja2.setup(app, ..., autoescape=False)`. Any other constant that is false
    /// (`None`, `0`, `''`), written there or held by a name, is off too: Jinja2 only tests
    /// the value's truth. `aiohttp_jinja2.setup` without
    /// `autoescape` is left alone: unlike Jinja2 itself, it turns escaping on for every
    /// template unless told otherwise (checked in aiohttp-jinja2 1.6).
    ///
    /// `autoescape=True`, `autoescape=select_autoescape(...)`, a function of your own and a
    /// value we cannot see are left alone, and so is Flask's app environment, which turns
    /// escaping on for HTML templates. An explicit `False` is reported with high
    /// confidence; a missing argument with medium, since the environment may render text
    /// that is not HTML (emails, configuration files). A missing argument is not reported
    /// where the environment is made in a function named for such text (`generate_rst`,
    /// `build_man`, `render_email_text`) or one whose templates are all text files
    /// (`get_template("cli.rst.j2")`) or strings without a single tag, nor in a factory
    /// (`create_template_environment()`) that only such functions of the module call. The
    /// same holds for an environment bound to a name (`env = ...`, `self.env = ...` in a
    /// method) when every template rendered through that name is text, like a script or a
    /// YAML file (`self.env.from_string(self.SCRIPT)` with `SCRIPT` a class constant, or
    /// `get_template("hosts.yml.j2")`). In test code an environment that renders nothing in
    /// the module (handed to filter functions, or unused) is left alone too.
    ///
    /// ## Why is this bad?
    /// Without autoescaping, `{{ comment }}` inserts the comment as raw HTML: any
    /// `<script>` a user wrote runs in the page of whoever views it. Every variable in every
    /// template then has to be escaped by hand, and one forgotten `|e` is enough.
    ///
    /// ## Example
    /// ```python
    /// from jinja2 import Environment, FileSystemLoader
    ///
    /// env = Environment(loader=FileSystemLoader("templates"))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from jinja2 import Environment, FileSystemLoader, select_autoescape
    ///
    /// env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: with `autoescape=jinja2.select_autoescape()`, templates named `.html`,
    /// `.htm` and `.xml` and templates built from strings escape their variables, so a
    /// variable that held intended markup must be marked `|safe` (after checking where it
    /// comes from). For `aiohttp_jinja2.setup` the fix sets `autoescape=True`, the
    /// library's own default, which escapes in every template.
    ///
    /// ## References
    /// CWE-79, CWE-116 · OWASP A03
    pub JINJA2_AUTOESCAPE_OFF = RuleMeta {
        id: "PV704",
        name: "jinja2-autoescape-off",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[79, 116],
        owasp: Owasp::A03,
        guideline: "xss",
        sources: &[Source::Bandit("B701"), Source::Ruff("S701")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &JINJA2_AUTOESCAPE_OFF,
    checks: &[Check::Callee(check_call)],
    needs: &["jinja2", "aiohttp_jinja2"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    if function.segments() == ["aiohttp_jinja2", "setup"] {
        check_aiohttp_setup(checker, call);
        return;
    }
    if !matches!(
        function.segments(),
        ["jinja2", "Environment"] | ["jinja2", "sandbox", "SandboxedEnvironment"]
    ) {
        return;
    }
    let name = checker.text(&*call.func);
    let (message, confidence, fix) = match keyword(call, "autoescape") {
        Some(autoescape) if is_false(checker, &autoescape.value) => (
            off_message(
                checker,
                name,
                &autoescape.value,
                "inserts template variables as raw HTML",
            ),
            Confidence::High,
            replace_fix(checker, call, &autoescape.value),
        ),
        Some(_) => return,
        // `Environment(**options)`: the options may turn it on.
        None if call.arguments.keywords.iter().any(|k| k.arg.is_none()) => return,
        // The eighth positional parameter is `autoescape` (after the seven delimiters).
        None if call.arguments.args.len() > 7 => return,
        // Off is Jinja2's right default for reStructuredText, Markdown or a man page.
        None if renders_text_not_html(checker) => return,
        // `self.env = Environment()` whose every render in the class is a script or YAML.
        None if renders_only_text_or_nothing_in_tests(checker, call) => return,
        None => (
            format!("`{name}` without `autoescape` inserts template variables as raw HTML"),
            Confidence::Medium,
            add_fix(checker, call),
        ),
    };
    checker.report(
        Finding::new(&JINJA2_AUTOESCAPE_OFF, call.range(), message)
            .with_confidence(confidence)
            .with_fix(fix),
    );
}

/// The name the environment is bound to renders only text templates; or, in test code,
/// nothing at all (the test hands it to filter functions, or never uses it): no page is
/// built from it there.
fn renders_only_text_or_nothing_in_tests(checker: &Checker, call: &ast::ExprCall) -> bool {
    let semantic = checker.semantic();
    match bound_environment_renders(checker, call) {
        BoundRenders::Text => true,
        BoundRenders::Nothing => semantic.is_test_file() || semantic.is_test_module(),
        BoundRenders::Other => false,
    }
}

/// `aiohttp_jinja2.setup` escapes by default: only an explicit `autoescape=False` is off.
fn check_aiohttp_setup<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(autoescape) = keyword(call, "autoescape") else {
        return;
    };
    if !is_false(checker, &autoescape.value) {
        return;
    }
    let name = checker.text(&*call.func);
    let message = off_message(
        checker,
        name,
        &autoescape.value,
        "turns off the escaping aiohttp-jinja2 does by default, so template variables are inserted as raw HTML",
    );
    let fix = Fix::unsafe_edits(
        "Turn autoescaping back on with `autoescape=True`",
        vec![Edit::replace(autoescape.value.range(), "True")],
    );
    checker.report(
        Finding::new(&JINJA2_AUTOESCAPE_OFF, call.range(), message)
            .with_confidence(Confidence::High)
            .with_fix(Some(fix)),
    );
}

/// A constant that is false: `False`, `None`, `0` or `''`, directly or through a name
/// whose every assignment reaching here gives it. Jinja2 only tests the value's truth (or
/// calls it), so any of them turns escaping off.
fn is_false<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    let semantic = checker.semantic();
    semantic
        .constant_in(expr, semantic.current_scope())
        .is_some_and(|value| !value.is_truthy())
}

/// The message names the value as written; one that is not `False` itself gets a word on
/// why it counts as off.
fn off_message(checker: &Checker, name: &str, value: &Expr, what: &str) -> String {
    let text = checker.text(value);
    let message = format!("`{name}(autoescape={text})` {what}");
    if matches!(value, Expr::BooleanLiteral(_)) {
        message
    } else {
        format!("{message}: `{text}` is false, and a false value turns autoescaping off")
    }
}

const TITLE: &str = "Turn autoescaping on with `jinja2.select_autoescape()`";

fn replace_fix(checker: &Checker, call: &ast::ExprCall, value: &Expr) -> Option<Fix> {
    let (jinja2, import) = checker.import_module("jinja2", call.start());
    let mut edits = vec![Edit::replace(
        value.range(),
        format!("{jinja2}.select_autoescape()"),
    )];
    edits.extend(import);
    Some(Fix::unsafe_edits(TITLE, edits))
}

fn add_fix(checker: &Checker, call: &ast::ExprCall) -> Option<Fix> {
    let (jinja2, import) = checker.import_module("jinja2", call.start());
    let argument = format!("autoescape={jinja2}.select_autoescape()");
    let mut edits = vec![crate::fix::add_keyword_argument(
        checker.source(),
        call,
        &argument,
    )?];
    edits.extend(import);
    Some(Fix::unsafe_edits(TITLE, edits))
}
