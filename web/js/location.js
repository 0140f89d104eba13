// District → neighbourhood selects from the real geography, the address, and the optional pin.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { t } from './i18n.js';
import { Select, Input } from './ui.js';
import { getDistricts, getNeighbourhoods } from './ref.js';
import { MapPin } from './map.js';
import { getTileUrl } from './config.js';
import { centreOf } from './districts.js';

/** The device's position (navigator.geolocation) as {lat, lon, accuracy}; rejects with a code:
 * 'unsupported', 'denied', 'unavailable' or 'timeout'. */
export function locateMe() {
    return new Promise((resolve, reject) => {
        if (!navigator.geolocation) { reject(new Error('unsupported')); return; }
        navigator.geolocation.getCurrentPosition(
            (p) => resolve({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lon: Math.round(p.coords.longitude * 1e6) / 1e6, accuracy: p.coords.accuracy }),
            (e) => reject(new Error(e.code === 1 ? 'denied' : e.code === 3 ? 'timeout' : 'unavailable')),
            { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
}

/** "Konumumu kullan": the device's position into lat/lon, with what happened said in words. */
function LocateButton({ set, prefix, hasPin, errors }) {
    const [state, setState] = useState(null); // null | 'busy' | {error} | {accuracy}
    const go = async () => {
        setState('busy');
        try {
            const p = await locateMe();
            set('lat')(String(p.lat));
            set('lon')(String(p.lon));
            setState({ accuracy: Math.round(p.accuracy || 0) });
        } catch (e) {
            setState({ error: e.message });
        }
    };
    const err = errors.lat || errors.lon;
    return html`<div class="locate" id=${`${prefix}locate`}>
        <button type="button" class="btn btn-secondary" onClick=${go} disabled=${state === 'busy'}
            aria-describedby=${err ? `${prefix}lat-err` : undefined}>${t('loc.useMine')}</button>
        <p class="hint" role="status" id=${`${prefix}locate-status`}>
            ${state === 'busy' ? t('loc.busy') : state && state.error ? t(`loc.err.${state.error}`) : hasPin ? (state && state.accuracy ? t('loc.gotAccuracy', { m: state.accuracy }) : t('loc.got')) : t('loc.hint')}
        </p>
        ${err && html`<p class="field-error" id=${`${prefix}lat-err`}><span class="icon" aria-hidden="true">⚠</span> ${t(err)}</p>`}
    </div>`;
}

/**
 * values: {district_id, neighbourhood_id, address, lat, lon} (ids as strings, lat/lon as strings)
 * set(name)(value) updates one of them; errors: per field; prefix makes the ids unique.
 */
export function LocationFields({ values, set, errors = {}, prefix = '', withMap = true, optional = true, locate = false, citizen = false }) {
    const [districts, setDistricts] = useState([]);
    const [nbs, setNbs] = useState([]);
    const [showMap, setShowMap] = useState(false);

    useEffect(() => {
        getDistricts().then(setDistricts).catch(() => setDistricts([]));
    }, []);
    useEffect(() => {
        setNbs([]);
        if (values.district_id) getNeighbourhoods(values.district_id).then(setNbs).catch(() => setNbs([]));
    }, [values.district_id]);

    const onDistrict = (v) => {
        set('district_id')(v);
        set('neighbourhood_id')('');
    };
    // the chosen district's approximate centre: the map goes there until a pin is set
    const dName = (districts.find((d) => String(d.id) === String(values.district_id)) || {}).name;
    const dCentre = centreOf(dName);
    const approx = dCentre ? { center: [dCentre[0], dCentre[1]], name: dName } : null;
    const latN = values.lat === '' || values.lat === undefined ? null : Number(values.lat);
    const lonN = values.lon === '' || values.lon === undefined ? null : Number(values.lon);
    return html`<div class="location">
        <div class="row">
            <${Select} id=${`${prefix}district_id`} label=${t('field.district')} value=${values.district_id} onChange=${onDistrict}
                placeholder=${t('common.choose')} optional=${optional}
                options=${districts.map((d) => ({ value: String(d.id), label: d.name }))} error=${errors.district_id} />
            <${Select} id=${`${prefix}neighbourhood_id`} label=${t('field.neighbourhood')} value=${values.neighbourhood_id}
                onChange=${set('neighbourhood_id')} placeholder=${t('common.choose')} optional=${optional}
                disabled=${!values.district_id}
                options=${nbs.map((n) => ({ value: String(n.id), label: n.name }))} error=${errors.neighbourhood_id} />
        </div>
        <${Input} id=${`${prefix}address`} label=${t('field.address')} value=${values.address} onInput=${set('address')}
            error=${errors.address} optional=${optional} autocomplete="street-address" />
        ${locate && html`<${LocateButton} set=${set} prefix=${prefix} errors=${errors}
            hasPin=${values.lat !== '' && values.lat !== undefined && values.lon !== '' && values.lon !== undefined} />`}
        ${citizen && !getTileUrl() && values.lat !== '' && values.lat !== undefined && html`<p class="pin-note" id=${`${prefix}pin-note`}>
            ${t('loc.pinned')} <button type="button" class="btn btn-link" onClick=${() => { set('lat')(''); set('lon')(''); }}>${t('ct.clearPin')}</button></p>`}
        ${withMap && (!citizen || getTileUrl()) && html`<div class="map-toggle">
            <button type="button" class="btn btn-secondary" aria-expanded=${showMap ? 'true' : 'false'}
                onClick=${() => setShowMap(!showMap)}>${showMap ? t('ct.mapHide') : t('ct.map')}</button>
            ${latN !== null && lonN !== null && html`<button type="button" class="btn btn-link" onClick=${() => { set('lat')(''); set('lon')(''); }}>${t('ct.clearPin')}</button>`}
        </div>
        ${showMap && html`<${MapPin} lat=${latN} lon=${lonN} label=${t('ct.map')} citizen=${citizen} approx=${approx}
            onPick=${(la, lo) => { set('lat')(String(la)); set('lon')(String(lo)); }} />`}
        ${!citizen && (showMap || latN !== null) && html`<div class="row">
            <${Input} id=${`${prefix}lat`} label=${t('field.lat')} value=${values.lat} onInput=${set('lat')} inputmode="decimal" error=${errors.lat} optional />
            <${Input} id=${`${prefix}lon`} label=${t('field.lon')} value=${values.lon} onInput=${set('lon')} inputmode="decimal" error=${errors.lon} optional />
        </div>`}`}
    </div>`;
}

/** Turn the location values into the API's fields (numbers; empty ones left out). */
export function locationBody(v) {
    const b = {};
    if (v.district_id) b.district_id = Number(v.district_id);
    if (v.neighbourhood_id) b.neighbourhood_id = Number(v.neighbourhood_id);
    if (v.address && v.address.trim()) b.address = v.address.trim();
    if (v.lat !== '' && v.lon !== '' && v.lat !== undefined && v.lon !== undefined && !Number.isNaN(Number(v.lat)) && !Number.isNaN(Number(v.lon))) {
        b.lat = Number(v.lat);
        b.lon = Number(v.lon);
    }
    return b;
}

/** Server field names → form field names for location errors. */
export const locationFieldMap = { district: 'district_id', neighbourhood: 'neighbourhood_id' };
