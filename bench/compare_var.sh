#!/usr/bin/env bash
# Side by side, as whole processes: `keel risk var --method all` (parametric, historical and Monte
# Carlo VaR and ES) against bench/peers/risk_var_peer.py (numpy/scipy) doing the same from the same
# store file. The book: every S&P 500 stock of ../shared/data with all 1,260 dates (465 stocks,
# ~10,000 USD each), 1,000 daily returns, 100,000 normal paths, 99%, one day. Each run is a whole
# process under /usr/bin/time: start-up, opening the store, reading the prices, the return matrix,
# the covariance, the Cholesky factor, the paths, the quantiles and the output.
#
# The store is built once; then keel, the baseline keel (when given) and the peer run RUNS times
# each, alternating. Printed per side: best and median wall time, the CPU time (user + system, every
# thread) of the median run and the largest peak resident memory; then the ratios peer / keel of
# the best wall times and of the median CPU times, and the load before and after. Every keel run
# must print the same results as the first, bit for bit (the JSON text), and the baseline's must be
# those too; the peer's parametric and historical figures must agree with keel's to the cent.
#
# The peer's Monte Carlo is the textbook z @ L.T (paths x assets correlated returns, then their
# P&L); with KEEL_BENCH_PEER_REDUCED=1 it draws z @ (L.T e), the same reduced form keel uses.
#
# Usage: bench/compare_var.sh [BUILD_DIR] [RUNS] [BASELINE_KEEL]
#   e.g. bench/compare_var.sh build 5 /work/baseline/keel   (skips without ../shared/data)
# KEEL_BENCH_PATHS (100000) and KEEL_BENCH_WINDOW (1000) change the work of both sides.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-5}
baseline=${3:-}
paths=${KEEL_BENCH_PATHS:-100000}
window=${KEEL_BENCH_WINDOW:-1000}
keel=$build/apps/keel/keel
file=${KEEL_BENCH_DATA:-$here/../shared/data}/equities/sp500_daily_2012_2017.csv.gz
if [ ! -f "$file" ]; then echo "skip: $file not found (../shared is absent)"; exit 0; fi
if ! /usr/bin/python3 -c 'import numpy, scipy' 2> /dev/null; then
  echo "skip: the peer needs numpy and scipy (Debian packages python3-numpy, python3-scipy)"; exit 0
fi
if [ -n "$baseline" ] && [ ! -x "$baseline" ]; then echo "no baseline binary at $baseline"; exit 1; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "setting up: prices (607,622 rows) and the book"
"$keel" --db "$tmp/k.db" --quiet import prices "$file" > /dev/null 2>&1
zcat "$file" | awk -F, 'NR > 1 { n[$2]++; last[$2] = $6 }
  END { for (s in n) if (n[s] == 1260) { q = int(10000 / last[s] + 0.5); if (q < 1) q = 1; print s "," q } }' \
  | sort | (echo "symbol,quantity"; cat) > "$tmp/book.csv"
"$keel" --db "$tmp/k.db" --quiet import positions "$tmp/book.csv" --portfolio sp465 > /dev/null
echo "book: $(($(wc -l < "$tmp/book.csv") - 1)) stocks, $window returns, $paths paths"
peer_args=(--store "$tmp/k.db" --portfolio sp465 --window "$window" --paths "$paths")
[ "${KEEL_BENCH_PEER_REDUCED:-0}" = 1 ] && peer_args+=(--reduced)

measure() {  # name, command...: runs it, appends "wall_s cpu_s peak_kb" to $tmp/name, output to $tmp/name.out
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" ||
    { echo "$name failed:"; cat "$tmp/$name.err"; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$tmp/time" >> "$tmp/$name"
}
var_args=(--quiet --format json risk var --portfolio sp465 --method all --window "$window" --paths "$paths" --seed 1)
figures() {  # the methods' VaR and ES of a keel JSON output, as the peer prints them
  /usr/bin/python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["results"]: print("%-12s %14.2f %14.2f" % (r["method"], r["var"], r["es"]))' "$1"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  measure keel "$keel" --db "$tmp/k.db" "${var_args[@]}"
  if [ "$i" = 1 ]; then cp "$tmp/keel.out" "$tmp/reference.json"; fi
  cmp -s "$tmp/keel.out" "$tmp/reference.json" || { echo "keel run $i printed other results"; exit 1; }
  if [ -n "$baseline" ]; then
    measure baseline "$baseline" --db "$tmp/k.db" "${var_args[@]}"
    cmp -s "$tmp/baseline.out" "$tmp/reference.json" ||
      { echo "the baseline printed other results:"; diff <(figures "$tmp/baseline.out") <(figures "$tmp/reference.json"); }
  fi
  measure peer /usr/bin/python3 "$here/bench/peers/risk_var_peer.py" "${peer_args[@]}"
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $runs runs each"

echo "results (VaR, ES):"
paste <(figures "$tmp/reference.json") <(sed 's/^/   peer: /' "$tmp/peer.out")
diff <(figures "$tmp/reference.json" | head -2) <(head -2 "$tmp/peer.out") > /dev/null ||
  echo "warning: parametric or historical figures differ between keel and the peer"

summary() {  # name, file of measurements
  sort -n "$2" | awk -v name="$1" '
    { wall[NR] = $1; cpu[NR] = $2; if ($3 > kb) kb = $3 }
    END { m = int((NR + 1) / 2);
          printf "%-22s best %6.2f s  median %6.2f s  cpu %6.2f s  peak %4d MB\n", name, wall[1], wall[m], cpu[m], kb / 1024 }'
}
best() { sort -n "$1" | head -1 | cut -d' ' -f1; }
median_cpu() { sort -n -k2 "$1" | awk '{ c[NR] = $2 } END { print c[int((NR + 1) / 2)] }'; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.1fx", $1 / $2; else printf "n/a" }'; }
summary "keel risk var" "$tmp/keel"
[ -n "$baseline" ] && summary "baseline keel" "$tmp/baseline"
summary "numpy/scipy peer" "$tmp/peer"
echo "ratio (peer / keel): best wall $(ratio "$(best "$tmp/peer")" "$(best "$tmp/keel")"), median CPU $(ratio "$(median_cpu "$tmp/peer")" "$(median_cpu "$tmp/keel")")"
if [ -n "$baseline" ]; then
  echo "ratio (peer / baseline): best wall $(ratio "$(best "$tmp/peer")" "$(best "$tmp/baseline")"), median CPU $(ratio "$(median_cpu "$tmp/peer")" "$(median_cpu "$tmp/baseline")")"
  echo "keel speed-up over the baseline: best wall $(ratio "$(best "$tmp/baseline")" "$(best "$tmp/keel")"), median CPU $(ratio "$(median_cpu "$tmp/baseline")" "$(median_cpu "$tmp/keel")")"
fi
