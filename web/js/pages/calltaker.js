// The call-taker / Beyaz Masa screen: phone lookup → citizen card with past applications →
// new application form → tracking number and access code, large enough to read out.
// Keyboard: Alt+N starts a new application (focus on the phone field), Enter looks the phone
// up, Ctrl+Enter saves and routes, Alt+B searches the knowledge base (kb-panel.js). Everything
// else is reachable with Tab/Enter.
// No lost work: what is typed (caller, form, suggestion) is kept as a draft in this browser,
// per user (localStorage), restored after a reload or a new login with a notice and a discard
// button; Alt+N / "Yeni başvuru" ask before throwing a half-typed application away.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, label, fmtDate, fmtDateTime, fmtPhone } from '../i18n.js';
import { get, post } from '../api.js';
import { Input, TextArea, Select, Banner, StatusBadge, FieldError, useForm, useDebounced, wordOptions } from '../ui.js';
import { CategoryPicker } from '../category-picker.js';
import { LocationFields, locationBody, locationFieldMap } from '../location.js';
import { getCategories, getDepartments, nameOf, byCode, classify, similar, featureOn } from '../ref.js';
import { useScreenPop, CallPop, LiveState } from '../screenpop.js';
import { KbPanel } from '../kb-panel.js';

const DRAFT_PREFIX = 'alo153.draft.';
const draftKey = (me) => `${DRAFT_PREFIX}${me.username}`;

/** The draft this user left in this browser, or null. */
export function loadDraft(me) {
    try {
        const d = JSON.parse(localStorage.getItem(draftKey(me)) || 'null');
        return d && d.v === 1 && d.app ? d : null;
    } catch {
        return null;
    }
}

function storeDraft(me, d) {
    try {
        if (d) localStorage.setItem(draftKey(me), JSON.stringify(d));
        else localStorage.removeItem(draftKey(me));
    } catch { /* storage full or off: the page still works, only without drafts */ }
}

function emptyApp(channel) {
    return { kind: 'request', channel, text: '', category: null, district_id: '', neighbourhood_id: '', address: '', lat: '', lon: '', priority: '' };
}

function CitizenCard({ c, cats, selected, onSelect, onChange }) {
    const apps = c.applications || [];
    return html`<section class=${`card citizen-card ${selected ? 'selected' : ''}`} aria-label=${c.name || c.phone || ''} data-citizen=${c.id}>
        <div class="citizen-head">
            <div>
                <h3 class="citizen-name">${c.name || t('common.none')}</h3>
                <p class="citizen-contact">${[fmtPhone(c.phone), c.email, c.tc].filter(Boolean).join(' · ')}</p>
            </div>
            ${selected ? html`<button type="button" class="btn btn-link" onClick=${onChange}>${t('ct.change')}</button>`
                : html`<button type="button" class="btn btn-primary btn-small" onClick=${onSelect}>${t('ct.select')}</button>`}
        </div>
        <h4>${t('ct.pastApps')} <span class="count">(${apps.length})</span></h4>
        ${apps.length === 0 ? html`<p class="muted">${t('ct.noPastApps')}</p>` : html`<ul class="past-apps">
            ${apps.slice(0, 8).map((a) => html`<li class="past-row">
                <span class="past-id"><a href=${`/basvurular/${a.id}`} class="mono">${a.tracking}</a> <${StatusBadge} status=${a.status} /></span>
                <span class="past-cat">${nameOf(byCode(cats, a.category)) || a.text.slice(0, 40)}</span>
                <span class="past-date">${fmtDate(a.created_at)}</span>
            </li>`)}
        </ul>`}
    </section>`;
}

// issue 13: below the threshold the classifier abstains — "Emin değilim" and the top three to
// choose from (keys 1/2/3 outside a text field, Alt+1/2/3 anywhere); nothing is pre-filled.
function Abstain({ s, onApply, current, cats, depts }) {
    return html`<section class="card panel-suggest panel-abstain" aria-live="polite" aria-labelledby="abstain-h" id="abstain" tabindex="-1">
        <h3 id="abstain-h">${t('learn.notSure')}</h3>
        <p class="muted">${t('learn.chooseOne')}</p>
        <ol class="sugg-list abstain-list">
            ${s.suggestions.slice(0, 3).map((x, i) => html`<li>
                <button type="button" class=${`btn ${current === x.category ? 'btn-primary' : 'btn-secondary'} abstain-choice`} data-category=${x.category}
                    aria-pressed=${current === x.category ? 'true' : 'false'} aria-keyshortcuts=${`${i + 1} Alt+${i + 1}`} onClick=${() => onApply(x.category)}>
                    <kbd>${i + 1}</kbd> <span class="sugg-name">${nameOf(byCode(cats, x.category)) || x.category_name || x.category}</span>
                    <span class="sugg-dept"> · ${nameOf(byCode(depts, x.department)) || x.department_name || x.department || ''}</span>
                    <span class="sugg-p"> · ${t('ct.confidence', { p: Math.round((x.probability || 0) * 100) })}</span>
                </button></li>`)}
        </ol>
    </section>`;
}

// issue 13: the text seems to hold two requests of two departments: offer to file two
// applications (same citizen, linked to each other) in one step
function SplitOffer({ s, cats, depts, busy, onSplit }) {
    const [open, setOpen] = useState(false);
    if (!s || !s.split || s.split.length !== 2) return null;
    return html`<section class="card panel-split" aria-labelledby="split-h" id="split-offer">
        <h3 id="split-h">${t('learn.splitOffer')}</h3>
        ${!open ? html`<button type="button" class="btn btn-secondary" id="split-open" onClick=${() => setOpen(true)}>${t('learn.splitShow')}</button>`
        : html`<ol class="split-parts">${s.split.map((p) => html`<li>
                <q class="split-text">${p.text}</q>
                <span class="sugg-name"> → ${nameOf(byCode(cats, p.top[0].category)) || p.top[0].category_name}</span>
                <span class="sugg-dept"> · ${nameOf(byCode(depts, p.top[0].department)) || p.top[0].department_name}</span></li>`)}</ol>
            <div class="actions">
                <button type="button" class="btn btn-primary" id="split-create" disabled=${busy} onClick=${onSplit}>${t('learn.splitCreate')}</button>
                <button type="button" class="btn btn-link" onClick=${() => setOpen(false)}>${t('common.cancel')}</button>
            </div>`}
    </section>`;
}

function SavedTwo({ apps, onNew }) {
    const newRef = useRef(null);
    useEffect(() => { if (newRef.current) newRef.current.focus(); }, []);
    return html`<section class="card saved saved-two" aria-labelledby="saved-h" role="status">
        <h2 id="saved-h">${t('learn.savedTwo')}</h2>
        <p class="muted">${t('ct.readOut')}</p>
        ${apps.map((a, i) => html`<div class="bigcodes" data-saved=${i}>
            <div class="bigcode"><span class="bigcode-label">${t('field.tracking')}</span>
                <output class="bigcode-value mono saved-tracking">${a.tracking}</output></div>
            <div class="bigcode"><span class="bigcode-label">${t('field.accessCode')}</span>
                <output class="bigcode-value mono">${a.access_code}</output></div>
        </div>`)}
        <div class="actions">
            <button type="button" class="btn btn-primary" ref=${newRef} onClick=${onNew}>${t('ct.newAppButton')}</button>
            ${apps.map((a) => html`<a class="btn btn-secondary" href=${`/basvurular/${a.id}`}>${a.tracking}</a>`)}
        </div>
    </section>`;
}

function Suggestion({ s, onApply, current, cats, depts }) {
    if (!s || !s.suggestions || !s.suggestions.length) return null;
    if (!s.confident) return html`<${Abstain} s=${s} onApply=${onApply} current=${current} cats=${cats} depts=${depts} />`;
    const top = s.suggestions[0];
    return html`<section class="card panel-suggest" aria-live="polite" aria-labelledby="sugg-h">
        <h3 id="sugg-h">${t('ct.suggestion')}</h3>
        <ul class="sugg-list">
            ${s.suggestions.slice(0, 3).map((x, i) => html`<li class=${i === 0 ? 'top' : ''}>
                <span class="sugg-name">${nameOf(byCode(cats, x.category)) || x.category_name || x.category}</span>
                <span class="sugg-dept">${nameOf(byCode(depts, x.department)) || x.department_name || x.department || ''}</span>
                <span class="meter" role="img" aria-label=${t('ct.confidence', { p: Math.round((x.probability || 0) * 100) })}>
                    <span class="meter-bar" style=${`width:${Math.round((x.probability || 0) * 100)}%`}></span></span>
                <span class="sugg-p">${t('ct.confidence', { p: Math.round((x.probability || 0) * 100) })}</span>
                ${current !== x.category && html`<button type="button" class="btn btn-link btn-small" onClick=${() => onApply(x.category)}>${t('ct.suggestionApply')}</button>`}
            </li>`)}
        </ul>
        <p class="muted">${s.confident && current === top.category ? t('ct.confident') : !s.confident ? t('ct.notConfident') : ''}</p>
    </section>`;
}

function SuggestionFlags({ s }) {
    if (!s) return null;
    return html`${s.urgent && html`<p class="banner banner-warn" role="alert">${t('ct.urgent', { words: (s.urgent_words || []).join(', ') })}</p>`}
        ${s.redirect && html`<p class="banner banner-info">${t('ct.redirect', { to: s.redirect })}</p>`}`;
}

function Similar({ items, cats }) {
    if (items === null) return null;
    return html`<section class="card panel-similar" aria-labelledby="sim-h">
        <h3 id="sim-h">${t('ct.similar')}</h3>
        ${items.length === 0 ? html`<p class="muted">${t('ct.noSimilar')}</p>` : html`<ul class="past-apps">
            ${items.slice(0, 6).map((a) => html`<li>
                <a href=${`/basvurular/${a.id}`} class="mono" target="_blank" rel="noopener">${a.tracking}</a>
                <${StatusBadge} status=${a.status} />
                <span class="past-cat">${a.neighbourhood || a.district || ''} ${a.address ? `· ${a.address}` : ''}</span>
                <span class="past-date">${fmtDate(a.created_at)}${typeof a.distance_m === 'number' ? ` · ${t('ct.distance', { m: Math.round(a.distance_m) })}` : ''}</span>
                <span class="sim-text">${(a.text || '').slice(0, 90)}</span>
            </li>`)}
        </ul>`}
    </section>`;
}

function Saved({ app, depts, onNew, onRouted }) {
    const [cat, setCat] = useState(null);
    const [err, setErr] = useState(null);
    const [busy, setBusy] = useState(false);
    const routed = app.status !== 'new';
    const route = async () => {
        setBusy(true);
        setErr(null);
        try {
            const body = app.category ? {} : { category: cat && cat.code };
            if (!app.category && !cat) throw Object.assign(new Error(), { code: 'missing_field', field: 'category' });
            const r = await post(`/api/v1/applications/${app.id}/route`, body);
            onRouted({ ...r, access_code: app.access_code });
        } catch (e) {
            setErr(e);
        } finally {
            setBusy(false);
        }
    };
    const newRef = useRef(null);
    useEffect(() => { if (newRef.current) newRef.current.focus(); }, []);
    return html`<section class="card saved" aria-labelledby="saved-h" role="status">
        <h2 id="saved-h">${t('ct.saved')}</h2>
        <p>${routed ? t('ct.savedRouted', { dept: nameOf(byCode(depts, app.department)) || app.department }) : t('ct.savedNotRouted')}</p>
        <p class="muted">${t('ct.readOut')}</p>
        <div class="bigcodes">
            <div class="bigcode"><span class="bigcode-label">${t('field.tracking')}</span>
                <output id="saved-tracking" class="bigcode-value mono">${app.tracking}</output></div>
            <div class="bigcode"><span class="bigcode-label">${t('field.accessCode')}</span>
                <output id="saved-code" class="bigcode-value mono">${app.access_code}</output></div>
        </div>
        ${!routed && html`<div class="route-now">
            ${!app.category && html`<${CategoryPicker} id="saved-category" label=${t('field.category')} value=${cat} onChange=${setCat} error=${err && err.field === 'category' ? err : null} />`}
            <button type="button" class="btn btn-primary" onClick=${route} disabled=${busy}>${t('ct.routeNow')}</button>
            ${err && err.field !== 'category' && html`<${Banner} error=${err} />`}
        </div>`}
        <div class="actions">
            <button type="button" class="btn btn-primary" ref=${newRef} onClick=${onNew}>${t('ct.newAppButton')}</button>
            <a class="btn btn-secondary" href=${`/basvurular/${app.id}`}>${t('ct.openApp')}</a>
        </div>
    </section>`;
}

export default function CallTaker({ me, meta }) {
    const defaultChannel = me.role === 'desk' ? 'desk' : 'phone_153';
    const [phone, setPhone] = useState('');
    const [phoneErr, setPhoneErr] = useState(null);
    const [lookup, setLookup] = useState(null); // null | {items} | 'loading'
    const [citizen, setCitizen] = useState(null);
    const [anonymous, setAnonymous] = useState(false);
    const nc = useForm({ name: '', phone: '', email: '', tc: '', lang: 'tr' }, { __prefix: 'nc-' });
    const f = useForm(emptyApp(defaultChannel), { ...locationFieldMap, __prefix: 'app-' });
    const [catTouched, setCatTouched] = useState(false);
    const [sugg, setSugg] = useState(null);
    const [sim, setSim] = useState(null);
    const [saved, setSaved] = useState(null);
    const [busy, setBusy] = useState(false);
    const [formKey, setFormKey] = useState(0);
    const [cats, setCats] = useState([]);
    const [depts, setDepts] = useState([]);
    const phoneRef = useRef(null);
    const textRef = useRef(null);
    const ncNameRef = useRef(null);
    const [restored, setRestored] = useState(null); // the time of a draft put back on the screen
    const loaded = useRef(false);

    // the draft of an earlier visit (reload, a new login): put it back once, before saving any
    useEffect(() => {
        const d = loadDraft(me);
        if (d) {
            setPhone(d.phone || '');
            if (d.citizen) { setCitizen(d.citizen); setLookup({ items: [d.citizen] }); }
            setAnonymous(!!d.anonymous);
            f.setValues({ ...emptyApp(defaultChannel), ...d.app });
            setCatTouched(!!d.catTouched);
            if (d.sugg) setSugg(d.sugg);
            setRestored(d.at || new Date().toISOString());
        }
        loaded.current = true;
    }, []);

    // is anything typed that a new application would throw away?
    const hasWork = () => !saved && (f.values.text.trim() !== '' || phone.trim() !== '' || !!citizen || (f.values.address || '').trim() !== '');
    const workRef = useRef(hasWork);
    workRef.current = hasWork;

    // keep the draft as it changes; none once the application is saved or the screen is empty
    useEffect(() => {
        if (!loaded.current) return;
        if (!hasWork()) {
            storeDraft(me, null);
            return;
        }
        storeDraft(me, { v: 1, at: new Date().toISOString(), phone, citizen, anonymous, app: f.values, catTouched, sugg });
    }, [phone, citizen, anonymous, f.values, catTouched, sugg, saved]);

    // screen pop (live stream): a call of this agent was answered → open the caller's card by
    // itself; the application being typed is kept (only the caller changes)
    const [keptWork, setKeptWork] = useState(false);
    const popRef = useRef(null);
    popRef.current = async (p) => {
        const card = p.caller;
        const ph = (card && card.phone) || (p.contact && p.contact.caller) || '';
        setKeptWork(f.values.text.trim() !== '');
        setPhoneErr(null);
        setAnonymous(false);
        setPhone(ph);
        if (card && card.id) {
            setLookup({ items: [card] });
            setCitizen(card);
            return;
        }
        setCitizen(null);
        if (!ph || ph.includes('*')) { setLookup(null); return; }
        setLookup('loading');
        try {
            const r = await get(`/api/v1/citizens?phone=${encodeURIComponent(ph)}`);
            setLookup(r);
            if (r.items.length === 1) setCitizen(r.items[0]);
            else if (r.items.length === 0) nc.setValues({ name: '', phone: ph, email: '', tc: '' });
        } catch (err) {
            setLookup(null);
            setPhoneErr(err);
        }
    };
    const live = useScreenPop((p) => popRef.current(p));

    useEffect(() => {
        getCategories().then(setCats).catch(() => {});
        getDepartments().then(setDepts).catch(() => {});
        if (phoneRef.current) phoneRef.current.focus();
    }, []);

    const reset = () => {
        setRestored(null);
        setPhone('');
        setPhoneErr(null);
        setLookup(null);
        setCitizen(null);
        setAnonymous(false);
        nc.setValues({ name: '', phone: '', email: '', tc: '' });
        nc.clear();
        f.setValues(emptyApp(defaultChannel));
        f.clear();
        setCatTouched(false);
        setSugg(null);
        setSim(null);
        setSaved(null);
        setSavedTwo(null);
        setFormKey((k) => k + 1);
        setTimeout(() => phoneRef.current && phoneRef.current.focus(), 0);
    };

    // a new application: ask first when one is half-typed
    const startNew = () => {
        if (workRef.current() && !window.confirm(t('ct.discardConfirm'))) return;
        reset();
    };

    // global shortcuts for this screen
    const submitRef = useRef(null);
    useEffect(() => {
        const onKey = (e) => {
            if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyN' || e.key === 'n' || e.key === 'N')) {
                e.preventDefault();
                startNew();
            } else if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && submitRef.current) {
                e.preventDefault();
                submitRef.current(true);
            }
        };
        window.addEventListener('keydown', onKey);
        return () => window.removeEventListener('keydown', onKey);
    }, []);

    const choose = (c) => {
        setCitizen(c);
        setAnonymous(false);
        setTimeout(() => textRef.current && textRef.current.focus(), 0);
    };

    const doLookup = async (e) => {
        if (e) e.preventDefault();
        setPhoneErr(null);
        if (!phone.trim()) {
            setPhoneErr('err.required');
            phoneRef.current && phoneRef.current.focus();
            return;
        }
        setLookup('loading');
        setCitizen(null);
        try {
            const r = await get(`/api/v1/citizens?phone=${encodeURIComponent(phone.trim())}`);
            setLookup(r);
            if (r.items.length === 1) choose(r.items[0]);
            else if (r.items.length === 0) {
                nc.setValues({ name: '', phone: phone.trim(), email: '', tc: '' });
                setTimeout(() => ncNameRef.current && ncNameRef.current.focus(), 0);
            }
        } catch (err) {
            setLookup(null);
            setPhoneErr(err);
            phoneRef.current && phoneRef.current.focus();
        }
    };

    const saveCitizen = async (e) => {
        e.preventDefault();
        nc.clear();
        const body = {};
        for (const k of ['name', 'phone', 'email', 'tc']) if (nc.values[k].trim()) body[k] = nc.values[k].trim();
        if (nc.values.lang === 'en') body.lang = 'en'; /* the language of the messages to the citizen */
        try {
            const c = await post('/api/v1/citizens', body);
            c.applications = [];
            setLookup({ items: [c] });
            choose(c);
        } catch (err) {
            nc.fail(err);
        }
    };

    // routing suggestion while the text is typed
    const text = useDebounced(f.values.text, 600);
    useEffect(() => {
        if (!featureOn('classify') || text.trim().length < 8) return;
        let live = true;
        classify(text.trim(), f.values.district_id ? Number(f.values.district_id) : null).then((s) => {
            if (!live || !s) return;
            setSugg(s);
            const top = s.suggestions && s.suggestions[0];
            if (top && s.confident && !catTouched) {
                const c = byCode(cats, top.category);
                if (c) f.set('category')(c);
            } else if (!s.confident && !catTouched) {
                f.set('category')(null); // issue 13: abstain — a person chooses
            }
        });
        return () => { live = false; };
    }, [text, f.values.district_id]);

    // similar open applications nearby, before saving
    const cat = f.values.category;
    useEffect(() => {
        setSim(null);
        if (!cat || !featureOn('similar')) return;
        let live = true;
        const p = { category: cat.code, district_id: f.values.district_id, neighbourhood_id: f.values.neighbourhood_id };
        if (f.values.lat !== '' && f.values.lon !== '') { p.lat = f.values.lat; p.lon = f.values.lon; }
        similar(p).then((items) => { if (live) setSim(items); });
        return () => { live = false; };
    }, [cat && cat.code, f.values.district_id, f.values.neighbourhood_id, f.values.lat, f.values.lon]);

    const applySuggestion = (code) => {
        const c = byCode(cats, code);
        if (c) {
            setCatTouched(true);
            f.set('category')(c);
        }
    };

    // issue 13: 1/2/3 choose among the top three when the classifier is not sure
    const abstainRef = useRef(null);
    abstainRef.current = !saved && sugg && !sugg.confident && sugg.suggestions ? sugg.suggestions : null;
    useEffect(() => {
        const onKey = (e) => {
            const list = abstainRef.current;
            const n = ['1', '2', '3'].indexOf(e.key);
            if (!list || n < 0 || n >= list.length || e.ctrlKey || e.metaKey) return;
            const el = document.activeElement;
            const typing = el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
            if (typing && !e.altKey) return;
            e.preventDefault();
            applySuggestion(list[n].category);
        };
        window.addEventListener('keydown', onKey);
        return () => window.removeEventListener('keydown', onKey);
    }, [cats]);

    // issue 13: two requests in one text → two applications, same citizen, linked
    const [savedTwo, setSavedTwo] = useState(null);
    const submitSplit = async () => {
        if (busy || !sugg || !sugg.split) return;
        f.clear();
        const v = f.values;
        setBusy(true);
        const made = [];
        try {
            for (const p of sugg.split) {
                const body = { channel: v.channel, kind: v.kind, text: p.text, category: p.top[0].category, route: true, ...locationBody(v) };
                if (v.priority) body.priority = v.priority;
                if (citizen) body.citizen_id = citizen.id;
                made.push(await post('/api/v1/applications', body));
            }
            await post(`/api/v1/applications/${made[0].id}/links`, { other_id: made[1].id, note: t('learn.splitNote') });
            setSavedTwo(made);
            setSaved(made[0]);
            if (citizen) setCitizen({ ...citizen, applications: [...made].reverse().concat(citizen.applications || []) });
        } catch (err) {
            if (made.length) { setSavedTwo(made); setSaved(made[0]); } // what was stored is shown, never lost
            f.fail(err);
        } finally {
            setBusy(false);
        }
    };

    const submit = async (routeIt) => {
        if (busy) return;
        f.clear();
        const v = f.values;
        if (v.text.trim().length < 3) {
            f.fail({ code: v.text.trim() ? 'invalid_field' : 'missing_field', field: 'text' });
            return;
        }
        if (routeIt && !v.category) {
            f.setErrors({ category: 'ct.needCategory' });
            document.getElementById('app-category').focus();
            return;
        }
        const body = { channel: v.channel, kind: v.kind, text: v.text.trim(), ...locationBody(v) };
        if (v.priority) body.priority = v.priority;
        if (v.category) body.category = v.category.code;
        if (citizen) body.citizen_id = citizen.id;
        if (routeIt) body.route = true;
        setBusy(true);
        try {
            const a = await post('/api/v1/applications', body);
            setSaved(a);
            if (citizen) setCitizen({ ...citizen, applications: [a, ...(citizen.applications || [])] });
        } catch (err) {
            f.fail(err);
        } finally {
            setBusy(false);
        }
    };
    submitRef.current = saved ? null : submit; // Ctrl+Enter on the result screen must not save twice

    const found = lookup && lookup !== 'loading' ? lookup.items : null;
    return html`<div class="page page-wide calltaker">
        <div class="page-head">
            <h1>${me.role === 'desk' ? t('ct.titleDesk') : t('ct.title')}</h1>
            <p class="shortcuts"><span aria-hidden="true">⌨ </span>${t('ct.shortcuts')}</p>
            ${me.role !== 'desk' && html`<${LiveState} state=${live.state} />`}
        </div>
        ${restored && html`<div class="banner banner-info draft-notice" role="status" id="draft-restored">
            <span>${t('ct.draftRestored', { at: fmtDateTime(restored) })}</span>
            <button type="button" class="btn btn-secondary btn-small" onClick=${reset}>${t('ct.draftDiscard')}</button>
            <button type="button" class="btn btn-link btn-small" onClick=${() => setRestored(null)}>${t('ct.draftKeep')}</button>
        </div>`}
        <${CallPop} pop=${live.pop} saved=${saved} keptWork=${keptWork} onDismiss=${() => live.setPop(null)} />
        <div class="ct-grid">
                <section class="card ct-caller" aria-labelledby="caller-h">
                    <h2 id="caller-h">${t(me.role === 'desk' ? 'ct.callerDesk' : 'ct.caller')}</h2>
                    <form class="lookup" onSubmit=${doLookup} novalidate role="search">
                        <${Input} id="ct-phone" type="tel" label=${t(me.role === 'desk' ? 'ct.phoneLookupDesk' : 'ct.phoneLookup')} value=${phone} onInput=${(v) => { setPhone(v); setPhoneErr(null); }}
                            error=${phoneErr} inputRef=${phoneRef} autocomplete="off" inputmode="tel" class="grow" />
                        <button type="submit" class="btn btn-primary">${t('ct.lookup')}</button>
                    </form>
                    ${lookup === 'loading' && html`<p class="loading" role="status">${t('common.loading')}</p>`}
                    ${citizen ? html`<${CitizenCard} c=${citizen} cats=${cats} selected onChange=${() => { setCitizen(null); setTimeout(() => phoneRef.current && phoneRef.current.focus(), 0); }} />`
                        : found && found.length > 1 ? found.map((c) => html`<${CitizenCard} c=${c} cats=${cats} onSelect=${() => choose(c)} />`)
                        : found && found.length === 0 && !anonymous ? html`<div class="not-found">
                            <p class="banner banner-info" role="status">${t('ct.notFound')}</p>
                            <form class="form" onSubmit=${saveCitizen} novalidate aria-labelledby="nc-h">
                                <h3 id="nc-h">${t('ct.newCitizen')}</h3>
                                <${Banner} error=${nc.general} />
                                <${Input} id="nc-name" label=${t('field.name')} value=${nc.values.name} onInput=${nc.set('name')} error=${nc.errors.name} inputRef=${ncNameRef} autocomplete="off" />
                                <${Input} id="nc-phone" type="tel" label=${t('field.phone')} value=${nc.values.phone} onInput=${nc.set('phone')} error=${nc.errors.phone} autocomplete="off" />
                                <div class="row">
                                    <${Input} id="nc-email" type="email" label=${t('field.email')} value=${nc.values.email} onInput=${nc.set('email')} error=${nc.errors.email} optional autocomplete="off" />
                                    <${Input} id="nc-tc" label=${t('field.tc')} value=${nc.values.tc} onInput=${nc.set('tc')} error=${nc.errors.tc} optional inputmode="numeric" autocomplete="off" />
                                </div>
                                <${Select} id="nc-lang" label=${t('msglang.label')} hint=${t('msglang.hint')} value=${nc.values.lang || 'tr'} onChange=${nc.set('lang')} error=${nc.errors.lang} options=${[{ value: 'tr', label: t('msglang.tr') }, { value: 'en', label: t('msglang.en') }]} />
                                <div class="actions">
                                    <button type="submit" class="btn btn-primary">${t('ct.saveCitizen')}</button>
                                    <button type="button" class="btn btn-secondary" onClick=${() => { setAnonymous(true); textRef.current && textRef.current.focus(); }}>${t('ct.anonymous')}</button>
                                </div>
                            </form>
                        </div>` : null}
                    ${!citizen && (anonymous || !found) && lookup !== 'loading' && html`<p class="muted">${t('ct.noCitizen')}</p>`}
                </section>
                <div class="ct-suggest">${!saved && html`<${Suggestion} s=${sugg} current=${cat && cat.code} onApply=${applySuggestion} cats=${cats} depts=${depts} />`}
                    <${KbPanel} me=${me} category=${(cat && cat.code) || (sugg && sugg.suggestions && sugg.suggestions[0] && sugg.suggestions[0].category) || ''}
                        districtId=${f.values.district_id} citizenId=${citizen && citizen.id}
                        contactId=${live.pop && live.pop.contact && !live.pop.contact.outcome ? live.pop.contact.id : undefined}
                        onClosed=${() => live.setPop(null)} /></div>
                <div class="ct-similar">${!saved && html`<${Similar} items=${sim} cats=${cats} />`}</div>
                <div class="ct-form">${savedTwo ? html`<${SavedTwo} apps=${savedTwo} onNew=${reset} />` : saved ? html`<${Saved} app=${saved} depts=${depts} onNew=${reset} onRouted=${(a) => setSaved(a)} />` : html`
                <form class="card form" onSubmit=${(e) => { e.preventDefault(); submit(true); }} novalidate aria-labelledby="newapp-h" key=${formKey}>
                    <h2 id="newapp-h">${t('ct.newApp')}</h2>
                    <${Banner} error=${f.general} />
                    <div class="row">
                        <${Select} id="app-kind" label=${t('field.kind')} value=${f.values.kind} onChange=${f.set('kind')}
                            options=${wordOptions('kind', meta ? meta.kinds : ['request', 'complaint', 'suggestion', 'tip', 'information', 'thanks'])} error=${f.errors.kind} />
                        <${Select} id="app-channel" label=${t('field.channel')} value=${f.values.channel} onChange=${f.set('channel')}
                            options=${wordOptions('channel', meta ? meta.channels : [defaultChannel])} error=${f.errors.channel} />
                        <${Select} id="app-priority" label=${t('field.priority')} value=${f.values.priority} onChange=${f.set('priority')}
                            placeholder=${t('field.priorityDefault')} options=${wordOptions('priority', meta ? meta.priorities : [])} error=${f.errors.priority} />
                    </div>
                    <${TextArea} id="app-text" label=${t('field.text')} hint=${t('field.textHint')} value=${f.values.text} onInput=${f.set('text')}
                        error=${f.errors.text} required inputRef=${textRef} rows="4" />
                    <div class="flags" aria-live="polite"><${SuggestionFlags} s=${sugg} /></div>
                    <${SplitOffer} s=${sugg} cats=${cats} depts=${depts} busy=${busy} onSplit=${submitSplit} />
                    <${CategoryPicker} id="app-category" label=${t('field.category')} hint=${t('field.categoryHint')} value=${f.values.category}
                        onChange=${(c) => { setCatTouched(true); f.set('category')(c); }} error=${f.errors.category} />
                    <${LocationFields} values=${f.values} set=${f.set} errors=${f.errors} prefix="app-" />
                    <div class="actions sticky-actions">
                        <button type="submit" class="btn btn-primary" disabled=${busy}>${t('ct.saveRoute')}</button>
                        <button type="button" class="btn btn-secondary" disabled=${busy} onClick=${() => submit(false)}>${t('ct.saveOnly')}</button>
                        <button type="button" class="btn btn-link" onClick=${startNew}>${t('ct.newAppButton')}</button>
                    </div>
                </form>`}</div>
        </div>
    </div>`;
}
