// Small shared components: labelled inputs with their error next to them, badges, the history
// timeline, and hooks for loading data.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { t, label, errorText, fmtDateTime } from './i18n.js';

function describedBy(id, hint, error) {
    const ids = [];
    if (hint) ids.push(`${id}-hint`);
    if (error) ids.push(`${id}-err`);
    return ids.length ? ids.join(' ') : undefined;
}

/** The message under a field: complete Turkish (or English) text from the error's code, field
 * and reason. The API's own (English, developer) message is never shown: it stays in a data
 * attribute for support and in the browser console. */
export function FieldError({ id, error }) {
    if (!error) return null;
    const e = errorText(error);
    return html`<p class="field-error" id=${`${id}-err`} data-field=${id} data-code=${e.key || undefined}>
        <span class="icon" aria-hidden="true">⚠</span> ${e.text}
    </p>`;
}

export function Banner({ error, kind = 'error', children, id }) {
    if (!error && !children) return null;
    const e = error ? errorText(error) : null;
    return html`<div class="banner banner-${kind}" role=${kind === 'error' ? 'alert' : 'status'} id=${id}>
        ${e && html`<span data-code=${e.key || undefined}>${e.text}</span>`}
        ${children}
    </div>`;
}

function Label({ id, text, required, optional }) {
    return html`<label for=${id}>${text}${required && html`<span class="req" title=${t('common.required')}> *</span>`}${optional && html` <span class="opt">${t('common.optional')}</span>`}</label>`;
}

export function Input({ id, label: text, value, onInput, error, hint, type = 'text', required, optional, inputRef, class: cls, ...rest }) {
    return html`<div class=${`field ${error ? 'has-error' : ''} ${cls || ''}`}>
        <${Label} id=${id} text=${text} required=${required} optional=${optional} />
        ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
        <input id=${id} name=${id} type=${type} value=${value ?? ''}
            onInput=${(e) => onInput && onInput(e.currentTarget.value)}
            aria-invalid=${error ? 'true' : undefined} aria-required=${required ? 'true' : undefined}
            aria-describedby=${describedBy(id, hint, error)} ref=${inputRef} ...${rest} />
        <${FieldError} id=${id} error=${error} />
    </div>`;
}

export function TextArea({ id, label: text, value, onInput, error, hint, required, optional, inputRef, rows = 4, class: cls, ...rest }) {
    return html`<div class=${`field ${error ? 'has-error' : ''} ${cls || ''}`}>
        <${Label} id=${id} text=${text} required=${required} optional=${optional} />
        ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
        <textarea id=${id} name=${id} rows=${rows} value=${value ?? ''}
            onInput=${(e) => onInput && onInput(e.currentTarget.value)}
            aria-invalid=${error ? 'true' : undefined} aria-required=${required ? 'true' : undefined}
            aria-describedby=${describedBy(id, hint, error)} ref=${inputRef} ...${rest}></textarea>
        <${FieldError} id=${id} error=${error} />
    </div>`;
}

/** options: [{value, label}] ; placeholder: text of the empty first option (omit for none). */
export function Select({ id, label: text, value, onChange, options, placeholder, error, hint, required, optional, inputRef, class: cls, ...rest }) {
    return html`<div class=${`field ${error ? 'has-error' : ''} ${cls || ''}`}>
        <${Label} id=${id} text=${text} required=${required} optional=${optional} />
        ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
        <select id=${id} name=${id} value=${value ?? ''} onChange=${(e) => onChange(e.currentTarget.value)}
            aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy(id, hint, error)} ref=${inputRef} ...${rest}>
            ${placeholder !== undefined && html`<option value="">${placeholder}</option>`}
            ${(options || []).map((o) => html`<option value=${o.value} selected=${String(o.value) === String(value ?? '')}>${o.label}</option>`)}
        </select>
        <${FieldError} id=${id} error=${error} />
    </div>`;
}

export function Checkbox({ id, label: text, checked, onChange, error, hint, inputRef, class: cls, ...rest }) {
    return html`<div class=${`field field-check ${error ? 'has-error' : ''} ${cls || ''}`}>
        <div class="check-row">
            <input id=${id} name=${id} type="checkbox" checked=${!!checked} onChange=${(e) => onChange(e.currentTarget.checked)}
                aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy(id, hint, error)} ref=${inputRef} ...${rest} />
            <label for=${id}>${text}</label>
        </div>
        ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
        <${FieldError} id=${id} error=${error} />
    </div>`;
}

/** Options for a vocabulary list from /meta, labelled in the current language. */
export function wordOptions(group, words) {
    return (words || []).map((w) => ({ value: w, label: label(group, w) }));
}

export function StatusBadge({ status }) {
    return html`<span class=${`badge status-${status}`}>${label('status', status)}</span>`;
}

export function PriorityBadge({ priority }) {
    if (!priority || priority === 'normal') return null;
    return html`<span class=${`badge prio-${priority}`}>${label('priority', priority)}</span>`;
}

export function OverdueBadge({ app }) {
    if (!app || !app.overdue) return null;
    return html`<span class="badge overdue"><span aria-hidden="true">! </span>${t('list.overdue')}</span>`;
}

export function Loading() {
    return html`<p class="loading" role="status">${t('common.loading')}</p>`;
}

/**
 * The history of an application. public=true: the citizen's view (no names, only public notes).
 * Internal notes are marked so that nobody mistakes them for the answer.
 */
/** answer: the public answer the page already shows in full; its own "respond" event then says
 * "see above" instead of repeating it (the portal showed it twice, issue 14 item 12). */
export function Timeline({ events, citizen = false, deptName, answer = null }) {
    if (!events || !events.length) return null;
    return html`<ol class="timeline">
        ${events.map((e) => {
            // what the citizen sees of a note: the answer and where to turn (as the public API)
            const isDept = (e.action === 'route' || e.action === 'transfer') && e.note && /^[A-Z0-9_]+$/.test(e.note);
            const isPublicNote = e.action === 'respond' || e.action === 'out-of-scope';
            const isInternal = !citizen && e.note && !isPublicNote && !isDept;
            return html`<li class=${`tl-item tl-${e.action} ${isInternal ? 'tl-internal' : ''} ${isPublicNote && e.note ? 'tl-public' : ''}`}>
                <div class="tl-head">
                    <time datetime=${e.at}>${fmtDateTime(e.at)}</time>
                    <strong class="tl-action">${label('event', e.action)}</strong>
                    ${isDept && html`<span class="tl-dept">→ ${deptName ? deptName(e.note) : e.note}</span>`}
                    ${e.from && e.to && e.from !== e.to && html`<span class="tl-move">${label('status', e.from)} → ${label('status', e.to)}</span>`}
                    ${!e.from && e.to && html`<span class="tl-move">${label('status', e.to)}</span>`}
                    ${!citizen && e.user && html`<span class="tl-user">${e.user}</span>`}
                </div>
                ${e.note && !isDept && answer && isPublicNote && e.note === answer && html`<p class="tl-note tl-see-above">${t('tl.answerAbove')}</p>`}
                ${e.note && !isDept && !(answer && isPublicNote && e.note === answer) && html`<div class="tl-note">
                    ${!citizen && html`<span class=${`note-kind ${isInternal ? 'internal' : 'public'}`}>${isInternal ? t('det.internal') : t('det.public')}</span>`}
                    <p>${e.note}</p>
                </div>`}
            </li>`;
        })}
    </ol>`;
}

/** Load data with an async function; reload() runs it again. */
export function useAsync(fn, deps) {
    const [state, setState] = useState({ loading: true, data: null, error: null });
    const seq = useRef(0);
    const run = useCallback(() => {
        const my = ++seq.current;
        setState((s) => ({ ...s, loading: true, error: null }));
        Promise.resolve()
            .then(fn)
            .then((data) => { if (my === seq.current) setState({ loading: false, data, error: null }); })
            .catch((error) => { if (my === seq.current) setState({ loading: false, data: null, error }); });
    }, deps);
    useEffect(run, [run]);
    return { ...state, reload: run };
}

/** Form state with per-field errors. fieldMap renames the server's field names to the form's. */
export function useForm(initial, fieldMap = {}) {
    const [values, setValues] = useState(initial);
    const [errors, setErrors] = useState({});
    const [general, setGeneral] = useState(null);
    const set = (name) => (v) => {
        setValues((old) => ({ ...old, [name]: v }));
        setErrors((old) => (old[name] ? { ...old, [name]: null } : old));
    };
    const fail = (err, fallbackField) => {
        const f = err && err.field ? fieldMap[err.field] || err.field : fallbackField;
        if (f && f in values) {
            setErrors({ [f]: err });
            setGeneral(null);
            const el = document.getElementById(`${fieldMap.__prefix || ''}${f}`);
            if (el && el.focus) el.focus();
        } else {
            setErrors({});
            setGeneral(err);
        }
    };
    const clear = () => {
        setErrors({});
        setGeneral(null);
    };
    return { values, setValues, set, errors, setErrors, general, setGeneral, fail, clear };
}

export function Dl({ items }) {
    return html`<dl class="dl">
        ${items.filter(Boolean).map(([k, v]) => html`<div class="dl-row"><dt>${k}</dt><dd>${v}</dd></div>`)}
    </dl>`;
}

/** Debounce a value. */
export function useDebounced(value, ms) {
    const [v, setV] = useState(value);
    useEffect(() => {
        const id = setTimeout(() => setV(value), ms);
        return () => clearTimeout(id);
    }, [value, ms]);
    return v;
}
