//! What a dict, list, tuple, set, deque or `configparser` object holds at a use, element by
//! element where keys and positions can be computed.
//!
//! `d = {}; d["a"] = "fixed"; d["b"] = param` leaves `d["a"]` clean and `d["b"]` tainted;
//! `items = ["x", param, "y"]` leaves `items[2]` clean; `items.pop()` is the last element
//! appended. Values at places that cannot be computed (`d[key] = v` with a key from the
//! request) may be anywhere in the container. The container starts from the literal (or
//! empty constructor call) every reaching binding assigns, and takes each in-place change
//! the data flow saw on the way ([`super::flow::MutationKind`]).

use smallvec::SmallVec;

use crate::parse::ast::{self, Expr};

use super::constant::{evaluate, Constant, FlowNames};
use super::flow::MutationKind;
use super::{BindingKind, ScopeId, SemanticModel};

/// Elements with more values than this are not tracked one by one.
const MAX_SLOTS: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A dict: slots by key.
    Mapping,
    /// A `configparser` object: slots by (section, option).
    Config,
    /// A list, tuple or deque: slots by position.
    Sequence,
    /// A set: no order, no keys.
    Set,
}

type Values<'a> = SmallVec<[&'a Expr; 1]>;

/// A container's possible contents at one point.
pub(super) struct Container<'a> {
    shape: Shape,
    /// Known elements: the key (for a mapping) and the values the element may hold.
    slots: Vec<(Option<Constant>, Values<'a>)>,
    /// Values at places that cannot be computed.
    rest: Vec<&'a Expr>,
}

impl<'a> SemanticModel<'a> {
    /// The contents of the container `name` holds at this use, when every binding that
    /// reaches it is a literal (or an empty constructor) and every change to it is known.
    pub(super) fn container_at(
        &self,
        name: &'a ast::ExprName,
        scope: ScopeId,
    ) -> Option<Container<'a>> {
        let (reach, bindings) = self.reach(name.id.as_str(), name.range.start(), scope)?;
        if reach.bindings.is_empty() || reach.overflow {
            return None;
        }
        let mut container: Option<Container<'a>> = None;
        for index in &reach.bindings {
            let binding = bindings.get(usize::try_from(*index).ok()?)?;
            let BindingKind::Assignment(value) = binding.kind else {
                return None;
            };
            let start = self.literal_container(value, scope)?;
            container = Some(match container {
                None => start,
                Some(before) => before.merge(start)?,
            });
        }
        let mut container = container?;
        let flow = self.scope_flow(self.flow_scope_of(name.id.as_str(), scope)?)?;
        let mut mutations: Vec<_> = reach
            .mutations
            .iter()
            .filter_map(|index| flow.mutation(*index))
            .collect();
        mutations.sort_by_key(|mutation| mutation.range.start());
        for mutation in mutations {
            if !self.effort.spend() || matches!(mutation.kind, MutationKind::Escape) {
                return None;
            }
            container.apply(self, scope, mutation.kind);
        }
        Some(container)
    }

    /// What reading an element of a known container may give at this use: `d["a"]`,
    /// `items[2]`, `d.get("a")`, `items.pop()`. `None` when the container or the read is
    /// not known, or a keyword argument could supply the value (`get(..., fallback=x)`).
    pub fn element_values(&self, expr: &'a Expr) -> Option<Vec<&'a Expr>> {
        if matches!(expr, Expr::Call(call) if !call.arguments.keywords.is_empty()) {
            return None;
        }
        self.element_read(expr, self.current_scope())
            .map(|(_, values)| values)
    }

    /// The container an element read in `scope` reads (`d["a"]`, `items[2]`, `d.get("a")`,
    /// `items.pop()`, `config.get("db", "user")`), and the values it may give.
    pub(super) fn element_read(
        &self,
        expr: &'a Expr,
        scope: ScopeId,
    ) -> Option<(&'a ast::ExprName, Vec<&'a Expr>)> {
        match expr {
            Expr::Subscript(subscript) => {
                let Expr::Name(name) = &*subscript.value else {
                    return None;
                };
                let container = self.container_at(name, scope)?;
                let values = match &*subscript.slice {
                    Expr::Slice(_) => container.values(),
                    key => container.element(self.key_of(key, scope).as_ref()),
                };
                Some((name, values))
            }
            Expr::Call(call) => {
                let Expr::Attribute(method) = &*call.func else {
                    return None;
                };
                let Expr::Name(name) = &*method.value else {
                    return None;
                };
                let values = self.container_at(name, scope)?.read_by(
                    self,
                    scope,
                    method.attr.id.as_str(),
                    &call.arguments.args,
                )?;
                Some((name, values))
            }
            _ => None,
        }
    }

    /// The elements of the list or tuple `name` holds at this use, in order, when each
    /// position holds one known expression: `args = ["sh"]; args.append("-c")`.
    pub fn sequence_elements(&self, name: &'a ast::ExprName) -> Option<Vec<&'a Expr>> {
        let container = self.container_at(name, self.current_scope())?;
        if container.shape != Shape::Sequence || !container.rest.is_empty() {
            return None;
        }
        container
            .slots
            .iter()
            .map(|(_, values)| match values[..] {
                [value] => Some(value),
                _ => None,
            })
            .collect()
    }

    /// The contents of a literal container or of an empty constructor call.
    fn literal_container(&self, value: &'a Expr, scope: ScopeId) -> Option<Container<'a>> {
        let key = |expr: &'a Expr| self.key_of(expr, scope);
        match value {
            Expr::Dict(dict) if dict.items.len() <= MAX_SLOTS => {
                let mut container = Container::empty(Shape::Mapping);
                for item in &dict.items {
                    match &item.key {
                        Some(key_expr) => container.store(key(key_expr), &item.value),
                        None => container.rest.push(&item.value),
                    }
                }
                Some(container)
            }
            Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. })
                if elts.len() <= MAX_SLOTS && !elts.iter().any(Expr::is_starred_expr) =>
            {
                let mut container = Container::empty(Shape::Sequence);
                for element in elts {
                    container
                        .slots
                        .push((None, SmallVec::from_slice(&[element])));
                }
                Some(container)
            }
            Expr::Set(set) => Some(Container {
                shape: Shape::Set,
                slots: Vec::new(),
                rest: set.elts.iter().collect(),
            }),
            Expr::Call(call) if call.arguments.is_empty() => {
                let name = self.resolve_in(&call.func, scope, false, 0)?;
                let shape = match name.segments() {
                    ["builtins", "dict"] => Shape::Mapping,
                    ["configparser", "ConfigParser" | "RawConfigParser" | "SafeConfigParser"] => {
                        Shape::Config
                    }
                    ["collections", "OrderedDict" | "defaultdict"] => Shape::Mapping,
                    ["builtins", "list"] | ["collections", "deque"] => Shape::Sequence,
                    ["builtins", "set"] => Shape::Set,
                    _ => return None,
                };
                Some(Container::empty(shape))
            }
            _ => None,
        }
    }

    /// A key or position that can be computed.
    fn key_of(&self, expr: &'a Expr, scope: ScopeId) -> Option<Constant> {
        let names = FlowNames { model: self, scope };
        evaluate(expr, &names, self, scope, 0)
    }
}

impl<'a> Container<'a> {
    fn empty(shape: Shape) -> Self {
        Container {
            shape,
            slots: Vec::new(),
            rest: Vec::new(),
        }
    }

    /// Two possible contents joined: what either may hold.
    fn merge(mut self, other: Container<'a>) -> Option<Self> {
        if self.shape != other.shape {
            return None;
        }
        match self.shape {
            Shape::Sequence if self.slots.len() == other.slots.len() => {
                for (mine, (_, theirs)) in self.slots.iter_mut().zip(other.slots) {
                    mine.1.extend(theirs);
                }
            }
            Shape::Mapping | Shape::Config => {
                for (key, values) in other.slots {
                    match self.slots.iter_mut().find(|(known, _)| *known == key) {
                        Some((_, mine)) => mine.extend(values),
                        None => self.slots.push((key, values)),
                    }
                }
            }
            _ => {
                let slots = std::mem::take(&mut self.slots);
                self.rest
                    .extend(slots.into_iter().flat_map(|(_, values)| values));
                self.rest
                    .extend(other.slots.into_iter().flat_map(|(_, values)| values));
            }
        }
        self.rest.extend(other.rest);
        Some(self)
    }

    /// `d[key] = value`: the element at a computed key holds only the new value.
    fn store(&mut self, key: Option<Constant>, value: &'a Expr) {
        let Some(key) = key else {
            self.rest.push(value);
            return;
        };
        match self.shape {
            Shape::Mapping | Shape::Config => {
                let full = self.slots.len() >= MAX_SLOTS;
                match self
                    .slots
                    .iter_mut()
                    .find(|(known, _)| known.as_ref() == Some(&key))
                {
                    Some((_, values)) => *values = SmallVec::from_slice(&[value]),
                    None if !full => self.slots.push((Some(key), SmallVec::from_slice(&[value]))),
                    None => self.rest.push(value),
                }
            }
            Shape::Sequence => match self.position(&key) {
                Some(at) => self.slots[at].1 = SmallVec::from_slice(&[value]),
                None => self.rest.push(value),
            },
            Shape::Set => self.rest.push(value),
        }
    }

    /// The slot a (possibly negative) index names, when positions are known.
    fn position(&self, index: &Constant) -> Option<usize> {
        let Constant::Int(index) = index else {
            return None;
        };
        let len = i128::try_from(self.slots.len()).ok()?;
        let index = if *index < 0 { index + len } else { *index };
        usize::try_from(index)
            .ok()
            .filter(|at| *at < self.slots.len())
    }

    /// Forgets where each element is: everything may be anywhere.
    fn scatter(&mut self) {
        let slots = std::mem::take(&mut self.slots);
        self.rest
            .extend(slots.into_iter().flat_map(|(_, values)| values));
    }

    fn apply(&mut self, model: &SemanticModel<'a>, scope: ScopeId, change: MutationKind<'a>) {
        let key = |expr: &'a Expr| model.key_of(expr, scope);
        match change {
            MutationKind::Store {
                key: key_expr,
                value,
            } => self.store(key(key_expr), value),
            MutationKind::StorePair {
                section,
                option,
                value,
            } => {
                let pair = key(section)
                    .zip(key(option))
                    .map(|(section, option)| Constant::Sequence(vec![section, option]));
                self.store(pair, value);
            }
            MutationKind::SetDefault {
                key: key_expr,
                value,
            } => {
                let key = key(key_expr);
                let present = key.as_ref().is_some_and(|key| {
                    self.slots
                        .iter()
                        .any(|(known, _)| known.as_ref() == Some(key))
                });
                if !present {
                    self.store(key, value);
                }
            }
            MutationKind::Append(value) => match self.shape {
                Shape::Sequence if self.slots.len() < MAX_SLOTS => {
                    self.slots.push((None, SmallVec::from_slice(&[value])));
                }
                _ => self.rest.push(value),
            },
            MutationKind::AppendLeft(value) => match self.shape {
                Shape::Sequence if self.slots.len() < MAX_SLOTS => {
                    self.slots.insert(0, (None, SmallVec::from_slice(&[value])));
                }
                _ => self.rest.push(value),
            },
            MutationKind::Insert { index, value } => {
                let at = key(index).and_then(|index| match index {
                    Constant::Int(at) if at >= 0 => usize::try_from(at).ok(),
                    _ => None,
                });
                match at {
                    Some(at) if self.shape == Shape::Sequence && self.slots.len() < MAX_SLOTS => {
                        let at = at.min(self.slots.len());
                        self.slots
                            .insert(at, (None, SmallVec::from_slice(&[value])));
                    }
                    _ => {
                        self.scatter();
                        self.rest.push(value);
                    }
                }
            }
            MutationKind::Extend(values) => match (self.shape, values) {
                (
                    Shape::Sequence,
                    Expr::List(ast::ExprList { elts, .. })
                    | Expr::Tuple(ast::ExprTuple { elts, .. }),
                ) if !elts.iter().any(Expr::is_starred_expr) => {
                    for element in elts {
                        self.slots.push((None, SmallVec::from_slice(&[element])));
                    }
                }
                _ => {
                    self.scatter();
                    self.rest.push(values);
                }
            },
            MutationKind::Update(mapping) => match (self.shape, mapping) {
                (Shape::Mapping, Expr::Dict(dict)) => {
                    for item in &dict.items {
                        match &item.key {
                            Some(key_expr) => self.store(key(key_expr), &item.value),
                            None => self.rest.push(&item.value),
                        }
                    }
                }
                _ => self.rest.push(mapping),
            },
            MutationKind::Pop(index) => self.remove_at(index.map(key)),
            MutationKind::Delete(index) => self.remove_at(Some(key(index))),
            MutationKind::PopLeft => {
                if self.shape == Shape::Sequence && self.rest.is_empty() && !self.slots.is_empty() {
                    self.slots.remove(0);
                }
            }
            MutationKind::Remove(value) => {
                let target = key(value);
                let at = self.slots.iter().position(|(_, values)| {
                    target.is_some()
                        && values.len() == 1
                        && model.key_of(values[0], scope) == target
                });
                match at {
                    Some(at) if self.shape == Shape::Sequence => {
                        self.slots.remove(at);
                    }
                    _ => self.scatter(),
                }
            }
            MutationKind::Reverse => self.slots.reverse(),
            MutationKind::Clear => {
                self.slots.clear();
                self.rest.clear();
            }
            // `container_at` gives up before.
            MutationKind::Escape => {}
        }
    }

    /// `pop()` (the last), `pop(i)` / `del items[i]` (a position), `pop(key)` (a key).
    fn remove_at(&mut self, index: Option<Option<Constant>>) {
        match (self.shape, index) {
            (Shape::Sequence, None) if self.rest.is_empty() => {
                self.slots.pop();
            }
            (Shape::Sequence, Some(Some(index))) => match self.position(&index) {
                Some(at) if self.rest.is_empty() => {
                    self.slots.remove(at);
                }
                _ => self.scatter(),
            },
            (Shape::Mapping | Shape::Config, Some(Some(key))) => {
                self.slots.retain(|(known, _)| known.as_ref() != Some(&key));
            }
            _ => {}
        }
    }

    /// The values `container[key]` may be: the element at a computed key or position, and
    /// what sits at unknown places; every value when the key cannot be computed.
    pub(super) fn element(&self, key: Option<&Constant>) -> Vec<&'a Expr> {
        let slot = key.and_then(|key| match self.shape {
            Shape::Mapping | Shape::Config => Some(
                self.slots
                    .iter()
                    .find(|(known, _)| known.as_ref() == Some(key))
                    .map(|(_, values)| values.to_vec())
                    .unwrap_or_default(),
            ),
            Shape::Sequence if self.rest.is_empty() => {
                self.position(key).map(|at| self.slots[at].1.to_vec())
            }
            _ => None,
        });
        match slot {
            Some(mut values) => {
                values.extend(self.rest.iter().copied());
                values
            }
            None => self.values(),
        }
    }

    /// The last element (`pop()`), or every value when positions are unknown.
    pub(super) fn last(&self) -> Vec<&'a Expr> {
        match (self.shape, self.slots.last()) {
            (Shape::Sequence, Some((_, values))) if self.rest.is_empty() => values.to_vec(),
            _ => self.values(),
        }
    }

    /// The first element (`popleft()`), or every value when positions are unknown.
    pub(super) fn first(&self) -> Vec<&'a Expr> {
        match (self.shape, self.slots.first()) {
            (Shape::Sequence, Some((_, values))) if self.rest.is_empty() => values.to_vec(),
            _ => self.values(),
        }
    }

    /// Every value the container may hold.
    pub(super) fn values(&self) -> Vec<&'a Expr> {
        self.slots
            .iter()
            .flat_map(|(_, values)| values.iter().copied())
            .chain(self.rest.iter().copied())
            .collect()
    }

    /// The values a method call that reads the container gives: `get(key, default)`,
    /// `pop()`, `pop(i)`, `pop(key)`, `popleft()`, `setdefault(key, value)`, and
    /// `configparser`'s `get(section, option)`. `None` for other methods.
    pub(super) fn read_by(
        &self,
        model: &SemanticModel<'a>,
        scope: ScopeId,
        method: &str,
        args: &'a [Expr],
    ) -> Option<Vec<&'a Expr>> {
        let key = |expr: &'a Expr| model.key_of(expr, scope);
        Some(match (self.shape, method, args) {
            (
                Shape::Config,
                "get" | "getint" | "getfloat" | "getboolean",
                [section, option, ..],
            ) => {
                let pair = key(section)
                    .zip(key(option))
                    .map(|(section, option)| Constant::Sequence(vec![section, option]));
                self.element(pair.as_ref())
            }
            (Shape::Mapping, "get" | "pop" | "setdefault", [index, rest @ ..]) => {
                let mut values = self.element(key(index).as_ref());
                values.extend(rest.first());
                values
            }
            (Shape::Sequence, "pop", []) => self.last(),
            (Shape::Sequence, "pop", [index]) => self.element(key(index).as_ref()),
            (Shape::Sequence, "popleft", []) => self.first(),
            _ => return None,
        })
    }
}
