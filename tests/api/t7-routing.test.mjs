// t7: routing in the API — POST /classify (suggestions, urgency, DIS redirect, bad input),
// suggestions stored at creation (auto-routing when confident, urgent priority), repeats,
// the routing-quality report, and a model swapped under a running server without restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, cli, assertError, waitFor } from '../lib/server.mjs';

let srv, agent, fen, sup, models;

// `alo153 train` names the model file by the second of its clock (ALO153_NOW when pinned), so
// pinned, distinct clocks give the two trainings distinct names without waiting for the clock.
const FIRST_MODEL = 'route-20260101T000000Z.model';
const SECOND_MODEL = 'route-20260102T000000Z.model';

before(async () => {
    models = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-models-'));
    await cli(['train', '--no-db', '--corpus', 'data/corpus', '--models', models], { env: { ALO153_NOW: '2026-01-01T00:00:00Z' }, timeoutMs: 240000 });
    srv = await startServer({ demoSize: 40, env: { ALO153_MODELS: models } });
    agent = await login(srv.url, 'agent');
    fen = await login(srv.url, 'fen');
    sup = await login(srv.url, 'supervisor');
});

after(async () => {
    await srv?.stop();
    srv?.cleanup();
    fs.rmSync(models, { recursive: true, force: true });
});

test('classify suggests the department and category with probabilities', async () => {
    const r = await agent.post('/api/v1/classify', { text: 'Sokağımızdaki çöpler üç gündür alınmadı, her yer kokuyor' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.suggestions.length, 3);
    assert.equal(r.body.suggestions[0].department, 'CEVRE');
    assert.equal(r.body.suggestions[0].category, 'CEV_COP_TOPLAMA');
    assert.ok(r.body.suggestions[0].probability > r.body.suggestions[1].probability);
    assert.equal(typeof r.body.suggestions[0].category_name, 'string');
    assert.equal(r.body.confident, true);
    assert.equal(r.body.urgent, false);
    assert.equal(r.body.model, FIRST_MODEL);
});

test('classify reads text without Turkish letters and in capitals', async () => {
    for (const text of ['cop toplanmadi 3 gundur', 'ÇÖPLER TOPLANMADI']) {
        const r = await agent.post('/api/v1/classify', { text });
        assert.equal(r.status, 200);
        assert.equal(r.body.suggestions[0].department, 'CEVRE', `${text}: ${JSON.stringify(r.body.suggestions[0])}`);
    }
});

test('urgent words are flagged, and DIS names the institution to turn to', async () => {
    const r = await agent.post('/api/v1/classify', { text: 'Binanın girişinde çok yoğun doğalgaz kokusu var' });
    assert.equal(r.status, 200);
    assert.equal(r.body.urgent, true);
    assert.equal(r.body.urgent_rule, 'gas_smell');
    assert.ok(r.body.urgent_words.some((w) => /gaz/i.test(w)), JSON.stringify(r.body.urgent_words));
    assert.equal(r.body.suggestions[0].department, 'DIS');
    assert.match(r.body.redirect, /187/);
});

test('classify refuses bad input', async () => {
    assertError(await agent.post('/api/v1/classify', { text: '' }), 400, 'invalid_field', 'text');
    assertError(await agent.post('/api/v1/classify', { text: '   ' }), 400, 'invalid_field', 'text');
    assertError(await agent.post('/api/v1/classify', {}), 400, 'missing_field', 'text');
    assertError(await agent.post('/api/v1/classify', { text: 'a'.repeat(100 * 1024) }), 400, 'too_long', 'text');
    assertError(await agent.post('/api/v1/classify', { text: 5 }), 400, 'invalid_type', 'text');
    const bad = Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const r = await agent.raw('/api/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bad });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    const anon = await fetch(srv.url + '/api/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"çukur"}' });
    assert.equal(anon.status, 401);
});

test('creation stores the suggestion; a confident one routes at once, an unsure one stays new', async () => {
    const sure = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Evimizin önündeki yolda kocaman bir çukur açıldı, araçlar zarar görüyor' });
    assert.equal(sure.status, 201, JSON.stringify(sure.body));
    assert.equal(sure.body.routing.suggestions[0].department, 'FEN');
    assert.equal(sure.body.status, 'forwarded');
    assert.equal(sure.body.department, 'FEN');
    assert.ok(sure.body.resolution_due);

    const unsure = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'merhaba bir şey soracaktım' });
    assert.equal(unsure.status, 201, JSON.stringify(unsure.body));
    assert.equal(unsure.body.routing.confident, false);
    assert.equal(unsure.body.status, 'new');
    assert.equal(unsure.body.department, null);

    /* an explicit category always wins over the suggestion */
    const chosen = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Yolda çukur var', category: 'ZAB_SEYYAR' });
    assert.equal(chosen.body.category, 'ZAB_SEYYAR');
    assert.equal(chosen.body.status, 'new');
});

test('below the model\'s calibrated threshold a suggestion is not confident and the application stays new', async () => {
    /* vague texts: the model's best guess for them lies well above 0 but under the threshold */
    const vague = ['şu sorunla ilgili', 'mahallede sorun var', 'ne zaman düzelecek', 'belediyeye ulaşmak istiyorum', 'bu konuda bilgi almak istiyorum'];
    let middle = 0, thr = null;
    for (const text of vague) {
        const c = await agent.post('/api/v1/classify', { text });
        assert.equal(c.status, 200, JSON.stringify(c.body));
        /* train calibrates on data/eval/heldout.tsv and stores the threshold chosen there
         * (docs/ROUTING.md), not the uncalibrated default 0.40 */
        thr ??= c.body.threshold;
        assert.equal(c.body.threshold, thr);
        assert.ok(thr > 0.4 && thr < 0.95, `threshold ${thr}`);
        const p = c.body.suggestions[0].probability;
        assert.equal(c.body.confident, p >= thr, `${text}: p=${p}`);
        if (p >= 0.1 && p < thr) middle++;
        if (p >= thr) continue;
        const a = await agent.post('/api/v1/applications', { channel: 'phone_153', text });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        assert.equal(a.body.routing.confident, false, `${text}: ${JSON.stringify(a.body.routing.suggestions[0])}`);
        assert.equal(a.body.status, 'new', text);
        assert.equal(a.body.department, null, text);
    }
    /* the test means something only if some guesses sit between 0.1 and the threshold */
    assert.ok(middle >= 2, `only ${middle} of the vague texts scored between 0.1 and the threshold: choose new ones for this model`);
});

test('urgent words raise the priority and leave an internal note', async () => {
    const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Okulun önündeki rögar kapağı açık, çocuklar düşecek', priority: 'low' });
    assert.equal(r.status, 201);
    assert.equal(r.body.priority, 'urgent');
    const full = await agent.get(`/api/v1/applications/${r.body.id}`);
    const note = full.body.history.find((e) => e.action === 'urgent');
    assert.ok(note, JSON.stringify(full.body.history));
    assert.match(note.note, /rögar/);
    assert.equal(note.public, false);
});

test('repeats: the same problem in the same neighbourhood is offered as a duplicate', async () => {
    const nbs = await agent.get('/api/v1/districts');
    const melikgazi = nbs.body.items.find((d) => d.name === 'Melikgazi');
    const list = await agent.get(`/api/v1/districts/${melikgazi.id}/neighbourhoods`);
    const nb = list.body.items[0].id;
    const body = { channel: 'phone_153', category: 'CEV_COP_TOPLAMA', district_id: melikgazi.id, neighbourhood_id: nb };
    const first = await agent.post('/api/v1/applications', { ...body, text: 'Sokağımızdaki çöp konteyneri taştı, çöpler alınmadı' });
    assert.equal(first.status, 201);
    const second = await agent.post('/api/v1/applications', { ...body, text: 'çöpler alınmadı konteyner taştı' });
    assert.equal(second.status, 201);
    assert.ok(second.body.possible_duplicates.some((d) => d.id === first.body.id), JSON.stringify(second.body.possible_duplicates));
    const sim = await agent.get(`/api/v1/applications/similar?category=CEV_COP_TOPLAMA&district_id=${melikgazi.id}&neighbourhood_id=${nb}&text=${encodeURIComponent('çöpler alınmadı')}`);
    assert.equal(sim.status, 200);
    assert.ok(sim.body.items.some((a) => a.id === first.body.id));
    /* within 150 m with coordinates, even with different words */
    const g1 = await agent.post('/api/v1/applications', { channel: 'phone_153', category: 'FEN_YOL_CUKUR', text: 'asfalt göçtü', lat: 38.7205, lon: 35.4826 });
    const g2 = await agent.post('/api/v1/applications', { channel: 'phone_153', category: 'FEN_YOL_CUKUR', text: 'yolda derin oyuk var', lat: 38.7212, lon: 35.4830 });
    assert.ok(g2.body.possible_duplicates.some((d) => d.id === g1.body.id && d.distance_m < 150), JSON.stringify(g2.body.possible_duplicates));
    const far = await agent.post('/api/v1/applications', { channel: 'phone_153', category: 'FEN_YOL_CUKUR', text: 'asfalt göçtü', lat: 38.7305, lon: 35.4826 });
    assert.ok(!far.body.possible_duplicates.some((d) => d.id === g1.body.id));
    assertError(await agent.get('/api/v1/applications/similar?category=NOPE'), 400, 'invalid_field', 'category');
    assertError(await agent.get('/api/v1/applications/similar?category=FEN_YOL_CUKUR&lat=91&lon=3'), 400, 'invalid_field');
    /* department staff only see their own department's candidates */
    const zab = await fen.get(`/api/v1/applications/similar?category=CEV_COP_TOPLAMA&district_id=${melikgazi.id}&neighbourhood_id=${nb}`);
    assert.equal(zab.body.items.length, 0);
});

test('routing quality compares the suggestion with the final category', async () => {
    const r = await sup.get('/api/v1/routing/quality?from=2020-01-01');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.with_suggestion >= 4);
    assert.ok(r.body.routed >= 3);
    assert.ok(r.body.department_correct <= r.body.routed);
    /* the explicit ZAB_SEYYAR choice above disagrees with its FEN suggestion */
    assert.ok(r.body.department_accuracy < 1, JSON.stringify(r.body));
    assert.ok(r.body.by_department.FEN.n >= 1);
    assertError(await sup.get('/api/v1/routing/quality?from=yesterday'), 400, 'invalid_field', 'from');
    assertError(await agent.get('/api/v1/routing/quality'), 403, 'forbidden');
});

test('a new model is picked up without a restart', async () => {
    const before = await agent.post('/api/v1/classify', { text: 'su yok' });
    assert.equal(before.body.model, FIRST_MODEL);
    await cli(['train', '--no-db', '--corpus', 'data/corpus', '--models', models], { env: { ALO153_NOW: '2026-01-02T00:00:00Z' }, timeoutMs: 240000 });
    assert.equal(fs.readFileSync(path.join(models, 'current'), 'utf8').trim(), SECOND_MODEL);
    // the server looks at MODELS/current at most once a second: ask until it answers with the
    // new model (a bounded number of tries, not a sleep)
    const r = await waitFor(async () => {
        const x = await agent.post('/api/v1/classify', { text: 'su yok' });
        assert.equal(x.status, 200, JSON.stringify(x.body));
        return x.body.model === SECOND_MODEL && x;
    }, { tries: 300, delayMs: 20, what: `classify answering with ${SECOND_MODEL}` });
    assert.equal(r.body.suggestions[0].department, 'SU');
    assert.match(srv.stderr(), new RegExp(`msg="routing model loaded" model=${SECOND_MODEL.replace(/\./g, '\\.')}`));
    /* and it stays: the next request does not reload or fall back */
    assert.equal((await agent.post('/api/v1/classify', { text: 'su yok' })).body.model, SECOND_MODEL);
});
