#!/usr/bin/env bash
# Builds the npm package in pkg/: the engine compiled to WebAssembly, wasm-bindgen's
# ES-module glue and the TypeScript types. Installs the tools it needs; safe to re-run.
#
#   scripts/build-wasm.sh            build pkg/ and print its sizes
#
# The wasm-bindgen CLI goes to .tools/ (git-ignored) and
# must be the exact version of the wasm-bindgen crate in Cargo.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.129
TOOLS="$PWD/.tools"

if command -v rustup >/dev/null; then
  rustup target add wasm32-unknown-unknown >/dev/null 2>&1 ||
    rustup target add wasm32-unknown-unknown
fi

if ! "$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  echo "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION into .tools/ (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --locked --root "$TOOLS"
fi

cargo build --lib --target wasm32-unknown-unknown --profile wasm-release \
  --no-default-features --features wasm

# Ask cargo where it put the module (CARGO_TARGET_DIR or a config may move it).
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
WASM="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/pyvet.wasm"

rm -rf pkg/snippets # JavaScript the module imports (inline_js); nothing stale left in it
# --experimental-reset-state-function: the glue exports `__wbg_reset_state`, which gives
# it a fresh instance of the module; the entry point calls it after a trap.
"$TOOLS/bin/wasm-bindgen" "$WASM" --target web --out-dir pkg \
  --remove-name-section --remove-producers-section --experimental-reset-state-function

# The package's entry point, pkg/pyvet.js, is src/wasm/pyvet.js: wasm-bindgen's glue behind
# a guard that turns a trap into an ordinary Error and replaces the trapped instance (see
# that file). The glue becomes pyvet_bindgen.js, which the types no longer describe: they
# describe the entry point, which exports the same API minus the glue's internals.
sed '1{/@ts-self-types/d}' pkg/pyvet.js >pkg/pyvet_bindgen.js
cp src/wasm/pyvet.js pkg/pyvet.js
sed -i '/^export function __wbg_reset_state(): void;$/d' pkg/pyvet.d.ts
if grep -q __wbg_reset_state pkg/pyvet.d.ts; then
  echo "build-wasm.sh: pkg/pyvet.d.ts still declares __wbg_reset_state" >&2
  exit 1
fi

# wasm-bindgen types the raw ABI of JsValue parameters (InitOutput, pyvet_bg.wasm.d.ts) as
# `any`; `unknown` says the same without switching type checking off. The exported API is
# typed by the interfaces in src/wasm.rs.
sed -i -E 's/([a-z]): any([,)])/\1: unknown\2/g' pkg/pyvet.d.ts pkg/pyvet_bg.wasm.d.ts

# No wasm-opt: binaryen 132 (npm) at -O3 on the opt-level 3 module makes analyze 3-5%
# faster in Node (bench/wasm) and the module 1% smaller gzipped, for a 104 MB npm package
# and 21 s more per build; at -Oz it is 7% smaller raw but 2% bigger gzipped. Re-measure
# before adding it.

scripts/size.sh
