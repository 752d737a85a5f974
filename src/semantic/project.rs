//! The project around a module: what the other modules checked with it define.
//!
//! When the CLI checks several files, it names each one's module (`app/settings.py` is
//! `app.settings`) and builds a [`ProjectIndex`] of them before any is checked. Each module
//! has a [`ModuleSummary`]: what every name bound at its top level is known to be (a
//! constant, another name it re-exports, or nothing known), its star imports, and its
//! functions. The semantic model asks the index through a [`ProjectModule`] (the module being
//! checked, for relative imports) when a name is imported from another project module:
//! `from .settings import SECRET`, `from app import settings; settings.SECRET`.
//!
//! A summary is worked out once, from the module's top-level statements alone (never from
//! another summary, so filling one never waits on another): by `ProjectModule::fill` when
//! the module itself is checked, from the tree already parsed for it, or on first use by a
//! module that imports it, from its source, whichever comes first. Both give the same
//! summary, so what is found never depends on the order in which files are checked.
//! Re-exports are chased when asked, at most `MAX_HOPS` (16) of them.
//!
//! Why not parse every file in a first pass: parsing is about half of all the work, and a
//! second parse of each file cost 60% more CPU on CPython's standard library; keeping every
//! parsed tree until the end would hold gigabytes for a large tree. Filling summaries from
//! the parse the check does anyway, as here, costs about 2% more instructions on the
//! standard library with its site-packages (11,659 files), half of it the ~100 modules
//! someone asked about before they were checked (parsed a second time).
//!
//! Without an index (the browser, a single file, standard input) the model analyses the
//! module alone, as before.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap as HashMap;

use super::MAX_FOLLOW_DEPTH;
use crate::parse::ast::{self, Expr, Number, Operator, Stmt};

/// How many re-exports and star imports one question follows.
const MAX_HOPS: usize = 16;

/// How deep compound statements (`if`, `try`, ...) at module level are searched for bindings.
const MAX_STATEMENT_DEPTH: usize = 64;

/// The text a module's constants may build by `+` beyond the length of its source: `B = A
/// + A` a few dozen times over would otherwise build gigabytes from a few lines.
const MAX_BUILT_BYTES: usize = 1 << 20;

/// Reads a project file's source for its summary; `None` when it cannot be read (nothing is
/// then known about the module).
pub type LoadSource = dyn Fn(&Path) -> Option<String> + Send + Sync;

/// One file of the project, as the caller names it.
#[derive(Debug, Clone)]
pub struct ProjectFile {
    pub path: PathBuf,
    /// The dotted module name relative imports start from (`app.views`).
    pub name: String,
    /// Other names the module is imported by (a namespace package seen from the checked
    /// folder, say). Two files claiming one name make it mean neither.
    pub aliases: Vec<String>,
    /// An `__init__.py`: relative imports start from the package itself.
    pub is_package: bool,
}

/// The modules of a project, by dotted name, and what each one defines.
pub struct ProjectIndex {
    files: Vec<IndexedFile>,
    /// `None` when two files claim the name.
    by_name: HashMap<String, Option<usize>>,
    /// The first part of every module's name: a name imported from elsewhere (`os.path`)
    /// is told apart without building its dotted name.
    roots: rustc_hash::FxHashSet<String>,
    load: Box<LoadSource>,
    /// What other modules pass to this one's functions, found on demand.
    callers: callers::Callers,
}

struct IndexedFile {
    file: ProjectFile,
    /// `name` split at its dots.
    segments: Vec<String>,
    summary: OnceLock<ModuleSummary>,
}

impl std::fmt::Debug for ProjectIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectIndex")
            .field("modules", &self.files.len())
            .finish()
    }
}

impl ProjectIndex {
    /// An index of `files`; `load` reads a file's source when a summary is needed before the
    /// file is checked.
    pub fn new(files: Vec<ProjectFile>, load: Box<LoadSource>) -> Arc<Self> {
        // A file's own name wins over another's alias; two names or two aliases alike
        // make the name mean neither file.
        let mut claims: HashMap<&str, (Option<usize>, bool)> = HashMap::default();
        for (index, file) in files.iter().enumerate() {
            let names = std::iter::once((&file.name, true))
                .chain(file.aliases.iter().map(|alias| (alias, false)));
            for (name, is_own) in names {
                claims
                    .entry(name.as_str())
                    .and_modify(|(claimed, claimed_as_own)| {
                        if *claimed == Some(index) {
                            *claimed_as_own |= is_own;
                        } else if is_own && !*claimed_as_own {
                            *claimed = Some(index);
                            *claimed_as_own = true;
                        } else if is_own == *claimed_as_own {
                            *claimed = None;
                        }
                    })
                    .or_insert((Some(index), is_own));
            }
        }
        let by_name: HashMap<String, Option<usize>> = claims
            .into_iter()
            .map(|(name, (claimed, _))| (name.to_string(), claimed))
            .collect();
        let roots = by_name
            .keys()
            .map(|name| name.split('.').next().unwrap_or_default().to_string())
            .collect();
        let files = files
            .into_iter()
            .map(|file| IndexedFile {
                segments: file.name.split('.').map(str::to_string).collect(),
                file,
                summary: OnceLock::new(),
            })
            .collect();
        Arc::new(Self {
            files,
            by_name,
            roots,
            load,
            callers: callers::Callers::default(),
        })
    }

    /// The `file`-th file given to [`Self::new`], as the module being checked.
    pub fn module(self: &Arc<Self>, file: usize) -> Option<ProjectModule> {
        (file < self.files.len()).then(|| ProjectModule {
            index: Arc::clone(self),
            file,
        })
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file of the module named `segments` (`["app", "settings"]`).
    fn file_named(&self, segments: &[&str]) -> Option<usize> {
        let name = segments.join(".");
        self.by_name.get(&name).copied().flatten()
    }

    /// The summary of a file, worked out from its source if its own check has not yet.
    fn summary(&self, file: usize) -> &ModuleSummary {
        let indexed = &self.files[file];
        indexed.summary.get_or_init(|| {
            let Some(source) = (self.load)(&indexed.file.path) else {
                return ModuleSummary::default();
            };
            let parsed = crate::parse::parse_module(&source);
            let summary =
                ModuleSummary::of(&parsed.body, &indexed.segments, indexed.file.is_package);
            crate::parse::free_tree(parsed.body, parsed.nesting_bound);
            summary
        })
    }

    /// What the name `path` (absolute: `["app", "settings", "SECRET"]`) is, following
    /// re-exports and star imports while `hops` last.
    fn find<'s: 'p, 'p>(&'s self, path: &[&'p str], hops: &mut usize) -> Found<'s> {
        if *hops == 0 {
            return Found::Unknown;
        }
        *hops -= 1;
        // The longest prefix that names a project module, with a member after it.
        let Some((file, rest)) = (1..path.len())
            .rev()
            .find_map(|len| Some((self.file_named(&path[..len])?, &path[len..])))
        else {
            return Found::Missing;
        };
        let summary = self.summary(file);
        let (first, more) = (rest[0], &rest[1..]);
        if let (Some(function), true) = (summary.function(first), more.is_empty()) {
            return Found::Function(function);
        }
        match summary.member(first) {
            Some(Member::Constant(constant)) if more.is_empty() => Found::Constant(constant),
            Some(Member::Alias(target)) => {
                let chased: Vec<&str> = target.split('.').chain(more.iter().copied()).collect();
                match self.find(&chased, hops) {
                    Found::Missing => Found::Unknown,
                    found => found,
                }
            }
            Some(_) => Found::Unknown,
            // Not bound in the module itself: from the last star import that binds it.
            None if first.starts_with('_') => Found::Missing,
            None => {
                for star in summary.star_imports().rev() {
                    let chased: Vec<&str> = star.split('.').chain(rest.iter().copied()).collect();
                    match self.find(&chased, hops) {
                        Found::Missing => continue,
                        found => return found,
                    }
                }
                Found::Missing
            }
        }
    }
}

/// The answer to a question about a name: a constant, bound to something else, or not bound
/// (when another star import may still bind it).
enum Found<'s> {
    Constant(Constant<'s>),
    Function(&'s FunctionSummary),
    Unknown,
    Missing,
}

/// A module being checked, in its project.
#[derive(Clone)]
pub struct ProjectModule {
    index: Arc<ProjectIndex>,
    file: usize,
}

impl std::fmt::Debug for ProjectModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ProjectModule").field(&self.name()).finish()
    }
}

impl ProjectModule {
    /// The dotted name of the module.
    pub fn name(&self) -> &str {
        &self.indexed().file.name
    }

    pub fn index(&self) -> &Arc<ProjectIndex> {
        &self.index
    }

    fn indexed(&self) -> &IndexedFile {
        &self.index.files[self.file]
    }

    /// Works out this module's summary from its parsed tree, unless another module asked
    /// for it first (the summary is then the same, made from the same source).
    pub(crate) fn fill(&self, body: &[Stmt]) {
        let indexed = self.indexed();
        indexed
            .summary
            .get_or_init(|| ModuleSummary::of(body, &indexed.segments, indexed.file.is_package));
    }

    /// False when `segments` cannot name a member of a project module: absolute, and its
    /// first part is no module's.
    fn may_name_a_module(&self, segments: &[&str]) -> bool {
        match segments.first() {
            Some(&".") => true,
            Some(first) => self.index.roots.contains(*first),
            None => false,
        }
    }

    /// The summary of this module.
    pub fn summary(&self) -> &ModuleSummary {
        self.index.summary(self.file)
    }

    /// The constant that a name of another project module holds: `segments` as an import
    /// binds them, absolute (`["app", "settings", "SECRET"]`) or relative to this module
    /// (`[".", "settings", "SECRET"]`). `None` for anything outside the project, not bound
    /// once to a constant, or further than `MAX_HOPS` re-exports away.
    pub fn constant(&self, segments: &[&str]) -> Option<Constant<'_>> {
        match self.find(segments)? {
            Found::Constant(constant) => Some(constant),
            Found::Function(_) | Found::Unknown | Found::Missing => None,
        }
    }

    /// The summary of a function of another project module, named as [`Self::constant`]'s
    /// names are.
    pub fn function(&self, segments: &[&str]) -> Option<&FunctionSummary> {
        match self.find(segments)? {
            Found::Function(function) => Some(function),
            _ => None,
        }
    }

    /// What `segments`, as this module's imports name them, are in the project.
    fn find(&self, segments: &[&str]) -> Option<Found<'_>> {
        if !self.may_name_a_module(segments) {
            return None;
        }
        let indexed = self.indexed();
        let path = absolute(&indexed.segments, indexed.file.is_package, segments)?;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let mut hops = MAX_HOPS;
        Some(self.index.find(&path, &mut hops))
    }
}

/// `segments` made absolute from the module `module`: `from ..x import y` (`[".", ".", "x",
/// "y"]`) in the module `app.sub.views` is `app.x.y`, and in the package `app.sub` (its
/// `__init__.py`) too. `None` when the dots climb above the top package.
pub fn absolute(module: &[String], is_package: bool, segments: &[&str]) -> Option<Vec<String>> {
    let level = segments
        .iter()
        .take_while(|segment| **segment == ".")
        .count();
    let rest = segments[level..].iter().map(|segment| segment.to_string());
    if level == 0 {
        return Some(rest.collect());
    }
    // The package a relative import starts from: the module's own, or itself for a package.
    let package_len = if is_package {
        module.len()
    } else {
        module.len().checked_sub(1)?
    };
    let base_len = package_len.checked_sub(level - 1)?;
    if base_len == 0 {
        return None;
    }
    Some(module[..base_len].iter().cloned().chain(rest).collect())
}

/// What a module's top level defines, as far as other modules can see.
///
/// Kept for every module of the project while it is checked, so it is compact: the text of
/// every name, module name and constant string in one string, and the names sorted beside it.
#[derive(Debug, Default)]
pub struct ModuleSummary {
    text: String,
    /// Every name bound at the top level (also inside `if`, `try`, `with`, loops), sorted.
    names: Vec<(Span, Stored)>,
    /// `from m import *`, in source order, as absolute dotted module names.
    star_imports: Vec<Span>,
    /// The module-level functions, by name: their parameters and what they return, so a
    /// call into another module can be followed the way a local call is.
    pub functions: HashMap<String, FunctionSummary>,
}

/// What is known about a module-level function from outside its module (see
/// [`ModuleSummary::functions`]): its parameters, and, when it has exactly one `return`
/// with a value, which parameters reach that value and the string it returns when that is
/// built from text and parameters only (`def build_query(name): return f"SELECT ...
/// '{name}'"`).
#[derive(Debug, Default, Clone)]
pub struct FunctionSummary {
    /// The parameters that can be passed by position, in order, then the keyword-only ones.
    pub parameters: Vec<String>,
    /// False when the function has no `return` with a value, or more than one: what it
    /// returns is then not summarised (`returned` and `template` are empty).
    pub returns_known: bool,
    /// The parameters (indexes into `parameters`) the returned value is built from.
    pub returned: Vec<usize>,
    /// The returned string, piece by piece, when it is built from text and parameters.
    pub template: Option<Vec<Piece>>,
}

/// A piece of the string a project function returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// The argument passed for the parameter at this index.
    Parameter(usize),
}

/// Returned strings of project functions are summarised up to this many pieces.
const MAX_PIECES: usize = 64;

impl FunctionSummary {
    /// The argument `call` passes for the parameter at `index`.
    pub fn argument<'e>(&self, call: &'e ast::ExprCall, index: usize) -> Option<&'e Expr> {
        let name = self.parameters.get(index)?;
        crate::semantic::calls::passed_argument(call, Some(index), name)
    }

    /// The summary of `function`.
    fn of(function: &ast::StmtFunctionDef) -> Self {
        let parameters: Vec<String> = function
            .parameters
            .posonlyargs
            .iter()
            .chain(&function.parameters.args)
            .chain(&function.parameters.kwonlyargs)
            .map(|parameter| parameter.parameter.name.id.to_string())
            .collect();
        let [value] = crate::semantic::calls::returned_values(function)[..] else {
            return FunctionSummary {
                parameters,
                ..FunctionSummary::default()
            };
        };
        let index_of = |name: &str| parameters.iter().position(|parameter| parameter == name);
        let mut returned: Vec<usize> = crate::semantic::names_in(value)
            .into_iter()
            .filter_map(|name| match name {
                Expr::Name(name) => index_of(name.id.as_str()),
                _ => None,
            })
            .collect();
        returned.sort_unstable();
        returned.dedup();
        let mut pieces = Vec::new();
        let template = template_of(value, &index_of, &mut pieces, 0).then_some(pieces);
        FunctionSummary {
            parameters,
            returns_known: true,
            returned,
            template,
        }
    }
}

/// Appends the pieces of a string built from literals and parameters; false for anything
/// else.
fn template_of(
    expr: &Expr,
    index_of: &dyn Fn(&str) -> Option<usize>,
    pieces: &mut Vec<Piece>,
    depth: usize,
) -> bool {
    if depth > 32 || pieces.len() > MAX_PIECES {
        return false;
    }
    match expr {
        Expr::StringLiteral(literal) => {
            pieces.push(Piece::Text(literal.value.to_str().to_string()));
            true
        }
        Expr::Name(name) => index_of(name.id.as_str()).is_some_and(|index| {
            pieces.push(Piece::Parameter(index));
            true
        }),
        Expr::BinOp(binop) if binop.op == ast::Operator::Add => {
            template_of(&binop.left, index_of, pieces, depth + 1)
                && template_of(&binop.right, index_of, pieces, depth + 1)
        }
        Expr::FString(fstring) => fstring.value.iter().all(|part| match part {
            ast::FStringPart::Literal(literal) => {
                pieces.push(Piece::Text(literal.value.to_string()));
                true
            }
            ast::FStringPart::FString(fstring) => {
                fstring.elements.iter().all(|element| match element {
                    ast::InterpolatedStringElement::Literal(literal) => {
                        pieces.push(Piece::Text(literal.value.to_string()));
                        true
                    }
                    ast::InterpolatedStringElement::Interpolation(interpolation) => {
                        interpolation.format_spec.is_none()
                            && interpolation.conversion == ast::ConversionFlag::None
                            && template_of(&interpolation.expression, index_of, pieces, depth + 1)
                    }
                })
            }
        }),
        _ => false,
    }
}

/// A piece of [`ModuleSummary::text`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, Copy)]
enum Stored {
    Str(Span),
    Int(i64),
    Bool(bool),
    Alias(Span),
    Unknown,
}

/// What one top-level name is known to be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Member<'s> {
    /// Bound once, to a value known before the program runs.
    Constant(Constant<'s>),
    /// Bound once, by an import: the absolute dotted name it stands for (`from .settings
    /// import SECRET` in `app/__init__.py` is `app.settings.SECRET`).
    Alias(&'s str),
    /// Bound more than once, or to anything else.
    Unknown,
}

/// A value known before the program runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constant<'s> {
    Str(&'s str),
    Int(i64),
    Bool(bool),
}

impl ModuleSummary {
    /// The summary of the module named `module` whose top level is `body`.
    pub fn of(body: &[Stmt], module: &[String], is_package: bool) -> Self {
        let mut collector = TopLevel {
            module,
            is_package,
            bindings: HashMap::with_capacity_and_hasher(body.len(), Default::default()),
            order: Vec::with_capacity(body.len()),
            from_modules: Vec::new(),
            star_imports: Vec::new(),
            functions: Vec::new(),
        };
        collector.visit_body(body, 0);
        let TopLevel {
            mut bindings,
            order,
            from_modules,
            star_imports,
            functions,
            ..
        } = collector;
        // A function is summarised when its name is bound only by its definition.
        let functions: HashMap<String, FunctionSummary> = functions
            .into_iter()
            .filter(|(name, _)| matches!(bindings.get(name), Some(Bound::Once(_))))
            .map(|(name, summary)| (name.to_string(), summary))
            .collect();
        // In source order, so a constant built from another sees it worked out already.
        let mut constants: HashMap<&str, Value<'_>> = HashMap::default();
        let mut built_left = MAX_BUILT_BYTES.saturating_add(source_length(body));
        let mut names: Vec<(&str, Binding)> = Vec::with_capacity(order.len());
        for name in order {
            let binding = match bindings.remove(name) {
                Some(Bound::Once(Binding::Expr(expr))) => {
                    match constant_value(expr, &constants, 0, &mut built_left) {
                        Some(value) => {
                            constants.insert(name, value);
                            Binding::Expr(expr)
                        }
                        None => Binding::Other,
                    }
                }
                Some(Bound::Once(binding)) => binding,
                Some(Bound::Again) | None => Binding::Other,
            };
            names.push((name, binding));
        }
        names.sort_unstable_by_key(|(name, _)| *name);
        let mut summary = ModuleSummary::default();
        for (name, binding) in names {
            let Some(name_span) = summary.store(&[name]) else {
                continue;
            };
            let stored = match binding {
                Binding::Expr(_) => match constants.get(name) {
                    Some(Value::Str(text)) => summary.store(&[text]).map(Stored::Str),
                    Some(Value::Int(int)) => Some(Stored::Int(*int)),
                    Some(Value::Bool(value)) => Some(Stored::Bool(*value)),
                    None => None,
                },
                Binding::Module(module) => summary.store(&[module]).map(Stored::Alias),
                Binding::Member(from, member) => summary
                    .store(&[&from_modules[from], ".", member])
                    .map(Stored::Alias),
                Binding::Other => None,
            };
            summary
                .names
                .push((name_span, stored.unwrap_or(Stored::Unknown)));
        }
        for star in star_imports {
            if let Some(star) = summary.store(&[&from_modules[star]]) {
                summary.star_imports.push(star);
            }
        }
        summary.functions = functions;
        summary.text.shrink_to_fit();
        summary.names.shrink_to_fit();
        summary
    }

    /// The summary of the top-level function `name`.
    pub fn function(&self, name: &str) -> Option<&FunctionSummary> {
        self.functions.get(name)
    }

    /// Appends `pieces`, one after the other, as one text; `None` past 4 GB.
    fn store(&mut self, pieces: &[&str]) -> Option<Span> {
        let length: usize = pieces.iter().map(|piece| piece.len()).sum();
        let start = u32::try_from(self.text.len()).ok()?;
        let end = u32::try_from(self.text.len() + length).ok()?;
        for piece in pieces {
            self.text.push_str(piece);
        }
        Some(Span { start, end })
    }

    fn text(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    /// What the top-level `name` is, when the module binds it.
    pub fn member(&self, name: &str) -> Option<Member<'_>> {
        let at = self
            .names
            .binary_search_by(|(stored, _)| self.text(*stored).cmp(name))
            .ok()?;
        Some(match self.names[at].1 {
            Stored::Str(span) => Member::Constant(Constant::Str(self.text(span))),
            Stored::Int(int) => Member::Constant(Constant::Int(int)),
            Stored::Bool(value) => Member::Constant(Constant::Bool(value)),
            Stored::Alias(span) => Member::Alias(self.text(span)),
            Stored::Unknown => Member::Unknown,
        })
    }

    /// The modules imported with `from m import *`, in source order.
    pub fn star_imports(&self) -> impl DoubleEndedIterator<Item = &str> {
        self.star_imports.iter().map(|span| self.text(*span))
    }
}

fn source_length(body: &[Stmt]) -> usize {
    use crate::parse::Ranged;
    body.last().map_or(0, |stmt| stmt.end().to_usize())
}

/// A constant's value while the summary is made.
#[derive(Clone)]
enum Value<'b> {
    Str(Cow<'b, str>),
    Int(i64),
    Bool(bool),
}

/// The value of a constant expression: string, integer and boolean literals, `+` of
/// strings, and names of the module's constants worked out before it.
fn constant_value<'b>(
    expr: &'b Expr,
    values: &HashMap<&str, Value<'b>>,
    depth: usize,
    built_left: &mut usize,
) -> Option<Value<'b>> {
    if depth > MAX_FOLLOW_DEPTH {
        return None;
    }
    match expr {
        Expr::StringLiteral(literal) => Some(Value::Str(Cow::Borrowed(literal.value.to_str()))),
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: Number::Int(int),
            ..
        }) => int.as_i64().map(Value::Int),
        Expr::BooleanLiteral(literal) => Some(Value::Bool(literal.value)),
        Expr::Name(name) => {
            let value = values.get(name.id.as_str())?;
            if let Value::Str(text) = value {
                *built_left = built_left.checked_sub(text.len())?;
            }
            Some(value.clone())
        }
        Expr::BinOp(binop) if binop.op == Operator::Add => {
            let left = constant_value(&binop.left, values, depth + 1, built_left)?;
            let right = constant_value(&binop.right, values, depth + 1, built_left)?;
            match (left, right) {
                (Value::Str(left), Value::Str(right)) => {
                    *built_left = built_left.checked_sub(left.len() + right.len())?;
                    Some(Value::Str(Cow::Owned(left.into_owned() + &right)))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// How a top-level name is bound.
enum Bound<'b> {
    Once(Binding<'b>),
    Again,
}

enum Binding<'b> {
    Expr(&'b Expr),
    /// `import a.b as c` (`a.b`), `import a.b` (`a`).
    Module(&'b str),
    /// `from m import name`: `m` (its place in [`TopLevel::from_modules`]) and `name`.
    Member(usize, &'b str),
    Other,
}

/// The walk over a module's top level (not into functions or classes).
struct TopLevel<'b, 'm> {
    module: &'m [String],
    is_package: bool,
    bindings: HashMap<&'b str, Bound<'b>>,
    /// The names in the order they are first bound.
    order: Vec<&'b str>,
    /// The absolute dotted name of the module of each `from m import ...`.
    from_modules: Vec<String>,
    /// `from m import *`: places in `from_modules`, in source order.
    star_imports: Vec<usize>,
    /// The summaries of the functions defined at the top level.
    functions: Vec<(&'b str, FunctionSummary)>,
}

impl<'b> TopLevel<'b, '_> {
    fn bind(&mut self, name: &'b str, value: Binding<'b>) {
        match self.bindings.get_mut(name) {
            Some(bound) => *bound = Bound::Again,
            None => {
                self.bindings.insert(name, Bound::Once(value));
                self.order.push(name);
            }
        }
    }

    /// Binds every name in an assignment target (only a plain name keeps its value).
    fn bind_target(&mut self, target: &'b Expr, value: Option<&'b Expr>, depth: usize) {
        match target {
            Expr::Name(name) => {
                let value = value.map_or(Binding::Other, Binding::Expr);
                self.bind(name.id.as_str(), value);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. })
                if depth < MAX_STATEMENT_DEPTH =>
            {
                for target in elts {
                    self.bind_target(target, None, depth + 1);
                }
            }
            Expr::Starred(starred) if depth < MAX_STATEMENT_DEPTH => {
                self.bind_target(&starred.value, None, depth + 1)
            }
            _ => {}
        }
    }

    fn visit_body(&mut self, body: &'b [Stmt], depth: usize) {
        if depth >= MAX_STATEMENT_DEPTH {
            return;
        }
        for stmt in body {
            self.visit_stmt(stmt, depth + 1);
        }
    }

    fn visit_stmt(&mut self, stmt: &'b Stmt, depth: usize) {
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.bind_target(target, Some(&assign.value), depth);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.bind_target(&assign.target, Some(value), depth);
                }
            }
            Stmt::AugAssign(assign) => self.bind_target(&assign.target, None, depth),
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.bind_target(target, None, depth);
                }
            }
            Stmt::FunctionDef(function) => {
                self.bind(function.name.id.as_str(), Binding::Other);
                if depth == 1 {
                    let summary = FunctionSummary::of(function);
                    self.functions.push((function.name.id.as_str(), summary));
                }
            }
            Stmt::ClassDef(class) => self.bind(class.name.id.as_str(), Binding::Other),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.id.as_str();
                    match &alias.asname {
                        // `import a.b as c`: c is a.b
                        Some(asname) => self.bind(asname.id.as_str(), Binding::Module(module)),
                        // `import a.b`: binds `a`, the module a
                        None => {
                            let root = module.split('.').next().unwrap_or(module);
                            self.bind(root, Binding::Module(root));
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => self.visit_import_from(import),
            Stmt::If(if_stmt) => {
                self.visit_body(&if_stmt.body, depth);
                for clause in &if_stmt.elif_else_clauses {
                    self.visit_body(&clause.body, depth);
                }
            }
            Stmt::For(for_loop) => {
                self.bind_target(&for_loop.target, None, depth);
                self.visit_body(&for_loop.body, depth);
                self.visit_body(&for_loop.orelse, depth);
            }
            Stmt::While(while_loop) => {
                self.visit_body(&while_loop.body, depth);
                self.visit_body(&while_loop.orelse, depth);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(target) = &item.optional_vars {
                        self.bind_target(target, None, depth);
                    }
                }
                self.visit_body(&with.body, depth);
            }
            Stmt::Try(try_stmt) => {
                self.visit_body(&try_stmt.body, depth);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(name) = &handler.name {
                        self.bind(name.id.as_str(), Binding::Other);
                    }
                    self.visit_body(&handler.body, depth);
                }
                self.visit_body(&try_stmt.orelse, depth);
                self.visit_body(&try_stmt.finalbody, depth);
            }
            Stmt::Match(match_stmt) => {
                for case in &match_stmt.cases {
                    self.visit_body(&case.body, depth);
                }
            }
            _ => {}
        }
    }

    fn visit_import_from(&mut self, import: &'b ast::StmtImportFrom) {
        let level = usize::try_from(import.level).unwrap_or(usize::MAX);
        let mut written: Vec<&str> = vec!["."; level.min(MAX_STATEMENT_DEPTH)];
        if let Some(module) = &import.module {
            written.extend(module.id.as_str().split('.'));
        }
        let from = absolute(self.module, self.is_package, &written).map(|from| {
            self.from_modules.push(from.join("."));
            self.from_modules.len() - 1
        });
        for alias in &import.names {
            let member = alias.name.id.as_str();
            if member == "*" {
                self.star_imports.extend(from);
                continue;
            }
            let bound = alias.asname.as_ref().unwrap_or(&alias.name).id.as_str();
            let binding = match from {
                Some(from) => Binding::Member(from, member),
                None => Binding::Other,
            };
            self.bind(bound, binding);
        }
    }
}

mod callers;
#[cfg(test)]
mod tests;

pub use callers::PassedIn;
