// The screen pop of the call-taker screen: listens to the live stream's `screen_pop` events (a
// call of this agent was answered) and shows the "Çağrı geldi" notice with the caller, the call
// and the caller's past contacts; the page opens the caller's card itself (onPop). The popped
// contact stays the current one until the next call or until it is closed with the
// application registered during it.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { t, label, fmtDateTime } from './i18n.js';
import { post } from './api.js';
import { Banner } from './ui.js';
import { subscribe, onLiveState } from './live.js';

/** The latest pop ({id, kind, at, contact, caller}) or null, and the live stream's state;
 * onPop(pop) runs once per pop. */
export function useScreenPop(onPop) {
    const [pop, setPop] = useState(null);
    const [state, setState] = useState('closed');
    useEffect(() => {
        const off = subscribe('screen_pop', (p) => {
            setPop(p);
            onPop(p);
        });
        const offState = onLiveState(setState);
        return () => { off(); offState(); };
    }, []);
    return { pop, setPop, state };
}

/** A short line with the stream's state (the agent must know when pops cannot arrive). */
export function LiveState({ state }) {
    return html`<p class=${`live-state live-${state}`} role="status" data-live=${state}>
        <span class="live-dot" aria-hidden="true"></span>${t(`live.state.${state}`)}</p>`;
}

/** The "Çağrı geldi" notice. saved: the application saved on this screen (may be null). */
export function CallPop({ pop, saved, keptWork, onDismiss }) {
    const [closed, setClosed] = useState(false);
    const [err, setErr] = useState(null);
    const [busy, setBusy] = useState(false);
    useEffect(() => { setClosed(false); setErr(null); }, [pop && pop.id]);
    if (!pop || !pop.contact) return null;
    const c = pop.contact;
    const who = pop.caller ? pop.caller.name || pop.caller.phone : c.caller || null;
    const contacts = (pop.caller && pop.caller.contacts) || [];
    const open = contacts.filter((x) => !x.outcome);
    const past = [...open, ...contacts.filter((x) => x.outcome)];
    const closeWithApp = async () => {
        setBusy(true);
        setErr(null);
        try {
            await post(`/api/v1/contacts/${c.id}/close`, { outcome: 'application', application_id: saved.id });
            setClosed(true);
        } catch (e) {
            setErr(e);
        } finally {
            setBusy(false);
        }
    };
    return html`<section class="card call-pop" role="alert" aria-labelledby="pop-h" data-contact=${c.id}>
        <div class="call-pop-head">
            <h2 id="pop-h"><span class="call-pop-bell" aria-hidden="true">☎</span> ${t('live.popTitle')}</h2>
            <button type="button" class="btn btn-link btn-small" onClick=${onDismiss}>${t('live.dismiss')}</button>
        </div>
        <p class="call-pop-who">${who ? t('live.popFrom', { who }) : t('live.hiddenCaller')}${!pop.caller && who ? html` <span class="muted">(${t('live.unknownCaller')})</span>` : ''}</p>
        <p class="muted">${t('live.callInfo', { call: c.call_id || '—', wait: c.wait_s ?? '—' })} · ${fmtDateTime(c.answered_at || pop.at)} · <strong>${t('live.contact', { id: c.id })}</strong></p>
        ${keptWork && html`<p class="muted">${t('live.keptWork')}</p>`}
        ${pop.caller && html`<details class="call-pop-contacts" open=${past.length > 0}>
            <summary>${t('live.pastContacts')} <span class="count">(${past.length})</span></summary>
            ${past.length === 0 ? html`<p class="muted">${t('live.noPastContacts')}</p>` : html`<ul class="past-apps">
                ${past.slice(0, 6).map((x) => html`<li class="past-row">
                    <span>${label('channel', x.channel)}</span>
                    <span>${x.outcome ? label('outcome', x.outcome) : html`<strong>${t('live.contactOpen')}</strong>`}</span>
                    <span class="past-date">${fmtDateTime(x.started_at)}</span>
                </li>`)}
            </ul>`}
        </details>`}
        ${saved && !closed && !c.outcome && html`<div class="actions">
            <button type="button" class="btn btn-secondary" disabled=${busy} onClick=${closeWithApp}>${t('live.closeWithApp')}</button>
        </div>`}
        ${closed && html`<p class="banner banner-info" role="status">${t('live.closed')}</p>`}
        <${Banner} error=${err} />
    </section>`;
}
