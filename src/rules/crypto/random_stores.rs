//! Where a server keeps a value that later identifies or authenticates a client: the
//! session, a cookie, a password-reset or remember-me store. A value stored there is a
//! secret whatever it is called, when it is shaped like one.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange};

use super::names::{is_secret_name, keyword_name, target_name, words};
use super::random_flow::Draw;

/// A value written where the server trusts it back later.
pub struct Store<'a> {
    pub value: &'a Expr,
    /// What it becomes, for messages: "the session entry `code`".
    pub sink: String,
    pub range: TextRange,
    /// The key or cookie is named for a secret: any draw stored there counts.
    pub named_secret: bool,
}

/// `session[key] = value` (Flask, Quart, and a Django or Starlette request's session) and
/// `response.cookies[name] = value`.
pub fn stores_in_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) -> Vec<Store<'a>> {
    let Stmt::Assign(assign) = stmt else {
        return Vec::new();
    };
    let semantic = checker.semantic();
    let mut stores = Vec::new();
    for target in &assign.targets {
        let Expr::Subscript(subscript) = target else {
            continue;
        };
        if target_name(target).is_some_and(is_secret_name) {
            continue; // judged by its name, as every assignment is
        }
        let key = semantic.constant_string(&subscript.slice);
        let place = match &*subscript.value {
            value if semantic.is_session_object(value) => "session entry",
            Expr::Attribute(cookies) if cookies.attr.id.as_str() == "cookies" => "cookie",
            _ => continue,
        };
        stores.push(store(&assign.value, place, key.as_deref(), target.range()));
    }
    stores
}

/// `response.set_cookie(name, value)`, `session.update(name=value)`, and a password-reset
/// or remember-me store: `cache.set("reset:" + email, code)`,
/// `PasswordReset.objects.create(user=user, code=code)`.
pub fn stores_in_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Vec<Store<'a>> {
    let semantic = checker.semantic();
    let Expr::Attribute(method) = &*call.func else {
        return Vec::new();
    };
    let arguments = &call.arguments;
    match method.attr.id.as_str() {
        "set_cookie" => {
            let name = arguments
                .args
                .first()
                .or_else(|| keyword_value(call, "key"));
            let value = arguments
                .args
                .get(1)
                .or_else(|| keyword_value(call, "value"));
            let Some(value) = value else {
                return Vec::new();
            };
            let name = name.and_then(|name| semantic.constant_string(name));
            let range = arguments.args.first().map_or(call.range(), Ranged::range);
            vec![store(value, "cookie", name.as_deref(), range)]
        }
        "update" if semantic.is_session_object(&method.value) => arguments
            .keywords
            .iter()
            .filter(|keyword| !is_judged_by_name(keyword))
            .filter_map(|keyword| {
                let name = keyword.arg.as_ref()?.id.as_str();
                Some(store(
                    &keyword.value,
                    "session entry",
                    Some(name),
                    keyword.range(),
                ))
            })
            .collect(),
        "set" | "setex" | "set_many" | "hset" | "add" => {
            let Some(key) = arguments.args.first() else {
                return Vec::new();
            };
            if !names_reset_store(&key_text(checker, key)) {
                return Vec::new();
            }
            let sink = format!("the `{}` entry", checker.text(key));
            arguments
                .args
                .iter()
                .skip(1)
                .map(|value| Store {
                    value,
                    sink: sink.clone(),
                    range: key.range(),
                    named_secret: true,
                })
                .collect()
        }
        _ if names_reset_store(checker.text(&*call.func)) => arguments
            .keywords
            .iter()
            .filter(|keyword| !is_judged_by_name(keyword))
            .map(|keyword| Store {
                value: &keyword.value,
                sink: format!("a field of `{}`", checker.text(&*call.func)),
                range: keyword.range(),
                named_secret: true,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A keyword named for a secret, which every call's check already judges.
fn is_judged_by_name(keyword: &ast::Keyword) -> bool {
    keyword_name(keyword).is_some_and(is_secret_name)
}

fn keyword_value<'a>(call: &'a ast::ExprCall, name: &str) -> Option<&'a Expr> {
    crate::semantic::keyword(call, name).map(|keyword| &keyword.value)
}

fn store<'a>(value: &'a Expr, place: &str, key: Option<&str>, range: TextRange) -> Store<'a> {
    let sink = match key {
        Some(key) => format!("the {place} `{key}`"),
        None => format!("a {place}"),
    };
    Store {
        value,
        sink,
        range,
        named_secret: key.is_some_and(|key| {
            is_secret_name(key)
                || words(key)
                    .iter()
                    .any(|word| matches!(word.as_str(), "session" | "sid" | "auth"))
        }),
    }
}

/// The literal text of a cache key, run-time values left out: `"reset:"` for
/// `f"reset:{email}"`.
fn key_text<'a>(checker: &Checker<'a>, key: &'a Expr) -> String {
    let Some(parts) = checker.semantic().string_parts(key) else {
        return String::new();
    };
    parts
        .iter()
        .filter_map(|part| match part {
            crate::semantic::StringPart::Literal(text) => Some(text.as_str()),
            crate::semantic::StringPart::Dynamic(_) => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Does this key or class name a store of password-reset, remember-me, sign-in link or
/// verification codes?
fn names_reset_store(text: &str) -> bool {
    let words = words(text);
    words.iter().enumerate().any(|(at, word)| {
        let next = words.get(at + 1).map(String::as_str);
        match word.as_str() {
            // Nouns only: `self.verify(...)` is a check, not a store.
            "reset" | "recovery" | "remember" | "rememberme" | "verification" | "activation"
            | "otp" | "mfa" | "2fa" | "invitation" => true,
            "magic" => next == Some("link"),
            "login" | "signin" => matches!(next, Some("link" | "code" | "token")),
            _ => false,
        }
    })
}

/// Is this draw, stored as `value`, shaped like a secret? A string of random characters,
/// random bits or bytes, a converted or hashed draw, or a number of four digits or more
/// is; one item picked from a list, a float, or a small number stored as it is (an A/B
/// bucket, a colour, a dice roll) is not.
pub fn is_token_shaped<'a>(checker: &Checker<'a>, draw: &Draw<'a>, value: &'a Expr) -> bool {
    if !is_stored_as_is(checker, draw, value) {
        return true;
    }
    let arguments = &draw.call.arguments;
    match draw.function.rsplit('.').next().unwrap_or_default() {
        "getrandbits" | "randbytes" | "bytes" | "uuid1" => true,
        "randint" | "randrange" | "integers" => {
            let upper = arguments.args.last().and_then(integer_value);
            upper.is_some_and(|upper| upper >= 1000)
        }
        "choices" => crate::semantic::keyword(draw.call, "k")
            .and_then(|k| integer_value(&k.value))
            .is_some_and(|k| k >= 4),
        _ => false,
    }
}

/// The value is the draw itself, directly or through local names.
fn is_stored_as_is<'a>(checker: &Checker<'a>, draw: &Draw<'a>, value: &'a Expr) -> bool {
    let mut value = value;
    for _ in 0..8 {
        if value.range() == draw.call.range() {
            return true;
        }
        let Expr::Name(name) = value else {
            return false;
        };
        let Some(assigned) = checker.semantic().assigned_value(name) else {
            return false;
        };
        value = assigned;
    }
    false
}

/// A non-negative integer literal, also `10**6` and `10 ** 6 - 1`.
fn integer_value(expr: &Expr) -> Option<u128> {
    match expr {
        Expr::NumberLiteral(number) => number.value.as_int()?.as_u64().map(u128::from),
        Expr::BinOp(binop) => {
            let left = integer_value(&binop.left)?;
            let right = integer_value(&binop.right)?;
            match binop.op {
                ast::Operator::Pow => left.checked_pow(u32::try_from(right).ok()?),
                ast::Operator::Mult => left.checked_mul(right),
                ast::Operator::Add => left.checked_add(right),
                ast::Operator::Sub => left.checked_sub(right),
                _ => None,
            }
        }
        _ => None,
    }
}
