#!/usr/bin/env bash
# Builds the pyvet command line in release mode and runs it on the bundled example, a small
# Flask service with several real security mistakes. Extra arguments go to `pyvet check`
# instead of the example: `bash scripts/run.sh path/to/your/code`.
set -euo pipefail

cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "==> building pyvet (release)"
cargo build --release --locked --bin pyvet

target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
pyvet="${target_dir}/release/pyvet"

if [[ $# -eq 0 ]]; then
    set -- examples/vulnerable_app.py
fi

echo "==> pyvet check $*"
status=0
"${pyvet}" check "$@" || status=$?

echo
case "${status}" in
    0) echo "pyvet found nothing (exit 0)." ;;
    1) echo "pyvet reported findings (exit 1): that is what the example is for." ;;
    *) echo "pyvet failed (exit ${status})." >&2; exit "${status}" ;;
esac
echo "The pyvet binary is ${pyvet}; try \`${pyvet} check --help\`."
echo "The browser playground (the same engine compiled to WebAssembly) comes in a later version."
