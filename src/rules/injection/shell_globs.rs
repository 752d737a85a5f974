//! Finds the words of a shell command that start with an unquoted glob (`*`, `*.log`,
//! `?x`, `[ab]*`), with the program of the simple command they belong to.
//!
//! A word that starts with a glob can expand to a file name that starts with `-`, which
//! the program then reads as an option. A glob after a path (`./*`, `/srv/www/*`) or after
//! `--` cannot. Only the literal text of the command is read; values inserted at run time
//! stand for ordinary word characters.

/// A word starting with a glob, in a command run by a shell.
#[derive(Debug, PartialEq)]
pub struct LeadingGlob {
    /// The program's name without its folder: `tar` for `/bin/tar`.
    pub program: String,
    /// The word as written, quotes removed: `*.txt`.
    pub word: String,
    /// The byte offset of the word's first character in the command text.
    pub offset: usize,
}

/// What the scanner knows about the word being read.
#[derive(Default)]
struct Word {
    text: String,
    start: usize,
    /// The first character is an unquoted glob character.
    leading_glob: bool,
}

/// Every word starting with an unquoted glob in `command`, with its simple command's
/// program, before any `--` that ends the program's options.
pub fn leading_globs(command: &str) -> Vec<LeadingGlob> {
    let mut found = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    let mut chars = command.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((at, ch)) = chars.next() {
        if let Some(open) = quote {
            if ch == open {
                quote = None;
            } else if let Some(word) = current.as_mut() {
                word.text.push(ch);
            }
            continue;
        }
        match ch {
            ' ' | '\t' => end_word(&mut current, &mut words),
            ';' | '|' | '&' | '\n' | '(' | ')' | '`' => {
                end_word(&mut current, &mut words);
                end_command(&mut words, &mut found);
            }
            _ => {
                let word = current.get_or_insert_with(|| Word {
                    start: at,
                    leading_glob: matches!(ch, '*' | '?' | '['),
                    ..Word::default()
                });
                match ch {
                    '\'' | '"' => quote = Some(ch),
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            word.text.push(escaped);
                        }
                    }
                    _ => word.text.push(ch),
                }
            }
        }
    }
    end_word(&mut current, &mut words);
    end_command(&mut words, &mut found);
    found
}

fn end_word(current: &mut Option<Word>, words: &mut Vec<Word>) {
    if let Some(word) = current.take() {
        words.push(word);
    }
}

/// Prefixes that run the next word as the program: `sudo chown ...`, `nice tar ...`.
const PREFIXES: &[&str] = &[
    "sudo", "doas", "nice", "nohup", "env", "exec", "command", "time",
];

fn end_command(words: &mut Vec<Word>, found: &mut Vec<LeadingGlob>) {
    let taken = std::mem::take(words);
    let mut rest = taken.iter();
    // Skip variable assignments, prefixes and the prefixes' options.
    let program = rest.by_ref().find(|word| {
        let text = word.text.as_str();
        !(text.contains('=') && !text.starts_with('=')
            || text.starts_with('-')
            || PREFIXES.contains(&text))
    });
    let Some(program) = program else {
        return;
    };
    let program = program.text.rsplit('/').next().unwrap_or_default();
    for word in rest.take_while(|word| word.text != "--") {
        if word.leading_glob {
            found.push(LeadingGlob {
                program: program.to_string(),
                word: word.text.clone(),
                offset: word.start,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::leading_globs;

    fn globs(command: &str) -> Vec<(String, String, usize)> {
        leading_globs(command)
            .into_iter()
            .map(|glob| (glob.program, glob.word, glob.offset))
            .collect()
    }

    #[test]
    fn a_leading_glob_is_found_with_its_program_and_offset() {
        assert_eq!(
            globs("cd /srv && sudo tar czf /tmp/b.tgz *"),
            [("tar".to_string(), "*".to_string(), 35)]
        );
        assert_eq!(
            globs("/bin/chmod 600 *.key; ls"),
            [("chmod".to_string(), "*.key".to_string(), 15)]
        );
    }

    #[test]
    fn quoted_globs_paths_and_words_after_double_dash_are_not_leading_globs() {
        assert!(globs("tar cf x.tar './*' \"*\" \\* ./* /srv/*").is_empty());
        assert!(globs("chown -R www: -- *").is_empty());
        assert!(globs("echo '*; chmod 7 *'").is_empty());
    }
}
