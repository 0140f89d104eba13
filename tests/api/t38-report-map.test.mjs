// t38: the report's places (issue 11): applications by district with the population and the
// applications per 10,000 inhabitants (reference figures, an administrator's figure through
// POST /api/v1/districts), by neighbourhood under "District / Neighbourhood", in JSON and CSV;
// bad population input is refused and changes nothing; satisfaction is null (no survey answers),
// never 0, and no satisfaction table appears.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError } from '../lib/server.mjs';

const NOW = '2026-03-15T09:00:00Z'; // the demo's 180 days end here
const P = 'from=2025-09-01&to=2026-03-15';
// the reference figures of src/report/population.c for Kayseri
const REF = { Melikgazi: 586500, Kocasinan: 410100, Talas: 177500, Develi: 65200 };

const per10k = (n, pop) => Math.round((n * 10000 / pop) * 100) / 100;

describe('t38 report by district and neighbourhood', { timeout: 60000 }, () => {
    let srv;
    let admin;
    let sup;

    before(async () => {
        srv = await startServer({ demoSize: 300, env: { ALO153_NOW: NOW } });
        admin = await login(srv.url, 'admin');
        sup = await login(srv.url, 'supervisor');
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    async function districts() {
        const r = await sup.get(`/api/v1/reports/summary?${P}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const tb = r.body.tables.find((t) => t.name === 'by_district');
        assert.deepEqual(tb.columns.map((c) => [c.key, c.type]), [['applications', 'int'], ['population', 'int'], ['per_10k', 'num']]);
        return { body: r.body, rows: Object.fromEntries(tb.rows.map((x) => [x.label, x.values])) };
    }

    it('per 10,000 inhabitants from the reference populations; no place: null, not 0', async () => {
        const { body, rows } = await districts();
        const withApps = Object.keys(rows).filter((k) => k in REF);
        assert.ok(withApps.length >= 2, `the demo has applications in ${Object.keys(rows)}`);
        for (const name of withApps) {
            const [n, pop, per] = rows[name];
            assert.equal(pop, REF[name], name);
            assert.equal(per, per10k(n, REF[name]), name);
        }
        // the districts' counts add up to the applications
        const total = Object.values(rows).reduce((s, v) => s + v[0], 0);
        assert.equal(total, body.applications.total);
        if (rows['Belirtilmemiş']) assert.deepEqual(rows['Belirtilmemiş'].slice(1), [null, null]);
        // neighbourhoods carry their district
        const nb = body.tables.find((t) => t.name === 'by_neighbourhood');
        assert.ok(nb.rows.length > 0);
        for (const r of nb.rows) assert.match(r.label, /^[^/]+ \/ .+$/, r.label);
        // satisfaction: no survey answers → null and no table, never 0
        assert.equal(body.satisfaction, null);
        assert.deepEqual(body.tables.filter((t) => t.name.startsWith('satisfaction')), []);
        // GET /districts shows the population too
        const d = await sup.get('/api/v1/districts');
        assert.equal(d.body.items.find((x) => x.name === 'Melikgazi').population, REF.Melikgazi);
    });

    it('an administrator corrects a population; bad input is refused and changes nothing', async () => {
        const d0 = await districts();
        const [n] = d0.rows.Melikgazi;
        const r = await admin.post('/api/v1/districts', { name: 'Melikgazi', population: 600000 });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.population, 600000);
        let d = await districts();
        assert.deepEqual(d.rows.Melikgazi, [n, 600000, per10k(n, 600000)]);
        // CSV: the population and the decimal comma
        const csv = await sup.get(`/api/v1/reports/export?${P}&format=csv&table=by_district`);
        assert.equal(csv.status, 200);
        const line = String(csv.body).split('\r\n').find((l) => l.includes(';Melikgazi;'));
        assert.equal(line.split(';').slice(2).join(';'), `${n};600000;${String(per10k(n, 600000)).replace('.', ',')}`);
        // refused, nothing changed
        assertError(await admin.post('/api/v1/districts', { name: 'Melikgazi', population: -5 }), 400, 'invalid_field', 'population');
        assertError(await admin.post('/api/v1/districts', { name: 'Melikgazi', population: 30000001 }), 400, 'invalid_field', 'population');
        assertError(await admin.post('/api/v1/districts', { name: 'Melikgazi', population: '600000' }), 400, 'invalid_type', 'population');
        assertError(await sup.post('/api/v1/districts', { name: 'Melikgazi', population: 1 }), 403, 'forbidden');
        d = await districts();
        assert.deepEqual(d.rows.Melikgazi, [n, 600000, per10k(n, 600000)]);
        // 0: back to the reference figure
        assert.equal((await admin.post('/api/v1/districts', { name: 'Melikgazi', population: 0 })).body.population, REF.Melikgazi);
        d = await districts();
        assert.deepEqual(d.rows.Melikgazi, [n, REF.Melikgazi, per10k(n, REF.Melikgazi)]);
        // a new district has no population until one is given: null
        const x = await admin.post('/api/v1/districts', { name: 'Yeni İlçe' });
        assert.equal(x.status, 201);
        assert.equal(x.body.population, null);
    });
});
