//! Suppression comments work on any physical line of the flagged statement, in every
//! supported style, and never from inside a string.

use pyvet::{analyze, Options};

fn lines_flagged(source: &str) -> Vec<usize> {
    let lines = pyvet::location::LineIndex::new(source);
    analyze(source, &Options::default())
        .findings
        .iter()
        .map(|finding| lines.char_position(finding.range.start()).line)
        .collect()
}

#[test]
fn every_style_on_any_line_of_a_multi_line_statement() {
    let source = "import yaml\n\
                  a = yaml.load(\n    data,\n)  # nosec B506\n\
                  b = yaml.load(  # pyvet: ignore[PV301]\n    data)\n\
                  c = yaml.load(data, \\\n    Loader=yaml.Loader)  # noqa: S506\n\
                  d = yaml.load(\n    data)  # pyvet: ignore\n";
    assert_eq!(lines_flagged(source), Vec::<usize>::new());
}

#[test]
fn other_codes_and_strings_do_not_suppress() {
    let source = "import yaml\n\
                  a = yaml.load(data)  # nosec B101\n\
                  b = yaml.load(data)  # noqa: E501\n\
                  c = yaml.load(data)  # noqa\n\
                  d = \"# nosec\"; yaml.load(data)\n\
                  e = yaml.load(data)  # pyvet: ignore[PV201]\n";
    assert_eq!(lines_flagged(source), vec![2, 3, 4, 5, 6]);
}

#[test]
fn a_suppression_covers_only_its_own_statement() {
    let source = "import yaml\nyaml.load(a)  # nosec\nyaml.load(b)\n";
    assert_eq!(lines_flagged(source), vec![3]);
}
