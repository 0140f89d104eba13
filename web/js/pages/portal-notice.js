// The information notice (aydınlatma metni, KVKK art. 10) in full: the text the admin wrote
// (PATCH /settings privacy_notice, GET /public/notice), else the built-in one.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { get } from '../api.js';
import { portalSetup, PortalNav } from './portal-pwa.js';

export default function PortalNotice() {
    portalSetup();
    const [text, setText] = useState(undefined);
    useEffect(() => {
        get('/api/v1/public/notice').then((r) => setText(r && r.text ? r.text : null)).catch(() => setText(null));
    }, []);
    const paras = (text || t('pn.builtIn')).split(/\n\s*\n/);
    return html`<div class="page page-narrow portal">
        <${PortalNav} here="/aydinlatma" />
        <h1>${t('pn.title')}</h1>
        <article class="card notice" id="pn-text" aria-busy=${text === undefined ? 'true' : undefined}>
            ${text !== undefined && paras.map((p) => html`<p>${p}</p>`)}
        </article>
    </div>`;
}
