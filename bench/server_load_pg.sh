#!/usr/bin/env bash
# Cached reads across two `keel serve` processes on one PostgreSQL database, with wrk (Debian
# package `wrk`), bounded in time: GET /api/v1/portfolios/1/risk/var (authenticated: a token check,
# a user lookup and the per-user rate limit — kept in the database, shared by both servers — then
# the cached result) against
#   1. one server, 128 connections;
#   2. two servers at once, 64 connections each (two wrk processes started together);
#   3. the same two with the rate limit off (--rate-limit 0): what the shared limit costs.
# Printed per case: requests/s (summed over both servers), p50 and p99 of each wrk, errors.
# The peer column is the same read on one server over SQLite, in the same run. Before the load,
# the statements of one cached read on PostgreSQL are counted from the server's log
# (log_min_duration_statement = 0 for 20 reads of one server: parses, binds, executions and the
# simple-protocol BEGIN/COMMIT), per request.
#
# Given a second keel binary (the baseline), every case runs for both, one after the other, on
# their own databases of one PostgreSQL server, so both columns come from the same run.
#
#   bench/server_load_pg.sh [BUILD_DIR] [BASELINE_KEEL]
#     env: DURATION=10s, POOL=N (pool_size in the URL; default: keel's), SERVE_ARGS (more options of keel serve)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
keels=("$build/apps/keel/keel")
[ -n "${2:-}" ] && keels+=("$2")
duration=${DURATION:-10s}
command -v wrk > /dev/null || { echo "wrk is missing: scripts/setup installs it" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then echo "skip: no PostgreSQL server (install the Debian package postgresql)"; exit 0; fi
tmp=$(mktemp -d)
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); chown postgres "$tmp"; fi
pids=()
stop_servers() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
  pids=()
}
stop() {
  stop_servers
  "${as[@]}" "$bin/pg_ctl" -D "$tmp/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$tmp/data" -U keel_admin --auth=trust -E UTF8 --no-locale > /dev/null
"${as[@]}" "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -o "-k $tmp -c listen_addresses='' -c max_connections=200" start > /dev/null
"$bin/psql" -q -h "$tmp" -U keel_admin -d postgres -v ON_ERROR_STOP=1 -c "CREATE ROLE keel_owner LOGIN; CREATE ROLE keel_app LOGIN" > /dev/null
ex=$here/examples
setup() {  # keel, database name: a PostgreSQL database and an SQLite file with the same data
  "$bin/psql" -q -h "$tmp" -U keel_admin -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $2 OWNER keel_owner" > /dev/null
  "$1" --quiet --db "postgresql://keel_owner@/$2?host=$tmp" db migrate --app-role keel_app > /dev/null
  for db in "postgresql://keel_app@/$2?host=$tmp" "$tmp/$2.db"; do
    "$1" --db "$db" -q import prices "$ex/market/prices.csv" > /dev/null
    "$1" --db "$db" -q import positions "$ex/portfolios/balanced.csv" --portfolio balanced > /dev/null
    echo "bench-password-1" | "$1" --db "$db" -q user add bench --role analyst --password-stdin > /dev/null
  done
}
export KEEL_JWT_SECRET=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
serve() {  # db, port, rate limit
  "$keel" --db "$1" serve --port "$2" --no-web --no-log --job-workers 0 --rate-limit "$3" \
    --anonymous-rate-limit 0 --max-connections-per-client 8192 ${SERVE_ARGS:-} &
  pids+=($!)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$2/readyz" > /dev/null && return; sleep 0.1; done
  echo "server on $2 did not start" >&2; exit 1
}
summarise() {  # "req/s p50 p99 errors" of a wrk --latency output
  awk '/Requests\/sec:/ {rps = $2} /^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2}
       /Socket errors/ {gsub(",", ""); err += $4 + $6 + $8 + $10} /Non-2xx or 3xx/ {err += $5}
       END {printf "%s %s %s %d\n", rps, p50, p99, err}' "$1"
}
token_of() {
  curl -fs "http://127.0.0.1:$1/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench","password":"bench-password-1"}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
warm() {  # computes the cached result once
  curl -fs -X POST "http://127.0.0.1:$1/api/v1/portfolios/1/risk/var" -H "Authorization: Bearer $2" \
    -H 'Content-Type: application/json' -d '{"method":"parametric"}' > /dev/null
}
load() {  # label, connections per server, ports...
  local label=$1 c=$2 i=0 total=0 line=""
  shift 2
  local token wrks=()
  token=$(token_of "$1")
  warm "$1" "$token"
  for p in "$@"; do
    wrk -t1 -c"$c" -d"$duration" --latency --timeout 5s -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$p/api/v1/portfolios/1/risk/var" > "$tmp/w$i.txt" 2>&1 &
    wrks+=($!)
    i=$((i + 1))
  done
  for w in "${wrks[@]}"; do wait "$w" || true; done
  for j in $(seq 0 $((i - 1))); do
    read -r rps p50 p99 err < <(summarise "$tmp/w$j.txt")
    total=$(echo "$total + $rps" | bc)
    line="$line  [server $((j + 1)): $rps req/s, p50 $p50, p99 $p99, errors $err]"
  done
  printf "%-44s %9.0f req/s%s\n" "$label" "$total" "$line"
}

statements() {  # statements PostgreSQL logs for one cached read (20 reads, one server)
  local p token before
  p=$(port)
  serve "$pg" "$p" 100000000
  token=$(token_of "$p")
  warm "$p" "$token"
  for _ in 1 2 3; do curl -fs "http://127.0.0.1:$p/api/v1/portfolios/1/risk/var" -H "Authorization: Bearer $token" > /dev/null; done
  "$bin/psql" -q -h "$tmp" -U keel_admin -d postgres -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" > /dev/null
  sleep 0.3
  before=$(wc -l < "$tmp/server.log")
  for _ in $(seq 20); do curl -fs "http://127.0.0.1:$p/api/v1/portfolios/1/risk/var" -H "Authorization: Bearer $token" > /dev/null; done
  sleep 0.3
  "$bin/psql" -q -h "$tmp" -U keel_admin -d postgres -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" > /dev/null
  tail -n +$((before + 1)) "$tmp/server.log" | grep 'duration:' | grep -v 'pg_reload_conf\|ALTER SYSTEM' |
    awk '/statement: BEGIN/ {b++} /statement: COMMIT/ {c++} / parse / {p++} / bind / {bd++} / execute / {e++}
         END {printf "statements per cached read on PostgreSQL: %.1f executions (%.1f BEGIN, %.1f COMMIT), %.1f parses, %.1f binds\n",
              (e + b + c) / 20, b / 20, c / 20, p / 20, bd / 20}'
  stop_servers
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); machine: $(nproc) cores; wrk -d$duration"
for i in "${!keels[@]}"; do
  keel=${keels[$i]}
  name=keel$i
  setup "$keel" "$name"
  pg="postgresql://keel_app@/$name?host=$tmp${POOL:+&pool_size=$POOL}"
  sqlite=$tmp/$name.db
  echo "== $keel (load $(cut -d' ' -f1-3 /proc/loadavg))"
  statements
  p1=$(port)
  serve "$sqlite" "$p1" 100000000
  load "SQLite, one server, 128 conn." 128 "$p1"
  stop_servers
  p1=$(port); p2=$(port)
  serve "$pg" "$p1" 100000000
  load "PostgreSQL, one server, 128 conn." 128 "$p1"
  serve "$pg" "$p2" 100000000
  load "PostgreSQL, two servers, 64 conn. each" 64 "$p1" "$p2"
  stop_servers
  p1=$(port); p2=$(port)
  serve "$pg" "$p1" 0
  serve "$pg" "$p2" 0
  load "PostgreSQL, two servers, no rate limit" 64 "$p1" "$p2"
  stop_servers
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
