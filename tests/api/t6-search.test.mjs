// t6: full-text search (?q=) folds Turkish letters and case, and stems suffixes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login } from '../lib/server.mjs';

describe('t6 search', { timeout: 60000 }, () => {
    let srv, agent, fen, admin;
    const app = {};

    before(async () => {
        srv = await startServer();
        [agent, fen, admin] = await Promise.all(['agent', 'fen', 'admin'].map((u) => login(srv.url, u)));
        const texts = {
            cukur: 'Sokakta büyük ÇUKURLAR var',
            ilaclama: 'ILAÇLAMA yapılmadı',
            isik: 'Parkta IŞIK yanmıyor',
        };
        for (const [k, text] of Object.entries(texts)) {
            const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text });
            assert.equal(r.status, 201, JSON.stringify(r.body));
            app[k] = r.body;
        }
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    async function search(q, who = agent) {
        const r = await who.get(`/api/v1/applications?limit=500&q=${encodeURIComponent(q)}`);
        assert.equal(r.status, 200, `q=${q}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body.items.map((a) => a.id);
    }
    function finds(key, queries, others) {
        for (const q of queries) {
            it(`"${q}" finds "${key}"`, async () => {
                const ids = await search(q);
                assert.ok(ids.includes(app[key].id), `q=${q} → ${JSON.stringify(ids)} should include ${app[key].id} (${app[key].text})`);
                for (const o of others) assert.ok(!ids.includes(app[o].id), `q=${q} should not find ${app[o].text}`);
            });
        }
    }

    finds('cukur', ['çukur', 'cukur', 'ÇUKUR', 'çukurlar', 'Çukuru', 'CUKUR', 'çukurları'], ['ilaclama', 'isik']);
    finds('ilaclama', ['ilaçlama', 'ILAÇLAMA', 'ilaclama', 'İLAÇLAMA', 'Ilaçlama'], ['cukur', 'isik']);
    finds('isik', ['ışık', 'IŞIK', 'isik', 'Işık', 'ışıklar', 'ISIK'], ['cukur', 'ilaclama']);

    it('several words must all match', async () => {
        const both = await search('parkta ışık');
        assert.ok(both.includes(app.isik.id));
        const mixed = await search('ışık çukur');
        assert.ok(!mixed.includes(app.isik.id) && !mixed.includes(app.cukur.id), JSON.stringify(mixed));
    });

    it('a word found nowhere gives an empty list', async () => {
        assert.deepEqual(await search('zürafaxyzq'), []);
    });

    it('search combines with the other filters and pagination', async () => {
        const ids = await search('çukur');
        const withStatus = (await agent.get(`/api/v1/applications?limit=500&status=new&q=${encodeURIComponent('çukur')}`)).body.items;
        assert.ok(withStatus.some((a) => a.id === app.cukur.id));
        for (const a of withStatus) assert.equal(a.status, 'new');
        const paged = [];
        let after = null;
        for (let i = 0; i < 100; i++) {
            const r = await agent.get(`/api/v1/applications?limit=2&q=${encodeURIComponent('çukur')}${after ? `&after=${after}` : ''}`);
            assert.equal(r.status, 200);
            paged.push(...r.body.items.map((a) => a.id));
            if (r.body.next === null) break;
            after = r.body.next;
        }
        assert.deepEqual(paged, ids, 'paging a search walks the same results');
    });

    it('search still finds an application after its status changed', async () => {
        const r = await agent.post(`/api/v1/applications/${app.cukur.id}/route`, { category: 'FEN_YOL_CUKUR' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        await agent.post(`/api/v1/applications/${app.cukur.id}/note`, { note: 'Tekrar arandı' });
        const ids = await search('çukur');
        assert.equal(ids.filter((x) => x === app.cukur.id).length, 1, JSON.stringify(ids));
        const viaFen = await search('cukurlar', fen);
        assert.ok(viaFen.includes(app.cukur.id), 'FEN staff find it in their department');
        const fenIsik = await search('ışık', fen);
        assert.ok(!fenIsik.includes(app.isik.id), 'FEN staff do not find applications outside their department');
    });

    it('FTS syntax in the query is treated as text, never a 500', async () => {
        for (const q of ['"', '"çukur', 'çukur"', 'çukur*', '*', 'AND', 'OR çukur', 'NOT', 'NEAR(çukur ışık)', 'a:b', '(', ')', '^çukur', '-çukur', '+', '\'', '\\', '%', 'çukur OR ışık', '{text}:çukur', '🚧', 'ç']) {
            const r = await admin.get(`/api/v1/applications?q=${encodeURIComponent(q)}`);
            assert.ok(r.status === 200 || r.status === 400, `q=${q}: ${r.status} ${JSON.stringify(r.body)}`);
            if (r.status === 400) assert.equal(r.body.error.field, 'q', JSON.stringify(r.body));
        }
        const or = await search('çukur OR ışık');
        assert.ok(!or.includes(app.isik.id) || or.includes(app.cukur.id), 'OR is a word, not an operator, or both match');
    });

    it('an invalid UTF-8 search is 400 field q', async () => {
        const r = await admin.get('/api/v1/applications?q=%FF%FEabc');
        assert.equal(r.status, 400, `${r.status} ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, 'q');
    });
});
