use super::cors::{policies_in_call, policy_in_setting, CorsPolicy, CORS_LIBRARIES};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::settings::Setting;

declare_rule! {
    /// ## What it does
    /// Flags CORS policies that let every origin make requests with the user's cookies.
    ///
    /// That is flask-cors with `origins="*"` (or no origins at all) and
    /// `supports_credentials=True`,
    /// Starlette/FastAPI's `CORSMiddleware` with `allow_origins=["*"]` or a match-all
    /// `allow_origin_regex` and `allow_credentials=True`, and django-cors-headers'
    /// `CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True`. Allowing the
    /// `null` origin with credentials counts too.
    ///
    /// ## Why is this bad?
    /// Browsers refuse a literal `*` together with credentials, so these libraries answer
    /// with the caller's own origin instead. Every website your users visit can then call
    /// your API as them and read the answers: personal data, API keys, CSRF tokens.
    ///
    /// ## Example
    /// ```python
    /// from flask import Flask
    /// from flask_cors import CORS
    /// app = Flask(__name__)
    /// CORS(app, origins="*", supports_credentials=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import Flask
    /// from flask_cors import CORS
    /// app = Flask(__name__)
    /// CORS(app, origins=["https://app.example.com"], supports_credentials=True)
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
    /// CWE-942, CWE-346 · OWASP A05
    pub CORS_CREDENTIALS_ANY_ORIGIN = RuleMeta {
        id: "PV520",
        name: "cors-credentials-any-origin",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[942, 346],
        owasp: Owasp::A05,
        guideline: "cors",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &CORS_CREDENTIALS_ANY_ORIGIN,
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
    if !policy.credentials {
        return;
    }
    let message = format!(
        "This CORS policy {} and allows credentials: any site can make requests as your users and read the answers",
        policy.any_origin.describe()
    );
    checker.report(
        Finding::new(&CORS_CREDENTIALS_ANY_ORIGIN, policy.range, message)
            .with_confidence(policy.confidence)
            .with_fix(policy.fix.clone()),
    );
}
