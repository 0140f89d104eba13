// Stand-in for xml2json@0.2.4 (a native node-expat module that no longer builds on current
// Node): toJson(xml, {object: true}) as it answers for GeoReport documents — the root element
// as a key, each element an object of its children (repeated names an array), a leaf its text.
'use strict';
const { parse } = require('../minixml.js');
function obj(el) {
    if (!el.children.length) return el.text.trim();
    const o = {};
    for (const c of el.children) {
        if (c.name in o) o[c.name] = [].concat(o[c.name], obj(c));
        else o[c.name] = obj(c);
    }
    return o;
}
exports.toJson = (xml, options = {}) => {
    const root = parse(xml);
    const out = { [root.name]: obj(root) };
    return options.object ? out : JSON.stringify(out);
};
