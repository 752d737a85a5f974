use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::keyword;

use super::django_raw_sql::{reads_a_manager, DJANGO_STYLE};
use super::sql_fix::{after_argument, last_argument};
use super::sql_placeholders::Placed;
use super::sql_query::{built_query, query_finding, BuiltQuery};
use super::sql_rewrite::{rewrite_query, SqlShape};
use super::sql_sinks::{ParamsSlot, SqlSink};

declare_rule! {
    /// ## What it does
    /// Flags Django's `QuerySet.extra()` whose `where`, `select`, `tables` or `order_by`
    /// text is built from values with an f-string, `%`, `.format()` or `+`.
    ///
    /// ## Why is this bad?
    /// `extra()` pastes its text into the query Django builds. A value in that text is read
    /// as SQL, so `1) OR (1=1` widens a filter to every row. `where` items take `%s`
    /// placeholders filled from `params`; the other arguments are better replaced by
    /// `annotate()`, `order_by()` and expressions such as `F()`, which Django's own
    /// documentation recommends over `extra()`.
    ///
    /// ## Example
    /// ```python
    /// from myapp.models import Person
    ///
    /// def named(name):
    ///     return Person.objects.extra(where=[f"last_name = '{name}'"])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from myapp.models import Person
    ///
    /// def named(name):
    ///     return Person.objects.extra(where=["last_name = %s"], params=[name])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. For `where` items the fix writes `%s` placeholders, drops the SQL quotes
    /// around each value and adds `params=[...]`; the database then receives each value with
    /// its Python type. It is display-only when `select`, `tables` or `order_by` hold the
    /// values, when `params` is already passed, when another `where` item holds a literal
    /// `%`, or when a table or column name is interpolated.
    ///
    /// ## References
    /// CWE-89 · OWASP A03
    pub DJANGO_EXTRA_SQL = RuleMeta {
        id: "PV203",
        name: "django-extra-sql",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[89],
        owasp: Owasp::A03,
        guideline: "sql-injection",
        sources: &[Source::Bandit("B610"), Source::Ruff("S610")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &DJANGO_EXTRA_SQL,
    checks: &[Check::Call(check_call)],
    needs: &[],
};

/// `.extra(where=[...], select={...}, tables=[...], order_by=[...])`.
fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let is_extra =
        matches!(&*call.func, Expr::Attribute(method) if method.attr.id.as_str() == "extra");
    if !is_extra || !(reads_a_manager(&call.func) || checker.semantic().has_import("django")) {
        return;
    }
    let mut built: Vec<(&str, &'a Expr, BuiltQuery<'a>)> = Vec::new();
    for name in ["where", "select", "tables", "order_by"] {
        let Some(keyword) = keyword(call, name) else {
            continue;
        };
        let items: Vec<&'a Expr> = match &keyword.value {
            Expr::List(list) => list.elts.iter().collect(),
            Expr::Tuple(tuple) => tuple.elts.iter().collect(),
            Expr::Dict(dict) => dict.items.iter().map(|item| &item.value).collect(),
            _ => Vec::new(),
        };
        for item in items {
            if let Some(query) = built_query(checker, item) {
                built.push((name, item, query));
            }
        }
    }
    let Some((_, first, _)) = built.first() else {
        return;
    };
    // One finding for the call, naming the values of every item.
    let mut all = BuiltQuery {
        placed: Placed::default(),
        looks_like_sql: true,
    };
    for (_, _, query) in &built {
        all.placed.roles.extend(query.placed.roles.iter().copied());
    }
    let sink = SqlSink {
        call,
        query: first,
        params: None,
        slot: ParamsSlot::Keyword("params"),
        style: Some(DJANGO_STYLE),
        resolved: true,
    };
    let finding = query_finding(&DJANGO_EXTRA_SQL, checker, &sink, &all)
        .with_related(built.iter().map(|(_, item, _)| item.range()).collect())
        .with_fix(extra_fix(checker, call, &built));
    checker.report(finding);
}

/// Rewrites dynamic `where` items with `%s` and adds `params=[...]`.
fn extra_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    built: &[(&str, &'a Expr, BuiltQuery<'a>)],
) -> Fix {
    if let Some((name, _, _)) = built.iter().find(|(name, _, _)| *name != "where") {
        return Fix::display_only(
            format!("Replace `extra({name}=...)` with `annotate()` or `order_by()` and expressions such as `F()`, or check the values against a fixed list"),
            Vec::new(),
        );
    }
    if keyword(call, "params").is_some() {
        return Fix::display_only(
            "Use `%s` placeholders for these values too and add them to `params`",
            Vec::new(),
        );
    }
    // With `params`, Django formats every `where` item: a literal `%` elsewhere must be `%%`.
    let where_items = match keyword(call, "where").map(|keyword| &keyword.value) {
        Some(Expr::List(list)) => list.elts.iter().collect(),
        Some(Expr::Tuple(tuple)) => tuple.elts.iter().collect(),
        _ => Vec::new(),
    };
    let lone_percent = where_items.iter().any(|item| {
        !built
            .iter()
            .any(|(_, rewritten, _)| std::ptr::eq(*rewritten, *item))
            && checker
                .semantic()
                .constant_string(item)
                .is_none_or(|text| text.contains('%'))
    });
    if lone_percent {
        return Fix::display_only(
            "Use `%s` placeholders for these values, write literal `%` as `%%`, and pass the values in `params`",
            Vec::new(),
        );
    }
    let mut edits = Vec::new();
    let mut params = Vec::new();
    for (_, item, _) in built {
        match rewrite_query(checker, item, DJANGO_STYLE, SqlShape::Condition) {
            Ok(rewritten) => {
                edits.push(Edit::replace(item.range(), rewritten.literal));
                params.extend(rewritten.values.into_iter().map(|(_, value)| value));
            }
            Err(title) => return Fix::display_only(title, Vec::new()),
        }
    }
    let last = last_argument(call).unwrap_or(built[0].1);
    edits.push(Edit::insert(
        after_argument(checker, call, last),
        format!(", params=[{}]", params.join(", ")),
    ));
    Fix::unsafe_edits("Pass the values in `params` with `%s` placeholders", edits)
}
