// Reference data (vocabularies, categories, departments, geography), fetched once per page load,
// and the optional endpoints another team is adding: each is switched off for the session the
// first time it answers 404, so the feature hides instead of failing.
import { get, post, isMissing } from './api.js';
import { getLang } from './i18n.js';

const cache = new Map();

function cached(key, load) {
    if (!cache.has(key)) {
        const p = load().catch((e) => {
            cache.delete(key);
            throw e;
        });
        cache.set(key, p);
    }
    return cache.get(key);
}

export function invalidate(prefix) {
    for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
}

export const getMeta = () => cached('meta', () => get('/api/v1/meta'));
export const getDistricts = () => cached('districts', () => get('/api/v1/districts').then((r) => r.items));
export const getNeighbourhoods = (id) =>
    cached(`nb:${id}`, () => get(`/api/v1/districts/${encodeURIComponent(id)}/neighbourhoods`).then((r) => r.items));
export const getCategories = () => cached('categories', () => get('/api/v1/categories').then((r) => r.items));
export const getDepartments = () => cached('departments', () => get('/api/v1/departments').then((r) => r.items));
export const getInstitutions = () => cached('institutions', () => get('/api/v1/institutions').then((r) => r.items));

/** A neighbourhood's name where it is abbreviated (lists, tables): the API sends it in full,
 * "Akin Mahallesi" (model/place.h); this gives "Akin Mah.", always with the full stop. */
export function nbShort(name) {
    return (name || '').replace(/\s+(Mahallesi|Mah\.?)\s*$/u, ' Mah.');
}

/** The display name of a record with name/name_en in the current language. */
export function nameOf(rec) {
    if (!rec) return '';
    return (getLang() === 'en' && rec.name_en) || rec.name || rec.code || '';
}

export function byCode(list, code) {
    return (list || []).find((x) => x.code === code) || null;
}

const features = { classify: true, similar: true, stats: true };

export function featureOn(name) {
    return features[name];
}

async function optional(name, fn) {
    if (!features[name]) return null;
    try {
        return await fn();
    } catch (e) {
        if (isMissing(e)) features[name] = false;
        return null;
    }
}

/** POST /api/v1/classify → {suggestions, confident, urgent, urgent_words, redirect} or null. */
export const classify = (text, districtId) =>
    optional('classify', () => post('/api/v1/classify', districtId ? { text, district_id: districtId } : { text }, { quiet401: true }));

/** GET /api/v1/applications/similar → items or null. */
export const similar = (params) =>
    optional('similar', () => {
        const u = new URLSearchParams();
        for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
        return get(`/api/v1/applications/similar?${u}`, { quiet401: true }).then((r) => (r && Array.isArray(r.items) ? r.items : null));
    });

/** GET /api/v1/stats or null. */
export const stats = () => optional('stats', () => get('/api/v1/stats', { quiet401: true }));
