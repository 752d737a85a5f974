use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::argument;

use super::xml_fix::{defused_at_start_up, defused_fix, lxml_parser_fix, refuse_entities_fix};
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
    /// - lxml's `fromstring`, `XML`, `parse`, `iterparse` on a document from the request with
    ///   the default options: medium (before lxml 5.0 it reads local files named by external entities);
    ///   with a parser that resolves entities: high.
    /// - An XML-RPC server (`SimpleXMLRPCServer`, `DocXMLRPCServer`) in a module that does not
    ///   use `defusedxml.xmlrpc`: low; an XML-RPC client whose URL comes from the request:
    ///   medium.
    ///
    /// A constant document, a file of your own, or a parser made with
    /// `resolve_entities=False` is not flagged; Bandit and Ruff flag every call. Nor are the
    /// standard library's parsers in a module that calls `defusedxml.defuse_stdlib()` (or,
    /// for XML-RPC, `defusedxml.xmlrpc.monkey_patch()`) at its top level. Bandit's import
    /// checks (B405–B409, B411) flag `import xml.etree...` itself; this rule stands for them
    /// by judging what is parsed, so an import alone is never reported.
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
    /// entities. lxml's parse functions get `parser=lxml.etree.XMLParser(resolve_entities=False)`
    /// (`iterparse` gets `resolve_entities=False`),
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
        ],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
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
        ["lxml", "etree", "XMLParser" | "XMLPullParser"] => {
            check_lxml_options(checker, call);
        }
        ["xmlrpc", "server", server] | ["SimpleXMLRPCServer" | "DocXMLRPCServer", server]
            if is_xmlrpc_server(server) =>
        {
            let patched = defused_at_start_up(checker, &["defusedxml", "xmlrpc", "monkey_patch"])
                || defused_at_start_up(checker, &["defusedxml", "defuse_stdlib"]);
            if !patched {
                let message = format!(
                    "`{server}` parses the XML of every client with expat; a Python built with expat older than 2.4.1 expands nested entities until memory runs out (call `defusedxml.xmlrpc.monkey_patch()`)"
                );
                let finding = Finding::new(&XML_EXTERNAL_ENTITIES, call.range(), message)
                    .with_cwe(ENTITY_EXPANSION)
                    .with_severity(Severity::Low)
                    .with_confidence(Confidence::Medium);
                checker.report(finding);
            }
        }
        ["xmlrpc", "client", "ServerProxy"] | ["xmlrpclib", "ServerProxy"] => {
            check_xmlrpc_client(checker, call);
        }
        segments => {
            let Some(parse) = xml_parse(segments) else {
                return;
            };
            // `iterparse(source, resolve_entities=True)`: the options are the finding.
            if parse.takes_options && check_lxml_options(checker, call) {
                return;
            }
            check_parse(checker, call, &parse);
        }
    }
}

/// A document that makes the parser read files or fetch URLs.
const EXTERNAL_ENTITIES: &[u32] = &[611];
/// A document whose entities expand until memory runs out.
const ENTITY_EXPANSION: &[u32] = &[776];

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
    checker.report(
        Finding::new(&XML_EXTERNAL_ENTITIES, call.range(), message)
            .with_cwe(EXTERNAL_ENTITIES)
            .with_fix(fix),
    );
}

/// `etree.XMLParser(resolve_entities=True, ...)` and the same options on `iterparse`.
fn check_lxml_options<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let risks = lxml_risks(checker, call);
    let Some((worst, _)) = risks.first() else {
        return false;
    };
    let name = checker.text(&*call.func);
    let (effect, severity, cwe): (_, _, &[u32]) = match worst {
        LxmlRisk::Network => (
            "fetches entities and DTDs over the network: a document can read local files and make your server call any URL (XXE)",
            Severity::High,
            EXTERNAL_ENTITIES,
        ),
        LxmlRisk::Entities => (
            "resolves external entities: a document can make it read local files (XXE)",
            Severity::High,
            EXTERNAL_ENTITIES,
        ),
        LxmlRisk::ExternalDtd => (
            "loads the document's external DTD from disk, which can define entities and reveals which files exist",
            Severity::Medium,
            &[827, 611],
        ),
        LxmlRisk::Unbounded => (
            "turns off libxml2's limits on depth and size (`huge_tree=True`), so a crafted document can exhaust memory",
            Severity::Medium,
            ENTITY_EXPANSION,
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
            .with_cwe(cwe)
            .with_fix(fix),
    );
    true
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
    if parse.family == Family::Expat
        && defused_at_start_up(checker, &["defusedxml", "defuse_stdlib"])
    {
        return;
    }
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
        (Family::Lxml, None) => {
            if parse.takes_options && refuses_entities(checker, call) {
                return;
            }
            let fix = if parse.takes_options {
                refuse_entities_fix(checker, call)
            } else {
                lxml_parser_fix(checker, call)
            };
            (
                Severity::Medium,
                format!("`{function}` parses XML from the request with lxml's default options, which before lxml 5.0 read local files named by external entities (XXE)"),
                fix,
            )
        }
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
        elsewhere: None,
    });
    // Expat only expands entities; lxml also resolves external ones.
    let cwe = match parse.family {
        Family::Expat => ENTITY_EXPANSION,
        Family::Lxml => EXTERNAL_ENTITIES,
    };
    checker.report(
        Finding::new(&XML_EXTERNAL_ENTITIES, call.range(), message)
            .with_severity(severity)
            .with_cwe(cwe)
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
        elsewhere: None,
    });
    let message = "The XML-RPC client parses the answers of a server the request chose: a hostile server can send nested entities or a compressed bomb that exhaust memory";
    checker.report(
        Finding::new(&XML_EXTERNAL_ENTITIES, call.range(), message)
            .with_cwe(ENTITY_EXPANSION)
            .with_severity(Severity::Medium)
            .with_trace(trace),
    );
}

#[cfg(test)]
mod tests {
    use crate::{analyze, Options};

    fn findings(source: &str) -> usize {
        let options = Options {
            select: vec!["PV310".to_string()],
            ..Options::default()
        };
        analyze(source, &options).findings.len()
    }

    #[test]
    fn defusing_the_standard_library_at_start_up_covers_its_parsers_not_lxml() {
        let view = "from flask import request\nfrom lxml import etree\nimport xml.etree.ElementTree as ET\nfrom xmlrpc.server import SimpleXMLRPCServer\n\ndef upload():\n    return ET.fromstring(request.data), etree.fromstring(request.data)\n\nserver = SimpleXMLRPCServer(('localhost', 8000))\n";
        assert_eq!(findings(view), 3);
        let defused = format!("import defusedxml\ndefusedxml.defuse_stdlib()\n{view}");
        assert_eq!(findings(&defused), 1);
        let patched = format!("import defusedxml.xmlrpc\ndefusedxml.xmlrpc.monkey_patch()\n{view}");
        assert_eq!(findings(&patched), 2);
    }
}
