#!/usr/bin/env bash
# Load benchmark of `keel serve` on loopback with wrk (Debian package `wrk`), bounded in time.
#
#   bench/server_load.sh [KEEL_BIN] [BASELINE_BIN]     env: DURATION=10s, KEEL_FLAGS=
#
# KEEL_FLAGS: more `keel serve` flags for KEEL_BIN only (e.g. "--io-threads 3"), to compare a
# setting with the baseline's default in one run.
#
# Runs every scenario against KEEL_BIN (default build/apps/keel/keel) and, when given, the same
# scenarios against BASELINE_BIN (another build of keel, e.g. an older commit) in the same run, so
# the two columns are comparable:
#   1. cached authenticated read GET /api/v1/portfolios/1/risk/var at 64, 256 and 1,024 connections
#   2. the same at 256 connections while 1,000 event streams (GET /api/v1/jobs/{id}/events) are open
#   3. GET /healthz (4 connections) while 64 connections saturate the engines with Monte Carlo VaR
#   4. GET /healthz (4 connections) while 200 slow-header connections (slowloris) are open
# For each: requests/s, p50, p99, the worst latency, errors (socket errors, timeouts, non-2xx) and
# the server's RSS. Beside each cached-read load a health check asks GET /healthz on a new
# connection every 20 ms (bench/server_clients.py health), as a load balancer would: the column
# "health worst" is the slowest of those answers (n/e: asked/failed). "load" is the 1-minute load
# average when the scenario ended: figures from a machine busy with other work are not comparable.
# With BASELINE_BIN, a last table sets the two builds' cached reads side by side.
# Data: examples/market/prices.csv and examples/portfolios/balanced.csv (15 stocks).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
keel="${1:-$root/build/apps/keel/keel}"
baseline="${2:-}"
duration="${DURATION:-10s}"
port="${PORT:-18481}"
command -v wrk >/dev/null || { echo "wrk is missing: scripts/setup installs it" >&2; exit 1; }

work="$(mktemp -d)"
server_pid=""
bg_pids=()
cleanup() {
  for p in "${bg_pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status"; }
# The server's user + system CPU time so far, in clock ticks (fields 14 and 15 of /proc/PID/stat;
# the command name, field 2, has no spaces here).
server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }

# "req/s p50 p99 max errors" from wrk --latency output.
summarise() {
  awk '
    /Requests\/sec:/ {rps = $2}
    /^ +Latency +[0-9]/ {max = $4}
    /^ +50%/ {p50 = $2}
    /^ +99%/ {p99 = $2}
    /Socket errors/ {gsub(",", ""); err += $4 + $6 + $8 + $10}
    /Non-2xx or 3xx/ {err += $5}
    END {printf "%10s %10s %10s %10s %8d", rps, p50, p99, max, err}' "$1"
}

run_one() {  # $1 label, $2 binary
  local label="$1" bin="$2"
  local db="$work/$label.db"
  "$bin" --db "$db" -q import prices "$root/examples/market/prices.csv" --format json >/dev/null
  "$bin" --db "$db" -q import positions "$root/examples/portfolios/balanced.csv" --portfolio balanced --format json >/dev/null
  echo "bench-password-1" | "$bin" --db "$db" -q user add bench --role analyst --password-stdin --format json >/dev/null
  export KEEL_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  local extra=(--threads 72)
  # Not `| grep -q`: grep leaving at the first match kills the writer with SIGPIPE, and under
  # pipefail the test then fails at random, which left --max-connections-per-client at 256.
  local help
  help="$("$bin" serve --help 2>/dev/null || true)"
  if [[ "$help" == *--io-threads* ]]; then
    extra=(--max-connections-per-client 8192 --no-web)
  fi
  if [ "$label" = keel ] && [ -n "${KEEL_FLAGS:-}" ]; then
    read -r -a more <<<"$KEEL_FLAGS"
    extra+=("${more[@]}")
  fi
  "$bin" --db "$db" serve --host 127.0.0.1 --port "$port" --rate-limit 0 --anonymous-rate-limit 0 \
    --job-workers 0 --no-log "${extra[@]}" 2>"$work/$label.serve.log" &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  local token
  token="$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench","password":"bench-password-1"}' | /usr/bin/python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')"
  curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$port/api/v1/portfolios/1/risk/var" -d '{"method":"parametric"}' >/dev/null
  local job
  job="$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$port/api/v1/jobs" -d '{"kind":"batch.var","request":{}}' | /usr/bin/python3 -c 'import sys, json; print(json.load(sys.stdin)["id"])')"
  local url="http://127.0.0.1:$port/api/v1/portfolios/1/risk/var"
  echo "== $label: $bin ${extra[*]} (RSS at start $(rss_mb) MB; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  printf "%-48s %10s %10s %10s %10s %8s %8s %14s %6s %8s\n" scenario "req/s" p50 p99 max errors "RSS MB" \
    "health worst" load "CPU µs"
  for c in 64 256 1024; do
    /usr/bin/python3 "$here/server_clients.py" health "$port" "$(( ${duration%s} - 1 ))" >"$work/h.txt" 2>&1 &
    local probe=$!
    local cpu0 cpu1
    cpu0="$(server_cpu_ticks)"
    wrk -t2 -c"$c" -d"$duration" --latency --timeout 5s -H "Authorization: Bearer $token" "$url" >"$work/w.txt" 2>&1 || true
    cpu1="$(server_cpu_ticks)"
    wait "$probe" || true
    # health: "asked failed p50 p99 worst"
    local health
    health="$(awk '{printf "%s (%s/%s)", $5, $1, $2}' "$work/h.txt")"
    local row
    row="$(summarise "$work/w.txt")"
    # The server's CPU time (user + system) per request: less sensitive to other work on the
    # machine than requests/s, which depend on the share of the cores the server gets.
    local cpu_us
    cpu_us="$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" '/requests in/ {n = $1}
      END {printf "%.1f", (n > 0 ? (b - a) * 1e6 / hz / n : 0)}' "$work/w.txt")"
    printf "%-48s %s %8s %14s %6s %8s\n" "cached read, $c connections" "$row" "$(rss_mb)" "$health" \
      "$(cut -d' ' -f1 /proc/loadavg)" "$cpu_us"
    echo "$label $c $row $health $cpu_us" >>"$work/reads.txt"
  done

  /usr/bin/python3 "$here/server_clients.py" sse "$port" "$token" "$job" 1000 "$(( ${duration%s} + 6 ))" >"$work/sse.txt" 2>&1 &
  bg_pids+=($!)
  sleep 4
  wrk -t2 -c256 -d"$duration" --latency --timeout 5s -H "Authorization: Bearer $token" "$url" >"$work/w.txt" 2>&1 || true
  printf "%-48s %s %8s\n" "cached read, 256 conn. + 1,000 event streams" "$(summarise "$work/w.txt")" "$(rss_mb)"
  wait "${bg_pids[-1]}" 2>/dev/null || true
  echo "   $(cat "$work/sse.txt")"

  cat >"$work/mc.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"method":"montecarlo","paths":20000,"seed":1}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
  wrk -t1 -c64 -d"$(( ${duration%s} + 2 ))s" --latency --timeout 10s -s "$work/mc.lua" "$url" >"$work/mc.txt" 2>&1 &
  bg_pids+=($!)
  sleep 1
  wrk -t1 -c4 -d"$duration" --latency --timeout 5s "http://127.0.0.1:$port/healthz" >"$work/w.txt" 2>&1 || true
  printf "%-48s %s %8s\n" "/healthz while 64 conn. run Monte Carlo VaR" "$(summarise "$work/w.txt")" "$(rss_mb)"
  wait "${bg_pids[-1]}" 2>/dev/null || true
  echo "   Monte Carlo VaR: $(summarise "$work/mc.txt" | awk '{print $1 " req/s, p50 " $2 ", p99 " $3 ", errors/503s " $5}')"

  /usr/bin/python3 "$here/server_clients.py" slowloris "$port" 200 "$(( ${duration%s} + 6 ))" >"$work/slow.txt" 2>&1 &
  bg_pids+=($!)
  sleep 2
  wrk -t1 -c4 -d"$duration" --latency --timeout 5s "http://127.0.0.1:$port/healthz" >"$work/w.txt" 2>&1 || true
  printf "%-48s %s %8s\n" "/healthz while 200 slow-header connections" "$(summarise "$work/w.txt")" "$(rss_mb)"
  wait "${bg_pids[-1]}" 2>/dev/null || true
  echo "   $(cat "$work/slow.txt")"

  kill -TERM "$server_pid"
  wait "$server_pid" && echo "   server stopped cleanly on SIGTERM" || echo "   server exit code $?"
  server_pid=""
  port=$((port + 1))  # the next server does not wait for this one's sockets to drain
}

echo "== machine: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -d$duration"
run_one keel "$keel"
if [ -n "$baseline" ]; then
  run_one baseline "$baseline"
  echo "== cached reads side by side (keel / baseline; each row from the runs above)"
  printf "%-12s %28s %22s %22s %22s %8s %16s\n" connections "req/s" p50 p99 "health worst" errors "CPU µs/request"
  for c in 64 256 1024; do
    awk -v c="$c" '$2 == c {rps[$1]=$3; p50[$1]=$4; p99[$1]=$5; err[$1]=$7; h[$1]=$8; cpu[$1]=$10}
      END {printf "%-12s %28s %22s %22s %22s %8s %16s\n", c,
             sprintf("%s / %s (%.2fx)", rps["keel"], rps["baseline"], rps["baseline"] > 0 ? rps["keel"] / rps["baseline"] : 0),
             p50["keel"] " / " p50["baseline"], p99["keel"] " / " p99["baseline"], h["keel"] " / " h["baseline"],
             err["keel"] "/" err["baseline"], cpu["keel"] " / " cpu["baseline"]}' "$work/reads.txt"
  done
fi
