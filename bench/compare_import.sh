#!/usr/bin/env bash
# Side by side: `keel import prices` vs pandas read_csv + to_sql on the same 607,622-row file.
# Usage: bench/compare_import.sh [BUILD_DIR]   (needs ../shared/data beside the repository)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
file=$here/../shared/data/equities/sp500_daily_2012_2017.csv.gz
if [ ! -f "$file" ]; then echo "skip: $file not found (../shared is absent)"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

measure() {  # prints "seconds peak_kb" of the command
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > /dev/null 2>&1
  cat "$tmp/time"
}
runs=3
best_keel=999; best_peer=999
for i in $(seq $runs); do
  rm -f "$tmp"/k.db*
  read -r s kb < <(measure "$build/apps/keel/keel" --db "$tmp/k.db" --quiet import prices "$file")
  best_keel=$(echo "$s $best_keel" | awk '{print ($1<$2)?$1:$2}'); keel_kb=$kb
  read -r s kb < <(measure /usr/bin/python3 "$here/bench/peers/import_pandas.py" "$file" "$tmp/p.db")
  best_peer=$(echo "$s $best_peer" | awk '{print ($1<$2)?$1:$2}'); peer_kb=$kb
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
printf "keel import prices      %6.2f s   peak %4d MB\n" "$best_keel" $((keel_kb / 1024))
printf "pandas read_csv+to_sql  %6.2f s   peak %4d MB\n" "$best_peer" $((peer_kb / 1024))
echo "ratio (pandas / keel): $(echo "$best_peer $best_keel" | awk '{printf "%.1fx", $1/$2}')"
