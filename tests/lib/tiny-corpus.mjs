// A small routing corpus for tests that train (t58, t59, b17): the first lines of a few
// categories of data/corpus, so `alo153 train` takes a second instead of a minute, and a
// "gate" file of other lines of the same categories (styles clean and decoy).
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './server.mjs';

export const TINY_CATEGORIES = ['FEN_YOL_CUKUR', 'PARK_BAKIM', 'SU_ARIZA', 'CEV_COP_TOPLAMA'];

/** Lines "text\tCATEGORY" of data/corpus by category, in file order. */
function byCategory() {
    const dir = path.join(REPO, 'data', 'corpus');
    const out = Object.fromEntries(TINY_CATEGORIES.map((c) => [c, []]));
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.tsv')).sort()) {
        for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
            const [text, cat] = line.split('\t');
            if (text && !text.startsWith('#') && out[cat]) out[cat].push(text);
        }
    }
    return out;
}

/**
 * Write into dir: corpus/tiny.tsv (train lines per category), corpus-bad/tiny.tsv (the same
 * texts under the wrong category: a model worse on any test) and gate.tsv (the next `test`
 * lines per category, every third one of style "decoy"). Returns the paths.
 */
export function writeTinyCorpus(dir, { train = 40, test = 12 } = {}) {
    const lines = byCategory();
    const good = [], bad = [], gate = [];
    TINY_CATEGORIES.forEach((cat, i) => {
        const wrong = TINY_CATEGORIES[(i + 1) % TINY_CATEGORIES.length];
        for (const t of lines[cat].slice(0, train)) {
            good.push(`${t}\t${cat}`);
            bad.push(`${t}\t${wrong}`);
        }
        lines[cat].slice(train, train + test).forEach((t, k) => gate.push(`${t}\t${cat}\t${k % 3 === 0 ? 'decoy' : 'clean'}`));
    });
    const p = { corpus: path.join(dir, 'corpus'), bad: path.join(dir, 'corpus-bad'), gate: path.join(dir, 'gate.tsv') };
    fs.mkdirSync(p.corpus, { recursive: true });
    fs.mkdirSync(p.bad, { recursive: true });
    fs.writeFileSync(path.join(p.corpus, 'tiny.tsv'), good.join('\n') + '\n');
    fs.writeFileSync(path.join(p.bad, 'tiny.tsv'), bad.join('\n') + '\n');
    fs.writeFileSync(p.gate, gate.join('\n') + '\n');
    return p;
}
