#!/usr/bin/env bash
# Run node:test files one at a time under a given node, on Node 18 (Debian 12's nodejs) as on
# Node 20+; summarise; fail if any file failed.
#
#   bash tests/lib/run-node.sh NODE FILE...
#
# Files are listed, never a folder (Node 22 takes glob patterns, not folders). Nothing may
# hang for long. The helpers bound every wait (tests/lib/server.mjs: 30 s per request, 15 s
# for a start, 20 s for a stop, then SIGKILL; a server left running no longer keeps the test
# process alive), and here every test gets TEST_TIMEOUT seconds (node's --test-timeout; Node
# 18 lacks it; node applies it to a describe() suite as a whole too, so it sits above the
# longest suite under ASan on a busy machine) and every file FILE_TIMEOUT seconds in all
# (timeout(1), on every node).
set -u
node=${1:?usage: run-node.sh NODE FILE...}
shift
[ $# -gt 0 ] || { echo "run-node.sh: no test files" >&2; exit 2; }
TEST_TIMEOUT=${TEST_TIMEOUT:-120}
FILE_TIMEOUT=${FILE_TIMEOUT:-300}

version=$("$node" --version) || { echo "run-node.sh: $node does not run" >&2; exit 2; }
flags=(--test)
help=$("$node" --help)
grep -q -- '--test-concurrency' <<<"$help" && flags+=(--test-concurrency=1)
grep -q -- '--test-timeout' <<<"$help" && flags+=("--test-timeout=$((TEST_TIMEOUT * 1000))")
echo "node $version: ${flags[*]} (each file at most ${FILE_TIMEOUT} s)"

# a count from the summary lines of the tap ("# pass 3") and spec ("ℹ pass 3") reporters
n() { grep -aE "^(#|ℹ) $1 [0-9]+$" "$log" | tail -n1 | grep -oE '[0-9]+$' || echo 0; }

files=0 tests=0 pass=0 fail=0 failed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for f in "$@"; do
  files=$((files + 1))
  timeout -k 10 "$FILE_TIMEOUT" "$node" "${flags[@]}" "$f" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  tests=$((tests + $(n tests))) pass=$((pass + $(n pass))) fail=$((fail + $(n fail) + $(n cancelled)))
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "run-node.sh: $f did not finish within ${FILE_TIMEOUT} s; stopped"
    fail=$((fail + 1))
  fi
  [ "$rc" -eq 0 ] || failed+=("$f")
done
echo "node $version: $files files, $tests tests, $pass passed, $fail failed or cancelled"
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
