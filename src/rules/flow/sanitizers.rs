//! What makes request data harmless for each kind of sink. Passed to
//! [`crate::semantic::SemanticModel::taint_source_with`].

use crate::semantic::{Guards, Passage};

/// Escaping for HTML, and builders that escape what they insert.
pub fn html(passage: Passage) -> bool {
    match passage {
        Passage::Call(name) => matches!(
            name,
            ["markupsafe" | "flask" | "jinja2", "escape"]
                | ["markupsafe" | "flask" | "jinja2", "Markup", "()", "format"]
                | ["html", "escape"]
                | [
                    "django",
                    "utils",
                    "html",
                    "escape" | "conditional_escape" | "format_html" | "format_html_join"
                ]
                | ["bleach", "clean" | "linkify"]
                | ["nh3", "clean"]
                | ["urllib", "parse", "quote" | "quote_plus" | "urlencode"]
                | ["flask", "render_template" | "url_for" | "jsonify"]
                | ["django", "shortcuts", "render"]
                | ["django", "template", "loader", "render_to_string"]
        ),
        Passage::Attribute(_) | Passage::Checked(_) => false,
    }
}

/// Reductions of a path to one harmless file name, and joins that refuse to leave a base.
pub fn path(passage: Passage) -> bool {
    match passage {
        Passage::Call(name) => matches!(
            name,
            ["os" | "posixpath" | "ntpath", "path", "basename"]
                | ["werkzeug", "utils", "secure_filename" | "safe_join"]
                | ["werkzeug", "security", "safe_join"]
                | ["flask", "safe_join"]
                | ["django", "utils", "_os", "safe_join"]
                | ["uuid", ..]
                // In-memory files: the data is not a path.
                | ["io", "BytesIO" | "StringIO"]
        ),
        // `Path(name).name`, `.stem`, `.suffix`: the last component only.
        Passage::Attribute(attribute) => matches!(attribute, "name" | "stem" | "suffix"),
        // `if ".." in name: abort(400)`, `if not target.is_relative_to(BASE): abort(403)`.
        Passage::Checked(guard) => guard == Guards::CONTAINED_PATH,
    }
}

/// Percent-encoding: the value can no longer add a scheme, a host or a path segment.
pub fn url(passage: Passage) -> bool {
    match passage {
        Passage::Call(name) => matches!(
            name,
            ["urllib", "parse", "quote" | "quote_plus" | "urlencode"]
        ),
        Passage::Attribute(_) => false,
        // `if urlsplit(url).hostname not in ALLOWED_HOSTS: abort(400)`.
        Passage::Checked(guard) => guard == Guards::ALLOWED_HOST,
    }
}

/// Code evaluated after a check that it is one quoted literal with no quote inside.
pub fn code(passage: Passage) -> bool {
    matches!(passage, Passage::Checked(guard) if guard == Guards::QUOTED_LITERAL)
}

/// An origin checked against an allow-list, a trusted host or the configured patterns
/// before it is echoed.
pub fn origin(passage: Passage) -> bool {
    matches!(passage, Passage::Checked(guard) if guard == Guards::ALLOWED_HOST || guard == Guards::MATCHED)
}

/// Escaping for LDAP search filters: `*`, `(`, `)`, backslash and NUL become hex escapes
/// (`\2a`). Only for LDAP sinks: the result still carries the text.
pub fn ldap(passage: Passage) -> bool {
    match passage {
        Passage::Call(name) => matches!(
            name,
            ["ldap3", "utils", "conv", "escape_filter_chars"]
                | ["ldap", "filter", "escape_filter_chars" | "filter_format"]
        ),
        Passage::Attribute(_) | Passage::Checked(_) => false,
    }
}

/// Where a redirect may send the client: a URL built by the application's own router, or
/// one checked against allowed hosts (or shown to be a path on this site) before use.
pub fn redirect(passage: Passage) -> bool {
    match passage {
        Passage::Call(name) => matches!(
            name,
            ["flask" | "quart", "url_for"] | ["django", "urls", "reverse" | "reverse_lazy"]
        ),
        Passage::Attribute(_) => false,
        // `if not url_has_allowed_host_and_scheme(url, allowed_hosts=...): ...`,
        // `if url.startswith("/") and not url.startswith("//")`, `urlsplit(url).netloc in ALLOWED`.
        Passage::Checked(guard) => guard == Guards::ALLOWED_HOST,
    }
}

/// What the session may hold: besides the general checks (an allow-list, a number), a
/// record loaded from the database with the request value as a filter is the record, not
/// the value (`User.query.filter_by(name=name).first().id`).
pub fn session(passage: Passage) -> bool {
    match passage {
        Passage::Call(name) => matches!(
            name,
            [
                "django",
                "shortcuts",
                "get_object_or_404" | "get_list_or_404"
            ]
        ),
        Passage::Attribute(attribute) => matches!(
            attribute,
            "first"
                | "first_or_404"
                | "one"
                | "one_or_none"
                | "one_or_404"
                | "get_or_404"
                | "scalar"
                | "scalar_one"
                | "scalar_one_or_none"
                | "fetchone"
        ),
        Passage::Checked(_) => false,
    }
}

/// What keeps `urllib` to the web: a check that the URL starts with `http://` or
/// `https://` (or parses to that scheme), or a host allow-list (urllib refuses a `file:`
/// URL whose host is not this machine).
pub fn web_url(passage: Passage) -> bool {
    match passage {
        Passage::Call(name) => matches!(name, ["urllib", "parse", "quote" | "quote_plus"]),
        Passage::Attribute(_) => false,
        Passage::Checked(guard) => guard == Guards::WEB_SCHEME || guard == Guards::ALLOWED_HOST,
    }
}
