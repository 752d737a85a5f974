#!/usr/bin/env python3
"""Times pyvet, Ruff's security rules (`--select S`) and Bandit on the CPython standard library.

    python3 bench/compare.py [--runs 3] [--bandit-runs 1] [--skip-bandit] [--pyvet PATH]

Every tool checks the same list of files (written to .tools/bench/files.txt), once on one
thread and once on every core, best of N runs. Exit codes are ignored: all three find things.
Ruff and Bandit come from PyPI at pinned versions, in a venv under .tools/bench-venv.
This is a benchmark, not a test: nothing here fails on a slow number.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

RUFF_VERSION = "0.17.6"
BANDIT_VERSION = "1.9.4"

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"
VENV = TOOLS / "bench-venv"
FILE_LIST = TOOLS / "bench" / "files.txt"


@dataclass
class Timing:
    tool: str
    mode: str
    seconds: float
    cpu_seconds: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per pyvet/ruff timing (best is kept)")
    parser.add_argument("--bandit-runs", type=int, default=1, help="runs per Bandit timing")
    parser.add_argument("--skip-bandit", action="store_true", help="Bandit takes minutes; leave it out")
    parser.add_argument("--pyvet", type=Path, help="use this pyvet binary instead of building one")
    args = parser.parse_args()

    venv_bin = ensure_venv()
    pyvet = args.pyvet or build_pyvet()
    files = write_file_list()
    lines = count_lines(files)
    cores = os.cpu_count() or 1
    print(f"{len(files)} files, {lines:,} lines, from {stdlib_path()}; {cores} cores")
    print(f"pyvet {pyvet}; ruff {RUFF_VERSION}; bandit {BANDIT_VERSION}\n")

    names = [str(path) for path in files]
    check_pyvet(pyvet, names[0])
    modes = [("1 thread", 1), (f"{cores} threads", cores)]
    timings: list[Timing] = []
    threads_flag = "--threads" in run_quietly([str(pyvet), "check", "--help"]).stdout
    for mode, threads in modes:
        pyvet_command = [str(pyvet), "check", "--format", "json"]
        if threads_flag:
            pyvet_command += ["--threads", str(threads)]
        ruff_command = [str(venv_bin / "ruff"), "check", "--select", "S", "--no-cache", "--isolated",
                        "--output-format", "json"]
        # Both are Rust programs whose rayon pool reads RAYON_NUM_THREADS.
        env = {**os.environ, "RAYON_NUM_THREADS": str(threads)}
        timings.append(best_of("pyvet", mode, pyvet_command + names, env, args.runs))
        timings.append(best_of("ruff", mode, ruff_command + names, env, args.runs))
    if not args.skip_bandit:
        # Bandit has no parallel mode: one thread is all it does.
        bandit_command = [str(venv_bin / "bandit"), "-q", "-f", "json", "-o", os.devnull]
        timings.append(best_of("bandit", "1 thread", bandit_command + names, dict(os.environ),
                               args.bandit_runs))
    print_table(timings, lines)


def ensure_venv() -> Path:
    """Creates the venv with pinned Ruff and Bandit, or reuses it when the versions match."""
    venv_bin = VENV / "bin"
    wanted = {"ruff": RUFF_VERSION, "bandit": BANDIT_VERSION}
    if installed_versions(venv_bin) == wanted:
        return venv_bin
    print(f"installing ruff {RUFF_VERSION} and bandit {BANDIT_VERSION} into {VENV.relative_to(ROOT)}")
    if not (venv_bin / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(venv_bin / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    f"ruff=={RUFF_VERSION}", f"bandit=={BANDIT_VERSION}"], check=True)
    return venv_bin


def installed_versions(venv_bin: Path) -> dict[str, str]:
    if not (venv_bin / "python").exists():
        return {}
    script = ("import importlib.metadata as m, json\n"
              "out = {}\n"
              "for name in ('ruff', 'bandit'):\n"
              "    try: out[name] = m.version(name)\n"
              "    except m.PackageNotFoundError: pass\n"
              "print(json.dumps(out))")
    result = run_quietly([str(venv_bin / "python"), "-c", script])
    return json.loads(result.stdout or "{}")


def check_pyvet(pyvet: Path, sample: str) -> None:
    """Stops early, and says why, when this pyvet has no `check --format json` to time."""
    result = run_quietly([str(pyvet), "check", "--format", "json", sample])
    try:
        ok = result.returncode in (0, 1) and "findings" in json.loads(result.stdout)
    except ValueError:
        ok = False
    if not ok:
        sys.exit(f"{pyvet} check --format json does not work (exit {result.returncode}); "
                 "build a pyvet with the full CLI or pass --pyvet PATH")


def build_pyvet() -> Path:
    subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "pyvet"], cwd=ROOT, check=True)
    metadata = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
                              check=True, capture_output=True, text=True)
    return Path(json.loads(metadata.stdout)["target_directory"]) / "release" / "pyvet"


def stdlib_path() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def write_file_list() -> list[Path]:
    """Every .py file of the standard library (test folders included), not site-packages."""
    stdlib = stdlib_path()
    files = sorted(path for path in stdlib.rglob("*.py")
                   if "site-packages" not in path.relative_to(stdlib).parts and path.is_file())
    FILE_LIST.parent.mkdir(parents=True, exist_ok=True)
    FILE_LIST.write_text("".join(f"{path}\n" for path in files))
    return files


def count_lines(files: list[Path]) -> int:
    return sum(len(path.read_bytes().splitlines()) for path in files)


def best_of(tool: str, mode: str, command: list[str], env: dict[str, str], runs: int) -> Timing:
    best: Timing | None = None
    for run in range(max(runs, 1)):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"  {tool:<6} {mode:<10} run {run + 1}: {seconds:7.3f} s wall, {cpu:7.3f} s CPU", flush=True)
        if best is None or seconds < best.seconds:
            best = Timing(tool, mode, seconds, cpu)
    assert best is not None
    return best


def print_table(timings: list[Timing], lines: int) -> None:
    """Wall time is what a user waits; CPU time is steadier on a busy machine (and shows
    that the one-thread runs really used one core)."""
    print()
    print("| tool   | mode       | wall s | CPU s  | lines/s (wall) | lines/CPU-s |")
    print("|--------|------------|-------:|-------:|---------------:|------------:|")
    for timing in timings:
        print(f"| {timing.tool:<6} | {timing.mode:<10} | {timing.seconds:6.2f} | {timing.cpu_seconds:6.2f} "
              f"| {per_second(lines, timing.seconds):>14,.0f} | {per_second(lines, timing.cpu_seconds):>11,.0f} |")
    print()
    by_key = {(timing.tool, timing.mode): timing for timing in timings}
    for (tool, mode), timing in by_key.items():
        if tool != "pyvet":
            continue
        for other in ("ruff", "bandit"):
            rival = by_key.get((other, mode)) or by_key.get((other, "1 thread"))
            if rival:
                print(f"pyvet ({mode}) vs {other} ({rival.mode}): "
                      f"{ratio(rival.seconds, timing.seconds):.1f}x as fast (wall), "
                      f"{ratio(rival.cpu_seconds, timing.cpu_seconds):.1f}x less CPU")


def per_second(lines: int, seconds: float) -> float:
    return lines / seconds if seconds > 0 else float("inf")


def ratio(theirs: float, ours: float) -> float:
    return theirs / ours if ours > 0 else float("inf")


def run_quietly(command: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        return subprocess.CompletedProcess(command, 127, "", str(error))


if __name__ == "__main__":
    main()
