// Client-side routing with the History API. The server answers every extension-less path with
// index.html, so deep links work. Links are ordinary <a href> elements: clicks are intercepted.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

function current() {
    return {
        path: location.pathname.replace(/\/+$/, '') || '/',
        query: new URLSearchParams(location.search),
        state: history.state || {},
    };
}

function notify() {
    const r = current();
    for (const fn of listeners) fn(r);
}

export function navigate(to, { replace = false, state = null } = {}) {
    if (replace) history.replaceState(state, '', to);
    else history.pushState(state, '', to);
    notify();
    window.scrollTo(0, 0);
}

window.addEventListener('popstate', notify);

document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest && e.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download') || a.dataset.native !== undefined) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
});

export function useRoute() {
    const [r, setR] = useState(current);
    useEffect(() => {
        listeners.add(setR);
        return () => listeners.delete(setR);
    }, []);
    return r;
}

/** Match "/a/:id" against a path; returns params or null. */
export function match(pattern, path) {
    const p = pattern.split('/').filter(Boolean);
    const u = path.split('/').filter(Boolean);
    if (p.length !== u.length) return null;
    const params = {};
    for (let i = 0; i < p.length; i++) {
        if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(u[i]);
        else if (p[i] !== u[i]) return null;
    }
    return params;
}
