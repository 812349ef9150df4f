#!/bin/sh
# Entry point of the postgres-replica service (official postgres image). On first start the data
# directory is empty: clone the primary with pg_basebackup (-R writes standby.signal and
# primary_conninfo, -X stream copies the WAL written meanwhile, -S uses the primary's slot), then
# hand over to the image's own entrypoint, which finds an initialised directory and starts postgres
# as a hot standby streaming from the primary. Later starts reuse the directory.
set -eu
: "${PRIMARY_HOST:?}" "${PRIMARY_PORT:=5432}" "${REPLICATION_USER:?}" "${REPLICATION_PASSWORD:?}" "${REPLICATION_SLOT:?}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER"; do
    echo "waiting for the primary at $PRIMARY_HOST:$PRIMARY_PORT"
    sleep 1
  done
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 0700 "$PGDATA"
  gosu postgres env PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup \
    -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER" -D "$PGDATA" \
    -R -X stream -S "$REPLICATION_SLOT" --checkpoint=fast
fi
exec docker-entrypoint.sh postgres -c hot_standby=on
