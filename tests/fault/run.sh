#!/usr/bin/env bash
# Fault tests (`make fault`): kill -9 the server while it is acknowledging writes, restart it on
# the same database, and check every acknowledged application survived intact.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${ALO153_BIN:?set ALO153_BIN to the alo153 binary (make fault does)}"
if [ ! -x "$ALO153_BIN" ]; then
    echo "fault: $ALO153_BIN is not an executable" >&2
    exit 2
fi
command -v sqlite3 >/dev/null || { echo "fault: sqlite3 (the CLI) is needed for the integrity check" >&2; exit 2; }
export ALO153_BIN
exec node tests/fault/crash.mjs "$@"
