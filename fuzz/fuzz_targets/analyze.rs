//! Any bytes, as Python source: `analyze` returns without panicking, and every position it
//! reports points into the source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyvet::{analyze, Options};
use pyvet_fuzz::{check_positions, on_worker, remember_input, source_from};

fuzz_target!(|data: &[u8]| {
    remember_input(data);
    let source = source_from(data);
    on_worker(|| {
        let analysis = analyze(&source, &Options::default());
        check_positions(&source, &analysis);
    });
});
