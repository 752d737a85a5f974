//! The guard for a file path built from a fixed base and request data: resolve the path,
//! check that it stays in the resolved base, fail the request otherwise, and use the
//! resolved path. `os.path.realpath` + `os.path.commonpath` work on every Python 3 and on
//! `str` and `bytes` alike, and the data flow knows the check.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::fix::statement::{indent_unit, insert_before_statement};
use crate::parse::ast::{self, Expr, Operator};
use crate::parse::{Ranged, TextRange, TextSize};
use crate::semantic::ancestors::Node;
use crate::semantic::names_in;

use super::file_paths::is_path_object;
use super::guard_fix::{failure, guard_site, unbound_name};
use super::sanitizers;

/// Names the resolved path may take, in order of preference.
const TARGET_NAMES: &[&str] = &["target", "resolved_path", "checked_path"];

/// `open(os.path.join(BASE, name))` → `target = os.path.realpath(os.path.join(BASE, name))`,
/// a containment check, and `open(target)`. A `pathlib` path (`(ROOT / name).read_text()`)
/// stays one: `target = Path(os.path.realpath(ROOT / name))`.
pub fn contained_path_fix<'a>(checker: &Checker<'a>, path: &'a Expr) -> Option<Fix> {
    if checker.text(path).contains(['\n', '\r']) {
        return None;
    }
    let statement = guard_site(checker, path)?;
    let at = statement.stmt.start();
    let (base, path_object) = base_of(checker, path, at, 0)?;
    let (os, import) = checker.import_module("os", at);
    let mut edits: Vec<Edit> = import.into_iter().collect();
    let target = unbound_name(checker, TARGET_NAMES)?;
    let resolved = format!("{os}.path.realpath({})", checker.text(path));
    let resolved = if path_object {
        let (path_class, import) = checker.import_member("pathlib", "Path", at);
        edits.extend(import);
        format!("{path_class}({resolved})")
    } else {
        resolved
    };
    let resolved_base = format!("{os}.path.realpath({base})");
    let fail = failure(checker, at, 404, "path leaves its base directory");
    let unit = indent_unit(checker.source(), at);
    let lines = [
        format!("{target} = {resolved}"),
        format!(
            "if {os}.path.commonpath([{resolved_base}, {target}]) != {resolved_base}:\n{unit}{fail}"
        ),
    ];
    edits.push(insert_before_statement(
        checker.source(),
        statement.stmt,
        &lines,
    )?);
    let replaced = if is_receiver(checker, path) {
        parenthesized(checker.source(), path)
    } else {
        path.range()
    };
    edits.push(Edit::replace(replaced, target));
    Some(Fix::unsafe_edits(
        "Resolve the path and refuse it when it leaves its base directory",
        edits,
    ))
}

/// Whether `path` is the object the checked call is a method of (`path.read_text()`).
fn is_receiver(checker: &Checker, path: &Expr) -> bool {
    matches!(checker.ancestors().current(), Some(Node::Expr(Expr::Call(call)))
        if matches!(&*call.func, Expr::Attribute(method) if std::ptr::eq(&*method.value, path)))
}

/// The range of a receiver with the parentheses around it (`(ROOT / name).read_text()`):
/// the name that replaces it needs none.
fn parenthesized(source: &str, path: &Expr) -> TextRange {
    let (start, end) = (path.start().to_usize(), path.end().to_usize());
    let wrapped = start > 0
        && source.get(start - 1..start) == Some("(")
        && source.get(end..end + 1) == Some(")");
    match (
        wrapped,
        TextSize::try_from(start.saturating_sub(1)),
        TextSize::try_from(end + 1),
    ) {
        (true, Ok(open), Ok(close)) => TextRange::new(open, close),
        _ => path.range(),
    }
}

/// The fixed directory `path` is meant to stay in, as Python source, and whether the path
/// is a `pathlib` object: the first argument of `os.path.join(BASE, name)` or
/// `Path(BASE, name)`, the left side of `BASE + name` or `ROOT / name`, the text before the
/// last `/` ahead of the first request value in `f"/srv/{name}"`, or the same for the value
/// of a name assigned once. It must not come from the request, must be free of calls other
/// than `Path(...)` (the guard computes it again), and its names must mean at `at` what
/// they meant where the path was built.
fn base_of<'a>(
    checker: &Checker<'a>,
    path: &'a Expr,
    at: TextSize,
    depth: usize,
) -> Option<(String, bool)> {
    let semantic = checker.semantic();
    let fixed = |expr: &'a Expr| {
        is_plain(checker, expr, 0)
            && semantic
                .request_taint_with(expr, sanitizers::path)
                .is_none()
            && names_in(expr).into_iter().all(|name| {
                let Expr::Name(name) = name else {
                    return false;
                };
                let scope = semantic.current_scope();
                let there = semantic.lookup(name.id.as_str(), scope, name.start());
                let here = semantic.lookup(name.id.as_str(), scope, at);
                matches!((there, here), (Some(there), Some(here)) if std::ptr::eq(there, here))
            })
    };
    let text = |expr: &'a Expr| checker.text(expr).to_string();
    let function = |call: &'a ast::ExprCall| semantic.resolve_qualified_name(&call.func);
    match path {
        Expr::Call(call)
            if call.arguments.keywords.is_empty()
                && call.arguments.args.len() >= 2
                && !call.arguments.args.iter().any(Expr::is_starred_expr) =>
        {
            let base = &call.arguments.args[0];
            let path_object = match function(call)?.segments() {
                ["os" | "posixpath" | "ntpath", "path", "join"] => false,
                ["pathlib", "Path" | "PurePath"] => true,
                _ => return None,
            };
            fixed(base).then(|| (text(base), path_object))
        }
        Expr::BinOp(binop) if binop.op == Operator::Add => (fixed(&binop.left)
            && semantic.constant_string(&binop.left).is_some())
        .then(|| (text(&binop.left), false)),
        Expr::BinOp(binop) if binop.op == Operator::Div => (fixed(&binop.left)
            && is_path_object(checker, &binop.left, 0))
        .then(|| (text(&binop.left), true)),
        Expr::FString(fstring) => fstring_base(checker, fstring, &fixed).map(|base| (base, false)),
        Expr::Name(name) if depth == 0 => {
            base_of(checker, semantic.assigned_value(name)?, at, depth + 1)
        }
        _ => None,
    }
}

/// `f"/srv/files/{name}"` → `"/srv/files/"`; `f"{BASE}/{name}.txt"` → `f"{BASE}/"`. Only a
/// one-part f-string in single quotes, whose literal text before the cut has no escapes.
fn fstring_base<'a>(
    checker: &Checker<'a>,
    fstring: &'a ast::ExprFString,
    fixed: &dyn Fn(&'a Expr) -> bool,
) -> Option<String> {
    let [ast::FStringPart::FString(part)] = fstring.value.as_slice() else {
        return None;
    };
    let text = checker.text(fstring);
    let quote = text.get(1..2)?;
    if !matches!(text.get(..1), Some("f" | "F"))
        || !matches!(quote, "\"" | "'")
        || text.get(1..4) == Some(&quote.repeat(3))
    {
        return None;
    }
    let mut cut: Option<TextSize> = None;
    // Whether a placeholder comes before the cut, and before the current element.
    let (mut interpolated, mut interpolated_so_far) = (false, false);
    for element in &part.elements {
        match element {
            ast::InterpolatedStringElement::Literal(literal) => {
                let written = checker.text(literal);
                if written.contains(['\\', '{', '}']) {
                    break;
                }
                if let Some(slash) = written.rfind('/') {
                    cut = Some(literal.start() + TextSize::try_from(slash + 1).ok()?);
                    interpolated = interpolated_so_far;
                }
            }
            ast::InterpolatedStringElement::Interpolation(interpolation) => {
                if !fixed(&interpolation.expression) {
                    break;
                }
                interpolated_so_far = true;
            }
        }
    }
    let cut = cut?;
    let start = fstring.start().to_usize();
    let head = &checker.source()[start..cut.to_usize()];
    let base = format!("{head}{quote}");
    // Without a placeholder before the cut, a plain string says the same.
    let base = if interpolated {
        base
    } else {
        base[1..].to_string()
    };
    (!base.trim_matches(['"', '\'', '/']).is_empty()).then_some(base)
}

/// Names, attributes, string literals and `+` / f-strings of them: a value that reads the
/// same when computed twice.
fn is_plain<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match expr {
        Expr::Name(_) | Expr::StringLiteral(_) => true,
        Expr::Attribute(attribute) => is_plain(checker, &attribute.value, depth + 1),
        Expr::BinOp(binop) if matches!(binop.op, Operator::Add | Operator::Div) => {
            is_plain(checker, &binop.left, depth + 1) && is_plain(checker, &binop.right, depth + 1)
        }
        // `Path(BASE)`: a new object each time, the same path.
        Expr::Call(call) => {
            call.arguments.keywords.is_empty()
                && checker
                    .semantic()
                    .resolve_qualified_name(&call.func)
                    .is_some_and(|name| matches!(name.segments(), ["pathlib", "Path" | "PurePath"]))
                && call
                    .arguments
                    .args
                    .iter()
                    .all(|argument| is_plain(checker, argument, depth + 1))
        }
        Expr::FString(fstring) => fstring.value.iter().all(|part| match part {
            ast::FStringPart::Literal(_) => true,
            ast::FStringPart::FString(part) => part.elements.iter().all(|element| match element {
                ast::InterpolatedStringElement::Literal(_) => true,
                ast::InterpolatedStringElement::Interpolation(interpolation) => {
                    is_plain(checker, &interpolation.expression, depth + 1)
                }
            }),
        }),
        _ => false,
    }
}
