#!/usr/bin/env bash
# Monte Carlo VaR of the 465-stock book (every S&P 500 stock of ../shared/data with all 1,260
# dates, ~10,000 USD each) with 10,000,000 paths, three ways on one PostgreSQL database:
#   in-process  `keel risk var` pinned to one core (taskset: oneTBB then uses one thread);
#   1 worker    a `keel worker --compute-threads 1` pinned to core 0 runs the job's shards
#               (1,000,000 paths each) and its reduce: the shard overhead against in-process;
#   2 workers   two such workers, on cores 0 and 1: the scale-out (goal >= 1.8x on 2 cores).
# The job is submitted through a `keel serve --job-workers 0` and timed from submission to
# success (the end of its event stream); every run's VaR must be the in-process VaR bit for bit (the JSON
# number text). Besides wall times, the CPU seconds of each way: the keel process(es) plus, for
# the workers, PostgreSQL's server processes during the job — the overhead in CPU holds on a busy
# machine, where wall times mostly measure waiting for a core. Prints the load before and after.
# Usage: bench/worker_scaling.sh [BUILD_DIR] [RUNS] [PATHS]   (skips without ../shared/data)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-3}
paths=${3:-10000000}
keel=$build/apps/keel/keel
file=${KEEL_BENCH_DATA:-$here/../shared/data}/equities/sp500_daily_2012_2017.csv.gz
if [ ! -f "$file" ]; then echo "skip: $file not found (../shared is absent)"; exit 0; fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then echo "skip: no PostgreSQL server (install the Debian package postgresql)"; exit 0; fi
tmp=$(mktemp -d)
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); chown postgres "$tmp"; fi
pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
  "${as[@]}" "$bin/pg_ctl" -D "$tmp/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$tmp/data" -U keel_admin --auth=trust -E UTF8 --no-locale > /dev/null
"${as[@]}" "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -o "-k $tmp -c listen_addresses=''" start > /dev/null
psql() { "$bin/psql" -q -h "$tmp" -U keel_admin -d postgres -v ON_ERROR_STOP=1 -c "$1" > /dev/null; }
psql "CREATE ROLE keel_owner LOGIN; CREATE ROLE keel_app LOGIN"
psql "CREATE DATABASE keel OWNER keel_owner"
"$keel" --quiet --db "postgresql://keel_owner@/keel?host=$tmp" db migrate --app-role keel_app > /dev/null
postmaster=$(head -1 "$tmp/data/postmaster.pid")
hz=$(getconf CLK_TCK)
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
server_ticks() {  # CPU ticks of every PostgreSQL process, plus the reaped children of the postmaster
  local total=0 p
  for p in $(pgrep -P "$postmaster") "$postmaster"; do
    [ -r "/proc/$p/stat" ] && total=$((total + $(ticks_of "$p")))
  done
  echo $((total + $(awk '{print $16 + $17}' "/proc/$postmaster/stat")))
}
db="postgresql://keel_app@/keel?host=$tmp&pool_size=4"
k() { "$keel" --db "$db" --quiet "$@"; }

echo "setting up: prices (607,622 rows) and the book"
k import prices "$file" > /dev/null
zcat "$file" | awk -F, 'NR > 1 { n[$2]++; last[$2] = $6 }
  END { for (s in n) if (n[s] == 1260) { q = int(10000 / last[s] + 0.5); if (q < 1) q = 1; print s "," q } }' \
  | sort | (echo "symbol,quantity"; cat) > "$tmp/book.csv"
k import positions "$tmp/book.csv" --portfolio sp465 > /dev/null
echo "book: $(($(wc -l < "$tmp/book.csv") - 1)) stocks"
echo "bench-password" | k user add bench --role analyst --password-stdin > /dev/null
export KEEL_JWT_SECRET=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$keel" --db "$db" --quiet serve --port "$port" --no-web --no-log --job-workers 0 --rate-limit 0 &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.1; done
token=$(curl -fs "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password"}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
pid=$(curl -fs "http://127.0.0.1:$port/api/v1/portfolios" -H "Authorization: Bearer $token" |
  /usr/bin/python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin)["items"] if p["name"] == "sp465"][0])')
var_of() { /usr/bin/python3 -c 'import json,sys; d = json.load(sys.stdin); d = d.get("result", d); print(repr([m for m in d["results"] if m["method"] == "montecarlo"][0]["var"]))'; }

# One job through the server; prints "seconds var".
run_job() {
  local t0 t1 id status body
  t0=$(date +%s.%N)
  id=$(curl -fs "http://127.0.0.1:$port/api/v1/portfolios/$pid/risk/var" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d "{\"method\":\"montecarlo\",\"paths\":$paths,\"seed\":1,\"async\":true}" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  # The job's event stream ends with its final event: one connection, no polling process
  # competing with the workers for the two cores.
  curl -fsN "http://127.0.0.1:$port/api/v1/jobs/$id/events" -H "Authorization: Bearer $token" |
    grep -q -m1 -E '^event: (succeeded|failed|cancelled)' || true  # curl ends on SIGPIPE
  t1=$(date +%s.%N)
  body=$(curl -fs "http://127.0.0.1:$port/api/v1/jobs/$id" -H "Authorization: Bearer $token")
  status=$(echo "$body" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  [ "$status" = succeeded ] || { echo "job $id $status: $body" >&2; exit 1; }
  echo "$(echo "$t1 - $t0" | bc) $(echo "$body" | var_of)"
}
start_workers() {  # N: workers pinned to cores 0 .. N-1
  for c in $(seq 0 $(($1 - 1))); do
    taskset -c "$c" "$keel" --db "$db" --quiet worker --compute-threads 1 --shard-paths 1000000 --no-log &
    pids+=($!)
    workers+=($!)
  done
  sleep 1
}
stop_workers() {  # prints the workers' CPU seconds
  local t=0 p
  for p in "${workers[@]}"; do t=$((t + $(ticks_of "$p"))); done
  for p in "${workers[@]}"; do kill "$p"; wait "$p" 2> /dev/null || true; done
  workers=()
  echo "scale=2; $t / $hz" | bc
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A best
ref=""
for i in $(seq "$runs"); do
  t0=$(date +%s.%N)
  pg0=$(server_ticks)
  v=$(/usr/bin/time -f "%U %S" -o "$tmp/cpu" taskset -c 0 "$keel" --db "$db" --quiet --format json risk var \
    --portfolio sp465 --method montecarlo --paths "$paths" --seed 1 | var_of)
  t=$(echo "$(date +%s.%N) - $t0" | bc)
  cin=$(awk -v pg=$(( $(server_ticks) - pg0 )) -v hz="$hz" '{printf "%.2f", $1 + $2 + pg / hz}' "$tmp/cpu")
  ref=${ref:-$v}
  [ "$v" = "$ref" ] || { echo "in-process VaR $v differs from $ref"; exit 1; }
  for n in 1 2; do
    workers=()
    start_workers "$n"
    pg0=$(server_ticks)
    read -r tn vn < <(run_job)
    pgn=$(( $(server_ticks) - pg0 ))
    cw=$(stop_workers)
    [ "$vn" = "$ref" ] || { echo "$n worker(s): VaR $vn differs from the in-process $ref"; exit 1; }
    eval "t$n=$tn"
    eval "c$n=$(echo "scale=2; $cw + $pgn / $hz" | bc)"
  done
  echo "run $i: wall: in-process $t s, 1 worker $t1 s, 2 workers $t2 s; CPU (keel + PostgreSQL): $cin s, $c1 s, $c2 s (VaR $ref each time)"
  printf "       CPU overhead of the shards: 1 worker %.1f %%, 2 workers %.1f %%\n" \
    "$(echo "($c1 / $cin - 1) * 100" | bc -l)" "$(echo "($c2 / $cin - 1) * 100" | bc -l)"
  for key in in:$t w1:$t1 w2:$t2; do
    name=${key%%:*}; val=${key#*:}
    if [ -z "${best[$name]:-}" ] || [ "$(echo "$val < ${best[$name]}" | bc)" = 1 ]; then best[$name]=$val; fi
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $runs runs, $paths paths, PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
printf "best: in-process %.2f s, 1 worker %.2f s, 2 workers %.2f s\n" "${best[in]}" "${best[w1]}" "${best[w2]}"
printf "shard overhead (1 worker / in-process - 1): %.1f %%   (goal < 5 %%)\n" "$(echo "(${best[w1]} / ${best[in]} - 1) * 100" | bc -l)"
printf "scale-out (1 worker / 2 workers): %.2fx   (goal >= 1.8x on 2 cores)\n" "$(echo "${best[w1]} / ${best[w2]}" | bc -l)"
