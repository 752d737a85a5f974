//! Whether a Jinja2 environment renders text that is not HTML: reStructuredText, Markdown,
//! man pages, plain text, e-mail bodies. Escaping HTML there would corrupt the output, and
//! there is no browser to run a script.

use crate::checker::Checker;
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{Expr, Stmt, StmtFunctionDef};
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

/// Some template in `body` is named or written as text, and none as HTML.
fn templates_are_text<'a>(checker: &Checker<'a>, body: &'a [Stmt]) -> bool {
    struct Templates<'c, 'a> {
        checker: &'c Checker<'a>,
        text: bool,
        html: bool,
        depth: usize,
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
                if let (Expr::Attribute(method), Some(first)) =
                    (&*call.func, call.arguments.args.first())
                {
                    let semantic = self.checker.semantic();
                    let text = semantic.constant_string(first);
                    match (method.attr.id.as_str(), text) {
                        ("get_template" | "select_template", Some(name)) => {
                            let text_file = is_text_file_name(&name);
                            self.text |= text_file;
                            self.html |= !text_file;
                        }
                        ("from_string", Some(source)) => {
                            let tagged = source.contains('<');
                            self.text |= !tagged;
                            self.html |= tagged;
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
    let mut templates = Templates {
        checker,
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
