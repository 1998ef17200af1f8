#!/usr/bin/env bash
# Side by side: `keel import prices` vs pandas read_csv + to_sql on the same 607,622-row file, and
# optionally a baseline keel binary (an earlier build) in the same runs.
# Usage: bench/compare_import.sh [BUILD_DIR] [RUNS] [BASELINE_KEEL]
#   (needs ../shared/data beside the repository; BASELINE_KEEL may also be given as $KEEL_BASELINE)
# Each side runs RUNS times (default 5), alternating, each into a fresh database. Printed per side:
# best and median wall time, CPU (user + system) of the median run, and the largest peak resident
# memory. The ratios are of the best wall times and of the median CPU times. With a baseline, the
# prices each keel stored are dumped and compared (they must be identical). With
# KEEL_BENCH_BY_DATE=1 keel also imports the same rows sorted by date instead of by symbol (the
# order many vendors ship).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-5}
baseline=${3:-${KEEL_BASELINE:-}}
file=$here/../shared/data/equities/sp500_daily_2012_2017.csv.gz
if [ ! -f "$file" ]; then echo "skip: $file not found (../shared is absent)"; exit 0; fi
if [ -n "$baseline" ] && [ ! -x "$baseline" ]; then echo "baseline $baseline is not an executable"; exit 1; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

measure() {  # appends "wall_s cpu_s peak_kb" of the command to the file $1
  local out=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" > /dev/null 2>&1
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$tmp/time" >> "$out"
}
summary() {  # name, file of measurements
  sort -n "$2" | awk -v name="$1" '
    { wall[NR] = $1; cpu[NR] = $2; if ($3 > kb) kb = $3 }
    END { m = int((NR + 1) / 2);
          printf "%-28s best %5.2f s  median %5.2f s  cpu %5.2f s  peak %4d MB\n", name, wall[1], wall[m], cpu[m], kb / 1024 }'
}
best() { sort -n "$1" | head -1 | cut -d' ' -f1; }
median_cpu() { sort -n -k2 "$1" | awk '{ c[NR] = $2 } END { print c[int((NR + 1) / 2)] }'; }
ratio() {  # label, numerator, denominator, format
  echo "$1: $(echo "$2 $3" | awk -v f="$4" '{printf f, $1/$2}')"
}
dump() {  # the prices table of a store, in key order, as text (quote: every bit of each double)
  sqlite3 "$1" "SELECT i.symbol, p.date, quote(p.close), quote(p.adj_close), quote(p.open), quote(p.high),
                       quote(p.low), quote(p.volume)
                FROM prices p JOIN instruments i ON i.id = p.instrument_id ORDER BY i.symbol, p.date"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${KEEL_BENCH_BY_DATE:-0}" = 1 ]; then
  zcat "$file" > "$tmp/all.csv"
  { sed -n 1p "$tmp/all.csv"; tail -n +2 "$tmp/all.csv" | LC_ALL=C sort -t, -k1,1 -k2,2 -s; } | gzip -1 > "$tmp/by_date.csv.gz"
  rm "$tmp/all.csv"
fi
for _ in $(seq "$runs"); do
  rm -f "$tmp"/k.db*
  measure "$tmp/keel" "$build/apps/keel/keel" --db "$tmp/k.db" --quiet import prices "$file"
  measure "$tmp/peer" /usr/bin/python3 "$here/bench/peers/import_pandas.py" "$file" "$tmp/p.db"
  if [ -n "$baseline" ]; then
    rm -f "$tmp"/b.db*
    measure "$tmp/base" "$baseline" --db "$tmp/b.db" --quiet import prices "$file"
  fi
  if [ -f "$tmp/by_date.csv.gz" ]; then
    rm -f "$tmp"/k.db*
    measure "$tmp/keel_by_date" "$build/apps/keel/keel" --db "$tmp/k.db" --quiet import prices "$tmp/by_date.csv.gz"
  fi
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $runs runs each"
summary "keel import prices" "$tmp/keel"
if [ -n "$baseline" ]; then summary "baseline keel" "$tmp/base"; fi
summary "pandas read_csv+to_sql" "$tmp/peer"
if [ -f "$tmp/keel_by_date" ]; then summary "keel, file sorted by date" "$tmp/keel_by_date"; fi
ratio "ratio (pandas / keel, best wall)" "$(best "$tmp/peer")" "$(best "$tmp/keel")" "%.1fx"
ratio "ratio (pandas / keel, median CPU)" "$(median_cpu "$tmp/peer")" "$(median_cpu "$tmp/keel")" "%.2fx"
if [ -n "$baseline" ]; then
  ratio "ratio (pandas / baseline, best wall)" "$(best "$tmp/peer")" "$(best "$tmp/base")" "%.1fx"
  ratio "ratio (pandas / baseline, median CPU)" "$(median_cpu "$tmp/peer")" "$(median_cpu "$tmp/base")" "%.2fx"
  ratio "ratio (baseline / keel, best wall)" "$(best "$tmp/base")" "$(best "$tmp/keel")" "%.2fx"
  ratio "ratio (baseline / keel, median CPU)" "$(median_cpu "$tmp/base")" "$(median_cpu "$tmp/keel")" "%.2fx"
  if command -v sqlite3 > /dev/null; then
    rm -f "$tmp"/k.db*
    "$build/apps/keel/keel" --db "$tmp/k.db" --quiet import prices "$file" > /dev/null 2>&1
    if cmp -s <(dump "$tmp/k.db") <(dump "$tmp/b.db"); then
      echo "prices stored: identical to the baseline's ($(dump "$tmp/k.db" | wc -l) rows)"
    else
      echo "prices stored: DIFFERENT from the baseline's"
      exit 1
    fi
  fi
fi
