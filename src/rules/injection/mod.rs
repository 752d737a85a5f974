//! Injection: untrusted text reaching an interpreter — SQL (PV201–PV209), the shell
//! (PV210–PV219), LDAP filters and XPath queries (PV220–PV229).

mod asyncio_shell_injection;
mod command_fix;
mod command_template;
mod django_extra_sql;
mod django_raw_sql;
mod ldap_injection;
mod os_exec_injection;
mod os_system_injection;
mod paramiko_exec_command;
mod shell_command;
mod shell_globs;
mod shell_script;
mod shell_wildcard_injection;
mod shell_words;
mod sql_fix;
mod sql_placeholders;
mod sql_python;
mod sql_query;
mod sql_rewrite;
mod sql_scope;
mod sql_sinks;
mod sql_string_query;
mod sql_values;
mod subprocess_shell_injection;
mod trojan_source;
mod xpath_injection;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &sql_string_query::RULE,
    &django_raw_sql::RULE,
    &django_extra_sql::RULE,
    &subprocess_shell_injection::RULE,
    &os_system_injection::RULE,
    &asyncio_shell_injection::RULE,
    &os_exec_injection::RULE,
    &paramiko_exec_command::RULE,
    &shell_wildcard_injection::RULE,
    &trojan_source::RULE,
    &ldap_injection::RULE,
    &xpath_injection::RULE,
];
