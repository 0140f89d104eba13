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

    it('FTS syntax in the query is plain text: each query answers exactly as its words alone', async () => {
        const all = (await admin.get('/api/v1/applications?limit=500')).body.items.map((a) => a.id);
        // [query, the plain words it must equal; null: it has no words, so it filters nothing]
        const cases = [
            ['"', null], ['"çukur', 'çukur'], ['çukur"', 'çukur'], ['çukur*', 'çukur'], ['*', null],
            ['AND', 'and'], ['OR çukur', 'or çukur'], ['NOT', 'not'], ['NEAR(çukur ışık)', 'near çukur ışık'],
            ['a:b', 'a b'], ['(', null], [')', null], ['^çukur', 'çukur'], ['-çukur', 'çukur'], ['+', null],
            ['\'', null], ['\\', null], ['%', null], ['çukur OR ışık', 'çukur or ışık'],
            ['{text}:çukur', 'text çukur'], ['🚧', null], ['ç', 'c'],
        ];
        for (const [q, plain] of cases) {
            const r = await admin.get(`/api/v1/applications?limit=500&q=${encodeURIComponent(q)}`);
            assert.equal(r.status, 200, `q=${q}: ${r.status} ${JSON.stringify(r.body)}`);
            const ids = r.body.items.map((a) => a.id);
            assert.deepEqual(ids, plain === null ? all : await search(plain, admin), `q=${q} answers as ${plain === null ? 'no search' : plain}`);
        }
        assert.deepEqual(await search('çukur*'), await search('çukur'));
        assert.ok((await search('çukur')).includes(app.cukur.id));
        assert.deepEqual(await search('çukur OR ışık'), [], 'OR is a word: no application has "or", "çukur" and "ışık"');
    });

    it('an invalid UTF-8 search is 400 field q', async () => {
        const r = await admin.get('/api/v1/applications?q=%FF%FEabc');
        assert.equal(r.status, 400, `${r.status} ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, 'q');
    });
});

// Turkish edge cases on a database holding only these texts, so every result is an exact list.
describe('t6 Turkish search edge cases', { timeout: 60000 }, () => {
    let srv, agent;
    const T = {
        kayseri: 'Kayseri merkezde su yok',
        kayseriDe: "Kayseri'de yol bozuk",
        kayseriNin: 'Kayseri’nin parkları bakımsız',  // typographic apostrophe
        deOnly: 'Köprüde de ışıklar sönük',
        hala: 'hala çözülmedi',
        halaHat: 'hâlâ bekliyoruz',
        istinatCap: 'İSTİNAT duvarı yıkıldı',
        istinat: 'istinat duvari çatladı',
        istinatAscii: 'ISTINAT DUVARI',
        isikProper: 'ışık yok',
        isikAscii: 'isik yok',
        kaldir: 'kaldır şunu',
        kaldirim: 'kaldırım kırık',
        stop: 've bir de',
        veBir: 've bir',
    };
    const id = {};
    const name = {};

    before(async () => {
        srv = await startServer({ demo: true, demoSize: 0 });
        agent = await login(srv.url, 'agent');
        for (const [k, text] of Object.entries(T)) {
            const r = await agent.post('/api/v1/applications', { channel: 'desk', text });
            assert.equal(r.status, 201, JSON.stringify(r.body));
            id[k] = r.body.id;
            name[r.body.id] = k;
        }
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    /** The keys of T that q finds, sorted. */
    async function found(q) {
        const r = await agent.get(`/api/v1/applications?limit=500&q=${encodeURIComponent(q)}`);
        assert.equal(r.status, 200, `q=${q}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body.items.map((a) => name[a.id]).sort();
    }
    async function expect(q, keys) {
        assert.deepEqual(await found(q), [...keys].sort(), `q=${q}`);
    }

    it("a suffix after an apostrophe is not a search word: \"Kayseri'de\" finds every Kayseri", async () => {
        const kayseri = ['kayseri', 'kayseriDe', 'kayseriNin'];
        await expect('Kayseri', kayseri);
        await expect("Kayseri'de", kayseri);
        await expect('Kayseri’de', kayseri);
        await expect("KAYSERİ'NİN", kayseri);
        // the suffix alone is still a word: "de" finds the texts that have it (not "merkezde")
        await expect('de', ['kayseriDe', 'deOnly', 'stop']);
        await expect("'de", ['kayseriDe', 'deOnly', 'stop']);
    });

    it('circumflex letters fold: "hâlâ" and "hala" find the same rows', async () => {
        for (const q of ['hâlâ', 'hala', 'HÂLÂ', 'HALA', 'Hâlâ']) await expect(q, ['hala', 'halaHat']);
    });

    it('İ and I: "İSTİNAT", "istinat" and "ISTINAT" find the same three rows', async () => {
        for (const q of ['İSTİNAT', 'istinat', 'ISTINAT', 'İstinat', 'Istinat']) await expect(q, ['istinatCap', 'istinat', 'istinatAscii']);
        for (const q of ['duvarı', 'duvari', 'DUVARI', 'DUVARİ']) await expect(q, ['istinatCap', 'istinat', 'istinatAscii']);
    });

    it('dotless ı and i are one letter: "ışık" and "isik" find both spellings', async () => {
        // ("ışıklar" in deOnly has the same stem)
        for (const q of ['ışık', 'isik', 'IŞIK', 'ISIK', 'İŞİK', 'Işık', 'ışıklar', 'isiklar']) await expect(q, ['isikProper', 'isikAscii', 'deOnly']);
    });

    it('words are matched whole (by stem), never as prefixes', async () => {
        await expect('kaldır', ['kaldir']);                // "kaldırım" is another word
        await expect('kaldır*', ['kaldir']);               // * is not an operator
        await expect('kald', []);
        await expect('kaldırım', ['kaldir', 'kaldirim']);  // stem "kaldır" meets the word "kaldır"
        await expect('Kay', []);
    });

    it('there is no stop-word list: "ve", "bir", "de" are words, and all of them must match', async () => {
        await expect('ve', ['stop', 'veBir']);
        await expect('ve bir', ['stop', 'veBir']);
        await expect('ve bir de', ['stop']);
        await expect('VE BİR DE', ['stop']);
    });

    it('a query without any word (punctuation, spaces, emoji) filters nothing', async () => {
        const all = Object.keys(T).sort();
        for (const q of ['!!!', '   ', '*', '"', "'", '🚧', '...', '-']) await expect(q, all);
        const plain = await agent.get('/api/v1/applications?limit=500');
        const r = await agent.get(`/api/v1/applications?limit=500&q=${encodeURIComponent('?!')}`);
        assert.deepEqual(r.body.items.map((a) => a.id), plain.body.items.map((a) => a.id));
    });

    it('search paging with limit=1 walks the Kayseri rows newest first, each once', async () => {
        const ids = [];
        let after = null;
        for (let i = 0; i < 10; i++) {
            const r = await agent.get(`/api/v1/applications?limit=1&q=${encodeURIComponent("Kayseri'de")}${after ? `&after=${after}` : ''}`);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            ids.push(...r.body.items.map((a) => a.id));
            if (r.body.next === null) break;
            after = r.body.next;
        }
        assert.deepEqual(ids, [id.kayseriNin, id.kayseriDe, id.kayseri]);
    });
});
