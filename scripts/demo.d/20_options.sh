# Options and exposures: book Greeks and delta-adjusted exposure by sector.
set -euo pipefail
k() { "$KEEL" --db "$KEEL_DB" --quiet "$@"; }
echo "== options and exposures (reports/demo/greeks_*.json, exposures_*.json)"
for p in hnw longshort; do
  k --format json options greeks --portfolio "$p" > "$OUT/greeks_$p.json" 2>/dev/null
done
for p in balanced hnw longshort; do
  k --format json exposures --portfolio "$p" --by sector > "$OUT/exposures_$p.json" 2>/dev/null
done
k --format table options price --type call --spot 169.01 --strike 170 --expiry 2018-01-19 --as-of 2017-12-06 --vol 0.22 --rate 0.013
