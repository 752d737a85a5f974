#!/usr/bin/env bash
# Runs every check pyvet has, in the order CI runs them, and stops at the first failure:
# setup, formatting, clippy, all Rust tests (debug), the robustness tests in release (the
# whole-standard-library no-panic check only runs with optimisations), the Python wheel
# and the pre-commit hook (built from that same release build), then the browser
# side: the WebAssembly package and its Node tests, the site, and the Chromium tests; last,
# a short fuzzing run of each fuzz target.
set -euo pipefail

cd "$(dirname "$0")/.."

started=$SECONDS

step() {
    local title="$1"
    shift
    printf '\n==> %s\n' "${title}"
    local step_started=$SECONDS
    if ! "$@"; then
        printf '\ntest.sh: FAILED at "%s" (%s)\n' "${title}" "$*" >&2
        printf 'test.sh: re-run that command to see the problem; nothing after it ran.\n' >&2
        exit 1
    fi
    printf -- '--- %s: ok (%ss)\n' "${title}" "$((SECONDS - step_started))"
}

step "setup" bash scripts/setup.sh
# The fuzz crate (fuzz/) is a workspace of its own, so `--all` does not reach it.
check_format() {
    cargo fmt --all --check && cargo fmt --manifest-path fuzz/Cargo.toml --check
}

step "format (cargo fmt --check; run \`cargo fmt\` to fix)" check_format
step "lint (cargo clippy)" cargo clippy --all-targets --locked -- -D warnings
step "tests (cargo test)" cargo test --locked
step "robustness and growth in release (cargo test --release --test robustness --test pathological)" \
    cargo test --release --locked --test robustness --test pathological
# Reuses that release build: maturin compiles into the same target/ with the same profile.
step "the wheel and the pre-commit hook (cargo test --release --test packaging -- --ignored)" \
    cargo test --release --locked --test packaging -- --ignored
step "lint the browser build (cargo clippy, wasm32)" \
    cargo clippy --lib --locked --target wasm32-unknown-unknown --no-default-features --features wasm -- -D warnings
step "build the WebAssembly package (scripts/build-wasm.sh)" bash scripts/build-wasm.sh
step "package tests in Node (node --test tests/wasm_node.test.mjs)" node --test tests/wasm_node.test.mjs
step "every lesson in Node (node --test tests/lessons.test.mjs)" node --test tests/lessons.test.mjs
step "the local server in Node (node --test tests/serve.test.mjs)" node --test tests/serve.test.mjs
step "build the site (scripts/build-site.mjs)" node scripts/build-site.mjs
step "browser tests in Chromium (node --test tests/browser/)" node --test --test-concurrency=1 tests/browser/
step "sizes (scripts/size.sh)" bash scripts/size.sh
# Repeatable: seed 1, at most 20,000 inputs a target (about 30-60 s each here).
step "fuzz each target (scripts/fuzz.sh 90, seed 1, 20,000 inputs)" \
    env PYVET_FUZZ_SEED=1 PYVET_FUZZ_RUNS=20000 bash scripts/fuzz.sh 90

printf '\ntest.sh: all checks passed in %ss\n' "$((SECONDS - started))"
