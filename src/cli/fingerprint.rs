//! A finding's fingerprint: its rule, the flagged code and the statement around it, with
//! whitespace evened out, hashed. Line numbers are not part of it, so code that moves up
//! or down (or is re-indented) keeps its fingerprint, while an edit to the flagged
//! statement gives a new one. The baseline and GitLab's report use it.

use pyvet::Finding;

/// 16 hex digits, the same on every machine and every run.
pub fn fingerprint(source: &str, finding: &Finding) -> String {
    hash_hex(&[
        finding.rule.id.as_bytes(),
        normalized(slice(source, finding.range)).as_bytes(),
        normalized(slice(source, finding.statement)).as_bytes(),
    ])
}

/// The hash of `parts`, in 16 hex digits.
pub fn hash_hex(parts: &[&[u8]]) -> String {
    let mut hash = Fnv1a::new();
    for part in parts {
        hash.write(part);
        hash.write(b"\0");
    }
    format!("{:016x}", hash.0)
}

/// The flagged code's first line, trimmed and cut short, for a person reading the baseline.
pub fn excerpt(source: &str, finding: &Finding) -> String {
    const MAX_CHARS: usize = 100;
    let text = slice(source, finding.range);
    let first_line = text.lines().next().unwrap_or("").trim();
    let mut excerpt: String = first_line.chars().take(MAX_CHARS).collect();
    if excerpt.len() < first_line.len() || text.trim_end().contains('\n') {
        excerpt.push_str(" …");
    }
    excerpt
}

fn slice(source: &str, range: pyvet::parse::TextRange) -> &str {
    source
        .get(usize::from(range.start())..usize::from(range.end()))
        .unwrap_or("")
}

/// Every run of whitespace as one space, none at the ends.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// FNV-1a (64 bits): tiny, and stable across Rust versions, unlike the standard hasher.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprints(source: &str) -> Vec<String> {
        let analysis = pyvet::analyze(source, &pyvet::Options::default());
        analysis
            .findings
            .iter()
            .map(|finding| fingerprint(source, finding))
            .collect()
    }

    #[test]
    fn moving_or_reindenting_code_keeps_the_fingerprint_and_editing_it_does_not() {
        let original = fingerprints("import yaml\nconfig = yaml.load(data)\n");
        assert_eq!(original.len(), 1);
        assert_eq!(original[0].len(), 16);
        let moved = fingerprints("import yaml\n\n\n\ndef f():\n    config = yaml.load(data)\n");
        assert_eq!(moved, original);
        let edited = fingerprints("import yaml\nsettings = yaml.load(data)\n");
        assert_ne!(edited, original);
    }
}
