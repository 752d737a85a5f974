//! Does a value come from a predictable generator? Follows it back through the ways a
//! token is usually built: `"".join(random.choice(a) for _ in range(n))`, `str(...)`,
//! f-strings, `%`, hashing, indexing (`alphabet[random.randrange(62)]`) and local variables.

use crate::checker::Checker;
use crate::diagnostic::TraceStep;
use crate::parse::ast::{self, Expr};
use crate::semantic::BindingKind;

/// How many names and wrappers are followed before giving up.
const MAX_DEPTH: usize = 16;

/// `random` functions whose results are predictable (the Mersenne Twister behind them).
const RANDOM_FUNCTIONS: &[&str] = &[
    "random",
    "randint",
    "randrange",
    "choice",
    "choices",
    "sample",
    "getrandbits",
    "randbytes",
    "uniform",
    "triangular",
    "gauss",
];

/// `numpy.random` functions and generator methods, just as predictable.
const NUMPY_FUNCTIONS: &[&str] = &[
    "rand",
    "randint",
    "random",
    "random_sample",
    "choice",
    "bytes",
    "integers",
    "permutation",
];

/// A call that draws from a predictable generator.
pub struct Draw<'a> {
    pub call: &'a ast::ExprCall,
    /// `random.choice`, `numpy.random.randint`, `uuid.uuid1`: what to call it in messages.
    pub function: String,
    /// The `random` module function, when called directly (the fixable case).
    pub module_function: Option<&'a str>,
    /// True when the call sits where any expression fits (an argument, an assigned value),
    /// false where a replacement like `a + b` would need parentheses.
    pub standalone: bool,
    /// The local variables the value passed through, innermost first.
    pub trace: Vec<TraceStep>,
}

/// What a call draws from, if it is a predictable generator.
fn draw<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<(String, Option<&'a str>)> {
    let origin = checker.semantic().resolve_value_origin(&call.func)?;
    match origin.segments() {
        ["random", function] if RANDOM_FUNCTIONS.contains(function) => {
            Some((format!("random.{function}"), Some(function)))
        }
        ["random", "Random", "()", function] if RANDOM_FUNCTIONS.contains(function) => {
            Some((format!("random.Random().{function}"), None))
        }
        ["numpy", "random", function] if NUMPY_FUNCTIONS.contains(function) => {
            Some((format!("numpy.random.{function}"), None))
        }
        ["numpy", "random", "default_rng" | "RandomState" | "Generator", "()", function]
            if NUMPY_FUNCTIONS.contains(function) =>
        {
            Some((format!("numpy.random.{function}"), None))
        }
        ["uuid", "uuid1"] => Some(("uuid.uuid1".to_string(), None)),
        _ => None,
    }
}

/// The modules that provide a predictable generator: one must be imported for a draw.
pub const DRAW_MODULES: &[&str] = &["random", "numpy", "uuid"];

/// Every predictable draw that `expr`'s value is built from.
pub fn find_draws<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Vec<Draw<'a>> {
    let mut found = Vec::new();
    find(checker, expr, true, 0, &mut found);
    found
}

fn find<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    standalone: bool,
    depth: usize,
    found: &mut Vec<Draw<'a>>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let next = depth + 1;
    let each = |exprs: &mut dyn Iterator<Item = &'a Expr>, found: &mut Vec<Draw<'a>>| {
        for expr in exprs {
            find(checker, expr, true, next, found);
        }
    };
    match expr {
        Expr::Call(call) => {
            if let Some((function, module_function)) = draw(checker, call) {
                found.push(Draw {
                    call,
                    function,
                    module_function,
                    standalone,
                    trace: Vec::new(),
                });
                return;
            }
            if let Expr::Attribute(method) = &*call.func {
                find(checker, &method.value, false, next, found);
            }
            if passes_arguments_on(checker, call) {
                let arguments = &call.arguments;
                let values = arguments.keywords.iter().map(|keyword| &keyword.value);
                each(&mut arguments.args.iter().chain(values), found);
            }
        }
        Expr::BinOp(binop) => {
            find(checker, &binop.left, false, next, found);
            find(checker, &binop.right, false, next, found);
        }
        Expr::UnaryOp(unary) => find(checker, &unary.operand, false, next, found),
        Expr::FString(fstring) => each(
            &mut fstring.value.elements().filter_map(|element| {
                element
                    .as_interpolation()
                    .map(|interpolation| &*interpolation.expression)
            }),
            found,
        ),
        Expr::Generator(ast::ExprGenerator {
            elt, generators, ..
        })
        | Expr::ListComp(ast::ExprListComp {
            elt, generators, ..
        })
        | Expr::SetComp(ast::ExprSetComp {
            elt, generators, ..
        }) => each(
            &mut std::iter::once(&**elt).chain(generators.iter().map(|g| &g.iter)),
            found,
        ),
        Expr::Subscript(subscript) => {
            find(checker, &subscript.value, false, next, found);
            find(checker, &subscript.slice, true, next, found);
        }
        Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::List(ast::ExprList { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => each(&mut elts.iter(), found),
        Expr::If(conditional) => each(
            &mut [&*conditional.body, &*conditional.orelse].into_iter(),
            found,
        ),
        Expr::BoolOp(boolop) => each(&mut boolop.values.iter(), found),
        Expr::Await(awaited) => find(checker, &awaited.value, false, next, found),
        Expr::Named(named) => find(checker, &named.value, false, next, found),
        Expr::Name(name) => {
            let Some(binding) = checker.semantic().binding_of(name) else {
                return;
            };
            let (BindingKind::Assignment(value) | BindingKind::AugAssign(value)) = binding.kind
            else {
                return;
            };
            let before = found.len();
            find(checker, value, true, next, found);
            for draw in &mut found[before..] {
                draw.trace.push(TraceStep {
                    message: format!("`{}` holds it", name.id.as_str()),
                    range: binding.range,
                    elsewhere: None,
                });
            }
        }
        _ => {}
    }
}

/// Calls whose result carries their arguments' unpredictability (or lack of it):
/// conversions, joins, formatting, hashing, encoding, `uuid.UUID(int=...)`.
fn passes_arguments_on<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    const CONVERSIONS: &[&str] = &[
        "str",
        "int",
        "hex",
        "oct",
        "bin",
        "format",
        "bytes",
        "bytearray",
        "repr",
        "list",
        "tuple",
    ];
    const MODULES: &[&str] = &["hashlib", "hmac", "base64", "binascii", "uuid", "string"];
    if let Expr::Attribute(method) = &*call.func {
        if matches!(method.attr.id.as_str(), "join" | "format") {
            return true;
        }
    }
    if let Expr::Name(name) = &*call.func {
        if checker.semantic().binding_of(name).is_none() {
            return CONVERSIONS.contains(&name.id.as_str());
        }
    }
    checker
        .semantic()
        .resolve_value_origin(&call.func)
        .is_some_and(|origin| match origin.segments() {
            ["builtins", function] => CONVERSIONS.contains(function),
            [module, ..] => MODULES.contains(module),
            [] => false,
        })
}
