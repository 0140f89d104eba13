// The knowledge-base editor (bilgi bankası, /bilgi-bankasi): for users with the editor right
// (supervisors and admins). A list filtered by state (current, not yet valid, expired, archived,
// all) and by words, and a form for an article: title, body, keywords, category, the districts
// it applies to (none = the whole province), the validity dates (planned water cuts and road
// works hide themselves when they expire) and other institutions' numbers. Archiving is soft:
// contacts keep their article, and an archived article can be restored.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, fmtDate } from '../i18n.js';
import { get, post, patch, del, qs } from '../api.js';
import { Input, TextArea, Select, Banner, FieldError, Loading, useForm, useDebounced } from '../ui.js';
import { getCategories, getDistricts, nameOf, byCode } from '../ref.js';
import { districtNames } from '../kb-panel.js';

const STATES = ['current', 'upcoming', 'expired', 'archived', 'all'];
const IST = 3 * 3600; // Europe/Istanbul is UTC+3 all year

/** The Istanbul date (YYYY-MM-DD) of an RFC 3339 time; an upper bound is exclusive, so its day
 * is the one before when it falls on midnight. */
function istDate(iso, upper) {
    if (!iso) return '';
    const s = Date.parse(iso) / 1000 - (upper ? 1 : 0) + IST;
    return new Date(s * 1000).toISOString().slice(0, 10);
}

function emptyForm() {
    return { title: '', body: '', keywords: '', category: '', districts: [], valid_from: '', valid_until: '', phones: [] };
}

function formOf(a) {
    return {
        title: a.title, body: a.body, keywords: a.keywords || '', category: a.category || '',
        districts: (a.districts || []).map(String), valid_from: istDate(a.valid_from, false), valid_until: istDate(a.valid_until, true),
        phones: (a.phones || []).map((p) => ({ ...p })),
    };
}

function ArticleForm({ article, cats, districts, onSaved, onCancel }) {
    const initial = article ? formOf(article) : emptyForm();
    const f = useForm(initial, { __prefix: 'kb-f-' });
    const [busy, setBusy] = useState(false);
    const v = f.values;
    const setPhone = (i, k) => (val) => f.set('phones')(v.phones.map((p, j) => (j === i ? { ...p, [k]: val } : p)));
    const toggleDistrict = (id) => f.set('districts')(v.districts.includes(id) ? v.districts.filter((x) => x !== id) : [...v.districts, id]);

    const submit = async (e) => {
        e.preventDefault();
        if (busy) return;
        f.clear();
        if (!v.title.trim()) return f.fail({ code: 'missing_field', field: 'title' });
        if (!v.body.trim()) return f.fail({ code: 'missing_field', field: 'body' });
        if (v.valid_from && v.valid_until && v.valid_until < v.valid_from) return f.fail({ code: 'bad_period', field: 'valid_until' });
        const phones = v.phones.filter((p) => p.name.trim() || p.number.trim()).map((p) => ({ name: p.name.trim(), number: p.number.trim() }));
        const body = { title: v.title.trim(), body: v.body, keywords: v.keywords.trim(), category: v.category, districts: v.districts.map(Number), phones };
        // dates only when set (a new article) or changed (keeps an exact time the API was given)
        for (const k of ['valid_from', 'valid_until']) if (article ? v[k] !== initial[k] : v[k]) body[k] = v[k];
        setBusy(true);
        try {
            const saved = article ? await patch(`/api/v1/kb/articles/${article.id}`, body) : await post('/api/v1/kb/articles', body);
            onSaved(saved);
        } catch (err) {
            f.fail(err);
        } finally {
            setBusy(false);
        }
    };

    return html`<form class="card form kb-form" onSubmit=${submit} novalidate aria-labelledby="kb-form-h">
        <h2 id="kb-form-h">${article ? t('kb.editTitle', { title: article.title }) : t('kb.newTitle')}</h2>
        <${Banner} error=${f.general} />
        <${Input} id="kb-f-title" label=${t('kb.fTitle')} value=${v.title} onInput=${f.set('title')} error=${f.errors.title} required maxlength="200" />
        <${TextArea} id="kb-f-body" label=${t('kb.fBody')} hint=${t('kb.fBodyHint')} value=${v.body} onInput=${f.set('body')} error=${f.errors.body} required rows="6" />
        <div class="row">
            <${Input} id="kb-f-keywords" label=${t('kb.fKeywords')} hint=${t('kb.fKeywordsHint')} value=${v.keywords} onInput=${f.set('keywords')} error=${f.errors.keywords} optional />
            <${Select} id="kb-f-category" label=${t('kb.fCategory')} value=${v.category} onChange=${f.set('category')} error=${f.errors.category}
                placeholder=${t('common.none')} options=${cats.map((c) => ({ value: c.code, label: nameOf(c) }))} optional />
        </div>
        <div class="row">
            <${Input} id="kb-f-valid_from" type="date" label=${t('kb.fValidFrom')} hint=${t('kb.fValidHint')} value=${v.valid_from} onInput=${f.set('valid_from')} error=${f.errors.valid_from} optional />
            <${Input} id="kb-f-valid_until" type="date" label=${t('kb.fValidUntil')} hint=${t('kb.fValidUntilHint')} value=${v.valid_until} onInput=${f.set('valid_until')} error=${f.errors.valid_until} optional />
        </div>
        <fieldset class=${`kb-districts ${f.errors.districts ? 'has-error' : ''}`} id="kb-f-districts" tabindex="-1" aria-describedby="kb-f-districts-hint">
            <legend>${t('kb.fDistricts')}</legend>
            <p class="hint" id="kb-f-districts-hint">${t('kb.fDistrictsHint')}</p>
            <div class="kb-district-list">${districts.map((d) => html`<label class="check-row"><input type="checkbox" name="kb-district" value=${d.id}
                checked=${v.districts.includes(String(d.id))} onChange=${() => toggleDistrict(String(d.id))} /> ${d.name}</label>`)}</div>
            <${FieldError} id="kb-f-districts" error=${f.errors.districts} />
        </fieldset>
        <fieldset class=${`kb-phones-edit ${f.errors.phones ? 'has-error' : ''}`} id="kb-f-phones" tabindex="-1">
            <legend>${t('kb.fPhones')}</legend>
            <p class="hint">${t('kb.fPhonesHint')}</p>
            ${v.phones.map((p, i) => html`<div class="row kb-phone-row">
                <${Input} id=${`kb-f-phone-name-${i}`} label=${t('kb.fPhoneName')} value=${p.name} onInput=${setPhone(i, 'name')} maxlength="80" />
                <${Input} id=${`kb-f-phone-number-${i}`} label=${t('kb.fPhoneNumber')} value=${p.number} onInput=${setPhone(i, 'number')} inputmode="tel" maxlength="24" class="mono-input" />
                <button type="button" class="btn btn-link btn-small" aria-label=${t('kb.removePhone', { n: i + 1 })}
                    onClick=${() => f.set('phones')(v.phones.filter((_, j) => j !== i))}>${t('common.delete')}</button>
            </div>`)}
            <button type="button" class="btn btn-secondary btn-small" id="kb-f-add-phone" onClick=${() => f.set('phones')([...v.phones, { name: '', number: '' }])}>${t('kb.addPhone')}</button>
            <${FieldError} id="kb-f-phones" error=${f.errors.phones} />
        </fieldset>
        <div class="actions">
            <button type="submit" class="btn btn-primary" disabled=${busy}>${t('common.save')}</button>
            <button type="button" class="btn btn-secondary" onClick=${onCancel}>${t('common.cancel')}</button>
        </div>
    </form>`;
}

export default function KbEditor() {
    const [state, setState] = useState('current');
    const [q, setQ] = useState('');
    const dq = useDebounced(q, 300);
    const [items, setItems] = useState(null);
    const [error, setError] = useState(null);
    const [editing, setEditing] = useState(null); // null | 'new' | article
    const [notice, setNotice] = useState(null);
    const [cats, setCats] = useState([]);
    const [districts, setDistricts] = useState([]);

    useEffect(() => {
        getCategories().then(setCats).catch(() => {});
        getDistricts().then(setDistricts).catch(() => {});
    }, []);
    const reload = () => get(`/api/v1/kb/articles${qs({ state, q: dq.trim(), limit: 200 })}`)
        .then((r) => { setItems(r.items); setError(null); }).catch((e) => { setItems([]); setError(e); });
    useEffect(() => { reload(); }, [state, dq]);

    const act = async (fn, msg) => {
        setNotice(null);
        try { await fn(); setNotice(msg); reload(); } catch (e) { setError(e); }
    };

    return html`<div class="page page-wide kb-page">
        <div class="page-head">
            <h1>${t('kb.title')}</h1>
            <button type="button" class="btn btn-primary" id="kb-new" onClick=${() => { setEditing('new'); setNotice(null); }}>${t('kb.new')}</button>
        </div>
        ${editing && html`<${ArticleForm} key=${editing === 'new' ? 'new' : editing.id} article=${editing === 'new' ? null : editing} cats=${cats} districts=${districts}
            onSaved=${(a) => { setEditing(null); setNotice(t('kb.saved', { title: a.title })); reload(); }} onCancel=${() => setEditing(null)} />`}
        ${notice && html`<p class="banner banner-ok" role="status">${notice}</p>`}
        <form class="card filters kb-filters" role="search" onSubmit=${(e) => e.preventDefault()}>
            <${Select} id="kb-state" label=${t('kb.filterState')} value=${state} onChange=${setState}
                options=${STATES.map((s) => ({ value: s, label: t(`kb.state.${s}`) }))} />
            <${Input} id="kb-filter-q" type="search" label=${t('kb.search')} value=${q} onInput=${setQ} autocomplete="off" />
        </form>
        <${Banner} error=${error} />
        ${!items ? html`<${Loading} />` : items.length === 0 ? html`<p class="muted">${t('kb.empty')}</p>` : html`<div class="table-wrap"><table class="grid kb-table">
            <thead><tr><th scope="col">${t('kb.fTitle')}</th><th scope="col">${t('kb.fCategory')}</th><th scope="col">${t('kb.fDistricts')}</th>
                <th scope="col">${t('kb.validity')}</th><th scope="col">${t('kb.usesCol')}</th><th scope="col">${t('kb.stateCol')}</th>
                <th scope="col"><span class="sr-only">${t('common.edit')}</span></th></tr></thead>
            <tbody>${items.map((a) => html`<tr class=${a.state !== 'current' ? 'row-disabled' : ''} data-article=${a.id}>
                <td data-label=${t('kb.fTitle')}><div><strong>${a.title}</strong>${a.phones.length > 0 && html`<div class="muted kb-row-phones">${a.phones.map((p) => `${p.name} ${p.number}`).join(' · ')}</div>`}</div></td>
                <td data-label=${t('kb.fCategory')}>${a.category ? nameOf(byCode(cats, a.category)) || a.category : t('common.none')}</td>
                <td data-label=${t('kb.fDistricts')}>${districtNames(a, districts)}</td>
                <td data-label=${t('kb.validity')}>${a.valid_from || a.valid_until ? `${a.valid_from ? fmtDate(a.valid_from) : '…'} – ${a.valid_until ? fmtDate(new Date(Date.parse(a.valid_until) - 1000).toISOString()) : '…'}` : t('kb.always')}</td>
                <td data-label=${t('kb.usesCol')}>${a.uses}</td>
                <td data-label=${t('kb.stateCol')}><span class=${`badge kb-state-${a.state}`}>${t(`kb.state.${a.state}`)}</span></td>
                <td class="kb-actions">
                    <button type="button" class="btn btn-link btn-small" aria-label=${`${t('common.edit')}: ${a.title}`} onClick=${() => { setEditing(a); setNotice(null); window.scrollTo(0, 0); }}>${t('common.edit')}</button>
                    ${a.active ? html`<button type="button" class="btn btn-link btn-small" aria-label=${`${t('kb.archive')}: ${a.title}`}
                        onClick=${() => act(() => del(`/api/v1/kb/articles/${a.id}`), t('kb.archived', { title: a.title }))}>${t('kb.archive')}</button>`
                        : html`<button type="button" class="btn btn-link btn-small" aria-label=${`${t('kb.restore')}: ${a.title}`}
                        onClick=${() => act(() => patch(`/api/v1/kb/articles/${a.id}`, { active: true }), t('kb.restored', { title: a.title }))}>${t('kb.restore')}</button>`}
                </td>
            </tr>`)}</tbody></table></div>`}
    </div>`;
}
