// Accessibility basics of issue 3 ("labels on every input, sufficient contrast, the pages usable
// at 200 % zoom"), checked in Debian's Chromium: axe-core (WCAG 2 A + AA rules) on every kind of
// page, with the forms and panels open that people actually work in; a 200 % zoom check (a
// 640×400 CSS-pixel viewport at device scale 2 is what a 1280-px window at 200 % looks like):
// no horizontal scrolling and the save/submit buttons reachable; and the call-taker screen's
// keyboard path (Alt+N, Tab, Shift+Tab to the skip link) with a visible focus ring at every stop.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, apiClient, REPO } from './harness.mjs';

const AXE = path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js');
const RESPONSE = 'Bildirdiğiniz çukur ekiplerimizce asfaltla kapatılmıştır. Duyarlılığınız için teşekkür ederiz.';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Run axe (WCAG 2.0/2.1 A and AA rules) on the page as it is now; fail on serious or critical
 * violations. A11Y_DEBUG=1 also prints what axe could not decide and the best-practice findings.
 */
async function audit(page, name) {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
    const r = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
    const list = (vs) => vs.map((v) => `  ${v.id} [${v.impact}] ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'}):\n`
        + v.nodes.slice(0, 4).map((n) => `      ${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}` : ''}`).join('\n')).join('\n');
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const minor = r.violations.filter((v) => !bad.includes(v));
    console.log(`# axe ${name}: ${r.passes.length} rules passed, ${r.violations.length} violated${minor.length ? `\n${list(minor)}` : ''}`);
    if (process.env.A11Y_DEBUG) {
        const bp = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['best-practice'] } }));
        const msg = (n) => `${n.target.join(' ')}: ${((n.any[0] || n.all[0] || n.none[0]) || {}).message || ''}`;
        for (const v of r.incomplete) console.log(`# ${name} undecided ${v.id}: ${v.nodes.slice(0, 4).map(msg).join(' | ')}`);
        for (const v of bp.violations) console.log(`# ${name} best-practice ${v.id} [${v.impact}]: ${v.nodes.slice(0, 4).map(msg).join(' | ')}`);
    }
    assert.equal(bad.length, 0, `axe found serious/critical violations on ${name}:\n${list(bad)}`);
    // axe really looked at the rendered page (text contrast is checked on every page with text)
    assert.ok(r.passes.some((x) => x.id === 'color-contrast'), `axe checked the contrast on ${name}`);
    return r;
}

/**
 * What has keyboard focus, and whether its focus ring can be seen: an outline of at least 2 px
 * with 3:1 contrast against the background around it (WCAG 1.4.11), not cut off by an ancestor
 * that clips its overflow. Returns { at, problem } (at === 'BODY' when focus got lost).
 */
const focused = (page) => page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body || a === document.documentElement) return { at: 'BODY', problem: null };
    const at = a.id ? `#${a.id}` : `${a.tagName.toLowerCase()}.${[...a.classList].join('.')}:"${(a.getAttribute('aria-label') || a.textContent || '').trim().slice(0, 30)}"`;
    const lum = (rgb) => {
        const c = rgb.slice(0, 3).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const cs = getComputedStyle(a);
    const width = parseFloat(cs.outlineWidth) || 0;
    if (cs.outlineStyle === 'none' || width < 2) return { at, problem: `no visible focus outline (${cs.outlineStyle} ${cs.outlineWidth})` };
    // the outline lies outside the element (offset ≥ 0): compare it with the parent's background
    const offset = parseFloat(cs.outlineOffset) || 0;
    let bgEl = offset >= 0 ? a.parentElement : a;
    let bg = null;
    for (let el = bgEl; el; el = el.parentElement) {
        const c = parse(getComputedStyle(el).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c; bgEl = el; break; }
    }
    if (!bg) bg = [255, 255, 255];
    const l1 = lum(parse(cs.outlineColor));
    const l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    if (ratio < 3) return { at, problem: `focus outline ${cs.outlineColor} on ${getComputedStyle(bgEl).backgroundColor} has contrast ${ratio.toFixed(2)}:1 < 3:1` };
    if (offset >= 0) {
        const r = a.getBoundingClientRect();
        const out = offset + width;
        for (let el = a.parentElement; el && el !== document.body; el = el.parentElement) {
            const s = getComputedStyle(el);
            if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
            const p = el.getBoundingClientRect();
            if (r.left - out < p.left - 1 || r.right + out > p.right + 1 || r.top - out < p.top - 1 || r.bottom + out > p.bottom + 1) {
                return { at, problem: `focus outline cut off by ${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (overflow ${s.overflowX}/${s.overflowY})` };
            }
        }
    }
    return { at, problem: null };
});

async function noHorizontalScroll(page, what) {
    const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
    assert.ok(m.sw <= m.cw + 1, `${what}: no horizontal scrolling at 200 % zoom (scrollWidth ${m.sw} > clientWidth ${m.cw})`);
}

/** The button can be scrolled to and then lies wholly inside the 640×400 viewport. */
async function reachable(page, button, what) {
    await button.scrollIntoViewIfNeeded();
    assert.ok(await button.isVisible(), `${what} is visible`);
    const b = await button.boundingBox();
    const vp = page.viewportSize();
    assert.ok(b && b.x >= 0 && b.y >= 0 && b.x + b.width <= vp.width + 1 && b.y + b.height <= vp.height + 1,
        `${what} lies inside the ${vp.width}×${vp.height} viewport after scrolling: ${JSON.stringify(b)}`);
}

describe('accessibility', { timeout: 180000 }, () => {
    let env;
    const st = {};
    before(async () => {
        env = await setup();
        // an application the FEN clerk has answered: for the inbox, the detail page and tracking
        const agent = await apiClient(env.url).login('agent');
        const d = (await agent.get('/api/v1/districts')).body.items.find((x) => x.name === 'Melikgazi');
        const r = await agent.post('/api/v1/applications', {
            channel: 'phone_153', text: 'Sokağımızın başında derin bir çukur var, araçlar zarar görüyor.', category: 'FEN_YOL_CUKUR', route: true, district_id: d.id,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        Object.assign(st, { id: r.body.id, tracking: r.body.tracking, code: r.body.access_code });
        const fen = await apiClient(env.url).login('fen');
        assert.equal((await fen.post(`/api/v1/applications/${st.id}/accept`)).status, 200);
        assert.equal((await fen.post(`/api/v1/applications/${st.id}/respond`, { response: RESPONSE })).status, 200);
        // one with a pin: the detail page's map shows it (issue 14 item 13)
        const p = await agent.post('/api/v1/applications', {
            channel: 'phone_153', text: 'Kaldırım taşları yerinden çıkmış.', category: 'FEN_YOL_CUKUR', route: true, district_id: d.id, lat: 38.7205, lon: 35.4826,
        });
        assert.equal(p.status, 201, JSON.stringify(p.body));
        st.pinned = p.body.id;
    });
    after(async () => { if (env) await env.teardown(); });

    it('the login page', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await page.goto(`${env.url}/personel`);
        await page.getByLabel('Kullanıcı adı').waitFor();
        await audit(page, 'login');
        // the error state too: a wrong password shows a banner
        await page.getByLabel('Kullanıcı adı').fill('agent');
        await page.getByLabel('Parola').fill('yanlış');
        await page.getByRole('button', { name: 'Giriş yap' }).click();
        await page.locator('#login-error').waitFor();
        await audit(page, 'login (wrong password)');
        env.assertClean(page);
    });

    it('the call-taker screen with the new-application form open', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        await page.locator('#app-text').waitFor();
        // an unknown number: the new-citizen form opens beside the application form
        await page.locator('#ct-phone').fill('0555 000 11 22');
        await page.keyboard.press('Enter');
        await page.locator('#nc-name').waitFor();
        await page.locator('#app-text').fill('Mahallemizde çöp konteyneri iki gündür boşaltılmadı.');
        await page.locator('#app-district_id').selectOption({ label: 'Melikgazi' });
        await page.getByRole('button', { name: 'Haritada işaretle' }).click();
        await page.locator('.map.leaflet-container').waitFor();
        // the category search with its list open
        await page.locator('#app-category').fill('çöp');
        await page.locator('#app-category-list [role="option"]').first().waitFor();
        await audit(page, 'call-taker');
        env.assertClean(page);
    });

    it('the call-taker screen in the states of issue 14: an error shown, a draft restored, the re-login dialog', async () => {
        const { page, context } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        await page.locator('#ct-phone').fill('12');
        await page.keyboard.press('Enter');
        await page.locator('#ct-phone-err').waitFor();
        await audit(page, 'call-taker (error shown)');
        await page.locator('#ct-phone').fill('0555 000 11 23');
        await page.locator('#app-text').fill('Parkın aydınlatması iki gecedir yanmıyor.');
        await page.reload();
        await page.locator('#draft-restored').waitFor();
        await audit(page, 'call-taker (draft restored)');
        await context.clearCookies();
        await page.getByRole('button', { name: 'Yalnızca kaydet' }).click();
        await page.getByRole('dialog').waitFor();
        await audit(page, 'call-taker (session ended: re-login dialog)');
        env.assertClean(page);
    });

    it('the department inbox and an application detail page', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'fen');
        await page.waitForFunction(() => document.querySelector('section[aria-busy="false"]'));
        await page.locator('#f-status').selectOption(''); // every status: the answered one too
        await page.locator(`tr[data-tracking="${st.tracking}"]`).waitFor();
        await audit(page, 'FEN inbox');

        await page.goto(`${env.url}/basvurular/${st.id}`);
        await page.locator('#detail-status').waitFor();
        await page.locator('.timeline').waitFor();
        await audit(page, 'application detail');
        // the map: the district centre marked approximate (no pin), then a pinned application
        await page.locator('.detail-map-wrap .map-approx').waitFor();
        await audit(page, 'application detail (map, approximate place)');
        // an action form open (an internal note)
        await page.getByRole('button', { name: 'İç not ekle' }).click();
        await page.locator('#act-note').waitFor();
        await audit(page, 'application detail (note form)');
        await page.goto(`${env.url}/basvurular/${st.pinned}`);
        await page.locator('.detail-map-wrap .leaflet-marker-icon').waitFor();
        await audit(page, 'application detail (map with a pin)');
        env.assertClean(page);
    });

    it('the supervisor dashboard', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'supervisor');
        assert.equal(new URL(page.url()).pathname, '/pano');
        await page.locator('.tiles').waitFor();
        await page.locator('canvas').first().waitFor();
        await audit(page, 'dashboard');
        // every period of the picker (issue 14 item 10), the empty state and a refused period
        const picker = page.getByRole('group', { name: 'Dönem' });
        for (const name of ['Bugün', 'Son 30 gün', 'Bu ay']) {
            await picker.getByRole('button', { name }).click();
            await picker.locator('button[aria-pressed="true"]', { hasText: name }).waitFor();
            await page.locator('#tile-period').waitFor();
            await audit(page, `dashboard (${name})`);
        }
        await picker.getByRole('button', { name: 'Özel' }).click();
        await page.getByLabel('İlk gün').fill('2020-01-01');
        await page.getByLabel('Son gün').fill('2020-01-07');
        await page.getByRole('button', { name: 'Uygula' }).click();
        await page.locator('.dash-empty').waitFor();
        await audit(page, 'dashboard (empty period)');
        await page.getByLabel('İlk gün').fill('2020-02-01');
        await page.getByRole('button', { name: 'Uygula' }).click();
        await page.getByRole('alert').filter({ hasText: 'İlk gün son günden sonra olamaz.' }).waitFor();
        await audit(page, 'dashboard (period refused)');
        env.assertClean(page);
    });

    it('an admin page', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'admin');
        await page.goto(`${env.url}/yonetim/konular`);
        await page.locator('table').waitFor();
        await audit(page, 'admin categories');
        await page.goto(`${env.url}/yonetim/kullanicilar`);
        await page.locator('table').waitFor();
        await page.getByRole('button', { name: 'Yeni kullanıcı' }).click();
        await page.locator('#nu-username').waitFor();
        await audit(page, 'admin users (new user form)');
        env.assertClean(page);
    });

    it('the public form and the tracking page on a 360×740 phone', async () => {
        const { page } = await env.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
        await page.goto(`${env.url}/basvuru`);
        await page.getByRole('heading', { name: 'Beyaz Masa talep formu' }).waitFor();
        await page.getByLabel('İlçe').selectOption({ label: 'Kocasinan' });
        await audit(page, 'public form');
        // no contact given: the error state (every error at once, issue 14 item 5)
        await page.getByLabel('Başvuru metni').fill('Parkta kırık bank var.');
        await page.getByRole('button', { name: 'Başvuruyu gönder' }).click();
        await page.locator('#pf-phone-err').waitFor();
        await audit(page, 'public form (errors)');
        // the portal's new states (b12 audits the others: photo, location, sent, queued, draft)
        await page.getByRole('link', { name: 'Başvurularım' }).click();
        await page.locator('#pm-empty').waitFor();
        await audit(page, 'my applications (empty)');
        await page.goto(`${env.url}/aydinlatma`);
        await page.locator('#pn-text p').first().waitFor();
        await audit(page, 'information notice');

        await page.goto(`${env.url}/takip`);
        await page.getByLabel('Takip numarası').waitFor();
        await audit(page, 'tracking');
        await page.getByLabel('Takip numarası').fill(st.tracking);
        await page.getByLabel('Erişim kodu').fill(st.code);
        await page.getByRole('button', { name: 'Sorgula' }).click();
        await page.locator('#tr-answer').waitFor();
        await audit(page, 'tracking (answer)');
        env.assertClean(page);
    });

    it('200 % zoom: the call-taker form and the public form reflow without horizontal scrolling', async () => {
        const zoom = { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 };
        const { page } = await env.newPage(zoom);
        await env.login(page, 'agent');
        await page.locator('#app-text').waitFor();
        await page.locator('#ct-phone').fill('0555 000 11 22');
        await page.keyboard.press('Enter');
        await page.locator('#nc-name').waitFor();
        await page.locator('#app-district_id').selectOption({ label: 'Melikgazi' });
        await noHorizontalScroll(page, 'call-taker');
        const save = page.getByRole('button', { name: 'Kaydet ve birime yönlendir' });
        await reachable(page, save, 'the save button');
        await page.evaluate(() => window.scrollTo(0, 0));
        await env.shot(page, 'b3-zoom200-calltaker');
        env.assertClean(page);

        const { page: pub } = await env.newPage(zoom);
        await pub.goto(`${env.url}/basvuru`);
        await pub.getByRole('heading', { name: 'Beyaz Masa talep formu' }).waitFor();
        await noHorizontalScroll(pub, 'public form');
        const submit = pub.getByRole('button', { name: 'Başvuruyu gönder' });
        await reachable(pub, submit, 'the submit button');
        await env.shot(pub, 'b3-zoom200-portal');
        env.assertClean(pub);
    });

    it('200 % zoom: the inbox, the detail page, the dashboard, an admin page and the tracking answer fit the width', async () => {
        const zoom = { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 };
        const visit = async (user, url, ready) => {
            const { page } = await env.newPage(zoom);
            if (user) await env.login(page, user);
            await page.goto(`${env.url}${url}`);
            await ready(page);
            await noHorizontalScroll(page, url);
            env.assertClean(page);
            return page;
        };
        const fen = await visit('fen', '/birim', (p) => p.waitForFunction(() => document.querySelector('section[aria-busy="false"] table, section[aria-busy="false"] .empty')));
        await fen.goto(`${env.url}/basvurular/${st.id}`);
        await fen.locator('.timeline').waitFor();
        await noHorizontalScroll(fen, 'application detail');
        await visit('supervisor', '/pano', (p) => p.locator('canvas').first().waitFor());
        await visit('admin', '/yonetim/konular', (p) => p.locator('table').waitFor());
        const tr = await visit(null, '/takip', (p) => p.getByLabel('Takip numarası').waitFor());
        await tr.getByLabel('Takip numarası').fill(st.tracking);
        await tr.getByLabel('Erişim kodu').fill(st.code);
        await tr.getByRole('button', { name: 'Sorgula' }).click();
        await tr.locator('#tr-answer').waitFor();
        await noHorizontalScroll(tr, 'tracking answer');
    });

    it('keyboard: Alt+N puts the cursor in the phone field, Tab walks to the category search, every stop shows its focus', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        await page.locator('#app-text').waitFor();
        await page.locator('#app-text').click(); // start somewhere else
        await page.keyboard.press('Alt+n');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ct-phone');
        const problems = [];
        const check = (f) => { if (f.problem) problems.push(`${f.at}: ${f.problem}`); };
        check(await focused(page));

        // forwards: phone → … → category search, focus never lost
        const path = ['#ct-phone'];
        for (let i = 0; i < 20 && path[path.length - 1] !== '#app-category'; i++) {
            await page.keyboard.press('Tab');
            const f = await focused(page);
            path.push(f.at);
            assert.notEqual(f.at, 'BODY', `focus got lost after ${path.join(' → ')}`);
            check(f);
        }
        assert.equal(path[path.length - 1], '#app-category', `Tab reaches the category search: ${path.join(' → ')}`);
        console.log(`# Tab: ${path.join(' → ')}`);

        // backwards from the phone field through the header to the skip link
        await page.keyboard.press('Alt+n');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ct-phone');
        const back = [];
        for (let i = 0; i < 20; i++) {
            await page.keyboard.press('Shift+Tab');
            const f = await focused(page);
            back.push(f.at);
            assert.notEqual(f.at, 'BODY', `focus got lost after ${back.join(' ← ')}`);
            check(f);
            if (f.at.startsWith('a.skip')) break;
        }
        assert.ok(back[back.length - 1].startsWith('a.skip'), `Shift+Tab reaches the skip link: ${back.join(' ← ')}`);
        console.log(`# Shift+Tab: ${back.join(' ← ')}`);
        // the skip link takes the keyboard to the page
        await page.keyboard.press('Enter');
        assert.equal((await focused(page)).at, '#main');
        assert.deepEqual(problems, [], `focus rings that cannot be seen:\n${problems.join('\n')}`);
        env.assertClean(page);
    });
});
