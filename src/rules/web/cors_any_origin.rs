use super::cors::{policies_in_call, policy_in_setting, AnyOrigin, CorsPolicy, CORS_LIBRARIES};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::settings::Setting;

declare_rule! {
    /// ## What it does
    /// Flags CORS policies that let every origin read responses, without credentials.
    ///
    /// That is flask-cors with `origins="*"` or no origins (its default is `*`), `CORSMiddleware`
    /// with `allow_origins=["*"]`, django-cors-headers' `CORS_ALLOW_ALL_ORIGINS = True`, and
    /// policies that allow the `null` origin.
    ///
    /// When the policy also allows credentials, `cors-credentials-any-origin` reports it
    /// instead.
    ///
    /// ## Why is this bad?
    /// Without cookies a page on another site can only read what it could fetch itself, so
    /// `*` is fine for truly public data. It is not fine for a service that trusts where a
    /// request comes from rather than who sends it, an intranet API or a service on
    /// `localhost`: any page a user opens can read it through their browser. Say which
    /// front ends need access, so the policy cannot outgrow its purpose.
    ///
    /// ## Example
    /// ```python
    /// from fastapi import FastAPI
    /// from fastapi.middleware.cors import CORSMiddleware
    /// app = FastAPI()
    /// app.add_middleware(CORSMiddleware, allow_origins=["*"])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from fastapi import FastAPI
    /// from fastapi.middleware.cors import CORSMiddleware
    /// app = FastAPI()
    /// app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: a list that names origins besides `*` (or `null`, or a match-all pattern)
    /// keeps them and loses the rest; origins that are only `*` become the origins listed in
    /// the environment variable `CORS_ALLOWED_ORIGINS` (comma-separated, empty entries left
    /// out), and flask-cors without origins gets that list as `origins=`. For
    /// django-cors-headers, `CORS_ALLOW_ALL_ORIGINS = True` becomes `False` with
    /// `CORS_ALLOWED_ORIGINS` read from the environment. Browsers then refuse the responses
    /// to every front end not listed, so the variable must be set where the service runs.
    /// A match-all `allow_origin_regex=` is deleted, and replaced by that list when no
    /// `allow_origins=` is given. Origins held in a variable defined elsewhere and
    /// django-cors-headers' match-all `CORS_ALLOWED_ORIGIN_REGEXES` get no fix: which origins
    /// were meant is yours to say.
    ///
    /// ## References
    /// CWE-942 · OWASP A05
    pub CORS_ANY_ORIGIN = RuleMeta {
        id: "PV521",
        name: "cors-any-origin",
        severity: Severity::Low,
        confidence: Confidence::Medium,
        cwe: &[942],
        owasp: Owasp::A05,
        guideline: "cors",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &CORS_ANY_ORIGIN,
    checks: &[
        Check::Setting(check_setting),
        Check::Needs(CORS_LIBRARIES, &Check::Call(check_call)),
    ],
    needs: &[],
};

fn check_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    if let Some(policy) = policy_in_setting(checker, setting) {
        report(checker, &policy);
    }
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    for policy in policies_in_call(checker, call) {
        report(checker, &policy);
    }
}

fn report(checker: &Checker, policy: &CorsPolicy) {
    if policy.credentials {
        return;
    }
    let message = format!(
        "This CORS policy {}: any site can read these responses through your users' browsers",
        policy.any_origin.describe()
    );
    let confidence = match policy.any_origin {
        AnyOrigin::Default => Confidence::Low,
        _ => Confidence::Medium,
    };
    checker.report(
        Finding::new(&CORS_ANY_ORIGIN, policy.range, message)
            .with_confidence(confidence)
            .with_fix(policy.fix.clone()),
    );
}
