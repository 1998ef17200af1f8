# Personal ledger: tax lots and realised gains from a broker history.
set -euo pipefail
k() { "$KEEL" --db "$KEEL_DB" --quiet "$@"; }
echo "== ledger (reports/demo/ledger_*.json)"
k --format json account create demo --method fifo > /dev/null 2>&1 || true
k --format json import transactions examples/ledger/transactions.csv --account demo --replace > "$OUT/ledger_import.json" 2>/dev/null \
  || k --format json import transactions examples/ledger/transactions.csv --account demo > "$OUT/ledger_import.json"
k --format json ledger gains --account demo > "$OUT/ledger_gains.json"
k --format json ledger holdings --account demo --prices examples/ledger/prices.csv > "$OUT/ledger_holdings.json"
k --format table ledger gains --account demo | tail -3
