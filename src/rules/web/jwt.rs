//! JWT calls as PyJWT (`import jwt`) and python-jose (`from jose import jwt`) take them:
//! which call it is, and where its key, algorithms and verification options are.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange};
use crate::semantic::{argument, keyword};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Library {
    PyJwt,
    Jose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Decode,
    Encode,
}

/// A call to a JWT library's `decode` or `encode`.
pub struct JwtCall<'a> {
    pub call: &'a ast::ExprCall,
    pub library: Library,
    pub operation: Operation,
}

/// The JWT libraries: every JWT rule needs one of them imported.
pub const JWT_MODULES: &[&str] = &["jwt", "jose"];

impl<'a> JwtCall<'a> {
    pub fn of(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Self> {
        let semantic = checker.semantic();
        let function = semantic.resolve_value_origin(&call.func)?;
        let (library, operation) = match function.segments() {
            ["jwt", "decode" | "decode_complete"]
            | ["jwt", "api_jwt", "decode" | "decode_complete"]
            | ["jwt", "PyJWT" | "api_jwt", "()", "decode" | "decode_complete"] => {
                (Library::PyJwt, Operation::Decode)
            }
            ["jwt", "encode"] | ["jwt", "api_jwt", "encode"] | ["jwt", "PyJWT", "()", "encode"] => {
                (Library::PyJwt, Operation::Encode)
            }
            ["jose", "jwt", "decode"] => (Library::Jose, Operation::Decode),
            ["jose", "jwt", "encode"] => (Library::Jose, Operation::Encode),
            _ => return None,
        };
        Some(JwtCall {
            call,
            library,
            operation,
        })
    }

    /// The signing or verification key.
    pub fn key(&self) -> Option<&'a Expr> {
        argument(self.call, 1, "key")
    }

    /// `algorithms=` of a decode, `None` when absent or `None` (PyJWT 1's third positional
    /// was `verify`, a boolean).
    pub fn algorithms(&self) -> Option<&'a Expr> {
        keyword(self.call, "algorithms")
            .map(|keyword| &keyword.value)
            .or_else(|| {
                self.call
                    .arguments
                    .args
                    .get(2)
                    .filter(|arg| !matches!(arg, Expr::BooleanLiteral(_) | Expr::Starred(_)))
            })
            .filter(|algorithms| !algorithms.is_none_literal_expr())
    }

    /// `algorithm=` of an encode.
    pub fn algorithm(&self) -> Option<&'a Expr> {
        argument(self.call, 2, "algorithm")
    }

    /// One entry of `options={...}` when the options are written out: the entry's range
    /// (`"verify_exp": False`) and its value.
    pub fn option(&self, checker: &Checker<'a>, name: &str) -> Option<(TextRange, &'a Expr)> {
        let options = argument(self.call, 3, "options")?;
        let options = match options {
            Expr::Name(name) => checker.semantic().assigned_value(name)?,
            other => other,
        };
        match options {
            Expr::Dict(dict) => dict.items.iter().find_map(|item| {
                let key = item.key.as_ref()?;
                (checker.semantic().constant_string(key).as_deref() == Some(name))
                    .then(|| (TextRange::new(key.start(), item.value.end()), &item.value))
            }),
            Expr::Call(call) if is_dict_builtin(checker, call) => {
                keyword(call, name).map(|keyword| (keyword.range(), &keyword.value))
            }
            _ => None,
        }
    }

    /// `options={"verify_signature": False}` or PyJWT 1's `verify=False`.
    pub fn skips_signature(&self, checker: &Checker<'a>) -> Option<&'a Expr> {
        if let Some((_, value)) = self.option(checker, "verify_signature") {
            if is_false(value) {
                return Some(value);
            }
        }
        let verify = keyword(self.call, "verify")
            .map(|keyword| &keyword.value)
            .or_else(|| self.call.arguments.args.get(2));
        verify.filter(|value| is_false(value))
    }
}

/// The algorithm names of a literal list (`["HS256", "RS256"]`), or `None` when the list
/// is not written out.
pub fn algorithm_names<'a>(checker: &Checker<'a>, algorithms: &'a Expr) -> Option<Vec<String>> {
    let algorithms = match algorithms {
        Expr::Name(name) => checker.semantic().assigned_value(name)?,
        other => other,
    };
    match algorithms {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => elts
            .iter()
            .map(|algorithm| checker.semantic().constant_string(algorithm))
            .collect(),
        single => checker
            .semantic()
            .constant_string(single)
            .map(|one| vec![one]),
    }
}

/// HMAC algorithms share one secret between signer and verifier.
pub fn is_hmac(algorithm: &str) -> bool {
    algorithm.to_ascii_uppercase().starts_with("HS")
}

pub fn is_false(expr: &Expr) -> bool {
    matches!(expr, Expr::BooleanLiteral(literal) if !literal.value)
}

fn is_dict_builtin(checker: &Checker, call: &ast::ExprCall) -> bool {
    matches!(&*call.func, Expr::Name(name)
        if name.id.as_str() == "dict" && checker.semantic().binding_of(name).is_none())
}
