//! Whether an export call is still running, so the package's entry point (`pyvet.js`, in
//! this folder) can tell a trap from an ordinary error.
//!
//! An ordinary error (bad options, a source that is not a string) is returned: the call
//! finishes, its guard drops, and the glue throws the `Error` afterwards. A trap (a panic
//! under `panic = "abort"`, running out of memory, a stack overflow, a JavaScript exception
//! thrown through the module) stops the call where it is, and no destructor runs: the
//! guard never drops and the call stays unfinished. After a throw, `pyvet.js` asks
//! [`call_unfinished`]; when it says yes, the instance is left as the trap left it (an arena
//! scope open, perhaps a `RefCell` borrowed or a cache half filled), and `pyvet.js` replaces
//! it with a fresh one.

use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::prelude::*;

/// Set while an export runs; cleared when its [`InProgress`] guard drops.
static UNFINISHED: AtomicBool = AtomicBool::new(false);

/// Marks an export call as running until it drops. Exports are not re-entered (nothing the
/// engine calls in JavaScript calls back into it), so one flag is enough.
pub struct InProgress(());

impl InProgress {
    pub fn begin() -> Self {
        UNFINISHED.store(true, Ordering::Relaxed);
        Self(())
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        UNFINISHED.store(false, Ordering::Relaxed);
    }
}

/// Whether the last export call stopped without finishing: it trapped. Internal to the
/// package (`pyvet.js`), not in its types.
#[wasm_bindgen(js_name = __pyvetCallUnfinished, skip_typescript)]
pub fn call_unfinished() -> bool {
    UNFINISHED.load(Ordering::Relaxed)
}
