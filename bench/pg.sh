#!/usr/bin/env bash
# bench/pg.sh BIN — alo153 on PostgreSQL with 1, 2 and 4 `serve` processes (issue 9).
#
#   bash scripts/pg-test.sh bash bench/pg.sh build/alo153    (make bench-pg)
#
# Runs inside scripts/pg-test.sh's throw-away cluster (ALO153_TEST_PG_URL_BASE; note: that
# cluster runs with fsync=off, synchronous_commit=off — it measures alo153 and the protocol,
# not a disk). Loads BENCH_APPS demo applications once, then for P in 1 2 4 starts P serve
# processes on the same database and measures, at 32 connections in all:
#   create  POST /api/v1/applications
#   get     GET  /api/v1/applications/{random id}
#   healthz GET  /healthz (the HTTP stack's ceiling, in the same run)
# Round-robin: P wrk instances run at the same time, one per process, each with 32/P
# connections; the figure is the sum of their req/s, latency the worst p99 of them.
# Timings never decide the exit status; non-2xx responses do.
#
# Environment: BENCH_APPS (default 20000), BENCH_SECONDS (default 10), BENCH_THREADS
# (server worker threads per process, default 4), BENCH_PROCS (the process counts, default
# "1 2 4"), BENCH_ONLY=create (creates only), BENCH_DB (the database's name, default bench:
# give each binary of an A/B in one cluster its own).
set -euo pipefail

BIN=${1:?usage: bench/pg.sh path/to/alo153}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
: "${ALO153_TEST_PG_URL_BASE:?run me under scripts/pg-test.sh}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APPS=${BENCH_APPS:-20000}
SECS=${BENCH_SECONDS:-10}
SRV_THREADS=${BENCH_THREADS:-4}
DB="$ALO153_TEST_PG_URL_BASE/${BENCH_DB:-bench}"
PROCS=${BENCH_PROCS:-1 2 4}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/alo153-pgbench.XXXXXX")
PIDS=()
FAIL=0

stop_servers() {
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    PIDS=()
}
trap 'stop_servers; rm -rf "$WORK"' EXIT

echo "== alo153 on PostgreSQL: $APPS applications, ${SECS}s per run, $SRV_THREADS threads per process"
echo "   $(date -u +%Y-%m-%dT%H:%MZ); host $(nproc) CPUs, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "   load before: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s)
"$BIN" init --db "$DB" --demo --demo-size "$APPS" >"$WORK/init.log" 2>&1 ||
    { cat "$WORK/init.log" >&2; exit 1; }
echo "init --demo --demo-size $APPS on PostgreSQL: $(( $(date +%s) - t0 )) s"
N=$(psql -XAtq -d "$DB" -c 'select max(id) from applications')

start_servers() { # start $1 processes; PORTS=(...)
    PORTS=()
    for i in $(seq "$1"); do
        ALO153_LOG=warn "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --threads "$SRV_THREADS" \
            >"$WORK/serve$i.out" 2>"$WORK/serve$i.err" &
        PIDS+=($!)
        local port=
        for _ in $(seq 100); do
            port=$(sed -n 's|^alo153 listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/serve$i.out")
            [ -n "$port" ] && break
            sleep 0.1
        done
        [ -n "$port" ] || { cat "$WORK/serve$i.err" >&2; exit 1; }
        PORTS+=("$port")
    done
}

# measure NAME PROCS SCRIPT [ARGS]: one wrk per process, 32/PROCS connections each, summed
measure() {
    local name=$1 procs=$2 script=$3; shift 3
    local conns=$(( 32 / procs )) i=0 wrks=()
    for port in "${PORTS[@]}"; do
        i=$((i + 1))
        wrk -t1 -c"$conns" -d"${SECS}s" --latency --timeout 10s -H "Cookie: $COOKIE" \
            -s "$HERE/$script" "http://127.0.0.1:$port/" "$@" >"$WORK/$name-$procs-$i.txt" 2>&1 &
        wrks+=($!)
    done
    wait "${wrks[@]}" || FAIL=1
    local rps p99 non2xx
    rps=$(cat "$WORK/$name-$procs-"*.txt | awk '/^Requests\/sec:/ { s += $2 } END { printf "%.0f", s }')
    p99=$(cat "$WORK/$name-$procs-"*.txt | awk '$1 == "99%" { print $2 }' | sort -h | tail -1)
    non2xx=$(cat "$WORK/$name-$procs-"*.txt | grep -o 'c[345]xx=[0-9]*' | awk -F= '{ s += $2 } END { print s + 0 }')
    [ "$non2xx" -eq 0 ] || { echo "   !! $name/$procs: $non2xx non-2xx" >&2; FAIL=1; }
    printf '%-8s %d process(es) x %2d conns: %8s req/s  p99 %s\n' "$name" "$procs" "$conns" "$rps" "$p99"
    RES[$name-$procs]=$rps
}

declare -A RES
for P in $PROCS; do
    start_servers "$P"
    COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
        -d '{"username":"agent","password":"alo153demo"}' "http://127.0.0.1:${PORTS[0]}/api/v1/session" |
        sed -n 's/^[Ss]et-[Cc]ookie: *\(alo153_session=[^;]*\).*/\1/p' | tr -d '\r')
    [ -n "$COOKIE" ] || { echo "bench: login failed" >&2; exit 1; }
    echo
    echo "-- $P serve process(es), load $(cut -d' ' -f1-3 /proc/loadavg)"
    measure create "$P" create.lua
    if [ "${BENCH_ONLY:-}" != create ]; then
        measure get "$P" get.lua "$N"
        measure healthz "$P" healthz.lua
    fi
    stop_servers
done
echo
echo "| processes | create/s | get/s | healthz/s | gets as share of healthz |"
echo "|---|---|---|---|---|"
for P in $PROCS; do
    g=${RES[get-$P]:-} h=${RES[healthz-$P]:-}
    echo "| $P | ${RES[create-$P]} | ${g:--} | ${h:--} | $([ -n "$g" ] && awk -v g="$g" -v h="$h" 'BEGIN { printf "%.0f %%", 100 * g / h }' || echo -) |"
done
exit $FAIL
