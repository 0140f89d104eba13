// t49: e-mail intake against a real IMAP server (dovecot, started here by tests/lib/imap-test.sh).
// `serve --imap-url` polls the mailbox: a plain message becomes an application with its contact
// and the original kept as ileti.eml; a quoted-printable ISO-8859-9 body with an RFC 2047
// subject and a base64 body arrive as proper Turkish; a reply naming the tracking number is
// threaded to its application; a message in a broken encoding is kept and flagged, never
// dropped; two serve processes polling one mailbox take each message once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, login, waitFor, listAllIds, REPO } from '../lib/server.mjs';

const NOW = '2026-06-01T06:00:00Z';
const CRLF = (s) => s.replace(/\r?\n/g, '\r\n');
let seq = 0;

/** Start dovecot through tests/lib/imap-test.sh; resolves with its ALO153_TEST_IMAP_* values. */
async function startImap() {
    const envFile = path.join(fs.mkdtempSync('/tmp/alo153-t49-'), 'env');
    const proc = spawn('bash', [path.join(REPO, 'tests/lib/imap-test.sh'), 'bash', '-c', `env | grep ^ALO153_TEST_IMAP > ${envFile}.tmp && mv ${envFile}.tmp ${envFile} && exec sleep 600`],
        { detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
    proc.unref();
    const kill = () => { try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ } };
    let text;
    try {
        text = await waitFor(() => fs.existsSync(envFile) && fs.readFileSync(envFile, 'utf8'), { tries: 600, delayMs: 50, what: 'dovecot started' });
    } catch (e) {
        kill();
        throw e;
    }
    const env = Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return { env, stop: () => { kill(); fs.rmSync(path.dirname(envFile), { recursive: true, force: true }); } };
}

describe('t49 e-mail intake over IMAP', { timeout: 90000 }, () => {
    let imap, srv, second, admin, mailEnv;
    const deliver = (raw) => {
        const name = `${Date.now()}.${process.pid}_${++seq}.alo153`;
        const tmp = path.join(mailEnv.ALO153_TEST_IMAP_MAILDIR, 'tmp', name);
        fs.writeFileSync(path.join(mailEnv.ALO153_TEST_IMAP_MAILDIR, 'new', name), raw);
        return tmp;
    };
    const emailApps = () => listAllIds(admin, 'channel=email');
    const appWith = async (needle) => {
        for (const id of await emailApps()) {
            const a = (await admin.get(`/api/v1/applications/${id}`)).body;
            if (a.text.includes(needle)) return a;
        }
        return null;
    };

    before(async () => {
        imap = await startImap();
        mailEnv = imap.env;
        const env = {
            ALO153_NOW: NOW, ALO153_IMAP_URL: mailEnv.ALO153_TEST_IMAP_URL,
            ALO153_IMAP_CREDENTIALS: mailEnv.ALO153_TEST_IMAP_CREDENTIALS, ALO153_IMAP_INTERVAL: '1',
        };
        srv = await startServer({ demoSize: 0, env });
        admin = await login(srv.url, 'admin');
    });
    after(async () => {
        if (second) await second.stop();
        if (srv) { await srv.stop(); srv.cleanup(); }
        if (imap) imap.stop();
    });

    it('a plain message becomes an application with its contact; the original is kept as .eml', async () => {
        const raw = CRLF(`From: Ayşe Demir <ayse@example.org>\nTo: beyazmasa@belediye.example\nSubject: Sokak lambası yanmıyor\nMessage-ID: <plain-1@example.org>\nDate: Mon, 1 Jun 2026 08:00:00 +0300\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nCumhuriyet Mahallesi 12. sokaktaki lamba bir haftadır yanmıyor.\n`);
        deliver(raw);
        const a = await waitFor(() => appWith('lamba bir haftadır'), { tries: 300, delayMs: 50, what: 'the plain message taken' });
        assert.equal(a.channel, 'email');
        assert.equal(a.text, 'Sokak lambası yanmıyor\n\nCumhuriyet Mahallesi 12. sokaktaki lamba bir haftadır yanmıyor.');
        const cz = (await admin.get(`/api/v1/citizens/${a.citizen_id}`)).body;
        assert.deepEqual([cz.name, cz.email], ['Ayşe Demir', 'ayse@example.org']);
        assert.equal(a.attachments.length, 1, JSON.stringify(a.attachments));
        assert.equal(a.attachments[0].filename, 'ileti.eml');
        const eml = await admin.raw(`/api/v1/applications/${a.id}/attachments/${a.attachments[0].id}`);
        assert.equal(eml.body, raw, 'the original, byte for byte');
        const contacts = (await admin.get(`/api/v1/contacts?channel=email`)).body.items;
        assert.ok(contacts.some((c) => c.application_id === a.id && c.outcome === 'application'), JSON.stringify(contacts));
    });

    it('quoted-printable ISO-8859-9 with an RFC 2047 subject, and base64, arrive as Turkish', async () => {
        /* "Çöp konteynerleri taşıyor" / "Şükrü Ağaoğlu" in ISO-8859-9, quoted-printable */
        deliver(CRLF(`From: =?ISO-8859-9?Q?=DE=FCkr=FC_A=F0ao=F0lu?= <sukru@example.org>\nSubject: =?ISO-8859-9?Q?=C7=F6p_konteynerleri_ta=FE=FDyor?=\nMessage-ID: <qp-1@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-9\nContent-Transfer-Encoding: quoted-printable\n\nG=FCltepe Mahallesi'ndeki =E7=F6p konteynerleri iki g=FCnd=FCr bo=FEalt=FDlmad=\n=FD. =DDlgilenmenizi rica ederim.\n`));
        const b64 = Buffer.from('Parkın salıncakları kırık, çocuklar için tehlikeli olabilir.').toString('base64');
        deliver(CRLF(`From: veli@example.org\nSubject: Park\nMessage-ID: <b64-1@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b1"\n\n--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${b64}\n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>html</p>\n--b1--\n`));
        const a = await waitFor(() => appWith('Gültepe'), { tries: 300, delayMs: 50, what: 'the QP message' });
        assert.equal(a.text, "Çöp konteynerleri taşıyor\n\nGültepe Mahallesi'ndeki çöp konteynerleri iki gündür boşaltılmadı. İlgilenmenizi rica ederim.");
        assert.equal((await admin.get(`/api/v1/citizens/${a.citizen_id}`)).body.name, 'Şükrü Ağaoğlu');
        const b = await waitFor(() => appWith('salıncakları'), { tries: 300, delayMs: 50, what: 'the base64 message' });
        assert.equal(b.text, 'Park\n\nParkın salıncakları kırık, çocuklar için tehlikeli olabilir.');
    });

    it('a reply naming the tracking number is threaded to its application', async () => {
        const a = await appWith('lamba bir haftadır');
        const before = (await emailApps()).length;
        deliver(CRLF(`From: ayse@example.org\nSubject: Re: =?UTF-8?Q?Ba=C5=9Fvurunuz?= ${a.tracking}\nMessage-ID: <reply-1@example.org>\nIn-Reply-To: <plain-1@example.org>\nContent-Type: text/plain; charset=utf-8\n\nLamba hâlâ yanmıyor, ne zaman onarılacak?\n`));
        const hist = await waitFor(async () => {
            const h = (await admin.get(`/api/v1/applications/${a.id}`)).body.history;
            return h.some((e) => e.action === 'message') && h;
        }, { tries: 300, delayMs: 50, what: 'the reply threaded' });
        const ev = hist.find((e) => e.action === 'message');
        assert.match(ev.note, /Lamba hâlâ yanmıyor, ne zaman onarılacak\?/);
        assert.equal((await emailApps()).length, before, 'no new application');
    });

    it('a message in a broken encoding is kept, flagged, never dropped', async () => {
        /* declared UTF-8, but Latin-5 bytes (0xFE 0xFD), and an unknown charset */
        const bad = Buffer.concat([Buffer.from(CRLF('From: x@example.org\nSubject: Bozuk kodlama\nMessage-ID: <broken-1@example.org>\nContent-Type: text/plain; charset=utf-8\n\nYol ')), Buffer.from([0xE7, 0x61, 0x6C, 0xFD, 0xFE, 0x6D, 0x61, 0x73, 0xFD]), Buffer.from(CRLF(' bitmedi hala burada\n'))]);
        deliver(bad);
        deliver(CRLF('From: y@example.org\nSubject: Bilinmeyen karakter seti\nMessage-ID: <broken-2@example.org>\nContent-Type: text/plain; charset=x-no-such-charset\n\nKaldirim tasi yerinden oynamis durumda\n'));
        const a = await waitFor(() => appWith('Bozuk kodlama'), { tries: 300, delayMs: 50, what: 'the broken message' });
        assert.equal(a.text, 'Bozuk kodlama\n\nYol \uFFFDal\uFFFD\uFFFDmas\uFFFD bitmedi hala burada\n[kodlaması bozuk ileti: aslı ekte]');
        const eml = await admin.raw(`/api/v1/applications/${a.id}/attachments/${a.attachments[0].id}`);
        assert.ok(Buffer.from(await new Blob([eml.body]).arrayBuffer()).length > 0);
        const b = await waitFor(() => appWith('Bilinmeyen karakter'), { tries: 300, delayMs: 50, what: 'the unknown charset' });
        assert.match(b.text, /Kaldirim tasi yerinden oynamis durumda\n\[kodlaması bozuk ileti: aslı ekte\]$/);
    });

    it('a long message keeps every byte of its text: subject, Message-ID and body past 4 KB (strbuf caps)', async () => {
        /* a 120-byte subject, a 200-byte Message-ID, a 4.2 KB ISO-8859-9 body (each Turkish letter
         * doubles in UTF-8): caps meant as sizes had cut these at 64 bytes, n + 16, 256 and 4096 */
        const subject = 'Uzun konu ' + 'x'.repeat(110);
        const mid = `<long-${'m'.repeat(180)}@example.org>`;
        const words = 'çöğüşı '.repeat(600); /* 4200 bytes in Latin-5, 7800 in UTF-8 */
        const latin5 = Buffer.from(words.replace(/ç/g, '\xE7').replace(/ö/g, '\xF6').replace(/ğ/g, '\xF0').replace(/ü/g, '\xFC').replace(/ş/g, '\xFE').replace(/ı/g, '\xFD'), 'latin1');
        deliver(Buffer.concat([Buffer.from(CRLF(`From: uzun@example.org\nSubject: ${subject}\nMessage-ID: ${mid}\nContent-Type: text/plain; charset=ISO-8859-9\nContent-Transfer-Encoding: 8bit\n\nBasi `)), latin5, Buffer.from(CRLF(' sonu.\n'))]));
        const a = await waitFor(() => appWith('Uzun konu'), { tries: 300, delayMs: 50, what: 'the long message' });
        assert.equal(a.text, `${subject}\n\nBasi ${words} sonu.`);
        /* the same Message-ID again: a duplicate (the whole ID is the key, not its first 64 bytes) */
        deliver(CRLF(`From: uzun@example.org\nSubject: Uzun ikinci\nMessage-ID: ${mid.replace('@', 'x@')}\nContent-Type: text/plain; charset=utf-8\n\nBaşka bir ileti, ayrı bir başvuru.\n`));
        const b = await waitFor(() => appWith('Başka bir ileti'), { tries: 300, delayMs: 50, what: 'a second long Message-ID' });
        assert.notEqual(b.id, a.id);
    });

    it('two serve processes on one mailbox take each message once; the same Message-ID again is a duplicate', async () => {
        second = await startServer({ db: srv.db, env: srv.env });
        const before = (await emailApps()).length;
        for (let i = 0; i < 4; i++) {
            deliver(CRLF(`From: z${i}@example.org\nSubject: Kaldırım talebi ${i}\nMessage-ID: <twice-${i}@example.org>\nContent-Type: text/plain; charset=utf-8\n\nEvimizin önüne kaldırım yapılmasını talep ediyorum ${i}.\n`));
        }
        deliver(CRLF('From: ayse@example.org\nSubject: Sokak lambası yanmıyor\nMessage-ID: <plain-1@example.org>\nContent-Type: text/plain; charset=utf-8\n\nAynı ileti ikinci kez geldi ama yeni bir başvuru olmamalı.\n'));
        await waitFor(async () => (await emailApps()).length >= before + 4 && (await admin.get('/api/v1/contacts?channel=email&limit=500')).body.items.length, { tries: 300, delayMs: 50, what: 'four taken' });
        /* both pollers have run over every UID: wait for the last UID to be recorded */
        await waitFor(async () => {
            const s = (await admin.get('/api/v1/applications?channel=email&limit=500')).body.items;
            return s.length === before + 4;
        }, { tries: 100, delayMs: 50, what: 'stable' });
        const texts = [];
        for (const id of await emailApps()) texts.push((await admin.get(`/api/v1/applications/${id}`)).body.text);
        for (let i = 0; i < 4; i++) assert.equal(texts.filter((t) => t.startsWith(`Kaldırım talebi ${i}\n`)).length, 1, `message ${i} once`);
        assert.equal(texts.filter((t) => t.includes('ikinci kez geldi')).length, 0, 'the repeated Message-ID made nothing');
    });
    it('a mailbox whose UIDVALIDITY changed (recreated) is scanned again: the new message is taken, nothing twice', async () => {
        const dir = mailEnv.ALO153_TEST_IMAP_MAILDIR;
        const before = await emailApps();
        const last = Number(await waitFor(async () => {
            const v = (await admin.get('/api/v1/applications?channel=email&limit=1')).status === 200;
            return v && fs.readdirSync(path.join(dir, 'cur')).length + fs.readdirSync(path.join(dir, 'new')).length;
        }, { tries: 10, delayMs: 50, what: 'the mailbox' }));
        assert.ok(last >= 10, `the mailbox holds ${last} messages, so the stored last UID is high`);
        /* recreate the mailbox: dovecot forgets its UIDs and numbers the messages again from 1
         * under a new UIDVALIDITY (the stored last UID now points past the new message's UID) */
        /* with fewer messages than before (an archive moved half away): first the messages, then
         * dovecot's UID list and indexes, so a poll in between cannot number the new one high */
        const old = ['cur', 'new'].flatMap((d) => fs.readdirSync(path.join(dir, d)).map((f) => path.join(dir, d, f))).sort();
        for (const f of old.slice(0, Math.ceil(old.length / 2))) fs.rmSync(f);
        for (const f of fs.readdirSync(dir)) if (f.startsWith('dovecot')) fs.rmSync(path.join(dir, f), { force: true, recursive: true });
        deliver(CRLF('From: yeni@example.org\nSubject: Yeniden kurulan kutu\nMessage-ID: <after-recreate-1@example.org>\nContent-Type: text/plain; charset=utf-8\n\nPosta kutusu yeniden kurulduktan sonra gelen ileti.\n'));
        const a = await waitFor(() => appWith('yeniden kurulduktan sonra'), { tries: 300, delayMs: 50, what: 'the message after the recreation' });
        assert.equal(a.channel, 'email');
        const after = await emailApps();
        assert.equal(after.length, before.length + 1, 'the old messages were not taken again');
    });
});
