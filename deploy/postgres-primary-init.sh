#!/bin/sh
# Runs once, when the official postgres image initialises the primary's data directory
# (/docker-entrypoint-initdb.d): a replication role, a physical slot so the primary keeps the WAL
# the replica has not received yet, and the pg_hba line replication connections need (the image's
# `host all all all` line does not cover the `replication` pseudo-database).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v user="$REPLICATION_USER" -v password="$REPLICATION_PASSWORD" -v slot="$REPLICATION_SLOT" <<'SQL'
create role :"user" with replication login password :'password';
select pg_create_physical_replication_slot(:'slot');
SQL
echo "host replication $REPLICATION_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"
