#!/usr/bin/env bash
# bench/report.sh [APPS] [CALLS] — the year report's speed (issue 11).
#
#   bash bench/report.sh 446000 1060000     (the Samsun profile: ~446 k applications and
#                                            1.06 M calls in 2025)
#
# Builds bench/report_bench.c against build/liballo153.a (run `make` first), creates a SQLite
# database of province 55 (Samsun) with `alo153 init`, fills it with a year of applications
# through core (so the rollups are kept as in production) and raw calls, then times
# report_summary for 2025 (whole centre and one department) and a rollup rebuild.
# Figures go to docs/PERFORMANCE.md. BENCH_DB keeps the database at that path (reused when it
# exists: only the timing runs).
set -euo pipefail
cd "$(dirname "$0")/.."
APPS=${1:-446000}
CALLS=${2:-1060000}
RUNS=${BENCH_RUNS:-7}
CFLAGS="-O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc $(pkg-config --cflags libmicrohttpd jansson sqlite3 libsodium icu-uc icu-i18n libpq)"
LIBS="$(pkg-config --libs libmicrohttpd jansson sqlite3 libsodium icu-uc icu-i18n libpq) -lstemmer -llinear -lpthread -lm"
mkdir -p build/bench
cc $CFLAGS -o build/bench/report_bench bench/report_bench.c build/liballo153.a $LIBS
DB=${BENCH_DB:-${TMPDIR:-/tmp}/alo153-report-bench.$$.db}
if [ ! -e "$DB" ]; then
    build/alo153 init --db "$DB" --province 55 >/dev/null
    build/bench/report_bench fill "$DB" 55 "$APPS" "$CALLS"
fi
echo "database: $DB ($(du -h "$DB" | cut -f1)); machine: $(nproc) cores, $(uname -sr); $(date -u +%F)"
build/bench/report_bench time "$DB" "$RUNS"
[ -n "${BENCH_DB:-}" ] || rm -f "$DB" "$DB-wal" "$DB-shm"
