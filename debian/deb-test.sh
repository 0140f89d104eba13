#!/usr/bin/env bash
# make deb-test: check the package make deb built, without touching the system.
#   bash debian/deb-test.sh [OUT]      (OUT default build/deb)
# Unpacks it into a temporary root (dpkg-deb -x; maintainer scripts are only syntax-checked),
# checks the files a package must ship, starts the *installed* binary with the *installed*
# configuration file (its /var/lib/alo153 and /usr/share/alo153 paths moved under the temporary
# root, listen on a free port) against the installed web files, creates a database with the
# installed geodata, and checks /healthz, /readyz and the console's page. Then
# systemd-analyze verify and security on the unit (when systemd-analyze is there).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-build/deb}
DEB=$(ls "$OUT"/alo153_*_*.deb 2>/dev/null | grep -v dbgsym | head -1)
[ -n "$DEB" ] || { echo "deb-test: no package in $OUT (make deb)" >&2; exit 2; }
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/alo153-debroot.XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$ROOT"; }
trap cleanup EXIT
fail() { echo "deb-test: $*" >&2; exit 1; }

echo "deb-test: $DEB ($(du -k "$DEB" | cut -f1) KiB)"
dpkg-deb -x "$DEB" "$ROOT"
dpkg-deb -e "$DEB" "$ROOT/DEBIAN"
for f in usr/bin/alo153 usr/share/alo153/web/index.html usr/share/alo153/web/app.js \
         usr/share/alo153/web/vendor/preact.module.js usr/share/alo153/reference/categories.txt \
         usr/share/alo153/geodata/cityNamesByCode.json etc/alo153/alo153.conf \
         lib/systemd/system/alo153.service usr/share/man/man8/alo153.8.gz; do
    [ -e "$ROOT/$f" ] || fail "/$f is not in the package"
done
grep -qx /etc/alo153/alo153.conf "$ROOT/DEBIAN/conffiles" || fail "/etc/alo153/alo153.conf is not a conffile"
for s in postinst postrm prerm; do
    [ -f "$ROOT/DEBIAN/$s" ] && { sh -n "$ROOT/DEBIAN/$s" || fail "DEBIAN/$s: syntax"; }
done
grep -q 'adduser --system' "$ROOT/DEBIAN/postinst" || fail "postinst does not create the alo153 user"
grep -q 'systemctl' "$ROOT/DEBIAN/postinst" || fail "postinst does not enable the unit"
dpkg-deb -f "$DEB" Depends | grep -q libmicrohttpd || fail "Depends lacks the shared libraries"
man -l "$ROOT/usr/share/man/man8/alo153.8.gz" 2>/dev/null | grep -q CONFIGURATION || fail "the man page does not render"

# the installed configuration, its paths moved under the temporary root
CONF=$ROOT/etc/alo153/test.conf
sed -e "s#/var/lib/alo153#$ROOT/var/lib/alo153#g" -e "s#/usr/share/alo153#$ROOT/usr/share/alo153#g" \
    -e 's#^listen = .*#listen = 127.0.0.1:0#' "$ROOT/etc/alo153/alo153.conf" > "$CONF"
mkdir -p "$ROOT/var/lib/alo153"
BIN=$ROOT/usr/bin/alo153
"$BIN" version
env -u ALO153_DB -u ALO153_WEB -u ALO153_GEODATA -u ALO153_MODELS \
    "$BIN" init --config "$CONF" >"$ROOT/init.out" 2>&1 || { cat "$ROOT/init.out" >&2; fail "init from the installed configuration failed"; }
[ -f "$ROOT/var/lib/alo153/alo153.db" ] || fail "init did not create the configured database"
env -u ALO153_DB -u ALO153_WEB -u ALO153_GEODATA -u ALO153_MODELS -u ALO153_LISTEN \
    "$BIN" serve --config "$CONF" >"$ROOT/serve.out" 2>"$ROOT/serve.err" &
PID=$!
PORT=
for _ in $(seq 150); do
    PORT=$(sed -n 's|^alo153 listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$ROOT/serve.out")
    [ -n "$PORT" ] && break
    kill -0 "$PID" 2>/dev/null || { cat "$ROOT/serve.err" >&2; fail "the installed serve exited"; }
    sleep 0.1
done
[ -n "$PORT" ] || fail "the installed serve did not listen"
BASE=http://127.0.0.1:$PORT
curl -sf "$BASE/healthz" >/dev/null || fail "/healthz"
READY=$(curl -s "$BASE/readyz")
echo "$READY" | grep -q '"web":"ok"' || fail "/readyz: $READY"
curl -sf "$BASE/" | grep -qi '<html' || fail "the console's page is not served"
curl -sf "$BASE/app.js" >/dev/null || fail "/app.js is not served"
kill -TERM "$PID"; wait "$PID" || fail "serve did not stop cleanly on SIGTERM"; PID=
echo "deb-test: the installed alo153 served /healthz, /readyz ($READY) and the console from $ROOT/usr/share/alo153/web"

if command -v systemd-analyze >/dev/null; then
    # --root: the unit as installed; the targets and /bin/kill it names come from this host
    mkdir -p "$ROOT/bin"
    cp -n /lib/systemd/system/*.target "$ROOT/lib/systemd/system/" 2>/dev/null || true
    cp /bin/kill "$ROOT/bin/kill"
    systemd-analyze verify --root="$ROOT" --man=no alo153.service || fail "systemd-analyze verify"
    systemd-analyze security --offline=yes --root="$ROOT" alo153.service 2>/dev/null | tail -1
fi
echo "deb-test: ok"
