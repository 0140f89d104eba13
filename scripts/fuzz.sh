#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang, ASan and UBSan (warnings are the
# gcc build's business: -Werror there, none here), and run each for
# SECONDS (default 60) on a working copy of its seed corpus (tests/fuzz/corpus/NAME; the
# repository's corpus is only read unless FUZZ_MERGE=1, which merges the new interesting inputs
# back). Prints per target: executions, executions per second, coverage (libFuzzer's cov: edges
# and ft: features) and corpus size; exits non-zero on the first crash, leak, sanitizer report
# or failed assertion, leaving the reproducer in build-fuzz/crash-NAME-*.
#   scripts/fuzz.sh [SECONDS] [TARGET...]        (make fuzz: 300 s each; make test: 20 s each)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
build=build-fuzz
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
make --no-print-directory -j2 BUILD=$build CC=clang OPT="-O1 -g" WARN=-w \
  SAN="-fsanitize=fuzzer-no-link $san -fno-omit-frame-pointer" $build/liballo153.a >/dev/null
libs="$(make --no-print-directory -s print-ldlibs)"
cflags="$(make --no-print-directory -s print-pkg-cflags)"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi
mkdir -p $build/fuzz
# fuzz_api's database: the reference municipality with the demo users and a few applications
if [ ! -f $build/fuzz/api.db ]; then
  make --no-print-directory -j2 all >/dev/null
  rm -f $build/fuzz/api.db.tmp
  ALO153_LOG=warn ALO153_NOW=2026-03-11T07:00:00Z build/alo153 init --db $build/fuzz/api.db.tmp --demo --demo-size 20 >/dev/null
  mv $build/fuzz/api.db.tmp $build/fuzz/api.db
fi
export FUZZ_DB=$PWD/$build/fuzz/api.db
status=0
for t in "${targets[@]}"; do
  bin=$build/fuzz/$t
  if [ ! -x "$bin" ] || [ tests/fuzz/$t.c -nt "$bin" ] || [ $build/liballo153.a -nt "$bin" ]; then
    # shellcheck disable=SC2086
    clang -O1 -g -std=c11 -D_GNU_SOURCE -Isrc $cflags \
      -fsanitize=fuzzer $san -o "$bin" tests/fuzz/$t.c $build/liballo153.a $libs
  fi
  seeds=tests/fuzz/corpus/$t
  work=$build/corpus/$t
  rm -rf "$work" && mkdir -p "$work" "$seeds"
  cp -r "$seeds"/. "$work"/ 2>/dev/null || true
  log=$build/fuzz/$t.log
  dict=(); [ -f tests/fuzz/$t.dict ] && dict=(-dict=tests/fuzz/$t.dict)
  if ! "$bin" "$work" "${dict[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
      -max_len=8192 -print_final_stats=1 -artifact_prefix=$build/crash-$t- >"$log" 2>&1; then
    echo "fuzz: $t FAILED (log: $log)"; tail -40 "$log"; status=1; break
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf 'fuzz: %-14s %9s runs in %s s = %6s/s  cov %s  ft %s  corpus %s (seeds %s)\n' "$t" "$runs" "$secs" \
    "$((runs / secs))" "$cov" "$ft" "$(ls "$work" | wc -l)" "$(ls "$seeds" | wc -l)"
  if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    "$bin" -merge=1 "$seeds" "$work" >/dev/null 2>&1
  fi
done
exit $status
