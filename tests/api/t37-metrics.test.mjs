// t37: GET /metrics (issue 12, operations): Prometheus text format for an admin session or
// for the addresses of serve --metrics-allow, nobody else; requests by route and status
// class, a latency histogram per route that adds up, the open and overdue applications as
// GET /api/v1/stats counts them. The format is checked line by line against the exposition
// format's grammar (HELP and TYPE before the samples of each family).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, login, client, assertError, isPg, BIN } from '../lib/server.mjs';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+]+|\+Inf|NaN)$/;

/** Parse the exposition text: {family: {type, samples: [{name, labels, value}]}}; asserts the grammar. */
function parse(text) {
    const fam = {};
    let current = null;
    for (const line of text.split('\n')) {
        if (!line) continue;
        let m;
        if ((m = line.match(/^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/))) {
            assert.ok(!fam[m[1]], `${m[1]} described twice`);
            fam[m[1]] = { samples: [] };
            current = m[1];
        } else if ((m = line.match(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$/))) {
            assert.equal(m[1], current, `TYPE of ${m[1]} right after its HELP`);
            fam[m[1]].type = m[2];
        } else {
            m = line.match(SAMPLE);
            assert.ok(m, `not a sample line: ${line}`);
            const name = m[1];
            assert.ok(current && (name === current || name.startsWith(`${current}_`)), `${name} outside its family ${current}`);
            const labels = {};
            for (const [, k, v] of (m[2] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
            fam[current].samples.push({ name, labels, value: Number(m[3]) });
        }
    }
    return fam;
}

const one = (fam, name, labels = {}) => {
    const s = fam.samples.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
    assert.equal(s.length, 1, `${name} ${JSON.stringify(labels)}: ${s.length} samples`);
    return s[0].value;
};

describe('t37 metrics', { timeout: 120000 }, () => {
    let srv;
    after(async () => {
        if (srv) { await srv.stop(); srv.cleanup(); }
    });

    it('admins only, unless scraped from an allowed address; the counters add up', async () => {
        srv = await startServer({ demoSize: 30, env: { ALO153_METRICS_ALLOW: '10.9.0.0/16' } });
        assertError(await client(srv.url).get('/metrics'), 401, 'unauthorized');
        const agent = await login(srv.url, 'agent');
        assertError(await agent.get('/metrics'), 403, 'forbidden');
        const admin = await login(srv.url, 'admin');

        for (let i = 0; i < 3; i++) assert.equal((await agent.get('/api/v1/categories')).status, 200);
        assertError(await agent.get('/api/v1/applications/999999'), 404);
        const stats = (await admin.get('/api/v1/stats')).body;

        const r = await admin.get('/metrics');
        assert.equal(r.status, 200, String(r.body));
        assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
        const fam = parse(r.body);
        const req = fam.alo153_http_requests_total, dur = fam.alo153_http_request_duration_seconds;
        assert.equal(req.type, 'counter');
        assert.equal(dur.type, 'histogram');
        assert.equal(one(req, 'alo153_http_requests_total', { method: 'GET', route: '/api/v1/categories', code: '2xx' }), 3);
        assert.equal(one(req, 'alo153_http_requests_total', { method: 'GET', route: '/api/v1/applications/:id', code: '4xx' }), 1);
        assert.equal(one(req, 'alo153_http_requests_total', { method: 'GET', route: '/metrics', code: '4xx' }), 2, 'the refused scrapes');
        // every route's histogram: cumulative buckets, +Inf = _count = its answers
        const routes = new Set(dur.samples.map((s) => `${s.labels.method} ${s.labels.route}`));
        for (const key of routes) {
            const [method, route] = key.split(' ');
            const buckets = dur.samples.filter((s) => s.name.endsWith('_bucket') && s.labels.route === route && s.labels.method === method);
            for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i].value >= buckets[i - 1].value, `${key} cumulative`);
            assert.equal(buckets.at(-1).labels.le, '+Inf');
            const count = one(dur, 'alo153_http_request_duration_seconds_count', { method, route });
            assert.equal(buckets.at(-1).value, count, key);
            const answered = req.samples.filter((s) => s.labels.route === route && s.labels.method === method).reduce((a, s) => a + s.value, 0);
            assert.equal(count, answered, `${key}: histogram count = answers`);
        }
        assert.equal(one(fam.alo153_applications_open, 'alo153_applications_open'), stats.open);
        assert.equal(one(fam.alo153_applications_overdue, 'alo153_applications_overdue'), stats.overdue);
        if (isPg(srv.db)) assert.equal(fam.alo153_database_size_bytes, undefined, 'PostgreSQL reports its own size');
        else assert.ok(one(fam.alo153_database_size_bytes, 'alo153_database_size_bytes') > 100000);
        assert.equal(fam.alo153_start_time_seconds?.type, 'gauge', `families: ${Object.keys(fam).join(' ')}`);
    });

    it("SQLite's single writer: its batches, what they carried and where its time went", async () => {
        const admin = await login(srv.url, 'admin');
        const agent = await login(srv.url, 'agent');
        const writer = async () => {
            const fam = parse((await admin.get('/metrics')).body);
            const v = {};
            for (const k of ['commits', 'failed_commits', 'transactions', 'views']) {
                const f = fam[`alo153_db_writer_${k}_total`];
                if (!f) return null;
                assert.equal(f.type, 'counter');
                v[k] = one(f, `alo153_db_writer_${k}_total`);
            }
            for (const k of ['held', 'commit', 'handoff']) {
                const f = fam[`alo153_db_writer_${k}_seconds_total`];
                assert.equal(f.type, 'counter');
                v[k] = one(f, `alo153_db_writer_${k}_seconds_total`);
            }
            return v;
        };
        const before = await writer();
        if (isPg(srv.db)) {
            assert.equal(before, null, 'PostgreSQL has no single writer: its own statistics say where writes go');
            return;
        }
        assert.ok(before, 'the writer families are there on SQLite');
        // 24 creations at once, and 6 reads of applications with a citizen (each logs a view)
        const made = await Promise.all(Array.from({ length: 24 }, (_, i) => agent.post('/api/v1/applications', {
            channel: 'phone_153', category: 'FEN_YOL_CUKUR', text: `Sokakta çukur var, metrik ${i}`,
        })));
        for (const m of made) assert.equal(m.status, 201, JSON.stringify(m.body));
        const list = (await agent.get('/api/v1/applications?limit=100')).body.items.filter((a) => a.citizen_id);
        assert.ok(list.length >= 6, 'the demo has applications with a citizen');
        for (const a of list.slice(0, 6)) assert.equal((await agent.get(`/api/v1/applications/${a.id}`)).status, 200);
        const after = await writer();
        const d = (k) => after[k] - before[k];
        assert.ok(d('transactions') >= 24, `24 creations committed: ${d('transactions')}`);
        assert.ok(d('views') >= 6, `6 views committed: ${d('views')}`);
        assert.ok(d('commits') >= 1 && d('commits') <= d('transactions') + d('views'), `batches: ${d('commits')}`);
        assert.equal(d('failed_commits'), 0);
        assert.ok(d('commit') > 0 && d('held') >= d('commit'), `COMMIT time within the held time: ${d('commit')} of ${d('held')}`);
        assert.ok(d('handoff') >= 0 && after.held < 3600, 'seconds, not nanoseconds');
    });

    it('a Prometheus server at an allowed address needs no session; a bad list stops serve', async () => {
        await srv.stop();
        await srv.restart({ env: { ALO153_METRICS_ALLOW: '10.9.0.0/16, 127.0.0.1/32' } });
        const r = await client(srv.url).get('/metrics');
        assert.equal(r.status, 200, String(r.body));
        assert.ok(parse(r.body).alo153_http_requests_total);
        const bad = spawnSync(BIN, ['serve', '--db', srv.db, '--listen', '127.0.0.1:0', '--metrics-allow', '10.9.0.0/99'], { encoding: 'utf8', timeout: 20000 });
        assert.equal(bad.status, 2, bad.stderr);
        assert.match(bad.stderr, /--metrics-allow/);
    });
});
