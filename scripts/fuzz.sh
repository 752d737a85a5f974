#!/usr/bin/env bash
# Fuzzes the engine with cargo-fuzz (libFuzzer): each target under fuzz/fuzz_targets/ runs for
# a bounded time, one after the other, on one core. Fails on the first crash, timeout or
# out-of-memory and says where the input that caused it was written.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 60 s, every target
#
# Seeds come from the repository each run (the rule and data-flow fixtures and examples/*.py,
# copied into fuzz/corpus/seeds/); what the fuzzer finds interesting is kept in fuzz/corpus/<target>/ for
# the next local run. Both are git-ignored, as are crash inputs (fuzz/artifacts/<target>/) and
# the logs (fuzz/artifacts/<target>.log).
#
# PYVET_FUZZ_SEED=N and PYVET_FUZZ_RUNS=N make a run repeatable: the same seed and at most
# that many inputs per target explore the same inputs on any machine (the time limit still
# applies; a slower machine stops earlier in the same sequence). CI uses both, so a build
# fails on what the engine does, not on which inputs a busy machine happened to reach.
#
# cargo-fuzz is installed into .tools/ (git-ignored) when missing. It needs a nightly
# toolchain; without one it builds on stable with RUSTC_BOOTSTRAP=1. PYVET_FUZZ_TOOLCHAIN=stable
# forces that fallback, PYVET_FUZZ_TOOLCHAIN=nightly forces nightly.
set -euo pipefail

cd "$(dirname "$0")/.."

readonly CARGO_FUZZ_VERSION="0.13.2"
readonly TOOLS_DIR=".tools"
# Per input: longer than this is a hang, more memory than this a blow-up (DESIGN.md asks for
# bounded time and memory on any input; the inputs here are a few KB).
readonly INPUT_TIMEOUT_SECONDS=10
readonly RSS_LIMIT_MB=2048

say() { printf 'fuzz: %s\n' "$*"; }
fail() { printf 'fuzz: error: %s\n' "$*" >&2; exit 1; }

seconds="${1:-60}"
[[ "${seconds}" =~ ^[1-9][0-9]*$ ]] || fail "SECONDS_PER_TARGET must be a positive number, not \"${seconds}\""
shift || true

ensure_cargo_fuzz() {
    local binary="${TOOLS_DIR}/bin/cargo-fuzz"
    if [[ -x "${binary}" ]] && [[ "$("${binary}" --version 2>/dev/null)" == "cargo-fuzz ${CARGO_FUZZ_VERSION}" ]]; then
        return
    fi
    say "installing cargo-fuzz ${CARGO_FUZZ_VERSION} into ${TOOLS_DIR}/"
    local started=$SECONDS
    cargo install cargo-fuzz --version "=${CARGO_FUZZ_VERSION}" --locked --root "${TOOLS_DIR}"
    say "installed in $((SECONDS - started)) s"
}

# cargo-fuzz passes nightly-only flags to rustc (-Z...). Prefer the nightly toolchain; on
# stable, RUSTC_BOOTSTRAP=1 lets them through, and no sanitizer runtime is needed because
# the targets build without one anyway (see SANITIZER).
toolchain=()
fuzz_command="cargo +nightly fuzz"
choose_toolchain() {
    local wanted="${PYVET_FUZZ_TOOLCHAIN:-}"
    if [[ "${wanted}" != "stable" ]] && rustup run nightly rustc --version >/dev/null 2>&1; then
        toolchain=(+nightly)
        say "toolchain: $(rustup run nightly rustc --version)"
        return
    fi
    [[ "${wanted}" == "nightly" ]] && fail "PYVET_FUZZ_TOOLCHAIN=nightly, but rustup has no nightly toolchain"
    export RUSTC_BOOTSTRAP=1
    fuzz_command="RUSTC_BOOTSTRAP=1 cargo fuzz"
    say "toolchain: $(rustc --version) with RUSTC_BOOTSTRAP=1 (no nightly toolchain found, or PYVET_FUZZ_TOOLCHAIN=stable)"
}

# No sanitizer: the engine is safe Rust (its one unsafe module, the wasm arena, is not the
# native allocator), so AddressSanitizer finds little here, while it costs about 20% more
# build time and 3x the CPU time per input (measured on the seeds and a 4,000-input corpus).
# Panics, hangs and memory blow-ups are caught without it; a stack overflow kills the process
# silently, which is why the targets keep a copy of the last input (PYVET_FUZZ_LAST_INPUT).
# Debug assertions stay on: overflow checks catch offset arithmetic that would wrap silently.
readonly SANITIZER="none"

cargo_fuzz() {
    PATH="${PWD}/${TOOLS_DIR}/bin:${PATH}" cargo "${toolchain[@]}" fuzz "$@"
}

# Seeds: every fixture (the expected .fixed.py outputs too) and the examples, copied fresh.
copy_seeds() {
    local seeds="fuzz/corpus/seeds"
    rm -rf "${seeds}"
    mkdir -p "${seeds}"
    local file name
    while IFS= read -r -d '' file; do
        name="${file#tests/fixtures/}"
        cp "${file}" "${seeds}/${name//\//-}"
    done < <(find tests/fixtures tests/dataflow examples -name '*.py' -not -name '*.actual.py' -print0)
    say "seeds: $(find "${seeds}" -type f | wc -l) files from tests/fixtures, tests/dataflow and examples"
}

run_target() {
    local target="$1" binary="$2"
    [[ -x "${binary}" ]] || fail "no fuzz target named \"${target}\" (the targets: $(cargo_fuzz list | tr '\n' ' '))"
    local corpus="fuzz/corpus/${target}" artifacts="fuzz/artifacts/${target}"
    local log="fuzz/artifacts/${target}.log"
    mkdir -p "${corpus}" "${artifacts}"
    say "${target}: fuzzing for ${seconds} s (log: ${log})"
    local status=0
    local repeatable=()
    [[ -n "${PYVET_FUZZ_SEED:-}" ]] && repeatable+=("-seed=${PYVET_FUZZ_SEED}")
    [[ -n "${PYVET_FUZZ_RUNS:-}" ]] && repeatable+=("-runs=${PYVET_FUZZ_RUNS}")
    # One process, one core; new interesting inputs go to the first corpus folder only.
    PYVET_FUZZ_LAST_INPUT="${artifacts}/last-input" "${binary}" \
        "${repeatable[@]}" \
        -max_total_time="${seconds}" \
        -timeout="${INPUT_TIMEOUT_SECONDS}" \
        -rss_limit_mb="${RSS_LIMIT_MB}" \
        -dict=fuzz/python.dict \
        -artifact_prefix="${artifacts}/" \
        -print_final_stats=1 \
        "${corpus}" fuzz/corpus/seeds >"${log}" 2>&1 || status=$?
    if [[ "${status}" -ne 0 ]]; then
        printf '\n' >&2
        tail -n 60 "${log}" >&2
        local input
        input="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "${log}" | tail -n 1)"
        if [[ -z "${input}" ]] && [[ "${status}" -gt 128 ]]; then
            # Killed by a signal before libFuzzer could report: without a sanitizer that is
            # how a stack overflow ends (or SIGKILL from the system's out-of-memory killer).
            input="${artifacts}/crash-signal-$((status - 128))-$(date +%s)"
            cp "${artifacts}/last-input" "${input}"
            printf '\nfuzz: killed by signal %s without a report (a stack overflow, if SIGSEGV);\n' \
                "$((status - 128))" >&2
            printf 'fuzz: `cargo run --release -- check FILE` runs it on a CLI worker, which names it\n' >&2
        fi
        printf '\nfuzz: %s FAILED (exit %s): a crash, timeout or out-of-memory; the log is %s\n' \
            "${target}" "${status}" "${log}" >&2
        if [[ -n "${input}" ]]; then
            printf 'fuzz: the input that caused it: %s\n' "${input}" >&2
            printf 'fuzz: reproduce with: %s %s\n' "${binary}" "${input}" >&2
            printf 'fuzz:            or: %s run -s %s %s %s\n' "${fuzz_command}" "${SANITIZER}" "${target}" "${input}" >&2
        fi
        return 1
    fi
    local runs coverage
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}")"
    coverage="$(grep -o 'cov: [0-9]*' "${log}" | tail -n 1)"
    say "${target}: ok, ${runs:-?} inputs in ${seconds} s, ${coverage:-cov: ?}, corpus $(find "${corpus}" -type f | wc -l) files"
}

main() {
    ensure_cargo_fuzz
    choose_toolchain
    local targets=("$@")
    if [[ "${#targets[@]}" -eq 0 ]]; then
        mapfile -t targets < <(cargo_fuzz list)
    fi
    # One build for every target: they share the crate graph and the flags.
    say "building ${targets[*]} (fuzz/target)"
    local build_started=$SECONDS
    cargo_fuzz build --sanitizer "${SANITIZER}" --debug-assertions
    say "built in $((SECONDS - build_started)) s"
    copy_seeds
    local host target
    host="$(rustc -vV | sed -n 's/^host: //p')"
    for target in "${targets[@]}"; do
        run_target "${target}" "fuzz/target/${host}/release/${target}"
    done
}

main "$@"
