use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity, TraceStep};
use crate::fix::add_keyword_argument;
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, Owasp, Source};
use crate::rules::flow::import_for_fix;
use crate::rules::{Check, Rule};
use crate::semantic::argument;

use super::xml_parsers::{
    is_external_entities_feature, lxml_parser_call, lxml_risks, refuses_entities, xml_parse,
    Family, LxmlRisk, XmlParse,
};

declare_rule! {
    /// ## What it does
    /// Flags XML parsing that entity tricks can abuse: parsers configured to resolve
    /// external entities, and documents from the request parsed without `defusedxml`.
    ///
    /// Rated by what the parser does with today's defaults:
    /// - SAX with `setFeature(feature_external_ges, True)` (or `feature_external_pes`), and
    ///   lxml's `XMLParser` / `iterparse` with `resolve_entities=True` or
    ///   `no_network=False`, read files and URLs named in the document: high.
    ///   `load_dtd=True`, `dtd_validation=True` (the DTD is read from disk) and
    ///   `huge_tree=True` (libxml2's size limits off): medium.
    /// - The standard library's parsers (`xml.etree.ElementTree`, `xml.dom.minidom`,
    ///   `xml.dom.pulldom`, `xml.sax`) on a document from the request: medium. Since
    ///   Python 3.7.1 they leave external entities alone, and expat 2.4.1 and later caps
    ///   entity expansion, but a Python built with an older system expat still expands
    ///   "billion laughs" until memory runs out.
    /// - lxml's `fromstring`, `XML`, `parse` on a document from the request with the default
    ///   parser: medium (before lxml 5.0 it reads local files named by external entities);
    ///   with a parser that resolves entities: high.
    /// - An XML-RPC server (`SimpleXMLRPCServer`, `DocXMLRPCServer`) in a module that does not
    ///   use `defusedxml.xmlrpc`: low; an XML-RPC client whose URL comes from the request:
    ///   medium.
    ///
    /// A constant document, a file of your own, or a parser made with
    /// `resolve_entities=False` is not flagged; Bandit and Ruff flag every call.
    ///
    /// ## Why is this bad?
    /// A document can declare entities. An external entity
    /// (`<!ENTITY x SYSTEM "file:///etc/passwd">`) makes a resolving parser read a local file
    /// or fetch a URL and put it in the result (XXE: file disclosure and server-side request
    /// forgery). Nested entities that each repeat the one before ("billion laughs") expand a
    /// kilobyte into gigabytes and stop the process.
    ///
    /// ## Example
    /// ```python
    /// import xml.etree.ElementTree as ET
    /// from flask import request
    ///
    /// def upload():
    ///     root = ET.fromstring(request.data)
    ///     return root.findtext("total")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import defusedxml.ElementTree
    /// from flask import request
    ///
    /// def upload():
    ///     root = defusedxml.ElementTree.fromstring(request.data)
    ///     return root.findtext("total")
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. The standard library's parse functions become their `defusedxml` namesakes
    /// (same arguments), which adds a dependency and rejects documents that declare
    /// entities. lxml's parse functions get `parser=lxml.etree.XMLParser(resolve_entities=False)`,
    /// and an option that turns a protection off is turned back on: documents that relied on
    /// entities or an external DTD lose them. Calls that pass a parser of their own are not
    /// rewritten.
    ///
    /// ## References
    /// CWE-611, CWE-776, CWE-827 · OWASP A05
    pub XML_EXTERNAL_ENTITIES = RuleMeta {
        id: "PV310",
        name: "xml-external-entities",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[611, 776, 827],
        owasp: Owasp::A05,
        guideline: "deserialization",
        sources: &[
            Source::Bandit("B313"),
            Source::Bandit("B314"),
            Source::Bandit("B315"),
            Source::Bandit("B316"),
            Source::Bandit("B317"),
            Source::Bandit("B318"),
            Source::Bandit("B319"),
            Source::Bandit("B405"),
            Source::Bandit("B406"),
            Source::Bandit("B407"),
            Source::Bandit("B408"),
            Source::Bandit("B409"),
            Source::Bandit("B411"),
            Source::Ruff("S313"),
            Source::Ruff("S314"),
            Source::Ruff("S315"),
            Source::Ruff("S316"),
            Source::Ruff("S317"),
            Source::Ruff("S318"),
            Source::Ruff("S319"),
            Source::Ruff("S320"),
        ],
        fix: FixAvailability::Sometimes,
    }
}

pub static RULE: Rule = Rule {
    meta: &XML_EXTERNAL_ENTITIES,
    checks: &[Check::Call(check_call)],
    needs: &[
        "xml",
        "lxml",
        "xmlrpc",
        "SimpleXMLRPCServer",
        "DocXMLRPCServer",
        "xmlrpclib",
    ],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    if let Expr::Attribute(method) = &*call.func {
        if method.attr.id.as_str() == "setFeature" {
            check_sax_feature(checker, call);
            return;
        }
    }
    let Some(function) = checker.semantic().resolve_value_origin(&call.func) else {
        return;
    };
    match function.segments() {
        ["lxml", "etree", "XMLParser" | "XMLPullParser" | "iterparse"] => {
            check_lxml_options(checker, call);
        }
        ["xmlrpc", "server", server] | ["SimpleXMLRPCServer" | "DocXMLRPCServer", server]
            if is_xmlrpc_server(server) =>
        {
            if !uses_defused_xmlrpc(checker) {
                let message = format!(
                    "`{server}` parses the XML of every client with expat; a Python built with expat older than 2.4.1 expands nested entities until memory runs out (call `defusedxml.xmlrpc.monkey_patch()`)"
                );
                let finding = Finding::new(&XML_EXTERNAL_ENTITIES, call.range(), message)
                    .with_severity(Severity::Low)
                    .with_confidence(Confidence::Medium);
                checker.report(finding);
            }
        }
        ["xmlrpc", "client", "ServerProxy"] | ["xmlrpclib", "ServerProxy"] => {
            check_xmlrpc_client(checker, call);
        }
        segments => {
            if let Some(parse) = xml_parse(segments) {
                check_parse(checker, call, &parse);
            }
        }
    }
}

/// True when the module calls `defusedxml.xmlrpc.monkey_patch()` at its top level.
fn uses_defused_xmlrpc(checker: &Checker) -> bool {
    let semantic = checker.semantic();
    semantic.body().iter().any(|stmt| {
        matches!(stmt, Stmt::Expr(statement) if matches!(&*statement.value, Expr::Call(call)
            if semantic.resolve_qualified_name(&call.func).is_some_and(|name|
                name.segments() == ["defusedxml", "xmlrpc", "monkey_patch"])))
    })
}

fn is_xmlrpc_server(name: &str) -> bool {
    matches!(
        name,
        "SimpleXMLRPCServer" | "DocXMLRPCServer" | "MultiPathXMLRPCServer"
    )
}

/// `parser.setFeature(feature_external_ges, True)`.
fn check_sax_feature<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let (Some(feature), Some(state)) = (argument(call, 0, "name"), argument(call, 1, "state"))
    else {
        return;
    };
    let on = checker.semantic().is_true(state)
        || matches!(state, Expr::NumberLiteral(number) if checker.text(number) == "1");
    if !on || !is_external_entities_feature(checker, feature) {
        return;
    }
    let message = "The SAX parser resolves external entities: a document can make it read local files and fetch URLs (XXE)";
    let fix = Fix::unsafe_edits(
        "Leave external entities off",
        vec![Edit::replace(state.range(), "False")],
    );
    checker.report(Finding::new(&XML_EXTERNAL_ENTITIES, call.range(), message).with_fix(fix));
}

/// `etree.XMLParser(resolve_entities=True, ...)` and the same options on `iterparse`.
fn check_lxml_options<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let risks = lxml_risks(checker, call);
    let Some((worst, _)) = risks.first() else {
        return;
    };
    let name = checker.text(&*call.func);
    let (effect, severity) = match worst {
        LxmlRisk::Network => (
            "fetches entities and DTDs over the network: a document can read local files and make your server call any URL (XXE)",
            Severity::High,
        ),
        LxmlRisk::Entities => (
            "resolves external entities: a document can make it read local files (XXE)",
            Severity::High,
        ),
        LxmlRisk::ExternalDtd => (
            "loads the document's external DTD from disk, which can define entities and reveals which files exist",
            Severity::Medium,
        ),
        LxmlRisk::Unbounded => (
            "turns off libxml2's limits on depth and size (`huge_tree=True`), so a crafted document can exhaust memory",
            Severity::Medium,
        ),
    };
    let edits: Vec<Edit> = risks
        .iter()
        .filter_map(|(_, option)| match &option.value {
            Expr::BooleanLiteral(literal) => Some(Edit::replace(
                literal.range(),
                if literal.value { "False" } else { "True" },
            )),
            _ => None,
        })
        .collect();
    let fix = (edits.len() == risks.len())
        .then(|| Fix::unsafe_edits("Turn the parser's protections back on", edits));
    let message = format!("`{name}` {effect}");
    checker.report(
        Finding::new(&XML_EXTERNAL_ENTITIES, call.range(), message)
            .with_severity(severity)
            .with_fix(fix),
    );
}

/// A parse of a document from the request.
fn check_parse<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, parse: &XmlParse) {
    let semantic = checker.semantic();
    let (position, name) = parse.document;
    let Some(document) = argument(call, position, name) else {
        return;
    };
    let Some(mut trace) = semantic.request_taint_with(document, |_| false) else {
        return;
    };
    let parser = parse
        .parser
        .and_then(|(position, name)| argument(call, position, name));
    let function = checker.text(&*call.func);
    let (severity, message, fix) = match (parse.family, parser) {
        (Family::Expat, _) => (
            Severity::Medium,
            format!("`{function}` parses XML from the request with expat; a Python built with expat older than 2.4.1 expands nested entities until memory runs out"),
            defused_fix(checker, call, parse, parser.is_some()),
        ),
        (Family::Lxml, None) => (
            Severity::Medium,
            format!("`{function}` parses XML from the request with lxml's default parser, which before lxml 5.0 reads local files named by external entities (XXE)"),
            lxml_parser_fix(checker, call),
        ),
        (Family::Lxml, Some(parser)) => {
            let Some(parser_call) = lxml_parser_call(checker, parser) else {
                return;
            };
            if refuses_entities(checker, parser_call) {
                return;
            }
            let risky = lxml_risks(checker, parser_call)
                .first()
                .is_some_and(|(risk, _)| *risk >= LxmlRisk::Entities);
            if risky {
                (
                    Severity::High,
                    format!("`{function}` parses XML from the request with a parser that resolves external entities: the client can read your files (XXE)"),
                    None,
                )
            } else {
                (
                    Severity::Medium,
                    format!("`{function}` parses XML from the request with a parser that, before lxml 5.0, reads local files named by external entities (XXE)"),
                    None,
                )
            }
        }
    };
    trace.push(TraceStep {
        message: "it is parsed as XML".to_string(),
        range: document.range(),
    });
    checker.report(
        Finding::new(&XML_EXTERNAL_ENTITIES, call.range(), message)
            .with_severity(severity)
            .with_trace(trace)
            .with_fix(fix),
    );
}

/// `xmlrpc.client.ServerProxy(url)` with a URL from the request: that server's answers are
/// parsed with expat.
fn check_xmlrpc_client<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(url) = argument(call, 0, "uri") else {
        return;
    };
    let Some(mut trace) = checker.semantic().request_taint_with(url, |_| false) else {
        return;
    };
    trace.push(TraceStep {
        message: "the XML-RPC client talks to that server".to_string(),
        range: url.range(),
    });
    let message = "The XML-RPC client parses the answers of a server the request chose: a hostile server can send nested entities or a compressed bomb that exhaust memory";
    checker.report(
        Finding::new(&XML_EXTERNAL_ENTITIES, call.range(), message)
            .with_severity(Severity::Medium)
            .with_trace(trace),
    );
}

/// `ET.fromstring(doc)` → `defusedxml.ElementTree.fromstring(doc)`, when no parser of
/// one's own is passed (defusedxml would use it as given).
fn defused_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    parse: &XmlParse,
    has_parser: bool,
) -> Option<Fix> {
    let module = parse.defused?;
    if has_parser || call.arguments.keywords.iter().any(|k| k.arg.is_none()) {
        return None;
    }
    let qualified = checker.semantic().resolve_qualified_name(&call.func)?;
    let function = *qualified.segments().last()?;
    let (name, import) = import_for_fix(checker, module, call.start())?;
    let mut edits = vec![Edit::replace(
        call.func.range(),
        format!("{name}.{function}"),
    )];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        format!("Use `{module}.{function}`"),
        edits,
    ))
}

/// `etree.fromstring(doc)` → `etree.fromstring(doc, parser=lxml.etree.XMLParser(resolve_entities=False))`.
fn lxml_parser_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Fix> {
    if call.arguments.args.len() > 1 || call.arguments.args.iter().any(Expr::is_starred_expr) {
        return None;
    }
    let (etree, import) = import_for_fix(checker, "lxml.etree", call.start())?;
    let parser = format!("parser={etree}.XMLParser(resolve_entities=False)");
    let mut edits = vec![add_keyword_argument(checker.source(), call, &parser)?];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Parse with a parser that does not resolve entities",
        edits,
    ))
}
