#!/bin/bash
# The entrypoint of the compose file's postgres-replica service: a hot standby of `postgres`.
# On an empty data directory it copies the primary with pg_basebackup (as the replication role
# keel_replicator, streaming the WAL written meanwhile) and writes the standby's settings (-R:
# standby.signal and primary_conninfo); then, every start, it runs PostgreSQL as a hot standby,
# which replays the primary's WAL as it streams in and answers read-only queries. keel serve reads
# from it with --store-read-replica (docs/deploy.md, "A read replica").
set -euo pipefail
: "${KEEL_REPLICATION_PASSWORD:?set KEEL_REPLICATION_PASSWORD in keel.env}"
export PGDATA=/var/lib/postgresql/data
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  export PGPASSWORD="$KEEL_REPLICATION_PASSWORD"
  # The primary may still be creating its roles: try until the base backup starts.
  until pg_basebackup --host=postgres --username=keel_replicator --pgdata="$PGDATA" \
      --write-recovery-conf --wal-method=stream --checkpoint=fast; do
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
  unset PGPASSWORD
  # The standby connects again after every restart: with the password, and named in the primary's
  # pg_stat_replication.
  cat >> "$PGDATA/postgresql.auto.conf" <<CONF
primary_conninfo = 'host=postgres port=5432 user=keel_replicator password=''${KEEL_REPLICATION_PASSWORD}'' application_name=keel-replica'
CONF
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
