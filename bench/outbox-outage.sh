#!/usr/bin/env bash
# A real 10-minute SMS operator outage under steady load (issue 15; docs/PERFORMANCE.md). Takes
# ~13-17 minutes wall: run it with nice in the background. Arguments: R PRE OUTAGE POST (see
# bench/outbox-outage.mjs). BACKEND=pg runs it on a throw-away PostgreSQL. ALO153_BIN may point
# at a copy of the binary (so that a rebuild meanwhile does not change it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ALO153_BIN:-}" ]; then
  make -s build/alo153 >/dev/null
  export ALO153_BIN="$PWD/build/alo153"
fi
if [ "${BACKEND:-sqlite}" = pg ]; then
  exec bash scripts/pg-test.sh node bench/outbox-outage.mjs "$@"
fi
exec node bench/outbox-outage.mjs "$@"
