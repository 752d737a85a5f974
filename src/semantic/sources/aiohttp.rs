//! aiohttp's server (`aiohttp.web`); its client shares the package, so importing
//! `aiohttp` alone does not make a `request` parameter a web request.

use super::Framework;

pub(super) const AIOHTTP: Framework = Framework {
    fact: "sources::aiohttp",
    modules: &["aiohttp"],
    server_modules: &["aiohttp.web"],
    request_data: &[
        "match_info",
        "query",
        "query_string",
        "rel_url",
        "path",
        "path_qs",
        "raw_path",
        "url",
        "headers",
        "cookies",
        "content",
        // Awaited methods: `await request.post()`, `await request.json()`.
        "post",
        "json",
        "text",
        "read",
        "multipart",
    ],
    ..Framework::NONE
};
