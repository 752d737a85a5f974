use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, CmpOp, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};

use super::names::{is_compared_secret_name, is_verification_name, name_of};

declare_rule! {
    /// ## What it does
    /// Flags `==` and `!=` between a secret and another value: an HMAC digest
    /// (`hmac.new(...).hexdigest()`, `hmac.digest(...)`, directly or through a variable), or
    /// a value named like a token, signature, API key or one-time code
    /// (`if token == expected:`, `request.headers["X-Signature"] != signature`).
    ///
    /// Comparisons with `None`, numbers, booleans and the empty string are presence checks,
    /// not secret comparisons, and stay clean.
    ///
    /// ## Why is this bad?
    /// `==` on strings and bytes stops at the first differing byte, so it answers a little
    /// faster the less of the guess is right. Measured over many requests, that difference
    /// lets an attacker recover a valid signature or token one byte at a time.
    ///
    /// ## Example
    /// ```python
    /// import hashlib
    /// import hmac
    /// expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    /// valid = signature == expected
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib
    /// import hmac
    /// expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    /// valid = hmac.compare_digest(signature, expected)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: for two `str` or two `bytes` values the answer is the same, but
    /// `hmac.compare_digest` raises `TypeError` where `==` quietly answered `False`: for
    /// `None` (a missing header), for `str` against `bytes`, and for non-ASCII `str`.
    ///
    /// ## References
    /// CWE-208 · OWASP A02
    pub NON_CONSTANT_TIME_COMPARE = RuleMeta {
        id: "PV408",
        name: "non-constant-time-compare",
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        cwe: &[208],
        owasp: Owasp::A02,
        guideline: "authentication",
        sources: &[],
        fix: FixAvailability::Always,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &NON_CONSTANT_TIME_COMPARE,
    checks: &[Check::Compare(check_compare)],
    needs: &[],
};

/// What makes one side of a comparison secret.
enum Secret<'a> {
    /// An HMAC digest computed here.
    Mac,
    /// A value named like a secret.
    Named(&'a str),
}

fn check_compare<'a>(checker: &Checker<'a>, compare: &'a ast::ExprCompare) {
    let ([op], [right]) = (&*compare.ops, &*compare.comparators) else {
        return;
    };
    if !matches!(op, CmpOp::Eq | CmpOp::NotEq) {
        return;
    }
    let left = &*compare.left;
    if is_presence_check(left) || is_presence_check(right) {
        return;
    }
    let secret = if mac_in(checker, left, 0) || mac_in(checker, right, 0) {
        Some(Secret::Mac)
    } else {
        named_secret(checker, left, right)
    };
    let (message, confidence) = match secret {
        Some(Secret::Mac) => (
            "An HMAC digest is compared with `==`, which answers faster the fewer leading bytes match; use `hmac.compare_digest`".to_string(),
            Confidence::High,
        ),
        Some(Secret::Named(name)) => (
            format!("`{name}` is compared with `==`, which answers faster the fewer leading bytes match; use `hmac.compare_digest`"),
            Confidence::Medium,
        ),
        None => return,
    };
    let (hmac, import) = checker.import_module("hmac", compare.start());
    let negation = if *op == CmpOp::NotEq { "not " } else { "" };
    let replacement = format!(
        "{negation}{hmac}.compare_digest({}, {})",
        checker.text(left),
        checker.text(right)
    );
    let mut edits = vec![Edit::replace(compare.range(), replacement)];
    edits.extend(import);
    let fix = Fix::unsafe_edits("Compare with `hmac.compare_digest`", edits);
    checker.report(
        Finding::new(&NON_CONSTANT_TIME_COMPARE, compare.range(), message)
            .with_confidence(confidence)
            .with_fix(fix),
    );
}

/// A side named like a secret, compared with a value that looks like the other half of a
/// check: another secret (`user.reset_token != submitted_token`), a value named for
/// verification (`expected`, `provided`, `computed`), or one read from the request.
/// Names alone are weak evidence (lexers have tokens, `inspect` has signatures), so
/// literals, imported or constant names (`token == Literal`, `token != END`), containers
/// and the same field of another object (`self.token == other.token`) never count.
fn named_secret<'a>(checker: &Checker<'a>, left: &'a Expr, right: &'a Expr) -> Option<Secret<'a>> {
    let (left_name, right_name) = (name_of(left), name_of(right));
    if left_name.is_some() && left_name == right_name {
        return None;
    }
    let secret = |name: Option<&'a str>| name.filter(|name| is_compared_secret_name(name));
    let is_check_partner = |name: Option<&'a str>, expr: &'a Expr| {
        !is_constant(checker, expr)
            && (secret(name).is_some()
                || name.is_some_and(is_verification_name)
                || checker.semantic().taint_source_of(expr).is_some())
    };
    match (secret(left_name), secret(right_name)) {
        (Some(name), _) if is_check_partner(right_name, right) => Some(Secret::Named(name)),
        (_, Some(name)) if is_check_partner(left_name, left) => Some(Secret::Named(name)),
        _ => None,
    }
}

/// Imported names (`Literal`, `signal.SIGINT`), constants, class attributes and containers:
/// none of them is a guess sent by someone else.
fn is_constant<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    let constant_name = |name: &str| name.starts_with(char::is_uppercase) && !name.contains('-');
    expr.is_literal_expr()
        || matches!(
            expr,
            Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) | Expr::ListComp(_)
        )
        || matches!(expr, Expr::Name(_) | Expr::Attribute(_))
            && name_of(expr).is_some_and(constant_name)
        || checker.semantic().resolve_qualified_name(expr).is_some()
}

/// `None`, a number, a boolean, `""`, `len(...)`: a check for presence or shape.
fn is_presence_check(expr: &Expr) -> bool {
    match expr {
        Expr::NoneLiteral(_) | Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) => true,
        Expr::StringLiteral(literal) => literal.value.to_str().is_empty(),
        Expr::BytesLiteral(literal) => literal.value.iter().all(|part| part.value.is_empty()),
        Expr::Call(call) => matches!(&*call.func, Expr::Name(name) if name.id.as_str() == "len"),
        _ => false,
    }
}

/// Is this value an HMAC digest (through `.lower()`, `base64`, `"sha256=" + ...`, variables)?
fn mac_in<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    let next = depth + 1;
    let semantic = checker.semantic();
    match expr {
        Expr::Call(call) => {
            let origin = semantic.resolve_value_origin(&call.func);
            let is_mac = origin.is_some_and(|origin| {
                matches!(
                    origin.segments(),
                    ["hmac", "digest"]
                        | ["hmac", "new" | "HMAC", "()", "digest" | "hexdigest"]
                        | [
                            "cryptography",
                            "hazmat",
                            "primitives",
                            "hmac",
                            "HMAC",
                            "()",
                            "finalize"
                        ]
                )
            });
            is_mac
                || matches!(&*call.func, Expr::Attribute(method) if mac_in(checker, &method.value, next))
                || call
                    .arguments
                    .args
                    .iter()
                    .any(|arg| mac_in(checker, arg, next))
        }
        Expr::BinOp(binop) => {
            mac_in(checker, &binop.left, next) || mac_in(checker, &binop.right, next)
        }
        Expr::FString(fstring) => fstring.value.elements().any(|element| {
            element
                .as_interpolation()
                .is_some_and(|interpolation| mac_in(checker, &interpolation.expression, next))
        }),
        Expr::Name(name) => semantic
            .assigned_value(name)
            .is_some_and(|value| mac_in(checker, value, next)),
        _ => false,
    }
}
