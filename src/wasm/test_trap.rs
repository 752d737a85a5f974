//! A trap on request, for the tests of what happens after one (`tests/wasm_node.test.mjs`,
//! the browser tests): once the engine no longer panics on any known input, this is the one
//! way left to make `analyze` or `applyFixes` trap, and it traps the way a real bug would —
//! a panic inside the call's arena scope, with the engine's result still in memory.
//!
//! Not part of the API: the export is left out of the TypeScript types and the package's
//! entry point, and does nothing until it is called. Arming it costs every call one load.

use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::prelude::*;

static ARMED: AtomicBool = AtomicBool::new(false);

/// Makes the next `analyze` or `applyFixes` call panic (a trap in the browser build), after
/// the engine has done its work. For tests only.
#[wasm_bindgen(js_name = __pyvetArmTestTrap, skip_typescript)]
pub fn arm() {
    ARMED.store(true, Ordering::Relaxed);
}

/// Panics when a test armed the trap, once.
pub fn fire_if_armed() {
    if ARMED.swap(false, Ordering::Relaxed) {
        panic!("pyvet: a trap requested by a test (__pyvetArmTestTrap)");
    }
}
