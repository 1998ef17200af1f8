# Market risk: VaR/ES three ways with contributions, backtest, correlation and diversification.
set -euo pipefail
k() { "$KEEL" --db "$KEEL_DB" --quiet "$@"; }
echo "== market risk (reports/demo/risk_*.json)"
for p in balanced hnw longshort; do
  k --format json risk var --portfolio "$p" --method all > "$OUT/risk_var_$p.json" 2>/dev/null
  k --format json risk backtest --portfolio "$p" > "$OUT/risk_backtest_$p.json" 2>/dev/null
  k --format json risk correlation --portfolio "$p" > "$OUT/risk_correlation_$p.json" 2>/dev/null
done
k --format table risk var --portfolio hnw --method all 2>/dev/null | sed -n '1,6p'
