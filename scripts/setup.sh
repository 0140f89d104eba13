#!/usr/bin/env bash
# Install what alo153 needs to build, run and test on Debian 12. Idempotent: installs only
# what is missing, so `make run` and `make test` can call it every time.
#
# Everything `make run` and `make test` call that a stock Debian 12 lacks: the compiler and
# libraries, cmocka, valgrind (make valgrind), the sqlite3 CLI (fault tests, tests/lib),
# timeout (coreutils), node and npm (Debian's nodejs is 18: the test scripts work on it, and
# `make api-node18` proves it), ca-certificates (Debian's node and npm trust the system store)
# and Chromium for the browser tests. wrk is for `make bench`. postgresql (the server, for the
# throw-away clusters of `make api-pg`, scripts/pg-test.sh), libpq-dev (the second backend) and
# clang-format (make check keeps the code formatted). python3-openpyxl reads back the XLSX the
# report writes (tests/unit/xlsx_check.py). libgnutls28-dev: HTTPS in serve; openssl: the
# throw-away certificates of tests/api/t33-tls-proxy. clang and libclang-rt-14-dev (libFuzzer):
# the fuzz targets of tests/fuzz (scripts/fuzz.sh). libgmime-3.0-dev parses the e-mail intake's
# MIME (issue 15); dovecot-imapd is the throw-away IMAP server of tests/lib/imap-test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3
      libsodium-dev libicu-dev libstemmer-dev liblinear-dev libcurl4-openssl-dev
      libxlsxwriter-dev libcmocka-dev valgrind coreutils ca-certificates wrk curl
      postgresql libpq-dev clang-format python3-openpyxl libgnutls28-dev openssl
      clang libclang-rt-14-dev libexif-dev libgmime-3.0-dev dovecot-imapd libxml2-dev
      python3-aiosmtpd
      debhelper dpkg-dev)  # make deb (debian/, docs/OPERATIONS.md)
DEBS+=(gnuplot-nox) # tests/routing/reliability.sh: the reliability diagrams in docs/ROUTING.md
DEBS+=(prometheus) # promtool check metrics (t65); make deb-test uses lintian when installed (apt-get install lintian). docs/OPERATIONS.md

missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1 && dpkg-query -W -f='${Version}' nodejs 2>/dev/null | grep -q dfsg; then
  missing+=(npm)   # Debian's nodejs without Debian's npm (another vendor's nodejs bundles npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# the tests run on Node 18 (Debian 12's nodejs) and newer
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
  echo "setup: node $(node --version) is too old: alo153's tools and tests need Node 18 or newer" >&2
  exit 1
fi

# npm packages (geography data; later the web console's libraries and playwright-core)
if [ ! -f node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm install"
  npm install --no-audit --no-fund --loglevel=error >/dev/null
fi
# the web console's libraries, served by alo153 itself (never from a CDN)
mkdir -p web/vendor
cp -u node_modules/preact/dist/preact.module.js node_modules/preact/hooks/dist/hooks.module.js \
      node_modules/htm/dist/htm.module.js node_modules/chart.js/dist/chart.umd.js \
      node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css web/vendor/ 2>/dev/null || true
mkdir -p web/vendor/images && cp -u node_modules/leaflet/dist/images/* web/vendor/images/ 2>/dev/null || true

# browser tests drive Debian's Chromium (never a downloaded browser)
if [ "${ALO153_NO_BROWSER:-}" != "1" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing chromium"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
echo "setup: ok"
