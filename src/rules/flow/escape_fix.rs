//! The fix for HTML built from request values: escape each value where it is inserted.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;

use super::imports::import_for_fix;
use super::views::Framework;

/// Wraps each request value written in the response expression in an escaping call.
pub fn escape_fix(
    checker: &Checker,
    body: &Expr,
    tainted: &[(&Expr, Vec<TraceStep>)],
    framework: Framework,
) -> Option<Fix> {
    let inside = |value: &Expr| body.range().contains_range(value.range());
    if !tainted.iter().all(|(value, _)| inside(value)) {
        return None;
    }
    // `{name!r}` and `{name=}`: escaping would change what the conversion shows.
    let converted = tainted.iter().any(|(value, _)| {
        let after = &checker.source()[value.end().to_usize()..];
        after.trim_start().starts_with(['!', '='])
    });
    if converted {
        return None;
    }
    let module = match framework {
        Framework::Django => "django.utils.html",
        Framework::Flask => "markupsafe",
        Framework::FastApi => "html",
    };
    let (module, import) = import_for_fix(checker, module, body.start())?;
    let mut edits: Vec<Edit> = tainted
        .iter()
        .map(|(value, _)| {
            let escaped = format!("{module}.escape({})", checker.text(*value));
            // `"<p>" + Markup(...)` would escape the `"<p>"`: concatenate a plain string.
            let escaped = if is_concatenated(body, value) {
                format!("str({escaped})")
            } else {
                escaped
            };
            Edit::replace(value.range(), escaped)
        })
        .collect();
    edits.extend(import);
    Some(Fix::unsafe_edits("Escape the request values", edits))
}

/// True when `value` is an operand of a `+` inside `body`.
fn is_concatenated(body: &Expr, value: &Expr) -> bool {
    let mut pending = vec![body];
    while let Some(expr) = pending.pop() {
        let Expr::BinOp(binop) = expr else {
            continue;
        };
        if binop.op != ast::Operator::Add {
            continue;
        }
        for side in [&*binop.left, &*binop.right] {
            if std::ptr::eq(side, value) {
                return true;
            }
            pending.push(side);
        }
    }
    false
}
