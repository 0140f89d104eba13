// Type-ahead category search (ARIA combobox). The server folds Turkish letters, so "cop" and
// "çöp" find the same categories; ↑/↓ move, Enter chooses, Escape closes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { get } from './api.js';
import { t, getLang } from './i18n.js';
import { FieldError } from './ui.js';
import { getDepartments, nameOf, byCode } from './ref.js';

export function slaText(cat) {
    if (!cat) return '';
    const one = cat.sla_days === 1 ? '1' : '';
    return cat.working_days ? t(`common.workdays${one}`, { n: cat.sla_days }) : t(`common.days${one}`, { n: cat.sla_days });
}

export function CategoryPicker({ id, label, value, onChange, error, hint, required, optional, inputRef, department, publicPage = false }) {
    const [text, setText] = useState(value ? nameOf(value) : '');
    const [items, setItems] = useState([]);
    const [open, setOpen] = useState(false);
    const [active, setActive] = useState(0);
    const [depts, setDepts] = useState([]);
    const seq = useRef(0);
    const ownRef = useRef(null);
    const ref = inputRef || ownRef;

    useEffect(() => {
        // department names need a login; the citizen's form shows category names only
        if (!publicPage) getDepartments().then(setDepts).catch(() => setDepts([]));
    }, []);

    // the chosen category may change from outside (routing suggestion); a reset remounts (key)
    useEffect(() => {
        if (value) setText(nameOf(value));
    }, [value && value.code, getLang()]);

    const search = (q) => {
        const my = ++seq.current;
        if (!q.trim()) {
            setItems([]);
            setOpen(false);
            return;
        }
        const dq = department ? `&department=${encodeURIComponent(department)}` : '';
        get(`/api/v1/categories?q=${encodeURIComponent(q.trim())}${dq}`)
            .then((r) => {
                if (my !== seq.current) return;
                setItems(r.items.slice(0, 12));
                setActive(0);
                setOpen(true);
            })
            .catch(() => { if (my === seq.current) { setItems([]); setOpen(false); } });
    };

    const timer = useRef(0);
    const onInput = (e) => {
        const v = e.currentTarget.value;
        setText(v);
        if (value) onChange(null);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => search(v), 120);
    };

    const choose = (cat) => {
        onChange(cat);
        setText(nameOf(cat));
        setOpen(false);
        setItems([]);
    };

    const onKeyDown = (e) => {
        if (e.key === 'ArrowDown') {
            e.preventDefault();
            if (!open && text.trim()) search(text);
            else setActive((a) => Math.min(a + 1, items.length - 1));
        } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
        } else if (e.key === 'Enter') {
            if (open && items[active]) {
                e.preventDefault();
                choose(items[active]);
            }
        } else if (e.key === 'Escape') {
            if (open) {
                e.preventDefault();
                e.stopPropagation();
                setOpen(false);
            }
        }
    };

    const listId = `${id}-list`;
    const described = [hint && `${id}-hint`, value && `${id}-chosen`, error && `${id}-err`].filter(Boolean).join(' ') || undefined;
    const deptName = (code) => nameOf(byCode(depts, code)) || code;
    return html`<div class=${`field combo ${error ? 'has-error' : ''}`}>
        <label for=${id}>${label}${required && html`<span class="req" title=${t('common.required')}> *</span>`}${optional && html` <span class="opt">${t('common.optional')}</span>`}</label>
        ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
        <div class="combo-box">
            <input id=${id} name=${id} type="text" role="combobox" autocomplete="off" spellcheck="false"
                aria-autocomplete="list" aria-expanded=${open ? 'true' : 'false'} aria-controls=${listId}
                aria-activedescendant=${open && items[active] ? `${id}-opt-${active}` : undefined}
                aria-invalid=${error ? 'true' : undefined} aria-describedby=${described}
                value=${text} onInput=${onInput} onKeyDown=${onKeyDown} ref=${ref}
                onBlur=${() => setTimeout(() => setOpen(false), 150)} />
            ${open && html`<ul class="combo-list" role="listbox" id=${listId} aria-label=${label}>
                ${items.length === 0 && html`<li class="combo-empty" role="option" aria-disabled="true">${t('list.empty')}</li>`}
                ${items.map((c, i) => html`<li id=${`${id}-opt-${i}`} role="option" aria-selected=${i === active ? 'true' : 'false'}
                        class=${i === active ? 'active' : ''}
                        onMouseDown=${(e) => { e.preventDefault(); choose(c); }}>
                    <span class="combo-name">${nameOf(c)}</span>
                    ${!publicPage && html`<span class="combo-meta">${deptName(c.department)} · ${slaText(c)}</span>`}
                </li>`)}
            </ul>`}
        </div>
        ${value && !publicPage && html`<p class="chosen" id=${`${id}-chosen`}>
            ${t('field.categorySelected', { name: nameOf(value), dept: deptName(value.department), sla: slaText(value) })}</p>`}
        <${FieldError} id=${id} error=${error} />
    </div>`;
}
