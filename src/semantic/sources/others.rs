//! Smaller frameworks: Bottle, Sanic, Pyramid and Falcon.

use super::Framework;

pub(super) const BOTTLE: Framework = Framework {
    fact: "sources::bottle",
    modules: &["bottle"],
    request_globals: &[&["bottle", "request"]],
    request_data: &[
        "query",
        "forms",
        "params",
        "json",
        "body",
        "files",
        "GET",
        "POST",
        "cookies",
        "headers",
        "get_header",
        "get_cookie",
        "query_string",
        "path",
        "url",
        "fullpath",
    ],
    route_decorators: &["route", "get", "post", "put", "patch", "delete"],
    ..Framework::NONE
};

pub(super) const SANIC: Framework = Framework {
    fact: "sources::sanic",
    modules: &["sanic"],
    request_data: &[
        "args",
        "query_args",
        "form",
        "json",
        "body",
        "files",
        "cookies",
        "headers",
        "query_string",
        "path",
        "url",
        "raw_url",
    ],
    route_decorators: &[
        "route",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "websocket",
    ],
    ..Framework::NONE
};

pub(super) const PYRAMID: Framework = Framework {
    fact: "sources::pyramid",
    modules: &["pyramid"],
    request_data: &[
        "params",
        "GET",
        "POST",
        "json",
        "json_body",
        "matchdict",
        "body",
        "text",
        "headers",
        "cookies",
        "path",
        "url",
        "query_string",
    ],
    ..Framework::NONE
};

pub(super) const FALCON: Framework = Framework {
    fact: "sources::falcon",
    modules: &["falcon"],
    request_data: &[
        "params",
        "get_param",
        "get_param_as_list",
        "media",
        "get_media",
        "stream",
        "bounded_stream",
        "headers",
        "get_header",
        "cookies",
        "query_string",
        "path",
        "url",
        "uri",
        "relative_uri",
    ],
    ..Framework::NONE
};
