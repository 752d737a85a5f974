//! The edits a round of fixes has already taken, asked "does this edit clash with one of
//! them?" in logarithmic time, so a file with 100,000 fixes is not 10^10 comparisons.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::Edit;
use crate::parse::{TextRange, TextSize};

/// Two edits clash when they touch the same text: replacements that share a character,
/// an insertion strictly inside a replacement, or two different insertions at one offset.
/// Identical edits (the same import added by two fixes) never clash: they are shared.
///
/// [`TakenEdits::clashes`] answers exactly as comparing with every taken edit would, by
/// counting: the replacements overlapping `[s, e)` are those starting before `e` minus
/// those ending at or before `s` (a replacement that ends by `s` also starts before `e`).
/// Each distinct edit counts once, and the one identical to the asked edit is not counted.
pub(super) struct TakenEdits<'e> {
    /// Every offset an edit may start or end at, sorted: the positions the counts are kept at.
    offsets: Vec<TextSize>,
    distinct: HashSet<(TextRange, &'e str)>,
    replacement_starts: Counts,
    replacement_ends: Counts,
    insertions: Counts,
    insertions_at: HashMap<TextSize, usize>,
}

impl<'e> TakenEdits<'e> {
    /// Room for edits at any of `offsets` (the ends of every edit that may be asked about).
    pub(super) fn new(mut offsets: Vec<TextSize>) -> Self {
        offsets.sort_unstable();
        offsets.dedup();
        let size = offsets.len();
        Self {
            offsets,
            distinct: HashSet::new(),
            replacement_starts: Counts::new(size),
            replacement_ends: Counts::new(size),
            insertions: Counts::new(size),
            insertions_at: HashMap::new(),
        }
    }

    /// True when `edit` clashes with a taken edit (see [`TakenEdits`]).
    pub(super) fn clashes(&self, edit: &Edit) -> bool {
        let (start, end) = (edit.range.start(), edit.range.end());
        let itself = usize::from(self.distinct.contains(&(edit.range, edit.content.as_str())));
        if edit.range.is_empty() {
            let around = self.before(&self.replacement_starts, start)
                - self.at_or_before(&self.replacement_ends, start);
            let others_here = self.insertions_at.get(&start).copied().unwrap_or(0) - itself;
            around > 0 || others_here > 0
        } else {
            let overlapping = self.before(&self.replacement_starts, end)
                - self.at_or_before(&self.replacement_ends, start);
            let inside =
                self.before(&self.insertions, end) - self.at_or_before(&self.insertions, start);
            overlapping - itself > 0 || inside > 0
        }
    }

    pub(super) fn take(&mut self, edit: &'e Edit) {
        if !self.distinct.insert((edit.range, edit.content.as_str())) {
            return;
        }
        let (start, end) = (edit.range.start(), edit.range.end());
        if edit.range.is_empty() {
            self.insertions.add(self.index(start));
            *self.insertions_at.entry(start).or_default() += 1;
        } else {
            self.replacement_starts.add(self.index(start));
            self.replacement_ends.add(self.index(end));
        }
    }

    /// Where `offset` sits among the known offsets (edits are taken only at known ones).
    fn index(&self, offset: TextSize) -> usize {
        self.offsets.partition_point(|known| *known < offset)
    }

    /// How many of `counts` sit before `offset`.
    fn before(&self, counts: &Counts, offset: TextSize) -> usize {
        counts.first(self.offsets.partition_point(|known| *known < offset))
    }

    /// How many of `counts` sit at or before `offset`.
    fn at_or_before(&self, counts: &Counts, offset: TextSize) -> usize {
        counts.first(self.offsets.partition_point(|known| *known <= offset))
    }
}

/// How many things sit at each position, with the total over the first positions in
/// logarithmic time (a Fenwick tree).
struct Counts {
    tree: Vec<usize>,
}

impl Counts {
    fn new(size: usize) -> Self {
        Self {
            tree: vec![0; size + 1],
        }
    }

    fn add(&mut self, position: usize) {
        let mut at = position + 1;
        while at < self.tree.len() {
            self.tree[at] += 1;
            at += at & at.wrapping_neg();
        }
    }

    /// How many sit at the first `positions` positions.
    fn first(&self, positions: usize) -> usize {
        let mut at = positions.min(self.tree.len() - 1);
        let mut total = 0;
        while at > 0 {
            total += self.tree[at];
            at -= at & at.wrapping_neg();
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition [`TakenEdits`] counts by: comparing two edits.
    fn clash(a: &Edit, b: &Edit) -> bool {
        a != b && overlaps(a.range, b.range)
    }

    fn overlaps(a: TextRange, b: TextRange) -> bool {
        if a.is_empty() && b.is_empty() {
            return a.start() == b.start();
        }
        if a.is_empty() {
            return b.start() < a.start() && a.start() < b.end();
        }
        if b.is_empty() {
            return a.start() < b.start() && b.start() < a.end();
        }
        a.start() < b.end() && b.start() < a.end()
    }

    fn edit(start: u32, end: u32, content: &str) -> Edit {
        Edit::replace(
            TextRange::new(TextSize::from(start), TextSize::from(end)),
            content,
        )
    }

    #[test]
    fn identical_insertions_are_shared_and_overlaps_clash() {
        let import = Edit::insert(TextSize::from(0), "import os\n");
        assert!(!overlaps(
            import.range,
            TextRange::new(TextSize::from(0), TextSize::from(3))
        ));
        assert!(overlaps(
            TextRange::new(TextSize::from(2), TextSize::from(6)),
            TextRange::new(TextSize::from(5), TextSize::from(9))
        ));
        assert!(overlaps(
            TextRange::empty(TextSize::from(4)),
            TextRange::empty(TextSize::from(4))
        ));
        assert!(!clash(&import, &import.clone()));
        assert!(clash(
            &import,
            &Edit::insert(TextSize::from(0), "import re\n")
        ));
    }

    /// Every pair drawn from a small alphabet of edits, asked both ways, must agree with
    /// comparing against each taken edit: shared identical edits, touching ends, insertions
    /// at, inside and at the edges of replacements, the same range with other text, and
    /// taken edits that overlap each other (one fix's own edits are not checked together).
    #[test]
    fn counting_agrees_with_comparing_every_pair() {
        let mut alphabet = Vec::new();
        for start in 0..5 {
            for end in start..5 {
                for content in ["", "x", "y"] {
                    alphabet.push(edit(start, end, content));
                }
            }
        }
        let offsets: Vec<TextSize> = alphabet
            .iter()
            .flat_map(|edit| [edit.range.start(), edit.range.end()])
            .collect();
        let mut random = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..2_000 {
            let mut taken = TakenEdits::new(offsets.clone());
            let mut list: Vec<&Edit> = Vec::new();
            for _ in 0..6 {
                random ^= random << 13;
                random ^= random >> 7;
                random ^= random << 17;
                let edit = &alphabet[(random % alphabet.len() as u64) as usize];
                for asked in &alphabet {
                    let expected = list.iter().any(|other| clash(asked, other));
                    assert_eq!(taken.clashes(asked), expected, "{asked:?} against {list:?}");
                }
                taken.take(edit);
                list.push(edit);
            }
        }
    }
}
