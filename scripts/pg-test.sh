#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL 15 cluster:
#
#   scripts/pg-test.sh COMMAND [ARG...]
#
# initdb's a cluster into a temporary directory, starts it on 127.0.0.1 at a free port (and a
# unix socket in that directory), runs COMMAND with
#
#   ALO153_TEST_PG_URL_BASE  postgresql://alo153@127.0.0.1:PORT   (append /DBNAME)
#   ALO153_TEST_PG_URL       the same with /alo153 (a database created here)
#   PGPASSWORD               the cluster's generated password (libpq reads it; nothing
#                            puts it on a command line)
#
# and stops and removes the cluster when COMMAND ends, fails or is interrupted. The role
# alo153 is a superuser (it creates a database per test server). fsync is off: this is a
# test cluster. As root, the server runs as `nobody` (postgres refuses to run as root).
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "pg-test: no PostgreSQL server binaries (apt-get install postgresql; or set PGBIN)" >&2
  exit 2
fi
[ $# -gt 0 ] || { echo "usage: scripts/pg-test.sh COMMAND [ARG...]" >&2; exit 2; }

dir=$(mktemp -d /tmp/alo153-pg.XXXXXX)
chmod 755 "$dir"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$dir"
  as_owner=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
run() { "${as_owner[@]}" "$@"; }

stop() {
  run "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  if [ -z "${ALO153_KEEP_TMP:-}" ]; then rm -rf "$dir"; else echo "pg-test: kept $dir" >&2; fi
}
trap stop EXIT
trap 'exit 130' INT TERM

password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$password" > "$dir/pw"
[ "$(id -u)" -eq 0 ] && chown nobody "$dir/pw"
run "$PGBIN/initdb" -D "$dir/data" -U alo153 --pwfile="$dir/pw" --auth=scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pw"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
opts+=" -c shared_buffers=64MB"
run "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

export PGPASSWORD=$password
export ALO153_TEST_PG_URL_BASE="postgresql://alo153@127.0.0.1:$port"
export ALO153_TEST_PG_URL="$ALO153_TEST_PG_URL_BASE/alo153"
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$ALO153_TEST_PG_URL_BASE/postgres" \
  -c 'CREATE DATABASE alo153' >/dev/null
echo "pg-test: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2

set +e
"$@"
rc=$?
exit $rc
