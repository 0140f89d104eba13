// "Başvurularım": the applications made on this device (their tracking numbers and access codes
// are kept in this browser only, portal-store.js), each opening the tracking page; and those
// still waiting for a network.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, fmtDateTime } from '../i18n.js';
import { navigate } from '../router.js';
import { portalSetup, PortalNav } from './portal-pwa.js';
import { mine, forget, outbox } from './portal-store.js';
import { flushOutbox } from './portal-form.js';

export default function PortalMine() {
    portalSetup();
    const [items, setItems] = useState(mine);
    const [waiting, setWaiting] = useState(() => outbox().length);

    useEffect(() => {
        const again = () => { setItems(mine()); setWaiting(outbox().length); };
        const kick = () => { if (outbox().length) flushOutbox().then(again); };
        window.addEventListener('online', kick);
        if (navigator.onLine) kick();
        return () => window.removeEventListener('online', kick);
    }, []);

    return html`<div class="page page-narrow portal">
        <${PortalNav} here="/basvurularim" />
        <h1>${t('pm.title')}</h1>
        <p class="lead">${t('pm.intro')}</p>
        ${waiting > 0 && html`<p class="banner banner-info" role="status" id="pm-waiting">${t('pm.waiting', { n: waiting })}</p>`}
        ${items.length === 0 ? html`<p class="muted" id="pm-empty">${t('pm.empty')}</p>` : html`<ul class="mine-list" id="pm-list">
            ${items.map((a) => html`<li class="card mine-item">
                <a class="mine-open" href=${`/takip/${a.tracking}`} onClick=${(e) => { e.preventDefault(); navigate(`/takip/${a.tracking}`, { state: { code: a.code } }); }}>
                    <span class="mono mine-tracking">${a.tracking}</span>
                    ${a.text && html`<span class="mine-text">${a.text}</span>`}
                    ${a.created_at && html`<span class="muted mine-date">${fmtDateTime(a.created_at)}</span>`}
                </a>
                <p class="mine-code">${t('field.accessCode')}: <span class="mono">${a.code}</span></p>
                <button type="button" class="btn btn-link" onClick=${() => { if (confirm(t('pm.forgetConfirm'))) { forget(a.tracking); setItems(mine()); } }}>${t('pm.forget')}</button>
            </li>`)}
        </ul>`}
        <p><a href="/basvuru" class="btn btn-primary" onClick=${(e) => { e.preventDefault(); navigate('/basvuru'); }}>${t('pf.another')}</a></p>
    </div>`;
}
