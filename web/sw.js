// The citizen portal's service worker (docs/PORTAL.md): the portal's shell (pages, scripts,
// styles, icons) is kept so the form opens without a network; answers of the API are never
// cached (they hold personal data and must be fresh). Network first, the cache only when the
// network fails, so a new release is seen at the next load.
const CACHE = 'alo153-portal-v1';
const SHELL = [
    '/index.html', '/app.js', '/style.css', '/portal.css', '/manifest.webmanifest',
    '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon.svg',
    '/vendor/preact.module.js', '/vendor/hooks.module.js', '/vendor/htm.module.js',
    '/vendor/leaflet.js', '/vendor/leaflet.css',
    '/js/api.js', '/js/html.js', '/js/i18n.js', '/js/ui.js', '/js/router.js', '/js/ref.js', '/js/config.js',
    '/js/map.js', '/js/location.js', '/js/districts.js', '/js/tracking.js', '/js/category-picker.js', '/js/live.js',
    '/js/chart-loader.js', '/js/password-dialog.js',
    '/js/pages/portal-form.js', '/js/pages/portal-track.js', '/js/pages/portal-mine.js',
    '/js/pages/portal-notice.js', '/js/pages/portal-pwa.js', '/js/pages/portal-store.js',
    '/js/pages/portal-photo.js', '/js/pages/login.js',
];
// never from the cache: the API, operations endpoints and other standards' paths
const LIVE = /^\/(api|healthz|metrics|open311|hooks)(\/|$)/;

self.addEventListener('install', (e) => {
    e.waitUntil(caches.open(CACHE).then((c) => Promise.all(SHELL.map((u) => c.add(u).catch(() => null)))).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
    e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
        .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (e) => {
    const req = e.request;
    const url = new URL(req.url);
    if (req.method !== 'GET' || url.origin !== self.location.origin || LIVE.test(url.pathname)) return;
    const page = req.mode === 'navigate';
    e.respondWith(fetch(req).then((res) => {
        if (res.ok && res.type === 'basic') {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put(page ? '/index.html' : req, copy));
        }
        return res;
    }).catch(() => caches.match(page ? '/index.html' : req, { ignoreSearch: !page }).then((hit) => hit || Response.error())));
});
