//! What a condition establishes about the values it tests, when it is true or false.
//!
//! `if p not in ALLOWED: abort(400)` leaves `p` allow-listed on the path that goes on;
//! `if ".." in name or "/" in name: abort(400)` leaves `name` without a way out of its
//! folder; `if not target.is_relative_to(BASE): abort(403)` leaves `target` (and what it was
//! built from) contained. The facts become [`Guards`] on names in the data flow.

use crate::parse::ast::{self, BoolOp, CmpOp, Expr, UnaryOp};

use super::constant::{evaluate, Constant, FlowNames};
use super::flow::Guards;
use super::sources;
use super::{ScopeId, SemanticModel, MAX_NESTING};

/// How far a guard is carried back through assignments (`host = urlsplit(url).hostname`
/// checks `url` too).
const MAX_DERIVATION: usize = 4;

/// A guard that holds for a name.
#[derive(Debug)]
pub(super) struct Fact<'a> {
    pub(super) name: &'a str,
    pub(super) guards: Guards,
}

/// The facts that hold when `test` evaluates to `outcome`. `assigned` gives the value a
/// name holds at this point, when exactly one assignment reaches it.
pub(super) fn facts<'a>(
    model: &SemanticModel<'a>,
    scope: ScopeId,
    test: &'a Expr,
    outcome: bool,
    assigned: &dyn Fn(&str) -> Option<&'a Expr>,
) -> Vec<Fact<'a>> {
    let context = Context {
        model,
        scope,
        assigned,
    };
    let mut found = Vec::new();
    context.collect(test, outcome, &mut found, 0);
    found
}

struct Context<'m, 'a> {
    model: &'m SemanticModel<'a>,
    scope: ScopeId,
    assigned: &'m dyn Fn(&str) -> Option<&'a Expr>,
}

impl<'a> Context<'_, 'a> {
    fn collect(&self, test: &'a Expr, outcome: bool, found: &mut Vec<Fact<'a>>, depth: usize) {
        if depth > MAX_NESTING {
            return;
        }
        let next = depth + 1;
        match test {
            Expr::UnaryOp(unary) if unary.op == UnaryOp::Not => {
                self.collect(&unary.operand, !outcome, found, next);
            }
            Expr::BoolOp(boolop) => {
                let every = (boolop.op == BoolOp::And) == outcome;
                if every {
                    // `a and b` is true (or `a or b` false): each operand has that outcome.
                    for value in &boolop.values {
                        self.collect(value, outcome, found, next);
                    }
                } else {
                    // One of the operands has the outcome: only what all of them establish.
                    let mut common: Option<Vec<Fact<'a>>> = None;
                    for value in &boolop.values {
                        let mut these = Vec::new();
                        self.collect(value, outcome, &mut these, next);
                        common = Some(match common {
                            None => these,
                            Some(before) => intersect(before, &these),
                        });
                    }
                    found.extend(common.unwrap_or_default());
                }
            }
            Expr::Compare(compare) => {
                let mut left = &*compare.left;
                for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
                    if compare.ops.len() == 1 || outcome {
                        self.comparison(left, *op, right, outcome, found);
                    }
                    left = right;
                }
            }
            Expr::Call(call) => self.call(call, outcome, found),
            // `if not name: ...` — on the path where it is falsy it is empty or `None`.
            Expr::Name(_) if !outcome => self.attach(test, Guards::ALLOWED_VALUE, found, 0),
            _ => {}
        }
    }

    fn comparison(
        &self,
        left: &'a Expr,
        op: CmpOp,
        right: &'a Expr,
        outcome: bool,
        found: &mut Vec<Fact<'a>>,
    ) {
        let holds = match op {
            CmpOp::In | CmpOp::Eq | CmpOp::Is => outcome,
            CmpOp::NotIn | CmpOp::NotEq | CmpOp::IsNot => !outcome,
            _ => return,
        };
        match op {
            CmpOp::In | CmpOp::NotIn
                if holds && self.is_fixed_collection(right, 0) && !self.is_fixed(left) =>
            {
                self.attach(left, Guards::ALLOWED_VALUE, found, 0);
            }
            CmpOp::In | CmpOp::NotIn if holds => {}
            CmpOp::In | CmpOp::NotIn => {
                // `needle not in value`: what the value cannot hold.
                let Some(Constant::Str(needle)) = self.constant(left) else {
                    return;
                };
                if matches!(needle.as_str(), ".." | "/" | "\\") {
                    self.attach(right, Guards::CONTAINED_PATH, found, 0);
                }
                if matches!(needle.as_str(), "'" | "\"") {
                    // `"'" not in p[1:-1]`: no quote between the outer two.
                    if let Expr::Subscript(inner) = right {
                        self.attach(&inner.value, Guards::NO_INNER_QUOTE, found, 0);
                    }
                }
            }
            CmpOp::Eq | CmpOp::NotEq | CmpOp::Is | CmpOp::IsNot if holds => {
                for (value, other) in [(left, right), (right, left)] {
                    // `urlsplit(url).netloc == ""`: no host, yet `/\evil.example` and
                    // `https:evil.example` still lead off the site.
                    let empty_host = self.is_host(value)
                        && self.constant(other).is_some_and(|fixed| !fixed.is_truthy());
                    if self.is_fixed(other) && !self.is_fixed(value) && !empty_host {
                        self.attach(value, Guards::ALLOWED_VALUE, found, 0);
                    }
                }
                // `os.path.commonpath([BASE, path]) == BASE`.
                for side in [left, right] {
                    if let Expr::Call(call) = side {
                        if self.is_function(call, &["os", "path", "commonpath"]) {
                            for argument in &call.arguments.args {
                                self.attach(argument, Guards::CONTAINED_PATH, found, 0);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn call(&self, call: &'a ast::ExprCall, outcome: bool, found: &mut Vec<Fact<'a>>) {
        let arguments = &call.arguments.args;
        if let Expr::Attribute(method) = &*call.func {
            let receiver = &*method.value;
            let first = arguments.first();
            match (method.attr.id.as_str(), outcome) {
                ("startswith", true) => {
                    let prefixes = first.map(|first| self.prefixes(first)).unwrap_or_default();
                    if prefixes.iter().any(|prefix| prefix == "/") {
                        self.attach(receiver, Guards::SLASH_FIRST, found, 0);
                    }
                    if prefixes
                        .iter()
                        .any(|prefix| matches!(prefix.as_str(), "'" | "\""))
                    {
                        self.attach(receiver, Guards::QUOTE_FIRST, found, 0);
                    }
                    if !prefixes.is_empty() && prefixes.iter().all(|prefix| is_site_prefix(prefix))
                    {
                        self.attach(receiver, Guards::ALLOWED_HOST, found, 0);
                    }
                    if !prefixes.is_empty() && prefixes.iter().all(|prefix| is_web_scheme(prefix)) {
                        self.attach(receiver, Guards::WEB_SCHEME, found, 0);
                    }
                    // `resolved.startswith(BASE)` after `realpath` / `abspath` / `resolve()`.
                    if first.is_some_and(|first| !self.is_fixed(first) || prefixes.len() == 1)
                        && self.is_normalised_path(receiver, 0)
                    {
                        self.attach(receiver, Guards::CONTAINED_PATH, found, 0);
                    }
                }
                ("startswith", false) => {
                    let prefixes = first.map(|first| self.prefixes(first)).unwrap_or_default();
                    if prefixes.iter().any(|prefix| prefix == "//") {
                        self.attach(receiver, Guards::NO_NETWORK_PREFIX, found, 0);
                    }
                }
                ("endswith", true) => {
                    let suffixes = first.map(|first| self.prefixes(first)).unwrap_or_default();
                    // `host.endswith(".example.net")`: the host is in one domain.
                    if !suffixes.is_empty()
                        && suffixes
                            .iter()
                            .all(|suffix| suffix.starts_with('.') && suffix.len() > 3)
                        && self.is_host(receiver)
                    {
                        self.attach(receiver, Guards::ALLOWED_VALUE, found, 0);
                    }
                    if suffixes
                        .iter()
                        .any(|suffix| matches!(suffix.as_str(), "'" | "\""))
                    {
                        self.attach(receiver, Guards::QUOTE_LAST, found, 0);
                    }
                }
                ("is_relative_to", true) => {
                    self.attach(receiver, Guards::CONTAINED_PATH, found, 0);
                }
                (
                    "isdigit" | "isdecimal" | "isnumeric" | "isalnum" | "isalpha" | "isidentifier",
                    true,
                ) => self.attach(receiver, Guards::ALLOWED_VALUE, found, 0),
                ("fullmatch" | "match", true) if self.is_safe_pattern_object(receiver) => {
                    if let Some(first) = first {
                        self.attach(first, Guards::ALLOWED_VALUE, found, 0);
                    }
                }
                // `ORIGIN.fullmatch(origin)` with `^https://[a-z]+\.example\.com$`.
                ("fullmatch" | "match", true)
                    if self.compiled_pattern(receiver).is_some_and(|pattern| {
                        is_host_pattern(&pattern, method.attr.id.as_str() == "fullmatch")
                    }) =>
                {
                    if let Some(first) = first {
                        self.attach(first, Guards::ALLOWED_HOST, found, 0);
                    }
                }
                (name, true) if is_validator_name(name) => {
                    for argument in arguments.iter().chain([receiver]) {
                        self.attach(argument, Guards::ALLOWED_VALUE, found, 0);
                    }
                }
                _ => {}
            }
            if !self.is_regex_match(call) {
                return;
            }
        }
        if !outcome {
            return;
        }
        if self.is_function(call, &["builtins", "isinstance"]) {
            if let [value, kinds] = &arguments[..] {
                if is_number_type(kinds) {
                    self.attach(value, Guards::ALLOWED_VALUE, found, 0);
                }
            }
            return;
        }
        if self.is_regex_match(call) {
            if let [pattern, value, ..] = &arguments[..] {
                let fullmatch = self.is_function(call, &["re", "fullmatch"]);
                match self.constant(pattern) {
                    Some(Constant::Str(pattern)) if is_safe_pattern(&pattern, fullmatch) => {
                        self.attach(value, Guards::ALLOWED_VALUE, found, 0);
                    }
                    Some(Constant::Str(pattern)) if is_host_pattern(&pattern, fullmatch) => {
                        self.attach(value, Guards::ALLOWED_HOST, found, 0);
                    }
                    _ => {}
                }
            }
            return;
        }
        let function = match &*call.func {
            Expr::Name(name) => name.id.as_str(),
            _ => return,
        };
        if is_validator_name(function) {
            for argument in arguments {
                self.attach(argument, Guards::ALLOWED_VALUE, found, 0);
            }
        } else if function.to_ascii_lowercase().contains("match") {
            for argument in arguments {
                self.attach(argument, Guards::MATCHED, found, 0);
            }
        }
    }

    /// Puts `guards` on the names `expr` is: `name`, `name.strip()`, and what a name was
    /// assigned from. Containment and host guards reach every name the value is built from
    /// (`target = (Path(BASE) / p).resolve()` contains `p`).
    fn attach(&self, expr: &'a Expr, guards: Guards, found: &mut Vec<Fact<'a>>, depth: usize) {
        if depth > MAX_DERIVATION {
            return;
        }
        let next = depth + 1;
        match expr {
            Expr::Name(name) => {
                let identifier = name.id.as_str();
                if found
                    .iter()
                    .any(|fact| fact.name == identifier && fact.guards.contains(guards))
                {
                    return;
                }
                found.push(Fact {
                    name: identifier,
                    guards,
                });
                if let Some(value) = (self.assigned)(identifier) {
                    self.attach(value, guards, found, next);
                }
            }
            Expr::Attribute(attribute)
                if guards == Guards::ALLOWED_VALUE
                    && matches!(attribute.attr.id.as_str(), "netloc" | "hostname" | "host") =>
            {
                self.attach(&attribute.value, Guards::ALLOWED_HOST, found, next);
            }
            // `urlsplit(url).scheme in ("http", "https")`.
            Expr::Attribute(attribute)
                if guards == Guards::ALLOWED_VALUE && attribute.attr.id.as_str() == "scheme" =>
            {
                self.attach(&attribute.value, Guards::WEB_SCHEME, found, next);
            }
            Expr::Call(call) if guards == Guards::ALLOWED_VALUE => match &*call.func {
                Expr::Attribute(method)
                    if matches!(
                        method.attr.id.as_str(),
                        "strip" | "lstrip" | "rstrip" | "lower" | "upper" | "casefold"
                    ) =>
                {
                    self.attach(&method.value, guards, found, next);
                }
                _ if self.is_function(call, &["builtins", "str"]) => {
                    if let Some(value) = call.arguments.args.first() {
                        self.attach(value, guards, found, next);
                    }
                }
                _ => {}
            },
            _ if guards.contains(Guards::CONTAINED_PATH)
                || guards.contains(Guards::ALLOWED_HOST)
                || guards.contains(Guards::WEB_SCHEME) =>
            {
                for name in names_in(expr) {
                    self.attach(name, guards, found, next);
                }
            }
            _ => {}
        }
    }

    /// `parts.hostname`, `urlsplit(url).netloc`, or a name that holds one.
    fn is_host(&self, expr: &'a Expr) -> bool {
        match expr {
            Expr::Attribute(attribute) => {
                matches!(attribute.attr.id.as_str(), "netloc" | "hostname" | "host")
            }
            Expr::Name(name) => (self.assigned)(name.id.as_str())
                .is_some_and(|value| value.is_attribute_expr() && self.is_host(value)),
            _ => false,
        }
    }

    fn constant(&self, expr: &'a Expr) -> Option<Constant> {
        let names = FlowNames {
            model: self.model,
            scope: self.scope,
        };
        evaluate(expr, &names, self.model, self.scope, 0)
    }

    /// A value the code fixes: a constant, or a name or attribute in capitals (`ADMIN_ROLE`).
    fn is_fixed(&self, expr: &'a Expr) -> bool {
        match expr {
            Expr::Name(ast::ExprName { id, .. }) => {
                is_capitals(id.as_str()) || self.constant(expr).is_some()
            }
            Expr::Attribute(attribute) => is_capitals(attribute.attr.id.as_str()),
            _ => self.constant(expr).is_some(),
        }
    }

    /// An allow-list: a collection of constants, a name in capitals or bound outside the
    /// function, an attribute (`settings.ALLOWED_HOSTS`, `self.allowed`), or its keys.
    fn is_fixed_collection(&self, expr: &'a Expr, depth: usize) -> bool {
        if depth > MAX_DERIVATION {
            return false;
        }
        match expr {
            Expr::List(ast::ExprList { elts, .. })
            | Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => {
                elts.iter().all(|element| self.is_fixed(element))
            }
            Expr::Dict(dict) => dict
                .items
                .iter()
                .all(|item| item.key.as_ref().is_some_and(|key| self.is_fixed(key))),
            Expr::Name(name) => {
                let identifier = name.id.as_str();
                if is_capitals(identifier) {
                    return true;
                }
                if let Some(value) = (self.assigned)(identifier) {
                    return self.is_fixed_collection(value, depth + 1);
                }
                self.model
                    .lookup(identifier, self.scope, name.range.start())
                    .is_some_and(|binding| binding.scope != self.scope)
            }
            // `settings.ALLOWED_HOSTS`, `self.allowed`; not what the client sent
            // (`request.form`, `request.headers`).
            Expr::Attribute(attribute) => !self.is_on_request(&attribute.value),
            Expr::Call(call) => match &*call.func {
                Expr::Attribute(method) if matches!(method.attr.id.as_str(), "keys" | "values") => {
                    self.is_fixed_collection(&method.value, depth + 1)
                }
                Expr::Name(name)
                    if matches!(name.id.as_str(), "frozenset" | "set" | "tuple" | "list") =>
                {
                    call.arguments
                        .args
                        .first()
                        .is_some_and(|inner| self.is_fixed_collection(inner, depth + 1))
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// `request`, or an attribute of it however deep (`request.form`, `self.request.GET`).
    fn is_on_request(&self, mut expr: &'a Expr) -> bool {
        loop {
            if sources::is_request(self.model, expr, self.scope) {
                return true;
            }
            match expr {
                Expr::Attribute(attribute) => expr = &attribute.value,
                _ => return false,
            }
        }
    }

    /// The constant strings a `startswith` argument names (one, or a tuple of them).
    fn prefixes(&self, expr: &'a Expr) -> Vec<String> {
        match self.constant(expr) {
            Some(Constant::Str(text)) => vec![text],
            Some(Constant::Sequence(items)) => items
                .into_iter()
                .filter_map(|item| match item {
                    Constant::Str(text) => Some(text),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A path made absolute and free of `..` before the check: `os.path.realpath(...)`,
    /// `os.path.abspath(...)`, `os.path.normpath(...)`, `Path(...).resolve()`.
    fn is_normalised_path(&self, expr: &'a Expr, depth: usize) -> bool {
        if depth > MAX_DERIVATION {
            return false;
        }
        match expr {
            Expr::Name(name) => (self.assigned)(name.id.as_str())
                .is_some_and(|value| self.is_normalised_path(value, depth + 1)),
            Expr::Call(call) => {
                let normalising = |name: &[&str]| {
                    matches!(
                        name,
                        [
                            "os" | "posixpath" | "ntpath",
                            "path",
                            "realpath" | "abspath" | "normpath"
                        ]
                    )
                };
                if self
                    .model
                    .resolve_in(&call.func, self.scope, false, 0)
                    .is_some_and(|name| normalising(name.segments()))
                {
                    return true;
                }
                match &*call.func {
                    Expr::Attribute(method) => match method.attr.id.as_str() {
                        "resolve" | "absolute" => true,
                        "__str__" => self.is_normalised_path(&method.value, depth + 1),
                        _ => false,
                    },
                    Expr::Name(name) if name.id.as_str() == "str" => call
                        .arguments
                        .args
                        .first()
                        .is_some_and(|inner| self.is_normalised_path(inner, depth + 1)),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// `re.compile(SAFE).fullmatch(value)` through a name.
    fn is_safe_pattern_object(&self, expr: &'a Expr) -> bool {
        self.compiled_pattern(expr)
            .is_some_and(|pattern| is_safe_pattern(&pattern, false))
    }

    /// The constant pattern a compiled regular expression was made from, through a name.
    fn compiled_pattern(&self, expr: &'a Expr) -> Option<String> {
        let compiled = match expr {
            Expr::Name(name) => (self.assigned)(name.id.as_str()).or_else(|| {
                match self
                    .model
                    .lookup(name.id.as_str(), self.scope, name.range.start())?
                    .kind
                {
                    super::BindingKind::Assignment(value) => Some(value),
                    _ => None,
                }
            }),
            other => Some(other),
        };
        let Some(Expr::Call(call)) = compiled else {
            return None;
        };
        if !self.is_function(call, &["re", "compile"]) {
            return None;
        }
        match self.constant(call.arguments.args.first()?) {
            Some(Constant::Str(pattern)) => Some(pattern),
            _ => None,
        }
    }

    /// `re.fullmatch(...)` or `re.match(...)`.
    fn is_regex_match(&self, call: &'a ast::ExprCall) -> bool {
        self.model
            .resolve_in(&call.func, self.scope, false, 0)
            .is_some_and(|name| matches!(name.segments(), ["re", "fullmatch" | "match"]))
    }

    fn is_function(&self, call: &'a ast::ExprCall, qualified: &[&str]) -> bool {
        self.model
            .resolve_in(&call.func, self.scope, false, 0)
            .is_some_and(|name| name.segments() == qualified)
    }
}

/// The facts found in both lists (a name's guards in common).
fn intersect<'a>(before: Vec<Fact<'a>>, these: &[Fact<'a>]) -> Vec<Fact<'a>> {
    let combined = |name: &str, facts: &[Fact<'a>]| {
        facts
            .iter()
            .filter(|fact| fact.name == name)
            .fold(Guards::default(), |guards, fact| guards.union(fact.guards))
    };
    let mut common: Vec<Fact<'a>> = Vec::new();
    for fact in &before {
        if common.iter().any(|seen| seen.name == fact.name) {
            continue;
        }
        let guards = combined(fact.name, &before).intersection(combined(fact.name, these));
        if !guards.is_empty() {
            common.push(Fact {
                name: fact.name,
                guards,
            });
        }
    }
    common
}

/// Every `Name` expression inside `expr`, `expr` included (at most 64 of them).
pub fn names_in(expr: &Expr) -> Vec<&Expr> {
    use crate::parse::ast::visitor::{self, Visitor};
    struct Names<'n> {
        found: Vec<&'n Expr>,
        depth: usize,
    }
    impl<'n> Visitor<'n> for Names<'n> {
        fn visit_expr(&mut self, expr: &'n Expr) {
            if self.depth >= MAX_NESTING || self.found.len() > 64 {
                return;
            }
            if expr.is_name_expr() {
                self.found.push(expr);
            }
            self.depth += 1;
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut names = Names {
        found: Vec::new(),
        depth: 0,
    };
    names.visit_expr(expr);
    names.found
}

/// `ADMIN`, `ALLOWED_HOSTS`: a name written as a constant.
fn is_capitals(name: &str) -> bool {
    name.bytes().any(|byte| byte.is_ascii_uppercase())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'_')
}

/// A prefix that fixes the site: a scheme, a host and the `/` after it.
fn is_site_prefix(prefix: &str) -> bool {
    ["https://", "http://"].iter().any(|scheme| {
        prefix
            .strip_prefix(scheme)
            .and_then(|rest| rest.find('/'))
            .is_some_and(|slash| slash > 0)
    })
}

/// A prefix that fixes the scheme to `http` or `https` (the host may follow or not).
fn is_web_scheme(prefix: &str) -> bool {
    let prefix = prefix.to_ascii_lowercase();
    prefix.starts_with("https://") || prefix.starts_with("http://")
}

/// `int`, `float`, `bool`, or a tuple of them.
fn is_number_type(expr: &Expr) -> bool {
    match expr {
        Expr::Name(name) => matches!(name.id.as_str(), "int" | "float" | "bool"),
        Expr::Tuple(tuple) => !tuple.elts.is_empty() && tuple.elts.iter().all(is_number_type),
        _ => false,
    }
}

/// `is_allowed_url(...)`, `validate_host(...)`, `is_safe_path(...)`,
/// `url_has_allowed_host_and_scheme(...)`.
pub(crate) fn is_validator_name(function: &str) -> bool {
    let lowered = function.to_ascii_lowercase();
    ["allow", "valid", "safe", "trust", "permit", "whitelist"]
        .iter()
        .any(|word| lowered.contains(word))
}

/// The pattern without its anchors, when it must match the whole value: `^...$` (or
/// `\Z`), or any pattern given to `fullmatch`.
fn anchored_body(pattern: &str, fullmatch: bool) -> Option<&str> {
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    match body
        .strip_suffix("\\Z")
        .or_else(|| body.strip_suffix("\\z"))
        .or_else(|| body.strip_suffix('$'))
    {
        Some(body) => Some(body),
        None => fullmatch.then_some(body),
    }
}

/// A pattern that pins a host: anchored at both ends, no unescaped `.` (any character),
/// and a literal domain ending (`\.example\.com`) at the end of the host part.
fn is_host_pattern(pattern: &str, fullmatch: bool) -> bool {
    let Some(body) = anchored_body(pattern, fullmatch) else {
        return false;
    };
    let host = body.split_once("://").map_or(body, |(_, rest)| rest);
    let host = host.split(['/', ':']).next().unwrap_or(host);
    let mut previous = None;
    let mut depth = 0usize;
    for c in body.chars() {
        let escaped = previous == Some('\\');
        match c {
            // Any character, or an alternative the anchors do not hold for (`^a|b$`).
            '.' if !escaped => return false,
            '|' if !escaped && depth == 0 => return false,
            '(' if !escaped => depth += 1,
            ')' if !escaped => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = Some(if escaped && c == '\\' { ' ' } else { c });
    }
    host.rsplit_once("\\.").is_some_and(|(_, ending)| {
        ending.len() >= 2 && ending.chars().all(|c| c.is_ascii_alphabetic())
    })
}

/// A regular expression that only lets letters, digits, `_` and `-` through, matched
/// against the whole value: `^[A-Za-z0-9_-]+$`, `\d{1,6}`.
fn is_safe_pattern(pattern: &str, fullmatch: bool) -> bool {
    let Some(body) = anchored_body(pattern, fullmatch).filter(|body| !body.is_empty()) else {
        return false;
    };
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        let allowed = match c {
            '\\' => matches!(chars.next(), Some('d' | 'w')),
            c => c.is_ascii_alphanumeric() || "[]-_+*?{},".contains(c),
        };
        if !allowed {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_host_pattern;

    #[test]
    fn a_host_pattern_is_anchored_and_ends_in_a_literal_domain() {
        assert!(is_host_pattern(r"^https://[a-z]+\.example\.com$", false));
        assert!(is_host_pattern(r"https://(app|admin)\.example\.com", true));
        // Open at the end, any character, an alternative outside the anchors.
        assert!(!is_host_pattern(r"^https://[a-z]+\.example\.com", false));
        assert!(!is_host_pattern(r"^https://.*\.example\.com$", false));
        assert!(!is_host_pattern(r"^https://app\.example\.com|evil$", false));
        assert!(!is_host_pattern(r"^https://[a-z]+$", false));
    }
}
