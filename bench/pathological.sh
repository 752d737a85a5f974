#!/usr/bin/env bash
# Times `pyvet check` (and `pyvet check --fix --unsafe-fixes` for families with fixes) on
# every pathological input family at each size, on one thread, with a time limit, and
# prints a table: seconds and peak memory (MB), or TIMEOUT / exit status when a run fails.
#
#   bench/pathological.sh [SIZE ...]          default sizes: 1000 10000 100000
#   PYVET=/path/to/pyvet bench/pathological.sh   time another build (e.g. an older one)
#   LIMIT=60 bench/pathological.sh            seconds before a run counts as a hang (default 30)
#
# The families live in tests/support/pathological.rs; tests/pathological.rs checks that
# each grows about linearly.
set -euo pipefail
cd "$(dirname "$0")/.."

LIMIT="${LIMIT:-30}"
if [[ -z "${PYVET:-}" ]]; then
    cargo build --release --locked --quiet --bin pyvet
    PYVET="$PWD/target/release/pyvet"
fi
cargo build --release --locked --quiet --example pathological
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
GENERATE="$TARGET_DIR/release/examples/pathological"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One timed run: prints "seconds peak-MB" or why it failed. Exit 1 (findings) is success.
measure() {
    local status=0
    timeout --signal=KILL "$LIMIT" /usr/bin/time -f '%e %M' -o "$work/time" \
        "$PYVET" check --threads 1 "$@" >/dev/null 2>"$work/stderr" || status=$?
    if [[ $status -eq 137 ]]; then
        printf '%s' "TIMEOUT(>${LIMIT}s)"
    elif [[ $status -gt 1 ]]; then
        printf '%s' "EXIT-$status"
    else
        read -r seconds kilobytes < <(tail -n 1 "$work/time")
        printf '%ss/%sMB' "$seconds" "$((kilobytes / 1024))"
    fi
}

printf '%-28s %8s  %-20s %-20s\n' family size check "check --fix --unsafe-fixes"
"$GENERATE" "$work/inputs" "$@" 2>/dev/null | while read -r family size fixes path; do
    check=$(measure "$path")
    fix="-"
    if [[ "$fixes" == "true" ]]; then
        cp "$path" "$work/fix.py"
        fix=$(measure --fix --unsafe-fixes "$work/fix.py")
    fi
    printf '%-28s %8s  %-20s %-20s\n' "$family" "$size" "$check" "$fix"
done
