// t39: the allowed_actions list an application carries is exact (issue 14 item 3). For every
// status of a seeded set (on hold or not, with and without a category) and every role, each
// listed action succeeds when that user takes it with valid input, and each action not listed
// is refused (403 or 409) and changes nothing. The UI offers only the listed actions.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login } from '../lib/server.mjs';

const T0 = '2027-01-05T07:00:00Z';
const ACTIONS = ['route', 'accept', 'return', 'transfer', 'respond', 'reject-answer', 'close', 'reopen',
    'out-of-scope', 'duplicate', 'note', 'hold', 'resume'];
// one user of each rule group of src/core/lifecycle.c (front office, department, oversight);
// desk, manager and admin share their group's rules
const ROLES = ['agent', 'fen', 'supervisor'];

describe('t39 allowed actions are exact', { timeout: 60000 }, () => {
    let srv, users, boss, original;

    before(async () => {
        srv = await startServer({ env: { ALO153_NOW: T0 } });
        users = {};
        for (const u of ROLES) users[u] = await login(srv.url, u); // one at a time: logins are rationed
        boss = users.supervisor;
        original = await create(true);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    async function create(withCategory) {
        const body = { channel: 'phone_153', text: 'Sokağımızdaki yolda büyük çukur oluştu' };
        if (withCategory) body.category = 'FEN_YOL_CUKUR';
        const r = await users.agent.post('/api/v1/applications', body);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
    }
    async function step(id, action, body = {}, who = boss) {
        const r = await who.post(`/api/v1/applications/${id}/${action}`, body);
        assert.equal(r.status, 200, `setup ${action}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
    }
    const input = (action) => ({
        route: { category: 'FEN_YOL_CUKUR' },
        transfer: { department: 'ZABITA', note: 'Zabıtanın işi' },
        return: { note: 'Bizim birimin işi değil' },
        respond: { response: 'Ekiplerimiz çukuru kapattı.' },
        'reject-answer': { note: 'Vatandaş cevaptan memnun değil' },
        reopen: { note: 'Çukur yeniden açıldı' },
        'out-of-scope': { institution: 'Karayolları Genel Müdürlüğü' },
        duplicate: { duplicate_of: original.tracking },
        note: { note: 'İç not' },
        hold: { note: 'Vatandaştan fotoğraf bekleniyor' },
    }[action] || {});

    // Each state: how to reach it from a fresh application (as the supervisor, who may do all).
    const STATES = {
        new: { cat: true, steps: [] },
        'new-no-category': { cat: false, steps: [] },
        forwarded: { cat: true, steps: [['route']] },
        in_progress: { cat: true, steps: [['route'], ['accept']] },
        on_hold: { cat: true, steps: [['route'], ['accept'], ['hold']] },
        resolved: { cat: true, steps: [['route'], ['accept'], ['respond']] },
        closed: { cat: true, steps: [['route'], ['accept'], ['respond'], ['close']] },
        out_of_scope: { cat: false, steps: [['out-of-scope']] },
        duplicate: { cat: true, steps: [['duplicate']] },
    };
    async function reach(state) {
        const s = STATES[state];
        const a = await create(s.cat);
        for (const [action] of s.steps) await step(a.id, action, input(action));
        return a.id;
    }

    for (const state of Object.keys(STATES)) {
        it(`${state}: every listed action succeeds, every other one is refused`, async () => {
            const seen = await reach(state);
            let checked = 0;
            for (const role of ROLES) {
                const who = users[role];
                const g = await who.get(`/api/v1/applications/${seen}`);
                if (g.status === 404) continue; // not this user's department: no actions at all
                assert.equal(g.status, 200, `${role} reads: ${g.status}`);
                const listed = g.body.allowed_actions;
                assert.ok(Array.isArray(listed), JSON.stringify(g.body));
                for (const action of ACTIONS) {
                    if (listed.includes(action)) {
                        const id = await reach(state); // a fresh one: the action changes it
                        const r = await who.post(`/api/v1/applications/${id}/${action}`, input(action));
                        assert.equal(r.status, 200, `${state} × ${role}: listed "${action}" answered ${r.status} ${JSON.stringify(r.body)}`);
                    } else {
                        const r = await who.post(`/api/v1/applications/${seen}/${action}`, input(action));
                        assert.ok(r.status === 403 || r.status === 409,
                            `${state} × ${role}: unlisted "${action}" answered ${r.status} ${JSON.stringify(r.body)} (listed: ${listed})`);
                    }
                    checked++;
                }
            }
            const after = (await boss.get(`/api/v1/applications/${seen}`)).body;
            assert.equal(after.history.length, 1 + STATES[state].steps.length, 'the refused actions left no event');
            assert.ok(checked >= ACTIONS.length * 2, `${state}: only ${checked} role × action pairs checked`);
        });
    }

    it('the reason of a refused hold or resume is given as a code the UI translates', async () => {
        const id = await reach('in_progress');
        const r = await users.fen.post(`/api/v1/applications/${id}/resume`, {});
        assert.equal(r.status, 409);
        assert.equal(r.body.error.code, 'conflict', 'the code stays as it was (backward compatible)');
        assert.equal(r.body.error.reason, 'not_on_hold');
        await step(id, 'hold', input('hold'), users.fen);
        const r2 = await users.fen.post(`/api/v1/applications/${id}/hold`, input('hold'));
        assert.equal(r2.status, 409);
        assert.equal(r2.body.error.reason, 'already_on_hold');
    });
});
