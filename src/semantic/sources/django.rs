//! Django, and Django REST framework and Django Ninja, whose views get a Django request
//! (DRF wraps it and adds `data` and `query_params`).

use super::Framework;

pub(super) const DJANGO: Framework = Framework {
    fact: "sources::django",
    modules: &["django", "rest_framework", "ninja"],
    request_data: &[
        "GET",
        "POST",
        "COOKIES",
        "META",
        "FILES",
        "headers",
        "body",
        "read",
        "readline",
        "readlines",
        "path",
        "path_info",
        "get_full_path",
        // Django REST framework
        "data",
        "query_params",
    ],
    // Django Ninja passes the request first; it is not data.
    framework_annotations: &["HttpRequest"],
    ..Framework::NONE
};
