//! The exact `secrets` equivalent of a `random` call, when there is one (the fix of
//! `insecure-random`, kept apart so the rule file stays short).

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::parse::ast::Expr;
use crate::parse::Ranged;

use super::names::keyword_name;
use super::random_flow::Draw;
use super::values::constant_int;

/// The exact `secrets` (or `uuid4`) equivalent of a draw, when there is one.
pub fn secrets_fix<'a>(checker: &Checker<'a>, found: &Draw<'a>) -> Option<Fix> {
    let call = found.call;
    let arguments = &call.arguments;
    if found.function == "uuid.uuid1" {
        if !arguments.is_empty() {
            return None;
        }
        let (uuid, import) = checker.import_module("uuid", call.start());
        let mut edits = vec![Edit::replace(call.range(), format!("{uuid}.uuid4()"))];
        edits.extend(import);
        return Some(Fix::unsafe_edits("Use `uuid.uuid4()`", edits));
    }
    let function = found.module_function?;
    let (secrets, import) = checker.import_module("secrets", call.start());
    let text = |expr: &Expr| checker.text(expr);
    let semantic = checker.semantic();
    let keywords = &arguments.keywords;
    let below = |start: i64, count: i64| {
        let draw = format!("{secrets}.randbelow({count})");
        match (start, found.standalone) {
            _ if count <= 0 => None,
            (0, _) => Some(draw),
            (start, true) => Some(format!("{start} + {draw}")),
            (start, false) => Some(format!("({start} + {draw})")),
        }
    };
    let (replacement, title) = match (function, &arguments.args[..]) {
        ("choice", [sequence]) if keywords.is_empty() => (
            format!("{secrets}.choice({})", text(sequence)),
            "secrets.choice",
        ),
        ("getrandbits", [bits]) if keywords.is_empty() => (
            format!("{secrets}.randbits({})", text(bits)),
            "secrets.randbits",
        ),
        ("randbytes", [size]) if keywords.is_empty() => (
            format!("{secrets}.token_bytes({})", text(size)),
            "secrets.token_bytes",
        ),
        ("randrange", [stop]) if keywords.is_empty() => (
            format!("{secrets}.randbelow({})", text(stop)),
            "secrets.randbelow",
        ),
        ("randrange", [start, stop]) if keywords.is_empty() => {
            let start = constant_int(semantic, start)?;
            let stop = constant_int(semantic, stop)?;
            (below(start, stop.checked_sub(start)?)?, "secrets.randbelow")
        }
        ("randint", [low, high]) if keywords.is_empty() => {
            let low = constant_int(semantic, low)?;
            let high = constant_int(semantic, high)?;
            (
                below(low, high.checked_sub(low)?.checked_add(1)?)?,
                "secrets.randbelow",
            )
        }
        ("choices", [population]) if is_simple(population) => {
            let count = match &keywords[..] {
                [] => "1",
                [keyword] if keyword_name(keyword) == Some("k") => text(&keyword.value),
                _ => return None,
            };
            (
                format!(
                    "[{secrets}.choice({}) for _ in range({count})]",
                    text(population)
                ),
                "secrets.choice",
            )
        }
        _ => return None,
    };
    let mut edits = vec![Edit::replace(call.range(), replacement)];
    edits.extend(import);
    Some(Fix::unsafe_edits(format!("Use `{title}`"), edits))
}

/// A population that is safe to evaluate once per pick.
fn is_simple(expr: &Expr) -> bool {
    match expr {
        Expr::Name(name) => name.id.as_str() != "_",
        Expr::Attribute(attribute) => is_simple(&attribute.value),
        Expr::StringLiteral(_) => true,
        _ => false,
    }
}
