#!/usr/bin/env bash
# Static checks that keep the code honest: layer boundaries, banned functions, headers.
set -u
cd "$(dirname "$0")/.."
bad=0
err() { echo "check: $*"; bad=1; }

# 1. Includes point only downward (DESIGN.md layers): util at the bottom, model (the shared
#    vocabulary) on it, nlp beside it, store on model, core on store.h, api and cli on top.
allowed() { # layer → regex of allowed "dir/" prefixes for project includes
  case "$1" in
    util) echo '^util/' ;;
    model) echo '^(util|model)/' ;;
    nlp) echo '^(util|nlp)/' ;;
    store) echo '^(util|nlp|model|store)/' ;;
    core) echo '^(util|nlp|model|notify|core)/|^store/store\.h$' ;;
    notify) echo '^(util|model|notify)/' ;;   # transports (libcurl): below core, see notify/transport.h
    http) echo '^(util|http)/' ;;
    report) echo '^(util|model|nlp|report)/|^store/store\.h$' ;;   # no core: see report.h
    workers) echo '^(util|model|workers)/|^store/store\.h$' ;;
    api) echo '^(util|nlp|model|notify|core|report|http|api)/|^store/store\.h$' ;;
    cti) echo '^(util|model|core|cti)/|^store/store\.h$' ;;   # the exchange (AMI) on core
    cli) echo '^(util|nlp|model|notify|core|report|workers|http|api|store|cti|cli)/' ;;
    *) echo "check: src/$1 is not in the layer table" >&2; echo '^$' ;; # nothing allowed
  esac
}
for f in $(find src -name '*.[ch]' | sort); do
  layer=$(echo "$f" | cut -d/ -f2)
  [ "$layer" = "main.c" ] && continue
  re=$(allowed "$layer")
  grep -oE '^#include "[^"]+"' "$f" | sed 's/#include "//; s/"$//' | while read -r inc; do
    echo "$inc" | grep -qE "$re" || echo "check: $f includes $inc across the layers"
  done
done | tee /tmp/alo153-layers.$$ ; [ -s /tmp/alo153-layers.$$ ] && bad=1; rm -f /tmp/alo153-layers.$$

# 2. Every .c includes util/banned.h as its last project include.
for f in $(find src -name '*.c' | sort); do
  last=$(grep -E '^#include "' "$f" | tail -1)
  [ "$last" = '#include "util/banned.h"' ] || err "$f: util/banned.h must be the last include"
done

# 3. No SQL outside the store backends.
if grep -rlE '"(SELECT|INSERT|UPDATE|DELETE) ' src --include=*.c | grep -v '^src/store/'; then
  err "SQL found outside src/store"
fi

# 3a. JSON is the api's business (and the CLI's own input/output): core, store, report and the
#     layers below return structs.
if grep -rlE '#include <jansson\.h>' src --include=*.[ch] | grep -vE '^src/(api|cli)/'; then
  err "jansson used outside src/api and src/cli"
fi

# 3a'. XML likewise (libxml2, for Open311 GeoReport v2's required XML format: issue 16): the
#      api's src/api/open311*.c write it, the CLI may; nothing below them.
if grep -rlE '#include <libxml/' src --include=*.[ch] | grep -vE '^src/(api|cli)/'; then
  err "libxml2 used outside src/api and src/cli"
fi

# 3b. The backend contract (store_int.h) is for store/ and the store conformance suite only.
if grep -rlE '#include "store/store_int\.h"' src tests --include=*.[ch] | grep -vE '^(src/store/|tests/store/)'; then
  err "store/store_int.h included outside src/store and tests/store"
fi

# 3c. No silent truncation: copy strings with str_copy (util/str.h), not snprintf("%s").
if grep -rnE 'snprintf\([^;]*"%s", [^;]*\);' src --include=*.c | grep -v '^src/util/str.c'; then
  err 'snprintf(dst, n, "%s", src) copies truncate silently; use str_copy (util/str.h)'
fi

# 4. Every header has an include guard.
for h in $(find src -name '*.h' ! -name banned.h); do
  grep -q '^#ifndef ALO_' "$h" || err "$h: missing ALO_ include guard"
done

# 5. The code follows .clang-format (Debian's clang-format; tables laid out by hand are fenced
#    with clang-format off/on). Reformat with: clang-format -i --style=file FILE
if command -v clang-format >/dev/null; then
  for f in $(find src tests/unit tests/store -name '*.[ch]' | sort); do
    clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || err "$f: not clang-formatted (clang-format -i --style=file $f)"
  done
else
  err "clang-format not found (scripts/setup.sh installs it)"
fi

# 6. No key twice in one language of web/js/i18n.js: in a JS object literal the later one silently
#    wins, so a text fixed in one place may never be shown. Every line inside `const tr = {` /
#    `const en = {` … `};` is one 'key': 'text' entry, a comment or blank (anything else fails too).
i18n_dupes=$(awk '
  /^const (tr|en) = \{$/ { obj = $2; next }
  obj != "" && /^\};$/ { obj = ""; next }
  obj == "" || /^[ \t]*(\/\/.*)?$/ { next }
  match($0, /^    (\047[^\047]+\047|"[^"]+"|[A-Za-z_][A-Za-z0-9_]*): /) {
    k = substr($0, 5, RLENGTH - 6); gsub(/^[\047"]|[\047"]$/, "", k)
    if ((obj, k) in seen) printf "%s: \047%s\047 on lines %d and %d\n", obj, k, seen[obj, k], NR
    else seen[obj, k] = NR
    next
  }
  { printf "%s: line %d is not one \047key\047: text entry\n", obj, NR }
' web/js/i18n.js)
[ -n "$i18n_dupes" ] && err "web/js/i18n.js: $i18n_dupes"

[ $bad -eq 0 ] && echo "check: ok" || exit 1
