#!/bin/bash
# Income, benchmark performance and the tearsheet of a generated 1,000,000-transaction ledger
# (bench/ledger_income_data.py), from files and from a stored account, with the pandas peer on the
# same files (bench/peers/ledger_income_pandas_peer.py). Wall time, CPU time (user + system) and peak
# memory of each command (/usr/bin/time -v), and, when a second keel is given (e.g. a build of an earlier commit), that
# one too in the same run with a byte comparison of the two outputs.
#
# Usage: bench/ledger_reports.sh BUILD_DIR [OTHER_KEEL] [DATA_DIR]
#   DATA_DIR defaults to BUILD_DIR/bench/ledger_1m (generated when missing; about 100 MB).
#   LEDGER_TRANSACTIONS=N generates N rows instead of 1,000,000.
set -euo pipefail
build=$(cd "${1:?usage: bench/ledger_reports.sh BUILD_DIR [OTHER_KEEL] [DATA_DIR]}" && pwd)
other=${2:-}
data=${3:-$build/bench/ledger_1m}
here=$(cd "$(dirname "$0")" && pwd)
keel=$build/apps/keel/keel
py=/usr/bin/python3
if [ ! -f "$data/transactions.csv" ]; then
  $py "$here/ledger_income_data.py" "$data" --transactions "${LEDGER_TRANSACTIONS:-1000000}"
fi
tx=$data/transactions.csv
px=$data/prices.csv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run LABEL BINARY ARGS...: the command's wall seconds and peak RSS, its output in $work/LABEL.out.
run() {
  local label=$1 bin=$2
  shift 2
  /usr/bin/time -v -o "$work/$label.time" "$bin" "$@" > "$work/$label.out" 2> "$work/$label.err" || {
    echo "$label: failed"; tail -3 "$work/$label.err"; return 0; }
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + p[i]; print s}' "$work/$label.time")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/$label.time")
  printf '%-40s %8.2f s wall %7.2f s cpu %6s MB\n' "$label" "$wall" "$cpu" "$rss"
}

echo "ledger: $(wc -l < "$tx") lines in $tx, $(wc -l < "$px") closes"
echo "load: $(uptime)"
cases=(
  "income|--format json ledger income --transactions $tx --prices $px"
  "performance|--format json ledger performance --transactions $tx --prices $px --benchmark SPY"
  "tearsheet|report tearsheet --transactions $tx --prices $px --benchmark SPY --format md"
)
for c in "${cases[@]}"; do
  name=${c%%|*}
  read -r -a args <<< "${c#*|}"
  run "keel $name" "$keel" "${args[@]}"
  if [ -n "$other" ]; then
    run "other $name" "$other" "${args[@]}"
    if cmp -s "$work/keel $name.out" "$work/other $name.out"; then echo "  $name: outputs identical"
    else echo "  $name: OUTPUTS DIFFER"; diff "$work/keel $name.out" "$work/other $name.out" | head -6; fi
  fi
done

# A stored account: the same ledger imported into a fresh SQLite store.
db=$work/keel.db
"$keel" --db "$db" account create taxable > /dev/null
"$keel" --db "$db" account create ira > /dev/null
"$keel" --db "$db" account create joint > /dev/null
for a in taxable ira joint; do
  grep -E "^date|,$a," "$tx" > "$work/$a.csv"
  run "import transactions $a" "$keel" --db "$db" import transactions "$work/$a.csv" --account "$a"
done
run "import prices" "$keel" --db "$db" import prices "$px"
for bin in keel ${other:+other}; do
  b=$keel
  [ "$bin" = other ] && b=$other
  run "$bin stored income" "$b" --db "$db" --format json ledger income
  run "$bin stored performance" "$b" --db "$db" --format json ledger performance --benchmark SPY
done
if [ -n "$other" ]; then
  for n in income performance; do
    cmp -s "$work/keel stored $n.out" "$work/other stored $n.out" && echo "  stored $n: outputs identical" ||
      echo "  stored $n: OUTPUTS DIFFER"
  done
fi

# The pandas peer on the same files.
run "pandas income + benchmark" $py "$here/peers/ledger_income_pandas_peer.py" "$tx" "$px" --benchmark SPY
$py - "$work" <<'EOF'
import json, sys
w = sys.argv[1]
peer = json.load(open(f"{w}/pandas income + benchmark.out"))
inc = json.load(open(f"{w}/keel income.out"))
perf = json.load(open(f"{w}/keel performance.out"))
print("pandas steps (s):", peer["seconds"])
print(f"income gross/withholding/net: keel {inc['totals']['gross']} {inc['totals']['withholding']} {inc['totals']['net']}"
      f"  pandas {peer['income']['gross']} {peer['income']['withholding']} {peer['income']['net']}")
b = perf["benchmark"]
p = peer["performance"]
print(f"twr: keel {perf['twr']:.12g} pandas {p['twr']:.12g}; tracking error: keel {b['tracking_error']:.12g} "
      f"pandas {p['tracking_error']:.12g}; beta: keel {b['beta']:.12g} pandas {p['beta']:.12g}")
EOF
echo "load: $(uptime)"
