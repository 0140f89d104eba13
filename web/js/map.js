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

/** lat/lon: numbers or null; onPick(lat, lon) with numbers rounded to 6 decimals. */
export function MapPin({ lat, lon, onPick, label, citizen = false }) {
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

    function syncMarker(L) {
        const map = mapRef.current;
        if (!map) return;
        const has = typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon);
        if (!has) {
            if (markerRef.current) { markerRef.current.remove(); markerRef.current = null; }
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

    useEffect(() => {
        if (window.L) syncMarker(window.L);
    }, [lat, lon]);

    if (failed) return null;
    return html`<div class="map-wrap">
        <p class="hint">${tiles ? (citizen ? t('map.hintCitizen') : t('ct.mapHint')) : t('map.noTiles')}</p>
        <div class=${`map ${tiles ? '' : 'map-blank'}`} ref=${box} role="application" aria-label=${label}></div>
    </div>`;
}
