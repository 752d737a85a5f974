use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Severity};
use crate::parse::ast::{self, Expr};
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::argument;

use super::sql_fix::parameterise_fix;
use super::sql_query::{built_query, query_finding};
use super::sql_sinks::{ParamStyle, ParamsSlot, SqlSink};

declare_rule! {
    /// ## What it does
    /// Flags SQL built from values with an f-string, `%`, `.format()` or `+` that reaches
    /// Django's `Model.objects.raw()` or a `RawSQL` expression.
    ///
    /// The text may be built in place or through a variable. Django's `connection.cursor()`
    /// is a DB-API cursor, covered by `sql-string-query`; `extra()` by `django-extra-sql`.
    ///
    /// ## Why is this bad?
    /// Both put their text into the query as written. A value pasted into it is read as
    /// SQL, so `x' OR '1'='1` changes what the query returns. Both take `params`, which
    /// Django passes to the database apart from the statement.
    ///
    /// ## Example
    /// ```python
    /// from myapp.models import Person
    ///
    /// def by_name(name):
    ///     return Person.objects.raw(f"SELECT * FROM myapp_person WHERE last_name = '{name}'")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from myapp.models import Person
    ///
    /// def by_name(name):
    ///     return Person.objects.raw("SELECT * FROM myapp_person WHERE last_name = %s", [name])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. The fix writes `%s` placeholders (Django's style on every backend), doubles
    /// literal `%` signs, drops the SQL quotes around each value and passes the values as
    /// `params` (a list for `raw()`, a tuple for `RawSQL`, replacing an empty one); the
    /// database then receives each value with its Python type. It is display-only when a
    /// table or column name is interpolated, when parameters are already passed, or when
    /// the query is built over several statements.
    ///
    /// ## References
    /// CWE-89 · OWASP A03
    pub DJANGO_RAW_SQL = RuleMeta {
        id: "PV202",
        name: "django-raw-sql",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[89],
        owasp: Owasp::A03,
        guideline: "sql-injection",
        sources: &[
            Source::Bandit("B608"),
            Source::Bandit("B611"),
            Source::Ruff("S608"),
            Source::Ruff("S611"),
        ],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &DJANGO_RAW_SQL,
    checks: &[Check::Call(check_call)],
    needs: &[],
};

pub const DJANGO_STYLE: ParamStyle = ParamStyle::Format {
    doubles_percent: true,
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let on_manager = reads_a_manager(&call.func);
    let (query_keyword, is_raw_method) = match &*call.func {
        Expr::Attribute(method) if method.attr.id.as_str() == "raw" => {
            if !on_manager && !checker.semantic().has_import("django") {
                return;
            }
            ("raw_query", true)
        }
        _ if is_raw_sql_expression(checker, call) => ("sql", false),
        _ => return,
    };
    let Some(query) = argument(call, 0, query_keyword) else {
        return;
    };
    let sink = SqlSink {
        call,
        query,
        params: argument(call, 1, "params"),
        slot: ParamsSlot::Positional,
        style: Some(DJANGO_STYLE),
        resolved: !is_raw_method || on_manager,
    };
    let Some(built) = built_query(checker, sink.query) else {
        return;
    };
    if !sink.resolved && !built.looks_like_sql {
        return;
    }
    let finding = query_finding(&DJANGO_RAW_SQL, checker, &sink, &built)
        .with_fix(parameterise_fix(checker, &sink, is_raw_method));
    checker.report(finding);
}

fn is_raw_sql_expression<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    checker.semantic().has_import("django")
        && checker
            .semantic()
            .resolve_qualified_name(&call.func)
            .is_some_and(|name| {
                matches!(
                    name.segments(),
                    ["django", "db", "models", "RawSQL"]
                        | ["django", "db", "models", "expressions", "RawSQL"]
                )
            })
}

/// The method is called on a model's manager or a queryset made from one:
/// `Person.objects.raw`, `Person.objects.filter(...).extra`.
pub fn reads_a_manager(func: &Expr) -> bool {
    let mut expr = func;
    for _ in 0..32 {
        expr = match expr {
            Expr::Attribute(attribute) => {
                if matches!(
                    attribute.attr.id.as_str(),
                    "objects" | "_default_manager" | "_base_manager"
                ) {
                    return true;
                }
                &attribute.value
            }
            Expr::Call(call) => &call.func,
            _ => return false,
        };
    }
    false
}
