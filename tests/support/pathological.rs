//! Pathological inputs: the shapes of Python that once made the engine crash, run out of
//! memory, or take quadratic or exponential time, each as a family that grows with `n`
//! (lines, terms or nesting levels).
//!
//! `tests/pathological.rs` runs every family at two sizes and checks that the time grows
//! about linearly; `examples/pathological.rs` writes them to files for timing the CLI at
//! 1k/10k/100k (`bench/pathological.sh`).

use std::fmt::Write;

/// One family of inputs.
pub struct Family {
    pub name: &'static str,
    /// What it exercises, for reports.
    pub what: &'static str,
    /// The Python source of size `n`.
    pub generate: fn(usize) -> String,
    /// Whether `pyvet check --fix --unsafe-fixes` is part of the family (it has fixes).
    pub fixes: bool,
}

pub const FAMILIES: &[Family] = &[
    Family {
        name: "sql-non-ascii-before-value",
        what: "SQL text with a non-ASCII character right before an interpolated value",
        generate: sql_non_ascii_before_value,
        fixes: true,
    },
    Family {
        name: "constant-string-doubling",
        what: "each name is the previous one added to itself, then `eval` of the last",
        generate: constant_string_doubling,
        fixes: false,
    },
    Family {
        name: "constant-string-tower",
        what: "four levels of 100-term `+` chains of the level below (levels widen with n)",
        generate: constant_string_tower,
        fixes: false,
    },
    Family {
        name: "taint-doubling",
        what: "each name is the previous one added to itself, then `os.system` of the last",
        generate: taint_doubling,
        fixes: false,
    },
    Family {
        name: "taint-tower",
        what: "six levels of 30-term `+` chains of the level below feeding `os.system`",
        generate: taint_tower,
        fixes: false,
    },
    Family {
        name: "doubling-into-every-sink",
        what: "a name that is the previous one added to itself, 12 deep and again, reaching \
               every kind of sink the rules look at",
        generate: doubling_into_every_sink,
        fixes: true,
    },
    Family {
        name: "value-origin-chain",
        what: "each name is a call on the previous one, then a method call on the last",
        generate: value_origin_chain,
        fixes: false,
    },
    Family {
        name: "nested-fstrings",
        what: "f-strings nested inside each other's replacement fields",
        generate: nested_fstrings,
        fixes: false,
    },
    Family {
        name: "nested-format-specs",
        what: "f-string format specs nested inside format specs",
        generate: nested_format_specs,
        fixes: false,
    },
    Family {
        name: "reassigned-name",
        what: "one name assigned and used again on every line",
        generate: reassigned_name,
        fixes: false,
    },
    Family {
        name: "augmented-name",
        what: "one name extended with `+=` on every line, used in a query at the end",
        generate: augmented_name,
        fixes: false,
    },
    Family {
        name: "many-fixes",
        what: "a fixable finding on every line (safe and unsafe fixes)",
        generate: many_fixes,
        fixes: true,
    },
    Family {
        name: "secret-dict",
        what: "one dict literal holding a live-looking key per entry",
        generate: secret_dict,
        fixes: true,
    },
    Family {
        name: "regex-alternation",
        what: "one regular expression repeating an alternation of many literals",
        generate: regex_alternation,
        fixes: false,
    },
    Family {
        name: "deep-brackets",
        what: "brackets nested inside each other",
        generate: deep_brackets,
        fixes: false,
    },
    Family {
        name: "deep-blocks",
        what: "`if` blocks nested 300 deep, again and again",
        generate: deep_blocks,
        fixes: false,
    },
    Family {
        name: "long-chain",
        what: "one `+` chain of string terms and one attribute chain",
        generate: long_chain,
        fixes: false,
    },
    Family {
        name: "huge-literals",
        what: "a long string literal and a long list literal",
        generate: huge_literals,
        fixes: false,
    },
    Family {
        name: "nested-loops",
        what: "views with `for` loops nested 40 deep, each passing request data on",
        generate: nested_loops,
        fixes: false,
    },
    Family {
        name: "branches-over-many-names",
        what: "one function with an `if` per line, each binding a new name",
        generate: branches_over_many_names,
        fixes: false,
    },
    Family {
        name: "containers-and-helpers",
        what: "a list appended to on every line, and a helper called with each element",
        generate: containers_and_helpers,
        fixes: false,
    },
    Family {
        name: "many-findings",
        what: "a finding of a different rule on every line, with data flow",
        generate: many_findings,
        fixes: true,
    },
];

/// A deterministic stream of letters and digits (no randomness in tests).
fn key_text(seed: usize, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
    let mut state = (seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ALPHABET[(state % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

fn sql_non_ascii_before_value(n: usize) -> String {
    let mut source = String::from("import sqlite3\n\ncursor = sqlite3.connect('db').cursor()\n");
    let marks = ['€', '→', '\u{201c}', 'é', '😀'];
    for i in 0..n {
        let mark = marks[i % marks.len()];
        // Unquoted, the value cannot become a parameter; quoted, it can (the fix).
        let _ = if i % 2 == 0 {
            writeln!(
                source,
                "cursor.execute(f\"SELECT * FROM t WHERE a = {mark}{{x{i}}}\")"
            )
        } else {
            writeln!(
                source,
                "cursor.execute(f\"SELECT * FROM t WHERE b = {{y}} AND a = '{mark}{{x{i}}}'\")"
            )
        };
    }
    source
}

/// `v0 = 'x'`, then each name the previous one added to itself, then `sink(last)`.
fn doubling(n: usize, prefix: &str, sink: &str) -> String {
    let mut source = format!("{prefix}v0 = 'x'\n");
    for i in 1..n {
        let _ = writeln!(source, "v{i} = v{} + v{}", i - 1, i - 1);
    }
    let _ = writeln!(source, "{sink}(v{})", n.saturating_sub(1));
    source
}

fn constant_string_doubling(n: usize) -> String {
    doubling(n, "", "eval")
}

/// `levels` levels of `terms`-term chains, sized so the file has about `n` terms.
fn tower(n: usize, levels: usize, first: &str, sink: &str, prefix: &str) -> String {
    let terms = (n / levels).max(2);
    let mut source = String::from(prefix);
    let _ = writeln!(source, "v0 = {first}");
    for level in 1..=levels {
        let below = format!("v{}", level - 1);
        let chain = vec![below.as_str(); terms].join(" + ");
        let _ = writeln!(source, "v{level} = {chain}");
    }
    let _ = writeln!(source, "{sink}(v{levels})");
    source
}

fn constant_string_tower(n: usize) -> String {
    tower(n, 4, "'x'", "eval", "")
}

fn taint_doubling(n: usize) -> String {
    doubling(n, "import os\n\n", "os.system")
}

fn taint_tower(n: usize) -> String {
    tower(n, 6, "'x'", "os.system", "import os\n\n")
}

/// Chains of names each doubling the last (`v1 = v0 + v0`, 16 deep, then over again), where
/// each chain's last name goes into one of the sinks below, from a web request: every rule
/// that follows values by itself meets a doubling chain.
fn doubling_into_every_sink(n: usize) -> String {
    const SINKS: &[&str] = &[
        "os.system({v})",
        "subprocess.run({v}, shell=True)",
        "cursor.execute({v})",
        "eval({v})",
        "open({v})",
        "requests.get({v}, timeout=5)",
        "logging.info('token %s', {v})",
        "hashlib.md5({v}).hexdigest()",
        "jwt.decode({v}, key, algorithms=[{v}])",
        "re.compile({v})",
        "Markup({v})",
        "render_template_string({v})",
        "pickle.loads({v})",
        "yaml.load({v})",
        "assert {v} == 'admin'",
        "random.choice({v})",
        "hmac.compare_digest({v}, {v}) or {v} == token",
        "rsa.generate_private_key(65537, {v})",
        "AES.new({v}, AES.MODE_CBC, {v})",
        "app.config['SECRET_KEY'] = {v}",
        "response.set_cookie('s', {v})",
        "return HttpResponse({v})",
    ];
    const DEPTH: usize = 16;
    let mut source = String::from(
        "import hashlib, hmac, logging, os, pickle, random, re, subprocess\n\
         import jwt, requests, rsa, yaml\n\
         from Crypto.Cipher import AES\n\
         from django.http import HttpResponse\n\
         from flask import Flask, Markup, render_template_string, request\n\
         app = Flask(__name__)\n\n",
    );
    let chains = n.div_ceil(DEPTH + 3);
    for chain in 0..chains {
        let sink = SINKS[chain % SINKS.len()];
        let _ = writeln!(source, "def view{chain}():");
        let _ = writeln!(source, "    v0 = request.args['q'] + 'x'");
        for i in 1..=DEPTH {
            let _ = writeln!(source, "    v{i} = v{} + v{}", i - 1, i - 1);
        }
        let _ = writeln!(source, "    {}", sink.replace("{v}", &format!("v{DEPTH}")));
    }
    source
}

fn value_origin_chain(n: usize) -> String {
    let mut source = String::from("import sqlite3\n\nv0 = sqlite3.connect('db')\n");
    for i in 1..n {
        let _ = writeln!(source, "v{i} = v{}.cursor()", i - 1);
    }
    let _ = writeln!(
        source,
        "v{}.execute('SELECT * FROM t WHERE a = ' + input())",
        n.saturating_sub(1)
    );
    source
}

fn nested_fstrings(n: usize) -> String {
    let mut source = String::from("import os\n\nos.system(");
    source.push_str(&"f\"{".repeat(n));
    source.push_str("input()");
    source.push_str(&"}\"".repeat(n));
    source.push_str(")\n");
    source
}

fn nested_format_specs(n: usize) -> String {
    let mut source = String::from("x = 1\nprint(f\"");
    source.push_str(&"{x:".repeat(n));
    source.push_str(&"}".repeat(n));
    source.push_str("\")\n");
    source
}

fn reassigned_name(n: usize) -> String {
    let mut source = String::from("import os\n\n");
    for i in 0..n / 2 {
        let _ = writeln!(source, "x = 'ls {i}'\nos.system(x)");
    }
    source
}

fn augmented_name(n: usize) -> String {
    let mut source = String::from("import sqlite3\n\nq = 'SELECT * FROM t WHERE 1'\n");
    for i in 0..n {
        let _ = writeln!(source, "q += ' AND a{i} = ' + input()");
    }
    source.push_str("sqlite3.connect('db').execute(q)\n");
    source
}

fn many_fixes(n: usize) -> String {
    let mut source = String::from("import hashlib\nimport requests\nimport yaml\n\n");
    for i in 0..n {
        let _ = match i % 3 {
            0 => writeln!(source, "requests.get(url{i})"),
            1 => writeln!(source, "yaml.load(data{i})"),
            _ => writeln!(source, "hashlib.md5(data{i}).hexdigest()"),
        };
    }
    source
}

fn secret_dict(n: usize) -> String {
    let mut source = String::from("KEYS = {\n");
    for i in 0..n {
        let _ = writeln!(source, "    \"k{i}\": \"sk_live_{}\",", key_text(i, 24));
    }
    source.push_str("}\n");
    source
}

fn regex_alternation(n: usize) -> String {
    let words: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
    let mut source = String::from("import re\n\n");
    let _ = writeln!(source, "re.compile(r\"({})*x\")", words.join("|"));
    // Alternatives that share prefixes: `a`, `aa`, `aaa`, ... (capped to keep the file linear).
    let shared: Vec<String> = (1..=n.min(2_000))
        .map(|i| format!("ab{}", "c".repeat(i % 50)))
        .collect();
    let _ = writeln!(source, "re.compile(r\"({})+$\")", shared.join("|"));
    source
}

fn deep_brackets(n: usize) -> String {
    format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n))
}

/// Towers of `if` blocks up to 300 deep (past CPython's own limit of 100), as many as make
/// `n` lines: one tower of `n` levels would need `n * n / 2` bytes of indentation.
fn deep_blocks(n: usize) -> String {
    let depth = n.clamp(1, 300);
    let mut source = String::new();
    for _ in 0..n.div_ceil(depth) {
        for level in 0..depth {
            let _ = writeln!(source, "{}if x:", " ".repeat(level));
        }
        let _ = writeln!(source, "{}eval(input())", " ".repeat(depth));
    }
    source
}

fn nested_loops(n: usize) -> String {
    const DEPTH: usize = 40;
    let mut source = String::from("from flask import request\n");
    for view in 0..n.div_ceil(DEPTH) {
        let _ = writeln!(
            source,
            "@app.get('/v{view}')\ndef view{view}():\n    v0 = request.args['q']"
        );
        for level in 0..DEPTH {
            let indent = " ".repeat(4 * (level + 1));
            let _ = writeln!(
                source,
                "{indent}for i{level} in items:\n{indent}    v{} = v{level}",
                level + 1
            );
        }
        let _ = writeln!(source, "    return open(v{DEPTH}).read()");
    }
    source
}

fn branches_over_many_names(n: usize) -> String {
    let mut source = String::from("from flask import request\n\n@app.get('/')\ndef view():\n");
    for i in 0..n / 2 {
        let _ = writeln!(
            source,
            "    if request.args.get('k{i}'):\n        v{i} = request.args['v{i}']"
        );
    }
    let _ = writeln!(source, "    return open(v0 + v{}).read()", n / 4);
    source
}

fn containers_and_helpers(n: usize) -> String {
    let mut source = String::from(
        "from flask import request\n\ndef wrap(value):\n    return '<' + value + '>'\n\n@app.get('/')\ndef view():\n    parts = []\n",
    );
    for i in 0..n / 2 {
        let _ = writeln!(
            source,
            "    parts.append(wrap(request.args['p{i}']))\n    open(parts[{i}])"
        );
    }
    source
}

fn long_chain(n: usize) -> String {
    let terms = vec!["'a'"; n / 2].join(" + ");
    let attributes = vec!["b"; n / 2].join(".");
    format!("import os\n\nos.system({terms} + input())\nos.{attributes}.system(x)\n")
}

fn huge_literals(n: usize) -> String {
    let text = "abcdefghij".repeat(n);
    let items = vec!["'item'"; n].join(", ");
    format!("s = '{text}'\nitems = [{items}]\neval(s)\n")
}

fn many_findings(n: usize) -> String {
    let mut source = String::from(
        "import os\nimport pickle\nimport subprocess\n\nfrom flask import request\n\n",
    );
    for i in 0..n {
        let _ = match i % 4 {
            0 => writeln!(source, "a{i} = request.args['a']\nos.system('ls ' + a{i})"),
            1 => writeln!(source, "subprocess.call(cmd{i}, shell=True)"),
            2 => writeln!(source, "pickle.loads(blob{i})"),
            _ => writeln!(source, "eval(request.form['e{i}'])"),
        };
    }
    source
}
