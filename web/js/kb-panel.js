// The knowledge-base panel of the call-taker / Beyaz Masa screen (bilgi bankası): searches as
// the agent types (debounced) or, with an empty box, by the suggested category, the caller's
// district's and the province-wide articles first; an article opens to its body and other
// institutions' numbers, and "Anlık bilgi verildi — kapat" closes the contact as instant
// information with that article. With no open contact it registers one on the chosen channel
// (phone, desk, mobile desk with the bus's district) already closed, in one request.
// Keyboard: Alt+B puts the cursor in the search box; ↓/↑ move through the results, Enter opens.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { t, fmtDate } from './i18n.js';
import { get, post, qs } from './api.js';
import { Banner, Select, useDebounced, wordOptions } from './ui.js';
import { getDistricts } from './ref.js';

const CHANNELS = ['phone_153', 'phone_alt', 'desk', 'mobile_desk'];

/** Where an article applies: "İl geneli" or its districts' names. */
export function districtNames(a, districts) {
    if (!a.districts || a.districts.length === 0) return t('kb.provinceWide');
    return a.districts.map((id) => (districts.find((d) => d.id === id) || {}).name || `#${id}`).join(', ');
}

function ArticleView({ a, districts }) {
    return html`<article class="kb-article" aria-labelledby=${`kb-a-${a.id}`}>
        <h4 id=${`kb-a-${a.id}`}>${a.title}</h4>
        <p class="kb-meta muted">${districtNames(a, districts)}${a.valid_until ? ` · ${t('kb.until', { d: fmtDate(a.valid_until) })}` : ''} · ${t('kb.uses', { n: a.uses })}</p>
        <div class="kb-body">${a.body}</div>
        ${a.phones && a.phones.length > 0 && html`<ul class="kb-phones" aria-label=${t('kb.phones')}>
            ${a.phones.map((p) => html`<li><span class="kb-phone-name">${p.name}</span> <a class="kb-phone-number mono" href=${`tel:${p.number.replace(/[^0-9+]/g, '')}`} data-native>${p.number}</a></li>`)}
        </ul>`}
    </article>`;
}

export function KbPanel({ me, category, districtId, citizenId, contactId, onClosed }) {
    const [q, setQ] = useState('');
    const [items, setItems] = useState(null); // null: nothing asked yet
    const [err, setErr] = useState(null);
    const [open, setOpen] = useState(null);
    const [active, setActive] = useState(0);
    const [districts, setDistricts] = useState([]);
    const [channel, setChannel] = useState(me && me.role === 'desk' ? 'desk' : 'phone_153');
    const [busDistrict, setBusDistrict] = useState('');
    const [closeErr, setCloseErr] = useState(null);
    const [done, setDone] = useState(null);
    const [busy, setBusy] = useState(false);
    const inputRef = useRef(null);
    const dq = useDebounced(q, 300);

    useEffect(() => { getDistricts().then(setDistricts).catch(() => {}); }, []);

    // Alt+B: to the knowledge-base search from anywhere on the screen
    useEffect(() => {
        const onKey = (e) => {
            if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyB' || e.key === 'b' || e.key === 'B')) {
                e.preventDefault();
                if (inputRef.current) { inputRef.current.focus(); inputRef.current.select(); }
            }
        };
        window.addEventListener('keydown', onKey);
        return () => window.removeEventListener('keydown', onKey);
    }, []);

    useEffect(() => {
        const text = dq.trim();
        if (!text && !category) { setItems(null); return; }
        let live = true;
        const district = districtId || (channel === 'mobile_desk' ? busDistrict : '');
        get(`/api/v1/kb/articles${qs({ q: text, category: text ? '' : category, district, limit: 8 })}`)
            .then((r) => { if (live) { setItems(r.items); setErr(null); setActive(0); } })
            .catch((e) => { if (live) { setItems([]); setErr(e); } });
        return () => { live = false; };
    }, [dq, category, districtId, busDistrict, channel]);

    const choose = (a) => { setOpen(a); setDone(null); setCloseErr(null); };
    const onSearchKey = (e) => {
        if (!items || items.length === 0) return;
        if (e.key === 'ArrowDown') { e.preventDefault(); setActive((i) => Math.min(i + 1, items.length - 1)); }
        else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((i) => Math.max(i - 1, 0)); }
        else if (e.key === 'Enter') { e.preventDefault(); choose(items[active]); }
    };

    const close = async () => {
        if (!open || busy) return;
        setCloseErr(null);
        if (!contactId && channel === 'mobile_desk' && !busDistrict) {
            setCloseErr({ code: 'missing_field', field: 'district_id' });
            document.getElementById('kb-bus-district')?.focus();
            return;
        }
        setBusy(true);
        try {
            let c;
            if (contactId) {
                c = await post(`/api/v1/contacts/${contactId}/close`, { outcome: 'instant_info', kb_article_id: open.id });
            } else {
                const body = { channel, outcome: 'instant_info', kb_article_id: open.id };
                if (channel === 'mobile_desk') body.district_id = Number(busDistrict);
                else if (districtId) body.district_id = Number(districtId);
                if (citizenId) body.citizen_id = citizenId;
                c = await post('/api/v1/contacts', body);
            }
            setDone(c);
            setOpen({ ...open, uses: (open.uses || 0) + 1 });
            if (onClosed) onClosed(c);
        } catch (e) {
            setCloseErr(e);
        } finally {
            setBusy(false);
        }
    };

    return html`<section class="card panel-kb" aria-labelledby="kb-h">
        <h3 id="kb-h">${t('kb.panelTitle')}</h3>
        <div class="field">
            <label for="kb-q">${t('kb.search')} <span class="muted">(Alt+B)</span></label>
            <input id="kb-q" type="search" value=${q} ref=${inputRef} autocomplete="off"
                onInput=${(e) => setQ(e.currentTarget.value)} onKeyDown=${onSearchKey}
                aria-controls=${items ? 'kb-results' : undefined} aria-describedby="kb-q-hint" />
            <p class="hint" id="kb-q-hint">${!q.trim() && category ? t('kb.byCategory') : t('kb.searchHint')}</p>
        </div>
        <${Banner} error=${err} />
        ${items && html`<ul class="kb-results" id="kb-results" aria-label=${t('kb.results')}>
            ${items.length === 0 ? html`<li class="muted">${t('kb.noResults')}</li>` : items.map((a, i) => html`<li>
                <button type="button" class=${`kb-result ${i === active ? 'active' : ''} ${open && open.id === a.id ? 'open' : ''}`}
                    aria-pressed=${open && open.id === a.id ? 'true' : 'false'} data-article=${a.id} onClick=${() => { setActive(i); choose(a); }}>
                    <span class="kb-title">${a.title}</span>
                    <span class="kb-meta">${districtNames(a, districts)}${a.phones && a.phones.length ? ` · ${t('kb.phoneCount', { n: a.phones.length })}` : ''}</span>
                </button></li>`)}
        </ul>`}
        ${open && html`<div class="kb-open">
            <${ArticleView} a=${open} districts=${districts} />
            ${done ? html`<p class="banner banner-ok" role="status" id="kb-done">${t('kb.closed', { id: done.id })}</p>` : html`<div class="kb-close">
                ${!contactId && html`<div class="row">
                    <${Select} id="kb-channel" label=${t('kb.channel')} value=${channel} onChange=${setChannel}
                        options=${wordOptions('channel', CHANNELS)} />
                    ${channel === 'mobile_desk' && html`<${Select} id="kb-bus-district" label=${t('kb.busDistrict')} value=${busDistrict} onChange=${setBusDistrict}
                        placeholder=${t('common.choose')} options=${districts.map((d) => ({ value: String(d.id), label: d.name }))}
                        error=${closeErr && closeErr.field === 'district_id' ? closeErr : null} />`}
                </div>`}
                <button type="button" class="btn btn-primary" id="kb-close" onClick=${close} disabled=${busy}>${t('kb.closeInstant')}</button>
                ${closeErr && closeErr.field !== 'district_id' && html`<${Banner} error=${closeErr} />`}
            </div>`}
        </div>`}
    </section>`;
}
