#!/usr/bin/env bash
# Run node:test files (TEST_JOBS at a time, default 1) under a given node, on Node 18 (Debian 12's nodejs) as on
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
TEST_TIMEOUT=${TEST_TIMEOUT:-240}
FILE_TIMEOUT=${FILE_TIMEOUT:-300}

version=$("$node" --version) || { echo "run-node.sh: $node does not run" >&2; exit 2; }
flags=(--test)
help=$("$node" --help)
grep -q -- '--test-concurrency' <<<"$help" && flags+=(--test-concurrency=1)
grep -q -- '--test-timeout' <<<"$help" && flags+=("--test-timeout=$((TEST_TIMEOUT * 1000))")
echo "node $version: ${flags[*]} (each file at most ${FILE_TIMEOUT} s)"

# a count from the summary lines of the tap ("# pass 3") and spec ("ℹ pass 3") reporters
n() { grep -aE "^(#|ℹ) $1 [0-9]+$" "$log" | tail -n1 | grep -oE '[0-9]+$' || echo 0; }

# TEST_JOBS files at a time (default 1). Every server a test starts takes a free port and its
# own database, so files are independent; each file's output is kept apart and printed whole
# when it ends, so the log reads file by file.
JOBS=${TEST_JOBS:-1}
files=0 tests=0 pass=0 fail=0 failed=()
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

run_one() { # index file
  timeout -k 10 "$FILE_TIMEOUT" "$node" "${flags[@]}" "$2" >"$dir/$1.log" 2>&1
  echo $? >"$dir/$1.rc"
}

# print and count one finished file
collect() { # index file
  local i=$1 f=$2 rc
  log=$dir/$i.log
  cat "$log"
  rc=$(cat "$dir/$i.rc")
  files=$((files + 1))
  tests=$((tests + $(n tests))) pass=$((pass + $(n pass))) fail=$((fail + $(n fail) + $(n cancelled)))
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "run-node.sh: $f did not finish within ${FILE_TIMEOUT} s; stopped"
    fail=$((fail + 1))
  fi
  [ "$rc" -eq 0 ] || failed+=("$f")
}

all=("$@")
next=0 done_=0 running=()
declare -A pid_of
while [ "$done_" -lt "${#all[@]}" ]; do
  while [ "$next" -lt "${#all[@]}" ] && [ "${#running[@]}" -lt "$JOBS" ]; do
    run_one "$next" "${all[$next]}" &
    pid_of[$next]=$!
    running+=("$next")
    next=$((next + 1))
  done
  wait -n 2>/dev/null || true
  still=()
  for i in "${running[@]}"; do
    if [ -f "$dir/$i.rc" ]; then
      wait "${pid_of[$i]}" 2>/dev/null || true
      collect "$i" "${all[$i]}"
      done_=$((done_ + 1))
    else
      still+=("$i")
    fi
  done
  running=("${still[@]}")
done
echo "node $version: $files files, $tests tests, $pass passed, $fail failed or cancelled"
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
