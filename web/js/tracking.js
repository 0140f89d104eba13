// Tracking numbers (src/model/tracking.h): the same rules as tracking_normalise().
// As people type it: spaces and the hyphen optional (a phone's numeric keypad has no "-");
// the canonical "YYYY-NNNNNN" (longer past 999.999 a year) is what is sent and shown.
export function normaliseTracking(s) {
    const m = String(s || '').replace(/\s+/g, '').match(/^(\d{4})-?(\d{6,10})$/);
    if (!m) return null;
    const seq = Number(m[2]);
    if (!seq || seq > 99999999) return null;
    return `${m[1]}-${String(seq).padStart(6, '0')}`;
}
