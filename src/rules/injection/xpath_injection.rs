use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity, TraceStep};
use crate::fix::add_keyword_argument;
use crate::parse::ast::{self, Expr, InterpolatedStringElement};
use crate::parse::{Ranged, TextSize};
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword};

use super::sql_rewrite::{name_hint, PYTHON_KEYWORDS};

declare_rule! {
    /// ## What it does
    /// Flags XPath queries built from user input.
    ///
    /// Covered: lxml's `.xpath(query)`, `etree.XPath(query)` and `etree.ETXPath(query)`,
    /// `elementpath.select(root, query)`, `iter_select` and `Selector`: high. ElementTree's
    /// `find`, `findall`, `findtext` and `iterfind` (on `xml.etree`, `defusedxml` or lxml
    /// elements), whose path language is smaller: medium.
    ///
    /// A constant query is not flagged, so values passed as XPath variables
    /// (`root.xpath("//user[@name=$name]", name=name)`) are fine.
    ///
    /// ## Why is this bad?
    /// A quote in the value ends the string it was meant to fill, and the rest is XPath:
    /// `' or '1'='1` turns `//user[@name='...' and @pass='...']` into a condition that is
    /// always true, and a crafted value can select any node of the document. XPath has no
    /// access control of its own: everything in the document is reachable (XPath injection).
    ///
    /// ## Example
    /// ```python
    /// from flask import request
    /// from lxml import etree
    ///
    /// USERS = etree.parse("users.xml")
    ///
    /// def lookup():
    ///     name = request.args["name"]
    ///     return USERS.xpath(f"//user[@name='{name}']")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import request
    /// from lxml import etree
    ///
    /// USERS = etree.parse("users.xml")
    ///
    /// def lookup():
    ///     name = request.args["name"]
    ///     return USERS.xpath("//user[@name=$name]", name=name)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: for `.xpath()` and `elementpath.select` / `iter_select` with an f-string
    /// whose values each fill a quoted string, the quoted values become XPath variables,
    /// passed as keyword arguments (lxml) or in `variables={...}` (elementpath). A value
    /// holding a quote, which used to break the query, now matches literally.
    ///
    /// ## References
    /// CWE-643 · OWASP A03
    pub XPATH_INJECTION = RuleMeta {
        id: "PV221",
        name: "xpath-injection",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[643],
        owasp: Owasp::A03,
        guideline: "ldap-xpath-injection",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &XPATH_INJECTION,
    checks: &[Check::Call(check_call)],
    needs: &[
        "lxml",
        "elementpath",
        "xml",
        "defusedxml",
        "parsel",
        "scrapy",
    ],
};

/// The keywords lxml's `.xpath()` takes for itself; a variable cannot use them.
const XPATH_KEYWORDS: &[&str] = &["_path", "namespaces", "extensions", "smart_strings"];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some((query, severity)) = query_of(checker, call) else {
        return;
    };
    let Some(mut trace) = semantic.taint_source_with(query, |_| false) else {
        return;
    };
    let name = checker.text(&*call.func);
    trace.push(TraceStep {
        message: format!("`{name}` evaluates it as an XPath query"),
        range: query.range(),
        elsewhere: None,
    });
    let message = format!(
        "`{name}` evaluates an XPath query built from user input: a quote in the value changes the query, which can then select any node of the document"
    );
    let fix =
        passing(checker, call).and_then(|passing| variables_fix(checker, call, query, passing));
    checker.report(
        Finding::new(&XPATH_INJECTION, call.range(), message)
            .with_severity(severity)
            .with_trace(trace)
            .with_fix(fix),
    );
}

/// The query a call evaluates, and how much the language it is written in can reach.
fn query_of<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<(&'a Expr, Severity)> {
    let semantic = checker.semantic();
    let origin = semantic.resolve_value_origin(&call.func);
    let segments = origin.as_ref().map(|name| name.segments()).unwrap_or(&[]);
    let Expr::Attribute(method) = &*call.func else {
        return match segments {
            ["lxml", "etree", "XPath" | "ETXPath"] | ["elementpath", "Selector"] => {
                Some((argument(call, 0, "path")?, Severity::High))
            }
            ["elementpath", "select" | "iter_select"] => {
                Some((argument(call, 1, "path")?, Severity::High))
            }
            _ => None,
        };
    };
    match (method.attr.id.as_str(), segments) {
        ("XPath" | "ETXPath", ["lxml", "etree", _]) | ("Selector", ["elementpath", _]) => {
            Some((argument(call, 0, "path")?, Severity::High))
        }
        ("select" | "iter_select", ["elementpath", _]) => {
            Some((argument(call, 1, "path")?, Severity::High))
        }
        // Any `.xpath()` in a module that uses lxml (or parsel, which wraps it).
        ("xpath", _) if semantic.has_any_import(&["lxml", "parsel", "scrapy"]) => {
            Some((argument(call, 0, "_path")?, Severity::High))
        }
        // `find*` only on elements known to come from an XML library (`str.find` exists).
        ("find" | "findall" | "findtext" | "iterfind", ["xml" | "defusedxml" | "lxml", ..])
            if is_element(segments) =>
        {
            Some((argument(call, 0, "path")?, Severity::Medium))
        }
        _ => None,
    }
}

/// True when the receiver of a `find*` method is an element or a tree: the result of a
/// parse, `getroot()`, `find()` or an element factory (not `tostring(...)`, which is bytes).
fn is_element(segments: &[&str]) -> bool {
    let receiver = &segments[..segments.len().saturating_sub(1)];
    matches!(
        receiver,
        [
            ..,
            "parse"
                | "fromstring"
                | "XML"
                | "HTML"
                | "getroot"
                | "find"
                | "Element"
                | "SubElement"
                | "ElementTree",
            "()"
        ]
    )
}

/// How a call takes XPath variables.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Passing {
    /// lxml's `.xpath(query, name=value)`.
    Keywords,
    /// elementpath's `select(root, query, variables={"name": value})`.
    Mapping,
}

/// How `call` takes variables, when its variables can be added to it: `.xpath()` with the
/// query as its only positional argument, `elementpath.select` / `iter_select` with root and
/// query and no `variables=` yet. (An `etree.XPath` object takes them where it is called.)
fn passing<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Passing> {
    let arguments = &call.arguments;
    if arguments.keywords.iter().any(|k| k.arg.is_none()) {
        return None;
    }
    if matches!(&*call.func, Expr::Attribute(method) if method.attr.id.as_str() == "xpath") {
        return (arguments.args.len() == 1).then_some(Passing::Keywords);
    }
    let function = checker.semantic().resolve_qualified_name(&call.func)?;
    let is_select = matches!(
        function.segments(),
        ["elementpath", "select" | "iter_select"]
    );
    (is_select && arguments.args.len() == 2 && keyword(call, "variables").is_none())
        .then_some(Passing::Mapping)
}

/// `root.xpath(f"//u[@n='{name}']")` → `root.xpath("//u[@n=$name]", name=name)`, and
/// `select(root, f"...")` → `select(root, "...", variables={"name": name})`.
fn variables_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    query: &'a Expr,
    passing: Passing,
) -> Option<Fix> {
    let Expr::FString(fstring) = query else {
        return None;
    };
    let [ast::FStringPart::FString(part)] = fstring.value.as_slice() else {
        return None;
    };
    let source = checker.source();
    let text = checker.text(part);
    let prefix_len = text.find(['"', '\''])?;
    let mut literal: String = text[..prefix_len]
        .chars()
        .filter(|c| !matches!(c, 'f' | 'F'))
        .collect();
    let mut cursor = part.start() + TextSize::try_from(prefix_len).ok()?;
    let mut variables: Vec<(String, &str)> = Vec::new();
    for element in part.elements.iter() {
        let InterpolatedStringElement::Interpolation(interpolation) = element else {
            let InterpolatedStringElement::Literal(text) = element else {
                continue;
            };
            if text.value.contains(['{', '}']) {
                return None;
            }
            continue;
        };
        let plain = interpolation.conversion == ast::ConversionFlag::None
            && interpolation.format_spec.is_none()
            && interpolation.debug_text.is_none();
        let before = source.get(cursor.to_usize()..interpolation.start().to_usize())?;
        let after = source.get(interpolation.end().to_usize()..)?;
        let quote = before.chars().last().filter(|c| matches!(c, '\'' | '"'))?;
        if !plain || !after.starts_with(quote) {
            return None;
        }
        let value = checker.text(&*interpolation.expression);
        let name = variable_name(
            call,
            value,
            name_hint(&interpolation.expression),
            &variables,
        );
        literal.push_str(&before[..before.len() - 1]);
        literal.push('$');
        literal.push_str(&name);
        if !variables.iter().any(|(_, seen)| *seen == value) {
            variables.push((name, value));
        }
        cursor = interpolation.end() + TextSize::from(1);
    }
    literal.push_str(source.get(cursor.to_usize()..part.end().to_usize())?);
    let added = match passing {
        Passing::Keywords => variables
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join(", "),
        Passing::Mapping => format!(
            "variables={{{}}}",
            variables
                .iter()
                .map(|(name, value)| format!("\"{name}\": {value}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let edits = vec![
        Edit::replace(query.range(), literal),
        add_keyword_argument(source, call, &added)?,
    ];
    Some(Fix::unsafe_edits(
        "Pass the values as XPath variables",
        edits,
    ))
}

/// The XPath variable that carries `value`: the one already made for the same text, or a
/// new one named after where the value is read from (`name`, `request.args["name"]`,
/// `user.name`), `value` otherwise, numbered when taken.
fn variable_name(
    call: &ast::ExprCall,
    value: &str,
    hint: Option<&str>,
    taken: &[(String, &str)],
) -> String {
    if let Some((name, _)) = taken.iter().find(|(_, seen)| *seen == value) {
        return name.clone();
    }
    let usable = |name: &str| {
        !XPATH_KEYWORDS.contains(&name)
            && !PYTHON_KEYWORDS.contains(&name)
            && keyword(call, name).is_none()
            && !taken.iter().any(|(other, _)| other == name)
    };
    let hint = hint
        .filter(|hint| hint.starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or("value");
    let mut name = hint.to_string();
    let mut counter = 2;
    while !usable(&name) {
        name = format!("{hint}_{counter}");
        counter += 1;
    }
    name
}
