// t58: learning from corrections (issue 13). A return, a transfer and a re-route each record
// one training example (text, suggested, previous and final category, who, when) in the same
// transaction, a category chosen against the suggestion at creation too, bad input records
// nothing; /routing/quality by week; alo153 train learns from the corrections; the promotion
// gate keeps a worse candidate as rejected-<time>.model, promotes an equal one, and the running
// server picks the promoted model up; GET /routing/models lists both with their gate figures.
// A tiny corpus (tests/lib/tiny-corpus.mjs) keeps training under a second; time is pinned.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, cli, assertError, waitFor } from '../lib/server.mjs';
import { writeTinyCorpus } from '../lib/tiny-corpus.mjs';

const NOW = '2026-03-11T09:00:00Z'; // a Wednesday: its Istanbul week starts on 2026-03-09
const FIRST = 'route-20260301T000000Z.model';

describe('t58 corrections and the promotion gate', { timeout: 60000 }, () => {
    let srv, dir, models, tiny, agent, fen, sup, admin;
    const corrections = async (appId) => {
        const r = await sup.get(`/api/v1/routing/corrections?app_id=${appId}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.items;
    };
    const act = (c, id, action, body) => c.post(`/api/v1/applications/${id}/${action}`, body);

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t58-'));
        models = path.join(dir, 'models');
        tiny = writeTinyCorpus(dir);
        await cli(['train', '--no-db', '--corpus', tiny.corpus, '--models', models], { env: { ALO153_NOW: '2026-03-01T00:00:00Z' } });
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW, ALO153_MODELS: models } });
        agent = await login(srv.url, 'agent'); // one at a time: logins are rate-limited
        fen = await login(srv.url, 'fen');
        sup = await login(srv.url, 'supervisor');
        admin = await login(srv.url, 'admin');
    });
    after(async () => {
        if (srv) { await srv.stop(); srv.cleanup(); }
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    let appA;
    it('a return, a re-route and a transfer each record one correction', async () => {
        const text = 'Sokağımızdaki asfaltta derin bir çukur açıldı, araçlar zarar görüyor';
        const cl = await agent.post('/api/v1/classify', { text });
        assert.equal(cl.body.suggestions[0].category, 'FEN_YOL_CUKUR', JSON.stringify(cl.body));
        const a = await agent.post('/api/v1/applications', { channel: 'phone_153', text, category: 'FEN_YOL_CUKUR', route: true });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        appA = a.body.id;
        assert.deepEqual(await corrections(appA), [], 'routed as suggested: no correction');

        assertError(await act(fen, appA, 'return', {}), 400, undefined, 'note');
        assert.deepEqual(await corrections(appA), [], 'a refused return records nothing');
        assert.equal((await act(fen, appA, 'return', { note: 'Park içindeki yol, bizim değil' })).status, 200);
        let c = await corrections(appA);
        assert.equal(c.length, 1);
        assert.deepEqual({ ...c[0], id: 0 }, {
            id: 0, app_id: appA, action: 'return', text, suggested: 'FEN_YOL_CUKUR', previous: 'FEN_YOL_CUKUR',
            final: null, user_id: fen.user.id, at: NOW,
        });

        assertError(await act(agent, appA, 'route', { category: 'YOK_BOYLE' }), 422, undefined, 'category');
        assert.equal((await corrections(appA)).length, 1, 'a refused re-route records nothing');
        assert.equal((await act(agent, appA, 'route', { category: 'PARK_BAKIM' })).status, 200);
        c = await corrections(appA);
        assert.equal(c.length, 2);
        assert.equal(c[0].action, 'route');
        assert.equal(c[0].previous, 'FEN_YOL_CUKUR');
        assert.equal(c[0].final, 'PARK_BAKIM');
        assert.equal(c[0].user_id, agent.user.id);

        assert.equal((await act(agent, appA, 'transfer', { category: 'SU_ARIZA' })).status, 200);
        c = await corrections(appA);
        assert.equal(c.length, 3);
        assert.deepEqual([c[0].action, c[0].previous, c[0].final, c[0].suggested], ['transfer', 'PARK_BAKIM', 'SU_ARIZA', 'FEN_YOL_CUKUR']);
    });

    it('a category chosen against the suggestion at creation is a correction; others are not', async () => {
        const text = 'Parktaki salıncak kırık, çocuklar düşüyor';
        const a = await agent.post('/api/v1/applications', { channel: 'phone_153', text, category: 'CEV_COP_TOPLAMA' });
        assert.equal(a.status, 201);
        const c = await corrections(a.body.id);
        assert.deepEqual([c.length, c[0].action, c[0].suggested, c[0].previous, c[0].final], [1, 'category', 'PARK_BAKIM', null, 'CEV_COP_TOPLAMA']);
        const same = await agent.post('/api/v1/applications', { channel: 'phone_153', text, category: 'PARK_BAKIM' });
        assert.deepEqual(await corrections(same.body.id), []);
        const all = await sup.get('/api/v1/routing/corrections?limit=2');
        assert.equal(all.body.items.length, 2, 'newest first, limited');
        assert.equal(all.body.items[0].app_id, a.body.id);
        assertError(await sup.get('/api/v1/routing/corrections?limit=0'), 400, 'invalid_field', 'limit');
        assertError(await agent.get('/api/v1/routing/corrections'), 403);
    });

    it('routing quality by week: suggested against final', async () => {
        const r = await sup.get('/api/v1/routing/quality?from=2026-03-02T00:00:00Z&to=2026-03-12T00:00:00Z');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        /* A: FEN suggested, SU final; the second: PARK suggested, CEVRE final; the third: right */
        assert.deepEqual(r.body.by_week['2026-03-09'], { n: 3, correct: 1, category_correct: 1 });
        assert.deepEqual(r.body.by_week['2026-03-02'], { n: 0, correct: 0, category_correct: 0 });
        assert.deepEqual(Object.keys(r.body.by_week), ['2026-03-02', '2026-03-09'], 'the weeks from from to to');
    });

    it('the gate rejects a worse candidate and promotes an equal one; the server picks it up', async () => {
        const bad = await cli(['train', '--db', srv.db, '--corpus', tiny.bad, '--models', models, '--gate', tiny.gate], { env: { ALO153_NOW: '2026-03-02T00:00:00Z' } });
        assert.match(bad, /160 from the corpus, 2 corrections/, bad);
        assert.match(bad, /gate: rejected: department top-1/, bad);
        assert.equal(fs.readFileSync(path.join(models, 'current'), 'utf8').trim(), FIRST, 'current unchanged');
        assert.ok(fs.existsSync(path.join(models, 'rejected-20260302T000000Z.model')));
        assert.equal((await agent.post('/api/v1/classify', { text: 'parktaki bank kırık' })).body.model, FIRST);

        const good = await cli(['train', '--no-db', '--corpus', tiny.corpus, '--models', models, '--gate', tiny.gate], { env: { ALO153_NOW: '2026-03-03T00:00:00Z' } });
        assert.match(good, /gate: promoted: not worse/, good);
        const SECOND = 'route-20260303T000000Z.model';
        assert.equal(fs.readFileSync(path.join(models, 'current'), 'utf8').trim(), SECOND);
        await waitFor(async () => (await agent.post('/api/v1/classify', { text: 'parktaki bank kırık' })).body.model === SECOND,
            { what: 'the server serving the promoted model', tries: 100, delayMs: 50 });

        const m = await admin.get('/api/v1/routing/models');
        assert.equal(m.status, 200, JSON.stringify(m.body));
        const byName = Object.fromEntries(m.body.items.map((x) => [x.name, x]));
        assert.deepEqual(Object.keys(byName).sort(), [SECOND, FIRST, 'rejected-20260302T000000Z.model'].sort());
        assert.equal(byName[SECOND].current, true);
        assert.equal(byName[FIRST].current, false);
        assert.equal(byName[FIRST].gate, null, 'trained without a gate');
        const rej = byName['rejected-20260302T000000Z.model'];
        assert.equal(rej.rejected, true);
        assert.equal(rej.gate.verdict, 'rejected');
        assert.equal(rej.gate.against, FIRST);
        assert.equal(rej.gate.n, 48);
        assert.equal(rej.gate.decoys_n, 16);
        assert.ok(rej.gate.top1 < rej.gate.against_top1, JSON.stringify(rej.gate));
        assert.equal(rej.gate.corrections, 2);
        assert.equal(byName[SECOND].gate.verdict, 'promoted');
        assert.equal(byName[SECOND].gate.top1, byName[SECOND].gate.against_top1);
        assertError(await sup.get('/api/v1/routing/models'), 403);
    });

    it('--schedule needs a gate; bad options change nothing', async () => {
        await assert.rejects(cli(['train', '--no-db', '--corpus', tiny.corpus, '--models', models, '--schedule']), /needs --gate/);
        await assert.rejects(cli(['train', '--no-db', '--corpus', tiny.corpus, '--models', models, '--gate', path.join(dir, 'none.tsv')],
            { env: { ALO153_NOW: '2026-03-04T00:00:00Z' } }), /cannot read the gate file/);
        await assert.rejects(cli(['train', '--no-db', '--models', models, '--gate', tiny.gate, '--tolerance', '-1']), /--tolerance/);
        assert.equal(fs.readFileSync(path.join(models, 'current'), 'utf8').trim(), 'route-20260303T000000Z.model');
        assert.ok(!fs.readdirSync(models).some((f) => f.includes('20260304')), 'nothing written');
        const s = await cli(['train', '--no-db', '--corpus', tiny.corpus, '--models', models, '--gate', tiny.gate, '--schedule'], { env: { ALO153_NOW: '2026-03-05T00:00:00Z' } });
        assert.match(s, /gate: promoted/);
    });
});
