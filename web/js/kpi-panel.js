// Call KPIs for any period (issue 10): GET /api/v1/kpi/calls and /kpi/contacts with a bucket
// (15 / 30 / 60 minutes, day, month, year) and filters by queue, line and agent, as totals
// and one row per bucket. On the supervisor dashboard; the wallboard shows today live.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { t, fmtNumber, getLang } from './i18n.js';
import { get, qs } from './api.js';
import { Banner, Loading } from './ui.js';

const BUCKETS = ['15m', '30m', '1h', 'day', 'month', 'year'];

/** Today in Istanbul as YYYY-MM-DD. */
function istanbulToday(now = Date.now()) {
    return new Date(now + 3 * 3600 * 1000).toISOString().slice(0, 10);
}

function pct(x) {
    const v = new Intl.NumberFormat(getLang() === 'tr' ? 'tr-TR' : 'en-GB', { maximumFractionDigits: 2 }).format(x * 100);
    return getLang() === 'tr' ? `%${v}` : `${v}%`;
}

function secs(x) {
    return `${new Intl.NumberFormat(getLang() === 'tr' ? 'tr-TR' : 'en-GB', { maximumFractionDigits: 1 }).format(x)} sn`;
}

/** A bucket's start ("2026-03-01T00:15:00+03:00") as the bucket size reads best. */
function bucketLabel(start, bucket) {
    const d = start.slice(0, 10), hm = start.slice(11, 16);
    if (bucket === 'year') return d.slice(0, 4);
    if (bucket === 'month') return d.slice(0, 7);
    if (bucket === 'day') return d;
    return `${d} ${hm}`;
}

/** Bucket that reads best for a period of days: hours for a day, else days. */
function bucketFor(from, to) {
    return from === to ? '1h' : 'day';
}

/** The call KPIs; from/to (YYYY-MM-DD): the dashboard's period, followed when it changes. */
export function CallKpis({ from, to } = {}) {
    const today = istanbulToday();
    const [q, setQ] = useState({ from: from || today, to: to || today, bucket: from ? bucketFor(from, to) : '1h', queue: '', agent: '', line: '' });
    const [agents, setAgents] = useState([]);
    const [res, setRes] = useState(null);
    const [err, setErr] = useState(null);
    const [busy, setBusy] = useState(false);

    const load = async (p = q) => {
        setBusy(true);
        setErr(null);
        try {
            const params = { from: p.from, to: p.to, bucket: p.bucket, queue: p.queue || undefined, agent: p.agent || undefined, line: p.line || undefined };
            const [calls, contacts] = await Promise.all([
                get(`/api/v1/kpi/calls${qs(params)}`),
                get(`/api/v1/kpi/contacts${qs({ from: p.from, to: p.to, bucket: p.bucket === '15m' || p.bucket === '30m' ? '1h' : p.bucket })}`),
            ]);
            setRes({ calls, contacts, bucket: p.bucket });
        } catch (e) {
            setErr(e);
        } finally {
            setBusy(false);
        }
    };
    useEffect(() => {
        load();
        get('/api/v1/agents').then((r) => setAgents(r.items || [])).catch(() => setAgents([]));
    }, []);
    // the dashboard's period picker moves the KPIs along
    const first = useRef(true);
    useEffect(() => {
        if (first.current) { first.current = false; return; }
        if (!from || !to) return;
        const next = { ...q, from, to, bucket: bucketFor(from, to) };
        setQ(next);
        load(next);
    }, [from, to]);
    const set = (k) => (e) => setQ({ ...q, [k]: e.target.value });
    const submit = (e) => {
        e.preventDefault();
        if (q.from > q.to) return setErr('kpi.badPeriod'); // an i18n key: errorText shows it as it is
        load(q);
    };
    const tot = res && res.calls.totals;
    const out = res && res.contacts.totals;
    return html`<section class="card kpi-period" aria-labelledby="kpi-h">
        <h2 id="kpi-h">${t('kpi.title')}</h2>
        <form class="kpi-form" onSubmit=${submit}>
            <label>${t('kpi.from')} <input id="kpi-from" type="date" value=${q.from} onInput=${set('from')} required /></label>
            <label>${t('kpi.to')} <input id="kpi-to" type="date" value=${q.to} onInput=${set('to')} required /></label>
            <label>${t('kpi.bucket')} <select id="kpi-bucket" value=${q.bucket} onChange=${set('bucket')}>
                ${BUCKETS.map((b) => html`<option value=${b}>${t(`kpi.b.${b}`)}</option>`)}</select></label>
            <label>${t('kpi.agent')} <select id="kpi-agent" value=${q.agent} onChange=${set('agent')}>
                <option value="">${t('kpi.all')}</option>
                ${agents.map((a) => html`<option value=${a.username}>${a.full_name || a.username}</option>`)}</select></label>
            <label>${t('kpi.queue')} <input id="kpi-queue" value=${q.queue} onInput=${set('queue')} placeholder=${t('kpi.all')} size="10" /></label>
            <button type="submit" class="btn btn-primary" disabled=${busy}>${t('kpi.show')}</button>
        </form>
        <${Banner} error=${err} />
        ${!res ? html`<${Loading} />` : html`
        <dl class="kpi-totals" id="kpi-totals">
            <div><dt>${t('kpi.offered')}</dt><dd data-k="offered">${fmtNumber(tot.offered)}</dd></div>
            <div><dt>${t('kpi.answered')}</dt><dd data-k="answered">${fmtNumber(tot.answered)}</dd></div>
            <div><dt>${t('kpi.abandoned')}</dt><dd data-k="abandoned">${fmtNumber(tot.abandoned)}</dd></div>
            <div><dt>${t('kpi.short')}</dt><dd data-k="short_abandoned">${fmtNumber(tot.short_abandoned)}</dd></div>
            <div><dt>${t('kpi.answerRate')}</dt><dd data-k="answer_rate">${pct(tot.answer_rate)}</dd></div>
            <div><dt>${t('kpi.serviceLevel')}</dt><dd data-k="service_level">${pct(tot.service_level)}</dd></div>
            <div><dt>${t('kpi.asa')}</dt><dd data-k="asa_s">${secs(tot.asa_s)}</dd></div>
            <div><dt>${t('kpi.aht')}</dt><dd data-k="aht_s">${secs(tot.aht_s)}</dd></div>
            <div><dt>${t('kpi.maxWait')}</dt><dd data-k="max_wait_s">${secs(tot.max_wait_s)}</dd></div>
            <div><dt>${t('kpi.instantInfo')}</dt><dd data-k="instant_info">${fmtNumber((out.by_outcome || {}).instant_info || 0)}</dd></div>
            <div><dt>${t('kpi.forwarded')}</dt><dd data-k="application">${fmtNumber((out.by_outcome || {}).application || 0)}</dd></div>
        </dl>
        <div class="table-wrap"><table class="kpi-buckets" id="kpi-buckets">
            <caption class="sr-only">${t('kpi.title')}</caption>
            <thead><tr><th scope="col">${t('kpi.period')}</th><th scope="col">${t('kpi.offered')}</th><th scope="col">${t('kpi.answered')}</th>
                <th scope="col">${t('kpi.abandoned')}</th><th scope="col">${t('kpi.answerRate')}</th><th scope="col">${t('kpi.serviceLevel')}</th>
                <th scope="col">${t('kpi.asa')}</th><th scope="col">${t('kpi.aht')}</th></tr></thead>
            <tbody>${res.calls.buckets.filter((b) => b.offered > 0 || res.calls.buckets.length <= 48).map((b) => html`<tr>
                <th scope="row">${bucketLabel(b.start, res.bucket)}</th><td>${fmtNumber(b.offered)}</td><td>${fmtNumber(b.answered)}</td>
                <td>${fmtNumber(b.abandoned)}</td><td>${pct(b.answer_rate)}</td><td>${pct(b.service_level)}</td>
                <td>${secs(b.asa_s)}</td><td>${secs(b.aht_s)}</td></tr>`)}</tbody>
        </table></div>
        <p class="muted">${t('kpi.definitions')}</p>`}
    </section>`;
}
