//! Whether a Jinja2 environment renders text that is not HTML: reStructuredText, Markdown,
//! man pages, plain text, e-mail bodies. Escaping HTML there would corrupt the output, and
//! there is no browser to run a script.

use crate::checker::Checker;
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{Expr, ExprCall, Stmt, StmtClassDef, StmtFunctionDef};
use crate::parse::Ranged;
use crate::rules::naming::words;
use crate::semantic::{body_has_call, MAX_NESTING};

/// Words in a function's name that say what it renders is not HTML (`generate_rst`,
/// `build_man`, `render_email_text`).
const TEXT_FORMAT_WORDS: &[&str] = &[
    "rst",
    "restructuredtext",
    "md",
    "markdown",
    "man",
    "manpage",
    "txt",
    "text",
    "plaintext",
    "email",
    "mail",
    "changelog",
    "readme",
];

/// Template file extensions of text that is not HTML (after a `.j2` / `.jinja` suffix).
const TEXT_EXTENSIONS: &[&str] = &[
    "rst", "md", "markdown", "txt", "text", "man", "1", "5", "8", "eml", "ini", "cfg", "conf",
    "yaml", "yml", "toml", "sh", "py", "service",
];

/// The environment being created renders text that is not HTML, judged by the function it
/// is made in: its name, and the templates it loads (`get_template("cli.rst.j2")`) or
/// renders from a string without a single tag; or, when that function is a factory
/// (`create_template_environment()`), by every function of the module that calls it.
pub fn renders_text_not_html(checker: &Checker<'_>) -> bool {
    let Some(function) = checker.ancestors().enclosing_function() else {
        return false;
    };
    if renders_text(checker, function) {
        return true;
    }
    let callers = callers_in_module(checker.semantic().body(), function.name.id.as_str());
    !callers.is_empty() && callers.iter().all(|caller| renders_text(checker, caller))
}

/// `function` is named for text, or renders only text templates.
fn renders_text<'a>(checker: &Checker<'a>, function: &'a StmtFunctionDef) -> bool {
    let named_for_text = words(function.name.id.as_str())
        .iter()
        .any(|word| TEXT_FORMAT_WORDS.contains(&word.as_str()));
    named_for_text || templates_are_text(checker, &function.body)
}

/// The module's functions and methods that call `name(...)`.
fn callers_in_module<'a>(body: &'a [Stmt], name: &str) -> Vec<&'a StmtFunctionDef> {
    let functions = body.iter().flat_map(|stmt| match stmt {
        Stmt::FunctionDef(function) => vec![function],
        Stmt::ClassDef(class) => class
            .body
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::FunctionDef(method) => Some(method),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    });
    functions
        .filter(|function| {
            body_has_call(
                &function.body,
                |call| matches!(&*call.func, Expr::Name(callee) if callee.id.as_str() == name),
            )
        })
        .collect()
}

/// What the environment bound by the statement being checked renders, judged by every
/// use of the name it is bound to: `env = Environment()` in a function or at module level,
/// `self.env = Environment()` in a method (its uses are the class's `self.env`).
#[derive(Debug, PartialEq, Eq)]
pub enum BoundRenders {
    /// Every template rendered through the name is text (a `.yml.j2`, a script without a
    /// tag), and there is at least one.
    Text,
    /// No template is rendered through the name here: it is handed on, or unused.
    Nothing,
    /// Some template may be HTML, or the environment is not bound to a name.
    Other,
}

pub fn bound_environment_renders(checker: &Checker<'_>, call: &ExprCall) -> BoundRenders {
    let ancestors = checker.ancestors();
    let Some(Stmt::Assign(assign)) = ancestors.enclosing_statement().map(|s| s.stmt) else {
        return BoundRenders::Other;
    };
    let ([target], true) = (&assign.targets[..], assign.value.range() == call.range()) else {
        return BoundRenders::Other;
    };
    let class = ancestors.enclosing_class();
    let scope: &[Stmt] = match target {
        Expr::Name(_) => match ancestors.enclosing_function() {
            Some(function) => &function.body,
            None => checker.semantic().body(),
        },
        Expr::Attribute(attribute) if matches!(&*attribute.value, Expr::Name(owner) if owner.id.as_str() == "self") => {
            match class {
                Some(class) => &class.body,
                None => return BoundRenders::Other,
            }
        }
        _ => return BoundRenders::Other,
    };
    let mut templates = Templates {
        checker,
        receiver: Some(checker.text(target)),
        class,
        text: false,
        html: false,
        depth: 0,
    };
    templates.visit_body(scope);
    match (templates.text, templates.html) {
        (true, false) => BoundRenders::Text,
        (false, false) => BoundRenders::Nothing,
        _ => BoundRenders::Other,
    }
}

/// The templates rendered in a body: through `receiver` only when it is set (the source
/// text of a name, like `self.env`), else through anything.
struct Templates<'c, 'a> {
    checker: &'c Checker<'a>,
    receiver: Option<&'a str>,
    /// The class of a `self.env`, whose constant attributes may hold template sources.
    class: Option<&'a StmtClassDef>,
    text: bool,
    html: bool,
    depth: usize,
}

impl<'a> Templates<'_, 'a> {
    /// A string constant: a name or literal, or `self.NAME` set once in the class body.
    fn constant(&self, expr: &'a Expr) -> Option<String> {
        if let (Expr::Attribute(attribute), Some(class)) = (expr, self.class) {
            if matches!(&*attribute.value, Expr::Name(owner) if owner.id.as_str() == "self") {
                return class_constant(class, attribute.attr.id.as_str());
            }
        }
        self.checker.semantic().constant_string(expr)
    }
}

/// `NAME = "..."` in the class body, the class's only assignment to `NAME`.
fn class_constant(class: &StmtClassDef, name: &str) -> Option<String> {
    let mut values = class.body.iter().filter_map(|stmt| match stmt {
        Stmt::Assign(assign)
            if matches!(&assign.targets[..], [Expr::Name(target)] if target.id.as_str() == name) =>
        {
            Some(&*assign.value)
        }
        _ => None,
    });
    match (values.next(), values.next()) {
        (Some(Expr::StringLiteral(literal)), None) => Some(literal.value.to_str().to_string()),
        _ => None,
    }
}

impl<'a> Visitor<'a> for Templates<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth < MAX_NESTING {
            self.depth += 1;
            visitor::walk_stmt(self, stmt);
            self.depth -= 1;
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_NESTING {
            return;
        }
        if let Expr::Call(call) = expr {
            if let Expr::Attribute(method) = &*call.func {
                let through_receiver = self
                    .receiver
                    .is_none_or(|receiver| self.checker.text(&*method.value) == receiver);
                let first = call.arguments.args.first();
                match (method.attr.id.as_str(), first) {
                    _ if !through_receiver => {}
                    (
                        "get_template" | "select_template" | "get_or_select_template",
                        Some(first),
                    ) => {
                        let text_file = self
                            .constant(first)
                            .is_some_and(|name| is_text_file_name(&name));
                        // A name we cannot read counts only when the renders are ours to judge.
                        if text_file || self.receiver.is_some() || self.constant(first).is_some() {
                            self.text |= text_file;
                            self.html |= !text_file;
                        }
                    }
                    ("from_string", Some(first)) => match self.constant(first) {
                        Some(source) => {
                            let tagged = source.contains('<');
                            self.text |= !tagged;
                            self.html |= tagged;
                        }
                        None if self.receiver.is_some() => self.html = true,
                        None => {}
                    },
                    (
                        "get_template"
                        | "select_template"
                        | "get_or_select_template"
                        | "from_string",
                        None,
                    ) => {
                        self.html |= self.receiver.is_some();
                    }
                    _ => {}
                }
            }
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}

/// Some template in `body` is named or written as text, and none as HTML.
fn templates_are_text<'a>(checker: &Checker<'a>, body: &'a [Stmt]) -> bool {
    let mut templates = Templates {
        checker,
        receiver: None,
        class: None,
        text: false,
        html: false,
        depth: 0,
    };
    templates.visit_body(body);
    templates.text && !templates.html
}

/// `cli.rst.j2`, `notes.md`, `ansible.1.jinja`: a file whose last real extension is text.
fn is_text_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.rsplit('.').collect();
    if parts.len() > 2 && matches!(parts[0], "j2" | "jinja" | "jinja2" | "tmpl" | "tpl") {
        parts.remove(0);
    }
    parts.len() > 1 && TEXT_EXTENSIONS.contains(&parts[0])
}
