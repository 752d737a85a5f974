//! Starlette, and FastAPI and Litestar, whose requests have the same shape.

use super::Framework;

pub(super) const STARLETTE: Framework = Framework {
    fact: "sources::starlette",
    modules: &["starlette", "fastapi", "litestar"],
    request_data: &[
        "query_params",
        "path_params",
        "headers",
        "cookies",
        "url",
        // Awaited methods: `await request.form()`, `await request.body()`.
        "form",
        "body",
        "json",
        "stream",
    ],
    route_decorators: &[
        "route",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "api_route",
        "websocket",
    ],
    // `db: Session = Depends(get_db)`: FastAPI fills these in, not the client.
    injected_defaults: &["Depends", "Security"],
    framework_annotations: &[
        "Request",
        "Response",
        "WebSocket",
        "HTTPConnection",
        "BackgroundTasks",
        // SQLAlchemy sessions, handed out by a dependency.
        "Session",
        "AsyncSession",
    ],
    ..Framework::NONE
};
