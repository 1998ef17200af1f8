#!/bin/sh
# American options beside their peers: keel's ALO and BAW engines (bench/options_american_bench.cpp)
# and QuantLib's finite-difference, Barone-Adesi-Whaley and QdFp engines
# (options_american_quantlib_peer.cpp) on the same options (bench/options_book.h). Prints CPU
# microseconds per option (one core; CPU time, so other load on the machine counts less), ratios,
# the checksums (sums of the prices: they show the engines agree) and peak resident memory.
#
# usage: bench/peers/options_american_compare.sh [BUILD_DIR]     (default: build)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
ninja -C "$build" options_american_bench options_american_quantlib_peer >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/time -f %M -o "$tmp/keel.rss" "$build/bench/options_american_bench" --benchmark_format=json >"$tmp/keel.json" 2>/dev/null
/usr/bin/time -f %M -o "$tmp/ql.rss" "$build/bench/peers/options_american_quantlib_peer" --benchmark_format=json >"$tmp/ql.json" 2>/dev/null
/usr/bin/python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
keel = {b["name"].split("/")[0]: b for b in json.load(open(f"{d}/keel.json"))["benchmarks"]}
ql = {b["name"].split("/")[0]: b for b in json.load(open(f"{d}/ql.json"))["benchmarks"]}
def per(b):  # CPU microseconds per price
    return 1e6 / b["items_per_second"]
rows = [("keel ALO batch, distinct options", keel["BM_AloBatchDistinct"]),
        ("keel ALO batch, long-dated book", keel["BM_AloBatchLongDated"]),
        ("keel American IV batch (ALO)", keel["BM_AmericanImpliedVolBatch"]),
        ("keel ALO (standard), distinct options", keel["BM_AloDistinct"]),
        ("keel ALO (high), distinct options", keel["BM_AloHighDistinct"]),
        ("keel BAW, distinct options", keel["BM_BawDistinct"]),
        ("keel ALO, 1,000 options x 1,000 spots", keel["BM_AloScenarios"]),
        ("keel BAW, 1,000 options x 1,000 spots", keel["BM_BawScenarios"]),
        ("QuantLib FD 100 x 100 (CN)", ql["BM_QuantLibFd100"]),
        ("QuantLib FD 800 x 800 (CN)", ql["BM_QuantLibFd800"]),
        ("QuantLib BAW", ql["BM_QuantLibBaw"]),
        ("QuantLib QdFp fast", ql["BM_QuantLibQdFpFast"]),
        ("QuantLib QdFp accurate", ql["BM_QuantLibQdFpAccurate"]),
        ("QuantLib QdFp high precision", ql["BM_QuantLibQdFpHigh"])]
print("American options, CPU microseconds per price (one core)")
for name, b in rows:
    print(f"  {name:42s} {per(b):12.2f}   {b['items_per_second']:12.0f}/s   checksum {b['checksum']:.6f}")
batch = per(keel["BM_AloBatchDistinct"])
print(f"  keel ALO batch: {keel['BM_AloBatchDistinct']['items_per_second'] / 1e6:.3f}M fresh prices/s (goal >= 1M); "
      f"vs QuantLib QdFp accurate {per(ql['BM_QuantLibQdFpAccurate']) / batch:.0f}x, vs QdFp fast "
      f"{per(ql['BM_QuantLibQdFpFast']) / batch:.1f}x, vs QuantLib BAW {per(ql['BM_QuantLibBaw']) / batch:.2f}x")
alo = per(keel["BM_AloDistinct"])
print(f"  keel ALO vs QuantLib QdFp accurate: {per(ql['BM_QuantLibQdFpAccurate']) / alo:.1f}x, "
      f"vs FD 100x100: {per(ql['BM_QuantLibFd100']) / alo:.1f}x, vs FD 800x800: {per(ql['BM_QuantLibFd800']) / alo:.0f}x")
print(f"  keel BAW vs QuantLib BAW: {per(ql['BM_QuantLibBaw']) / per(keel['BM_BawDistinct']):.1f}x")
print(f"  keel ALO scenario revaluation: {keel['BM_AloScenarios']['items_per_second'] / 1e6:.2f}M prices/s (goal >= 1M)")
print(f"  peak RSS: keel {int(open(f'{d}/keel.rss').read()) / 1024:.0f} MB, QuantLib peer {int(open(f'{d}/ql.rss').read()) / 1024:.0f} MB")
PY
