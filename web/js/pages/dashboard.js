// Supervisor view: counts today and this month by status, department and channel, the overdue
// list, and charts (Chart.js from /vendor/, loaded on demand). Uses GET /api/v1/stats when the
// server has it; otherwise computes the same counts from the application list.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, label, fmtDateTime, fmtNumber, getLang } from '../i18n.js';
import { get, qs } from '../api.js';
import { Banner, Loading, StatusBadge, OverdueBadge } from '../ui.js';
import { getCategories, getDepartments, nameOf, byCode, stats as fetchStats } from '../ref.js';
import { CallKpis } from '../kpi-panel.js';
import { loadChart } from '../chart-loader.js';


const IST_OFFSET_MS = 3 * 3600 * 1000; // Europe/Istanbul is UTC+3 all year

/** Start of today and of this month in Istanbul, as RFC 3339 UTC strings. */
export function istanbulStarts(now = Date.now()) {
    const local = new Date(now + IST_OFFSET_MS);
    const y = local.getUTCFullYear(), m = local.getUTCMonth(), d = local.getUTCDate();
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { today: iso(Date.UTC(y, m, d) - IST_OFFSET_MS), month: iso(Date.UTC(y, m, 1) - IST_OFFSET_MS) };
}

async function fetchAll(params, maxPages = 40) {
    const out = [];
    let after = '';
    for (let i = 0; i < maxPages; i++) {
        const r = await get(`/api/v1/applications${qs({ ...params, limit: 500, after })}`);
        out.push(...r.items);
        if (r.next === null || r.next === undefined) break;
        after = r.next;
    }
    return out;
}

function bucket(items) {
    const b = { total: items.length, by_status: {}, by_department: {}, by_channel: {} };
    for (const a of items) {
        b.by_status[a.status] = (b.by_status[a.status] || 0) + 1;
        const d = a.department || '—';
        b.by_department[d] = (b.by_department[d] || 0) + 1;
        b.by_channel[a.channel] = (b.by_channel[a.channel] || 0) + 1;
    }
    return b;
}

/** The /stats shape computed client-side from /applications pages. */
async function computeStats() {
    const { today, month } = istanbulStarts();
    const monthItems = await fetchAll({ from: month });
    const todayStart = Date.parse(today);
    const todayItems = monthItems.filter((a) => Date.parse(a.created_at) >= todayStart);
    const openLists = await Promise.all(['new', 'forwarded', 'in_progress'].map((s) => fetchAll({ status: s })));
    const overdue = await fetchAll({ overdue: 'true' });
    return {
        today: bucket(todayItems),
        month: bucket(monthItems),
        open: openLists.reduce((n, l) => n + l.length, 0),
        overdue: overdue.length,
        computed: true,
    };
}

// the badge colours of each status, so the chart reads like the lists
const STATUS_COLORS = { new: '#6b7280', forwarded: '#1d5fa8', in_progress: '#d08a00', resolved: '#1f8a45', closed: '#3f3f46', out_of_scope: '#7e3fb0', duplicate: '#a3a3a3' };

/** "Fen İşleri Dairesi Başkanlığı" → "Fen İşleri": short enough for a chart axis. */
export function shortDept(name) {
    return String(name || '').replace(/\s+(Dairesi Başkanlığı|Genel Müdürlüğü|Şube Müdürlüğü|Müdürlüğü|Department)$/u, '');
}

const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0f766e', '#a16207', '#be185d', '#4338ca', '#525252', '#0369a1', '#65a30d', '#9333ea', '#dc2626'];

function ChartBox({ id, title, type, labels, values, horizontal, colors, wide }) {
    const canvas = useRef(null);
    const chart = useRef(null);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
        let live = true;
        loadChart().then((Chart) => {
            if (!live || !canvas.current) return;
            if (chart.current) chart.current.destroy();
            chart.current = new Chart(canvas.current, {
                type,
                data: {
                    labels,
                    datasets: [{ label: title, data: values, backgroundColor: colors || (type === 'doughnut' ? PALETTE : '#0b5cad'), borderWidth: type === 'doughnut' ? 1 : 0 }],
                },
                options: {
                    animation: false,
                    responsive: true,
                    maintainAspectRatio: false,
                    indexAxis: horizontal ? 'y' : 'x',
                    plugins: { legend: { display: type === 'doughnut', position: 'bottom' } },
                    scales: type === 'doughnut' ? {} : { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0, autoSkip: false } } },
                },
            });
        }).catch(() => setFailed(true));
        return () => { live = false; };
    }, [JSON.stringify(labels), JSON.stringify(values), type]);
    useEffect(() => () => { if (chart.current) chart.current.destroy(); }, []);
    const rows = labels.map((l, i) => [l, values[i]]);
    return html`<figure class=${`card chart-card ${wide ? 'chart-wide' : ''}`} aria-labelledby=${`${id}-cap`}>
        <figcaption id=${`${id}-cap`}><h2 class="chart-title">${title}</h2></figcaption>
        ${!failed && html`<div class="chart" style=${`height:${horizontal ? Math.max(180, labels.length * 26) : 240}px`}>
            <canvas ref=${canvas} id=${id} role="img" aria-label=${`${title}: ${rows.map(([l, v]) => `${l} ${v}`).join(', ')}`}></canvas></div>`}
        <details open=${failed}><summary>${t('dash.table')}</summary>
            <table class="mini"><tbody>${rows.map(([l, v]) => html`<tr><th scope="row">${l}</th><td>${fmtNumber(v)}</td></tr>`)}</tbody></table>
        </details>
    </figure>`;
}

function Tiles({ s }) {
    const tile = (key, n, cls = '') => html`<div class=${`tile ${cls}`}><span class="tile-n">${fmtNumber(n || 0)}</span><span class="tile-l">${t(key)}</span></div>`;
    return html`<div class="tiles">
        ${tile('dash.today', s.today.total)}
        ${tile('dash.month', s.month.total)}
        ${tile('dash.open', s.open)}
        ${tile('dash.overdue', s.overdue, s.overdue ? 'tile-alert' : '')}
    </div>`;
}

export default function Dashboard({ meta, me }) {
    const [s, setS] = useState(null);
    const [err, setErr] = useState(null);
    const [overdue, setOverdue] = useState(null);
    const [depts, setDepts] = useState([]);
    const [cats, setCats] = useState([]);
    const [period, setPeriod] = useState('today');

    const load = async () => {
        setErr(null);
        try {
            let st = await fetchStats();
            if (!st || !st.today || !st.month) st = await computeStats();
            setS(st);
            const r = await get('/api/v1/applications?overdue=true&limit=100');
            setOverdue(r.items.sort((a, b) => Date.parse(a.resolution_due) - Date.parse(b.resolution_due)));
        } catch (e) {
            setErr(e);
        }
    };
    useEffect(() => {
        load();
        getDepartments().then(setDepts).catch(() => {});
        getCategories().then(setCats).catch(() => {});
    }, []);

    if (err) return html`<div class="page"><h1>${t('dash.title')}</h1><${Banner} error=${err} /></div>`;
    if (!s) return html`<div class="page"><h1>${t('dash.title')}</h1><${Loading} /></div>`;
    const b = s[period] || { by_status: {}, by_department: {}, by_channel: {} };
    const statuses = (meta && meta.statuses) || Object.keys(b.by_status || {});
    const deptEntries = Object.entries(b.by_department || {}).sort((x, y) => y[1] - x[1]);
    const chanEntries = Object.entries(b.by_channel || {}).sort((x, y) => y[1] - x[1]);
    const lang = getLang();
    return html`<div class="page page-wide dashboard">
        <div class="page-head">
            <h1>${t('dash.title')}</h1>
            <button type="button" class="btn btn-secondary" onClick=${load}>${t('dash.refresh')}</button>
        </div>
        ${s.computed && html`<p class="banner banner-info">${t('dash.computed')}</p>`}
        <${Tiles} s=${s} />
        <div class="seg" role="group" aria-label=${t('dash.total')}>
            ${['today', 'month'].map((p) => html`<button type="button" class=${`btn ${period === p ? 'btn-primary' : 'btn-secondary'}`}
                aria-pressed=${period === p ? 'true' : 'false'} onClick=${() => setPeriod(p)}>${t(`dash.${p}`)} (${fmtNumber(s[p] ? s[p].total : 0)})</button>`)}
        </div>
        <div class="charts" key=${`${period}-${lang}`}>
            <${ChartBox} id="ch-status" type="doughnut" title=${t('dash.byStatus')}
                labels=${statuses.map((x) => label('status', x))} values=${statuses.map((x) => (b.by_status || {})[x] || 0)}
                colors=${statuses.map((x) => STATUS_COLORS[x] || '#525252')} />
            <${ChartBox} id="ch-channel" type="bar" title=${t('dash.byChannel')}
                labels=${chanEntries.map(([c]) => label('channel', c))} values=${chanEntries.map(([, n]) => n)} />
            <${ChartBox} id="ch-dept" type="bar" horizontal wide title=${t('dash.byDepartment')}
                labels=${deptEntries.map(([c]) => shortDept(nameOf(byCode(depts, c))) || c)} values=${deptEntries.map(([, n]) => n)} />
        </div>
        ${me && ['supervisor', 'admin'].includes(me.role) && html`<${CallKpis} />`}
        <section class="card" aria-labelledby="od-h">
            <h2 id="od-h">${t('dash.overdueList')} ${overdue && html`<span class="count">(${overdue.length})</span>`}</h2>
            ${!overdue ? html`<${Loading} />` : overdue.length === 0 ? html`<p class="muted">${t('dash.noOverdue')}</p>` : html`<div class="table-wrap"><table class="apps">
                <thead><tr><th scope="col">${t('list.tracking')}</th><th scope="col">${t('field.category')}</th><th scope="col">${t('field.department')}</th>
                    <th scope="col">${t('field.status')}</th><th scope="col">${t('list.due')}</th></tr></thead>
                <tbody>${overdue.map((a) => html`<tr class="row-overdue">
                    <td data-label=${t('list.tracking')}><a class="mono" href=${`/basvurular/${a.id}`}>${a.tracking}</a></td>
                    <td data-label=${t('field.category')}>${nameOf(byCode(cats, a.category)) || a.category || t('common.none')}</td>
                    <td data-label=${t('field.department')}>${nameOf(byCode(depts, a.department)) || a.department || t('common.none')}</td>
                    <td data-label=${t('field.status')}><${StatusBadge} status=${a.status} /></td>
                    <td data-label=${t('list.due')}>${fmtDateTime(a.resolution_due)} <${OverdueBadge} app=${a} /></td>
                </tr>`)}</tbody></table></div>`}
        </section>
    </div>`;
}
