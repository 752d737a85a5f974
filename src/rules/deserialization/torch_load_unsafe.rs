use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::fix::add_keyword_argument;
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, QualifiedName};

use super::named_file::reads_named_file;

declare_rule! {
    /// ## What it does
    /// Flags `torch.load` (and `torch.serialization.load`, `torch.hub.load_state_dict_from_url`)
    /// called without `weights_only=True`, including an explicit `weights_only=False`.
    ///
    /// ## Why is this bad?
    /// A checkpoint file is a pickle. Without `weights_only=True`, loading it runs whatever
    /// code the file asks for, so a model downloaded from the internet or uploaded by a user
    /// can take over the process. PyTorch 2.6 made `weights_only=True` the default, but older
    /// versions (and the `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` switch) unpickle everything, so a
    /// call that leaves it out is reported with a lower confidence; saying it explicitly is
    /// safe on every version. Confidence drops again when the checkpoint is a file the code
    /// names itself (`torch.load("model.pt")`), which only someone who can replace it attacks.
    ///
    /// ## Example
    /// ```python
    /// import torch
    /// state = torch.load("model.pt", weights_only=False)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import torch
    /// state = torch.load("model.pt", weights_only=True)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: with `weights_only=True`, checkpoints that pickle custom classes or whole
    /// models stop loading until those classes are allowed with
    /// `torch.serialization.add_safe_globals`. No fix is offered when the call passes a
    /// `pickle_module` (that combination is refused by PyTorch) or `*args` / `**kwargs`.
    ///
    /// ## References
    /// CWE-502 · OWASP A08
    pub TORCH_LOAD_UNSAFE = RuleMeta {
        id: "PV304",
        name: "torch-load-unsafe",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[502],
        owasp: Owasp::A08,
        guideline: "deserialization",
        sources: &[Source::Bandit("B614")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &TORCH_LOAD_UNSAFE,
    checks: &[Check::Callee(check_call)],
    needs: &["torch"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let semantic = checker.semantic();
    // `load_state_dict_from_url` downloads the file, and takes `weights_only` by position too.
    let downloads = match function.segments() {
        ["torch", "load"] | ["torch", "serialization", "load"] => false,
        ["torch", "hub", "load_state_dict_from_url"] => true,
        _ => return,
    };
    let weights_only = if downloads {
        argument(call, 6, "weights_only")
    } else {
        keyword(call, "weights_only").map(|k| &k.value)
    };
    let has_unpacked_keywords = call.arguments.keywords.iter().any(|k| k.arg.is_none());
    let (message, certain) = match weights_only {
        Some(value) if semantic.is_true(value) => return,
        Some(Expr::BooleanLiteral(_) | Expr::NoneLiteral(_)) => (
            format!("`{function}` with `weights_only` off runs any code the checkpoint holds"),
            true,
        ),
        Some(_) => (
            format!("`{function}` may run code from the checkpoint: `weights_only` may be false"),
            false,
        ),
        // `**options` may well carry `weights_only=True`.
        None if has_unpacked_keywords => return,
        None if downloads => (
            format!("`{function}` without `weights_only=True` may run code from the downloaded file"),
            false,
        ),
        None => (
            format!("`{function}` without `weights_only=True` runs code from the file on PyTorch before 2.6"),
            false,
        ),
    };
    let named_file = !downloads && reads_named_file(checker, call);
    let confidence = match (certain, named_file) {
        (true, false) => Confidence::High,
        (true, true) | (false, false) => Confidence::Medium,
        (false, true) => Confidence::Low,
    };
    let finding = Finding::new(&TORCH_LOAD_UNSAFE, call.range(), message)
        .with_confidence(confidence)
        .with_fix(weights_only_fix(checker, call, weights_only, downloads));
    checker.report(finding);
}

/// Sets `weights_only=True`, replacing the value or adding the keyword.
fn weights_only_fix(
    checker: &Checker,
    call: &ast::ExprCall,
    weights_only: Option<&Expr>,
    downloads: bool,
) -> Option<Fix> {
    let arguments = &call.arguments;
    // PyTorch refuses `weights_only=True` beside a `pickle_module`, which `torch.load` also
    // takes as its third positional argument.
    if keyword(call, "pickle_module").is_some() || (!downloads && arguments.args.len() >= 3) {
        return None;
    }
    let edit = match weights_only {
        Some(value) => Edit::replace(value.range(), "True"),
        None => {
            let unpacks = arguments.args.iter().any(Expr::is_starred_expr)
                || arguments.keywords.iter().any(|k| k.arg.is_none());
            if unpacks || arguments.is_empty() {
                return None;
            }
            add_keyword_argument(checker.source(), call, "weights_only=True")?
        }
    };
    Some(Fix::unsafe_edits("Pass `weights_only=True`", vec![edit]))
}
