// t28: the knowledge base (bilgi bankası, issue 10). Editors (supervisor, admin) write, archive
// and list every state; agents and desk clerks search current articles only: valid-from /
// valid-until hide planned water cuts and road works before and after their time (ALO153_NOW
// pinned), districts put the caller's district's and the province-wide articles first, other
// institutions' numbers are a structured, searchable list, and each article counts the contacts
// it answered. Bad input gets a clear 400/422 and changes nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError } from '../lib/server.mjs';

const NOW = '2026-03-10T09:00:00Z';
const KB = '/api/v1/kb/articles';

describe('t28 knowledge base', { timeout: 120000 }, () => {
    let srv, admin, sup, agent, desk, talas, melikgazi;
    const art = {};
    const ids = (r) => r.body.items.map((x) => x.id);
    /* the ids among this test's articles (init --demo adds its own, with their own words) */
    const mine = (r) => ids(r).filter((id) => Object.values(art).includes(id));
    const search = (c, query) => c.get(`${KB}?${query}`);

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
        admin = await login(srv.url, 'admin');
        sup = await login(srv.url, 'supervisor');
        agent = await login(srv.url, 'agent');
        desk = await login(srv.url, 'desk');
        const d = (await agent.get('/api/v1/districts')).body.items;
        talas = d.find((x) => x.name === 'Talas').id;
        melikgazi = d.find((x) => x.name === 'Melikgazi').id;
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('editors create articles with districts, validity and phones; the fields come back whole', async () => {
        const a = await sup.post(KB, {
            title: 'Talas planlı SU KESİNTİSİ', body: 'Ana hat çalışması nedeniyle Talas Mevlana mahallesinde su verilemiyor.',
            category: 'SU_ARIZA', districts: [talas], valid_from: '2026-03-10T06:00:00Z', valid_until: '2026-03-10T15:00:00Z',
        });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        assert.deepEqual(a.body.districts, [talas]);
        assert.equal(a.body.valid_from, '2026-03-10T06:00:00Z');
        assert.equal(a.body.valid_until, '2026-03-10T15:00:00Z');
        assert.equal(a.body.state, 'current');
        assert.equal(a.body.uses, 0);
        art.talasCut = a.body.id;

        const m = await admin.post(KB, {
            title: 'Melikgazi su kesintileri', body: 'Hürriyet mahallesinde vana değişimi: suyun kesintileri akşama kadar sürer.',
            districts: [melikgazi, melikgazi], phones: [{ name: 'ALO 185 Su arıza', number: '185' }],
        });
        assert.equal(m.status, 201, JSON.stringify(m.body));
        assert.deepEqual(m.body.districts, [melikgazi], 'a district given twice is kept once');
        assert.equal(m.body.valid_from, null);
        art.melikgaziCut = m.body.id;

        const n = await sup.post(KB, {
            title: 'Diğer kurumların numaraları', body: 'Belediyenin işi olmayan konularda vatandaşı doğru kuruma yönlendirin.',
            phones: [{ name: 'Elektrik arıza (AYEDAŞ)', number: '186' }, { name: 'Doğalgaz acil', number: '187' }, { name: 'Acil çağrı', number: '112' }],
        });
        assert.equal(n.status, 201, JSON.stringify(n.body));
        assert.deepEqual(n.body.districts, [], 'no districts: the whole province');
        assert.deepEqual(n.body.phones[0], { name: 'Elektrik arıza (AYEDAŞ)', number: '186' });
        assert.equal(n.body.phones.length, 3);
        art.numbers = n.body.id;

        /* a date is an Istanbul day: valid_until "2026-03-09" ends at that day's end (21:00Z) */
        const old = await sup.post(KB, { title: 'Sivas bulvarı asfalt çalışması', body: 'Sivas bulvarı tek şeritten akıyor.', valid_from: '2026-03-01', valid_until: '2026-03-09' });
        assert.equal(old.status, 201, JSON.stringify(old.body));
        assert.equal(old.body.valid_from, '2026-02-28T21:00:00Z');
        assert.equal(old.body.valid_until, '2026-03-09T21:00:00Z');
        assert.equal(old.body.state, 'expired');
        art.expired = old.body.id;
        const soon = await sup.post(KB, { title: 'Erciyes teleferik bakımı', body: 'Teleferik hattı yıllık bakım için kapalı olacak.', valid_from: '2026-03-11' });
        assert.equal(soon.body.state, 'upcoming');
        art.upcoming = soon.body.id;
    });

    it('agents and desk clerks cannot write (403) and see current articles only', async () => {
        for (const c of [agent, desk]) {
            assertError(await c.post(KB, { title: 'Yetkisiz', body: 'Yazamaz' }), 403);
            assertError(await c.patch(`${KB}/${art.numbers}`, { title: 'Değişti' }), 403);
            assertError(await c.del(`${KB}/${art.numbers}`), 403);
            assertError(await search(c, 'state=all'), 403);
            assertError(await search(c, 'all=1'), 403);
            assertError(await search(c, 'state=expired'), 403);
        }
        assert.equal((await sup.get(`${KB}/${art.numbers}`)).body.title, 'Diğer kurumların numaraları', 'nothing changed');
        const cur = ids(await search(agent, 'limit=200'));
        for (const id of [art.talasCut, art.melikgaziCut, art.numbers]) assert.ok(cur.includes(id), `current ${id}`);
        assert.ok(!cur.includes(art.expired), 'expired article hidden');
        assert.ok(!cur.includes(art.upcoming), 'not yet valid article hidden');
        assert.deepEqual(mine(await search(agent, 'q=asfalt')), []);
        assert.deepEqual(mine(await search(agent, 'q=teleferik')), []);
        /* by id an expired article still opens (a contact may point at it) */
        assert.equal((await agent.get(`${KB}/${art.expired}`)).body.state, 'expired');
    });

    it('editors filter by state: expired, upcoming, current, all', async () => {
        assert.deepEqual(mine(await search(sup, 'state=expired')), [art.expired]);
        assert.deepEqual(mine(await search(sup, 'state=upcoming')), [art.upcoming]);
        assert.ok(!ids(await search(sup, 'state=current&limit=200')).includes(art.expired));
        const all = ids(await search(sup, 'state=all&limit=200'));
        for (const id of Object.values(art)) assert.ok(all.includes(id), `all has ${id}`);
        assert.deepEqual(mine(await search(admin, 'all=1&q=asfalt')), [art.expired]);
        assertError(await search(sup, 'state=someday'), 400, undefined, 'state');
    });

    it('Turkish search folds like applications, finds word starts and the numbers', async () => {
        /* "su kesintisi" finds "SU KESİNTİSİ"; "kesinti" finds "kesintileri" (only in the Melikgazi one) */
        assert.deepEqual(mine(await search(agent, `q=${encodeURIComponent('talas su kesintisi')}`)), [art.talasCut]);
        assert.deepEqual(mine(await search(agent, `q=${encodeURIComponent('kesinti hurriyet')}`)), [art.melikgaziCut]);
        assert.deepEqual(mine(await search(agent, `q=${encodeURIComponent('SUYUN KESİNTİLERİ')}`)), [art.melikgaziCut]);
        assert.deepEqual(mine(await search(agent, `q=${encodeURIComponent('ayedas')}`)), [art.numbers]);
        assert.deepEqual(mine(await search(agent, 'q=186')), [art.numbers]);
        assert.deepEqual(mine(await search(agent, `q=${encodeURIComponent('DOĞALGAZ')}`)), [art.numbers]);
        assert.deepEqual(mine(await search(agent, 'q=vapur')), []);
        assertError(await search(agent, `q=${'a'.repeat(201)}`), 400, 'too_long', 'q');
    });

    it('the caller\'s district first, then province-wide articles; category filter', async () => {
        const q = `q=${encodeURIComponent('kesinti')}&limit=200`;
        const forTalas = mine(await search(agent, `${q}&district=${talas}`));
        assert.equal(forTalas[0], art.talasCut, JSON.stringify(forTalas));
        const forMelikgazi = mine(await search(agent, `${q}&district=${melikgazi}`));
        assert.equal(forMelikgazi[0], art.melikgaziCut, JSON.stringify(forMelikgazi));
        assert.ok(forMelikgazi.indexOf(art.talasCut) > forMelikgazi.indexOf(art.melikgaziCut));
        /* province-wide before another district's */
        const all = mine(await search(agent, `district=${melikgazi}&limit=200`));
        assert.equal(all[0], art.melikgaziCut);
        assert.ok(all.indexOf(art.numbers) < all.indexOf(art.talasCut), JSON.stringify(all));
        assert.deepEqual(ids(await search(agent, 'category=SU_ARIZA&limit=200')).filter((id) => Object.values(art).includes(id)), [art.talasCut]);
        assertError(await search(agent, 'district=abc'), 400, undefined, 'district');
    });

    it('counts the contacts each article answered', async () => {
        const c1 = await desk.post('/api/v1/contacts', { channel: 'desk', outcome: 'instant_info', kb_article_id: art.numbers });
        assert.equal(c1.status, 201, JSON.stringify(c1.body));
        const open = await agent.post('/api/v1/contacts', { channel: 'phone_153' });
        assert.equal(open.status, 201, JSON.stringify(open.body));
        const closed = await agent.post(`/api/v1/contacts/${open.body.id}/close`, { outcome: 'instant_info', kb_article_id: art.numbers });
        assert.equal(closed.status, 200, JSON.stringify(closed.body));
        assert.equal(closed.body.kb_article_id, art.numbers);
        assert.equal((await agent.get(`${KB}/${art.numbers}`)).body.uses, 2);
        const listed = (await search(agent, 'q=186')).body.items.find((x) => x.id === art.numbers);
        assert.equal(listed.uses, 2);
        assert.equal((await agent.get(`${KB}/${art.talasCut}`)).body.uses, 0);
    });

    it('bad input: a clear 400/422 and nothing changes', async () => {
        const id = art.melikgaziCut;
        const before = (await sup.get(`${KB}/${id}`)).body;
        const bad = [
            [{ title: 'x'.repeat(201) }, 400, 'too_long', 'title'],
            [{ title: '   ' }, 400, 'missing_field', 'title'],
            [{ body: 'y'.repeat(20001) }, 400, 'too_long', 'body'],
            [{ valid_from: '2026-03-12', valid_until: '2026-03-11' }, 422, 'bad_period', 'valid_until'],
            [{ valid_from: '2026-03-10T10:00:00Z', valid_until: '2026-03-10T10:00:00Z' }, 422, 'bad_period', 'valid_until'],
            [{ valid_until: '2026-02-30' }, 400, 'invalid_time', 'valid_until'],
            [{ valid_from: 'yarın' }, 400, 'invalid_time', 'valid_from'],
            [{ valid_from: 20260310 }, 400, 'invalid_type', 'valid_from'],
            [{ districts: [999999] }, 422, 'unknown_district', 'districts'],
            [{ districts: ['Talas'] }, 400, 'invalid_type', 'districts'],
            [{ districts: talas }, 400, 'invalid_type', 'districts'],
            [{ phones: [{ name: 'AYEDAŞ', number: 'yok' }] }, 400, 'invalid_phone', 'phones'],
            [{ phones: [{ name: '', number: '186' }] }, 400, 'invalid_phone', 'phones'],
            [{ phones: [{ name: 'AYEDAŞ', number: '186', extra: 1 }] }, 400, 'invalid_type', 'phones'],
            [{ phones: ['186'] }, 400, 'invalid_type', 'phones'],
            [{ phones: Array.from({ length: 21 }, (_, i) => ({ name: `K${i}`, number: '112' })) }, 400, 'too_many', 'phones'],
            [{ category: 'YOK_BOYLE' }, 422, undefined, 'category'],
            [{ colour: 'red' }, 400, 'unknown_field', 'colour'],
            [{ title: 'Geçerli başlık', districts: [999999] }, 422, 'unknown_district', 'districts'],
        ];
        for (const [body, status, code, field] of bad) {
            assertError(await sup.patch(`${KB}/${id}`, body), status, code, field);
        }
        assert.deepEqual((await sup.get(`${KB}/${id}`)).body, before, 'the bad writes changed nothing');
        assertError(await sup.post(KB, { title: 'Gövdesiz' }), 400, 'missing_field', 'body');
        assertError(await sup.patch(`${KB}/999999`, { title: 'Yok' }), 404);
        assertError(await sup.del(`${KB}/999999`), 404);
        assertError(await sup.post(KB, { title: 'Yeni', body: 'Metin', valid_from: '2026-04-01', valid_until: '2026-03-01' }), 422, 'bad_period');
        /* setting only valid_until before the stored valid_from is refused too */
        assertError(await sup.patch(`${KB}/${art.talasCut}`, { valid_until: '2026-03-10T05:00:00Z' }), 422, 'bad_period');
    });

    it('PATCH clears validity with null; DELETE archives (soft) and PATCH active:true restores', async () => {
        const p = await sup.patch(`${KB}/${art.expired}`, { valid_until: null });
        assert.equal(p.status, 200, JSON.stringify(p.body));
        assert.equal(p.body.valid_until, null);
        assert.equal(p.body.state, 'current');
        assert.deepEqual(mine(await search(agent, 'q=asfalt')), [art.expired]);
        const cleared = await sup.patch(`${KB}/${art.melikgaziCut}`, { districts: [], phones: [] });
        assert.deepEqual([cleared.body.districts, cleared.body.phones], [[], []]);

        const d = await sup.del(`${KB}/${art.expired}`);
        assert.equal(d.status, 200, JSON.stringify(d.body));
        assert.equal(d.body.state, 'archived');
        assert.equal(d.body.active, false);
        assert.deepEqual(mine(await search(agent, 'q=asfalt')), []);
        assertError(await agent.get(`${KB}/${art.expired}`), 404);
        assert.deepEqual(mine(await search(sup, 'state=archived')), [art.expired]);
        /* an archived article no longer answers contacts? it still exists: the link stays valid */
        const back = await sup.patch(`${KB}/${art.expired}`, { active: true });
        assert.equal(back.body.state, 'current');
        assert.deepEqual(mine(await search(agent, 'q=asfalt')), [art.expired]);
    });
});
