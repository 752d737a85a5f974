//! The guard for a file path built from a fixed base and request data: resolve the path,
//! check that it stays in the resolved base, fail the request otherwise, and use the
//! resolved path. `os.path.realpath` + `os.path.commonpath` work on every Python 3 and on
//! `str` and `bytes` alike, and the data flow knows the check.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::fix::statement::{indent_unit, insert_before_statement};
use crate::parse::ast::{self, Expr, Operator};
use crate::parse::{Ranged, TextSize};

use super::guard_fix::{failure, guard_site, unbound_name};
use super::{import_for_fix, sanitizers};

/// Names the resolved path may take, in order of preference.
const TARGET_NAMES: &[&str] = &["target", "resolved_path", "checked_path"];

/// `open(os.path.join(BASE, name))` → `target = os.path.realpath(os.path.join(BASE, name))`,
/// a containment check, and `open(target)`.
pub fn contained_path_fix<'a>(checker: &Checker<'a>, path: &'a Expr) -> Option<Fix> {
    if checker.text(path).contains(['\n', '\r']) {
        return None;
    }
    let base = base_of(checker, path)?;
    let statement = guard_site(checker, path)?;
    let at = statement.stmt.start();
    let (os, import) = import_for_fix(checker, "os", at)?;
    let target = unbound_name(checker, TARGET_NAMES)?;
    let resolved_base = format!("{os}.path.realpath({base})");
    let fail = failure(checker, at, 404, "path leaves its base directory");
    let unit = indent_unit(checker.source(), at);
    let lines = [
        format!("{target} = {os}.path.realpath({})", checker.text(path)),
        format!(
            "if {os}.path.commonpath([{resolved_base}, {target}]) != {resolved_base}:\n{unit}{fail}"
        ),
    ];
    let guard = insert_before_statement(checker.source(), statement.stmt, &lines)?;
    let mut edits = vec![guard, Edit::replace(path.range(), target)];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Resolve the path and refuse it when it leaves its base directory",
        edits,
    ))
}

/// The fixed directory `path` is meant to stay in, as Python source: the first argument of
/// `os.path.join(BASE, name)`, the left side of `BASE + name`, or the text before the last
/// `/` ahead of the first request value in `f"/srv/{name}"`. It must not come from the
/// request, and must be free of calls, since the guard computes it again.
fn base_of<'a>(checker: &Checker<'a>, path: &'a Expr) -> Option<String> {
    let semantic = checker.semantic();
    let fixed = |expr: &'a Expr| {
        is_plain(expr, 0)
            && semantic
                .request_taint_with(expr, sanitizers::path)
                .is_none()
    };
    match path {
        Expr::Call(call)
            if call.arguments.keywords.is_empty()
                && call.arguments.args.len() >= 2
                && !call.arguments.args.iter().any(Expr::is_starred_expr)
                && semantic
                    .resolve_qualified_name(&call.func)
                    .is_some_and(|name| {
                        matches!(
                            name.segments(),
                            ["os" | "posixpath" | "ntpath", "path", "join"]
                        )
                    }) =>
        {
            let base = &call.arguments.args[0];
            fixed(base).then(|| checker.text(base).to_string())
        }
        Expr::BinOp(binop) if binop.op == Operator::Add => (fixed(&binop.left)
            && semantic.constant_string(&binop.left).is_some())
        .then(|| checker.text(&*binop.left).to_string()),
        Expr::FString(fstring) => fstring_base(checker, fstring, &fixed),
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
fn is_plain(expr: &Expr, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match expr {
        Expr::Name(_) | Expr::StringLiteral(_) => true,
        Expr::Attribute(attribute) => is_plain(&attribute.value, depth + 1),
        Expr::BinOp(binop) if binop.op == Operator::Add => {
            is_plain(&binop.left, depth + 1) && is_plain(&binop.right, depth + 1)
        }
        Expr::FString(fstring) => fstring.value.iter().all(|part| match part {
            ast::FStringPart::Literal(_) => true,
            ast::FStringPart::FString(part) => part.elements.iter().all(|element| match element {
                ast::InterpolatedStringElement::Literal(_) => true,
                ast::InterpolatedStringElement::Interpolation(interpolation) => {
                    is_plain(&interpolation.expression, depth + 1)
                }
            }),
        }),
        _ => false,
    }
}
