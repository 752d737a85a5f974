//! Data flow: request data that reaches HTML, templates, URLs, file paths, `eval` or the
//! log, and errors that carry internals back to the client. Findings say where the value
//! came from.

mod assert_for_access_control;
mod code_evaluation;
mod code_origin;
mod escape_fix;
mod exception_detail;
mod exception_in_response;
mod exposure;
mod file_paths;
mod format_template;
mod generic_error_fix;
pub(crate) mod guard_fix;
mod html_response_from_input;
mod insecure_temporary_file;
mod jinja2_autoescape_off;
mod logging_config_listen;
mod mako_template_without_escaping;
mod masked_log_fix;
mod name_words;
mod open_redirect;
mod package_files;
mod path_guard_fix;
mod path_traversal;
mod permissive_file_permissions;
mod redirect_guard_fix;
mod regex_backtracking;
mod regex_reader;
mod regex_shape;
mod request_data_in_session;
mod request_reads;
pub(crate) mod sanitizers;
mod secret_in_log;
mod secret_values;
mod server_side_request_forgery;
mod ssrf_guard_fix;
mod template_injection;
mod template_output;
mod temporary_file_fix;
mod test_cases;
mod unfiltered_archive_extraction;
mod unsafe_markup;
mod url_shape;
mod views;

use super::Rule;
use crate::parse::ast::Expr;

pub static RULES: &[&Rule] = &[
    &unsafe_markup::RULE,
    &template_injection::RULE,
    &html_response_from_input::RULE,
    &jinja2_autoescape_off::RULE,
    &mako_template_without_escaping::RULE,
    &server_side_request_forgery::RULE,
    &open_redirect::RULE,
    &request_data_in_session::RULE,
    &path_traversal::RULE,
    &insecure_temporary_file::RULE,
    &permissive_file_permissions::RULE,
    &unfiltered_archive_extraction::RULE,
    &code_evaluation::RULE,
    &logging_config_listen::RULE,
    &regex_backtracking::RULE,
    &assert_for_access_control::RULE,
    &secret_in_log::RULE,
    &exception_in_response::RULE,
];

/// The last identifier of a dotted name: `abort` for `flask.abort`.
fn last_identifier(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.id.as_str()),
        _ => None,
    }
}
