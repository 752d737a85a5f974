//! The rewrites for XML parsing: `defusedxml` namesakes of the standard library's parse
//! functions, and an lxml parser that leaves entities alone; and whether the module defuses
//! the standard library at start-up.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::fix::add_keyword_argument;
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::semantic::keyword;

use super::xml_parsers::XmlParse;

/// True when the module calls `function` (`defusedxml.defuse_stdlib`,
/// `defusedxml.xmlrpc.monkey_patch`) in a statement of its own at its top level, which
/// patches the standard library's parsers for the whole process.
pub fn defused_at_start_up(checker: &Checker, function: &[&str]) -> bool {
    let semantic = checker.semantic();
    semantic.body().iter().any(|stmt| {
        let Stmt::Expr(statement) = stmt else {
            return false;
        };
        let Expr::Call(call) = &*statement.value else {
            return false;
        };
        semantic
            .resolve_qualified_name(&call.func)
            .is_some_and(|name| name.segments() == function)
    })
}

/// `ET.fromstring(doc)` → `defusedxml.ElementTree.fromstring(doc)`, when no parser of
/// one's own is passed (defusedxml would use it as given).
pub fn defused_fix<'a>(
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
    let (name, import) = checker.import_module(module, call.start());
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
pub fn lxml_parser_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Fix> {
    if call.arguments.args.len() > 1 || call.arguments.args.iter().any(Expr::is_starred_expr) {
        return None;
    }
    let (etree, import) = checker.import_module("lxml.etree", call.start());
    let parser = format!("parser={etree}.XMLParser(resolve_entities=False)");
    let mut edits = vec![add_keyword_argument(checker.source(), call, &parser)?];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Parse with a parser that does not resolve entities",
        edits,
    ))
}

/// `etree.iterparse(doc)` → `etree.iterparse(doc, resolve_entities=False)`.
pub fn refuse_entities_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Fix> {
    let keywords = &call.arguments.keywords;
    if keywords.iter().any(|k| k.arg.is_none()) || keyword(call, "resolve_entities").is_some() {
        return None;
    }
    let edit = add_keyword_argument(checker.source(), call, "resolve_entities=False")?;
    Some(Fix::unsafe_edits(
        "Leave external entities unresolved",
        vec![edit],
    ))
}
