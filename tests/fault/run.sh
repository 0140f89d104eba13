#!/usr/bin/env bash
# Fault tests (`make fault`): kill -9 the server while it is acknowledging writes, restart it on
# the same database, and check every acknowledged application survived intact. Then disk full
# and I/O errors under the server's SQLite (tests/fault/diskfull.mjs, with the LD_PRELOAD shim
# tests/fault/iofail.c that make fault builds): 503 + Retry-After, nothing lost, recovery.
# FAULT_ONLY=diskfull runs only that one.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${ALO153_BIN:?set ALO153_BIN to the alo153 binary (make fault does)}"
if [ ! -x "$ALO153_BIN" ]; then
    echo "fault: $ALO153_BIN is not an executable" >&2
    exit 2
fi
command -v sqlite3 >/dev/null || { echo "fault: sqlite3 (the CLI) is needed for the integrity check" >&2; exit 2; }
export ALO153_BIN
# 4 writers, then 32 (group commit batches the 32: a batch's members are answered only after
# the one COMMIT that holds them, so kill -9 mid-batch must lose none of the answered ones)
if [ "${FAULT_ONLY:-}" != diskfull ]; then
CRASH_CLIENTS=${CRASH_CLIENTS:-4} node tests/fault/crash.mjs "$@"
[ -n "${CRASH_CLIENTS_HEAVY:-32}" ] && CRASH_CLIENTS=${CRASH_CLIENTS_HEAVY:-32} node tests/fault/crash.mjs "$@"
fi
if [ -z "${ALO153_IOFAIL_SO:-}" ]; then # make fault builds it; scripts/mutate.py does not
    ALO153_IOFAIL_SO=build/tests/fault/iofail.so
    mkdir -p build/tests/fault
    cc -O1 -g -Wall -Wextra -Werror -shared -fPIC -o "$ALO153_IOFAIL_SO" tests/fault/iofail.c -ldl
fi
ALO153_IOFAIL_SO="$ALO153_IOFAIL_SO" node tests/fault/diskfull.mjs
