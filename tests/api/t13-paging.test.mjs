// t13: keyset paging where ties cross page boundaries. The clock is pinned (ALO153_NOW), so every
// application is created in the same second; four groups share a deadline each (three categories
// with different deadlines, and one group with none, which sorts last). Walking every page with
// small limits must give exactly the applications created, each once, in the exact order:
//   sort=newest (default)  id descending
//   sort=due               resolution_due ascending (none last), then id ascending
// and the same for a search (q=) and for a department's own view.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login } from '../lib/server.mjs';

const NOW = '2026-03-10T09:00:00Z';
const GROUPS = ['FEN_YOL_CUKUR', null, 'ZAB_SEYYAR', 'CEV_COP_TOPLAMA']; // created interleaved
const PER_GROUP = 12;
const MATCH_TEXTS = ['Kaldırım taşları kırık', 'KALDIRIM çökmüş', 'kaldirim bozuk, yürünmüyor'];
const OTHER_TEXT = 'Park lambası yanmıyor';

describe('t13 keyset paging with ties', { timeout: 60000 }, () => {
    let srv, agent, fen;
    const made = []; // {id, due (ms or Infinity), match, group}

    before(async () => {
        srv = await startServer({ demo: true, demoSize: 0, env: { ALO153_NOW: NOW } });
        agent = await login(srv.url, 'agent');
        fen = await login(srv.url, 'fen');
        const empty = await agent.get('/api/v1/applications?limit=500');
        assert.deepEqual(empty.body.items, [], 'demo size 0 starts without applications');
        for (let i = 0; i < PER_GROUP; i++) {
            for (const category of GROUPS) {
                const match = i % 3 !== 2;
                const text = match ? MATCH_TEXTS[i % 3] : OTHER_TEXT;
                const body = category
                    ? { channel: 'desk', text, category, route: true }
                    : { channel: 'desk', text };
                const r = await agent.post('/api/v1/applications', body);
                assert.equal(r.status, 201, JSON.stringify(r.body));
                assert.equal(r.body.created_at, NOW, 'the clock is pinned: every created_at collides');
                assert.equal(r.body.status, category ? 'forwarded' : 'new', JSON.stringify(r.body));
                made.push({
                    id: r.body.id,
                    due: r.body.resolution_due ? Date.parse(r.body.resolution_due) : Infinity,
                    match,
                    group: category,
                });
            }
        }
        // the groups really tie: one deadline per group, four different ones
        for (const g of GROUPS) {
            const dues = new Set(made.filter((a) => a.group === g).map((a) => a.due));
            assert.equal(dues.size, 1, `group ${g} shares one deadline`);
        }
        assert.equal(new Set(made.map((a) => a.due)).size, GROUPS.length, 'each group has its own deadline');
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const newest = (list) => list.map((a) => a.id).sort((x, y) => y - x);
    const byDue = (list) => [...list].sort((x, y) => (x.due === y.due ? x.id - y.id : x.due < y.due ? -1 : 1)).map((a) => a.id);

    /** Walk every page of `query` with `limit`; asserts page sizes and the cursor type. */
    async function walk(who, query, limit, cursorType) {
        const ids = [];
        let after = null;
        for (let page = 0; ; page++) {
            assert.ok(page <= made.length + 1, `${query} limit=${limit}: paging does not end`);
            const r = await who.get(`/api/v1/applications?limit=${limit}${query ? '&' + query : ''}${after !== null ? '&after=' + encodeURIComponent(after) : ''}`);
            assert.equal(r.status, 200, `${query} limit=${limit} after=${after}: ${JSON.stringify(r.body)}`);
            ids.push(...r.body.items.map((a) => a.id));
            if (r.body.next === null) break;
            assert.equal(r.body.items.length, limit, `${query} limit=${limit}: only the last page may be short`);
            assert.equal(typeof r.body.next, cursorType, `next is a ${cursorType}: ${JSON.stringify(r.body.next)}`);
            after = r.body.next;
        }
        return ids;
    }

    async function walkAll(who, query, limits, expected, cursorType) {
        for (const limit of limits) {
            const ids = await walk(who, query, limit, cursorType);
            assert.equal(new Set(ids).size, ids.length, `${query} limit=${limit}: an application came twice`);
            assert.deepEqual(ids, expected, `${query} limit=${limit}: exactly the applications created, in order`);
        }
    }

    it('sort=newest: every limit walks each application once, newest id first, though all share created_at', async () => {
        const expected = newest(made);
        await walkAll(agent, '', [1, 2, 5, 7, 48, 500], expected, 'number');
        await walkAll(agent, 'sort=newest', [3, 47], expected, 'number');
    });

    it('sort=due: ties on the deadline across page boundaries are neither dropped nor repeated', async () => {
        const expected = byDue(made);
        // 12 per group: limits that cut inside a tie group, at its edge, and across two groups
        await walkAll(agent, 'sort=due', [1, 2, 3, 5, 7, 11, 12, 13, 25, 500], expected, 'string');
    });

    it('sort=due with a status filter: the tie groups of forwarded applications page exactly', async () => {
        const expected = byDue(made.filter((a) => a.group !== null));
        await walkAll(agent, 'sort=due&status=forwarded', [1, 4, 5], expected, 'string');
    });

    it('a department whose applications all share one deadline pages through them all', async () => {
        const expected = byDue(made.filter((a) => a.group === 'FEN_YOL_CUKUR'));
        await walkAll(fen, 'sort=due', [1, 2, 5], expected, 'string');
        await walkAll(fen, '', [1, 5], newest(made.filter((a) => a.group === 'FEN_YOL_CUKUR')), 'number');
    });

    it('search (q=) pages exactly the matching applications, newest and by deadline', async () => {
        const hits = made.filter((a) => a.match);
        assert.equal(hits.length, 32);
        for (const q of ['kaldırım', 'KALDIRIM', 'kaldirim']) {
            const query = `q=${encodeURIComponent(q)}`;
            await walkAll(agent, query, [1, 3, 5, 32], newest(hits), 'number');
            await walkAll(agent, `${query}&sort=due`, [1, 3, 8, 9], byDue(hits), 'string');
        }
        // a department's search is its own subtree only, still paged whole
        const fenHits = hits.filter((a) => a.group === 'FEN_YOL_CUKUR');
        await walkAll(fen, `q=kald%C4%B1r%C4%B1m&sort=due`, [1, 3], byDue(fenHits), 'string');
    });
});
