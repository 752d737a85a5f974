//! Source encodings other than UTF-8, declared the way PEP 263 says: a comment on the first
//! or second line such as `# -*- coding: latin-1 -*-`.
//!
//! Python reads such a file in the declared encoding, so pyvet must too, or a valid module
//! (older code, Bandit's own examples) is rejected as unreadable. Latin-1 and Windows-1252
//! cover what such declarations name in practice; any other declared encoding is an error
//! that names it. A fixed file is written back in the encoding it was read in.

/// How a file's bytes became text, and how to turn fixed text back into bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// ISO-8859-1: every byte is the character of the same number.
    Latin1,
    /// Windows-1252: Latin-1 but for 0x80–0x9F, which hold `€`, curly quotes, dashes, ...
    Windows1252,
}

/// What Windows-1252 puts at 0x80–0x9F; `None` for the five bytes it leaves undefined.
const WINDOWS_1252_HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// The encoding a PEP 263 comment on the first two lines names, as written: `latin-1`.
pub fn declared(bytes: &[u8]) -> Option<&str> {
    bytes
        .split(|&byte| byte == b'\n')
        .take(2)
        .find_map(declaration_in_line)
}

/// `coding[:=]\s*([-\w.]+)` in a line that is only a comment.
fn declaration_in_line(line: &[u8]) -> Option<&str> {
    let line = std::str::from_utf8(line).ok()?;
    let comment = line
        .trim_start_matches([' ', '\t', '\x0c'])
        .strip_prefix('#')?;
    let at = comment.find("coding")?;
    let rest = comment[at + "coding".len()..].strip_prefix([':', '='])?;
    let name = rest.trim_start_matches([' ', '\t']);
    let end = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

/// The encoding a declared name stands for, among those pyvet reads (Python's own aliases).
pub fn by_name(name: &str) -> Option<Encoding> {
    let normal = name.to_ascii_lowercase().replace('_', "-");
    match normal.as_str() {
        "utf-8" | "utf8" | "utf-8-sig" | "ascii" | "us-ascii" => Some(Encoding::Utf8),
        "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "8859" | "cp819" | "l1"
        | "iso-latin-1" => Some(Encoding::Latin1),
        "cp1252" | "windows-1252" => Some(Encoding::Windows1252),
        _ => None,
    }
}

/// The text of `bytes` in a single-byte encoding; `None` for a byte it does not define.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Option<String> {
    bytes
        .iter()
        .map(|&byte| match (encoding, byte) {
            (Encoding::Windows1252, 0x80..=0x9F) => WINDOWS_1252_HIGH[usize::from(byte - 0x80)],
            _ => Some(char::from(byte)),
        })
        .collect()
}

/// The bytes of `text` in a single-byte encoding; `Err` names the first character it
/// cannot hold.
pub fn encode(text: &str, encoding: Encoding) -> Result<Vec<u8>, char> {
    text.chars()
        .map(|c| match (encoding, u32::from(c)) {
            // Windows-1252 holds other characters at 0x80–0x9F, and not these code points.
            (Encoding::Windows1252, 0x80..=0x9F) => Err(c),
            (_, code @ 0..=0xFF) => Ok(code as u8),
            (Encoding::Windows1252, _) => WINDOWS_1252_HIGH
                .iter()
                .position(|&held| held == Some(c))
                .map(|at| 0x80 + at as u8)
                .ok_or(c),
            _ => Err(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_read_from_the_first_two_comment_lines_only() {
        assert_eq!(
            declared(b"#!/usr/bin/env python3\n# -*- coding: latin-1 -*-\n"),
            Some("latin-1")
        );
        assert_eq!(
            declared(b"# vim: set fileencoding=cp1252 :\n"),
            Some("cp1252")
        );
        assert_eq!(declared(b"\n\n# coding: latin-1\n"), None);
        assert_eq!(declared(b"x = 1  # coding: latin-1\n"), None);
        assert_eq!(declared(b"# no declaration\n"), None);
    }

    #[test]
    fn single_byte_encodings_round_trip() {
        let bytes = b"s = '\xe0\xe7\xe9 \x80 \x93quoted\x94'\n";
        let latin = decode(bytes, Encoding::Latin1).unwrap();
        assert_eq!(latin, "s = 'àçé \u{80} \u{93}quoted\u{94}'\n");
        assert_eq!(encode(&latin, Encoding::Latin1).unwrap(), bytes);
        let windows = decode(bytes, Encoding::Windows1252).unwrap();
        assert_eq!(windows, "s = 'àçé € “quoted”'\n");
        assert_eq!(encode(&windows, Encoding::Windows1252).unwrap(), bytes);
        assert_eq!(decode(b"\x81", Encoding::Windows1252), None);
        assert_eq!(encode("→", Encoding::Latin1), Err('→'));
    }
}
