// Stand-in for codeforamerica/node-sparkxml (a git dependency of open311@0.0.12 that npm can no
// longer fetch: GitHub dropped the git:// protocol). parseXml follows the Open311 "Spark"
// convention the client expects: a list element (<services><service/>…) becomes an array, the
// root element is dropped, a leaf is its text.
'use strict';
const { parse } = require('../minixml.js');
function spark(el) {
    if (!el.children.length) return el.text.trim();
    const names = el.children.map((c) => c.name);
    const same = names.every((n) => n === names[0]);
    const listy = same && (names.length > 1 || el.name === names[0] + 's' || el.name === 'service_requests');
    if (listy) return el.children.map(spark);
    const o = {};
    for (const c of el.children) {
        if (c.name in o) o[c.name] = [].concat(o[c.name], spark(c));
        else o[c.name] = spark(c);
    }
    return o;
}
exports.parseXml = (xml) => spark(parse(xml));
