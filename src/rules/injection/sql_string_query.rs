use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Severity};
use crate::parse::ast;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};

use super::sql_fix::parameterise_fix;
use super::sql_query::{built_query, query_finding};
use super::sql_sinks::sql_api_sink;

declare_rule! {
    /// ## What it does
    /// Flags SQL built from values with an f-string, `%`, `.format()` or `+` that reaches a
    /// database driver, SQLAlchemy or pandas.
    ///
    /// The text may be built in place or through a variable (`query += ...` included), and a
    /// placeholder of its own may be filled with `.replace()` (`"... WHERE id =
    /// '[ID]'".replace("[ID]", uid)`). The APIs: `execute`, `executemany` and `executescript` of DB-API connections and cursors
    /// (sqlite3, psycopg2, psycopg 3, PyMySQL, MySQLdb, mysql.connector, pyodbc, cx_Oracle,
    /// Django's `connection.cursor()`, ...), asyncpg's `execute` and `fetch*`, SQLAlchemy's
    /// `text()` and `execute`, `psycopg2.extras.execute_values`, the text of psycopg's
    /// `sql.SQL()` (composition protects only what goes through `Identifier`, `Literal` and
    /// placeholders) and pandas' `read_sql`.
    ///
    /// Values that cannot carry SQL stay clean: numbers, constants, `int(...)`, a choice
    /// between constants, a variable only ever assigned constants, a lookup in a constant
    /// dict, a run of placeholders such as `", ".join("?" * len(ids))`, a list only ever
    /// filled with constant clauses, a loop variable over constant names. A method called
    /// `execute` on an object of unknown origin is flagged only when the text reads like a
    /// SQL statement (`SELECT`, `DELETE FROM`, ...), with lower confidence.
    ///
    /// ## Why is this bad?
    /// Text pasted into SQL is read as SQL. A name like `x' OR '1'='1` turns a lookup into
    /// a dump of the table; `1; DROP TABLE users` does worse. Query parameters send values
    /// apart from the statement, so the database never parses them as code. Quoting or
    /// escaping by hand misses cases (numbers, backslashes, encodings); parameters do not.
    ///
    /// ## Example
    /// ```python
    /// import sqlite3
    ///
    /// conn = sqlite3.connect("app.db")
    ///
    /// def find_user(name):
    ///     return conn.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchone()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import sqlite3
    ///
    /// conn = sqlite3.connect("app.db")
    ///
    /// def find_user(name):
    ///     return conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. The fix writes the driver's placeholders (`?` for sqlite3, pyodbc and
    /// aiosqlite; `%s` for psycopg, PyMySQL, MySQLdb and Django, with literal `%` doubled;
    /// `$1` for asyncpg; `:name` with a dict for cx_Oracle, and for SQLAlchemy, whose plain
    /// strings it wraps in `text()`), drops the SQL quotes around each value and passes the
    /// values as parameters. The database then receives each value with its Python type: a
    /// number that was pasted into a quoted string arrives as a number. A query built in a
    /// variable is rewritten where it is built only when the variable is assigned once and
    /// used once, and its values mean the same at the call.
    ///
    /// The fix is display-only when a person has to decide: a table or column name is
    /// interpolated (names cannot be parameters — check them against a fixed list), the
    /// statement takes no parameters (`CREATE`, `PRAGMA`), the call already passes
    /// parameters, the query is built over several statements, the method takes no
    /// parameters (`executemany`, `executescript`, `sql.SQL()`), or the driver is unknown
    /// (the rewrite is shown with `%s`; use your driver's style).
    ///
    /// ## References
    /// CWE-89 · OWASP A03
    pub SQL_STRING_QUERY = RuleMeta {
        id: "PV201",
        name: "sql-string-query",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[89],
        owasp: Owasp::A03,
        guideline: "sql-injection",
        sources: &[Source::Bandit("B608"), Source::Ruff("S608")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &SQL_STRING_QUERY,
    checks: &[Check::Call(check_call)],
    needs: &[],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(sink) = sql_api_sink(checker, call) else {
        return;
    };
    let Some(built) = built_query(checker, sink.query) else {
        return;
    };
    if !sink.resolved && !built.looks_like_sql {
        return;
    }
    let fix = parameterise_fix(checker, &sink, false);
    checker.report(query_finding(&SQL_STRING_QUERY, checker, &sink, &built).with_fix(fix));
}
