use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::ancestors::Node;
use crate::semantic::{argument, BindingKind, QualifiedName};

use super::code_origin::is_own_code;
use super::sanitizers;

declare_rule! {
    /// ## What it does
    /// Flags `eval`, `exec` and `compile` of text that is not a constant, and Pillow's
    /// `ImageMath.eval` / `ImageMath.unsafe_eval` of such text.
    ///
    /// Confidence is high when the text comes from a web request, medium when it comes from
    /// `input()` or the command line; `eval` and `exec` of any other text that is not a
    /// constant are reported with low confidence.
    ///
    /// A constant string (also one held in a name or built from constants) is not flagged,
    /// and neither is `eval` / `exec` of a code object that `compile` made (the `compile`
    /// call is where the text is checked) or that an import loader got from
    /// `marshal.loads` or `get_code`. Nor are a `.py` file of the project named by a
    /// constant path (`setup.py` reading `pkg/__init__.py` for its version) and source
    /// generated from a constant template filled with identifiers (`__name__`, a function's
    /// signature), nor a `compile` whose result is thrown away (a syntax check), nor a
    /// test's `pytest.mark.parametrize` cases (a parameter every case sets
    /// to a constant string, alone or in an f-string), nor the text of a file beside the
    /// module, reached from `__file__` by constant parts (`(Path(__file__).parent /
    /// "expected").glob("*.txt")`: whoever can change it can change the module). `compile`
    /// with the `PyCF_ONLY_AST`
    /// flag is not flagged either: it returns
    /// a syntax tree, as `ast.parse` does, and runs nothing.
    ///
    /// ## Why is this bad?
    /// These functions run any Python expression or statement, with your process's rights:
    /// `__import__("os").system("...")` passed as a "number" runs a command. They are not
    /// parsers. To read numbers use `int()` / `float()` / `decimal.Decimal`; for structured
    /// data, `json.loads`; for Python literals only, `ast.literal_eval`. Pillow's
    /// `ImageMath.eval` compiled its expression as Python with access to builtins up to
    /// Pillow 10.1 (CVE-2023-50447); `ImageMath.unsafe_eval` still evaluates it as
    /// Python. Build image arithmetic with `ImageMath.lambda_eval` and a function of your
    /// own instead of from text.
    ///
    /// ## Example
    /// ```python
    /// from flask import request
    ///
    /// def add_to_cart():
    ///     quantity = eval(request.form["quantity"])
    ///     return {"quantity": quantity}
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import request
    ///
    /// def add_to_cart():
    ///     quantity = int(request.form["quantity"])
    ///     return {"quantity": quantity}
    /// ```
    ///
    /// ## Fix safety
    /// `eval(text)` becomes `ast.literal_eval(text)`, which accepts the same literals
    /// (numbers, strings, lists, dicts, tuples, sets, booleans, `None`) and refuses anything
    /// else with `ValueError`. Unsafe when the text comes from a web request: reading client
    /// data as code is never the intent, but clients that sent expressions such as `2*3` now
    /// get an error. Only a suggestion for other text (a calculator, a configuration
    /// expression), which may be an expression on purpose. `exec` and `compile` get no fix.
    ///
    /// ## References
    /// CWE-95, CWE-94 · OWASP A03
    pub CODE_EVALUATION = RuleMeta {
        id: "PV720",
        name: "code-evaluation",
        severity: Severity::Critical,
        confidence: Confidence::High,
        cwe: &[95, 94],
        owasp: Owasp::A03,
        guideline: "input-validation",
        sources: &[Source::Bandit("B307"), Source::Bandit("B102"), Source::Ruff("S307"), Source::Ruff("S102")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &CODE_EVALUATION,
    checks: &[Check::Callee(check_call)],
    needs: &[],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let semantic = checker.semantic();
    let (name, parameter) = match function.segments() {
        ["builtins", name @ ("eval" | "exec" | "compile")] => (*name, "source"),
        // Pillow's `ImageMath.eval` ran Python before 10.2 and still evaluates an
        // expression; `unsafe_eval` says so in its name.
        ["PIL", "ImageMath", "eval" | "unsafe_eval"] => (checker.text(&*call.func), "expression"),
        _ => return,
    };
    let Some(code) = argument(call, 0, parameter) else {
        return;
    };
    if semantic.is_constant_string(code) || is_own_code(checker, code) {
        return;
    }
    // `compile(source, name, "exec", ast.PyCF_ONLY_AST)` only parses: what `ast.parse` does.
    if name == "compile"
        && argument(call, 3, "flags").is_some_and(|flags| asks_for_a_tree(checker, flags, 0))
    {
        return;
    }
    // `compile(source, path, "exec")` as a statement of its own checks the syntax and throws
    // the code object away (a linter's compile step): nothing can run it.
    if name == "compile"
        && matches!(checker.ancestors().parent(), Some(Node::Stmt(statement)) if matches!(statement.stmt, ast::Stmt::Expr(_)))
    {
        return;
    }
    let run = if name == "compile" {
        "compiles"
    } else {
        "runs"
    };
    let from_request = semantic.request_taint_with(code, sanitizers::code);
    let tainted = from_request.is_some();
    let (message, confidence, trace) = match from_request.or_else(|| semantic.taint_source_with(code, sanitizers::code)) {
        Some(mut steps) => {
            steps.push(TraceStep {
                message: format!("`{name}` {run} it as Python code"),
                range: code.range(),
                elsewhere: None,
            });
            let (message, confidence) = if tainted {
                (
                    format!("`{name}` {run} request data as Python code, so whoever sends the request runs code on your server"),
                    Confidence::High,
                )
            } else {
                (
                    format!("`{name}` {run} what the user types or passes on the command line as Python code"),
                    Confidence::Medium,
                )
            };
            (message, confidence, steps)
        }
        // `compile` alone runs nothing; the `eval` / `exec` of its result is not flagged either.
        None if name == "compile" => return,
        // Request data checked to be one quoted literal with no quote inside: `eval` can
        // only make a string of it.
        None if semantic.taint_source_of(code).is_some() => return,
        None => (
            format!("`{name}` {run} text that is not a constant as Python code; if it can ever hold user text, that user runs code"),
            Confidence::Low,
            Vec::new(),
        ),
    };
    let fix = if name == "eval" {
        literal_eval_fix(checker, call, code, confidence == Confidence::High)
    } else {
        None
    };
    checker.report(
        Finding::new(&CODE_EVALUATION, call.range(), message)
            .with_confidence(confidence)
            .with_trace(trace)
            .with_fix(fix),
    );
}

/// True when `compile` flags hold `PyCF_ONLY_AST` (so it returns a syntax tree, never
/// code): `ast.PyCF_ONLY_AST`, `flags | PyCF_ONLY_AST`, or a name assigned such a value.
fn asks_for_a_tree<'a>(checker: &Checker<'a>, flags: &'a Expr, depth: usize) -> bool {
    match flags {
        Expr::Name(name) if name.id.as_str() == "PyCF_ONLY_AST" => true,
        Expr::Attribute(attribute) => attribute.attr.id.as_str() == "PyCF_ONLY_AST",
        Expr::BinOp(binop) if binop.op == ast::Operator::BitOr => {
            asks_for_a_tree(checker, &binop.left, depth)
                || asks_for_a_tree(checker, &binop.right, depth)
        }
        // `flags = ast.PyCF_ONLY_AST`, then `flags |= ...` at most: every assignment sets it
        // (`|=` binds the name as "other": it keeps the bit).
        Expr::Name(name) if depth < 4 => {
            let semantic = checker.semantic();
            let scope = semantic.current_scope();
            semantic
                .lookup_among(name.id.as_str(), scope, name.range.start())
                .is_some_and(|(_, all)| {
                    let mut assigned = false;
                    all.iter().all(|binding| match binding.kind {
                        BindingKind::Assignment(value) => {
                            assigned = true;
                            asks_for_a_tree(checker, value, depth + 1)
                        }
                        BindingKind::Other => true,
                        _ => false,
                    }) && assigned
                })
        }
        _ => false,
    }
}

/// `eval(text)` → `ast.literal_eval(text)`.
fn literal_eval_fix(
    checker: &Checker,
    call: &ast::ExprCall,
    code: &Expr,
    from_outside: bool,
) -> Option<Fix> {
    if call.arguments.len() != 1 || code.is_starred_expr() {
        return None;
    }
    let (ast_module, import) = checker.import_module("ast", call.start());
    let mut edits = vec![Edit::replace(
        call.range(),
        format!("{ast_module}.literal_eval({})", checker.text(code)),
    )];
    edits.extend(import);
    let title = "Parse literals only, with `ast.literal_eval`";
    Some(if from_outside {
        Fix::unsafe_edits(title, edits)
    } else {
        Fix::display_only(title, edits)
    })
}
