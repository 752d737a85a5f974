use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::settings::{literal_bool, Setting, Site};

declare_rule! {
    /// ## What it does
    /// Flags Django settings that switch off a security header or the HTTPS redirect.
    ///
    /// That is `SECURE_CONTENT_TYPE_NOSNIFF = False`, `SECURE_HSTS_SECONDS = 0`,
    /// `SECURE_SSL_REDIRECT = False`, an `X_FRAME_OPTIONS` other than `"DENY"` or `"SAMEORIGIN"`
    /// (`"ALLOWALL"` is not a value browsers know, so they allow framing), and a
    /// `SECURE_REFERRER_POLICY` that sends full URLs to other sites.
    ///
    /// `SECURE_SSL_REDIRECT = False` is reported with low confidence: a reverse proxy often
    /// does the redirect instead.
    ///
    /// ## Why is this bad?
    /// These headers are cheap defense in depth: `nosniff` stops browsers from running an
    /// uploaded file as script, HSTS and the HTTPS redirect keep sessions off plain HTTP,
    /// frame options stop clickjacking, and a strict referrer policy keeps tokens in URLs
    /// from leaking to other sites.
    ///
    /// ## Example
    /// ```python
    /// ALLOWED_HOSTS = ["app.example.com"]
    /// X_FRAME_OPTIONS = "ALLOWALL"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// ALLOWED_HOSTS = ["app.example.com"]
    /// X_FRAME_OPTIONS = "DENY"
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the stricter value changes what browsers do. Pages embedded in frames stop
    /// loading, plain HTTP requests are redirected, and files served with a wrong content type
    /// stop working. HSTS gets no fix: its duration is a decision to take step by step.
    ///
    /// ## References
    /// CWE-693, CWE-1021, CWE-319 · OWASP A05
    pub DJANGO_SECURITY_SETTING_DISABLED = RuleMeta {
        id: "PV541",
        name: "django-security-setting-disabled",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[693, 1021, 319],
        owasp: Owasp::A05,
        guideline: "security-headers",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &DJANGO_SECURITY_SETTING_DISABLED,
    checks: &[Check::Setting(check_setting)],
    needs: &[],
};

fn check_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    if !matches!(setting.site, Site::Module | Site::DjangoSettings) {
        return;
    }
    let value = setting.value;
    let text = checker.semantic().constant_string(value);
    let (message, confidence, replacement, cwe): (_, _, _, &'static [u32]) = match setting.name {
        "SECURE_CONTENT_TYPE_NOSNIFF" if literal_bool(value) == Some(false) => (
            "`nosniff` is off: browsers may run an uploaded file or a JSON answer as script",
            Confidence::High,
            Some("True"),
            &[693],
        ),
        "SECURE_SSL_REDIRECT" if literal_bool(value) == Some(false) => (
            "Plain HTTP requests are not redirected to HTTPS (fine only if your proxy does it)",
            Confidence::Low,
            Some("True"),
            &[319],
        ),
        "SECURE_HSTS_SECONDS" if is_zero_or_none(value) => (
            "HSTS is off: browsers keep trying plain HTTP first, where a session can be intercepted",
            Confidence::Medium,
            None,
            &[319],
        ),
        "X_FRAME_OPTIONS"
            if text.as_deref().is_some_and(|text| {
                !text.eq_ignore_ascii_case("DENY") && !text.eq_ignore_ascii_case("SAMEORIGIN")
            }) =>
        {
            (
                "`X_FRAME_OPTIONS` is neither `DENY` nor `SAMEORIGIN`: browsers ignore it and let any site frame the pages",
                Confidence::High,
                Some("\"DENY\""),
                &[1021],
            )
        }
        "SECURE_REFERRER_POLICY"
            if matches!(text.as_deref(), Some("unsafe-url" | "no-referrer-when-downgrade")) =>
        {
            (
                "This referrer policy sends full URLs, with any tokens or ids in them, to other sites",
                Confidence::High,
                Some("\"same-origin\""),
                &[693],
            )
        }
        _ => return,
    };
    let fix = replacement.map(|replacement| {
        Fix::unsafe_edits(
            format!("Set `{}` to `{replacement}`", setting.name),
            vec![Edit::replace(value.range(), replacement)],
        )
    });
    checker.report(
        Finding::new(&DJANGO_SECURITY_SETTING_DISABLED, setting.range, message)
            .with_confidence(confidence)
            .with_cwe(cwe)
            .with_fix(fix),
    );
}

fn is_zero_or_none(value: &Expr) -> bool {
    match value {
        Expr::NoneLiteral(_) => true,
        Expr::NumberLiteral(number) => {
            matches!(&number.value, ast::Number::Int(int) if int.as_i64() == Some(0))
        }
        _ => false,
    }
}
