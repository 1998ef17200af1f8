# Retirement planning: Monte Carlo of a 4% Guyton-Klinger plan on 60 years of real US returns.
set -euo pipefail
k() { "$KEEL" --quiet "$@"; }
echo "== retirement plan (reports/demo/plan_retire.json)"
k --format json plan retire --balance 1000000 --years 30 --withdrawal-rate 0.04 --strategy guyton-klinger \
  --returns bootstrap:examples/plan/us_market_annual_1964_2023.csv --trials 10000 --seed 1 > "$OUT/plan_retire.json"
k --format table plan sensitivity --balance 1000000 --years 30 --vary withdrawal-rate --values 0.03,0.04,0.05 | head -8
