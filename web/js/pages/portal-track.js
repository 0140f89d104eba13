// Tracking by number + access code (no login). A wrong code shows nothing of the application:
// the server answers 404 for any mismatch and the page clears what it showed before.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, fmtDateTime, fmtDate } from '../i18n.js';
import { get } from '../api.js';
import { navigate } from '../router.js';
import { Input, Banner, StatusBadge, Timeline, Dl, useForm } from '../ui.js';
import { normaliseTracking } from '../tracking.js';
import { portalSetup, PortalNav } from './portal-pwa.js';
import { mine } from './portal-store.js';


export default function PortalTrack({ params, route }) {
    portalSetup();
    const fromDevice = params && params.tracking ? (mine().find((a) => a.tracking === normaliseTracking(params.tracking)) || null) : null;
    const initialCode = (route.state && route.state.code) || (fromDevice && fromDevice.code) || '';
    const f = useForm({ tracking: (params && params.tracking) || route.query.get('no') || '', code: initialCode }, { __prefix: 'tr-' });
    const [result, setResult] = useState(null);
    const [notFound, setNotFound] = useState(false);
    const [busy, setBusy] = useState(false);
    const resRef = useRef(null);
    const first = useRef(null);

    const lookup = async (tracking, code) => {
        setResult(null);
        setNotFound(false);
        f.clear();
        const errs = {};
        const canonical = normaliseTracking(tracking);
        if (!canonical) errs.tracking = tracking ? 'err.trackingFormat' : 'err.required';
        else tracking = canonical;
        if (!code) errs.code = 'err.required';
        if (Object.keys(errs).length) {
            f.setErrors(errs);
            const el = document.getElementById(`tr-${Object.keys(errs)[0]}`);
            if (el) el.focus();
            return;
        }
        setBusy(true);
        try {
            const r = await get(`/api/v1/public/applications/${encodeURIComponent(tracking)}?code=${encodeURIComponent(code)}`);
            setResult(r);
            // keep the number in the address bar, never the code
            if (location.pathname !== `/takip/${tracking}`) history.replaceState(null, '', `/takip/${tracking}`);
            else if (history.state) history.replaceState(null, '', location.pathname);
            setTimeout(() => resRef.current && resRef.current.focus(), 0);
        } catch (err) {
            if (err.status === 404) setNotFound(true);
            else f.setGeneral(err);
        } finally {
            setBusy(false);
        }
    };

    useEffect(() => {
        if (f.values.tracking && f.values.code) lookup(f.values.tracking.trim(), f.values.code.trim());
        else if (first.current) first.current.focus();
    }, []);

    const submit = (e) => {
        e.preventDefault();
        lookup(f.values.tracking.trim(), f.values.code.trim().toUpperCase());
    };

    return html`<div class="page page-narrow portal">
        <${PortalNav} here="/takip" />
        <h1>${t('tr.title')}</h1>
        <p class="lead">${t('tr.intro')}</p>
        <form class="card form" onSubmit=${submit} novalidate role="search" aria-label=${t('tr.title')}>
            <${Banner} error=${f.general} />
            <div class="row">
                <${Input} id="tr-tracking" label=${t('field.tracking')} hint=${t('tr.formatHint')} value=${f.values.tracking}
                    onInput=${f.set('tracking')} error=${f.errors.tracking} required inputmode="numeric" autocomplete="off" class="mono-input"
                    inputRef=${f.values.tracking ? undefined : first} />
                <${Input} id="tr-code" label=${t('field.accessCode')} value=${f.values.code} onInput=${f.set('code')} error=${f.errors.code}
                    required autocomplete="off" autocapitalize="characters" spellcheck="false" class="mono-input"
                    inputRef=${f.values.tracking ? first : undefined} />
            </div>
            <div class="actions"><button type="submit" class="btn btn-primary btn-large" disabled=${busy}>${t('tr.submit')}</button></div>
        </form>
        ${notFound && html`<p class="banner banner-error" role="alert" id="tr-notfound">${t('tr.notFound')}</p>`}
        ${result && html`<section class="card track-result" aria-labelledby="tr-res-h" id="tr-result">
            <h2 id="tr-res-h" tabindex="-1" ref=${resRef}>${t('tr.status')}: <${StatusBadge} status=${result.status} /></h2>
            <${Dl} items=${[
                [t('field.tracking'), html`<span class="mono">${result.tracking}</span>`],
                result.category && [t('field.category'), (document.documentElement.lang === 'en' && result.category_en) || result.category],
                [t('field.createdAt'), fmtDateTime(result.created_at)],
                result.resolution_due && !result.public_response && [t('tr.due'), fmtDate(result.resolution_due)],
            ]} />
            <section class=${`answer ${result.public_response ? 'has-answer' : ''}`} aria-labelledby="tr-answer-h">
                <h3 id="tr-answer-h">${t('tr.answer')}</h3>
                ${result.public_response ? html`<p id="tr-answer" class="response-text">${result.public_response}</p>` : html`<p class="muted">${t('tr.noAnswer')}</p>`}
            </section>
            ${result.redirect && html`<p class="banner banner-info">${t('tr.redirect', { to: result.redirect })}</p>`}
            <h3>${t('tr.timeline')}</h3>
            <${Timeline} events=${result.timeline} citizen answer=${result.public_response} />
        </section>`}
        <p class="muted"><a href="/basvuru" onClick=${(e) => { e.preventDefault(); navigate('/basvuru'); }}>${t('nav.portalForm')}</a></p>
    </div>`;
}
