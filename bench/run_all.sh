#!/usr/bin/env bash
# bench/run_all.sh: every benchmark of keel, then each workload beside its peer, and a summary.
#
#   bench/run_all.sh [BUILD_DIR]        (what `make bench` runs; default BUILD_DIR: build)
#
# 1. Runs every Google Benchmark binary of the build (BUILD_DIR/bench/*_bench and the C++ peers
#    BUILD_DIR/bench/peers/*_peer), each under /usr/bin/time for its peak resident memory, its
#    JSON kept in BUILD_DIR/bench/results/<name>.json. A binary whose every benchmark needs the
#    reference data (../shared/data beside the repository) reports "skipped".
# 2. Runs the peers of bench/peers/ (numpy/scipy, pandas, beancount, QuantLib) on the same workloads,
#    each under /usr/bin/time; a peer whose Python module is missing, or that needs ../shared/data
#    when it is absent, is skipped with the reason.
# 3. Writes BUILD_DIR/bench/summary.md: one row per comparison (keel time, peer time, the ratio
#    keel / peer (below 1: keel is faster), the peak memory of each side) and one row per
#    benchmark binary (status, seconds, peak memory), and prints it.
#
# Environment:
#   BENCH_TIMEOUT  seconds allowed to each binary or peer before it is stopped (default 1200)
#   BENCH_ONLY     extended regex: run only the binaries and comparisons whose name matches
#   BENCH_ARGS     extra arguments for every Google Benchmark binary (e.g. --benchmark_min_time=0.1)
# Figures are only comparable on an idle machine: the summary records the load average.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || { echo "no build directory ${1:-$root/build}" >&2; exit 1; }
out=$build/bench/results
summary=$build/bench/summary.md
timeout_s=${BENCH_TIMEOUT:-1200}
only=${BENCH_ONLY:-}
shared=$root/../shared/data
py=/usr/bin/python3
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.out "$out"/*.rss "$out"/*.status
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: scripts/setup installs it (package time)" >&2; exit 1; }
wanted() { [ -z "$only" ] || [[ $1 =~ $only ]]; }

# run NAME CMD...: runs CMD under the time limit, stdout to $out/NAME.out, peak RSS (KiB) to
# $out/NAME.rss, "ok SECONDS", "timeout SECONDS" or "failed SECONDS CODE" to $out/NAME.status.
run() {
  local name=$1; shift
  local t0 t1 code
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$out/$name.rss" timeout --kill-after=10 "$timeout_s" "$@" > "$out/$name.out" 2> "$out/$name.err"
  code=$?
  t1=$(date +%s.%N)
  local secs
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  # /usr/bin/time appends "Command exited with non-zero status N" before the figure: keep the figure.
  tail -n 1 "$out/$name.rss" > "$tmp/rss" && mv "$tmp/rss" "$out/$name.rss"
  if [ "$code" -eq 0 ]; then
    echo "ok $secs" > "$out/$name.status"
  elif [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
    echo "timeout $secs" > "$out/$name.status"
  else
    echo "failed $secs $code" > "$out/$name.status"
  fi
}

skip() {  # NAME REASON
  echo "skipped $2" > "$out/$1.status"
  echo "  $1: skipped ($2)"
}

has_module() { "$py" -c "import $1" 2> /dev/null; }

echo "== Google Benchmark binaries ($build/bench)"
for bin in "$build"/bench/*_bench "$build"/bench/peers/*_peer; do
  [ -x "$bin" ] && [ -f "$bin" ] || continue
  name=$(basename "$bin")
  wanted "$name" || continue
  echo "  $name ..."
  # shellcheck disable=SC2086
  (cd "$root" && run "$name" "$bin" --benchmark_out="$out/$name.json" --benchmark_out_format=json ${BENCH_ARGS:-})
  echo "    $(cat "$out/$name.status")"
done

echo "== peers (bench/peers)"
peer() {  # NAME NEEDS_SHARED(0|1) MODULES CMD...: runs a peer unless it cannot run here
  local name=$1 needs_shared=$2 modules=$3; shift 3
  wanted "$name" || return 0
  if [ "$needs_shared" = 1 ] && [ ! -d "$shared" ]; then skip "$name" "needs ../shared/data"; return 0; fi
  for m in $modules; do
    if ! has_module "$m"; then skip "$name" "python module $m is not installed (scripts/setup)"; return 0; fi
  done
  echo "  $name ..."
  (cd "$root" && run "$name" "$@")
  echo "    $(cat "$out/$name.status")"
}
peer numpy_options 0 "numpy scipy" "$py" bench/peers/options_numpy_peer.py
peer scipy_implied_vol 0 "numpy scipy" sh -c "cd bench/peers && exec $py implied_vol_scipy_peer.py"
peer numpy_plan 0 "numpy" "$py" bench/peers/plan_withdrawal_peer.py
peer numpy_risk_var 1 "numpy scipy pandas" "$py" bench/peers/risk_var_peer.py
peer numpy_factor_betas 1 "numpy pandas" "$py" bench/peers/factors_betas.py
if wanted pandas_import; then
  prices=$shared/equities/sp500_daily_2012_2017.csv.gz
  if [ ! -f "$prices" ]; then
    skip keel_import "needs ../shared/data"; skip pandas_import "needs ../shared/data"
  elif [ ! -x "$build/apps/keel/keel" ]; then
    skip keel_import "the keel binary is not built"; skip pandas_import "the keel binary is not built"
  else
    rm -f "$tmp"/import.db*
    peer keel_import 1 "" "$build/apps/keel/keel" --db "$tmp/import.db" --quiet import prices "$prices"
    peer pandas_import 1 "pandas" "$py" bench/peers/import_pandas.py "$prices" "$tmp/pandas.db"
  fi
fi
if wanted numpy_alm_eve; then
  if [ -x "$build/bench/alm_irrbb_bench" ] && has_module pandas; then
    "$build/bench/alm_irrbb_bench" --write-csv "$tmp/book100k.csv" 100000 --no-calendars > /dev/null 2>&1
    peer numpy_alm_eve 0 "numpy pandas" "$py" bench/peers/alm_eve_peer.py "$tmp/book100k.csv"
  else
    skip numpy_alm_eve "needs alm_irrbb_bench and pandas"
  fi
fi
if wanted python_marketdata_sync; then
  if [ -x "$build/bench/marketdata_sync_bench" ]; then
    peer python_marketdata_sync 0 "" "$py" bench/peers/marketdata_sync_peer.py "$build/bench/marketdata_sync_bench" "$tmp/sync.db"
  else
    skip python_marketdata_sync "needs marketdata_sync_bench"
  fi
fi
if wanted python_bindings; then
  if ls "$build"/python/keel* > /dev/null 2>&1; then
    peer python_bindings 0 "numpy scipy" env PYTHONPATH="$build/python" "$py" bench/peers/python_bindings_bench.py --quick
  else
    skip python_bindings "the Python module is not built (make python)"
  fi
fi
# beancount: ledger_booking_bench runs bench/peers/ledger_beancount_peer.py itself (BM_VersusBeancount20k).

load=$(cut -d' ' -f1-3 /proc/loadavg)
"$py" - "$out" "$summary" "$load" "$build" <<'PY'
import glob, json, os, re, sys

out, summary, load, build = sys.argv[1:5]


def status(name):
    p = f"{out}/{name}.status"
    return open(p).read().split() if os.path.exists(p) else None


def rss_mb(name):
    try:
        return int(open(f"{out}/{name}.rss").read().strip()) / 1024.0
    except (OSError, ValueError):
        return None


def text(name):
    try:
        return open(f"{out}/{name}.out").read()
    except OSError:
        return ""


def gbench(name):
    """Benchmarks of a Google Benchmark binary by name (errored ones left out)."""
    try:
        doc = json.load(open(f"{out}/{name}.json"))
    except (OSError, ValueError):
        return {}
    return {b["name"]: b for b in doc.get("benchmarks", []) if not b.get("error_occurred")}


def ms(b, key="real_time"):
    """A benchmark's time in milliseconds."""
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
    return b[key] * scale


def json_line(name):
    for line in text(name).splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                pass
    try:
        return json.loads(text(name))
    except ValueError:
        return None


rows = []  # (workload, keel_ms, keel_mb, peer name, peer_ms, peer_mb, note)
skipped = []


def compare(workload, keel_name, keel_ms, peer_label, peer_name, peer_ms, note="", keel_mb=None, peer_mb=None):
    st = status(peer_name)
    if st is None and status(keel_name) is None:
        return  # neither side was run (BENCH_ONLY)
    if st and st[0] == "skipped":
        skipped.append(f"{workload} vs {peer_label}: {' '.join(st[1:])}")
        return
    if keel_ms is None or peer_ms is None:
        why = []
        if keel_ms is None:
            why.append(f"keel side ({keel_name}) has no figure: {' '.join(status(keel_name) or ['not run'])}")
        if peer_ms is None:
            why.append(f"peer ({peer_name}) has no figure: {' '.join(st or ['not run'])}")
        skipped.append(f"{workload} vs {peer_label}: " + "; ".join(why))
        return
    rows.append((workload, keel_ms, keel_mb if keel_mb is not None else rss_mb(keel_name), peer_label, peer_ms,
                 peer_mb if peer_mb is not None else rss_mb(peer_name), note))


def get(d, k):
    return d.get(k) if d else None


def find(d, name):
    """The benchmark called `name`, or `name/...` (arguments and options after a slash)."""
    for n, b in (d or {}).items():
        if n == name or n.startswith(name + "/"):
            return b
    return None


# Options: 1M European options, price + five Greeks, CPU time on one core.
og = gbench("options_greeks_bench")
ql = gbench("options_quantlib_peer")
g = find(og, "BM_BsmGreeksBatch/1000000")
npo = json_line("numpy_options")
compare("1M European options, price + 5 Greeks (CPU ms)", "options_greeks_bench", g and ms(g, "cpu_time"),
        "QuantLib AnalyticEuropeanEngine (C++)", "options_quantlib_peer",
        (lambda b: b and ms(b, "cpu_time"))(find(ql, "BM_QuantLibAnalyticEuropean/1000000")))
compare("1M European options, price + 5 Greeks (CPU ms)", "options_greeks_bench", g and ms(g, "cpu_time"),
        "numpy/scipy vectorised", "numpy_options", get(npo, "cpu_ms"))
iv = find(og, "BM_ImpliedVolBatch/1000000")
ivp = json_line("scipy_implied_vol")
compare("1M implied vols (CPU ms)", "options_greeks_bench", iv and ms(iv, "cpu_time"), "scipy brentq (scaled from a sample)",
        "scipy_implied_vol", get(ivp, "cpu_ms_per_million"), "peer solves 20,000 options and scales to 1M")

# American options: CPU microseconds per price, keel ALO/BAW vs QuantLib engines.
oa = gbench("options_american_bench")
qa = gbench("options_american_quantlib_peer")


def per_price_ms(d, prefix):
    for k, b in (d or {}).items():
        if k.split("/")[0] == prefix and b.get("items_per_second"):
            return 1e3 / b["items_per_second"]
    return None


for keel_bm, peer_bm, label in [("BM_AloDistinct", "BM_QuantLibQdFpAccurate", "QuantLib QdFp accurate"),
                                ("BM_AloDistinct", "BM_QuantLibFd100", "QuantLib FD 100x100"),
                                ("BM_BawDistinct", "BM_QuantLibBaw", "QuantLib Barone-Adesi-Whaley")]:
    k, p = per_price_ms(oa, keel_bm), per_price_ms(qa, peer_bm)
    compare(f"American option, {keel_bm[3:6].upper()} (CPU us per price)", "options_american_bench",
            k and k * 1e3, label, "options_american_quantlib_peer", p and p * 1e3)

# Retirement Monte Carlo: process CPU time (all threads) vs numpy (one thread).
pw = gbench("plan_withdrawal_bench")
peer_plan = {}
for m in re.finditer(r"numpy (\w+) trials=(\d+) steps=(\d+): wall median ([\d.]+) best [\d.]+ ms, cpu median ([\d.]+)",
                     text("numpy_plan")):
    peer_plan[(m[1], int(m[2]), int(m[3]))] = float(m[5])
for bm, key in [("BM_ConstantDollar_10k_x_40y", ("cd", 10000, 40)), ("BM_GuytonKlinger_10k_x_40y", ("gk", 10000, 40)),
                ("BM_ConstantDollar_100k_x_480m", ("cd", 100000, 480)),
                ("BM_GuytonKlinger_100k_x_480m", ("gk", 100000, 480))]:
    b = find(pw, bm)
    compare(f"retirement Monte Carlo {bm[3:]} (CPU ms)", "plan_withdrawal_bench", b and ms(b, "cpu_time"),
            "numpy vectorised", "numpy_plan", peer_plan.get(key), "keel: CPU of all threads")

# Ledger: the benchmark runs beancount itself on the same 20,000 rows.
lb = gbench("ledger_booking_bench")
for arg, method in [(0, "FIFO"), (1, "LIFO")]:
    b = find(lb, f"BM_VersusBeancount20k/{arg}")
    peer_ms = b and b.get("beancount_ms")
    compare(f"ledger, 20,000 transactions booked {method} (ms)", "ledger_booking_bench", b and b.get("keel_ms"),
            "beancount 2 (parse + book)", "ledger_booking_bench", peer_ms if peer_ms and peer_ms > 0 else None,
            "one process runs both: peak memory is the benchmark binary's")

# Reference-data workloads (../shared/data).
rv = gbench("risk_var_bench")
peer_var = {}
for line in text("numpy_risk_var").splitlines():
    f = line.split()
    if len(f) == 5 and re.match(r"^[\d.]+$", f[1]):
        peer_var[f[0]] = float(f[1])
for bm, case in [("BM_ParametricSample", "parametric_sample"), ("BM_ParametricEwma", "parametric_ewma"),
                 ("BM_Historical", "historical"), ("BM_MonteCarlo/normal", "montecarlo_normal"),
                 ("BM_MonteCarlo/student_t5", "montecarlo_t5")]:
    b = find(rv, bm)
    compare(f"VaR 489 stocks, {case} (ms)", "risk_var_bench", b and ms(b), "numpy/scipy", "numpy_risk_var",
            peer_var.get(case))
fb = gbench("factors_betas_bench")
peer_f = {int(m[1]): float(m[2]) for m in re.finditer(r"window (\d+): 489 stocks betas\+stats ([\d.]+) ms",
                                                      text("numpy_factor_betas"))}
for window in (252, 1259):
    b = find(fb, f"BM_Betas489/{window}")
    compare(f"FF5 betas of 489 stocks, {window} days (ms)", "factors_betas_bench", b and ms(b), "numpy lstsq",
            "numpy_factor_betas", peer_f.get(window))
ki, pi = status("keel_import"), json_line("pandas_import")
compare("import 607,622 prices into SQLite (s)", "keel_import", float(ki[1]) if ki and ki[0] == "ok" else None,
        "pandas read_csv + to_sql", "pandas_import", pi and pi.get("seconds"), "whole process (keel) vs timed part (pandas)")

# ALM: EVE of 100,000 positions, base + 6 shocks.
ab = gbench("alm_irrbb_bench")
b = find(ab, "BM_IrrbbEveOnlyNoCalendar/100000")
ap = json_line("numpy_alm_eve")
compare("EVE of 100,000 positions, 7 scenarios (ms)", "alm_irrbb_bench", b and ms(b), "numpy vectorised",
        "numpy_alm_eve", ap and ap.get("model_seconds") * 1e3, "peer: model time, CSV parsing excluded")

# Market data: 500 symbols x 5 years from a loopback server into a fresh store.
mb = gbench("marketdata_sync_bench")
b = find(mb, "BM_FirstSync")
mp = json_line("python_marketdata_sync")
compare("sync 500 symbols x 5 years (ms)", "marketdata_sync_bench", b and ms(b), "Python http.client + sqlite3",
        "python_marketdata_sync", mp and mp.get("seconds") * 1e3)

# Python bindings: the bench prints its own ratios (numpy time / keel time).
for line in text("python_bindings").splitlines():
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if "numpy_over_keel_time" in r:
        rows.append((f"Python bindings: {r['case']}", None, None, "numpy/scipy", None, None,
                     f"numpy/keel time {r['numpy_over_keel_time']}"))
st = status("python_bindings")
if st and st[0] == "skipped":
    skipped.append("Python bindings vs numpy: " + " ".join(st[1:]))


def fmt(x, digits=1):
    if x is None:
        return ""
    return f"{x:,.{digits}f}" if abs(x) >= 1 or x == 0 else f"{x:.3g}"


lines = ["# keel benchmarks", "",
         f"Machine: {os.cpu_count()} cores, load average at the end {load}; build {build}.", "",
         "## keel beside its peers", "",
         "Times are per workload (unit in the row); ratio = keel time / peer time (below 1: keel is faster); "
         "peak memory is the resident set of the whole process (/usr/bin/time).", "",
         "| workload | keel | peer | peer time | ratio keel/peer | keel peak MB | peer peak MB | note |",
         "|---|---:|---|---:|---:|---:|---:|---|"]
for w, k, kmb, label, p, pmb, note in rows:
    ratio = fmt(k / p, 3) if k is not None and p else ""
    lines.append(f"| {w} | {fmt(k)} | {label} | {fmt(p)} | {ratio} | {fmt(kmb, 0)} | {fmt(pmb, 0)} | {note} |")
if skipped:
    lines += ["", "Not compared:", ""] + [f"- {s}" for s in skipped]
lines += ["", "## Benchmark binaries", "", "| binary | status | seconds | peak MB | benchmarks run | skipped (reason) |",
          "|---|---|---:|---:|---:|---|"]
for path in sorted(glob.glob(f"{out}/*.status")):
    name = os.path.basename(path)[:-7]
    if not (name.endswith("_bench") or name.endswith("_peer")):
        continue
    st = open(path).read().split()
    try:
        doc = json.load(open(f"{out}/{name}.json"))
        bms = doc.get("benchmarks", [])
    except (OSError, ValueError):
        bms = []
    ran = sum(1 for b in bms if not b.get("error_occurred"))
    errs = sorted({b.get("error_message", "") for b in bms if b.get("error_occurred")})
    state = st[0]
    if state == "ok" and bms and ran == 0:
        state = "skipped"
    elif state == "failed":
        state = f"failed (exit {st[2]})"
    secs = st[1] if len(st) > 1 and st[0] != "skipped" else ""
    lines.append(f"| {name} | {state} | {secs} | {fmt(rss_mb(name), 0)} | {ran} | {'; '.join(errs)} |")
lines += ["", f"Raw results: {out}/<name>.json (Google Benchmark) and <name>.out (peers)."]
os.makedirs(os.path.dirname(summary), exist_ok=True)
open(summary, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "summary: $summary"
