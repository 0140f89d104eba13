// The citizen's photo, made small in the browser before it is sent (docs/PORTAL.md): the longest
// side at most 1600 px, JPEG at quality 0.8 — a 12-megapixel phone photo of 4 MB becomes about
// 300 KB, which a weak signal can carry. Drawing on a canvas also leaves the camera's metadata
// (EXIF: GPS, device) behind.
export const PHOTO_MAX_SIDE = 1600;
export const PHOTO_QUALITY = 0.8;

function loadImage(file) {
    return new Promise((resolve, reject) => {
        const url = URL.createObjectURL(file);
        const img = new Image();
        img.onload = () => { URL.revokeObjectURL(url); resolve(img); };
        img.onerror = () => { URL.revokeObjectURL(url); reject(new Error('not an image')); };
        img.src = url;
    });
}

/** File → {dataUrl, width, height, bytes}; rejects when it is not an image the browser reads. */
export async function resizePhoto(file) {
    const img = await loadImage(file);
    const w0 = img.naturalWidth, h0 = img.naturalHeight;
    const k = Math.min(1, PHOTO_MAX_SIDE / Math.max(w0, h0));
    const w = Math.max(1, Math.round(w0 * k)), h = Math.max(1, Math.round(h0 * k));
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    g.drawImage(img, 0, 0, w, h);
    const dataUrl = c.toDataURL('image/jpeg', PHOTO_QUALITY);
    return { dataUrl, width: w, height: h, bytes: Math.round((dataUrl.length - dataUrl.indexOf(',') - 1) * 3 / 4) };
}

/** A data: URL as bytes for an upload body. */
export function dataUrlBytes(dataUrl) {
    const bin = atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
}

/** Send one photo of the citizen's own application; throws {status, code} on refusal. */
export async function uploadPhoto(tracking, code, dataUrl, name) {
    const res = await fetch(`/api/v1/public/applications/${encodeURIComponent(tracking)}/attachments?code=${encodeURIComponent(code)}&filename=${encodeURIComponent(name)}`, {
        method: 'POST', headers: { 'Content-Type': 'image/jpeg', Accept: 'application/json' }, body: dataUrlBytes(dataUrl), credentials: 'same-origin',
    });
    if (!res.ok) {
        let body = null;
        try { body = await res.json(); } catch { /* none */ }
        const e = new Error((body && body.error && body.error.message) || `HTTP ${res.status}`);
        e.status = res.status;
        e.code = body && body.error && body.error.code;
        throw e;
    }
    return res.json();
}
