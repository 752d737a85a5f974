//! The only module that names the parser crate.
//!
//! Everything else in pyvet sees the syntax tree through the re-exports below, so
//! upgrading the parser touches this file and the semantic layer, not every rule.

pub use ruff_python_ast as ast;
pub use ruff_text_size::{Ranged, TextLen, TextRange, TextSize};

use std::cell::RefCell;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::transformer::{self, Transformer};
use ruff_python_parser::{lexer, parse_unchecked_source, Mode, ParseErrorType};

/// A syntax error found while parsing. Errors are data: the rest of the tree is still analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub range: TextRange,
}

/// A parsed module: the (possibly partial) tree, the syntax errors, and where the comments are.
pub struct ParsedModule {
    pub body: Vec<ast::Stmt>,
    pub errors: Vec<SyntaxError>,
    /// Ranges of `#` comments, in source order. Comment text inside string literals is not here.
    pub comments: Vec<TextRange>,
    /// An upper bound on how deep the tree nests, from the tokens (see [`NestingBound`]);
    /// [`free_tree`] uses it to pick the fast way of freeing the tree when that is safe.
    pub nesting_bound: usize,
}

/// Parses a Python module, recovering from errors.
///
/// A source nested too deeply is refused with one syntax error (see [`NestingLimits`]): in
/// WebAssembly the parser's recursion runs on the JavaScript engine's stack (about 1 MB,
/// which nothing inside the module can grow), and natively, where the parser grows its
/// stack, nested f-strings and format specs still take quadratic time. A source too large
/// for 32-bit offsets (4 GiB) is refused too.
pub fn parse_module(source: &str) -> ParsedModule {
    if let Some(error) = size_error(source).or_else(|| refused_nesting(source)) {
        return ParsedModule {
            body: Vec::new(),
            errors: vec![error],
            comments: Vec::new(),
            nesting_bound: 0,
        };
    }
    let parsed = parse_unchecked_source(source, ast::PySourceType::Python);
    let errors = parsed
        .errors()
        .iter()
        .map(|error| SyntaxError {
            message: describe_error(&error.error),
            range: error.location,
        })
        .collect();
    let mut comments = Vec::new();
    let mut nesting = NestingBound::default();
    for token in parsed.tokens().iter() {
        if token.kind() == TokenKind::Comment {
            comments.push(token.range());
        }
        nesting.add(token.kind());
    }
    ParsedModule {
        body: parsed.into_syntax().body.into_iter().collect(),
        errors,
        comments,
        nesting_bound: nesting.bound(),
    }
}

/// Bounds the depth of a tree from its tokens, without walking the tree.
///
/// Inside one logical line every level of expression nesting takes at least one token of
/// that line (a bracket, an operator, a dot, a keyword) and adds at most a few tree levels,
/// and a statement nests inside another only through an indented block (`try` → handler →
/// body is three levels). So the longest logical line plus three per indent level bounds the
/// depth up to a small constant factor, which is all [`free_tree`] needs to know.
#[derive(Default)]
struct NestingBound {
    indent: usize,
    deepest_indent: usize,
    line_tokens: usize,
    longest_line: usize,
}

impl NestingBound {
    fn add(&mut self, kind: TokenKind) {
        match kind {
            TokenKind::Indent => {
                self.indent += 1;
                self.deepest_indent = self.deepest_indent.max(self.indent);
            }
            TokenKind::Dedent => self.indent = self.indent.saturating_sub(1),
            TokenKind::Newline => {
                self.longest_line = self.longest_line.max(self.line_tokens);
                self.line_tokens = 0;
            }
            _ => self.line_tokens += 1,
        }
    }

    fn bound(&self) -> usize {
        self.longest_line.max(self.line_tokens) + 3 * self.deepest_indent
    }
}

fn describe_error(error: &ParseErrorType) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Invalid syntax".to_string(),
    }
}

/// Above this bound a tree is freed without recursion; below it, the ordinary way (about
/// twice as fast) is safe on any stack we run on, WebAssembly's 1 MiB included. Only a few
/// dozen of the 1,790 standard library files are above it (large literal tables).
const RECURSIVE_DROP_DEPTH: usize = 1_000;

/// Frees a syntax tree without overflowing the stack, however deep it is.
///
/// Dropping a tree the ordinary way recurses once per level, and a tree can be far deeper
/// than its source looks: `x = 1 + 1 + ... + 1` with 100,000 terms parses in a loop but
/// is 100,000 nested `BinOp`s, enough to overflow a thread's stack when dropped. Deep trees
/// are taken apart instead: every node hands its children to a work list before it is
/// dropped, so each drop is shallow.
pub fn free_tree(body: Vec<ast::Stmt>, nesting_bound: usize) {
    if nesting_bound <= RECURSIVE_DROP_DEPTH {
        drop(body);
        return;
    }
    let children = Children::default();
    children.statements.borrow_mut().extend(body);
    loop {
        // Each `pop` ends its borrow before the walk pushes the popped node's children.
        let statement = children.statements.borrow_mut().pop();
        if let Some(mut statement) = statement {
            transformer::walk_stmt(&children, &mut statement);
            continue;
        }
        let expression = children.expressions.borrow_mut().pop();
        if let Some(mut expression) = expression {
            transformer::walk_expr(&children, &mut expression);
            continue;
        }
        let pattern = children.patterns.borrow_mut().pop();
        if let Some(mut pattern) = pattern {
            transformer::walk_pattern(&children, &mut pattern);
            continue;
        }
        let format_spec = children.format_specs.borrow_mut().pop();
        if let Some(mut format_spec) = format_spec {
            for element in &mut format_spec.elements {
                children.visit_interpolated_string_element(element);
            }
            continue;
        }
        break;
    }
}

/// Takes each child node out of its parent (leaving a leaf in its place) onto a work list.
#[derive(Default)]
struct Children {
    statements: RefCell<Vec<ast::Stmt>>,
    expressions: RefCell<Vec<ast::Expr>>,
    patterns: RefCell<Vec<ast::Pattern>>,
    format_specs: RefCell<Vec<ast::InterpolatedStringFormatSpec>>,
}

impl Transformer for Children {
    fn visit_stmt(&self, statement: &mut ast::Stmt) {
        let leaf = ast::Stmt::Pass(ast::StmtPass {
            node_index: ast::AtomicNodeIndex::default(),
            range: TextRange::default(),
        });
        self.statements
            .borrow_mut()
            .push(std::mem::replace(statement, leaf));
    }

    fn visit_expr(&self, expression: &mut ast::Expr) {
        let leaf = ast::Expr::NoneLiteral(ast::ExprNoneLiteral::default());
        self.expressions
            .borrow_mut()
            .push(std::mem::replace(expression, leaf));
    }

    fn visit_pattern(&self, pattern: &mut ast::Pattern) {
        let leaf = ast::Pattern::MatchStar(ast::PatternMatchStar {
            node_index: ast::AtomicNodeIndex::default(),
            range: TextRange::default(),
            name: None,
        });
        self.patterns
            .borrow_mut()
            .push(std::mem::replace(pattern, leaf));
    }

    fn visit_interpolated_string_element(&self, element: &mut ast::InterpolatedStringElement) {
        if let ast::InterpolatedStringElement::Interpolation(interpolation) = element {
            self.visit_expr(&mut interpolation.expression);
            self.format_specs
                .borrow_mut()
                .extend(interpolation.format_spec.take().map(|spec| *spec));
        }
    }
}

/// The nesting error of [`nesting_error`] with this build's limits. Natively only nested
/// f-strings and format specs cost more than linear time, and each level of those takes a
/// `{`: a source with no more `{` than the limit allows brackets is not examined further
/// (counting them is about twenty times quicker than the byte scan, which would cost the
/// standard library 8% of its analysis time).
fn refused_nesting(source: &str) -> Option<SyntaxError> {
    if cfg!(target_arch = "wasm32") {
        return nesting_error(source, NestingLimits::BROWSER);
    }
    let limits = NestingLimits::NATIVE;
    let braces = memchr::memchr_iter(b'{', source.as_bytes()).count();
    if braces <= limits.brackets {
        return None;
    }
    nesting_error(source, limits)
}

/// Offsets are 32-bit: the parser cannot take a source of 4 GiB or more.
fn size_error(source: &str) -> Option<SyntaxError> {
    size_error_for(source.len())
}

fn size_error_for(len: usize) -> Option<SyntaxError> {
    u32::try_from(len).is_err().then(|| SyntaxError {
        message: "Too large to analyse: the source is 4 GiB or more".to_string(),
        range: TextRange::default(),
    })
}

/// How deeply a source may nest before [`nesting_error`] refuses it.
#[derive(Clone, Copy, Debug)]
pub struct NestingLimits {
    /// Nested brackets (f-strings and their replacement fields count).
    pub brackets: usize,
    /// Parser recursion: indentation levels, brackets and prefix operators.
    pub recursion: usize,
    /// Nodes nested in one expression, operator chains included.
    pub expression_depth: usize,
}

impl NestingLimits {
    /// What fits in WebAssembly's stack (CPython's own limits are 200 brackets and about
    /// 3,000 nested operations).
    pub const BROWSER: Self = Self {
        brackets: MAX_BRACKETS,
        recursion: MAX_RECURSION,
        expression_depth: MAX_EXPRESSION_DEPTH,
    };

    /// Natively the parser grows its stack, so only what would take more than linear time
    /// is refused: brackets nested past CPython's own limit of 200, where f-strings nested
    /// in f-strings (or format specs in format specs) take quadratic time to parse
    /// (100,000 levels: over 20 s).
    pub const NATIVE: Self = Self {
        brackets: 200,
        recursion: usize::MAX,
        expression_depth: usize::MAX,
    };
}

/// Nested brackets refused in the browser (CPython's own limit is 200).
const MAX_BRACKETS: usize = 100;
/// Parser recursion refused in the browser: indentation levels, brackets and prefix operators.
const MAX_RECURSION: usize = 250;
/// Nodes nested in one expression refused in the browser, operator chains included
/// (CPython's compiler stops near 3,000).
const MAX_EXPRESSION_DEPTH: usize = 3000;

/// An error when `source` may nest deeper than `limits` allow, judged from its tokens alone
/// (one lexer pass, skipped when a byte scan, `surely_shallow`, already proves the source
/// shallow enough). It over-estimates on purpose.
///
/// Measured in Node 20 (984 KB of stack) once V8 has optimised the parser, one level costs
/// about 2 KB for a bracket, 1.5 KB for indentation or a prefix operator, and 72 bytes of
/// expression depth when the tree is dropped: 100 brackets and 150 other levels use under
/// half the stack. What is counted, per open bracket:
/// - recursion: the parser calls itself for brackets, indentation, prefix operators and
///   right-associative ones. Tight ones (`-x`, `~x`, `await x`, `a ** b`) end at the next
///   binary operator; loose ones (`not`, `lambda`, `yield`, `*x`, `:=`, `a if b else c`)
///   at the end of the item. Binary operators are parsed in a loop and cost nothing.
/// - expression depth: every operator, attribute and call nests one node deeper.
///
/// Everything pending restarts after `,`, `;`, `=` and at the end of a statement.
pub fn nesting_error(source: &str, limits: NestingLimits) -> Option<SyntaxError> {
    if surely_shallow(source, limits) {
        return None;
    }
    lexed_nesting_error(source, limits)
}

fn lexed_nesting_error(source: &str, limits: NestingLimits) -> Option<SyntaxError> {
    #[derive(Clone, Copy, Default)]
    struct Pending {
        tight: usize,
        loose: usize,
        depth: usize,
    }
    let mut lexer = lexer::lex(source, Mode::Module);
    let mut indent = 0usize;
    // What was pending in each enclosing bracket when it opened.
    let mut brackets: Vec<Pending> = Vec::new();
    // Over `brackets`: the sums of (recursion + 1) and of (depth + 1).
    let mut enclosing_recursion = 0usize;
    let mut enclosing_depth = 0usize;
    let mut pending = Pending::default();
    let mut after_operand = false;
    let mut after_line_break = true;
    loop {
        let kind = lexer.next_token();
        if after_operand && is_binary_operator(kind) {
            pending.tight = 0;
        }
        match kind {
            TokenKind::EndOfFile => return None,
            TokenKind::Indent => indent += 1,
            TokenKind::Dedent => indent = indent.saturating_sub(1),
            TokenKind::Lpar
            | TokenKind::Lsqb
            | TokenKind::Lbrace
            | TokenKind::FStringStart
            | TokenKind::TStringStart => {
                brackets.push(pending);
                enclosing_recursion += pending.tight + pending.loose + 1;
                enclosing_depth += pending.depth + 1;
                pending = Pending::default();
            }
            TokenKind::Rpar
            | TokenKind::Rsqb
            | TokenKind::Rbrace
            | TokenKind::FStringEnd
            | TokenKind::TStringEnd => {
                if let Some(outer) = brackets.pop() {
                    enclosing_recursion -= outer.tight + outer.loose + 1;
                    enclosing_depth -= outer.depth + 1;
                    pending = outer;
                }
                // A call or subscript on the result is one node deeper.
                pending.depth += 1;
            }
            TokenKind::Comma | TokenKind::Semi | TokenKind::Equal | TokenKind::Newline => {
                pending = Pending::default();
            }
            // A statement keyword on a new line inside a bracket means the bracket was never
            // closed (code being typed): the parser recovers there, and so do we.
            TokenKind::Def
            | TokenKind::Class
            | TokenKind::Return
            | TokenKind::Import
            | TokenKind::With
            | TokenKind::While
            | TokenKind::Try
            | TokenKind::Except
            | TokenKind::Finally
            | TokenKind::Raise
            | TokenKind::Pass
            | TokenKind::Break
            | TokenKind::Continue
            | TokenKind::Global
            | TokenKind::Nonlocal
            | TokenKind::Del
            | TokenKind::Assert
            | TokenKind::Elif
                if after_line_break =>
            {
                brackets.clear();
                enclosing_recursion = 0;
                enclosing_depth = 0;
                pending = Pending::default();
            }
            TokenKind::Minus | TokenKind::Plus | TokenKind::Tilde if !after_operand => {
                pending.tight += 1;
                pending.depth += 1;
            }
            TokenKind::DoubleStar if after_operand => {
                pending.tight += 1;
                pending.depth += 1;
            }
            TokenKind::Await => {
                pending.tight += 1;
                pending.depth += 1;
            }
            TokenKind::Star | TokenKind::DoubleStar | TokenKind::Not if !after_operand => {
                pending.loose += 1;
                pending.depth += 1;
            }
            TokenKind::If | TokenKind::Else if after_operand => {
                pending.loose += 1;
                pending.depth += 1;
            }
            TokenKind::Lambda | TokenKind::Yield | TokenKind::ColonEqual => {
                pending.loose += 1;
                pending.depth += 1;
            }
            kind if is_binary_operator(kind) || kind == TokenKind::Dot => pending.depth += 1,
            _ => {}
        }
        after_operand = matches!(
            kind,
            TokenKind::Name
                | TokenKind::Int
                | TokenKind::Float
                | TokenKind::Complex
                | TokenKind::String
                | TokenKind::True
                | TokenKind::False
                | TokenKind::None
                | TokenKind::Ellipsis
                | TokenKind::Rpar
                | TokenKind::Rsqb
                | TokenKind::Rbrace
                | TokenKind::FStringEnd
                | TokenKind::TStringEnd
                | TokenKind::Match
                | TokenKind::Case
                | TokenKind::Type
                | TokenKind::Lazy
        );
        after_line_break = matches!(
            kind,
            TokenKind::Newline
                | TokenKind::NonLogicalNewline
                | TokenKind::Indent
                | TokenKind::Dedent
        );
        let recursion = indent + enclosing_recursion + pending.tight + pending.loose;
        if brackets.len() > limits.brackets
            || recursion > limits.recursion
            || indent + enclosing_depth + pending.depth > limits.expression_depth
        {
            return Some(SyntaxError {
                message: too_deep_message(limits),
                range: TextRange::default(),
            });
        }
    }
}

fn too_deep_message(limits: NestingLimits) -> String {
    if limits.recursion == usize::MAX {
        return format!(
            "Nested too deeply to analyse: more than {} brackets inside each other, which \
             Python itself refuses",
            limits.brackets
        );
    }
    format!(
        "Nested too deeply to analyse: more than {} brackets, {} levels of blocks and \
         operators, or {} nested operations",
        limits.brackets, limits.recursion, limits.expression_depth
    )
}

/// True when one pass over the bytes proves that [`lexed_nesting_error`] finds nothing; false
/// when it cannot tell (then the lexer pass decides). A few times cheaper than lexing.
///
/// It over-counts what the lexer pass counts, so a source it calls shallow really is:
/// - every token that the lexer pass counts (an operator, a dot, a keyword, a bracket) is a
///   punctuation byte, a run of ASCII letters and digits (holding at most one keyword), or a
///   non-ASCII byte, and each of those counts one here; string literals count one;
/// - a bracket and an f-string save and restart the count as they do there; pending counts
///   restart only where the lexer's surely do too: at `,`, `;`, a lone `=`, and a line break
///   outside brackets (a line with no counted token restarts nothing that is not already 0);
/// - the indentation depth is at most the number of distinct indentation widths.
///
/// Strings are delimited the way the lexer does it (prefixes, triple quotes, backslashes).
/// Anything less plain gives up: tabs or form feeds in indentation, a backslash outside a
/// string that does not continue the line, unterminated strings, a closing bracket with
/// nothing open, and in f-strings: a backslash, comment or line break within `{}`, nested
/// f-strings, mismatched brackets, `\N{` escapes and a lone `}`.
fn surely_shallow(source: &str, limits: NestingLimits) -> bool {
    let bytes = source.as_bytes();
    let mut count = ShallowCount::default();
    // Brackets open outside f-strings: the lexer's own nesting.
    let mut depth = 0usize;
    // The distinct widths of lines that may set the indentation (bit `n`: width `n`).
    let mut widths = [0u64; 4];
    let mut at_line_start = true;
    let mut index = 0;
    while index < bytes.len() {
        if at_line_start {
            at_line_start = false;
            let spaces = bytes[index..].iter().take_while(|&&b| b == b' ').count();
            index += spaces;
            if depth == 0 {
                if spaces >= 256 || matches!(bytes.get(index), Some(b'\t' | b'\x0c' | b'\\')) {
                    return false;
                }
                widths[spaces / 64] |= 1 << (spaces % 64);
            }
            continue;
        }
        let byte = bytes[index];
        match byte {
            b' ' | b'\t' | b'\x0c' => {
                index += 1;
                while matches!(bytes.get(index), Some(b' ' | b'\t' | b'\x0c')) {
                    index += 1;
                }
                continue;
            }
            b'\n' | b'\r' => {
                index += if bytes[index..].starts_with(b"\r\n") {
                    2
                } else {
                    1
                };
                if depth == 0 {
                    count.run = 0;
                }
                at_line_start = true;
            }
            b'#' => {
                index += bytes[index..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .unwrap_or(bytes.len() - index);
            }
            b'\\' => {
                // A line continuation: the next line belongs to this one, no indentation.
                index += match &bytes[index + 1..] {
                    [b'\r', b'\n', ..] => 3,
                    [b'\n' | b'\r', ..] => 2,
                    _ => return false,
                };
            }
            b'\'' | b'"' => {
                let Some(end) = plain_string_end(bytes, index) else {
                    return false;
                };
                index = end;
                count.run += 1;
            }
            b'(' | b'[' | b'{' => {
                count.open();
                depth += 1;
                index += 1;
            }
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return false;
                }
                count.close();
                depth -= 1;
                index += 1;
            }
            b',' | b';' => {
                count.run = 0;
                index += 1;
            }
            b'=' if !(index > 0 && b"=<>!+-*/%&|^@:~".contains(&bytes[index - 1]))
                && bytes.get(index + 1) != Some(&b'=') =>
            {
                count.run = 0;
                index += 1;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => {
                let start = index;
                index = word_end(bytes, index);
                count.run += 1;
                match string_prefix(bytes, start, index) {
                    StringPrefix::None => {}
                    StringPrefix::Unsure => return false,
                    StringPrefix::Interpolated { raw } => {
                        let Some(end) =
                            interpolated_string_end(bytes, index, raw, &mut count, limits)
                        else {
                            return false;
                        };
                        index = end;
                    }
                }
            }
            _ => {
                count.run += 1;
                index += 1;
            }
        }
        if count.brackets.len() > limits.brackets || count.total() > limits.recursion {
            return false;
        }
    }
    // Each indent level is a width greater than the one below it, and none is 0.
    widths[0] &= !1;
    let indent: usize = widths.iter().map(|w| w.count_ones() as usize).sum();
    count.deepest.saturating_add(indent) <= limits.recursion
}

/// Where the run of ASCII letters, digits and underscores starting at `index` ends.
fn word_end(bytes: &[u8], mut index: usize) -> usize {
    while index < bytes.len() && IS_WORD[usize::from(bytes[index])] {
        index += 1;
    }
    index
}

/// ASCII letters, digits and `_`.
static IS_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric() || byte == b'_' as usize;
        byte += 1;
    }
    table
};

/// What [`surely_shallow`] counts: tokens since the count last restarted, and the counts
/// saved by each open bracket.
#[derive(Default)]
struct ShallowCount {
    run: usize,
    brackets: Vec<usize>,
    /// Over `brackets`: the sum of (saved count + 1).
    enclosing: usize,
    /// The largest `enclosing + run` seen.
    deepest: usize,
}

impl ShallowCount {
    fn total(&mut self) -> usize {
        let total = self.enclosing + self.run;
        self.deepest = self.deepest.max(total);
        total
    }

    fn open(&mut self) {
        self.brackets.push(self.run);
        self.enclosing += self.run + 1;
        self.run = 0;
    }

    fn close(&mut self) {
        if let Some(saved) = self.brackets.pop() {
            self.enclosing -= saved + 1;
            self.run = saved + 1;
        }
    }
}

enum StringPrefix {
    /// No quote follows, or what comes before it is a plain prefix or a name.
    None,
    Interpolated {
        raw: bool,
    },
    Unsure,
}

/// What the ASCII letters and digits `bytes[start..end]` are when a quote follows them.
fn string_prefix(bytes: &[u8], start: usize, end: usize) -> StringPrefix {
    if !matches!(bytes.get(end), Some(b'\'' | b'"')) {
        return StringPrefix::None;
    }
    // The lexer may start the name elsewhere: inside a number (`1.e5f"`) or a non-ASCII name.
    let before = start.checked_sub(1).map(|at| bytes[at]);
    if bytes[start].is_ascii_digit() || before.is_some_and(|byte| byte == b'.' || byte >= 0x80) {
        return StringPrefix::Unsure;
    }
    match &bytes[start..end] {
        [b'f' | b'F' | b't' | b'T'] => StringPrefix::Interpolated { raw: false },
        [b'r' | b'R', b'f' | b'F' | b't' | b'T'] | [b'f' | b'F' | b't' | b'T', b'r' | b'R'] => {
            StringPrefix::Interpolated { raw: true }
        }
        [b'f' | b'F' | b't' | b'T', _] | [_, b'f' | b'F' | b't' | b'T'] => StringPrefix::Unsure,
        _ => StringPrefix::None,
    }
}

/// Where a string that is not an f- or t-string ends, from its first quote; `None` when it
/// is not terminated.
fn plain_string_end(bytes: &[u8], quote_at: usize) -> Option<usize> {
    let quote = bytes[quote_at];
    let triple = bytes[quote_at..].starts_with(&[quote; 3]);
    let mut index = quote_at + if triple { 3 } else { 1 };
    while index < bytes.len() {
        index += bytes[index..]
            .iter()
            .position(|&byte| matches!(byte, b'\\' | b'\n' | b'\r') || byte == quote)?;
        match bytes[index] {
            b'\\' => {
                index += if bytes[index + 1..].starts_with(b"\r\n") {
                    3
                } else {
                    2
                }
            }
            b'\n' | b'\r' if !triple => return None,
            byte if byte == quote => {
                if !triple {
                    return Some(index + 1);
                }
                if bytes[index..].starts_with(&[quote; 3]) {
                    return Some(index + 3);
                }
                index += 1;
            }
            _ => index += 1,
        }
    }
    None
}

/// Where an f- or t-string ends, from its first quote, counting its interpolations into
/// `count`; `None` when it is not terminated or not plain enough (see [`surely_shallow`]).
fn interpolated_string_end(
    bytes: &[u8],
    quote_at: usize,
    raw: bool,
    count: &mut ShallowCount,
    limits: NestingLimits,
) -> Option<usize> {
    let quote = bytes[quote_at];
    let triple = bytes[quote_at..].starts_with(&[quote; 3]);
    let mut index = quote_at + if triple { 3 } else { 1 };
    count.open();
    // The brackets open inside the current interpolation, its `{` first.
    let mut open: Vec<u8> = Vec::new();
    while index < bytes.len() {
        let byte = bytes[index];
        if open.is_empty() {
            match byte {
                b'\\' => match bytes.get(index + 1) {
                    Some(b'{' | b'}') => index += 1,
                    Some(b'N') if !raw && bytes.get(index + 2) == Some(&b'{') => return None,
                    _ if bytes[index + 1..].starts_with(b"\r\n") => index += 3,
                    _ => index += 2,
                },
                b'\n' | b'\r' if !triple => return None,
                b'{' | b'}' if bytes.get(index + 1) == Some(&byte) => index += 2,
                b'}' => return None,
                b'{' => {
                    count.open();
                    open.push(b'}');
                    index += 1;
                }
                _ if byte == quote => {
                    if !triple {
                        count.close();
                        return Some(index + 1);
                    }
                    if bytes[index..].starts_with(&[quote; 3]) {
                        count.close();
                        return Some(index + 3);
                    }
                    index += 1;
                }
                _ => index += 1,
            }
            continue;
        }
        match byte {
            // A string inside the interpolation, of either quote (Python 3.12).
            b'\'' | b'"' => {
                index = plain_string_end(bytes, index)?;
                count.run += 1;
            }
            b'\\' | b'#' | b'\n' | b'\r' => return None,
            b'{' if bytes.get(index + 1) == Some(&b'{') => return None,
            b'(' | b'[' | b'{' => {
                count.open();
                open.push(match byte {
                    b'(' => b')',
                    b'[' => b']',
                    _ => b'}',
                });
                index += 1;
            }
            b')' | b']' | b'}' => {
                if open.pop() != Some(byte) || byte == b'}' && bytes.get(index + 1) == Some(&b'}') {
                    return None;
                }
                count.close();
                index += 1;
            }
            b' ' | b'\t' | b'\x0c' => index += 1,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => {
                let start = index;
                index = word_end(bytes, index);
                count.run += 1;
                if !matches!(string_prefix(bytes, start, index), StringPrefix::None) {
                    return None;
                }
            }
            _ => {
                count.run += 1;
                index += 1;
            }
        }
        if count.brackets.len() > limits.brackets || count.total() > limits.recursion {
            return None;
        }
    }
    None
}

/// Operators that, after an operand, combine it with what follows (`not` as in `not in`).
fn is_binary_operator(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Plus
            | TokenKind::Minus
            | TokenKind::Star
            | TokenKind::Slash
            | TokenKind::DoubleSlash
            | TokenKind::Percent
            | TokenKind::At
            | TokenKind::Vbar
            | TokenKind::Amper
            | TokenKind::CircumFlex
            | TokenKind::LeftShift
            | TokenKind::RightShift
            | TokenKind::Less
            | TokenKind::Greater
            | TokenKind::EqEqual
            | TokenKind::NotEqual
            | TokenKind::LessEqual
            | TokenKind::GreaterEqual
            | TokenKind::And
            | TokenKind::Or
            | TokenKind::In
            | TokenKind::Is
            | TokenKind::Not
            | TokenKind::If
            | TokenKind::Else
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_of_four_gigabytes_are_refused_not_lexed() {
        // The lexer panics on them ("Lexer only supports files with a size up to 4GB").
        assert!(size_error_for(u32::MAX as usize + 1).is_some());
        assert!(size_error_for(u32::MAX as usize).is_none());
    }

    #[test]
    fn nested_fstrings_and_format_specs_past_python_limit_are_refused_natively() {
        let fstrings = format!("x = {}1{}\n", "f'{".repeat(1_000), "}'".repeat(1_000));
        let specs = format!("x = f'{}{}'\n", "{x:".repeat(1_000), "}".repeat(1_000));
        for source in [fstrings, specs] {
            let parsed = parse_module(&source);
            assert!(parsed.body.is_empty());
            assert!(parsed.errors[0].message.starts_with("Nested too deeply"));
        }
        // 150 levels: deep, but Python takes it, and so do we.
        let source = format!("x = {}1{}\n", "f'{".repeat(150), "}'".repeat(150));
        let parsed = parse_module(&source);
        if !cfg!(target_arch = "wasm32") {
            assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        }
    }

    #[test]
    fn reads_unicode_name_escapes_natively() {
        // In WebAssembly the name tables are left out (vendor/unicode_names2): tested in Node.
        let source = "x = \"\\N{BULLET}\"\ny = \"\\N{NOT A NAME}\"\n";
        let parsed = parse_module(source);
        let ast::Stmt::Assign(assign) = &parsed.body[0] else {
            panic!("not an assignment");
        };
        let ast::Expr::StringLiteral(literal) = &*assign.value else {
            panic!("not a string");
        };
        assert_eq!(literal.value.to_str(), "\u{2022}");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(
            parsed.errors[0].range.start().to_usize(),
            source.find("NOT A NAME").unwrap()
        );
    }

    #[test]
    fn refuses_only_what_is_nested_too_deeply() {
        let deep = [
            "(".repeat(101),
            format!("{}x{}", "[".repeat(150), "]".repeat(150)),
            format!("x = {}1", "-".repeat(300)),
            format!("x = {}y", "not ".repeat(300)),
            format!("x = {}1", "lambda: ".repeat(300)),
            format!("x = {}a", "a ** ".repeat(300)),
            format!("x = {}c", "a if b else ".repeat(300)),
            format!("x = a{}", " + a".repeat(3100)),
            format!("x = f{}", "()".repeat(3100)),
            format!("x = (a{})", "\n + a.b".repeat(1600)),
            format!("x = {}(-1)", "-(".repeat(120)),
        ];
        for source in &deep {
            assert!(
                nesting_error(source, NestingLimits::BROWSER).is_some(),
                "{}",
                &source[..40]
            );
        }
        let indented: String = (0..100)
            .map(|level| format!("{}if not x:\n", " ".repeat(level)))
            .collect();
        let fine = [
            "(".repeat(100),
            format!("x = a{}", " + -a.b".repeat(900)),
            format!("x = {}1", "not -".repeat(100)),
            format!(
                "DATA = [\n{}]\n",
                "    (-1, {\"k\": [a.b, -c.d]}),\n".repeat(5000)
            ),
            // An unclosed call while typing, before many lines of code.
            format!(
                "print(\n{}",
                "def f(a):\n    return not a.b.c(-d.e) + g.h\n".repeat(2000)
            ),
            format!("{indented}{}pass\n", " ".repeat(100)),
        ];
        for source in &fine {
            assert_eq!(
                nesting_error(source, NestingLimits::BROWSER),
                None,
                "{}",
                &source[..40]
            );
        }
    }
    /// Every `.py` file under a folder, for the test below.
    fn python_sources(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                python_sources(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "py") {
                found.push(std::fs::read_to_string(&path).expect("UTF-8 source"));
            }
        }
    }

    #[test]
    fn the_byte_scan_never_calls_a_deep_source_shallow() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut corpus = Vec::new();
        python_sources(&root.join("tests/fixtures"), &mut corpus);
        python_sources(&root.join("examples"), &mut corpus);
        python_sources(&root.join("bench/wasm"), &mut corpus);
        assert!(corpus.len() > 50);
        // Ordinary code takes the fast path.
        let fast = corpus
            .iter()
            .filter(|source| surely_shallow(source, NestingLimits::BROWSER))
            .count();
        assert!(fast * 10 >= corpus.len() * 9, "{fast} of {}", corpus.len());

        // What could fool a byte scan: strings, f-strings, escapes, continuations, brackets.
        const PIECES: &[&str] = &[
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "{{",
            "}}",
            "\"",
            "'",
            "\"\"\"",
            "'''",
            "\\",
            "\\\n",
            "\n",
            "\r",
            "\r\n",
            "#",
            "-",
            "not ",
            "lambda: ",
            " = ",
            "=",
            ",",
            ";",
            "\t",
            " ",
            "f\"{",
            "f'{x:",
            "rf'{",
            "t\"",
            "f\"\"\"{",
            "{x!r:>{w}}",
            "\\N{",
            "1.e5f'",
            "é",
            "x.f'",
            "bf'",
            ":=",
            "**",
            " if a else ",
            "await ",
            "\"\\\"\"",
            "f'{(a}'",
            "f'{a)}'",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut random = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let (mut checked, mut deep) = (0, 0);
        for source in &corpus {
            for _ in 0..60 {
                let mut mutated = source.clone();
                for _ in 0..1 + random(4) {
                    let mut at = random(mutated.len() + 1);
                    while !mutated.is_char_boundary(at) {
                        at -= 1;
                    }
                    let piece = PIECES[random(PIECES.len())];
                    let times = [1, 1, 1, 2, 40, 101, 130, 260][random(8)];
                    mutated.insert_str(at, &piece.repeat(times));
                }
                if random(4) == 0 {
                    let mut cut = random(mutated.len() + 1);
                    while !mutated.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    mutated.truncate(cut);
                }
                let refused = lexed_nesting_error(&mutated, NestingLimits::BROWSER).is_some();
                if surely_shallow(&mutated, NestingLimits::BROWSER) {
                    assert!(!refused, "called shallow:\n{mutated}");
                    checked += 1;
                }
                deep += usize::from(refused);
            }
        }
        assert!(
            checked > 1_000 && deep > 100,
            "{checked} shallow, {deep} deep"
        );
    }
}
