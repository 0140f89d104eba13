#!/usr/bin/env bash
# make deb-test: install the package make deb built with a real dpkg into a throw-away root,
# run it there, purge it; the running system is not changed.
#   bash debian/deb-test.sh [OUT]      (OUT default build/deb)
#
#  1. lintian on the .deb (when installed): errors fail, warnings are listed.
#  2. A throw-away root: /etc/passwd, group, shadow, gshadow with root only, this host's
#     login.defs, and a dpkg database whose status holds this host's entries for the
#     packages the .deb depends on (so dpkg checks the dependencies for real).
#  3. dpkg --root=ROOT --force-script-chrootless -i: Debian's chrootless mode. dpkg unpacks,
#     records the conffile and runs the maintainer scripts with DPKG_ROOT=ROOT (postinst
#     honours it: useradd --prefix, numeric owners, alo153 init under ROOT).
#  4. Checks: the alo153 system user and group in ROOT/etc/passwd (and not on this host), the
#     state directory alo153:alo153 0750, /etc/alo153 root:alo153 0750, the conffile, the
#     database postinst created (owned by alo153), the unit enabled by deb-systemd-helper
#     inside ROOT; the man page renders.
#  5. The installed program runs as alo153 in ROOT: in a private mount namespace (unshare -m)
#     this host's libraries, /dev and /proc are bound read-only into ROOT, then chroot
#     --userspec=alo153:alo153 ROOT /usr/bin/alo153 serve --config /etc/alo153/alo153.conf:
#     the installed file as it is, only --listen moved to a free port. /healthz, /readyz (the
#     installed web files), the console's page and app.js, a login of an admin added with the
#     installed binary as alo153; the process's uid; SIGTERM: /readyz 503 while draining (the
#     file's drain-seconds), a second SIGTERM ends it, exit 0. The mounts die with the process.
#  6. dpkg -i again over the installed package (the upgrade path of the scripts): a locally
#     changed conffile is kept, the same user, the database untouched.
#  7. dpkg --purge: the package's files, its conffile and the unit's enablement are gone; the
#     alo153 user and the database are kept (debian/alo153.postrm says why).
#  8. systemd-analyze verify and security --offline on the installed unit (copied out first).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-build/deb}
DEB=$(ls "$OUT"/alo153_*_*.deb 2>/dev/null | grep -v dbgsym | head -1)
[ -n "$DEB" ] || { echo "deb-test: no package in $OUT (make deb)" >&2; exit 2; }
DEB=$(realpath "$DEB")
T0=$(date +%s.%N)
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/alo153-debroot.XXXXXX")
SA=$(mktemp -d "${TMPDIR:-/tmp}/alo153-unit.XXXXXX")
LOG=$(mktemp -d "${TMPDIR:-/tmp}/alo153-debtest.XXXXXX")
chmod 0755 "$ROOT" # the alo153 user must reach ROOT/usr and ROOT/var
PID=
cleanup() {
    if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    # the bind mounts lived in the server's mount namespace only: ROOT holds plain files here
    rm -rf "$ROOT" "$SA" "$LOG"
}
trap cleanup EXIT
fail() { echo "deb-test: $*" >&2; exit 1; }
step() { printf 'deb-test: %-58s %5.1f s\n' "$1" "$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"; }
DPKG=(dpkg --root="$ROOT" --force-script-chrootless)

echo "deb-test: $DEB ($(du -k "$DEB" | cut -f1) KiB)"
dpkg-deb -f "$DEB" Depends | grep -q libmicrohttpd || fail "Depends lacks the shared libraries"

# 1. lintian
if command -v lintian >/dev/null; then
    LRC=0
    lintian --fail-on error "$DEB" >"$LOG/lintian.all" 2>&1 || LRC=$?
    grep -v 'running with root privileges' "$LOG/lintian.all" >"$LOG/lintian" || true
    [ "$LRC" = 0 ] || { cat "$LOG/lintian" >&2; fail "lintian found errors (exit $LRC)"; }
    sed 's/^/deb-test: lintian: /' "$LOG/lintian"
    step "lintian: $(grep -c '^E:' "$LOG/lintian" || true) errors, $(grep -c '^W:' "$LOG/lintian" || true) warnings"
else
    echo "deb-test: lintian is not installed (apt-get install lintian): not checked"
fi

# 2. the throw-away root
mkdir -p "$ROOT"/etc "$ROOT"/var/lib/dpkg/{info,updates,triggers}
echo 'root:x:0:0:root:/root:/bin/bash' >"$ROOT/etc/passwd"
echo 'root:x:0:' >"$ROOT/etc/group"
echo 'root:*:20000:0:99999:7:::' >"$ROOT/etc/shadow"
echo 'root:*::' >"$ROOT/etc/gshadow"
chmod 0640 "$ROOT/etc/shadow" "$ROOT/etc/gshadow"
cp /etc/login.defs "$ROOT/etc/login.defs"
: >"$ROOT/var/lib/dpkg/available"
for p in $(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//' | tr -d ' '); do
    dpkg-query -s "$p" >>"$ROOT/var/lib/dpkg/status" 2>/dev/null ||
        fail "dependency $p is not installed on this host"
    echo >>"$ROOT/var/lib/dpkg/status"
done
HOST_USER=$(getent passwd alo153 || true)

# 3. install
"${DPKG[@]}" -i "$DEB" >"$LOG/install" 2>&1 || { cat "$LOG/install" >&2; fail "dpkg -i failed"; }
grep -i 'alo153: ' "$LOG/install" >&2 && fail "postinst complained"
step "dpkg --root -i (chrootless)"

# 4. what the scripts did
[ "$(dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f='${Status}' alo153)" = "install ok installed" ] ||
    fail "dpkg does not list alo153 as installed"
PW=$(grep '^alo153:' "$ROOT/etc/passwd") || fail "no alo153 user in ROOT/etc/passwd"
IFS=: read -r _ _ AUID AGID _ AHOME ASHELL <<<"$PW"
[ "$AUID" -gt 0 ] && [ "$AUID" -lt 1000 ] || fail "alo153 is not a system user: $PW"
[ "$AHOME" = /var/lib/alo153 ] && [ "$ASHELL" = /usr/sbin/nologin ] || fail "alo153's home or shell: $PW"
grep -q "^alo153:x:$AGID:" "$ROOT/etc/group" || fail "no alo153 group of gid $AGID"
grep -q '^alo153:' "$ROOT/etc/shadow" || fail "no alo153 entry in ROOT/etc/shadow"
[ "$(getent passwd alo153 || true)" = "$HOST_USER" ] || fail "the install changed this host's users"
[ "$(stat -c '%u:%g %a' "$ROOT/var/lib/alo153")" = "$AUID:$AGID 750" ] ||
    fail "/var/lib/alo153 is $(stat -c '%u:%g %a' "$ROOT/var/lib/alo153")"
[ "$(stat -c '%u:%g %a' "$ROOT/etc/alo153")" = "0:$AGID 750" ] ||
    fail "/etc/alo153 is $(stat -c '%u:%g %a' "$ROOT/etc/alo153")"
[ "$(stat -c '%u:%g %a' "$ROOT/etc/alo153/alo153.conf")" = "0:0 644" ] || fail "alo153.conf's owner or mode"
dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f='${Conffiles}' alo153 | grep -q '^ /etc/alo153/alo153.conf [0-9a-f]\{32\}$' ||
    fail "/etc/alo153/alo153.conf is not a recorded conffile"
[ -f "$ROOT/var/lib/alo153/alo153.db" ] || fail "postinst did not create the database"
[ "$(stat -c '%u:%g' "$ROOT/var/lib/alo153/alo153.db")" = "$AUID:$AGID" ] || fail "the database is not alo153's"
for f in usr/bin/alo153 usr/share/alo153/web/index.html usr/share/alo153/web/app.js \
         usr/share/alo153/web/vendor/preact.module.js usr/share/alo153/reference/categories.txt \
         usr/share/alo153/geodata/cityNamesByCode.json lib/systemd/system/alo153.service \
         usr/share/man/man8/alo153.8.gz usr/share/doc/alo153/copyright; do
    [ -e "$ROOT/$f" ] || fail "/$f is not installed"
done
[ "$(readlink "$ROOT/etc/systemd/system/multi-user.target.wants/alo153.service")" = /lib/systemd/system/alo153.service ] ||
    fail "the unit is not enabled in ROOT"
[ ! -e /etc/systemd/system/multi-user.target.wants/alo153.service ] || [ -n "$HOST_USER" ] ||
    fail "the install enabled the unit on this host"
man -l "$ROOT/usr/share/man/man8/alo153.8.gz" 2>/dev/null | grep -q CONFIGURATION || fail "the man page does not render"
step "user $AUID:$AGID, owners, conffile, database, unit enabled"

# 5. run it: chroot ROOT as alo153 with this host's libraries bound in (a private mount namespace)
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
BINDS=(/usr/lib/"$MA" /lib/"$MA" /lib64 /etc/alternatives /dev /proc)
# run_in_root UID:GID ARGS...: ROOT's /usr/bin/alo153 ARGS as that user. It execs: call it in
# a subshell (a pipeline or &), so that $! is the server itself.
run_in_root() {
    local spec=$1
    shift
    exec unshare --mount --propagation private sh -ec '
        root=$1 spec=$2; shift 2
        for d in '"${BINDS[*]}"'; do
            src=$(readlink -f "$d")
            mount --bind "$src" "$root$d"
            mount -o remount,bind,ro "$root$d"
        done
        exec chroot --userspec="$spec" "$root" /usr/bin/alo153 "$@"' sh "$ROOT" "$spec" "$@"
}
MADE=()
for d in "${BINDS[@]}"; do
    [ -e "$ROOT$d" ] || { mkdir -p "$ROOT$d"; MADE+=("$ROOT$d"); }
done
printf 'deb-test-pass\n' | run_in_root "$AUID:$AGID" user add root.admin --role admin --password-stdin \
    --config /etc/alo153/alo153.conf >"$LOG/useradd" 2>&1 || { cat "$LOG/useradd" >&2; fail "user add as alo153 failed"; }
run_in_root "$AUID:$AGID" serve --config /etc/alo153/alo153.conf --listen 127.0.0.1:0 \
    >"$LOG/serve.out" 2>"$LOG/serve.err" &
PID=$!
PORT=
for _ in $(seq 200); do
    PORT=$(sed -n 's|^alo153 listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$LOG/serve.out")
    [ -n "$PORT" ] && break
    kill -0 "$PID" 2>/dev/null || { cat "$LOG/serve.err" >&2; fail "the installed serve exited"; }
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$LOG/serve.err" >&2; fail "the installed serve did not listen"; }
step "installed serve listening as alo153 (port $PORT)"
[ "$(awk '/^Uid:/ { print $2 ":" $3 ":" $4 }' "/proc/$PID/status")" = "$AUID:$AUID:$AUID" ] ||
    fail "serve does not run as alo153: $(grep '^Uid:' "/proc/$PID/status")"
[ "$(readlink "/proc/$PID/root")" = "$ROOT" ] || fail "serve does not run in ROOT"
BASE=http://127.0.0.1:$PORT
curl -sf "$BASE/healthz" | grep -q '"database":"ok"' || fail "/healthz"
READY=$(curl -s "$BASE/readyz")
echo "$READY" | grep -q '"status":"ready"' && echo "$READY" | grep -q '"web":"ok"' || fail "/readyz: $READY"
curl -sf "$BASE/" | grep -qi '<html' || fail "the console's page is not served"
curl -sf "$BASE/app.js" >/dev/null || fail "/app.js is not served"
JAR=$LOG/cookies
curl -sf -c "$JAR" -H 'Content-Type: application/json' -H "Origin: $BASE" \
    -d '{"username":"root.admin","password":"deb-test-pass"}' "$BASE/api/v1/session" >/dev/null || fail "login"
curl -sf -b "$JAR" "$BASE/api/v1/me" | grep -q '"role":"admin"' || fail "/api/v1/me after login"
[ "$(stat -c '%u' "$ROOT/var/lib/alo153/alo153.db-wal")" = "$AUID" ] || fail "the WAL is not alo153's"
kill -TERM "$PID"
DRAIN=
for _ in $(seq 100); do
    DRAIN=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz" || true)
    [ "$DRAIN" = 503 ] && break
    sleep 0.05
done
[ "$DRAIN" = 503 ] || fail "/readyz did not turn 503 on SIGTERM (drain-seconds of the installed file): $DRAIN"
kill -TERM "$PID"
wait "$PID" || fail "serve did not stop cleanly on SIGTERM"
PID=
rmdir "${MADE[@]}" 2>/dev/null || true
step "healthz, readyz, page, app.js, login as alo153; drained and stopped"

# 6. install again over itself: the scripts' upgrade path keeps a changed conffile and the data
sed -i 's/^# threads = 4$/threads = 3/' "$ROOT/etc/alo153/alo153.conf"
SUM=$(md5sum <"$ROOT/var/lib/alo153/alo153.db")
"${DPKG[@]}" -i "$DEB" >"$LOG/reinstall" 2>&1 || { cat "$LOG/reinstall" >&2; fail "dpkg -i over the installed package failed"; }
grep -qx 'threads = 3' "$ROOT/etc/alo153/alo153.conf" || fail "the reinstall lost the changed conffile"
[ "$(grep -c '^alo153:' "$ROOT/etc/passwd")" = 1 ] && grep -q "^alo153:x:$AUID:" "$ROOT/etc/passwd" ||
    fail "the reinstall changed the user"
[ "$(md5sum <"$ROOT/var/lib/alo153/alo153.db")" = "$SUM" ] || fail "the reinstall changed the database"
step "dpkg -i again: conffile change kept, same user and data"

# 8 (before the purge removes it). systemd-analyze on the installed unit, in a root of its own
if command -v systemd-analyze >/dev/null; then
    mkdir -p "$SA/lib/systemd/system" "$SA/usr/bin" "$SA/bin"
    cp "$ROOT/lib/systemd/system/alo153.service" "$SA/lib/systemd/system/"
    cp /lib/systemd/system/*.target "$SA/lib/systemd/system/" 2>/dev/null || true
    cp "$ROOT/usr/bin/alo153" "$SA/usr/bin/alo153"
    cp /bin/kill "$SA/bin/kill"
    systemd-analyze verify --root="$SA" --man=no alo153.service >"$LOG/verify" 2>&1 ||
        { cat "$LOG/verify" >&2; fail "systemd-analyze verify"; }
    [ ! -s "$LOG/verify" ] || { cat "$LOG/verify" >&2; fail "systemd-analyze verify has remarks"; }
    systemd-analyze security --offline=yes --root="$SA" alo153.service >"$LOG/security" 2>&1 || true
    SCORE=$(sed -n 's/.*Overall exposure level for alo153.service: \(.*\)/\1/p' "$LOG/security" | sed 's/\x1b\[[0-9;]*m//g')
    [ -n "$SCORE" ] || { cat "$LOG/security" >&2; fail "systemd-analyze security gave no score"; }
    step "systemd-analyze verify: clean; security: $SCORE"
fi

# 7. purge
"${DPKG[@]}" --purge alo153 >"$LOG/purge" 2>&1 || { cat "$LOG/purge" >&2; fail "dpkg --purge failed"; }
[ -z "$(dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f='${Status}' alo153 2>/dev/null | grep installed || true)" ] ||
    fail "alo153 is still installed after the purge"
for f in usr/bin/alo153 usr/share/alo153 etc/alo153/alo153.conf etc/alo153 lib/systemd/system/alo153.service \
         usr/share/man/man8/alo153.8.gz etc/systemd/system/multi-user.target.wants/alo153.service \
         var/lib/systemd/deb-systemd-helper-enabled/alo153.service.dsh-also; do
    [ ! -e "$ROOT/$f" ] && [ ! -L "$ROOT/$f" ] || fail "/$f is left after the purge"
done
grep -q "^alo153:x:$AUID:" "$ROOT/etc/passwd" || fail "the purge removed the alo153 user (kept by design)"
[ "$(md5sum <"$ROOT/var/lib/alo153/alo153.db")" = "$SUM" ] || fail "the purge touched the database"
step "dpkg --purge: files, conffile, unit gone; user and database kept"
echo "deb-test: ok"
