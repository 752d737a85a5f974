//! What every inserted guard needs: a statement it can go before without changing when the
//! guarded value is computed, a fresh name for the checked value, and the way this code
//! already fails a request.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::fix::statement::{indent_unit, insert_before_statement};
use crate::parse::ast::{Expr, Stmt};
use crate::parse::{Ranged, TextSize};
use crate::semantic::ancestors::{Node, Statement};
use crate::semantic::BindingKind;

/// A guard being written for one value: the statement it goes before, the name it checks
/// the value under, and the lines it puts there (starting with the assignment that names
/// the value, when it is not a name already).
pub struct Guard<'a> {
    pub statement: Statement<'a>,
    /// Where the statement starts: what names mean there is what the guard sees.
    pub at: TextSize,
    pub variable: String,
    pub lines: Vec<String>,
    /// The indentation of a block nested in the guard.
    pub unit: &'static str,
    value: &'a Expr,
}

impl<'a> Guard<'a> {
    /// A guard for `value` (one line of source), named as [`name_for_check`] says, placed as
    /// [`guard_site`] says.
    pub fn new(
        checker: &Checker<'a>,
        value: &'a Expr,
        candidates: &[&'static str],
        replaced: bool,
    ) -> Option<Self> {
        if checker.text(value).contains(['\n', '\r']) {
            return None;
        }
        let statement = guard_site(checker, value)?;
        let at = statement.stmt.start();
        let (variable, assignment) = name_for_check(checker, value, candidates, replaced)?;
        Some(Guard {
            statement,
            at,
            variable,
            lines: assignment.into_iter().collect(),
            unit: indent_unit(checker.source(), at),
            value,
        })
    }

    /// The edits: the lines before the statement, and the value replaced by its name.
    pub fn edits(&self, checker: &Checker) -> Option<Vec<Edit>> {
        let mut edits = vec![insert_before_statement(
            checker.source(),
            self.statement.stmt,
            &self.lines,
        )?];
        if !matches!(self.value, Expr::Name(name) if name.id.as_str() == self.variable) {
            edits.push(Edit::replace(self.value.range(), self.variable.clone()));
        }
        Some(edits)
    }
}

/// The statement a guard for `value` (inside the node being checked) goes before, when
/// computing `value` there first changes nothing but the order: the value is not inside a
/// lambda, a comprehension, a conditional expression or a short-circuit (where it may not
/// be computed at all, or uses names bound there), and the statement computes it first (a
/// `with` on its first item, a `for` in its iterable, not an `if` or `while` test).
pub fn guard_site<'a>(checker: &Checker<'a>, value: &Expr) -> Option<Statement<'a>> {
    let around = checker.ancestors();
    for node in around.iter() {
        match node {
            Node::Expr(
                Expr::Lambda(_)
                | Expr::ListComp(_)
                | Expr::SetComp(_)
                | Expr::DictComp(_)
                | Expr::Generator(_)
                | Expr::If(_)
                | Expr::BoolOp(_)
                | Expr::Named(_),
            )
            | Node::Clause(_) => return None,
            Node::Stmt(_) => break,
            _ => {}
        }
    }
    let statement = around.enclosing_statement()?;
    let first = match statement.stmt {
        Stmt::Expr(_) | Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::Return(_) => {
            return Some(statement)
        }
        Stmt::With(with) => &with.items.first()?.context_expr,
        Stmt::For(for_loop) => &*for_loop.iter,
        _ => return None,
    };
    first
        .range()
        .contains_range(value.range())
        .then_some(statement)
}

/// The name a guard checks `value` under, and the assignment that gives it one when it is
/// not a name already (`target = request.args["url"]`, with the first free candidate).
/// With `replaced` the guard assigns to the name, which must then be a variable of the
/// function itself (assigning to a global from a function would make it local throughout).
fn name_for_check(
    checker: &Checker,
    value: &Expr,
    candidates: &[&'static str],
    replaced: bool,
) -> Option<(String, Option<String>)> {
    let semantic = checker.semantic();
    if let Expr::Name(name) = value {
        let own = semantic
            .lookup(name.id.as_str(), semantic.current_scope(), name.start())
            .is_some_and(|binding| binding.scope == semantic.current_scope());
        if !replaced || (own && semantic.in_function_body()) {
            return Some((name.id.to_string(), None));
        }
    }
    let fresh = unbound_name(checker, candidates)?;
    Some((
        fresh.to_string(),
        Some(format!("{fresh} = {}", checker.text(value))),
    ))
}

/// The first of `candidates` that no scope visible from here binds anywhere, so a new
/// assignment to it neither hides a global nor overwrites a value used later.
pub fn unbound_name(checker: &Checker, candidates: &[&'static str]) -> Option<&'static str> {
    let semantic = checker.semantic();
    let end = TextSize::try_from(checker.source().len()).ok()?;
    candidates.iter().copied().find(|name| {
        semantic
            .lookup(name, semantic.current_scope(), end)
            .is_none()
    })
}

/// The statement that fails the request with `status` (a client error), written with what
/// the module already imports at `at`: Flask's or Quart's `abort`, Django's `Http404` (for
/// a 404), FastAPI's or Starlette's `HTTPException`; else a `ValueError`.
pub fn failure(checker: &Checker, at: TextSize, status: u16, message: &str) -> String {
    let semantic = checker.semantic();
    let imported = |name: &str, wanted: &[&[&str]]| {
        semantic
            .lookup(name, semantic.current_scope(), at)
            .is_some_and(|binding| {
                matches!(&binding.kind, BindingKind::Import(qualified)
                    if wanted.contains(&qualified.segments()))
            })
    };
    if imported("abort", &[&["flask", "abort"], &["quart", "abort"]]) {
        return format!("abort({status})");
    }
    if status == 404 && imported("Http404", &[&["django", "http", "Http404"]]) {
        return format!("raise Http404({message:?})");
    }
    if imported(
        "HTTPException",
        &[
            &["fastapi", "HTTPException"],
            &["starlette", "exceptions", "HTTPException"],
        ],
    ) {
        return format!("raise HTTPException(status_code={status}, detail={message:?})");
    }
    format!("raise ValueError({message:?})")
}
