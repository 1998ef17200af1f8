#!/usr/bin/env bash
# The backup schedule's script and the restore drill of docs/deploy.md ("Backups on a schedule",
# "Restore drill"), followed step by step:
#   SQLite: three scheduled runs keep the newest two; a failing run removes nothing and exits
#   non-zero; the newest backup put in place of the store answers the same portfolio and holdings.
#   PostgreSQL (when Debian's server binaries are installed): a pg_dump backup restored with
#   pg_restore into an empty database, migrated, answers the same.
#   backup_drill.sh KEEL REPO_ROOT
set -euo pipefail
keel=$(realpath "$1")
root=$(realpath "$2")
backup="$root/deploy/backup/keel-backup"
work=$(mktemp -d /tmp/keel-drill-XXXXXX)
pg_data=""
pg_user=""
pg_dir=""
cleanup() {
  if [ -n "$pg_data" ]; then
    ${pg_user:+runuser -u "$pg_user" --} "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop > /dev/null 2>&1 || true
  fi
  rm -rf "$work" ${pg_dir:+"$pg_dir"}
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
count() { find "$1" -maxdepth 1 -name "keel-*.$2" | wc -l; }

# A store with a portfolio and an account.
store="$work/keel.db"
k() { "$keel" --db "$store" "$@"; }
k import prices "$root/examples/market/prices.csv" > /dev/null 2>&1
k portfolio create drill > /dev/null
k import positions "$root/examples/portfolios/balanced.csv" --portfolio drill > /dev/null 2>&1
k account create main > /dev/null
k import transactions "$root/examples/ledger/transactions.csv" --account main > /dev/null 2>&1
k --format json portfolio show drill > "$work/portfolio.before"
k --format json ledger holdings --account main 2> /dev/null > "$work/holdings.before"

# The schedule: three runs a second apart with KEEL_BACKUP_KEEP=2 leave the newest two.
export KEEL_BIN="$keel" KEEL_DB="$store" KEEL_BACKUP_DIR="$work/backups" KEEL_BACKUP_KEEP=2
for i in 1 2 3; do
  "$backup" > "$work/run$i.log" || fail "run $i: $(cat "$work/run$i.log")"
  [ "$i" = 3 ] || sleep 1.1
done
[ "$(count "$work/backups" db)" = 2 ] || fail "expected 2 backups kept, found $(count "$work/backups" db)"
newest=$(ls -1 "$work/backups" | sort | tail -1)
grep -q "wrote $work/backups/$newest" "$work/run3.log" || fail "the newest backup is not the last run's"
grep -q "removed" "$work/run3.log" || fail "the third run removed nothing"

# A run that cannot back up (no store there) fails and deletes nothing.
sleep 1.1
if KEEL_DB="$work/missing.db" "$backup" > "$work/fail.log" 2>&1; then fail "a backup of a missing store succeeded"; fi
[ "$(count "$work/backups" db)" = 2 ] || fail "a failed run changed the backups"
ls "$work/backups" | grep -q partial && fail "a failed run left a partial file"
KEEL_BACKUP_KEEP=0 "$backup" > /dev/null 2>&1 && fail "KEEL_BACKUP_KEEP=0 was accepted"

# Restore drill (SQLite): stop keel, put the newest backup in place of the store, start keel.
restored="$work/restored/keel.db"
mkdir -p "$work/restored"
cp "$work/backups/$newest" "$restored"
"$keel" --db "$restored" --format json portfolio show drill > "$work/portfolio.after"
"$keel" --db "$restored" --format json ledger holdings --account main 2> /dev/null > "$work/holdings.after"
cmp -s "$work/portfolio.before" "$work/portfolio.after" || fail "the restored portfolio differs"
cmp -s "$work/holdings.before" "$work/holdings.after" || fail "the restored holdings differ"
echo "sqlite: 3 runs kept 2, a failing run removed nothing, the restored store answers the same"

# PostgreSQL, when the server binaries are here.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || ! command -v pg_dump > /dev/null; then
  echo "postgresql drill skipped: no PostgreSQL server binaries (scripts/setup installs postgresql)"
  exit 0
fi
pg_dir=$(mktemp -d /tmp/keel-drill-pg-XXXXXX)  # its own directory: the server's user must reach it
if [ "$(id -u)" = 0 ]; then
  pg_user=$(getent passwd postgres > /dev/null && echo postgres || echo nobody)
  chown "$pg_user" "$pg_dir"
fi
as_pg() { ${pg_user:+runuser -u "$pg_user" --} "$@"; }
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U keel_admin --auth=trust -E UTF8 --no-locale --no-sync > "$work/initdb.log" 2>&1 ||
  fail "initdb: $(tail -5 "$work/initdb.log")"
pg_data="$pg_dir/data"
as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_dir/server.log" -w -t 30 \
  -o "-k $pg_dir -c listen_addresses='' -c fsync=off" start > /dev/null || fail "pg_ctl start"
psql_admin() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 "postgresql://keel_admin@/postgres?host=$pg_dir" -c "$1"; }
psql_admin "CREATE ROLE keel_owner LOGIN; CREATE ROLE keel_app LOGIN NOSUPERUSER NOBYPASSRLS"
psql_admin "CREATE DATABASE keel OWNER keel_owner"
psql_admin "CREATE DATABASE keel_restored OWNER keel_owner"
pg_url="postgresql://keel_owner@/keel?host=$pg_dir"
"$keel" --db "$pg_url" db migrate --app-role keel_app > /dev/null
"$keel" db copy --from "$store" --to "$pg_url" > /dev/null 2>&1 || fail "keel db copy into PostgreSQL"
"$keel" --db "$pg_url" --format json portfolio show drill > "$work/pg.before"

KEEL_DB="$pg_url" KEEL_BACKUP_DIR="$work/pg-backups" "$backup" > "$work/pg-run.log" || fail "pg backup: $(cat "$work/pg-run.log")"
dump=$(ls -1 "$work/pg-backups"/keel-*.dump)
# Restore drill (PostgreSQL): restore into an empty database as the owner, then keel db migrate.
restored_url="postgresql://keel_owner@/keel_restored?host=$pg_dir"
"$pg_bin/pg_restore" --no-owner --dbname="$restored_url" "$dump" || fail "pg_restore"
"$keel" --db "$restored_url" db migrate --app-role keel_app > /dev/null
"$keel" --db "$restored_url" --format json portfolio show drill > "$work/pg.after"
cmp -s "$work/pg.before" "$work/pg.after" || fail "the restored PostgreSQL portfolio differs"
echo "postgresql: pg_dump backup restored with pg_restore answers the same"
