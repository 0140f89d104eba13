#!/usr/bin/env bash
# Run each cmocka binary in its own process with a timeout; summarise; fail if any failed.
set -u
if [ -n "${VALGRIND:-}" ] && ! command -v "${VALGRIND%% *}" >/dev/null 2>&1; then
  echo "unit: ${VALGRIND%% *} is not installed (bash scripts/setup.sh installs it)" >&2
  exit 2
fi
pass=0 fail=0 failed=()
for t in "$@"; do
  # shellcheck disable=SC2086
  if timeout 300 ${VALGRIND:-} "$t" > "$t.log" 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); failed+=("$t")
    cat "$t.log"
  fi
  grep -E '^\[  (PASSED|FAILED)  \]' "$t.log" | sed "s|^|$(basename "$t"): |"
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
