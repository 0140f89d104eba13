#!/usr/bin/env bash
# AMI replay tests (`make ami`): `alo153 ami` against hand-made Asterisk 18+ transcripts played
# by tests/ami/replay.mjs on 127.0.0.1 (Asterisk is not packaged in Debian 12). Each case runs
# on a fresh database (PostgreSQL too, under scripts/pg-test.sh like the API tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${ALO153_BIN:?set ALO153_BIN to the alo153 binary (make ami does)}"
[ -x "$ALO153_BIN" ] || { echo "ami: $ALO153_BIN is not an executable" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "ami: sqlite3 (the CLI) is needed for the table checks" >&2; exit 2; }
export ALO153_BIN
TEST_TIMEOUT=${TEST_TIMEOUT:-180} exec bash tests/lib/run-node.sh "${NODE:-node}" tests/ami/ami.test.mjs
