use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::flow::sanitizers;
use crate::rules::{Check, Rule};
use crate::semantic::{argument, StringPart};

declare_rule! {
    /// ## What it does
    /// Flags LDAP searches whose filter is built from user input without escaping it.
    ///
    /// Covered: ldap3's `Connection.search` and `extend.standard.paged_search`, and
    /// python-ldap's `search`, `search_s`, `search_st`, `search_ext` and `search_ext_s` on a
    /// connection from `ldap.initialize` or `LDAPObject`. A value passed through
    /// `ldap3.utils.conv.escape_filter_chars`, `ldap.filter.escape_filter_chars` or
    /// `ldap.filter.filter_format` is not flagged, nor is a constant filter. The search base
    /// (a DN) is not checked.
    ///
    /// ## Why is this bad?
    /// An LDAP filter is a small language: `*` matches anything, and `)` and `(` open new
    /// conditions. A user name of `*` lists every account, and `admin)(|(uid=*` turns
    /// `(&(uid=...)(active=TRUE))` into a filter that ignores the second condition, which can
    /// skip a password or group check built on the search (LDAP injection).
    ///
    /// ## Example
    /// ```python
    /// import ldap3
    /// from flask import request
    ///
    /// def find_user():
    ///     conn = ldap3.Connection("ldap://ldap.example.com", auto_bind=True)
    ///     name = request.args["name"]
    ///     conn.search("dc=example,dc=com", f"(uid={name})")
    ///     return conn.entries
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ldap3
    /// from flask import request
    /// from ldap3.utils.conv import escape_filter_chars
    ///
    /// def find_user():
    ///     conn = ldap3.Connection("ldap://ldap.example.com", auto_bind=True)
    ///     name = request.args["name"]
    ///     conn.search("dc=example,dc=com", f"(uid={escape_filter_chars(name)})")
    ///     return conn.entries
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: each value written after an `=` of the filter is wrapped in the library's
    /// `escape_filter_chars`, so a `*` in it is matched literally instead of as a wildcard.
    /// Values that supply a whole condition, or the whole filter, are left for a person.
    ///
    /// ## References
    /// CWE-90 · OWASP A03
    pub LDAP_INJECTION = RuleMeta {
        id: "PV220",
        name: "ldap-injection",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[90],
        owasp: Owasp::A03,
        guideline: "ldap-xpath-injection",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &LDAP_INJECTION,
    checks: &[Check::Call(check_call)],
    needs: &["ldap", "ldap3"],
};

/// The two libraries, for the escape function the fix uses.
#[derive(Clone, Copy)]
enum Library {
    Ldap3,
    PythonLdap,
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some(function) = semantic.resolve_value_origin(&call.func) else {
        return;
    };
    let Some((library, (position, name))) = search_filter(function.segments()) else {
        return;
    };
    let Some(filter) = argument(call, position, name) else {
        return;
    };
    let Some(mut trace) = semantic.taint_source_with(filter, sanitizers::ldap) else {
        return;
    };
    trace.push(TraceStep {
        message: "it is part of the LDAP search filter".to_string(),
        range: filter.range(),
        elsewhere: None,
    });
    let method = checker.text(&*call.func);
    let message = format!(
        "`{method}` searches with a filter built from user input without escaping it: `*`, `(` and `)` in the value change what the filter matches"
    );
    checker.report(
        Finding::new(&LDAP_INJECTION, call.range(), message)
            .with_trace(trace)
            .with_fix(escape_fix(checker, filter, library, call)),
    );
}

/// The library and where the filter is passed, by the search method's value origin.
fn search_filter(segments: &[&str]) -> Option<(Library, (usize, &'static str))> {
    let (method, receiver) = segments.split_last()?;
    match receiver {
        ["ldap3", "Connection", "()"] | ["ldap3", "core", "connection", "Connection", "()"]
            if *method == "search" =>
        {
            Some((Library::Ldap3, (1, "search_filter")))
        }
        ["ldap3", "Connection", "()", "extend", "standard"]
        | ["ldap3", "core", "connection", "Connection", "()", "extend", "standard"]
            if *method == "paged_search" =>
        {
            Some((Library::Ldap3, (1, "search_filter")))
        }
        ["ldap", "initialize", "()"]
        | ["ldap", "ldapobject", "LDAPObject" | "SimpleLDAPObject" | "ReconnectLDAPObject", "()"]
            if matches!(
                *method,
                "search" | "search_s" | "search_st" | "search_ext" | "search_ext_s"
            ) =>
        {
            Some((Library::PythonLdap, (2, "filterstr")))
        }
        _ => None,
    }
}

/// Wraps each user value written after an `=` of the filter in `escape_filter_chars`.
fn escape_fix<'a>(
    checker: &Checker<'a>,
    filter: &'a Expr,
    library: Library,
    call: &'a ast::ExprCall,
) -> Option<Fix> {
    let semantic = checker.semantic();
    let parts = semantic.string_parts_assigned_once(filter)?;
    let mut before = String::new();
    let mut values = Vec::new();
    for part in &parts {
        match part {
            StringPart::Literal(text) => before.push_str(text),
            StringPart::Dynamic(value) => {
                if semantic
                    .taint_source_with(value, sanitizers::ldap)
                    .is_some()
                {
                    // `(uid=` before it: an attribute value. Otherwise a whole condition.
                    let condition = &before[before.rfind('(')?..];
                    if !condition.contains('=')
                        || condition.contains(')')
                        || is_converted(checker, value)
                    {
                        return None;
                    }
                    values.push(*value);
                }
                before.push('?');
            }
        }
    }
    if values.is_empty() {
        return None;
    }
    let module = match library {
        Library::Ldap3 => "ldap3.utils.conv",
        Library::PythonLdap => "ldap.filter",
    };
    let (module, import) = checker.import_module(module, call.start());
    let mut edits: Vec<Edit> = values
        .iter()
        .map(|value| {
            let escaped = format!("{module}.escape_filter_chars({})", checker.text(*value));
            Edit::replace(value.range(), escaped)
        })
        .collect();
    edits.extend(import);
    Some(Fix::unsafe_edits("Escape the values in the filter", edits))
}

/// `{name!r}` and `{name=}` in an f-string: escaping would change what the conversion shows.
fn is_converted(checker: &Checker, value: &Expr) -> bool {
    let after = &checker.source()[value.end().to_usize()..];
    after.trim_start().starts_with(['!', '='])
}
