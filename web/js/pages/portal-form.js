// The citizen's Beyaz Masa request form (no login; works on a 360 px phone). KVKK consent is
// required; "website" is a honeypot that people never see and bots fill in. When the server
// refuses, the message appears next to the field and everything typed stays.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { navigate } from '../router.js';
import { Input, TextArea, Select, Checkbox, Banner, useForm, wordOptions } from '../ui.js';
import { CategoryPicker } from '../category-picker.js';
import { LocationFields, locationBody, locationFieldMap } from '../location.js';

const KINDS = ['request', 'complaint', 'suggestion', 'tip', 'information', 'thanks'];
const EMPTY = { kind: 'request', text: '', category: null, district_id: '', neighbourhood_id: '', address: '', lat: '', lon: '', name: '', phone: '', email: '', consent: false, website: '' };

export default function PortalForm() {
    const f = useForm(EMPTY, { ...locationFieldMap, __prefix: 'pf-' });
    const [busy, setBusy] = useState(false);
    const [sent, setSent] = useState(null);
    const [formKey, setFormKey] = useState(0);
    const textRef = useRef(null);
    const doneRef = useRef(null);

    useEffect(() => {
        if (sent && doneRef.current) doneRef.current.focus();
    }, [sent]);

    const submit = async (e) => {
        e.preventDefault();
        f.clear();
        const v = f.values;
        const body = { kind: v.kind, text: v.text.trim(), consent: !!v.consent, website: v.website, ...locationBody(v) };
        if (v.category) body.category = v.category.code;
        for (const k of ['name', 'phone', 'email']) if (v[k].trim()) body[k] = v[k].trim();
        setBusy(true);
        try {
            const r = await post('/api/v1/public/applications', body);
            setSent(r);
        } catch (err) {
            f.fail(err);
        } finally {
            setBusy(false);
        }
    };

    if (sent) {
        return html`<div class="page page-narrow portal">
            <section class="card saved" aria-labelledby="pf-done-h">
                <h1 id="pf-done-h" tabindex="-1" ref=${doneRef}>${t('pf.sent')}</h1>
                <div class="bigcodes">
                    <div class="bigcode"><span class="bigcode-label">${t('field.tracking')}</span>
                        <output id="pf-tracking" class="bigcode-value mono">${sent.tracking}</output></div>
                    <div class="bigcode"><span class="bigcode-label">${t('field.accessCode')}</span>
                        <output id="pf-code" class="bigcode-value mono">${sent.access_code}</output></div>
                </div>
                <p>${t('pf.keep')}</p>
                <div class="actions">
                    <button type="button" class="btn btn-primary" onClick=${() => navigate(`/takip/${sent.tracking}`, { state: { code: sent.access_code } })}>${t('pf.trackIt')}</button>
                    <button type="button" class="btn btn-secondary" onClick=${() => { setSent(null); f.setValues(EMPTY); setFormKey((k) => k + 1); }}>${t('pf.another')}</button>
                </div>
            </section>
        </div>`;
    }

    return html`<div class="page page-narrow portal">
        <h1>${t('pf.title')}</h1>
        <p class="lead">${t('pf.intro')}</p>
        <form class="card form" onSubmit=${submit} novalidate key=${formKey} aria-describedby=${f.general ? 'pf-general' : undefined}>
            <${Banner} error=${f.general} id="pf-general" />
            <fieldset>
                <legend>${t('pf.about')}</legend>
                <${Select} id="pf-kind" label=${t('field.kind')} value=${f.values.kind} onChange=${f.set('kind')} options=${wordOptions('kind', KINDS)} error=${f.errors.kind} />
                <${TextArea} id="pf-text" label=${t('field.text')} value=${f.values.text} onInput=${f.set('text')} error=${f.errors.text} required rows="5" inputRef=${textRef} />
                <${CategoryPicker} id="pf-category" label=${t('field.category')} hint=${t('pf.categoryHint')} value=${f.values.category}
                    onChange=${f.set('category')} error=${f.errors.category} optional publicPage />
            </fieldset>
            <fieldset>
                <legend>${t('pf.where')}</legend>
                <${LocationFields} values=${f.values} set=${f.set} errors=${f.errors} prefix="pf-" />
            </fieldset>
            <fieldset>
                <legend>${t('pf.contact')}</legend>
                <p class="hint">${t('pf.contactHint')}</p>
                <${Input} id="pf-name" label=${t('field.name')} value=${f.values.name} onInput=${f.set('name')} error=${f.errors.name} optional autocomplete="name" />
                <${Input} id="pf-phone" type="tel" label=${t('field.phone')} value=${f.values.phone} onInput=${f.set('phone')} error=${f.errors.phone} autocomplete="tel" inputmode="tel" />
                <${Input} id="pf-email" type="email" label=${t('field.email')} value=${f.values.email} onInput=${f.set('email')} error=${f.errors.email} autocomplete="email" />
            </fieldset>
            <div class="hp" aria-hidden="true">
                <label for="pf-website">${t('field.website')}</label>
                <input id="pf-website" name="website" type="text" tabindex="-1" autocomplete="off" value=${f.values.website}
                    onInput=${(e) => f.set('website')(e.currentTarget.value)} />
            </div>
            <fieldset class="kvkk">
                <legend>${t('pf.kvkkTitle')}</legend>
                <p class="kvkk-text" id="pf-kvkk-text">${t('pf.kvkkText')}</p>
                <${Checkbox} id="pf-consent" label=${t('field.consent')} checked=${f.values.consent} onChange=${f.set('consent')} error=${f.errors.consent} />
            </fieldset>
            <div class="actions">
                <button type="submit" class="btn btn-primary btn-large" disabled=${busy}>${t('pf.submit')}</button>
            </div>
        </form>
    </div>`;
}
