#!/usr/bin/env bash
# bench/read-cost.sh BIN [BIN2 ...] — CPU instructions per request of the read paths, counted
# with callgrind (issues 9 and 12): load-independent, so a before/after on a shared machine is
# honest where wall rates are not.
#
#   bash bench/read-cost.sh /tmp/base/build/alo153 build/alo153
#
# One demo database (READ_APPS applications, default 20000) is made once with the first
# binary and copied for each one. Each binary is served under `valgrind --tool=callgrind`;
# per request type: READ_WARM requests to warm caches, counters zeroed (callgrind_control -z),
# READ_N requests on one keep-alive connection (curl), counters dumped; the table gives the
# instructions (Ir) of the whole server process divided by READ_N. The server's background
# workers run meanwhile and are counted too (a few thousand instructions a second, noise).
# READ_ONLY=NAME[,NAME] measures only those request types (names as in the table).
# "create" POSTs an application as bench/mixed.lua does (its texts numbered apart).
# READ_KEEP=DIR keeps each dump as DIR/binK.TYPE.out for callgrind_annotate.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/read-cost.sh BIN [BIN...]" >&2; exit 2; }
APPS=${READ_APPS:-20000}
N=${READ_N:-200}
WARM=${READ_WARM:-20}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/alo153-readcost.XXXXXX")
SRV_PID=
cleanup() {
    [ -n "$SRV_PID" ] && kill -TERM "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

BINS=()
for b in "$@"; do case $b in /*) BINS+=("$b") ;; *) BINS+=("$PWD/$b") ;; esac; done
"${BINS[0]}" init --db "$WORK/seed.db" --demo --demo-size "$APPS" >/dev/null 2>"$WORK/init.err"
MAX_ID=$(sqlite3 "$WORK/seed.db" 'select max(id) from applications')

# name|path (ID is replaced by a spread of ids)
TYPES=(
    "healthz|/healthz"
    "get|/api/v1/applications/ID"
    "search_cukur|/api/v1/applications?q=%C3%A7ukur&limit=50"
    "search_su|/api/v1/applications?q=su&limit=50"
    "list|/api/v1/applications?limit=50"
    "list_status_new|/api/v1/applications?status=new&limit=50"
    "list_due|/api/v1/applications?sort=due&limit=50"
    "list_due_inbox|/api/v1/applications?status=forwarded,in_progress&sort=due&limit=50"
    "list_forwarded_20|/api/v1/applications?limit=20&status=forwarded"
    "create|POST /api/v1/applications"
)

urls() { # urls PATH COUNT OFFSET
    local p=$1 k
    if [[ $p == "POST "* ]]; then # a create as bench/mixed.lua sends it, each text its own
        for ((k = 0; k < $2; k++)); do
            [ "$k" = 0 ] || echo "next"
            echo "url = \"http://127.0.0.1:$PORT${p#POST }\""
            echo "header = \"Content-Type: application/json\""
            echo "cookie = \"$WORK/cookies\""
            echo "data = \"{\\\"channel\\\":\\\"phone_153\\\",\\\"category\\\":\\\"FEN_YOL_CUKUR\\\",\\\"text\\\":\\\"Sokakta büyük çukur var, araçlar zarar görüyor ($3-$k)\\\"}\""
            echo "output = /dev/null"
        done
        return
    fi
    for ((k = 0; k < $2; k++)); do
        echo "url = \"http://127.0.0.1:$PORT${p/ID/$(((($3 + k) * 7919) % MAX_ID + 1))}\""
        echo "output = /dev/null"
    done
}

total_ir() { # the summary line of the newest dump
    local f
    f=$(ls -t "$WORK"/callgrind.out.* | head -1)
    awk '/^(summary|totals):/ { print $2; exit }' "$f"
}

declare -A RES
for bi in "${!BINS[@]}"; do
    B=${BINS[$bi]}
    cp "$WORK/seed.db" "$WORK/db$bi.db"
    cp "$WORK/seed.db.tc-key" "$WORK/db$bi.db.tc-key" 2>/dev/null || true
    rm -f "$WORK"/callgrind.out.*
    (cd "$WORK" && ALO153_MODELS=$WORK/no-models exec valgrind --tool=callgrind \
        --callgrind-out-file="$WORK/callgrind.out.%p" "$B" serve --config none \
        --db "$WORK/db$bi.db" --listen 127.0.0.1:0 --threads 4 --web none \
        >"$WORK/serve.out" 2>"$WORK/serve.err") &
    SRV_PID=$!
    PORT=
    for _ in $(seq 600); do
        PORT=$(sed -n 's|^alo153 listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.out")
        [ -n "$PORT" ] && break
        sleep 0.2
    done
    [ -n "$PORT" ] || { cat "$WORK/serve.err" >&2; exit 1; }
    curl -s -c "$WORK/cookies" -o /dev/null -H 'Content-Type: application/json' \
        -d '{"username":"agent","password":"alo153demo"}' "http://127.0.0.1:$PORT/api/v1/session"
    for t in "${TYPES[@]}"; do
        name=${t%%|*} path=${t#*|}
        [ -z "${READ_ONLY:-}" ] || [[ ",$READ_ONLY," == *",$name,"* ]] || continue
        urls "$path" "$WARM" 1000 > "$WORK/warm.cfg"
        urls "$path" "$N" 0 > "$WORK/run.cfg"
        curl -s -b "$WORK/cookies" -K "$WORK/warm.cfg"
        callgrind_control -z "$SRV_PID" >/dev/null 2>&1
        curl -s -b "$WORK/cookies" -K "$WORK/run.cfg"
        callgrind_control -d "$name" "$SRV_PID" >/dev/null 2>&1
        ir=$(total_ir)
        [ -n "${READ_KEEP:-}" ] && mkdir -p "$READ_KEEP" &&
            cp "$(ls -t "$WORK"/callgrind.out.* | head -1)" "$READ_KEEP/bin$((bi + 1)).$name.out"
        RES[$bi.$name]=$((ir / N))
    done
    kill -TERM "$SRV_PID"; wait "$SRV_PID" 2>/dev/null || true; SRV_PID=
done

for bi in "${!BINS[@]}"; do echo "bin$((bi + 1)) = ${BINS[$bi]}"; done
printf '%-20s' "Ir per request"
for bi in "${!BINS[@]}"; do printf ' %16s' "bin$((bi + 1))"; done
[ ${#BINS[@]} -eq 2 ] && printf ' %8s' "ratio"
echo
for t in "${TYPES[@]}"; do
    name=${t%%|*}
    [ -z "${READ_ONLY:-}" ] || [[ ",$READ_ONLY," == *",$name,"* ]] || continue
    printf '%-20s' "$name"
    for bi in "${!BINS[@]}"; do printf ' %16s' "${RES[$bi.$name]}"; done
    [ ${#BINS[@]} -eq 2 ] && awk -v a="${RES[0.$name]}" -v b="${RES[1.$name]}" 'BEGIN { printf " %7.2fx", a / b }'
    echo
done
