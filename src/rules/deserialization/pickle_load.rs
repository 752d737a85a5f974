use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{BindingKind, QualifiedName};

use super::named_file::reads_named_file;
use super::own_state_file::reads_its_own_pickle;
use super::pickle_family::{
    is_pickle_reader, is_round_trip, unrestricted_unpickler_base, PICKLE_MODULES,
};

declare_rule! {
    /// ## What it does
    /// Flags reading pickles with `pickle`, `dill`, `shelve`, `jsonpickle`,
    /// `pandas.read_pickle` or `joblib.load`.
    ///
    /// That is `load`, `loads` and `Unpickler` of `pickle`, `cPickle`, `_pickle`, `dill` and
    /// `cloudpickle`; `shelve.open`; `jsonpickle.decode`; `pandas.read_pickle`;
    /// `joblib.load`; and local subclasses of `pickle.Unpickler` that do not override
    /// `find_class`.
    ///
    /// ## Why is this bad?
    /// A pickle is a little program, not a data format: its instructions import any callable
    /// and call it with any arguments. Whoever can write the bytes you load (an upload, a cache
    /// entry, a cookie, a downloaded model) runs code in your process. Writing pickles is not
    /// the risk, reading them is; importing `pickle` alone and the deep-copy idiom
    /// `pickle.loads(pickle.dumps(obj))` are not flagged, and neither is a module reading
    /// back the pickle it writes to the same path (`with open(path, "wb") as f:
    /// pickle.dump(state, f)` beside `with open(path, "rb") as f: pickle.load(f)`).
    ///
    /// Confidence is high when the pickle comes from a web request, medium when it comes
    /// from elsewhere (a socket, a pipe, a cache), low when it is a file the code names.
    ///
    /// ## Example
    /// ```python
    /// import pickle
    /// session = pickle.loads(request.cookies["session"])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    /// session = json.loads(request.cookies["session"])
    /// ```
    ///
    /// ## Fix safety
    /// Display only: moving to a format that cannot run code (JSON, a schema'd format) changes
    /// the side that writes the data too, so a person makes that change. For `load` and `loads`
    /// the suggestion shows the matching `json` call; an `Unpickler` subclass can instead
    /// override `find_class` to allow only the classes it expects.
    ///
    /// ## References
    /// CWE-502 · OWASP A08
    pub PICKLE_LOAD = RuleMeta {
        id: "PV302",
        name: "pickle-load",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[502],
        owasp: Owasp::A08,
        guideline: "deserialization",
        sources: &[Source::Bandit("B301"), Source::Ruff("S301")],
        fix: FixAvailability::Always,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &PICKLE_LOAD,
    checks: &[Check::Call(check_call)],
    needs: PICKLE_MODULES,
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    match semantic.resolve_qualified_name(&call.func) {
        Some(function) => check_reader(checker, call, &function),
        None => check_local_unpickler(checker, call),
    }
}

/// `pickle.loads(data)`, `pandas.read_pickle(path)`, `pickle.Unpickler(file)`, ...
fn check_reader<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName) {
    if !is_pickle_reader(function.segments())
        || is_round_trip(checker, call)
        || reads_its_own_pickle(checker, call)
    {
        return;
    }
    let message = format!("`{function}` runs whatever code the pickled data asks for");
    report(checker, call, message, json_fix(checker, call, function));
}

/// `MyUnpickler(file)` where `MyUnpickler` extends `pickle.Unpickler` and keeps its
/// `find_class`.
fn check_local_unpickler<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Name(name) = &*call.func else {
        return;
    };
    let binding = checker.semantic().binding_of(name).map(|b| &b.kind);
    let Some(BindingKind::ClassDef(class)) = binding else {
        return;
    };
    let Some(base) = unrestricted_unpickler_base(checker, class, 0) else {
        return;
    };
    let class = &name.id;
    let message = format!(
        "`{class}` is a `{base}` that allows every class, so it runs any code the data asks for"
    );
    let title = format!("Override `find_class` in `{class}` to allow only the classes you expect");
    report(checker, call, message, Fix::display_only(title, Vec::new()));
}

fn report<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, message: String, fix: Fix) {
    let finding = Finding::new(&PICKLE_LOAD, call.range(), message)
        .with_confidence(confidence_for(checker, call))
        .with_fix(fix);
    checker.report(finding);
}

/// High when the pickle comes from a web request: whoever sends one runs code, and that
/// is fixed the same day. Low when the call reads a file the code names (only whoever can
/// replace that file can attack), medium for data from anywhere else (a socket, a pipe, a
/// cache): a reviewer must find out who can write it.
fn confidence_for<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Confidence {
    let from_request = call.arguments.find_positional(0).is_some_and(|data| {
        checker
            .semantic()
            .request_taint_with(data, |_| false)
            .is_some()
    });
    if from_request {
        Confidence::High
    } else if reads_named_file(checker, call) {
        Confidence::Low
    } else {
        Confidence::Medium
    }
}

/// Advice toward a format that cannot run code; for a one-argument `load` / `loads`, the
/// matching `json` call as a suggestion.
fn json_fix(checker: &Checker, call: &ast::ExprCall, function: &QualifiedName) -> Fix {
    let segments = function.segments();
    let json_function = match segments.last() {
        Some(&("loads" | "decode")) => Some("loads"),
        Some(&"load") if segments[0] != "joblib" && segments[0] != "sklearn" => Some("load"),
        _ => None,
    };
    let one_argument = call.arguments.keywords.is_empty()
        && matches!(&call.arguments.args[..], [data] if !data.is_starred_expr());
    match json_function {
        Some(json_function) if one_argument => {
            let (json, import) = checker.import_module("json", call.start());
            let mut edits = vec![Edit::replace(
                call.func.range(),
                format!("{json}.{json_function}"),
            )];
            edits.extend(import);
            Fix::display_only(
                format!("Store the data as JSON and read it with `json.{json_function}`"),
                edits,
            )
        }
        _ => Fix::display_only(advice(segments), Vec::new()),
    }
}

fn advice(segments: &[&str]) -> &'static str {
    match segments {
        ["pandas", ..] => {
            "Store the frame as Parquet or CSV and read it with `pandas.read_parquet` or `read_csv`"
        }
        ["joblib", ..] | ["sklearn", ..] => {
            "Load only model files you wrote, or save models in a format that cannot run code"
        }
        ["shelve", ..] => "Keep plain data (JSON text) in a `dbm` database instead of a shelf",
        [.., "Unpickler" | "_Unpickler"] => {
            "Subclass `Unpickler` and override `find_class` to allow only the classes you expect"
        }
        _ => "Store the data in a format that cannot run code, such as JSON",
    }
}
