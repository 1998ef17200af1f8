#!/usr/bin/env bash
# Load benchmark of `keel serve` with wrk (Debian package `wrk`), loopback only, bounded in time.
#
#   bench/server_load.sh [KEEL_BIN]     env: DURATION=30s CONNECTIONS=64 THREADS=2 SERVER_THREADS=72
#                                            COMPUTE_TIMEOUT=10s
#
# Two workloads, each at CONNECTIONS connections for DURATION:
#   1. cached read:  GET  /api/v1/portfolios/1/risk/var   (authenticated; the stored last result)
#   2. computation:  POST /api/v1/portfolios/1/risk/var   {"method":"parametric"} (15 stocks, 252 days)
# on the example market data (examples/market/prices.csv) and portfolio (examples/portfolios/balanced.csv).
# Prints wrk's latency distribution (p50/p99), requests/s, non-2xx/socket errors, and the server's
# resident memory sampled every second (flat = no growth over the run). The per-user rate limit
# is disabled for the run (--rate-limit 0); everything else is the default configuration.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
keel="${1:-$root/build-server/apps/keel/keel}"
duration="${DURATION:-30s}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
server_threads="${SERVER_THREADS:-72}"
port="${PORT:-18481}"
command -v wrk >/dev/null || { echo "wrk is missing: scripts/setup installs it" >&2; exit 1; }
[ -x "$keel" ] || { echo "no keel binary at $keel" >&2; exit 1; }

work="$(mktemp -d)"
server_pid=""
sampler_pid=""
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/bench.db"
"$keel" --db "$db" -q import prices "$root/examples/market/prices.csv" --format json >/dev/null
"$keel" --db "$db" -q import positions "$root/examples/portfolios/balanced.csv" --portfolio balanced --format json >/dev/null
echo "bench-password-1" | "$keel" --db "$db" -q user add bench --role analyst --password-stdin --format json >/dev/null

export KEEL_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$keel" --db "$db" serve --host 127.0.0.1 --port "$port" --rate-limit 0 --threads "$server_threads" --no-log \
  2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

token="$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
  -d '{"username":"bench","password":"bench-password-1"}' | /usr/bin/python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')"
curl -sf -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/portfolios/1/risk/var" \
  -d '{"method":"parametric"}' >/dev/null  # fills the cache

rss() { awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"; }
( while kill -0 "$server_pid" 2>/dev/null; do echo "$(date +%s) $(rss)"; sleep 1; done ) >"$work/rss.txt" &
sampler_pid=$!

cat >"$work/post_var.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"method":"parametric"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA

echo "== machine: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg);" \
     "keel serve --threads $server_threads; wrk -t$threads -c$connections -d$duration"
echo "== server RSS before: $(rss) KiB"
echo "== 1. cached read: GET /api/v1/portfolios/1/risk/var"
wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/portfolios/1/risk/var"
echo "== server RSS after the cached reads: $(rss) KiB"
echo "== 2. parametric VaR: POST /api/v1/portfolios/1/risk/var {\"method\":\"parametric\"}"
# CPU-bound: at saturation each request waits for the ~connections/throughput seconds of work queued
# before it (Little's law), so wrk's 2 s default timeout would count queueing as errors.
wrk -t"$threads" -c"$connections" -d"$duration" --latency --timeout "${COMPUTE_TIMEOUT:-10s}" -s "$work/post_var.lua" \
  "http://127.0.0.1:$port/api/v1/portfolios/1/risk/var"
echo "== server RSS after the computations: $(rss) KiB"
kill "$sampler_pid" 2>/dev/null || true
sampler_pid=""
echo "== RSS samples (KiB): min $(awk '{print $2}' "$work/rss.txt" | sort -n | head -1)," \
     "max $(awk '{print $2}' "$work/rss.txt" | sort -n | tail -1), samples $(wc -l <"$work/rss.txt")"
awk 'NR == 1 {start = $1} NR % 10 == 1 {printf "   t+%ss %s KiB\n", $1 - start, $2}' "$work/rss.txt"
curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^keel_http_requests_total\{route="/api/v1/portfolios/\{id\}/risk/var"' || true
kill -TERM "$server_pid"
wait "$server_pid" && echo "== server stopped cleanly on SIGTERM" || echo "== server exit code $?"
server_pid=""
