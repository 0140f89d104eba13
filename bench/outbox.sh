#!/usr/bin/env bash
# The outbox benchmark (issue 15; docs/PERFORMANCE.md "Outgoing messages"): an SMS operator
# outage with a backlog, then a steady load, against local gateways. Arguments: N R S (see
# bench/outbox.mjs). BACKEND=pg runs it on a throw-away PostgreSQL (scripts/pg-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/alo153 >/dev/null
export ALO153_BIN="$PWD/build/alo153"
if [ "${BACKEND:-sqlite}" = pg ]; then
  exec bash scripts/pg-test.sh node bench/outbox.mjs "$@"
fi
exec node bench/outbox.mjs "$@"
