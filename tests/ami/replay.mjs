// A small AMI replay server for the tests of `alo153 ami`: listens on 127.0.0.1 (a free port),
// greets like Asterisk ("Asterisk Call Manager/5.0.2"), checks the Login action (Username,
// Secret, ActionID) and answers it as Asterisk does (Response: Success / Error with the
// ActionID), then plays a transcript (tests/ami/*.txt, see gen.py for its few directives) and
// closes the connection.
//
//   const r = await startReplay({ file, user: 'alo153', secret: 'gizli' });
//   r.port; r.logins → [{ username, secret, actionId, events, ok }]; await r.close();
//
// Reconnects: with { dropAt: N, resumeAt: M } (message indices, M < N) the first connection
// plays messages 0..N-1 and the first lines of message N, then closes mid-message; every later
// connection plays from message M to the end, so M..N-1 arrive twice.
// Bounded: every connection is closed after `limitMs` (default 30 s) whatever happens.
import fs from 'node:fs';
import net from 'node:net';

/** The transcript's items: {msg: [lines]}, {lf: true}, {long: n}, {bigmsg: n}. */
export function parseTranscript(text) {
    const items = [];
    let cur = null;
    for (const line of text.split('\n')) {
        if (line.startsWith('## ')) continue;
        if (line.startsWith('#! ')) {
            if (cur) { items.push({ msg: cur }); cur = null; }
            const [what, n] = line.slice(3).trim().split(/\s+/);
            if (what === 'lf') items.push({ lf: true });
            else if (what === 'long') items.push({ long: Number(n) });
            else if (what === 'bigmsg') items.push({ bigmsg: Number(n) });
            else throw new Error(`unknown directive ${line}`);
            continue;
        }
        if (line === '') {
            if (cur) { items.push({ msg: cur }); cur = null; }
            continue;
        }
        (cur ||= []).push(line);
    }
    if (cur) items.push({ msg: cur });
    return items;
}

/** The bytes Asterisk would send for items; from message index `from`, up to message `to`
 * (exclusive; then `partial` lines of message `to`, without its end). */
export function render(items, { from = 0, to = Infinity, partial = 0 } = {}) {
    let eol = '\r\n';
    let next = 0; // the index of the next message
    const out = [];
    for (const it of items) {
        if (it.lf) { eol = '\n'; continue; }
        if (it.msg) {
            const k = next++;
            if (k < from) continue;
            if (k >= to) {
                if (k === to && partial) out.push(it.msg.slice(0, partial).join(eol) + eol);
                break;
            }
            out.push(it.msg.join(eol) + eol + eol);
        } else if (next >= from && next < to) {
            if (it.long) out.push('x'.repeat(it.long) + eol);
            else if (it.bigmsg) {
                const lines = ['Event: VarSet'];
                for (let i = 0; i < it.bigmsg; i++) lines.push(`Variable${i}: ${'v'.repeat(20)}`);
                out.push(lines.join(eol) + eol + eol);
            }
        }
    }
    return out.join('');
}

/** The number of messages in items. */
export function messageCount(items) {
    return items.filter((it) => it.msg).length;
}

function parseAction(block) {
    const f = {};
    for (const line of block.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0) f[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    return f;
}

export function startReplay({ file, user, secret, dropAt, resumeAt, limitMs = 30000 }) {
    const items = parseTranscript(fs.readFileSync(file, 'utf8'));
    const logins = [];
    const sockets = new Set();
    let connections = 0;
    const server = net.createServer((sock) => {
        const n = connections++;
        sockets.add(sock);
        const timer = setTimeout(() => sock.destroy(), limitMs);
        timer.unref();
        sock.on('close', () => { clearTimeout(timer); sockets.delete(sock); });
        sock.on('error', () => {});
        sock.write('Asterisk Call Manager/5.0.2\r\n');
        let buf = '';
        sock.on('data', (d) => {
            buf += d.toString('utf8');
            const end = buf.search(/\r?\n\r?\n/);
            if (end < 0 || sock.answered) return;
            sock.answered = true;
            const a = parseAction(buf.slice(0, end));
            const ok = (a.action || '').toLowerCase() === 'login' && a.username === user && a.secret === secret;
            logins.push({ username: a.username, secret: a.secret, actionId: a.actionid, events: a.events, ok });
            const id = a.actionid !== undefined ? `ActionID: ${a.actionid}\r\n` : '';
            if (!ok) {
                sock.end(`Response: Error\r\n${id}Message: Authentication failed\r\n\r\n`);
                return;
            }
            let out = `Response: Success\r\n${id}Message: Authentication accepted\r\n\r\n` +
                'Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 86400\r\nLastReload: 3600\r\nStatus: Fully Booted\r\n\r\n';
            if (dropAt !== undefined && n === 0) out += render(items, { to: dropAt, partial: 5 });
            else out += render(items, { from: n > 0 && resumeAt !== undefined ? resumeAt : 0 });
            sock.end(out);
        });
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            resolve({
                port: server.address().port,
                logins,
                get connections() { return connections; },
                close: () => new Promise((res) => {
                    for (const s of sockets) s.destroy();
                    server.close(() => res());
                }),
            });
        });
    });
}
