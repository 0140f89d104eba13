// The supervisor's home (issue 14 item 10): figures for a period (last 7 days by default; today,
// 30 days, this month or any dates), the daily trend of applications registered and resolved,
// the on-time share by department, figures per person, tiles that open the application list
// with the same filter, the overdue list and the call KPIs (kpi-panel.js) for the same period.
// Live: a new application on the server's stream (GET /api/v1/live) reloads the figures; a
// timer does it every minute too. The server's clock decides "today" (GET /api/v1/stats "at").
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, label, fmtDateTime, fmtNumber, getLang } from '../i18n.js';
import { get, qs } from '../api.js';
import { Banner, Loading, StatusBadge, OverdueBadge } from '../ui.js';
import { getCategories, getDepartments, nameOf, byCode } from '../ref.js';
import { CallKpis } from '../kpi-panel.js';
import { loadChart } from '../chart-loader.js';
import { subscribe, onLiveState } from '../live.js';

const IST_OFFSET_MS = 3 * 3600 * 1000; // Europe/Istanbul is UTC+3 all year
const DAY_MS = 86400 * 1000;
const REFRESH_MS = 60 * 1000;
const LIVE_DELAY_MS = 800; // a burst of new applications is one reload
const MAX_DAYS = 366;

/** Start of today and of this month in Istanbul, as RFC 3339 UTC strings. */
export function istanbulStarts(now = Date.now()) {
    const local = new Date(now + IST_OFFSET_MS);
    const y = local.getUTCFullYear(), m = local.getUTCMonth(), d = local.getUTCDate();
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { today: iso(Date.UTC(y, m, d) - IST_OFFSET_MS), month: iso(Date.UTC(y, m, 1) - IST_OFFSET_MS) };
}

/** The Istanbul date (YYYY-MM-DD) of instant ms, and days added to a date. */
export function istanbulDate(ms) {
    return new Date(ms + IST_OFFSET_MS).toISOString().slice(0, 10);
}
export function addDays(date, n) {
    return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export const PERIODS = ['today', '7d', '30d', 'month', 'custom'];
/** The dates [from, to] of a period key on the server's day `today`. */
export function periodDates(key, today, custom) {
    if (key === 'today') return { from: today, to: today };
    if (key === '30d') return { from: addDays(today, -29), to: today };
    if (key === 'month') return { from: `${today.slice(0, 8)}01`, to: today };
    if (key === 'custom' && custom) return custom;
    return { from: addDays(today, -6), to: today };
}

// the badge colours of each status, so the chart reads like the lists
const STATUS_COLORS = { new: '#6b7280', forwarded: '#1d5fa8', in_progress: '#d08a00', resolved: '#1f8a45', closed: '#3f3f46', out_of_scope: '#7e3fb0', duplicate: '#a3a3a3' };

/** "Fen İşleri Dairesi Başkanlığı" → "Fen İşleri": short enough for a chart axis. */
export function shortDept(name) {
    return String(name || '').replace(/\s+(Dairesi Başkanlığı|Genel Müdürlüğü|Şube Müdürlüğü|Müdürlüğü|Department)$/u, '');
}

const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0f766e', '#a16207', '#be185d', '#4338ca', '#525252', '#0369a1', '#65a30d', '#9333ea', '#dc2626'];

function pct(x) {
    if (x === null || x === undefined) return '—';
    const v = new Intl.NumberFormat(getLang() === 'tr' ? 'tr-TR' : 'en-GB', { maximumFractionDigits: 0 }).format(x * 100);
    return getLang() === 'tr' ? `%${v}` : `${v}%`;
}

/** "2026-03-04" → "04.03" (or "04/03"): short enough for a trend axis. */
function shortDate(d) {
    return getLang() === 'tr' ? `${d.slice(8, 10)}.${d.slice(5, 7)}` : `${d.slice(8, 10)}/${d.slice(5, 7)}`;
}

/** One chart and, under it, the same figures as a table. datasets: [{label, values, color}]. */
function ChartBox({ id, title, type, labels, datasets, horizontal, colors, wide, tableId }) {
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
                    datasets: datasets.map((d) => ({
                        label: d.label, data: d.values,
                        backgroundColor: colors || d.color || (type === 'doughnut' ? PALETTE : '#0b5cad'),
                        borderColor: type === 'line' ? d.color : undefined,
                        borderWidth: type === 'doughnut' ? 1 : type === 'line' ? 2 : 0,
                        tension: 0, maxBarThickness: 56, pointRadius: labels.length > 40 ? 0 : 3,
                    })),
                },
                options: {
                    animation: false,
                    responsive: true,
                    maintainAspectRatio: false,
                    indexAxis: horizontal ? 'y' : 'x',
                    plugins: { legend: { display: type === 'doughnut' || datasets.length > 1, position: 'bottom' } },
                    scales: type === 'doughnut' ? {} : { x: { ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0, autoSkip: !horizontal } } },
                },
            });
        }).catch(() => setFailed(true));
        return () => { live = false; };
    }, [JSON.stringify(labels), JSON.stringify(datasets), type]);
    useEffect(() => () => { if (chart.current) chart.current.destroy(); }, []);
    const aria = `${title}: ${labels.map((l, i) => `${l} ${datasets.map((d) => d.values[i]).join('/')}`).join(', ')}`;
    return html`<figure class=${`card chart-card ${wide ? 'chart-wide' : ''}`} aria-labelledby=${`${id}-cap`}>
        <figcaption id=${`${id}-cap`}><h2 class="chart-title">${title}</h2></figcaption>
        ${!failed && html`<div class="chart" style=${`height:${horizontal ? Math.max(180, labels.length * 26) : 240}px`}>
            <canvas ref=${canvas} id=${id} role="img" aria-label=${aria}></canvas></div>`}
        <details open=${failed}><summary>${t('dash.table')}</summary>
            <table class="mini" id=${tableId}>
                ${datasets.length > 1 && html`<thead><tr><td></td>${datasets.map((d) => html`<th scope="col">${d.label}</th>`)}</tr></thead>`}
                <tbody>${labels.map((l, i) => html`<tr><th scope="row">${l}</th>${datasets.map((d) => html`<td>${fmtNumber(d.values[i])}</td>`)}</tr>`)}</tbody>
            </table>
        </details>
    </figure>`;
}

function Tile({ id, href, n, label: text, sub, alert }) {
    return html`<a id=${id} class=${`tile tile-link ${alert ? 'tile-alert' : ''}`} href=${href}>
        <span class="tile-n">${n}</span><span class="tile-l">${text}</span>${sub && html`<span class="tile-sub">${sub}</span>`}</a>`;
}

function PeriodPicker({ period, custom, onPick, onCustom, today }) {
    const [from, setFrom] = useState(custom ? custom.from : addDays(today, -6));
    const [to, setTo] = useState(custom ? custom.to : today);
    const [err, setErr] = useState('');
    const apply = (e) => {
        e.preventDefault();
        if (!from || !to) return setErr(t('dash.periodMissing'));
        if (from > to) return setErr(t('dash.periodReversed'));
        if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_DAYS) return setErr(t('dash.periodLong', { n: MAX_DAYS }));
        setErr('');
        onCustom({ from, to });
    };
    return html`<div class="dash-period">
        <div class="seg" role="group" aria-label=${t('dash.period')}>
            ${PERIODS.map((p) => html`<button type="button" class=${`btn ${period === p ? 'btn-primary' : 'btn-secondary'}`}
                aria-pressed=${period === p ? 'true' : 'false'} onClick=${() => onPick(p)}>${t(`dash.p.${p}`)}</button>`)}
        </div>
        ${period === 'custom' && html`<form class="dash-custom" onSubmit=${apply} noValidate>
            <label>${t('dash.from')} <input id="dash-from" type="date" value=${from} max=${today} onInput=${(e) => setFrom(e.currentTarget.value)} /></label>
            <label>${t('dash.to')} <input id="dash-to" type="date" value=${to} max=${today} onInput=${(e) => setTo(e.currentTarget.value)} /></label>
            <button type="submit" class="btn btn-primary">${t('dash.apply')}</button>
            ${err && html`<p class="field-error" role="alert">${err}</p>`}
        </form>`}
    </div>`;
}

export default function Dashboard({ meta, me }) {
    const [base, setBase] = useState(null); // GET /stats: the server's "at", open, overdue
    const [s, setS] = useState(null);
    const [err, setErr] = useState(null);
    const [overdue, setOverdue] = useState(null);
    const [depts, setDepts] = useState([]);
    const [cats, setCats] = useState([]);
    const [period, setPeriod] = useState('7d');
    const [custom, setCustom] = useState(null);
    const [liveState, setLiveState] = useState('closed');
    const [updated, setUpdated] = useState(null);
    const today = base ? istanbulDate(Date.parse(base.at)) : null;
    const dates = today ? periodDates(period, today, custom) : null;
    const datesRef = useRef(null);
    datesRef.current = dates;

    const load = async () => {
        const d = datesRef.current;
        if (!d) return;
        try {
            const st = await get(`/api/v1/stats${qs({ from: d.from, to: d.to })}`);
            const cur = datesRef.current;
            if (!cur || cur.from !== d.from || cur.to !== d.to) return; // a newer period was picked
            setS(st);
            setErr(null);
            setUpdated(st.at);
            const r = await get('/api/v1/applications?overdue=true&limit=100');
            setOverdue(r.items.sort((a, b) => Date.parse(a.resolution_due) - Date.parse(b.resolution_due)));
        } catch (e) {
            setErr(e);
        }
    };
    useEffect(() => {
        get('/api/v1/stats').then(setBase).catch(setErr);
        getDepartments().then(setDepts).catch(() => {});
        getCategories().then(setCats).catch(() => {});
    }, []);
    useEffect(() => { if (dates) load(); }, [dates && dates.from, dates && dates.to]);
    // live: new applications reload the figures (a short pause gathers a burst); a timer as well
    useEffect(() => {
        let timer = null;
        const soon = () => { clearTimeout(timer); timer = setTimeout(load, LIVE_DELAY_MS); };
        const stop = subscribe('application', soon);
        const stopState = onLiveState(setLiveState);
        const every = setInterval(load, REFRESH_MS);
        return () => { stop(); stopState(); clearInterval(every); clearTimeout(timer); };
    }, []);

    const head = html`<div class="page-head">
        <h1>${t('dash.title')}</h1>
        <p class="muted small dash-live" data-live=${liveState}>${liveState === 'open' ? t('dash.live') : t('dash.timer')}
            ${updated && html` · ${t('dash.updated', { at: fmtDateTime(updated) })}`}</p>
        <button type="button" class="btn btn-secondary" onClick=${load}>${t('dash.refresh')}</button>
    </div>`;
    if (err && !s) return html`<div class="page">${head}<${Banner} error=${err} /></div>`;
    if (!base) return html`<div class="page"><h1>${t('dash.title')}</h1><${Loading} /></div>`;

    const p = s && s.period;
    const deptName = (c) => (c ? shortDept(nameOf(byCode(depts, c))) || c : t('dash.unrouted'));
    const statuses = (meta && meta.statuses) || Object.keys((p && p.by_status) || {});
    const deptEntries = p ? Object.entries(p.by_department).sort((x, y) => y[1] - x[1]) : [];
    const chanEntries = p ? Object.entries(p.by_channel).sort((x, y) => y[1] - x[1]) : [];
    const onTime = p ? Object.entries(p.on_time).sort((x, y) => y[1].resolved - x[1].resolved) : [];
    // one definition of resolved (docs/DASHBOARD.md): answered, else closed, in the period —
    // the tile is the sum of the trend line's resolved days, and the on-time table counts the same
    const resolved = p ? p.trend.reduce((n, d) => n + d.resolved, 0) : 0;
    const inDeadline = onTime.reduce((n, [, v]) => n + v.in_deadline, 0);
    const range = dates ? `from=${dates.from}&to=${dates.to}` : '';
    const lang = getLang();
    const periodText = dates && (dates.from === dates.to ? dates.from : `${dates.from} – ${dates.to}`);
    return html`<div class="page page-wide dashboard">
        ${head}
        <${PeriodPicker} period=${period} custom=${custom} today=${today}
            onPick=${(k) => setPeriod(k)} onCustom=${(c) => { setCustom(c); setPeriod('custom'); }} />
        <${Banner} error=${err} />
        ${!p ? html`<${Loading} />` : html`
        <div class="tiles">
            <${Tile} id="tile-period" href=${`/basvurular?${range}`} n=${fmtNumber(p.total)} label=${t('dash.periodApps')} sub=${periodText} />
            <${Tile} id="tile-resolved" href=${`/basvurular?${range}&status=resolved,closed`} n=${fmtNumber(resolved)} label=${t('dash.resolved')}
                sub=${resolved ? t('dash.onTimeShare', { pct: pct(inDeadline / resolved) }) : t('dash.noneResolved')} />
            <${Tile} id="tile-open" href="/basvurular?status=new,forwarded,in_progress" n=${fmtNumber(s.open)} label=${t('dash.open')} sub=${t('dash.now')} />
            <${Tile} id="tile-overdue" href="/basvurular?overdue=true" n=${fmtNumber(s.overdue)} label=${t('dash.overdue')} sub=${t('dash.now')} alert=${s.overdue > 0} />
        </div>
        <div class="charts dash-charts" key=${`${dates.from}-${dates.to}-${lang}`}>
            <${ChartBox} id="ch-trend" tableId="ch-trend-table" type="line" wide title=${t('dash.trend')}
                labels=${p.trend.map((d) => shortDate(d.date))}
                datasets=${[{ label: t('dash.registered'), values: p.trend.map((d) => d.registered), color: '#0b5cad' },
                    { label: t('dash.resolvedDaily'), values: p.trend.map((d) => d.resolved), color: '#1f8a45' }]} />
            ${p.total === 0 ? html`<p class="card empty dash-empty chart-wide">${t('dash.emptyPeriod')}</p>` : html`
            <${ChartBox} id="ch-status" type="doughnut" title=${t('dash.byStatus')}
                labels=${statuses.filter((x) => p.by_status[x]).map((x) => label('status', x))}
                datasets=${[{ label: t('dash.byStatus'), values: statuses.filter((x) => p.by_status[x]).map((x) => p.by_status[x]) }]}
                colors=${statuses.filter((x) => p.by_status[x]).map((x) => STATUS_COLORS[x] || '#525252')} />
            <${ChartBox} id="ch-channel" type="bar" title=${t('dash.byChannel')}
                labels=${chanEntries.map(([c]) => label('channel', c))} datasets=${[{ label: t('dash.byChannel'), values: chanEntries.map(([, n]) => n) }]} />
            <${ChartBox} id="ch-dept" type="bar" horizontal title=${t('dash.byDepartment')}
                labels=${deptEntries.map(([c]) => deptName(c))} datasets=${[{ label: t('dash.byDepartment'), values: deptEntries.map(([, n]) => n) }]} />`}
            <section class=${`card ${p.total === 0 ? 'chart-wide' : ''}`} id="dash-ontime" aria-labelledby="ot-h">
                <h2 id="ot-h" class="chart-title">${t('dash.onTime')}</h2>
                ${onTime.length === 0 ? html`<p class="muted">${t('dash.noneResolved')}</p>` : html`<div class="table-wrap"><table class="mini ontime">
                    <thead><tr><th scope="col">${t('field.department')}</th><th scope="col">${t('dash.resolved')}</th>
                        <th scope="col">${t('dash.inDeadline')}</th><th scope="col">${t('dash.share')}</th></tr></thead>
                    <tbody>${onTime.map(([c, v]) => html`<tr><th scope="row">${deptName(c)}</th><td>${fmtNumber(v.resolved)}</td><td>${fmtNumber(v.in_deadline)}</td>
                        <td><span class="meter" aria-hidden="true"><span style=${`width:${Math.round((v.share || 0) * 100)}%`}></span></span> ${pct(v.share)}</td></tr>`)}</tbody>
                </table></div>`}
                <p class="muted small">${t('dash.onTimeNote')}</p>
            </section>
        </div>
        <section class="card" id="dash-agents" aria-labelledby="ag-h">
            <h2 id="ag-h">${t('dash.people')}</h2>
            ${p.agents.length === 0 ? html`<p class="muted">${t('dash.noPeople')}</p>` : html`<div class="table-wrap"><table class="mini people">
                <thead><tr><th scope="col">${t('dash.person')}</th><th scope="col">${t('dash.registered')}</th><th scope="col">${t('dash.closed')}</th>
                    ${p.agents.some((a) => a.calls_answered !== undefined) && html`<th scope="col">${t('dash.callsAnswered')}</th>`}</tr></thead>
                <tbody>${p.agents.slice().sort((a, b) => b.registered + b.closed - a.registered - a.closed).map((a) => html`<tr>
                    <th scope="row">${(a.name || '').replace(/\s*\([^)]*\)\s*$/, '') || a.username}</th><td>${fmtNumber(a.registered)}</td><td>${fmtNumber(a.closed)}</td>
                    ${a.calls_answered !== undefined && html`<td>${fmtNumber(a.calls_answered)}</td>`}</tr>`)}</tbody>
            </table></div>`}
        </section>`}
        ${me && ['supervisor', 'admin'].includes(me.role) && dates && html`<${CallKpis} from=${dates.from} to=${dates.to} />`}
        ${me && ['supervisor', 'admin'].includes(me.role) && dates && html`<${RoutingQuality} from=${dates.from} to=${dates.to} deptName=${deptName} />`}
        <section class="card" aria-labelledby="od-h">
            <h2 id="od-h">${t('dash.overdueList')} ${overdue && html`<span class="count">(${overdue.length})</span>`}</h2>
            ${!overdue ? html`<${Loading} />` : overdue.length === 0 ? html`<p class="muted">${t('dash.noOverdue')}</p>` : html`<div class="table-wrap"><table class="apps">
                <thead><tr><th scope="col">${t('list.tracking')}</th><th scope="col">${t('field.category')}</th><th scope="col">${t('field.department')}</th>
                    <th scope="col">${t('field.status')}</th><th scope="col">${t('list.due')}</th></tr></thead>
                <tbody>${overdue.map((a) => html`<tr class="row-overdue">
                    <td data-label=${t('list.tracking')}><a class="mono" href=${`/basvurular/${a.id}`}>${a.tracking}</a></td>
                    <td data-label=${t('field.category')}>${nameOf(byCode(cats, a.category)) || a.category || t('common.none')}</td>
                    <td data-label=${t('field.department')}>${a.department ? nameOf(byCode(depts, a.department)) || a.department : t('dash.unrouted')}</td>
                    <td data-label=${t('field.status')}><${StatusBadge} status=${a.status} /></td>
                    <td data-label=${t('list.due')}>${fmtDateTime(a.resolution_due)} <${OverdueBadge} app=${a} /></td>
                </tr>`)}</tbody></table></div>`}
        </section>
    </div>`;
}

// issue 13: production routing accuracy — the classifier's suggestion against the category the
// application ended up in — by week and by department, for the dashboard's period
function RoutingQuality({ from, to, deptName }) {
    const [q, setQ] = useState(null);
    const [err, setErr] = useState(null);
    useEffect(() => {
        let live = true;
        setErr(null);
        get(`/api/v1/routing/quality?${qs({ from, to })}`).then((r) => { if (live) setQ(r); }).catch((e) => { if (live) setErr(e); });
        return () => { live = false; };
    }, [from, to]);
    const share = (a, b) => (b ? `${Math.round((100 * a) / b)} %` : '–');
    const weeks = q ? Object.entries(q.by_week || {}).filter(([, v]) => v.n > 0) : [];
    const depts = q ? Object.entries(q.by_department || {}).sort((x, y) => y[1].n - x[1].n) : [];
    return html`<section class="card" id="dash-routing" aria-labelledby="rq-h">
        <h2 id="rq-h">${t('learn.quality')}</h2>
        <${Banner} error=${err} />
        ${!q ? !err && html`<${Loading} />` : q.routed === 0 ? html`<p class="muted">${t('learn.noQuality')}</p>` : html`<div class="row">
            <div class="table-wrap"><table class="mini routing-weeks">
                <thead><tr><th scope="col">${t('learn.week')}</th><th scope="col">${t('learn.routed')}</th><th scope="col">${t('learn.deptCorrect')}</th><th scope="col">${t('learn.catCorrect')}</th></tr></thead>
                <tbody>${weeks.map(([w, v]) => html`<tr><th scope="row">${w}</th><td>${fmtNumber(v.n)}</td><td>${share(v.correct, v.n)}</td><td>${share(v.category_correct, v.n)}</td></tr>`)}</tbody>
            </table></div>
            <div class="table-wrap"><table class="mini routing-depts">
                <thead><tr><th scope="col">${t('field.department')}</th><th scope="col">${t('learn.routed')}</th><th scope="col">${t('learn.deptCorrect')}</th></tr></thead>
                <tbody>${depts.map(([d, v]) => html`<tr><th scope="row">${deptName(d)}</th><td>${fmtNumber(v.n)}</td><td>${share(v.correct, v.n)}</td></tr>`)}</tbody>
            </table></div>
        </div>`}
    </section>`;
}
