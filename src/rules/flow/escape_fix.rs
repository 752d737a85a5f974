//! The fix for HTML built from request values: escape each value where it is inserted.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::semantic::MAX_NESTING;

use super::views::Framework;

/// Wraps each request value written in the response expression in an escaping call.
pub fn escape_fix<'a>(
    checker: &Checker<'a>,
    body: &'a Expr,
    tainted: &[(&'a Expr, Vec<TraceStep>)],
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
    if converted || formats_fields_of_arguments(checker, body) {
        return None;
    }
    let module = match framework {
        Framework::Django => "django.utils.html",
        Framework::Flask => "markupsafe",
        Framework::FastApi => "html",
    };
    let (module, import) = checker.import_module(module, body.start());
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

/// True when `body` holds a `"...".format(...)` whose fields read into their argument
/// (`{0[name]}`, `{user.name}`): an escaped argument is a string, which has neither.
fn formats_fields_of_arguments<'a>(checker: &Checker<'a>, body: &'a Expr) -> bool {
    use crate::parse::ast::visitor::{self, Visitor};
    struct Formats<'c, 'a> {
        checker: &'c Checker<'a>,
        found: bool,
        depth: usize,
    }
    impl<'a> Visitor<'a> for Formats<'_, 'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found || self.depth >= MAX_NESTING {
                return;
            }
            if let Expr::Call(call) = expr {
                if let Expr::Attribute(method) = &*call.func {
                    if method.attr.id.as_str() == "format" {
                        self.found = self
                            .checker
                            .semantic()
                            .constant_string(&method.value)
                            .is_some_and(|format| has_field_access(&format));
                    }
                }
            }
            self.depth += 1;
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut formats = Formats {
        checker,
        found: false,
        depth: 0,
    };
    formats.visit_expr(body);
    formats.found
}

/// True when a replacement field of a `str.format` string indexes or reads an attribute of
/// its argument: `{0[key]}`, `{name.attr}`.
fn has_field_access(format: &str) -> bool {
    format.replace("{{", "").split('{').skip(1).any(|field| {
        let name = field.split(['}', '!', ':']).next().unwrap_or("");
        name.contains(['[', '.'])
    })
}
