// t53: department grants on top of the six roles (issue 12, "Rights"). A manager of FEN with a
// read grant on SU sees SU's applications in the list, the search and the detail but may not act
// on them (no allowed actions, 403 read_only); with "act" they may; revoking the grant removes
// it; an unrelated department stays 404 throughout. Only admins manage grants, and only staff or
// managers hold them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, listAllIds } from '../lib/server.mjs';

const T0 = '2027-02-01T07:00:00Z';

describe('t53 department grants', { timeout: 60000 }, () => {
    let srv, admin, agent, mudur, fen, su, zabita;

    before(async () => {
        srv = await startServer({ demoSize: 10, env: { ALO153_NOW: T0 } });
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
        mudur = await login(srv.url, 'fen.mudur');
        fen = await login(srv.url, 'fen');
        su = await routed('SU_ARIZA', 'Mahallemizde ana su borusu patladı, sokak su içinde');
        zabita = await routed('ZAB_SEYYAR', 'Kaldırımı seyyar satıcılar kapatıyor, geçemiyoruz');
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    async function routed(category, text) {
        const c = await agent.post('/api/v1/applications', { channel: 'phone_153', text, category });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        const r = await agent.post(`/api/v1/applications/${c.body.id}/route`, { category });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
    }
    const grants = (u) => admin.get(`/api/v1/users/${u.user.id}/grants`);

    it('without a grant, SU and ZABITA are hidden from the FEN manager', async () => {
        assert.equal((await mudur.get(`/api/v1/applications/${su.id}`)).status, 404);
        assert.equal((await mudur.get(`/api/v1/applications/${zabita.id}`)).status, 404);
        assert.ok(!(await listAllIds(mudur)).includes(su.id));
        assert.deepEqual((await grants(mudur)).body.items, []);
    });

    it('a read grant shows SU in list, search and detail, but no action is allowed', async () => {
        const g = await admin.post(`/api/v1/users/${mudur.user.id}/grants`, { department: 'SU' });
        assert.equal(g.status, 200, JSON.stringify(g.body));
        assert.deepEqual(g.body.items.map((x) => [x.department, x.act]), [['SU', false]]);
        const d = await mudur.get(`/api/v1/applications/${su.id}`);
        assert.equal(d.status, 200);
        assert.deepEqual(d.body.allowed_actions, []);
        const ids = await listAllIds(mudur);
        assert.ok(ids.includes(su.id), 'listed');
        assert.ok(!ids.includes(zabita.id), 'ZABITA stays out of the list');
        const q = await mudur.get('/api/v1/applications?q=' + encodeURIComponent('borusu patladı'));
        assert.equal(q.status, 200);
        assert.ok(q.body.items.some((a) => a.id === su.id), 'found by search');
        const acc = await mudur.post(`/api/v1/applications/${su.id}/accept`, {});
        assert.equal(acc.status, 403, JSON.stringify(acc.body));
        assert.equal(acc.body.error.code, 'read_only');
        assert.equal((await admin.get(`/api/v1/applications/${su.id}`)).body.status, 'forwarded',
            'the refused action changed nothing');
        // the grant is the manager's own: FEN's staff member still does not see SU
        assert.equal((await fen.get(`/api/v1/applications/${su.id}`)).status, 404);
        assert.equal((await mudur.get(`/api/v1/applications/${zabita.id}`)).status, 404);
    });

    it('with act the manager may act on SU; revoking removes it again', async () => {
        const g = await admin.post(`/api/v1/users/${mudur.user.id}/grants`, { department: 'SU', act: true });
        assert.equal(g.status, 200);
        assert.deepEqual(g.body.items.map((x) => [x.department, x.act]), [['SU', true]]);
        const d = await mudur.get(`/api/v1/applications/${su.id}`);
        assert.ok(d.body.allowed_actions.includes('accept'), JSON.stringify(d.body.allowed_actions));
        const acc = await mudur.post(`/api/v1/applications/${su.id}/accept`, {});
        assert.equal(acc.status, 200, JSON.stringify(acc.body));
        assert.equal(acc.body.status, 'in_progress');
        const del = await admin.del(`/api/v1/users/${mudur.user.id}/grants/SU`);
        assert.equal(del.status, 204);
        assert.equal((await mudur.get(`/api/v1/applications/${su.id}`)).status, 404);
        assert.ok(!(await listAllIds(mudur)).includes(su.id));
        assert.equal((await admin.del(`/api/v1/users/${mudur.user.id}/grants/SU`)).status, 404);
    });

    it('bad grants are refused and change nothing; only admins manage grants', async () => {
        const own = await admin.post(`/api/v1/users/${mudur.user.id}/grants`, { department: 'FEN' });
        assert.equal(own.status, 400);
        assert.equal(own.body.error.code, 'own_department');
        const role = await admin.post(`/api/v1/users/${agent.user.id}/grants`, { department: 'SU' });
        assert.equal(role.status, 400);
        assert.equal(role.body.error.code, 'role_without_grants');
        const unknown = await admin.post(`/api/v1/users/${mudur.user.id}/grants`, { department: 'NOPE' });
        assert.equal(unknown.status, 422);
        assert.equal((await admin.post('/api/v1/users/999999/grants', { department: 'SU' })).status, 404);
        assert.equal((await mudur.post(`/api/v1/users/${mudur.user.id}/grants`, { department: 'SU' })).status, 403);
        assert.equal((await mudur.get(`/api/v1/users/${mudur.user.id}/grants`)).status, 403);
        assert.deepEqual((await grants(mudur)).body.items, []);
    });
});
