// Real local stand-ins for the outbox's gateways (issue 15), started by the tests:
//   smsGateway(): a node HTTP server in the shape of a Turkish operator's JSON API. It records
//     every request, accepts a message once per Idempotency-Key (a repeat is answered OK and
//     counted in `dupes`, as an operator with idempotency keys does), can be stopped and
//     started again on the same port (an outage), can hold its answers (holdMs: a send in
//     flight), and refuses the recipients in `refuse` with HTTP 400 (a permanent error).
//   smtpSink(dir): Debian's python3-aiosmtpd (tests/lib/smtp-sink.py) writing each message to
//     dir; messages() reads them back (Message-ID, recipient, decoded subject and body).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { REPO } from './server.mjs';

export function smsGateway() {
    const g = { requests: [], accepted: new Map(), dupes: 0, holdMs: 0, refuse: new Set(), port: 0, sockets: new Set() };
    g.server = http.createServer((q, s) => {
        let b = '';
        q.setEncoding('utf8');
        q.on('data', (d) => { b += d; });
        q.on('end', () => {
            const key = q.headers['idempotency-key'];
            let body = {};
            try { body = JSON.parse(b); } catch { /* recorded as {} */ }
            g.requests.push({ key, body });
            if (g.refuse.has(body.to)) {
                s.writeHead(400, { 'content-type': 'application/json' });
                s.end('{"status":"ERR","error":"invalid number"}');
                return;
            }
            if (g.accepted.has(key)) g.dupes++;
            else g.accepted.set(key, body);
            const answer = () => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{"status":"OK"}'); };
            if (g.holdMs) setTimeout(answer, g.holdMs); else answer();
        });
    });
    g.server.on('connection', (c) => { g.sockets.add(c); c.on('close', () => g.sockets.delete(c)); });
    g.start = () => new Promise((resolve) => g.server.listen(g.port, '127.0.0.1', () => { g.port = g.server.address().port; resolve(g); }));
    /** the outage: no more connections, open ones cut */
    g.stop = () => new Promise((resolve) => { g.server.close(() => resolve()); for (const c of g.sockets) c.destroy(); });
    g.url = () => `http://127.0.0.1:${g.port}/api/sms/send`;
    /** the serve --sms-config file for this gateway */
    g.configFile = (dir) => {
        const f = path.join(dir, 'sms-gateway.conf');
        fs.writeFileSync(f, [
            '# the test operator: JSON body, idempotency key in the body and the header',
            `url = ${g.url()}`,
            'method = POST',
            'format = json',
            'body = {"to":"{to}","text":"{text}","ref":"{key}","sender":"{sender}"}',
            'sender = ALO153',
            'success = "status":"OK"',
            'timeout_ms = 5000',
            '',
        ].join('\n'));
        return f;
    };
    return g;
}

const PY = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export function smtpSink(dir) {
    fs.mkdirSync(dir, { recursive: true });
    const proc = spawn(PY, [path.join(REPO, 'tests/lib/smtp-sink.py'), dir, '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.unref();
    proc.stdout.unref();
    proc.stderr.unref();
    let err = '';
    proc.stderr.on('data', (d) => { err += d; });
    const ready = new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`smtp-sink did not start: ${err}`)), 10000);
        proc.stdout.on('data', (d) => {
            out += d;
            const m = out.match(/listening (\d+)/);
            if (m) { clearTimeout(timer); resolve(Number(m[1])); }
        });
        proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`smtp-sink exited ${code}: ${err}`)); });
    });
    return ready.then((port) => ({
        port,
        url: `smtp://127.0.0.1:${port}`,
        stop: () => proc.kill('SIGTERM'),
        /** the messages received so far: {file, messageId, to, subject, body} */
        messages() {
            return fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => {
                const raw = fs.readFileSync(path.join(dir, f), 'latin1');
                const [head, ...rest] = raw.split('\r\n\r\n');
                const h = (name) => (head.match(new RegExp(`^${name}: (.*)$`, 'mi')) || [])[1] || '';
                const subj = h('Subject').replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
                const body = Buffer.from(rest.join('\r\n\r\n').replace(/\s+/g, ''), 'base64').toString('utf8');
                return { file: f, messageId: h('Message-ID').replace(/[<>]/g, ''), to: h('X-Rcpt'), subject: subj, body };
            });
        },
    }));
}
