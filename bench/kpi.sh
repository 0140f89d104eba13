#!/usr/bin/env bash
# bench/kpi.sh BIN KPI_GEN — contact-centre KPIs over a year and telephony ingest (issue 10,
# "Measure"; docs/PERFORMANCE.md "KPIs and telephony ingest").
#
# 1. alo153 init --demo --demo-size 0 in a fresh temporary folder, then KPI_GEN (bench/kpi_gen.c)
#    adds BENCH_KPI_CALLS calls (1 200 000) over the year BENCH_KPI_YEAR (2025) through the store
#    functions (rollups kept as in production; one transaction per day). BENCH_KPI_DB=FILE
#    uses a database made that way before instead (it gets the ingest calls added).
# 2. alo153 serve --threads 4; logs in as supervisor.
# 3. Times each KPI query BENCH_KPI_REPS (20) times with curl (time_total, one connection
#    each) next to GET /healthz, and checks the year's totals against the calls table.
# 4. wrk (BENCH_SECONDS, 10 s; 4 connections) on /healthz and on POST
#    /api/v1/telephony/events with 1 and with 100 events a request (bench/telephony.lua),
#    then checks that every event answered 2xx made its rows.
set -euo pipefail
BIN=$(realpath "$1")
GEN=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
CALLS=${BENCH_KPI_CALLS:-1200000}
YEAR=${BENCH_KPI_YEAR:-2025}
SECS=${BENCH_SECONDS:-10}
REPS=${BENCH_KPI_REPS:-20}
for tool in wrk sqlite3 curl; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done
WORK=$(mktemp -d)
SRV_PID=
cleanup() {
    [ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

DB=${BENCH_KPI_DB:-}
if [ -z "$DB" ]; then
    DB=$WORK/kpi.db
    ALO153_LOG=warn "$BIN" init --db "$DB" --demo --demo-size 0 >/dev/null
    echo "-- generating $CALLS calls over $YEAR: $(basename "$GEN") (store functions, a transaction per day)"
    "$GEN" "$DB" "$YEAR" "$CALLS"
fi
echo "database: $(du -h "$DB" | cut -f1); calls $(sqlite3 "$DB" 'select count(*) from calls'), contacts $(sqlite3 "$DB" 'select count(*) from contacts'), call_rollup rows: $(sqlite3 "$DB" "select group_concat(n, ' / ') from (select span || ': ' || count(*) as n from call_rollup group by span)")"

ALO153_LOG=warn "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --threads 4 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SRV_PID=$!
PORT=
for _ in $(seq 100); do
    PORT=$(sed -n 's|^alo153 listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.out")
    [ -n "$PORT" ] && break
    kill -0 "$SRV_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; echo "bench: server exited" >&2; exit 1; }
    sleep 0.1
done
[ -n "$PORT" ] || { echo "bench: server did not print its port" >&2; exit 1; }
BASE=http://127.0.0.1:$PORT
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"username":"supervisor","password":"alo153demo"}' "$BASE/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: *\(alo153_session=[^;]*\).*/\1/p' | tr -d '\r')
[ -n "$COOKIE" ] || { echo "bench: login as supervisor failed" >&2; exit 1; }

# timed NAME PATH: REPS requests, one after another; min / median / max of curl's time_total
timed() {
    local name=$1 path=$2 out=$WORK/t.txt
    curl -sf -o "$WORK/body.json" -H "Cookie: $COOKIE" "$BASE$path" ||
        { echo "bench: GET $path failed" >&2; exit 1; }
    : >"$out"
    for _ in $(seq "$REPS"); do
        curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $COOKIE" "$BASE$path" >>"$out"
    done
    sort -n "$out" | awk -v name="$name" -v path="$path" -v bytes="$(wc -c <"$WORK/body.json")" \
        '{ v[NR] = $1 * 1000 } END { printf "   %-34s min %7.2f ms, median %7.2f ms, max %7.2f ms (%d runs, %d bytes)  GET %s\n",
           name, v[1], v[int((NR + 1) / 2)], v[NR], NR, bytes, path }'
}

echo
echo "-- KPI queries (curl, one connection per request; $REPS runs each)"
timed "healthz" "/healthz"
timed "calls, year by month" "/api/v1/kpi/calls?from=$YEAR-01-01&to=$YEAR-12-31&bucket=month"
OFFERED=$(grep -o '"totals": *{[^}]*' "$WORK/body.json" | grep -o '"offered": *[0-9]*' | grep -o '[0-9]*$')
timed "calls, year by day" "/api/v1/kpi/calls?from=$YEAR-01-01&to=$YEAR-12-31&bucket=day"
timed "calls, year by month, one agent" "/api/v1/kpi/calls?from=$YEAR-01-01&to=$YEAR-12-31&bucket=month&agent=kpi.agent07"
timed "calls, year by month, one queue" "/api/v1/kpi/calls?from=$YEAR-01-01&to=$YEAR-12-31&bucket=month&queue=zabita"
timed "calls, one day by 15 minutes" "/api/v1/kpi/calls?from=$YEAR-06-11&to=$YEAR-06-11&bucket=15m"
timed "calls, 31 days by 15 minutes" "/api/v1/kpi/calls?from=$YEAR-03-01&to=$YEAR-03-31&bucket=15m"
timed "contacts, year by month" "/api/v1/kpi/contacts?from=$YEAR-01-01&to=$YEAR-12-31&bucket=month"
IN_DB=$(sqlite3 "$DB" "select count(*) from calls where offered_at >= strftime('%s', '$YEAR-01-01') - 10800 and offered_at < strftime('%s', '$((YEAR + 1))-01-01') - 10800")
echo "   year totals: offered $OFFERED from the rollups, $IN_DB calls in the table"
[ "$OFFERED" = "$IN_DB" ] || { echo "bench: the rollups do not add up to the calls" >&2; exit 1; }

TOKEN=$("$BIN" token add "pbx-bench-$$" --role telephony --db "$DB" | tail -1 | tr -d ' ')
FAIL=0
# wrkrun NAME SCRIPT ARGS...: 4 connections, 2 threads; prints req/s and the status check
wrkrun() {
    local name=$1 script=$2; shift 2
    local out=$WORK/wrk-$name.txt
    echo
    echo "-- $name: wrk -t2 -c4 -d${SECS}s -s bench/$script $*"
    wrk -t2 -c4 -d"${SECS}s" --latency --timeout 10s -s "$HERE/$script" "$BASE/" "$@" >"$out" 2>&1 ||
        { cat "$out" >&2; echo "bench: wrk failed" >&2; exit 1; }
    sed -n '/Latency Distribution/,/^ *99%/p; /requests in/p; /Requests\/sec/p; /Socket errors/p; /BENCH_STATUS/p' "$out" | sed 's/^/   /'
    R_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    R_2XX=$(sed -n 's/.* ok2xx=\([0-9]*\).*/\1/p' "$out")
    local bad; bad=$(sed -n 's/.* c3xx=\([0-9]*\) c4xx=\([0-9]*\) c5xx=\([0-9]*\).*/\1 \2 \3/p' "$out" | awk '{ print $1 + $2 + $3 }')
    [ "${bad:-1}" = 0 ] || { echo "   !! $name: non-2xx responses" >&2; FAIL=1; }
}
wrkrun healthz healthz.lua
HEALTHZ=$R_RPS
EV0=$(sqlite3 "$DB" "select count(*) from call_events")
wrkrun "telephony, 1 event a request" telephony.lua 1 "$TOKEN"
EV1=$(sqlite3 "$DB" "select count(*) from call_events")
ONE=$R_RPS; ONE_OK=$R_2XX
wrkrun "telephony, 100 events a request" telephony.lua 100 "$TOKEN"
EV2=$(sqlite3 "$DB" "select count(*) from call_events")
HUNDRED=$R_RPS; HUNDRED_OK=$R_2XX
echo
echo "   events stored: +$((EV1 - EV0)) (wrk 2xx: $ONE_OK requests of 1), +$((EV2 - EV1)) (wrk 2xx: $HUNDRED_OK requests of 100)"
[ $((EV1 - EV0)) -ge "$ONE_OK" ] && [ $((EV2 - EV1)) -ge $((HUNDRED_OK * 100)) ] ||
    { echo "bench: fewer events stored than answered 2xx" >&2; FAIL=1; }
awk -v h="$HEALTHZ" -v a="$ONE" -v b="$HUNDRED" 'BEGIN {
    printf "   => healthz %.0f req/s; telephony: %.0f events/s one a request (%.1f%% of healthz), %.0f events/s in batches of 100 (%.0f req/s)\n",
           h, a, 100 * a / h, b * 100, b }'
exit $FAIL
