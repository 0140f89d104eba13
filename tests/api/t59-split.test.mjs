// t59: two requests in one text (issue 13). POST /classify returns split: [{text, top,
// confident}, {…}] when the text, cut at a clause or a connector ("ayrıca", "bir de", "hem …
// hem"), gives two parts each confidently in a different department; a single request, a
// clause that says all is well, or two parts of the same department give no split. A tiny
// corpus (tests/lib/tiny-corpus.mjs) keeps training under a second.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, cli, assertError } from '../lib/server.mjs';
import { writeTinyCorpus } from '../lib/tiny-corpus.mjs';

describe('t59 two requests in one text', { timeout: 60000 }, () => {
    let srv, dir, agent;
    const classify = async (text) => {
        const r = await agent.post('/api/v1/classify', { text });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
    };
    const parts = (b) => b.split && b.split.map((p) => [p.text, p.top[0].department]);

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t59-'));
        const tiny = writeTinyCorpus(dir);
        await cli(['train', '--no-db', '--corpus', tiny.corpus, '--models', path.join(dir, 'models')], { env: { ALO153_NOW: '2026-03-01T00:00:00Z' } });
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: '2026-03-11T09:00:00Z', ALO153_MODELS: path.join(dir, 'models') } });
        agent = await login(srv.url, 'agent');
    });
    after(async () => {
        if (srv) { await srv.stop(); srv.cleanup(); }
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('a connector splits two requests of two departments', async () => {
        const b = await classify('Sokağımızdaki asfaltta derin bir çukur var, ayrıca parktaki salıncak kırık.');
        assert.deepEqual(parts(b), [['Sokağımızdaki asfaltta derin bir çukur var', 'FEN'], ['parktaki salıncak kırık', 'PARK']]);
        for (const p of b.split) {
            assert.equal(p.confident, true);
            assert.equal(p.top.length, 3);
            assert.ok(p.top[0].probability >= b.threshold, JSON.stringify(p.top[0]));
            assert.equal(typeof p.top[0].category_name, 'string');
        }
        assert.equal(b.suggestions.length, 3, 'the whole text is classified as before');
    });

    it('sentences, "bir de" and "hem … hem" split too', async () => {
        assert.deepEqual(parts(await classify('Evimizin önünde su borusu patladı, sular akıyor. Parktaki banklar kırık, onarılsın.')),
            [['Evimizin önünde su borusu patladı, sular akıyor', 'SU'], ['Parktaki banklar kırık, onarılsın', 'PARK']]);
        assert.deepEqual(parts(await classify('Çöpler üç gündür toplanmadı bir de yoldaki çukur kapatılsın')),
            [['Çöpler üç gündür toplanmadı', 'CEVRE'], ['yoldaki çukur kapatılsın', 'FEN']]);
        assert.deepEqual(parts(await classify('hem çöpler toplanmadı hem de parktaki salıncak kırık')),
            [['çöpler toplanmadı', 'CEVRE'], ['parktaki salıncak kırık', 'PARK']]);
    });

    it('one request, a clause that says all is well, or one department: no split', async () => {
        for (const text of [
            'Sokağımızdaki asfaltta derin bir çukur var, araçlar zarar görüyor.',
            'Parkta bir sorunumuz yok, ama sokaktaki çukur kapatılsın.',
            'Çöpler toplansın değil, parktaki salıncak kırık.',
            'Yolda çukur var, ayrıca kaldırımdaki asfalt çökmüş.',
            'Annem parkta yürüyüş yaparken düştü. Yoldaki çukur kapatılsın.',
        ]) {
            const b = await classify(text);
            assert.equal(b.split, undefined, `${text}: ${JSON.stringify(b.split)}`);
        }
    });

    it('bad input is refused as before', async () => {
        assertError(await agent.post('/api/v1/classify', { text: '   ' }), 400, 'invalid_field', 'text');
        assertError(await agent.post('/api/v1/classify', {}), 400, undefined, 'text');
    });
});
