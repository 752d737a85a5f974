//! The text a string, bytes or f-string literal spells, as rules that read literals see it.

use std::borrow::Cow;
use std::cell::OnceCell;

use super::known_secrets::{find_known_secrets, KnownSecrets};
use crate::parse::ast::{self, Expr};

/// The text of a string-like literal.
pub struct LiteralText<'a> {
    pub text: Cow<'a, str>,
    pub kind: LiteralKind,
    /// The known-format secrets in the text, found when first asked for.
    known_secrets: OnceCell<KnownSecrets>,
}

impl<'a> LiteralText<'a> {
    fn new(text: Cow<'a, str>, kind: LiteralKind) -> Self {
        Self {
            text,
            kind,
            known_secrets: OnceCell::new(),
        }
    }

    /// The first known secret of each kind in the text: one scan, however many rules ask.
    pub fn known_secrets(&self) -> &KnownSecrets {
        self.known_secrets
            .get_or_init(|| find_known_secrets(self.text.as_bytes()))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LiteralKind {
    Str,
    Bytes,
    /// An f-string; each interpolation reads `{}`. Never replaced by a fix.
    Template,
}

/// The text of a string, bytes or f-string literal (`None` for anything else).
#[inline]
pub fn literal_text(expr: &Expr) -> Option<LiteralText<'_>> {
    match expr {
        Expr::StringLiteral(literal) => Some(LiteralText::new(
            Cow::Borrowed(literal.value.to_str()),
            LiteralKind::Str,
        )),
        Expr::BytesLiteral(_) | Expr::FString(_) => built_literal_text(expr),
        _ => None,
    }
}

/// The text of a bytes literal or an f-string, which has to be put together.
fn built_literal_text(expr: &Expr) -> Option<LiteralText<'_>> {
    let (text, kind) = match expr {
        Expr::BytesLiteral(literal) => {
            let bytes: Vec<u8> = literal.value.bytes().collect();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            (Cow::Owned(text), LiteralKind::Bytes)
        }
        Expr::FString(fstring) => {
            let mut text = String::new();
            for part in fstring.value.iter() {
                match part {
                    ast::FStringPart::Literal(literal) => text.push_str(&literal.value),
                    ast::FStringPart::FString(fstring) => {
                        for element in fstring.elements.iter() {
                            match element {
                                ast::InterpolatedStringElement::Literal(literal) => {
                                    text.push_str(&literal.value)
                                }
                                ast::InterpolatedStringElement::Interpolation(_) => {
                                    text.push_str("{}")
                                }
                            }
                        }
                    }
                }
            }
            (Cow::Owned(text), LiteralKind::Template)
        }
        _ => return None,
    };
    Some(LiteralText::new(text, kind))
}
