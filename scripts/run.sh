#!/usr/bin/env bash
# Builds and serves the pyvet playground: the engine compiled to WebAssembly, the site around
# it, served at http://127.0.0.1:PORT/ (default 8000) with the same strict
# Content-Security-Policy a real host would send. Installs what it needs on the way.
#
#   bash scripts/run.sh            build everything and serve the site
#   PORT=9000 bash scripts/run.sh  another port
#
# The command line is `cargo run --release -- check PATHS` (see the README).
set -euo pipefail

cd "$(dirname "$0")/.."

bash scripts/setup.sh site
echo "==> building the WebAssembly package"
bash scripts/build-wasm.sh
echo "==> building the site"
node scripts/build-site.mjs
echo "==> serving (Ctrl-C to stop); your code stays in your browser"
exec node scripts/serve.mjs --port "${PORT:-8000}"
