//! Every rule, by group. A group is a folder; a rule is one file in it.

pub mod crypto;
pub mod deserialization;
pub mod flow;
pub mod injection;
pub mod naming;
pub mod secrets;
pub mod transport;
pub mod web;

use crate::checker::Checker;
use crate::parse::ast;
use crate::registry::RuleMeta;
use crate::semantic::settings::Setting;
use crate::semantic::{LiteralText, QualifiedName, SemanticModel};

/// A node kind a rule wants to see, and the function that checks it.
pub enum Check {
    /// Every call expression.
    Call(for<'a> fn(&Checker<'a>, &'a ast::ExprCall)),
    /// Every call whose callee resolves to a qualified name (imports and aliases followed,
    /// not calls), with that name: resolved once for all the checks that match on it.
    Callee(for<'a> fn(&Checker<'a>, &'a ast::ExprCall, &QualifiedName<'a>)),
    /// Every expression (literals included).
    Expr(for<'a> fn(&Checker<'a>, &'a ast::Expr)),
    /// Every dict display.
    Dict(for<'a> fn(&Checker<'a>, &'a ast::ExprDict)),
    /// Every comparison.
    Compare(for<'a> fn(&Checker<'a>, &'a ast::ExprCompare)),
    /// Every string, bytes and f-string literal, with the text it spells (worked out once
    /// for all the checks that read it).
    Literal(for<'a> fn(&Checker<'a>, &'a ast::Expr, &LiteralText<'a>)),
    /// Every comment, by its range (from `#` to the end of the line), before the walk.
    Comment(for<'a> fn(&Checker<'a>, crate::parse::TextRange)),
    /// Every statement, compound ones before their bodies.
    Stmt(for<'a> fn(&Checker<'a>, &'a ast::Stmt)),
    /// Every framework setting written, in a statement or a call (see
    /// [`crate::semantic::settings`]), found once for all the checks that read settings.
    Setting(for<'a> fn(&Checker<'a>, &Setting<'a>)),
    /// The check, run only in modules that import one of these (like [`Rule::needs`], for
    /// one check of a rule whose other checks apply everywhere).
    Needs(&'static [&'static str], &'static Check),
}

/// A rule: its metadata, the checks that implement it, and the imports it needs.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub checks: &'static [Check],
    /// The rule can only fire in a module that imports one of these (by first segment:
    /// `"django"` covers `django.conf`); empty when it applies to every module. Modules
    /// that import none of them never run its checks, so the list must be complete.
    pub needs: &'static [&'static str],
}

impl Rule {
    /// True when the rule can fire in a module with these imports.
    pub fn applies(&self, semantic: &SemanticModel) -> bool {
        self.needs.is_empty() || semantic.has_any_import(self.needs)
    }
}

/// The groups in the order `pyvet rules` lists them.
pub static GROUPS: &[(&str, &[&Rule])] = &[
    ("secrets", secrets::RULES),
    ("injection", injection::RULES),
    ("deserialization", deserialization::RULES),
    ("crypto", crypto::RULES),
    ("transport", transport::RULES),
    ("web", web::RULES),
    ("flow", flow::RULES),
];

/// Pairs `(specific, general)`: when both report overlapping code, only the specific rule's
/// finding is kept (a framework signing key is one finding, with the framework's advice).
pub static SUPERSEDES: &[(&str, &str)] = &[
    ("PV502", "PV101"),
    ("PV502", "PV105"),
    // A URL from the request: the SSRF finding already says to check scheme and host.
    ("PV710", "PV617"),
];

/// Every registered rule, sorted by id.
pub fn all_rules() -> &'static [&'static Rule] {
    static SORTED: std::sync::OnceLock<Vec<&'static Rule>> = std::sync::OnceLock::new();
    SORTED.get_or_init(|| {
        let mut rules: Vec<&'static Rule> = GROUPS
            .iter()
            .flat_map(|(_, rules)| rules.iter().copied())
            .collect();
        rules.sort_by_key(|rule| rule.meta.id);
        rules
    })
}

/// Looks a rule up by id (`PV201`) or name (`sql-string-query`).
pub fn find_rule(id_or_name: &str) -> Option<&'static Rule> {
    all_rules()
        .iter()
        .copied()
        .find(|rule| rule.meta.id.eq_ignore_ascii_case(id_or_name) || rule.meta.name == id_or_name)
}
