#!/bin/bash
# Run once by the postgres image on a new data directory (/docker-entrypoint-initdb.d): the two
# roles of docs/postgresql.md and the database, owned by the owner role. The passwords come from
# the container's environment (deploy/keel.env); none is written here.
set -euo pipefail
: "${KEEL_OWNER_PASSWORD:?set KEEL_OWNER_PASSWORD in keel.env}"
: "${KEEL_APP_PASSWORD:?set KEEL_APP_PASSWORD in keel.env}"
: "${KEEL_REPLICATION_PASSWORD:?set KEEL_REPLICATION_PASSWORD in keel.env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$KEEL_OWNER_PASSWORD" -v app_password="$KEEL_APP_PASSWORD" \
  -v replication_password="$KEEL_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE keel_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE keel_app LOGIN PASSWORD :'app_password';
-- The read replica's (postgres-replica): streaming replication only, no table access.
CREATE ROLE keel_replicator LOGIN REPLICATION PASSWORD :'replication_password';
CREATE DATABASE keel OWNER keel_owner;
REVOKE ALL ON DATABASE keel FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE keel TO keel_app;
SQL
# Replication connections are not covered by the image's `host all all all` rule: allow the
# replication role from the compose network, with its password.
echo "host replication keel_replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
