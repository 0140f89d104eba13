// Approximate district centres (issue 11, the reports map; issue 14 item 13, the forms and the
// detail page): the geography data has no coordinates, so a chosen district — or an application
// with no pin — is shown at its town centre, always said to be approximate.
import { fold } from './i18n.js';

// The reference data has no coordinates or polygons; these are the town centres of the
// districts of the reference provinces — Kayseri (38, the default), Samsun (55), Kahramanmaraş
// (46) and İstanbul (34) — approximate to a few kilometres, keyed by the folded name (letters
// only: "19 Mayıs" → "mayis"). The third value is where a permanent label goes.
/* eslint-disable object-curly-newline */
const CENTRES = {
    // Kayseri
    akkisla: [38.998, 36.172, 'right'], bunyan: [38.848, 35.860, 'right'], develi: [38.390, 35.490, 'right'],
    felahiye: [39.090, 35.570, 'left'], hacilar: [38.646, 35.449, 'bottom'], incesu: [38.622, 35.185, 'left'],
    kocasinan: [38.750, 35.440, 'left'], melikgazi: [38.715, 35.505, 'top'], ozvatan: [39.126, 35.697, 'right'],
    pinarbasi: [38.723, 36.392, 'right'], sarioglan: [39.078, 35.965, 'right'], sariz: [38.478, 36.500, 'right'],
    talas: [38.690, 35.554, 'right'], tomarza: [38.447, 35.799, 'right'], yahyali: [38.100, 35.360, 'right'],
    yesilhisar: [38.350, 35.090, 'left'],
    // Samsun
    mayis: [41.493, 36.078, 'right'], alacam: [41.610, 35.607, 'left'], asarcik: [41.036, 36.232, 'right'],
    atakum: [41.330, 36.250, 'left'], ayvacik: [41.000, 36.630, 'right'], bafra: [41.568, 35.907, 'right'],
    canik: [41.250, 36.370, 'bottom'], carsamba: [41.199, 36.722, 'right'], havza: [40.970, 35.662, 'left'],
    ilkadim: [41.287, 36.330, 'top'], kavak: [41.077, 36.044, 'left'], ladik: [40.912, 35.897, 'right'],
    salipazari: [41.078, 36.830, 'right'], tekkekoy: [41.212, 36.457, 'right'], terme: [41.209, 36.973, 'right'],
    vezirkopru: [41.144, 35.455, 'left'], yakakent: [41.633, 35.527, 'left'],
    // Kahramanmaraş
    afsin: [38.246, 36.914, 'left'], andirin: [37.575, 36.352, 'left'], caglayancerit: [37.747, 37.292, 'right'],
    dulkadiroglu: [37.570, 36.960, 'bottom'], ekinozu: [38.060, 37.188, 'right'], elbistan: [38.204, 37.198, 'right'],
    goksun: [38.021, 36.497, 'left'], nurhak: [37.965, 37.441, 'right'], onikisubat: [37.605, 36.895, 'top'],
    pazarcik: [37.487, 37.290, 'right'], turkoglu: [37.383, 36.848, 'left'],
    // İstanbul
    adalar: [40.876, 29.091], arnavutkoy: [41.185, 28.740], atasehir: [40.984, 29.107], avcilar: [40.979, 28.722],
    bagcilar: [41.039, 28.857], bahcelievler: [41.002, 28.860], bakirkoy: [40.980, 28.872], basaksehir: [41.093, 28.802],
    bayrampasa: [41.046, 28.900], besiktas: [41.043, 29.009], beykoz: [41.134, 29.093], beylikduzu: [40.982, 28.640],
    beyoglu: [41.037, 28.977], buyukcekmece: [41.021, 28.585], catalca: [41.143, 28.461], cekmekoy: [41.035, 29.176],
    esenler: [41.043, 28.876], esenyurt: [41.034, 28.677], eyupsultan: [41.048, 28.934], fatih: [41.019, 28.940],
    gaziosmanpasa: [41.064, 28.912], gungoren: [41.022, 28.872], kadikoy: [40.990, 29.029], kagithane: [41.080, 28.973],
    kartal: [40.889, 29.190], kucukcekmece: [41.000, 28.780], maltepe: [40.935, 29.130], pendik: [40.875, 29.235],
    sancaktepe: [41.002, 29.231], sariyer: [41.167, 29.051], silivri: [41.074, 28.247], sultanbeyli: [40.968, 29.262],
    sultangazi: [41.106, 28.868], sile: [41.176, 29.613], sisli: [41.060, 28.987], tuzla: [40.816, 29.300],
    umraniye: [41.016, 29.117], uskudar: [41.023, 29.015], zeytinburnu: [40.994, 28.904],
};
/** [lat, lon, labelSide] of a district by its name ("Talas", "19 Mayıs"), or null. */
export const centreOf = (name) => (name ? CENTRES[fold(name).replace(/[^a-z]/g, '')] || null : null);
