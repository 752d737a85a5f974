//! `unicode_names2::character` for the parser: the real lookup natively; in WebAssembly a
//! well-formed name (ASCII letters, digits, spaces and hyphens) stands for U+FFFD.
//!
//! So in the browser `"\N{BULLET}"` parses (its value holds U+FFFD instead of `•`) and an
//! unknown name is not reported as a syntax error; a malformed one (`\N{}`) still is.

#[cfg(not(target_arch = "wasm32"))]
pub use unicode_names2_real::character;

#[cfg(target_arch = "wasm32")]
pub fn character(name: &str) -> Option<char> {
    let well_formed = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    well_formed.then_some(char::REPLACEMENT_CHARACTER)
}
