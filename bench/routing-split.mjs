// How often POST /api/v1/classify offers a split (issue 13) on the frozen independent test sets:
// on the lines of style "multi" (two requests; the 4th column is the second category) — found,
// and found with both departments right — and on every other line (a false offer).
//   ALO153_BIN=$PWD/build/alo153 node bench/routing-split.mjs MODELS_DIR [show]
// MODELS_DIR holds a model from `alo153 train --no-db --corpus data/corpus --models MODELS_DIR`.
import fs from 'node:fs';
import path from 'node:path';
import { startServer, login, REPO } from '../tests/lib/server.mjs';

const models = path.resolve(process.argv[2] || 'models');
const show = process.argv[3] === 'show';
const srv = await startServer({ demoSize: 0, env: { ALO153_MODELS: models } });
try {
    const ag = await login(srv.url, 'agent');
    const cats = (await ag.get('/api/v1/categories')).body;
    const dept = Object.fromEntries((Array.isArray(cats) ? cats : cats.items).map((c) => [c.code, c.department]));
    const lines = ['independent.tsv', 'independent-b.tsv']
        .flatMap((f) => fs.readFileSync(path.join(REPO, 'data', 'eval', f), 'utf8').split('\n'))
        .filter((l) => l && !l.startsWith('#'));
    const n = { multi: 0, found: 0, right: 0, other: 0, falseOffers: 0 };
    const t0 = Date.now();
    for (const l of lines) {
        const [text, cat, style, cat2] = l.split('\t');
        const sp = (await ag.post('/api/v1/classify', { text })).body.split;
        const parts = sp ? sp.map((p) => `${p.text} → ${p.top[0].department}`).join(' || ') : '';
        if (style === 'multi') {
            n.multi++;
            if (!sp) continue;
            n.found++;
            const got = new Set(sp.map((p) => p.top[0].department));
            if (got.has(dept[cat]) && got.has(dept[cat2])) n.right++;
            else if (show) console.log(`wrong\t${text}\t${parts}`);
        } else {
            n.other++;
            if (sp) {
                n.falseOffers++;
                if (show) console.log(`false\t${style}\t${text}\t${parts}`);
            }
        }
    }
    console.log(JSON.stringify({ ...n, ms: Date.now() - t0, model: models }));
} finally {
    await srv.stop();
    srv.cleanup();
}
