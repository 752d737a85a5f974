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
    /// Flags cloud access keys and live payment keys, recognised by their format wherever
    /// they appear.
    ///
    /// That is AWS access key IDs (`AKIA…`, `ASIA…`), Azure storage account keys
    /// (`AccountKey=…`) and Stripe live secret and restricted keys (`sk_live_…`, `rk_live_…`).
    /// AWS's documentation key `AKIAIOSFODNN7EXAMPLE` and obvious placeholders
    /// (`sk_live_xxxx…`) stay quiet.
    ///
    /// ## Why is this bad?
    /// These keys spend money. A leaked AWS key is usually found by bots within minutes and
    /// used to start crypto-mining machines on your bill; a live Stripe key can refund
    /// payments and read your customers' data. They are critical because the damage starts
    /// before anyone reads the code.
    ///
    /// ## Example
    /// ```python
    /// import stripe
    /// stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9Fq2"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// import stripe
    /// stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: when the key is the whole string it becomes `os.environ["NAME"]` (the name it
    /// is bound to in upper snake case when that name says it holds a secret, like `gh_token`,
    /// else the usual variable, like `AWS_ACCESS_KEY_ID`),
    /// which must be set before the code runs. For AWS, prefer no key at all: an instance or
    /// workload role gives boto3 short-lived credentials by itself. Revoke the leaked key first.
    ///
    /// ## References
    /// CWE-798 · OWASP A07
    pub CLOUD_OR_PAYMENT_KEY = RuleMeta {
        id: "PV104",
        name: "cloud-or-payment-key",
        severity: Severity::Critical,
        confidence: Confidence::High,
        cwe: &[798],
        owasp: Owasp::A07,
        guideline: "secrets-management",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &CLOUD_OR_PAYMENT_KEY,
    checks: &[Check::Literal(check_literal)],
    needs: &[],
};

fn check_literal<'a>(checker: &Checker<'a>, expr: &'a Expr, literal: &LiteralText<'a>) {
    check_known_format(checker, expr, literal, &CLOUD_OR_PAYMENT_KEY, true);
}
