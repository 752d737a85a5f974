//! Bounds on the work of analyses that follow names to their values.
//!
//! Following `v4 = v3 + v3 + ...` down to `v0 = 'x'` visits every term of every level: 100
//! terms on four levels are 10^8 visits, and the string they build is as long. So every such
//! analysis (constant strings, string parts, taint) remembers what it worked out for each
//! binding, per module ([`Memo`]), and spends steps from an [`Effort`]: a budget per node of
//! the walk and one for the whole module. When a budget runs out, or an analysis meets a
//! name it is still working out (a cycle), or it reaches its depth limit, the answer is
//! "unknown" — what the analysis returns when it cannot tell, which each rule already treats
//! conservatively. Such an answer is *cut short*: it is not remembered, so a later question
//! asked from closer by gets a full answer, and what is remembered never depends on the order
//! in which rules asked.

use std::cell::{Cell, RefCell};
use std::hash::Hash;

use rustc_hash::FxHashMap as HashMap;

/// Steps one node of the walk may spend on following values (every rule's questions about
/// it together). Real code rarely spends a hundred.
const NODE_STEPS: u32 = 20_000;

/// Steps a whole module may spend: this many, and [`MODULE_STEPS_PER_BYTE`] more per byte
/// of source. Of the 1,790 modules of CPython's standard library the busiest
/// (`html/entities.py`, 75 KB) spends about 5,000 steps, and none of 400 large
/// site-packages modules spends more than about 6,000 (under 0.1 a byte); a hostile module
/// of a few megabytes is held to a fraction of a second.
const MODULE_STEPS: u32 = 2_000_000;
const MODULE_STEPS_PER_BYTE: u32 = 2;

pub(crate) struct Effort {
    node_left: Cell<u32>,
    module_left: Cell<u32>,
    /// Set when an answer was cut short (see the module docs) since the last [`Self::track`].
    cut_short: Cell<bool>,
}

impl Effort {
    /// The budgets for a module of `bytes` bytes.
    pub(crate) fn for_module(bytes: usize) -> Self {
        let per_byte = u32::try_from(bytes)
            .unwrap_or(u32::MAX)
            .saturating_mul(MODULE_STEPS_PER_BYTE);
        Self {
            node_left: Cell::new(NODE_STEPS),
            module_left: Cell::new(MODULE_STEPS.saturating_add(per_byte)),
            cut_short: Cell::new(false),
        }
    }

    /// Takes one step; `false` (and the answer being worked out is cut short) when a budget
    /// has run out.
    pub(crate) fn spend(&self) -> bool {
        let (node, module) = (self.node_left.get(), self.module_left.get());
        if node == 0 || module == 0 {
            self.cut_short.set(true);
            return false;
        }
        self.node_left.set(node - 1);
        self.module_left.set(module - 1);
        true
    }

    /// Takes the steps that copying `bytes` of remembered text costs (one per 256 bytes,
    /// and one at least); `false` as [`Self::spend`].
    pub(crate) fn spend_for(&self, bytes: usize) -> bool {
        let steps = u32::try_from(bytes / 256)
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let (node, module) = (self.node_left.get(), self.module_left.get());
        if node < steps || module < steps {
            self.node_left.set(0);
            self.cut_short.set(true);
            return false;
        }
        self.node_left.set(node - steps);
        self.module_left.set(module - steps);
        true
    }

    /// Takes `steps` from the module budget only: for work done once per scope (the data
    /// flow of a function), not once per question. `false` when the budget has run out.
    pub(crate) fn spend_module(&self, steps: usize) -> bool {
        let steps = u32::try_from(steps).unwrap_or(u32::MAX);
        match self.module_left.get().checked_sub(steps) {
            Some(left) => {
                self.module_left.set(left);
                true
            }
            None => {
                self.module_left.set(0);
                false
            }
        }
    }

    /// Marks the answer being worked out as cut short (a depth limit, a cycle, a size cap).
    pub(crate) fn cut_short(&self) {
        self.cut_short.set(true);
    }

    /// The walk moved to another node: its questions get a fresh node budget.
    pub(crate) fn next_node(&self) {
        self.node_left.set(NODE_STEPS);
    }

    /// Runs `work` and says whether its answer was cut short; an enclosing answer that used
    /// it is then cut short too.
    fn track<T>(&self, work: impl FnOnce() -> T) -> (T, bool) {
        let outer = self.cut_short.replace(false);
        let value = work();
        let cut = self.cut_short.get();
        self.cut_short.set(outer || cut);
        (value, cut)
    }
}

enum Entry<V> {
    /// Being worked out: meeting it again is a cycle.
    Open,
    Done(V),
}

/// Answers per key (a binding, in one mode), remembered for the whole module.
pub(crate) struct Memo<K, V> {
    entries: RefCell<HashMap<K, Entry<V>>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self {
            entries: RefCell::new(HashMap::default()),
        }
    }
}

impl<K: Hash + Eq + Copy, V: Clone> Memo<K, V> {
    /// The remembered answer for `key`, or `compute`'s, remembered unless it was cut short.
    /// A key met again while it is being computed is a cycle: `unknown`, cut short.
    pub(crate) fn get_or_compute(
        &self,
        effort: &Effort,
        key: K,
        unknown: V,
        compute: impl FnOnce() -> V,
    ) -> V {
        match self.entries.borrow().get(&key) {
            Some(Entry::Done(value)) => return value.clone(),
            Some(Entry::Open) => {
                effort.cut_short();
                return unknown;
            }
            None => {}
        }
        self.entries.borrow_mut().insert(key, Entry::Open);
        let (value, cut) = effort.track(compute);
        let mut entries = self.entries.borrow_mut();
        if cut {
            entries.remove(&key);
        } else {
            entries.insert(key, Entry::Done(value.clone()));
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_remembered_unless_cut_short() {
        let effort = Effort::for_module(0);
        let memo: Memo<u32, Option<u32>> = Memo::default();
        let mut calls = 0;
        assert_eq!(
            memo.get_or_compute(&effort, 1, None, || {
                calls += 1;
                Some(7)
            }),
            Some(7)
        );
        assert_eq!(
            memo.get_or_compute(&effort, 1, None, || {
                calls += 1;
                Some(8)
            }),
            Some(7)
        );
        assert_eq!(calls, 1);
        let cut = memo.get_or_compute(&effort, 2, None, || {
            effort.cut_short();
            None
        });
        assert_eq!(cut, None);
        assert_eq!(memo.get_or_compute(&effort, 2, None, || Some(9)), Some(9));
    }

    #[test]
    fn a_cycle_is_unknown_and_not_remembered() {
        let effort = Effort::for_module(0);
        let memo: Memo<u32, Option<u32>> = Memo::default();
        let outer = memo.get_or_compute(&effort, 1, None, || {
            memo.get_or_compute(&effort, 1, None, || Some(1))
                .map(|inner| inner + 1)
        });
        assert_eq!(outer, None);
        assert_eq!(memo.get_or_compute(&effort, 1, None, || Some(5)), Some(5));
    }

    #[test]
    fn budgets_run_out_and_the_node_budget_comes_back() {
        let effort = Effort::for_module(0);
        let spent = (0..NODE_STEPS + 10).filter(|_| effort.spend()).count();
        assert_eq!(spent, NODE_STEPS as usize);
        let ((), cut) = effort.track(|| assert!(!effort.spend()));
        assert!(cut);
        effort.next_node();
        assert!(effort.spend());
    }
}
