//! Rewriting a shell command string as an argument list, shared by the command injection fixes.
//!
//! `f"convert {src} -resize {size} out.png"` becomes `["convert", str(src), "-resize",
//! str(size), "out.png"]`. Only the command as written at the call (or in the one assignment
//! of the variable passed) is rewritten, and only when every inserted value is converted the
//! way `str()` does (`{x}`, `%s`, `{}` — not `{x!r}` or `%05d`), so the list holds exactly the
//! text the shell would have received, one value per word.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange, TextSize};
use crate::semantic::{keyword, Binding, BindingKind};

use super::command_template::{template, Inserted};
use super::shell_words::{self, Piece, Quoting, Word, WordPiece};

/// The words of a command, as Python expressions, and where they go.
pub struct ArgumentWords {
    pub words: Vec<String>,
    /// The value of `cmd = ...` to replace with the list, when the command was passed by name.
    pub variable: Option<TextRange>,
}

/// The argument list for `command`, when it can be written without a shell.
pub fn argument_words<'a>(checker: &Checker<'a>, command: &'a Expr) -> Option<ArgumentWords> {
    let semantic = checker.semantic();
    if let Expr::Name(name) = command {
        let Binding {
            kind: BindingKind::Assignment(value),
            scope,
            ..
        } = semantic.binding_of(name)?
        else {
            return None;
        };
        let single = semantic.bindings_in(*scope, name.id.as_str()).len() == 1;
        if !single || *scope != semantic.current_scope() {
            return None;
        }
        return Some(ArgumentWords {
            words: words_of(checker, value)?,
            variable: Some(value.range()),
        });
    }
    Some(ArgumentWords {
        words: words_of(checker, command)?,
        variable: None,
    })
}

fn words_of<'a>(checker: &Checker<'a>, command: &'a Expr) -> Option<Vec<String>> {
    let pieces = template(checker, command, 0)?;
    let values: Vec<&Expr> = pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Value(value) => Some(value.expr),
            Piece::Text(_) => None,
        })
        .collect();
    // A value used twice would be evaluated twice; only plain names may repeat.
    let repeats = values.iter().enumerate().any(|(index, value)| {
        !value.is_name_expr()
            && values[..index]
                .iter()
                .any(|other| std::ptr::eq(*other, *value))
    });
    if repeats {
        return None;
    }
    let words = shell_words::split(&pieces).words?;
    // A program taken from a value (`$PAGER`, `$EDITOR`) is usually a command line the shell
    // was meant to split; as one list item it would name a program that does not exist.
    let program_is_fixed = words
        .first()
        .is_some_and(|word| word.iter().all(|piece| matches!(piece, WordPiece::Text(_))));
    if !program_is_fixed {
        return None;
    }
    words
        .iter()
        .map(|word| render_word(checker, word))
        .collect()
}

fn render_word<'a>(checker: &Checker<'a>, word: &Word<Inserted<'a>>) -> Option<String> {
    if let [WordPiece::Value(value, quoting)] = word.as_slice() {
        return render_value(checker, *value, *quoting);
    }
    let mut text = String::new();
    for piece in word {
        match piece {
            WordPiece::Text(literal) => text.push_str(literal),
            WordPiece::Value(..) => return render_fstring(checker, word),
        }
    }
    Some(python_string(&text))
}

/// A value that is a whole word becomes one list element.
fn render_value<'a>(
    checker: &Checker<'a>,
    value: Inserted<'a>,
    quoting: Quoting,
) -> Option<String> {
    if let Some(unquoted) = quoted_argument(checker, value.expr) {
        // The shell strips the quotes `shlex.quote` added; the list needs the bare string.
        return (quoting == Quoting::Unquoted).then(|| element_text(checker, unquoted))?;
    }
    let text = element_text(checker, value.expr)?;
    if !value.converted || is_known_str(checker, value.expr) {
        return Some(text);
    }
    let semantic = checker.semantic();
    let str_is_builtin = semantic
        .lookup("str", semantic.current_scope(), value.expr.start())
        .is_none();
    str_is_builtin.then(|| format!("str({text})"))
}

/// A word mixing text and values becomes an f-string, which converts the way the original did.
fn render_fstring<'a>(checker: &Checker<'a>, word: &Word<Inserted<'a>>) -> Option<String> {
    let mut fields = Vec::new();
    for piece in word {
        if let WordPiece::Value(value, quoting) = piece {
            let expr = match quoted_argument(checker, value.expr) {
                Some(_) if *quoting != Quoting::Unquoted => return None,
                Some(unquoted) => unquoted,
                None => value.expr,
            };
            let text = element_text(checker, expr)?;
            if text.contains(['\\', '\n', '\r', '#']) {
                return None;
            }
            fields.push(text);
        }
    }
    let quote = if !fields.iter().any(|field| field.contains('"')) {
        '"'
    } else if !fields.iter().any(|field| field.contains('\'')) {
        '\''
    } else {
        return None;
    };
    let mut fields = fields.into_iter();
    let mut body = String::from("f");
    body.push(quote);
    for piece in word {
        match piece {
            WordPiece::Text(text) => {
                escape_into(&mut body, text, quote, true);
            }
            WordPiece::Value(..) => {
                let field = fields.next()?;
                let space = if field.starts_with('{') { " " } else { "" };
                body.push_str(&format!("{{{space}{field}}}"));
            }
        }
    }
    body.push(quote);
    Some(body)
}

/// The argument of `shlex.quote(x)` / `pipes.quote(x)`.
fn quoted_argument<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<&'a Expr> {
    let Expr::Call(call) = expr else {
        return None;
    };
    let function = checker.semantic().resolve_qualified_name(&call.func)?;
    if !matches!(function.segments(), ["shlex" | "pipes", "quote"]) {
        return None;
    }
    match (
        call.arguments.args.as_ref(),
        call.arguments.keywords.is_empty(),
    ) {
        ([argument], true) if !argument.is_starred_expr() => Some(argument),
        _ => keyword(call, "s")
            .filter(|_| call.arguments.len() == 1)
            .map(|k| &k.value),
    }
}

/// An expression's source, parenthesised where a list element or call argument needs it.
fn element_text(checker: &Checker, expr: &Expr) -> Option<String> {
    let text = checker.text(expr);
    let needs_parentheses = match expr {
        Expr::Tuple(tuple) => !tuple.parenthesized,
        Expr::Named(_) | Expr::Lambda(_) | Expr::Yield(_) | Expr::YieldFrom(_) => true,
        Expr::Generator(_) => !text.starts_with('('),
        Expr::Starred(_) => return None,
        _ => false,
    };
    Some(if needs_parentheses {
        format!("({text})")
    } else {
        text.to_string()
    })
}

/// A value that is a `str` already: built from strings, `str(...)`, a `str`-annotated parameter.
fn is_known_str<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    let semantic = checker.semantic();
    if semantic.string_parts(expr).is_some() {
        return true;
    }
    match expr {
        Expr::Call(call) => semantic
            .resolve_qualified_name(&call.func)
            .is_some_and(|function| {
                function.is_builtin("str")
                    || matches!(
                        function.segments(),
                        ["os", "path", "join" | "basename" | "dirname" | "abspath" | "normpath"]
                    )
            }),
        Expr::Name(name) => match semantic.binding_of(name) {
            Some(Binding {
                kind: BindingKind::Parameter { function, .. },
                ..
            }) => function
                .parameters
                .find(name.id.as_str())
                .and_then(|parameter| parameter.parameter.annotation.as_deref())
                .is_some_and(|annotation| {
                    matches!(annotation, Expr::Name(annotation) if annotation.id.as_str() == "str")
                }),
            _ => false,
        },
        _ => false,
    }
}

/// A Python string literal holding `text`.
pub fn python_string(text: &str) -> String {
    let quote = if text.contains('"') && !text.contains('\'') {
        '\''
    } else {
        '"'
    };
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push(quote);
    escape_into(&mut literal, text, quote, false);
    literal.push(quote);
    literal
}

fn escape_into(out: &mut String, text: &str, quote: char, in_fstring: bool) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '{' if in_fstring => out.push_str("{{"),
            '}' if in_fstring => out.push_str("}}"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
}

pub fn list_literal(words: &[String]) -> String {
    format!("[{}]", words.join(", "))
}

/// Deletes one argument of a call with the comma that separates it from its neighbours.
pub fn remove_argument(checker: &Checker, call: &ast::ExprCall, argument: TextRange) -> Edit {
    let mut ranges: Vec<TextRange> = call
        .arguments
        .args
        .iter()
        .map(Ranged::range)
        .chain(call.arguments.keywords.iter().map(Ranged::range))
        .collect();
    ranges.sort_by_key(|range| range.start());
    let position = ranges.iter().position(|range| *range == argument);
    let next = position.and_then(|at| ranges.get(at + 1));
    let previous = position
        .and_then(|at| at.checked_sub(1))
        .map(|at| ranges[at]);
    let span = match (next, previous) {
        (Some(next), _) => TextRange::new(argument.start(), next.start()),
        (None, Some(previous)) => TextRange::new(previous.end(), argument.end()),
        (None, None) => argument,
    };
    if !checker.text(&span).contains('#') {
        return Edit::delete(span);
    }
    // A comment sits between the arguments: keep it, delete only `argument,`.
    let after = &checker.source()[argument.end().to_usize()..];
    let comma = after
        .find(|c: char| c != ' ' && c != '\t')
        .filter(|at| after[*at..].starts_with(','))
        .map_or(0, |at| at + 1);
    Edit::delete(TextRange::new(
        argument.start(),
        argument.end() + TextSize::try_from(comma).unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::python_string;

    #[test]
    fn python_strings_escape_what_they_must() {
        assert_eq!(python_string("out.png"), "\"out.png\"");
        assert_eq!(python_string("say \"hi\""), "'say \"hi\"'");
        assert_eq!(python_string("a'b\"c"), "\"a'b\\\"c\"");
        assert_eq!(python_string("a\\b\tc\u{1}"), "\"a\\\\b\\tc\\x01\"");
        assert_eq!(python_string("é"), "\"é\"");
    }
}
