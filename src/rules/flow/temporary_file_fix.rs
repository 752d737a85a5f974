//! The rewrite of `path = tempfile.mktemp(...)` into a file made by `tempfile.mkstemp`.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::semantic::MAX_NESTING;

/// Calls that make the name `mktemp` returned: they fail on a file that already exists.
const CREATORS: &[&str] = &["mkdir", "makedirs", "mkfifo", "mknod", "symlink", "bind"];

/// `path = tempfile.mktemp(...)` alone on its lines, the name not given to a call that
/// must create the file itself: `fd, path = tempfile.mkstemp(...)` and `os.close(fd)`.
pub fn mkstemp_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Fix> {
    let statement = checker.ancestors().enclosing_statement()?;
    let Stmt::Assign(assign) = statement.stmt else {
        return None;
    };
    let [Expr::Name(target)] = &assign.targets[..] else {
        return None;
    };
    if assign.value.range() != call.range() {
        return None;
    }
    let source = checker.source();
    let start = assign.range().start().to_usize();
    let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let indent = &source[line_start..start];
    let end = assign.range().end().to_usize();
    let rest_of_line = source[end..].split(['\n', '\r']).next().unwrap_or("");
    if !indent.chars().all(|c| c == ' ' || c == '\t')
        || !rest_of_line.trim_start().is_empty() && !rest_of_line.trim_start().starts_with('#')
    {
        return None;
    }
    let variable = target.id.as_str();
    let body = match checker.ancestors().enclosing_function() {
        Some(function) => &function.body[..],
        None => checker.semantic().body(),
    };
    if creates_the_file(body, variable) {
        return None;
    }
    let fd = ["fd", "temp_fd", "mkstemp_fd"].into_iter().find(|name| {
        checker
            .semantic()
            .lookup(
                name,
                checker.semantic().current_scope(),
                assign.range().end(),
            )
            .is_none()
    })?;
    let (tempfile, tempfile_import) = checker.import_module("tempfile", call.range().start());
    let (os, os_import) = checker.import_module("os", call.range().start());
    let arguments = checker.text(&call.arguments);
    let mut edits = vec![Edit::replace(
        assign.range(),
        format!("{fd}, {variable} = {tempfile}.mkstemp{arguments}\n{indent}{os}.close({fd})"),
    )];
    edits.extend(tempfile_import);
    edits.extend(os_import);
    Some(Fix::unsafe_edits(
        "Create the file with `tempfile.mkstemp` instead of only naming it",
        edits,
    ))
}

/// Whether `variable` is passed to `os.mkdir`, `os.mkfifo`, `sock.bind` and the like in
/// `body`: those need the name free and would fail on the file `mkstemp` creates.
fn creates_the_file(body: &[Stmt], variable: &str) -> bool {
    use crate::parse::ast::visitor::{self, Visitor};
    struct Finder<'v> {
        variable: &'v str,
        found: bool,
        depth: usize,
    }
    impl<'n> Visitor<'n> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'n Stmt) {
            if self.depth >= MAX_NESTING || self.found {
                return;
            }
            self.depth += 1;
            visitor::walk_stmt(self, stmt);
            self.depth -= 1;
        }

        fn visit_expr(&mut self, expr: &'n Expr) {
            if self.depth >= MAX_NESTING || self.found {
                return;
            }
            if let Expr::Call(call) = expr {
                let callee = match &*call.func {
                    Expr::Attribute(attribute) => Some(attribute.attr.id.as_str()),
                    Expr::Name(name) => Some(name.id.as_str()),
                    _ => None,
                };
                let passes_it = call.arguments.args.iter().any(
                    |argument| matches!(argument, Expr::Name(name) if name.id.as_str() == self.variable),
                );
                if passes_it && callee.is_some_and(|callee| CREATORS.contains(&callee)) {
                    self.found = true;
                }
            }
            self.depth += 1;
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut finder = Finder {
        variable,
        found: false,
        depth: 0,
    };
    finder.visit_body(body);
    finder.found
}
