//! group injection

mod ancestors;
mod asyncio_shell_injection;
mod command_fix;
mod command_template;
mod os_exec_injection;
mod os_system_injection;
mod shell_command;
mod shell_script;
mod shell_words;
mod subprocess_shell_injection;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &subprocess_shell_injection::RULE,
    &os_system_injection::RULE,
    &asyncio_shell_injection::RULE,
    &os_exec_injection::RULE,
];
