use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast;
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName};

use super::named_file::reads_named_file;

declare_rule! {
    /// ## What it does
    /// Flags `numpy.load` (and `numpy.lib.format.read_array`) with `allow_pickle=True`.
    ///
    /// ## Why is this bad?
    /// `.npy` and `.npz` files store plain arrays, except object arrays, which are pickles.
    /// With `allow_pickle=True`, loading a crafted file runs whatever code it asks for.
    /// NumPy has refused object arrays by default since 1.16.3 for exactly this reason;
    /// `numpy.load(path)` and `allow_pickle=False` are not flagged.
    ///
    /// ## Example
    /// ```python
    /// import numpy as np
    /// arrays = np.load(upload_path, allow_pickle=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import numpy as np
    /// arrays = np.load(upload_path)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: files that hold object arrays (lists, dicts, ragged arrays) stop loading;
    /// store those as numeric arrays or JSON instead.
    ///
    /// ## References
    /// CWE-502 · OWASP A08
    pub NUMPY_LOAD_ALLOW_PICKLE = RuleMeta {
        id: "PV305",
        name: "numpy-load-allow-pickle",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[502],
        owasp: Owasp::A08,
        guideline: "deserialization",
        sources: &[],
        fix: FixAvailability::Always,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &NUMPY_LOAD_ALLOW_PICKLE,
    checks: &[Check::Callee(check_call)],
    needs: &["numpy"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let semantic = checker.semantic();
    let position = match function.segments() {
        ["numpy", "load"] => 2,
        ["numpy", "lib", "format", "read_array"] => 1,
        _ => return,
    };
    let Some(allow_pickle) = argument(call, position, "allow_pickle") else {
        return;
    };
    if !semantic.is_true(allow_pickle) {
        return;
    }
    let message =
        format!("`{function}` with `allow_pickle=True` runs whatever code a crafted file asks for");
    let fix = Fix::unsafe_edits(
        "Set `allow_pickle=False`",
        vec![Edit::replace(allow_pickle.range(), "False")],
    );
    let confidence = if reads_named_file(checker, call) {
        Confidence::Medium
    } else {
        Confidence::High
    };
    let finding = Finding::new(&NUMPY_LOAD_ALLOW_PICKLE, call.range(), message)
        .with_confidence(confidence)
        .with_fix(fix);
    checker.report(finding);
}
