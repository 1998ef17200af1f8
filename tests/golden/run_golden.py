#!/usr/bin/env python3
"""The golden corpus: every JSON and CSV file the demo writes, compared byte for byte.

Runs scripts/demo (and its steps in scripts/demo.d) with KEEL on a fresh store in a temporary
directory, then compares each .json and .csv output with tests/golden/demo/<relative path>.
Values that change from run to run (wall-clock timings and timestamps) are replaced by a
placeholder in both before comparing; everything else must match byte for byte, so a refactor
that renames a key, reorders an array or changes a digit fails here.

  run_golden.py KEEL REPO_ROOT            compare (exit 1 and a unified diff on a mismatch)
  run_golden.py KEEL REPO_ROOT --update   rewrite the corpus from this build
  run_golden.py KEEL REPO_ROOT --db URL   compare, with the demo's store at URL (an empty, migrated
                                          PostgreSQL database: the same corpus must come out)
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

VOLATILE = [
    (re.compile(r'"(elapsed_ms|load_ms|seconds|duration_ms)": -?[0-9.eE+-]+'), r'"\1": "<timing>"'),
    (re.compile(r'"(generated_at|created_at|updated_at|started_at|finished_at)": "[^"]*"'), r'"\1": "<time>"'),
]
KEPT = (".json", ".csv")


def normalise(text):
    for pattern, repl in VOLATILE:
        text = pattern.sub(repl, text)
    return text


def run_demo(keel, root, work, db=None):
    for name in ("scripts", "examples"):
        shutil.copytree(os.path.join(root, name), os.path.join(work, name))
    env = dict(os.environ, KEEL_DB=db or os.path.join(work, "keel.db"))
    env.pop("KEEL_MARKET_DATA_PROVIDER", None)
    proc = subprocess.run([os.path.join(work, "scripts", "demo"), keel], cwd=work, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:])
        raise SystemExit(f"scripts/demo failed with exit code {proc.returncode}")
    outputs = {}
    reports = os.path.join(work, "reports")
    for base, _, files in os.walk(reports):
        for f in files:
            if f.endswith(KEPT):
                path = os.path.join(base, f)
                with open(path, encoding="utf-8") as fh:
                    outputs[os.path.relpath(path, reports)] = normalise(fh.read())
    return outputs


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    keel, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    update = "--update" in sys.argv[3:]
    db = sys.argv[sys.argv.index("--db") + 1] if "--db" in sys.argv[3:-1] else None
    golden = os.path.join(root, "tests", "golden", "demo")
    with tempfile.TemporaryDirectory(prefix="keel-golden-") as work:
        outputs = run_demo(keel, root, work, db)
    if update:
        shutil.rmtree(golden, ignore_errors=True)
        for rel, text in outputs.items():
            path = os.path.join(golden, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        print(f"wrote {len(outputs)} files to {golden}")
        return 0
    expected = {}
    for base, _, files in os.walk(golden):
        for f in files:
            path = os.path.join(base, f)
            with open(path, encoding="utf-8") as fh:
                expected[os.path.relpath(path, golden)] = fh.read()
    if not expected:
        raise SystemExit(f"no golden corpus in {golden}")
    failures = 0
    for rel in sorted(set(expected) | set(outputs)):
        if rel not in outputs:
            print(f"MISSING: the demo no longer writes {rel}")
            failures += 1
        elif rel not in expected:
            print(f"NEW: the demo writes {rel}, which is not in the corpus (run with --update)")
            failures += 1
        elif expected[rel] != outputs[rel]:
            failures += 1
            diff = difflib.unified_diff(expected[rel].splitlines(), outputs[rel].splitlines(),
                                        f"golden/{rel}", f"now/{rel}", lineterm="", n=2)
            print("\n".join(list(diff)[:60]))
    print(f"{len(expected)} golden files, {failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
