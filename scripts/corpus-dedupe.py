#!/usr/bin/env python3
"""Near-duplicate check over the training corpus (data/corpus/*.tsv): texts are lower-cased the
Turkish way, folded (ç→c, ğ→g, ı→i, ö→o, ş→s, ü→u), stripped of punctuation and compared as
sets of word 3-grams (whole texts under 3 words). A pair with Jaccard >= 0.5 is reported; with
--drop, the later line of each pair (in file order a, b, c, …) is removed from its file.
Run: python3 scripts/corpus-dedupe.py [--drop]"""
import glob, re, sys
from collections import defaultdict

FOLD = str.maketrans('çğıöşüâîû', 'cgiosuaiu')

def norm(t):
    t = t.replace('İ', 'i').replace('I', 'ı').lower().translate(FOLD)
    return re.sub(r'[^\w\s]', ' ', t).split()

def grams(w):
    return {tuple(w)} if len(w) < 3 else {tuple(w[i:i + 3]) for i in range(len(w) - 2)}

files = sorted(glob.glob('data/corpus/*.tsv'))
seen, index, drop = [], defaultdict(set), defaultdict(set)
pairs = 0
for f in files:
    for ln, line in enumerate(open(f, encoding='utf-8')):
        text = line.split('\t', 1)[0]
        g = grams(norm(text))
        cands = set()
        for x in g:
            cands |= index[x]
        dup = None
        for c in cands:
            h = seen[c][2]
            if len(g & h) / max(1, len(g | h)) >= 0.5:
                dup = c
                break
        if dup is not None:
            pairs += 1
            if pairs <= 20:
                print(f'{f}:{ln + 1} ~ {seen[dup][0]}:{seen[dup][1] + 1}: {text[:70]}')
            drop[f].add(ln)
            continue
        k = len(seen)
        seen.append((f, ln, g))
        for x in g:
            index[x].add(k)
print(f'{pairs} near-duplicate lines in {len(seen) + pairs}')
if '--drop' in sys.argv:
    for f, lines in drop.items():
        keep = [l for i, l in enumerate(open(f, encoding='utf-8')) if i not in lines]
        open(f, 'w', encoding='utf-8').writelines(keep)
        print(f'{f}: dropped {len(lines)}')
