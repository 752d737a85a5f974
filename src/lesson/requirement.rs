//! "What must remain": small declarative patterns over the learner's code, matched the way
//! the rules see it — names resolved through imports and aliases, variables followed to
//! the values assigned to them — never as text.
//!
//! A requirement is one of:
//!
//! - `call`: a call to one of the named functions (`"sqlite3.connect().cursor().execute"`,
//!   `"yaml.safe_load"`, `"*.execute"` for a method of that name on anything), whose
//!   arguments match every pattern in `args`;
//! - `setting`: a framework setting written (`"SECRET_KEY"`), in any shape the rules read
//!   settings in (see [`crate::semantic::settings`]);
//! - `defines`: a function or class of that name;
//! - `uses`: an expression that names it (`"flask.request.form"`, `"user.is_admin"`);
//!
//! optionally `inside` a function of a given name.
//!
//! Names in patterns are dotted; `name()` stands for the value a call of `name` returns.
//! A name that no import binds (a parameter, a local variable) is matched as written.

use serde::Deserialize;

use crate::checker::{observe_module, Checker, Visited};
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::semantic::settings::{settings_in_call, settings_in_stmt};
use crate::semantic::{literal_text, BindingKind, SemanticModel, MAX_NESTING};

/// How many assignments a pattern follows a variable back through.
const MAX_FOLLOW: usize = 4;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// What must remain, in words: shown to the learner when it does not hold.
    pub says: String,
    /// A call of one of these functions.
    #[serde(default)]
    pub call: Vec<String>,
    /// With `call`: every pattern must match one of the call's arguments.
    #[serde(default)]
    pub args: Vec<ArgPattern>,
    pub setting: Option<String>,
    pub defines: Option<String>,
    pub uses: Option<String>,
    /// Only counts inside the function of this name.
    pub inside: Option<String>,
}

/// A pattern one argument of a call must match.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgPattern {
    /// Which argument: a position (0-based) or a keyword; any argument when missing. Alone,
    /// the argument only has to be there.
    pub at: Option<ArgPosition>,
    /// The argument's value names this (see [`Requirement::uses`]), itself or in a part.
    pub uses: Option<String>,
    /// The argument's value spells this text (case aside) in one of its string literals.
    pub contains: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ArgPosition {
    Index(usize),
    Keyword(String),
}

impl Requirement {
    /// An error for a requirement that says nothing, or is of no kind or of several.
    pub fn validate(&self) -> Result<(), String> {
        if self.says.trim().is_empty() {
            return Err("a requirement needs `says`".to_string());
        }
        let kinds = [
            !self.call.is_empty(),
            self.setting.is_some(),
            self.defines.is_some(),
            self.uses.is_some(),
        ];
        if kinds.iter().filter(|kind| **kind).count() != 1 {
            return Err(format!(
                "the requirement \"{}\" needs exactly one of `call`, `setting`, `defines`, `uses`",
                self.says
            ));
        }
        if !self.args.is_empty() && self.call.is_empty() {
            return Err(format!(
                "the requirement \"{}\" has `args` but no `call`",
                self.says
            ));
        }
        let says_nothing =
            |arg: &ArgPattern| arg.at.is_none() && arg.uses.is_none() && arg.contains.is_none();
        if self.args.iter().any(says_nothing) {
            return Err(format!(
                "an argument pattern of \"{}\" needs `at`, `uses` or `contains`",
                self.says
            ));
        }
        Ok(())
    }

    /// Whether this requirement is met at one node of the walk.
    fn met_at<'a>(&self, checker: &Checker<'a>, node: Visited<'a>) -> bool {
        if let Some(function) = &self.inside {
            let enclosing = checker.ancestors().enclosing_function();
            if enclosing.is_none_or(|enclosing| enclosing.name.as_str() != function) {
                return false;
            }
        }
        let semantic = checker.semantic();
        match node {
            Visited::Expr(Expr::Call(call)) if !self.call.is_empty() => {
                self.call
                    .iter()
                    .any(|pattern| names(semantic, &call.func, &segments(pattern), false))
                    && self.args.iter().all(|arg| arg.matches(semantic, call))
            }
            Visited::Expr(expr) => {
                let call_sets = |name: &str| match expr {
                    Expr::Call(call) => settings_in_call(semantic, call)
                        .iter()
                        .any(|setting| setting.name == name),
                    _ => false,
                };
                match (&self.uses, &self.setting) {
                    // A name being assigned to is not used (`name = ...` alone does nothing).
                    (Some(_), _) if matches!(expr, Expr::Name(name) if !name.ctx.is_load()) => {
                        false
                    }
                    (Some(pattern), _) => names(semantic, expr, &segments(pattern), true),
                    (None, Some(name)) => call_sets(name),
                    (None, None) => false,
                }
            }
            Visited::Stmt(stmt) => match (&self.setting, &self.defines) {
                (Some(name), _) => settings_in_stmt(semantic, stmt)
                    .iter()
                    .any(|setting| setting.name == name),
                (None, Some(name)) => match stmt {
                    Stmt::FunctionDef(function) => function.name.as_str() == name,
                    Stmt::ClassDef(class) => class.name.as_str() == name,
                    _ => false,
                },
                (None, None) => false,
            },
        }
    }
}

impl ArgPattern {
    fn matches<'a>(&self, semantic: &SemanticModel<'a>, call: &'a ast::ExprCall) -> bool {
        let positional = call.arguments.args.iter();
        let keywords = call.arguments.keywords.iter();
        let candidates: Vec<&'a Expr> = match &self.at {
            Some(ArgPosition::Index(index)) => positional.skip(*index).take(1).collect(),
            Some(ArgPosition::Keyword(name)) => keywords
                .filter(|keyword| keyword.arg.as_ref().is_some_and(|arg| arg.as_str() == name))
                .map(|keyword| &keyword.value)
                .collect(),
            None => positional
                .chain(keywords.map(|keyword| &keyword.value))
                .collect(),
        };
        candidates.into_iter().any(|value| {
            let uses = self.uses.as_ref().is_none_or(|pattern| {
                let pattern = segments(pattern);
                any_part(semantic, value, &mut |part| {
                    names(semantic, part, &pattern, true)
                })
            });
            let contains = self.contains.as_ref().is_none_or(|text| {
                let text = text.to_lowercase();
                any_part(semantic, value, &mut |part| {
                    literal_text(part)
                        .is_some_and(|literal| literal.text.to_lowercase().contains(&text))
                })
            });
            uses && contains
        })
    }
}

/// Which requirements hold somewhere in `source`, in order.
pub(super) fn holding(source: &str, requirements: &[Requirement]) -> Vec<bool> {
    let parsed = crate::parse::parse_module(source);
    let mut holds = vec![false; requirements.len()];
    observe_module(source, &parsed.body, &mut |checker, node| {
        for (requirement, holds) in requirements.iter().zip(holds.iter_mut()) {
            if !*holds && requirement.met_at(checker, node) {
                *holds = true;
            }
        }
    });
    crate::parse::free_tree(parsed.body, parsed.nesting_bound);
    holds
}

/// A dotted pattern as the segments a resolved name has: `connect()` is `connect`, `()`.
fn segments(pattern: &str) -> Vec<&str> {
    let mut segments = Vec::new();
    for part in pattern.split('.') {
        match part.strip_suffix("()") {
            Some(name) => segments.extend([name, "()"]),
            None => segments.push(part),
        }
    }
    segments
}

/// Whether `expr` names `pattern` (or, with `prefix`, something inside it: `flask.request`
/// covers `flask.request.form`): through imports and assignments (`from flask import
/// request as r; r.form` is `flask.request.form`), or, when it is not imported, also as
/// written (a parameter `user`, so `user.is_admin`). `*` matches any receiver.
fn names<'a>(semantic: &SemanticModel<'a>, expr: &'a Expr, pattern: &[&str], prefix: bool) -> bool {
    let fits = |segments: &[&str]| {
        let length_fits = if prefix {
            segments.len() >= pattern.len()
        } else {
            segments.len() == pattern.len()
        };
        length_fits
            && pattern
                .iter()
                .zip(segments)
                .all(|(want, have)| *want == "*" || want == have)
    };
    if pattern.first() == Some(&"*") {
        return written_chain(expr).is_some_and(|chain| {
            chain.len() >= pattern.len() && fits(&chain[chain.len() - pattern.len()..])
        });
    }
    let resolved = semantic
        .resolve_value_origin(expr)
        .is_some_and(|qualified| fits(qualified.segments()));
    // A local value is also known by its own name (`app = Flask(__name__)` is `app`); an
    // imported one only by what it imports.
    resolved
        || (!is_imported(semantic, expr) && written_chain(expr).is_some_and(|chain| fits(&chain)))
}

/// Whether the name an expression starts from (`sp` in `sp.run`) is bound by an import.
fn is_imported(semantic: &SemanticModel, expr: &Expr) -> bool {
    match expr {
        Expr::Name(name) => semantic
            .binding_of(name)
            .is_some_and(|binding| matches!(binding.kind, BindingKind::Import(_))),
        Expr::Attribute(attribute) => is_imported(semantic, &attribute.value),
        Expr::Call(call) => is_imported(semantic, &call.func),
        _ => false,
    }
}

/// `a.b().c` as written: `["a", "b", "()", "c"]`; `None` for anything but names,
/// attributes and calls of them.
fn written_chain(expr: &Expr) -> Option<Vec<&str>> {
    match expr {
        Expr::Name(name) => Some(vec![name.id.as_str()]),
        Expr::Attribute(attribute) => {
            let mut chain = written_chain(&attribute.value).unwrap_or_else(|| vec!["*"]);
            chain.push(attribute.attr.id.as_str());
            Some(chain)
        }
        Expr::Call(call) => {
            let mut chain = written_chain(&call.func)?;
            chain.push("()");
            Some(chain)
        }
        _ => None,
    }
}

/// Whether `test` holds for `value` or any expression inside it, following the variables
/// in it back to what was assigned to them (a few steps).
fn any_part<'a>(
    semantic: &SemanticModel<'a>,
    value: &'a Expr,
    test: &mut dyn FnMut(&'a Expr) -> bool,
) -> bool {
    let mut parts = Parts {
        semantic,
        test,
        found: false,
        depth: 0,
        follows: 0,
    };
    parts.visit_expr(value);
    parts.found
}

struct Parts<'s, 'a> {
    semantic: &'s SemanticModel<'a>,
    test: &'s mut dyn FnMut(&'a Expr) -> bool,
    found: bool,
    depth: usize,
    follows: usize,
}

impl<'a> Visitor<'a> for Parts<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found || self.depth >= MAX_NESTING {
            return;
        }
        if (self.test)(expr) {
            self.found = true;
            return;
        }
        self.depth += 1;
        if let Expr::Name(name) = expr {
            let assigned = self
                .semantic
                .binding_of(name)
                .and_then(|binding| match binding.kind {
                    BindingKind::Assignment(value) | BindingKind::AugAssign(value) => Some(value),
                    _ => None,
                });
            if let Some(value) = assigned.filter(|_| self.follows < MAX_FOLLOW) {
                self.follows += 1;
                self.visit_expr(value);
            }
        }
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}
