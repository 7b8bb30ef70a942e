#!/usr/bin/python3
"""SMTP servers for the local mail stack: one process, one listener per behaviour.

Usage: smtpd.py CONFIG.json

CONFIG is a JSON list of listeners, each
  {"name": "good", "address": "127.25.0.25", "port": 25, "banner": "mx.good.test",
   "tls": "modern" | "tls1.0-only" | "none" | "buffering-flaw", "cert": "PATH", "key": "PATH"}
"modern" offers STARTTLS with TLS 1.2+, "tls1.0-only" offers STARTTLS but speaks only TLS 1.0,
"none" does not offer STARTTLS. "buffering-flaw" is a small server of its own with the classic
STARTTLS flaw (CVE-2011-0411): commands that arrived in plaintext behind STARTTLS stay in its
input buffer and are answered inside TLS. Mail sent to any listener is accepted and dropped.
An optional "greeting" replaces the 220 greeting line with its raw octets, one per character
(U+0000-U+00FF), so a listener can play a hostile server: any reply code, control bytes, bytes
that are not UTF-8.
Runs until SIGTERM or SIGINT; prints "ready" on stdout once every listener accepts connections.
"""
import functools
import json
import signal
import socketserver
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class DropHandler:
    """Accepts every message and keeps nothing: the stack tests TLS, not delivery."""

    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 accepted and dropped"


class RawGreetingSMTP(SMTP):
    """Sends the configured octets instead of its first reply, the greeting."""

    def __init__(self, handler, greeting, **kwargs):
        super().__init__(handler, **kwargs)
        self._greeting = greeting.encode("latin-1")

    async def push(self, status):
        status, self._greeting = self._greeting or status, None
        await super().push(status)


class RawGreetingController(Controller):
    def __init__(self, handler, greeting, **kwargs):
        super().__init__(handler, **kwargs)
        self.greeting = greeting

    def factory(self):  # one SMTP object per connection
        return RawGreetingSMTP(self.handler, self.greeting, **self.SMTP_kwargs)


def tls_context(listener):
    mode = listener["tls"]
    if mode == "none":
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if mode == "tls1.0-only":
        # Debian's OpenSSL refuses TLS 1.0 at its default security level.
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1
    elif mode == "modern":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    else:
        raise ValueError(f"listener {listener['name']}: unknown tls mode {mode!r}")
    ctx.load_cert_chain(listener["cert"], listener["key"])
    return ctx


class BufferingFlawHandler(socketserver.BaseRequestHandler):
    """Just enough SMTP for a probe: EHLO, STARTTLS, NOOP, QUIT. The flaw is on purpose: after
    STARTTLS the bytes already read stay in `pending` and are answered over TLS."""

    def handle(self):
        conn, pending = self.request, b""
        conn.settimeout(30)
        conn.sendall(f"220 {self.server.banner} ESMTP\r\n".encode())
        while True:
            while b"\n" not in pending:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                pending += chunk
            line, pending = pending.split(b"\n", 1)
            verb = line.strip().split(b" ")[0].upper()
            if verb in (b"EHLO", b"HELO"):
                starttls = b"" if isinstance(conn, ssl.SSLSocket) else b"250-STARTTLS\r\n"
                conn.sendall(f"250-{self.server.banner}\r\n".encode() + starttls + b"250 8BITMIME\r\n")
            elif verb == b"STARTTLS" and not isinstance(conn, ssl.SSLSocket):
                conn.sendall(b"220 2.0.0 ready to start TLS\r\n")
                conn = self.server.tls.wrap_socket(conn, server_side=True)  # `pending` is kept
            elif verb == b"QUIT":
                conn.sendall(b"221 2.0.0 bye\r\n")
                return
            else:
                conn.sendall(b"250 2.0.0 ok\r\n")


class BufferingFlawServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, listener):
        super().__init__((listener["address"], listener["port"]), BufferingFlawHandler)
        self.banner = listener["banner"]
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.minimum_version = ssl.TLSVersion.TLSv1_2
        self.tls.load_cert_chain(listener["cert"], listener["key"])
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.shutdown()
        self.server_close()


def start(listener):
    if listener["tls"] == "buffering-flaw":
        return BufferingFlawServer(listener)
    greeting = listener.get("greeting")
    make = Controller if greeting is None else functools.partial(RawGreetingController,
                                                                  greeting=greeting)
    controller = make(
        DropHandler(),
        hostname=listener["address"],
        port=listener["port"],
        server_hostname=listener["banner"],
        tls_context=tls_context(listener),
        require_starttls=False,
        ready_timeout=10,
    )
    controller.start()
    return controller


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        listeners = json.load(f)
    controllers = [start(listener) for listener in listeners]
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for controller in controllers:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
