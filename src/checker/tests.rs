//! The ancestor stack as rules see it, probed at each call to `probe()`.

use super::{check_module, Checker};
use crate::diagnostic::Finding;
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{parse_module, Ranged};
use crate::rules::{Check, Rule};

static CHECKS: [Check; 1] = [Check::Call(describe)];

/// A rule (under another rule's name) whose only check is [`describe`].
fn probe() -> &'static Rule {
    Box::leak(Box::new(Rule {
        meta: crate::rules::all_rules()[0].meta,
        checks: &CHECKS,
        needs: &[],
    }))
}

/// Reports what surrounds each `probe()` call, in its message.
fn describe<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    if !matches!(&*call.func, Expr::Name(name) if name.id.as_str() == "probe") {
        return;
    }
    let ancestors = checker.ancestors();
    let mut facts = Vec::new();
    if let Some(function) = ancestors.enclosing_function() {
        facts.push(format!("def {}", function.name.id));
    }
    if let Some(class) = ancestors.enclosing_class() {
        facts.push(format!("class {}", class.name.id));
    }
    for (test, outcome) in ancestors.branch_conditions() {
        facts.push(format!("{}={outcome}", checker.text(test)));
    }
    for handler in ancestors.handlers() {
        facts.push(format!(
            "except {}",
            checker.text(handler.type_.as_deref().unwrap())
        ));
    }
    let earlier: Vec<usize> = ancestors.earlier_statements().map(<[Stmt]>::len).collect();
    facts.push(format!("earlier {earlier:?}"));
    if let Some(outer) = ancestors.argument_of() {
        facts.push(format!("argument of {}", checker.text(&*outer.func)));
    }
    if let Some(statement) = ancestors.enclosing_statement() {
        facts.push(format!("in `{}`", first_line(checker.text(statement.stmt))));
    }
    checker.report(Finding::new(
        crate::rules::all_rules()[0].meta,
        call.range(),
        facts.join(", "),
    ));
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// The probe's findings in a module that is not a test file.
fn probe_findings(source: &str, body: &[Stmt]) -> Vec<Finding> {
    check_module(source, body, &[], &[probe()], &mut Vec::new(), None, false)
}

fn probes(source: &str) -> Vec<String> {
    let parsed = parse_module(source);
    let findings = probe_findings(source, &parsed.body);
    findings
        .into_iter()
        .map(|finding| finding.message)
        .collect()
}

#[test]
fn functions_and_classes_around_a_node() {
    let source = "\
class View:
    def get(self):
        probe()
        def inner():
            probe()
    @probe()
    def post(self): pass
    if x:
        def put(self):
            probe()
probe()
";
    assert_eq!(
        probes(source),
        [
            "def get, class View, earlier [0], in `probe()`",
            "def inner, earlier [0], in `probe()`",
            "class View, earlier [1], in `@probe()`",
            "def put, earlier [0], in `probe()`",
            "earlier [1], in `probe()`",
        ]
    );
}

#[test]
fn branch_conditions_and_handlers() {
    let source = "\
def f():
    if a:
        probe()
    elif b:
        pass
    elif probe():
        pass
    else:
        try:
            x = 1
        except ValueError:
            while c:
                probe()
            else:
                probe()
";
    assert_eq!(
        probes(source),
        [
            "def f, a=true, earlier [0, 0], in `probe()`",
            "def f, b=false, a=false, earlier [0], in `if a:`",
            "def f, c=true, probe()=false, b=false, a=false, except ValueError, earlier [0, 0, 0, 0], in `probe()`",
            "def f, c=false, probe()=false, b=false, a=false, except ValueError, earlier [0, 0, 0, 0], in `probe()`",
        ]
    );
}

#[test]
fn the_call_an_argument_goes_to() {
    let source = "outer(probe(), key=probe())\nprobe()(probe)\nx = [probe()]\n";
    assert_eq!(
        probes(source),
        [
            "earlier [0], argument of outer, in `outer(probe(), key=probe())`",
            "earlier [0], argument of outer, in `outer(probe(), key=probe())`",
            "earlier [1], in `probe()(probe)`",
            "earlier [2], in `x = [probe()]`",
        ]
    );
}

#[test]
fn findings_belong_to_their_statement_or_clause() {
    let source = "if a:\n    pass\nelif probe():\n    pass\n";
    let parsed = parse_module(source);
    let findings = probe_findings(source, &parsed.body);
    assert_eq!(&source[findings[0].statement], "elif probe():");
    assert!(findings[0].statement.start() > parsed.body[0].start());
}
