// The wallboard for the centre's big screen ("Kent Yönetim Merkezi"): today's call figures,
// updated by the live stream's `kpi` events (every few seconds, no reload), in type that can be
// read from across the room, on a dark background. When the stream is down it says so at once
// and greys the figures out, so nobody trusts stale numbers.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, label, getLang } from '../i18n.js';
import { subscribe, onLiveState } from '../live.js';

const AGENT_STATES = ['ready', 'on_call', 'wrap_up', 'paused'];

function pct(x) {
    if (typeof x !== 'number' || !isFinite(x)) return '—';
    return new Intl.NumberFormat(getLang() === 'tr' ? 'tr-TR' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(x);
}

function secs(x) {
    if (typeof x !== 'number' || !isFinite(x)) return '—';
    const n = Math.round(x);
    return n < 60 ? t('wb.seconds', { n }) : t('wb.minutes', { m: Math.floor(n / 60), s: n % 60 });
}

function clock(iso) {
    if (!iso) return '';
    return new Intl.DateTimeFormat(getLang() === 'tr' ? 'tr-TR' : 'en-GB', { timeZone: 'Europe/Istanbul', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
}

function Tile({ id, name, value, tone, big }) {
    return html`<div class=${`wb-tile ${big ? 'wb-big' : ''} ${tone ? `wb-t-${tone}` : ''}`} data-figure=${id}>
        <div class="wb-label">${name}</div>
        <div class="wb-value" id=${`wb-${id}`}>${value}</div>
    </div>`;
}

export default function Wallboard() {
    const [k, setK] = useState(null);
    const [state, setState] = useState('connecting');
    useEffect(() => {
        document.body.classList.add('wallboard-mode');
        const off = subscribe('kpi', setK);
        const offState = onLiveState(setState);
        return () => {
            off();
            offState();
            document.body.classList.remove('wallboard-mode');
        };
    }, []);
    const c = (k && k.calls) || {};
    const a = (k && k.agents) || {};
    const sl = k && k.params ? k.params.service_level_s : 20;
    const down = state !== 'open';
    return html`<div class=${`wallboard ${down ? 'wb-stale' : ''}`} data-state=${state}>
        <header class="wb-head">
            <h1>${t('wb.title')}</h1>
            <div class="wb-meta">
                ${k && html`<span id="wb-updated">${t('wb.updated', { time: clock(k.at) })}</span>`}
                <a href="/pano" class="wb-exit">${t('nav.dashboard')}</a>
            </div>
        </header>
        ${down && html`<p class="wb-alert" role="alert" id="wb-alert">${state === 'connecting' && !k ? t('wb.connecting') : t('wb.disconnected')}</p>`}
        ${!k ? html`<p class="wb-wait">${t('wb.noData')}</p>` : html`
        <section class="wb-row wb-row-hero" aria-label=${t('wb.waiting')}>
            <${Tile} id="waiting" name=${t('wb.waiting')} value=${c.waiting ?? '—'} tone=${c.waiting > 0 ? 'alert' : 'ok'} big />
            <${Tile} id="longest" name=${t('wb.longest')} value=${secs(c.longest_waiting_s)} tone=${c.longest_waiting_s >= sl ? 'alert' : ''} big />
        </section>
        <section class="wb-row" aria-label=${t('wb.today')}>
            <${Tile} id="offered" name=${t('wb.offered')} value=${c.offered ?? '—'} />
            <${Tile} id="answered" name=${t('wb.answered')} value=${c.answered ?? '—'} tone="ok" />
            <${Tile} id="abandoned" name=${t('wb.abandoned')} value=${c.abandoned ?? '—'} tone=${c.abandoned > 0 ? 'warn' : ''} />
        </section>
        <section class="wb-row">
            <${Tile} id="answer-rate" name=${t('wb.answerRate')} value=${pct(c.answer_rate)} />
            <${Tile} id="service-level" name=${t('wb.serviceLevel', { s: sl })} value=${pct(c.service_level)} />
            <${Tile} id="asa" name=${t('wb.asa')} value=${secs(c.asa_s)} />
            <${Tile} id="aht" name=${t('wb.aht')} value=${secs(c.aht_s)} />
        </section>
        <section class="wb-row wb-agents" aria-label=${t('wb.agents')}>
            <h2 class="wb-label">${t('wb.agents')}</h2>
            ${AGENT_STATES.map((s) => html`<${Tile} id=${`agents-${s}`} name=${label('agentState', s)} value=${a[s] ?? 0} tone=${`agent-${s}`} />`)}
        </section>`}
    </div>`;
}
