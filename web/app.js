// The single-page console: session, role-aware home, header with the language switch, routes.
// Pages live in js/pages/ and are loaded on demand, so citizens on a phone only download the
// public form and the tracking page.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './js/html.js';
import { t, label, getLang, setLang, onLang, languages } from './js/i18n.js';
import { get, del, onUnauthorized } from './js/api.js';
import { useRoute, match, navigate } from './js/router.js';
import { getMeta } from './js/ref.js';
import { Loading, Banner } from './js/ui.js';
import { PasswordDialog } from './js/password-dialog.js'; // issue 12: rights

const ROLE_HOME = {
    agent: '/cagri',
    desk: '/cagri',
    staff: '/birim',
    manager: '/birim',
    supervisor: '/pano',
    admin: '/yonetim/kullanicilar',
    dpo: '/kvkk', // KVKK (issue 12)
};

// Where staff log in. "/" is the citizen portal (apply, track); the old /giris still leads here.
const LOGIN = '/personel';
// A browser where staff logged in remembers it (not the session, just that one existed), so
// "/" asks the server who is there only in such browsers: a citizen's phone never does.
const STAFF_MARK = 'alo153.staff';
function markStaff(on) {
    try {
        if (on) localStorage.setItem(STAFF_MARK, '1');
        else localStorage.removeItem(STAFF_MARK);
    } catch { /* storage may be unavailable */ }
}
function isStaffBrowser() {
    try { return localStorage.getItem(STAFF_MARK) === '1'; } catch { return false; }
}

// pattern, module, roles allowed (null = public page, no login)
const ROUTES = [
    ['/', './js/pages/portal-form.js', null],
    ['/basvuru', './js/pages/portal-form.js', null],
    ['/takip', './js/pages/portal-track.js', null],
    ['/takip/:tracking', './js/pages/portal-track.js', null],
    ['/basvurularim', './js/pages/portal-mine.js', null], // the citizen's phone (docs/PORTAL.md)
    ['/aydinlatma', './js/pages/portal-notice.js', null],
    [LOGIN, './js/pages/login.js', null],
    ['/cagri', './js/pages/calltaker.js', ['agent', 'desk', 'supervisor', 'admin']],
    ['/birim', './js/pages/applist.js', ['staff', 'manager']],
    ['/basvurular', './js/pages/applist.js', ['agent', 'desk', 'supervisor', 'admin', 'staff', 'manager']],
    ['/basvurular/:id', './js/pages/detail.js', ['agent', 'desk', 'supervisor', 'admin', 'staff', 'manager']],
    ['/pano', './js/pages/dashboard.js', ['supervisor', 'admin']],
    ['/duvar', './js/pages/wallboard.js', ['supervisor', 'admin']], // the centre's big screen
    ['/bilgi-bankasi', './js/pages/kb.js', ['supervisor', 'admin']],
    ['/raporlar', './js/pages/reports.js', ['supervisor', 'admin', 'manager']],
    ['/cimer', './js/pages/cimer.js', ['agent', 'desk', 'supervisor', 'admin']], // issue 15: the CİMER unit
    ['/yonetim/kullanicilar', './js/pages/admin.js', ['admin']],
    ['/yonetim/birimler', './js/pages/admin.js', ['admin']],
    ['/yonetim/konular', './js/pages/admin.js', ['admin']],
    ['/yonetim/tatiller', './js/pages/admin.js', ['admin']],
    ['/yonetim/modeller', './js/pages/admin.js', ['admin']], // issue 13: routing models and the gate
    ['/saha', './js/pages/field.js', ['staff', 'manager', 'supervisor', 'admin']], // the field team's phone
    ['/yonetim/mesajlar', './js/pages/outbox.js', ['admin']], // issue 15: outbox and templates
    ['/yonetim/anahtarlar', './js/pages/admin.js', ['admin']], // issue 12: API tokens
    ['/yonetim/denetim', './js/pages/admin.js', ['admin']], // issue 12: the audit log
    ['/anket/:token', './js/pages/survey.js', null], // issue 15: the citizen's survey link
    ['/kvkk', './js/pages/kvkk.js', ['dpo', 'admin']], // KVKK (issue 12): export, erasure, view log
];

function findRoute(path) {
    for (const [pattern, mod, roles] of ROUTES) {
        const params = match(pattern, path);
        if (params) return { pattern, mod, roles, params };
    }
    return null;
}

function navFor(role) {
    const items = [];
    if (role === 'agent' || role === 'desk') items.push(['/cagri', role === 'desk' ? 'nav.desk' : 'nav.calltaker'], ['/basvurular', 'nav.list']);
    if (role === 'staff' || role === 'manager') items.push(['/birim', 'nav.inbox'], ['/saha', 'nav.field']);
    if (role === 'manager') items.push(['/raporlar', 'nav.reports']);
    if (role === 'supervisor') items.push(['/pano', 'nav.dashboard'], ['/raporlar', 'nav.reports'], ['/basvurular', 'nav.list'], ['/cagri', 'nav.calltaker'], ['/bilgi-bankasi', 'nav.kb']);
    if (role === 'admin') {
        items.push(['/pano', 'nav.dashboard'], ['/raporlar', 'nav.reports'], ['/basvurular', 'nav.list'], ['/bilgi-bankasi', 'nav.kb'], ['/yonetim/kullanicilar', 'nav.users'],
            ['/yonetim/birimler', 'nav.departments'], ['/yonetim/konular', 'nav.categories'], ['/yonetim/tatiller', 'nav.holidays'], ['/yonetim/mesajlar', 'nav.outbox'],
            ['/yonetim/anahtarlar', 'nav.tokens'], ['/yonetim/denetim', 'nav.audit']);
    }
    if (role === 'supervisor' || role === 'admin') items.splice(1, 0, ['/duvar', 'nav.wallboard']);
    if (role === 'desk' || role === 'supervisor' || role === 'admin') items.push(['/cimer', 'nav.cimer']); // issue 15
    if (role === 'dpo' || role === 'admin') items.push(['/kvkk', 'nav.kvkk']); // KVKK (issue 12)
    return items;
}

/** The name to show in the header: a trailing "(…)" note in the full name (a role or a unit,
 * as in "Zeynep Demir (Beyaz Masa)") is dropped, since the header names the role itself. */
function personName(me) {
    const n = (me.full_name || '').replace(/\s*\([^)]*\)\s*$/, '').trim();
    return n || me.username;
}

/** Name and role once: "Ayşe Yılmaz · Süpervizör"; when the name is the role itself (the admin
 * account "Sistem Yöneticisi"), the role alone (issue 14 item 12). */
function whoAmI(me) {
    const name = personName(me);
    const role = label('role', me.role);
    const same = name.toLocaleLowerCase('tr') === role.toLocaleLowerCase('tr');
    return html`${same ? '' : name}<span class="whoami-role">${same ? '' : ' · '}${role}${me.department ? ` · ${me.department}` : ''}</span>`;
}

function LangSwitch() {
    const cur = getLang();
    return html`<div class="lang-switch" role="group" aria-label=${t('app.lang')}>
        ${languages.map(([code, name, short]) => html`<button type="button" class=${`btn-lang ${code === cur ? 'on' : ''}`}
            aria-pressed=${code === cur ? 'true' : 'false'} lang=${code} title=${name} onClick=${() => setLang(code)}>${short}</button>`)}
    </div>`;
}

function Header({ me, path, publicPage, meta, onLogout }) {
    const items = me ? navFor(me.role) : [];
    const [pwOpen, setPwOpen] = useState(false);
    return html`<header class="topbar">
        <a class="skip" href="#main" data-native onClick=${(e) => { e.preventDefault(); const m = document.getElementById('main'); if (m) m.focus(); }}>${t('app.skip')}</a>
        <div class="brand">
            <a href=${me ? ROLE_HOME[me.role] : '/'} class="brand-link">
                <span class="brand-logo" aria-hidden="true">153</span>
                <span class="brand-text"><span class="brand-name">${t('app.title')}</span>
                ${meta && meta.municipality && html`<span class="brand-muni">${meta.municipality}</span>`}</span>
            </a>
        </div>
        ${(items.length > 0 || publicPage) && html`<nav class="mainnav" aria-label=${t('nav.main')}>
            <ul>
                ${publicPage && !me ? [['/basvuru', 'nav.portalForm'], ['/basvurularim', 'pm.title'], ['/takip', 'nav.portalTrack'], [LOGIN, 'nav.staffLogin']].map(([href, key]) => html`<li><a href=${href} class=${href === LOGIN ? 'nav-staff' : undefined}
                    aria-current=${path.startsWith(href) || (href === '/basvuru' && path === '/') ? 'page' : undefined}>${t(key)}</a></li>`)
                    : items.map(([href, key]) => html`<li><a href=${href} aria-current=${path === href || (href === '/basvurular' && path.startsWith('/basvurular/')) ? 'page' : undefined}>${t(key)}</a></li>`)}
            </ul>
        </nav>`}
        <div class="top-right">
            <${LangSwitch} />
            ${me && html`<span class="whoami">${whoAmI(me)}</span>
                <button type="button" class="btn btn-secondary btn-small" id="open-password" onClick=${() => setPwOpen(true)}>${t('rights.password')}</button>
                <button type="button" class="btn btn-secondary btn-small" onClick=${onLogout}>${t('app.logout')}</button>`}
            ${me && pwOpen && html`<${PasswordDialog} onClose=${() => setPwOpen(false)} />`}
        </div>
    </header>`;
}

const modules = new Map();

function Page({ mod, ...props }) {
    const [m, setM] = useState(() => modules.get(mod) || null);
    const [err, setErr] = useState(null);
    useEffect(() => {
        if (modules.get(mod)) {
            setM(modules.get(mod));
            return;
        }
        setM(null);
        import(mod).then((x) => { modules.set(mod, x); setM(x); }).catch((e) => setErr(e));
    }, [mod]);
    if (err) return html`<${Banner} error=${{ code: 'network', message: String(err) }} />`;
    if (!m) return html`<${Loading} />`;
    const C = m.default;
    return html`<${C} ...${props} />`;
}

/** The session ended while someone worked: ask for the password over the page, which stays as
 * it is (a half-typed application, the routing suggestion). */
function ReLogin({ me, onLogin, onLogout }) {
    return html`<div class="modal-backdrop">
        <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="relogin-title" aria-describedby="relogin-text" id="relogin">
            <${Page} mod="./js/pages/login.js" dialog=${true} username=${me.username} onLogin=${onLogin} onLogout=${onLogout} />
        </div>
    </div>`;
}

function App() {
    const route = useRoute();
    const [, setLangTick] = useState(getLang());
    const [me, setMe] = useState(undefined); // undefined: not known yet; null: not logged in
    const [meta, setMeta] = useState(null);
    const [notice, setNotice] = useState(null);
    const [expired, setExpired] = useState(false); // the session ended under a working page

    useEffect(() => onLang((l) => setLangTick(l)), []);
    useEffect(() => {
        document.documentElement.lang = getLang();
        getMeta().then(setMeta).catch(() => {});
    }, []);

    const found = findRoute(route.path);
    const publicPage = !!found && found.roles === null && found.pattern !== LOGIN;
    // "/" is the citizen portal; in a browser where staff logged in, it takes them home instead
    const rootForStaff = route.path === '/' && isStaffBrowser();

    // the Reports page: load its module (which asks for the summary) while the session is checked
    useEffect(() => {
        if (found && found.pattern === '/raporlar' && !modules.has(found.mod)) import(found.mod).then((x) => modules.set(found.mod, x)).catch(() => {});
    }, []);

    // who am I: asked once, and not at all on the citizen pages (nor on "/" in a citizen's browser)
    useEffect(() => {
        if (me !== undefined || (publicPage && !rootForStaff)) return;
        get('/api/v1/me', { quiet401: true }).then((u) => { markStaff(true); setMe(u); }).catch(() => {
            if (rootForStaff) markStaff(false);
            setMe(null);
        });
    }, [publicPage, me, rootForStaff]);

    useEffect(() => {
        onUnauthorized(() => {
            const r = findRoute(location.pathname.replace(/\/+$/, '') || '/');
            if (r && r.roles === null) return; // citizen pages never need a session
            // keep the page and whatever is typed in it; log in again over it
            setExpired(true);
        });
    }, []);

    useEffect(() => {
        const title = t('app.title');
        document.title = meta && meta.municipality ? `${title} · ${meta.municipality}` : title;
    });

    const logout = async () => {
        try { await del('/api/v1/session', { quiet401: true }); } catch { /* gone anyway */ }
        markStaff(false);
        setExpired(false);
        setMe(null);
        navigate(LOGIN, { replace: true });
    };
    const relogged = (u) => {
        markStaff(true);
        setExpired(false);
        setNotice(null);
        if (me && u.username !== me.username) {
            // someone else at this desk: the page (and its draft) belonged to the other user
            setMe(u);
            navigate(ROLE_HOME[u.role] || '/basvurular', { replace: true });
            return;
        }
        setMe(u);
    };

    let body;
    if (route.path === '/giris') {
        // the login page's old address
        setTimeout(() => navigate(LOGIN + location.search, { replace: true }), 0);
        body = html`<${Loading} />`;
    } else if (rootForStaff && me === undefined) {
        body = html`<${Loading} />`;
    } else if (rootForStaff && me) {
        setTimeout(() => navigate(ROLE_HOME[me.role] || '/basvurular', { replace: true }), 0);
        body = html`<${Loading} />`;
    } else if (publicPage) {
        body = html`<${Page} mod=${found.mod} params=${found.params} route=${route} />`;
    } else if (me === undefined) {
        body = html`<${Loading} />`;
    } else if (route.path === LOGIN || (!me && found)) {
        if (me && route.path === LOGIN) {
            // already logged in
            setTimeout(() => navigate(ROLE_HOME[me.role] || '/basvurular', { replace: true }), 0);
            body = html`<${Loading} />`;
        } else {
            if (route.path !== LOGIN) setTimeout(() => navigate(`${LOGIN}?next=${encodeURIComponent(route.path + location.search)}`, { replace: true }), 0);
            body = html`<${Page} mod="./js/pages/login.js" route=${route} notice=${notice}
                onLogin=${(u) => {
                    markStaff(true);
                    setExpired(false);
                    setNotice(null);
                    setMe(u);
                    const next = route.query.get('next');
                    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : ROLE_HOME[u.role] || '/basvurular', { replace: true });
                }} />`;
        }
    } else if (!me) {
        setTimeout(() => navigate(LOGIN, { replace: true }), 0);
        body = html`<${Loading} />`;
    } else if (!found) {
        body = html`<div class="page"><h1>${t('app.notFoundPage')}</h1><p><a href=${ROLE_HOME[me.role]}>${t('app.home')}</a></p></div>`;
    } else if (found.roles && !found.roles.includes(me.role)) {
        body = html`<div class="page"><h1>${t('app.forbiddenPage')}</h1><p><a href=${ROLE_HOME[me.role]}>${t('app.home')}</a></p></div>`;
    } else {
        body = html`<${Page} mod=${found.mod} params=${found.params} route=${route} me=${me} meta=${meta} key=${found.pattern} />`;
    }

    const blocked = expired && me;
    return html`<div class=${`shell ${publicPage ? 'shell-public' : ''}`}>
        <div class="shell-inner" inert=${blocked ? true : undefined} aria-hidden=${blocked ? 'true' : undefined}>
        <${Header} me=${publicPage ? null : me} path=${route.path} publicPage=${publicPage || (!me && route.path === LOGIN)} meta=${meta} onLogout=${logout} />
        <main id="main" tabindex="-1">${body}</main>
        <footer class="footer">
            <p>${meta && meta.municipality ? `${meta.municipality} · ` : ''}${t('app.footer')}</p>
            ${!publicPage && !me && html`<p><a href="/basvuru">${t('nav.portalForm')}</a> · <a href="/takip">${t('nav.portalTrack')}</a></p>`}
            ${publicPage && html`<p><a href=${LOGIN} class="staff-link">${t('nav.staffLogin')}</a></p>`}
        </footer>
        </div>
        ${blocked && html`<${ReLogin} me=${me} onLogin=${relogged} onLogout=${logout} />`}
    </div>`;
}

window.alo153Started = true;
const bootFail = document.getElementById('boot-fail');
if (bootFail) bootFail.hidden = true;
render(html`<${App} />`, document.getElementById('app'));
