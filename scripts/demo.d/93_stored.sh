# What the web app shows beyond the portfolios: the example CLO deal and an IRRBB session kept in
# the store, and month-end snapshots of every portfolio so the history charts have a line. Run
# after the batch so the reports and outputs above do not depend on them; safe to run again (the
# deal and the session are replaced, a snapshot of the same date is overwritten).
set -euo pipefail
k() { "$KEEL" --db "$KEEL_DB" --quiet "$@"; }
echo "== stored for the web app: CLO deal, IRRBB session, month-end snapshots"
deal="Keel Example BSL CLO 2025-1"
k clo deal delete "$deal" >/dev/null 2>&1 || true
k --format json clo deal create examples/clo/example_bsl_clo.json --comment "the demo's example deal" >/dev/null
k alm session delete demo-bank >/dev/null 2>&1 || true
k --format json alm session create demo-bank --ttl 30d \
  --balance-sheet examples/alm/balance_sheet.csv --curve examples/alm/ust_par_2020-12-31.csv --curve-type par \
  --rate-units percent --as-of 2020-12-31 --tier1 180000000 >/dev/null
# Made by the command's operator, the session is theirs and private: shared, the demo user (a
# manager of the tenant) sees it in the web app's ALM view.
k alm session share demo-bank >/dev/null
for d in 2017-05-31 2017-06-30 2017-07-31 2017-08-31 2017-09-29 2017-10-31 2017-11-30; do
  k batch run --all --as-of "$d" --no-reports >/dev/null 2>&1
done
k --format table clo deal list | sed -n '1,4p'
echo "IRRBB session demo-bank; snapshots of every portfolio at 7 month-ends of 2017 and the batch date"
