#!/usr/bin/env bash
# bench/report-year.sh BIN DB [FROM TO] — the year report of a simulated database (issue 11).
#
#   alo153 init --db /tmp/s.db --province 55 && alo153 simulate --db /tmp/s.db --profile samsun-2025
#   bash bench/report-year.sh build/alo153 /tmp/s.db 2025-01-01 2025-12-31
#
# Times, BENCH_RUNS times each (default 7):
#   1. `alo153 report --format json` (the whole process: start, open, compute, JSON, write);
#   2. `GET /api/v1/reports/summary` against `alo153 serve` on the same database (an API token
#      of role supervisor, added with `alo153 token add`; curl's total time), after one warm-up;
# and prints the database's size, its rows (calls, contacts, applications), min / median / max
# of each, the machine and its load. Figures go to docs/PERFORMANCE.md and docs/REPORTS.md.
# The database gets one API token (bench-report) and is otherwise not changed.
set -euo pipefail
BIN=${1:?usage: bench/report-year.sh BIN DB [FROM TO]}
DB=${2:?usage: bench/report-year.sh BIN DB [FROM TO]}
FROM=${3:-2025-01-01}
TO=${4:-2025-12-31}
RUNS=${BENCH_RUNS:-7}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
for c in curl bc /usr/bin/time; do command -v $c >/dev/null || { echo "bench: $c not found" >&2; exit 2; }; done

stats() { sort -n | awk '{v[NR]=$1} END {printf "min %.3f / median %.3f / max %.3f s (%d runs)\n", v[1], v[int((NR+1)/2)], v[NR], NR}'; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); database: $DB ($(du -h "$DB" | cut -f1))"
if command -v sqlite3 >/dev/null; then
    echo "rows: $(sqlite3 -readonly "$DB" "SELECT (SELECT count(*) FROM calls) || ' calls, ' || (SELECT count(*) FROM contacts) || ' contacts, ' || (SELECT count(*) FROM applications) || ' applications'")"
fi

echo "== alo153 report --format json --from $FROM --to $TO"
OUT=$(mktemp "${TMPDIR:-/tmp}/alo153-report.XXXXXX")
trap 'rm -f "$OUT"' EXIT
"$BIN" report --db "$DB" --from "$FROM" --to "$TO" --format json --out "$OUT" # warm-up (page cache)
TIMES=$(mktemp "${TMPDIR:-/tmp}/alo153-times.XXXXXX")
for _ in $(seq "$RUNS"); do
    /usr/bin/time -a -o "$TIMES" -f '%e %U %S' \
        "$BIN" report --db "$DB" --from "$FROM" --to "$TO" --format json --out "$OUT"
done
echo "wall: $(cut -d' ' -f1 "$TIMES" | stats)"
echo "CPU (user + system): $(awk '{print $2 + $3}' "$TIMES" | stats)"
rm -f "$TIMES"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); c=d['calls'] or {}; a=d['applications']; print('figures: answered', c.get('answered'), 'answer_rate', c.get('answer_rate'), 'applications', a['total'], 'open_now', a['open_now'])" "$OUT"

echo "== GET /api/v1/reports/summary?from=$FROM&to=$TO"
TOKEN=$("$BIN" token add "bench-report-$$" --role supervisor --db "$DB" 2>/dev/null | tail -n1)
PORT=$(( 20000 + RANDOM % 20000 ))
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --web none >/dev/null 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; rm -f "$OUT"' EXIT
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT/api/v1/reports/summary?from=$FROM&to=$TO"
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL" # warm-up
cpu() { awk '{print $14 + $15}' "/proc/$SRV/stat"; } # utime + stime, clock ticks
c0=$(cpu)
for _ in $(seq "$RUNS"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$URL"
done | { echo "wall: $(stats)"; }
c1=$(cpu)
echo "server CPU per request: $(echo "scale=3; ($c1 - $c0) / $(getconf CLK_TCK) / $RUNS" | bc) s"
