use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, QualifiedName};

use super::yaml_loaders::{unsafe_loader, UnsafeLoader};

declare_rule! {
    /// ## What it does
    /// Flags YAML loading that can build Python objects: `yaml.load` without a safe loader,
    /// `yaml.unsafe_load`, `yaml.full_load`, and ruamel.yaml's `YAML(typ="unsafe")`.
    ///
    /// `Loader=` is followed to what it is: `yaml.Loader`, `UnsafeLoader` and `FullLoader`
    /// (and their C versions) are unsafe, directly, through a name, through the
    /// `getattr(yaml, "CLoader", yaml.Loader)` idiom, or as the base of a local loader class.
    ///
    /// ## Why is this bad?
    /// PyYAML's full loaders build arbitrary Python objects from tags such as
    /// `!!python/object/apply:os.system`. Whoever controls the document runs code in your
    /// process. `FullLoader` closes some of these tags but has had bypasses of its own.
    /// `yaml.load(doc, **options)` is left alone: PyYAML 6 refuses a call without a loader,
    /// so the options carry one.
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
    /// stop loading. A loader class of your own is not rewritten: the suggestion is to base
    /// it on `yaml.SafeLoader`.
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
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &UNSAFE_YAML_LOAD,
    checks: &[Check::Callee(check_call)],
    needs: &["yaml", "ruamel"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let found = match function.segments() {
        ["yaml", name @ ("unsafe_load" | "unsafe_load_all")] => Some((
            format!("`yaml.{name}` builds arbitrary Python objects from the document"),
            safe_load_fix(checker, call, name),
        )),
        ["yaml", name @ ("full_load" | "full_load_all")] => Some((
            format!("`yaml.{name}` builds Python objects, and its loader has had bypasses"),
            safe_load_fix(checker, call, name),
        )),
        ["yaml", name @ ("load" | "load_all")] => check_loader(checker, call, name),
        ["ruamel", "yaml", "YAML"] => check_ruamel_type(checker, call),
        _ => None,
    };
    let Some((message, fix)) = found else {
        return;
    };
    checker.report(Finding::new(&UNSAFE_YAML_LOAD, call.range(), message).with_fix(fix));
}

/// `yaml.load(doc, Loader=...)`: the message and fix when the loader is missing or unsafe.
fn check_loader<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &str,
) -> Option<(String, Option<Fix>)> {
    let Some(loader) = argument(call, 1, "Loader") else {
        // PyYAML 6 refuses a call without a loader, so `**options` carries one.
        if call.arguments.keywords.iter().any(|k| k.arg.is_none()) {
            return None;
        }
        return Some((
            format!("`yaml.{function}` without a loader can build arbitrary Python objects"),
            safe_load_fix(checker, call, function),
        ));
    };
    match unsafe_loader(checker, loader, 0)? {
        UnsafeLoader::Named(loader) => Some((
            format!("`yaml.{function}` with `{loader}` builds arbitrary Python objects"),
            safe_load_fix(checker, call, function),
        )),
        UnsafeLoader::Subclass { class, base } => Some((
            format!(
                "`yaml.{function}` with `{class}`, a `{base}`, builds arbitrary Python objects"
            ),
            Some(Fix::display_only(
                format!("Base `{class}` on `yaml.SafeLoader` instead of `{base}`"),
                Vec::new(),
            )),
        )),
    }
}

/// ruamel.yaml's `YAML(typ="unsafe")`; the fix names the safe type instead.
fn check_ruamel_type<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
) -> Option<(String, Option<Fix>)> {
    let typ = &keyword(call, "typ")?.value;
    if checker.semantic().constant_string(typ)? != "unsafe" {
        return None;
    }
    let fix = typ.as_string_literal_expr().map(|literal| {
        let quote = if checker.text(literal).starts_with('\'') {
            "'"
        } else {
            "\""
        };
        let edit = Edit::replace(literal.range(), format!("{quote}safe{quote}"));
        Fix::unsafe_edits("Use `typ=\"safe\"`", vec![edit])
    });
    let message = "`YAML(typ=\"unsafe\")` builds arbitrary Python objects from the document";
    Some((message.to_string(), fix))
}

/// `yaml.load(doc, Loader=...)` → `yaml.safe_load(doc)`, when nothing but the document and
/// the loader is passed.
fn safe_load_fix(checker: &Checker, call: &ast::ExprCall, function: &str) -> Option<Fix> {
    let arguments = &call.arguments;
    let document = arguments.find_positional(0)?;
    let only_loader_keywords = arguments.keywords.iter().all(|k| {
        k.arg
            .as_ref()
            .is_some_and(|arg| arg.id.as_str() == "Loader")
    });
    if arguments.args.len() > 2
        || arguments.args.iter().any(Expr::is_starred_expr)
        || !only_loader_keywords
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
