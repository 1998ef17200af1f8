# Bank interest-rate risk: EVE and NII under the six BCBS/EBA shocks.
set -euo pipefail
k() { "$KEEL" --quiet "$@"; }
A="--balance-sheet examples/alm/balance_sheet.csv --curve examples/alm/ust_par_2020-12-31.csv --curve-type par --rate-units percent --as-of 2020-12-31 --tier1 180000000"
echo "== IRRBB (reports/demo/alm_*.json)"
k --format json alm eve $A > "$OUT/alm_eve.json"
k --format json alm nii $A > "$OUT/alm_nii.json"
k --format json alm gap $A > "$OUT/alm_gap.json"
k --format table alm eve $A | head -12
