// What the citizen's phone keeps in localStorage (docs/PORTAL.md): the draft of the form
// (with its idempotency key, so a resend is the same submission), the submissions waiting for a
// network, and "my applications" (tracking number + access code of each one made here).
// Nothing here is sent anywhere but to this municipality's own server.
const DRAFT = 'alo153.portal.draft';
const OUTBOX = 'alo153.portal.outbox';
const MINE = 'alo153.portal.mine';

function read(key, fallback) {
    try {
        const s = localStorage.getItem(key);
        return s ? JSON.parse(s) : fallback;
    } catch {
        return fallback;
    }
}

/** Store value under key; false when the browser refused (full, private mode). */
function write(key, value) {
    try {
        if (value === null) localStorage.removeItem(key);
        else localStorage.setItem(key, JSON.stringify(value));
        return true;
    } catch {
        return false;
    }
}

/** A random key for one submission (the server gives the same application for the same key). */
export function newKey() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return 'pf-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export const loadDraft = () => read(DRAFT, null);
/** The draft: {values, key, photos: [dataURL]}; photos are dropped when they do not fit. */
export function saveDraft(d) {
    if (!write(DRAFT, d) && d && d.photos && d.photos.length) write(DRAFT, { ...d, photos: [] });
}
export const clearDraft = () => write(DRAFT, null);

export const outbox = () => read(OUTBOX, []);
/** Queue a submission {key, body, photos, queuedAt} (replacing one with the same key). */
export function enqueue(item) {
    const list = outbox().filter((x) => x.key !== item.key);
    list.push(item);
    if (!write(OUTBOX, list)) write(OUTBOX, list.map((x) => ({ ...x, photos: [] })));
}
export function dequeue(key) {
    write(OUTBOX, outbox().filter((x) => x.key !== key));
}

export const mine = () => read(MINE, []);
/** Remember an application made on this device: {tracking, code, created_at, text}. */
export function remember(app) {
    const list = mine().filter((x) => x.tracking !== app.tracking);
    list.unshift(app);
    write(MINE, list.slice(0, 50));
}
export function forget(tracking) {
    write(MINE, mine().filter((x) => x.tracking !== tracking));
}
