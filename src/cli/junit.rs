//! `--format junit`: JUnit XML, which CI services show as test results. Each checked file
//! is a test suite; each problem is a failed test case, and a clean file one passed case.

use std::fmt::Write;

use super::{problems, Report};

pub fn report(report: &Report) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for file in &report.files {
        let problems = problems::of(file);
        let path = escape(&file.path);
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\">",
            problems.len().max(1),
            problems.len()
        );
        if problems.is_empty() {
            let _ = writeln!(
                suites,
                "    <testcase name=\"pyvet\" classname=\"{path}\" file=\"{path}\"/>"
            );
        }
        for problem in &problems {
            let (line, column) = (problem.start.line, problem.start.column);
            let code = problem.code();
            let message = escape(problem.message);
            let _ = writeln!(
                suites,
                "    <testcase name=\"{code} ({}) at {line}:{column}\" classname=\"{path}\" \
                 file=\"{path}\" line=\"{line}\">\n      \
                 <failure type=\"{code}\" message=\"{message}\">{path}:{line}:{column}: \
                 {code} [{}] {message}</failure>\n    </testcase>",
                problem.name(),
                problem.severity().as_str(),
            );
        }
        suites.push_str("  </testsuite>\n");
        tests += problems.len().max(1);
        failures += problems.len();
    }
    let errors = report.read_errors.len();
    for error in &report.read_errors {
        let path = escape(&error.path);
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{path}\" tests=\"1\" errors=\"1\">\n    \
             <testcase name=\"pyvet\" classname=\"{path}\" file=\"{path}\">\n      \
             <error message=\"{}\"/>\n    </testcase>\n  </testsuite>",
            escape(&error.message)
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"pyvet\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">\n\
         {suites}</testsuites>\n",
        tests + errors
    )
}

/// Text as XML character data or an attribute value. Control characters XML 1.0 cannot
/// hold at all become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_characters_xml_cannot_hold() {
        assert_eq!(
            escape("a<b & \"c\"\u{1}\n"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}&#10;"
        );
    }
}
