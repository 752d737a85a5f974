use super::secret_name::{env_var_name, secret_kind, words, SecretKind};
use super::secret_value::secret_confidence;
use super::sites::{environment_fix, is_test_code, target_name};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::known_secrets::has_known_secret;
use crate::semantic::{keyword, literal_text, LiteralKind};

declare_rule! {
    /// ## What it does
    /// Flags hardcoded passwords passed where no variable name gives them away: by position
    /// to a login API, or as the second half of an `auth` pair.
    ///
    /// It knows `requests`' `HTTPBasicAuth`/`HTTPDigestAuth`, `httpx` and `aiohttp`'s
    /// `BasicAuth`, `auth=("user", "…")` pairs (also `http_auth=`, `basic_auth=`),
    /// `login()` on `smtplib`, `ftplib` and `imaplib` connections, `poplib`'s `pass_()`,
    /// `paramiko`'s `SSHClient.connect`, `ldap3.Connection`, Django's `create_user` /
    /// `create_superuser`, and any `.set_password("…")`. Objects are followed from where
    /// they were made: `server = smtplib.SMTP(host)` then `server.login(user, "…")`.
    /// Placeholders, empty strings and test code stay quiet, as in PV101.
    ///
    /// ## Why is this bad?
    /// A password is a password whether or not it sits next to the word: whoever reads the
    /// code can log in as that account, and rotating it takes a release.
    ///
    /// ## Example
    /// ```python
    /// import smtplib
    /// server = smtplib.SMTP_SSL("smtp.example.com")
    /// server.login("alerts@example.com", "Tr0ub4dor&3")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// import smtplib
    /// server = smtplib.SMTP_SSL("smtp.example.com")
    /// server.login("alerts@example.com", os.environ["SMTP_PASSWORD"])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the literal becomes `os.environ["NAME"]` (`SMTP_PASSWORD`, `FTP_PASSWORD`,
    /// `HTTP_PASSWORD`, ... by API), which must be set before the code runs. User accounts
    /// created or changed in code (`create_user`, `set_password`) get no fix: where that
    /// password should come from is a human choice. Rotate the old password.
    ///
    /// ## References
    /// CWE-798, CWE-259 · OWASP A07
    pub HARDCODED_PASSWORD_ARGUMENT = RuleMeta {
        id: "PV106",
        name: "hardcoded-password-argument",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[798, 259],
        owasp: Owasp::A07,
        guideline: "secrets-management",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &HARDCODED_PASSWORD_ARGUMENT,
    checks: &[Check::Call(check_call), Check::Stmt(check_stmt)],
    needs: &[],
};

/// Where a login API takes its password: position, keyword, and the variable a fix reads.
struct PasswordParameter {
    position: usize,
    keyword: &'static str,
    env_var: Option<&'static str>,
}

fn password_parameter(segments: &[&str]) -> Option<PasswordParameter> {
    let (position, keyword, env_var) = match segments {
        ["requests", "auth", "HTTPBasicAuth" | "HTTPDigestAuth" | "HTTPProxyAuth"]
        | ["httpx", "BasicAuth" | "DigestAuth"]
        | ["aiohttp", "BasicAuth"] => (1, "password", Some("HTTP_PASSWORD")),
        ["smtplib", "SMTP" | "SMTP_SSL" | "LMTP", "()", "login"] => {
            (1, "password", Some("SMTP_PASSWORD"))
        }
        ["ftplib", "FTP" | "FTP_TLS", "()", "login"] => (1, "passwd", Some("FTP_PASSWORD")),
        ["imaplib", "IMAP4" | "IMAP4_SSL", "()", "login"] => (1, "password", Some("IMAP_PASSWORD")),
        ["poplib", "POP3" | "POP3_SSL", "()", "pass_"] => (0, "pswd", Some("POP3_PASSWORD")),
        ["paramiko", "SSHClient" | "client", ..] if segments.ends_with(&["()", "connect"]) => {
            (3, "password", Some("SSH_PASSWORD"))
        }
        ["ldap3", "Connection"] => (2, "password", Some("LDAP_PASSWORD")),
        ["django", "contrib", "auth", .., "objects", "create_user" | "create_superuser"] => {
            (2, "password", None)
        }
        _ => return None,
    };
    Some(PasswordParameter {
        position,
        keyword,
        env_var,
    })
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    for keyword in &call.arguments.keywords {
        if let Some(arg) = &keyword.arg {
            check_auth_pair(checker, arg.as_str(), &keyword.value);
        }
    }
    if let Expr::Attribute(method) = &*call.func {
        if method.attr.as_str() == "set_password" {
            if let Some(password) = call.arguments.args.first() {
                check_password(checker, "set_password", password, None);
            }
            return;
        }
    }
    // A method is only worth resolving under one of the names we know; a bare name may
    // be an alias (`from os import getenv as env`), so it is always resolved.
    let callee = match &*call.func {
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        Expr::Name(_) => None,
        _ => return,
    };
    let known_callee = callee.is_none_or(|method| {
        matches!(
            method,
            "HTTPBasicAuth"
                | "HTTPDigestAuth"
                | "HTTPProxyAuth"
                | "BasicAuth"
                | "DigestAuth"
                | "login"
                | "pass_"
                | "connect"
                | "Connection"
                | "create_user"
                | "create_superuser"
        )
    });
    if !known_callee {
        return;
    }
    let Some(function) = checker.semantic().resolve_value_origin(&call.func) else {
        return;
    };
    let Some(parameter) = password_parameter(function.segments()) else {
        return;
    };
    // A keyword that names a password (`password=`) is PV101's; by position it is ours.
    let password = match keyword(call, parameter.keyword) {
        Some(_) if secret_kind(parameter.keyword).is_some() => return,
        Some(keyword) => &keyword.value,
        None => match call.arguments.args.get(parameter.position) {
            Some(argument)
                if !call.arguments.args[..parameter.position]
                    .iter()
                    .any(Expr::is_starred_expr) =>
            {
                argument
            }
            _ => return,
        },
    };
    let shown: Vec<&str> = function
        .segments()
        .iter()
        .copied()
        .filter(|segment| *segment != "()")
        .collect();
    check_password(checker, &shown.join("."), password, parameter.env_var);
}

fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    if let Stmt::Assign(assign) = stmt {
        for target in &assign.targets {
            if let Some(name) = target_name(target) {
                check_auth_pair(checker, name, &assign.value);
            }
        }
    }
}

/// `auth=("user", "…")`, `basic_auth = ["user", "…"]`: the second element is a password.
fn check_auth_pair<'a>(checker: &Checker<'a>, name: &str, value: &'a Expr) {
    if !matches!(value, Expr::Tuple(_) | Expr::List(_))
        || words(name).last().is_none_or(|last| last != "auth")
    {
        return;
    }
    let elements = match value {
        Expr::Tuple(tuple) => &tuple.elts[..],
        Expr::List(list) => &list.elts[..],
        _ => return,
    };
    if let [_, password] = elements {
        let variable = env_var_name(name).map(|name| format!("{name}_PASSWORD"));
        check_password(checker, name, password, variable.as_deref());
    }
}

fn check_password<'a>(checker: &Checker<'a>, api: &str, value: &'a Expr, env: Option<&str>) {
    let Some(literal) = literal_text(value) else {
        return;
    };
    if literal.kind == LiteralKind::Template || has_known_secret(literal.text.as_bytes()) {
        return;
    }
    let Some(confidence) = secret_confidence(&literal.text, "password", SecretKind::Password)
    else {
        return;
    };
    if is_test_code(checker, value.start()) {
        return;
    }
    let message =
        format!("`{api}` is given a hardcoded password: anyone who can read the code can log in");
    let bytes = literal.kind == LiteralKind::Bytes;
    let fix = env.and_then(|variable| environment_fix(checker, value, variable, bytes));
    checker.report(
        Finding::new(&HARDCODED_PASSWORD_ARGUMENT, value.range(), message)
            .with_confidence(confidence)
            .with_fix(fix),
    );
}
