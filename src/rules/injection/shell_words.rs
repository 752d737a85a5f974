//! POSIX shell word splitting over a command made of literal text and run-time values.
//!
//! Just enough of the shell's grammar to answer two questions about a command such as
//! `f"convert {src} out.png"`: in which quoting does each value stand (a `shlex.quote`d
//! value is inert only outside quotes), and can the command be written as an argument list
//! (`["convert", src, "out.png"]`) that runs the same program without a shell. Anything a
//! list cannot express (pipes, redirects, `$VAR`, globs, `~`, builtins, ...) makes the
//! command "not expressible"; the quoting of values is still reported.

/// Where a value stands in the command text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    Unquoted,
    Single,
    Double,
}

/// A piece of a command: literal text, or a value only known at run time.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<T> {
    Text(String),
    Value(T),
}

/// A piece of one argument word.
#[derive(Debug, Clone, PartialEq)]
pub enum WordPiece<T> {
    Text(String),
    Value(T, Quoting),
}

pub type Word<T> = Vec<WordPiece<T>>;

#[derive(Debug)]
pub struct Lexed<T> {
    /// Every value with the quoting it stands in, in order.
    pub values: Vec<(T, Quoting)>,
    /// The argument words, or `None` when the command needs a shell.
    pub words: Option<Vec<Word<T>>>,
}

/// Commands that only exist inside a shell: a list naming them fails to start.
const SHELL_ONLY: &[&str] = &[
    // POSIX shells and bash
    ".", "alias", "bg", "break", "builtin", "case", "cd", "command", "continue", "declare", "do",
    "done", "elif", "else", "esac", "eval", "exec", "exit", "export", "fg", "fi", "for",
    "function", "hash", "if", "jobs", "let", "local", "popd", "pushd", "read", "readonly",
    "return", "select", "set", "shift", "source", "then", "time", "trap", "typeset", "ulimit",
    "umask", "unalias", "unset", "until", "wait", "while",
    // cmd.exe: a command that starts with one of these was written for Windows
    "assoc", "call", "cls", "copy", "del", "dir", "endlocal", "erase", "goto", "mklink", "move",
    "ren", "rename", "setlocal", "start", "title", "ver", "vol",
];

/// Splits `pieces` into words the way `sh -c` would, without expanding anything.
pub fn split<T: Copy>(pieces: &[Piece<T>]) -> Lexed<T> {
    let mut lexer = Lexer {
        quoting: Quoting::Unquoted,
        words: Vec::new(),
        current: Vec::new(),
        in_word: false,
        after_newline: false,
        expressible: true,
        values: Vec::new(),
    };
    for piece in pieces {
        match piece {
            Piece::Text(text) => lexer.text(text),
            Piece::Value(value) => {
                lexer.expressible &= !lexer.after_newline;
                lexer.values.push((*value, lexer.quoting));
                lexer.current.push(WordPiece::Value(*value, lexer.quoting));
                lexer.in_word = true;
            }
        }
    }
    if lexer.quoting != Quoting::Unquoted {
        lexer.expressible = false;
    }
    lexer.end_word();
    let expressible = lexer.expressible && lexer.words.first().is_some_and(runs_a_program);
    Lexed {
        values: lexer.values,
        words: expressible.then_some(lexer.words),
    }
}

/// A first word naming a shell builtin or keyword has no program behind it.
fn runs_a_program<T>(word: &Word<T>) -> bool {
    match word.as_slice() {
        [WordPiece::Text(name)] => !SHELL_ONLY.contains(&name.as_str()),
        _ => true,
    }
}

struct Lexer<T> {
    quoting: Quoting,
    words: Vec<Word<T>>,
    current: Word<T>,
    in_word: bool,
    /// An unquoted newline was seen: anything after it is a second command.
    after_newline: bool,
    expressible: bool,
    values: Vec<(T, Quoting)>,
}

impl<T> Lexer<T> {
    fn push(&mut self, c: char) {
        self.in_word = true;
        if let Some(WordPiece::Text(text)) = self.current.last_mut() {
            text.push(c);
        } else {
            self.current.push(WordPiece::Text(c.to_string()));
        }
    }

    fn end_word(&mut self) {
        if self.in_word {
            self.words.push(std::mem::take(&mut self.current));
            self.in_word = false;
        }
    }

    /// True when the word so far is a name, so `=` makes it a `NAME=value` assignment.
    fn is_assignment_prefix(&self) -> bool {
        match self.current.as_slice() {
            [WordPiece::Text(name)] => {
                self.words.is_empty()
                    && !name.starts_with(|c: char| c.is_ascii_digit())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            }
            _ => false,
        }
    }

    fn text(&mut self, text: &str) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if self.after_newline && !c.is_ascii_whitespace() {
                self.expressible = false;
            }
            match self.quoting {
                Quoting::Single => match c {
                    '\'' => self.quoting = Quoting::Unquoted,
                    c => self.push(c),
                },
                Quoting::Double => match c {
                    '"' => self.quoting = Quoting::Unquoted,
                    '\\' => match chars.peek().copied() {
                        Some('\n') => {
                            chars.next();
                        }
                        Some(next @ ('$' | '`' | '"' | '\\')) => {
                            chars.next();
                            self.push(next);
                        }
                        Some(_) => self.push('\\'),
                        None => self.expressible = false,
                    },
                    '$' | '`' => {
                        self.expressible = false;
                        self.push(c);
                    }
                    c => self.push(c),
                },
                Quoting::Unquoted => match c {
                    ' ' | '\t' => self.end_word(),
                    '\n' => {
                        self.end_word();
                        self.after_newline = true;
                    }
                    '\'' => {
                        self.in_word = true;
                        self.quoting = Quoting::Single;
                    }
                    '"' => {
                        self.in_word = true;
                        self.quoting = Quoting::Double;
                    }
                    '\\' => match chars.next() {
                        Some('\n') => {}
                        Some(next) => self.push(next),
                        None => self.expressible = false,
                    },
                    '#' | '~' | '!' if !self.in_word => {
                        self.expressible = false;
                        self.push(c);
                    }
                    '=' if self.is_assignment_prefix() => {
                        self.expressible = false;
                        self.push(c);
                    }
                    '|' | '&' | ';' | '<' | '>' | '(' | ')' | '$' | '`' | '*' | '?' | '[' | '{' => {
                        self.expressible = false;
                        self.push(c);
                    }
                    c => self.push(c),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{}` marks a value; returns the words as strings (`<v>` for values) or `None`.
    fn words(template: &str) -> Option<Vec<String>> {
        let pieces = pieces(template);
        let lexed = split(&pieces);
        lexed.words.map(|words| {
            words
                .iter()
                .map(|word| {
                    word.iter()
                        .map(|piece| match piece {
                            WordPiece::Text(text) => text.clone(),
                            WordPiece::Value(_, _) => "<v>".to_string(),
                        })
                        .collect()
                })
                .collect()
        })
    }

    fn pieces(template: &str) -> Vec<Piece<usize>> {
        let mut pieces = Vec::new();
        for (index, text) in template.split("{}").enumerate() {
            if index > 0 {
                pieces.push(Piece::Value(index));
            }
            if !text.is_empty() {
                pieces.push(Piece::Text(text.to_string()));
            }
        }
        pieces
    }

    #[test]
    fn splits_words_and_quotes() {
        assert_eq!(
            words("convert {} out.png").unwrap(),
            ["convert", "<v>", "out.png"]
        );
        assert_eq!(
            words("grep -r 'a b' \"c d\" e\\ f").unwrap(),
            ["grep", "-r", "a b", "c d", "e f"]
        );
        assert_eq!(words("tar --out={} ''").unwrap(), ["tar", "--out=<v>", ""]);
        assert_eq!(
            words("echo \"a\\\"b\\$c\\d\"").unwrap(),
            ["echo", "a\"b$c\\d"]
        );
        assert_eq!(words("  ls\t-l \\\n -a \n").unwrap(), ["ls", "-l", "-a"]);
        assert_eq!(words("echo 'a\nb'").unwrap(), ["echo", "a\nb"]);
        assert_eq!(words("echo a=b x#y").unwrap(), ["echo", "a=b", "x#y"]);
    }

    #[test]
    fn shell_syntax_is_not_expressible() {
        for command in [
            "ls | wc",
            "ls > out",
            "a && b",
            "a; b",
            "ls *.py",
            "echo $HOME",
            "echo \"$HOME\"",
            "echo `id`",
            "ls ~/x",
            "FOO=1 make",
            "cd {} && make",
            "echo 'open",
            "ls # comment",
            "",
            "echo {a,b}",
            "echo \\",
            "ls\nrm -rf x",
            "ls\n{}",
            "dir {}",
            "pushd {}",
        ] {
            assert_eq!(words(command), None, "{command}");
        }
    }

    #[test]
    fn reports_the_quoting_of_each_value() {
        let lexed = split(&pieces("a {} '{}' \"{}\" x{}y"));
        let quoting: Vec<Quoting> = lexed.values.iter().map(|(_, q)| *q).collect();
        assert_eq!(
            quoting,
            [
                Quoting::Unquoted,
                Quoting::Single,
                Quoting::Double,
                Quoting::Unquoted
            ]
        );
        let lexed = split(&pieces("ls | grep '{}'"));
        assert!(lexed.words.is_none());
        assert_eq!(lexed.values[0].1, Quoting::Single);
    }
}
