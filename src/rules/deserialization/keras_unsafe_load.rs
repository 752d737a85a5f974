use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{keyword, QualifiedName};

use super::named_file::reads_named_file;

declare_rule! {
    /// ## What it does
    /// Flags Keras model loading with `safe_mode=False` (`keras.models.load_model`,
    /// `keras.saving.load_model`, `deserialize_keras_object`, also under `tensorflow.keras`)
    /// and `keras.config.enable_unsafe_deserialization()`.
    ///
    /// ## Why is this bad?
    /// A saved model can hold `Lambda` layers, whose Python bytecode is rebuilt and run when
    /// the model loads. Keras refuses them by default (`safe_mode=True`); turning that off
    /// lets a model file from the internet or an upload run code in your process.
    ///
    /// ## Example
    /// ```python
    /// import keras
    /// model = keras.models.load_model(uploaded_path, safe_mode=False)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import keras
    /// model = keras.models.load_model(uploaded_path)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: models with `Lambda` layers stop loading; rewrite those layers as registered
    /// custom layer classes. `enable_unsafe_deserialization()` is reported without a fix.
    ///
    /// ## References
    /// CWE-502, CWE-94 · OWASP A08
    pub KERAS_UNSAFE_LOAD = RuleMeta {
        id: "PV307",
        name: "keras-unsafe-load",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[502, 94],
        owasp: Owasp::A08,
        guideline: "deserialization",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &KERAS_UNSAFE_LOAD,
    checks: &[Check::Callee(check_call)],
    needs: &["keras", "tensorflow", "tf_keras"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let keras_path = match function.segments() {
        ["keras" | "tf_keras", rest @ ..] | ["tensorflow", "keras", rest @ ..] => rest,
        _ => return,
    };
    match keras_path {
        ["config", "enable_unsafe_deserialization"] => {
            let message =
                format!("`{function}()` lets every later model load run code from the model file");
            checker.report(Finding::new(&KERAS_UNSAFE_LOAD, call.range(), message));
        }
        ["models" | "saving", "load_model"] | ["saving", "deserialize_keras_object"] => {
            let Some(safe_mode) = keyword(call, "safe_mode") else {
                return;
            };
            if !is_false(checker, &safe_mode.value) {
                return;
            }
            let message =
                format!("`{function}` with `safe_mode=False` runs code stored in the model");
            let confidence = if reads_named_file(checker, call) {
                Confidence::Medium
            } else {
                Confidence::High
            };
            let fix = Fix::unsafe_edits(
                "Set `safe_mode=True`",
                vec![Edit::replace(safe_mode.value.range(), "True")],
            );
            let finding = Finding::new(&KERAS_UNSAFE_LOAD, call.range(), message)
                .with_confidence(confidence)
                .with_fix(fix);
            checker.report(finding);
        }
        _ => {}
    }
}

/// A literal `False`, directly or through a name assigned it.
fn is_false<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    let value = match expr {
        Expr::Name(name) => checker.semantic().assigned_value(name),
        _ => Some(expr),
    };
    matches!(value, Some(Expr::BooleanLiteral(literal)) if !literal.value)
}
