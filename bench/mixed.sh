#!/usr/bin/env bash
# bench/mixed.sh BIN — a mixed read/write load at a fixed rate for a long time (issue 12,
# "Measure": 2,000 requests/s for 10 minutes, 0 errors, RSS flat), on 127.0.0.1.
#
#   MIXED_RATE=2000 MIXED_SECONDS=600 bash bench/mixed.sh build/alo153
#
# A temporary database with MIXED_APPS demo applications, served with MIXED_THREADS worker
# threads; wrk (bench/mixed.lua: 20% creates, 40% gets, 20% full-text searches, 20% lists,
# rate-limited by a Lua delay() to MIXED_RATE requests/s) as the demo agent. Every 10 s: the
# server's RSS and the load average. At the end: achieved rate, latency, status counts, the
# RSS series, the rows created vs the creates answered 201, quick_check. Exit 1 on any non-2xx
# answer, socket error, lost or extra row.
set -euo pipefail
BIN=${1:?usage: bench/mixed.sh path/to/alo153}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RATE=${MIXED_RATE:-2000}
SECS=${MIXED_SECONDS:-600}
APPS=${MIXED_APPS:-20000}
SRV_THREADS=${MIXED_THREADS:-4}
CONNS=${MIXED_CONNS:-64}
WRK_THREADS=2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/alo153-mixed.XXXXXX")
DB=$WORK/mixed.db
SRV_PID=
cleanup() {
    [ -n "$SRV_PID" ] && kill -TERM "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SRV_PID/status"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== mixed load: $RATE req/s for ${SECS}s, $APPS demo applications, server threads $SRV_THREADS, wrk -t$WRK_THREADS -c$CONNS"
echo "   host $(nproc) CPUs; load before: $(load)"
"$BIN" init --db "$DB" --demo --demo-size "$APPS" >/dev/null 2>"$WORK/init.err"
ALO153_MODELS=$WORK/no-models "$BIN" serve --config none --db "$DB" --listen 127.0.0.1:0 \
    --threads "$SRV_THREADS" --web none >"$WORK/serve.out" 2>"$WORK/serve.err" &
SRV_PID=$!
PORT=
for _ in $(seq 100); do
    PORT=$(sed -n 's|^alo153 listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.out")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$WORK/serve.err" >&2; echo "mixed: server did not start" >&2; exit 1; }
BASE=http://127.0.0.1:$PORT
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"username":"agent","password":"alo153demo"}' "$BASE/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: *\(alo153_session=[^;]*\).*/\1/p' | tr -d '\r')
[ -n "$COOKIE" ] || { echo "mixed: login failed" >&2; exit 1; }
MAX_ID=$(sqlite3 "$DB" 'select max(id) from applications')
BEFORE=$(sqlite3 "$DB" 'select count(*) from applications')
echo "   server pid $SRV_PID, RSS at start $(( $(rss_kib) / 1024 )) MiB"

( for i in $(seq 1 $((SECS / 10))); do
    sleep 10
    kill -0 "$SRV_PID" 2>/dev/null || break
    echo "rss t=$((i * 10))s $(( $(rss_kib) / 1024 )) MiB load $(load)"
  done ) > "$WORK/rss.log" &
SAMPLER=$!
wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" --latency --timeout 10s -H "Cookie: $COOKIE" \
    -s "$HERE/mixed.lua" "$BASE" -- "$RATE" "$WRK_THREADS" "$MAX_ID" > "$WORK/wrk.out" 2>&1 || true
wait "$SAMPLER" 2>/dev/null || true
cat "$WORK/rss.log"
grep -E "Latency|50%|90%|99%|Requests/sec|requests in|Socket errors|Non-2xx|BENCH_STATUS" "$WORK/wrk.out"
echo "   load after: $(load); RSS at end $(( $(rss_kib) / 1024 )) MiB, peak $(( $(awk '/^VmHWM:/ { print $2 }' "/proc/$SRV_PID/status") / 1024 )) MiB"
kill -TERM "$SRV_PID"; wait "$SRV_PID" 2>/dev/null || true; SRV_PID=
AFTER=$(sqlite3 "$DB" 'select count(*) from applications')
QC=$(sqlite3 "$DB" 'PRAGMA quick_check')
ST=$(grep BENCH_STATUS "$WORK/wrk.out" || true)
ok=$(echo "$ST" | sed -n 's/.*ok2xx=\([0-9]*\).*/\1/p'); sent=$(echo "$ST" | sed -n 's/.*sent=\([0-9]*\).*/\1/p')
bad=$(echo "$ST" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^c[345]xx=/) { split($i, a, "="); s += a[2] } } END { print s + 0 }')
echo "   achieved $(awk -v n="${sent:-0}" -v s="$SECS" 'BEGIN { printf "%.0f", n / s }') req/s of $RATE; rows $BEFORE -> $AFTER; quick_check $QC"
FAIL=0
[ "$bad" = 0 ] || { echo "mixed: $bad non-2xx answers" >&2; FAIL=1; }
grep -q "Socket errors" "$WORK/wrk.out" && { echo "mixed: socket errors" >&2; FAIL=1; }
[ "$QC" = ok ] || FAIL=1
exit $FAIL
