// The only way the UI talks to the server: same-origin JSON over fetch.
// Failures throw ApiError {status, code, field, reason, message} built from {"error":{…}}.

export class ApiError extends Error {
    constructor(status, body) {
        const e = (body && body.error) || {};
        super(e.message || `HTTP ${status}`);
        this.status = status;
        this.code = e.code || (status === 0 ? 'network' : status >= 500 ? 'server' : 'generic');
        this.field = e.field || null;
        this.reason = e.reason || null; // why, when code + field do not say it (the UI translates by it)
        this.body = body;
    }
}

let unauthorizedHandler = null;

/** Called with the path when a logged-in call answers 401 (session ended). */
export function onUnauthorized(fn) {
    unauthorizedHandler = fn;
}

export async function api(method, path, body, { quiet401 = false } = {}) {
    const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
    if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    let res;
    try {
        res = await fetch(path, init);
    } catch (e) {
        throw new ApiError(0, { error: { code: 'network', message: String(e && e.message) } });
    }
    if (res.status === 204) return null;
    let data = null;
    try {
        data = await res.json();
    } catch {
        data = null;
    }
    if (!res.ok) {
        const err = new ApiError(res.status, data);
        if (res.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler(path);
        throw err;
    }
    return data;
}

export const get = (p, o) => api('GET', p, undefined, o);
export const post = (p, b, o) => api('POST', p, b === undefined ? {} : b, o);
export const patch = (p, b, o) => api('PATCH', p, b, o);
export const del = (p, o) => api('DELETE', p, undefined, o);

/** Build a query string from an object, leaving out empty values. */
export function qs(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
        if (v !== undefined && v !== null && v !== '' && v !== false) u.set(k, String(v));
    }
    const s = u.toString();
    return s ? `?${s}` : '';
}

/** True when an optional endpoint is simply not there (yet): hide the feature. */
export function isMissing(err) {
    return err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 501 || err.code === 'not_found');
}
