// Site settings for the web console. Nothing here makes a request at page load.
//
// Map tiles: the map works without tiles (pins and coordinates still work). To show a base map,
// set a tile URL template served by your own infrastructure, either here or per browser with
//   localStorage.setItem('alo153.tileUrl', 'https://tiles.example.gov.tr/{z}/{x}/{y}.png')
// and optionally 'alo153.tileAttribution'.
export const tileUrl = '';
export const tileAttribution = '';
// Where the map opens when nothing is pinned (Kayseri city centre); override with
// localStorage 'alo153.mapCenter' = '38.7205,35.4826'.
export const mapCenter = [38.7205, 35.4826];
export const mapZoom = 12;

function stored(key) {
    try { return localStorage.getItem(key) || ''; } catch { return ''; }
}

export function getTileUrl() {
    return stored('alo153.tileUrl') || tileUrl;
}

export function getTileAttribution() {
    return stored('alo153.tileAttribution') || tileAttribution;
}

export function getMapCenter() {
    const s = stored('alo153.mapCenter');
    const m = s.match(/^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/);
    return m ? [Number(m[1]), Number(m[2])] : mapCenter;
}
