# What-if trades: hedge the hnw book (sell some AAPL and JPM, buy AAPL puts and JNJ) and compare.
set -euo pipefail
k() { "$KEEL" --db "$KEEL_DB" --quiet "$@"; }
echo "== what-if trades on hnw (reports/demo/whatif_hnw.json)"
k --format json whatif --portfolio hnw --trades examples/portfolios/whatif_trades.csv > "$OUT/whatif_hnw.json" 2>/dev/null
k --format table whatif --portfolio hnw --trades examples/portfolios/whatif_trades.csv 2>/dev/null |
  awk '/^Before/ {on = 1} on && (/^(Before|metric|-)/ || $1 ~ /^(net|gross|dollar_delta|var_historical|es_historical|beta_mkt_rf)$/) {print} /^$/ {on = 0}'
