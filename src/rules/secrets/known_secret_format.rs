use super::format_findings::check_known_format;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Severity};
use crate::parse::ast::Expr;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::LiteralText;

declare_rule! {
    /// ## What it does
    /// Flags API tokens and private keys recognised by their format alone, whatever the
    /// variable is called.
    ///
    /// That is GitHub (`ghp_…`, `github_pat_…`), GitLab (`glpat-…`), Slack
    /// tokens (`xoxb-…`) and webhook URLs, Google API keys (`AIza…`) and OAuth client secrets,
    /// OpenAI and Anthropic keys, npm, PyPI, Hugging Face, SendGrid, DigitalOcean, Shopify,
    /// Databricks and Telegram bot tokens, Stripe test-mode keys, signed JWTs, and PEM private
    /// keys (`-----BEGIN RSA PRIVATE KEY-----` and its EC, DSA, OPENSSH, PGP and PKCS#8 kinds).
    ///
    /// Documentation keys (`…EXAMPLE…`, `xxxx`, runs like `0000000` or `abcdefgh`), a PEM
    /// header with no key material after it (a marker used in a `startswith` check) and the
    /// jwt.io sample token stay quiet. Cloud and live payment keys are PV104.
    ///
    /// In test code (a test file by its path, or a `test*` function, a `Test*` class or a
    /// `pytest.fixture`) a PEM private key is a fixture: tests of signing and TLS keep
    /// throwaway keys, and nothing in a PEM block tells them from a real one. Tokens still
    /// count there: their prefix (and, for GitHub, a checksum) says a vendor issued them.
    ///
    /// ## Why is this bad?
    /// These formats exist so that scanners can find leaked keys, and attackers run those
    /// scanners on every public commit within minutes. Once a key is pushed it must be
    /// considered compromised, whether or not the line is later deleted.
    ///
    /// ## Example
    /// ```python
    /// from github import Github
    /// client = Github("ghp_R2d2C3poL8ke5kyw4lkerHanS0loLe1aOrg4")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// from github import Github
    /// client = Github(os.environ["GITHUB_TOKEN"])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: when the key is the whole string it becomes `os.environ["NAME"]` (the name it
    /// is bound to in upper snake case when that name says it holds a secret, like `gh_token`,
    /// else the service's usual variable, like `GITHUB_TOKEN`),
    /// which must be set before the code runs. For a private key the same rewrite is only
    /// suggested (display-only): a multi-line PEM is often better kept in a file or a secret
    /// store than in one environment variable, and a human should choose. Either way, revoke
    /// the key: the old one stays in the history.
    ///
    /// ## References
    /// CWE-798, CWE-321 · OWASP A07
    pub KNOWN_SECRET_FORMAT = RuleMeta {
        id: "PV103",
        name: "known-secret-format",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[798, 321],
        owasp: Owasp::A07,
        guideline: "secrets-management",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &KNOWN_SECRET_FORMAT,
    checks: &[Check::Literal(check_literal)],
    needs: &[],
};

fn check_literal<'a>(checker: &Checker<'a>, expr: &'a Expr, literal: &LiteralText<'a>) {
    check_known_format(checker, expr, literal, &KNOWN_SECRET_FORMAT, false);
}
