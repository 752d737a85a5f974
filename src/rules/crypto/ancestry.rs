//! Where a value ends up: the nodes around an expression, and the name its value is given.
//!
//! The walk gives a rule one node at a time. A few rules need the context of a call too
//! (`hashlib.md5(url).hexdigest()` assigned to `cache_key` is not a security use), so they
//! look it up from the module root; only the nodes on the path are visited, so the cost is
//! the depth of the expression times the siblings on the way.

use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Operator, Stmt};
use crate::parse::{Ranged, TextRange};

use super::names;

/// A node on the path from the module to an expression.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
    Keyword(&'a ast::Keyword),
}

impl Ranged for Node<'_> {
    fn range(&self) -> TextRange {
        match self {
            Node::Stmt(stmt) => stmt.range(),
            Node::Expr(expr) => expr.range(),
            Node::Keyword(keyword) => keyword.range(),
        }
    }
}

/// The nodes that contain the expression at `target`, outermost first, without the
/// expression itself.
pub fn ancestors(body: &[Stmt], target: TextRange) -> Vec<Node<'_>> {
    let mut finder = PathFinder {
        target,
        path: Vec::new(),
        found: false,
    };
    finder.visit_body(body);
    finder.path
}

struct PathFinder<'a> {
    target: TextRange,
    path: Vec<Node<'a>>,
    found: bool,
}

impl<'a> Visitor<'a> for PathFinder<'a> {
    fn visit_body(&mut self, body: &'a [Stmt]) {
        // Only the statement that holds the target can lead to it.
        if let Some(index) = crate::semantic::statement_containing(body, self.target) {
            self.visit_stmt(&body[index]);
        }
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found || !stmt.range().contains_range(self.target) {
            return;
        }
        self.path.push(Node::Stmt(stmt));
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found || !expr.range().contains_range(self.target) {
            return;
        }
        if expr.range() == self.target {
            self.found = true;
            return;
        }
        self.path.push(Node::Expr(expr));
        visitor::walk_expr(self, expr);
    }

    fn visit_keyword(&mut self, keyword: &'a ast::Keyword) {
        if self.found || !keyword.range().contains_range(self.target) {
            return;
        }
        self.path.push(Node::Keyword(keyword));
        visitor::walk_keyword(self, keyword);
    }
}

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

/// Follows the value at `target` outwards through wrappers that keep its meaning (a
/// `.hexdigest()`, `str()`, `int(x, 16)`, slicing, f-strings, `+`) to where it lands.
pub fn destination<'a>(ancestors: &[Node<'a>], target: TextRange) -> Destination<'a> {
    let mut current = target;
    for (index, node) in ancestors.iter().enumerate().rev() {
        match node {
            Node::Expr(Expr::Attribute(attribute)) if attribute.value.range() == current => {}
            Node::Expr(Expr::Call(call)) if call.func.range() == current => {}
            Node::Expr(Expr::Call(call)) if is_wrapper_call(call) => {}
            Node::Expr(Expr::Subscript(subscript)) if subscript.value.range() == current => {}
            Node::Expr(Expr::FString(_)) => {}
            Node::Expr(Expr::BinOp(binop)) if binop.op == Operator::Add => {}
            Node::Expr(Expr::BinOp(binop)) if binop.op == Operator::Mod => {
                return if binop.left.range() == current {
                    Destination::Modulo
                } else {
                    Destination::Unknown
                };
            }
            Node::Expr(Expr::Dict(dict)) => {
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
            Node::Keyword(keyword) => {
                return names::keyword_name(keyword)
                    .map_or(Destination::Unknown, Destination::Named)
            }
            Node::Stmt(stmt) => return statement_destination(stmt, &ancestors[..index]),
            Node::Expr(_) => return Destination::Unknown,
        }
        current = node.range();
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

fn statement_destination<'a>(stmt: &'a Stmt, outer: &[Node<'a>]) -> Destination<'a> {
    let named = |name: Option<&'a str>| name.map_or(Destination::Unknown, Destination::Named);
    match stmt {
        Stmt::Assign(assign) => named(assign.targets.first().and_then(names::target_name)),
        Stmt::AnnAssign(assign) => named(names::target_name(&assign.target)),
        Stmt::AugAssign(assign) => named(names::target_name(&assign.target)),
        Stmt::Return(_) => named(enclosing_function(outer).map(|f| f.name.id.as_str())),
        _ => Destination::Unknown,
    }
}

/// The innermost function around a path.
pub fn enclosing_function<'a>(path: &[Node<'a>]) -> Option<&'a ast::StmtFunctionDef> {
    path.iter().rev().find_map(|node| match node {
        Node::Stmt(Stmt::FunctionDef(function)) => Some(function),
        _ => None,
    })
}

/// The call whose argument (positional or keyword) is the expression at the end of the path.
pub fn enclosing_call<'a>(path: &[Node<'a>], target: TextRange) -> Option<&'a ast::ExprCall> {
    let mut nodes = path.iter().rev();
    let mut parent = nodes.next()?;
    if let Node::Keyword(_) = parent {
        parent = nodes.next()?;
    }
    match parent {
        Node::Expr(Expr::Call(call)) if call.func.range() != target => Some(call),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_module;

    fn destination_of(source: &str, needle: &str) -> String {
        let parsed = parse_module(source);
        let start = source.find(needle).unwrap();
        let range = TextRange::at(
            u32::try_from(start).unwrap().into(),
            u32::try_from(needle.len()).unwrap().into(),
        );
        format!("{:?}", destination(&ancestors(&parsed.body, range), range))
    }

    #[test]
    fn destinations_through_wrappers() {
        let call = "hashlib.md5(url)";
        assert_eq!(
            destination_of("cache_key = hashlib.md5(url).hexdigest()[:8]", call),
            "Named(\"cache_key\")"
        );
        assert_eq!(
            destination_of(
                "def etag(url):\n    return str(hashlib.md5(url).hexdigest())",
                call
            ),
            "Named(\"etag\")"
        );
        assert_eq!(
            destination_of("n = int(hashlib.md5(url).hexdigest(), 16) % 8", call),
            "Modulo"
        );
        assert_eq!(
            destination_of("f(x, token=hashlib.md5(url).digest())", call),
            "Named(\"token\")"
        );
        assert_eq!(destination_of("send(hashlib.md5(url))", call), "Unknown");
        assert_eq!(
            destination_of("headers = {'ETag': hashlib.md5(url).hexdigest()}", call),
            "Named(\"ETag\")"
        );
    }
}
