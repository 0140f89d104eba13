// t30: the report's exports and CLI (issue 11, docs/REPORTS.md "Exports" and "Outputs"):
// GET /api/v1/reports/export gives a CSV of one table and an XLSX of every table (read back
// with openpyxl) with the same numbers as GET /api/v1/reports/summary, to supervisors, admins
// and a manager (their department only), never to agents or staff; bad input is 400. `alo153
// report` prints the Turkish paragraph with the summary's numbers written the Turkish way and
// writes csv/xlsx/json files. The clock is pinned (ALO153_NOW), so the demo data is fixed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, assertError, BIN, REPO } from '../lib/server.mjs';

const NOW = '2025-12-31T12:00:00Z';
const Q = 'from=2025-01-01&to=2025-12-31';
const PY = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Run alo153 ARGS; resolves with {code, stdout (Buffer), stderr} whatever the exit code. */
function run(args) {
    return new Promise((resolve) => {
        execFile(BIN, args, { cwd: REPO, timeout: 60000, encoding: 'buffer', env: { ...process.env, ALO153_NOW: NOW } },
            (err, stdout, stderr) => resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr: stderr.toString('utf8') }));
    });
}

// Turkish numbers, written here independently of src/report/tr_format.c
const trInt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
const trWords = (n) => {
    if (n < 10000) return trInt(n);
    const units = ['', 'bin', 'milyon', 'milyar'];
    const parts = [];
    for (let g = 0; n > 0; g++, n = Math.floor(n / 1000)) {
        if (n % 1000) parts.unshift(g ? `${n % 1000} ${units[g]}` : String(n % 1000));
    }
    return parts.join(' ');
};
const trPct = (share) => '%' + String(Math.round(share * 10000) / 100).replace('.', ',');
/** "12345" or "93,96" (CSV: no grouping, decimal comma, shares as percent points) → number */
const csvNum = (s) => (s === '' ? null : Number(s.replace(',', '.')));

/** The sheets of an XLSX (bytes) as {name: [[cell…]…]} via openpyxl. */
function readXlsx(bytes) {
    const f = path.join(os.tmpdir(), `alo153-t30-${process.pid}-${Date.now()}.xlsx`);
    fs.writeFileSync(f, bytes);
    try {
        const out = execFileSync(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in wb.worksheets}, default=str))
`, f], { encoding: 'utf8' });
        return JSON.parse(out);
    } finally {
        fs.rmSync(f, { force: true });
    }
}

/** CSV text (BOM, ';', CRLF, RFC 4180) → rows of fields */
function parseCsv(text) {
    assert.ok(text.startsWith('\uFEFF'), 'CSV starts with a BOM');
    text = text.slice(1);
    const rows = [];
    let row = [], field = '', q = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (q) {
            if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') q = false; else field += ch;
        } else if (ch === '"') q = true;
        else if (ch === ';') { row.push(field); field = ''; }
        else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
        else field += ch;
    }
    assert.equal(field, '', 'the CSV ends with CRLF');
    return rows;
}

describe('t30 report exports and alo153 report', { timeout: 180000 }, () => {
    let srv, sup, admin, mgr, agent, staff, summary;

    before(async () => {
        srv = await startServer({ demoSize: 120, env: { ALO153_NOW: NOW } });
        [sup, admin, mgr, agent, staff] = await Promise.all(
            ['supervisor', 'admin', 'fen.mudur', 'agent', 'fen'].map((u) => login(srv.url, u)));
        const r = await sup.get(`/api/v1/reports/summary?${Q}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        summary = r.body;
    });
    after(async () => {
        if (srv) {
            await srv.stop();
            srv.cleanup();
        }
    });

    const table = (s, name) => s.tables.find((t) => t.name === name);

    it('CSV of a table: headers, BOM, Turkish decimals and the summary\'s numbers', async () => {
        const r = await sup.get(`/api/v1/reports/export?${Q}&format=csv&table=by_department`);
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
        assert.equal(r.headers.get('content-disposition'),
            'attachment; filename="alo153-rapor-2025-01-01_2025-12-31-by_department.csv"');
        const rows = parseCsv(r.bytes.toString('utf8'));
        const t = table(summary, 'by_department');
        assert.ok(t.rows.length > 1, 'demo data has several departments');
        const head = [t.key.title, 'Adı', ...t.columns.map((c) => (c.type === 'pct' ? `${c.title} (%)` : c.title))];
        assert.deepEqual(rows[0], head);
        assert.equal(rows.length, t.rows.length + 1);
        t.rows.forEach((jr, i) => {
            const cr = rows[i + 1];
            assert.equal(cr[0], jr.key);
            assert.equal(cr[1], jr.label ?? '');
            jr.values.forEach((v, c) => {
                const want = v === null ? null : t.columns[c].type === 'pct' ? Math.round(v * 10000) / 100 : Math.round(v * 100) / 100;
                assert.equal(csvNum(cr[c + 2]), want, `${jr.key} ${t.columns[c].key}: ${cr[c + 2]}`);
                if (t.columns[c].type !== 'int' && v !== null && v % 1) assert.ok(!cr[c + 2].includes('.'), 'decimal comma');
            });
        });
        const en = await sup.get(`/api/v1/reports/export?${Q}&format=csv&table=by_month&lang=en`);
        assert.equal(en.status, 200);
        assert.match(en.headers.get('content-disposition'), /filename="alo153-report-2025-01-01_2025-12-31-by_month\.csv"/);
        assert.match(en.bytes.toString('utf8'), /^\uFEFFMonth;/);
    });

    it('XLSX: a summary sheet then one sheet per table, numbers as numbers', async () => {
        const r = await admin.get(`/api/v1/reports/export?${Q}&format=xlsx`);
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        assert.equal(r.headers.get('content-disposition'), 'attachment; filename="alo153-rapor-2025-01-01_2025-12-31.xlsx"');
        assert.equal(r.bytes.subarray(0, 2).toString('latin1'), 'PK');
        const wb = readXlsx(r.bytes);
        const names = Object.keys(wb);
        assert.equal(names[0], 'Özet');
        assert.equal(names.length, summary.tables.length + 1);
        for (const n of names) assert.ok([...n].length <= 31, n);
        const ozet = wb['Özet'];
        assert.match(String(ozet[2][0]), /^2025'te /);
        const answered = ozet.find((row) => row[0] === 'Karşılanan çağrı');
        assert.equal(answered[1], summary.calls.answered);
        const months = wb[table(summary, 'by_month').title];
        const t = table(summary, 'by_month');
        assert.deepEqual(months[0], [t.key.title, 'Adı', ...t.columns.map((c) => c.title)]);
        t.rows.forEach((jr, i) => {
            assert.equal(months[i + 1][0], jr.key);
            jr.values.forEach((v, c) => {
                const got = months[i + 1][c + 2];
                const what = `${jr.key} ${t.columns[c].key}: ${got} against ${v}`;
                if (v === null) assert.equal(got, null, what); // an empty cell, never 0
                else assert.ok(Math.abs(got - v) < 1e-9, what); // JSON has 10 significant digits
            });
        });
        // one table only
        const one = await sup.get(`/api/v1/reports/export?${Q}&format=xlsx&table=by_kind`);
        assert.equal(one.status, 200);
        assert.deepEqual(Object.keys(readXlsx(one.bytes)), [table(summary, 'by_kind').title]);
    });

    it('roles: a manager gets their department only; agents and staff get 403', async () => {
        const r = await mgr.get(`/api/v1/reports/export?${Q}&format=csv&table=by_department`);
        assert.equal(r.status, 200, r.body);
        const rows = parseCsv(r.bytes.toString('utf8')).slice(1);
        const all = table(summary, 'by_department').rows.length;
        assert.ok(rows.length >= 1 && rows.length < all, `manager sees ${rows.length} of ${all}`);
        assert.ok(rows.some((row) => row[0] === 'FEN'), JSON.stringify(rows));
        const x = await mgr.get(`/api/v1/reports/export?${Q}&format=xlsx`);
        assert.equal(x.status, 200);
        assert.equal(readXlsx(x.bytes)['Özet'].find((row) => row[0] === 'Karşılanan çağrı'), undefined,
            'no call figures in a department\'s report');
        for (const c of [agent, staff]) {
            assertError(await c.get(`/api/v1/reports/export?${Q}&format=csv&table=by_month`), 403, 'forbidden');
        }
    });

    it('bad input: 400 with the field, nothing sent', async () => {
        assertError(await sup.get(`/api/v1/reports/export?${Q}&format=csv&table=nope`), 400, 'unknown_table', 'table');
        assertError(await sup.get(`/api/v1/reports/export?${Q}&format=xlsx&table=nope`), 400, 'unknown_table', 'table');
        assertError(await sup.get(`/api/v1/reports/export?${Q}&format=csv`), 400, 'missing_field', 'table');
        assertError(await sup.get(`/api/v1/reports/export?${Q}&format=pdf&table=by_month`), 400, 'invalid_field', 'format');
        assertError(await sup.get(`/api/v1/reports/export?${Q}&format=csv&table=by_month&lang=de`), 400, 'invalid_field', 'lang');
        assertError(await sup.get('/api/v1/reports/export?from=2025-01-01&to=2026-06-30&format=xlsx'), 400);
        assertError(await sup.get('/api/v1/reports/export?from=2025-02-30&to=2025-12-31&format=xlsx'), 400);
        assertError(await sup.get('/api/v1/reports/export?format=xlsx'), 400);
    });

    it('alo153 report: the Turkish paragraph with the summary\'s numbers, and the files', async () => {
        const r = await run(['report', '--db', srv.db, '--from', '2025-01-01', '--to', '2025-12-31']);
        assert.equal(r.code, 0, r.stderr);
        const raw = r.stdout.toString('utf8');
        const text = raw.replace(/\n(?=\S)/g, ' '); // the paragraph is wrapped
        assert.ok(summary.calls.answered > 0);
        const opening = `2025'te ${trWords(summary.calls.answered)} çağrı ${trPct(summary.calls.answer_rate)} başarı oranıyla karşılandı`;
        assert.ok(text.includes(opening), `${opening}\nnot in\n${text.slice(0, 600)}`);
        assert.ok(text.includes(`Aynı dönemde ${trWords(summary.applications.total)} kayıtlı başvuru alındı`), text.slice(0, 600));
        assert.match(text, /bunların \d[\d ]*'(i|ı|u|ü|si|sı|su|sü) anlık bilgilendirmeyle sonuçlandı/);
        assert.match(raw, /\nAylara göre\n-+\n/);

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t30-'));
        try {
            const x = await run(['report', '--db', srv.db, '--from', '2025-01-01', '--to', '2025-12-31', '--format', 'xlsx', '--out', path.join(dir, 'r.xlsx')]);
            assert.equal(x.code, 0, x.stderr);
            assert.equal(Object.keys(readXlsx(fs.readFileSync(path.join(dir, 'r.xlsx')))).length, summary.tables.length + 1);
            const j = await run(['report', '--db', srv.db, '--from', '2025-01-01', '--to', '2025-12-31', '--format', 'json']);
            assert.equal(j.code, 0, j.stderr);
            assert.deepEqual(JSON.parse(j.stdout.toString('utf8')).calls, summary.calls);
            const c = await run(['report', '--db', srv.db, '--from', '2025-01-01', '--to', '2025-12-31', '--format', 'csv', '--table', 'by_kind', '--lang', 'en']);
            assert.equal(c.code, 0, c.stderr);
            assert.match(c.stdout.toString('utf8'), /^\uFEFF[^\r\n]*;Applications\r\n/);
            // usage errors: exit 2, no file left behind
            for (const args of [['--format', 'csv'], ['--format', 'csv', '--table', 'nope', '--out', path.join(dir, 'x.csv')],
                ['--format', 'pdf'], ['--lang', 'de'], ['--to', '2026-12-31']]) {
                const e = await run(['report', '--db', srv.db, '--from', '2025-01-01', '--to', '2025-12-31', ...args]);
                assert.equal(e.code, 2, `${args.join(' ')}: ${e.stderr}`);
                assert.match(e.stderr, /^alo153 report: /);
            }
            assert.deepEqual(fs.readdirSync(dir).sort(), ['r.xlsx']);
            // --rebuild recounts the rollups from the rows: the same report afterwards
            const rb = await run(['report', '--db', srv.db, '--rebuild']);
            assert.equal(rb.code, 0, rb.stderr);
            assert.match(rb.stderr, /^report: rollups rebuilt from \d+ applications\n$/);
            const again = await sup.get(`/api/v1/reports/summary?${Q}`);
            assert.deepEqual(again.body, summary);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
