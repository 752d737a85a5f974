#!/usr/bin/env bash
# Runs every check pyvet has, in the order CI runs them, and stops at the first failure:
# setup, formatting, clippy, all tests (debug), then the robustness tests in release
# (the whole-standard-library no-panic check only runs with optimisations).
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
step "format (cargo fmt --check; run \`cargo fmt\` to fix)" cargo fmt --all --check
step "lint (cargo clippy)" cargo clippy --all-targets --locked -- -D warnings
step "tests (cargo test)" cargo test --locked
step "robustness in release (cargo test --release --test robustness)" \
    cargo test --release --locked --test robustness

printf '\ntest.sh: all checks passed in %ss\n' "$((SECONDS - started))"
