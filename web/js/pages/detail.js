// One application: its data, the public answer (what the citizen sees) kept apart from internal
// notes, every lifecycle action the server allows this user (allowed_actions), and the history.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, label, fmtDateTime, fmtPhone } from '../i18n.js';
import { get, post } from '../api.js';
import { Input, TextArea, Select, Banner, Loading, StatusBadge, PriorityBadge, OverdueBadge, Timeline, Dl, useForm } from '../ui.js';
import { CategoryPicker, slaText } from '../category-picker.js';
import { normaliseTracking } from '../tracking.js';
import { PlaceMap } from '../map.js';
import { centreOf } from '../districts.js';
import { getCategories, getDepartments, getInstitutions, nameOf, byCode } from '../ref.js';

// what each action asks for; the order is the order of the buttons
const ACTION_ORDER = ['accept', 'respond', 'route', 'close', 'note', 'hold', 'resume', 'transfer', 'return',
    'reject-answer', 'reopen', 'out-of-scope', 'duplicate'];
const NEEDS_FORM = new Set(['route', 'return', 'transfer', 'respond', 'reject-answer', 'reopen', 'out-of-scope', 'duplicate', 'note', 'hold']);
const PRIMARY = new Set(['accept', 'respond', 'route', 'close']);

/** The citizen's phone: whole for the front office; masked for a department, with "Numarayı
 * göster", which asks the server (a KVKK-logged view) and then shows it. */
function Phone({ app, phone }) {
    const [whole, setWhole] = useState(null);
    const [err, setErr] = useState(null);
    const [busy, setBusy] = useState(false);
    const masked = phone.includes('*');
    const reveal = async () => {
        setBusy(true);
        setErr(null);
        try {
            const r = await get(`/api/v1/applications/${app.id}/citizen-phone`);
            setWhole(r.phone);
        } catch (e) {
            setErr(e);
        } finally {
            setBusy(false);
        }
    };
    const shown = whole || phone;
    return html`<span class="phone">
        ${masked && !whole ? html`<span class="phone-masked" aria-label=${t('det.phoneMasked')}>${fmtPhone(shown)}</span>`
            : html`<a href=${`tel:${shown}`} class="mono" id="citizen-phone">${fmtPhone(shown)}</a>`}
        ${masked && !whole && html` <button type="button" class="btn btn-link btn-small" id="show-phone" onClick=${reveal} disabled=${busy}>${t('det.showPhone')}</button>`}
        ${whole && html` <span class="muted small" role="status">${t('det.phoneLogged')}</span>`}
        ${err && html`<${Banner} error=${err} />`}
    </span>`;
}

function ActionForm({ action, app, cats, depts, onDone, onCancel }) {
    const cur = byCode(cats, app.category);
    const f = useForm({ category: action === 'route' ? cur : null, department: '', note: '', response: '', institution: '', duplicate_of: '' },
        { __prefix: 'act-' });
    const [busy, setBusy] = useState(false);
    const [insts, setInsts] = useState([]);
    const first = useRef(null);
    useEffect(() => {
        if (first.current) first.current.focus();
        if (action === 'out-of-scope') getInstitutions().then(setInsts).catch(() => {});
    }, []);

    const submit = async (e) => {
        e.preventDefault();
        f.clear();
        const v = f.values;
        const body = {};
        try {
            if (action === 'route') {
                if (!v.category) return f.setErrors({ category: 'ct.needCategory' });
                body.category = v.category.code;
            } else if (action === 'transfer') {
                if (v.category) body.category = v.category.code;
                if (v.department) body.department = v.department;
                if (!body.category && !body.department) return f.setErrors({ category: { code: 'missing_field', field: 'category' } });
                if (v.note.trim()) body.note = v.note.trim();
            } else if (action === 'respond') {
                if (!v.response.trim()) return f.setErrors({ response: { code: 'missing_field', field: 'response' } });
                body.response = v.response.trim();
            } else if (action === 'out-of-scope') {
                if (!v.institution.trim()) return f.setErrors({ institution: { code: 'invalid_field', field: 'institution' } });
                body.institution = v.institution.trim();
                if (v.note.trim()) body.note = v.note.trim();
            } else if (action === 'duplicate') {
                const tr = normaliseTracking(v.duplicate_of);
                if (!tr) return f.setErrors({ duplicate_of: 'err.trackingFormat' });
                setBusy(true);
                let orig;
                try {
                    orig = await get(`/api/v1/applications/by-tracking/${tr}`);
                } catch (err) {
                    setBusy(false);
                    return f.setErrors({ duplicate_of: { code: 'unprocessable', field: 'duplicate_of', message: err.message } });
                }
                body.duplicate_of = orig.id;
                if (v.note.trim()) body.note = v.note.trim();
            } else {
                if (!v.note.trim()) return f.setErrors({ note: { code: 'missing_field', field: 'note' } });
                body.note = v.note.trim();
            }
            setBusy(true);
            const r = await post(`/api/v1/applications/${app.id}/${action}`, body);
            onDone(r, action);
        } catch (err) {
            f.fail(err, action === 'respond' ? 'response' : 'note');
        } finally {
            setBusy(false);
        }
    };

    const isPublic = action === 'respond';
    const noteLabel = ['return', 'reject-answer', 'reopen', 'hold'].includes(action) ? t('field.reason') : t('field.note');
    return html`<form class=${`action-form ${isPublic ? 'is-public' : 'is-internal'}`} onSubmit=${submit} novalidate aria-labelledby="actf-h">
        <h3 id="actf-h">${label('action', action)}</h3>
        <${Banner} error=${f.general} />
        ${(action === 'route' || action === 'transfer') && html`<${CategoryPicker} id="act-category" label=${t('field.category')}
            hint=${action === 'transfer' ? t('det.transferHint') : t('field.categoryHint')} value=${f.values.category}
            onChange=${f.set('category')} error=${f.errors.category} inputRef=${first} />`}
        ${action === 'transfer' && html`<${Select} id="act-department" label=${t('field.department')} value=${f.values.department} onChange=${f.set('department')}
            placeholder=${t('common.choose')} optional options=${depts.filter((d) => d.active && d.code !== app.department).map((d) => ({ value: d.code, label: nameOf(d) }))}
            error=${f.errors.department} />`}
        ${action === 'respond' && html`<${TextArea} id="act-response" label=${t('field.response')} hint=${t('det.responseHint')} value=${f.values.response}
            onInput=${f.set('response')} error=${f.errors.response} required rows="5" inputRef=${first} />`}
        ${action === 'out-of-scope' && html`<${Input} id="act-institution" label=${t('field.institution')} value=${f.values.institution}
            onInput=${f.set('institution')} error=${f.errors.institution} required inputRef=${first} list="inst-list" />
            <datalist id="inst-list">${insts.map((i) => html`<option value=${i.name} />`)}</datalist>`}
        ${action === 'duplicate' && html`<${Input} id="act-duplicate_of" label=${t('field.duplicateOf')} hint=${t('tr.formatHint')} value=${f.values.duplicate_of}
            onInput=${f.set('duplicate_of')} error=${f.errors.duplicate_of} required inputRef=${first} class="mono-input" />`}
        ${['return', 'transfer', 'reject-answer', 'reopen', 'out-of-scope', 'duplicate', 'note', 'hold'].includes(action) && html`<${TextArea}
            id="act-note" label=${noteLabel} hint=${t('det.noteHint')} value=${f.values.note} onInput=${f.set('note')} error=${f.errors.note}
            required=${!['transfer', 'out-of-scope', 'duplicate'].includes(action)} optional=${['transfer', 'out-of-scope', 'duplicate'].includes(action)}
            rows="3" inputRef=${['transfer', 'out-of-scope', 'duplicate', 'route'].includes(action) ? undefined : first} />`}
        <div class="actions">
            <button type="submit" class="btn btn-primary" disabled=${busy}>${label('action', action)}</button>
            <button type="button" class="btn btn-secondary" onClick=${onCancel}>${t('common.cancel')}</button>
        </div>
    </form>`;
}

export default function Detail({ params, me }) {
    const [app, setApp] = useState(null);
    const [error, setError] = useState(null);
    const [open, setOpen] = useState(null);
    const [done, setDone] = useState(null);
    const [actErr, setActErr] = useState(null);
    const [busy, setBusy] = useState(false);
    const [cats, setCats] = useState([]);
    const [depts, setDepts] = useState([]);
    const headRef = useRef(null);

    const load = () => get(`/api/v1/applications/${encodeURIComponent(params.id)}`).then((a) => { setApp(a); setError(null); }).catch(setError);
    useEffect(() => {
        if (!/^\d+$/.test(params.id)) {
            setError({ status: 404, code: 'not_found' });
            return;
        }
        load();
        getCategories().then(setCats).catch(() => {});
        getDepartments().then(setDepts).catch(() => {});
    }, [params.id]);

    const backHref = me.role === 'staff' || me.role === 'manager' ? '/birim' : '/basvurular';
    if (error) {
        const nf = error.status === 404 || error.status === 403;
        return html`<div class="page">
            <p><a href=${backHref}>${t('det.back')}</a></p>
            ${nf ? html`<div class="banner banner-error" role="alert" id="detail-notfound"><h1 class="h-inline">${t('det.notFound')}</h1></div>` : html`<${Banner} error=${error} />`}
        </div>`;
    }
    if (!app) return html`<${Loading} />`;

    const finished = (a, action) => {
        setApp(a);
        setOpen(null);
        setActErr(null);
        setDone(t('det.done', { action: label('action', action) }));
        setTimeout(() => headRef.current && headRef.current.focus(), 0);
    };
    const runNow = async (action) => {
        setBusy(true);
        setActErr(null);
        setDone(null);
        try {
            finished(await post(`/api/v1/applications/${app.id}/${action}`, {}), action);
        } catch (err) {
            setActErr(err);
        } finally {
            setBusy(false);
        }
    };
    const allowed = ACTION_ORDER.filter((a) => (app.allowed_actions || []).includes(a));
    const cat = byCode(cats, app.category);
    const c = app.citizen;

    return html`<div class="page page-wide detail">
        <p><a href=${backHref}>${t('det.back')}</a></p>
        <div class="detail-head">
            <h1 tabindex="-1" ref=${headRef}><span class="mono" id="detail-tracking">${app.tracking}</span></h1>
            <div class="badges"><span id="detail-status"><${StatusBadge} status=${app.status} /></span> <${PriorityBadge} priority=${app.priority} /> <${OverdueBadge} app=${app} />
                ${app.on_hold && html`<span class="badge hold">${t('list.onHold')}</span>`}</div>
        </div>
        ${done && html`<p class="banner banner-ok" role="status">${done}</p>`}
        <div class="detail-grid">
            <div class="detail-main">
                <section class="card" aria-labelledby="info-h">
                    <h2 id="info-h">${t('det.info')}</h2>
                    <blockquote class="app-text">${app.text}</blockquote>
                    <${Dl} items=${[
                        [t('field.category'), cat ? `${nameOf(cat)} (${slaText(cat)})` : app.category || t('common.none')],
                        [t('field.department'), nameOf(byCode(depts, app.department)) || app.department || t('common.none')],
                        [t('field.kind'), label('kind', app.kind)],
                        [t('field.channel'), label('channel', app.channel)],
                        [t('field.priority'), label('priority', app.priority)],
                        [t('det.location'), [app.district, app.neighbourhood, app.address].filter(Boolean).join(' / ') || t('common.none')],
                        [t('field.createdAt'), fmtDateTime(app.created_at)],
                        [t('det.firstDue'), fmtDateTime(app.first_response_due)],
                        [t('det.resolutionDue'), html`${fmtDateTime(app.resolution_due)} <${OverdueBadge} app=${app} />`],
                        app.redirect && [t('det.redirect'), app.redirect],
                        app.access_code && [t('field.accessCode'), html`<span class="mono">${app.access_code}</span>`],
                    ]} />
                    <${PlaceMap} lat=${app.lat} lon=${app.lon} label=${t('det.location')}
                        approx=${centreOf(app.district) && { center: centreOf(app.district).slice(0, 2), name: app.district }} />
                </section>
                <section class="card public-response" aria-labelledby="pr-h">
                    <h2 id="pr-h">${t('det.publicResponse')}</h2>
                    ${app.public_response ? html`<p id="detail-response" class="response-text">${app.public_response}</p>` : html`<p class="muted">${t('det.noPublicResponse')}</p>`}
                </section>
                <section class="card" aria-labelledby="hist-h">
                    <h2 id="hist-h">${t('det.history')}</h2>
                    <${Timeline} events=${app.history} deptName=${(code) => nameOf(byCode(depts, code)) || code} />
                </section>
            </div>
            <aside class="detail-side">
                <section class="card" aria-labelledby="act-h">
                    <h2 id="act-h">${t('det.actions')}</h2>
                    ${allowed.length === 0 ? html`<p class="muted">${t('det.noActions')}</p>` : html`<div class="action-buttons">
                        ${allowed.map((a) => html`<button type="button" data-action=${a}
                            class=${`btn ${PRIMARY.has(a) ? 'btn-primary' : 'btn-secondary'} ${open === a ? 'pressed' : ''}`}
                            aria-expanded=${NEEDS_FORM.has(a) ? (open === a ? 'true' : 'false') : undefined} disabled=${busy}
                            onClick=${() => { setDone(null); setActErr(null); if (NEEDS_FORM.has(a)) setOpen(open === a ? null : a); else runNow(a); }}>${label('action', a)}</button>`)}
                    </div>`}
                    <${Banner} error=${actErr} />
                    ${open && html`<${ActionForm} key=${open} action=${open} app=${app} cats=${cats} depts=${depts} onDone=${finished} onCancel=${() => setOpen(null)} />`}
                </section>
                ${c && html`<section class="card" aria-labelledby="cit-h">
                    <h2 id="cit-h">${t('det.citizen')}</h2>
                    <${Dl} items=${[
                        [t('field.name'), c.name || t('common.none')],
                        c.phone && [t('field.phone'), html`<${Phone} app=${app} phone=${c.phone} key=${app.id} />`],
                        c.email && [t('field.email'), c.email],
                        c.tc && [t('field.tc'), c.tc],
                    ]} />
                </section>`}
                ${app.links && app.links.length > 0 && html`<section class="card"><h2>${t('det.links')}</h2><ul>
                    ${app.links.map((l) => html`<li><a href=${`/basvurular/${l.id}`} class="mono">${l.tracking}</a> (${l.kind})</li>`)}</ul></section>`}
                ${app.attachments && app.attachments.length > 0 && html`<section class="card"><h2>${t('det.attachments')}</h2><ul>
                    ${app.attachments.map((f) => html`<li><a href=${`/api/v1/applications/${app.id}/attachments/${f.id}`} data-native target="_blank" rel="noopener">${f.filename}</a> (${Math.ceil(f.size / 1024)} KB)</li>`)}</ul></section>`}
            </aside>
        </div>
    </div>`;
}
