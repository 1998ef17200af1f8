#!/usr/bin/env python3
"""Malformed-input sweep: generates damaged files for every reader keel has, runs each through the
keel CLI and prints what happened:

    files tried / refused with a place (file:line:column or JSON path) / refused as a whole file
    (truncated gzip, a device...) / crashed (exit 4, a signal or a hang) / silently accepted
    (exit 0 for a file that is wrong) / partial (the store changed although the command failed)

and, for well-formed files with unusual shapes (BOM, CRLF, a 3 MB blank line, concatenated gzip
members), whether every row was imported.

    python3 tests/malformed_inputs.py build/apps/keel/keel [--seed 17] [--keep DIR] [--jobs N]

The sweep is deterministic for a seed, whatever the number of jobs: the files are generated in one
order, then read by N workers (default: the number of cores), each on its own copy of the starting
store, and reported in the generated order. Nothing outside a temporary directory is touched.
"""
import argparse
import concurrent.futures
import gzip
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(rel):
    with open(os.path.join(ROOT, rel), "rb") as f:
        return f.read()


def head_lines(data, n):
    return b"".join(data.splitlines(keepends=True)[:n])


ALM_FLAGS = (" --curve " + os.path.join(ROOT, "examples/alm/ust_par_2020-12-31.csv")
             + " --curve-type par --rate-units percent --as-of 2020-12-31")
HYPOTHETICAL = (b'{"format": "keel-stress-scenarios/1", "scenarios": [\n'
                b'  {"name": "equity_crash", "label": "Equity crash", "kind": "hypothetical",\n'
                b'   "description": "market down 20%", "shocks": {"mkt_rf": -0.20, "smb": -0.02, "hml": 0.01}},\n'
                b'  {"name": "rotation", "label": "Rotation", "kind": "hypothetical",\n'
                b'   "description": "value over growth", "shocks": {"hml": 0.05, "rmw": 0.02}, "vol_shock": 0.10}\n'
                b']}\n')

# Each reader: a valid base file, the command that reads it ({f} = the file, {db} = the store),
# the table whose row count must not change on a refusal, and which cells hold numbers.
READERS = {
    "prices": dict(base=head_lines(read("examples/market/prices.csv"), 40), cmd="import prices {f}", table="prices"),
    "positions": dict(base=read("examples/portfolios/balanced.csv"), cmd="import positions {f} --portfolio p",
                      table="positions"),
    "sectors": dict(base=head_lines(read("examples/market/sectors.csv"), 30), cmd="import sectors {f}",
                    table=None),
    "factors": dict(base=head_lines(read("examples/market/ff5_daily_2012_2017.csv"), 40),
                    cmd="import factors {f} --factor-units percent", table="factor_returns"),
    "curve": dict(base=read("examples/alm/ust_par_2020-12-31.csv"), cmd="import curve {f} --name c", table=None),
    "transactions": dict(base=read("examples/ledger/transactions.csv"), cmd="import transactions {f} --account a",
                         table="ledger_transactions"),
    "broker+mapping": dict(base=read("examples/ledger/fidelity_history.csv"),
                           cmd="import transactions {f} --account f --mapping "
                               + os.path.join(ROOT, "examples/ledger/fidelity.mapping.json"),
                           table="ledger_transactions"),
    "balance_sheet": dict(base=read("examples/alm/balance_sheet.csv"),
                          cmd="alm gap --balance-sheet {f}" + ALM_FLAGS, table=None),
    "alm_scenarios": dict(base=read("examples/alm/scenarios.csv"),
                          cmd="alm eve --balance-sheet " + os.path.join(ROOT, "examples/alm/balance_sheet.csv")
                              + ALM_FLAGS + " --scenarios {f}", table=None),
    "trades": dict(base=read("examples/portfolios/whatif_trades.csv"),
                   cmd="whatif --portfolio p --trades {f}", table=None),
    "plan_events_csv": dict(base=read("examples/plan/events.csv"),
                            cmd="plan retire --balance 1000000 --withdrawal 40000 --trials 20 --events {f}",
                            table=None),
    "plan_events_json": dict(base=read("examples/plan/events.json"), json=True,
                             cmd="plan retire --balance 1000000 --withdrawal 40000 --trials 20 --events {f}",
                             table=None),
    "clo_deal": dict(base=read("examples/clo/small_deal.json"), json=True,
                     cmd="clo tests --deal {f}", table=None),
    "clo_ratings": dict(base=read("examples/clo/ratings.csv"), cmd="clo import ratings --deal d {f}",
                        table="clo_deal_marks"),
    "clo_marks": dict(base=read("examples/clo/marks.csv"), cmd="clo import marks --deal d {f}",
                      table="clo_deal_marks"),
    "scenarios_json": dict(base=HYPOTHETICAL, json=True,
                           cmd="risk stress --portfolio p --scenarios {f} --factors "
                               + os.path.join(ROOT, "examples/market/ff5_daily_2012_2017.csv") + " --factor-units percent",
                           table=None),
    "mapping_json": dict(base=read("examples/ledger/fidelity.mapping.json"), json=True,
                         cmd="import transactions " + os.path.join(ROOT, "examples/ledger/fidelity_history.csv")
                             + " --account m --mapping {f}", table="ledger_transactions"),
}

PLACE = re.compile(rb":\d+(:\d+)?: |: [A-Za-z_\[\]0-9.]+: ")


def gz(data):
    return gzip.compress(data, mtime=0)


def csv_mutations(base, rng):
    """(name, bytes, is_gzip) of files that are wrong and must be refused."""
    lines = base.splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    cols = header.rstrip(b"\r\n").split(b",")
    out = []

    def at_cell(row_i, col_i, value):
        r = rows[:]
        cells = r[row_i].rstrip(b"\r\n").split(b",")
        while len(cells) <= col_i:
            cells.append(b"")
        cells[col_i] = value
        r[row_i] = b",".join(cells) + b"\n"
        return header + b"".join(r)

    def kind(i):
        cells = [r.rstrip(b"\r\n").split(b",") for r in rows]
        vals = [c[i].strip() for c in cells if len(c) == len(cols) and i < len(c) and c[i].strip()]
        if not vals:
            return None
        if all(re.fullmatch(rb"\d{4}-\d\d-\d\d", v) for v in vals):
            return "date"
        try:
            [float(v) for v in vals]
            return "number"
        except ValueError:
            return None

    numeric = [i for i in range(len(cols)) if kind(i) == "number"]
    dates = [i for i in range(len(cols)) if kind(i) == "date"]
    n = len(rows)
    picks = [rng.randrange(n) for _ in range(3)] if n else []
    for k, ri in enumerate(picks):
        ci = rng.randrange(len(cols))
        out.append((f"utf8-cell-{k}", at_cell(ri, ci, b"ab\xffcd"), False))
        out.append((f"utf8-overlong-{k}", at_cell(ri, ci, b"\xc0\xaf"), False))
        out.append((f"nul-cell-{k}", at_cell(ri, ci, b"a\x00b"), False))
        out.append((f"control-cell-{k}", at_cell(ri, ci, b"a\x1bb"), False))
        out.append((f"unterminated-quote-{k}", at_cell(ri, ci, b'"abc'), False))
        out.append((f"text-after-quote-{k}", at_cell(ri, ci, b'"abc"x'), False))
        out.append((f"extra-field-{k}", header + b"".join(rows[:ri]) + rows[ri].rstrip(b"\r\n") + b",x,y\n"
                    + b"".join(rows[ri + 1:]), False))
        out.append((f"long-record-{k}", at_cell(ri, ci, b"7" * (1 << 20 + 1)), False))
        out.append((f"huge-cell-{k}", at_cell(ri, ci, b"x" * 2_000_000), False))
        if numeric:
            for j, num in enumerate([b"1e400", b"-1e400", b"1e308", b"nan", b"inf", b"0x10", b"12abc"]):
                out.append((f"number-{j}-{k}", at_cell(ri, rng.choice(numeric), num), False))
        if dates:
            out.append((f"bad-date-{k}", at_cell(ri, rng.choice(dates), b"2020-02-30"), False))
    out.append(("utf8-header", header.rstrip(b"\r\n") + b",note\xff\n" + b"".join(rows), False))
    out.append(("nul-header", header.replace(b",", b"\x00,", 1) + b"".join(rows), False))
    out.append(("empty", b"", False))
    out.append(("missing-column", b",".join(cols[1:]) + b"\n" + b"".join(rows), False))
    out.append(("binary", bytes(rng.randrange(256) for _ in range(4000)), False))
    data = header + b"".join(rows)
    packed = gz(data)
    for k in range(1, 9):
        out.append((f"gzip-cut-{k}", packed[: len(packed) * k // 9], True))
    crc = bytearray(packed)
    crc[-8] ^= 1
    out.append(("gzip-crc", bytes(crc), True))
    size = bytearray(packed)
    size[-4] ^= 1
    out.append(("gzip-isize", bytes(size), True))
    out.append(("gzip-trailing-garbage", packed + b"garbage", True))
    mid = bytearray(packed)
    mid[len(mid) // 2] ^= 0x55
    out.append(("gzip-flipped-byte", bytes(mid), True))
    return out


def json_mutations(base, rng):
    text = base
    out = []
    nums = [m for m in re.finditer(rb"(?<=[:\[, ])-?\d+(\.\d+)?(?=[,\]}\s])", text)]
    for k, m in enumerate(rng.sample(nums, min(6, len(nums)))):
        for j, v in enumerate([b"1e400", b"-1e999", b"1e308"]):
            out.append((f"number-{j}-{k}", text[: m.start()] + v + text[m.end():], False))
    strs = [m for m in re.finditer(rb'"[A-Za-z][^"\\]{0,40}"(?=\s*[,}\]])', text)]
    for k, m in enumerate(rng.sample(strs, min(4, len(strs)))):
        out.append((f"utf8-string-{k}", text[: m.start() + 1] + b"\xff" + text[m.start() + 1:], False))
        out.append((f"nul-escape-{k}", text[: m.start() + 1] + b"\\u0000" + text[m.start() + 1:], False))
        out.append((f"raw-control-{k}", text[: m.start() + 1] + b"\x01" + text[m.start() + 1:], False))
        out.append((f"huge-string-{k}", text[: m.start() + 1] + b"x" * 2_000_000 + text[m.start() + 1:], False))
    for k in range(1, 6):
        out.append((f"truncated-{k}", text[: len(text) * k // 6], False))
    out.append(("empty", b"", False))
    out.append(("not-json", b"hello", False))
    out.append(("deep-nesting", b"[" * 100000 + b"]" * 100000, False))
    out.append(("binary", bytes(rng.randrange(256) for _ in range(4000)), False))
    packed = gz(text)
    out.append(("gzip-cut", packed[: len(packed) // 2], True))
    out.append(("gzip-trailing-garbage", packed + b"x", True))
    return out


def odd_but_valid(base, is_json):
    """(name, bytes) of files that are right, only unusual in shape: every row must be imported."""
    if is_json:
        return [("bom", b"\xef\xbb\xbf" + base), ("gzip", gz(base))]
    lines = base.splitlines(keepends=True)
    return [
        ("bom", b"\xef\xbb\xbf" + base),
        ("crlf", base.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")),
        ("blank-3mb-line", lines[0] + lines[1] + b" " * 3_000_000 + b"\n" + b"".join(lines[2:])),
        ("gzip-multi-member", gz(lines[0] + b"".join(lines[1:3])) + gz(b"".join(lines[3:]))),
        ("trailing-blank-lines", base + b"\n\n  \n"),
    ]


def count(db, table):
    if table is None or not os.path.exists(db):
        return 0
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        con.close()


def run(keel, cmd, db, path, timeout=60):
    args = [keel, "--db", db, "-q"] + cmd.format(f=path, db=db).split()
    try:
        p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return "hang", b""


def classify(keel, work, db_for, name, r, mname, data, is_gz, keep):
    """Reads one damaged file on this worker's store: (outcome, problem or None)."""
    is_json = r.get("json", False)
    db = db_for()
    if data is None:
        path = "/dev/zero"
    else:
        path = os.path.join(work, f"{name}-{mname}" + (".json" if is_json else ".csv") + (".gz" if is_gz else ""))
        with open(path, "wb") as f:
            f.write(data)
    before = count(db, r["table"])
    code, err = run(keel, r["cmd"], db, path)
    after = count(db, r["table"])
    if data is not None and not keep:
        os.remove(path)
    if code == "hang" or not isinstance(code, int) or code < 0 or code >= 4:
        return ["crashed"], f"CRASH {name}/{mname}: exit {code}: {err[:300]!r}"
    if code == 0:
        return ["silent"], f"SILENT {name}/{mname}: exit 0"
    out = ["placed" if PLACE.search(err) else "whole"]
    if after != before:
        return out + ["partial"], f"PARTIAL {name}/{mname}: {before} -> {after} rows, exit {code}"
    return out, None


def odd_case(keel, work, name, r, oname, data, keep):
    """Reads an unusual but valid file and the plain one on fresh stores: a problem or None."""
    is_json = r.get("json", False)
    tag = f"{name}-{oname}"
    ext = ".json" if is_json else ".csv"
    path = os.path.join(work, f"{tag}-ok{ext}")
    ref = os.path.join(work, f"{tag}-ref{ext}")
    with open(path, "wb") as f:
        f.write(data)
    with open(ref, "wb") as f:
        f.write(r["base"])
    db_ref, db_odd = os.path.join(work, tag + ".ref.db"), os.path.join(work, tag + ".odd.db")
    code_ref, _ = run(keel, r["cmd"], db_ref, ref)
    n_ref = count(db_ref, r["table"])
    code, err = run(keel, r["cmd"], db_odd, path)
    n = count(db_odd, r["table"])
    for suffix in ("", "-wal", "-shm"):
        for d in (db_ref, db_odd):
            if os.path.exists(d + suffix):
                os.remove(d + suffix)
    if not keep:
        os.remove(path)
        os.remove(ref)
    if code == code_ref and n == n_ref:
        return None
    return f"ODD {name}/{oname}: exit {code} rows {n}, the plain file: exit {code_ref} rows {n_ref}: {err[:200]!r}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("keel")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--keep", help="keep the generated files in this directory")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="files read at once (default: cores)")
    args = ap.parse_args()
    keel = os.path.abspath(args.keel)
    rng = random.Random(args.seed)
    work = args.keep or tempfile.mkdtemp(prefix="keel_malformed_")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "store.db")
    # A store with what the readers' commands need (a portfolio for whatif, a CLO deal for its
    # ratings and marks), built once; each worker reads its files on its own copy, so a refusal is
    # checked against an unchanged store.
    subprocess.run([keel, "--db", db, "-q", "import", "prices", os.path.join(ROOT, "examples/market/prices.csv")],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([keel, "--db", db, "-q", "import", "positions",
                    os.path.join(ROOT, "examples/portfolios/balanced.csv"), "--portfolio", "p"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([keel, "--db", db, "-q", "clo", "deal", "create",
                    os.path.join(ROOT, "examples/clo/example_bsl_clo.json"), "--name", "d"],
                   check=True, stdout=subprocess.DEVNULL)
    local = threading.local()
    copies = []
    copies_lock = threading.Lock()

    def db_for():
        if not hasattr(local, "db"):
            with copies_lock:
                local.db = os.path.join(work, f"store-{len(copies)}.db")
                copies.append(local.db)
            shutil.copyfile(db, local.db)
        return local.db

    # Every file generated first, in one order (the seed's), then read concurrently.
    cases = []
    odd = []
    for name, r in READERS.items():
        is_json = r.get("json", False)
        muts = (json_mutations if is_json else csv_mutations)(r["base"], rng)
        if not is_json or name != "mapping_json":
            muts.append(("dev-zero", None, False))
        cases += [(name, r, m, d, g) for m, d, g in muts]
        odd += [(name, r, o, d) for o, d in odd_but_valid(r["base"], is_json)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(lambda c: classify(keel, work, db_for, *c, args.keep), cases))
        odd_problems = list(pool.map(lambda c: odd_case(keel, work, *c, args.keep), odd))

    totals = dict(tried=0, placed=0, whole=0, crashed=0, silent=0, partial=0)
    problems = []
    print(f"{'reader':18} {'tried':>6} {'placed':>7} {'whole':>6} {'crashed':>8} {'silent':>7} {'partial':>8}")
    for name in READERS:
        row = dict(tried=0, placed=0, whole=0, crashed=0, silent=0, partial=0)
        for case, (kinds, problem) in zip(cases, outcomes):
            if case[0] != name:
                continue
            row["tried"] += 1
            for k in kinds:
                row[k] += 1
            if problem:
                problems.append(problem)
        for t in totals:
            totals[t] += row[t]
        print(f"{name:18} {row['tried']:6} {row['placed']:7} {row['whole']:6} {row['crashed']:8} {row['silent']:7} "
              f"{row['partial']:8}")
    odd_total = len(odd)
    odd_ok = sum(1 for p in odd_problems if p is None)
    problems += [p for p in odd_problems if p]
    print(f"{'total':18} {totals['tried']:6} {totals['placed']:7} {totals['whole']:6} {totals['crashed']:8} "
          f"{totals['silent']:7} {totals['partial']:8}")
    print(f"well-formed files of unusual shape read like the plain file: {odd_ok} of {odd_total}")
    for p in problems:
        print(p)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if totals["crashed"] or totals["silent"] or totals["partial"] or odd_ok != odd_total else 0


if __name__ == "__main__":
    sys.exit(main())
