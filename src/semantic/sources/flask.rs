//! Flask, and Quart and Werkzeug, which share its request object.

use super::Framework;

pub(super) const FLASK: Framework = Framework {
    fact: "sources::flask",
    modules: &["flask", "quart", "werkzeug"],
    request_globals: &[
        &["flask", "request"],
        &["quart", "request"],
        &["werkzeug", "request"],
    ],
    request_data: &[
        "args",
        "form",
        "values",
        "json",
        "data",
        "cookies",
        "headers",
        "files",
        "get_json",
        "get_data",
        "stream",
        "input_stream",
        "full_path",
        "path",
        "url",
        "query_string",
        "view_args",
    ],
    route_decorators: &["route", "get", "post", "put", "patch", "delete"],
    ..Framework::NONE
};
