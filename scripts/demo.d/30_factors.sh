# Factor betas on the Fama-French five factors and stress scenarios.
set -euo pipefail
k() { "$KEEL" --db "$KEEL_DB" --quiet "$@"; }
echo "== factors and stress (reports/demo/factors_*.json, stress_*.json)"
for p in balanced hnw longshort; do
  k --format json risk factors --portfolio "$p" > "$OUT/factors_$p.json" 2>/dev/null
  k --format json risk stress --portfolio "$p" --scenario all > "$OUT/stress_$p.json" 2>/dev/null
done
k --format table risk stress --portfolio balanced --scenario gfc_2008,covid_crash_2020,market_down_20 --method direct 2>/dev/null | sed -n '1,6p'
