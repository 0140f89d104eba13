// t54: the audit log (issue 12, "Rights"). Every kind of change — login, failed login, logout,
// user add/change/password reset, grant, setting, category, holiday, message template, token
// create/revoke, self-service password change — leaves exactly one row with who, from where and
// before → after (never a password or its hash); a refused change leaves none; only admins read
// the log, with filters and keyset paging. The password change of t54 also checks its rules:
// wrong current / too short / same are refused with their codes, other sessions end.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, DEMO_PASSWORD } from '../lib/server.mjs';

const T0 = '2027-03-01T07:00:00Z';

describe('t54 audit log', { timeout: 90000 }, () => {
    let srv, admin, last = 0;

    before(async () => {
        srv = await startServer({ demoSize: 5, env: { ALO153_NOW: T0 } });
        admin = await login(srv.url, 'admin');
        last = await top();
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    async function top() {
        const r = await admin.get('/api/v1/audit?limit=1');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.items.length ? r.body.items[0].id : 0;
    }
    /** The rows written since the last call, oldest first. */
    async function fresh() {
        const r = await admin.get('/api/v1/audit?limit=500');
        assert.equal(r.status, 200);
        const rows = r.body.items.filter((x) => x.id > last).reverse();
        if (rows.length) last = rows[rows.length - 1].id;
        return rows;
    }
    async function one(kind, object) {
        const rows = await fresh();
        assert.equal(rows.length, 1, `exactly one row for ${kind}: ${JSON.stringify(rows)}`);
        assert.equal(rows[0].kind, kind);
        if (object !== undefined) assert.equal(rows[0].object, object);
        assert.ok(!/argon2|\$argon|password_hash/.test(JSON.stringify(rows[0])), 'no password hash in the log');
        return rows[0];
    }

    it('logins (success and failure, with address) and logouts', async () => {
        await fresh();
        const c = client(srv.url);
        assert.equal((await c.post('/api/v1/session', { username: 'desk', password: 'wrong-password' })).status, 401);
        const f = await one('login_failed', 'desk');
        assert.equal(f.actor, 'desk');
        assert.equal(f.actor_id, 0);
        assert.match(f.address, /127\.0\.0\.1|::1/);
        const d = await login(srv.url, 'desk');
        const l = await one('login', 'desk');
        assert.equal(l.actor_id, d.user.id);
        assert.equal((await d.del('/api/v1/session')).status, 204);
        assert.equal((await one('logout', 'desk')).actor, 'desk');
    });

    it('user add, role/department change, disable and password reset', async () => {
        const u = await admin.post('/api/v1/users', { username: 'park.staff', full_name: 'Park', role: 'staff', department: 'FEN', password: 'parola-1234' });
        assert.equal(u.status, 201, JSON.stringify(u.body));
        const add = await one('user_add', 'park.staff');
        assert.equal(add.actor, 'admin');
        assert.equal(add.before, null);
        assert.deepEqual([add.after.role, add.after.department, add.after.disabled], ['staff', 'FEN', false]);
        assert.ok(!JSON.stringify(add).includes('parola-1234'), 'no password in the log');

        assert.equal((await admin.patch(`/api/v1/users/${u.body.id}`, { role: 'manager', department: 'CEVRE' })).status, 200);
        const ch = await one('user', 'park.staff');
        assert.deepEqual([ch.before.role, ch.before.department], ['staff', 'FEN']);
        assert.deepEqual([ch.after.role, ch.after.department], ['manager', 'CEVRE']);

        assert.equal((await admin.patch(`/api/v1/users/${u.body.id}`, { disabled: true })).status, 200);
        const dis = await one('user', 'park.staff');
        assert.deepEqual([dis.before.disabled, dis.after.disabled], [false, true]);

        assert.equal((await admin.patch(`/api/v1/users/${u.body.id}`, { password: 'yeni-parola-99' })).status, 200);
        const pw = await one('user', 'park.staff');
        assert.equal(pw.after.password, 'reset');
        assert.ok(!JSON.stringify(pw).includes('yeni-parola-99'));
    });

    it('a refused change leaves no row', async () => {
        await fresh();
        assert.equal((await admin.post('/api/v1/users', { username: 'x', role: 'staff', password: 'parola-1234' })).status, 400);
        assert.equal((await admin.patch('/api/v1/users/999999', { role: 'admin' })).status, 404);
        assert.equal((await admin.patch('/api/v1/settings', { cimer_ceiling_days: 99 })).status, 400);
        assert.equal((await admin.patch('/api/v1/categories/FEN_YOL_CUKUR', { sla_days: 0 })).status, 400);
        assert.equal((await admin.post('/api/v1/holidays', { date: '2027-13-01', name: 'Yok' })).status, 400);
        assert.equal((await admin.del('/api/v1/holidays/2027-06-06')).status, 404);
        assert.deepEqual(await fresh(), []);
    });

    it('grant, setting, category, holiday and template changes', async () => {
        const mudur = (await admin.get('/api/v1/users')).body.items.find((u) => u.username === 'fen.mudur');
        assert.equal((await admin.post(`/api/v1/users/${mudur.id}/grants`, { department: 'SU' })).status, 200);
        const g = await one('grant', 'fen.mudur:SU');
        assert.deepEqual([g.before, g.after], [null, { department: 'SU', act: false }]);
        assert.equal((await admin.del(`/api/v1/users/${mudur.id}/grants/SU`)).status, 204);
        const gr = await one('grant', 'fen.mudur:SU');
        assert.deepEqual([gr.before, gr.after], [{ department: 'SU', act: false }, null]);

        assert.equal((await admin.patch('/api/v1/settings', { cimer_ceiling_days: 12 })).status, 200);
        const s = await one('setting', 'ceiling.cimer');
        assert.deepEqual([s.before.value, s.after.value], ['15', '12']);

        assert.equal((await admin.patch('/api/v1/categories/FEN_YOL_CUKUR', { sla_days: 9 })).status, 200);
        const c = await one('category', 'FEN_YOL_CUKUR');
        assert.notEqual(c.before.sla_days, 9);
        assert.equal(c.after.sla_days, 9);

        assert.equal((await admin.post('/api/v1/holidays', { date: '2027-06-06', name: 'Belediye günü' })).status, 201);
        const h = await one('holiday', '2027-06-06');
        assert.deepEqual([h.before, h.after.name], [null, 'Belediye günü']);
        assert.equal((await admin.del('/api/v1/holidays/2027-06-06')).status, 204);
        const hd = await one('holiday', '2027-06-06');
        assert.deepEqual([hd.before.name, hd.after], ['Belediye günü', null]);

        const t = await admin.raw('/api/v1/message-templates/survey/sms/tr', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'Bizi değerlendirin: {survey_link}' }) });
        assert.equal(t.status, 200, JSON.stringify(t.body));
        const tr = await one('template', 'survey/sms/tr');
        assert.equal(tr.after.body, 'Bizi değerlendirin: {survey_link}');
    });

    it('self-service password change: rules, one row, other sessions end', async () => {
        await fresh();
        const a = await login(srv.url, 'zabita');
        const b = await login(srv.url, 'zabita');
        await fresh();
        const wrong = await a.post('/api/v1/me/password', { current: 'not-it-at-all', new: 'yepyeni-parola' });
        assert.equal(wrong.status, 400);
        assert.equal(wrong.body.error.code, 'wrong_password');
        const short = await a.post('/api/v1/me/password', { current: DEMO_PASSWORD, new: 'kisa' });
        assert.equal(short.body.error.code, 'password_length');
        const same = await a.post('/api/v1/me/password', { current: DEMO_PASSWORD, new: DEMO_PASSWORD });
        assert.equal(same.body.error.code, 'same_password');
        assert.deepEqual(await fresh(), [], 'refused changes leave no row');
        const ok = await a.post('/api/v1/me/password', { current: DEMO_PASSWORD, new: 'yepyeni-parola' });
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        const row = await one('password_change', 'zabita');
        assert.equal(row.actor, 'zabita');
        assert.equal((await a.get('/api/v1/me')).status, 200, 'this session goes on (a new cookie)');
        assert.equal((await b.get('/api/v1/me')).status, 401, 'the other session ended');
        const old = await client(srv.url).post('/api/v1/session', { username: 'zabita', password: DEMO_PASSWORD });
        assert.equal(old.status, 401);
        await login(srv.url, 'zabita', 'yepyeni-parola');
    });

    it('tokens: create and revoke leave a row each', async () => {
        await fresh();
        const t = await admin.post('/api/v1/tokens', { name: 'santral', role: 'telephony' });
        assert.equal(t.status, 201);
        const c = await one('token', 'santral');
        assert.equal(c.after.role, 'telephony');
        assert.ok(!JSON.stringify(c).includes(t.body.token), 'the secret is not logged');
        assert.equal((await admin.del(`/api/v1/tokens/${t.body.id}`)).status, 204);
        const r = await one('token', 'santral');
        assert.ok(r.after.revoked_at > 0);
    });

    it('filters, paging, and only admins may read it', async () => {
        const byKind = await admin.get('/api/v1/audit?kind=holiday');
        assert.equal(byKind.body.items.length, 2);
        assert.ok(byKind.body.items.every((x) => x.kind === 'holiday'));
        const byActor = await admin.get('/api/v1/audit?actor=zabita&limit=500');
        assert.ok(byActor.body.items.length >= 2 && byActor.body.items.every((x) => x.actor === 'zabita'));
        const future = await admin.get('/api/v1/audit?from=2030-01-01');
        assert.deepEqual(future.body.items, []);
        const day = await admin.get('/api/v1/audit?from=2027-03-01&to=2027-03-01&kind=grant');
        assert.equal(day.body.items.length, 2);
        const p1 = await admin.get('/api/v1/audit?limit=2');
        assert.equal(p1.body.items.length, 2);
        assert.equal(p1.body.next, p1.body.items[1].id);
        const p2 = await admin.get(`/api/v1/audit?limit=2&after=${p1.body.next}`);
        assert.ok(p2.body.items[0].id < p1.body.items[1].id);
        assert.equal((await admin.get('/api/v1/audit?limit=0')).status, 400);
        for (const who of ['supervisor', 'fen.mudur', 'agent']) {
            const c = await login(srv.url, who);
            assert.equal((await c.get('/api/v1/audit')).status, 403, who);
        }
    });
});
