// t48: CİMER. The CİMER unit imports applications (CSV or JSON; a malformed row refuses the
// whole file with its line number and imports nothing; a number imported again is the same
// application: skipped), each with the municipality's promise (15 days) and the legal
// ceiling (30 days, law 3071) counted from the CİMER filing date, a weekend or holiday moving
// the end to the next working day; the queue shows days left and "late" (red) under 3; the
// department's answer is exported as a text block and a file; answered-in-CİMER closes it;
// "belongs to another institution" records the institution and the note and closes it as
// out of scope. Time is pinned (ALO153_NOW).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, login, assertError, cli, TRACKING_RE } from '../lib/server.mjs';

/* Monday 1 June 2026, 09:00 in Istanbul (the Kurban Bayramı of 27-30 May just behind) */
const NOW = '2026-06-01T06:00:00Z';
/* the end of an Istanbul day as UTC */
const eod = (d) => `${d}T20:59:59Z`;

const CSV = [
    'cimer_no;filed_at;name;phone;text',
    '2026-0001;2026-05-12;Ayşe Demir;05321234567;"Mahallemizdeki yol çukurlarla dolu; ""acil"" onarım bekliyoruz."',
    '2026-0002;10.04.2026;;;Parkın aydınlatması yanmıyor',
    '2026-0003;2026-05-29;Mehmet Kaya;;"Çöp konteyneri\ntaşıyor"',
    '2026-0004;2026-05-20;;;Otobüs seferleri yetersiz',
    '2026-0005;2026-05-19;;;Kaldırım yapılmasını talep ediyorum',
    '',
].join('\n');

describe('t48 CİMER', { timeout: 60000 }, () => {
    let srv, desk, admin, staff, agent;
    const csv = (c, body) => c.raw('/api/v1/cimer/import', { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
    const json = (c, body) => c.raw('/api/v1/cimer/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const queue = async (all = false) => {
        const r = await desk.get(`/api/v1/cimer/applications${all ? '?all=1' : ''}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.items;
    };
    const byNo = async (no) => (await queue(true)).find((x) => x.cimer_no === no);

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
        desk = await login(srv.url, 'desk');
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
        staff = await login(srv.url, 'fen');
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('a malformed row refuses the whole file with its line number; nothing is imported', async () => {
        const badQuote = CSV.replace('2026-0004;2026-05-20;;;Otobüs', '2026-0004;2026-05-20;;;"Otobüs');
        let r = await csv(desk, badQuote);
        assertError(r, 400, 'invalid_field');
        assert.equal(r.body.error.line, 6, JSON.stringify(r.body)); /* the row of line 6 opens a quote never closed: reported where the row starts */
        r = await csv(desk, CSV.replace('2026-05-20', '20/05/2026'));
        assertError(r, 400, 'invalid_field', 'filed_at');
        assert.equal(r.body.error.line, 6);
        assert.match(r.body.error.message, /^line 6: /);
        r = await csv(desk, CSV.replace('2026-0002;10.04.2026;;;', '2026-0002;10.04.2026;;'));
        assert.equal(r.body.error.line, 3, JSON.stringify(r.body));
        r = await csv(desk, CSV + '2026-0001;2026-05-01;;;tekrar eden numara\n');
        assertError(r, 400, 'invalid_field', 'cimer_no');
        assert.equal(r.body.error.line, 8);
        r = await json(desk, { applications: [{ cimer_no: 'J-1', filed_at: '2026-05-02', text: 'Geçerli bir başvuru' }, { cimer_no: 'J-2', filed_at: '2026-05-02', text: 'Telefonu bozuk', phone: '123' }] });
        assertError(r, 400, 'invalid_field', 'phone');
        assert.equal(r.body.error.line, 2);
        assert.equal((await queue(true)).length, 0, 'nothing imported');
    });

    it('imports CSV: promise 15 and law 30 days from the filing date, past weekends and holidays; the queue shows days left, red under 3', async () => {
        const r = await csv(desk, CSV);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.created, 5);
        assert.equal(r.body.skipped, 0);
        const [a, b, c, d, e] = r.body.applications;
        for (const x of r.body.applications) {
            assert.match(x.tracking, TRACKING_RE);
            assert.equal(x.status, 'new', 'no routing model: stays new for a person to route');
        }
        /* 12 May + 15 = 27 May, Kurban Bayramı (27-30) and the weekend: Monday 1 June */
        assert.deepEqual([a.filed_at, a.promise_due, a.legal_due], ['2026-05-12T00:00:00Z', eod('2026-06-01'), eod('2026-06-11')]);
        /* 10 April (DD.MM.YYYY) + 15 = Saturday 25 April → Monday 27; + 30 = Sunday 10 May → Monday 11 */
        assert.deepEqual([b.promise_due, b.legal_due], [eod('2026-04-27'), eod('2026-05-11')]);
        assert.deepEqual([c.promise_due, c.legal_due], [eod('2026-06-15'), eod('2026-06-29')]);
        assert.deepEqual([a.days_left, b.days_left, c.days_left, d.days_left, e.days_left], [0, -35, 14, 3, 2]);
        assert.deepEqual([a.late, b.late, c.late, d.late, e.late], [true, true, false, false, true]);
        const app = await desk.get(`/api/v1/applications/${a.app_id}`);
        assert.equal(app.body.channel, 'cimer');
        assert.match(app.body.text, /"acil" onarım/);
        const q = await queue();
        assert.deepEqual(q.map((x) => x.cimer_no), ['2026-0002', '2026-0001', '2026-0005', '2026-0004', '2026-0003'], 'by promise');
        /* the same file again: the same applications, nothing new */
        const again = await csv(desk, CSV);
        assert.equal(again.status, 200);
        assert.deepEqual([again.body.created, again.body.skipped], [0, 5]);
        assert.deepEqual(again.body.applications.map((x) => x.app_id), r.body.applications.map((x) => x.app_id));
        assert.equal((await queue(true)).length, 5);
    });

    it('JSON import and the one-application form; a number imported twice by the form is 409', async () => {
        const r = await json(desk, [{ cimer_no: 'J-10', filed_at: '2026-05-25T10:00:00+03:00', kind: 'complaint', text: 'Sokak köpekleri saldırgan', citizen: { name: 'Zeynep Ak', email: 'zeynep@example.org' } }]);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const app = await desk.get(`/api/v1/applications/${r.body.applications[0].app_id}`);
        assert.equal(app.body.kind, 'complaint');
        const f = await desk.post('/api/v1/cimer/applications', { cimer_no: 'F-1', filed_at: '2026-05-31', text: 'Su kesintisi hakkında bilgi istiyorum', name: 'Ali Veli' });
        assert.equal(f.status, 201, JSON.stringify(f.body));
        assert.equal(f.body.promise_due, eod('2026-06-15'));
        assertError(await desk.post('/api/v1/cimer/applications', { cimer_no: 'F-1', filed_at: '2026-05-31', text: 'Aynı numara' }), 409, 'cimer_exists', 'cimer_no');
        assertError(await desk.post('/api/v1/cimer/applications', { cimer_no: 'F-2', filed_at: '2026-07-01', text: 'Gelecek tarih' }), 400, 'invalid_field', 'filed_at');
        assertError(await desk.post('/api/v1/cimer/applications', { cimer_no: 'F 3', filed_at: '2026-05-01', text: 'Boşluklu numara' }), 400, 'invalid_field', 'cimer_no');
        assert.equal((await byNo('F-2')), undefined);
    });

    it('the answer is exported as text and as a file; answered-in-CİMER closes it once', async () => {
        const a = await byNo('2026-0001');
        assertError(await desk.get(`/api/v1/cimer/applications/${a.app_id}/answer`), 409, 'no_answer');
        assertError(await desk.post(`/api/v1/cimer/applications/${a.app_id}/answered`, {}), 409, 'no_answer');
        const s = await desk.post(`/api/v1/applications/${a.app_id}/route`, { category: "FEN_YOL_CUKUR" });
        assert.equal(s.status, 200, JSON.stringify(s.body));
        assert.equal((await staff.post(`/api/v1/applications/${a.app_id}/accept`, {})).status, 200, 'the department accepts');
        const resp = await staff.post(`/api/v1/applications/${a.app_id}/respond`, { response: 'Yol onarımı 3 Haziran\'da yapılacaktır.' });
        assert.equal(resp.status, 200, JSON.stringify(resp.body));
        const g = await desk.get(`/api/v1/cimer/applications/${a.app_id}`);
        assert.equal(g.status, 200);
        assert.match(g.body.answer_text, /^CİMER Başvuru No: 2026-0001\nBaşvuru Tarihi: 12\.05\.2026\nBelediye Takip No: \d{4}-\d{6}\n/);
        assert.match(g.body.answer_text, /Sayın Ayşe Demir,\n\nYol onarımı 3 Haziran'da yapılacaktır\./);
        const file = await desk.raw(`/api/v1/cimer/applications/${a.app_id}/answer`);
        assert.equal(file.status, 200);
        assert.equal(file.headers.get('content-disposition'), 'attachment; filename="cimer-cevap-2026-0001.txt"');
        assert.equal(file.body, g.body.answer_text);
        const done = await desk.post(`/api/v1/cimer/applications/${a.app_id}/answered`, { answered_at: '2026-06-01T08:30:00Z' });
        assert.equal(done.status, 200, JSON.stringify(done.body));
        assert.equal(done.body.answered_at, '2026-06-01T08:30:00Z');
        assert.equal(done.body.status, 'closed');
        assert.equal(done.body.late, false, 'answered: no longer red');
        assertError(await desk.post(`/api/v1/cimer/applications/${a.app_id}/answered`, {}), 409, 'already_answered');
        assert.ok(!(await queue()).some((x) => x.cimer_no === '2026-0001'), 'gone from the open queue');
    });

    it('"belongs to another institution" records it with the note and closes as out of scope', async () => {
        const c = await byNo('2026-0003');
        assertError(await desk.post(`/api/v1/cimer/applications/${c.app_id}/redirect`, { institution: 'YOK', note: 'İlçe belediyesinin konusu' }), 422, undefined, 'institution');
        assertError(await desk.post(`/api/v1/cimer/applications/${c.app_id}/redirect`, { institution: 'ILCE_MELIKGAZI' }), 400, 'missing_field', 'note');
        const r = await desk.post(`/api/v1/cimer/applications/${c.app_id}/redirect`, { institution: 'ILCE_MELIKGAZI', note: 'Konteynerler ilçe belediyesinin sorumluluğunda' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual([r.body.status, r.body.institution, r.body.note, r.body.open], ['out_of_scope', 'ILCE_MELIKGAZI', 'Konteynerler ilçe belediyesinin sorumluluğunda', false]);
        const app = await desk.get(`/api/v1/applications/${c.app_id}`);
        assert.match(app.body.redirect, /Melikgazi Belediyesi: Konteynerler/);
        assertError(await desk.post(`/api/v1/cimer/applications/${c.app_id}/redirect`, { institution: 'ILCE_MELIKGAZI', note: 'ikinci kez' }), 409);
    });

    it('alo153 cimer import FILE: the same import from the command line', async () => {
        const file = path.join(srv.dir, 'cimer.csv');
        fs.writeFileSync(file, 'cimer_no,filed_at,text\nC-1,2026-05-30,Ağaç budaması talebi\nC-2,2026-05-30\n');
        await assert.rejects(cli(['cimer', 'import', file, '--user', 'desk', '--db', srv.db], { env: { ALO153_NOW: NOW } }), /line 3: 2 columns, the header has 3 \(nothing imported\)/);
        assert.equal(await byNo('C-1'), undefined);
        fs.writeFileSync(file, 'cimer_no,filed_at,text\nC-1,2026-05-30,Ağaç budaması talebi\n');
        const out = await cli(['cimer', 'import', file, '--user', 'desk', '--db', srv.db], { env: { ALO153_NOW: NOW } });
        assert.match(out, /^C-1\t\d{4}-\d{6}\n$/);
        assert.equal((await byNo('C-1')).promise_due, eod('2026-06-15'));
        await assert.rejects(cli(['cimer', 'import', file, '--user', 'fen', '--db', srv.db]), /CİMER unit/);
    });

    it('only the front office (the CİMER unit) may use it', async () => {
        assertError(await staff.get('/api/v1/cimer/applications'), 403);
        assertError(await csv(staff, CSV), 403);
        assert.equal((await agent.get('/api/v1/cimer/applications')).status, 200);
        assertError(await desk.get('/api/v1/cimer/applications/999999'), 404);
        assertError(await desk.raw('/api/v1/cimer/import', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' }), 415);
    });
});
