#!/usr/bin/env bash
# Currency risk's cost: `keel risk var` of the 465-stock book of bench/compare_var.sh (every S&P 500
# stock of ../shared/data with all 1,260 dates, ~10,000 each) in one currency, against the same book
# with a third of its stocks (every third, alternately) quoted in EUR and GBP in a USD book, with
# FX rates for both over every date (a seeded random walk, EUR as EUR/USD rows, GBP as USD/GBP rows
# that keel inverts). The FX book adds two FX columns to the return matrix, the cross terms r f
# to every scenario and path, and the translated returns to the parametric method.
#
# Each method (parametric, historical, Monte Carlo with 100,000 normal paths) runs as a whole
# process under /usr/bin/time, single-currency and FX alternately, RUNS times each; printed per
# method: the median wall and CPU time of each side and their ratio (FX / single), with the load
# before and after. Both read the prices from one store, the positions from files.
#
# Usage: bench/compare_var_fx.sh [BUILD_DIR] [RUNS]     (skips without ../shared/data)
# KEEL_BENCH_PATHS (100000) and KEEL_BENCH_WINDOW (1000) change the work of both sides.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-5}
paths=${KEEL_BENCH_PATHS:-100000}
window=${KEEL_BENCH_WINDOW:-1000}
keel=$build/apps/keel/keel
file=${KEEL_BENCH_DATA:-$here/../shared/data}/equities/sp500_daily_2012_2017.csv.gz
if [ ! -f "$file" ]; then echo "skip: $file not found (../shared is absent)"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "setting up: prices, the book, its FX variant and the rates"
"$keel" --db "$tmp/k.db" --quiet import prices "$file" > /dev/null 2>&1
zcat "$file" | awk -F, 'NR > 1 { n[$2]++; last[$2] = $6 }
  END { for (s in n) if (n[s] == 1260) { q = int(10000 / last[s] + 0.5); if (q < 1) q = 1; print s "," q } }' \
  | sort > "$tmp/rows"
(echo "symbol,quantity,currency"; awk -F, '{ print $0 ",USD" }' "$tmp/rows") > "$tmp/book.csv"
(echo "symbol,quantity,currency"
 awk -F, '{ c = "USD"; if (NR % 3 == 1) c = (NR % 6 == 1) ? "EUR" : "GBP"; print $0 "," c }' "$tmp/rows") > "$tmp/book_fx.csv"
zcat "$file" | awk -F, 'NR > 1 { print $1 }' | sort -u | awk 'BEGIN { srand(20240501); eur = 1.10; gbp = 0.80 }
  { eur *= 1 + 0.005 * (rand() - 0.5); gbp *= 1 + 0.006 * (rand() - 0.5)
    printf "%s,EUR,USD,%.6f\n%s,USD,GBP,%.6f\n", $1, eur, $1, gbp }' | (echo "date,base,quote,rate"; cat) > "$tmp/fx.csv"
echo "book: $(($(wc -l < "$tmp/rows"))) stocks, $(grep -c ',EUR$' "$tmp/book_fx.csv") in EUR and" \
     "$(grep -c ',GBP$' "$tmp/book_fx.csv") in GBP; $window returns, $paths paths"

measure() {  # name, command...: appends "wall_s cpu_s" to $tmp/name
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" ||
    { echo "$name failed:"; cat "$tmp/$name.err"; exit 1; }
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$tmp/time" >> "$tmp/$name"
}
median() {  # file, column
  sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for m in parametric historical montecarlo; do
  args=(--db "$tmp/k.db" --quiet --format json risk var --method "$m" --window "$window" --paths "$paths" --seed 1)
  for i in $(seq "$runs"); do
    measure "single_$m" "$keel" "${args[@]}" --positions "$tmp/book.csv"
    measure "fx_$m" "$keel" "${args[@]}" --positions "$tmp/book_fx.csv" --fx "$tmp/fx.csv" --currency USD
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $runs runs each"
printf "%-11s %15s %15s %12s %12s %9s %9s\n" method "single wall s" "fx wall s" "single cpu" "fx cpu" "wall x" "cpu x"
for m in parametric historical montecarlo; do
  sw=$(median "$tmp/single_$m" 1); fw=$(median "$tmp/fx_$m" 1)
  sc=$(median "$tmp/single_$m" 2); fc=$(median "$tmp/fx_$m" 2)
  var_s=$(/usr/bin/python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["results"][0]["var"])' "$tmp/single_$m.out")
  var_f=$(/usr/bin/python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["results"][0]["var"])' "$tmp/fx_$m.out")
  echo "$m $sw $fw $sc $fc $var_s $var_f" | awk '{ printf "%-11s %15.2f %15.2f %12.2f %12.2f %8.2fx %8.2fx   VaR %s -> %s\n",
    $1, $2, $3, $4, $5, ($2 > 0 ? $3 / $2 : 0), ($4 > 0 ? $5 / $4 : 0), $6, $7 }'
done
