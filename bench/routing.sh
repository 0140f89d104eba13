#!/usr/bin/env bash
# Routing benchmarks: training time on 50,000 examples, model size, classification time.
# The 50,000 examples are the corpus repeated with random typos (deleted, doubled or swapped
# letters), so the vocabulary grows as it would with real agents' text.
# Usage: bash bench/routing.sh build/alo153
set -euo pipefail
bin=$(realpath "${1:-build/alo153}")
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus"
python3 - "$tmp/corpus/big.tsv" <<'PY'
import random, sys, glob
random.seed(153)
rows = []
for f in sorted(glob.glob('data/corpus/*.tsv')):
    for line in open(f, encoding='utf-8'):
        t, _, rest = line.rstrip('\n').partition('\t')
        label = rest.split('\t', 1)[0]  # text, label and an optional style column
        if t and label:
            rows.append((t, label))
def typo(t):
    t = list(t)
    for _ in range(random.randint(0, 3)):
        if len(t) < 4: break
        i = random.randrange(1, len(t) - 1)
        op = random.random()
        if op < 0.4: del t[i]
        elif op < 0.7: t.insert(i, t[i])
        else: t[i], t[i + 1] = t[i + 1], t[i]
    return ''.join(t)
with open(sys.argv[1], 'w', encoding='utf-8') as out:
    for k in range(50000):
        t, label = rows[k % len(rows)]
        out.write((t if k < len(rows) else typo(t)) + '\t' + label + '\n')
PY
echo "== training on $(wc -l < "$tmp/corpus/big.tsv") examples"
/usr/bin/time -f "wall %e s, max RSS %M KB" "$bin" train --no-db --corpus "$tmp/corpus" --models "$tmp/m50k"
ls -l "$tmp"/m50k/*.model | awk '{printf "model file: %.1f MB\n", $5/1e6}'
echo "== the shipped corpus"
"$bin" train --no-db --corpus data/corpus --models "$tmp/m"
ls -l "$tmp"/m/*.model | awk '{printf "model file: %.1f MB\n", $5/1e6}'
echo "== classification speed (held-out texts, warm, 20 passes)"
"$bin" eval data/eval/heldout.tsv --models "$tmp/m" --repeat 20 | grep -E 'examples|time per text'
