// The citizen's Beyaz Masa form on a phone (docs/PORTAL.md). No consent is asked for applying
// (a public duty, KVKK art. 5/2): the information notice is linked in full, and consent is asked
// only for non-transactional messages. Every field is checked at once, here and on the server
// (422 with a list), and each error stands by its field. What is typed is kept as a draft on the
// device; without a network the submit waits in the device's outbox and goes when the network
// returns, once (the idempotency key). Photos are made small here before they are sent.
// "website" is a honeypot that people never see and bots fill in.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, has, getLang } from '../i18n.js';
import { post, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { Input, TextArea, Select, Checkbox, Banner, wordOptions, useDebounced } from '../ui.js';
import { CategoryPicker } from '../category-picker.js';
import { LocationFields, locationBody } from '../location.js';
import { portalSetup, PortalNav } from './portal-pwa.js';
import { newKey, loadDraft, saveDraft, clearDraft, outbox, enqueue, dequeue, remember } from './portal-store.js';
import { resizePhoto, uploadPhoto } from './portal-photo.js';

const KINDS = ['request', 'complaint', 'suggestion', 'tip', 'information', 'thanks'];
const EMPTY = { kind: 'request', text: '', category: null, district_id: '', neighbourhood_id: '', address: '', lat: '', lon: '', name: '', phone: '', email: '', consent_marketing: false, website: '' };
// the order errors are listed in: the order of the form
const ORDER = ['kind', 'text', 'category', 'district_id', 'neighbourhood_id', 'address', 'lat', 'lon', 'name', 'phone', 'email', 'photos'];
const PHOTOS_MAX = 3;
const enc = new TextEncoder();

/** Every problem of the form at once: {field: i18n key}. The server checks the same (422). */
export function validate(v) {
    const e = {};
    const text = (v.text || '').trim();
    const visible = text.replace(/\s/g, '').length;
    if (!visible) e.text = 'pf.e.text.required';
    else if (visible < 3) e.text = 'pf.e.text.too_short';
    else if (enc.encode(text).length > 8000) e.text = 'pf.e.text.too_long';
    if (enc.encode(v.address || '').length > 500) e.address = 'pf.e.address.too_long';
    if (enc.encode((v.name || '').trim()).length > 200) e.name = 'pf.e.name.too_long';
    const phone = (v.phone || '').trim(), email = (v.email || '').trim();
    if (phone) {
        let d = phone.replace(/[\s()./-]/g, '');
        if (d.startsWith('+90')) d = d.slice(3);
        else if (d.startsWith('90') && d.length === 12) d = d.slice(2);
        else if (d.startsWith('0')) d = d.slice(1);
        if (!/^[23458]\d{9}$/.test(d)) e.phone = 'pf.e.phone.invalid';
    }
    if (email && !/^[^\s@]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(email)) e.email = 'pf.e.email.invalid';
    if (!phone && !email) {
        e.phone = 'pf.e.contact_required';
        e.email = 'pf.e.contact_required';
    }
    const hasLat = v.lat !== '' && v.lat !== undefined, hasLon = v.lon !== '' && v.lon !== undefined;
    if (hasLat !== hasLon) e[hasLat ? 'lon' : 'lat'] = 'pf.e.both_or_neither';
    if (hasLat && (Number.isNaN(Number(v.lat)) || Math.abs(Number(v.lat)) > 90)) e.lat = 'pf.e.out_of_range';
    if (hasLon && (Number.isNaN(Number(v.lon)) || Math.abs(Number(v.lon)) > 180)) e.lon = 'pf.e.out_of_range';
    return e;
}

/** The server's 422 list as {field: i18n key}. */
function serverErrors(err) {
    const out = {};
    const list = (err.body && err.body.error && err.body.error.fields) || [];
    for (const { field, code } of list) {
        const k = `pf.e.${field}.${code}`;
        out[field] = has(k) ? k : has(`pf.e.${code}`) ? `pf.e.${code}` : 'err.generic';
    }
    return out;
}

function bodyOf(v, key) {
    const body = { kind: v.kind, text: v.text.trim(), website: v.website, idempotency_key: key, lang: getLang(), ...locationBody(v) };
    if (v.category) body.category = v.category.code;
    if (v.consent_marketing) body.consent_marketing = true;
    for (const k of ['name', 'phone', 'email']) if (v[k].trim()) body[k] = v[k].trim();
    return body;
}

// one send at a time per page, whatever asks for it (the submit, the online event, the timer)
let flushing = null;
const listeners = new Set();

/** Send what waits in the outbox; each success goes to "my applications" and to listeners. */
export function flushOutbox() {
    if (flushing) return flushing;
    flushing = (async () => {
        for (const item of outbox()) {
            let r;
            try {
                r = await post('/api/v1/public/applications', item.body);
            } catch (err) {
                if (err instanceof ApiError && (err.status === 0 || err.status >= 500 || err.status === 429)) break; // later
                dequeue(item.key); // refused: it will not get better by waiting
                for (const fn of listeners) fn({ key: item.key, error: err });
                continue;
            }
            remember({ tracking: r.tracking, code: r.access_code, created_at: r.created_at, text: item.body.text.slice(0, 120) });
            const photoErrors = [];
            for (const [i, p] of (item.photos || []).entries()) {
                try { await uploadPhoto(r.tracking, r.access_code, p, `foto-${i + 1}.jpg`); } catch (e) { photoErrors.push(e); }
            }
            dequeue(item.key);
            for (const fn of listeners) fn({ key: item.key, result: r, photos: (item.photos || []).length - photoErrors.length, photoErrors });
        }
    })().finally(() => { flushing = null; });
    return flushing;
}

function initialState() {
    const d = loadDraft();
    if (d && d.values) return { values: { ...EMPTY, ...d.values, website: '' }, key: d.key || newKey(), photos: d.photos || [], restored: true };
    return { values: EMPTY, key: newKey(), photos: [], restored: false };
}

export default function PortalForm() {
    portalSetup();
    const [init] = useState(initialState);
    const [values, setValues] = useState(init.values);
    const [key, setKey] = useState(init.key);
    const [photos, setPhotos] = useState(init.photos);
    const [restored, setRestored] = useState(init.restored && (init.values.text || init.values.phone || init.values.email || init.photos.length));
    const [errors, setErrors] = useState({});
    const [general, setGeneral] = useState(null);
    const [busy, setBusy] = useState(false);
    const [queued, setQueued] = useState(() => (outbox()[0] || null));
    const [sent, setSent] = useState(null);
    const [photoBusy, setPhotoBusy] = useState(false);
    const [suggestion, setSuggestion] = useState(null);
    const [formKey, setFormKey] = useState(0);
    const summaryRef = useRef(null);
    const doneRef = useRef(null);
    const fileRef = useRef(null);

    const set = (name) => (val) => {
        setValues((old) => ({ ...old, [name]: val }));
        setErrors((old) => (old[name] ? { ...old, [name]: null } : old));
        if (name === 'phone' || name === 'email') setErrors((old) => ({ ...old, phone: old.phone === 'pf.e.contact_required' ? null : old.phone, email: old.email === 'pf.e.contact_required' ? null : old.email }));
    };

    // the draft follows every keystroke (the honeypot stays out)
    useEffect(() => {
        if (sent || queued) return;
        const { website, ...rest } = values;
        const empty = !rest.text && !rest.phone && !rest.email && !rest.name && !rest.address && !photos.length;
        if (empty) clearDraft();
        else saveDraft({ values: rest, key, photos });
    }, [values, photos, key]);

    // the outbox goes when the network returns (and is tried now and then while it waits)
    useEffect(() => {
        const onResult = (ev) => {
            setQueued((q) => {
                if (!q || q.key !== ev.key) return q;
                if (ev.result) {
                    setSent({ ...ev.result, photos: ev.photos, photoErrors: ev.photoErrors });
                    setKey(newKey());
                } else {
                    setGeneral(ev.error);
                }
                return null;
            });
        };
        listeners.add(onResult);
        const kick = () => { if (outbox().length) flushOutbox(); };
        window.addEventListener('online', kick);
        const timer = setInterval(kick, 30000);
        if (navigator.onLine) kick();
        return () => { listeners.delete(onResult); window.removeEventListener('online', kick); clearInterval(timer); };
    }, []);

    useEffect(() => { if (sent && doneRef.current) doneRef.current.focus(); }, [sent]);

    // the category the routing model suggests for what is typed (only when none is chosen)
    const typed = useDebounced(values.text.trim(), 700);
    useEffect(() => {
        if (values.category || typed.length < 12) { setSuggestion(null); return; }
        let live = true;
        post('/api/v1/public/classify', { text: typed }).then((r) => { if (live) setSuggestion(r && r.category ? r : null); }).catch(() => {});
        return () => { live = false; };
    }, [typed, values.category]);

    const addPhotos = async (files) => {
        setErrors((o) => ({ ...o, photos: null }));
        setPhotoBusy(true);
        const next = [...photos];
        for (const f of files) {
            if (next.length >= PHOTOS_MAX) { setErrors((o) => ({ ...o, photos: 'pf.e.photos.too_many' })); break; }
            try {
                next.push((await resizePhoto(f)).dataUrl);
            } catch {
                setErrors((o) => ({ ...o, photos: 'pf.e.photos.not_image' }));
            }
        }
        setPhotos(next);
        setPhotoBusy(false);
        if (fileRef.current) fileRef.current.value = '';
    };

    const showErrors = (errs) => {
        setErrors(errs);
        setTimeout(() => summaryRef.current && summaryRef.current.focus(), 0);
    };

    const submit = async (e) => {
        e.preventDefault();
        setGeneral(null);
        const errs = validate(values);
        if (Object.keys(errs).length) { showErrors(errs); return; }
        setErrors({});
        const item = { key, body: bodyOf(values, key), photos, queuedAt: new Date().toISOString() };
        enqueue(item); // kept until the server has it: a reload or a lost network loses nothing
        setBusy(true);
        try {
            const r = await post('/api/v1/public/applications', item.body);
            remember({ tracking: r.tracking, code: r.access_code, created_at: r.created_at, text: item.body.text.slice(0, 120) });
            const photoErrors = [];
            for (const [i, p] of photos.entries()) {
                try { await uploadPhoto(r.tracking, r.access_code, p, `foto-${i + 1}.jpg`); } catch (er) { photoErrors.push(er); }
            }
            dequeue(key);
            clearDraft();
            setSent({ ...r, photos: photos.length - photoErrors.length, photoErrors });
            setKey(newKey());
        } catch (err) {
            if (err instanceof ApiError && (err.status === 0 || err.status >= 500)) {
                clearDraft();
                setQueued(item); // waits in the outbox
            } else {
                dequeue(key);
                if (err instanceof ApiError && err.status === 422 && err.body && err.body.error && err.body.error.fields) showErrors(serverErrors(err));
                else setGeneral(err);
            }
        } finally {
            setBusy(false);
        }
    };

    const fresh = () => {
        setSent(null);
        setValues(EMPTY);
        setPhotos([]);
        setErrors({});
        setRestored(false);
        setFormKey((k) => k + 1);
    };

    const nav = html`<${PortalNav} here="/basvuru" />`;

    if (sent) {
        return html`<div class="page page-narrow portal">
            ${nav}
            <section class="card saved" aria-labelledby="pf-done-h">
                <h1 id="pf-done-h" tabindex="-1" ref=${doneRef}>${t('pf.sent')}</h1>
                <div class="bigcodes">
                    <div class="bigcode"><span class="bigcode-label">${t('field.tracking')}</span>
                        <output id="pf-tracking" class="bigcode-value mono">${sent.tracking}</output></div>
                    <div class="bigcode"><span class="bigcode-label">${t('field.accessCode')}</span>
                        <output id="pf-code" class="bigcode-value mono">${sent.access_code}</output></div>
                </div>
                <p>${t('pf.keep')}</p>
                <p class="hint" id="pf-saved-here">${t('pf.savedHere')}</p>
                ${sent.photos > 0 && html`<p id="pf-photos-sent">${t('pf.photosSent', { n: sent.photos })}</p>`}
                ${sent.photoErrors && sent.photoErrors.length > 0 && html`<p class="banner banner-error" role="alert">${t('pf.photosFailed', { n: sent.photoErrors.length })}</p>`}
                <div class="actions">
                    <button type="button" class="btn btn-primary" onClick=${() => navigate(`/takip/${sent.tracking}`, { state: { code: sent.access_code } })}>${t('pf.trackIt')}</button>
                    <button type="button" class="btn btn-secondary" onClick=${fresh}>${t('pf.another')}</button>
                </div>
            </section>
        </div>`;
    }

    if (queued) {
        return html`<div class="page page-narrow portal">
            ${nav}
            <section class="card queued" aria-labelledby="pf-queued-h" id="pf-queued">
                <h1 id="pf-queued-h">${t('pf.queuedTitle')}</h1>
                <p role="status">${t('pf.queued')}</p>
                <div class="actions">
                    <button type="button" class="btn btn-primary" onClick=${() => flushOutbox()}>${t('pf.retryNow')}</button>
                </div>
            </section>
        </div>`;
    }

    const errList = ORDER.filter((f) => errors[f]);
    const fieldErr = (f) => errors[f] || undefined;
    return html`<div class="page page-narrow portal">
        ${nav}
        <h1>${t('pf.title')}</h1>
        <p class="lead">${t('pf.intro')}</p>
        ${restored && html`<div class="banner banner-info" role="status" id="pf-restored">${t('pf.restored')}
            <button type="button" class="btn btn-link" onClick=${() => { clearDraft(); fresh(); setKey(newKey()); }}>${t('pf.discardDraft')}</button></div>`}
        <form class="card form" onSubmit=${submit} novalidate key=${formKey} aria-describedby=${general ? 'pf-general' : undefined}>
            <${Banner} error=${general} id="pf-general" />
            ${errList.length > 0 && html`<div class="error-summary" id="pf-errors" tabindex="-1" ref=${summaryRef} role="alert" aria-labelledby="pf-errors-h">
                <h2 id="pf-errors-h">${t('pf.errorsTitle', { n: errList.length })}</h2>
                <ul>${errList.map((f) => html`<li><a href=${`#pf-${f}`} onClick=${(e) => { e.preventDefault(); const el = document.getElementById(`pf-${f}`); if (el) el.focus(); }}>${t(`pf.f.${f}`)}: ${t(errors[f])}</a></li>`)}</ul>
            </div>`}
            <fieldset>
                <legend>${t('pf.about')}</legend>
                <${Select} id="pf-kind" label=${t('field.kind')} value=${values.kind} onChange=${set('kind')} options=${wordOptions('kind', KINDS)} error=${fieldErr('kind')} />
                <${TextArea} id="pf-text" label=${t('field.text')} value=${values.text} onInput=${set('text')} error=${fieldErr('text')} required rows="5" />
                <div class="suggest" aria-live="polite" id="pf-suggest">
                    ${suggestion && !values.category && html`<p class="suggest-box">${t('pf.suggested')} <strong>${suggestion.category_name}</strong>
                        ${suggestion.department_name && html` <span class="muted">(${suggestion.department_name})</span>`}
                        <button type="button" class="btn btn-link" onClick=${() => set('category')({ code: suggestion.category, name: suggestion.category_name, name_en: suggestion.category_name })}>${t('pf.useSuggestion')}</button></p>`}
                </div>
                <${CategoryPicker} key=${values.category ? values.category.code : 'none'} id="pf-category" label=${t('field.category')} hint=${t('pf.categoryHint')} value=${values.category}
                    onChange=${set('category')} error=${fieldErr('category')} optional publicPage />
            </fieldset>
            <fieldset>
                <legend>${t('pf.photosLegend')}</legend>
                <div class=${`field ${errors.photos ? 'has-error' : ''}`}>
                    <label for="pf-photos" class="btn btn-secondary file-btn">${t('pf.addPhoto')}</label>
                    <input id="pf-photos" class="visually-hidden-file" type="file" accept="image/*" capture="environment" multiple
                        aria-describedby=${`pf-photos-hint${errors.photos ? ' pf-photos-err' : ''}`} aria-invalid=${errors.photos ? 'true' : undefined}
                        disabled=${photoBusy || photos.length >= PHOTOS_MAX} ref=${fileRef} onChange=${(e) => addPhotos([...e.currentTarget.files])} />
                    <p class="hint" id="pf-photos-hint">${t('pf.photoHint', { n: PHOTOS_MAX })}</p>
                    ${errors.photos && html`<p class="field-error" id="pf-photos-err"><span class="icon" aria-hidden="true">⚠</span> ${t(errors.photos)}</p>`}
                    ${photos.length > 0 && html`<ul class="photo-list" id="pf-photo-list">${photos.map((p, i) => html`<li>
                        <img src=${p} alt=${t('pf.photoAlt', { n: i + 1 })} width="96" height="96" />
                        <button type="button" class="btn btn-link" onClick=${() => setPhotos(photos.filter((_, j) => j !== i))}>${t('pf.removePhoto', { n: i + 1 })}</button>
                    </li>`)}</ul>`}
                </div>
            </fieldset>
            <fieldset>
                <legend>${t('pf.where')}</legend>
                <${LocationFields} values=${values} set=${set} errors=${errors} prefix="pf-" locate citizen />
            </fieldset>
            <fieldset>
                <legend>${t('pf.contact')}</legend>
                <p class="hint">${t('pf.contactHint')}</p>
                <${Input} id="pf-name" label=${t('field.name')} value=${values.name} onInput=${set('name')} error=${fieldErr('name')} optional autocomplete="name" />
                <${Input} id="pf-phone" type="tel" label=${t('field.phone')} value=${values.phone} onInput=${set('phone')} error=${fieldErr('phone')} autocomplete="tel" inputmode="tel" />
                <${Input} id="pf-email" type="email" label=${t('field.email')} value=${values.email} onInput=${set('email')} error=${fieldErr('email')} autocomplete="email" />
            </fieldset>
            <div class="hp" aria-hidden="true">
                <label for="pf-website">${t('field.website')}</label>
                <input id="pf-website" name="website" type="text" tabindex="-1" autocomplete="off" value=${values.website}
                    onInput=${(e) => set('website')(e.currentTarget.value)} />
            </div>
            <fieldset class="kvkk">
                <legend>${t('pf.kvkkTitle')}</legend>
                <p class="kvkk-text" id="pf-kvkk-text">${t('pf.noticeShort')} <a href="/aydinlatma" onClick=${(e) => { e.preventDefault(); navigate('/aydinlatma'); }}>${t('pf.noticeLink')}</a></p>
                <${Checkbox} id="pf-consent_marketing" label=${t('pf.marketing')} checked=${values.consent_marketing} onChange=${set('consent_marketing')} hint=${t('pf.marketingHint')} />
            </fieldset>
            <div class="actions">
                <button type="submit" class="btn btn-primary btn-large" disabled=${busy || photoBusy}>${t('pf.submit')}</button>
            </div>
        </form>
    </div>`;
}
