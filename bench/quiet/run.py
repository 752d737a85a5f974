#!/usr/bin/env python3
"""Re-run pyvet on six well-maintained projects and compare with the judged baseline.

Downloads the sdists of flask, requests, httpx, celery, ansible-core and tornado at pinned
versions (with pip, into a cache folder), unpacks them, runs `pyvet check --format json`
on each (outside test files, in test files as pyvet reports them by default, and in test
files with `--include-tests`), and compares the findings with `baseline.tsv`, where a
person judged each one `worth` (a security reviewer wants to see it) or `noise`.

Exit status: 0 when the judged quality holds, 1 when the share of findings worth reporting
outside tests drops below 80 %, a `worth` finding disappears, or test files reach 20
findings; 2 on a usage or download error. Python 3.8+, standard library only (plus pip).
"""

import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BASELINE = HERE / "baseline.tsv"

# Name on PyPI, pinned version, and the sha256 of its sdist: a different file would give
# different findings, so the script refuses it.
PROJECTS = [
    ("flask", "3.1.3", "0ef0e52b8a9cd932855379197dd8f94047b359ca0a78695144304cb45f87c9eb"),
    ("requests", "2.34.2", "f288924cae4e29463698d6d60bc6a4da69c89185ad1e0bcc4104f584e960b9ed"),
    ("httpx", "0.29.0", "700928ee6c1f4213795e67c47eba8f8553639069fea89199f71d654e38edc593"),
    ("celery", "5.7.0", "6a5dfcf6662287204f009a02002b9e66c83d4105e47ebabdc7079108772fc6f0"),
    ("ansible-core", "2.19.14", "1e7612788eaa6b3c87a3670ce86c64b830eba0ae2b3fcb25a772f276704163b4"),
    ("tornado", "6.6.1", "28e6311402af59c8b02e3fa0f5e7d8eb465b25081381803b127d97e6a4395d5a"),
]

MIN_WORTH_SHARE = 0.80
MAX_TEST_FINDINGS = 20  # test files must stay below this
COLUMNS = ["where", "project", "path", "rule", "line", "verdict", "reason", "excerpt"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyvet", help="the pyvet binary (default: the newer of "
                        "target/release/pyvet and target/debug/pyvet, else a release build)")
    parser.add_argument("--cache", default=os.environ.get("PYVET_QUIET_CACHE", HERE / ".cache"),
                        help="where sdists are downloaded and unpacked (default: bench/quiet/.cache)")
    parser.add_argument("--write-baseline", action="store_true",
                        help="rewrite baseline.tsv with the current findings, keeping the "
                        "verdicts of those already judged and marking new ones `unjudged`")
    args = parser.parse_args()

    pyvet = find_pyvet(args.pyvet)
    cache = Path(args.cache).resolve()
    sources = {name: fetch(name, version, digest, cache) for name, version, digest in PROJECTS}

    current = []  # one dict per finding, with where = outside | tests
    full_in_tests = collections.Counter()
    for name, root in sources.items():
        outside = run(pyvet, root, ["--config", str(outside_tests_config(root))])
        default = run(pyvet, root, ["--isolated"])
        everything = run(pyvet, root, ["--isolated", "--include-tests"])
        outside_keys = collections.Counter(position(f) for f in outside)
        for finding in default:
            where = "tests"
            if outside_keys[position(finding)] > 0:
                outside_keys[position(finding)] -= 1
                where = "outside"
            current.append(record(name, root, finding, where))
        # Files outside tests get the same findings in every run.
        full_in_tests[name] = len(everything) - len(outside)

    baseline = read_baseline()
    if args.write_baseline:
        write_baseline(current, baseline)
        baseline = read_baseline()
    return report(current, baseline, full_in_tests)


def find_pyvet(given):
    if given:
        return str(Path(given).resolve())
    # The newer of the release and debug builds: a stale one would report old findings.
    built = [REPO / "target" / profile / "pyvet" for profile in ("release", "debug")]
    built = [candidate for candidate in built if candidate.exists()]
    if built:
        return str(max(built, key=lambda candidate: candidate.stat().st_mtime))
    subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)
    return str(REPO / "target" / "release" / "pyvet")


def fetch(name, version, digest, cache):
    """The unpacked sdist of `name==version`, downloaded with pip the first time."""
    sdists = cache / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    stem = f"{name.replace('-', '_')}-{version}"
    archive = sdists / f"{stem}.tar.gz"
    if not archive.exists():
        command = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
                   "--dest", str(sdists), f"{name}=={version}"]
        if subprocess.run(command).returncode != 0 or not archive.exists():
            sys.exit(f"could not download {name}=={version} into {sdists}")
    actual = hashlib.sha256(archive.read_bytes()).hexdigest()
    if actual != digest:
        sys.exit(f"{archive} has sha256 {actual}, expected {digest}: delete it and re-run")
    root = cache / "src" / stem
    if not root.exists():
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
            if hasattr(tarfile, "data_filter"):
                tar.extractall(cache / "src", members=members, filter="data")
            else:  # Python < 3.8.17 / 3.11.4: the members are checked by hand instead
                for member in members:
                    if member.name.startswith(("/", "..")) or ".." in Path(member.name).parts \
                            or member.issym() or member.islnk():
                        sys.exit(f"{archive}: unexpected member {member.name}")
                tar.extractall(cache / "src", members=members)
    return root


def outside_tests_config(root):
    """A configuration that leaves test files out of the search (`include-tests = false`),
    so the CLI itself says which findings are outside tests."""
    config = root / "pyvet.toml"
    config.write_text("include-tests = false\n")
    return config


def run(pyvet, root, flags):
    result = subprocess.run([pyvet, "check", "--format", "json", *flags, "."], cwd=root,
                            capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"pyvet failed in {root}: {result.stderr}")
    return json.loads(result.stdout)["findings"]


def position(finding):
    start = finding["range"]["start"]
    return (finding["path"], finding["rule_id"], start["line"], start["column"])


def record(project, root, finding, where):
    line = finding["range"]["start"]["line"]
    text = (root / finding["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
    return {
        "where": where,
        "project": project,
        "path": finding["path"],
        "rule": finding["rule_id"],
        "line": str(line),
        "excerpt": excerpt(text[line - 1] if line <= len(text) else ""),
    }


def excerpt(line):
    """The flagged line, whitespace collapsed and cut: what findings are matched on (with
    project, path and rule), so a line number moving does not count as a change."""
    return " ".join(line.split())[:120]


def key(finding):
    return (finding["project"], finding["path"], finding["rule"], finding["excerpt"])


def read_baseline():
    if not BASELINE.exists():
        return []
    rows = []
    for number, line in enumerate(BASELINE.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#") or line.startswith("where\t"):
            continue
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            sys.exit(f"{BASELINE}:{number}: expected {len(COLUMNS)} tab-separated fields")
        row = dict(zip(COLUMNS, fields))
        if row["verdict"] not in ("worth", "noise", "unjudged"):
            sys.exit(f"{BASELINE}:{number}: verdict must be worth, noise or unjudged")
        rows.append(row)
    return rows


def write_baseline(current, baseline):
    judged = collections.defaultdict(list)
    for row in baseline:
        judged[key(row)].append(row)
    lines = ["\t".join(COLUMNS)]
    for finding in sorted(current, key=lambda f: (f["where"], f["project"], f["path"],
                                                  f["rule"], int(f["line"]))):
        previous = judged[key(finding)].pop(0) if judged[key(finding)] else None
        verdict = previous["verdict"] if previous else "unjudged"
        reason = previous["reason"] if previous else ""
        lines.append("\t".join([finding["where"], finding["project"], finding["path"],
                                finding["rule"], finding["line"], verdict, reason,
                                finding["excerpt"]]))
    BASELINE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def report(current, baseline, full_in_tests):
    remaining = collections.defaultdict(list)
    for row in baseline:
        remaining[key(row)].append(row)
    new = []
    matched = []
    for finding in current:
        rows = remaining[key(finding)]
        if rows:
            matched.append((finding, rows.pop(0)))
        else:
            new.append(finding)
    gone = [row for rows in remaining.values() for row in rows]

    print("Per project (default view; 'tests, all rules' is with --include-tests):")
    print(f"  {'project':<14}{'outside':>9}{'tests':>7}{'tests, all rules':>18}")
    for name, _, _ in PROJECTS:
        outside = sum(1 for f in current if f["project"] == name and f["where"] == "outside")
        tests = sum(1 for f in current if f["project"] == name and f["where"] == "tests")
        print(f"  {name:<14}{outside:>9}{tests:>7}{full_in_tests[name]:>18}")
    print(f"  {'total':<14}{count(current, 'outside'):>9}{count(current, 'tests'):>7}"
          f"{sum(full_in_tests.values()):>18}")

    print("\nPer rule (outside / tests):")
    rules = sorted({f["rule"] for f in current})
    for rule in rules:
        outside = sum(1 for f in current if f["rule"] == rule and f["where"] == "outside")
        tests = sum(1 for f in current if f["rule"] == rule and f["where"] == "tests")
        print(f"  {rule}  {outside:>3} / {tests:<3}")

    failures = []
    for where in ("outside", "tests"):
        findings = [pair for pair in matched if pair[0]["where"] == where]
        total = count(current, where)
        worth = sum(1 for _, row in findings if row["verdict"] == "worth")
        share = worth / total if total else 1.0
        print(f"\n{where}: {worth} of {total} worth reporting ({share:.0%}); "
              f"new findings count as not judged worth")
        if where == "outside" and share < MIN_WORTH_SHARE:
            failures.append(f"only {share:.0%} of the findings outside tests are worth "
                            f"reporting (at least {MIN_WORTH_SHARE:.0%} required)")
    tests = count(current, "tests")
    if tests >= MAX_TEST_FINDINGS:
        failures.append(f"{tests} findings in test files (fewer than {MAX_TEST_FINDINGS} required)")

    if new:
        print("\nNew findings, not in the baseline (judge them, then --write-baseline):")
        for finding in new:
            print(f"  {finding['where']:<8}{finding['project']} {finding['path']}:"
                  f"{finding['line']} {finding['rule']}  {finding['excerpt']}")
    if gone:
        print("\nBaseline findings no longer reported:")
        for row in gone:
            print(f"  {row['verdict']:<6}{row['project']} {row['path']}:{row['line']} "
                  f"{row['rule']}  {row['excerpt']}  ({row['reason']})")
            if row["verdict"] == "worth":
                failures.append(f"a finding worth reporting disappeared: {row['project']} "
                                f"{row['path']} {row['rule']}")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print("\nOK")
    return 0


def count(findings, where):
    return sum(1 for finding in findings if finding["where"] == where)


if __name__ == "__main__":
    sys.exit(main())
