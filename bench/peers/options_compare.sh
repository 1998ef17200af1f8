#!/bin/sh
# One run of the options benchmark beside its peers: 1,000,000 European options with
# price and five Greeks, by keel's batch kernel, QuantLib's AnalyticEuropeanEngine (C++) and
# vectorised numpy/scipy, all on the same book (bench/options_book.h). Prints CPU milliseconds
# (one core; CPU time, so other load on the machine does not count), the ratios and the checksums.
#
# usage: bench/peers/options_compare.sh [BUILD_DIR]     (default: build)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
ninja -C "$build" options_greeks_bench options_quantlib_peer >/dev/null
keel_json=$("$build/bench/options_greeks_bench" --benchmark_format=json 2>/dev/null)
ql_json=$("$build/bench/peers/options_quantlib_peer" --benchmark_format=json 2>/dev/null)
np_json=$(/usr/bin/python3 "$root/bench/peers/options_numpy_peer.py")
iv_json=$(cd "$root/bench/peers" && /usr/bin/python3 implied_vol_scipy_peer.py)
/usr/bin/python3 - "$keel_json" "$ql_json" "$np_json" "$iv_json" <<'PY'
import json, sys
keel = {b["name"]: b for b in json.loads(sys.argv[1])["benchmarks"]}
ql = json.loads(sys.argv[2])["benchmarks"][0]
npy = json.loads(sys.argv[3])
g = keel["BM_BsmGreeksBatch/1000000"]
iv = keel["BM_ImpliedVolBatch/1000000"]
print(f"1,000,000 options, price + delta gamma vega theta rho, CPU ms on one core")
print(f"  keel batch (bsm_greeks_batch)        {g['cpu_time']:10.1f}   checksum {g['checksum']:.10f}")
print(f"  QuantLib AnalyticEuropeanEngine      {ql['cpu_time']:10.1f}   checksum {ql['checksum']:.10f}")
print(f"  numpy/scipy vectorised               {npy['cpu_ms']:10.1f}   checksum {npy['checksum']:.10f}")
print(f"  keel vs QuantLib: {ql['cpu_time'] / g['cpu_time']:.1f}x faster (goal >= 20x)")
print(f"  keel vs numpy:    {npy['cpu_ms'] / g['cpu_time']:.1f}x faster (goal >= 5x)")
print(f"  keel under 50 ms: {'yes' if g['cpu_time'] < 50 else 'no'}")
print(f"1,000,000 implied vols: {iv['cpu_time']:.0f} ms CPU (goal < 100 ms), "
      f"solved fraction {iv['solved_fraction']:.4f} (the rest are at their intrinsic value)")
sp = json.loads(sys.argv[4])
print(f"  scipy brentq over numpy ({sp['options']} options, scaled): {sp['cpu_ms_per_million']:.0f} ms per 1M, "
      f"keel {sp['cpu_ms_per_million'] / iv['cpu_time']:.0f}x faster")
PY
