// Application lists. /birim is a department's inbox: its forwarded and in-progress
// applications, oldest deadline first (sorted by the server, sort=due), overdue ones marked. /basvurular is the
// same list over every department for the front office and supervisors, newest first.
// Dense one-line rows, the whole row opens the application (its tracking number is the link the
// keyboard reaches), the real total of the filter ("1.000+" past the server's cap), columns the
// user chooses (kept per user in localStorage), a notice when new applications arrive on the
// live stream, and filters folded away on a phone. The filters can come in the URL
// (?status=new,forwarded,in_progress&overdue=true&from=YYYY-MM-DD&to=…): the dashboard's tiles
// link here that way.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, label, fmtDateTime, fmtDate, fmtNumber } from '../i18n.js';
import { get, qs } from '../api.js';
import { navigate } from '../router.js';
import { Input, Select, Checkbox, Banner, Loading, StatusBadge, PriorityBadge, useDebounced, wordOptions } from '../ui.js';
import { getCategories, getDepartments, getDistricts, nameOf, byCode, nbShort } from '../ref.js';
import { subscribe } from '../live.js';

const ACTIVE = '__active';
const OPEN = 'new,forwarded,in_progress';
const DONE = 'resolved,closed';
function subtree(depts, code) {
    const set = new Set([code]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const d of depts) if (d.parent && set.has(d.parent) && !set.has(d.code)) { set.add(d.code); grew = true; }
    }
    return set;
}

const STORE = 'alo153.filters.';
const COLS_STORE = 'alo153.columns.';
const URL_KEYS = ['status', 'category', 'department', 'district', 'channel', 'q', 'from', 'to', 'overdue'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The columns a user may show; tracking and status are always there. */
export const COLUMNS = ['category', 'department', 'summary', 'place', 'registered_by', 'channel', 'created', 'due'];
const DEFAULT_COLS = { inbox: ['category', 'summary', 'place', 'registered_by', 'due'], all: ['category', 'department', 'summary', 'place', 'registered_by', 'due'] };
const COL_LABEL = {
    category: 'field.category', department: 'field.department', summary: 'list.summary', place: 'list.place',
    registered_by: 'list.registeredBy', channel: 'field.channel', created: 'field.createdAt', due: 'list.due',
};

function loadCols(user, inbox) {
    try {
        const v = JSON.parse(localStorage.getItem(COLS_STORE + user) || 'null');
        const chosen = v && v[inbox ? 'inbox' : 'all'];
        if (Array.isArray(chosen)) return COLUMNS.filter((c) => chosen.includes(c));
    } catch { /* storage may be unavailable */ }
    return DEFAULT_COLS[inbox ? 'inbox' : 'all'];
}

function saveCols(user, inbox, cols) {
    try {
        const v = JSON.parse(localStorage.getItem(COLS_STORE + user) || '{}') || {};
        v[inbox ? 'inbox' : 'all'] = cols;
        localStorage.setItem(COLS_STORE + user, JSON.stringify(v));
    } catch { /* storage may be unavailable */ }
}

/** The filters given in the URL, or null when it gives none. */
function urlFilters(query) {
    if (!query || !URL_KEYS.some((k) => query.has(k))) return null;
    const f = {};
    for (const k of URL_KEYS) if (query.has(k)) f[k] = query.get(k) || '';
    f.overdue = f.overdue === 'true' || f.overdue === '1';
    for (const k of ['from', 'to']) if (f[k] && !DATE_RE.test(f[k])) f[k] = '';
    return f;
}

function isPhone() {
    return typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 640px)').matches;
}

export default function AppList({ me, meta, route }) {
    const inbox = route.path === '/birim';
    const initial = { status: inbox ? ACTIVE : '', category: '', department: '', district: '', overdue: false, q: '', channel: '', from: '', to: '' };
    const [filters, setFilters] = useState(() => {
        const fromUrl = urlFilters(route.query);
        if (fromUrl) return { ...initial, ...fromUrl };
        try { return { ...initial, ...JSON.parse(sessionStorage.getItem(STORE + route.path) || '{}') }; } catch { return initial; }
    });
    const [state, setState] = useState({ loading: true, items: [], error: null, next: null, total: null, capped: false });
    const [cats, setCats] = useState([]);
    const [depts, setDepts] = useState([]);
    const [districts, setDistricts] = useState([]);
    const [cols, setCols] = useState(() => loadCols(me.username, inbox));
    const [colsOpen, setColsOpen] = useState(false);
    // the filters: open in a department's inbox and whenever one is applied, folded on a phone
    // and over the whole list (so a screen shows rows, not fields)
    const [filtersOpen, setFiltersOpen] = useState(() => !isPhone() && (inbox || !!urlFilters(route.query)));
    const q = useDebounced(filters.q, 350);
    // new applications on the live stream: a notice, not a jump
    const [fresh, setFresh] = useState([]);
    useEffect(() => subscribe('application', (a) => setFresh((f) => (f.some((x) => x.id === a.id) ? f : [...f, a]))), []);

    useEffect(() => {
        getCategories().then(setCats).catch(() => {});
        getDepartments().then(setDepts).catch(() => {});
        getDistricts().then(setDistricts).catch(() => {});
    }, []);
    useEffect(() => {
        try { sessionStorage.setItem(STORE + route.path, JSON.stringify(filters)); } catch { /* ignore */ }
    }, [filters]);

    const set = (k) => (v) => setFilters((f) => ({ ...f, [k]: v }));
    const params = {
        category: filters.category, department: filters.department, district: filters.district,
        overdue: filters.overdue ? 'true' : '', q: q.trim(), channel: filters.channel, from: filters.from, to: filters.to,
    };

    const load = async (more = false) => {
        setState((s) => ({ ...s, loading: true, error: null }));
        try {
            const status = filters.status === ACTIVE ? (inbox ? 'forwarded,in_progress' : '') : filters.status;
            const after = more ? state.next : '';
            /* the inbox: the server sorts by deadline (none last) and pages with its own cursor */
            const r = await get(`/api/v1/applications${qs({ ...params, status, sort: inbox ? 'due' : '', limit: 50, after })}`);
            setState((s) => ({
                loading: false, error: null, next: r.next,
                items: more ? s.items.concat(r.items) : r.items,
                total: more ? s.total : (r.total ?? null), capped: more ? s.capped : !!r.total_capped,
            }));
            if (!more) setFresh([]);
        } catch (error) {
            setState((s) => ({ ...s, loading: false, error }));
        }
    };
    useEffect(() => { load(false); }, [filters.status, filters.category, filters.department, filters.district, filters.overdue, filters.channel, filters.from, filters.to, q]);

    const myDepts = useMemo(() => (me.department && depts.length ? subtree(depts, me.department) : null), [depts, me.department]);
    const catOptions = cats
        .filter((c) => (myDepts ? myDepts.has(c.department) : !filters.department || c.department === filters.department))
        .map((c) => ({ value: c.code, label: nameOf(c) }));
    const statusOptions = [
        ...(inbox ? [{ value: ACTIVE, label: t('list.activeStatuses') }] : []),
        ...(!inbox ? [{ value: OPEN, label: t('list.openStatuses') }, { value: DONE, label: t('list.doneStatuses') }] : []),
        ...wordOptions('status', meta ? meta.statuses : ['new', 'forwarded', 'in_progress', 'resolved', 'closed', 'out_of_scope', 'duplicate']),
    ];
    const dept = inbox && me.department ? nameOf(byCode(depts, me.department)) || me.department : null;
    const title = inbox ? (dept ? t('list.inboxTitle', { dept }) : t('list.inboxTitleAny')) : t('list.allTitle');
    const overdueCount = state.items.filter((a) => a.overdue).length;
    const open = (a) => navigate(`/basvurular/${a.id}`);
    const rowClick = (a) => (e) => {
        if (e.defaultPrevented || e.button !== 0 || e.target.closest('a, button, input, select, label')) return;
        if (window.getSelection && String(window.getSelection()).length > 0) return; // selecting text to copy
        open(a);
    };
    const toggleCol = (c) => (on) => {
        const next = COLUMNS.filter((x) => (x === c ? on : cols.includes(x)));
        setCols(next);
        saveCols(me.username, inbox, next);
    };
    const active = ['status', 'category', 'department', 'district', 'channel', 'q', 'from', 'to'].filter((k) => filters[k] && !(inbox && k === 'status' && filters[k] === ACTIVE)).length + (filters.overdue ? 1 : 0);
    const totalText = state.total === null ? fmtNumber(state.items.length) : state.capped ? `${fmtNumber(state.total)}+` : fmtNumber(state.total);

    const cell = (c, a) => {
        switch (c) {
        case 'category': return nameOf(byCode(cats, a.category)) || a.category || t('common.none');
        case 'department': return a.department ? nameOf(byCode(depts, a.department)) || a.department : t('dash.unrouted');
        case 'summary': return a.text || '';
        case 'place': return [a.district, nbShort(a.neighbourhood)].filter(Boolean).join(' / ') || t('common.none');
        case 'registered_by': return a.registered_by ? a.registered_by.name : t('list.webForm');
        case 'channel': return label('channel', a.channel);
        case 'created': return fmtDate(a.created_at);
        case 'due': return !a.resolution_due ? t('common.none') : a.overdue
            ? html`<span class="due-late"><span aria-hidden="true">! </span>${fmtDateTime(a.resolution_due)}<span class="sr-only"> (${t('list.overdue')})</span></span>`
            : fmtDateTime(a.resolution_due);
        default: return '';
        }
    };

    return html`<div class="page page-wide applist">
        <div class="page-head list-head">
            <h1>${title}</h1>
            ${inbox && html`<p class="muted">${t('list.sortNote')}</p>`}
            <div class="list-tools">
                <button type="button" class="btn btn-secondary filters-toggle" aria-expanded=${filtersOpen ? 'true' : 'false'} aria-controls="list-filters"
                    onClick=${() => setFiltersOpen(!filtersOpen)}>${t('list.filtersToggle')}${active ? ` (${active})` : ''}</button>
                ${active > 0 && !filtersOpen && html`<button type="button" class="btn btn-link" onClick=${() => setFilters(initial)}>${t('common.clear')}</button>`}
                <div class="cols-menu">
                    <button type="button" class="btn btn-secondary" aria-expanded=${colsOpen ? 'true' : 'false'} aria-controls="list-cols"
                        onClick=${() => setColsOpen(!colsOpen)}>${t('list.columns')}</button>
                    ${colsOpen && html`<fieldset id="list-cols" class="card cols-pop"><legend class="sr-only">${t('list.columns')}</legend>
                        ${COLUMNS.filter((c) => !(inbox && c === 'department')).map((c) => html`<${Checkbox} id=${`col-${c}`} label=${t(COL_LABEL[c])}
                            checked=${cols.includes(c)} onChange=${toggleCol(c)} />`)}
                    </fieldset>`}
                </div>
            </div>
        </div>
        ${fresh.length > 0 && html`<p class="banner banner-info live-new" role="status">${t('list.newItems', { n: fmtNumber(fresh.length) })}
            <span class="muted small"> (${fresh.slice(-3).map((a) => a.tracking).join(', ')})</span>
            <button type="button" class="btn btn-link" onClick=${() => load(false)}>${t('list.showNew')}</button></p>`}
        <form id="list-filters" class=${`card filters ${filtersOpen ? '' : 'filters-closed'}`} hidden=${!filtersOpen}
            onSubmit=${(e) => { e.preventDefault(); load(false); }} role="search" aria-label=${t('list.filtersToggle')}>
            <${Select} id="f-status" label=${t('field.status')} value=${filters.status} onChange=${set('status')}
                placeholder=${t('common.all')} options=${statusOptions} />
            ${!inbox && html`<${Select} id="f-department" label=${t('field.department')} value=${filters.department} onChange=${(v) => setFilters((f) => ({ ...f, department: v, category: '' }))}
                placeholder=${t('common.all')} options=${depts.filter((d) => d.active).map((d) => ({ value: d.code, label: nameOf(d) }))} />`}
            <${Select} id="f-category" label=${t('field.category')} value=${filters.category} onChange=${set('category')}
                placeholder=${t('common.all')} options=${catOptions} />
            <${Select} id="f-district" label=${t('field.district')} value=${filters.district} onChange=${set('district')}
                placeholder=${t('common.all')} options=${districts.map((d) => ({ value: String(d.id), label: d.name }))} />
            ${!inbox && html`<${Select} id="f-channel" label=${t('field.channel')} value=${filters.channel} onChange=${set('channel')}
                placeholder=${t('common.all')} options=${wordOptions('channel', meta ? meta.channels : [])} />`}
            <${Input} id="f-from" type="date" label=${t('list.from')} value=${filters.from} onInput=${set('from')} />
            <${Input} id="f-to" type="date" label=${t('list.to')} value=${filters.to} onInput=${set('to')} />
            <${Input} id="f-q" type="search" label=${t('field.q')} value=${filters.q} onInput=${set('q')} />
            <${Checkbox} id="f-overdue" label=${t('field.overdueOnly')} checked=${filters.overdue} onChange=${set('overdue')} />
            <div class="filter-actions">
                <button type="button" class="btn btn-link" onClick=${() => setFilters(initial)}>${t('common.clear')}</button>
            </div>
        </form>
        <${Banner} error=${state.error} />
        <section aria-labelledby="res-h" aria-busy=${state.loading ? 'true' : 'false'}>
            <h2 id="res-h" class="results-head">${t('list.results')}: <span id="list-total">${totalText}</span> ${t('list.records')}
                ${state.total !== null && state.items.length < state.total && html`<span class="muted small"> · ${t('list.shown', { n: fmtNumber(state.items.length) })}</span>`}
                ${overdueCount > 0 && html` · <span class="overdue-count">${overdueCount} ${t('list.overdue').toLocaleLowerCase()}</span>`}</h2>
            ${state.loading && state.items.length === 0 ? html`<${Loading} />`
                : state.items.length === 0 ? html`<p class="empty">${t('list.empty')}</p>`
                : html`<div class="table-wrap"><table class="apps apps-dense">
                <thead><tr>
                    <th scope="col" class="h-tracking">${t('list.tracking')}</th>
                    ${cols.map((c) => (inbox && c === 'department' ? null : html`<th scope="col" data-col=${c}>${t(COL_LABEL[c])}</th>`))}
                    <th scope="col" class="h-status">${t('field.status')}</th>
                </tr></thead>
                <tbody>
                    ${state.items.map((a) => html`<tr class=${`row-click ${a.overdue ? 'row-overdue' : ''}`} data-tracking=${a.tracking} data-due=${a.resolution_due || ''}
                        onClick=${rowClick(a)}>
                        <td data-label=${t('list.tracking')}><a href=${`/basvurular/${a.id}`} class="mono row-link">${a.tracking}</a></td>
                        ${cols.map((c) => (inbox && c === 'department' ? null : html`<td data-label=${t(COL_LABEL[c])} data-col=${c} class=${`c-${c}`}
                            title=${c === 'due' ? undefined : cell(c, a)}>${cell(c, a)}</td>`))}
                        <td data-label=${t('field.status')} class="c-status"><${StatusBadge} status=${a.status} /> <${PriorityBadge} priority=${a.priority} />
                            ${a.on_hold && html` <span class="badge hold">${t('list.onHold')}</span>`}</td>
                    </tr>`)}
                </tbody>
            </table></div>`}
            ${state.next && html`<div class="actions"><button type="button" class="btn btn-secondary" disabled=${state.loading} onClick=${() => load(true)}>${t('common.more')}</button></div>`}
        </section>
    </div>`;
}
