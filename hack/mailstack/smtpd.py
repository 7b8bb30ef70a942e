#!/usr/bin/python3
"""SMTP servers for the local mail stack: one process, one listener per behaviour.

Usage: smtpd.py CONFIG.json

CONFIG is a JSON list of listeners, each
  {"name": "good", "address": "127.25.0.25", "port": 25, "banner": "mx.good.test",
   "tls": "modern" | "tls1.0-only" | "none", "cert": "PATH", "key": "PATH"}
"modern" offers STARTTLS with TLS 1.2+, "tls1.0-only" offers STARTTLS but speaks only TLS 1.0,
"none" does not offer STARTTLS. Mail sent to any listener is accepted and dropped.
An optional "greeting" replaces the 220 greeting line with its raw octets, one per character
(U+0000-U+00FF), so a listener can play a hostile server: any reply code, control bytes, bytes
that are not UTF-8.
Runs until SIGTERM or SIGINT; prints "ready" on stdout once every listener accepts connections.
"""
import functools
import json
import signal
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


def start(listener):
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
