// t65: GET /metrics judged by Debian's own checker, `promtool check metrics` (package
// prometheus; make setup installs it, ALO153_PROMTOOL names another binary). promtool parses
// the text with Prometheus's parser (exit 1 on a syntax error) and lints it (exit 3: HELP
// missing, a counter without _total, units not in base units, …); it must answer 0 with no
// remark. First the checker itself is shown to refuse broken text, so a missing or silent
// promtool cannot pass this file. Then a server with traffic, a routing model whose file name
// needs escaping, queued messages and applications in every open status is scraped: every
// family issue 12 lists is there with its type, and the new ones count what the API says.
// Time is pinned (ALO153_NOW); nothing is decided by the clock.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, client, cli, isPg } from '../lib/server.mjs';
import { writeTinyCorpus } from '../lib/tiny-corpus.mjs';

const PROMTOOL = process.env.ALO153_PROMTOOL || 'promtool';
const NOW = '2026-03-02T09:00:00Z';
// a quote and a backslash: both must be escaped in the label value, or promtool refuses
const MODEL = 'route "2026\\03".model';

/** promtool check metrics on text: {status, out} (stdout and stderr together). */
function promtool(text) {
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20000 });
    if (r.error) throw new Error(`${PROMTOOL}: ${r.error.message} (apt-get install prometheus; make setup)`);
    return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

/** The samples of the text: [{name, labels, value}], label values unescaped; families' types. */
function samples(text) {
    const out = [], types = {};
    for (const line of text.split('\n')) {
        let m;
        if ((m = line.match(/^# TYPE (\S+) (\S+)$/))) types[m[1]] = m[2];
        if (!line || line.startsWith('#')) continue;
        m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
        assert.ok(m, `sample line: ${line}`);
        const labels = {};
        for (const [, k, v] of (m[2] || '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g))
            labels[k] = v.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
        out.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return { out, types };
}

function value(s, name, labels = {}) {
    const hit = s.out.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
    assert.equal(hit.length, 1, `${name} ${JSON.stringify(labels)}: ${hit.length} samples`);
    return hit[0].value;
}

describe('t65 metrics under promtool', { timeout: 60000 }, () => {
    let srv, admin, agent, tmp;
    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t65-'));
        const tiny = writeTinyCorpus(tmp);
        const models = path.join(tmp, 'models');
        await cli(['train', '--config', 'none', '--no-db', '--corpus', tiny.corpus, '--models', models], { env: { ALO153_NOW: NOW } });
        const trained = fs.readFileSync(path.join(models, 'current'), 'utf8').trim();
        fs.copyFileSync(path.join(models, trained), path.join(models, MODEL));
        fs.writeFileSync(path.join(models, 'current'), `${MODEL}\n`);
        srv = await startServer({ demoSize: 30, env: { ALO153_NOW: NOW, ALO153_MODELS: models } });
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
    });
    after(async () => {
        if (srv) { await srv.stop(); srv.cleanup(); }
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('promtool is here and refuses broken exposition text', () => {
        const good = '# HELP x_total Things.\n# TYPE x_total counter\nx_total{a="b"} 1\n';
        assert.deepEqual(promtool(good), { status: 0, out: '' });
        const bad = {
            'a counter without _total': good.replaceAll('x_total', 'x'),
            'no HELP': good.split('\n').slice(1).join('\n'),
            'an unescaped quote in a label': good.replace('a="b"', 'a="b"c"'),
            'a sample outside the number syntax': good.replace('} 1', '} one'),
            'milliseconds instead of seconds': '# HELP d_milliseconds D.\n# TYPE d_milliseconds gauge\nd_milliseconds 3\n',
        };
        for (const [what, text] of Object.entries(bad))
            assert.notEqual(promtool(text).status, 0, `promtool accepted ${what}`);
    });

    it('the scrape of a busy server passes promtool with every family of issue 12', async () => {
        for (let i = 0; i < 3; i++) assert.equal((await agent.get('/api/v1/categories')).status, 200);
        assert.equal((await agent.get('/api/v1/applications/999999')).status, 404);
        assert.equal((await client(srv.url).get('/api/v1/me')).status, 401);
        const before = samples((await admin.get('/metrics')).body);

        // one new application of a citizen with a phone and an e-mail: two messages queued
        // (no transport is configured, so they stay pending or sending: the depth)
        const c = await agent.post('/api/v1/citizens', { name: 'Metrik Vatandaş', phone: '05321112233', email: 'metrik@example.com' });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        const a = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Parktaki salıncak kırık, çocuklar için tehlikeli', citizen_id: c.body.id });
        assert.equal(a.status, 201, JSON.stringify(a.body));

        const r = await admin.get('/metrics');
        assert.equal(r.status, 200, String(r.body));
        const check = promtool(r.body);
        assert.deepEqual(check, { status: 0, out: '' }, `promtool on the scrape:\n${check.out}`);

        const s = samples(r.body);
        const want = {
            alo153_http_requests_total: 'counter', alo153_http_request_duration_seconds: 'histogram',
            alo153_applications_open: 'gauge', alo153_applications_open_by_status: 'gauge',
            alo153_applications_overdue: 'gauge', alo153_outbox_messages: 'gauge', alo153_outbox_depth: 'gauge',
            alo153_routing_model_loaded: 'gauge', alo153_routing_model_info: 'gauge', alo153_start_time_seconds: 'gauge',
            alo153_metrics_store_ok: 'gauge',
        };
        if (!isPg(srv.db)) want.alo153_database_size_bytes = 'gauge';
        for (const [name, type] of Object.entries(want)) assert.equal(s.types[name], type, name);

        // requests by route and status class, and their latency histogram
        assert.equal(value(s, 'alo153_http_requests_total', { method: 'GET', route: '/api/v1/categories', code: '2xx' }), 3);
        assert.equal(value(s, 'alo153_http_requests_total', { method: 'GET', route: '/api/v1/me', code: '4xx' }), 1);
        assert.equal(value(s, 'alo153_http_request_duration_seconds_bucket', { method: 'GET', route: '/api/v1/categories', le: '+Inf' }), 3);
        assert.equal(value(s, 'alo153_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/categories' }), 3);

        // open applications by status: they add up to the open total, and the new one is counted
        const open = ['new', 'forwarded', 'in_progress'].map((st) => value(s, 'alo153_applications_open_by_status', { status: st }));
        assert.equal(open.reduce((x, y) => x + y, 0), value(s, 'alo153_applications_open'));
        const grew = a.body.status;
        assert.equal(value(s, 'alo153_applications_open_by_status', { status: grew }),
            value(before, 'alo153_applications_open_by_status', { status: grew }) + 1, `a new ${grew} application`);
        assert.equal(value(s, 'alo153_applications_open'), (await admin.get('/api/v1/stats')).body.open);

        // the outbox: its depth is what the outbox API counts as pending or sending, +2 now
        const counts = (await admin.get('/api/v1/outbox')).body.counts;
        const depth = value(s, 'alo153_outbox_depth');
        assert.equal(depth, (counts.pending || 0) + (counts.sending || 0), JSON.stringify(counts));
        assert.equal(depth, value(before, 'alo153_outbox_depth') + 2);
        assert.equal(value(s, 'alo153_outbox_messages', { state: 'pending' }) + value(s, 'alo153_outbox_messages', { state: 'sending' }), depth);
        assert.equal(value(s, 'alo153_outbox_messages', { state: 'dead' }), 0);

        // the model in use, its file name unescaped back exactly
        assert.equal(value(s, 'alo153_routing_model_loaded'), 1);
        assert.equal(value(s, 'alo153_routing_model_info', { model: MODEL }), 1);
        assert.equal(value(s, 'alo153_metrics_store_ok'), 1);
        if (!isPg(srv.db)) assert.ok(value(s, 'alo153_database_size_bytes') > 100000);
    });
});
