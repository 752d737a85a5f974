//! What names resolve to: imports, aliases, scopes and shadowing.

use crate::parse::{ast, parse_module};
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
