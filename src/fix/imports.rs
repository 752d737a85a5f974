//! The imports a fix needs: the name to use at the place of the fix, and the edit that adds
//! the import when no usable one is there.
//!
//! A name is usable only when it is bound to the module where the fix uses it. So an import
//! that runs only for the type checker (`if TYPE_CHECKING:`) is not reused, and a parameter or
//! local with the module's name (`def f(os): ...`) makes the new import take an alias
//! (`import os as _os`). An optional import (`try: import ssl` / `except ImportError: ssl =
//! None`, `ssl = importlib.import_module("ssl")`) is reused as it is: the code around already
//! relies on it, and a second, unconditional import would make it mandatory.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange, TextSize};
use crate::semantic::{argument, statement_containing, Binding, BindingKind, MODULE_SCOPE};

use super::names::is_type_checking;
use super::statement::line_break_at;
use super::{line_end, line_start};

/// See [`Checker::import_module`].
pub(crate) fn import_module(
    checker: &Checker,
    module: &str,
    at: TextSize,
) -> (String, Option<Edit>) {
    let wanted: Vec<&str> = module.split('.').collect();
    if let Some(name) = reusable_name(checker, &wanted, module, at) {
        return (name, None);
    }
    // `from cryptography.hazmat.primitives import hashes` reads better than writing
    // `cryptography.hazmat.primitives.hashes.SHA256()` at every use; a package and its
    // module (`lxml.etree`, `os.path`) stay as they are written.
    if let [parent @ .., member] = &wanted[..] {
        if parent.len() >= 2 {
            return import_member(checker, &parent.join("."), member, at);
        }
    }
    let root = wanted[0];
    let last = wanted[wanted.len() - 1];
    let (statement, name) = if is_free_for(checker, root, &wanted[..1], at) {
        let name = if wanted.len() == 1 { root } else { module };
        (format!("import {module}"), name.to_string())
    } else {
        let alias = free_alias(checker, last, at);
        (format!("import {module} as {alias}"), alias)
    };
    (name, Some(insert_import(checker, &statement, module)))
}

/// The name to use for `member` of `module` (`format_html` of `django.utils.html`) at `at`,
/// and the edit that adds `from module import member` when no usable import is there (with
/// an alias when the name means something else at `at`).
pub(crate) fn import_member(
    checker: &Checker,
    module: &str,
    member: &str,
    at: TextSize,
) -> (String, Option<Edit>) {
    let mut wanted: Vec<&str> = module.split('.').collect();
    wanted.push(member);
    if let Some(name) = reusable_name(checker, &wanted, member, at) {
        return (name, None);
    }
    let (statement, name) = if is_free_for(checker, member, &wanted, at) {
        (format!("from {module} import {member}"), member.to_string())
    } else {
        let alias = free_alias(checker, member, at);
        (format!("from {module} import {member} as {alias}"), alias)
    };
    // After the plain `import` lines that open the module, where isort puts `from` imports.
    (name, Some(insert_import(checker, &statement, "\u{10ffff}")))
}

/// The name `qualified` (`sqlalchemy.text`) is usable under at `at`, when an import that
/// runs binds it there (see [`import_member`] for the rules); `preferred` is tried first.
pub(crate) fn imported_name(
    checker: &Checker,
    qualified: &str,
    preferred: &str,
    at: TextSize,
) -> Option<String> {
    let wanted: Vec<&str> = qualified.split('.').collect();
    reusable_name(checker, &wanted, preferred, at)
}

/// A module-level name bound to `wanted` and visible at `at`: `preferred` first (`yaml`
/// before `y` for `import yaml as y`), then the earliest import, so the choice never
/// depends on hash order.
fn reusable_name(
    checker: &Checker,
    wanted: &[&str],
    preferred: &str,
    at: TextSize,
) -> Option<String> {
    let semantic = checker.semantic();
    // `import hmac` inside the function, before the fix: every binding of the name there
    // imports the module.
    let imports_wanted = |binding: &Binding| matches!(&binding.kind, BindingKind::Import(qualified) if qualified.segments() == wanted);
    if let Some((in_effect, all)) = semantic.lookup_among(preferred, semantic.current_scope(), at) {
        if in_effect.scope != MODULE_SCOPE
            && in_effect.effective <= at
            && all.iter().all(imports_wanted)
        {
            return Some(preferred.to_string());
        }
    }
    // The names an import binds, and `preferred` for `secrets = importlib.import_module(
    // "secrets")`: not every module-level name, which would make a file with thousands of
    // assignments and fixes quadratic.
    let preferred_bindings = semantic.bindings_in(MODULE_SCOPE, preferred);
    semantic
        .module_imports()
        .map(|(name, bindings)| (name as &str, bindings))
        .chain(std::iter::once((preferred, preferred_bindings)))
        .filter_map(|(name, bindings)| {
            let key = (name.to_string(), wanted.join("."));
            let known = checker.import_starts.borrow().get(&key).copied();
            let first = match known {
                Some(first) => first,
                None => {
                    let first = module_binding_start(checker, bindings, wanted);
                    checker.import_starts.borrow_mut().insert(key, first);
                    first
                }
            }?;
            let visible = semantic
                .lookup(name, semantic.current_scope(), at)
                .is_some_and(|binding| {
                    binding.scope == MODULE_SCOPE
                        // Module and class bodies run top to bottom: a later import is not
                        // there yet. A function body runs after the whole module.
                        && (semantic.in_function_body() || first <= at)
                });
            visible.then_some((name != preferred, first, name))
        })
        .min()
        .map(|(_, _, name)| name.to_string())
}

/// Where a module-level name starts being `wanted` at run time, when every binding of it
/// makes it `wanted` (or, for an optional import, `None` when the import fails): `import
/// ssl`, `ssl = importlib.import_module("ssl")`, `ssl = None` beside them. `None` when some
/// binding makes it something else, or when it is imported only for the type checker.
fn module_binding_start<'a>(
    checker: &Checker<'a>,
    bindings: &[Binding<'a>],
    wanted: &[&str],
) -> Option<TextSize> {
    let mut first: Option<TextSize> = None;
    for binding in bindings {
        match binding_role(checker, binding, wanted) {
            Role::Module => {
                first = Some(first.map_or(binding.effective, |start| start.min(binding.effective)));
            }
            Role::Fallback | Role::TypeCheckingOnly => {}
            Role::Other => return None,
        }
    }
    first
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Binds the module at run time.
    Module,
    /// `None`, the value an optional import falls back to.
    Fallback,
    /// An import of the module that runs only under the type checker.
    TypeCheckingOnly,
    Other,
}

fn binding_role<'a>(checker: &Checker<'a>, binding: &Binding<'a>, wanted: &[&str]) -> Role {
    match &binding.kind {
        BindingKind::Import(qualified) if qualified.segments() == wanted => {
            if under_type_checking(checker, binding.range) {
                Role::TypeCheckingOnly
            } else {
                Role::Module
            }
        }
        BindingKind::Assignment(Expr::NoneLiteral(_)) => Role::Fallback,
        BindingKind::Assignment(Expr::Call(call)) if imports_by_name(checker, call, wanted) => {
            Role::Module
        }
        _ => Role::Other,
    }
}

/// `importlib.import_module("ssl")` or the test suite's `import_helper.import_module("ssl")`.
fn imports_by_name<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, wanted: &[&str]) -> bool {
    let semantic = checker.semantic();
    let names_importer = semantic
        .resolve_qualified_name(&call.func)
        .is_some_and(|name| name.segments().last() == Some(&"import_module"));
    names_importer
        && argument(call, 0, "name")
            .and_then(|name| semantic.constant_string(name))
            .is_some_and(|name| name == wanted.join("."))
}

/// True when the module-level statement holding `range` runs only under `if TYPE_CHECKING:`.
fn under_type_checking(checker: &Checker, range: TextRange) -> bool {
    let mut block = checker.semantic().body();
    loop {
        let Some(index) = statement_containing(block, range) else {
            return false;
        };
        block = match &block[index] {
            Stmt::If(if_stmt) => {
                let clause = if_stmt
                    .elif_else_clauses
                    .iter()
                    .find(|clause| clause.range.contains_range(range));
                match clause {
                    Some(clause) => &clause.body,
                    None if is_type_checking(&if_stmt.test) => return true,
                    None => &if_stmt.body,
                }
            }
            Stmt::Try(try_stmt) => {
                let handler_body = try_stmt.handlers.iter().find_map(|handler| {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    handler.range.contains_range(range).then_some(&handler.body)
                });
                match handler_body {
                    Some(body) => body,
                    None => [&try_stmt.body, &try_stmt.orelse, &try_stmt.finalbody]
                        .into_iter()
                        .find(|body| statement_containing(body, range).is_some())
                        .map_or(&[][..], |body| &body[..]),
                }
            }
            Stmt::With(with) => &with.body,
            _ => return false,
        };
    }
}

/// True when a new module-level `name` bound to `wanted` would be what `name` means at `at`:
/// nothing binds it there, or only imports of the same thing at module level.
fn is_free_for(checker: &Checker, name: &str, wanted: &[&str], at: TextSize) -> bool {
    let semantic = checker.semantic();
    match semantic.lookup(name, semantic.current_scope(), at) {
        None => true,
        Some(binding) if binding.scope == MODULE_SCOPE => semantic
            .bindings_in(MODULE_SCOPE, name)
            .iter()
            .all(|binding| {
                matches!(&binding.kind, BindingKind::Import(qualified)
                    if qualified.segments() == wanted)
            }),
        Some(_) => false,
    }
}

/// `_secrets`, or `_secrets_2`, ... : the first name nothing binds where the fix uses it.
fn free_alias(checker: &Checker, base: &str, at: TextSize) -> String {
    let semantic = checker.semantic();
    let taken = |name: &str| {
        semantic
            .lookup(name, semantic.current_scope(), at)
            .is_some()
            || !semantic.bindings_in(MODULE_SCOPE, name).is_empty()
    };
    let mut alias = format!("_{base}");
    let mut number = 2;
    while taken(&alias) {
        alias = format!("_{base}_{number}");
        number += 1;
    }
    alias
}

/// The edit that adds `statement` (one import line) where `sort_key` sorts among the
/// imports that open the module, or after the docstring and `__future__` imports, ended with
/// the file's own line break.
fn insert_import(checker: &Checker, statement: &str, sort_key: &str) -> Edit {
    let source = checker.source();
    let body = checker.semantic().body();
    let offset = sorted_import_point(source, body, sort_key)
        .unwrap_or_else(|| import_insertion_point(source, body));
    let line_break = line_break_at(source, offset.to_usize());
    let needs_newline =
        offset.to_usize() > 0 && !source[..offset.to_usize()].ends_with(['\n', '\r']);
    let content = if needs_newline {
        format!("{line_break}{statement}{line_break}")
    } else {
        format!("{statement}{line_break}")
    };
    Edit::insert(offset, content)
}

/// After the module docstring and `from __future__` imports; otherwise before the first
/// statement (so a shebang or license comment stays on top).
pub(super) fn import_insertion_point(source: &str, body: &[Stmt]) -> TextSize {
    let mut after: Option<&Stmt> = None;
    for (index, stmt) in body.iter().enumerate() {
        let is_docstring = index == 0
            && matches!(stmt, Stmt::Expr(expr) if matches!(*expr.value, Expr::StringLiteral(_)));
        let is_future = matches!(stmt, Stmt::ImportFrom(import)
            if import.module.as_ref().is_some_and(|module| module.id.as_str() == "__future__"));
        if is_docstring || is_future {
            after = Some(stmt);
        } else {
            break;
        }
    }
    match (after, body.first()) {
        (Some(stmt), _) => line_end(source, stmt.end()),
        (None, Some(first)) => line_start(source, first.start()),
        (None, None) => TextSize::try_from(source.len()).unwrap_or_default(),
    }
}

/// Where `import module` sorts among the plain `import` lines that open the module (the
/// first group of them, up to a blank line), as isort and Ruff order them: before the first
/// one that sorts after it, else after the last. `None` when the module does not open with
/// such imports.
fn sorted_import_point(source: &str, body: &[Stmt], module: &str) -> Option<TextSize> {
    let start = import_insertion_point(source, body);
    let first = body.iter().position(|stmt| stmt.start() >= start)?;
    let mut group: Vec<&ast::StmtImport> = Vec::new();
    let mut previous_end = start;
    for stmt in &body[first..] {
        let Stmt::Import(import) = stmt else {
            break;
        };
        let between = &source[previous_end.to_usize()..import.start().to_usize()];
        // A `\r\n` is one line break.
        let line_breaks = between.matches(['\n', '\r']).count() - between.matches("\r\n").count();
        let blank_line = line_breaks > 1 || between.contains('#');
        let one_line = !source[import.range.start().to_usize()..import.range.end().to_usize()]
            .contains(['\n', '\r', ';']);
        if (!group.is_empty() && blank_line) || !one_line {
            break;
        }
        group.push(import);
        previous_end = import.end();
    }
    let key = |name: &str| name.to_ascii_lowercase();
    let wanted = key(module);
    let after = group.iter().position(|import| {
        import
            .names
            .first()
            .is_some_and(|alias| key(alias.name.id.as_str()) > wanted)
    });
    match after {
        Some(index) => Some(line_start(source, group[index].start())),
        None => group.last().map(|last| line_end(source, last.end())),
    }
}
