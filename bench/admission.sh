#!/usr/bin/env bash
# Availability under the attacks of docs/server.md "Limits": bench/admission.py against a fresh
# keel serve on SQLite (the victim tenant's VaR p99, the worst /healthz and the peak RSS per
# attack, then a job cancelled and a SIGTERM while a job runs).
#
#   bench/admission.sh [--rates] [KEEL_BIN]     env: SECONDS_PER_PHASE=10
#
# --rates: the engines' steps per CPU second on this machine instead (bench/admission_rates.py),
# the figures src/service/admission.cpp keeps.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
rates=0
if [ "${1:-}" = --rates ]; then rates=1; shift; fi
keel="${1:-$root/build/apps/keel/keel}"
if [ "$rates" = 1 ]; then exec python3 "$here/admission_rates.py" "$keel" "$root"; fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1e6}' /proc/meminfo), load $(cut -d' ' -f1 /proc/loadavg)"
exec python3 "$here/admission.py" "$keel" "$root" --seconds "${SECONDS_PER_PHASE:-10}"
