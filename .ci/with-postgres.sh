#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on loopback, stopped and removed afterwards.
# Sets TEST_DATABASE_URL (and TEST_LIVE_DATABASE_URL for the browser tests' server).
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL mangler: installer pakken postgresql (apt-get install postgresql)." >&2; exit 1; }
workdir=$(mktemp -d /tmp/kk-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /bin/bash postgres
  chown postgres "$workdir"
fi
cleanup() {
  as_owner "'$bindir/pg_ctl' -D '$workdir/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT
as_owner "'$bindir/initdb' -D '$workdir/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
as_owner "'$bindir/pg_ctl' -D '$workdir/data' -l '$workdir/log' -w -o \"-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >/dev/null
for db in kk_test kk_live; do
  as_owner "'$bindir/createdb' -h 127.0.0.1 -p $port -U postgres $db"
done
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/kk_test"
export TEST_LIVE_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/kk_live"
echo "PostgreSQL på 127.0.0.1:$port"
"$@"
