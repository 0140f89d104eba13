// t57: KVKK erasure (issue 12). POST /citizens/:id/anonymise (dpo, admin) erases a person's
// name, phone, e-mail, T.C. number, address, their applications' texts and their files, keeps
// every statistic (reports/summary and /stats are equal before and after), records the erasure
// in each application's history without the erased data, and refuses (409, Turkish first)
// while an application of theirs is open unless force. The retention policy (alo153 retention
// run, ALO153_NOW two years later) anonymises the citizens whose applications were all closed
// more than N years ago; --dry-run changes nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, sqlite, cli, REPO, assertError, waitFor } from '../lib/server.mjs';

const NOW0 = '2024-05-10T09:00:00Z';
const NOW2 = '2026-07-01T09:00:00Z';
const TC = '10000000146';
const PHOTO = fs.readFileSync(path.join(REPO, 'tests/unit/fixtures/photo/gps.jpg'));
const REPORT = '/api/v1/reports/summary?from=2023-07-01&to=2024-06-01';
const NOW_A = '2026-03-01T09:00:00Z'; // retention 2 years: closed before 2024-03-01

describe('t57 anonymise and retention', { timeout: 60000 }, () => {
    let srv, keyDir, env, agent, dpo, admin, person, app;

    before(async () => {
        keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t57-'));
        env = { ALO153_NOW: NOW0, ALO153_TC_KEY_FILE: path.join(keyDir, 'tc.key') };
        srv = await startServer({ demoSize: 40, env });
        agent = await login(srv.url, 'agent');
        dpo = await login(srv.url, 'kvkk');
        admin = await login(srv.url, 'admin');
        let r = await agent.post('/api/v1/citizens', {
            name: 'Kemal Sunal', phone: '0533 111 22 33', tc: TC, email: 'kemal@example.org', address: 'Lale Sok. 7',
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        person = r.body;
        r = await agent.post('/api/v1/applications', {
            channel: 'desk', text: 'Ben Kemal Sunal, evimin önündeki çukur', category: 'FEN_YOL_CUKUR', route: true,
            citizen_id: person.id, address: 'Lale Sok. 7 önü',
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        app = r.body;
        r = await agent.raw(`/api/v1/applications/${app.id}/attachments?filename=foto.jpg`, { method: 'POST', body: PHOTO });
        assert.equal(r.status, 201, JSON.stringify(r.body));
    });
    after(async () => {
        if (srv) { await srv.stop().catch(() => {}); srv.cleanup(); }
        fs.rmSync(keyDir, { recursive: true, force: true });
    });

    const snapshot = async () => {
        const [rep, stats] = [await admin.get(REPORT), await admin.get('/api/v1/stats')];
        assert.equal(rep.status, 200, JSON.stringify(rep.body));
        assert.equal(stats.status, 200, JSON.stringify(stats.body));
        delete rep.body.generated_at;
        return { report: rep.body, stats: stats.body };
    };

    it('refuses bad requests and other roles, changing nothing', async () => {
        assertError(await agent.post(`/api/v1/citizens/${person.id}/anonymise`, { reason: 'x' }), 403);
        assertError(await dpo.post(`/api/v1/citizens/${person.id}/anonymise`, {}), 400);
        assertError(await dpo.post('/api/v1/citizens/999999/anonymise', { reason: 'Başvuru' }), 404);
        const r = await dpo.post(`/api/v1/citizens/${person.id}/anonymise`, { reason: 'KVKK başvurusu 2024/17' });
        assertError(r, 409, 'open_applications');
        assert.match(r.body.error.message, /açık başvurusu var/);
        assert.ok(r.body.error.message.includes(app.tracking));
        assert.equal(sqlite(srv.db, `SELECT name FROM citizens WHERE id = ${person.id}`), 'Kemal Sunal');
    });

    it('erases the personal data with force and keeps every statistic', async () => {
        const before = await snapshot();
        const blobsBefore = Number(sqlite(srv.db, 'SELECT count(*) FROM blobs'));
        const r = await dpo.post(`/api/v1/citizens/${person.id}/anonymise`, { reason: 'KVKK başvurusu 2024/17', force: true });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.applications, 1);
        assert.equal(r.body.files, 1);
        assert.deepEqual(await snapshot(), before);
        assert.equal(Number(sqlite(srv.db, 'SELECT count(*) FROM blobs')), blobsBefore - 1);

        const d = (await dpo.get(`/api/v1/citizens/${person.id}/export`)).body;
        assert.equal(d.citizen.name, 'Anonim');
        for (const f of ['phone', 'tc', 'email', 'address']) assert.equal(d.citizen[f], null, f);
        assert.equal(d.citizen.anonymised_at, NOW0);
        const a = d.applications[0];
        assert.equal(a.tracking, app.tracking);
        assert.equal(a.category, 'FEN_YOL_CUKUR');
        assert.equal(a.department, 'FEN');
        assert.equal(a.status, 'forwarded');
        assert.ok(!a.text.includes('Kemal'), a.text);
        assert.equal(a.address, null);
        assert.deepEqual(a.attachments, []);
        const ev = a.history.find((e) => e.action === 'anonymise');
        assert.equal(ev.note, 'KVKK başvurusu 2024/17');
        assert.match(ev.user, /Veri Koruma/);
        const dump = JSON.stringify(d);
        for (const s of ['Kemal', 'Sunal', '5331112233', TC, 'kemal@', 'Lale']) assert.ok(!dump.includes(s), s);
        // the front office still finds the application, without the person
        const seen = await agent.get(`/api/v1/applications/${app.id}`);
        assert.equal(seen.status, 200);
        assert.ok(!JSON.stringify(seen.body).includes('Kemal'));
    });

    it('retention: a dry run changes nothing; the CLI and the nightly job anonymise the closed ones, statistics equal', async () => {
        await srv.stop();
        const env2 = { ...env, ALO153_NOW: NOW2 };
        await srv.restart({ env: env2 }); // retention off: the job does nothing
        admin = await login(srv.url, 'admin');
        // who is due, counted here independently: every application final and closed before cutoff
        const due = (cutoff) => Number(sqlite(srv.db, `SELECT count(*) FROM citizens c WHERE c.anonymised_at IS NULL
            AND EXISTS (SELECT 1 FROM applications a WHERE a.citizen_id = c.id)
            AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.citizen_id = c.id AND
              (a.status NOT IN ('closed','out_of_scope','duplicate') OR coalesce(a.closed_at, a.updated_at) >= ${Date.parse(cutoff) / 1000}))`));
        const keep = sqlite(srv.db, `SELECT c.id FROM citizens c JOIN applications a ON a.citizen_id = c.id
            WHERE a.status IN ('forwarded','in_progress','resolved','new') AND c.anonymised_at IS NULL LIMIT 1`);
        const named = () => Number(sqlite(srv.db, 'SELECT count(*) FROM citizens WHERE anonymised_at IS NULL'));
        const before = await snapshot();
        const open = named();
        const dueA = due('2024-03-01T09:00:00Z');
        assert.ok(dueA > 0, 'the demo data has applications closed before March 2024');
        const envA = { ...env, ALO153_NOW: NOW_A };
        const dry = await cli(['retention', 'run', '--dry-run', '--years', '2', '--db', srv.db], { env: envA });
        assert.match(dry, new RegExp(`would anonymise ${dueA} citizens`));
        assert.equal(named(), open);
        const run = await cli(['retention', 'run', '--years', '2', '--db', srv.db], { env: envA });
        assert.match(run, new RegExp(`^anonymised ${dueA} citizens`));
        assert.equal(named(), open - dueA);
        assert.deepEqual(await snapshot(), before);

        // the nightly job of serve: retention.years 2 at NOW2 takes the rest closed before July 2024
        const dueB = due('2024-07-01T09:00:00Z');
        assert.ok(dueB > 0, 'some were closed between March and July 2024');
        await cli(['retention', 'set', '--years', '2', '--db', srv.db]);
        assert.match(await cli(['retention', 'show', '--db', srv.db]), /retention\.years 2/);
        await srv.stop();
        await srv.restart({ env: env2 });
        admin = await login(srv.url, 'admin');
        await waitFor(async () => named() === open - dueA - dueB, { tries: 200, what: 'the retention job ran' });
        assert.deepEqual(await snapshot(), before);
        if (keep) assert.notEqual(sqlite(srv.db, `SELECT name FROM citizens WHERE id = ${keep}`), 'Anonim');
        // once a day: the day is remembered, and a second run finds nobody
        assert.ok(sqlite(srv.db, "SELECT value FROM settings WHERE key = 'retention.last_day'"));
        assert.match(await cli(['retention', 'run', '--db', srv.db], { env: env2 }), /^anonymised 0 citizens/);
    });
});
