use super::secret_name::{env_var_name, secret_kind, SecretKind};
use super::secret_value::{is_setting_word, secret_confidence};
use super::sites::{environment_fix, is_test_code, target_name};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity, TraceStep};
use crate::parse::ast::{self, CmpOp, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::known_secrets::has_known_secret;
use crate::semantic::{literal_text, BindingKind, LiteralKind, LiteralText};

declare_rule! {
    /// ## What it does
    /// Flags passwords, API keys, tokens and signing keys written into the code, judged by
    /// the name they are bound to and by the value itself.
    ///
    /// The value may be assigned to a variable, attribute or class attribute, passed as a
    /// keyword argument, used as a parameter default, stored under a dict key, or (for
    /// passwords) compared against.
    ///
    /// A name alone is not enough. The value must look like a secret too, so placeholders
    /// (`"changeme"`, `"<your-key>"`, `"${PASSWORD}"`, `"***"`), empty strings, sentences
    /// (`"Enter your password"`), paths, URLs, regexes, and identifiers that name a field, a
    /// header or a token type (`token_type = "Bearer"`, `input_token = "next_token"`,
    /// `api_key = "X-API-Key"`) stay quiet. So do names where the secret word is not the last
    /// one (`password_reset_url`, `SECRET_KEY_NAME`) and values inside test functions, `Test*`
    /// classes and pytest fixtures. Dashed phrases such as `"super-secret-key"` are reported
    /// with low confidence: a weak real key as often as a stand-in.
    ///
    /// ## Why is this bad?
    /// Code is copied, shared, pasted into tickets and kept forever in version control. A
    /// secret written into it reaches everyone who ever sees any of those copies, cannot be
    /// rotated without a release, and is usually the same in every environment.
    ///
    /// ## Example
    /// ```python
    /// import psycopg2
    /// db_password = "hunter2"
    /// conn = psycopg2.connect(host="db", user="app", password=db_password)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// import psycopg2
    /// db_password = os.environ["DB_PASSWORD"]
    /// conn = psycopg2.connect(host="db", user="app", password=db_password)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the value is read from `os.environ["NAME"]` (the name in upper snake case), so
    /// the program raises `KeyError` until that variable is set. For a parameter default the
    /// lookup happens when the function is defined. The old secret stays in the history:
    /// rotate it. Comparisons and values written into `os.environ` itself get no fix.
    ///
    /// ## References
    /// CWE-798, CWE-259 · OWASP A07
    pub HARDCODED_SECRET = RuleMeta {
        id: "PV101",
        name: "hardcoded-secret",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[798, 259],
        owasp: Owasp::A07,
        guideline: "secrets-management",
        sources: &[
            Source::Bandit("B105"),
            Source::Bandit("B106"),
            Source::Bandit("B107"),
            Source::Ruff("S105"),
            Source::Ruff("S106"),
            Source::Ruff("S107"),
        ],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &HARDCODED_SECRET,
    checks: &[
        Check::Stmt(check_stmt),
        Check::Call(check_call),
        Check::Dict(check_dict),
        Check::Compare(check_compare),
    ],
    needs: &[],
};

/// Where the value was found, for the message and the fix.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Site {
    Assignment,
    Keyword,
    Default,
    DictKey,
    Comparison,
    /// `os.environ["NAME"] = "..."`: no fix reads the value from where it is written.
    Environment,
}

fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    match stmt {
        Stmt::Assign(assign) => {
            if let Some((target, name)) = assign.targets.iter().find_map(|target| {
                let name = target_name(target)?;
                secret_kind(name).map(|_| (target, name))
            }) {
                let into_environ = matches!(target, Expr::Subscript(subscript)
                    if checker.semantic().resolve_qualified_name(&subscript.value)
                        .is_some_and(|q| q.segments() == ["os", "environ"]));
                let site = if into_environ {
                    Site::Environment
                } else {
                    Site::Assignment
                };
                check_value(checker, name, &assign.value, site);
            }
            if let [Expr::Tuple(targets)] = &assign.targets[..] {
                if let Expr::Tuple(values) = &*assign.value {
                    for (target, value) in targets.elts.iter().zip(&values.elts) {
                        if let Some(name) = target_name(target) {
                            check_value(checker, name, value, Site::Assignment);
                        }
                    }
                }
            }
        }
        Stmt::AnnAssign(assign) => {
            if let (Some(name), Some(value)) = (target_name(&assign.target), &assign.value) {
                check_value(checker, name, value, Site::Assignment);
            }
        }
        Stmt::FunctionDef(function) => {
            for parameter in function.parameters.iter_non_variadic_params() {
                if let Some(default) = &parameter.default {
                    check_value(
                        checker,
                        parameter.parameter.name.as_str(),
                        default,
                        Site::Default,
                    );
                }
            }
        }
        _ => {}
    }
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    for keyword in &call.arguments.keywords {
        if let Some(arg) = &keyword.arg {
            check_value(checker, arg.id.as_str(), &keyword.value, Site::Keyword);
        }
    }
}

fn check_dict<'a>(checker: &Checker<'a>, dict: &'a ast::ExprDict) {
    for item in &dict.items {
        if let Some(Expr::StringLiteral(key)) = &item.key {
            check_value(checker, key.value.to_str(), &item.value, Site::DictKey);
        }
    }
}

fn check_compare<'a>(checker: &Checker<'a>, compare: &'a ast::ExprCompare) {
    let operands = std::iter::once(&*compare.left).chain(compare.comparators.iter());
    let operands: Vec<&Expr> = operands.collect();
    for (pair, op) in operands.windows(2).zip(compare.ops.iter()) {
        if !matches!(op, CmpOp::Eq | CmpOp::NotEq) {
            continue;
        }
        for (named, value) in [(pair[0], pair[1]), (pair[1], pair[0])] {
            if let Some(name) = target_name(named) {
                check_value(checker, name, value, Site::Comparison);
            }
        }
    }
}

fn check_value<'a>(checker: &Checker<'a>, name: &str, value: &'a Expr, site: Site) {
    let Some(kind) = secret_kind(name) else {
        return;
    };
    // Parsers compare `token == "if"` all day, and `part == "git"` is a sentinel: only
    // comparisons of a password with a value of some length are suspicious.
    if site == Site::Comparison && (kind != SecretKind::Password || literal_chars(value) < 5) {
        return;
    }
    // `self.update_password == "always"` reads a setting's mode, not a secret.
    if site == Site::Comparison && literal_text(value).is_some_and(|l| is_setting_word(&l.text)) {
        return;
    }
    let Some((
        LiteralText {
            text,
            kind: literal,
            ..
        },
        trace,
    )) = literal_behind(checker, value)
    else {
        return;
    };
    if literal == LiteralKind::Template {
        return;
    }
    // Known formats (`ghp_…`, PEM blocks) are reported by their own rules.
    if has_known_secret(text.as_bytes()) {
        return;
    }
    let Some(confidence) = secret_confidence(&text, name, kind) else {
        return;
    };
    if is_test_code(checker, value.start()) {
        return;
    }
    let noun = kind.noun();
    let message = match site {
        Site::Assignment => format!("`{name}` is assigned a hardcoded {noun}"),
        Site::Keyword => format!("`{name}=` is passed a hardcoded {noun}"),
        Site::Default => format!("Parameter `{name}` defaults to a hardcoded {noun}"),
        Site::DictKey => format!("Key `\"{name}\"` holds a hardcoded {noun}"),
        Site::Comparison => format!("`{name}` is checked against a hardcoded {noun}"),
        Site::Environment => format!("`{name}` is set to a hardcoded {noun}"),
    } + ": anyone who can read the code or its history can use it";
    let fixable = !matches!(site, Site::Comparison | Site::Environment);
    let fix = fixable
        .then(|| {
            let variable = env_var_name(name)?;
            environment_fix(checker, value, &variable, literal == LiteralKind::Bytes)
        })
        .flatten();
    checker.report(
        Finding::new(&HARDCODED_SECRET, value.range(), message)
            .with_confidence(confidence)
            .with_fix(fix)
            .with_trace(trace.into_iter().collect()),
    );
}

/// The literal a value is, or the literal behind a constant assigned once under a name that
/// announces no secret (`DEFAULT = "hunter2"` then `password=DEFAULT`: nothing was reported
/// at the assignment), with a trace step pointing at it.
fn literal_behind<'a>(
    checker: &Checker<'a>,
    value: &'a Expr,
) -> Option<(LiteralText<'a>, Option<TraceStep>)> {
    if let Some(literal) = literal_text(value) {
        return Some((literal, None));
    }
    let Expr::Name(name) = value else {
        return None;
    };
    let semantic = checker.semantic();
    let binding = semantic.binding_of(name)?;
    let BindingKind::Assignment(assigned) = binding.kind else {
        return None;
    };
    let assigned_once = semantic.bindings_in(binding.scope, name.id.as_str()).len() == 1;
    if !assigned_once || secret_kind(name.id.as_str()).is_some() {
        return None;
    }
    let step = TraceStep {
        message: format!("`{}` is assigned this literal", name.id),
        range: assigned.range(),
        elsewhere: None,
    };
    Some((literal_text(assigned)?, Some(step)))
}

fn literal_chars(value: &Expr) -> usize {
    literal_text(value).map_or(0, |literal| literal.text.chars().count())
}
