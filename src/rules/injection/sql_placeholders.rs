//! Where each value sits in SQL text, and the same SQL with placeholders instead of values.
//!
//! Works on the parts a string is built from: literal text, and dynamic values the caller
//! has classified as fixed (a number, a word from a fixed list: they stay in the text) or
//! not (they become parameters). A value can become a parameter only where SQL accepts
//! one: after a comparison, `LIKE`, `LIMIT`, inside `VALUES (...)` / `IN (...)`, or as the
//! whole content of a quoted SQL string. Table and column names never can.

use crate::parse::ast::Expr;
use crate::semantic::StringPart;

/// What a dynamic value is to the SQL around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A value a placeholder can take.
    Value,
    /// A table or column name (`FROM {table}`, `ORDER BY {column}`, `"{name}"`).
    Identifier,
    /// A piece of SQL syntax (`WHERE {condition}`), or text we cannot place.
    Fragment,
    /// The whole of `IN (...)` or `VALUES (...)`: several values joined into one text.
    List,
}

/// A piece of the rewritten SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    Text(String),
    /// The placeholder for parameter number `n` (0-based).
    Placeholder(usize),
    /// A fixed dynamic value that stays in the text (an f-string interpolation).
    Kept(&'a Expr),
}

/// A part of one parameter's value: a SQL string `'%{term}%'` becomes `%`, `term`, `%`.
#[derive(Debug, Clone, PartialEq)]
pub enum ValuePiece<'a> {
    Text(String),
    Value(&'a Expr),
}

#[derive(Debug, Default)]
pub struct Placed<'a> {
    pub pieces: Vec<Piece<'a>>,
    pub params: Vec<Vec<ValuePiece<'a>>>,
    /// Each value that is not fixed, in order, with its role.
    pub roles: Vec<(&'a Expr, Role)>,
    /// A quote opened in the SQL text and never closed.
    pub unbalanced: bool,
    /// The text so far with `?` for placeholders and `x` for kept values.
    plain: String,
}

impl<'a> Placed<'a> {
    /// The first word of the statement, upper case (`SELECT`, `CREATE`).
    pub fn statement(&self) -> String {
        let text = self
            .plain
            .trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        first_word(text).to_ascii_uppercase()
    }

    /// Data statements take parameters; `CREATE`, `SET`, `PRAGMA` and friends do not.
    pub fn takes_parameters(&self) -> bool {
        matches!(
            self.statement().as_str(),
            "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH" | "REPLACE"
        )
    }

    /// The text with `?` for placeholders and `x` for kept values (for reading context).
    pub fn plain(&self) -> &str {
        &self.plain
    }

    fn push_text(&mut self, chars: impl Iterator<Item = char>) {
        let start = self.plain.len();
        self.plain.extend(chars);
        let added = &self.plain[start..];
        match self.pieces.last_mut() {
            _ if added.is_empty() => {}
            Some(Piece::Text(text)) => text.push_str(added),
            _ => self.pieces.push(Piece::Text(added.to_string())),
        }
    }

    fn push_kept(&mut self, value: &'a Expr) {
        self.plain.push('x');
        self.pieces.push(Piece::Kept(value));
    }

    fn push_parameter(&mut self, value: Vec<ValuePiece<'a>>) {
        self.plain.push('?');
        self.pieces.push(Piece::Placeholder(self.params.len()));
        self.params.push(value);
    }
}

#[derive(Clone, Copy)]
enum Token<'a> {
    Char(char),
    Dynamic(&'a Expr),
}

impl Token<'_> {
    fn char(&self) -> Option<char> {
        match self {
            Token::Char(c) => Some(*c),
            Token::Dynamic(_) => None,
        }
    }
}

/// Places every dynamic part of `parts`; `is_fixed` says which values may stay in the text.
pub fn place<'a>(parts: &[StringPart<'a>], is_fixed: impl Fn(&'a Expr) -> bool) -> Placed<'a> {
    let mut tokens: Vec<Token<'a>> = Vec::new();
    for part in parts {
        match part {
            StringPart::Literal(text) => tokens.extend(text.chars().map(Token::Char)),
            StringPart::Dynamic(expr) => tokens.push(Token::Dynamic(expr)),
        }
    }
    let mut placed = Placed::default();
    let mut quoted_name = None::<char>;
    let mut index = 0;
    while index < tokens.len() {
        match tokens[index] {
            Token::Char('\'') if quoted_name.is_none() => {
                index = place_sql_string(&tokens, index, &mut placed, &is_fixed);
            }
            Token::Char(c @ ('"' | '`')) => {
                quoted_name = match quoted_name {
                    None => Some(c),
                    Some(open) if open == c => None,
                    other => other,
                };
                placed.push_text(std::iter::once(c));
                index += 1;
            }
            Token::Char(_) => {
                // This character and the plain ones after it, in one go.
                let run = 1 + tokens[index + 1..]
                    .iter()
                    .take_while(
                        |token| matches!(token, Token::Char(c) if !matches!(c, '\'' | '"' | '`')),
                    )
                    .count();
                placed.push_text(tokens[index..index + run].iter().filter_map(Token::char));
                index += run;
            }
            Token::Dynamic(expr) if is_fixed(expr) => {
                placed.push_kept(expr);
                index += 1;
            }
            Token::Dynamic(expr) => {
                let before = placed.plain();
                let glued = matches!(tokens.get(index + 1),
                    Some(Token::Dynamic(_)) | Some(Token::Char('a'..='z' | 'A'..='Z' | '0'..='9' | '_' | '.' | '\'' | '"')));
                let alone_in_parentheses = before.trim_end().ends_with('(')
                    && tokens[index + 1..]
                        .iter()
                        .find(|token| !matches!(token, Token::Char(c) if c.is_whitespace()))
                        .is_some_and(|token| matches!(token, Token::Char(')')));
                let role = if quoted_name.is_some() {
                    Role::Identifier
                } else if alone_in_parentheses && is_in_value_list(before.trim_end()) {
                    // `IN ({ids})`, `VALUES ({row})`: most likely several values joined.
                    Role::List
                } else if is_value_context(before) && !glued {
                    Role::Value
                } else if is_identifier_context(before) {
                    Role::Identifier
                } else {
                    Role::Fragment
                };
                placed.roles.push((expr, role));
                if role == Role::Value {
                    placed.push_parameter(vec![ValuePiece::Value(expr)]);
                } else {
                    placed.push_kept(expr);
                }
                index += 1;
            }
        }
    }
    placed.unbalanced |= quoted_name.is_some();
    placed
}

/// A single-quoted SQL string starting at `open`; returns the index after it. When a value
/// that is not fixed sits inside, the whole string becomes one parameter.
fn place_sql_string<'a>(
    tokens: &[Token<'a>],
    open: usize,
    placed: &mut Placed<'a>,
    is_fixed: &impl Fn(&'a Expr) -> bool,
) -> usize {
    let mut value: Vec<ValuePiece<'a>> = Vec::new();
    let mut unfixed = Vec::new();
    let mut index = open + 1;
    let close = loop {
        match tokens.get(index) {
            None => break None,
            Some(Token::Char('\'')) if matches!(tokens.get(index + 1), Some(Token::Char('\''))) => {
                push_value_text(&mut value, '\'');
                index += 2;
                continue;
            }
            Some(Token::Char('\'')) => break Some(index),
            Some(Token::Char(c)) => push_value_text(&mut value, *c),
            Some(Token::Dynamic(expr)) => {
                if !is_fixed(expr) {
                    unfixed.push(*expr);
                }
                value.push(ValuePiece::Value(expr));
            }
        }
        index += 1;
    };
    let end = close.map_or(tokens.len(), |close| close + 1);
    if unfixed.is_empty() || close.is_none() {
        placed.unbalanced |= close.is_none();
        for run in tokens[open..end].split_inclusive(|token| matches!(token, Token::Dynamic(_))) {
            placed.push_text(run.iter().filter_map(Token::char));
            if let Some(Token::Dynamic(expr)) = run.last() {
                placed.push_kept(expr);
            }
        }
        let role = if close.is_none() {
            Role::Fragment
        } else {
            Role::Value
        };
        placed
            .roles
            .extend(unfixed.into_iter().map(|expr| (expr, role)));
        return end;
    }
    let role = if is_value_context(placed.plain()) {
        Role::Value
    } else {
        Role::Fragment
    };
    placed
        .roles
        .extend(unfixed.into_iter().map(|expr| (expr, role)));
    placed.push_parameter(value);
    end
}

fn push_value_text(value: &mut Vec<ValuePiece<'_>>, c: char) {
    match value.last_mut() {
        Some(ValuePiece::Text(text)) => text.push(c),
        _ => value.push(ValuePiece::Text(c.to_string())),
    }
}

/// Does SQL accept a value right after `before`?
fn is_value_context(before: &str) -> bool {
    let text = before.trim_end();
    if text.ends_with(['=', '<', '>']) {
        return true;
    }
    if text.ends_with(['(', ',']) {
        return is_in_value_list(text);
    }
    let word = last_word(text).to_ascii_uppercase();
    match word.as_str() {
        "LIKE" | "ILIKE" | "GLOB" | "LIMIT" | "OFFSET" | "THEN" | "ELSE" | "BETWEEN" => true,
        // `BETWEEN ? AND ...`
        "AND" => {
            let rest = text[..text.len() - 3].trim_end();
            let rest = rest
                .trim_end_matches(|c: char| !c.is_whitespace())
                .trim_end();
            last_word(rest).eq_ignore_ascii_case("BETWEEN")
        }
        _ => false,
    }
}

/// How far back in the text we read to place a value.
const CONTEXT_CHARS: usize = 4096;

/// Inside `VALUES (...)` (one row or several) or `IN (...)`.
fn is_in_value_list(text: &str) -> bool {
    let text = recent(text);
    let mut depth = 0usize;
    for (at, c) in text.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            '(' => {
                let before = text[..at].trim_end();
                let word = last_word(before).to_ascii_uppercase();
                return word == "VALUES"
                    || word == "IN"
                    || (before.ends_with(',') && before.to_ascii_uppercase().contains("VALUES"));
            }
            _ => {}
        }
    }
    false
}

fn is_identifier_context(before: &str) -> bool {
    let text = before.trim_end();
    if text.ends_with(['.', ',']) {
        return true;
    }
    let word = last_word(text).to_ascii_uppercase();
    matches!(
        word.as_str(),
        "FROM" | "JOIN" | "INTO" | "UPDATE" | "TABLE" | "BY" | "SELECT" | "AS" | "EXISTS"
    )
}

/// The last [`CONTEXT_CHARS`] bytes of `text` (on a character boundary).
fn recent(text: &str) -> &str {
    let mut start = text.len().saturating_sub(CONTEXT_CHARS);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

fn last_word(text: &str) -> &str {
    // The word starts after the last character that is not part of one, which may be
    // several bytes long (`€`, `→`, a curly quote).
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(0, |(at, c)| at + c.len_utf8());
    &text[start..]
}

fn first_word(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Does text start like a SQL statement? The first word must be a statement keyword and,
/// for the ones that are also English verbs, the next word must fit (`DELETE FROM`, not
/// `delete failed`).
pub fn starts_like_sql(text: &str) -> bool {
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    let first = first_word(text).to_ascii_uppercase();
    let rest = text[first.len()..].trim_start();
    let second = first_word(rest).to_ascii_uppercase();
    match first.as_str() {
        "SELECT" | "WITH" | "PRAGMA" | "TRUNCATE" | "VACUUM" | "EXPLAIN" | "UPSERT" => true,
        "INSERT" | "REPLACE" => matches!(second.as_str(), "INTO" | "OR" | "IGNORE"),
        "DELETE" => second == "FROM",
        // `UPDATE users SET ...`, also with `SET` on a line of its own.
        "UPDATE" => rest
            .split_whitespace()
            .skip(1)
            .any(|word| word.eq_ignore_ascii_case("SET")),
        "MERGE" => second == "INTO",
        "CREATE" | "DROP" | "ALTER" => matches!(
            second.as_str(),
            "TABLE"
                | "INDEX"
                | "VIEW"
                | "DATABASE"
                | "SCHEMA"
                | "USER"
                | "ROLE"
                | "TRIGGER"
                | "UNIQUE"
                | "TEMP"
                | "TEMPORARY"
                | "OR"
                | "IF"
                | "SEQUENCE"
                | "FUNCTION"
                | "PROCEDURE"
                | "EXTENSION"
                | "TYPE"
                | "MATERIALIZED"
                | "VIRTUAL"
        ),
        "GRANT" | "REVOKE" => rest.to_ascii_uppercase().contains(" ON "),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ast, parse_module, Ranged};
    use crate::semantic::SemanticModel;

    /// The placed SQL as text: `{n}` for placeholder n, `[expr]` for kept values; then roles.
    fn placed(source: &str) -> (String, Vec<String>) {
        let parsed = parse_module(source);
        let model = SemanticModel::new(&parsed.body);
        let Some(ast::Stmt::Expr(statement)) = parsed.body.last() else {
            panic!("the last statement must be an expression");
        };
        let parts = model.string_parts(&statement.value).unwrap();
        let placed = place(&parts, |expr| source[expr.range()].starts_with("int("));
        let mut text = String::new();
        for piece in &placed.pieces {
            match piece {
                Piece::Text(part) => text.push_str(part),
                Piece::Placeholder(n) => text.push_str(&format!("{{{n}}}")),
                Piece::Kept(expr) => text.push_str(&format!("[{}]", &source[expr.range()])),
            }
        }
        let roles = placed
            .roles
            .iter()
            .map(|(expr, role)| format!("{}:{role:?}", &source[expr.range()]))
            .collect();
        (text, roles)
    }

    #[test]
    fn non_ascii_text_right_before_a_value_is_not_cut_inside_a_character() {
        for mark in ["€", "→", "\u{201c}", "é", "😀"] {
            let source = format!("f\"SELECT * FROM t WHERE a = {mark}{{x}}\"");
            let (text, _) = placed(&source);
            assert!(text.contains(mark), "{text}");
        }
        assert_eq!(last_word("WHERE a = €abc"), "abc");
        assert_eq!(last_word("€"), "");
        assert_eq!(last_word("LIKE"), "LIKE");
    }

    #[test]
    fn quoted_and_bare_values_become_placeholders() {
        let (text, roles) = placed("f\"SELECT * FROM t WHERE name = '{name}' AND id={uid}\"");
        assert_eq!(text, "SELECT * FROM t WHERE name = {0} AND id={1}");
        assert_eq!(roles, ["name:Value", "uid:Value"]);
        let (text, _) = placed("f\"SELECT * FROM t WHERE a LIKE '%{term}%' LIMIT {int(n)}\"");
        assert_eq!(text, "SELECT * FROM t WHERE a LIKE {0} LIMIT [int(n)]");
        let (text, _) = placed("f\"INSERT INTO t (a, b) VALUES ('{a}', {b}), ('it''s', {c})\"");
        assert_eq!(
            text,
            "INSERT INTO t (a, b) VALUES ({0}, {1}), ('it''s', {2})"
        );
        let (text, _) =
            placed("f\"SELECT 1 FROM t WHERE x BETWEEN {lo} AND {hi} AND y IN ({y}, {z})\"");
        assert_eq!(
            text,
            "SELECT 1 FROM t WHERE x BETWEEN {0} AND {1} AND y IN ({2}, {3})"
        );
    }

    #[test]
    fn names_and_fragments_are_not_values() {
        let (_, roles) = placed("f'SELECT {col} FROM {table} WHERE {cond} ORDER BY {order}'");
        assert_eq!(
            roles,
            [
                "col:Identifier",
                "table:Identifier",
                "cond:Fragment",
                "order:Identifier"
            ]
        );
        let (_, roles) = placed("f'SELECT * FROM t WHERE \"{col}\" = 1 AND id = {a}{b}'");
        assert_eq!(roles, ["col:Identifier", "a:Fragment", "b:Fragment"]);
        let (_, roles) = placed("f\"SELECT * FROM t WHERE a = '{x}\"");
        assert_eq!(roles, ["x:Fragment"]);
        let (_, roles) = placed("f'SELECT * FROM t WHERE id IN ( {ids} ) AND a IN ({a}, {b})'");
        assert_eq!(roles, ["ids:List", "a:Value", "b:Value"]);
    }

    #[test]
    fn statements_and_sql_looking_text() {
        assert!(starts_like_sql("\n   select * from t"));
        assert!(starts_like_sql("(SELECT 1)"));
        assert!(!starts_like_sql("selected rows"));
        assert!(!starts_like_sql("delete failed for "));
        assert!(starts_like_sql("DELETE FROM t WHERE id = "));
        assert!(starts_like_sql("update users set name = "));
        assert!(starts_like_sql("UPDATE foo\nSET value = 'b'\nWHERE id = "));
        assert!(!starts_like_sql("update the cache for "));
        let parsed = parse_module("'  create table t (a)'");
        let model = SemanticModel::new(&parsed.body);
        let Some(ast::Stmt::Expr(statement)) = parsed.body.last() else {
            panic!();
        };
        let placed = place(&model.string_parts(&statement.value).unwrap(), |_| true);
        assert_eq!(placed.statement(), "CREATE");
        assert!(!placed.takes_parameters());
    }
}
