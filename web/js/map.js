// An optional map pin (Leaflet, served from /vendor/, loaded only when the map is opened).
// The tile layer is added only when a tile URL is configured (config.js), so by default the
// page makes no request to another host; clicking still pins a location, and the hint says so
// in plain words (issue 14 item 13). The citizen's form shows the map only with tiles: without
// them it offers "Konumumu kullan" and the district → neighbourhood pickers (location.js).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { t } from './i18n.js';
import { getTileUrl, getTileAttribution, getMapCenter, mapZoom } from './config.js';

let leafletPromise = null;

export function loadLeaflet() {
    if (window.L) return Promise.resolve(window.L);
    if (!leafletPromise) {
        leafletPromise = new Promise((resolve, reject) => {
            if (!document.querySelector('link[data-leaflet]')) {
                const css = document.createElement('link');
                css.rel = 'stylesheet';
                css.href = '/vendor/leaflet.css';
                css.dataset.leaflet = '1';
                document.head.appendChild(css);
            }
            const s = document.createElement('script');
            s.src = '/vendor/leaflet.js';
            s.onload = () => {
                window.L.Icon.Default.imagePath = '/vendor/images/';
                resolve(window.L);
            };
            s.onerror = () => {
                leafletPromise = null;
                reject(new Error('leaflet'));
            };
            document.head.appendChild(s);
        });
    }
    return leafletPromise;
}

/** Where the map looks now, "lat,lon" on the map's element (data-center): what a test reads. */
function trackCentre(map, el) {
    const put = () => { const c = map.getCenter(); el.dataset.center = `${c.lat.toFixed(5)},${c.lng.toFixed(5)}`; };
    map.on('moveend', put);
    put();
}

/** The approximate place, a circle of about 2 km at a district centre (not a pin). */
function approxCircle(L, map, c) {
    return L.circle([c[0], c[1]], { radius: 2000, color: '#b45309', weight: 2, dashArray: '6 6', fillOpacity: 0.08, className: 'map-approx', interactive: false }).addTo(map);
}

/**
 * lat/lon: numbers or null; onPick(lat, lon) with numbers rounded to 6 decimals.
 * approx: {center: [lat, lon], name} of the chosen district (districts.js) or null: with no pin
 * the map moves there and marks it as approximate.
 */
export function MapPin({ lat, lon, onPick, label, citizen = false, approx = null }) {
    const box = useRef(null);
    const mapRef = useRef(null);
    const markerRef = useRef(null);
    const [failed, setFailed] = useState(false);
    const tiles = getTileUrl();

    useEffect(() => {
        let cancelled = false;
        loadLeaflet().then((L) => {
            if (cancelled || !box.current) return;
            const has = typeof lat === 'number' && typeof lon === 'number';
            const map = L.map(box.current, { attributionControl: !!tiles, keyboard: true, zoomControl: false }).setView(has ? [lat, lon] : getMapCenter(), mapZoom);
            // the zoom buttons speak the page's language (Leaflet's own titles are English)
            L.control.zoom({ zoomInTitle: t('ct.mapZoomIn'), zoomOutTitle: t('ct.mapZoomOut') }).addTo(map);
            if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: getTileAttribution() }).addTo(map);
            map.on('click', (e) => onPickRef.current(Math.round(e.latlng.lat * 1e6) / 1e6, Math.round(e.latlng.lng * 1e6) / 1e6));
            mapRef.current = map;
            trackCentre(map, box.current);
            syncMarker(L);
        }).catch(() => setFailed(true));
        return () => {
            cancelled = true;
            if (mapRef.current) mapRef.current.remove();
            mapRef.current = null;
            markerRef.current = null;
        };
    }, []);

    const onPickRef = useRef(onPick);
    onPickRef.current = onPick;
    const approxRef = useRef(null);
    const approxLayer = useRef(null);
    approxRef.current = approx;

    function syncMarker(L) {
        const map = mapRef.current;
        if (!map) return;
        const has = typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon);
        const ap = approxRef.current;
        if (approxLayer.current) { approxLayer.current.remove(); approxLayer.current = null; }
        if (!has) {
            if (markerRef.current) { markerRef.current.remove(); markerRef.current = null; }
            // no pin: the chosen district's centre, marked as approximate
            if (ap && ap.center) {
                approxLayer.current = approxCircle(L, map, ap.center);
                map.setView([ap.center[0], ap.center[1]], Math.min(mapZoom, 12));
            }
            return;
        }
        if (!markerRef.current) {
            markerRef.current = L.marker([lat, lon], { draggable: true, keyboard: false, title: label }).addTo(map);
            markerRef.current.on('dragend', (e) => {
                const p = e.target.getLatLng();
                onPickRef.current(Math.round(p.lat * 1e6) / 1e6, Math.round(p.lng * 1e6) / 1e6);
            });
        } else {
            markerRef.current.setLatLng([lat, lon]);
        }
    }

    const apKey = approx && approx.center ? approx.center.join(',') : '';
    useEffect(() => {
        if (window.L) syncMarker(window.L);
    }, [lat, lon, apKey]);

    const pinned = typeof lat === 'number' && typeof lon === 'number';
    if (failed) return null;
    return html`<div class="map-wrap">
        <p class="hint">${tiles ? (citizen ? t('map.hintCitizen') : t('ct.mapHint')) : t('map.noTiles')}</p>
        ${!pinned && approx && approx.center && html`<p class="hint map-approx-note">${t('map.approxDistrict', { name: approx.name })}</p>`}
        <div class=${`map ${tiles ? '' : 'map-blank'}`} ref=${box} role="application" aria-label=${label}></div>
    </div>`;
}

/**
 * The detail page's map (read only): the pin when the application has coordinates, else its
 * district's centre marked as approximate; nothing when neither is known. Useful without tiles:
 * the words under it say what the mark means, and a link opens the place on OpenStreetMap (a
 * link only: the page itself asks no other host).
 */
export function PlaceMap({ lat, lon, approx, label }) {
    const box = useRef(null);
    const [failed, setFailed] = useState(false);
    const tiles = getTileUrl();
    const pinned = typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon);
    const at = pinned ? [lat, lon] : approx && approx.center ? [approx.center[0], approx.center[1]] : null;
    const key = at ? `${pinned ? 'p' : 'a'}${at.join(',')}` : '';
    useEffect(() => {
        if (!at) return undefined;
        let map = null;
        let cancelled = false;
        loadLeaflet().then((L) => {
            if (cancelled || !box.current) return;
            map = L.map(box.current, { attributionControl: !!tiles, keyboard: true, zoomControl: false, scrollWheelZoom: false })
                .setView(at, pinned ? 16 : 12);
            L.control.zoom({ zoomInTitle: t('ct.mapZoomIn'), zoomOutTitle: t('ct.mapZoomOut') }).addTo(map);
            if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: getTileAttribution() }).addTo(map);
            if (pinned) L.marker(at, { keyboard: false, title: label, alt: label }).addTo(map);
            else approxCircle(L, map, at);
            trackCentre(map, box.current);
        }).catch(() => setFailed(true));
        return () => {
            cancelled = true;
            if (map) map.remove();
        };
    }, [key, tiles]);
    if (!at) return null;
    const osm = `https://www.openstreetmap.org/?mlat=${at[0]}&mlon=${at[1]}#map=${pinned ? 17 : 13}/${at[0]}/${at[1]}`;
    return html`<div class="detail-map-wrap">
        <p class="map-caption">${pinned ? t('map.pinAt', { lat: fmtCoord(lat), lon: fmtCoord(lon) }) : t('map.approxAt', { name: approx.name })}
            ${' '}<a href=${osm} target="_blank" rel="noopener noreferrer" data-native>${t('map.openOsm')}</a></p>
        ${!failed && html`<div class=${`map detail-map ${tiles ? '' : 'map-blank'}`} ref=${box} role="group"
            aria-label=${pinned ? t('map.pinAt', { lat: fmtCoord(lat), lon: fmtCoord(lon) }) : t('map.approxAt', { name: approx.name })}></div>`}
        ${!tiles && !failed && html`<p class="hint">${t('map.noTilesRead')}</p>`}
    </div>`;
}

function fmtCoord(x) {
    return x.toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'tr-TR', { minimumFractionDigits: 4, maximumFractionDigits: 6 });
}
