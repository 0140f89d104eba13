// Outgoing messages (/yonetim/mesajlar, admins; issue 15): the outbox by state with the
// count of each (pending, sending, sent, dead), the last error of a message that failed and a
// resend button for a dead one (same idempotency key); below, the message templates in
// Turkish and English, editable, with the SMS segment count of each SMS text.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, fmtDateTime } from '../i18n.js';
import { get, post, api, qs } from '../api.js';
import { Banner, Loading, TextArea, Input } from '../ui.js';

const STATES = ['', 'pending', 'sending', 'sent', 'dead'];

function Messages() {
    const [state, setState] = useState('dead');
    const [data, setData] = useState(null);
    const [error, setError] = useState(null);
    const [notice, setNotice] = useState('');
    const load = () => get(`/api/v1/outbox${qs({ state, limit: 100 })}`).then(setData, setError);
    useEffect(() => { setData(null); load(); }, [state]);
    const resend = async (m) => {
        setError(null);
        try {
            await post(`/api/v1/outbox/${m.id}/resend`);
            setNotice(t('outbox.resent', { id: m.id }));
            load();
        } catch (e) { setError(e); }
    };
    const counts = (data && data.counts) || {};
    return html`<section aria-labelledby="ob-h">
        <h2 id="ob-h">${t('outbox.messages')}</h2>
        <div class="tabs" role="group" aria-label=${t('outbox.state')}>
            ${STATES.map((s) => html`<button type="button" class=${`btn ${s === state ? 'on' : ''}`} aria-pressed=${s === state ? 'true' : 'false'} data-state=${s || 'all'}
                onClick=${() => setState(s)}>${t(`outbox.state.${s || 'all'}`)}${s && ` (${counts[s] || 0})`}</button>`)}
        </div>
        ${notice && html`<${Banner} kind="info">${notice}<//>`}
        <${Banner} error=${error} />
        ${!data ? html`<${Loading} />` : data.items.length === 0 ? html`<p>${t('outbox.none')}</p>` : html`<table class="table outbox-table">
            <thead><tr><th>#</th><th>${t('outbox.created')}</th><th>${t('outbox.channel')}</th><th>${t('outbox.recipient')}</th><th>${t('outbox.purpose')}</th>
                <th>${t('outbox.state')}</th><th>${t('outbox.attempts')}</th><th>${t('outbox.error')}</th><th></th></tr></thead>
            <tbody>${data.items.map((m) => html`<tr data-id=${m.id} data-state=${m.state}>
                <td>${m.id}</td><td>${fmtDateTime(m.created_at)}</td><td>${t(`outbox.channel.${m.channel}`)}</td><td>${m.recipient}</td>
                <td>${t(`outbox.purpose.${m.purpose}`)}${m.application_id ? html` · <a href=${`/basvurular/${m.application_id}`}>${m.application_id}</a>` : ''}</td>
                <td>${t(`outbox.state.${m.state}`)}</td><td>${m.attempts}</td><td class="err-text">${m.last_error}</td>
                <td>${m.state === 'dead' && html`<button type="button" class="btn" onClick=${() => resend(m)}>${t('outbox.resend')}</button>`}</td>
            </tr>`)}</tbody></table>`}
    </section>`;
}

function Template({ tpl, onSaved }) {
    const [subject, setSubject] = useState(tpl.subject);
    const [body, setBody] = useState(tpl.body);
    const [error, setError] = useState(null);
    const [saved, setSaved] = useState(false);
    const id = `tpl-${tpl.purpose}-${tpl.channel}-${tpl.lang}`;
    const save = async (e) => {
        e.preventDefault();
        setError(null);
        setSaved(false);
        try {
            const r = await api('PUT', `/api/v1/message-templates/${tpl.purpose}/${tpl.channel}/${tpl.lang}`, { body, ...(tpl.channel === 'email' ? { subject } : {}) });
            setSaved(true);
            onSaved(r);
        } catch (err) { setError(err); }
    };
    return html`<form class="card template" onSubmit=${save} data-template=${id}>
        <h4>${t(`outbox.purpose.${tpl.purpose}`)} · ${t(`outbox.channel.${tpl.channel}`)} · ${tpl.lang.toUpperCase()}${tpl.custom ? '' : html` <span class="hint">${t('outbox.builtin')}</span>`}</h4>
        ${tpl.channel === 'email' && html`<${Input} id=${`${id}-s`} label=${t('outbox.subject')} value=${subject} onInput=${setSubject} />`}
        <${TextArea} id=${`${id}-b`} label=${t('outbox.body')} value=${body} onInput=${setBody} rows=${tpl.channel === 'sms' ? 3 : 6} />
        ${tpl.sms && html`<p class="hint">${t('outbox.segments', { n: tpl.sms.segments, units: tpl.sms.units, per: tpl.sms.per_segment, coding: tpl.sms.coding })}</p>`}
        <${Banner} error=${error} />
        ${saved && html`<${Banner} kind="info">${t('outbox.saved')}<//>`}
        <button type="submit" class="btn primary">${t('outbox.save')}</button>
    </form>`;
}

function Templates() {
    const [items, setItems] = useState(null);
    const [error, setError] = useState(null);
    useEffect(() => { get('/api/v1/message-templates').then((r) => setItems(r.items), setError); }, []);
    const replace = (r) => setItems((xs) => xs.map((x) => (x.purpose === r.purpose && x.channel === r.channel && x.lang === r.lang ? r : x)));
    return html`<section aria-labelledby="tpl-h">
        <h2 id="tpl-h">${t('outbox.templates')}</h2>
        <p class="hint">${t('outbox.placeholders')}</p>
        <${Banner} error=${error} />
        ${!items ? html`<${Loading} />` : items.map((x) => html`<${Template} key=${`${x.purpose}-${x.channel}-${x.lang}-${x.updated_at}`} tpl=${x} onSaved=${replace} />`)}
    </section>`;
}

export default function Outbox() {
    return html`<div class="page outbox">
        <h1>${t('outbox.title')}</h1>
        <${Messages} />
        <${Templates} />
    </div>`;
}
