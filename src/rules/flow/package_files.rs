//! Files that sit beside the module reading them: a path built from `__file__` with
//! constant parts (`Path(__file__).parent / "expected"`), and the files a constant glob
//! finds there. Whoever can change them can change the module itself, so their text is as
//! much the program's own as its source (a test suite's expected-output files, a package's
//! data files).

use crate::checker::Checker;
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{Expr, Operator, Stmt, StmtClassDef};
use crate::semantic::BindingKind;
use crate::semantic::MAX_NESTING;

/// How far names and attributes are followed back to their values.
const MAX_DEPTH: usize = 6;

/// `path.read_text()` / `path.read_bytes()` of a file beside the module.
pub fn reads_file_beside_module<'a>(checker: &Checker<'a>, code: &'a Expr) -> bool {
    let Expr::Call(read) = code else {
        return false;
    };
    let Expr::Attribute(method) = &*read.func else {
        return false;
    };
    matches!(method.attr.id.as_str(), "read_text" | "read_bytes")
        && is_beside_module(checker, &method.value, 0)
}

/// `path` names the module's own file or folder, or something under it by constant parts.
fn is_beside_module<'a>(checker: &Checker<'a>, path: &'a Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let semantic = checker.semantic();
    match path {
        Expr::Name(name) => {
            // A value in a helper or class body lies outside the scope being checked.
            let scope = semantic.scope_enclosing(name.range);
            let Some(binding) = semantic.lookup(name.id.as_str(), scope, name.range.start()) else {
                return name.id.as_str() == "__file__";
            };
            // Inside a loop its target is what the loop gives; any other name is judged by
            // every binding in its scope, not only the one that reaches here.
            if let BindingKind::LoopTarget(iterable) = &binding.kind {
                return lists_inside(checker, iterable, depth);
            }
            semantic
                .bindings_in(binding.scope, name.id.as_str())
                .iter()
                .all(|binding| match &binding.kind {
                    BindingKind::Assignment(value) => is_beside_module(checker, value, depth + 1),
                    // `for source in folder.glob("*.txt")`: each match is inside `folder`.
                    BindingKind::LoopTarget(iterable) => lists_inside(checker, iterable, depth),
                    _ => false,
                })
        }
        // `Path(__file__)`, `Path(__file__).resolve()`: the module's own path.
        Expr::Call(call) => {
            let is_path = semantic
                .resolve_qualified_name(&call.func)
                .is_some_and(|name| name.segments() == ["pathlib", "Path"]);
            let same_path = matches!(&*call.func, Expr::Attribute(method)
                if matches!(method.attr.id.as_str(), "resolve" | "absolute")
                    && call.arguments.args.is_empty()
                    && is_beside_module(checker, &method.value, depth + 1));
            same_path
                || (is_path
                    && call.arguments.keywords.is_empty()
                    && matches!(&call.arguments.args[..], [only] if is_beside_module(checker, only, depth + 1)))
        }
        // `.parent` stays within the project the module belongs to.
        Expr::Attribute(attribute) if attribute.attr.id.as_str() == "parent" => {
            is_beside_module(checker, &attribute.value, depth + 1)
        }
        Expr::Attribute(_) => self_attribute_values(checker, path).is_some_and(|values| {
            !values.is_empty()
                && values
                    .iter()
                    .all(|value| is_beside_module(checker, value, depth + 1))
        }),
        // `folder / "expected"`: a constant name with no way up.
        Expr::BinOp(binary) if binary.op == Operator::Div => {
            is_beside_module(checker, &binary.left, depth + 1)
                && semantic
                    .constant_string(&binary.right)
                    .is_some_and(|part| stays_inside(&part))
        }
        _ => false,
    }
}

/// `folder.glob("*.txt")`, `folder.rglob(...)`, `folder.iterdir()` of a folder beside the
/// module, with a pattern that does not climb out of it.
fn lists_inside<'a>(checker: &Checker<'a>, iterable: &'a Expr, depth: usize) -> bool {
    let Expr::Call(call) = iterable else {
        return false;
    };
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    let pattern_inside = match (method.attr.id.as_str(), &call.arguments.args[..]) {
        ("glob" | "rglob", [pattern]) => checker
            .semantic()
            .constant_string(pattern)
            .is_some_and(|pattern| stays_inside(&pattern)),
        ("iterdir", []) => true,
        _ => false,
    };
    pattern_inside && is_beside_module(checker, &method.value, depth + 1)
}

/// A relative path part that cannot leave the folder it is joined to.
fn stays_inside(part: &str) -> bool {
    !part.starts_with('/') && !part.split(['/', '\\']).any(|segment| segment == "..")
}

/// What `self.NAME` (or `cls.NAME`) may hold: the class body's `NAME = ...` and every
/// `self.NAME = ...` in the class's methods. `None` outside a class, or when some write
/// is not one we follow.
fn self_attribute_values<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<Vec<&'a Expr>> {
    let Expr::Attribute(attribute) = expr else {
        return None;
    };
    let Expr::Name(owner) = &*attribute.value else {
        return None;
    };
    if !matches!(owner.id.as_str(), "self" | "cls") {
        return None;
    }
    let class: &StmtClassDef = checker.ancestors().enclosing_class()?;
    let mut writes = Writes {
        name: attribute.attr.id.as_str(),
        values: Vec::new(),
        unknown: false,
        depth: 0,
    };
    for stmt in &class.body {
        match stmt {
            Stmt::Assign(assign)
                if assign.targets.iter().any(
                    |target| matches!(target, Expr::Name(target) if target.id.as_str() == writes.name),
                ) =>
            {
                writes.values.push(&assign.value);
            }
            Stmt::FunctionDef(method) => writes.visit_body(&method.body),
            _ => {}
        }
    }
    (!writes.unknown).then_some(writes.values)
}

/// The values a class's methods assign to `self.NAME`, anywhere in their bodies; any
/// other kind of write (`+=`, a tuple target, a `for` target) makes it unknown.
struct Writes<'a> {
    name: &'a str,
    values: Vec<&'a Expr>,
    unknown: bool,
    depth: usize,
}

impl Writes<'_> {
    fn is_self_name(&self, target: &Expr) -> bool {
        matches!(target, Expr::Attribute(target)
            if target.attr.id.as_str() == self.name
                && matches!(&*target.value, Expr::Name(receiver) if receiver.id.as_str() == "self"))
    }

    /// `self.NAME, other = ...`: a value we do not follow.
    fn unpacks_into(&self, target: &Expr) -> bool {
        let elements = match target {
            Expr::Tuple(tuple) => &tuple.elts,
            Expr::List(list) => &list.elts,
            _ => return false,
        };
        elements
            .iter()
            .any(|element| self.is_self_name(element) || self.unpacks_into(element))
    }
}

impl<'a> Visitor<'a> for Writes<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth > MAX_NESTING {
            self.unknown = true;
            return;
        }
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    if self.is_self_name(target) {
                        self.values.push(&assign.value);
                    } else if self.unpacks_into(target) {
                        self.unknown = true;
                    }
                }
            }
            Stmt::For(for_loop)
                if self.is_self_name(&for_loop.target) || self.unpacks_into(&for_loop.target) =>
            {
                self.unknown = true;
            }
            Stmt::AugAssign(assign) if self.is_self_name(&assign.target) => self.unknown = true,
            Stmt::AnnAssign(assign) if self.is_self_name(&assign.target) => {
                if let Some(value) = assign.value.as_deref() {
                    self.values.push(value);
                }
            }
            _ => {}
        }
        self.depth += 1;
        visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }
}
