#!/usr/bin/env bash
# The long-only efficient frontier (50 points) of the S&P 500 stocks with a full 2012-2017 history
# (465 of them), 1,000 daily returns, sample covariance: `keel optimize frontier` against cvxopt
# (bench/peers/optimize_frontier_peer.py) on the same prices. Prints both times, the ratio, the
# peak memory and how far the two frontiers' volatilities differ. Then the long-only minimum CVaR
# at 97.5% over the same 1,000 days as scenarios (keel: CLP; peer: cvxopt's LP) and keel's risk
# parity of the 465 stocks. Skips with a message when the reference data (../shared/data) is absent.
#
#   bench/compare_optimize.sh BUILD_DIR [POINTS] [WINDOW]
set -euo pipefail
build=${1:-build}
points=${2:-50}
window=${3:-1000}
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../../shared/data/equities/sp500_daily_2012_2017.csv.gz"
keel="$build/apps/keel/keel"
if [ ! -f "$data" ]; then
  echo "compare_optimize: skipped: $data is absent (the S&P 500 reference data)"
  exit 0
fi
if ! /usr/bin/python3 -c 'import cvxopt, pandas' 2>/dev/null; then
  echo "compare_optimize: skipped: python3-cvxopt or python3-pandas is not installed"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The stocks with a price on every date; positions of 100 shares each (the book's own weights only
# matter for the "current" point).
/usr/bin/python3 - "$data" "$work" <<'PY'
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], usecols=["date", "symbol", "adj_close"])
counts = df.groupby("symbol").size()
full = sorted(counts[counts == counts.max()].index)
df = df[df.symbol.isin(full)].rename(columns={"adj_close": "close"})
df.to_csv(f"{sys.argv[2]}/prices.csv", index=False, columns=["date", "symbol", "close"])
pd.DataFrame({"symbol": full, "quantity": 100}).to_csv(f"{sys.argv[2]}/positions.csv", index=False)
PY
echo "load: $(uptime)"
args=(--db "$work/keel.db" --format json optimize frontier --positions "$work/positions.csv"
      --prices "$work/prices.csv" --long-only --window "$window")
/usr/bin/time -f "%e %M" -o "$work/keel2.time" "$keel" "${args[@]}" --points 2 > /dev/null
/usr/bin/time -f "%e %M" -o "$work/keel.time" "$keel" "${args[@]}" --points "$points" > "$work/keel.json"
/usr/bin/python3 "$here/peers/optimize_frontier_peer.py" "$work/prices.csv" "$window" "$points" > "$work/peer.json"
/usr/bin/time -f "%e %M" -o "$work/keel_cvar.time" "$keel" --db "$work/keel.db" --format json optimize \
  --positions "$work/positions.csv" --prices "$work/prices.csv" --long-only --window "$window" \
  --objective min-cvar > "$work/keel_cvar.json"
/usr/bin/time -f "%e %M" -o "$work/keel_rp.time" "$keel" --db "$work/keel.db" --format json optimize \
  --positions "$work/positions.csv" --prices "$work/prices.csv" --window "$window" \
  --objective risk-parity > "$work/keel_rp.json"
/usr/bin/python3 "$here/peers/optimize_frontier_peer.py" "$work/prices.csv" "$window" cvar > "$work/peer_cvar.json"
echo "load: $(uptime)"
/usr/bin/python3 - "$work" "$points" <<'PY'
import json, sys
work, points = sys.argv[1], int(sys.argv[2])
keel_s, keel_kb = open(f"{work}/keel.time").read().split()
keel2_s, _ = open(f"{work}/keel2.time").read().split()
k = json.load(open(f"{work}/keel.json"))
p = json.load(open(f"{work}/peer.json"))
kp = k["points"]
ok = sum(1 for x in kp if x["status"] == "optimal")
pk = sum(1 for x in p["points"] if x["status"] == "optimal")
dv = max(abs(a["volatility"] - b["volatility"]) / b["volatility"] for a, b in zip(kp, p["points"]))
solve = float(keel_s) - float(keel2_s)
print(f"frontier of {p['assets']} stocks, {points} points, long-only")
print(f"  keel optimize frontier (whole process: read CSV, returns, covariance, solve): {float(keel_s):.2f} s, "
      f"peak {int(keel_kb) / 1024:.0f} MB; {ok}/{points} optimal")
print(f"  keel with --points 2 (the fixed part): {float(keel2_s):.2f} s; the other {points - 2} points: {solve:.2f} s")
print(f"  cvxopt (from the returns matrix, default tolerances): {p['seconds']:.2f} s, peak {p['peak_mb']:.0f} MB; "
      f"{pk}/{points} optimal")
print(f"  ratio keel / cvxopt (whole keel process): {float(keel_s) / p['seconds']:.3f}")
print(f"  largest relative difference of the points' volatilities: {dv:.2e}")
kc = json.load(open(f"{work}/keel_cvar.json"))
pc = json.load(open(f"{work}/peer_cvar.json"))
kc_s, kc_kb = open(f"{work}/keel_cvar.time").read().split()
print(f"minimum CVaR (97.5%), {pc['assets']} stocks x {pc['scenarios']} scenarios, long-only")
print(f"  keel optimize --objective min-cvar (whole process, CLP): {float(kc_s):.2f} s, peak {int(kc_kb) / 1024:.0f} MB; "
      f"ES {kc['expected_shortfall']:.10f}")
print(f"  cvxopt solvers.lp (dense, from the returns matrix): {pc['seconds']:.2f} s, peak {pc['peak_mb']:.0f} MB; "
      f"{pc['status']}, ES {pc['es']:.10f}")
print(f"  ratio keel / cvxopt (whole keel process): {float(kc_s) / pc['seconds']:.3f}")
rp = json.load(open(f"{work}/keel_rp.json"))
rp_s, rp_kb = open(f"{work}/keel_rp.time").read().split()
rc = list(rp["risk_contributions"].values())
print(f"risk parity of {len(rc)} stocks: keel {float(rp_s):.2f} s (whole process), {rp['solver']['iterations']} "
      f"Newton steps, risk contributions within {max(rc) - min(rc):.1e} of each other")
PY
