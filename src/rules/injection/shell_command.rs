//! How a command handed to a shell is built, shared by the command injection rules.
//!
//! A command is exposed when text from outside the program can reach the shell: a value
//! interpolated into the command string (`f"convert {src} out.png"`), or a command that is
//! itself an unknown value (a parameter, an attribute). Constant commands, `shlex.quote`d
//! values standing outside quotes and numbers (`int(pid)`) are not exposed.

use crate::checker::Checker;
use crate::diagnostic::{Confidence, TraceStep};
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{Expr, Number};
use crate::parse::Ranged;
use crate::semantic::{Binding, BindingKind, Formatting, StringPart};

use super::command_template::{joined_list, percent_conversion};
use super::shell_words::{self, Piece, Quoting};

/// What makes a shell command injectable.
#[derive(Debug)]
pub enum Exposure<'a> {
    /// The command text is built in the code, and these values are inserted into it.
    Built(Vec<&'a Expr>),
    /// The whole command is a value whose text the code does not show.
    Opaque(&'a Expr),
}

impl<'a> Exposure<'a> {
    pub fn confidence(&self) -> Confidence {
        match self {
            Exposure::Built(_) => Confidence::High,
            Exposure::Opaque(_) => Confidence::Medium,
        }
    }

    /// The values, or the whole command, in backticks: `` `src` and `size` ``.
    pub fn names(&self, checker: &Checker) -> String {
        let values: &[&Expr] = match self {
            Exposure::Built(values) => values,
            Exposure::Opaque(command) => std::slice::from_ref(command),
        };
        let names: Vec<String> = values
            .iter()
            .take(3)
            .map(|value| format!("`{}`", snippet(checker, value)))
            .collect();
        match (names.as_slice(), values.len()) {
            ([one], 1) => one.clone(),
            ([first, second], 2) => format!("{first} and {second}"),
            ([first, second, third], 3) => format!("{first}, {second} and {third}"),
            ([first, second, ..], count) => format!("{first}, {second} and {} more", count - 2),
            _ => String::new(),
        }
    }

    /// `a command built from `src`` or `` the command `cmd` `` (with `noun` = `command`).
    pub fn describe(&self, checker: &Checker, noun: &str) -> String {
        match self {
            Exposure::Built(_) => format!("a {noun} built from {}", self.names(checker)),
            Exposure::Opaque(_) => format!("the {noun} {}", self.names(checker)),
        }
    }

    /// `that value` or `those values`.
    pub fn that_value(&self) -> &'static str {
        match self {
            Exposure::Built(values) if values.len() > 1 => "those values",
            _ => "that value",
        }
    }

    /// What an attacker gains, to end a message about a shell command.
    pub fn consequence(&self) -> String {
        match self {
            Exposure::Built(_) => format!("shell syntax in {} runs as commands", self.that_value()),
            Exposure::Opaque(_) => "whoever controls that value can run any command".to_string(),
        }
    }

    /// Where the values come from; `noun` names what they are inserted into (`command`).
    pub fn trace(&self, checker: &Checker<'a>, noun: &str) -> Vec<TraceStep> {
        // Where untrusted data comes from, when the data flow knows (also through the
        // callers of a helper the command is built in).
        let values: &[&'a Expr] = match self {
            Exposure::Built(values) => values,
            Exposure::Opaque(value) => std::slice::from_ref(value),
        };
        for value in values {
            if let Some(mut steps) = checker.semantic().taint_source_of(value) {
                steps.push(TraceStep {
                    message: format!("`{}` is inserted into the {noun}", snippet(checker, value)),
                    range: value.range(),
                    elsewhere: None,
                });
                return steps;
            }
        }
        match self {
            Exposure::Built(values) => values
                .iter()
                .take(5)
                .map(|value| TraceStep {
                    message: format!("`{}` is inserted into the {noun}", snippet(checker, value)),
                    range: value.range(),
                    elsewhere: None,
                })
                .collect(),
            Exposure::Opaque(Expr::Name(name)) => match checker.semantic().binding_of(name) {
                Some(Binding {
                    kind: BindingKind::Parameter { function, .. },
                    range,
                    ..
                }) => vec![TraceStep {
                    message: format!(
                        "`{}` is a parameter of `{}`, so its callers choose the {noun}",
                        name.id, function.name.id
                    ),
                    range: *range,
                    elsewhere: None,
                }],
                _ => Vec::new(),
            },
            Exposure::Opaque(_) => Vec::new(),
        }
    }

    /// Both exposures at once (a script given as several arguments).
    pub fn merge(self, other: Exposure<'a>) -> Exposure<'a> {
        match (self, other) {
            (Exposure::Built(mut values), Exposure::Built(more)) => {
                values.extend(more);
                Exposure::Built(values)
            }
            (built @ Exposure::Built(_), Exposure::Opaque(_))
            | (Exposure::Opaque(_), built @ Exposure::Built(_)) => built,
            (opaque, Exposure::Opaque(_)) => opaque,
        }
    }
}

/// What makes `command` (the text a shell runs) injectable, or `None` when nothing from
/// outside the program shapes it. `posix` says whether `shlex.quote` protects a value.
pub fn shell_exposure<'a>(
    checker: &Checker<'a>,
    command: &'a Expr,
    posix: bool,
) -> Option<Exposure<'a>> {
    if is_constant_command(checker, command) || is_inert(checker, command, Quoting::Unquoted, posix)
    {
        return None;
    }
    let Some(parts) = command_parts(checker, command) else {
        return Some(Exposure::Opaque(command));
    };
    if !parts.iter().any(StringPart::is_dynamic) {
        // Built from constants on the path we follow, but bound elsewhere too.
        return Some(Exposure::Opaque(command));
    }
    let pieces: Vec<Piece<&'a Expr>> = parts
        .into_iter()
        .map(|part| match part {
            StringPart::Literal(text) => Piece::Text(text),
            StringPart::Dynamic(value) => Piece::Value(value),
        })
        .collect();
    let lexed = shell_words::split(&pieces);
    let mut values: Vec<&'a Expr> = Vec::new();
    for (value, quoting) in lexed.values {
        let repeated = values
            .iter()
            .any(|seen| checker.text(*seen) == checker.text(value));
        if !repeated
            && !is_inert(checker, value, quoting, posix)
            && !is_constant_value(checker, value, 0)
        {
            values.push(value);
        }
    }
    (!values.is_empty()).then_some(Exposure::Built(values))
}

/// The literal text and inserted values of a command: [`SemanticModel::string_parts`], and
/// also `sep.join([...])` over a list display (directly or through the variable holding it).
///
/// [`SemanticModel::string_parts`]: crate::semantic::SemanticModel::string_parts
fn command_parts<'a>(checker: &Checker<'a>, command: &'a Expr) -> Option<Vec<StringPart<'a>>> {
    let semantic = checker.semantic();
    let joined = match command {
        Expr::Name(name) => semantic.assigned_value(name),
        other => Some(other),
    };
    let Some((separator, elements)) = joined.and_then(|joined| joined_list(checker, joined)) else {
        return semantic.string_parts(command);
    };
    let mut parts = Vec::new();
    for (index, element) in elements.iter().enumerate() {
        if index > 0 {
            parts.push(StringPart::Literal(separator.clone()));
        }
        parts.extend(
            semantic
                .string_parts(element)
                .unwrap_or_else(|| vec![StringPart::Dynamic(element)]),
        );
    }
    Some(parts)
}

/// A constant string, or a string built only from names whose every binding in their scope
/// is one (also a loop variable over a literal list of constants).
pub fn is_constant_command<'a>(checker: &Checker<'a>, command: &'a Expr) -> bool {
    is_constant_value(checker, command, 0)
}

fn is_constant_value<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    let semantic = checker.semantic();
    if semantic.is_constant_string(expr) {
        return true;
    }
    if depth > 4 {
        return false;
    }
    if let Expr::Name(name) = expr {
        // The assignments that may reach this use (`x = value; x = "ls"` is the constant
        // here), or all of the scope's when one adds to what came before (`cmd += " -j4"`).
        let mut reaching = semantic.bindings_reaching(name);
        let adds_to_earlier = reaching
            .iter()
            .any(|binding| matches!(binding.kind, BindingKind::AugAssign(_)));
        if let Some(binding) = semantic.binding_of(name).filter(|_| adds_to_earlier) {
            reaching = semantic
                .bindings_in(binding.scope, name.id.as_str())
                .iter()
                .collect();
        }
        if reaching.is_empty() {
            return false;
        }
        return reaching.into_iter().all(|binding| match binding.kind {
            BindingKind::Assignment(value) | BindingKind::AugAssign(value) => {
                is_constant_value(checker, value, depth + 1)
            }
            BindingKind::Other | BindingKind::LoopTarget(_) => {
                loops_over_constants(checker, binding)
            }
            _ => false,
        });
    }
    if let Some((_, elements)) = joined_list(checker, expr) {
        return elements
            .iter()
            .all(|element| is_constant_value(checker, element, depth + 1));
    }
    // `flags["verbose"]`, `args.pop()`: an element of a container the data flow knows.
    if let Some(values) = semantic.element_values(expr) {
        return !values.is_empty()
            && values
                .iter()
                .all(|value| is_constant_value(checker, value, depth + 1));
    }
    // Built from strings only, through names that may be bound more than once.
    let Some(parts) = semantic.string_parts(expr) else {
        return false;
    };
    // `build()`: the module's own function returns constant text, whatever it is passed.
    if matches!(expr, Expr::Call(_)) && !parts.iter().any(StringPart::is_dynamic) {
        return true;
    }
    // A name inserted as it is (bound to different texts on different paths) is
    // judged by its assignments below.
    let inserted_unknown = parts
        .iter()
        .any(|part| matches!(part, StringPart::Dynamic(value) if !matches!(value, Expr::Name(_))));
    if inserted_unknown {
        return false;
    }
    let mut names = NameCollector::default();
    names.visit_expr(expr);
    !names.too_deep
        && names
            .names
            .into_iter()
            .all(|name| is_constant_value(checker, name, depth + 1))
}

/// The names an expression reads (bounded: deeper than a string build goes is not walked).
#[derive(Default)]
struct NameCollector<'a> {
    names: Vec<&'a Expr>,
    depth: usize,
    too_deep: bool,
}

impl<'a> Visitor<'a> for NameCollector<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth > 64 || self.names.len() > 64 {
            self.too_deep = true;
            return;
        }
        match expr {
            Expr::Name(_) => self.names.push(expr),
            _ => {
                self.depth += 1;
                visitor::walk_expr(self, expr);
                self.depth -= 1;
            }
        }
    }
}

/// `for name in ["a", "b"]`: the loop target `binding` only takes constant values.
fn loops_over_constants<'a>(checker: &Checker<'a>, binding: &Binding<'a>) -> bool {
    let semantic = checker.semantic();
    let Some(for_loop) = semantic.loop_of(binding) else {
        return false;
    };
    let elements = match &*for_loop.iter {
        Expr::List(list) => &list.elts,
        Expr::Tuple(tuple) => &tuple.elts,
        Expr::Set(set) => &set.elts,
        _ => return false,
    };
    elements
        .iter()
        .all(|element| semantic.is_constant_string(element))
}

/// A value that cannot change the shell's reading of the command where it stands: numbers,
/// values checked against an allow-list, and `shlex.quote` / `shlex.join` output outside
/// quotes in a POSIX shell.
pub fn is_inert<'a>(checker: &Checker<'a>, value: &'a Expr, quoting: Quoting, posix: bool) -> bool {
    if matches!(
        value,
        Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_)
    ) {
        return true;
    }
    if let Expr::Call(call) = value {
        if let Expr::Name(function) = &*call.func {
            let numeric = matches!(function.id.as_str(), "float" | "round");
            if numeric && checker.semantic().binding_of(function).is_none() {
                return true;
            }
            // `str(int(pid))`: the text of a value that is itself harmless.
            if function.id.as_str() == "str" && checker.semantic().binding_of(function).is_none() {
                if let ([inner], []) = (&*call.arguments.args, &*call.arguments.keywords) {
                    return is_inert(checker, inner, quoting, posix);
                }
            }
        }
        // Hex digits only: `data.hex()`, `digest.hexdigest()`, and the `str` of
        // `binascii.hexlify(...)`.
        if let Expr::Attribute(method) = &*call.func {
            match method.attr.id.as_str() {
                "hex" | "hexdigest" if call.arguments.is_empty() => return true,
                "decode" if is_hex_bytes(checker, &method.value) => return true,
                _ => {}
            }
        }
    }
    if quoting == Quoting::Single && posix && escapes_single_quotes(value) {
        return true;
    }
    // Checked against the code's own list of values on every path (`if mode not in MODES:`).
    if let Expr::Name(name) = value {
        if checker.semantic().is_allow_listed(name) {
            return true;
        }
    }
    let origin = checker.semantic().resolve_value_origin(value);
    match origin.as_ref().map(|origin| origin.segments()) {
        Some(["shlex", "quote" | "join", "()"] | ["pipes", "quote", "()"]) => {
            posix && quoting == Quoting::Unquoted
        }
        Some(
            ["builtins", "int" | "len", "()"]
            | ["os", "getpid" | "getppid" | "getuid" | "geteuid" | "getgid" | "getegid", "()"],
        ) => true,
        _ => is_formatted_as_number(checker, value),
    }
}

/// `binascii.hexlify(data)` and friends: bytes that are hex digits only.
fn is_hex_bytes<'a>(checker: &Checker<'a>, value: &'a Expr) -> bool {
    let origin = checker.semantic().resolve_value_origin(value);
    matches!(
        origin.as_ref().map(|origin| origin.segments()),
        Some(["binascii", "hexlify" | "b2a_hex", "()"] | ["base64", "b16encode", "()"])
    )
}

/// `x.replace("'", "'\"'\"'")` (or `"'\\''"`): the usual way to put a value inside `'...'`.
fn escapes_single_quotes(value: &Expr) -> bool {
    let Expr::Call(call) = value else {
        return false;
    };
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    let literal = |expr: &Expr| match expr {
        Expr::StringLiteral(literal) => Some(literal.value.to_str().to_string()),
        _ => None,
    };
    match (method.attr.id.as_str(), call.arguments.args.as_ref()) {
        ("replace", [old, new]) if call.arguments.keywords.is_empty() => {
            literal(old).as_deref() == Some("'")
                && matches!(literal(new).as_deref(), Some("'\"'\"'" | "'\\''"))
        }
        _ => false,
    }
}

/// A value formatted as a number (`"%d" % pid`, `f"{count:d}"`) can only produce digits.
fn is_formatted_as_number<'a>(checker: &Checker<'a>, value: &'a Expr) -> bool {
    let semantic = checker.semantic();
    match semantic.formatting_of(value) {
        Some(Formatting::Spec(spec)) => checker.text(spec).ends_with(NUMBER_TYPES),
        Some(Formatting::Percent { format, position }) => semantic
            .constant_string(format)
            .and_then(|format| percent_conversion(&format, position))
            .is_some_and(|conversion| NUMBER_TYPES.contains(&conversion)),
        None => false,
    }
}

/// Format types that only accept numbers.
const NUMBER_TYPES: [char; 13] = [
    'b', 'd', 'i', 'o', 'x', 'X', 'n', 'e', 'E', 'f', 'F', 'g', 'G',
];

/// `True`, a non-zero integer, or a name bound once to one of them.
pub fn is_truthy<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    let semantic = checker.semantic();
    if semantic.is_true(expr) {
        return true;
    }
    let value = match expr {
        Expr::Name(name) => match semantic.binding_of(name) {
            Some(Binding {
                kind: BindingKind::Assignment(value),
                scope,
                ..
            }) if semantic.bindings_in(*scope, name.id.as_str()).len() == 1 => *value,
            _ => return false,
        },
        other => other,
    };
    matches!(value, Expr::NumberLiteral(number)
        if matches!(&number.value, Number::Int(int) if int.as_i64() != Some(0)))
}

/// The elements of a list or tuple display, when `expr` is one (or a name bound once to one).
pub fn literal_elements<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<Vec<&'a Expr>> {
    match expr {
        Expr::List(list) => Some(list.elts.iter().collect()),
        Expr::Tuple(tuple) => Some(tuple.elts.iter().collect()),
        // A list built in place (`args = []; args.append("sh"); ...`) as the data flow
        // follows it, when each position is known.
        Expr::Name(name) => checker.semantic().sequence_elements(name),
        _ => None,
    }
}

/// The source of an expression on one line, shortened for a message.
pub fn snippet(checker: &Checker, expr: &Expr) -> String {
    let text = checker
        .text(expr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.chars().count() > 40 {
        let mut short: String = text.chars().take(37).collect();
        short.push('…');
        short
    } else {
        text
    }
}
