#!/usr/bin/env bash
# Prepares this machine for building and testing pyvet. Safe to run again: every step
# checks first and does nothing when its tool is already there.
#
# Needs: rustup with Rust 1.95. Later steps (WebAssembly, the site, browser tests) slot
# in below as `ensure_*` functions and are called from `main` once the project needs them.
set -euo pipefail

cd "$(dirname "$0")/.."

readonly WASM_BINDGEN_VERSION="0.2.129"
readonly TOOLS_DIR=".tools"

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

require_command() {
    command -v "$1" >/dev/null 2>&1 || fail "\`$1\` is not installed. $2"
}

ensure_rust() {
    require_command rustup "Install Rust with rustup (https://rustup.rs), then run this again."
    require_command cargo "rustup is installed but \`cargo\` is not on PATH; add ~/.cargo/bin to PATH."
}

# rustfmt and clippy are rustup components: `rustup component add` is quick when present,
# but checking the installed list first keeps a second run silent and offline.
ensure_rust_component() {
    local component="$1"
    if rustup component list --installed 2>/dev/null | grep -q "^${component}\(-\|$\)"; then
        return
    fi
    say "installing rustup component ${component}"
    rustup component add "${component}"
}

ensure_wasm_target() {
    if rustup target list --installed 2>/dev/null | grep -qx "wasm32-unknown-unknown"; then
        return
    fi
    say "installing Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
}

# The wasm-bindgen CLI must match the `wasm-bindgen` crate version exactly; it lives in a
# project-local, git-ignored folder so nothing global changes.
ensure_wasm_bindgen() {
    local binary="${TOOLS_DIR}/bin/wasm-bindgen"
    if [[ -x "${binary}" ]] && [[ "$("${binary}" --version 2>/dev/null)" == "wasm-bindgen ${WASM_BINDGEN_VERSION}" ]]; then
        return
    fi
    say "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} into ${TOOLS_DIR}/ (about 2 minutes)"
    cargo install wasm-bindgen-cli --version "=${WASM_BINDGEN_VERSION}" --locked --root "${TOOLS_DIR}"
}

main() {
    ensure_rust
    ensure_rust_component rustfmt
    ensure_rust_component clippy
    say "ready ($(rustc --version))"
}

main "$@"
