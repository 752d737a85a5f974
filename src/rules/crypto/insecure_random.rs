use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity, TraceStep};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange};
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};

use super::names::{is_secret_name, keyword_name, target_name};
use super::random_flow::{find_draws, Draw, DRAW_MODULES};
use super::random_stores::{is_token_shaped, stores_in_call, stores_in_stmt, Store};
use super::secrets_equivalent::secrets_fix;

declare_rule! {
    /// ## What it does
    /// Flags values from `random` (and `numpy.random`, and `uuid.uuid1`) that become a
    /// token, password, key, salt, nonce, one-time code or session id: assigned to such a
    /// name, returned from a function named for one, or passed as such an argument, also
    /// through `"".join(...)`, `str()`, f-strings, hashing and local variables.
    ///
    /// Also values stored where the server trusts them back, whatever their name: the
    /// session (`session[key] = ...`, `request.session[...]`, `session.update(...)`), a
    /// cookie (`set_cookie(name, value)`, `response.cookies[name] = ...`), and a
    /// password-reset, remember-me, sign-in link or verification store (`cache.set(
    /// f"password-reset:{email}", code)`, `PasswordReset.objects.create(...)`). There a
    /// value shaped like a token is flagged: random characters, bits or bytes, a converted
    /// or hashed draw, a number of four digits or more. One item picked from a list, a
    /// float or a small number stored as it is (an A/B bucket, a theme) is not.
    ///
    /// Other uses of `random` (simulations, shuffling a playlist, retry jitter, test data)
    /// are not flagged: Bandit's B311 and Ruff's S311 flag every call.
    ///
    /// ## Why is this bad?
    /// `random` is a Mersenne Twister: after 624 outputs, every later (and earlier) value can
    /// be computed. A reset token, API key or code drawn from it can be predicted by anyone
    /// who has seen a few others. `uuid1()` is the clock plus the machine's MAC address.
    ///
    /// ## Example
    /// ```python
    /// import random
    /// reset_token = "".join(random.choice("abcdef0123456789") for _ in range(32))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import secrets
    /// reset_token = secrets.token_hex(16)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the values change (as they should) and code that seeds `random` to get
    /// repeatable tokens in tests no longer does. The fix maps only exact equivalents:
    /// `choice` → `secrets.choice`, `randrange`/`randint` → `secrets.randbelow`,
    /// `getrandbits` → `secrets.randbits`, `randbytes` → `secrets.token_bytes`, unweighted
    /// `choices` → a list of `secrets.choice`, `uuid1()` → `uuid4()`.
    ///
    /// ## References
    /// CWE-338, CWE-330 · OWASP A02
    pub INSECURE_RANDOM = RuleMeta {
        id: "PV403",
        name: "insecure-random",
        severity: Severity::High,
        confidence: Confidence::Medium,
        cwe: &[338, 330],
        owasp: Owasp::A02,
        guideline: "cryptography",
        sources: &[Source::Bandit("B311"), Source::Ruff("S311")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &INSECURE_RANDOM,
    checks: &[
        Check::Stmt(check_stmt),
        Check::Call(check_call),
        Check::Dict(check_dict),
    ],
    needs: DRAW_MODULES,
};

fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    report_stores(checker, stores_in_stmt(checker, stmt));
    let (targets, value): (Vec<&Expr>, &Expr) = match stmt {
        Stmt::Assign(assign) => (assign.targets.iter().collect(), &assign.value),
        Stmt::AnnAssign(ast::StmtAnnAssign {
            target,
            value: Some(value),
            ..
        })
        | Stmt::AugAssign(ast::StmtAugAssign { target, value, .. }) => (vec![&**target], value),
        Stmt::Return(ast::StmtReturn {
            value: Some(value), ..
        }) => {
            let draws = find_draws(checker, value);
            if draws.is_empty() {
                return;
            }
            if let Some(function) = checker.ancestors().enclosing_function() {
                let name = function.name.id.as_str();
                if is_secret_name(name) {
                    let sink = format!("the value `{name}()` returns");
                    report(checker, draws, &sink, stmt.range());
                }
            }
            return;
        }
        _ => return,
    };
    for target in targets {
        if let Some(name) = target_name(target).filter(|name| is_secret_name(name)) {
            report(
                checker,
                find_draws(checker, value),
                &format!("`{name}`"),
                target.range(),
            );
        }
    }
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    for keyword in &call.arguments.keywords {
        if let Some(name) = keyword_name(keyword).filter(|name| is_secret_name(name)) {
            let sink = format!("the `{name}` argument");
            report(
                checker,
                find_draws(checker, &keyword.value),
                &sink,
                keyword.range(),
            );
        }
    }
    report_stores(checker, stores_in_call(checker, call));
}

/// Draws stored in the session, a cookie, or a reset or remember-me store: any draw when
/// the entry is named for a secret, else those shaped like a token. An entry whose name
/// the assignment checks already judge is left to them.
fn report_stores<'a>(checker: &Checker<'a>, stores: Vec<Store<'a>>) {
    for store in stores {
        let draws = find_draws(checker, store.value)
            .into_iter()
            .filter(|draw| store.named_secret || is_token_shaped(checker, draw, store.value))
            .collect();
        report(checker, draws, &store.sink, store.range);
    }
}

fn check_dict<'a>(checker: &Checker<'a>, dict: &'a ast::ExprDict) {
    for item in &dict.items {
        let Some(Expr::StringLiteral(key)) = &item.key else {
            continue;
        };
        if is_secret_name(key.value.to_str()) {
            let sink = format!("the `{}` entry", key.value.to_str());
            report(
                checker,
                find_draws(checker, &item.value),
                &sink,
                key.range(),
            );
        }
    }
}

fn report<'a>(checker: &Checker<'a>, draws: Vec<Draw<'a>>, sink: &str, sink_range: TextRange) {
    for found in draws {
        report_draw(checker, found, sink, sink_range);
    }
}

fn report_draw<'a>(checker: &Checker<'a>, found: Draw<'a>, sink: &str, sink_range: TextRange) {
    let function = &found.function;
    let message = if function == "uuid.uuid1" {
        format!("`uuid.uuid1()` is the clock and the MAC address, not a secret, yet it becomes {sink}; use `uuid.uuid4()` or `secrets`")
    } else {
        format!(
            "`{function}` is predictable, yet its result becomes {sink}; use the `secrets` module"
        )
    };
    let mut trace = vec![TraceStep {
        message: format!("`{function}` draws from a predictable generator"),
        range: found.call.range(),
        elsewhere: None,
    }];
    trace.extend(found.trace.iter().cloned());
    trace.push(TraceStep {
        message: format!("it becomes {sink}"),
        range: sink_range,
        elsewhere: None,
    });
    let fix = secrets_fix(checker, &found);
    checker.report(
        Finding::new(&INSECURE_RANDOM, found.call.range(), message)
            .with_trace(trace)
            .with_fix(fix),
    );
}
