// Staff login. The session is an HttpOnly cookie set by POST /api/v1/session.
// dialog: the session ended while someone worked; the same form over the page (app.js ReLogin),
// with the username filled in, so nothing typed on the page is lost.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { Input, Banner, useForm } from '../ui.js';

export default function Login({ onLogin, onLogout, notice, dialog = false, username = '' }) {
    const f = useForm({ username, password: '' }, { __prefix: 'login-' });
    const [busy, setBusy] = useState(false);
    const userRef = useRef(null);
    const passRef = useRef(null);
    useEffect(() => {
        const el = dialog && username ? passRef.current : userRef.current;
        if (el) el.focus();
    }, []);

    const submit = async (e) => {
        e.preventDefault();
        f.clear();
        const errs = {};
        if (!f.values.username.trim()) errs.username = 'err.required';
        if (!f.values.password) errs.password = 'err.required';
        if (Object.keys(errs).length) {
            f.setErrors(errs);
            document.getElementById(`login-${Object.keys(errs)[0]}`).focus();
            return;
        }
        setBusy(true);
        try {
            const r = await post('/api/v1/session', { username: f.values.username.trim(), password: f.values.password }, { quiet401: true });
            onLogin(r.user);
        } catch (err) {
            // wrong credentials concern both fields: show it once, above the form
            f.setGeneral(err);
        } finally {
            setBusy(false);
        }
    };

    const form = html`<form class=${dialog ? 'form' : 'card form'} onSubmit=${submit} novalidate>
            <${Banner} error=${f.general} id="login-error" />
            <${Input} id="login-username" label=${t('login.username')} value=${f.values.username} onInput=${f.set('username')}
                error=${f.errors.username} required autocomplete="username" autocapitalize="none" spellcheck="false" inputRef=${userRef} />
            <${Input} id="login-password" type="password" label=${t('login.password')} value=${f.values.password}
                onInput=${f.set('password')} error=${f.errors.password} required autocomplete="current-password" inputRef=${passRef} />
            <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>${t('login.submit')}</button>
                ${dialog && html`<button type="button" class="btn btn-secondary" onClick=${onLogout}>${t('relogin.logout')}</button>`}</div>
        </form>`;
    if (dialog) {
        return html`<div class="page">
            <h2 id="relogin-title">${t('relogin.title')}</h2>
            <p id="relogin-text">${t('relogin.text')}</p>
            ${form}
        </div>`;
    }
    return html`<div class="page page-narrow">
        <h1>${t('login.title')}</h1>
        ${notice && html`<${Banner} kind="info">${t(notice)}</${Banner}>`}
        ${form}
        <p class="muted">${t('login.citizen')} <a href="/basvuru">${t('nav.portalForm')}</a> · <a href="/takip">${t('nav.portalTrack')}</a></p>
    </div>`;
}
