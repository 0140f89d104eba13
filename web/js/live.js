// The console's one live stream (GET /api/v1/live, server-sent events), shared by every page
// that listens: screen pops (call-taker screen), figures (wallboard), new applications.
// EventSource reconnects by itself and sends Last-Event-ID, so no screen pop is lost; when the
// server refuses (503: too many streams, or the network is gone for good) it is reopened here
// after a pause with ?after= the last id seen. The stream is open while someone listens.
const TYPES = ['hello', 'screen_pop', 'kpi', 'application', 'end'];
const RETRY_MS = 5000;

let es = null;
let lastId = null;
let state = 'closed'; // 'connecting' | 'open' | 'closed'
let retryTimer = null;
const subs = new Map(); // type → Set of fn(data)
const stateSubs = new Set();

function setState(s) {
    if (s === state) return;
    state = s;
    document.documentElement.dataset.live = s; // for styles and tests: <html data-live="open">
    for (const fn of stateSubs) fn(s);
}

function listening() {
    for (const set of subs.values()) if (set.size) return true;
    return false;
}

function close() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (es) es.close();
    es = null;
    setState('closed');
}

function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (es || typeof EventSource === 'undefined') return;
    const src = new EventSource(lastId !== null ? `/api/v1/live?after=${encodeURIComponent(lastId)}` : '/api/v1/live');
    es = src;
    setState('connecting');
    src.onopen = () => { if (es === src) setState('open'); };
    src.onerror = () => {
        if (es !== src) return;
        if (src.readyState === EventSource.CLOSED) { // refused (not 200): try again later ourselves
            es = null;
            setState('closed');
            if (listening()) retryTimer = setTimeout(connect, RETRY_MS);
        } else {
            setState('connecting'); // the browser reconnects with Last-Event-ID
        }
    };
    for (const type of TYPES) {
        src.addEventListener(type, (e) => {
            if (es !== src) return;
            if (e.lastEventId) lastId = e.lastEventId;
            let data;
            try { data = JSON.parse(e.data); } catch { return; }
            setState('open');
            if (type === 'end') close(); // the session ended: the next request asks for a login
            for (const fn of subs.get(type) || []) fn(data);
        });
    }
}

/** Call fn(data) for every event of type; returns the function that stops it. */
export function subscribe(type, fn) {
    if (!subs.has(type)) subs.set(type, new Set());
    subs.get(type).add(fn);
    connect();
    return () => {
        subs.get(type).delete(fn);
        if (!listening()) close();
    };
}

/** Call fn(state) when the stream's state changes ('connecting', 'open', 'closed'); returns
 * the function that stops it. */
export function onLiveState(fn) {
    stateSubs.add(fn);
    fn(state);
    return () => stateSubs.delete(fn);
}
