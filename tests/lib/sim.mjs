// Helpers of the `alo153 simulate` tests (t31, t32, t33): fresh initialised databases (PostgreSQL
// under make api-pg), running the binary with the clock pinned, and the year's figures read
// back from the rows: by `alo153 report --format json` (what the report says), and with SQL
// (sqlite3 / psql) for what it does not show (nothing outside the year, lifecycles).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, REPO, PG_URL_BASE, isPg, sqlite } from './server.mjs';

export const NOW = '2026-03-01T00:00:00Z';
// 2025 in Istanbul (UTC+3): [2024-12-31T21:00Z, 2025-12-31T21:00Z)
export const Y0 = Date.parse('2024-12-31T21:00:00Z') / 1000;
export const Y1 = Date.parse('2025-12-31T21:00:00Z') / 1000;
// PostgreSQL takes a round trip a statement and ASan slows everything down: smaller years
// there (each test file has TEST_TIMEOUT, 120 s, in all)
export const SMALL = Boolean(PG_URL_BASE) || /asan/.test(BIN);

const dirs = [];
const dbs = [];

/** alo153 ARGS; resolves with {code, stdout, stderr} (never rejects on an exit code). */
export function run(args) {
    return new Promise((resolve) => {
        execFile(BIN, args, { cwd: REPO, env: { ...process.env, ALO153_NOW: NOW }, timeout: 115000, maxBuffer: 1 << 24 },
            (err, stdout, stderr) => resolve({ code: err ? (err.code ?? -1) : 0, stdout, stderr }));
    });
}

/** A temporary folder, removed by cleanup(). */
export function tmpDir() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-sim-'));
    dirs.push(dir);
    return dir;
}

let template = null;

/** A new database name or file in a new temporary folder. */
function newDb() {
    const dir = tmpDir();
    const db = PG_URL_BASE ? `${PG_URL_BASE}/${path.basename(dir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`
        : path.join(dir, 's.db');
    dbs.push(db);
    return db;
}

/**
 * A fresh database (PostgreSQL under make api-pg), initialised for province 55 (Samsun): the
 * first one by `alo153 init`, the others copies of it (CREATE DATABASE … TEMPLATE on
 * PostgreSQL, where init takes a round trip per neighbourhood).
 */
export async function freshDb() {
    if (!template) {
        template = newDb();
        const r = await run(['init', '--db', template, '--province', '55']);
        assert.equal(r.code, 0, r.stderr);
    }
    const db = newDb();
    if (isPg(db)) {
        const name = (u) => u.slice(u.lastIndexOf('/') + 1);
        sqlite(`${PG_URL_BASE}/postgres`, `CREATE DATABASE "${name(db)}" TEMPLATE "${name(template)}"`);
    } else {
        fs.copyFileSync(template, db);
        if (fs.existsSync(`${template}-wal`)) fs.copyFileSync(`${template}-wal`, `${db}-wal`);
    }
    return db;
}

/** Remove the folders and PostgreSQL databases made here. */
export function cleanup() {
    if (process.env.ALO153_KEEP_TMP) return;
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    for (const db of dbs) {
        if (isPg(db)) {
            const name = db.slice(db.lastIndexOf('/') + 1);
            sqlite(`${PG_URL_BASE}/postgres`, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        }
    }
}

const groups = (db, sql) => {
    const out = {};
    for (const line of sqlite(db, sql).split('\n')) {
        if (!line) continue;
        const [k, n] = line.split('|');
        out[k] = Number(n);
    }
    return out;
};

/** The year's figures as the rows say them. */
export function figures(db) {
    const one = (sql) => sqlite(db, sql).split('|').map(Number);
    const [offered, answered, abandoned, short] = one(
        `SELECT COUNT(*), SUM(CASE WHEN answered_at > 0 THEN 1 ELSE 0 END),
                SUM(CASE WHEN abandoned_at > 0 AND abandoned_at - offered_at >= 5 THEN 1 ELSE 0 END),
                SUM(CASE WHEN abandoned_at > 0 AND abandoned_at - offered_at < 5 THEN 1 ELSE 0 END)
         FROM calls WHERE offered_at >= ${Y0} AND offered_at < ${Y1}`);
    const outcomes = groups(db, `SELECT outcome, COUNT(*) FROM contacts WHERE started_at >= ${Y0} AND started_at < ${Y1} GROUP BY outcome`);
    const channels = groups(db, `SELECT channel, COUNT(*) FROM applications WHERE created_at >= ${Y0} AND created_at < ${Y1} GROUP BY channel`);
    const [apps] = one(`SELECT COUNT(*) FROM applications`);
    const [outside] = one(`SELECT (SELECT COUNT(*) FROM calls WHERE offered_at < ${Y0} OR offered_at >= ${Y1}) +
                                  (SELECT COUNT(*) FROM applications WHERE created_at < ${Y0} OR created_at >= ${Y1}) +
                                  (SELECT COUNT(*) FROM contacts WHERE started_at < ${Y0} OR ended_at >= ${Y1} OR ended_at < started_at) +
                                  (SELECT COUNT(*) FROM events WHERE at >= ${Y1})`);
    return { offered, answered, abandoned, short, outcomes, channels, apps, outside };
}

/** Applications by status. */
export function statuses(db) {
    return groups(db, `SELECT status, COUNT(*) FROM applications GROUP BY status`);
}

/** A digest of everything the simulation decided: times, agents, categories, districts. */
export function digest(db) {
    return sqlite(db, `SELECT (SELECT SUM(offered_at) + SUM(COALESCE(answered_at, 0)) + SUM(COALESCE(ended_at, 0)) FROM calls),
                              (SELECT SUM(agent_id) FROM calls),
                              (SELECT SUM(created_at) + SUM(COALESCE(category_id, 0)) + SUM(COALESCE(district_id, 0)) + SUM(COALESCE(closed_at, 0)) FROM applications),
                              (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM call_events)`);
}

/** `alo153 report --format json` of 2025 (the centre's): the parsed summary. */
export async function report(db, format = 'json') {
    const r = await run(['report', '--db', db, '--from', '2025-01-01', '--to', '2025-12-31', '--format', format]);
    assert.equal(r.code, 0, r.stderr);
    return format === 'json' ? JSON.parse(r.stdout) : r.stdout;
}

/** The rows of a report table as {key: first value}. */
export function table(summary, name) {
    const t = summary.tables.find((x) => x.name === name);
    assert.ok(t, `report table ${name}`);
    return Object.fromEntries(t.rows.map((row) => [row.key, row.values[0]]));
}
