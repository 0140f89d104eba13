// KVKK (/kvkk; the data-protection officer "dpo" and admins; issue 12, docs/KVKK.md): find a
// citizen by phone or T.C. number (each record found is logged as a view), export everything
// held about them as a printable page or JSON, erase their personal data on request (a reason
// and an explicit confirmation; refused while an application of theirs is open unless forced),
// and read the view log.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, fmtDateTime, fmtPhone } from '../i18n.js';
import { get, post, qs } from '../api.js';
import { Banner, Loading, Input, TextArea, Checkbox } from '../ui.js';

function Erase({ citizen, onDone }) {
    const [open, setOpen] = useState(false);
    const [reason, setReason] = useState('');
    const [force, setForce] = useState(false);
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);
    const id = `kvkk-reason-${citizen.id}`;
    const submit = async (e) => {
        e.preventDefault();
        setError(null);
        setBusy(true);
        try {
            const r = await post(`/api/v1/citizens/${citizen.id}/anonymise`, { reason, ...(force ? { force: true } : {}) });
            setOpen(false);
            onDone(r);
        } catch (err) { setError(err); } finally { setBusy(false); }
    };
    if (!open) {
        return html`<button type="button" class="btn btn-danger kvkk-erase" onClick=${() => setOpen(true)}>${t('kvkk.erase')}</button>`;
    }
    return html`<form class="kvkk-erase-form card" onSubmit=${submit} aria-labelledby=${`${id}-h`}>
        <h3 id=${`${id}-h`}>${t('kvkk.eraseTitle', { name: citizen.name || '—' })}</h3>
        <p>${t('kvkk.eraseWarn')}</p>
        <${TextArea} id=${id} label=${t('kvkk.reason')} value=${reason} onInput=${setReason} required rows=${2} maxlength="500"
            hint=${t('kvkk.reasonHint')} error=${error && error.field === 'reason' ? error : null} />
        <${Checkbox} id=${`${id}-force`} label=${t('kvkk.force')} checked=${force} onChange=${setForce} />
        <${Banner} error=${error && error.field !== 'reason' ? error : null} />
        <div class="actions">
            <button type="submit" class="btn btn-danger kvkk-confirm" disabled=${busy || !reason.trim()}>${t('kvkk.confirm')}</button>
            <button type="button" class="btn" onClick=${() => setOpen(false)}>${t('common.cancel')}</button>
        </div>
    </form>`;
}

function ViewLog({ citizenId, rev }) {
    const [data, setData] = useState(null);
    const [error, setError] = useState(null);
    const [after, setAfter] = useState(null);
    const load = (cursor) => get(`/api/v1/view-log${qs({ citizen: citizenId || undefined, limit: 50, after: cursor || undefined })}`)
        .then((r) => setData((prev) => (cursor && prev ? { ...r, items: [...prev.items, ...r.items] } : r)), setError);
    useEffect(() => { setData(null); setAfter(null); load(null); }, [citizenId, rev]);
    useEffect(() => { if (after) load(after); }, [after]);
    return html`<section aria-labelledby="kvkk-log-h" class="kvkk-log">
        <h2 id="kvkk-log-h">${citizenId ? t('kvkk.logOf', { id: citizenId }) : t('kvkk.log')}</h2>
        <${Banner} error=${error} />
        ${!data ? html`<${Loading} />` : data.items.length === 0 ? html`<p>${t('kvkk.logNone')}</p>` : html`<table class="table">
            <thead><tr><th>${t('kvkk.logAt')}</th><th>${t('kvkk.logUser')}</th><th>${t('kvkk.logCitizen')}</th><th>${t('kvkk.logPurpose')}</th></tr></thead>
            <tbody>${data.items.map((v) => html`<tr data-id=${v.id}><td>${fmtDateTime(v.at)}</td><td>${v.user}</td><td>${v.citizen_id}</td>
                <td>${t(`kvkk.purpose.${v.purpose}`) === `kvkk.purpose.${v.purpose}` ? v.purpose : t(`kvkk.purpose.${v.purpose}`)}</td></tr>`)}</tbody></table>`}
        ${data && data.next && html`<button type="button" class="btn" onClick=${() => setAfter(data.next)}>${t('kvkk.more')}</button>`}
    </section>`;
}

export default function Kvkk() {
    const [q, setQ] = useState('');
    const [found, setFound] = useState(null);
    const [error, setError] = useState(null);
    const [notice, setNotice] = useState('');
    const [selected, setSelected] = useState(null);
    const [rev, setRev] = useState(0); /* the view log is read again after an export or erasure */
    const bump = () => setRev((n) => n + 1);
    const search = async (e, keepNotice = false) => {
        if (e) e.preventDefault();
        setError(null);
        if (!keepNotice) setNotice('');
        const v = q.replace(/\s+/g, '');
        const byTc = /^\d{11}$/.test(v) && !v.startsWith('0');
        try {
            const r = await get(`/api/v1/kvkk/citizens${qs(byTc ? { tc: v } : { phone: v })}`);
            setFound(r.items);
            if (r.items.length === 1) setSelected(r.items[0].id);
        } catch (err) { setError(err); setFound(null); }
    };
    const erased = (c) => (r) => {
        setNotice(t('kvkk.erased', { name: c.name || c.id, apps: r.applications, files: r.files }));
        /* its phone and T.C. number are gone, so a new search would not find it: shown here */
        setFound((xs) => xs.map((x) => (x.id === c.id ? { ...x, name: 'Anonim', phone: null, tc: null, anonymised_at: new Date().toISOString() } : x)));
        setSelected(c.id);
        bump();
    };
    return html`<div class="page kvkk">
        <h1>${t('kvkk.title')}</h1>
        <p class="muted">${t('kvkk.intro')}</p>
        <form class="kvkk-search" onSubmit=${search} role="search">
            <${Input} id="kvkk-q" label=${t('kvkk.search')} value=${q} onInput=${setQ} hint=${t('kvkk.searchHint')} required inputmode="numeric" />
            <button type="submit" class="btn btn-primary">${t('kvkk.find')}</button>
        </form>
        ${notice && html`<${Banner} kind="info">${notice}<//>`}
        <${Banner} error=${error} />
        ${found && (found.length === 0 ? html`<p class="kvkk-none">${t('kvkk.none')}</p>` : html`<ul class="kvkk-results">
            ${found.map((c) => html`<li class="card kvkk-citizen" data-id=${c.id}>
                <p><strong>${c.name || '—'}</strong> · ${c.phone ? fmtPhone(c.phone) : '—'} · ${t('kvkk.tc')}: ${c.tc || '—'}
                    ${c.anonymised_at && html` · <span class="badge">${t('kvkk.anonymised', { at: fmtDateTime(c.anonymised_at) })}</span>`}</p>
                <div class="actions">
                    <a class="btn kvkk-export-html" href=${`/api/v1/citizens/${c.id}/export?format=html`} target="_blank" rel="noopener" onClick=${() => setTimeout(bump, 500)}>${t('kvkk.exportHtml')}</a>
                    <a class="btn kvkk-export-json" href=${`/api/v1/citizens/${c.id}/export?format=json`} download=${`kvkk-${c.id}.json`} onClick=${() => setTimeout(bump, 500)}>${t('kvkk.exportJson')}</a>
                    <button type="button" class="btn" onClick=${() => setSelected(c.id)}>${t('kvkk.showLog')}</button>
                    ${!c.anonymised_at && html`<${Erase} citizen=${c} onDone=${erased(c)} />`}
                </div>
            </li>`)}
        </ul>`)}
        <${ViewLog} citizenId=${selected} rev=${rev} />
    </div>`;
}
