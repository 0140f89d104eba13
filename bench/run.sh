#!/usr/bin/env bash
# bench/run.sh BIN — HTTP benchmarks of alo153 with wrk (issue 2, "Measure").
#
#   bash bench/run.sh build/alo153        (what `make bench` runs)
#
# Builds nothing.  Creates a temporary database with BENCH_APPS demo
# applications, serves it on a free port with 4 HTTP threads and 32 handlers, logs in as the
# demo agent and measures with wrk:
#   create  POST /api/v1/applications                  at 1 and 32 connections
#   get     GET  /api/v1/applications/{random 1..N}    at 1 and 32 connections
#   search  GET  /api/v1/applications?q=çukur&limit=50 at 1 connection (run
#           first, before the creates add rows that match it)
# plus the time `init --demo` takes and the server's RSS after loading and
# after the runs.  Correctness on the side: every response must be 2xx, and
# after each create run the number of rows must have grown by what wrk saw
# answered 2xx (plus at most the requests still in flight when wrk stopped).
# Figures go to docs/PERFORMANCE.md; timings never decide pass/fail here
# except that a non-2xx response or a lost/extra row makes the exit status 1.
#
# Environment:
#   BENCH_APPS     demo applications to load           (default 100000)
#   BENCH_SECONDS  duration of each wrk run in seconds  (default 10)
#   BENCH_THREADS  server HTTP threads                  (default 4)
#   BENCH_HANDLERS server handler threads               (default: serve's, 32)
#   TMPDIR         where the temporary database goes    (default /tmp)
set -euo pipefail

BIN=${1:?usage: bench/run.sh path/to/alo153}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "bench: $BIN is not an executable (run make first)" >&2; exit 2; }
for tool in wrk sqlite3 curl; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install $tool)" >&2; exit 2; }
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APPS=${BENCH_APPS:-100000}
SECS=${BENCH_SECONDS:-10}
SRV_THREADS=${BENCH_THREADS:-4}
SRV_HANDLERS=${BENCH_HANDLERS:-32}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/alo153-bench.XXXXXX")
DB=$WORK/bench.db
SRV_PID=
FAIL=0

cleanup() {
    if [ -n "$SRV_PID" ] && kill -0 "$SRV_PID" 2>/dev/null; then
        kill -TERM "$SRV_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$SRV_PID" 2>/dev/null && { echo "bench: server ignored SIGTERM for 5 s" >&2; kill -KILL "$SRV_PID" 2>/dev/null || true; }
        wait "$SRV_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SRV_PID/status"; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$SRV_PID/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
# CPU accounting in clock ticks: the whole machine (busy = all but idle and
# iowait), and the server process (all its threads).  What is neither the
# server nor wrk is other load on the machine during the run.
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
srv_cpu() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$SRV_PID/stat"; }
HZ=$(getconf CLK_TCK)
count_apps() { sqlite3 "$DB" 'select count(*) from applications'; }

echo "== alo153 benchmark: $APPS applications, ${SECS}s per run, server threads $SRV_THREADS, handlers $SRV_HANDLERS"
echo "   binary $BIN ($("$BIN" version 2>/dev/null | head -1))"
echo "   host $(nproc) CPUs, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "   load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   work dir $WORK"

# --- the disk: what one synchronous 4 KiB write costs where the database is.
# SQLite runs with synchronous=FULL, so every commit waits for at least one
# such flush; this bounds single-connection create throughput from above.
FSYNC_US=$(dd if=/dev/zero of="$WORK/fsync.probe" bs=4k count=500 oflag=dsync 2>&1 |
    awk '/copied/ { for (i = 1; i <= NF; i++) if ($i ~ /^s,?$/) t = $(i - 1); printf "%.0f", t / 500 * 1e6 }')
rm -f "$WORK/fsync.probe"
echo "disk: one 4 KiB O_DSYNC write in $WORK takes ${FSYNC_US:-?} us on average (dd, 500 writes)"

# --- init ------------------------------------------------------------------
t0=$(now)
"$BIN" init --db "$DB" --demo --demo-size "$APPS" >"$WORK/init.log" 2>&1 ||
    { cat "$WORK/init.log" >&2; echo "bench: init failed" >&2; exit 1; }
t1=$(now)
INIT_S=$(elapsed "$t0" "$t1")
DB_MIB=$(du -sm "$WORK" | cut -f1)
echo "init --demo --demo-size $APPS: ${INIT_S} s (database dir ${DB_MIB} MiB)"
N=$(count_apps)
[ "$N" -ge "$APPS" ] || { echo "bench: expected $APPS applications, database has $N" >&2; exit 1; }

# --- serve -----------------------------------------------------------------
# --metrics-allow: the writer's figures (/metrics) are scraped around the create and get runs
ALO153_LOG=warn "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --threads "$SRV_THREADS" --handlers "$SRV_HANDLERS" \
    --metrics-allow 127.0.0.1/32 \
    >"$WORK/serve.out" 2>"$WORK/serve.err" &
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
RSS_START=$(rss_kib); HWM_START=$(hwm_kib)

COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"username":"agent","password":"alo153demo"}' "$BASE/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: *\(alo153_session=[^;]*\).*/\1/p' | tr -d '\r')
[ -n "$COOKIE" ] || { echo "bench: login as agent failed" >&2; exit 1; }

# one request of each kind, so "after loading" means a server that has opened
# its database connections and touched the tables, not a bare process
curl -sf -o /dev/null -H "Cookie: $COOKIE" "$BASE/api/v1/applications/1" ||
    { echo "bench: GET /api/v1/applications/1 failed" >&2; exit 1; }
SEARCH_HITS=$(curl -sf -H "Cookie: $COOKIE" "$BASE/api/v1/applications?q=%C3%A7ukur&limit=50" |
    grep -o '"tracking":' | wc -l)
RSS_LOADED=$(rss_kib); HWM_LOADED=$(hwm_kib)
echo "server pid $SRV_PID on $BASE; RSS after loading $(mib "$RSS_LOADED"); search q=çukur returns $SEARCH_HITS items/page"

# --- wrk runs --------------------------------------------------------------
# run NAME CONNS SCRIPT [ARGS...]: runs wrk, keeps its output, sets R_* vars.
declare -A RES
run() {
    local name=$1 conns=$2 script=$3; shift 3
    local threads=1; [ "$conns" -gt 1 ] && threads=2
    local out=$WORK/wrk-$name-$conns.txt
    echo
    echo "-- $name, $conns connection(s): wrk -t$threads -c$conns -d${SECS}s --latency -s bench/$script $*"
    local busy0 srv0 busy1 srv1 wrk_s
    busy0=$(cpu_busy); srv0=$(srv_cpu)
    local TIMEFORMAT='%U %S'
    { time wrk -t"$threads" -c"$conns" -d"${SECS}s" --latency --timeout 10s \
        -H "Cookie: $COOKIE" -s "$HERE/$script" "$BASE/" "$@" >"$out" 2>&1 || {
        cat "$out" >&2; echo "bench: wrk failed" >&2; FAIL=1; } ; } 2>"$out.time"
    busy1=$(cpu_busy); srv1=$(srv_cpu)
    wrk_s=$(awk '{ print $1 + $2 }' "$out.time")
    sed 's/^/   /' "$out"
    R_CPU=$(awk -v b=$((busy1 - busy0)) -v s=$((srv1 - srv0)) -v w="$wrk_s" -v hz="$HZ" -v t="$SECS" \
        'BEGIN { o = b / hz - s / hz - w; if (o < 0) o = 0
                 printf "server %.2f, wrk %.2f, other %.2f", s / hz / t, w / t, o / t }')
    echo "   CPU (cores, averaged over ${SECS}s of $(nproc)): $R_CPU"
    R_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    R_P50=$(awk '$1 == "50%" { print $2 }' "$out")
    R_P99=$(awk '$1 == "99%" { print $2 }' "$out")
    R_TOTAL=$(awk '/ requests in / { print $1 }' "$out")
    R_SOCKERR=$(sed -n 's/^ *Socket errors: *//p' "$out")
    local st; st=$(grep '^BENCH_STATUS' "$out" || true)
    R_SENT=$(sed -n 's/.* sent=\([0-9]*\).*/\1/p' <<<"$st")
    R_2XX=$(sed -n 's/.* ok2xx=\([0-9]*\).*/\1/p' <<<"$st")
    R_NON2XX=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^c[345]xx=/) { split($i, a, "="); s += a[2] } } END { print s + 0 }' <<<"$st")
    R_INFLIGHT=$(( ${R_SENT:-0} - ${R_2XX:-0} - R_NON2XX ))
    [ "$R_INFLIGHT" -lt 0 ] && R_INFLIGHT=0
    echo "   => $R_RPS req/s, p50 $R_P50, p99 $R_P99; 2xx $R_2XX, non-2xx $R_NON2XX${R_SOCKERR:+, socket errors: $R_SOCKERR}; unanswered when wrk stopped: at most $R_INFLIGHT"
    if [ -z "$R_2XX" ] || [ "$R_NON2XX" -ne 0 ] || [ -n "$R_SOCKERR" ]; then
        echo "   !! $name/$conns: non-2xx responses or socket errors" >&2; FAIL=1
    fi
    local rss; rss=$(rss_kib)
    echo "   server RSS after this run: $(mib "$rss") (peak so far $(mib "$(hwm_kib)"))"
    RES[$name-$conns]="$R_RPS|$R_P50|$R_P99|$R_2XX|$R_NON2XX|$(mib "$rss")|$R_CPU"
}

# create, with the row count checked around each run
check_create() {
    local before=$1 after=$2 grown=$(( $2 - $1 ))
    local verdict=ok
    # 2xx <= grown <= 2xx + in flight: a request wrk abandoned at the deadline
    # may still have been committed; a 2xx without its row would be a loss.
    if [ "$grown" -lt "$R_2XX" ] || [ "$grown" -gt $(( R_2XX + R_INFLIGHT )) ]; then
        verdict=MISMATCH; FAIL=1
    fi
    echo "   rows: $before -> $after (+$grown); wrk 2xx $R_2XX, unanswered $R_INFLIGHT: $verdict"
    CHECKS+=("create $3 conn: +$grown rows, $R_2XX answered 2xx, $R_INFLIGHT unanswered at stop, non-2xx $R_NON2XX: $verdict")
}
CHECKS=()

# search first, on the freshly loaded database: the create runs below add
# thousands of rows that all contain "çukur", which would make the search
# figure depend on how fast creating was.
SEARCH_ROWS=$(sqlite3 "$DB" "select count(*) from applications where text like '%ukur%'")
run search 1 search.lua
CHECKS+=("search 1 conn: $R_2XX answered 2xx, non-2xx $R_NON2XX, $SEARCH_HITS items per page, about $SEARCH_ROWS of $N rows contain 'ukur'")

# the SQLite writer's counters (/metrics, store_write_stats) and the time, as one line
wsnap() {
    curl -sf "$BASE/metrics" | awk -v now="$(date +%s.%N)" '
        /^alo153_db_writer_commits_total / { c = $2 } /^alo153_db_writer_transactions_total / { t = $2 }
        /^alo153_db_writer_views_total / { v = $2 } /^alo153_db_writer_held_seconds_total / { h = $2 }
        /^alo153_db_writer_commit_seconds_total / { k = $2 } /^alo153_db_writer_handoff_seconds_total / { o = $2 }
        END { print now, c + 0, t + 0, v + 0, h + 0, k + 0, o + 0 }'
}
declare -A WRITER
wdiff() { # KEY "snapshot before" "snapshot after": where the writer's time went during the run
    WRITER[$1]=$(awk -v a="$2" -v b="$3" 'BEGIN {
        split(a, x, " "); split(b, y, " "); wall = y[1] - x[1]; n = y[2] - x[2]
        if (wall <= 0 || n <= 0) { print "| no batches |||||||"; exit }
        printf "| %.0f | %.1f | %.1f | %.0f %% | %.0f %% | %.0f %% | %.2f ms |",
            n / wall, (y[3] - x[3]) / n, (y[4] - x[4]) / n, 100 * (y[5] - x[5]) / wall,
            100 * (y[6] - x[6]) / wall, 100 * (y[7] - x[7]) / wall, 1000 * (y[6] - x[6]) / n }')
}
for c in 1 32; do
    before=$(count_apps)
    w0=$(wsnap)
    run create "$c" create.lua
    w1=$(wsnap)
    wdiff "create-$c" "$w0" "$w1"
    sleep 0.5   # let abandoned in-flight requests finish before counting
    after=$(count_apps)
    check_create "$before" "$after" "$c"
done
for c in 1 32; do
    w0=$(wsnap)
    run get "$c" get.lua "$N"
    w1=$(wsnap)
    wdiff "get-$c" "$w0" "$w1"
    CHECKS+=("get $c conn: $R_2XX answered 2xx, non-2xx $R_NON2XX")
done
# the HTTP stack's ceiling in this same run: gets and creates are reported as a share of it
run healthz 32 healthz.lua

RSS_AFTER=$(rss_kib)
HWM=$(hwm_kib)
FINAL=$(count_apps)
kill -0 "$SRV_PID" 2>/dev/null || { echo "bench: server died during the runs" >&2; FAIL=1; }
[ -s "$WORK/serve.err" ] && { echo; echo "server stderr (ALO153_LOG=warn):"; sed 's/^/   /' "$WORK/serve.err" | tail -20; }

# --- summary ---------------------------------------------------------------
row() { # label key
    local IFS='|'; read -r rps p50 p99 ok bad rss cpu <<<"${RES[$2]}"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "$ok" "$bad" "$rss" "$cpu"
}
echo
echo "## Results ($APPS applications loaded, ${SECS}s per run, server --threads $SRV_THREADS --handlers $SRV_HANDLERS)"
echo
echo "| run | req/s | p50 | p99 | 2xx | non-2xx | RSS after | CPU cores used |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
row "search q=çukur limit=50, 1 connection (before the creates)" search-1
row "create, 1 connection (wrk -t1 -c1)" create-1
row "create, 32 connections (wrk -t2 -c32)" create-32
row "get by id, 1 connection (wrk -t1 -c1)" get-1
row "get by id, 32 connections (wrk -t2 -c32)" get-32
row "GET /healthz, 32 connections (wrk -t2 -c32)" healthz-32
share() { awk -v a="${RES[$1]%%|*}" -v b="${RES[healthz-32]%%|*}" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * a / b; else print "?" }'; }
ratio() { awk -v a="${RES[$1]%%|*}" -v b="${RES[$2]%%|*}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }'; }
echo
echo "Within this run: get by id at 32 connections = $(share get-32) of /healthz; create at 32 = $(share create-32) of /healthz; create at 32 / create at 1 = $(ratio create-32 create-1) x."
echo
echo "The SQLite writer during each run (/metrics, alo153_db_writer_*; shares of the run's wall time):"
echo
echo "| run | batches/s | transactions per batch | views per batch | turn held | in COMMIT | turn free while wanted (hand-off) | COMMIT mean |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for k in create-1 create-32 get-1 get-32; do echo "| $k ${WRITER[$k]}"; done
echo
echo "| measure | value |"
echo "|---|---:|"
echo "| init --demo --demo-size $APPS | ${INIT_S} s |"
echo "| one 4 KiB O_DSYNC write on the database's disk (dd) | ${FSYNC_US:-?} µs |"
echo "| database size after init (with WAL) | ${DB_MIB} MiB |"
echo "| server RSS at start, before any request (peak $(mib "$HWM_START")) | $(mib "$RSS_START") |"
echo "| server RSS after loading ($N applications; login + one get + one search; peak $(mib "$HWM_LOADED")) | $(mib "$RSS_LOADED") |"
echo "| server RSS after the runs ($FINAL applications) | $(mib "$RSS_AFTER") |"
echo "| server peak RSS (VmHWM) | $(mib "$HWM") |"
echo
echo "Checks:"
for c in "${CHECKS[@]}"; do echo "- $c"; done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$FAIL" -eq 0 ] || { echo "bench: FAILED checks (see above)" >&2; exit 1; }
