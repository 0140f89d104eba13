// t11: who sees what. A role × route × department matrix generated from the server's own route
// table (`alo153 routes`), department scoping with sub-units, and KVKK masking of citizens.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, login, client, addToken, assertError, sqlite, listAllIds, BIN, REPO, DEMO_PASSWORD } from '../lib/server.mjs';

const NOW = '2026-03-10T09:00:00Z';
// a real 1×1 PNG (photos are parsed: a bare signature is no image)
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const SEES_ALL = new Set(['agent', 'desk', 'supervisor', 'admin']);
const ACCESS = {
    public: () => true,
    user: () => true,
    front: (role) => ['agent', 'desk', 'supervisor', 'admin'].includes(role),
    oversight: (role) => ['supervisor', 'admin'].includes(role),
    admin: (role) => role === 'admin',
    editor: (role) => ['supervisor', 'admin'].includes(role),
    telephony: (role) => role === 'telephony',
    privacy: (role) => ['dpo', 'admin'].includes(role), /* KVKK (issue 12) */
};
/* the route tables exactly as the server dispatches them: method, full pattern (with the mount's
 * prefix), access class, body kind and the route's own body cap ("default" or bytes) */
const ROUTES = execFileSync(BIN, ['routes'], { cwd: REPO, encoding: 'utf8' })
    .trim().split('\n').map((l) => {
        const [method, pattern, access, body, cap, ...rest] = l.split('\t');
        return { method, pattern, access, body, cap, rest, key: `${method} ${pattern}` };
    });

/* Everyone the matrix calls as. `dept` is the department (code) of staff and managers. */
const IDENTITIES = [
    { name: 'anonymous', role: null },
    { name: 'admin', role: 'admin' },
    { name: 'supervisor', role: 'supervisor' },
    { name: 'agent', role: 'agent' },
    { name: 'desk', role: 'desk' },
    { name: 'fen', role: 'staff', dept: 'FEN' },
    { name: 'fen.mudur', role: 'manager', dept: 'FEN' },
    { name: 'yol', role: 'staff', dept: 'FEN_YOL', create: true },          /* staff of a sub-unit of FEN */
    { name: 'yol.mudur', role: 'manager', dept: 'FEN_YOL', create: true },  /* its manager */
    { name: 'zabita', role: 'staff', dept: 'ZABITA' },
    { name: 'token:santral', role: 'agent', token: 'santral' },
    { name: 'token:fen', role: 'staff', dept: 'FEN', token: 'fen-entegrasyon' },
    { name: 'token:zabita-mudur', role: 'manager', dept: 'ZABITA', token: 'zabita-mudur' },
    /* the telephone exchange's token (issue 10): the route matrix only, it sees no application */
    { name: 'token:pbx', role: 'telephony', token: 'pbx-matrix', matrixOnly: true },
    /* the data-protection officer (KVKK, issue 12): exports, erasure, the view log; no lists */
    { name: 'kvkk', role: 'dpo', matrixOnly: true },
];

/** Log every identity in (creating the sub-unit users first); fills who.c. */
async function signIn(srv, ids) {
    const admin = await login(srv.url, 'admin');
    for (const who of ids) {
        if (who.create) {
            const r = await admin.post('/api/v1/users', { username: who.name, role: who.role, department: who.dept, password: DEMO_PASSWORD });
            assert.equal(r.status, 201, JSON.stringify(r.body));
        }
    }
    for (const who of ids) {
        if (!who.role) who.c = client(srv.url);
        else if (who.token) who.c = client(srv.url, { bearer: await addToken(srv.db, who.token, who.role, who.dept) });
        else who.c = who.name === 'admin' ? admin : await login(srv.url, who.name);
    }
    for (const who of ids.filter((w) => w.role)) {
        const me = await who.c.get('/api/v1/me');
        assert.equal(me.status, 200, `${who.name}: ${JSON.stringify(me.body)}`);
        assert.equal(me.body.role, who.role, who.name);
        assert.equal(me.body.department, who.dept || null, who.name);
    }
    return admin;
}

/** parent code of every department, from GET /departments */
async function departmentParents(c) {
    const r = await c.get('/api/v1/departments');
    assert.equal(r.status, 200);
    return new Map(r.body.items.map((d) => [d.code, d.parent]));
}

/** May `who` see an application of department `dept` (code, or null when unrouted)? */
function visibleTo(who, dept, parents) {
    if (SEES_ALL.has(who.role)) return true;
    if (!who.dept || !dept) return false;
    for (let d = dept; d; d = parents.get(d)) if (d === who.dept) return true;
    return false;
}

/** Create an application as `c` with a category and coordinates; route it to `dept` (or leave it new). */
async function makeApp(c, { text, category, dept, citizenId, channel = 'phone_153', lat = 38.7205, lon = 35.4826 }) {
    const body = { channel, text, lat, lon };
    if (category) body.category = category;
    if (citizenId) body.citizen_id = citizenId;
    const r = await c.post('/api/v1/applications', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const app = { id: r.body.id, tracking: r.body.tracking, code: r.body.access_code, dept: null };
    if (dept) {
        const routed = await c.post(`/api/v1/applications/${app.id}/route`, dept === true ? {} : { department: dept });
        assert.equal(routed.status, 200, JSON.stringify(routed.body));
        app.dept = routed.body.department;
    }
    return app;
}

const show = (r) => `${r.status} ${typeof r.body === 'string' ? r.body.slice(0, 300) : JSON.stringify(r.body).slice(0, 600)}`;

describe('t11 access matrix (route table × role × department)', { timeout: 120000 }, () => {
    let srv, admin, parents;
    const apps = {};       /* fixture applications by name */
    let citizenId, districtId, contactId, articleId;
    let n = 0;             /* makes codes and names unique */
    const uniq = () => `${process.pid % 1000}${++n}`;

    before(async () => {
        srv = await startServer({ demoSize: 0, rate: 1000, env: { ALO153_NOW: NOW } });
        admin = await signIn(srv, IDENTITIES);
        parents = await departmentParents(admin);
        const agent = IDENTITIES.find((w) => w.name === 'agent').c;
        const cit = await agent.post('/api/v1/citizens', { name: 'Ayşe Öztürk', phone: '05321234567', tc: '10000000146' });
        assert.equal(cit.status, 201);
        citizenId = cit.body.id;
        /* two applications per department (a sub-unit among them) and two never routed */
        for (const [name, dept] of [['FEN', true], ['YOL', 'FEN_YOL'], ['ZAB', 'ZABITA']]) {
            for (const x of ['A', 'B']) {
                apps[`${name}_${x}`] = await makeApp(agent, { text: `Sokakta çukur var ${name} ${x}`, category: 'FEN_YOL_CUKUR', dept, citizenId });
            }
        }
        apps.NONE_A = await makeApp(agent, { text: 'Genel bilgi talebi A', citizenId });
        apps.NONE_B = await makeApp(agent, { text: 'Genel bilgi talebi B', citizenId });
        assert.equal(apps.FEN_A.dept, 'FEN');
        assert.equal(apps.YOL_A.dept, 'FEN_YOL');
        assert.equal(parents.get('FEN_YOL'), 'FEN', 'FEN_YOL is a sub-unit of FEN');
        assert.equal(apps.ZAB_A.dept, 'ZABITA');
        for (const [k, a] of Object.entries(apps)) {
            a.sibling = apps[k.replace(/_A$/, '_X').replace(/_B$/, '_A').replace(/_X$/, '_B')];
            const up = await admin.raw(`/api/v1/applications/${a.id}/attachments?filename=seed.png`, { method: 'POST', body: PNG });
            assert.equal(up.status, 201, show(up));
            a.attachment = up.body.id;
        }
        districtId = (await admin.get('/api/v1/districts')).body.items[0].id;
        const contact = await admin.post('/api/v1/contacts', { channel: 'desk', outcome: 'instant_info', note: 'matris' });
        assert.equal(contact.status, 201, show(contact));
        contactId = contact.body.id;
        const article = await admin.post('/api/v1/kb/articles', { title: 'Matris maddesi', body: 'Bilgi bankası matris testi' });
        assert.equal(article.status, 201, show(article));
        articleId = article.body.id;
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    /* Every route of the table, with a request that succeeds for a caller the route admits and the
     * exact answer expected then. perApp routes are tried on every fixture application: a staff or
     * manager gets 404 not_found for an application outside their department's subtree. */
    const EXPECT = {
        'GET /healthz': { access: 'public', req: () => ({ path: '/healthz' }), ok: 200, check: (r) => assert.equal(r.body.status, 'ok') },
        'GET /readyz': { access: 'public', req: () => ({ path: '/readyz' }), ok: 200, check: (r) => assert.equal(r.body.status, 'ready') },
        // public in the route table; the handler lets in admins (and serve --metrics-allow addresses)
        'GET /metrics': { access: 'public', req: () => ({ path: '/metrics' }),
            ok: (who) => (!who.role ? [401, 'unauthorized'] : who.role === 'admin' ? 200 : [403, 'forbidden']) },
        'POST /api/v1/session': {
            /* a login without a password: 400 for everyone, and no session is replaced */
            access: 'public', req: () => ({ method: 'POST', path: '/api/v1/session', body: { username: 'nobody' } }), ok: [400, 'missing_field'],
        },
        'DELETE /api/v1/session': { access: 'public', special: 'logout' },
        'GET /api/v1/me': { access: 'user', req: () => ({ path: '/api/v1/me' }), ok: 200, check: (r, who) => assert.equal(r.body.role, who.role) },
        'GET /api/v1/meta': { access: 'public', req: () => ({ path: '/api/v1/meta' }), ok: 200 },
        'POST /api/v1/citizens': { access: 'front', req: () => ({ method: 'POST', path: '/api/v1/citizens', body: { name: 'Matris Vatandaş' } }), ok: 201 },
        'GET /api/v1/citizens': {
            access: 'front', req: () => ({ path: '/api/v1/citizens?phone=05321234567' }), ok: 200,
            check: (r) => assert.deepEqual(r.body.items.map((c) => c.id), [citizenId]),
        },
        /* KVKK (issue 12): an erasure without a reason changes nothing (400 for those allowed) */
        'GET /api/v1/citizens/:id/export': { access: 'privacy', req: () => ({ path: `/api/v1/citizens/${citizenId}/export` }), ok: 200, check: (r) => assert.equal(r.body.citizen.id, citizenId) },
        'POST /api/v1/citizens/:id/anonymise': { access: 'privacy', req: () => ({ method: 'POST', path: `/api/v1/citizens/${citizenId}/anonymise`, body: {} }), ok: [400, 'missing_field'] },
        'GET /api/v1/kvkk/citizens': { access: 'privacy', req: () => ({ path: '/api/v1/kvkk/citizens?phone=05321234567' }), ok: 200, check: (r) => assert.deepEqual(r.body.items.map((c) => c.id), [citizenId]) },
        'GET /api/v1/view-log': { access: 'privacy', req: () => ({ path: `/api/v1/view-log?citizen=${citizenId}` }), ok: 200, check: (r) => assert.ok(r.body.items.length >= 1) },
        'GET /api/v1/citizens/:id': { access: 'front', req: () => ({ path: `/api/v1/citizens/${citizenId}` }), ok: 200, check: (r) => assert.equal(r.body.id, citizenId) },
        'POST /api/v1/applications': {
            access: 'front', req: () => ({ method: 'POST', path: '/api/v1/applications', body: { channel: 'phone_153', text: 'Matris denemesi başvurusu' } }), ok: 201,
        },
        'GET /api/v1/applications': {
            access: 'user', req: () => ({ path: '/api/v1/applications?limit=500' }), ok: 200,
            check: async (r, who) => {
                const rows = sqlite(srv.db, "SELECT a.id || '|' || coalesce(d.code, '') FROM applications a LEFT JOIN departments d ON d.id = a.department_id")
                    .split('\n').map((l) => l.split('|'));
                const want = rows.filter(([, d]) => visibleTo(who, d || null, parents)).map(([id]) => Number(id)).sort((a, b) => a - b);
                assert.equal(r.body.next, null);
                assert.deepEqual(r.body.items.map((a) => a.id).sort((a, b) => a - b), want);
            },
        },
        'GET /api/v1/applications/by-tracking/:t': {
            access: 'user', perApp: true, req: (a) => ({ path: `/api/v1/applications/by-tracking/${a.tracking}` }), ok: 200,
            check: (r, who, a) => assert.equal(r.body.id, a.id),
        },
        'GET /api/v1/applications/similar': {
            access: 'user', req: () => ({ path: '/api/v1/applications/similar?category=FEN_YOL_CUKUR&lat=38.7205&lon=35.4826' }), ok: 200,
            check: (r, who) => {
                const want = ['FEN_A', 'FEN_B', 'YOL_A', 'YOL_B', 'ZAB_A', 'ZAB_B'].map((k) => apps[k])
                    .filter((a) => visibleTo(who, a.dept, parents)).map((a) => a.id).sort((a, b) => a - b);
                assert.deepEqual(r.body.items.map((a) => a.id).sort((a, b) => a - b), want);
            },
        },
        'GET /api/v1/applications/:id': {
            access: 'user', perApp: true, req: (a) => ({ path: `/api/v1/applications/${a.id}` }), ok: 200,
            check: (r, who, a) => { assert.equal(r.body.id, a.id); assert.equal(r.body.department, a.dept); },
        },
        // "Numarayı göster" (issue 14 item 9): a logged view of the whole number
        'GET /api/v1/applications/:id/citizen-phone': {
            access: 'user', perApp: true, req: (a) => ({ path: `/api/v1/applications/${a.id}/citizen-phone` }), ok: 200,
            check: (r) => assert.match(r.body.phone, /^\+905\d{9}$/),
        },
        'POST /api/v1/applications/:id/attachments': {
            access: 'user', perApp: true, req: (a) => ({ method: 'POST', path: `/api/v1/applications/${a.id}/attachments?filename=m.png`, raw: PNG }), ok: 201,
            check: (r) => assert.equal(r.body.mime, 'image/png'),
        },
        'GET /api/v1/applications/:id/attachments/:aid': {
            access: 'user', perApp: true, req: (a) => ({ path: `/api/v1/applications/${a.id}/attachments/${a.attachment}` }), ok: 200,
            check: (r) => { assert.equal(r.headers.get('content-type'), 'image/png'); assert.deepEqual(r.bytes, PNG); },
        },
        'POST /api/v1/applications/:id/links': {
            access: 'user', perApp: true, req: (a) => ({ method: 'POST', path: `/api/v1/applications/${a.id}/links`, body: { other_id: a.sibling.id } }), ok: 200,
            check: (r, who, a) => assert.ok(r.body.links.some((l) => l.id === a.sibling.id), JSON.stringify(r.body.links)),
        },
        'POST /api/v1/applications/:id/:action': {
            access: 'user', perApp: true, req: (a) => ({ method: 'POST', path: `/api/v1/applications/${a.id}/note`, body: { note: 'matris notu' } }), ok: 200,
            check: (r, who, a) => { assert.equal(r.body.id, a.id); assert.equal(r.body.history.at(-1).action, 'note'); },
        },
        'POST /api/v1/public/applications': {
            access: 'public', req: () => ({ method: 'POST', path: '/api/v1/public/applications', body: { text: 'Web formundan matris denemesi', phone: '05329998877', consent: true } }), ok: 201,
        },
        'GET /api/v1/public/applications/:t': {
            access: 'public', req: () => ({ path: `/api/v1/public/applications/${apps.FEN_A.tracking}?code=${apps.FEN_A.code}` }), ok: 200,
            check: (r) => assert.equal(r.body.tracking, apps.FEN_A.tracking),
        },
        'GET /api/v1/public/applications/:t/photos/:aid': {
            access: 'public', req: () => ({ path: `/api/v1/public/applications/${apps.FEN_A.tracking}/photos/${apps.FEN_A.attachment}?code=${apps.FEN_A.code}` }), ok: 200,
            check: (r) => assert.equal(r.headers.get('content-type'), 'image/png'),
        },
        'GET /api/v1/field/jobs': { access: 'user', req: () => ({ path: '/api/v1/field/jobs' }), ok: 200 },
        // the citizen's phone (docs/PORTAL.md): the access code lets anyone in; FEN_A already
        // holds the staff's files, more than a citizen may add (the photo itself: t42)
        'POST /api/v1/public/applications/:t/attachments': {
            access: 'public', req: () => ({ method: 'POST', path: `/api/v1/public/applications/${apps.FEN_A.tracking}/attachments?code=${apps.FEN_A.code}&filename=x.txt`, raw: Buffer.from('not a photo') }),
            ok: [409, 'too_many_files'],
        },
        'POST /api/v1/public/classify': {
            access: 'public', req: () => ({ method: 'POST', path: '/api/v1/public/classify', body: { text: 'Sokağımızda çöpler toplanmadı' } }), ok: 200,
            check: (r) => assert.ok(!('suggestions' in r.body) && !('probability' in r.body), JSON.stringify(r.body)),
        },
        'GET /api/v1/public/notice': { access: 'public', req: () => ({ path: '/api/v1/public/notice' }), ok: 200 },
        'GET /api/v1/departments': { access: 'user', req: () => ({ path: '/api/v1/departments' }), ok: 200 },
        'POST /api/v1/departments': {
            access: 'admin', req: () => ({ method: 'POST', path: '/api/v1/departments', body: { code: `MATRIS_${uniq()}`, name: 'Matris Şube', parent: 'KULTUR' } }), ok: 201,
        },
        'PATCH /api/v1/departments/:code': {
            access: 'admin', req: () => ({ method: 'PATCH', path: '/api/v1/departments/KULTUR_KUTUPHANE', body: { name_en: 'Libraries and Archives Branch' } }), ok: 200,
        },
        'GET /api/v1/categories': { access: 'public', req: () => ({ path: '/api/v1/categories' }), ok: 200 },
        'POST /api/v1/categories': {
            access: 'admin', req: () => ({ method: 'POST', path: '/api/v1/categories', body: { code: `MATRIS_${uniq()}`, department: 'KULTUR', name: 'Matris konusu', sla_days: 5 } }), ok: 201,
        },
        'PATCH /api/v1/categories/:code': {
            access: 'admin', req: () => ({ method: 'PATCH', path: '/api/v1/categories/FEN_ASFALT', body: { name_en: 'Asphalt / new road request' } }), ok: 200,
        },
        'GET /api/v1/institutions': { access: 'user', req: () => ({ path: '/api/v1/institutions' }), ok: 200 },
        'GET /api/v1/districts': { access: 'public', req: () => ({ path: '/api/v1/districts' }), ok: 200 },
        'POST /api/v1/districts': { access: 'admin', req: () => ({ method: 'POST', path: '/api/v1/districts', body: { name: `Matris İlçe ${uniq()}` } }), ok: 201 },
        'GET /api/v1/districts/:id/neighbourhoods': { access: 'public', req: () => ({ path: `/api/v1/districts/${districtId}/neighbourhoods` }), ok: 200 },
        'POST /api/v1/districts/:id/neighbourhoods': {
            access: 'admin', req: () => ({ method: 'POST', path: `/api/v1/districts/${districtId}/neighbourhoods`, body: { name: `Matris Mahallesi ${uniq()}` } }), ok: 201,
        },
        'GET /api/v1/holidays': { access: 'user', req: () => ({ path: '/api/v1/holidays' }), ok: 200 },
        'POST /api/v1/holidays': { access: 'admin', req: () => ({ method: 'POST', path: '/api/v1/holidays', body: { date: '2031-01-02', name: 'Matris günü' } }), ok: 201 },
        'DELETE /api/v1/holidays/:date': {
            access: 'admin',
            prepare: async () => assert.equal((await admin.post('/api/v1/holidays', { date: '2031-01-03', name: 'Silinecek gün' })).status, 201),
            req: () => ({ method: 'DELETE', path: '/api/v1/holidays/2031-01-03' }), ok: 204,
        },
        'POST /api/v1/classify': {
            /* no routing model in these tests: every caller the route admits gets the same 503 */
            access: 'user', req: () => ({ method: 'POST', path: '/api/v1/classify', body: { text: 'yolda çukur var' } }), ok: [503, 'no_model'],
        },
        'GET /api/v1/routing/quality': { access: 'oversight', req: () => ({ path: '/api/v1/routing/quality' }), ok: 200 },
        'GET /api/v1/routing/models': { access: 'admin', req: () => ({ path: '/api/v1/routing/models' }), ok: 200 },
        'GET /api/v1/routing/corrections': { access: 'oversight', req: () => ({ path: '/api/v1/routing/corrections' }), ok: 200 },
        'GET /api/v1/stats': {
            access: 'user', req: () => ({ path: '/api/v1/stats' }), ok: 200,
            check: (r, who) => {
                /* only the fixtures are routed: the open count is what the caller may see of them */
                const want = Object.values(apps).filter((a) => a.dept && visibleTo(who, a.dept, parents)).length;
                assert.equal(r.body.month.by_department.FEN_YOL, visibleTo(who, 'FEN_YOL', parents) ? 2 : undefined, JSON.stringify(r.body));
                assert.equal(r.body.month.by_department.ZABITA, visibleTo(who, 'ZABITA', parents) ? 2 : undefined, JSON.stringify(r.body));
                if (!SEES_ALL.has(who.role)) assert.equal(r.body.open, want, JSON.stringify(r.body));
            },
        },
        'GET /api/v1/settings': { access: 'oversight', req: () => ({ path: '/api/v1/settings' }), ok: 200 },
        'PATCH /api/v1/settings': { access: 'admin', req: () => ({ method: 'PATCH', path: '/api/v1/settings', body: { cimer_ceiling_days: 30 } }), ok: 200 },
        'GET /api/v1/users': { access: 'oversight', req: () => ({ path: '/api/v1/users' }), ok: 200 },
        'POST /api/v1/users': {
            access: 'admin', req: () => ({ method: 'POST', path: '/api/v1/users', body: { username: `matris.${uniq()}`, role: 'agent', password: DEMO_PASSWORD } }), ok: 201,
        },
        /* the contact centre (issue 10); the fixture contact is the admin's: others who handle
         * contacts do not see it (404), oversight does, and it is closed already (409) */
        'POST /api/v1/contacts': { access: 'front', req: () => ({ method: 'POST', path: '/api/v1/contacts', body: { channel: 'desk', outcome: 'instant_info', note: 'matris' } }), ok: 201 },
        'GET /api/v1/contacts': { access: 'front', req: () => ({ path: '/api/v1/contacts' }), ok: 200 },
        'GET /api/v1/contacts/:id': {
            access: 'front', req: () => ({ path: `/api/v1/contacts/${contactId}` }), ok: (who) => (ACCESS.oversight(who.role) ? 200 : [404, 'not_found']),
        },
        'POST /api/v1/contacts/:id/close': {
            access: 'front', req: () => ({ method: 'POST', path: `/api/v1/contacts/${contactId}/close`, body: { outcome: 'not_relevant', reason: 'prank' } }),
            ok: (who) => (ACCESS.oversight(who.role) ? [409, 'already_closed'] : [404, 'not_found']),
        },
        'POST /api/v1/telephony/events': {
            access: 'telephony', req: () => ({ method: 'POST', path: '/api/v1/telephony/events', body: { type: 'agent_login', agent: 'agent', at: NOW } }), ok: 200,
        },
        'GET /api/v1/agents/me/state': { access: 'front', req: () => ({ path: '/api/v1/agents/me/state' }), ok: 200 },
        'PUT /api/v1/agents/me/state': { access: 'front', req: () => ({ method: 'PUT', path: '/api/v1/agents/me/state', body: { state: 'ready' } }), ok: 200 },
        'GET /api/v1/agents/me/events': { access: 'front', req: () => ({ path: '/api/v1/agents/me/events?wait=0' }), ok: 200 },
        'GET /api/v1/agents': { access: 'oversight', req: () => ({ path: '/api/v1/agents' }), ok: 200 },
        // the stream itself never ends: a bad cursor (400) proves the handler was reached
        'GET /api/v1/live': { access: 'user', req: () => ({ path: '/api/v1/live?after=x' }),
            ok: (who) => (who.role === 'telephony' ? [403, 'forbidden'] : [400, 'invalid_field']) },
        // reports: the whole centre for oversight, a manager's own department, nobody else
        'GET /api/v1/reports/summary': { access: 'user', req: () => ({ path: '/api/v1/reports/summary?from=2026-03-01&to=2026-03-10' }),
            ok: (who) => (['supervisor', 'admin', 'manager'].includes(who.role) ? 200 : [403, 'forbidden']) },
        'GET /api/v1/reports/export': { access: 'user', req: () => ({ path: '/api/v1/reports/export?from=2026-03-01&to=2026-03-10&format=csv&table=by_channel' }),
            ok: (who) => (['supervisor', 'admin', 'manager'].includes(who.role) ? 200 : [403, 'forbidden']) },
        'GET /api/v1/kpi/live': { access: 'oversight', req: () => ({ path: '/api/v1/kpi/live' }), ok: 200 },
        'GET /api/v1/kpi/calls': { access: 'oversight', req: () => ({ path: '/api/v1/kpi/calls?from=2026-03-10&to=2026-03-10&bucket=1h' }), ok: 200 },
        'GET /api/v1/kpi/contacts': { access: 'oversight', req: () => ({ path: '/api/v1/kpi/contacts?from=2026-03-10&to=2026-03-10' }), ok: 200 },
        'GET /api/v1/kb/articles': { access: 'user', req: () => ({ path: '/api/v1/kb/articles?q=matris' }), ok: 200 },
        'GET /api/v1/kb/articles/:id': { access: 'user', req: () => ({ path: `/api/v1/kb/articles/${articleId}` }), ok: 200 },
        'POST /api/v1/kb/articles': { access: 'editor', req: () => ({ method: 'POST', path: '/api/v1/kb/articles', body: { title: 'Yeni madde', body: 'Metin' } }), ok: 201 },
        'PATCH /api/v1/kb/articles/:id': { access: 'editor', req: () => ({ method: 'PATCH', path: `/api/v1/kb/articles/${articleId}`, body: { keywords: 'matris' } }), ok: 200 },
        'DELETE /api/v1/kb/articles/:id': { access: 'editor', req: () => ({ method: 'DELETE', path: `/api/v1/kb/articles/${articleId}` }), ok: 200 },
        /* the WhatsApp webhook (issue 15): public, authenticated by its signature (no secrets here) */
        'GET /hooks/whatsapp': { access: 'public', req: () => ({ path: '/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1' }), ok: [403, 'forbidden'] },
        'POST /hooks/whatsapp': { access: 'public', req: () => ({ method: 'POST', path: '/hooks/whatsapp', body: { entry: [] } }), ok: [401, 'bad_signature'] },
        /* CİMER (issue 15): the front office is the CİMER unit; an empty import is refused, an
         * unknown application is 404 */
        'POST /api/v1/cimer/import': { access: 'front', req: () => ({ method: 'POST', path: '/api/v1/cimer/import', body: [] }), ok: [400, 'invalid_field'] },
        'POST /api/v1/cimer/applications': {
            access: 'front', req: () => ({ method: 'POST', path: '/api/v1/cimer/applications', body: { cimer_no: `M-${uniq()}`, filed_at: '2026-03-09', text: 'Matris CİMER başvurusu' } }), ok: 201,
        },
        'GET /api/v1/cimer/applications': { access: 'front', req: () => ({ path: '/api/v1/cimer/applications' }), ok: 200 },
        'GET /api/v1/cimer/applications/:id': { access: 'front', req: () => ({ path: '/api/v1/cimer/applications/999999' }), ok: [404, 'not_found'] },
        'GET /api/v1/cimer/applications/:id/answer': { access: 'front', req: () => ({ path: '/api/v1/cimer/applications/999999/answer' }), ok: [404, 'not_found'] },
        'POST /api/v1/cimer/applications/:id/answered': { access: 'front', req: () => ({ method: 'POST', path: '/api/v1/cimer/applications/999999/answered', body: {} }), ok: [404, 'not_found'] },
        'POST /api/v1/cimer/applications/:id/redirect': {
            access: 'front', req: () => ({ method: 'POST', path: '/api/v1/cimer/applications/999999/redirect', body: { institution: 'EXT', note: 'matris' } }), ok: [404, 'not_found'],
        },
        /* Open311 (issue 16): public, answered in the spec's own error format; POST needs an api_key in a form */
        'GET /api/v1/categories/:code/attributes': { access: 'public', req: () => ({ path: '/api/v1/categories/ULA_OTOBUS_SURUCU/attributes' }), ok: 200 },
        'PUT /api/v1/categories/:code/attributes': { access: 'admin', req: () => ({ method: 'PUT', path: '/api/v1/categories/PARK_BAKIM/attributes', body: { attributes: [] } }), ok: 200 },
        'GET /open311/:doc': { access: 'public', req: () => ({ path: '/open311/discovery.json' }), ok: 200 },
        'GET /open311/v2/:doc': { access: 'public', req: () => ({ path: '/open311/v2/services.json' }), ok: 200 },
        'POST /open311/v2/:doc': { access: 'public', req: () => ({ method: 'POST', path: '/open311/v2/requests.json', raw: 'api_key=x' }), ok: 415 },
        'GET /open311/v2/services/:code': { access: 'public', req: () => ({ path: '/open311/v2/services/FEN_YOL_CUKUR.xml' }), ok: 200 },
        'GET /open311/v2/requests/:id': { access: 'public', req: () => ({ path: '/open311/v2/requests/2026-999999.json' }), ok: 404 },
        'GET /open311/v2/tokens/:id': { access: 'public', req: () => ({ path: '/open311/v2/tokens/00000000000000000000000000000000.json' }), ok: 404 },
        /* issue 15: outgoing messages and surveys (h_outbox.c) */
        'GET /api/v1/outbox': { access: 'admin', req: () => ({ path: '/api/v1/outbox?limit=5' }), ok: 200 },
        'POST /api/v1/outbox/:id/resend': { access: 'admin', req: () => ({ method: 'POST', path: '/api/v1/outbox/999999/resend', body: {} }), ok: [404, 'not_found'] },
        'GET /api/v1/message-templates': { access: 'admin', req: () => ({ path: '/api/v1/message-templates' }), ok: 200 },
        'PUT /api/v1/message-templates/:purpose/:channel/:lang': { access: 'admin', req: () => ({ method: 'PUT', path: '/api/v1/message-templates/survey/sms/en', body: { body: 'Rate us: {survey_link}' } }), ok: 200 },
        'GET /api/v1/public/surveys/:token': { access: 'public', req: () => ({ path: '/api/v1/public/surveys/1-abc-00' }), ok: [404, 'token_invalid'] },
        'POST /api/v1/public/surveys/:token': { access: 'public', req: () => ({ method: 'POST', path: '/api/v1/public/surveys/1-abc-00', body: { rating: 5 } }), ok: [404, 'token_invalid'] },
        'GET /api/v1/satisfaction': { access: 'oversight', req: () => ({ path: '/api/v1/satisfaction?by=department' }), ok: 200 },
        'PUT /api/v1/citizens/:id/consent': { access: 'front', req: () => ({ method: 'PUT', path: `/api/v1/citizens/${citizenId}/consent`, body: { marketing: true } }), ok: 200 },
        'PUT /api/v1/citizens/:id/lang': { access: 'front', req: () => ({ method: 'PUT', path: `/api/v1/citizens/${citizenId}/lang`, body: { lang: 'en' } }), ok: 200 },
        /* issue 12: rights and the audit log (h_rights.c) */
        'GET /api/v1/users/:id/grants': { access: 'admin', req: () => ({ path: '/api/v1/users/999999/grants' }), ok: [404, 'not_found'] },
        'POST /api/v1/users/:id/grants': { access: 'admin', req: () => ({ method: 'POST', path: '/api/v1/users/999999/grants', body: { department: 'SU' } }), ok: [404, 'not_found'] },
        'DELETE /api/v1/users/:id/grants/:code': { access: 'admin', req: () => ({ method: 'DELETE', path: '/api/v1/users/999999/grants/SU' }), ok: [404, 'not_found'] },
        'POST /api/v1/me/password': { access: 'user', req: () => ({ method: 'POST', path: '/api/v1/me/password', body: {} }), ok: [400, 'missing_field'] },
        'GET /api/v1/tokens': { access: 'admin', req: () => ({ path: '/api/v1/tokens' }), ok: 200 },
        'POST /api/v1/tokens': { access: 'admin', req: () => ({ method: 'POST', path: '/api/v1/tokens', body: { name: 'x', role: 'nope' } }), ok: [400, 'invalid_field'] },
        'DELETE /api/v1/tokens/:id': { access: 'admin', req: () => ({ method: 'DELETE', path: '/api/v1/tokens/999999' }), ok: [404, 'not_found'] },
        'GET /api/v1/audit': { access: 'admin', req: () => ({ path: '/api/v1/audit?limit=5' }), ok: 200 },
        'PATCH /api/v1/users/:id': {
            access: 'admin', req: () => ({ method: 'PATCH', path: `/api/v1/users/${IDENTITIES.find((w) => w.name === 'desk').c.user.id}`, body: { full_name: 'Beyaz Masa' } }), ok: 200,
        },
    };

    const send = (c, q) => {
        if (q.raw) return c.raw(q.path, { method: q.method, body: q.raw });
        if (q.method === 'PUT') return c.raw(q.path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(q.body) });
        if (q.body !== undefined) return c[q.method === 'PATCH' ? 'patch' : 'post'](q.path, q.body);
        return q.method === 'DELETE' ? c.del(q.path) : c.get(q.path);
    };

    async function expectOk(r, spec, who, app, what) {
        const ok = typeof spec.ok === 'function' ? spec.ok(who) : spec.ok;
        const [status, code] = Array.isArray(ok) ? ok : [ok];
        assert.equal(r.status, status, `${what}: ${show(r)}`);
        if (code) assertError(r, status, code);
        if (spec.check) {
            try {
                await spec.check(r, who, app);
            } catch (e) {
                e.message = `${what}: ${e.message}`;
                throw e;
            }
        }
    }

    async function logoutCase(who, what) {
        if (!who.role || who.token) {
            const r = await who.c.del('/api/v1/session');
            assert.equal(r.status, 204, `${what}: ${show(r)}`);
            if (who.token) assert.equal((await who.c.get('/api/v1/me')).status, 200, `${what}: a cookie logout does not revoke a token`);
            return;
        }
        /* log out a second session of the same user; the shared one must keep working */
        const fresh = await login(srv.url, who.name);
        const r = await fresh.del('/api/v1/session');
        assert.equal(r.status, 204, `${what}: ${show(r)}`);
        assertError(await fresh.get('/api/v1/me'), 401, 'unauthorized');
        assert.equal((await who.c.get('/api/v1/me')).status, 200, `${what}: the other session survives`);
    }

    it('`alo153 routes` lists the route table, and every route is classified by this test', () => {
        assert.ok(ROUTES.length >= 40, `only ${ROUTES.length} routes: ${JSON.stringify(ROUTES)}`);
        for (const r of ROUTES) {
            assert.ok(Object.hasOwn(ACCESS, r.access), `unknown access class ${r.access} of ${r.key}`);
            assert.match(r.body, /^(json|form|file|-)$/, `body kind of ${r.key}`);
            assert.match(r.cap, /^(default|[1-9]\d*)$/, `body cap of ${r.key}`);
            assert.deepEqual(r.rest, [], `${r.key}: more columns than METHOD PATTERN ACCESS BODY CAP`);
            assert.equal(r.body === 'file', (/\/attachments$/.test(r.pattern) && r.method === 'POST') || r.key === 'POST /api/v1/cimer/import', `body kind of ${r.key}`);
        }
        const unclassified = ROUTES.filter((r) => !EXPECT[r.key]).map((r) => r.key);
        assert.deepEqual(unclassified, [], 'new routes: add them to EXPECT in tests/api/t11-access.test.mjs');
        const stale = Object.keys(EXPECT).filter((k) => !ROUTES.some((r) => r.key === k));
        assert.deepEqual(stale, [], 'EXPECT names routes the server no longer has');
        const keys = ROUTES.map((r) => r.key);
        assert.equal(new Set(keys).size, keys.length, 'a route is listed twice');
    });

    for (const route of ROUTES) {
        it(`${route.key} (${route.access}): 401 anonymous, 403 outside the access class, 404 outside the department`, async () => {
            const spec = EXPECT[route.key];
            assert.ok(spec, `${route.key} is not classified: add it to EXPECT`);
            assert.equal(route.access, spec.access, `${route.key}: the server says ${route.access}, the test expects ${spec.access}`);
            for (const who of IDENTITIES) {
                const what = `${route.key} as ${who.name}`;
                const allowed = who.role ? ACCESS[spec.access](who.role) : spec.access === 'public';
                if (spec.special === 'logout') {
                    await logoutCase(who, what);
                    continue;
                }
                const targets = spec.perApp ? Object.entries(apps) : [[null, null]];
                for (const [appName, app] of targets) {
                    const w = appName ? `${what} on ${appName} (${app.dept || 'unrouted'})` : what;
                    if (spec.prepare && allowed) await spec.prepare();
                    const r = await send(who.c, spec.req(app));
                    if (!who.role && spec.access !== 'public') {
                        assertError(r, 401, 'unauthorized');
                    } else if (!allowed) {
                        assertError(r, 403, 'forbidden');
                    } else if (app && !visibleTo(who, app.dept, parents)) {
                        assert.equal(r.status, 404, `${w}: ${show(r)}`);
                        assertError(r, 404, 'not_found');
                    } else {
                        await expectOk(r, spec, who, app, w);
                    }
                }
            }
        });
    }
});

describe('t11 department scoping: lists, search, reads, actions, sub-units', { timeout: 90000 }, () => {
    let srv, parents;
    const ids = IDENTITIES.filter((w) => w.role && !w.matrixOnly).map((w) => ({ ...w }));
    const as = (name) => ids.find((w) => w.name === name).c;
    const A = {};
    const sorted = (xs) => [...xs].sort((a, b) => a - b);
    const visibleIds = (who) => sorted(Object.values(A).filter((a) => visibleTo(who, a.dept, parents)).map((a) => a.id));

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
        await signIn(srv, ids);
        const agent = as('agent');
        parents = await departmentParents(agent);
        A.fen = await makeApp(agent, { text: 'Kaldırım taşları sökülmüş', category: 'FEN_KALDIRIM', dept: true });
        A.fen2 = await makeApp(agent, { text: 'Mahalle yolunda asfalt bozuk', category: 'FEN_YOL_CUKUR', dept: true });
        A.yol = await makeApp(agent, { text: 'Kaldırım çökmüş, yol çukur dolu', category: 'FEN_YOL_CUKUR', dept: 'FEN_YOL' });
        A.karla = await makeApp(agent, { text: 'Kaldırım buz tuttu, tuz atılmadı', category: 'FEN_TUZLAMA', dept: 'FEN_KARLA' });
        A.zab = await makeApp(agent, { text: 'Kaldırım işgal edilmiş, seyyar tezgah', category: 'ZAB_ISGAL', dept: true });
        A.cev = await makeApp(agent, { text: 'Kaldırımda çöp birikmiş', category: 'CEV_COP_TOPLAMA', dept: true });
        A.none = await makeApp(agent, { text: 'Kaldırım hakkında genel bilgi' });
        assert.deepEqual([A.fen.dept, A.yol.dept, A.karla.dept, A.zab.dept, A.cev.dept, A.none.dept], ['FEN', 'FEN_YOL', 'FEN_KARLA', 'ZABITA', 'CEVRE', null]);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('each role lists exactly its department subtree; front office and oversight list everything', async () => {
        const expect = {
            admin: 'fen fen2 yol karla zab cev none', supervisor: 'fen fen2 yol karla zab cev none', agent: 'fen fen2 yol karla zab cev none',
            desk: 'fen fen2 yol karla zab cev none', 'token:santral': 'fen fen2 yol karla zab cev none',
            fen: 'fen fen2 yol karla', 'fen.mudur': 'fen fen2 yol karla', 'token:fen': 'fen fen2 yol karla',
            yol: 'yol', 'yol.mudur': 'yol', zabita: 'zab', 'token:zabita-mudur': 'zab',
        };
        for (const who of ids) {
            const want = sorted(expect[who.name].split(' ').map((k) => A[k].id));
            assert.deepEqual(want, visibleIds(who), `${who.name}: the table above and visibleTo agree`);
            assert.deepEqual(sorted(await listAllIds(who.c)), want, who.name);
            /* the same with paging by one, newest first and by deadline */
            assert.deepEqual(sorted(await pageAll(who.c, 'limit=1')), want, `${who.name} paging`);
            assert.deepEqual(sorted(await pageAll(who.c, 'limit=1&sort=due')), want, `${who.name} paging by due`);
        }
    });

    async function pageAll(c, query) {
        const out = [];
        let after = '';
        for (let i = 0; i < 50; i++) {
            const r = await c.get(`/api/v1/applications?${query}${after ? '&after=' + after : ''}`);
            assert.equal(r.status, 200, show(r));
            out.push(...r.body.items.map((a) => a.id));
            if (r.body.next === null) return out;
            after = r.body.next;
        }
        throw new Error('paging did not end');
    }

    it('search (?q=) is scoped the same way: a manager finds only their subtree', async () => {
        for (const who of ids) {
            const r = await who.c.get('/api/v1/applications?q=kald%C4%B1r%C4%B1m&limit=500');
            assert.equal(r.status, 200, show(r));
            const want = sorted(['fen', 'yol', 'karla', 'zab', 'cev', 'none'].map((k) => A[k]).filter((a) => visibleTo(who, a.dept, parents)).map((a) => a.id));
            assert.deepEqual(sorted(r.body.items.map((a) => a.id)), want, who.name);
        }
        /* spelled without Turkish letters and in capitals: the same scoped result */
        const m = await as('yol.mudur').get('/api/v1/applications?q=KALDIRIM');
        assert.deepEqual(m.body.items.map((a) => a.id), [A.yol.id]);
        const z = await as('token:zabita-mudur').get('/api/v1/applications?q=kaldirim');
        assert.deepEqual(z.body.items.map((a) => a.id), [A.zab.id]);
    });

    it('filters never widen the scope: ?department= outside the subtree gives an empty list', async () => {
        const ids_ = async (c, q) => sorted((await c.get(`/api/v1/applications?${q}`)).body.items.map((a) => a.id));
        assert.deepEqual(await ids_(as('zabita'), 'department=FEN'), []);
        assert.deepEqual(await ids_(as('fen.mudur'), 'department=ZABITA'), []);
        assert.deepEqual(await ids_(as('yol.mudur'), 'department=FEN'), [A.yol.id]);
        assert.deepEqual(await ids_(as('fen.mudur'), 'department=FEN_YOL'), [A.yol.id]);
        assert.deepEqual(await ids_(as('fen.mudur'), 'status=forwarded'), sorted([A.fen.id, A.fen2.id, A.yol.id, A.karla.id]));
        assert.deepEqual(await ids_(as('fen.mudur'), 'category=ZAB_ISGAL'), []);
        assert.deepEqual(await ids_(as('agent'), 'department=FEN'), sorted([A.fen.id, A.fen2.id, A.yol.id, A.karla.id]));
    });

    it('another department\'s application is 404 not_found for read, tracking, actions, files and links — never 403', async () => {
        for (const who of ids.filter((w) => !SEES_ALL.has(w.role))) {
            for (const [k, a] of Object.entries(A)) {
                if (visibleTo(who, a.dept, parents)) continue;
                const m = `${who.name} on ${k}`;
                assertError(await who.c.get(`/api/v1/applications/${a.id}`), 404, 'not_found');
                assertError(await who.c.get(`/api/v1/applications/by-tracking/${a.tracking}`), 404, 'not_found');
                /* actions the role may not do at all are still 404 here: existence is not revealed */
                for (const act of ['accept', 'respond', 'close', 'route', 'duplicate', 'note', 'transfer', 'hold']) {
                    const r = await who.c.post(`/api/v1/applications/${a.id}/${act}`, { note: 'x', response: 'Cevap metni', department: who.dept });
                    assert.equal(r.status, 404, `${m} ${act}: ${show(r)}`);
                }
                assertError(await who.c.raw(`/api/v1/applications/${a.id}/attachments?filename=x.png`, { method: 'POST', body: PNG }), 404, 'not_found');
            }
        }
        /* one of their own: a front-office action is 403, not 404 */
        assertError(await as('yol.mudur').post(`/api/v1/applications/${A.yol.id}/close`, {}), 403, 'forbidden');
        assertError(await as('fen.mudur').post(`/api/v1/applications/${A.yol.id}/route`, {}), 403, 'forbidden');
    });

    it('linking to an application outside the subtree answers like a missing one (422 other_id)', async () => {
        const r = await as('fen.mudur').post(`/api/v1/applications/${A.fen.id}/links`, { other_id: A.zab.id });
        assertError(r, 422, 'unprocessable', 'other_id');
        const missing = await as('fen.mudur').post(`/api/v1/applications/${A.fen.id}/links`, { other_id: 99999 });
        assert.deepEqual(missing.body, r.body);
        const ok = await as('fen.mudur').post(`/api/v1/applications/${A.fen.id}/links`, { other_id: A.yol.id });
        assert.equal(ok.status, 200, show(ok));
        assert.deepEqual(ok.body.links.map((l) => l.id), [A.yol.id]);
    });

    it('a parent department works on its sub-unit\'s applications; a sub-unit cannot see the parent\'s', async () => {
        const acc = await as('fen.mudur').post(`/api/v1/applications/${A.karla.id}/accept`, {});
        assert.equal(acc.status, 200, show(acc));
        assert.equal(acc.body.status, 'in_progress');
        const got = await as('fen').get(`/api/v1/applications/${A.karla.id}`);
        assert.equal(got.status, 200);
        assert.equal(got.body.department, 'FEN_KARLA');
        assertError(await as('yol').get(`/api/v1/applications/${A.fen.id}`), 404, 'not_found');
        /* a sibling sub-unit is not visible either */
        assertError(await as('yol').get(`/api/v1/applications/${A.karla.id}`), 404, 'not_found');
        const s = await as('yol.mudur').get('/api/v1/applications/similar?category=FEN_YOL_CUKUR&lat=38.7205&lon=35.4826');
        assert.equal(s.status, 200, show(s));
        assert.deepEqual(s.body.items.map((a) => a.id), [A.yol.id]);
        const f = await as('fen').get('/api/v1/applications/similar?category=FEN_YOL_CUKUR&lat=38.7205&lon=35.4826');
        assert.deepEqual(sorted(f.body.items.map((a) => a.id)), sorted([A.yol.id, A.fen2.id]));
        assert.deepEqual((await as('zabita').get('/api/v1/applications/similar?category=FEN_YOL_CUKUR&lat=38.7205&lon=35.4826')).body.items, []);
    });

    it('an application transferred or returned by a department leaves that department\'s view', async () => {
        const fen = as('fen');
        const t = await fen.post(`/api/v1/applications/${A.fen2.id}/transfer`, { department: 'ZABITA', note: 'Zabıtanın işi' });
        assert.equal(t.status, 200, show(t));
        assert.equal(t.body.department, 'ZABITA');
        A.fen2.dept = 'ZABITA';
        assertError(await fen.get(`/api/v1/applications/${A.fen2.id}`), 404, 'not_found');
        assert.ok(!(await listAllIds(fen)).includes(A.fen2.id));
        assert.equal((await as('zabita').get(`/api/v1/applications/${A.fen2.id}`)).status, 200);
        assert.ok((await listAllIds(as('token:zabita-mudur'))).includes(A.fen2.id));

        const ret = await as('yol.mudur').post(`/api/v1/applications/${A.yol.id}/return`, { note: 'Bizim birimin işi değil' });
        assert.equal(ret.status, 200, show(ret));
        assert.equal(ret.body.status, 'new');
        assert.equal(ret.body.department, null);
        A.yol.dept = null;
        for (const name of ['yol', 'yol.mudur', 'fen', 'fen.mudur']) {
            assertError(await as(name).get(`/api/v1/applications/${A.yol.id}`), 404, 'not_found');
            assert.ok(!(await listAllIds(as(name))).includes(A.yol.id), name);
        }
        assert.equal((await as('desk').get(`/api/v1/applications/${A.yol.id}`)).status, 200);
    });

    it('a staff account without a department sees no application and zero statistics', async () => {
        /* POST /users and `user add` refuse this, but `alo153 token add --role staff` without
         * --department creates one: it must see nothing rather than everything */
        const c = client(srv.url, { bearer: await addToken(srv.db, 'birimsiz', 'staff') });
        const me = await c.get('/api/v1/me');
        assert.equal(me.body.department, null);
        assert.deepEqual(await listAllIds(c), []);
        assert.deepEqual((await c.get('/api/v1/applications?q=kaldirim')).body.items, []);
        assertError(await c.get(`/api/v1/applications/${A.fen.id}`), 404, 'not_found');
        const st = await c.get('/api/v1/stats');
        assert.equal(st.status, 200);
        assert.equal(st.body.open, 0, JSON.stringify(st.body));
        assert.equal(st.body.month.total, 0, JSON.stringify(st.body));
        assert.deepEqual(st.body.today.by_department, {});
    });
});

describe('t11 KVKK masking of the citizen on every response, for every role', { timeout: 90000 }, () => {
    let srv;
    /* everyone who can see an application of FEN_YOL, with a token manager among them */
    const ids = [...IDENTITIES.filter((w) => w.role && !w.matrixOnly && w.dept !== 'ZABITA'), { name: 'token:yol-mudur', role: 'manager', dept: 'FEN_YOL', token: 'yol-mudur' }]
        .map((w) => ({ ...w }));
    const as = (name) => ids.find((w) => w.name === name).c;
    const PHONE = '+905321234567', PHONE_MASKED = '+90532*****67';
    const TC = '10000000146', TC_MASKED = '100********';
    let cit, app, app2;
    /* who sees whole numbers: the roles that talk to citizens (README, DESIGN KVKK) */
    const whole = (who) => SEES_ALL.has(who.role);

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
        await signIn(srv, ids);
        const agent = as('agent');
        const c = await agent.post('/api/v1/citizens', { name: 'Ayşe Öztürk', phone: '0532 123 45 67', tc: TC, email: 'ayse@example.com' });
        assert.equal(c.status, 201);
        cit = c.body;
        /* routed to the sub-unit FEN_YOL: every department identity of the matrix can see it */
        app = await makeApp(agent, { text: 'Sokakta çukur var, araçlar zarar görüyor', category: 'FEN_YOL_CUKUR', dept: 'FEN_YOL', citizenId: cit.id });
        app2 = await makeApp(agent, { text: 'Yan sokakta da çukur var', category: 'FEN_YOL_CUKUR', dept: 'FEN_YOL', citizenId: cit.id });
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const checkCitizen = (who, body, what) => {
        assert.ok(body.citizen, `${what}: the citizen is shown`);
        assert.equal(body.citizen.id, cit.id, what);
        assert.equal(body.citizen.name, 'Ayşe Öztürk', what);
        assert.equal(body.citizen.phone, whole(who) ? PHONE : PHONE_MASKED, `${who.name} (${who.role}) ${what}`);
        assert.equal(body.citizen.tc, whole(who) ? TC : TC_MASKED, `${who.name} (${who.role}) ${what}`);
        if (!whole(who)) {
            const dump = JSON.stringify(body);
            assert.ok(!dump.includes('5321234567') && !dump.includes(TC), `${who.name} ${what}: whole number leaked: ${dump}`);
            assert.equal(body.access_code, undefined, `${who.name} ${what}: the access code is not for departments`);
        } else {
            assert.match(body.access_code, /^\S{4,}$/, `${who.name} ${what}: the front office reads the access code to the citizen`);
        }
    };

    it('GET /applications/{id} and by-tracking: whole numbers for agent, desk, supervisor, admin; masked for staff and managers', async () => {
        for (const who of ids) {
            const r = await who.c.get(`/api/v1/applications/${app.id}`);
            assert.equal(r.status, 200, `${who.name}: ${show(r)}`);
            checkCitizen(who, r.body, 'GET /applications/{id}');
            const t = await who.c.get(`/api/v1/applications/by-tracking/${app.tracking}`);
            assert.equal(t.status, 200, `${who.name}: ${show(t)}`);
            checkCitizen(who, t.body, 'by-tracking');
        }
    });

    it('action and link responses embed the citizen with the same masking', async () => {
        for (const who of ids) {
            const n = await who.c.post(`/api/v1/applications/${app.id}/note`, { note: `not: ${who.name}` });
            assert.equal(n.status, 200, `${who.name}: ${show(n)}`);
            checkCitizen(who, n.body, 'note');
            const l = await who.c.post(`/api/v1/applications/${app.id}/links`, { other_id: app2.id });
            assert.equal(l.status, 200, `${who.name}: ${show(l)}`);
            checkCitizen(who, l.body, 'links');
        }
        /* a manager of the sub-unit works the application through; a desk clerk relays and closes */
        const mgr = ids.find((w) => w.name === 'yol.mudur');
        for (const [act, body] of [['accept', {}], ['hold', { note: 'Vatandaştan adres bekleniyor' }], ['resume', {}], ['respond', { response: 'Çukur kapatıldı.' }]]) {
            const r = await mgr.c.post(`/api/v1/applications/${app.id}/${act}`, body);
            assert.equal(r.status, 200, `${act}: ${show(r)}`);
            checkCitizen(mgr, r.body, act);
        }
        const fenMgr = ids.find((w) => w.name === 'fen.mudur');
        const tr = await fenMgr.c.post(`/api/v1/applications/${app2.id}/transfer`, { department: 'FEN_KARLA', note: 'alt birime' });
        assert.equal(tr.status, 200, show(tr));
        checkCitizen(fenMgr, tr.body, 'transfer');
        const desk = ids.find((w) => w.name === 'desk');
        const cl = await desk.c.post(`/api/v1/applications/${app.id}/close`, {});
        assert.equal(cl.status, 200, show(cl));
        checkCitizen(desk, cl.body, 'close');
    });

    it('lists, search and similar carry no phone or T.C. number for any role', async () => {
        const similar = await as('agent').post('/api/v1/applications', {
            channel: 'phone_153', text: 'Çukur yine açıldı', category: 'FEN_YOL_CUKUR', citizen_id: cit.id, lat: 38.7205, lon: 35.4826,
        });
        assert.equal(similar.status, 201);
        assert.ok(!JSON.stringify(similar.body).includes('5321234567'), 'the create response');
        assert.equal(similar.body.citizen, undefined);
        const fenRouted = await as('agent').post(`/api/v1/applications/${similar.body.id}/route`, { department: 'FEN_YOL' });
        assert.equal(fenRouted.status, 200);
        for (const who of ids) {
            for (const p of ['/api/v1/applications?limit=500', '/api/v1/applications?q=%C3%A7ukur', `/api/v1/applications?citizen=${cit.id}`,
                '/api/v1/applications/similar?category=FEN_YOL_CUKUR&lat=38.7205&lon=35.4826']) {
                const r = await who.c.get(p);
                assert.equal(r.status, 200, `${who.name} ${p}: ${show(r)}`);
                assert.ok(r.body.items.length >= 1, `${who.name} ${p}: the application is listed`);
                const dump = JSON.stringify(r.body);
                assert.ok(!dump.includes('5321234567') && !dump.includes(TC) && !dump.includes(PHONE_MASKED), `${who.name} ${p}: ${dump}`);
                for (const it of r.body.items) {
                    assert.equal(it.citizen, undefined, `${who.name} ${p}`);
                    assert.equal(it.citizen_id, cit.id);
                    assert.equal(it.access_code, undefined, `${who.name} ${p}: lists never carry access codes (issue 12: call-takers saw every code)`);
                }
            }
        }
    });

    it('the citizen registry shows whole numbers to the front office and is closed to departments', async () => {
        for (const who of ids) {
            const byId = await who.c.get(`/api/v1/citizens/${cit.id}`);
            const byPhone = await who.c.get('/api/v1/citizens?phone=05321234567');
            const created = await who.c.post('/api/v1/citizens', { name: 'Yeni Kişi', phone: '05329876543', tc: TC });
            if (!whole(who)) {
                for (const r of [byId, byPhone, created]) assertError(r, 403, 'forbidden');
                continue;
            }
            assert.equal(byId.status, 200, show(byId));
            assert.equal(byId.body.phone, PHONE, who.name);
            assert.equal(byId.body.tc, TC, who.name);
            assert.ok(byId.body.applications.length >= 2);
            for (const a of byId.body.applications) assert.equal(a.citizen, undefined);
            assert.equal(byPhone.status, 200, show(byPhone));
            assert.deepEqual(byPhone.body.items.map((c) => [c.id, c.phone, c.tc]), [[cit.id, PHONE, TC]], who.name);
            assert.equal(created.status, 201, show(created));
            assert.equal(created.body.phone, '+905329876543');
            assert.equal(created.body.tc, TC);
        }
    });
});
