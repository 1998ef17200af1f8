#!/usr/bin/env bash
# Side by side: `keel import prices` vs pandas read_csv + to_sql on the same 607,622-row file.
# Usage: bench/compare_import.sh [BUILD_DIR] [RUNS]   (needs ../shared/data beside the repository)
# Each side runs RUNS times (default 5), alternating, each into a fresh database. Printed per side:
# best and median wall time, CPU (user + system) of the median run, and the largest peak resident
# memory. The ratios are of the best wall times and of the median CPU times. With
# KEEL_BENCH_BY_DATE=1 keel also imports the same rows sorted by date instead of by symbol (the
# order many vendors ship).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-5}
file=$here/../shared/data/equities/sp500_daily_2012_2017.csv.gz
if [ ! -f "$file" ]; then echo "skip: $file not found (../shared is absent)"; exit 0; fi
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
  if [ -f "$tmp/by_date.csv.gz" ]; then
    rm -f "$tmp"/k.db*
    measure "$tmp/keel_by_date" "$build/apps/keel/keel" --db "$tmp/k.db" --quiet import prices "$tmp/by_date.csv.gz"
  fi
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $runs runs each"
summary "keel import prices" "$tmp/keel"
summary "pandas read_csv+to_sql" "$tmp/peer"
if [ -f "$tmp/keel_by_date" ]; then summary "keel, file sorted by date" "$tmp/keel_by_date"; fi
best_keel=$(sort -n "$tmp/keel" | head -1 | cut -d' ' -f1)
best_peer=$(sort -n "$tmp/peer" | head -1 | cut -d' ' -f1)
echo "ratio (pandas / keel, best wall): $(echo "$best_peer $best_keel" | awk '{printf "%.1fx", $1/$2}')"
median_cpu() { sort -n -k2 "$1" | awk '{ c[NR] = $2 } END { print c[int((NR + 1) / 2)] }'; }
echo "ratio (pandas / keel, median CPU): $(echo "$(median_cpu "$tmp/peer") $(median_cpu "$tmp/keel")" | awk '{printf "%.2fx", $1/$2}')"
