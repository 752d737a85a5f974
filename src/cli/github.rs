//! `--format github`: one workflow command per problem, which GitHub Actions shows as an
//! annotation on the pull request's diff.

use std::fmt::Write;

use super::{problems, Report};

pub fn report(report: &Report) -> String {
    let mut out = String::new();
    for file in &report.files {
        for problem in problems::of(file) {
            let _ = writeln!(
                out,
                "::error file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&file.path),
                problem.start.line,
                problem.start.column,
                problem.end.line,
                problem.end.column,
                property(&format!("{} ({})", problem.code(), problem.name())),
                data(problem.message),
            );
        }
    }
    for error in &report.read_errors {
        let _ = writeln!(
            out,
            "::error file={},title=unreadable::{}",
            property(&error.path),
            data(&error.message)
        );
    }
    out
}

/// A message: `%`, carriage returns and line feeds would end or garble the command.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which separate the properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_would_end_the_command() {
        assert_eq!(data("100% sure\r\nnext"), "100%25 sure%0D%0Anext");
        assert_eq!(property("a,b:c%"), "a%2Cb%3Ac%25");
    }
}
