use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword};

use super::last_identifier;

declare_rule! {
    /// ## What it does
    /// Flags tar archives extracted without an extraction filter.
    ///
    /// Covered: `extractall()` and `extract()` on a `tarfile` archive, and
    /// `shutil.unpack_archive()`, without `filter="data"` (or with `filter="fully_trusted"`).
    ///
    /// `zipfile` extraction is not flagged (it drops `..` and absolute prefixes from member
    /// names), nor is a call that picks its members itself (`members=safe_members(tar)`), nor
    /// a module that sets `TarFile.extraction_filter`.
    ///
    /// ## Why is this bad?
    /// Before Python 3.14, `tarfile` writes each member where its name points:
    /// `../../home/app/.ssh/authorized_keys` or `/etc/cron.d/job` land outside the
    /// destination, and symbolic and hard links let later members write through them.
    /// An uploaded or downloaded archive then overwrites code and keys. The `data` filter
    /// refuses such members.
    ///
    /// ## Example
    /// ```python
    /// import tarfile
    ///
    /// with tarfile.open("upload.tar.gz") as archive:
    ///     archive.extractall("/srv/unpacked")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import tarfile
    ///
    /// with tarfile.open("upload.tar.gz") as archive:
    ///     archive.extractall("/srv/unpacked", filter="data")
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the `data` filter refuses members that leave the destination, links to
    /// outside it and device files, and clears some permission bits, so an archive that
    /// relied on those extracts differently or raises. It needs Python 3.12, or a 3.8 to
    /// 3.11 security release. `shutil.unpack_archive` gets no fix in a module that registers
    /// its own unpack formats, nor when its `format` is not a constant: `shutil` passes
    /// `filter=` on to a custom unpacker, which raises `TypeError` when it takes none. A
    /// format named in the call that is not a tar one (`"zip"`, a registered `"egg"`) is not
    /// flagged at all.
    ///
    /// ## References
    /// CWE-22, CWE-59 · OWASP A01
    pub UNFILTERED_ARCHIVE_EXTRACTION = RuleMeta {
        id: "PV716",
        name: "unfiltered-archive-extraction",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[22, 59],
        owasp: Owasp::A01,
        guideline: "path-traversal",
        sources: &[Source::Bandit("B202"), Source::Ruff("S202")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &UNFILTERED_ARCHIVE_EXTRACTION,
    checks: &[Check::Call(check_call)],
    needs: &["tarfile", "shutil"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some(function) = semantic.resolve_value_origin(&call.func) else {
        return;
    };
    let segments = function.segments();
    let is_tar_method = matches!(segments.last(), Some(&("extractall" | "extract")))
        && matches!(segments, ["tarfile", ..])
        && segments.contains(&"()");
    let is_unpack = segments == ["shutil", "unpack_archive"];
    if !is_tar_method && !is_unpack {
        return;
    }
    let unpack_format = is_unpack
        .then(|| argument(call, 2, "format"))
        .flatten()
        .map(|format| semantic.constant_string(format));
    // A format named in the call that is not a tar one: zip, or a registered custom format.
    if let Some(Some(format)) = &unpack_format {
        if !TAR_FORMATS.contains(&format.as_str()) {
            return;
        }
    }
    // `shutil` passes `filter=` on to the unpacker, and a custom one (registered with
    // `shutil.register_unpack_format`, or picked by a format only known at run time) that
    // takes no `filter` raises `TypeError`: no fix then.
    let fixable =
        !is_unpack || !(matches!(unpack_format, Some(None)) || registers_unpack_format(checker));
    if call.arguments.keywords.iter().any(|k| k.arg.is_none()) || sets_default_filter(checker) {
        return;
    }
    if keyword(call, "members").is_some_and(|members| !is_all_members(&members.value)) {
        return;
    }
    // The fallback of a guarded upgrade: `if hasattr(tarfile, "data_filter"): ... else:`
    // extracting one member the code checked itself, as Pythons without filters must.
    let fallback = in_filter_fallback(checker);
    if fallback
        && is_tar_method
        && segments.last() == Some(&"extract")
        && argument(call, 0, "member").is_some()
    {
        return;
    }
    let name = checker.text(&*call.func);
    let (message, fix) = match keyword(call, "filter") {
        None => {
            let edit = crate::fix::add_keyword_argument(checker.source(), call, "filter=\"data\"")
                .filter(|_| fixable);
            (
                format!("`{name}` without `filter=\"data\"` writes members wherever their names and links point"),
                edit.map(|edit| Fix::unsafe_edits("Extract with `filter=\"data\"`", vec![edit])),
            )
        }
        Some(filter) if is_fully_trusted(checker, &filter.value) => (
            format!("`{name}` with the `fully_trusted` filter writes members wherever their names and links point"),
            Some(Fix::unsafe_edits(
                "Extract with `filter=\"data\"`",
                vec![Edit::replace(filter.value.range(), "\"data\"")],
            )),
        ),
        Some(_) => return,
    };
    let finding = Finding::new(&UNFILTERED_ARCHIVE_EXTRACTION, call.range(), message);
    checker.report(if fallback {
        // Old Pythons have no `filter=`: the fix would raise `TypeError` there.
        finding.with_confidence(Confidence::Low)
    } else {
        finding.with_fix(fix)
    });
}

/// Inside the `else` of a test for extraction filters (`hasattr(tarfile, "data_filter")`,
/// `_check_working_data_filter()`): the branch for Pythons that have none.
fn in_filter_fallback(checker: &Checker) -> bool {
    checker
        .ancestors()
        .branch_conditions()
        .iter()
        .any(|(test, outcome)| !outcome && tests_for_filters(test, 0))
}

/// `test` names the filter feature: `hasattr(tarfile, "data_filter")`, `not
/// _check_working_data_filter()`, `tarfile.data_filter is not None`. The three filters
/// came in the same releases, so a test for `tar_filter` or `fully_trusted_filter` is one
/// for the feature too.
fn tests_for_filters(test: &Expr, depth: usize) -> bool {
    let names_filter = |text: &str| {
        [
            "data_filter",
            "tar_filter",
            "fully_trusted_filter",
            "extraction_filter",
        ]
        .iter()
        .any(|name| text.contains(name))
    };
    if depth > 8 {
        return false;
    }
    match test {
        Expr::Name(name) => names_filter(name.id.as_str()),
        Expr::Attribute(attribute) => names_filter(attribute.attr.id.as_str()),
        Expr::StringLiteral(text) => names_filter(text.value.to_str()),
        Expr::UnaryOp(unary) => tests_for_filters(&unary.operand, depth + 1),
        Expr::BoolOp(bool_op) => bool_op
            .values
            .iter()
            .any(|value| tests_for_filters(value, depth + 1)),
        Expr::Compare(compare) => std::iter::once(&*compare.left)
            .chain(compare.comparators.iter())
            .any(|operand| tests_for_filters(operand, depth + 1)),
        Expr::Call(call) => std::iter::once(&*call.func)
            .chain(call.arguments.args.iter())
            .any(|part| tests_for_filters(part, depth + 1)),
        _ => false,
    }
}

/// `filter="fully_trusted"` or `filter=tarfile.fully_trusted_filter`.
fn is_fully_trusted<'a>(checker: &Checker<'a>, value: &'a Expr) -> bool {
    let semantic = checker.semantic();
    semantic.constant_string(value).as_deref() == Some("fully_trusted")
        || semantic
            .resolve_qualified_name(value)
            .is_some_and(|name| name.segments() == ["tarfile", "fully_trusted_filter"])
}

/// `members=archive.getmembers()` or `members=None` pick nothing out.
fn is_all_members(value: &Expr) -> bool {
    match value {
        Expr::NoneLiteral(_) => true,
        Expr::Call(call) => last_identifier(&call.func) == Some("getmembers"),
        _ => false,
    }
}

/// The formats `shutil.unpack_archive` extracts with `tarfile`.
const TAR_FORMATS: &[&str] = &["tar", "gztar", "bztar", "xztar", "zstdtar"];

/// The module calls `shutil.register_unpack_format(...)` somewhere: an archive may then be
/// unpacked by a function of its own, picked by the file's extension.
fn registers_unpack_format(checker: &Checker) -> bool {
    struct Finder {
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if last_identifier(&call.func) == Some("register_unpack_format") {
                    self.found = true;
                }
            }
            if !self.found {
                visitor::walk_expr(self, expr);
            }
        }
    }
    let semantic = checker.semantic();
    semantic.module_fact("registers-unpack-format", || {
        let mut finder = Finder { found: false };
        finder.visit_body(semantic.body());
        finder.found
    })
}

/// `tarfile.TarFile.extraction_filter = ...` at module level sets a default for every call.
fn sets_default_filter(checker: &Checker) -> bool {
    checker.semantic().body().iter().any(|stmt| match stmt {
        Stmt::Assign(assign) => assign.targets.iter().any(|target| {
            matches!(target, Expr::Attribute(attribute) if attribute.attr.id.as_str() == "extraction_filter")
        }),
        _ => false,
    })
}
