//! What a weak digest of unknown purpose guards, judged by what it hashes and where it
//! stands: a secret (report), nothing (stay quiet), or no telling (report at low confidence).
//!
//! SHA-1 and MD5 name things all over well-kept code (lock files, control paths), hash
//! random bytes into identifiers, and are required by protocols (the WebSocket handshake,
//! HTTP Digest authentication); none of that is forged by a collision.

use crate::checker::Checker;
use crate::parse::ast::{CmpOp, Expr, Stmt};
use crate::parse::Ranged;
use crate::semantic::ancestors::Node;

use super::destination::{destination, Destination};
use super::hash_use::{named_in, HashCall};
use super::names::{is_non_security_name, is_secret_name};

/// The key every WebSocket server hashes with SHA-1 to accept a handshake (RFC 6455).
const WEBSOCKET_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// What a weak digest guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// It becomes a token or a signature, is compared, or hashes a secret.
    Secret,
    /// A name, an identifier of random bytes, a protocol's fixed choice.
    Nothing,
    Unknown,
}

pub fn digest_role<'a>(checker: &Checker<'a>, hash: &HashCall<'a>) -> Role {
    // Whatever the digest becomes there (a response, a client nonce), the peer chose it.
    if protocol_requires(checker) {
        return Role::Nothing;
    }
    let ancestors = checker.ancestors();
    let secret_destination = matches!(
        destination(&ancestors, hash.call.range()),
        Destination::Named(name) if is_secret_name(name)
    );
    let secret_data = hash
        .data
        .is_some_and(|data| named_in(checker, data, 0, is_secret_name).is_some());
    if secret_destination || secret_data || is_compared(checker) {
        return Role::Secret;
    }
    let random_data = hash
        .data
        .is_some_and(|data| hashes_random_bytes(checker, data, 0));
    if random_data || names_something(checker) || is_hash_factory(checker, hash) {
        return Role::Nothing;
    }
    Role::Unknown
}

/// `def _lazy_sha1(string=b""): return hashlib.sha1(string)`: a function that hands out the
/// hash object for its caller's data (Flask's HMAC `digest_method`). It hashes nothing of
/// its own, so what the digest guards is decided where the factory is used, not here.
fn is_hash_factory<'a>(checker: &Checker<'a>, hash: &HashCall<'a>) -> bool {
    let ancestors = checker.ancestors();
    let returned = matches!(ancestors.parent(), Some(Node::Stmt(statement))
        if matches!(statement.stmt, Stmt::Return(ret)
            if ret.value.as_deref().is_some_and(|value| value.range() == hash.call.range())));
    let semantic = checker.semantic();
    returned
        && hash.data.is_none_or(
            |data| matches!(data, Expr::Name(name) if semantic.parameter_of(name).is_some()),
        )
}

/// The digest is one side of `==` / `!=` in the expression that makes it.
fn is_compared(checker: &Checker<'_>) -> bool {
    checker
        .ancestors()
        .iter()
        .take_while(|node| matches!(node, Node::Expr(_)))
        .any(|node| {
            matches!(node, Node::Expr(Expr::Compare(compare))
                if compare.ops.iter().any(|op| matches!(op, CmpOp::Eq | CmpOp::NotEq)))
        })
}

/// `os.urandom(16)`, `secrets.token_bytes()`, `uuid.uuid4()`, `random.random()`, through
/// `str()`, `.encode()` and f-strings.
fn hashes_random_bytes<'a>(checker: &Checker<'a>, data: &'a Expr, depth: usize) -> bool {
    if depth > 4 {
        return false;
    }
    let Expr::Call(call) = data else {
        return match data {
            Expr::FString(fstring) => fstring.value.elements().any(|element| {
                element.as_interpolation().is_some_and(|interpolation| {
                    hashes_random_bytes(checker, &interpolation.expression, depth + 1)
                })
            }),
            _ => false,
        };
    };
    let random = checker
        .semantic()
        .resolve_qualified_name(&call.func)
        .is_some_and(|name| {
            matches!(
                name.segments(),
                ["os", "urandom" | "getrandom"]
                    | ["secrets", ..]
                    | ["random", ..]
                    | ["uuid", "uuid1" | "uuid4"]
            )
        });
    random
        || match &*call.func {
            Expr::Attribute(method) => hashes_random_bytes(checker, &method.value, depth + 1),
            _ => call
                .arguments
                .args
                .iter()
                .any(|arg| hashes_random_bytes(checker, arg, depth + 1)),
        }
}

/// Inside a function whose name says it names something: `_create_control_path`,
/// `lock_file_for`, `compute_etag`.
fn names_something(checker: &Checker<'_>) -> bool {
    checker
        .ancestors()
        .enclosing_function()
        .is_some_and(|function| is_non_security_name(function.name.id.as_str()))
}

/// Inside the WebSocket handshake (its key appears in the function) or HTTP Digest
/// authentication (a class or function named for it), whose algorithms the peer chooses.
pub fn protocol_requires(checker: &Checker<'_>) -> bool {
    let ancestors = checker.ancestors();
    let websocket = ancestors
        .enclosing_function()
        .is_some_and(|function| checker.text(function).contains(WEBSOCKET_GUID));
    let digest_auth = ancestors.statements().any(|statement| {
        let name = match statement.stmt {
            Stmt::FunctionDef(function) => function.name.id.as_str(),
            Stmt::ClassDef(class) => class.name.id.as_str(),
            _ => return false,
        };
        // `HTTPDigestAuth`, `build_digest_header`: acronyms run into the next word.
        let name = name.to_ascii_lowercase();
        name.contains("digest")
            && ["auth", "header", "challenge"]
                .iter()
                .any(|word| name.contains(word))
    });
    websocket || digest_auth
}
