# CLO: projection, waterfalls and tests of the example deal.
set -euo pipefail
k() { "$KEEL" --quiet "$@"; }
deal=examples/clo/example_bsl_clo.json
echo "== CLO (reports/demo/clo_*.json)"
k --format json clo run --deal "$deal" --cdr 0.02 --cpr 0.15 --recovery 0.70 --recovery-lag 6 > "$OUT/clo_run.json"
k --format json clo tests --deal "$deal" > "$OUT/clo_tests.json"
k --format table clo run --deal "$deal" --cdr 0.02 --cpr 0.15 --recovery 0.70 --recovery-lag 6 | tail -14
