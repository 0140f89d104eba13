// The CİMER unit's page (/cimer): the queue of open CİMER applications by the municipality's
// promise, with the days left (red under 3) and the legal 30-day limit; importing a CSV or JSON
// file exported from CİMER (the whole file or nothing: the server names the bad line); a form
// for one application; and, per application, the answer to paste or upload back into CİMER,
// "entered into CİMER", and "belongs to another institution" with the institution and a note.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, label, fmtDate } from '../i18n.js';
import { get, post, ApiError } from '../api.js';
import { Input, TextArea, Select, Banner, Loading, useAsync, useForm } from '../ui.js';

const FIELDS = ['cimer_no', 'filed_at', 'name', 'phone', 'email', 'text'];

function DaysLeft({ row }) {
    if (!row.open) return html`<span>${t('common.none')}</span>`;
    const d = row.days_left;
    const text = d < 0 ? t('cimer.daysLate', { n: -d }) : t('cimer.daysLeft', { n: d });
    return html`<span class=${row.late ? 'badge overdue cimer-late' : 'badge'} data-late=${row.late ? 'true' : 'false'}>${text}</span>`;
}

async function upload(file) {
    const json = /\.json$/i.test(file.name);
    const res = await fetch('/api/v1/cimer/import', {
        method: 'POST', credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': json ? 'application/json' : 'text/csv' },
        body: await file.text(),
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
}

function ImportBox({ onDone }) {
    const [msg, setMsg] = useState(null);
    const [err, setErr] = useState(null);
    const [busy, setBusy] = useState(false);
    const pick = async (e) => {
        const file = e.currentTarget.files[0];
        e.currentTarget.value = '';
        if (!file || busy) return;
        setBusy(true);
        setMsg(null);
        setErr(null);
        try {
            const r = await upload(file);
            setMsg(t('cimer.imported', { created: r.created, skipped: r.skipped }));
            onDone();
        } catch (x) {
            const line = x.body && x.body.error && x.body.error.line;
            setErr(line ? { ...x, code: 'cimer_line', message: x.message, text: t('cimer.badLine', { line }) } : x);
        } finally {
            setBusy(false);
        }
    };
    return html`<section class="card" aria-labelledby="cimer-import-h">
        <h2 id="cimer-import-h">${t('cimer.import')}</h2>
        <p class="hint">${t('cimer.importHint')}</p>
        <label class="btn" for="cimer-file">${t('cimer.chooseFile')}</label>
        <input id="cimer-file" type="file" accept=".csv,.json,text/csv,application/json" class="sr-only" onChange=${pick} disabled=${busy} />
        ${msg && html`<${Banner} kind="success" id="cimer-import-ok">${msg}</${Banner}>`}
        ${err && html`<div class="banner banner-error" role="alert" id="cimer-import-err">
            ${err.text || t('cimer.importFailed')} <span class="server-msg" lang="en">(${err.message})</span></div>`}
    </section>`;
}

function OneForm({ onDone }) {
    const f = useForm({ cimer_no: '', filed_at: '', name: '', phone: '', email: '', text: '' }, { __prefix: 'cimer-f-' });
    const [ok, setOk] = useState(null);
    const v = f.values;
    const submit = async (e) => {
        e.preventDefault();
        f.clear();
        setOk(null);
        const body = {};
        for (const k of FIELDS) if (v[k].trim()) body[k] = v[k].trim();
        try {
            const r = await post('/api/v1/cimer/applications', body);
            setOk(t('cimer.created', { tracking: r.tracking }));
            f.setValues({ cimer_no: '', filed_at: '', name: '', phone: '', email: '', text: '' });
            onDone();
        } catch (x) {
            f.fail(x);
        }
    };
    return html`<section class="card" aria-labelledby="cimer-one-h">
        <h2 id="cimer-one-h">${t('cimer.one')}</h2>
        <form onSubmit=${submit} noValidate>
            <${Banner} error=${f.general} />
            ${ok && html`<${Banner} kind="success" id="cimer-one-ok">${ok}</${Banner}>`}
            <${Input} id="cimer-f-cimer_no" label=${t('cimer.no')} value=${v.cimer_no} onInput=${f.set('cimer_no')} error=${f.errors.cimer_no} required />
            <${Input} id="cimer-f-filed_at" type="date" label=${t('cimer.filed')} value=${v.filed_at} onInput=${f.set('filed_at')} error=${f.errors.filed_at} required />
            <${Input} id="cimer-f-name" label=${t('cimer.name')} value=${v.name} onInput=${f.set('name')} error=${f.errors.name} optional />
            <${Input} id="cimer-f-phone" type="tel" label=${t('cimer.phone')} value=${v.phone} onInput=${f.set('phone')} error=${f.errors.phone} optional />
            <${Input} id="cimer-f-email" type="email" label=${t('cimer.email')} value=${v.email} onInput=${f.set('email')} error=${f.errors.email} optional />
            <${TextArea} id="cimer-f-text" label=${t('cimer.text')} value=${v.text} onInput=${f.set('text')} error=${f.errors.text} required />
            <button class="btn btn-primary" type="submit">${t('cimer.save')}</button>
        </form>
    </section>`;
}

function Detail({ row, institutions, onDone }) {
    const d = useAsync(() => get(`/api/v1/cimer/applications/${row.app_id}`), [row.app_id, row.status, row.answered_at]);
    const [inst, setInst] = useState('');
    const [note, setNote] = useState('');
    const [err, setErr] = useState(null);
    const act = async (path, body) => {
        setErr(null);
        try {
            await post(`/api/v1/cimer/applications/${row.app_id}/${path}`, body);
            onDone();
        } catch (x) {
            setErr(x);
        }
    };
    if (d.loading) return html`<${Loading} />`;
    if (d.error) return html`<${Banner} error=${d.error} />`;
    const c = d.data;
    return html`<section class="card" aria-labelledby="cimer-detail-h" id="cimer-detail">
        <h2 id="cimer-detail-h">${t('cimer.detail', { no: c.cimer_no })} · <a href=${`/basvurular/${c.app_id}`}>${c.tracking}</a></h2>
        <${Banner} error=${err} />
        ${c.answer_text ? html`
            <label for="cimer-answer">${t('cimer.answer')}</label>
            <textarea id="cimer-answer" readonly rows="10" value=${c.answer_text}></textarea>
            <p><a class="btn" id="cimer-download" href=${`/api/v1/cimer/applications/${c.app_id}/answer`} download>${t('cimer.download')}</a>
            ${!c.answered_at && html` <button class="btn btn-primary" id="cimer-answered" onClick=${() => act('answered', {})}>${t('cimer.markAnswered')}</button>`}</p>`
        : html`<p class="hint" id="cimer-no-answer">${t('cimer.noAnswer')}</p>`}
        ${c.answered_at && html`<p id="cimer-answered-at">${t('cimer.answeredAt', { date: fmtDate(c.answered_at) })}</p>`}
        ${c.status === 'new' && c.open && html`<form onSubmit=${(e) => { e.preventDefault(); act('redirect', { institution: inst, note }); }}>
            <h3>${t('cimer.other')}</h3>
            <${Select} id="cimer-inst" label=${t('cimer.institution')} value=${inst} onChange=${setInst} required
                placeholder=${t('common.choose')} options=${institutions.map((i) => ({ value: i.code, label: i.name }))} />
            <${TextArea} id="cimer-note" label=${t('cimer.note')} value=${note} onInput=${setNote} rows="2" required />
            <button class="btn" type="submit">${t('cimer.redirect')}</button>
        </form>`}
    </section>`;
}

export default function CimerPage() {
    const [all, setAll] = useState(false);
    const [sel, setSel] = useState(null);
    const q = useAsync(() => get(`/api/v1/cimer/applications${all ? '?all=1' : ''}`), [all]);
    const inst = useAsync(() => get('/api/v1/institutions'), []);
    const items = (q.data && q.data.items) || [];
    const institutions = ((inst.data && inst.data.items) || []).filter((i) => i.kind !== 'metropolitan');
    const row = sel && items.find((x) => x.app_id === sel);
    return html`<div class="page cimer-page">
        <h1>${t('cimer.title')}</h1>
        <div>
            <${ImportBox} onDone=${q.reload} />
            <${OneForm} onDone=${q.reload} />
        </div>
        <section class="card" aria-labelledby="cimer-queue-h">
            <h2 id="cimer-queue-h">${t('cimer.queue')}</h2>
            <label><input type="checkbox" id="cimer-all" checked=${all} onChange=${(e) => setAll(e.currentTarget.checked)} /> ${t('cimer.showAll')}</label>
            ${q.loading && !q.data ? html`<${Loading} />` : q.error ? html`<${Banner} error=${q.error} />` : items.length === 0
                ? html`<p id="cimer-empty">${t('cimer.empty')}</p>`
                : html`<table class="table" id="cimer-queue">
                    <thead><tr><th scope="col">${t('cimer.no')}</th><th scope="col">${t('cimer.tracking')}</th><th scope="col">${t('cimer.filed')}</th>
                        <th scope="col">${t('cimer.promise')}</th><th scope="col">${t('cimer.left')}</th><th scope="col">${t('cimer.legal')}</th>
                        <th scope="col">${t('cimer.status')}</th><th scope="col">${t('cimer.department')}</th></tr></thead>
                    <tbody>${items.map((r) => html`<tr key=${r.app_id} class=${r.late ? 'row-overdue' : ''} data-cimer=${r.cimer_no}>
                        <td><button class="btn" type="button" onClick=${() => setSel(r.app_id)}>${r.cimer_no}</button></td>
                        <td><a href=${`/basvurular/${r.app_id}`}>${r.tracking}</a></td>
                        <td>${fmtDate(r.filed_at)}</td><td>${fmtDate(r.promise_due)}</td>
                        <td class="cimer-left"><${DaysLeft} row=${r} /></td><td>${fmtDate(r.legal_due)}</td>
                        <td>${label('status', r.status)}</td><td>${r.department || t('common.none')}</td></tr>`)}</tbody>
                </table>`}
        </section>
        ${row && html`<${Detail} row=${row} institutions=${institutions} onDone=${q.reload} />`}
    </div>`;
}
