#!/usr/bin/python3
"""HTTPS policy hosts and SMTP servers for the probe integration tests (loopback only).

Usage: servers.py PKI_DIR    (certificates as servers.sh makes them)

Each behaviour is one small, deliberate deviation, so a test can name exactly what it checks.
Prints "ready" once every listener accepts connections; runs until SIGTERM.
"""
import signal
import socketserver
import ssl
import sys
import threading
import time

HTTPS = ("127.77.3.10", 8443)
SMTP_PORT = 2525
SMTP = {  # address: (behaviour, certificate)
    "127.77.3.21": ("good", "good"),
    "127.77.3.22": ("no-starttls", None),
    "127.77.3.23": ("pipelined", "good"),
    "127.77.3.24": ("good", "expired"),
    "127.77.3.25": ("good", "wrongname"),
    "127.77.3.26": ("good", "untrusted"),
    "127.77.3.27": ("tls1.0-only", "good"),
    "127.77.3.28": ("good", "expiring"),
}
POLICY = b"version: STSv1\r\nmode: enforce\r\nmx: mx.good.probe.test\r\nmax_age: 1209600\r\n"
LIMIT = 64 * 1024


def context(pki, cert, legacy=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if legacy:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1
    else:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(f"{pki}/{cert}.crt", f"{pki}/{cert}.key")
    return ctx


def chunked(body, size):
    out = b""
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def http_response(label):
    """The canned response for mta-sts.<label>.probe.test."""
    def reply(status, headers, body):
        head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
        return head.encode() + b"Connection: close\r\n\r\n" + body
    plain = ("Content-Type", "text/plain; charset=utf-8")
    if label == "redirect":
        return reply("301 Moved Permanently",
                     [("Location", "https://www.probe.test/.well-known/mta-sts.txt"),
                      ("Content-Length", "0")], b"")
    if label == "missing":
        return reply("404 Not Found", [("Content-Type", "text/html"), ("Content-Length", "9")],
                     b"not found")
    if label == "html":
        body = b"<html><body>" + POLICY + b"</body></html>"
        return reply("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                ("Content-Length", str(len(body)))], body)
    if label == "big":
        body = b"#" * (LIMIT + 1)
        return reply("200 OK", [plain, ("Content-Length", str(len(body)))], body)
    if label == "bigchunked":
        return reply("200 OK", [plain, ("Transfer-Encoding", "chunked")],
                     chunked(b"#" * (LIMIT + 1), 4000))
    if label == "exact":
        body = POLICY + b"#" * (LIMIT - len(POLICY))
        return reply("200 OK", [plain, ("Transfer-Encoding", "chunked")], chunked(body, 1000))
    if label == "chunked":
        return reply("200 OK", [plain, ("Transfer-Encoding", "chunked")], chunked(POLICY, 7))
    return reply("200 OK", [plain, ("Content-Length", str(len(POLICY)))], POLICY)


class Https(socketserver.ThreadingTCPServer):
    daemon_threads = True
    request_queue_size = 256  # the bench opens many connections at once
    allow_reuse_address = True


def https_handler(ctx):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                conn = ctx.wrap_socket(self.request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client refused our certificate: that is the test
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 8192:
                data = conn.recv(4096)
                if not data:
                    return
                request += data
            host = ""
            for line in request.split(b"\r\n")[1:]:
                if line.lower().startswith(b"host:"):
                    host = line[5:].strip().decode()
            label = host.split(".")[1] if host.startswith("mta-sts.") else ""
            if label == "slow":  # the head, half the body, then nothing for a long while
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: 100\r\n\r\nversion: STSv1\r\n")
                time.sleep(5)
                return
            conn.sendall(http_response(label))
            try:
                conn.unwrap()
            except (ssl.SSLError, OSError):
                pass
    return Handler


def smtp_handler(behaviour, ctx):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            sock, buffer, tls = self.request, b"", False
            sock.sendall(b"220-mx.probe.test ESMTP test server\r\n220 mx.probe.test ready\r\n")
            while True:
                while b"\r\n" not in buffer:
                    data = sock.recv(4096)
                    if not data:
                        return
                    buffer += data
                line, buffer = buffer.split(b"\r\n", 1)
                verb = line.split(b" ")[0].upper()
                if verb == b"EHLO":
                    offer = behaviour != "no-starttls" and not tls
                    sock.sendall(b"250-mx.probe.test\r\n250-PIPELINING\r\n" +
                                 (b"250-STARTTLS\r\n" if offer else b"") + b"250 8BITMIME\r\n")
                elif verb == b"STARTTLS" and behaviour != "no-starttls" and not tls:
                    extra = b"250 injected\r\n" if behaviour == "pipelined" else b""
                    sock.sendall(b"220 2.0.0 ready to start TLS\r\n" + extra)
                    try:
                        sock = ctx.wrap_socket(sock, server_side=True)
                    except (ssl.SSLError, OSError):
                        return
                    tls, buffer = True, b""
                elif verb == b"QUIT":
                    sock.sendall(b"221 2.0.0 bye\r\n")
                    return
                else:
                    sock.sendall(b"502 5.5.2 not here\r\n")
    return Handler


def main(pki):
    contexts = {name: context(pki, name) for name in
                ("policy", "good", "expired", "expiring", "wrongname", "untrusted")}
    by_sni = {"mta-sts.expired.probe.test": "expired", "mta-sts.wrongname.probe.test": "wrongname",
              "mta-sts.untrusted.probe.test": "untrusted"}
    https_ctx = context(pki, "policy")

    def pick(sslobj, name, _):
        sslobj.context = contexts[by_sni.get(name or "", "policy")]
    https_ctx.sni_callback = pick
    servers = [Https(HTTPS, https_handler(https_ctx))]
    for address, (behaviour, cert) in SMTP.items():
        ctx = None
        if cert:
            ctx = context(pki, cert, legacy=behaviour == "tls1.0-only")
        if address == "127.77.3.21":  # like many MTAs: the right certificate only for the SNI name
            ctx.sni_callback = lambda sslobj, name, _: (
                None if name else setattr(sslobj, "context", contexts["wrongname"]))
        servers.append(Https((address, SMTP_PORT), smtp_handler(behaviour, ctx)))
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()  # the listeners run on daemon threads: returning ends them


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
