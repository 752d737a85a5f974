//! JWT calls as PyJWT (`import jwt`) and python-jose (`from jose import jwt`) take them:
//! which call it is, and where its key, algorithms and verification options are.

use super::arguments::delete_keyword;
use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::fix::statement::own_lines;
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange, TextSize};
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

/// What taking one option out of a decode's `options=` takes.
pub enum OptionRemoval<'a> {
    /// The whole `options=` argument: every option in it goes.
    Argument(&'a ast::Keyword),
    /// Just the option, with this edit.
    Entry(Edit),
}

impl OptionRemoval<'_> {
    pub fn into_edit(self, checker: &Checker, call: &ast::ExprCall) -> Edit {
        match self {
            OptionRemoval::Argument(options) => delete_keyword(checker, call, options),
            OptionRemoval::Entry(edit) => edit,
        }
    }
}

/// How to take the option `name` out of a decode's `options=` written at the call
/// (`{"verify_exp": False, "require": ["exp"]}` → `{"require": ["exp"]}`): the whole
/// `options=` argument when every option in it is one `removable` accepts. `None` when the
/// options are not written at the call as a dict.
pub fn without_option<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    name: &str,
    removable: impl Fn(&str, &'a Expr) -> bool,
) -> Option<OptionRemoval<'a>> {
    let options = keyword(call, "options")?;
    let semantic = checker.semantic();
    match &options.value {
        Expr::Dict(dict) => {
            let entries: Vec<(Option<String>, &Expr)> = dict
                .items
                .iter()
                .map(|item| {
                    let key = item
                        .key
                        .as_ref()
                        .and_then(|key| semantic.constant_string(key));
                    (key, &item.value)
                })
                .collect();
            let index = entries
                .iter()
                .position(|(key, _)| key.as_deref() == Some(name))?;
            let all_removable = entries
                .iter()
                .all(|(key, value)| key.as_deref().is_some_and(|key| removable(key, value)));
            if all_removable {
                return Some(OptionRemoval::Argument(options));
            }
            delete_dict_item(checker, dict, index).map(OptionRemoval::Entry)
        }
        Expr::Call(dict) if is_dict_builtin(checker, dict) => {
            let keywords = &dict.arguments.keywords;
            let entry = keyword(dict, name)?;
            let all_removable = dict.arguments.args.is_empty()
                && keywords.iter().all(|keyword| {
                    keyword
                        .arg
                        .as_ref()
                        .is_some_and(|key| removable(key.as_str(), &keyword.value))
                });
            if all_removable {
                return Some(OptionRemoval::Argument(options));
            }
            Some(OptionRemoval::Entry(delete_keyword(checker, dict, entry)))
        }
        _ => None,
    }
}

/// Deletes one `key: value` entry of a dict with the comma that separates it from a
/// neighbour; an entry alone on its line goes with the line. `None` for a `**mapping`
/// entry, whose neighbours we do not rewrite.
fn delete_dict_item(checker: &Checker, dict: &ast::ExprDict, index: usize) -> Option<Edit> {
    let source = checker.source();
    let item = dict.items.get(index)?;
    let start = item.key.as_ref()?.start();
    let end = item.value.end();
    let after = &source[end.to_usize()..];
    let comma = after.trim_start_matches([' ', '\t']).starts_with(',');
    let with_comma = if comma {
        end + TextSize::try_from(after.find(',')? + 1).ok()?
    } else {
        end
    };
    if let Some(lines) = own_lines(source, TextRange::new(start, with_comma)) {
        return Some(Edit::delete(lines));
    }
    let range = match (index.checked_sub(1), dict.items.get(index + 1)) {
        (Some(previous), _) => TextRange::new(dict.items[previous].value.end(), end),
        (None, Some(next)) => TextRange::new(start, next.key.as_ref()?.start()),
        (None, None) => TextRange::new(start, end),
    };
    Some(Edit::delete(range))
}

/// The one algorithm a decode should accept, when the code shows it: the `algorithm=` every
/// `jwt.encode` of the module signs with, else what the key is. A key written as a string is
/// a shared secret (`HS256`), unless it is a PEM key (`RS256` for RSA, `ES256` for EC); a key
/// loaded from a `.pem` file or with `load_pem_public_key` is taken for RSA (`RS256`).
/// `None` when nothing shows it (a key from the environment can be either).
pub fn implied_algorithm<'a>(checker: &Checker<'a>, decode: &JwtCall<'a>) -> Option<String> {
    let mut encodes = EncodeAlgorithms {
        checker,
        found: Vec::new(),
    };
    encodes.visit_body(checker.semantic().body());
    if let Some(first) = encodes.found.first() {
        let agreed = encodes.found.iter().all(|found| found == first);
        return agreed.then(|| first.clone()).flatten();
    }
    let key = match decode.key()? {
        Expr::Name(name) => checker.semantic().assigned_value(name)?,
        key => key,
    };
    if let Some(text) = checker.semantic().constant_string(key) {
        return match text.strip_prefix("-----BEGIN ") {
            Some(pem) if pem.starts_with("RSA ") => Some("RS256".to_string()),
            Some(pem) if pem.starts_with("EC ") => Some("ES256".to_string()),
            Some(_) => None,
            None if text.is_empty() => None,
            None => Some("HS256".to_string()),
        };
    }
    let mut pem = PemKey {
        checker,
        found: false,
    };
    pem.visit_expr(key);
    pem.found.then(|| "RS256".to_string())
}

/// Whether a key expression reads a PEM key: names a `.pem` file or calls
/// `load_pem_public_key` / `load_pem_private_key`.
struct PemKey<'c, 'a> {
    checker: &'c Checker<'a>,
    found: bool,
}

impl<'a> Visitor<'a> for PemKey<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let semantic = self.checker.semantic();
        match expr {
            Expr::StringLiteral(literal) if literal.value.to_str().ends_with(".pem") => {
                self.found = true;
            }
            Expr::Call(call) => {
                let loads_pem = semantic
                    .resolve_qualified_name(&call.func)
                    .is_some_and(|name| {
                        matches!(
                            name.segments().last(),
                            Some(&("load_pem_public_key" | "load_pem_private_key"))
                        )
                    });
                self.found |= loads_pem;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// The `algorithm=` of every `jwt.encode` in the module that signs (`None` for one not
/// written as a constant).
struct EncodeAlgorithms<'c, 'a> {
    checker: &'c Checker<'a>,
    found: Vec<Option<String>>,
}

impl<'a> Visitor<'a> for EncodeAlgorithms<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            if let Some(encode) =
                JwtCall::of(self.checker, call).filter(|jwt| jwt.operation == Operation::Encode)
            {
                // Both libraries sign with HS256 when no algorithm is given. An unsigned
                // token (`"none"`) says nothing about the key and is left out.
                let algorithm = match encode.algorithm() {
                    None => Some("HS256".to_string()),
                    Some(Expr::NoneLiteral(_)) => return,
                    Some(algorithm) => self.checker.semantic().constant_string(algorithm),
                };
                if algorithm
                    .as_deref()
                    .is_some_and(|name| name.eq_ignore_ascii_case("none"))
                {
                    return;
                }
                self.found.push(algorithm);
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// An edit that gives a decode `algorithms=[algorithm]`: replacing the algorithms it has, or
/// adding the argument. `None` when the call passes `**options`, which may hold them, or a
/// third positional argument that is not the algorithms.
pub fn pin_algorithms(
    checker: &Checker,
    decode: &JwtCall,
    current: Option<&Expr>,
    algorithm: &str,
) -> Option<Edit> {
    let pinned = format!("[\"{algorithm}\"]");
    if let Some(current) = current.or_else(|| keyword(decode.call, "algorithms").map(|k| &k.value))
    {
        return Some(Edit::replace(current.range(), pinned));
    }
    // A third positional argument is `algorithms` in PyJWT 2 and python-jose (`None` here),
    // `verify` in PyJWT 1: a keyword added beside it could name the same parameter twice.
    let arguments = &decode.call.arguments;
    if arguments.args.len() > 2
        || arguments
            .keywords
            .iter()
            .any(|keyword| keyword.arg.is_none())
    {
        return None;
    }
    crate::fix::add_keyword_argument(
        checker.source(),
        decode.call,
        &format!("algorithms={pinned}"),
    )
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
