// t39 (error texts): every error a person can see has a complete text in Turkish and in English
// (issue 14 item 1). The API's message is English for developers; the UI says what is wrong from
// the error's code, field and reason (web/js/i18n.js errorKey). This walks the C sources for
// every error code, (code, field) pair and reason the API can send and checks the UI's
// dictionaries. No server: it reads files.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from '../lib/server.mjs';

function walk(d, out = []) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p, out);
        else if (p.endsWith('.c')) out.push(p);
    }
    return out;
}

// Codes whose text is general ("this value is not valid"): with a field, the field needs its
// own text. The other codes already say precisely what is wrong.
const GENERAL = new Set(['invalid_field', 'missing_field', 'invalid_type', 'too_long', 'unprocessable', 'not_found',
    'conflict', 'too_large', 'too_many', 'unsupported', 'io_error', 'store_error', 'unavailable']);
// Fields no person types: query parameters the UI builds, the telephone exchange's events, the
// path's action. A bad value there is a program's bug; the general text is enough.
const MACHINE_FIELDS = new Set(['sort', 'overdue', 'limit', 'after', 'action', 'events', 'at', 'call_id', 'queues',
    'queue', 'type', 'direction', 'caller', 'agent', 'db', 'table']);

/** {codes: Map code → where, pairs: Map "code|field" → where, reasons: Map} from src/api and src/core. */
export function apiErrors(root) {
    const errc = fs.readFileSync(path.join(root, 'src/util/err.c'), 'utf8');
    const names = {};
    for (const m of errc.matchAll(/case (ERR_\w+): return "([a-z_]+)"/g)) names[m[1]] = m[2];
    const codes = new Map(), pairs = new Map(), reasons = new Map();
    const add = (code, field, where) => {
        if (!code) return;
        if (!codes.has(code)) codes.set(code, where);
        if (field && !pairs.has(`${code}|${field}`)) pairs.set(`${code}|${field}`, where);
    };
    const F = '(?:"([a-z_]+)"|NULL|[\\w>.-]+)';
    const files = [...walk(path.join(root, 'src/api')), ...walk(path.join(root, 'src/core'))];
    for (const f of files) {
        const s = fs.readFileSync(f, 'utf8');
        const rel = path.relative(root, f);
        for (const m of s.matchAll(new RegExp(`err_set_named\\(\\s*[\\w>&.-]+,\\s*(\\w+),\\s*"([a-z_]+)",\\s*${F}`, 'g'))) add(m[2], m[3], rel);
        for (const m of s.matchAll(new RegExp(`err_set\\(\\s*[\\w>&.-]+,\\s*(ERR_\\w+),\\s*${F}`, 'g'))) add(names[m[1]], m[2], rel);
        for (const m of s.matchAll(new RegExp(`api_fail\\(\\s*\\w+,\\s*(ERR_\\w+),\\s*${F},\\s*${F}`, 'g'))) add(m[2] || names[m[1]], m[3], rel);
        for (const m of s.matchAll(new RegExp(`(?:api_error|->error)\\(\\s*\\w+,\\s*\\d+,\\s*"([a-z_]+)",\\s*${F}`, 'g'))) add(m[1], m[2], rel);
        for (const m of s.matchAll(/err_reason\(\s*\w+,\s*"([a-z_]+)"\)/g)) if (!reasons.has(m[1])) reasons.set(m[1], rel);
    }
    // every code err_name can give reaches the API through api_error_ed
    for (const [e, n] of Object.entries(names)) if (e !== 'ERR_OK') add(n, null, 'src/util/err.c');
    return { codes, pairs, reasons };
}

describe('t39 every API error has a Turkish and an English text', () => {
    let i18n, errs;
    before(async () => {
        // a copy with an .mjs name, so node loads the browser module without guessing its type
        const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-i18n-')), 'i18n.mjs');
        fs.copyFileSync(path.join(REPO, 'web/js/i18n.js'), tmp);
        i18n = await import(pathToFileURL(tmp).href);
        errs = apiErrors(REPO);
    });

    it('the walk finds the codes it must (a broken walk fails here, not silently)', () => {
        for (const c of ['invalid_field', 'missing_field', 'invalid_transition', 'proof_required', 'login_busy', 'not_found'])
            assert.ok(errs.codes.has(c), `${c} not found in the sources`);
        for (const r of ['not_on_hold', 'already_on_hold']) assert.ok(errs.reasons.has(r), r);
        assert.ok(errs.pairs.has('invalid_field|phone'), 'invalid_field|phone');
        assert.ok(errs.codes.size >= 40, `only ${errs.codes.size} codes`);
    });

    it('every code has a text in both languages', () => {
        const missing = [];
        for (const [code, where] of errs.codes)
            for (const l of ['tr', 'en']) if (code !== 'ok' && !i18n.hasIn(l, `err.${code}`)) missing.push(`${l}: err.${code} (${where})`);
        assert.deepEqual(missing, []);
    });

    it('every reason has a text in both languages', () => {
        const missing = [];
        for (const [r, where] of errs.reasons)
            for (const l of ['tr', 'en']) if (!i18n.hasIn(l, `err.reason.${r}`)) missing.push(`${l}: err.reason.${r} (${where})`);
        assert.deepEqual(missing, []);
    });

    it('a general code with a field a person fills in has the field\'s own text', () => {
        const missing = [];
        for (const [pair, where] of errs.pairs) {
            const [code, field] = pair.split('|');
            if (!GENERAL.has(code) || MACHINE_FIELDS.has(field)) continue;
            for (const l of ['tr', 'en']) if (!i18n.hasIn(l, `err.${code}.${field}`)) missing.push(`${l}: err.${code}.${field} (${where})`);
        }
        assert.deepEqual(missing, []);
    });

    it('the texts are complete sentences in their language, with no English in the Turkish ones', () => {
        for (const [code] of errs.codes) {
            if (code === 'ok') continue;
            const k = `err.${code}`;
            const trText = i18n.t(k);
            assert.notEqual(trText, k);
            assert.doesNotMatch(trText, /\b(the|not|is|give|valid|please|error)\b/i, `${k}: English words in "${trText}"`);
        }
    });

    it('errorText picks the most precise key: reason, then field, then code', () => {
        assert.equal(i18n.errorKey({ code: 'conflict', reason: 'not_on_hold', status: 409 }), 'err.reason.not_on_hold');
        assert.equal(i18n.errorKey({ code: 'invalid_field', field: 'phone', status: 400 }), 'err.invalid_field.phone');
        assert.equal(i18n.errorKey({ code: 'invalid_field', field: 'nosuchfield', status: 400 }), 'err.invalid_field');
        assert.equal(i18n.errorKey({ code: 'nosuchcode', status: 500 }), 'err.server');
        const e = i18n.errorText({ code: 'conflict', reason: 'not_on_hold', status: 409, message: 'not waiting on the citizen' });
        assert.ok(!e.text.includes('not waiting'), 'the API message is never the text');
    });
});
