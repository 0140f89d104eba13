// t16: authentication, access and the body cap are decided from the headers, before any of the
// body is read (issue 12, finding 2: 40 unauthenticated uploads used to be buffered whole before
// each got its 401). A raw socket sends only the request head with a large Content-Length and
// never a byte of the body: the refusal must arrive anyway, and the server closes the
// connection. Before the fix the server waited for the body (the socket stayed silent until the
// idle timeout closed it, with no answer).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, rawRequest } from '../lib/server.mjs';

const MiB = 1024 * 1024;

/** Send `head` (request line and headers, no body); everything the server sent once it closes. */
async function headOnly(url, head) {
    const { bytes } = await rawRequest(url, head.replace(/\n/g, '\r\n') + '\r\n').closed;
    return bytes.toString('latin1');
}

function status(text) {
    const m = text.match(/^HTTP\/1\.1 (\d{3})/);
    return m ? Number(m[1]) : null;
}

function errorCode(text) {
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    try { return JSON.parse(body).error.code; } catch { return null; }
}

describe('t16 admission before the body', { timeout: 120000 }, () => {
    let srv, agent, fen, appId;

    before(async () => {
        srv = await startServer({ demoSize: 10 });
        [agent, fen] = await Promise.all([login(srv.url, 'agent'), login(srv.url, 'fen')]);
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Parkta kırık bank var' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        appId = r.body.id;
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const host = () => `Host: ${new URL(srv.url).host}`;

    it('an unauthenticated 10 MiB upload gets 401 without its body being sent', async () => {
        const text = await headOnly(srv.url, [
            `POST /api/v1/applications/${appId}/attachments?filename=a.pdf HTTP/1.1`, host(),
            'Content-Type: application/pdf', `Content-Length: ${10 * MiB}`, '',
        ].join('\n'));
        assert.equal(status(text), 401, text);
        assert.equal(errorCode(text), 'unauthorized', text);
    });

    it('an authenticated upload over the cap gets 413 without its body being sent', async () => {
        const text = await headOnly(srv.url, [
            `POST /api/v1/applications/${appId}/attachments?filename=a.pdf HTTP/1.1`, host(),
            `Cookie: ${agent.cookie}`, 'Content-Type: application/pdf', `Content-Length: ${10 * MiB + 1}`, '',
        ].join('\n'));
        assert.equal(status(text), 413, text);
        assert.equal(errorCode(text), 'too_large', text);
    });

    it('a JSON body over its (smaller) cap gets 413 from the headers', async () => {
        const text = await headOnly(srv.url, [
            'POST /api/v1/applications HTTP/1.1', host(), `Cookie: ${agent.cookie}`,
            'Content-Type: application/json', `Content-Length: ${2 * MiB}`, '',
        ].join('\n'));
        assert.equal(status(text), 413, text);
    });

    it('a role that may not call the route gets 403 from the headers', async () => {
        const text = await headOnly(srv.url, [
            'POST /api/v1/citizens HTTP/1.1', host(), `Cookie: ${fen.cookie}`,
            'Content-Type: application/json', `Content-Length: ${512 * 1024}`, '',
        ].join('\n'));
        assert.equal(status(text), 403, text);
    });

    it('unknown endpoints and methods get 404 and 405 from the headers', async () => {
        let text = await headOnly(srv.url, [
            'POST /api/v1/nothing-here HTTP/1.1', host(), 'Content-Type: application/json', `Content-Length: ${MiB}`, '',
        ].join('\n'));
        assert.equal(status(text), 404, text);
        text = await headOnly(srv.url, [
            'PUT /api/v1/citizens HTTP/1.1', host(), 'Content-Type: application/json', `Content-Length: ${MiB}`, '',
        ].join('\n'));
        assert.equal(status(text), 405, text);
    });

    it('an admitted upload is still read and stored (the cap comes from the route table)', async () => {
        // a minimal PDF of 2 MiB: over the JSON cap of 1 MiB, under the upload cap of 10 MiB
        const pdf = Buffer.alloc(2 * MiB, 0x20);
        pdf.write('%PDF-1.4\n', 0, 'latin1');
        pdf.write('\n%%EOF\n', pdf.length - 7, 'latin1');
        const r = await agent.raw(`/api/v1/applications/${appId}/attachments?filename=big.pdf`, {
            method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.size, 2 * MiB);
    });
});
