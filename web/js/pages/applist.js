// Application lists. /birim is a department's inbox: its forwarded and in-progress
// applications, oldest deadline first (sorted by the server, sort=due), overdue ones marked. /basvurular is the
// same list over every department for the front office and supervisors, newest first.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, label, fmtDateTime, fmtDate } from '../i18n.js';
import { get, qs } from '../api.js';
import { Input, Select, Checkbox, Banner, Loading, StatusBadge, PriorityBadge, OverdueBadge, useDebounced, wordOptions } from '../ui.js';
import { getCategories, getDepartments, getDistricts, nameOf, byCode } from '../ref.js';
import { subscribe } from '../live.js';

const ACTIVE = '__active';
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

export default function AppList({ me, meta, route }) {
    const inbox = route.path === '/birim';
    const initial = { status: inbox ? ACTIVE : '', category: '', department: '', district: '', overdue: false, q: '', channel: '' };
    const [filters, setFilters] = useState(() => {
        try { return { ...initial, ...JSON.parse(sessionStorage.getItem(STORE + route.path) || '{}') }; } catch { return initial; }
    });
    const [state, setState] = useState({ loading: true, items: [], error: null, next: null });
    const [cats, setCats] = useState([]);
    const [depts, setDepts] = useState([]);
    const [districts, setDistricts] = useState([]);
    const q = useDebounced(filters.q, 350);
    // the department inbox hears of new applications on the live stream: a notice, not a jump
    const [fresh, setFresh] = useState([]);
    useEffect(() => (inbox ? subscribe('application', (a) => setFresh((f) => [...f, a])) : undefined), [inbox]);

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
        overdue: filters.overdue ? 'true' : '', q: q.trim(), channel: filters.channel,
    };

    const load = async (more = false) => {
        setState((s) => ({ ...s, loading: true, error: null }));
        try {
            if (inbox) {
                /* the server sorts by deadline (none last) and pages with its own cursor */
                const status = filters.status === ACTIVE ? 'forwarded,in_progress' : filters.status;
                const after = more ? state.next : '';
                const r = await get(`/api/v1/applications${qs({ ...params, status, sort: 'due', limit: 50, after })}`);
                setState((s) => ({ loading: false, items: more ? s.items.concat(r.items) : r.items, error: null, next: r.next }));
            } else {
                const status = filters.status === ACTIVE ? '' : filters.status;
                const after = more ? state.next : '';
                const r = await get(`/api/v1/applications${qs({ ...params, status, limit: 50, after })}`);
                setState((s) => ({ loading: false, items: more ? s.items.concat(r.items) : r.items, error: null, next: r.next }));
            }
        } catch (error) {
            setState((s) => ({ ...s, loading: false, error }));
        }
    };
    useEffect(() => { load(false); }, [filters.status, filters.category, filters.department, filters.district, filters.overdue, filters.channel, q]);

    const myDepts = useMemo(() => (me.department && depts.length ? subtree(depts, me.department) : null), [depts, me.department]);
    const catOptions = cats
        .filter((c) => (myDepts ? myDepts.has(c.department) : !filters.department || c.department === filters.department))
        .map((c) => ({ value: c.code, label: nameOf(c) }));
    const statusOptions = [
        ...(inbox ? [{ value: ACTIVE, label: t('list.activeStatuses') }] : []),
        ...wordOptions('status', meta ? meta.statuses : ['new', 'forwarded', 'in_progress', 'resolved', 'closed', 'out_of_scope', 'duplicate']),
    ];
    const title = inbox
        ? (me.department ? t('list.inboxTitle', { dept: nameOf(byCode(depts, me.department)) || me.department }) : t('list.inboxTitleAny'))
        : t('list.allTitle');
    const overdueCount = state.items.filter((a) => a.overdue).length;

    return html`<div class="page page-wide applist">
        <div class="page-head">
            <h1>${title}</h1>
            ${inbox && html`<p class="muted">${t('list.sortNote')}</p>`}
        </div>
        ${fresh.length > 0 && html`<p class="banner banner-info live-new" role="status">${t('live.newApps', { n: fresh.length, list: fresh.slice(-3).map((a) => a.tracking).join(', ') })}
            <button type="button" class="btn btn-link" onClick=${() => { setFresh([]); load(false); }}>${t('live.refresh')}</button></p>`}
        <form class="card filters" onSubmit=${(e) => { e.preventDefault(); load(false); }} role="search" aria-label=${t('common.filter')}>
            <${Select} id="f-status" label=${t('field.status')} value=${filters.status} onChange=${set('status')}
                placeholder=${inbox ? t('common.all') : t('common.all')} options=${statusOptions} />
            ${!inbox && html`<${Select} id="f-department" label=${t('field.department')} value=${filters.department} onChange=${(v) => setFilters((f) => ({ ...f, department: v, category: '' }))}
                placeholder=${t('common.all')} options=${depts.filter((d) => d.active).map((d) => ({ value: d.code, label: nameOf(d) }))} />`}
            <${Select} id="f-category" label=${t('field.category')} value=${filters.category} onChange=${set('category')}
                placeholder=${t('common.all')} options=${catOptions} />
            <${Select} id="f-district" label=${t('field.district')} value=${filters.district} onChange=${set('district')}
                placeholder=${t('common.all')} options=${districts.map((d) => ({ value: String(d.id), label: d.name }))} />
            ${!inbox && html`<${Select} id="f-channel" label=${t('field.channel')} value=${filters.channel} onChange=${set('channel')}
                placeholder=${t('common.all')} options=${wordOptions('channel', meta ? meta.channels : [])} />`}
            <${Input} id="f-q" type="search" label=${t('field.q')} value=${filters.q} onInput=${set('q')} />
            <${Checkbox} id="f-overdue" label=${t('field.overdueOnly')} checked=${filters.overdue} onChange=${set('overdue')} />
            <div class="filter-actions">
                <button type="button" class="btn btn-link" onClick=${() => setFilters(initial)}>${t('common.clear')}</button>
            </div>
        </form>
        <${Banner} error=${state.error} />
        <section aria-labelledby="res-h" aria-busy=${state.loading ? 'true' : 'false'}>
            <h2 id="res-h" class="results-head">${t('list.results')}: ${t('common.count', { n: state.items.length })}
                ${overdueCount > 0 && html` · <span class="overdue-count">${overdueCount} ${t('list.overdue').toLocaleLowerCase()}</span>`}</h2>
            ${state.loading && state.items.length === 0 ? html`<${Loading} />`
                : state.items.length === 0 ? html`<p class="empty">${t('list.empty')}</p>`
                : html`<div class="table-wrap"><table class="apps">
                <thead><tr>
                    <th scope="col">${t('list.tracking')}</th>
                    <th scope="col">${t('field.category')}</th>
                    <th scope="col">${t('list.summary')}</th>
                    <th scope="col">${t('list.place')}</th>
                    <th scope="col">${t('field.status')}</th>
                    <th scope="col">${t('list.due')}</th>
                </tr></thead>
                <tbody>
                    ${state.items.map((a) => html`<tr class=${a.overdue ? 'row-overdue' : ''} data-tracking=${a.tracking} data-due=${a.resolution_due || ''}>
                        <td data-label=${t('list.tracking')}><a href=${`/basvurular/${a.id}`} class="mono">${a.tracking}</a></td>
                        <td data-label=${t('field.category')}>${nameOf(byCode(cats, a.category)) || a.category || t('common.none')}
                            ${!inbox && a.department && html`<br /><span class="muted small">${nameOf(byCode(depts, a.department)) || a.department}</span>`}</td>
                        <td data-label=${t('list.summary')} class="summary">${(a.text || '').length > 110 ? `${a.text.slice(0, 110)}…` : a.text}</td>
                        <td data-label=${t('list.place')}>${[a.district, a.neighbourhood].filter(Boolean).join(' / ') || t('common.none')}</td>
                        <td data-label=${t('field.status')}><${StatusBadge} status=${a.status} /> <${PriorityBadge} priority=${a.priority} />
                            ${a.on_hold && html` <span class="badge hold">${t('list.onHold')}</span>`}</td>
                        <td data-label=${t('list.due')} class="due">${a.resolution_due ? fmtDateTime(a.resolution_due) : t('common.none')} <${OverdueBadge} app=${a} />
                            <br /><span class="muted small">${t('field.createdAt')}: ${fmtDate(a.created_at)}</span></td>
                    </tr>`)}
                </tbody>
            </table></div>`}
            ${state.next && html`<div class="actions"><button type="button" class="btn btn-secondary" disabled=${state.loading} onClick=${() => load(true)}>${t('common.more')}</button></div>`}
        </section>
    </div>`;
}
