//! group injection

mod django_extra_sql;
mod django_raw_sql;
mod sql_fix;
mod sql_placeholders;
mod sql_python;
mod sql_query;
mod sql_rewrite;
mod sql_scope;
mod sql_sinks;
mod sql_string_query;
mod sql_values;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &sql_string_query::RULE,
    &django_raw_sql::RULE,
    &django_extra_sql::RULE,
];
