// Staff login. The session is an HttpOnly cookie set by POST /api/v1/session.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { Input, Banner, useForm } from '../ui.js';

export default function Login({ onLogin, notice }) {
    const f = useForm({ username: '', password: '' }, { __prefix: 'login-' });
    const [busy, setBusy] = useState(false);
    const userRef = useRef(null);
    useEffect(() => { if (userRef.current) userRef.current.focus(); }, []);

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

    return html`<div class="page page-narrow">
        <h1>${t('login.title')}</h1>
        ${notice && html`<${Banner} kind="info">${t(notice)}</${Banner}>`}
        <form class="card form" onSubmit=${submit} novalidate>
            <${Banner} error=${f.general} id="login-error" />
            <${Input} id="login-username" label=${t('login.username')} value=${f.values.username} onInput=${f.set('username')}
                error=${f.errors.username} required autocomplete="username" autocapitalize="none" spellcheck="false" inputRef=${userRef} />
            <${Input} id="login-password" type="password" label=${t('login.password')} value=${f.values.password}
                onInput=${f.set('password')} error=${f.errors.password} required autocomplete="current-password" />
            <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>${t('login.submit')}</button></div>
        </form>
        <p class="muted">${t('login.citizen')} <a href="/basvuru">${t('nav.portalForm')}</a> · <a href="/takip">${t('nav.portalTrack')}</a></p>
    </div>`;
}
