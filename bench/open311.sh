#!/usr/bin/env bash
# bench/open311.sh BIN [DB] — Open311 GeoReport v2 on a 100,000-application database (issue 16).
#
#   bash bench/open311.sh build/alo153                 # makes the database (about 10 min)
#   bash bench/open311.sh build/alo153 /tmp/sim.db     # an existing simulated database (kept)
#
# Without DB: `alo153 init --province 55` and `alo153 simulate --profile samsun-2025 --scale 5`
# (112,105 applications in 2025) in a temporary folder. Then serves it (4 threads) with the
# clock at its newest application (ALO153_NOW: the spec's default window, "the most recent 90
# days", lies in the simulated days) and measures:
#   GET  /open311/v2/requests.json and .xml with no parameters: the default page of 1,000
#        requests, BENCH_GETS times each with curl (min / median / max of time_total);
#   POST /open311/v2/requests.json with wrk at 1 and 8 connections for BENCH_SECONDS each.
# Correctness on the side: every GET page has exactly 1,000 requests, every POST answer is 2xx,
# and the Open311 records grew by what wrk saw answered (plus those in flight at the end).
# Figures go to docs/PERFORMANCE.md ("Open311"); timings never decide the exit status.
set -euo pipefail
BIN=${1:?usage: bench/open311.sh path/to/alo153 [DB]}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
DB=${2:-}
SECS=${BENCH_SECONDS:-10}
GETS=${BENCH_GETS:-20}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for tool in wrk sqlite3 curl; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 2; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/alo153-o311.XXXXXX")
SRV_PID=
cleanup() {
    if [ -n "$SRV_PID" ] && kill -0 "$SRV_PID" 2>/dev/null; then
        kill -TERM "$SRV_PID"; wait "$SRV_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
FAIL=0
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
if [ -z "$DB" ]; then
    DB=$WORK/sim.db
    "$BIN" init --db "$DB" --province 55 >"$WORK/init.log" 2>&1
    "$BIN" simulate --profile samsun-2025 --scale 5 --db "$DB" >"$WORK/sim.log" 2>&1
fi
N=$(sqlite3 "$DB" 'select count(*) from applications')
echo "database: $DB, $N applications"
KEY=$("$BIN" token add "bench-$$-$(date +%s)" --open311 --db "$DB")

# the clock at the newest application: "the most recent 90 days" are the simulated ones
NOW=$(sqlite3 "$DB" "select strftime('%Y-%m-%dT%H:%M:%SZ', max(created_at), 'unixepoch') from applications")
IN90=$(sqlite3 "$DB" "select count(*) from applications where category_id is not null and created_at > (select max(created_at) from applications) - 90 * 86400")
echo "clock: $NOW; applications with a category in the 90 days before it: $IN90"
ALO153_NOW=$NOW ALO153_OPEN311_RATE=1000000 ALO153_LOG=warn \
    "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --threads 4 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SRV_PID=$!
PORT=
for _ in $(seq 100); do
    PORT=$(sed -n 's|^alo153 listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.out")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$WORK/serve.err" >&2; echo "bench: server did not start" >&2; exit 1; }
BASE=http://127.0.0.1:$PORT

for fmt in json xml; do
    : >"$WORK/times"
    for i in $(seq "$GETS"); do
        curl -s -o "$WORK/page" -w '%{time_total} %{size_download}\n' "$BASE/open311/v2/requests.$fmt" >>"$WORK/times"
    done
    items=$(grep -o '<service_request_id>\|"service_request_id"' "$WORK/page" | wc -l)
    [ "$items" -eq 1000 ] || { echo "bench: the $fmt page has $items requests, not 1000" >&2; FAIL=1; }
    sort -n "$WORK/times" | awk -v f="$fmt" -v n="$items" '{ t[NR] = $1; b = $2 }
        END { printf "GET requests.%s (%d requests, %d bytes): min %.0f ms, median %.0f ms, max %.0f ms over %d\n",
              f, n, b, t[1] * 1000, t[int((NR + 1) / 2)] * 1000, t[NR] * 1000, NR }'
done

for conns in 1 8; do
    before=$(sqlite3 "$DB" 'select count(*) from open311_requests')
    threads=1; [ "$conns" -gt 1 ] && threads=2
    O311_KEY=$KEY wrk -t$threads -c$conns -d"${SECS}s" --latency -s "$HERE/open311_post.lua" "$BASE/" >"$WORK/wrk.txt" 2>&1
    after=$(sqlite3 "$DB" 'select count(*) from open311_requests')
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk.txt")
    p50=$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")
    p99=$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")
    st=$(grep BENCH_STATUS "$WORK/wrk.txt")
    ok=$(sed 's/.*ok2xx=\([0-9]*\).*/\1/' <<<"$st"); sent=$(sed 's/.*sent=\([0-9]*\).*/\1/' <<<"$st")
    echo "POST requests.json, $conns connection(s), ${SECS}s: $rps/s, p50 $p50, p99 $p99; $st; rows +$((after - before))"
    grep -q 'c4xx=0 c5xx=0' <<<"$st" || { echo "bench: non-2xx answers" >&2; FAIL=1; }
    [ $((after - before)) -ge "$ok" ] && [ $((after - before)) -le "$sent" ] ||
        { echo "bench: rows +$((after - before)) but wrk saw $ok answered, $sent sent" >&2; FAIL=1; }
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $FAIL
