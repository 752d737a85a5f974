//! Writing the rewritten SQL back as Python: escaping for the placeholder style, then a
//! string literal (an f-string when fixed values stay in the text) in the original's quotes.

use super::sql_sinks::ParamStyle;

/// One piece of text to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'s> {
    /// SQL text, escaped for the placeholder style.
    Sql(char),
    /// Text written as is (a placeholder, a parameter's text).
    Raw(char),
    /// A Python expression kept in an f-string.
    Code(&'s str),
}

/// Escapes SQL text so the driver does not read it as a placeholder: `%` → `%%` for
/// `%s` drivers, `:word` → `\:word` for SQLAlchemy's `text()`.
pub fn sql_text(segments: Vec<Segment<'_>>, style: ParamStyle) -> Result<Vec<Segment<'_>>, String> {
    let mut escaped = Vec::with_capacity(segments.len());
    for (index, segment) in segments.iter().enumerate() {
        let next = segments.get(index + 1);
        match (*segment, style) {
            (
                Segment::Sql('%'),
                ParamStyle::Format {
                    doubles_percent: true,
                },
            ) => {
                escaped.extend([Segment::Raw('%'), Segment::Raw('%')]);
            }
            (
                Segment::Sql('%'),
                ParamStyle::Format {
                    doubles_percent: false,
                },
            ) if matches!(next, Some(Segment::Sql('s'))) => {
                return Err(
                    "Pass the values as query parameters: the SQL text holds a literal `%s`".into(),
                );
            }
            (Segment::Sql(':'), ParamStyle::SqlAlchemy) => {
                let after_word = match index.checked_sub(1).map(|before| segments[before]) {
                    Some(Segment::Sql(c) | Segment::Raw(c)) => {
                        c.is_alphanumeric() || c == '_' || c == ':' || c == '\\'
                    }
                    Some(Segment::Code(_)) => true,
                    None => false,
                };
                let before_word = matches!(next, Some(Segment::Sql(c) | Segment::Raw(c)) if c.is_alphanumeric() || *c == '_');
                if !after_word && before_word {
                    escaped.push(Segment::Raw('\\'));
                }
                escaped.push(Segment::Raw(':'));
            }
            (segment, _) => escaped.push(segment),
        }
    }
    Ok(escaped)
}

/// A Python string literal for `segments`, in the quotes `original` (the source being
/// replaced) opens with; triple-quoted when it was and the text spans lines.
pub fn python_string(segments: &[Segment<'_>], original: &str) -> Result<String, String> {
    let (mut quote, was_triple) = quote_of(original);
    let text: String = segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Sql(c) | Segment::Raw(c) => Some(*c),
            Segment::Code(_) => None,
        })
        .collect();
    let triple = was_triple && text.contains('\n');
    let other = if quote == '"' { '\'' } else { '"' };
    if !triple && text.contains(quote) && !text.contains(other) {
        quote = other;
    }
    let is_f = segments.iter().any(|s| matches!(s, Segment::Code(_)));
    let mut literal = String::from(if is_f { "f" } else { "" });
    let fence: String = std::iter::repeat_n(quote, if triple { 3 } else { 1 }).collect();
    literal.push_str(&fence);
    for (index, segment) in segments.iter().enumerate() {
        let c = match segment {
            Segment::Code(code) => {
                // Before Python 3.12 an f-string expression may not hold a backslash, its
                // own quote, or (single-quoted) a line break.
                if code.contains(['\\', quote]) || (!triple && code.contains('\n')) {
                    return Err(
                        "Pass the values as query parameters instead of building the SQL text"
                            .into(),
                    );
                }
                literal.push('{');
                literal.push_str(code);
                literal.push('}');
                continue;
            }
            Segment::Sql(c) | Segment::Raw(c) => *c,
        };
        match c {
            '\\' => literal.push_str("\\\\"),
            '{' | '}' if is_f => {
                literal.push(c);
                literal.push(c);
            }
            '\n' if triple => literal.push('\n'),
            '\n' => literal.push_str("\\n"),
            '\r' => literal.push_str("\\r"),
            '\t' => literal.push_str("\\t"),
            c if c == quote => {
                let next_is_quote = matches!(
                    segments.get(index + 1),
                    Some(Segment::Sql(n) | Segment::Raw(n)) if *n == quote
                );
                if !triple || next_is_quote || index + 1 == segments.len() {
                    literal.push('\\');
                }
                literal.push(c);
            }
            c if c.is_control() => literal.push_str(&format!("\\x{:02x}", c as u32)),
            c => literal.push(c),
        }
    }
    literal.push_str(&fence);
    Ok(literal)
}

/// The quote the first string in `source` opens with, and whether it is tripled.
fn quote_of(source: &str) -> (char, bool) {
    match source.find(['"', '\'']) {
        Some(at) => {
            let quote = source[at..].chars().next().unwrap_or('"');
            let triple: String = std::iter::repeat_n(quote, 3).collect();
            (quote, source[at..].starts_with(&triple))
        }
        None => ('"', false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(text: &str) -> Vec<Segment<'_>> {
        text.chars().map(Segment::Sql).collect()
    }

    #[test]
    fn literals_keep_the_original_quotes_and_escape_what_they_must() {
        let segments: Vec<Segment> = sql("SELECT 'a' FROM t WHERE b = ?");
        assert_eq!(
            python_string(&segments, "f'SELECT...'").unwrap(),
            "\"SELECT 'a' FROM t WHERE b = ?\""
        );
        assert_eq!(
            python_string(&sql("SELECT *\n  FROM t"), "f\"\"\"\nSELECT").unwrap(),
            "\"\"\"SELECT *\n  FROM t\"\"\""
        );
        assert_eq!(python_string(&sql("a\\b\n"), "'x'").unwrap(), "'a\\\\b\\n'");
        let mut segments = sql("IN (");
        segments.push(Segment::Code("marks"));
        segments.extend(sql(") {x}"));
        assert_eq!(
            python_string(&segments, "'").unwrap(),
            "f'IN ({marks}) {{x}}'"
        );
    }

    #[test]
    fn sql_text_escapes_for_each_style() {
        let escaped = sql_text(
            sql("a LIKE 'x%' AND t = ':v' AND c::int"),
            ParamStyle::SqlAlchemy,
        )
        .unwrap();
        assert_eq!(
            python_string(&escaped, "'").unwrap(),
            "\"a LIKE 'x%' AND t = '\\\\:v' AND c::int\""
        );
        let escaped = sql_text(
            sql("LIKE 'x%'"),
            ParamStyle::Format {
                doubles_percent: true,
            },
        )
        .unwrap();
        assert_eq!(python_string(&escaped, "'").unwrap(), "\"LIKE 'x%%'\"");
        assert!(sql_text(
            sql("'%s'"),
            ParamStyle::Format {
                doubles_percent: false
            }
        )
        .is_err());
    }
}
