//! Where a value ends up: the name it is given once it leaves the expression that made it.
//!
//! `hashlib.md5(url).hexdigest()` assigned to `cache_key` is not a security use; the
//! checker's ancestor stack says what surrounds the call.

use crate::parse::ast::{self, Expr, Operator, Stmt};
use crate::parse::{Ranged, TextRange};
use crate::semantic::ancestors::{Ancestors, Node};

use super::names;

/// Where a value goes once it leaves the expression that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination<'a> {
    /// Assigned to, returned from, or passed as a name (`cache_key = ...`, `def etag(): return
    /// ...`, `f(token=...)`, `{"token": ...}`).
    Named(&'a str),
    /// Reduced modulo a number (`int(digest, 16) % shards`): bucketing, not security.
    Modulo,
    /// Anywhere else.
    Unknown,
}

/// Follows the value of the node being checked (at `target`) outwards through wrappers that
/// keep its meaning (a `.hexdigest()`, `str()`, `int(x, 16)`, slicing, f-strings, `+`) to
/// where it lands.
pub fn destination<'a>(ancestors: &Ancestors<'_, 'a>, target: TextRange) -> Destination<'a> {
    let mut current = target;
    for node in ancestors.iter() {
        let expr = match node {
            Node::Expr(expr) => expr,
            Node::Keyword(keyword) => {
                return names::keyword_name(keyword)
                    .map_or(Destination::Unknown, Destination::Named)
            }
            Node::Stmt(statement) => return statement_destination(statement.stmt, ancestors),
            Node::Clause(_) | Node::Suite(_) => return Destination::Unknown,
        };
        match expr {
            Expr::Attribute(attribute) if attribute.value.range() == current => {}
            Expr::Call(call) if call.func.range() == current => {}
            Expr::Call(call) if is_wrapper_call(call) => {}
            Expr::Subscript(subscript) if subscript.value.range() == current => {}
            Expr::FString(_) => {}
            Expr::BinOp(binop) if binop.op == Operator::Add => {}
            Expr::BinOp(binop) if binop.op == Operator::Mod => {
                return if binop.left.range() == current {
                    Destination::Modulo
                } else {
                    Destination::Unknown
                };
            }
            Expr::Dict(dict) => {
                return dict
                    .items
                    .iter()
                    .find(|item| item.value.range() == current)
                    .and_then(|item| match &item.key {
                        Some(Expr::StringLiteral(key)) => Some(key.value.to_str()),
                        _ => None,
                    })
                    .map_or(Destination::Unknown, Destination::Named);
            }
            _ => return Destination::Unknown,
        }
        current = expr.range();
    }
    Destination::Unknown
}

/// Calls that hand their argument on in another form: `str(x)`, `int(x, 16)`, `x.encode()`.
fn is_wrapper_call(call: &ast::ExprCall) -> bool {
    match &*call.func {
        Expr::Name(name) => matches!(name.id.as_str(), "str" | "int" | "bytes" | "hex"),
        Expr::Attribute(attribute) => matches!(
            attribute.attr.id.as_str(),
            "b64encode" | "urlsafe_b64encode" | "b32encode" | "hexlify" | "join" | "format"
        ),
        _ => false,
    }
}

fn statement_destination<'a>(stmt: &'a Stmt, ancestors: &Ancestors<'_, 'a>) -> Destination<'a> {
    let named = |name: Option<&'a str>| name.map_or(Destination::Unknown, Destination::Named);
    match stmt {
        Stmt::Assign(assign) => named(assign.targets.first().and_then(names::target_name)),
        Stmt::AnnAssign(assign) => named(names::target_name(&assign.target)),
        Stmt::AugAssign(assign) => named(names::target_name(&assign.target)),
        Stmt::Return(_) => named(
            ancestors
                .enclosing_function()
                .map(|function| function.name.id.as_str()),
        ),
        _ => Destination::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::{check_module, Checker};
    use crate::diagnostic::Finding;
    use crate::parse::parse_module;
    use crate::rules::{Check, Rule};

    static CHECKS: [Check; 1] = [Check::Call(report_destination)];

    /// Reports the destination of every `hashlib.md5(...)` call, in its message.
    fn report_destination<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
        if checker.text(&*call.func) == "hashlib.md5" {
            let found = destination(&checker.ancestors(), call.range());
            let meta = crate::rules::all_rules()[0].meta;
            checker.report(Finding::new(meta, call.range(), format!("{found:?}")));
        }
    }

    fn destination_of(source: &str) -> String {
        let probe: &'static Rule = Box::leak(Box::new(Rule {
            meta: crate::rules::all_rules()[0].meta,
            checks: &CHECKS,
            needs: &[],
        }));
        let parsed = parse_module(source);
        let findings = check_module(
            source,
            &parsed.body,
            &[],
            &[probe],
            &mut Vec::new(),
            None,
            false,
        );
        findings
            .into_iter()
            .map(|finding| finding.message)
            .collect()
    }

    #[test]
    fn destinations_through_wrappers() {
        assert_eq!(
            destination_of("cache_key = hashlib.md5(url).hexdigest()[:8]"),
            "Named(\"cache_key\")"
        );
        assert_eq!(
            destination_of("def etag(url):\n    return str(hashlib.md5(url).hexdigest())"),
            "Named(\"etag\")"
        );
        assert_eq!(
            destination_of("n = int(hashlib.md5(url).hexdigest(), 16) % 8"),
            "Modulo"
        );
        assert_eq!(
            destination_of("f(x, token=hashlib.md5(url).digest())"),
            "Named(\"token\")"
        );
        assert_eq!(destination_of("send(hashlib.md5(url))"), "Unknown");
        assert_eq!(
            destination_of("headers = {'ETag': hashlib.md5(url).hexdigest()}"),
            "Named(\"ETag\")"
        );
    }
}
