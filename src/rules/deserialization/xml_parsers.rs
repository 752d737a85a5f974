//! Which calls parse XML, where they take the document and the parser, what `defusedxml`
//! offers instead, and which lxml options turn entity resolution (or its limits) back on.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::semantic::keyword;

/// A call that parses a document.
pub struct XmlParse {
    /// Which parser reads the document.
    pub family: Family,
    /// Where the document is passed: position and keyword.
    pub document: (usize, &'static str),
    /// Where a parser of your own is passed, when the function takes one.
    pub parser: Option<(usize, &'static str)>,
    /// The `defusedxml` module with a function of the same name and arguments.
    pub defused: Option<&'static str>,
    /// The call takes the parser's options itself (lxml's `iterparse`).
    pub takes_options: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `xml.etree`, `xml.dom`, `xml.sax`: expat, which since Python 3.7.1 leaves external
    /// entities alone and, from expat 2.4.1, limits entity expansion.
    Expat,
    /// `lxml.etree`: libxml2, which resolves entities unless the parser says not to.
    Lxml,
}

/// The parse a call makes, by the qualified name (or value origin) of its function.
pub fn xml_parse(segments: &[&str]) -> Option<XmlParse> {
    let expat = |document, parser, defused| {
        Some(XmlParse {
            family: Family::Expat,
            document,
            parser,
            defused,
            takes_options: false,
        })
    };
    let lxml = |document| {
        Some(XmlParse {
            family: Family::Lxml,
            document,
            parser: Some((1, "parser")),
            defused: None,
            takes_options: false,
        })
    };
    let etree = Some("defusedxml.ElementTree");
    match segments {
        ["xml", "etree", "ElementTree" | "cElementTree", function] => match *function {
            "parse" => expat((0, "source"), Some((1, "parser")), etree),
            "iterparse" => expat((0, "source"), Some((2, "parser")), etree),
            "fromstring" | "XML" => expat((0, "text"), Some((1, "parser")), etree),
            _ => None,
        },
        ["xml", "dom", module @ ("minidom" | "pulldom"), function] => {
            let defused = if *module == "minidom" {
                Some("defusedxml.minidom")
            } else {
                Some("defusedxml.pulldom")
            };
            match *function {
                "parse" if *module == "minidom" => expat((0, "file"), Some((1, "parser")), defused),
                "parse" => expat((0, "stream_or_string"), Some((1, "parser")), defused),
                "parseString" => expat((0, "string"), Some((1, "parser")), defused),
                _ => None,
            }
        }
        ["xml", "dom", "expatbuilder", "parse"] => {
            expat((0, "file"), None, Some("defusedxml.expatbuilder"))
        }
        ["xml", "dom", "expatbuilder", "parseString"] => {
            expat((0, "string"), None, Some("defusedxml.expatbuilder"))
        }
        ["xml", "sax", "parse"] => expat((0, "source"), None, Some("defusedxml.sax")),
        ["xml", "sax", "parseString"] => expat((0, "string"), None, Some("defusedxml.sax")),
        // A parser made first, then fed: `make_parser().parse(doc)`, `XMLParser().feed(data)`.
        ["xml", "sax", "make_parser", "()", "parse"]
        | ["xml", "sax", "expatreader", "create_parser", "()", "parse"] => {
            expat((0, "source"), None, None)
        }
        ["xml", "etree", "ElementTree" | "cElementTree", "XMLParser" | "XMLPullParser", "()", "feed"] => {
            expat((0, "data"), None, None)
        }
        ["lxml", "etree", "fromstring" | "XML" | "XMLID"] => lxml((0, "text")),
        ["lxml", "etree", "parse"] => lxml((0, "source")),
        ["lxml", "etree", "iterparse"] => Some(XmlParse {
            family: Family::Lxml,
            document: (0, "source"),
            parser: None,
            defused: None,
            takes_options: true,
        }),
        _ => None,
    }
}

/// What an lxml option turns on, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LxmlRisk {
    /// `huge_tree=True`: libxml2's limits on depth and size are off.
    Unbounded,
    /// `load_dtd=True` / `dtd_validation=True`: the external DTD is read from disk.
    ExternalDtd,
    /// `resolve_entities=True`: external entities are read (local files; any URL with
    /// `no_network=False`).
    Entities,
    /// `no_network=False`: entities and DTDs are fetched over the network.
    Network,
}

/// The options of an lxml parser (`XMLParser(...)`, or `iterparse(...)`, which takes them
/// itself) that turn a protection off, each with its keyword.
pub fn lxml_risks<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
) -> Vec<(LxmlRisk, &'a ast::Keyword)> {
    let semantic = checker.semantic();
    let mut risks = Vec::new();
    for (name, risk, dangerous_when) in [
        ("resolve_entities", LxmlRisk::Entities, true),
        ("no_network", LxmlRisk::Network, false),
        ("load_dtd", LxmlRisk::ExternalDtd, true),
        ("dtd_validation", LxmlRisk::ExternalDtd, true),
        ("huge_tree", LxmlRisk::Unbounded, true),
    ] {
        let Some(option) = keyword(call, name) else {
            continue;
        };
        let set = if dangerous_when {
            semantic.is_true(&option.value)
        } else {
            matches!(&option.value, Expr::BooleanLiteral(literal) if !literal.value)
        };
        if set {
            risks.push((risk, option));
        }
    }
    risks.sort_by_key(|(risk, _)| std::cmp::Reverse(*risk));
    risks
}

/// The lxml parser an expression builds: the `XMLParser(...)` call itself, or the value of a
/// name assigned once to one.
pub fn lxml_parser_call<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<&'a ast::ExprCall> {
    let semantic = checker.semantic();
    let value = match expr {
        Expr::Name(name) => semantic.assigned_value(name)?,
        other => other,
    };
    let Expr::Call(call) = value else {
        return None;
    };
    let function = semantic.resolve_qualified_name(&call.func)?;
    matches!(function.segments(), ["lxml", "etree", "XMLParser"]).then_some(call)
}

/// True when an lxml parser call turns entity resolution off (`resolve_entities=False`).
pub fn refuses_entities<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    keyword(call, "resolve_entities").is_some_and(|option| {
        matches!(&option.value, Expr::BooleanLiteral(literal) if !literal.value)
            || checker
                .semantic()
                .constant_string(&option.value)
                .is_some_and(|text| text == "internal")
    })
}

/// True when `feature` names SAX's external general or parameter entities feature.
pub fn is_external_entities_feature<'a>(checker: &Checker<'a>, feature: &'a Expr) -> bool {
    let semantic = checker.semantic();
    if let Some(name) = semantic.resolve_qualified_name(feature) {
        return matches!(
            name.segments(),
            [
                "xml",
                "sax",
                "handler",
                "feature_external_ges" | "feature_external_pes"
            ]
        );
    }
    semantic.constant_string(feature).is_some_and(|text| {
        matches!(
            text.as_str(),
            "http://xml.org/sax/features/external-general-entities"
                | "http://xml.org/sax/features/external-parameter-entities"
        )
    })
}
