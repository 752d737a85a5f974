//! Values that cannot carry SQL, proven from source: numbers, constants, `int(...)`, a
//! choice between constants, a lookup in a constant dict (an allow-list), a run of
//! placeholders (`", ".join("?" * len(ids))`), an identifier quoted by SQLAlchemy's
//! `identifier_preparer` and a column type's DDL, a list only ever filled with constant
//! clauses, a loop variable over constant names or over the keys of a constant dict, a
//! name checked against an allow-list on every path to it, and text built only from such
//! values.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr, Operator};
use crate::parse::Ranged;
use crate::semantic::{Binding, BindingKind, MutationKind, ScopeId, StringPart};

/// How many names deep we follow a value to prove it fixed.
const MAX_DEPTH: usize = 8;

/// A value whose text cannot carry SQL.
pub fn is_fixed_value<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    Proof {
        checker,
        proving: Vec::new(),
    }
    .is_fixed(expr, 0)
}

struct Proof<'c, 'a> {
    checker: &'c Checker<'a>,
    /// Names being proven: a use of one inside its own assignments (`order = order + ...`)
    /// is fixed if everything else is.
    proving: Vec<(&'a str, ScopeId)>,
}

impl<'a> Proof<'_, 'a> {
    fn is_fixed(&mut self, expr: &'a Expr, depth: usize) -> bool {
        let semantic = self.checker.semantic();
        if depth > MAX_DEPTH {
            return false;
        }
        match expr {
            Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::StringLiteral(_) => true,
            Expr::UnaryOp(unary) => matches!(*unary.operand, Expr::NumberLiteral(_)),
            Expr::If(choice) => {
                self.is_fixed(&choice.body, depth + 1) && self.is_fixed(&choice.orelse, depth + 1)
            }
            // `"?, " * len(ids)`: repeated constant text.
            Expr::BinOp(binop) if binop.op == Operator::Mult => {
                semantic.is_constant_string(&binop.left)
                    || semantic.is_constant_string(&binop.right)
                    || (self.is_fixed(&binop.left, depth + 1)
                        && self.is_fixed(&binop.right, depth + 1))
            }
            Expr::Subscript(subscript) => {
                self.is_constant_table(&subscript.value, depth)
                    || self.is_fixed_element(expr, depth)
            }
            Expr::Name(name) => {
                semantic.is_constant_string(expr) || self.is_fixed_name(name, depth)
            }
            Expr::Call(call) if self.is_fixed_call(call, depth) => true,
            Expr::Call(_) if self.is_fixed_element(expr, depth) => true,
            _ => self.is_fixed_text(expr, depth),
        }
    }

    /// `clauses["order"]`, `parts.pop()`: an element of a container the data flow knows,
    /// fixed wherever it may come from.
    fn is_fixed_element(&mut self, expr: &'a Expr, depth: usize) -> bool {
        let Some(values) = self.checker.semantic().element_values(expr) else {
            return false;
        };
        !values.is_empty() && values.iter().all(|value| self.is_fixed(value, depth + 1))
    }

    /// Text built (f-string, `%`, `.format()`, `+`) only from fixed values.
    fn is_fixed_text(&mut self, expr: &'a Expr, depth: usize) -> bool {
        let Some(parts) = self.checker.semantic().string_parts_assigned_once(expr) else {
            return false;
        };
        parts.iter().all(|part| match part {
            StringPart::Literal(_) => true,
            StringPart::Dynamic(value) => {
                value.range() != expr.range() && self.is_fixed(value, depth + 1)
            }
        })
    }

    /// Every assignment that may reach the use gives the name a fixed value.
    fn is_fixed_name(&mut self, name: &'a ast::ExprName, depth: usize) -> bool {
        let semantic = self.checker.semantic();
        if semantic.is_allow_listed(name) {
            return true;
        }
        let Some(binding) = semantic.binding_of(name) else {
            return false;
        };
        let key = (name.id.as_str(), binding.scope);
        if self.proving.contains(&key) {
            return true;
        }
        self.proving.push(key);
        let bindings = semantic.bindings_reaching(name);
        let fixed = bindings.iter().all(|binding| match binding.kind {
            BindingKind::Assignment(value) | BindingKind::AugAssign(value) => {
                self.is_fixed(value, depth + 1)
            }
            BindingKind::Other | BindingKind::LoopTarget(_) => self.loop_over_fixed(binding, depth),
            _ => false,
        });
        self.proving.pop();
        fixed
    }

    fn is_fixed_call(&mut self, call: &'a ast::ExprCall, depth: usize) -> bool {
        let arguments = &call.arguments.args;
        if let Some(builtin) = builtin_name(self.checker, &call.func) {
            return match builtin {
                "int" | "float" | "len" | "bool" | "round" | "abs" => true,
                "str" => arguments
                    .first()
                    .is_some_and(|arg| self.is_fixed(arg, depth + 1)),
                _ => false,
            };
        }
        let Expr::Attribute(method) = &*call.func else {
            return false;
        };
        match method.attr.id.as_str() {
            // `", ".join(["%s"] * len(ids))`, `" AND ".join(clauses)`
            "join" => {
                self.is_fixed(&method.value, depth + 1)
                    && arguments.len() == 1
                    && self.is_fixed_sequence(&arguments[0], depth + 1)
            }
            // `SORT_COLUMNS.get(key, "id")`
            "get" => {
                self.is_constant_table(&method.value, depth)
                    && arguments
                        .get(1)
                        .is_none_or(|default| self.is_fixed(default, depth + 1))
            }
            // SQLAlchemy's `dialect.identifier_preparer` quotes a name as an identifier,
            // doubling any quote inside, so it cannot end the identifier.
            "quote_identifier" | "format_table" | "format_column" => {
                is_identifier_preparer(&method.value)
            }
            // `column.type.compile(dialect)`: the DDL of a column type the model declares.
            "compile" => {
                matches!(&*method.value, Expr::Attribute(owner) if owner.attr.id.as_str() == "type")
            }
            _ => false,
        }
    }

    /// A sequence whose items are all fixed.
    fn is_fixed_sequence(&mut self, expr: &'a Expr, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match expr {
            Expr::List(ast::ExprList { elts, .. })
            | Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => {
                elts.iter().all(|elt| self.is_fixed(elt, depth + 1))
            }
            Expr::BinOp(binop) if matches!(binop.op, Operator::Mult | Operator::Add) => {
                let left = self.is_fixed_sequence(&binop.left, depth + 1);
                let right = self.is_fixed_sequence(&binop.right, depth + 1);
                match binop.op {
                    Operator::Add => left && right,
                    _ => left || right,
                }
            }
            Expr::ListComp(ast::ExprListComp { elt, .. })
            | Expr::Generator(ast::ExprGenerator { elt, .. }) => self.is_fixed(elt, depth + 1),
            Expr::Call(call) if self.is_fixed_view(call, depth) => true,
            Expr::Call(call) => {
                self.checker
                    .semantic()
                    .resolve_qualified_name(&call.func)
                    .is_some_and(|name| name.segments() == ["itertools", "repeat"])
                    && call
                        .arguments
                        .args
                        .first()
                        .is_some_and(|item| self.is_fixed(item, depth + 1))
            }
            // `SCHEMA[table]`: an entry of a constant schema, iterated for its columns.
            Expr::Subscript(subscript) => self.entries_have_constant_keys(&subscript.value),
            // Iterating a constant dict yields its keys.
            Expr::Name(name) => self.has_constant_keys(expr) || self.is_fixed_list(name, depth),
            _ => self.checker.semantic().is_constant_string(expr),
        }
    }

    /// `TABLES.keys()`, `TABLES.values()` of a constant table.
    fn is_fixed_view(&mut self, call: &'a ast::ExprCall, depth: usize) -> bool {
        let Expr::Attribute(method) = &*call.func else {
            return false;
        };
        match method.attr.id.as_str() {
            "keys" => self.has_constant_keys(&method.value),
            "values" => self.is_constant_table(&method.value, depth),
            _ => false,
        }
    }

    /// A name assigned once to a dict literal whose keys are all constant strings: the
    /// table and column names of a schema written in the module (`TABLES = {"users":
    /// [...]}`).
    fn has_constant_keys(&self, expr: &'a Expr) -> bool {
        self.constant_dict(expr).is_some_and(has_string_keys)
    }

    /// A constant dict of constant dicts (`SCHEMA = {"users": {"id": "INTEGER"}}`): every
    /// entry, iterated, yields constant names.
    fn entries_have_constant_keys(&self, expr: &'a Expr) -> bool {
        self.constant_dict(expr).is_some_and(|dict| {
            has_string_keys(dict)
                && dict
                    .items
                    .iter()
                    .all(|item| matches!(&item.value, Expr::Dict(entry) if has_string_keys(entry)))
        })
    }

    /// The dict literal a name is assigned once.
    fn constant_dict(&self, expr: &'a Expr) -> Option<&'a ast::ExprDict> {
        let Expr::Name(name) = expr else {
            return None;
        };
        let semantic = self.checker.semantic();
        match semantic.binding_of(name) {
            Some(
                binding @ Binding {
                    kind: BindingKind::Assignment(Expr::Dict(dict)),
                    ..
                },
            ) if semantic.bindings_in(binding.scope, name.id.as_str()).len() == 1 => Some(dict),
            _ => None,
        }
    }

    /// A list or tuple variable that only ever holds fixed items: every assignment that
    /// reaches this use is fixed, and so is everything put into it in place since
    /// (`append`, `insert`, `extend`, `d[k] = v`), as the data flow saw it. Passed to a
    /// call that may change it, it could hold anything.
    fn is_fixed_list(&mut self, name: &'a ast::ExprName, depth: usize) -> bool {
        let semantic = self.checker.semantic();
        let bindings = semantic.bindings_reaching(name);
        if bindings.is_empty() {
            return false;
        }
        let assigned = bindings.iter().all(|binding| match binding.kind {
            BindingKind::Assignment(value) | BindingKind::AugAssign(value) => {
                self.is_fixed_sequence(value, depth + 1)
            }
            _ => false,
        });
        let immutable = bindings.iter().all(|binding| {
            matches!(
                binding.kind,
                BindingKind::Assignment(Expr::Tuple(_) | Expr::StringLiteral(_))
            )
        });
        if !assigned || immutable {
            return assigned;
        }
        let Some(changes) = semantic.changes_before(name) else {
            return false;
        };
        changes.iter().all(|change| match change {
            MutationKind::Escape => false,
            MutationKind::Extend(values) | MutationKind::Update(values) => {
                self.is_fixed_sequence(values, depth + 1)
            }
            change => change
                .added()
                .is_none_or(|value| self.is_fixed(value, depth + 1)),
        })
    }

    /// A name assigned once to a dict literal whose values are all fixed: an allow-list.
    fn is_constant_table(&mut self, expr: &'a Expr, depth: usize) -> bool {
        self.constant_dict(expr).is_some_and(|dict| {
            dict.items
                .iter()
                .all(|item| item.key.is_some() && self.is_fixed(&item.value, depth + 1))
        })
    }

    /// `for table in ("users", "groups"):` binds `table` to constants only.
    fn loop_over_fixed(&mut self, binding: &Binding<'a>, depth: usize) -> bool {
        let semantic = self.checker.semantic();
        if let Some(for_loop) = semantic.unpacking_loop_of(binding) {
            return self.unpacks_fixed_items(binding, for_loop, depth);
        }
        let Some(for_loop) = semantic.loop_of(binding) else {
            return false;
        };
        self.is_fixed_sequence(&for_loop.iter, depth + 1)
    }

    /// `for table, columns in TABLES.items():` binds `table` to the table's constant keys.
    fn unpacks_fixed_items(
        &mut self,
        binding: &Binding<'a>,
        for_loop: &'a ast::StmtFor,
        depth: usize,
    ) -> bool {
        if let (Expr::Tuple(targets), Expr::Call(call)) = (&*for_loop.target, &*for_loop.iter) {
            let position = targets.elts.iter().position(|t| t.range() == binding.range);
            if let (Some(position), Expr::Attribute(method)) = (position, &*call.func) {
                if method.attr.id.as_str() == "items" && targets.elts.len() == 2 {
                    return match position {
                        0 => self.has_constant_keys(&method.value),
                        _ => self.is_constant_table(&method.value, depth),
                    };
                }
            }
        }
        false
    }
}

/// `engine.dialect.identifier_preparer`, or a name for one (`preparer`).
fn is_identifier_preparer(receiver: &Expr) -> bool {
    match receiver {
        Expr::Attribute(attribute) => attribute.attr.id.as_str() == "identifier_preparer",
        Expr::Name(name) => name.id.as_str().ends_with("preparer"),
        _ => false,
    }
}

/// Every key of `dict` is a string literal (no `**spread`).
fn has_string_keys(dict: &ast::ExprDict) -> bool {
    dict.items
        .iter()
        .all(|item| matches!(item.key, Some(Expr::StringLiteral(_))))
}

/// The builtin a bare name calls, unless something in scope shadows it.
fn builtin_name<'a>(checker: &Checker<'a>, func: &'a Expr) -> Option<&'a str> {
    let Expr::Name(name) = func else {
        return None;
    };
    checker
        .semantic()
        .binding_of(name)
        .is_none()
        .then_some(name.id.as_str())
}
