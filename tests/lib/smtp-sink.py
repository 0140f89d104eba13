#!/usr/bin/env python3
"""A real SMTP server for the tests (Debian's python3-aiosmtpd): every message received is
written to DIR as one file (name: a counter and the Message-ID), so a test can read what was
delivered and see a Message-ID delivered twice. Prints "listening PORT" once it accepts.
usage: smtp-sink.py DIR [PORT]  (PORT 0 or absent: a free port)"""
import asyncio, os, socket, sys, time
from aiosmtpd.controller import Controller

out = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
if port == 0:
    s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
os.makedirs(out, exist_ok=True)
n = [0]

class Sink:
    async def handle_DATA(self, server, session, envelope):
        data = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        mid = 'none'
        for line in data.split(b'\r\n'):
            if line.lower().startswith(b'message-id:'):
                mid = line.split(b':', 1)[1].strip().strip(b'<>').decode(errors='replace')
            if line == b'':
                break
        n[0] += 1
        name = os.path.join(out, f'{n[0]:06d}-{mid}.eml')
        with open(name + '.tmp', 'wb') as f:
            f.write(b'X-Rcpt: ' + ','.join(envelope.rcpt_tos).encode() + b'\r\n' + data)
        os.rename(name + '.tmp', name)
        return '250 OK'

c = Controller(Sink(), hostname='127.0.0.1', port=port)
c.start()
print(f'listening {port}', flush=True)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    pass
finally:
    c.stop()
