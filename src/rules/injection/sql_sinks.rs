//! Which calls run SQL text, which argument holds the query, and how the driver behind
//! them marks parameters. Shared by the SQL rules; the rules decide what to report.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::semantic::{argument, keyword, BindingKind, QualifiedName};

/// How a driver marks a parameter in SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `?`: sqlite3, pyodbc, aiosqlite, duckdb.
    Qmark,
    /// `%s`: psycopg2, psycopg 3, PyMySQL, MySQLdb, Django. With parameters, a literal `%`
    /// must be written `%%` — except in mysql.connector, which only replaces `%s`.
    Format { doubles_percent: bool },
    /// `:name`: cx_Oracle and python-oracledb.
    Named,
    /// `$1`: asyncpg.
    Numeric,
    /// `:name` inside SQLAlchemy's `text()`.
    SqlAlchemy,
}

/// How the values reach the driver once they are out of the SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamsSlot {
    /// The argument after the query: `cur.execute(sql, (a,))`.
    Positional,
    /// A keyword argument: `pd.read_sql(sql, con, params=(a,))`.
    Keyword(&'static str),
    /// Extra positional arguments: asyncpg's `conn.fetch(sql, a, b)`.
    Varargs,
    /// `.bindparams(a=a)` on the `text()` construct itself.
    BindParams,
    /// None: `executemany` rows, `executescript`, `execute_values` take no per-query values.
    Unavailable,
}

/// A call that runs the SQL text in one of its arguments.
pub struct SqlSink<'a> {
    pub call: &'a ast::ExprCall,
    pub query: &'a Expr,
    pub params: Option<&'a Expr>,
    pub slot: ParamsSlot,
    /// `None` when we could not tell which driver runs the query.
    pub style: Option<ParamStyle>,
    /// The call resolved to a database API (not only "a method called `execute`").
    pub resolved: bool,
}

/// The last name of every call [`sql_api_sink`] knows.
const SINK_NAMES: &[&str] = &[
    "execute",
    "executemany",
    "executescript",
    "fetch",
    "fetchrow",
    "fetchval",
    "exec_driver_sql",
    "text",
    "execute_values",
    "execute_batch",
    "read_sql",
    "read_sql_query",
    "SQL",
];

const QUERY_KEYWORDS: &[&str] = &["sql", "query", "operation", "statement", "stmt"];
const PARAMS_KEYWORDS: &[&str] = &["parameters", "params", "args", "vars", "multiparams"];

/// DB-API cursors and connections, SQLAlchemy connections and sessions, asyncpg,
/// `psycopg2.extras.execute_values`, psycopg's `sql.SQL` and pandas' `read_sql`.
pub fn sql_api_sink<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<SqlSink<'a>> {
    // Cheap first: a method must have one of these names (a bare name may be an alias).
    if let Expr::Attribute(method) = &*call.func {
        if !SINK_NAMES.contains(&method.attr.id.as_str()) {
            return None;
        }
    }
    let function = checker.semantic().resolve_qualified_name(&call.func);
    if let Some(sink) = function.and_then(|function| function_sink(checker, call, &function)) {
        return Some(sink);
    }
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    let method = method.attr.id.as_str();
    let driver = receiver_driver(checker, call);
    let slot = match (method, driver) {
        ("execute", Some(ParamStyle::Numeric)) => ParamsSlot::Varargs,
        ("fetch" | "fetchrow" | "fetchval", Some(ParamStyle::Numeric)) => ParamsSlot::Varargs,
        ("execute", _) => ParamsSlot::Positional,
        ("executemany" | "executescript", _) => ParamsSlot::Unavailable,
        ("exec_driver_sql", Some(ParamStyle::SqlAlchemy)) => ParamsSlot::Unavailable,
        _ => return None,
    };
    let query = first_argument(call, QUERY_KEYWORDS)?;
    let params = match slot {
        ParamsSlot::Varargs => call.arguments.args.get(1),
        _ => params_argument(call, 1, PARAMS_KEYWORDS),
    };
    Some(SqlSink {
        call,
        query,
        params,
        slot,
        style: driver,
        resolved: driver.is_some(),
    })
}

/// Module-level functions that take SQL text: `sqlalchemy.text`, `execute_values`,
/// `psycopg.sql.SQL`, `read_sql`.
fn function_sink<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &QualifiedName,
) -> Option<SqlSink<'a>> {
    let (query, params, slot, style) = match function.segments() {
        ["sqlalchemy" | "sqlmodel", "text"]
        | ["sqlalchemy", "sql", "text"]
        | ["sqlalchemy", "sql", "expression", "text"] => (
            first_argument(call, &["text"])?,
            None,
            ParamsSlot::BindParams,
            Some(ParamStyle::SqlAlchemy),
        ),
        // Composition only protects what goes through `Identifier` / `Literal` / placeholders.
        ["psycopg2" | "psycopg", "sql", "SQL"] => (
            first_argument(call, &["obj"])?,
            None,
            ParamsSlot::Unavailable,
            Some(ParamStyle::Format {
                doubles_percent: true,
            }),
        ),
        ["psycopg2", "extras", "execute_values" | "execute_batch"] => (
            argument(call, 1, "sql")?,
            None,
            ParamsSlot::Unavailable,
            Some(ParamStyle::Format {
                doubles_percent: true,
            }),
        ),
        ["pandas", "read_sql" | "read_sql_query"] => {
            let connection = argument(call, 1, "con");
            let style = connection
                .and_then(|connection| checker.semantic().resolve_value_origin(connection))
                .filter(|origin| origin.segments().contains(&"()"))
                .and_then(|origin| origin.segments().first().copied())
                .and_then(driver_style)
                .filter(|style| *style != ParamStyle::SqlAlchemy);
            (
                argument(call, 0, "sql")?,
                keyword(call, "params").map(|keyword| &keyword.value),
                ParamsSlot::Keyword("params"),
                style,
            )
        }
        _ => return None,
    };
    Some(SqlSink {
        call,
        query,
        params,
        slot,
        style,
        resolved: true,
    })
}

/// The driver behind the object a method is called on: where the value comes from
/// (`sqlite3.connect.().cursor.()`), else what the receiver chain starts at.
fn receiver_driver<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<ParamStyle> {
    let semantic = checker.semantic();
    let origin = match semantic.resolve_value_origin(&call.func) {
        Some(origin) if origin.segments().contains(&"()") => origin,
        _ => receiver_root(checker, call)?,
    };
    driver_style(origin.segments().first()?)
}

/// What the receiver chain of a method call starts at, walking back through attributes,
/// calls, subscripts and local assignments: the annotation of a parameter (`cur` in
/// `def f(conn: psycopg.Connection): with conn.cursor() as cur:` comes from
/// `psycopg.Connection`) or an import read through a subscript (`connections["default"]`).
pub(super) fn receiver_root<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
) -> Option<QualifiedName<'a>> {
    let semantic = checker.semantic();
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    let mut expr: &Expr = &method.value;
    let mut through_value = false;
    for _ in 0..MAX_RECEIVER_STEPS {
        expr = match expr {
            Expr::Attribute(attribute) => &attribute.value,
            Expr::Call(ast::ExprCall { func: value, .. })
            | Expr::Subscript(ast::ExprSubscript { value, .. }) => {
                through_value = true;
                value
            }
            Expr::Await(awaited) => &awaited.value,
            Expr::Name(name) => match semantic.binding_of(name)?.kind {
                BindingKind::Assignment(value) | BindingKind::WithItem(value) => value,
                BindingKind::Parameter { .. } => {
                    let (_, parameter) = semantic.parameter_of(name)?;
                    return semantic.resolve_qualified_name(parameter.annotation.as_deref()?);
                }
                // A module's own function (`sqlite3.complete_statement`) is not a database.
                BindingKind::Import(_) if through_value => {
                    return semantic.resolve_qualified_name(expr)
                }
                _ => return None,
            },
            _ => return None,
        };
    }
    None
}

/// How many attribute, call and assignment steps we walk back from a receiver.
const MAX_RECEIVER_STEPS: usize = 16;

/// The placeholder style of the driver a module root belongs to.
pub fn driver_style(root: &str) -> Option<ParamStyle> {
    Some(match root {
        "sqlite3" | "pyodbc" | "aiosqlite" | "duckdb" => ParamStyle::Qmark,
        "psycopg2" | "psycopg" | "pymysql" | "MySQLdb" | "pymssql" | "aiomysql" | "aiopg"
        | "asyncmy" | "pg8000" | "django" => ParamStyle::Format {
            doubles_percent: true,
        },
        "mysql" => ParamStyle::Format {
            doubles_percent: false,
        },
        "cx_Oracle" | "oracledb" => ParamStyle::Named,
        "asyncpg" => ParamStyle::Numeric,
        "sqlalchemy" | "flask_sqlalchemy" | "sqlmodel" => ParamStyle::SqlAlchemy,
        _ => return None,
    })
}

/// The first positional argument, or the first of `names` passed by keyword.
pub fn first_argument<'a>(call: &'a ast::ExprCall, names: &[&str]) -> Option<&'a Expr> {
    names
        .iter()
        .find_map(|name| keyword(call, name).map(|keyword| &keyword.value))
        .or_else(|| {
            call.arguments
                .args
                .first()
                .filter(|arg| !arg.is_starred_expr())
        })
}

/// The argument at `position`, or the first of `names` passed by keyword.
pub fn params_argument<'a>(
    call: &'a ast::ExprCall,
    position: usize,
    names: &[&str],
) -> Option<&'a Expr> {
    names
        .iter()
        .find_map(|name| keyword(call, name).map(|keyword| &keyword.value))
        .or_else(|| call.arguments.args.get(position))
}
