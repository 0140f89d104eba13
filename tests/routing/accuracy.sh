#!/usr/bin/env bash
# Accuracy floor of the routing model on the project's held-out split (data/eval, never
# trained on). The floors sit a little under what was measured (docs/ROUTING.md), so a
# regression in the normalisation, the features or the corpus fails the suite.
set -euo pipefail
bin=${ALO153_BIN:?set ALO153_BIN}
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" train --no-db --corpus data/corpus --models "$tmp" >"$tmp/train.log"
"$bin" eval data/eval/heldout.tsv --models "$tmp" >"$tmp/eval.log"
# the frozen independent sets (data/eval/README.md), both writers' lines together; the
# optional 4th column (the second request of a "multi" line) is not used here
grep -hv '^#' data/eval/independent.tsv data/eval/independent-b.tsv | cut -f1-3 >"$tmp/independent.tsv"
"$bin" eval "$tmp/independent.tsv" --models "$tmp" >"$tmp/indep.log"
cat "$tmp/train.log" "$tmp/eval.log" | sed -n '1,20p'

value() { grep -E "^$1" "${2:-$tmp/eval.log}" | head -1 | grep -oE '[0-9]+\.[0-9]+' | head -1; }
style() { grep -E "^  $1 " "${2:-$tmp/eval.log}" | awk '{print $3}'; }
pass=0 fail=0
check() { # name measured floor
  if awk -v m="$2" -v f="$3" 'BEGIN { exit !(m >= f) }'; then
    echo "ok   $1: $2 % >= $3 %"; pass=$((pass + 1))
  else
    echo "FAIL $1: $2 % < $3 %"; fail=$((fail + 1))
  fi
}
check "department top-1 (held-out)" "$(value 'department top-1')" 95.0
check "department top-3 (held-out)" "$(value 'department top-3')" 99.0
check "category top-1 (held-out)" "$(value 'category top-1')" 93.0
check "cross-department texts top-1" "$(style cross)" 86.0
check "speech-to-text top-1" "$(style stt)" 92.0
check "heavy typos top-1" "$(style typo)" 93.0
check "agent shorthand top-1" "$(style short)" 95.0
# floors a few points below what docs/ROUTING.md reports for the independent sets
ind=$tmp/indep.log
check "department top-1 (independent)" "$(value 'department top-1' "$ind")" 92.0
check "department top-3 (independent)" "$(value 'department top-3' "$ind")" 98.0
check "category top-1 (independent)" "$(value 'category top-1' "$ind")" 88.0
check "decoys top-1 (independent)" "$(style decoy "$ind")" 86.0
check "two requests top-1 (independent)" "$(style multi "$ind")" 80.0
check "transcripts top-1 (independent)" "$(style transcript "$ind")" 93.0
check "short queries top-1 (independent)" "$(style short "$ind")" 95.0
# calibration and abstention (docs/ROUTING.md: ECE 0.026, 94.5 % decided at 97.2 % on the
# frozen sets): the ECE may not grow past a ceiling, and the model's own threshold must still
# decide most texts and be right on them
check_max() { # name measured ceiling
  if awk -v m="$2" -v f="$3" 'BEGIN { exit !(m != "" && m <= f) }'; then
    echo "ok   $1: $2 <= $3"; pass=$((pass + 1))
  else
    echo "FAIL $1: $2 > $3"; fail=$((fail + 1))
  fi
}
chosen() { grep -E "the model's threshold" "$ind" | awk -v c="$1" '{print $c}'; }
check_max "ECE, category (independent)" "$(grep -E '^ECE \(category\)' "$ind" | awk '{print $3}')" 0.06
check "coverage at the model's threshold (independent)" "$(chosen 2)" 88.0
check "department top-1 above the threshold (independent)" "$(chosen 4)" 95.0
echo "routing: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
