// /saha — the field team's phone (issue 16): today's open work of the crew's department,
// nearest first by the phone's position (the server sorts: GET /field/jobs?near=lat,lon), a
// map, one job's details and photos, and the actions accept / note / respond with an after
// photo taken in the page (resized here before it is sent). On a weak signal every action goes
// into a queue in localStorage first and is sent in order when the network answers; each
// carries an Idempotency-Key, so an action whose answer was lost is not done twice.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, fmtDateTime } from '../i18n.js';
import { get, ApiError } from '../api.js';
import { TextArea, Banner, Loading, StatusBadge, OverdueBadge } from '../ui.js';
import { loadLeaflet } from '../map.js';
import { getTileUrl, getTileAttribution, getMapCenter } from '../config.js';

const QUEUE = 'alo153.field.queue';
const FAILED = 'alo153.field.failed';
const MAX_SIDE = 1600; // pixels of the longer side of a photo sent from the field

function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || '[]'); } catch { return []; }
}
function save(key, v) {
    localStorage.setItem(key, JSON.stringify(v)); // may throw when full: the caller says so
}
function newKey() {
    const r = (crypto.randomUUID && crypto.randomUUID()) || `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    return `saha-${r}`;
}

/** The phone's position, or null (no permission, no fix within a few seconds). */
function position() {
    return new Promise((resolve) => {
        if (!navigator.geolocation) return resolve(null);
        navigator.geolocation.getCurrentPosition(
            (p) => resolve({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lon: Math.round(p.coords.longitude * 1e6) / 1e6 }),
            () => resolve(null), { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
    });
}

/** A photo file scaled to at most MAX_SIDE pixels, as a JPEG data URL (canvas drops EXIF;
 * the phone's position goes with the upload instead). */
async function resize(file) {
    const url = URL.createObjectURL(file);
    try {
        const img = await new Promise((resolve, reject) => {
            const i = new Image();
            i.onload = () => resolve(i);
            i.onerror = () => reject(new Error('image'));
            i.src = url;
        });
        const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        const c = document.createElement('canvas');
        c.width = Math.max(1, Math.round(img.naturalWidth * scale));
        c.height = Math.max(1, Math.round(img.naturalHeight * scale));
        c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
        return c.toDataURL('image/jpeg', 0.82);
    } finally {
        URL.revokeObjectURL(url);
    }
}

function dataUrlBytes(d) {
    const bin = atob(d.slice(d.indexOf(',') + 1));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
}

/** Send one queued action. Resolves with the HTTP answer; rejects only when the network failed. */
async function send(item) {
    const headers = { Accept: 'application/json', 'Idempotency-Key': item.key };
    let path = `/api/v1/applications/${item.appId}/${item.action}`;
    let body;
    if (item.action === 'photo') {
        const q = new URLSearchParams({ filename: item.filename, stage: item.stage });
        if (item.lat != null) { q.set('lat', item.lat); q.set('lon', item.lon); }
        path = `/api/v1/applications/${item.appId}/attachments?${q}`;
        headers['Content-Type'] = 'image/jpeg';
        body = dataUrlBytes(item.photo);
    } else {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(item.body || {});
    }
    const res = await fetch(path, { method: 'POST', headers, body, credentials: 'same-origin' });
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    return { status: res.status, data };
}

let flushing = null;
/** Send the queue in order until it is empty or the network fails. Refused actions (4xx) are
 * kept aside with their error, and the ones after them in the same job wait for the crew. */
export function flushQueue(onChange) {
    if (flushing) return flushing;
    flushing = (async () => {
        for (;;) {
            const q = load(QUEUE);
            if (!q.length) break;
            const item = q[0];
            let r;
            try {
                r = await send(item);
            } catch {
                break; // offline: try again when the network is back
            }
            if (r.status >= 500 || r.status === 409 && r.data && r.data.error && r.data.error.code === 'idempotency_in_progress') break;
            const rest = load(QUEUE).filter((x) => x.key !== item.key);
            if (r.status >= 400) {
                const failed = load(FAILED);
                const e = new ApiError(r.status, r.data);
                failed.push({ ...item, photo: undefined, error: { status: e.status, code: e.code, field: e.field, message: e.message } });
                save(FAILED, failed.slice(-20));
            }
            save(QUEUE, rest);
            if (onChange) onChange();
        }
        if (onChange) onChange();
    })().finally(() => { flushing = null; });
    return flushing;
}

function JobMap({ jobs, here, onOpen }) {
    const box = useRef(null);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
        let map = null;
        let cancelled = false;
        loadLeaflet().then((L) => {
            if (cancelled || !box.current) return;
            const pts = jobs.filter((j) => typeof j.lat === 'number');
            map = L.map(box.current, { attributionControl: !!getTileUrl(), zoomControl: true });
            const tiles = getTileUrl();
            if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: getTileAttribution() }).addTo(map);
            const all = pts.map((j) => [j.lat, j.lon]);
            if (here) all.push([here.lat, here.lon]);
            if (all.length) map.fitBounds(all, { padding: [24, 24], maxZoom: 16 });
            else map.setView(getMapCenter(), 11);
            pts.forEach((j, i) => L.marker([j.lat, j.lon], { title: `${i + 1}. ${j.tracking}` }).addTo(map).on('click', () => onOpen(j.id)));
            if (here) L.circleMarker([here.lat, here.lon], { radius: 7 }).addTo(map);
        }).catch(() => setFailed(true));
        return () => { cancelled = true; if (map) map.remove(); };
    }, [jobs, here]);
    if (failed) return html`<p class="muted">${t('fieldjob.noMap')}</p>`;
    return html`<div ref=${box} class="field-map" role="region" aria-label=${t('fieldjob.map')} style="height:220px"></div>`;
}

function Job({ id, here, onBack, enqueue, pending }) {
    const [app, setApp] = useState(null);
    const [error, setError] = useState(null);
    const [note, setNote] = useState('');
    const [response, setResponse] = useState('');
    const [photo, setPhoto] = useState(null);
    const [msg, setMsg] = useState(null);
    useEffect(() => {
        get(`/api/v1/applications/${id}`).then(setApp).catch(setError);
    }, [id]);
    if (error) return html`<${Banner} error=${error} />`;
    if (!app) return html`<${Loading} />`;
    const mine = pending.filter((p) => p.appId === app.id);
    const acceptQueued = mine.some((p) => p.action === 'accept');
    const canAccept = app.status === 'forwarded' && !acceptQueued;
    const open = ['forwarded', 'in_progress'].includes(app.status);
    const photos = (app.attachments || []).filter((f) => f.mime.startsWith('image/'));

    async function pick(e) {
        const file = e.target.files && e.target.files[0];
        if (!file) return;
        try {
            setPhoto(await resize(file));
        } catch {
            setMsg({ kind: 'error', text: t('fieldjob.photoUnreadable') });
        }
    }
    function act(items, done) {
        try {
            enqueue(items.map((x) => ({ ...x, key: newKey(), appId: app.id, tracking: app.tracking, at: new Date().toISOString() })));
            setMsg({ kind: 'ok', text: navigator.onLine ? t('fieldjob.sent') : t('fieldjob.queuedOffline') });
            done();
        } catch {
            setMsg({ kind: 'error', text: t('fieldjob.storageFull') });
        }
    }
    const close = () => {
        if (!response.trim()) return setMsg({ kind: 'error', text: t('fieldjob.needResponse') });
        if (!photo && !photos.some((f) => f.stage === 'after')) return setMsg({ kind: 'error', text: t('fieldjob.needPhoto') });
        const items = [];
        if (photo) items.push({ action: 'photo', photo, stage: 'after', filename: `sonra-${app.tracking}.jpg`, lat: here ? here.lat : null, lon: here ? here.lon : null });
        if (app.status === 'forwarded' && !acceptQueued) items.push({ action: 'accept', body: {} });
        items.push({ action: 'respond', body: { response: response.trim() } });
        act(items, () => { setPhoto(null); setResponse(''); });
    };
    return html`<section class="card field-job" aria-labelledby="job-title">
        <button type="button" class="btn btn-link" onClick=${onBack}>← ${t('fieldjob.back')}</button>
        <h2 id="job-title">${app.tracking} <${StatusBadge} status=${app.status} /> <${OverdueBadge} app=${app} /></h2>
        <p>${app.text}</p>
        <dl class="dl">
            <dt>${t('fieldjob.address')}</dt><dd>${[app.address, app.neighbourhood, app.district].filter(Boolean).join(', ') || t('common.none')}</dd>
            <dt>${t('fieldjob.due')}</dt><dd>${fmtDateTime(app.resolution_due)}</dd>
        </dl>
        ${typeof app.lat === 'number' && html`<p><a class="btn" href=${`geo:${app.lat},${app.lon}`} data-native>${t('fieldjob.navigate')}</a></p>`}
        ${photos.length > 0 && html`<ul class="field-photos" aria-label=${t('fieldjob.photos')}>${photos.map((f) => html`<li>
            <img src=${`/api/v1/applications/${app.id}/attachments/${f.id}`} alt=${t('fieldjob.photoAlt', { stage: f.stage ? t(`fieldjob.stage.${f.stage}`) : '', name: f.filename })} width="96" height="72" loading="lazy" />
            <span>${f.stage ? t(`fieldjob.stage.${f.stage}`) : ''} ${f.taken_at ? fmtDateTime(f.taken_at) : ''}</span></li>`)}</ul>`}
        ${mine.length > 0 && html`<p class="field-pending" role="status">${t('fieldjob.pendingHere', { n: mine.length })}</p>`}
        ${msg && html`<${Banner} kind=${msg.kind === 'ok' ? 'ok' : 'error'} error=${msg.kind === 'ok' ? null : msg.text}>${msg.kind === 'ok' ? msg.text : null}</${Banner}>`}
        ${open && html`<div class="field-actions">
            ${canAccept && html`<button type="button" class="btn btn-primary" data-act="accept" onClick=${() => act([{ action: 'accept', body: {} }], () => {})}>${t('fieldjob.accept')}</button>`}
            <form onSubmit=${(e) => { e.preventDefault(); if (note.trim()) act([{ action: 'note', body: { note: note.trim() } }], () => setNote('')); }}>
                <${TextArea} id="field-note" label=${t('fieldjob.note')} value=${note} onInput=${setNote} rows=${2} />
                <button type="submit" class="btn" data-act="note">${t('fieldjob.addNote')}</button>
            </form>
            <form onSubmit=${(e) => { e.preventDefault(); close(); }}>
                <label class="btn" for="field-photo">${photo ? t('fieldjob.retake') : t('fieldjob.takePhoto')}</label>
                <input id="field-photo" type="file" accept="image/jpeg,image/png,image/webp,image/*" capture="environment" class="sr-only" onChange=${pick} />
                ${photo && html`<img src=${photo} alt=${t('fieldjob.afterPreview')} class="field-preview" width="160" />`}
                <${TextArea} id="field-response" label=${t('fieldjob.response')} hint=${t('fieldjob.responseHint')} value=${response} onInput=${setResponse} rows=${3} />
                <button type="submit" class="btn btn-primary" data-act="respond">${t('fieldjob.closeJob')}</button>
            </form>
        </div>`}
    </section>`;
}

export default function Field({ me }) {
    const [jobs, setJobs] = useState(null);
    const [error, setError] = useState(null);
    const [here, setHere] = useState(null);
    const [openId, setOpenId] = useState(null);
    const [pending, setPending] = useState(() => load(QUEUE));
    const [failed, setFailed] = useState(() => load(FAILED));
    const [online, setOnline] = useState(navigator.onLine);

    const refreshQueue = () => { setPending(load(QUEUE)); setFailed(load(FAILED)); };
    async function reload() {
        const pos = await position();
        setHere(pos);
        try {
            const r = await get(`/api/v1/field/jobs${pos ? `?near=${pos.lat},${pos.lon}` : ''}`);
            setJobs(r.items);
            setError(null);
        } catch (e) {
            setError(e);
        }
    }
    const flush = () => flushQueue(refreshQueue).then(() => { if (navigator.onLine) reload(); });
    useEffect(() => {
        reload();
        flush();
        const on = () => { setOnline(true); flush(); };
        const off = () => setOnline(false);
        window.addEventListener('online', on);
        window.addEventListener('offline', off);
        return () => { window.removeEventListener('online', on); window.removeEventListener('offline', off); };
    }, []);
    function enqueue(items) {
        save(QUEUE, [...load(QUEUE), ...items]);
        refreshQueue();
        if (navigator.onLine) flush();
    }

    return html`<div class="page field-page">
        <h1>${t('fieldjob.title')}</h1>
        <p class="field-status" role="status" aria-live="polite" data-online=${online ? '1' : '0'} data-pending=${pending.length}>
            ${online ? t('fieldjob.online') : t('fieldjob.offline')}${pending.length > 0 ? ` · ${t('fieldjob.pending', { n: pending.length })}` : ''}
        </p>
        ${failed.length > 0 && html`<div class="field-failed">${failed.map((f) => html`<${Banner} error=${f.error}>${f.tracking}: ${t(`fieldjob.act.${f.action}`)}</${Banner}>`)}
            <button type="button" class="btn btn-link" onClick=${() => { save(FAILED, []); refreshQueue(); }}>${t('fieldjob.dismiss')}</button></div>`}
        ${openId ? html`<${Job} id=${openId} here=${here} pending=${pending} enqueue=${enqueue} onBack=${() => { setOpenId(null); reload(); }} />`
        : html`
            ${error && html`<${Banner} error=${error} />`}
            ${!jobs && !error && html`<${Loading} />`}
            ${jobs && html`<${JobMap} jobs=${jobs} here=${here} onOpen=${setOpenId} />
                ${!here && html`<p class="muted">${t('fieldjob.noPosition')}</p>`}
                ${jobs.length === 0 ? html`<p>${t('fieldjob.none')}</p>` : html`<ol class="field-list">${jobs.map((j) => html`<li>
                    <button type="button" class="field-item" data-id=${j.id} onClick=${() => setOpenId(j.id)}>
                        <strong>${j.tracking}</strong> <${StatusBadge} status=${j.status} />
                        ${j.distance_m != null && html`<span class="field-dist">${j.distance_m < 1000 ? t('fieldjob.metres', { n: j.distance_m }) : t('fieldjob.km', { n: (j.distance_m / 1000).toFixed(1) })}</span>`}
                        <span class="field-text">${j.text}</span>
                    </button></li>`)}</ol>`}
                <button type="button" class="btn" onClick=${reload}>${t('fieldjob.refresh')}</button>`}`}
    </div>`;
}

