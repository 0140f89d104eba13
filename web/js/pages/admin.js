// Admin pages: users (with their department grants), departments, categories with their
// deadlines, public holidays, API tokens and the audit log (issue 12).
// One small generic form (RecordForm) serves every create and edit.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, label, fmtDate, fmtDateTime } from '../i18n.js';
import { get, post, patch, del } from '../api.js';
import { Input, Select, Checkbox, Banner, Loading, useForm, wordOptions } from '../ui.js';
import { invalidate, nameOf, byCode } from '../ref.js';
import { slaText } from '../category-picker.js';

/**
 * fields: [{name, label, type: text|number|password|select|checkbox|date, options, required, optional}]
 * onSubmit(values) → promise; server errors land next to the field they name.
 */
function RecordForm({ idPrefix, fields, initial, onSubmit, onCancel, submitLabel, title }) {
    const f = useForm(initial, { __prefix: idPrefix });
    const [busy, setBusy] = useState(false);
    const [ok, setOk] = useState(false);
    const submit = async (e) => {
        e.preventDefault();
        f.clear();
        setOk(false);
        const missing = fields.find((x) => x.required && (f.values[x.name] === '' || f.values[x.name] === null || f.values[x.name] === undefined));
        if (missing) {
            f.setErrors({ [missing.name]: 'err.required' });
            document.getElementById(idPrefix + missing.name).focus();
            return;
        }
        setBusy(true);
        try {
            await onSubmit(f.values);
            setOk(true);
        } catch (err) {
            f.fail(err);
        } finally {
            setBusy(false);
        }
    };
    return html`<form class="form record-form" onSubmit=${submit} novalidate aria-label=${title}>
        ${title && html`<h2 class="record-title">${title}</h2>`}
        <${Banner} error=${f.general} />
        <div class="form-grid">
            ${fields.map((x) => {
                const common = { id: idPrefix + x.name, label: x.label, error: f.errors[x.name], required: x.required, optional: x.optional };
                if (x.type === 'select') return html`<${Select} ...${common} value=${f.values[x.name]} onChange=${f.set(x.name)} options=${x.options} placeholder=${x.placeholder} />`;
                if (x.type === 'checkbox') return html`<${Checkbox} id=${common.id} label=${x.label} error=${common.error} checked=${f.values[x.name]} onChange=${f.set(x.name)} />`;
                return html`<${Input} ...${common} type=${x.type || 'text'} value=${f.values[x.name]} onInput=${f.set(x.name)}
                    autocomplete=${x.type === 'password' ? 'new-password' : 'off'} min=${x.min} max=${x.max} />`;
            })}
        </div>
        ${ok && html`<p class="banner banner-ok" role="status">${t('common.saved')}</p>`}
        <div class="actions">
            <button type="submit" class="btn btn-primary" disabled=${busy}>${submitLabel || t('common.save')}</button>
            ${onCancel && html`<button type="button" class="btn btn-secondary" onClick=${onCancel}>${t('common.cancel')}</button>`}
        </div>
    </form>`;
}

function useList(path) {
    const [items, setItems] = useState(null);
    const [error, setError] = useState(null);
    const reload = () => get(path).then((r) => { setItems(r.items); setError(null); }).catch(setError);
    useEffect(() => { reload(); }, [path]);
    return { items, error, reload };
}

function AdminTabs({ path }) {
    const tabs = [['/yonetim/kullanicilar', 'nav.users'], ['/yonetim/birimler', 'nav.departments'], ['/yonetim/konular', 'nav.categories'], ['/yonetim/tatiller', 'nav.holidays'],
        ['/yonetim/modeller', 'learn.models'], ['/yonetim/anahtarlar', 'nav.tokens'], ['/yonetim/denetim', 'nav.audit']];
    return html`<nav class="tabs" aria-label=${t('nav.admin')}><ul>
        ${tabs.map(([href, key]) => html`<li><a href=${href} aria-current=${path === href ? 'page' : undefined}>${t(key)}</a></li>`)}
    </ul></nav>`;
}

function Users({ meta }) {
    const users = useList('/api/v1/users');
    const depts = useList('/api/v1/departments');
    const [editing, setEditing] = useState(null);
    const [adding, setAdding] = useState(false);
    const roles = (meta && meta.roles) || ['agent', 'desk', 'staff', 'manager', 'supervisor', 'admin'];
    const deptOptions = (depts.items || []).map((d) => ({ value: d.code, label: `${nameOf(d)} (${d.code})` }));
    const body = (v, create) => {
        const b = { full_name: v.full_name, role: v.role };
        if (v.department) b.department = v.department;
        if (create) { b.username = v.username.trim(); b.password = v.password; } else {
            b.disabled = !!v.disabled;
            if (v.password) b.password = v.password;
        }
        return b;
    };
    return html`<section aria-labelledby="adm-h">
        <div class="page-head"><h1 id="adm-h">${t('adm.users')}</h1>
            <button type="button" class="btn btn-primary" aria-expanded=${adding ? 'true' : 'false'} onClick=${() => setAdding(!adding)}>${t('adm.newUser')}</button></div>
        ${adding && html`<div class="card"><${RecordForm} idPrefix="nu-" title=${t('adm.newUser')}
            initial=${{ username: '', full_name: '', role: 'agent', department: '', password: '' }}
            fields=${[
                { name: 'username', label: t('field.username'), required: true },
                { name: 'full_name', label: t('field.fullName') },
                { name: 'role', label: t('field.role'), type: 'select', options: wordOptions('role', roles) },
                { name: 'department', label: t('field.department'), type: 'select', options: deptOptions, placeholder: t('common.none') },
                { name: 'password', label: t('field.password'), type: 'password', required: true },
            ]}
            onSubmit=${async (v) => { await post('/api/v1/users', body(v, true)); setAdding(false); users.reload(); }}
            onCancel=${() => setAdding(false)} /></div>`}
        <${Banner} error=${users.error} />
        ${!users.items ? html`<${Loading} />` : html`<div class="table-wrap"><table class="grid">
            <thead><tr><th scope="col">${t('field.username')}</th><th scope="col">${t('field.fullName')}</th><th scope="col">${t('field.role')}</th>
                <th scope="col">${t('field.department')}</th><th scope="col">${t('common.active')}</th><th scope="col"><span class="sr-only">${t('common.edit')}</span></th></tr></thead>
            <tbody>${users.items.map((u) => html`<tr class=${u.disabled ? 'row-disabled' : ''}>
                <td data-label=${t('field.username')} class="mono">${u.username}</td>
                <td data-label=${t('field.fullName')}>${u.full_name}</td>
                <td data-label=${t('field.role')}>${label('role', u.role)}</td>
                <td data-label=${t('field.department')}>${u.department ? nameOf(byCode(depts.items, u.department)) || u.department : t('common.none')}</td>
                <td data-label=${t('common.active')}>${u.disabled ? t('common.no') : t('common.yes')}</td>
                <td><button type="button" class="btn btn-link" aria-label=${`${t('common.edit')}: ${u.username}`} onClick=${() => setEditing(editing === u.id ? null : u.id)}>${t('common.edit')}</button></td>
            </tr>
            ${editing === u.id && html`<tr class="edit-row"><td colspan="6"><${RecordForm} idPrefix=${`eu${u.id}-`} title=${`${t('common.edit')}: ${u.username}`}
                initial=${{ full_name: u.full_name, role: u.role, department: u.department || '', disabled: u.disabled, password: '' }}
                fields=${[
                    { name: 'full_name', label: t('field.fullName') },
                    { name: 'role', label: t('field.role'), type: 'select', options: wordOptions('role', roles) },
                    { name: 'department', label: t('field.department'), type: 'select', options: deptOptions, placeholder: t('common.none') },
                    { name: 'password', label: t('field.newPassword'), type: 'password', optional: true },
                    { name: 'disabled', label: t('field.disabled'), type: 'checkbox' },
                ]}
                onSubmit=${async (v) => { await patch(`/api/v1/users/${u.id}`, body(v, false)); setEditing(null); users.reload(); }}
                onCancel=${() => setEditing(null)} />
                ${(u.role === 'staff' || u.role === 'manager') && html`<${Grants} user=${u} deptOptions=${deptOptions} />`}</td></tr>`}`)}
            </tbody></table></div>`}
    </section>`;
}

/** A staff member's or manager's grants on other departments (issue 12). */
function Grants({ user, deptOptions }) {
    const grants = useList(`/api/v1/users/${user.id}/grants`);
    const [err, setErr] = useState(null);
    const [dept, setDept] = useState('');
    const [act, setAct] = useState(false);
    const run = async (fn) => { setErr(null); try { await fn(); grants.reload(); } catch (e) { setErr(e); } };
    const pre = `gr${user.id}-`;
    return html`<section class="card grants" aria-labelledby=${`${pre}h`}>
        <h3 id=${`${pre}h`}>${t('rights.grants')}</h3>
        <p class="muted small">${t('rights.grantsHint')}</p>
        <${Banner} error=${grants.error || err} />
        ${grants.items && (grants.items.length === 0 ? html`<p>${t('rights.noGrants')}</p>` : html`<ul class="grant-list">
            ${grants.items.map((g) => html`<li><span class="mono">${g.department}</span> · ${g.act ? t('rights.act') : t('rights.read')}
                <button type="button" class="btn btn-link" aria-label=${`${t('rights.revoke')}: ${g.department}`}
                    onClick=${() => run(() => del(`/api/v1/users/${user.id}/grants/${g.department}`))}>${t('rights.revoke')}</button></li>`)}
        </ul>`)}
        <div class="form-inline">
            <${Select} id=${`${pre}dept`} label=${t('field.department')} value=${dept} onChange=${setDept} options=${deptOptions} placeholder=${t('common.choose')} />
            <${Checkbox} id=${`${pre}act`} label=${t('rights.act')} checked=${act} onChange=${setAct} />
            <button type="button" class="btn btn-secondary" disabled=${!dept}
                onClick=${() => run(() => post(`/api/v1/users/${user.id}/grants`, { department: dept, act: !!act }))}>${t('rights.grant')}</button>
        </div>
    </section>`;
}

function Departments() {
    const depts = useList('/api/v1/departments');
    const [editing, setEditing] = useState(null);
    const [adding, setAdding] = useState(false);
    const parentOptions = (depts.items || []).map((d) => ({ value: d.code, label: `${nameOf(d)} (${d.code})` }));
    const after = () => { invalidate('departments'); depts.reload(); };
    const fields = (create) => [
        create && { name: 'code', label: t('field.code'), required: true },
        { name: 'name', label: t('field.nameTr'), required: true },
        { name: 'name_en', label: t('field.nameEn') },
        { name: 'parent', label: t('field.parent'), type: 'select', options: parentOptions, placeholder: t('common.none') },
        !create && { name: 'active', label: t('common.active'), type: 'checkbox' },
    ].filter(Boolean);
    const body = (v, create) => {
        const b = { name: v.name };
        if (v.name_en) b.name_en = v.name_en;
        if (v.parent) b.parent = v.parent;
        if (create) b.code = v.code.trim().toUpperCase(); else b.active = !!v.active;
        return b;
    };
    return html`<section aria-labelledby="adm-h">
        <div class="page-head"><h1 id="adm-h">${t('adm.departments')}</h1>
            <button type="button" class="btn btn-primary" aria-expanded=${adding ? 'true' : 'false'} onClick=${() => setAdding(!adding)}>${t('adm.newDepartment')}</button></div>
        ${adding && html`<div class="card"><${RecordForm} idPrefix="nd-" title=${t('adm.newDepartment')} initial=${{ code: '', name: '', name_en: '', parent: '' }}
            fields=${fields(true)} onSubmit=${async (v) => { await post('/api/v1/departments', body(v, true)); setAdding(false); after(); }} onCancel=${() => setAdding(false)} /></div>`}
        <${Banner} error=${depts.error} />
        ${!depts.items ? html`<${Loading} />` : html`<div class="table-wrap"><table class="grid">
            <thead><tr><th scope="col">${t('field.code')}</th><th scope="col">${t('field.nameTr')}</th><th scope="col">${t('field.nameEn')}</th>
                <th scope="col">${t('field.parent')}</th><th scope="col">${t('common.active')}</th><th scope="col"><span class="sr-only">${t('common.edit')}</span></th></tr></thead>
            <tbody>${depts.items.map((d) => html`<tr class=${d.active ? '' : 'row-disabled'}>
                <td data-label=${t('field.code')} class="mono">${d.code}</td><td data-label=${t('field.nameTr')}>${d.name}</td><td data-label=${t('field.nameEn')}>${d.name_en}</td>
                <td data-label=${t('field.parent')}>${d.parent || t('common.none')}</td><td data-label=${t('common.active')}>${d.active ? t('common.yes') : t('common.no')}</td>
                <td><button type="button" class="btn btn-link" aria-label=${`${t('common.edit')}: ${d.code}`} onClick=${() => setEditing(editing === d.code ? null : d.code)}>${t('common.edit')}</button></td>
            </tr>
            ${editing === d.code && html`<tr class="edit-row"><td colspan="6"><${RecordForm} idPrefix=${`ed-${d.code}-`} title=${`${t('common.edit')}: ${d.code}`}
                initial=${{ name: d.name, name_en: d.name_en, parent: d.parent || '', active: d.active }} fields=${fields(false)}
                onSubmit=${async (v) => { await patch(`/api/v1/departments/${d.code}`, body(v, false)); setEditing(null); after(); }}
                onCancel=${() => setEditing(null)} /></td></tr>`}`)}
            </tbody></table></div>`}
    </section>`;
}

function Categories({ meta }) {
    const cats = useList('/api/v1/categories');
    const depts = useList('/api/v1/departments');
    const [editing, setEditing] = useState(null);
    const [adding, setAdding] = useState(false);
    const [dept, setDept] = useState('');
    const deptOptions = (depts.items || []).map((d) => ({ value: d.code, label: `${nameOf(d)} (${d.code})` }));
    const priorities = (meta && meta.priorities) || ['low', 'normal', 'high', 'urgent'];
    const after = () => { invalidate('categories'); cats.reload(); };
    const fields = (create) => [
        create && { name: 'code', label: t('field.code'), required: true },
        { name: 'name', label: t('field.nameTr'), required: true },
        { name: 'name_en', label: t('field.nameEn') },
        { name: 'department', label: t('field.department'), type: 'select', options: deptOptions, placeholder: t('common.choose'), required: true },
        { name: 'first_response_days', label: t('field.firstResponseDays'), type: 'number', min: 0, max: 365 },
        { name: 'sla_days', label: t('field.slaDays'), type: 'number', min: 1, max: 365, required: true },
        { name: 'priority', label: t('field.priority'), type: 'select', options: wordOptions('priority', priorities) },
        { name: 'keywords', label: t('field.keywords') },
        { name: 'redirect', label: t('field.redirect'), optional: true },
        { name: 'working_days', label: t('field.workingDays'), type: 'checkbox' },
        !create && { name: 'active', label: t('common.active'), type: 'checkbox' },
    ].filter(Boolean);
    const body = (v, create) => {
        const b = { name: v.name, department: v.department, priority: v.priority, working_days: !!v.working_days };
        if (v.name_en) b.name_en = v.name_en;
        if (v.keywords) b.keywords = v.keywords;
        if (v.redirect) b.redirect = v.redirect;
        if (v.first_response_days !== '') b.first_response_days = Number(v.first_response_days);
        if (v.sla_days !== '') b.sla_days = Number(v.sla_days);
        if (create) b.code = v.code.trim().toUpperCase(); else b.active = !!v.active;
        return b;
    };
    const shown = (cats.items || []).filter((c) => !dept || c.department === dept);
    const sla = (c) => slaText(c);
    return html`<section aria-labelledby="adm-h">
        <div class="page-head"><h1 id="adm-h">${t('adm.categories')}</h1>
            <button type="button" class="btn btn-primary" aria-expanded=${adding ? 'true' : 'false'} onClick=${() => setAdding(!adding)}>${t('adm.newCategory')}</button></div>
        ${adding && html`<div class="card"><${RecordForm} idPrefix="nc-" title=${t('adm.newCategory')}
            initial=${{ code: '', name: '', name_en: '', department: dept, first_response_days: '1', sla_days: '10', priority: 'normal', keywords: '', redirect: '', working_days: true }}
            fields=${fields(true)} onSubmit=${async (v) => { await post('/api/v1/categories', body(v, true)); setAdding(false); after(); }} onCancel=${() => setAdding(false)} /></div>`}
        <div class="filters-inline"><${Select} id="cat-dept" label=${t('adm.filterDept')} value=${dept} onChange=${setDept} options=${deptOptions} placeholder=${t('common.all')} /></div>
        <${Banner} error=${cats.error} />
        ${!cats.items ? html`<${Loading} />` : html`<div class="table-wrap"><table class="grid">
            <thead><tr><th scope="col">${t('field.code')}</th><th scope="col">${t('field.nameTr')}</th><th scope="col">${t('field.department')}</th>
                <th scope="col">${t('field.firstResponseDays')}</th><th scope="col">${t('field.slaDays')}</th><th scope="col">${t('field.priority')}</th>
                <th scope="col">${t('common.active')}</th><th scope="col"><span class="sr-only">${t('common.edit')}</span></th></tr></thead>
            <tbody>${shown.map((c) => html`<tr class=${c.active ? '' : 'row-disabled'}>
                <td data-label=${t('field.code')} class="mono small">${c.code}</td><td data-label=${t('field.nameTr')}>${nameOf(c)}</td>
                <td data-label=${t('field.department')}>${c.department}</td>
                <td data-label=${t('field.firstResponseDays')}>${c.first_response_days}</td><td data-label=${t('field.slaDays')}>${sla(c)}</td>
                <td data-label=${t('field.priority')}>${label('priority', c.priority)}</td><td data-label=${t('common.active')}>${c.active ? t('common.yes') : t('common.no')}</td>
                <td><button type="button" class="btn btn-link" aria-label=${`${t('common.edit')}: ${c.code}`} onClick=${() => setEditing(editing === c.code ? null : c.code)}>${t('common.edit')}</button></td>
            </tr>
            ${editing === c.code && html`<tr class="edit-row"><td colspan="8"><${RecordForm} idPrefix=${`ec-${c.code}-`} title=${`${t('common.edit')}: ${c.code}`}
                initial=${{ name: c.name, name_en: c.name_en, department: c.department, first_response_days: String(c.first_response_days), sla_days: String(c.sla_days),
                    priority: c.priority, keywords: c.keywords, redirect: c.redirect || '', working_days: c.working_days, active: c.active }}
                fields=${fields(false)} onSubmit=${async (v) => { await patch(`/api/v1/categories/${c.code}`, body(v, false)); setEditing(null); after(); }}
                onCancel=${() => setEditing(null)} /></td></tr>`}`)}
            </tbody></table></div>`}
    </section>`;
}

function Holidays() {
    const hol = useList('/api/v1/holidays');
    const [err, setErr] = useState(null);
    return html`<section aria-labelledby="adm-h">
        <h1 id="adm-h">${t('adm.holidays')}</h1>
        <div class="card"><${RecordForm} idPrefix="nh-" title=${t('adm.newHoliday')} initial=${{ date: '', name: '', half_day: false }} submitLabel=${t('common.add')}
            fields=${[
                { name: 'date', label: t('field.date'), type: 'date', required: true },
                { name: 'name', label: t('field.name'), required: true },
                { name: 'half_day', label: t('field.halfDay'), type: 'checkbox' },
            ]}
            onSubmit=${async (v) => { await post('/api/v1/holidays', { date: v.date, name: v.name, half_day: !!v.half_day }); hol.reload(); }} /></div>
        <${Banner} error=${hol.error || err} />
        ${!hol.items ? html`<${Loading} />` : html`<div class="table-wrap"><table class="grid">
            <thead><tr><th scope="col">${t('field.date')}</th><th scope="col">${t('field.name')}</th><th scope="col">${t('field.halfDay')}</th><th scope="col"><span class="sr-only">${t('common.delete')}</span></th></tr></thead>
            <tbody>${hol.items.map((h) => html`<tr><td data-label=${t('field.date')}>${fmtDate(`${h.date}T12:00:00Z`)}</td><td data-label=${t('field.name')}>${h.name}</td>
                <td data-label=${t('field.halfDay')}>${h.half_day ? t('common.yes') : t('common.no')}</td>
                <td><button type="button" class="btn btn-link" aria-label=${`${t('common.delete')}: ${h.date}`}
                    onClick=${async () => { setErr(null); try { await del(`/api/v1/holidays/${h.date}`); hol.reload(); } catch (e) { setErr(e); } }}>${t('common.delete')}</button></td></tr>`)}
            </tbody></table></div>`}
    </section>`;
}

// issue 13: the routing models with the promotion gate's figures (alo153 train --gate)
function gateReason(g) {
    if (!g) return '';
    if (g.verdict === 'promoted') return t(g.against ? 'learn.why.notWorse' : 'learn.why.first');
    return t(g.top1 < g.against_top1 ? 'learn.why.top1' : 'learn.why.decoys');
}

function Models() {
    const models = useList('/api/v1/routing/models');
    const pct = (x) => (typeof x === 'number' ? `${(100 * x).toFixed(1)} %` : '–');
    return html`<section aria-labelledby="adm-h">
        <h1 id="adm-h">${t('learn.models')}</h1>
        <p class="muted">${t('learn.modelsHint')}</p>
        <${Banner} error=${models.error} />
        ${!models.items ? html`<${Loading} />` : models.items.length === 0 ? html`<p class="muted">${t('learn.noModels')}</p>` : html`<div class="table-wrap"><table class="grid models">
            <thead><tr><th scope="col">${t('learn.model')}</th><th scope="col">${t('learn.verdict')}</th><th scope="col">${t('learn.top1')}</th>
                <th scope="col">${t('learn.decoys')}</th><th scope="col">${t('learn.against')}</th><th scope="col">${t('learn.corrections')}</th><th scope="col">${t('learn.reason')}</th></tr></thead>
            <tbody>${models.items.map((m) => html`<tr class=${m.rejected ? 'row-disabled' : ''} data-model=${m.name}>
                <td data-label=${t('learn.model')} class="mono small">${m.name}${m.current && html` <strong class="badge">${t('learn.current')}</strong>`}</td>
                <td data-label=${t('learn.verdict')}>${t(`learn.verdict.${m.gate ? m.gate.verdict : 'none'}`)}</td>
                <td data-label=${t('learn.top1')}>${m.gate ? `${pct(m.gate.top1)}${m.gate.against ? ` (${pct(m.gate.against_top1)})` : ''}` : '–'}</td>
                <td data-label=${t('learn.decoys')}>${m.gate && m.gate.decoys_n ? `${pct(m.gate.decoys)}${m.gate.against ? ` (${pct(m.gate.against_decoys)})` : ''}` : '–'}</td>
                <td data-label=${t('learn.against')} class="mono small">${(m.gate && m.gate.against) || '–'}</td>
                <td data-label=${t('learn.corrections')}>${m.gate ? m.gate.corrections : '–'}</td>
                <td data-label=${t('learn.reason')} class="small">${gateReason(m.gate)}</td>
            </tr>`)}</tbody></table></div>`}
    </section>`;
}

/** API tokens (issue 12): listed with their state, expiry and last use; made (the secret shown
 * once) and revoked here. */
function Tokens({ meta }) {
    const tokens = useList('/api/v1/tokens');
    const depts = useList('/api/v1/departments');
    const [adding, setAdding] = useState(false);
    const [secret, setSecret] = useState(null);
    const [err, setErr] = useState(null);
    const roles = (meta && meta.roles) || ['agent', 'desk', 'staff', 'manager', 'supervisor', 'admin', 'telephony'];
    const deptOptions = (depts.items || []).map((d) => ({ value: d.code, label: `${nameOf(d)} (${d.code})` }));
    const create = async (v) => {
        const b = { name: v.name.trim(), role: v.role };
        if (v.department) b.department = v.department;
        if (v.expires) b.expires = v.expires.trim();
        const r = await post('/api/v1/tokens', b);
        setSecret({ name: r.name, token: r.token });
        setAdding(false);
        tokens.reload();
    };
    const revoke = async (tk) => { setErr(null); try { await del(`/api/v1/tokens/${tk.id}`); tokens.reload(); } catch (e) { setErr(e); } };
    return html`<section aria-labelledby="adm-h">
        <div class="page-head"><h1 id="adm-h">${t('rights.tokens')}</h1>
            <button type="button" class="btn btn-primary" aria-expanded=${adding ? 'true' : 'false'} onClick=${() => setAdding(!adding)}>${t('rights.newToken')}</button></div>
        ${secret && html`<div class="banner banner-ok" role="status">${t('rights.secret')} <code class="mono" id="token-secret">${secret.token}</code></div>`}
        ${adding && html`<div class="card"><${RecordForm} idPrefix="nt-" title=${t('rights.newToken')}
            initial=${{ name: '', role: 'telephony', department: '', expires: '90d' }}
            fields=${[
                { name: 'name', label: t('rights.tokenName'), required: true },
                { name: 'role', label: t('field.role'), type: 'select', options: wordOptions('role', roles) },
                { name: 'department', label: t('field.department'), type: 'select', options: deptOptions, placeholder: t('common.none') },
                { name: 'expires', label: t('rights.expires'), optional: true },
            ]}
            onSubmit=${create} onCancel=${() => setAdding(false)} /></div>`}
        <${Banner} error=${tokens.error || err} />
        ${!tokens.items ? html`<${Loading} />` : html`<div class="table-wrap"><table class="grid">
            <thead><tr><th scope="col">${t('rights.tokenName')}</th><th scope="col">${t('field.role')}</th><th scope="col">${t('rights.state')}</th>
                <th scope="col">${t('rights.expiresAt')}</th><th scope="col">${t('rights.lastUsed')}</th><th scope="col"><span class="sr-only">${t('rights.revoke')}</span></th></tr></thead>
            <tbody>${tokens.items.map((tk) => html`<tr class=${tk.state === 'active' ? '' : 'row-disabled'}>
                <td data-label=${t('rights.tokenName')} class="mono">${tk.name}</td>
                <td data-label=${t('field.role')}>${label('role', tk.role)}${tk.department ? ` · ${tk.department}` : ''}</td>
                <td data-label=${t('rights.state')}>${t(`rights.state.${tk.state}`)}</td>
                <td data-label=${t('rights.expiresAt')}>${tk.expires_at ? fmtDateTime(tk.expires_at) : t('rights.never')}</td>
                <td data-label=${t('rights.lastUsed')}>${tk.last_used_at ? fmtDateTime(tk.last_used_at) : '—'}</td>
                <td>${tk.state !== 'revoked' && html`<button type="button" class="btn btn-link" aria-label=${`${t('rights.revoke')}: ${tk.name}`}
                    onClick=${() => revoke(tk)}>${t('rights.revoke')}</button>`}</td></tr>`)}
            </tbody></table></div>`}
    </section>`;
}

const AUDIT_KINDS = ['login', 'login_failed', 'logout', 'user_add', 'user', 'password_change', 'grant', 'setting', 'category', 'holiday', 'template', 'token', 'department'];

/** A before/after JSON object as short "key: value" lines. */
function Change({ v }) {
    if (v === null || v === undefined) return html`<span class="muted">—</span>`;
    if (typeof v !== 'object') return html`<span>${String(v)}</span>`;
    return html`<span class="small">${Object.entries(v).map(([k, x]) => html`<span class="kv"><span class="mono">${k}</span>: ${String(x)}</span> `)}</span>`;
}

/** "Denetim kaydı" (issue 12): who changed what, when, from where; filters and older pages. */
function Audit() {
    const [filter, setFilter] = useState({ from: '', to: '', actor: '', kind: '' });
    const [applied, setApplied] = useState(filter);
    const [items, setItems] = useState(null);
    const [next, setNext] = useState(null);
    const [err, setErr] = useState(null);
    const query = (f, after) => {
        const q = new URLSearchParams({ limit: '50' });
        for (const k of ['from', 'to', 'actor', 'kind']) if (f[k]) q.set(k, f[k]);
        if (after) q.set('after', String(after));
        return `/api/v1/audit?${q}`;
    };
    const load = async (f, after) => {
        setErr(null);
        try {
            const r = await get(query(f, after));
            setItems((old) => (after ? [...(old || []), ...r.items] : r.items));
            setNext(r.next);
        } catch (e) { setErr(e); }
    };
    useEffect(() => { load(applied, null); }, [applied]);
    const set = (k) => (v) => setFilter((o) => ({ ...o, [k]: v }));
    return html`<section aria-labelledby="adm-h">
        <h1 id="adm-h">${t('rights.audit')}</h1>
        <form class="filters-inline" onSubmit=${(e) => { e.preventDefault(); setApplied({ ...filter }); }} aria-label=${t('rights.filter')}>
            <${Input} id="au-from" type="date" label=${t('rights.from')} value=${filter.from} onInput=${set('from')} />
            <${Input} id="au-to" type="date" label=${t('rights.to')} value=${filter.to} onInput=${set('to')} />
            <${Input} id="au-actor" label=${t('rights.actor')} value=${filter.actor} onInput=${set('actor')} />
            <${Select} id="au-kind" label=${t('rights.kind')} value=${filter.kind} onChange=${set('kind')} options=${wordOptions('audit.kind', AUDIT_KINDS)} placeholder=${t('common.all')} />
            <button type="submit" class="btn btn-secondary">${t('rights.filter')}</button>
        </form>
        <${Banner} error=${err} />
        ${!items ? html`<${Loading} />` : items.length === 0 ? html`<p>${t('rights.empty')}</p>` : html`<div class="table-wrap"><table class="grid audit">
            <thead><tr><th scope="col">${t('rights.at')}</th><th scope="col">${t('rights.actor')}</th><th scope="col">${t('rights.kind')}</th>
                <th scope="col">${t('rights.object')}</th><th scope="col">${t('rights.address')}</th><th scope="col">${t('rights.before')}</th><th scope="col">${t('rights.after')}</th></tr></thead>
            <tbody>${items.map((a) => html`<tr>
                <td data-label=${t('rights.at')}>${fmtDateTime(a.at)}</td>
                <td data-label=${t('rights.actor')} class="mono">${a.actor}</td>
                <td data-label=${t('rights.kind')}>${label('audit.kind', a.kind)}</td>
                <td data-label=${t('rights.object')} class="mono">${a.object}</td>
                <td data-label=${t('rights.address')} class="mono small">${a.address}</td>
                <td data-label=${t('rights.before')}><${Change} v=${a.before} /></td>
                <td data-label=${t('rights.after')}><${Change} v=${a.after} /></td></tr>`)}
            </tbody></table></div>`}
        ${next && html`<button type="button" class="btn btn-secondary" onClick=${() => load(applied, next)}>${t('rights.more')}</button>`}
    </section>`;
}

export default function Admin({ route, meta }) {
    const p = route.path;
    const Page = p.endsWith('/birimler') ? Departments : p.endsWith('/konular') ? Categories : p.endsWith('/tatiller') ? Holidays
        : p.endsWith('/modeller') ? Models : p.endsWith('/anahtarlar') ? Tokens : p.endsWith('/denetim') ? Audit : Users;
    return html`<div class="page page-wide admin">
        <${AdminTabs} path=${p} />
        <${Page} meta=${meta} key=${p} />
    </div>`;
}
