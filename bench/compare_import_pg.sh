#!/usr/bin/env bash
# Side by side: `keel import prices` of the same 607,622-row file into PostgreSQL (COPY in key
# order: docs/postgresql.md "Bulk loads") and into SQLite, same runs.
# Usage: bench/compare_import_pg.sh [BUILD_DIR] [RUNS] [BASELINE_KEEL]   (needs ../shared/data beside
# the repository, or KEEL_BENCH_DATA naming that data folder)
# With BASELINE_KEEL (another keel binary), each run imports into PostgreSQL with it too, and the
# rows both binaries stored are compared bit for bit (float8send of every double).
#
# Starts its own PostgreSQL (the newest /usr/lib/postgresql/*/bin, Debian's `postgresql` package)
# in a temporary directory on a Unix socket, with the server's durability defaults (fsync on,
# synchronous_commit on: a commit is on disk, as SQLite's WAL commit with synchronous=NORMAL is
# atomic), migrates it with `keel db migrate`, then alternates: keel into a fresh SQLite file, keel
# into a fresh PostgreSQL database as the application role. Printed per side: best and median wall
# time, keel's CPU (user + system) of the median run, its largest peak resident memory, and for
# PostgreSQL the server's CPU of the median run too (every server process, the connection's backend
# counted when the postmaster reaps it), with the load before and after.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-5}
keel=$build/apps/keel/keel
baseline=${3:-}
file=${KEEL_BENCH_DATA:-$here/../shared/data}/equities/sp500_daily_2012_2017.csv.gz
if [ ! -f "$file" ]; then echo "skip: $file not found (../shared is absent)"; exit 0; fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then echo "skip: no PostgreSQL server (install the Debian package postgresql)"; exit 0; fi
tmp=$(mktemp -d)
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); chown postgres "$tmp"; fi
stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$tmp/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$tmp/data" -U keel_admin --auth=trust -E UTF8 --no-locale > /dev/null
"${as[@]}" "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -o "-k $tmp -c listen_addresses=''" start > /dev/null
psql() { "$bin/psql" -q -h "$tmp" -U keel_admin -d postgres -v ON_ERROR_STOP=1 -c "$1" > /dev/null; }
psql "CREATE ROLE keel_owner LOGIN; CREATE ROLE keel_app LOGIN"
psql "CREATE DATABASE keel_template OWNER keel_owner"
"$keel" --quiet --db "postgresql://keel_owner@/keel_template?host=$tmp" db migrate --app-role keel_app > /dev/null
postmaster=$(head -1 "$tmp/data/postmaster.pid")

server_ticks() {  # CPU ticks of every server process, plus the reaped children of the postmaster
  local total=0 pid
  for pid in $(pgrep -P "$postmaster") "$postmaster"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo $((total + $(awk '{print $16 + $17}' "/proc/$postmaster/stat")))
}
measure() {  # appends "wall_s cpu_s peak_kb server_cpu_s" of the command to the file $1
  local out=$1 before after
  shift
  before=$(server_ticks)
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err" || { cat "$tmp/err"; exit 1; }
  sleep 0.2  # the backend exits after the client; let the postmaster reap it
  after=$(server_ticks)
  awk -v s=$((after - before)) -v hz="$(getconf CLK_TCK)" '{printf "%s %.2f %s %.2f\n", $1, $2 + $3, $4, s / hz}' \
    "$tmp/time" >> "$out"
}
summary() {  # name, file of measurements, with server CPU (1/0)
  sort -n "$2" | awk -v name="$1" -v server="$3" '
    { wall[NR] = $1; cpu[NR] = $2; srv[NR] = $4; if ($3 > kb) kb = $3 }
    END { m = int((NR + 1) / 2);
          printf "%-30s best %5.2f s  median %5.2f s  keel cpu %5.2f s  peak %4d MB", name, wall[1], wall[m], cpu[m], kb / 1024;
          if (server) printf "  server cpu %5.2f s", srv[m];
          printf "\n" }'
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  rm -f "$tmp"/k.db*
  measure "$tmp/sqlite" "$keel" --db "$tmp/k.db" --quiet import prices "$file"
  psql "CREATE DATABASE keel_$i TEMPLATE keel_template OWNER keel_owner"
  measure "$tmp/pg" "$keel" --db "postgresql://keel_app@/keel_$i?host=$tmp" --quiet import prices "$file"
  if [ -n "$baseline" ]; then
    psql "CREATE DATABASE keel_base_$i TEMPLATE keel_template OWNER keel_owner"
    measure "$tmp/pg_base" "$baseline" --db "postgresql://keel_app@/keel_base_$i?host=$tmp" --quiet import prices "$file"
  fi
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $runs runs each, PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
rows=$("$bin/psql" -At -h "$tmp" -U keel_admin -d "keel_$runs" -c "SELECT count(*) FROM prices")
echo "rows stored in PostgreSQL: $rows"
summary "keel -> SQLite" "$tmp/sqlite" 0
summary "keel -> PostgreSQL (COPY)" "$tmp/pg" 1
if [ -n "$baseline" ]; then
  summary "baseline -> PostgreSQL (COPY)" "$tmp/pg_base" 1
  digest() {
    "$bin/psql" -At -h "$tmp" -U keel_admin -d "$1" -c "SELECT md5(string_agg(concat_ws(' ', i.symbol, p.date,
      float8send(p.close), float8send(p.adj_close), float8send(p.open), float8send(p.high), float8send(p.low),
      float8send(p.volume), p.adj_close IS NULL, p.open IS NULL, p.high IS NULL, p.low IS NULL, p.volume IS NULL),
      ',' ORDER BY i.symbol, p.date)) FROM prices p JOIN instruments i ON i.id = p.instrument_id"
  }
  if [ "$(digest "keel_$runs")" = "$(digest "keel_base_$runs")" ]; then
    echo "stored rows: bit-identical to the baseline's"
  else
    echo "stored rows: DIFFER from the baseline's"
  fi
fi
best_s=$(sort -n "$tmp/sqlite" | head -1 | cut -d' ' -f1)
best_p=$(sort -n "$tmp/pg" | head -1 | cut -d' ' -f1)
echo "ratio (PostgreSQL / SQLite, best wall): $(echo "$best_p $best_s" | awk '{printf "%.2fx", $1/$2}')"
if [ -n "$baseline" ]; then
  best_b=$(sort -n "$tmp/pg_base" | head -1 | cut -d' ' -f1)
  echo "ratio (baseline PostgreSQL / SQLite, best wall): $(echo "$best_b $best_s" | awk '{printf "%.2fx", $1/$2}')"
fi
