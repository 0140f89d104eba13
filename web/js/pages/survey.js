// The satisfaction survey (/anket/:token, no login; issue 15): the link a citizen gets after
// closure. Rate 1–5 and an optional comment, once. A used link says so; a link that is not
// valid (altered, expired) says that, and nothing else. Built for a 360 px phone: big targets,
// one column, no table.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { Banner, Loading, TextArea } from '../ui.js';

const STARS = [1, 2, 3, 4, 5];

export default function Survey({ params }) {
    const token = params.token;
    const [view, setView] = useState(null);
    const [state, setState] = useState('loading'); // loading | form | invalid | used | done
    const [rating, setRating] = useState(0);
    const [comment, setComment] = useState('');
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);

    useEffect(() => {
        get(`/api/v1/public/surveys/${encodeURIComponent(token)}`)
            .then((v) => { setView(v); setState(v.used ? 'used' : 'form'); })
            .catch((e) => { if (e.status === 404) setState('invalid'); else { setError(e); setState('form'); } });
    }, [token]);

    const submit = async (e) => {
        e.preventDefault();
        setError(null);
        if (!rating) { setError('survey.pick'); return; }
        setBusy(true);
        try {
            await post(`/api/v1/public/surveys/${encodeURIComponent(token)}`, { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) });
            setState('done');
        } catch (err) {
            if (err.status === 409 && err.code === 'token_used') setState('used');
            else if (err.status === 404) setState('invalid');
            else setError(err);
        } finally {
            setBusy(false);
        }
    };

    let body;
    if (state === 'loading') body = html`<${Loading} />`;
    else if (state === 'invalid') body = html`<p class="survey-msg" role="alert" data-state="invalid">${t('survey.invalid')}</p>`;
    else if (state === 'used') body = html`<p class="survey-msg" role="status" data-state="used">${t('survey.used')}</p>`;
    else if (state === 'done') body = html`<p class="survey-msg" role="status" data-state="done">${t('survey.thanks')}</p>`;
    else {
        body = html`<form onSubmit=${submit} noValidate>
            ${view && html`<p>${t('survey.about', { tracking: view.tracking })}${view.category ? ` (${view.category})` : ''}</p>`}
            <fieldset class="survey-stars">
                <legend>${t('survey.question')}</legend>
                <div style="display:flex;flex-wrap:wrap;gap:.5rem">
                    ${STARS.map((n) => html`<label class=${`btn survey-star ${rating === n ? 'on' : ''}`} style="min-width:3rem;min-height:3rem;display:inline-flex;align-items:center;justify-content:center;gap:.25rem">
                        <input type="radio" name="rating" value=${n} checked=${rating === n} onChange=${() => setRating(n)} />
                        <span>${n}</span>
                    </label>`)}
                </div>
                <p class="hint">${t('survey.scale')}</p>
            </fieldset>
            <${TextArea} id="survey-comment" label=${t('survey.comment')} optional value=${comment} onInput=${setComment} maxLength="2000" />
            ${error && html`<${Banner} error=${error} />`}
            <button type="submit" class="btn primary" disabled=${busy} style="width:100%;min-height:3rem;margin-top:1rem">${t('survey.send')}</button>
        </form>`;
    }
    return html`<section class="survey" style="max-width:32rem;margin:0 auto;padding:0 .75rem">
        <h1>${t('survey.title')}</h1>
        ${body}
    </section>`;
}
