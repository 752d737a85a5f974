//! What names resolve to: imports, aliases, scopes and shadowing.

use crate::parse::{ast, parse_module, Ranged};
use crate::semantic::SemanticModel;

/// The qualified name of the function called by the last call statement in `source`
/// (inside the last function when the module ends with one), or `None`.
fn callee(source: &str) -> Option<String> {
    let parsed = parse_module(source);
    let model = SemanticModel::new(&parsed.body);
    let mut body = &parsed.body[..];
    loop {
        match body.last() {
            Some(ast::Stmt::FunctionDef(function)) => {
                model.enter_definition(function.range.start());
                body = &function.body;
            }
            Some(ast::Stmt::ClassDef(class)) => {
                model.enter_definition(class.range.start());
                body = &class.body;
            }
            _ => break,
        }
    }
    let Some(ast::Stmt::Expr(statement)) = body.last() else {
        panic!("the last statement must be an expression");
    };
    let ast::Expr::Call(call) = &*statement.value else {
        panic!("the last statement must be a call");
    };
    model
        .resolve_qualified_name(&call.func)
        .map(|name| name.to_string())
}

#[test]
fn imports_and_aliases_resolve() {
    assert_eq!(
        callee("import subprocess as sp\nsp.run(x)").as_deref(),
        Some("subprocess.run")
    );
    assert_eq!(
        callee("from os import system as run_it\nrun_it(x)").as_deref(),
        Some("os.system")
    );
    assert_eq!(
        callee("from yaml import load\nload(x)").as_deref(),
        Some("yaml.load")
    );
    assert_eq!(
        callee("import os.path\nos.path.join(a)").as_deref(),
        Some("os.path.join")
    );
    assert_eq!(
        callee("import os.path as p\np.join(a)").as_deref(),
        Some("os.path.join")
    );
    assert_eq!(
        callee("from . import db\ndb.run(q)").as_deref(),
        Some("..db.run")
    );
    assert_eq!(callee("eval(x)").as_deref(), Some("builtins.eval"));
    assert_eq!(
        callee("import subprocess\nrun = subprocess.run\nrun(x)").as_deref(),
        Some("subprocess.run")
    );
}

#[test]
fn imports_inside_functions_are_local() {
    assert_eq!(
        callee("def f():\n    import pickle as p\n    p.loads(b)").as_deref(),
        Some("pickle.loads")
    );
    assert_eq!(callee("def f():\n    import pickle as p\np.loads(b)"), None);
}

#[test]
fn rebinding_hides_the_import() {
    assert_eq!(
        callee("from yaml import load\ndef load(x): pass\nload(x)"),
        None
    );
    assert_eq!(callee("from yaml import load\nload = None\nload(x)"), None);
    assert_eq!(
        callee("from yaml import load\ndef f(load):\n    load(x)"),
        None
    );
    assert_eq!(
        callee("from yaml import load\nclass A:\n    load = staticmethod(print)\n    load(x)"),
        None
    );
    // A class attribute is not visible from the methods of the class.
    assert_eq!(
        callee("from yaml import load\nclass A:\n    load = 1\n    def m(self):\n        load(x)")
            .as_deref(),
        Some("yaml.load")
    );
}

#[test]
fn value_origins_follow_calls_and_with() {
    let source = "import sqlite3\nconn = sqlite3.connect(p)\ncur = conn.cursor()\ncur.execute(q)";
    let parsed = parse_module(source);
    let model = SemanticModel::new(&parsed.body);
    let ast::Stmt::Expr(statement) = parsed.body.last().unwrap() else {
        panic!()
    };
    let ast::Expr::Call(call) = &*statement.value else {
        panic!()
    };
    assert_eq!(
        model.resolve_value_origin(&call.func).unwrap().to_string(),
        "sqlite3.connect.().cursor.().execute"
    );
    assert_eq!(model.resolve_qualified_name(&call.func), None);
}

#[test]
fn a_use_sees_the_binding_in_effect_among_many() {
    // One name bound on every line: each use sees the binding just before it (found by
    // binary search; scanning back from the last binding was quadratic).
    let mut source = String::new();
    for i in 0..2_000 {
        source.push_str(&format!("x = 'v{i}'\nprint(x)\n"));
    }
    let parsed = parse_module(&source);
    let model = SemanticModel::new(&parsed.body);
    for (index, stmt) in parsed.body.iter().enumerate().skip(1).step_by(2) {
        let ast::Stmt::Expr(statement) = stmt else {
            panic!("every second statement is a print");
        };
        let ast::Expr::Call(call) = &*statement.value else {
            panic!("a call");
        };
        let value = model.constant_string(&call.arguments.args[0]);
        assert_eq!(value, None, "x is bound more than once: not a constant");
        let ast::Expr::Name(name) = &call.arguments.args[0] else {
            panic!("a name");
        };
        let assigned = model
            .assigned_value(name)
            .map(|value| &source[value.range()]);
        assert_eq!(assigned, Some(format!("'v{}'", index / 2).as_str()));
    }
}

#[test]
fn values_are_named_by_where_they_are_written() {
    let source = "token = 'a'\nconfig = {'api_key': 'b'}\nconnect(password='c')\n\
                  def f(secret='d'):\n    pass\nuntitled('e')\n";
    let parsed = parse_module(source);
    let model = SemanticModel::new(&parsed.body);
    let name_of = |text: &str| {
        let start = source.find(text).unwrap();
        let range = crate::parse::TextRange::new(
            (start as u32).into(),
            ((start + text.len()) as u32).into(),
        );
        model.bound_name(range)
    };
    assert_eq!(name_of("'a'"), Some("token"));
    assert_eq!(name_of("'b'"), Some("api_key"));
    assert_eq!(name_of("'c'"), Some("password"));
    assert_eq!(name_of("'d'"), Some("secret"));
    assert_eq!(name_of("'e'"), None);
}

#[test]
fn values_formatted_into_strings_and_loop_targets() {
    use crate::semantic::Formatting;
    let source = "cmd = 'kill %d %s' % (pid, sig)\nmsg = f'{count:d} {name}'\nfor each in items:\n    pass\nfor a, b in pairs:\n    pass\n";
    let parsed = parse_module(source);
    let model = SemanticModel::new(&parsed.body);
    let [ast::Stmt::Assign(cmd), ast::Stmt::Assign(msg), ..] = &parsed.body[..] else {
        panic!("two assignments first");
    };
    let ast::Expr::BinOp(percent) = &*cmd.value else {
        panic!("a % format");
    };
    let ast::Expr::Tuple(operands) = &*percent.right else {
        panic!("a tuple of operands");
    };
    let position = |value: &ast::Expr| match model.formatting_of(value) {
        Some(Formatting::Percent { format, position }) => {
            assert!(std::ptr::eq(format, &*percent.left));
            Some(position)
        }
        _ => None,
    };
    assert_eq!(position(&operands.elts[1]), Some(1));
    assert_eq!(position(&percent.right), Some(0));
    assert_eq!(position(&percent.left), None);
    let ast::Expr::FString(fstring) = &*msg.value else {
        panic!("an f-string");
    };
    let fields: Vec<bool> = fstring
        .value
        .elements()
        .filter_map(|element| element.as_interpolation())
        .map(|field| {
            matches!(
                model.formatting_of(&field.expression),
                Some(Formatting::Spec(_))
            )
        })
        .collect();
    assert_eq!(fields, [true, false]);

    let loop_of = |name: &str| {
        let scope = crate::semantic::MODULE_SCOPE;
        model
            .bindings_in(scope, name)
            .first()
            .and_then(|binding| model.loop_of(binding))
    };
    assert!(loop_of("each").is_some());
    assert!(loop_of("a").is_none());
    let unpacking_loop_of = |name: &str| {
        let scope = crate::semantic::MODULE_SCOPE;
        model
            .bindings_in(scope, name)
            .first()
            .and_then(|binding| model.unpacking_loop_of(binding))
    };
    assert!(unpacking_loop_of("b").is_some());
    assert!(unpacking_loop_of("each").is_none());
}
