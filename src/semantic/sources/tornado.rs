//! Tornado: a `RequestHandler` reads arguments through methods on `self`, its
//! `self.request` holds the raw request, and the URL's groups are the verb methods'
//! parameters (`def get(self, slug)`). `tornado.httpclient` alone is a client.

use super::Framework;

pub(super) const TORNADO: Framework = Framework {
    fact: "sources::tornado",
    modules: &["tornado"],
    server_modules: &["tornado.web", "tornado.websocket"],
    request_data: &[
        "body",
        "arguments",
        "query_arguments",
        "body_arguments",
        "files",
        "headers",
        "cookies",
        "uri",
        "path",
        "query",
        "full_url",
    ],
    handler_bases: &[
        &["tornado", "web", "RequestHandler"],
        &["tornado", "websocket", "WebSocketHandler"],
    ],
    handler_reads: &[
        "get_argument",
        "get_arguments",
        "get_query_argument",
        "get_query_arguments",
        "get_body_argument",
        "get_body_arguments",
        "get_cookie",
        "path_args",
        "path_kwargs",
    ],
    handler_verbs: &["get", "post", "put", "patch", "delete", "head", "options"],
    ..Framework::NONE
};
