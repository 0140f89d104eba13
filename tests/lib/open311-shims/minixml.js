// A small XML reader for the Open311 client's two XML dependencies (see README.md here):
// elements, text, self-closing tags, the XML declaration and the five entities and numeric
// references; no attributes are needed by GeoReport v2 documents (they are skipped).
'use strict';
function decode(s) {
    return s.replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
        .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(+d))
        .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
/** parse(xml) → the root {name, children: [...], text} */
function parse(xml) {
    const re = /<\?[^]*?\?>|<!--[^]*?-->|<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>|([^<]+)/g;
    const root = { name: '#document', children: [], text: '' };
    const stack = [root];
    let m;
    while ((m = re.exec(xml))) {
        const top = stack[stack.length - 1];
        if (m[4] !== undefined) { top.text += decode(m[4]); continue; }
        if (!m[2]) continue;
        if (m[1]) {
            if (top.name !== m[2]) throw new Error(`XML: </${m[2]}> closes <${top.name}>`);
            stack.pop();
            continue;
        }
        const el = { name: m[2], children: [], text: '' };
        top.children.push(el);
        if (!m[3]) stack.push(el);
    }
    if (stack.length !== 1) throw new Error('XML: unclosed elements');
    const els = root.children;
    if (els.length !== 1) throw new Error('XML: one root element expected');
    return els[0];
}
module.exports = { parse };
