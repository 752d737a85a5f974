#!/usr/bin/env bash
# Prepares this machine for building and testing pyvet. Safe to run again: every step
# checks first and does nothing when its tool is already there.
#
#   scripts/setup.sh          everything: Rust components, the wasm32 target, wasm-bindgen-cli,
#                             the npm packages, Debian's chromium (for the browser tests) and
#                             maturin and pre-commit (for the packaging tests)
#   scripts/setup.sh site     the Rust side, wasm-bindgen-cli and the npm packages (enough to
#                             build and serve the site)
#   scripts/setup.sh rust     the Rust components only
#   scripts/setup.sh python   maturin and pre-commit only
#
# Needs: rustup with Rust 1.95, Node.js 20 with npm, Python 3 with venv, and apt-get (as root
# or with sudo) for chromium. Everything else comes from crates.io, npm, PyPI and Debian's
# archive.
set -euo pipefail

cd "$(dirname "$0")/.."

readonly WASM_BINDGEN_VERSION="0.2.129"
readonly TOOLS_DIR=".tools"
readonly MATURIN_VERSION="1.16.0"
readonly PRE_COMMIT_VERSION="4.7.0"

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

# The site's npm packages (CodeMirror, esbuild, playwright-core, marked), exactly as locked.
# Re-installed only when package-lock.json changed since the last install.
ensure_node_packages() {
    require_command node "Install Node.js 20 and npm."
    require_command npm "Install npm (it comes with Node.js)."
    local stamp="node_modules/.package-lock.json"
    if [[ -f "${stamp}" ]] && [[ ! "package-lock.json" -nt "${stamp}" ]]; then
        return
    fi
    say "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
}

# Debian's Chromium for the browser tests (playwright-core drives it; it downloads no browser).
ensure_chromium() {
    if [[ -x /usr/bin/chromium ]]; then
        return
    fi
    require_command apt-get "The browser tests need Chromium at /usr/bin/chromium."
    say "installing Debian's chromium (about a minute)"
    local sudo=""
    if [[ "$(id -u)" -ne 0 ]]; then sudo="sudo"; fi
    ${sudo} apt-get update -qq
    DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y -qq chromium >/dev/null
}

# maturin (builds the wheel) and pre-commit (runs the hook) for tests/packaging.rs, from
# PyPI into a project-local virtualenv. Re-installed only when a version differs.
ensure_python_tools() {
    require_command python3 "Install Python 3 (with its venv module)."
    local venv="${TOOLS_DIR}/py"
    if [[ "$("${venv}/bin/maturin" --version 2>/dev/null)" == "maturin ${MATURIN_VERSION}" ]] &&
        [[ "$("${venv}/bin/pre-commit" --version 2>/dev/null)" == "pre-commit ${PRE_COMMIT_VERSION}" ]]; then
        return
    fi
    say "installing maturin ${MATURIN_VERSION} and pre-commit ${PRE_COMMIT_VERSION} into ${venv}/"
    python3 -m venv "${venv}"
    "${venv}/bin/pip" install --quiet --disable-pip-version-check \
        "maturin==${MATURIN_VERSION}" "pre-commit==${PRE_COMMIT_VERSION}"
}

main() {
    local what="${1:-all}"
    ensure_rust
    ensure_rust_component rustfmt
    ensure_rust_component clippy
    if [[ "${what}" == "rust" ]]; then
        say "ready ($(rustc --version))"
        return
    fi
    if [[ "${what}" == "python" ]]; then
        ensure_python_tools
        say "ready ($("${TOOLS_DIR}/py/bin/maturin" --version), $("${TOOLS_DIR}/py/bin/pre-commit" --version))"
        return
    fi
    ensure_wasm_target
    ensure_wasm_bindgen
    ensure_node_packages
    if [[ "${what}" == "all" ]]; then
        ensure_chromium
        ensure_python_tools
    fi
    say "ready ($(rustc --version), node $(node --version))"
}

main "$@"
