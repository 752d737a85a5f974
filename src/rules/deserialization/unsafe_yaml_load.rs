use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::keyword;

declare_rule! {
    /// ## What it does
    /// Flags `yaml.load` without a safe loader, `yaml.unsafe_load`, and `yaml.load` with
    /// `Loader=yaml.Loader`, `UnsafeLoader` or `FullLoader`.
    ///
    /// ## Why is this bad?
    /// PyYAML's full loaders build arbitrary Python objects from tags such as
    /// `!!python/object/apply:os.system`. Whoever controls the document runs code in your
    /// process. `FullLoader` closes some of these tags but has had bypasses of its own.
    ///
    /// ## Example
    /// ```python
    /// import yaml
    /// config = yaml.load(request_body, Loader=yaml.Loader)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import yaml
    /// config = yaml.safe_load(request_body)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: `safe_load` refuses Python-specific tags, so documents that relied on them
    /// stop loading.
    ///
    /// ## References
    /// CWE-502 · OWASP A08
    pub UNSAFE_YAML_LOAD = RuleMeta {
        id: "PV301",
        name: "unsafe-yaml-load",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[502],
        owasp: Owasp::A08,
        guideline: "deserialization",
        sources: &[Source::Bandit("B506"), Source::Ruff("S506")],
        fix: FixAvailability::Sometimes,
    }
}

pub static RULE: Rule = Rule {
    meta: &UNSAFE_YAML_LOAD,
    checks: &[Check::Call(check_call)],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    if !semantic.has_import("yaml") {
        return;
    }
    let Some(function) = semantic.resolve_qualified_name(&call.func) else {
        return;
    };
    let (message, fixable) = match function.segments() {
        ["yaml", "unsafe_load" | "unsafe_load_all"] => (
            "`yaml.unsafe_load` builds arbitrary Python objects from the document",
            true,
        ),
        ["yaml", "load" | "load_all"] => {
            match keyword(call, "Loader").map(|loader| &loader.value) {
                None if call.arguments.args.len() < 2 => (
                    "`yaml.load` without a loader can build arbitrary Python objects",
                    true,
                ),
                Some(loader) if is_unsafe_loader(checker, loader) => (
                    "`yaml.load` with this loader builds arbitrary Python objects",
                    true,
                ),
                None => match call.arguments.args.get(1) {
                    Some(loader) if is_unsafe_loader(checker, loader) => (
                        "`yaml.load` with this loader builds arbitrary Python objects",
                        false,
                    ),
                    _ => return,
                },
                Some(_) => return,
            }
        }
        _ => return,
    };
    let fix = fixable.then(|| safe_load_fix(checker, call, function.segments()[1]));
    checker.report(Finding::new(&UNSAFE_YAML_LOAD, call.range(), message).with_fix(fix.flatten()));
}

fn is_unsafe_loader<'a>(checker: &Checker<'a>, loader: &'a Expr) -> bool {
    checker
        .semantic()
        .resolve_qualified_name(loader)
        .is_some_and(|name| {
            matches!(
                name.segments(),
                [
                    "yaml",
                    "Loader"
                        | "UnsafeLoader"
                        | "FullLoader"
                        | "CLoader"
                        | "CUnsafeLoader"
                        | "CFullLoader"
                ] | ["yaml", "loader", "Loader" | "UnsafeLoader" | "FullLoader"]
            )
        })
}

/// `yaml.load(doc, Loader=...)` → `yaml.safe_load(doc)`.
fn safe_load_fix(checker: &Checker, call: &ast::ExprCall, function: &str) -> Option<Fix> {
    let document = call.arguments.args.first()?;
    if call.arguments.args.len() > 1
        || call
            .arguments
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_none_or(|arg| arg.id.as_str() != "Loader"))
    {
        return None;
    }
    let safe = if function.ends_with("_all") {
        "safe_load_all"
    } else {
        "safe_load"
    };
    let (yaml, import) = checker.import_module("yaml", call.start());
    let mut edits = vec![Edit::replace(
        call.range(),
        format!("{yaml}.{safe}({})", checker.text(document)),
    )];
    edits.extend(import);
    Some(Fix::unsafe_edits(format!("Use `yaml.{safe}`"), edits))
}
