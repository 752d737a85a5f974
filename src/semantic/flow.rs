//! Which assignments can reach each use of a name, and what the code checked about the
//! value on the way: the flow-sensitive half of the data flow.
//!
//! One pass over each scope's statements, once per scope and only when a question needs it,
//! keeps for every name the set of its bindings that may hold at that point and the guards
//! that hold on every path (see [`Guards`]). Branches merge (`p = request.args["p"]`,
//! `if not p: p = ""` leaves both assignments reaching the use after the `if`), loops run to
//! a fixpoint, `try` handlers start from any point of the `try` body, and `return`, `raise`,
//! `break`, `continue` and calls that never return (`abort(400)`, `sys.exit()`) end a path. A
//! branch whose condition is a constant ([`super::constant`]) is not taken when it is false.
//!
//! The pass spends from the module's budget; when it runs out the scope has no flow facts
//! and questions fall back to the binding in effect at the use.

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange, TextSize};

use super::conditions::{facts, Fact};
use super::constant::{evaluate, Constant, NameValues};
use super::{Binding, BindingKind, ScopeId, SemanticModel, MAX_NESTING};

/// Passes over a scope before its loops' facts are taken as they are: one more than the
/// deepest nesting of loops that feed each other needs.
const MAX_PASSES: usize = 8;

/// What a code path established about a value before it is used, as bits. A guard holds
/// after a check only on the paths where the check passed (`if ".." in p: abort(400)`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Guards(u16);

impl Guards {
    /// Checked against a fixed set of values (an allow-list, an equality with a constant),
    /// or shown to be a number or an identifier: safe for every sink.
    pub const ALLOWED_VALUE: Guards = Guards(1);
    /// Shown to stay inside a base folder, or to hold no `..` or `/`.
    pub const CONTAINED_PATH: Guards = Guards(1 << 1);
    /// A URL whose host is allow-listed, or a path on this site (`/` and not `//`).
    pub const ALLOWED_HOST: Guards = Guards(1 << 2);
    /// A quoted literal with no quote inside (`'...'`): `eval` can only make a string of it.
    pub const QUOTED_LITERAL: Guards = Guards(1 << 3);
    /// Starts with `/` (half of a same-site path check).
    pub(super) const SLASH_FIRST: Guards = Guards(1 << 4);
    /// Does not start with `//` or a scheme (the other half).
    pub(super) const NO_NETWORK_PREFIX: Guards = Guards(1 << 5);
    pub(super) const QUOTE_FIRST: Guards = Guards(1 << 6);
    pub(super) const QUOTE_LAST: Guards = Guards(1 << 7);
    pub(super) const NO_INNER_QUOTE: Guards = Guards(1 << 8);
    /// Passed to a function named for matching (`try_match_any_pattern(origin, ORIGINS)`)
    /// that said yes: enough for an origin, not for a path or a command.
    pub const MATCHED: Guards = Guards(1 << 9);
    /// A URL shown to start with `http://` or `https://` (by its prefix or its parsed
    /// `scheme`): no `file:` or `ftp:` URL gets through.
    pub const WEB_SCHEME: Guards = Guards(1 << 10);

    pub const fn contains(self, other: Guards) -> bool {
        self.0 & other.0 == other.0
    }

    pub(super) const fn union(self, other: Guards) -> Guards {
        Guards(self.0 | other.0)
    }

    pub(super) const fn intersection(self, other: Guards) -> Guards {
        Guards(self.0 & other.0)
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Completes guards that take two checks to establish.
    fn completed(self) -> Guards {
        let mut guards = self;
        if guards.contains(Self::SLASH_FIRST.union(Self::NO_NETWORK_PREFIX)) {
            guards = guards.union(Self::ALLOWED_HOST);
        }
        let quoted = Self::QUOTE_FIRST
            .union(Self::QUOTE_LAST)
            .union(Self::NO_INNER_QUOTE);
        if guards.contains(quoted) {
            guards = guards.union(Self::QUOTED_LITERAL);
        }
        guards
    }
}

/// What reaches one use of a name: the bindings (indexes among the name's bindings in the
/// scope, sorted) and the guards that hold on every path to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reach {
    pub(crate) bindings: SmallVec<[u32; 2]>,
    pub(crate) guards: Guards,
    /// Guards that hold for one binding's value on every path it reaches the use by, beyond
    /// [`Self::guards`]: `if not is_safe(u): u = "/"` leaves the first `u` checked where it
    /// still reaches, though the other path replaced it. By binding index, sorted.
    binding_guards: SmallVec<[(u32, Guards); 2]>,
    /// Changes made in place to the object (`items.append(x)`, `d["k"] = v`) since it was
    /// bound: indexes into [`ScopeFlow::mutation`], in source order.
    pub(crate) mutations: SmallVec<[u32; 2]>,
    /// More changes than are followed one by one ([`MAX_MUTATIONS`]): any change made to
    /// the name in the scope may have been made.
    pub(crate) overflow: bool,
}

/// In-place changes followed one by one for a name; past this, the container is taken as
/// a whole (a list appended to on every line of a long function).
const MAX_MUTATIONS: usize = 64;

fn insert_sorted(list: &mut SmallVec<[u32; 2]>, value: u32) {
    if let Err(at) = list.binary_search(&value) {
        list.insert(at, value);
    }
}

impl Reach {
    /// The guards that hold for the value of the binding `index` at this use.
    pub(crate) fn guards_of(&self, index: u32) -> Guards {
        self.guards.union(self.own_guards(index))
    }

    fn own_guards(&self, index: u32) -> Guards {
        self.binding_guards
            .iter()
            .find(|(binding, _)| *binding == index)
            .map_or(Guards::default(), |(_, guards)| *guards)
    }

    /// Adds guards that a check established for whatever value the name holds now.
    fn add_guards(&mut self, guards: Guards) {
        self.guards = self.guards.union(guards).completed();
        let mut binding_guards: SmallVec<[(u32, Guards); 2]> = SmallVec::new();
        for index in &self.bindings {
            let own = self.own_guards(*index).union(guards).completed();
            binding_guards.push((*index, own));
        }
        self.binding_guards = binding_guards;
    }

    fn join(&mut self, other: &Reach) {
        // Per binding: what both sides know when it reaches by both, else what its side knows.
        let mut binding_guards: SmallVec<[(u32, Guards); 2]> = SmallVec::new();
        let mut push = |index: u32, guards: Guards| {
            if !guards.is_empty() {
                binding_guards.push((index, guards));
            }
        };
        for index in &self.bindings {
            let mine = self.guards_of(*index);
            if other.bindings.contains(index) {
                push(*index, mine.intersection(other.guards_of(*index)));
            } else {
                push(*index, mine);
            }
        }
        for index in &other.bindings {
            if !self.bindings.contains(index) {
                push(*index, other.guards_of(*index));
            }
        }
        binding_guards.sort_unstable_by_key(|(index, _)| *index);
        self.binding_guards = binding_guards;
        for binding in &other.bindings {
            insert_sorted(&mut self.bindings, *binding);
        }
        for mutation in &other.mutations {
            insert_sorted(&mut self.mutations, *mutation);
        }
        self.overflow |= other.overflow;
        if self.mutations.len() > MAX_MUTATIONS {
            self.mutations.clear();
            self.overflow = true;
        }
        self.guards = self.guards.intersection(other.guards);
    }
}

/// A change made in place to a container, where it is made.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mutation<'a> {
    /// The name the container is changed through.
    pub(crate) name: &'a str,
    pub(crate) kind: MutationKind<'a>,
    pub(crate) range: TextRange,
}

/// The in-place changes the data flow follows, on dicts, lists, sets, deques and
/// `configparser` objects.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MutationKind<'a> {
    /// `d[key] = value`.
    Store {
        key: &'a Expr,
        value: &'a Expr,
    },
    /// `config.set(section, option, value)`.
    StorePair {
        section: &'a Expr,
        option: &'a Expr,
        value: &'a Expr,
    },
    /// `d.setdefault(key, value)`.
    SetDefault {
        key: &'a Expr,
        value: &'a Expr,
    },
    /// `items.append(value)`, `s.add(value)`.
    Append(&'a Expr),
    /// `queue.appendleft(value)`.
    AppendLeft(&'a Expr),
    /// `items.insert(index, value)`.
    Insert {
        index: &'a Expr,
        value: &'a Expr,
    },
    /// `items.extend(values)`, `s.update(values)` on a list or set.
    Extend(&'a Expr),
    /// `d.update(mapping)`.
    Update(&'a Expr),
    /// `items.pop()`, `items.pop(i)`, `d.pop(key)`.
    Pop(Option<&'a Expr>),
    /// `queue.popleft()`.
    PopLeft,
    /// `items.remove(value)`.
    Remove(&'a Expr),
    /// `del d[key]`.
    Delete(&'a Expr),
    Reverse,
    Clear,
    /// `fill(items)`: passed to a call that may change it in ways not followed.
    Escape,
}

impl<'a> MutationKind<'a> {
    /// The values the change puts into the container.
    pub(crate) fn added(&self) -> Option<&'a Expr> {
        match *self {
            MutationKind::Store { value, .. }
            | MutationKind::StorePair { value, .. }
            | MutationKind::SetDefault { value, .. }
            | MutationKind::Append(value)
            | MutationKind::AppendLeft(value)
            | MutationKind::Insert { value, .. }
            | MutationKind::Extend(value)
            | MutationKind::Update(value) => Some(value),
            _ => None,
        }
    }

    /// The change a method call makes, by the method's name and arguments.
    fn of_call(call: &'a ast::ExprCall, method: &str) -> Option<Self> {
        if !call.arguments.keywords.is_empty() && method != "update" {
            return None;
        }
        let args = &call.arguments.args[..];
        if args.iter().any(Expr::is_starred_expr) {
            return None;
        }
        Some(match (method, args) {
            ("append" | "add", [value]) => MutationKind::Append(value),
            ("appendleft", [value]) => MutationKind::AppendLeft(value),
            ("insert", [index, value]) => MutationKind::Insert { index, value },
            ("extend", [values]) => MutationKind::Extend(values),
            ("update", [values]) => MutationKind::Update(values),
            ("update", []) if !call.arguments.keywords.is_empty() => {
                MutationKind::Update(&call.arguments.keywords[0].value)
            }
            ("setdefault", [key, value]) => MutationKind::SetDefault { key, value },
            ("set", [section, option, value]) => MutationKind::StorePair {
                section,
                option,
                value,
            },
            ("pop", []) => MutationKind::Pop(None),
            ("pop", [index, ..]) => MutationKind::Pop(Some(index)),
            ("popleft", []) => MutationKind::PopLeft,
            ("remove" | "discard", [value]) => MutationKind::Remove(value),
            ("reverse", []) => MutationKind::Reverse,
            ("clear", []) => MutationKind::Clear,
            _ => return None,
        })
    }
}

/// The flow facts of one scope: what reaches each name use, keyed by the use's start.
pub(crate) struct ScopeFlow<'a> {
    uses: HashMap<TextSize, Reach>,
    mutations: Vec<Mutation<'a>>,
    /// Statements no path reaches, sorted.
    dead_ranges: Vec<TextRange>,
}

impl<'a> ScopeFlow<'a> {
    pub(crate) fn at(&self, use_start: TextSize) -> Option<&Reach> {
        self.uses.get(&use_start)
    }

    /// True when no path reaches the code at `range`.
    pub(crate) fn is_unreachable(&self, range: TextRange) -> bool {
        self.dead_ranges
            .iter()
            .any(|dead| dead.contains_range(range))
    }

    pub(crate) fn mutation(&self, index: u32) -> Option<&Mutation<'a>> {
        self.mutations.get(usize::try_from(index).ok()?)
    }

    /// Every change made through `name` in the scope (for a name with too many to follow).
    pub(crate) fn mutations_of<'f>(
        &'f self,
        name: &'f str,
    ) -> impl Iterator<Item = &'f Mutation<'a>> + 'f {
        self.mutations
            .iter()
            .filter(move |mutation| mutation.name == name)
    }
}

/// The names in scope on one path; `live` is false once the path has ended.
#[derive(Debug, Clone, PartialEq)]
struct State<'a> {
    live: bool,
    names: HashMap<&'a str, Reach>,
    /// Names that hold the same object (`a = b`): a change made through one is seen
    /// through the other.
    aliases: Vec<(&'a str, &'a str)>,
}

impl<'a> State<'a> {
    fn dead() -> Self {
        State {
            live: false,
            names: HashMap::default(),
            aliases: Vec::new(),
        }
    }

    fn join(&mut self, other: &State<'a>) {
        if !other.live {
            return;
        }
        if !self.live {
            self.clone_from(other);
            return;
        }
        // A name missing on one side has no binding and no guard on that path.
        for (name, reach) in &mut self.names {
            match other.names.get(name) {
                Some(theirs) => reach.join(theirs),
                None => reach.guards = Guards::default(),
            }
        }
        for (name, reach) in &other.names {
            self.names.entry(name).or_insert_with(|| Reach {
                bindings: reach.bindings.clone(),
                guards: Guards::default(),
                binding_guards: reach
                    .bindings
                    .iter()
                    .map(|index| (*index, reach.guards_of(*index)))
                    .filter(|(_, guards)| !guards.is_empty())
                    .collect(),
                mutations: reach.mutations.clone(),
                overflow: reach.overflow,
            });
        }
        for alias in &other.aliases {
            if !self.aliases.contains(alias) {
                self.aliases.push(*alias);
            }
        }
    }
}

#[derive(Default)]
struct LoopExits<'a> {
    breaks: Vec<State<'a>>,
    continues: Vec<State<'a>>,
}

/// Works out the flow facts of `scope`; `None` when the budget ran out.
pub(super) fn scope_flow<'a>(model: &SemanticModel<'a>, scope: ScopeId) -> Option<ScopeFlow<'a>> {
    let definition = model.scopes[scope].definition?;
    let mut sites = HashMap::default();
    for bindings in model.scopes[scope].bindings.values() {
        for (index, binding) in bindings.iter().enumerate() {
            sites.insert(binding.range.start(), u32::try_from(index).ok()?);
        }
    }
    let mut pass = Pass {
        model,
        scope,
        sites,
        uses: HashMap::default(),
        mutation_sites: HashMap::default(),
        mutations: Vec::new(),
        dead: Vec::new(),
        dead_ranges: Vec::new(),
        loops: Vec::new(),
        back_edges: HashMap::default(),
        next_back_edges: HashMap::default(),
        tries: Vec::new(),
        depth: 0,
        failed: false,
    };
    let mut state = State {
        live: true,
        names: HashMap::default(),
        aliases: Vec::new(),
    };
    let body = match definition {
        // One expression: each name holds what its one binding gives it.
        super::Definition::Lambda(_) | super::Definition::Comprehension(_) => return None,
        super::Definition::Module(body) => body,
        super::Definition::Class(class) => &class.body[..],
        super::Definition::Function(function) => {
            let parameters = &function.parameters;
            let names = parameters
                .posonlyargs
                .iter()
                .chain(&parameters.args)
                .chain(&parameters.kwonlyargs)
                .map(|parameter| &parameter.parameter.name)
                .chain(parameters.vararg.iter().map(|parameter| &parameter.name))
                .chain(parameters.kwarg.iter().map(|parameter| &parameter.name));
            for name in names {
                pass.bind(name.id.as_str(), name.range, &mut state);
            }
            &function.body[..]
        }
    };
    for _ in 0..MAX_PASSES {
        pass.block(body, &mut state.clone());
        if pass.failed {
            return None;
        }
        if pass.next_back_edges == pass.back_edges {
            break;
        }
        pass.back_edges = std::mem::take(&mut pass.next_back_edges);
    }
    // Code some pass reached is not dead (a loop's later pass, a constant that stopped
    // being one): keep the ranges with no use recorded on a live path.
    let mut live: Vec<TextSize> = pass.uses.keys().copied().collect();
    live.sort_unstable();
    let mut dead_ranges = pass.dead_ranges;
    dead_ranges.retain(|range| {
        let first = live.partition_point(|start| *start < range.start());
        live.get(first).is_none_or(|start| !range.contains(*start))
    });
    dead_ranges.sort_by_key(|range| range.start());
    // What only dead code reads can hold nothing at run time.
    let unreachable = Reach {
        bindings: SmallVec::new(),
        guards: Guards::ALLOWED_VALUE,
        binding_guards: SmallVec::new(),
        mutations: SmallVec::new(),
        overflow: false,
    };
    for use_start in pass.dead {
        pass.uses
            .entry(use_start)
            .or_insert_with(|| unreachable.clone());
    }
    Some(ScopeFlow {
        uses: pass.uses,
        mutations: pass.mutations,
        dead_ranges,
    })
}

struct Pass<'m, 'a> {
    model: &'m SemanticModel<'a>,
    scope: ScopeId,
    /// Each binding of the scope by the start of its name: its index among the name's.
    sites: HashMap<TextSize, u32>,
    uses: HashMap<TextSize, Reach>,
    /// Each in-place change by where it is made: its index in `mutations`.
    mutation_sites: HashMap<TextSize, u32>,
    mutations: Vec<Mutation<'a>>,
    /// Uses in code no path reaches (after a `return`, in a branch a constant rules out).
    dead: Vec<TextSize>,
    /// That code, as ranges of statements.
    dead_ranges: Vec<TextRange>,
    loops: Vec<LoopExits<'a>>,
    /// What the end of each loop body sent back to its head on the previous pass, and on
    /// this one (by the loop's start).
    back_edges: HashMap<TextSize, State<'a>>,
    next_back_edges: HashMap<TextSize, State<'a>>,
    /// For each enclosing `try`: every state its body passed through (where a handler may
    /// start).
    tries: Vec<State<'a>>,
    depth: usize,
    failed: bool,
}

impl<'m, 'a> Pass<'m, 'a> {
    /// Spends the cost of copying or merging `state`; stops the pass when the budget is out.
    fn spend(&mut self, state: &State<'a>) -> bool {
        if !self.failed && !self.model.effort.spend_module(1 + state.names.len() / 8) {
            self.failed = true;
        }
        !self.failed
    }

    fn bind(&mut self, name: &'a str, range: TextRange, state: &mut State<'a>) {
        match self.sites.get(&range.start()) {
            Some(index) => {
                let reach = Reach {
                    bindings: SmallVec::from_slice(&[*index]),
                    guards: Guards::default(),
                    binding_guards: SmallVec::new(),
                    mutations: SmallVec::new(),
                    overflow: false,
                };
                state.names.insert(name, reach);
                state
                    .aliases
                    .retain(|(one, other)| *one != name && *other != name);
            }
            // Bound in another scope (`global name`): nothing known here any more.
            None => {
                state.names.remove(name);
            }
        }
    }

    /// Notes an in-place change of the object `name` holds, seen through its aliases too.
    fn mutate(
        &mut self,
        name: &'a str,
        kind: MutationKind<'a>,
        range: TextRange,
        state: &mut State<'a>,
    ) {
        let next = u32::try_from(self.mutations.len()).unwrap_or(u32::MAX);
        let index = *self.mutation_sites.entry(range.start()).or_insert(next);
        if index == next {
            self.mutations.push(Mutation { name, kind, range });
        }
        let mut holders: SmallVec<[&'a str; 2]> = SmallVec::from_slice(&[name]);
        for (one, other) in &state.aliases {
            if *one == name {
                holders.push(other);
            } else if *other == name {
                holders.push(one);
            }
        }
        for holder in holders {
            let reach = state.names.entry(holder).or_default();
            if reach.overflow || reach.mutations.len() >= MAX_MUTATIONS {
                reach.mutations.clear();
                reach.overflow = true;
                continue;
            }
            insert_sorted(&mut reach.mutations, index);
        }
    }

    fn record(&mut self, name: &'a ast::ExprName, state: &State<'a>) {
        let reach = state
            .names
            .get(name.id.as_str())
            .cloned()
            .unwrap_or_default();
        match self.uses.entry(name.range.start()) {
            std::collections::hash_map::Entry::Occupied(mut seen) => seen.get_mut().join(&reach),
            std::collections::hash_map::Entry::Vacant(new) => {
                new.insert(reach);
            }
        }
    }

    fn block(&mut self, body: &'a [Stmt], state: &mut State<'a>) {
        if self.depth >= MAX_NESTING {
            self.failed = true;
            return;
        }
        self.depth += 1;
        for (index, stmt) in body.iter().enumerate() {
            if !state.live {
                self.unreachable(&body[index..]);
                break;
            }
            if !self.spend(state) {
                break;
            }
            if let Some(reachable) = self.tries.last_mut() {
                reachable.join(state);
            }
            self.statement(stmt, state);
        }
        self.depth -= 1;
    }

    /// Notes the names read in statements no path reaches.
    fn unreachable(&mut self, body: &'a [Stmt]) {
        struct DeadReads<'d> {
            found: &'d mut Vec<TextSize>,
            depth: usize,
        }
        impl<'a> Visitor<'a> for DeadReads<'_> {
            fn visit_stmt(&mut self, stmt: &'a Stmt) {
                if self.depth < MAX_NESTING {
                    self.depth += 1;
                    visitor::walk_stmt(self, stmt);
                    self.depth -= 1;
                }
            }
            fn visit_expr(&mut self, expr: &'a Expr) {
                if let Expr::Name(name) = expr {
                    self.found.push(name.range.start());
                } else if self.depth < MAX_NESTING {
                    self.depth += 1;
                    visitor::walk_expr(self, expr);
                    self.depth -= 1;
                }
            }
        }
        if !self.model.effort.spend_module(body.len()) {
            self.failed = true;
            return;
        }
        if let (Some(first), Some(last)) = (body.first(), body.last()) {
            self.dead_ranges
                .push(TextRange::new(first.start(), last.end()));
        }
        let mut reads = DeadReads {
            found: &mut self.dead,
            depth: self.depth,
        };
        visitor::walk_body(&mut reads, body);
    }

    fn statement(&mut self, stmt: &'a Stmt, state: &mut State<'a>) {
        match stmt {
            Stmt::FunctionDef(function) => {
                for decorator in &function.decorator_list {
                    self.expr(&decorator.expression, state);
                }
                for parameter in function.parameters.iter_non_variadic_params() {
                    if let Some(default) = &parameter.default {
                        self.expr(default, state);
                    }
                }
                self.bind(function.name.id.as_str(), function.name.range, state);
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.expr(&decorator.expression, state);
                }
                if let Some(arguments) = &class.arguments {
                    for argument in arguments.args.iter() {
                        self.expr(argument, state);
                    }
                }
                self.bind(class.name.id.as_str(), class.name.range, state);
            }
            Stmt::Return(ret) => {
                if let Some(value) = &ret.value {
                    self.expr(value, state);
                }
                state.live = false;
            }
            Stmt::Raise(raise) => {
                for part in raise.exc.iter().chain(&raise.cause) {
                    self.expr(part, state);
                }
                state.live = false;
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    match target {
                        Expr::Name(name) => {
                            state.names.remove(name.id.as_str());
                        }
                        other => {
                            self.expr(other, state);
                            if let Expr::Subscript(subscript) = other {
                                if let Expr::Name(container) = &*subscript.value {
                                    let kind = MutationKind::Delete(&subscript.slice);
                                    self.mutate(
                                        container.id.as_str(),
                                        kind,
                                        subscript.range,
                                        state,
                                    );
                                }
                            }
                        }
                    }
                }
            }
            Stmt::Assign(assign) => {
                self.expr(&assign.value, state);
                for target in &assign.targets {
                    self.target(target, state);
                    if let Expr::Subscript(subscript) = target {
                        if let Expr::Name(container) = &*subscript.value {
                            let kind = MutationKind::Store {
                                key: &subscript.slice,
                                value: &assign.value,
                            };
                            self.mutate(container.id.as_str(), kind, subscript.range, state);
                        }
                    }
                    // `alias = items`: one list, two names.
                    if let (Expr::Name(alias), Expr::Name(original)) = (target, &*assign.value) {
                        let (alias, original) = (alias.id.as_str(), original.id.as_str());
                        if alias != original {
                            let mutations = state
                                .names
                                .get(original)
                                .map(|reach| reach.mutations.clone())
                                .unwrap_or_default();
                            if let Some(reach) = state.names.get_mut(alias) {
                                reach.mutations = mutations;
                            }
                            state.aliases.push((alias, original));
                        }
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.expr(value, state);
                    self.target(&assign.target, state);
                }
            }
            Stmt::AugAssign(assign) => {
                self.expr(&assign.value, state);
                match &*assign.target {
                    // The name is read, then bound again.
                    Expr::Name(name) => {
                        self.record(name, state);
                        self.bind(name.id.as_str(), name.range, state);
                    }
                    other => self.expr(other, state),
                }
            }
            Stmt::Expr(statement) => {
                self.expr(&statement.value, state);
                if self.never_returns(&statement.value) {
                    state.live = false;
                }
            }
            Stmt::Assert(assert) => {
                self.expr(&assert.test, state);
                if let Some(message) = &assert.msg {
                    self.expr(message, &mut state.clone());
                }
                self.refine(&assert.test, true, state);
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    let name = match &alias.asname {
                        Some(asname) => asname.id.as_str(),
                        None => alias.name.id.as_str().split('.').next().unwrap_or_default(),
                    };
                    self.bind(name, bound.range, state);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.bind(bound.id.as_str(), bound.range, state);
                }
            }
            Stmt::If(if_stmt) => self.if_statement(if_stmt, state),
            Stmt::While(while_loop) => self.while_loop(while_loop, state),
            Stmt::For(for_loop) => self.for_loop(for_loop, state),
            Stmt::With(with) => {
                for item in &with.items {
                    self.expr(&item.context_expr, state);
                    if let Some(target) = &item.optional_vars {
                        self.target(target, state);
                    }
                }
                self.block(&with.body, state);
            }
            Stmt::Try(try_stmt) => self.try_statement(try_stmt, state),
            Stmt::Match(match_stmt) => self.match_statement(match_stmt, state),
            Stmt::Break(_) => {
                if let Some(exits) = self.loops.last_mut() {
                    exits.breaks.push(state.clone());
                }
                state.live = false;
            }
            Stmt::Continue(_) => {
                if let Some(exits) = self.loops.last_mut() {
                    exits.continues.push(state.clone());
                }
                state.live = false;
            }
            Stmt::Global(_)
            | Stmt::Nonlocal(_)
            | Stmt::Pass(_)
            | Stmt::TypeAlias(_)
            | Stmt::IpyEscapeCommand(_) => {}
        }
    }

    /// Binds the names of an assignment target and reads what a subscript or attribute
    /// target reads.
    fn target(&mut self, target: &'a Expr, state: &mut State<'a>) {
        match target {
            Expr::Name(name) => self.bind(name.id.as_str(), name.range, state),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for element in elts {
                    self.target(element, state);
                }
            }
            Expr::Starred(starred) => self.target(&starred.value, state),
            other => self.expr(other, state),
        }
    }

    /// Records every name an expression reads, and binds its walruses.
    fn expr(&mut self, expr: &'a Expr, state: &mut State<'a>) {
        let mut reads = Reads {
            pass: self,
            state,
            depth: 0,
        };
        reads.visit_expr(expr);
    }

    /// `abort(404)`, `sys.exit(1)`, `os._exit(0)`, `exit()`: the path ends.
    fn never_returns(&self, expr: &'a Expr) -> bool {
        let Expr::Call(call) = expr else {
            return false;
        };
        if let Some(name) = self.model.resolve_in(&call.func, self.scope, false, 0) {
            return matches!(
                name.segments(),
                ["sys", "exit"] | ["os", "_exit" | "abort"] | [.., "abort"]
            );
        }
        match &*call.func {
            Expr::Name(name) => matches!(name.id.as_str(), "abort" | "exit" | "quit"),
            Expr::Attribute(attribute) => attribute.attr.id.as_str() == "abort",
            _ => false,
        }
    }

    /// The truth value of a condition when it is a constant.
    fn truth(&self, test: &'a Expr) -> Option<bool> {
        let names = RecordedNames { pass: self };
        evaluate(test, &names, self.model, self.scope, 0).map(|value| value.is_truthy())
    }

    /// Adds the guards that hold when `test` is `outcome`.
    fn refine(&self, test: &'a Expr, outcome: bool, state: &mut State<'a>) {
        let assigned = |name: &str| -> Option<&'a Expr> {
            let reach = state.names.get(name)?;
            let [index] = reach.bindings[..] else {
                return None;
            };
            match self.binding(name, index)?.kind {
                BindingKind::Assignment(value) | BindingKind::WithItem(value) => Some(value),
                _ => None,
            }
        };
        let found: Vec<Fact<'a>> = facts(self.model, self.scope, test, outcome, &assigned);
        for Fact { name, guards } in found {
            state.names.entry(name).or_default().add_guards(guards);
        }
    }

    fn binding(&self, name: &str, index: u32) -> Option<&'m Binding<'a>> {
        self.model.scopes[self.scope]
            .bindings
            .get(name)?
            .get(usize::try_from(index).ok()?)
    }

    fn if_statement(&mut self, if_stmt: &'a ast::StmtIf, state: &mut State<'a>) {
        let clauses = std::iter::once((Some(&*if_stmt.test), &if_stmt.body[..])).chain(
            if_stmt
                .elif_else_clauses
                .iter()
                .map(|clause| (clause.test.as_ref(), &clause.body[..])),
        );
        // `rest` is the path on which every test so far was false.
        let mut rest = std::mem::replace(state, State::dead());
        let mut taken: Vec<State<'a>> = Vec::new();
        for (test, body) in clauses {
            if !rest.live {
                // After a clause whose test is always true.
                self.unreachable(body);
                continue;
            }
            let Some(test) = test else {
                self.block(body, &mut rest);
                taken.push(std::mem::replace(&mut rest, State::dead()));
                break;
            };
            self.expr(test, &mut rest);
            match self.truth(test) {
                Some(false) => {
                    self.unreachable(body);
                    self.refine(test, false, &mut rest);
                }
                Some(true) => {
                    self.refine(test, true, &mut rest);
                    self.block(body, &mut rest);
                    taken.push(std::mem::replace(&mut rest, State::dead()));
                }
                None => {
                    if !self.spend(&rest) {
                        return;
                    }
                    let mut branch = rest.clone();
                    self.refine(test, true, &mut branch);
                    self.block(body, &mut branch);
                    taken.push(branch);
                    self.refine(test, false, &mut rest);
                }
            }
        }
        *state = rest;
        for branch in &taken {
            state.join(branch);
        }
    }

    fn while_loop(&mut self, while_loop: &'a ast::StmtWhile, state: &mut State<'a>) {
        let test = &*while_loop.test;
        self.expr(test, state);
        // The test is judged with what the body sends back to it too: `while len(y) < 5:`
        // after `y = "a"` is not always true once the body changes `y` (the first pass over
        // the scope has no back edges yet; the passes after it do).
        if let Some(back) = self.back_edges.get(&while_loop.range.start()) {
            let mut at_test = state.clone();
            at_test.join(back);
            self.expr(test, &mut at_test);
        }
        let always = match self.truth(test) {
            Some(false) => {
                self.unreachable(&while_loop.body);
                self.refine(test, false, state);
                self.block(&while_loop.orelse, state);
                return;
            }
            truth => truth == Some(true),
        };
        let (mut head, breaks) = self.loop_once(
            while_loop.range.start(),
            state,
            |pass, head| {
                let mut body = head.clone();
                pass.expr(test, &mut body);
                pass.refine(test, true, &mut body);
                body
            },
            &while_loop.body,
        );
        if always {
            head = State::dead();
        } else {
            self.refine(test, false, &mut head);
            self.block(&while_loop.orelse, &mut head);
        }
        *state = head;
        for exit in &breaks {
            state.join(exit);
        }
    }

    fn for_loop(&mut self, for_loop: &'a ast::StmtFor, state: &mut State<'a>) {
        self.expr(&for_loop.iter, state);
        let target = &*for_loop.target;
        let (mut head, breaks) = self.loop_once(
            for_loop.range.start(),
            state,
            |pass, head| {
                let mut body = head.clone();
                pass.target(target, &mut body);
                body
            },
            &for_loop.body,
        );
        self.block(&for_loop.orelse, &mut head);
        *state = head;
        for exit in &breaks {
            state.join(exit);
        }
    }

    /// Walks a loop body once. What reaches its head is what comes in, and what the end of
    /// the body (and each `continue`) sent back on the previous pass over the scope; the
    /// scope is walked again until no loop sends back anything new, so nested loops cost a
    /// pass each, not a round each per round of the loop around them. Returns the state at
    /// the head (the loop may end there) and the states at each `break`.
    fn loop_once(
        &mut self,
        key: TextSize,
        entry: &State<'a>,
        enter: impl Fn(&mut Self, &State<'a>) -> State<'a>,
        body: &'a [Stmt],
    ) -> (State<'a>, Vec<State<'a>>) {
        let mut head = entry.clone();
        if let Some(back) = self.back_edges.get(&key) {
            head.join(back);
        }
        if !self.spend(&head) {
            return (head, Vec::new());
        }
        let mut inside = enter(self, &head);
        self.loops.push(LoopExits::default());
        self.block(body, &mut inside);
        let exits = self.loops.pop().unwrap_or_default();
        for more in &exits.continues {
            inside.join(more);
        }
        head.join(&inside);
        match self.next_back_edges.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut seen) => seen.get_mut().join(&inside),
            std::collections::hash_map::Entry::Vacant(new) => {
                new.insert(inside);
            }
        }
        (head, exits.breaks)
    }

    fn try_statement(&mut self, try_stmt: &'a ast::StmtTry, state: &mut State<'a>) {
        self.tries.push(State::dead());
        let mut body = state.clone();
        self.block(&try_stmt.body, &mut body);
        let mut raised = self.tries.pop().unwrap_or_else(State::dead);
        raised.join(&body);
        if let Some(outer) = self.tries.last_mut() {
            outer.join(&raised);
        }
        let mut ends = Vec::with_capacity(try_stmt.handlers.len() + 1);
        self.block(&try_stmt.orelse, &mut body);
        ends.push(body);
        for handler in &try_stmt.handlers {
            let ast::ExceptHandler::ExceptHandler(handler) = handler;
            let mut path = raised.clone();
            if let Some(kind) = &handler.type_ {
                self.expr(kind, &mut path);
            }
            if let Some(name) = &handler.name {
                self.bind(name.id.as_str(), name.range, &mut path);
            }
            self.block(&handler.body, &mut path);
            ends.push(path);
        }
        let mut joined = State::dead();
        for end in &ends {
            joined.join(end);
        }
        if !try_stmt.finalbody.is_empty() {
            if joined.live {
                self.block(&try_stmt.finalbody, &mut joined);
            } else {
                // Every path returned or raised: `finally` still runs on the way out.
                self.block(&try_stmt.finalbody, &mut raised);
            }
        }
        *state = joined;
    }

    fn match_statement(&mut self, match_stmt: &'a ast::StmtMatch, state: &mut State<'a>) {
        self.expr(&match_stmt.subject, state);
        let subject = {
            let names = RecordedNames { pass: self };
            evaluate(&match_stmt.subject, &names, self.model, self.scope, 0)
        };
        let mut rest = std::mem::replace(state, State::dead());
        let mut taken = Vec::new();
        for case in &match_stmt.cases {
            if !rest.live {
                break;
            }
            let matches = self.case_matches(&case.pattern, subject.as_ref());
            if matches == Some(false) {
                self.unreachable(&case.body);
                continue;
            }
            let mut path = rest.clone();
            if let Some(guard) = &case.guard {
                self.expr(guard, &mut path);
            }
            self.block(&case.body, &mut path);
            taken.push(path);
            if matches == Some(true) && case.guard.is_none() {
                rest = State::dead();
            }
        }
        *state = rest;
        for path in &taken {
            state.join(path);
        }
    }

    /// Whether a case pattern matches a constant subject; `None` when it cannot be told.
    fn case_matches(&self, pattern: &'a ast::Pattern, subject: Option<&Constant>) -> Option<bool> {
        match pattern {
            ast::Pattern::MatchAs(ast::PatternMatchAs { pattern: None, .. }) => Some(true),
            ast::Pattern::MatchValue(value) => {
                let names = RecordedNames { pass: self };
                let value = evaluate(&value.value, &names, self.model, self.scope, 0)?;
                Some(*subject? == value)
            }
            _ => None,
        }
    }
}

/// Calls that read the objects passed to them and change none: a container passed to any
/// other call may come back changed.
const READ_ONLY_CALLS: &[&str] = &[
    "all",
    "any",
    "bool",
    "dict",
    "dumps",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "hash",
    "id",
    "int",
    "isinstance",
    "iter",
    "join",
    "len",
    "list",
    "map",
    "max",
    "min",
    "print",
    "repr",
    "reversed",
    "set",
    "sorted",
    "str",
    "sum",
    "tuple",
    "type",
    "zip",
];

impl<'a> Reads<'_, '_, 'a> {
    /// Notes each name passed to a call that may change what it holds.
    fn escapes(&mut self, call: &'a ast::ExprCall) {
        let callee = match &*call.func {
            Expr::Name(name) => name.id.as_str(),
            Expr::Attribute(attribute) => attribute.attr.id.as_str(),
            _ => "",
        };
        if READ_ONLY_CALLS.contains(&callee) {
            return;
        }
        let passed = call
            .arguments
            .args
            .iter()
            .map(|argument| match argument {
                Expr::Starred(starred) => &*starred.value,
                other => other,
            })
            .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value));
        for argument in passed {
            if let Expr::Name(name) = argument {
                self.pass.mutate(
                    name.id.as_str(),
                    MutationKind::Escape,
                    argument.range(),
                    self.state,
                );
            }
        }
    }
}

/// Reads in an expression, in evaluation order enough for a may-analysis.
struct Reads<'p, 'm, 'a> {
    pass: &'p mut Pass<'m, 'a>,
    state: &'p mut State<'a>,
    depth: usize,
}

impl<'a> Visitor<'a> for Reads<'_, '_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_NESTING {
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Name(name) if name.ctx == ast::ExprContext::Load => {
                self.pass.record(name, self.state);
            }
            Expr::Call(call) => {
                visitor::walk_expr(self, expr);
                if let Expr::Attribute(method) = &*call.func {
                    if let Expr::Name(container) = &*method.value {
                        if let Some(kind) = MutationKind::of_call(call, method.attr.id.as_str()) {
                            self.pass
                                .mutate(container.id.as_str(), kind, call.range(), self.state);
                        }
                    }
                }
                self.escapes(call);
            }
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                if let Expr::Name(name) = &*named.target {
                    // A walrus may not run (`a or (b := c)`): it adds to what reaches.
                    if let Some(index) = self.pass.sites.get(&name.range.start()) {
                        let reach = self.state.names.entry(name.id.as_str()).or_default();
                        if let Err(at) = reach.bindings.binary_search(index) {
                            reach.bindings.insert(at, *index);
                        }
                    }
                }
            }
            // `c.is_relative_to(ROOT) and c.exists()`: each operand runs only when the ones
            // before it came out true (`and`) or false (`or`).
            Expr::BoolOp(boolop) => {
                let outcome = boolop.op == ast::BoolOp::And;
                let mut scratch = self.state.clone();
                for value in &boolop.values {
                    let mut reads = Reads {
                        pass: self.pass,
                        state: &mut scratch,
                        depth: self.depth,
                    };
                    reads.visit_expr(value);
                    self.pass.refine(value, outcome, &mut scratch);
                }
            }
            Expr::If(conditional) => {
                self.visit_expr(&conditional.test);
                for (branch, outcome) in [(&conditional.body, true), (&conditional.orelse, false)] {
                    let mut scratch = self.state.clone();
                    self.pass.refine(&conditional.test, outcome, &mut scratch);
                    let mut reads = Reads {
                        pass: self.pass,
                        state: &mut scratch,
                        depth: self.depth,
                    };
                    reads.visit_expr(branch);
                }
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }
}

/// Constant names as the pass has recorded them: every binding that reaches the use.
struct RecordedNames<'p, 'm, 'a> {
    pass: &'p Pass<'m, 'a>,
}

impl<'a> NameValues<'a> for RecordedNames<'_, '_, 'a> {
    fn value_of(&self, name: &'a ast::ExprName, depth: usize) -> Option<Constant> {
        let pass = self.pass;
        let identifier = name.id.as_str();
        let is_local = pass.model.scopes[pass.scope]
            .bindings
            .contains_key(identifier);
        if !is_local {
            let outer = super::constant::FlowNames {
                model: pass.model,
                scope: pass.scope,
            };
            return outer.value_of(name, depth);
        }
        let reach = pass.uses.get(&name.range.start())?;
        if reach.bindings.is_empty() {
            return None;
        }
        let mut result: Option<Constant> = None;
        for index in &reach.bindings {
            let BindingKind::Assignment(value) = pass.binding(identifier, *index)?.kind else {
                return None;
            };
            if value.range().contains_range(name.range) {
                return None;
            }
            let value = evaluate(value, self, pass.model, pass.scope, depth)?;
            match &result {
                Some(known) if *known != value => return None,
                _ => result = Some(value),
            }
        }
        result
    }
}
