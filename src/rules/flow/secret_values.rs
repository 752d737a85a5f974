//! Secrets inside an expression: a value named as one, one read by a secret key, or a
//! whole request part that carries credentials.

use crate::checker::Checker;
use crate::diagnostic::Confidence;
use crate::parse::ast::{self, Expr};

use super::name_words::{is_secret_key, is_secret_name};

/// Request parts that hold credentials when logged whole, and how sure we are of it.
const WHOLE_PARTS: &[(&str, Confidence)] = &[
    ("headers", Confidence::High),
    ("cookies", Confidence::High),
    ("COOKIES", Confidence::High),
    ("META", Confidence::High),
    ("form", Confidence::Medium),
    ("json", Confidence::Medium),
    ("data", Confidence::Medium),
    ("values", Confidence::Medium),
    ("POST", Confidence::Medium),
    ("body", Confidence::Medium),
    ("get_json", Confidence::Medium),
    ("get_data", Confidence::Medium),
];

/// Calls that pass their argument's text on: the secret is still in what they return.
const TRANSPARENT_METHODS: &[&str] = &[
    "decode", "encode", "strip", "lower", "upper", "items", "values", "to_dict", "copy", "format",
    "join",
];

/// The first secret inside `expr`: the expression, a description, and the confidence.
pub fn find_secret<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    depth: usize,
) -> Option<(&'a Expr, String, Confidence)> {
    if depth > 16 {
        return None;
    }
    let semantic = checker.semantic();
    let recurse = |inner: &'a Expr| find_secret(checker, inner, depth + 1);
    match expr {
        Expr::Name(name) if is_secret_name(name.id.as_str()) => {
            // A constant is not a run-time secret (and a literal secret is another rule's).
            let constant = semantic.constant_string(expr).is_some();
            let handle = is_service_session_handle(checker, name);
            (!constant && !handle).then(|| (expr, format!("`{}`", name.id), Confidence::Medium))
        }
        Expr::Attribute(attribute) => {
            let part = attribute.attr.id.as_str();
            if let Some((_, confidence)) = WHOLE_PARTS.iter().find(|(whole, _)| *whole == part) {
                if semantic.is_request_object(&attribute.value) {
                    let text = checker.text(expr);
                    return Some((expr, format!("`{text}` whole"), *confidence));
                }
            }
            is_secret_name(part).then(|| {
                (
                    expr,
                    format!("`{}`", checker.text(expr)),
                    Confidence::Medium,
                )
            })
        }
        Expr::Subscript(subscript) => {
            let key = semantic.constant_string(&subscript.slice)?;
            is_secret_key(&key).then(|| {
                (
                    expr,
                    format!("the `{key}` value"),
                    key_confidence(checker, &subscript.value),
                )
            })
        }
        Expr::Call(call) => {
            let function = semantic.resolve_qualified_name(&call.func);
            match function.as_ref().map(|function| function.segments()) {
                Some(
                    ["builtins", "str" | "repr" | "format" | "dict" | "list" | "tuple" | "bytes"]
                    | ["json", "dumps"],
                ) => return call.arguments.args.iter().find_map(recurse),
                // A function of the program's own, a hash, a length: a derived value.
                Some(_) if !call.func.is_attribute_expr() => return None,
                _ => {}
            }
            let Expr::Attribute(method) = &*call.func else {
                return None;
            };
            let method_name = method.attr.id.as_str();
            if matches!(method_name, "get_json" | "get_data") {
                return recurse(&call.func);
            }
            if method_name == "get" {
                let key = call
                    .arguments
                    .args
                    .first()
                    .and_then(|key| semantic.constant_string(key))?;
                return is_secret_key(&key).then(|| {
                    (
                        expr,
                        format!("the `{key}` value"),
                        key_confidence(checker, &method.value),
                    )
                });
            }
            if TRANSPARENT_METHODS.contains(&method_name) {
                return recurse(&method.value)
                    .or_else(|| call.arguments.args.iter().find_map(recurse));
            }
            None
        }
        Expr::FString(fstring) => fstring.value.iter().find_map(|part| match part {
            ast::FStringPart::FString(part) => {
                part.elements.iter().find_map(|element| match element {
                    ast::InterpolatedStringElement::Interpolation(interpolation) => {
                        recurse(&interpolation.expression)
                    }
                    ast::InterpolatedStringElement::Literal(_) => None,
                })
            }
            ast::FStringPart::Literal(_) => None,
        }),
        Expr::BinOp(binop) if matches!(binop.op, ast::Operator::Mod | ast::Operator::Add) => {
            recurse(&binop.left).or_else(|| recurse(&binop.right))
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            elts.iter().find_map(recurse)
        }
        Expr::Dict(dict) => dict.items.iter().find_map(|item| recurse(&item.value)),
        Expr::Starred(starred) => recurse(&starred.value),
        _ => None,
    }
}

/// A key read from the request's headers or cookies is surely a credential.
fn key_confidence<'a>(checker: &Checker<'a>, container: &'a Expr) -> Confidence {
    match container {
        Expr::Attribute(attribute)
            if matches!(
                attribute.attr.id.as_str(),
                "headers" | "cookies" | "COOKIES" | "META"
            ) && checker.semantic().is_request_object(&attribute.value) =>
        {
            Confidence::High
        }
        _ => Confidence::Medium,
    }
}

/// `session_id = client.session.create(name=..., ttl=...)`: the id a lock or coordination
/// service (Consul, etcd, ZooKeeper) hands out for a session it keeps, which the program
/// logs to trace its locks. A web session id is read from the request, never created here.
fn is_service_session_handle<'a>(checker: &Checker<'a>, name: &'a ast::ExprName) -> bool {
    let words = crate::rules::naming::words(name.id.as_str());
    let session_id = matches!(
        words.iter().map(String::as_str).collect::<Vec<_>>()[..],
        [.., "session", "id"] | [.., "sessionid"]
    );
    let Some(Expr::Call(call)) = checker.semantic().assigned_value(name) else {
        return false;
    };
    session_id
        && matches!(&*call.func, Expr::Attribute(method)
            if matches!(method.attr.id.as_str(), "create" | "acquire" | "renew" | "open_session"))
}
