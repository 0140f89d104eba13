// The Reports page (issue 11): the centre's figures for any period, from one call to
// GET /api/v1/reports/summary (docs/REPORTS.md): headline cards with the change against the
// same dates a year earlier, charts (Chart.js from /vendor/), applications by district on a
// map (Leaflet, circles at the district centres: the reference data has no polygons), then
// every table of the answer, rendered generically, each with CSV and Excel downloads from
// GET /api/v1/reports/export. Supervisors and admins see the centre; a manager sees their
// department (calls and contacts are null in the answer, so those cards and charts are left out).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, getLang } from '../i18n.js';
import { get, qs, isMissing } from '../api.js';
import { getDepartments, byCode, nameOf } from '../ref.js';
import { Banner } from '../ui.js';
import { centreOf } from '../districts.js';
import { loadChart } from '../chart-loader.js';
// map.js and config.js are loaded with the map (import()), so that this module needs nothing the
// console has not loaded already and the summary is asked for one round trip sooner
const mapModules = () => Promise.all([import('../map.js'), import('../config.js')]);

const IST_OFFSET_MS = 3 * 3600 * 1000; // Europe/Istanbul is UTC+3 all year
const DAY_MS = 86400 * 1000;
const MAX_DAYS = 366; // the endpoint refuses longer periods
const TABLE_ROWS = 20; // rows shown before "show all"

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The from/to (YYYY-MM-DD, inclusive, Istanbul days) of a preset period at time now. */
export function presetPeriod(preset, now = Date.now()) {
    const l = new Date(now + IST_OFFSET_MS);
    const y = l.getUTCFullYear(), m = l.getUTCMonth(), d = l.getUTCDate();
    switch (preset) {
        case 'lastYear': return { from: isoDay(Date.UTC(y - 1, 0, 1)), to: isoDay(Date.UTC(y - 1, 11, 31)) };
        case 'month': return { from: isoDay(Date.UTC(y, m, 1)), to: isoDay(Date.UTC(y, m, d)) };
        case 'lastMonth': return { from: isoDay(Date.UTC(y, m - 1, 1)), to: isoDay(Date.UTC(y, m, 0)) };
        default: return { from: isoDay(Date.UTC(y, 0, 1)), to: isoDay(Date.UTC(y, m, d)) }; // 'year': so far
    }
}

const PRESETS = ['year', 'lastYear', 'month', 'lastMonth', 'custom'];

/** null when from..to is a period the endpoint accepts, else the i18n key of the problem. */
export function periodProblem(from, to) {
    const ok = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '') && isoDay(Date.parse(`${s}T00:00:00Z`) || 0) === s;
    if (!ok(from) || !ok(to)) return 'rep.badDate';
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
    if (days < 1) return 'rep.reversed';
    if (days > MAX_DAYS) return 'rep.tooLong';
    return null;
}

// ---- numbers: Turkish first (1.059.219, %93,96, 3,5), English in English mode ----
const loc = () => (getLang() === 'tr' ? 'tr-TR' : 'en-GB');
const missing = (v) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
const NONE = '—';
export const fmt = {
    int: (v) => (missing(v) ? NONE : new Intl.NumberFormat(loc(), { maximumFractionDigits: 0 }).format(v)),
    pct: (v) => (missing(v) ? NONE : new Intl.NumberFormat(loc(), { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v)),
    num: (v) => (missing(v) ? NONE : new Intl.NumberFormat(loc(), { maximumFractionDigits: 1 }).format(v)),
    days: (v) => (missing(v) ? NONE : new Intl.NumberFormat(loc(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v)),
};
const fmtType = (type, v) => (fmt[type] || fmt.num)(v);
/** An axis tick of a share in percent (0..100): "%90". */
const tickPct = (v) => new Intl.NumberFormat(loc(), { style: 'percent', maximumFractionDigits: 0 }).format(v / 100);
/** A category label short enough for a chart axis ("Fen İşleri Dairesi Başkanlığı" → "Fen İşleri"). */
function axisLabel(l) {
    // as shortDept of dashboard.js (not imported: that would load the dashboard's module too)
    const s = String(l || '').replace(/\s+(Dairesi Başkanlığı|Genel Müdürlüğü|Şube Müdürlüğü|Müdürlüğü|Department)$/u, '');
    return s.length > 28 ? `${s.slice(0, 27)}…` : s;
}

/** "1 Ocak 2026" of a YYYY-MM-DD. */
function fmtDay(s) {
    const ms = Date.parse(`${s}T00:00:00Z`);
    if (!Number.isFinite(ms)) return s || NONE;
    return new Intl.DateTimeFormat(loc(), { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(ms);
}

/** The change of a count against last year: "▲ %12,3", "▼ %4,0", "=". */
function relChange(cur, prev) {
    if (missing(cur) || missing(prev) || prev === 0) return '';
    const r = (cur - prev) / prev;
    if (Math.abs(r) < 0.0005) return '=';
    const s = new Intl.NumberFormat(loc(), { style: 'percent', maximumFractionDigits: 1 }).format(Math.abs(r));
    return `${r > 0 ? '▲' : '▼'} ${s}`;
}

/** The change of a share against last year, in percentage points: "▲ 2,8 puan". */
function pointChange(cur, prev) {
    if (missing(cur) || missing(prev)) return '';
    const p = (cur - prev) * 100;
    if (Math.abs(p) < 0.05) return '=';
    return `${p > 0 ? '▲' : '▼'} ${t('rep.points', { n: new Intl.NumberFormat(loc(), { maximumFractionDigits: 1 }).format(Math.abs(p)) })}`;
}

// ---- the summary's tables ----
function table(data, name) {
    return (data && Array.isArray(data.tables) && data.tables.find((x) => x.name === name)) || null;
}
function colIndex(tb, key) {
    return tb ? tb.columns.findIndex((c) => c.key === key) : -1;
}
function colTitle(tb, key, fallback) {
    const i = colIndex(tb, key);
    return i >= 0 ? tb.columns[i].title : fallback;
}
/** {labels, values} of one column of a table (rows whose value is null are left out). */
function series(tb, key, scale = 1) {
    const i = colIndex(tb, key);
    const out = { labels: [], values: [] };
    if (i < 0) return out;
    for (const r of tb.rows) {
        const v = r.values[i];
        if (missing(v)) continue;
        out.labels.push(r.label || r.key);
        out.values.push(v * scale);
    }
    return out;
}

/** True when the period has nothing to report: no call, no contact, no application. */
export function isEmpty(d) {
    const calls = d.calls ? d.calls.offered || 0 : 0;
    const contacts = d.contacts ? d.contacts.total || 0 : 0;
    const apps = d.applications ? d.applications.total || 0 : 0;
    return calls + contacts + apps === 0;
}

/** The name a download is saved under (the server's Content-Disposition wins when it sends one). */
export function fileName(period, format, name) {
    return `alo153-rapor-${period.from}-${period.to}${name ? `-${name}` : ''}.${format}`;
}

/** A manager's scope as a name: the answer may carry the department's code or a record. */
function scopeName(d, depts) {
    if (d && typeof d === 'object') return nameOf(d) || d.code || '';
    return nameOf(byCode(depts, d)) || String(d);
}

export function exportUrl(period, format, name) {
    return `/api/v1/reports/export${qs({ from: period.from, to: period.to, format, table: name, lang: getLang() })}`;
}

// ---- Chart.js, loaded on demand ----

const BLUE = '#0b5cad', ORANGE = '#c2410c', GREEN = '#15803d';
const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0f766e', '#a16207', '#be185d', '#4338ca', '#525252'];

/** One chart with its data as a table under it (for screen readers, and when Chart.js fails). */
function ChartCard({ id, title, config, rows, height = 260, wide }) {
    const canvas = useRef(null);
    const chart = useRef(null);
    const [failed, setFailed] = useState(false);
    const sig = JSON.stringify(config.data) + getLang();
    useEffect(() => {
        let live = true;
        loadChart().then((Chart) => {
            if (!live || !canvas.current) return;
            if (chart.current) chart.current.destroy();
            const o = config.options || {};
            chart.current = new Chart(canvas.current, {
                ...config,
                options: { animation: false, responsive: true, maintainAspectRatio: false, locale: loc(), ...o },
            });
        }).catch(() => setFailed(true));
        return () => { live = false; };
    }, [sig]);
    useEffect(() => () => { if (chart.current) chart.current.destroy(); }, []);
    return html`<figure class=${`card chart-card ${wide ? 'chart-wide' : ''}`} aria-labelledby=${`${id}-cap`}>
        <figcaption id=${`${id}-cap`}><h2 class="chart-title">${title}</h2></figcaption>
        ${!failed && html`<div class="chart" style=${`height:${height}px`}>
            <canvas ref=${canvas} id=${id} role="img" aria-label=${`${title}: ${rows.map((r) => r.join(' ')).join('; ')}`}></canvas></div>`}
        <details open=${failed} class="chart-data"><summary>${t('dash.table')}</summary>
            <table class="mini"><tbody>${rows.map(([l, ...vs]) => html`<tr><th scope="row">${l}</th>${vs.map((v) => html`<td class="num">${v}</td>`)}</tr>`)}</tbody></table>
        </details>
    </figure>`;
}

function barConfig(s, { horizontal = false, color = BLUE, pct = false, label = '' } = {}) {
    const valueAxis = { beginAtZero: true, ticks: pct ? { callback: tickPct } : { precision: 0 } };
    const catAxis = { ticks: { autoSkip: false, callback(v) { return axisLabel(this.getLabelForValue(v)); } } };
    if (pct) valueAxis.max = 100;
    return {
        type: 'bar',
        data: { labels: s.labels, datasets: [{ label, data: s.values, backgroundColor: color, borderWidth: 0 }] },
        options: {
            indexAxis: horizontal ? 'y' : 'x',
            plugins: { legend: { display: false }, tooltip: pct ? { callbacks: { label: (c) => fmt.pct(c.parsed[horizontal ? 'x' : 'y'] / 100) } } : {} },
            scales: horizontal ? { x: valueAxis, y: catAxis } : { y: valueAxis, x: catAxis },
        },
    };
}

function Charts({ data }) {
    const charts = [];
    const byMonth = table(data, 'by_month');
    if (byMonth && byMonth.rows.length) {
        const labels = byMonth.rows.map((r) => r.label || r.key);
        const col = (k) => { const i = colIndex(byMonth, k); return byMonth.rows.map((r) => (i < 0 || missing(r.values[i]) ? null : r.values[i])); };
        if (data.calls) {
            const offered = col('calls_offered'), answered = col('calls_answered'), rate = col('answer_rate');
            charts.push(html`<${ChartCard} id="ch-month" wide title=${t('rep.chMonth')}
                rows=${labels.map((l, i) => [l, fmt.int(offered[i]), fmt.int(answered[i]), fmt.pct(rate[i])])}
                config=${{
                    type: 'bar',
                    data: {
                        labels,
                        datasets: [
                            { label: colTitle(byMonth, 'calls_offered', t('rep.offered')), data: offered, backgroundColor: '#9db9d9', yAxisID: 'y', order: 2 },
                            { label: colTitle(byMonth, 'calls_answered', t('rep.answered')), data: answered, backgroundColor: BLUE, yAxisID: 'y', order: 2 },
                            { type: 'line', label: colTitle(byMonth, 'answer_rate', t('rep.answerRate')), data: rate.map((v) => (v === null ? null : v * 100)),
                                borderColor: ORANGE, backgroundColor: ORANGE, yAxisID: 'y1', order: 1, tension: 0.2, pointRadius: 3 },
                        ],
                    },
                    options: {
                        interaction: { mode: 'index', intersect: false },
                        plugins: { legend: { position: 'bottom' } },
                        scales: {
                            y: { beginAtZero: true, position: 'left', ticks: { precision: 0 }, title: { display: true, text: t('rep.calls') } },
                            y1: { min: 0, max: 100, position: 'right', grid: { drawOnChartArea: false }, ticks: { callback: tickPct },
                                title: { display: true, text: t('rep.answerRate') } },
                        },
                    },
                }} />`);
        } else {
            const s = series(byMonth, 'applications');
            charts.push(html`<${ChartCard} id="ch-month" wide title=${t('rep.chMonthApps')} rows=${s.labels.map((l, i) => [l, fmt.int(s.values[i])])}
                config=${barConfig(s, { label: t('rep.applications') })} />`);
        }
    }
    const outcome = table(data, 'contacts_by_outcome');
    if (data.contacts && outcome && outcome.rows.length) {
        const s = series(outcome, 'contacts');
        charts.push(html`<${ChartCard} id="ch-outcome" title=${t('rep.chOutcome')} rows=${s.labels.map((l, i) => [l, fmt.int(s.values[i])])}
            config=${{
                type: 'doughnut',
                data: { labels: s.labels, datasets: [{ data: s.values, backgroundColor: PALETTE, borderWidth: 1 }] },
                options: { plugins: { legend: { position: 'bottom' } } },
            }} />`);
    }
    const bars = [
        ['by_channel', 'applications', 'ch-channel', 'rep.chChannel', false, BLUE],
        ['by_department', 'applications', 'ch-dept', 'rep.chDepartment', true, BLUE],
        ['by_category', 'applications', 'ch-cat', 'rep.chCategory', true, '#0f766e'],
    ];
    for (const [name, key, id, title, horizontal, color] of bars) {
        const tb = table(data, name);
        if (!tb || !tb.rows.length) continue;
        const s = series(tb, key);
        const h = horizontal ? Math.max(200, s.labels.length * 24 + 40) : 260;
        charts.push(html`<${ChartCard} id=${id} title=${t(title)} wide=${horizontal} height=${h} rows=${s.labels.map((l, i) => [l, fmt.int(s.values[i])])}
            config=${barConfig(s, { horizontal, color, label: t('rep.applications') })} />`);
    }
    const sla = table(data, 'sla_by_department');
    if (sla && sla.rows.length) {
        const s = series(sla, 'in_deadline_share', 100);
        if (s.labels.length) {
            charts.push(html`<${ChartCard} id="ch-sla" wide title=${t('rep.chSla')} height=${Math.max(200, s.labels.length * 24 + 40)}
                rows=${s.labels.map((l, i) => [l, fmt.pct(s.values[i] / 100)])}
                config=${barConfig(s, { horizontal: true, color: GREEN, pct: true, label: t('rep.inDeadline') })} />`);
        }
    }
    if (!charts.length) return null;
    return html`<div class="charts report-charts">${charts}</div>`;
}

// ---- the map: circles at the district centres, coloured by the count or per 10,000 ----
// The district centres are in ../districts.js (the detail page and the forms use them too).
const SCALE = ['#fde7c7', '#f9b97a', '#ef8440', '#d2541b', '#a33a0f']; // light to dark: few to many
const ZERO = '#d4d4d8';
const LABELS_MAX = 20; // more districts than this (İstanbul): names on hover and in the table
export { centreOf };

/** 1, 2, 5, 10, 20, 50… at or above x. */
function niceStep(x) {
    const p = 10 ** Math.floor(Math.log10(Math.max(1, x)));
    return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= x);
}

/** Up to five classes of equal, round width from 0 to max (0 itself has its own grey). */
export function bins(max) {
    const step = niceStep(Math.max(1, Math.ceil(max / SCALE.length)));
    return SCALE.map((c, i) => ({ lo: i * step, hi: Math.min(max, (i + 1) * step), color: c }))
        .filter((b, i) => i === 0 || b.lo < max);
}
/** The colour of value v in classes: grey for 0 or none. */
export function classColor(classes, v) {
    if (missing(v) || v <= 0) return ZERO;
    const b = classes.find((c) => v > c.lo && v <= c.hi) || classes[classes.length - 1];
    return b.color;
}
/** A legend class as text: counts from lo + 1 ("1–200"), shares from lo ("0–50"). */
const binText = (b, f, whole) => `${f(whole ? b.lo + 1 : b.lo)}–${f(b.hi)}`;

/** The district rows of the summary with their count, population, per 10,000 and centre. */
function districtRows(data) {
    const tb = table(data, 'by_district');
    if (!tb) return [];
    const ia = colIndex(tb, 'applications'), ip = colIndex(tb, 'population'), ik = colIndex(tb, 'per_10k');
    const v = (r, i) => (i < 0 || missing(r.values[i]) ? null : r.values[i]);
    return tb.rows.filter((r) => r.key !== '').map((r) => ({
        name: r.label || r.key, n: v(r, ia) || 0, pop: v(r, ip), per: v(r, ik), c: centreOf(r.label || r.key),
    }));
}

/** The neighbourhood rows (top 50 of the period) of one district: label "District / Name". */
function neighbourhoodsOf(data, district) {
    const tb = table(data, 'by_neighbourhood');
    if (!tb) return [];
    const i = colIndex(tb, 'applications');
    const pre = `${district} / `;
    return tb.rows.filter((r) => (r.label || '').startsWith(pre))
        .map((r) => ({ name: r.label.slice(pre.length), n: missing(r.values[i]) ? 0 : r.values[i] }));
}

function DistrictMap({ data }) {
    const rows = districtRows(data);
    const box = useRef(null);
    const [failed, setFailed] = useState(false);
    const [tiles, setTiles] = useState('');
    const hasPer = rows.some((r) => r.per !== null);
    const [metric, setMetric] = useState('n');
    const [picked, setPicked] = useState('');
    const m = metric === 'per' && hasPer ? 'per' : 'n';
    const f = m === 'per' ? fmt.num : fmt.int;
    const points = rows.filter((r) => r.c);
    const unplaced = rows.filter((r) => !r.c && r.n > 0).map((r) => r.name);
    const max = points.reduce((a, p) => Math.max(a, p[m] || 0), 0);
    const classes = bins(max);
    const ranked = rows.filter((r) => (r[m] || 0) > 0).sort((a, b) => b[m] - a[m]);
    const district = picked || (ranked[0] && ranked[0].name) || '';
    const nbs = neighbourhoodsOf(data, district);
    const nbMax = nbs.reduce((a, p) => Math.max(a, p.n), 0);
    const nbClasses = bins(nbMax);
    const sig = JSON.stringify(points) + m + getLang();
    useEffect(() => {
        if (!points.length) return undefined;
        let map = null;
        let live = true;
        mapModules().then(([mm, cfg]) => mm.loadLeaflet().then((L) => {
            if (!live || !box.current) return;
            const url = cfg.getTileUrl();
            setTiles(url);
            map = L.map(box.current, { attributionControl: !!url, zoomControl: true, scrollWheelZoom: false, zoomSnap: 0.25 });
            if (url) L.tileLayer(url, { maxZoom: 19, attribution: cfg.getTileAttribution() }).addTo(map);
            const group = [];
            const labels = points.length <= LABELS_MAX;
            for (const p of points) {
                const v = p[m] || 0;
                const radius = v > 0 ? 5 + 15 * Math.sqrt(v / Math.max(1, max)) : 4;
                const mk = L.circleMarker([p.c[0], p.c[1]], {
                    radius, color: '#5b2a0a', weight: 1, fillColor: classColor(classes, v), fillOpacity: 0.85,
                }).addTo(map);
                const dir = p.c[2] || 'right';
                const off = { right: [radius, 0], left: [-radius, 0], top: [0, -radius], bottom: [0, radius] }[dir];
                mk.bindTooltip(`${p.name}: ${f(v)}`, { permanent: labels, direction: dir, offset: off, className: 'map-label' });
                mk.on('click', () => setPicked(p.name));
                group.push([p.c[0], p.c[1]]);
            }
            map.fitBounds(L.latLngBounds(group).pad(0.08));
        })).catch(() => setFailed(true));
        return () => {
            live = false;
            if (map) map.remove();
        };
    }, [sig]);
    if (!rows.length) return null;
    const total = points.reduce((a, p) => a + p.n, 0);
    const title = m === 'per' ? t('rep.mapTitlePer') : t('rep.mapTitle');
    return html`<section class="card report-map" aria-labelledby="rep-map-h">
        <h2 id="rep-map-h" class="chart-title">${title}</h2>
        ${hasPer && html`<fieldset class="map-metric"><legend class="sr-only">${t('rep.mapMetric')}</legend>
            <label><input type="radio" name="rep-map-metric" value="n" checked=${m === 'n'} onChange=${() => setMetric('n')} /> ${t('rep.mapByCount')}</label>
            <label><input type="radio" name="rep-map-metric" value="per" checked=${m === 'per'} onChange=${() => setMetric('per')} /> ${t('rep.mapByPer10k')}</label>
        </fieldset>`}
        ${points.length === 0 ? html`<p class="muted">${t('rep.mapNoCentres')}</p>` : html`
            <p class="hint">${m === 'per' ? t('rep.mapHintPer') : t('rep.mapHint')}</p>
            <div class="report-map-body">
            ${!failed && html`<div class="map report-mapbox ${tiles ? '' : 'map-blank'}" ref=${box} role="region"
                aria-label=${`${title}: ${ranked.filter((p) => p.c).map((p) => `${p.name} ${f(p[m])}`).join(', ')}`}></div>`}
            <div class="map-side">
                <h3 class="map-side-h">${m === 'per' ? t('rep.legendPer') : t('rep.legend')}</h3>
                <ul class="map-legend" data-metric=${m}>
                    <li><span class="swatch" style=${`background:${ZERO}`}></span>0</li>
                    ${classes.map((b) => html`<li><span class="swatch" style=${`background:${b.color}`}></span>${binText(b, f, m === 'n')}</li>`)}
                </ul>
                <h3 class="map-side-h">${m === 'per' ? t('rep.mapTopPer') : t('rep.mapTop')}</h3>
                <ol class="map-top">${ranked.slice(0, 5).map((p) => html`<li><span>${p.name}</span> <span class="num">${f(p[m])}</span></li>`)}</ol>
            </div>
            </div>
            <p class="hint">${t('rep.mapTotal', { n: fmt.int(total) })}${unplaced.length ? ` ${t('rep.mapUnplaced', { names: unplaced.join(', ') })}` : ''}</p>`}
        <details open=${failed || points.length === 0} class="chart-data map-table"><summary>${t('dash.table')}</summary>
            <table class="mini"><thead><tr><th scope="col">${t('rep.mapDistrict')}</th><th scope="col" class="num">${t('rep.legend')}</th>
                <th scope="col" class="num">${t('rep.mapPopulation')}</th><th scope="col" class="num">${t('rep.legendPer')}</th></tr></thead>
            <tbody>${rows.map((r) => html`<tr><th scope="row"><span class="swatch" style=${`background:${classColor(classes, r[m])}`}></span> ${r.name}</th>
                <td class="num">${fmt.int(r.n)}</td><td class="num">${fmt.int(r.pop)}</td><td class="num">${fmt.num(r.per)}</td></tr>`)}</tbody></table>
        </details>
        <div class="map-nb">
            <label>${t('rep.mapNbOf')} <select value=${district} onChange=${(e) => setPicked(e.target.value)}>
                ${rows.map((r) => html`<option value=${r.name}>${r.name}</option>`)}</select></label>
            ${nbs.length === 0 ? html`<p class="muted">${t('rep.mapNbNone')}</p>` : html`
            <table class="mini map-nb-table"><caption class="sr-only">${t('rep.mapNbCaption', { d: district })}</caption>
                <thead><tr><th scope="col">${t('rep.mapNeighbourhood')}</th><th scope="col" class="num">${t('rep.legend')}</th></tr></thead>
                <tbody>${nbs.map((r) => html`<tr><th scope="row"><span class="swatch" style=${`background:${classColor(nbClasses, r.n)}`}></span> ${r.name}</th><td class="num">${fmt.int(r.n)}</td></tr>`)}</tbody></table>`}
            <p class="hint">${t('rep.mapNbHint')}</p>
        </div>
    </section>`;
}

// ---- headline cards ----
function Card({ k, title, value, sub, change, alert, words }) {
    return html`<div class=${`tile kpi ${alert ? 'tile-alert' : ''} ${words ? 'kpi-words' : ''}`} data-k=${k}>
        <span class="tile-l">${title}</span>
        <span class="tile-n kpi-n">${value}</span>
        ${sub && html`<span class="kpi-sub">${sub}</span>`}
        ${change && html`<span class="kpi-change">${change}</span>`}
    </div>`;
}

function Cards({ data }) {
    const c = data.calls, ct = data.contacts, a = data.applications || {}, prev = data.previous;
    const last = (v, ch) => (prev ? `${t('rep.lastYear', { v })}${ch ? ` · ${ch}` : ''}` : null);
    const cards = [];
    if (c) {
        cards.push(html`<${Card} k="calls_answered" title=${t('rep.callsAnswered')} value=${fmt.int(c.answered)}
            sub=${t('rep.ofOffered', { n: fmt.int(c.offered) })}
            change=${prev && prev.calls ? last(fmt.int(prev.calls.answered), relChange(c.answered, prev.calls.answered)) : null} />`);
        cards.push(html`<${Card} k="answer_rate" title=${t('rep.answerRate')} value=${fmt.pct(c.answer_rate)}
            sub=${t('rep.abandoned', { n: fmt.int(c.abandoned) })}
            change=${prev && prev.calls ? last(fmt.pct(prev.calls.answer_rate), pointChange(c.answer_rate, prev.calls.answer_rate)) : null} />`);
    }
    if (ct) {
        const o = ct.by_outcome || {};
        const forwarded = (o.application || 0) + (o.followup || 0);
        cards.push(html`<${Card} k="instant_info" title=${t('rep.instantVsForwarded')} value=${`${fmt.int(o.instant_info || 0)} / ${fmt.int(forwarded)}`}
            sub=${t('rep.instantShare', { p: fmt.pct(ct.instant_info_share) })}
            change=${prev ? last(`${fmt.int(prev.instant_info)} / ${fmt.int(prev.forwarded)}`, relChange(o.instant_info || 0, prev.instant_info)) : null} />`);
    }
    cards.push(html`<${Card} k="applications" title=${t('rep.applications')} value=${fmt.int(a.total)}
        sub=${t('rep.resolvedOf', { n: fmt.int(a.resolved) })}
        change=${prev ? last(fmt.int(prev.applications), relChange(a.total, prev.applications)) : null} />`);
    cards.push(html`<${Card} k="in_deadline" title=${t('rep.inDeadline')} value=${fmt.pct(a.in_deadline_share)}
        sub=${t('rep.inDeadlineOf', { n: fmt.int(a.resolved_in_deadline), m: fmt.int(a.resolved) })} />`);
    const wd = a.resolution_wd || {};
    cards.push(html`<${Card} k="resolution_wd" title=${t('rep.resolutionWd')} value=${`${fmt.days(wd.median)} / ${fmt.days(wd.p90)}`}
        sub=${t('rep.workdays')} />`);
    cards.push(html`<${Card} k="overdue_now" title=${t('rep.overdueNow')} value=${fmt.int(a.overdue_now)} alert=${a.overdue_now > 0}
        sub=${t('rep.openNow', { n: fmt.int(a.open_now) })} />`);
    const s = data.satisfaction;
    cards.push(s
        ? html`<${Card} k="satisfaction" title=${t('rep.satisfaction')} value=${fmt.pct(s.satisfied_share)} sub=${t('rep.answers', { n: fmt.int(s.answers) })} />`
        : html`<${Card} k="satisfaction" title=${t('rep.satisfaction')} value=${t('rep.noSurvey')} words />`);
    return html`<div class="tiles kpis" aria-label=${t('rep.headline')} role="group">${cards}</div>`;
}

// ---- every table of the answer ----
function ReportTable({ tb, period }) {
    const [all, setAll] = useState(false);
    const rows = all ? tb.rows : tb.rows.slice(0, TABLE_ROWS);
    const id = `rt-${tb.name}`;
    return html`<section class=${`card report-table ${tb.columns.length > 2 ? 'report-table-wide' : ''}`} aria-labelledby=${`${id}-h`} data-table=${tb.name}>
        <div class="report-table-head">
            <h2 id=${`${id}-h`} class="chart-title">${tb.title}</h2>
            <span class="dl-links">
                <a class="btn btn-secondary btn-small" href=${exportUrl(period, 'csv', tb.name)} download=${fileName(period, 'csv', tb.name)} data-native>${t('rep.csv')}</a>
                <a class="btn btn-secondary btn-small" href=${exportUrl(period, 'xlsx', tb.name)} download=${fileName(period, 'xlsx', tb.name)} data-native>${t('rep.xlsx')}</a>
            </span>
        </div>
        ${tb.rows.length === 0 ? html`<p class="muted">${t('rep.noRows')}</p>` : html`<div class="table-wrap"><table class="report">
            <thead><tr><th scope="col">${tb.key.title}</th>${tb.columns.map((c) => html`<th scope="col" class=${c.type === 'text' ? '' : 'num'}>${c.title}</th>`)}</tr></thead>
            <tbody>${rows.map((r) => html`<tr><th scope="row">${r.label || r.key}</th>
                ${tb.columns.map((c, i) => html`<td class=${c.type === 'text' ? '' : 'num'}>${c.type === 'text' ? r.values[i] ?? NONE : fmtType(c.type, r.values[i])}</td>`)}</tr>`)}</tbody>
        </table></div>`}
        ${tb.rows.length > TABLE_ROWS && html`<button type="button" class="btn btn-link more-rows" aria-expanded=${all ? 'true' : 'false'}
            onClick=${() => setAll(!all)}>${all ? t('rep.fewerRows') : t('rep.allRows', { n: fmt.int(tb.rows.length) })}</button>`}
    </section>`;
}

// ---- the period picker ----
function PeriodPicker({ period, onChange }) {
    const [preset, setPreset] = useState(period.preset);
    const [from, setFrom] = useState(period.from);
    const [to, setTo] = useState(period.to);
    const [problem, setProblem] = useState(null);
    useEffect(() => { setPreset(period.preset); setFrom(period.from); setTo(period.to); }, [period.preset, period.from, period.to]);
    const choose = (p) => {
        setPreset(p);
        setProblem(null);
        if (p !== 'custom') onChange({ preset: p, ...presetPeriod(p) });
    };
    const apply = (e) => {
        e.preventDefault();
        const pr = periodProblem(from, to);
        setProblem(pr);
        if (!pr) onChange({ preset: 'custom', from, to });
    };
    return html`<form class="report-controls" onSubmit=${apply} aria-label=${t('rep.period')}>
        <div class="field">
            <label for="rep-preset">${t('rep.period')}</label>
            <select id="rep-preset" value=${preset} onChange=${(e) => choose(e.currentTarget.value)}>
                ${PRESETS.map((p) => html`<option value=${p}>${t(`rep.p.${p}`)}</option>`)}
            </select>
        </div>
        ${preset === 'custom' && html`
            <div class="field"><label for="rep-from">${t('rep.from')}</label>
                <input id="rep-from" type="date" value=${from} onInput=${(e) => setFrom(e.currentTarget.value)} aria-invalid=${problem ? 'true' : undefined} aria-describedby=${problem ? 'rep-period-err' : undefined} /></div>
            <div class="field"><label for="rep-to">${t('rep.to')}</label>
                <input id="rep-to" type="date" value=${to} onInput=${(e) => setTo(e.currentTarget.value)} aria-invalid=${problem ? 'true' : undefined} aria-describedby=${problem ? 'rep-period-err' : undefined} /></div>
            <div class="field field-btn"><button type="submit" class="btn btn-primary">${t('rep.show')}</button></div>`}
        ${problem && html`<p class="field-error" id="rep-period-err" role="alert"><span class="icon" aria-hidden="true">⚠</span> ${t(problem)}</p>`}
    </form>`;
}

function initialPeriod(route) {
    const q = route && route.query;
    const from = q && q.get('from'), to = q && q.get('to');
    if (from && to && !periodProblem(from, to)) {
        const p = PRESETS.find((x) => x !== 'custom' && presetPeriod(x).from === from && presetPeriod(x).to === to);
        return { preset: p || 'custom', from, to };
    }
    return { preset: 'year', ...presetPeriod('year') };
}

// The summary of the address's period is asked for as soon as this module loads (app.js starts
// loading the module of the address in parallel with /api/v1/me), so the first paint does not
// wait for the session check and the module, one after the other. Used once, if it matches.
const summaryUrl = (p, lang) => `/api/v1/reports/summary${qs({ from: p.from, to: p.to, lang })}`;
let prefetched = null;
if (location.pathname.replace(/\/+$/, '') === '/raporlar') {
    const url = summaryUrl(initialPeriod({ query: new URLSearchParams(location.search) }), getLang());
    prefetched = { url, promise: get(url, { quiet401: true }) };
    prefetched.promise.catch(() => {}); // a failure is asked again by the page
    // and the chart and map libraries meanwhile
    loadChart().catch(() => {});
    mapModules().then(([m]) => m.loadLeaflet()).catch(() => {});
}

function fetchSummary(url) {
    const p = prefetched;
    prefetched = null;
    if (p && p.url === url) return p.promise.catch(() => get(url));
    return get(url);
}

export default function Reports({ route, meta }) {
    const [period, setPeriod] = useState(() => initialPeriod(route));
    const [data, setData] = useState(null);
    const [err, setErr] = useState(null);
    const [busy, setBusy] = useState(true);
    // the cards are painted first; charts, map and tables (most of the page's work) a frame later
    const [full, setFull] = useState(false);
    const lang = getLang();
    const seq = useRef(0);
    const [depts, setDepts] = useState([]);
    useEffect(() => { getDepartments().then(setDepts).catch(() => {}); }, []);

    const load = () => {
        const n = ++seq.current;
        setBusy(true);
        setErr(null);
        fetchSummary(summaryUrl(period, lang))
            .then((d) => { if (n === seq.current) { setData(d); setBusy(false); } })
            .catch((e) => { if (n === seq.current) { setErr(e); setBusy(false); } });
    };
    useEffect(() => {
        if (!data || full) return undefined;
        let timer = 0;
        const frame = requestAnimationFrame(() => { timer = setTimeout(() => setFull(true), 0); });
        return () => { cancelAnimationFrame(frame); clearTimeout(timer); };
    }, [data, full]);
    useEffect(() => {
        // the period is in the address, so a report can be bookmarked, shared and reloaded
        const u = `${location.pathname}${qs({ from: period.from, to: period.to })}`;
        if (u !== location.pathname + location.search) history.replaceState(history.state, '', u);
        load();
    }, [period.from, period.to, lang]);

    const shown = data && data.period ? data.period : period;
    const muni = meta && meta.municipality;
    return html`<div class="page page-wide reports" aria-busy=${busy ? 'true' : 'false'}>
        <div class="page-head">
            <h1>${t('rep.title')}</h1>
            ${data && !err && !isEmpty(data) && html`<a class="btn btn-primary dl-all" href=${exportUrl(shown, 'xlsx')} download=${fileName(shown, 'xlsx')} data-native>${t('rep.xlsxAll')}</a>`}
        </div>
        <p class="report-for" id="rep-for">${muni ? `${muni} · ` : ''}${t('app.title')} · <strong>${fmtDay(shown.from)} – ${fmtDay(shown.to)}</strong>
            ${data && data.scope && data.scope.department && html` · ${t('rep.scope', { d: scopeName(data.scope.department, depts) })}`}</p>
        <${PeriodPicker} period=${period} onChange=${(p) => setPeriod(p)} />
        ${busy && html`<p class="loading" role="status">${t('rep.loading')}</p>`}
        ${err && html`<${Banner} error=${isMissing(err) ? 'rep.noEndpoint' : err}>
            <button type="button" class="btn btn-secondary btn-small" onClick=${load}>${t('common.retry')}</button></${Banner}>`}
        ${data && !err && html`<div class=${busy ? 'stale' : ''}>
            ${isEmpty(data)
                ? html`<p class="empty" id="rep-empty">${t('rep.empty')}</p>`
                : html`
                    <${Cards} data=${data} />
                    ${!data.calls && html`<p class="hint">${t('rep.noCalls')}</p>`}
                    ${full && html`
                    <${Charts} data=${data} />
                    <${DistrictMap} data=${data} />
                    <h2 class="report-tables-h">${t('rep.tables')}</h2>
                    <div class="report-tables">
                        ${(data.tables || []).map((tb) => html`<${ReportTable} key=${`${tb.name}-${shown.from}-${shown.to}`} tb=${tb} period=${shown} />`)}
                    </div>`}`}
        </div>`}
    </div>`;
}
