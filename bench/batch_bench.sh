#!/usr/bin/env bash
# The daily batch with every report: the three demo portfolios, then a 489-position portfolio (one
# position per S&P 500 stock of ../shared/data, ~$10,000 each). Prints the time per step, the total
# and the peak memory (/usr/bin/time -v). Goal: the 489-position batch with all reports under 5 s.
# Usage: bench/batch_bench.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
keel=$build/apps/keel/keel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
k() { "$keel" --db "$tmp/bench.db" --quiet "$@"; }

steps_table() {  # per-step milliseconds of a batch result (JSON on stdin)
  /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
for p in r["portfolios"]:
    steps = "  ".join("%s %.0f" % (s["name"], s["elapsed_ms"]) for s in p["steps"])
    other = p["elapsed_ms"] - sum(s["elapsed_ms"] for s in p["steps"])
    print("  %-10s %-7s total %6.0f ms | load+other %.0f  %s" % (p["portfolio"], p["status"], p["elapsed_ms"], other, steps))
print("  batch total %.0f ms" % r["elapsed_ms"])'
}

run_batch() {  # label, then batch arguments (the result stays in $tmp/out.json)
  local label=$1; shift
  /usr/bin/time -v -o "$tmp/time" "$keel" --db "$tmp/bench.db" --quiet --format json batch run "$@" --out "$tmp/reports" > "$tmp/out.json"
  echo "$label: wall $(awk -F': ' '/Elapsed/{print $2}' "$tmp/time") (m:ss), peak $(awk -F': ' '/Maximum resident/{printf "%d MB", $2/1024}' "$tmp/time")"
  steps_table < "$tmp/out.json"
  /usr/bin/python3 -c '
import json, sys
for p in json.load(open(sys.argv[1]))["portfolios"]:
    for s in p["steps"]:
        if s["status"] == "failed": print("  %s: %s failed: %s" % (p["portfolio"], s["name"], s["message"][:300]))' "$tmp/out.json"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
ex=$here/examples
k import prices "$ex/market/prices.csv" > /dev/null
k import sectors "$ex/market/sectors.csv" > /dev/null
k import factors "$ex/market/ff5_daily_2012_2017.csv" --factor-units percent > /dev/null
for p in balanced hnw longshort; do k import positions "$ex/portfolios/$p.csv" --portfolio "$p" > /dev/null; done
run_batch "3 demo portfolios" --all --as-of 2017-12-06

sp=$here/../shared/data/equities/sp500_daily_2012_2017.csv.gz
if [ ! -f "$sp" ]; then echo "skip the 489-position batch: $sp not found (../shared is absent)"; exit 0; fi
k import prices "$sp" > /dev/null
k import sectors "$here/../shared/data/equities/sp500_constituents.csv" > /dev/null
# One position per symbol of the file, quantity = round(10000 / its last close).
zcat "$sp" | awk -F, 'NR > 1 { last[$2] = $6 } END { for (s in last) { q = int(10000 / last[s] + 0.5); if (q < 1) q = 1; print s "," q } }' \
  | sort | (echo "symbol,quantity"; cat) > "$tmp/sp489.csv"
k import positions "$tmp/sp489.csv" --portfolio sp489 > /dev/null
echo "sp489: $(($(wc -l < "$tmp/sp489.csv") - 1)) positions"
# Some of the 489 stocks were listed after 2012 or left before 2017-12-06: their holes are
# carried forward (zero returns), else the common history is too short for a 252-day window.
run_batch "489-position portfolio" --portfolio sp489 --as-of 2017-12-06 --missing carry-forward
