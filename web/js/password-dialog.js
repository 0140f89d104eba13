// "Parolamı değiştir" (issue 12): every signed-in staff member changes their own password from
// the header. POST /api/v1/me/password {current, new}; the server ends the user's other sessions
// and hands this one a new cookie.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { t } from './i18n.js';
import { post } from './api.js';
import { Input, Banner, useForm } from './ui.js';

export function PasswordDialog({ onClose }) {
    const f = useForm({ current: '', next: '', again: '' }, { __prefix: 'pw-', new: 'next' });
    const [busy, setBusy] = useState(false);
    const [done, setDone] = useState(false);
    const first = useRef(null);
    useEffect(() => { if (first.current) first.current.focus(); }, []);
    const submit = async (e) => {
        e.preventDefault();
        f.clear();
        if (!f.values.current) { f.setErrors({ current: 'err.required' }); return; }
        if (!f.values.next) { f.setErrors({ next: 'err.required' }); return; }
        if (f.values.next !== f.values.again) { f.setErrors({ again: 'rights.mismatch' }); return; }
        setBusy(true);
        try {
            await post('/api/v1/me/password', { current: f.values.current, new: f.values.next });
            setDone(true);
        } catch (err) {
            f.fail(err);
        } finally {
            setBusy(false);
        }
    };
    const onKey = (e) => { if (e.key === 'Escape') onClose(); };
    return html`<div class="modal-backdrop" onKeyDown=${onKey}>
        <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="pw-title" id="password-dialog">
            <h2 id="pw-title">${t('rights.password')}</h2>
            ${done ? html`<p class="banner banner-ok" role="status">${t('rights.changed')}</p>
                <div class="actions"><button type="button" class="btn btn-primary" onClick=${onClose}>${t('common.close')}</button></div>`
            : html`<form class="form" onSubmit=${submit} novalidate>
                <${Banner} error=${f.general} />
                <${Input} id="pw-current" type="password" label=${t('rights.current')} value=${f.values.current} onInput=${f.set('current')}
                    error=${f.errors.current} required autocomplete="current-password" inputRef=${first} />
                <${Input} id="pw-next" type="password" label=${t('rights.new')} value=${f.values.next} onInput=${f.set('next')}
                    error=${f.errors.next} required autocomplete="new-password" />
                <${Input} id="pw-again" type="password" label=${t('rights.newAgain')} value=${f.values.again} onInput=${f.set('again')}
                    error=${f.errors.again} required autocomplete="new-password" />
                <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>${t('common.save')}</button>
                    <button type="button" class="btn btn-secondary" onClick=${onClose}>${t('common.cancel')}</button></div>
            </form>`}
        </div>
    </div>`;
}
