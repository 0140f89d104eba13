// t5: what a citizen can do without logging in — the web form and the tracking page.
// (The rate limit has its own file, t5-public-rate, since it exhausts the quota.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError, countApps, sqlite, TRACKING_RE } from '../lib/server.mjs';

describe('t5 public web form and tracking', { timeout: 60000 }, () => {
    let srv, admin, agent, fen, anon;
    const made = {};

    before(async () => {
        srv = await startServer({ rate: 1000 });
        [admin, agent, fen] = await Promise.all(['admin', 'agent', 'fen'].map((u) => login(srv.url, u)));
        anon = client(srv.url);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const citizens = () => Number(sqlite(srv.db, 'SELECT count(*) FROM citizens'));
    const pub = (body) => anon.post('/api/v1/public/applications', body);

    it('POST /api/v1/public/applications with consent and a phone → 201 tracking and access code', async () => {
        const r = await pub({ text: 'Sokağımızdaki yolda derin bir çukur var', consent: true, phone: '0530 111 22 33', name: 'Hatice Koç' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.match(r.body.tracking, TRACKING_RE);
        assert.match(r.body.access_code, /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
        assert.equal(r.body.status, 'new');
        assert.deepEqual(Object.keys(r.body).sort(), ['access_code', 'created_at', 'replayed', 'status', 'tracking']);
        assert.equal(r.body.replayed, false);
        made.phone = r.body;
        const g = await admin.get(`/api/v1/applications/by-tracking/${r.body.tracking}`);
        assert.equal(g.status, 200, JSON.stringify(g.body));
        assert.equal(g.body.channel, 'web');
        assert.equal(g.body.status, 'new');
        assert.equal(g.body.text, 'Sokağımızdaki yolda derin bir çukur var');
        assert.equal(g.body.access_code, r.body.access_code);
        assert.equal(g.body.created_at, r.body.created_at);
        assert.equal(g.body.citizen.phone, '+905301112233');
        assert.equal(g.body.citizen.name, 'Hatice Koç');
        assert.equal(g.body.citizen_id, g.body.citizen.id);
        assert.equal(sqlite(srv.db, `SELECT count(*) FROM citizens WHERE id = ${Number(g.body.citizen.id)} AND phone = '+905301112233'`), '1', 'a citizen record was stored');
        assert.deepEqual(g.body.history.map((e) => [e.action, e.from, e.to]), [['create', null, 'new']]);
        made.phoneId = g.body.id;
    });

    it('an e-mail instead of a phone is enough; category and district are kept', async () => {
        const ds = await anon.get('/api/v1/districts');
        const talas = ds.body.items.find((d) => d.name === 'Talas');
        const r = await pub({
            text: 'Mahallede elektrikler kesik', consent: true, email: 'vatandas@example.com', category: 'DIS_ELEKTRIK',
            district_id: talas.id, address: 'Mevlana Mah.', kind: 'complaint', lat: 38.69, lon: 35.55,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const g = await admin.get(`/api/v1/applications/by-tracking/${r.body.tracking}`);
        assert.equal(g.body.category, 'DIS_ELEKTRIK');
        assert.equal(g.body.department, 'DIS');
        assert.equal(g.body.status, 'new', 'the web form never routes by itself');
        assert.equal(g.body.district_id, talas.id);
        assert.equal(g.body.kind, 'complaint');
        assert.equal(g.body.citizen.email, 'vatandas@example.com');
        assert.equal(g.body.address, 'Mevlana Mah.');
        assert.ok(Math.abs(g.body.lat - 38.69) < 1e-6, `lat ${g.body.lat}`);
        assert.ok(Math.abs(g.body.lon - 35.55) < 1e-6, `lon ${g.body.lon}`);
        made.email = { ...r.body, id: g.body.id };
    });

    it('applying needs no consent (KVKK art. 5/2: a public duty); a bad consent type is still 400', async () => {
        const apps = await countApps(admin);
        const r = await pub({ text: 'Rızasız başvuru denemesi', consent: false, phone: '05301112244' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const r2 = await pub({ text: 'Rıza alanı olmadan başvuru', phone: '05301112244' });
        assert.equal(r2.status, 201, JSON.stringify(r2.body));
        const r3 = await pub({ text: 'Rızasız başvuru denemesi', consent: 'yes', phone: '05301112244' });
        assertError(r3, 400, undefined, 'consent');
        assert.equal(await countApps(admin), apps + 2);
    });

    it('a filled honeypot (website) → 400, nothing stored', async () => {
        const apps = await countApps(admin), cits = citizens();
        const r = await pub({ text: 'Bot tarafından doldurulan form', consent: true, phone: '05301112255', website: 'http://spam.example' });
        assertError(r, 400, 'rejected');
        assert.equal(await countApps(admin), apps);
        assert.equal(citizens(), cits);
    });

    it('contact details are required and validated; bad input stores nothing', async () => {
        const apps = await countApps(admin), cits = citizens();
        assertError(await pub({ text: 'İletişimsiz başvuru', consent: true }), 422, 'invalid_fields', 'phone');
        assertError(await pub({ text: 'İletişimsiz başvuru', consent: true, phone: '', email: '' }), 422, 'invalid_fields', 'phone');
        assertError(await pub({ text: 'Telefon hatalı', consent: true, phone: '12345' }), 422, 'invalid_fields', 'phone');
        assertError(await pub({ text: 'E-posta hatalı', consent: true, email: 'bozuk@' }), 422, 'invalid_fields', 'email');
        assertError(await pub({ consent: true, phone: '05301112266' }), 422, 'invalid_fields', 'text');
        assertError(await pub({ text: 'Bilinmeyen alan', consent: true, phone: '05301112266', channel: 'phone_153' }), 400, 'unknown_field', 'channel');
        assertError(await pub({ text: 'Bilinmeyen alan', consent: true, phone: '05301112266', priority: 'urgent' }), 400, 'unknown_field', 'priority');
        assertError(await pub({ text: 'Bilinmeyen konu', consent: true, phone: '05301112266', category: 'NOPE_NOPE' }), 422, undefined, 'category');
        assertError(await pub({ text: 'Bilinmeyen ilçe', consent: true, phone: '05301112266', district_id: 99999 }), 422, undefined, 'district_id');
        assertError(await pub({ text: 'x', consent: true, phone: '05301112266' }), 422, 'invalid_fields', 'text');
        assert.equal(await countApps(admin), apps);
        assert.equal(citizens(), cits);
    });

    it('half a coordinate (lat without lon) is 422 (with every other field error, issue 14 item 5) and stores nothing', async () => {
        const apps = await countApps(admin), cits = citizens();
        assertError(await pub({ text: 'Koordinat yarım', consent: true, phone: '05301112277', lat: 38.7 }), 422, 'invalid_fields', 'lon');
        assertError(await pub({ text: 'Koordinat yarım', consent: true, phone: '05301112277', lon: 35.5 }), 422, 'invalid_fields', 'lat');
        assert.equal(await countApps(admin), apps);
        assert.equal(citizens(), cits);
    });

    it('coordinates out of range are 422', async () => {
        const apps = await countApps(admin), cits = citizens();
        assertError(await pub({ text: 'Koordinat hatalı', consent: true, phone: '05301112288', lat: 138.7, lon: 35.5 }), 422, 'invalid_fields', 'lat');
        assertError(await pub({ text: 'Koordinat hatalı', consent: true, phone: '05301112288', lat: 38.7, lon: 181 }), 422, 'invalid_fields', 'lon');
        assert.equal(await countApps(admin), apps);
        assert.equal(citizens(), cits);
    });

    it('GET /api/v1/public/applications/{tracking}?code= shows status and timeline', async () => {
        const r = await anon.get(`/api/v1/public/applications/${made.phone.tracking}?code=${made.phone.access_code}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.tracking, made.phone.tracking);
        assert.equal(r.body.status, 'new');
        assert.equal(r.body.public_response, null);
        assert.equal(r.body.category, null, 'not categorised yet');
        assert.equal(r.body.redirect, null);
        assert.deepEqual(r.body.timeline.map((e) => [e.action, e.from, e.to, e.note]), [['create', null, 'new', null]]);
        assert.equal(r.headers.get('cache-control'), 'no-store');
        assert.equal(r.body.access_code, undefined);
    });

    it('the tracking number is found as a phone keypad types it: no hyphen, spaces', async () => {
        const t = made.phone.tracking;
        const [year, seq] = t.split('-');
        for (const typed of [`${year}${seq}`, `${year} ${seq.slice(0, 3)} ${seq.slice(3)}`, `${year}-00${seq}`]) {
            const r = await anon.get(`/api/v1/public/applications/${encodeURIComponent(typed)}?code=${made.phone.access_code}`);
            assert.equal(r.status, 200, `${typed}: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.tracking, t, 'answered with the canonical number');
        }
        for (const typed of [`${year}${seq.slice(1)}`, `${year}--${seq}`, `${year}-${seq}x`]) {
            const r = await anon.get(`/api/v1/public/applications/${encodeURIComponent(typed)}?code=${made.phone.access_code}`);
            assert.equal(r.status, 404, `${typed}: ${JSON.stringify(r.body)}`);
        }
    });

    it('the public page shows the answer and the public steps, never internal notes or names', async () => {
        const id = made.phoneId;
        const secrets = ['İÇ NOT: vatandaş üç kez aradı 7731', 'BEKLEME NOTU 4471 ekip eksik', 'İADE GEREKÇESİ 9902'];
        const act = async (who, action, body) => {
            const r = await who.post(`/api/v1/applications/${id}/${action}`, body);
            assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
            return r.body;
        };
        await act(agent, 'note', { note: secrets[0] });
        await act(agent, 'route', { category: 'FEN_YOL_CUKUR', note: 'yönlendirme iç notu 5512' });
        await act(fen, 'return', { note: secrets[2] });
        await act(agent, 'route', {});
        await act(fen, 'accept', { note: 'kabul iç notu 6623' });
        await act(fen, 'hold', { note: secrets[1] });
        await act(fen, 'resume', {});
        await act(fen, 'note', { note: 'birim iç notu 8834' });
        const answer = 'Çukur ekiplerimizce asfaltla kapatılmıştır. İlginiz için teşekkür ederiz.';
        const full = await act(fen, 'respond', { response: answer });
        const staffNames = [...new Set(full.history.map((e) => e.user).filter(Boolean))];
        assert.ok(staffNames.length >= 2, JSON.stringify(staffNames));

        const r = await anon.get(`/api/v1/public/applications/${made.phone.tracking}?code=${made.phone.access_code}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.status, 'resolved');
        assert.equal(r.body.public_response, answer);
        assert.equal(r.body.category, 'Yol çukuru / bozuk asfalt', 'the category name is shown');
        assert.equal(r.body.category_en, 'Pothole / broken asphalt');
        assert.match(r.body.resolution_due, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(r.body.resolution_due, full.resolution_due, 'the same deadline the staff see');
        const tl = r.body.timeline;
        // exactly the public steps, in order: note, return, hold, resume (and their notes) are internal
        assert.deepEqual(tl.map((e) => [e.action, e.from, e.to, e.note]), [
            ['create', null, 'new', null],
            ['route', 'new', 'forwarded', null],
            ['route', 'new', 'forwarded', null],
            ['accept', 'forwarded', 'in_progress', null],
            ['respond', 'in_progress', 'resolved', answer],
        ], JSON.stringify(tl));
        assert.deepEqual(tl.map((e) => e.at), full.history.filter((e) => !['note', 'return', 'hold', 'resume'].includes(e.action)).map((e) => e.at));
        for (const e of tl) {
            if (e.action !== 'respond' && e.action !== 'out-of-scope') assert.equal(e.note, null, JSON.stringify(e));
            assert.equal(e.user, undefined, JSON.stringify(e));
            assert.equal(e.public, undefined, JSON.stringify(e));
        }
        const dump = JSON.stringify(r.body);
        for (const s of [...secrets, 'yönlendirme iç notu 5512', 'kabul iç notu 6623', 'birim iç notu 8834', ...staffNames]) {
            assert.ok(!dump.includes(s), `public page shows "${s}": ${dump}`);
        }
        assert.ok(!dump.includes('5301112233'), 'no phone on the public page');
        assert.ok(!dump.includes('Hatice'), 'no name on the public page');
    });

    it('out-of-scope shows where to turn', async () => {
        const r0 = await agent.post(`/api/v1/applications/${made.email.id}/out-of-scope`, {});
        assert.equal(r0.status, 200, JSON.stringify(r0.body));
        const cat = (await anon.get('/api/v1/categories')).body.items.find((c) => c.code === 'DIS_ELEKTRIK');
        assert.equal(r0.body.redirect, cat.redirect, 'the institution of its category');
        assert.match(r0.body.redirect, /KCETAŞ/);
        const r = await anon.get(`/api/v1/public/applications/${made.email.tracking}?code=${made.email.access_code}`);
        assert.equal(r.status, 200);
        assert.equal(r.body.status, 'out_of_scope');
        assert.equal(r.body.redirect, r0.body.redirect);
        assert.deepEqual(r.body.timeline.map((e) => [e.action, e.from, e.to, e.note]), [
            ['create', null, 'new', null],
            ['out-of-scope', 'new', 'out_of_scope', r0.body.redirect],
        ]);
    });

    it('a wrong or missing code → 404 that shows nothing of the application', async () => {
        const { tracking, access_code } = made.phone;
        const wrong = access_code.slice(0, 7) + (access_code[7] === 'A' ? 'B' : 'A');
        const answers = [
            await anon.get(`/api/v1/public/applications/${tracking}?code=${wrong}`),
            await anon.get(`/api/v1/public/applications/${tracking}?code=`),
            await anon.get(`/api/v1/public/applications/${tracking}`),
            await anon.get(`/api/v1/public/applications/${tracking}?code=${access_code}x`),
            await anon.get(`/api/v1/public/applications/${tracking}?code=${access_code.slice(0, 7)}`),
        ];
        const unknown = await anon.get(`/api/v1/public/applications/1999-999999?code=${access_code}`);
        const malformed = await anon.get(`/api/v1/public/applications/abc?code=${access_code}`);
        for (const r of [...answers, unknown, malformed]) {
            assertError(r, 404, 'not_found');
            assert.deepEqual(Object.keys(r.body), ['error']);
            const dump = JSON.stringify(r.body);
            for (const leak of ['çukur', 'resolved', 'asfalt', 'FEN', 'timeline', 'status']) assert.ok(!dump.includes(leak), `404 shows "${leak}": ${dump}`);
        }
        assert.deepEqual(answers[0].body, unknown.body, 'a wrong code looks exactly like an unknown number');
    });

    it('the access code is read as people type it: lower case and surrounding blanks are fine', async () => {
        const { tracking, access_code } = made.phone;
        for (const code of [access_code.toLowerCase(), ` ${access_code} `, `${access_code.slice(0, 4).toLowerCase()}${access_code.slice(4)}`]) {
            const r = await anon.get(`/api/v1/public/applications/${tracking}?code=${encodeURIComponent(code)}`);
            assert.equal(r.status, 200, `code ${JSON.stringify(code)}: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.tracking, tracking);
            assert.equal(r.body.status, 'resolved');
        }
    });

    it('the public tracking page does not accept another application\'s code', async () => {
        assert.notEqual(made.email.access_code, made.phone.access_code);
        const r = await anon.get(`/api/v1/public/applications/${made.phone.tracking}?code=${made.email.access_code}`);
        assertError(r, 404, 'not_found');
        assert.deepEqual(Object.keys(r.body), ['error']);
    });
});
