// The citizen portal as an installable web app (docs/PORTAL.md): the manifest, the theme colour,
// the phone icons, the portal's styles and the service worker (web/sw.js), added by the portal's
// pages themselves so that the staff console stays as it is.

function head(tag, attrs) {
    const sel = `${tag}[data-portal="${attrs['data-portal']}"]`;
    if (document.head.querySelector(sel)) return;
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.head.appendChild(el);
}

let done = false;

/** Call from every portal page: idempotent. */
export function portalSetup() {
    if (done) return;
    done = true;
    head('link', { rel: 'manifest', href: '/manifest.webmanifest', 'data-portal': 'manifest' });
    head('meta', { name: 'theme-color', content: '#0b4f8a', 'data-portal': 'theme' });
    head('link', { rel: 'apple-touch-icon', href: '/icons/apple-touch-icon.png', 'data-portal': 'apple-icon' });
    head('meta', { name: 'apple-mobile-web-app-capable', content: 'yes', 'data-portal': 'apple-capable' });
    head('meta', { name: 'apple-mobile-web-app-title', content: 'ALO 153', 'data-portal': 'apple-title' });
    head('link', { rel: 'stylesheet', href: '/portal.css', 'data-portal': 'css' });
    if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.hostname === 'localhost' || location.hostname === '127.0.0.1')) {
        // after the page has loaded, so that filling the cache never slows the first paint
        const go = () => setTimeout(() => navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => { /* the portal works without it */ }), 500);
        if (document.readyState === 'complete') go();
        else window.addEventListener('load', go, { once: true });
    }
}

/** The portal's menu (apply, my applications, track) is the header's citizen menu (web/app.js):
 * drawn here as well it said the same twice, one under the other (issue 14 item 7). Kept as a
 * component that draws nothing, so the portal pages need not change. */
export function PortalNav() {
    return null;
}
