//! The shape of a URL built from pieces: is its destination (scheme and host, or a path on
//! this site) fixed before the first piece that comes from the request?

use crate::checker::Checker;
use crate::parse::ast::Expr;
use crate::semantic::{Cleans, StringPart};

/// Whether the destination of `url` is fixed before the first request value:
/// `Some(true)` for `f"https://api.example.com/u/{uid}"` and `f"/users/{uid}"`,
/// `Some(false)` for `f"https://{host}/status"`, `None` when the request value is the
/// whole URL or starts it (or the pieces do not show where it is). `cleans` says which values no longer count as request data.
pub fn destination_is_fixed<'a>(
    checker: &Checker<'a>,
    url: &'a Expr,
    cleans: Cleans,
) -> Option<bool> {
    let semantic = checker.semantic();
    let parts = semantic.string_parts(url)?;
    #[derive(PartialEq)]
    enum State {
        Start,
        Authority,
        Closed,
    }
    let mut state = State::Start;
    let mut leading = String::new();
    for part in parts {
        match part {
            StringPart::Literal(text) => {
                if state == State::Start {
                    leading.push_str(&text);
                }
                if let Some(at) = text.rfind("://") {
                    state = State::Authority;
                    if text[at + 3..].contains(['/', '?', '#']) {
                        state = State::Closed;
                    }
                } else if (state == State::Authority && text.contains(['/', '?', '#']))
                    || (state == State::Start && is_site_path(&leading))
                {
                    state = State::Closed;
                }
            }
            StringPart::Dynamic(value) => {
                if semantic.request_taint_with(value, cleans).is_some() {
                    return match state {
                        State::Start => None,
                        State::Authority => Some(false),
                        State::Closed => Some(true),
                    };
                }
                // A base URL from configuration: assume it names the scheme and host.
                if state == State::Start {
                    state = State::Authority;
                }
            }
        }
    }
    // No piece carries request data: the value reaches the sink some other way than the
    // pieces show (another assignment of a name), so nothing is known to be fixed.
    None
}

/// A path on this site whose first segment is written out: `/users/`, `/a`, `?page=`.
/// Not `/` alone (`"/" + "/evil.example"` leaves the site) nor `/\`, which browsers read as
/// `//`.
fn is_site_path(leading: &str) -> bool {
    let mut chars = leading.chars();
    match chars.next() {
        Some('?' | '#') => true,
        Some('/') => chars
            .next()
            .is_some_and(|second| !matches!(second, '/' | '\\')),
        _ => false,
    }
}
