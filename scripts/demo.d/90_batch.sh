# The daily batch: every analysis, a snapshot and the reports (md + charts, json, csv, xlsx) per portfolio.
set -euo pipefail
k() { "$KEEL" --db "$KEEL_DB" --quiet "$@"; }
echo "== daily batch (reports/<portfolio>_<as-of>/)"
k --format json batch run --all --out reports > "$OUT/batch_run.json" 2>/dev/null
k --format table batch run --all --out reports --no-snapshot 2>/dev/null | sed -n '1,8p'
echo "reports:"
grep -o '"report_dir": "[^"]*"' "$OUT/batch_run.json" | sed 's/"report_dir": "\(.*\)"/  \1\//'
k --format table portfolio history hnw 2>/dev/null | sed -n '1,6p'
