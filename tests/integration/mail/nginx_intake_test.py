#!/usr/bin/python3
"""The production nginx config's TLS-RPT intake, location = /tlsrpt, as the mail stack runs it:
only POST is passed on, within its own body limit (1 MiB; the policy location keeps 1 KiB), and
nothing reaches the operator before nginx holds a whole, well-sized body: not an oversized one,
not a slow client's, not an endless chunked one. A good report reaches it byte for byte with its
Content-Type, and its answer comes back as it is.

The operator is played by a stand-in, Recorder: it listens where the stack's intake.conf says
(the https address, port 8082), records every connection and request, and answers as the
operator's intake does (200, or 415 for a Content-Type it does not take, with a one-line reason).
The operator's own intake is tested end to end through nginx in report_gate_test.py.

Usage: nginx_intake_test.py [unittest args]   (environment: hack/mailstack.sh env)
"""
import contextlib
import gzip
import http.client
import os
import re
import select
import socket
import ssl
import threading
import time
import unittest

ENV = os.environ
HOST = "mta-sts.good.test"
LIMIT = 1024 * 1024  # client_max_body_size of location = /tlsrpt
BODY_TIMEOUT = 10  # its client_body_timeout, seconds
REPORT_TYPES = ("application/tlsrpt+gzip", "application/tlsrpt+json")


def intake_address():
    """(address, port) of the server line in the stack's intake.conf."""
    with open(os.path.join(ENV["MAILSTACK_NGINX_PREFIX"], "intake.conf"), encoding="utf-8") as f:
        address, port = re.search(r"^server ([0-9.]+):([0-9]+);", f.read(), re.M).groups()
    return address, int(port)


class Recorder:
    """The operator's stand-in: every connection nginx opens, and each request read from it as
    (method, path, headers with lower-case names, body)."""

    def __init__(self):
        self.connections, self.requests = 0, []
        self.sock = socket.create_server(intake_address())
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(10)
                self._answer(conn)

    def _answer(self, conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = dict((k.lower(), v.strip()) for k, _, v in (l.partition(":") for l in lines[1:]))
        while len(body) < int(headers.get("content-length", 0)):
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        self.requests.append((method, path, headers, body))
        if headers.get("content-type") in REPORT_TYPES:
            status, answer = "200 OK", b"counted for good.test\n"
        else:
            status, answer = "415 Unsupported Media Type", b"Content-Type must be one of ...\n"
        conn.sendall(f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: "
                     f"{len(answer)}\r\nConnection: close\r\n\r\n".encode() + answer)

    def close(self):
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes accept(); close() alone would not
        self.sock.close()
        self.thread.join(5)


def tls_socket():
    context = ssl.create_default_context(cafile=ENV["MAILSTACK_CA_FILE"])
    raw = socket.create_connection((ENV["MAILSTACK_HTTPS_ADDRESS"],
                                    int(ENV["MAILSTACK_HTTPS_PORT"])), timeout=30)
    return context.wrap_socket(raw, server_hostname=HOST)


def request(method, path, body=None, headers=None, chunked=False):
    """(status, response, body) of one request to the policy host through nginx; chunked: send
    body, an iterable of chunks, with Transfer-Encoding: chunked."""
    conn = http.client.HTTPSConnection(HOST, int(ENV["MAILSTACK_HTTPS_PORT"]), timeout=30,
                                       context=ssl.create_default_context(
                                           cafile=ENV["MAILSTACK_CA_FILE"]))
    conn.sock = tls_socket()
    try:
        conn.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        r = conn.getresponse()
        return r.status, r, r.read()
    finally:
        conn.close()


def status_of(answer):
    """The status code of the raw HTTP answer, or None when nginx closed without one."""
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    return int(m.group(1)) if m else None


def answer_begun(sock):
    """The first bytes of an answer if one has come, else None. The socket turns readable for
    TLS 1.3 session tickets too, which carry no answer: they are read, and sending goes on."""
    if not select.select([sock], [], [], 0)[0]:
        return None
    timeout = sock.gettimeout()
    sock.settimeout(0.05)
    try:
        return sock.recv(65536)
    except (socket.timeout, ssl.SSLWantReadError):
        return None
    finally:
        sock.settimeout(timeout)


def read_answer(sock):
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except (ConnectionError, ssl.SSLError):
        pass
    return answer


class IntakeTest(unittest.TestCase):
    def setUp(self):
        self.recorder = Recorder()
        self.addCleanup(self.recorder.close)

    def assert_operator_saw_nothing(self):
        time.sleep(0.2)  # anything nginx would pass on has been passed by now
        self.assertEqual(self.recorder.connections, 0, self.recorder.requests)

    def test_a_report_reaches_the_operator_byte_exact_with_its_content_type(self):
        report = gzip.compress(os.urandom(3000) + b'{"report-id": "r1"}')
        for content_type, body in [("application/tlsrpt+gzip", report),
                                   ("application/tlsrpt+json", b'{"report-id": "r2"}')]:
            with self.subTest(content_type=content_type):
                status, _, answer = request("POST", "/tlsrpt", body,
                                            {"Content-Type": content_type})
                self.assertEqual((status, answer), (200, b"counted for good.test\n"))
                method, path, headers, got = self.recorder.requests[-1]
                self.assertEqual((method, path, got), ("POST", "/tlsrpt", body))
                self.assertEqual(headers["content-type"], content_type)
                self.assertEqual(headers["content-length"], str(len(body)))

    def test_a_chunked_report_reaches_the_operator_whole(self):
        body = gzip.compress(os.urandom(40000))  # larger than nginx's in-memory body buffer
        status, _, _ = request("POST", "/tlsrpt", iter([body[:1000], body[1000:]]),
                               {"Content-Type": "application/tlsrpt+gzip",
                                "Transfer-Encoding": "chunked"}, chunked=True)
        self.assertEqual(status, 200)
        _, _, headers, got = self.recorder.requests[-1]
        self.assertEqual(got, body)
        self.assertEqual(headers["content-length"], str(len(body)))

    def test_the_operators_refusal_comes_back_as_it_is(self):
        status, response, answer = request("POST", "/tlsrpt", b"{}",
                                           {"Content-Type": "application/json"})
        self.assertEqual((status, answer), (415, b"Content-Type must be one of ...\n"))
        self.assertEqual(self.recorder.requests[-1][2]["content-type"], "application/json")
        self.assertIsNone(response.getheader("Location"))

    def test_a_body_of_exactly_the_limit_passes(self):
        status, _, _ = request("POST", "/tlsrpt", b"x" * LIMIT,
                               {"Content-Type": "application/tlsrpt+gzip"})
        self.assertEqual(status, 200)
        self.assertEqual(len(self.recorder.requests[-1][3]), LIMIT)

    def test_other_methods_are_told_to_post(self):
        for method in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"):
            with self.subTest(method=method):
                body = b"x" if method in ("PUT", "PATCH") else None
                status, response, _ = request(method, "/tlsrpt", body)
                self.assertEqual(status, 405)
                self.assertEqual(response.getheader("Allow"), "POST")
                self.assertIsNone(response.getheader("Location"))
        self.assert_operator_saw_nothing()

    def test_a_body_over_the_limit_is_refused_by_nginx(self):
        status, _, _ = request("POST", "/tlsrpt", b"x" * (LIMIT + 1),
                               {"Content-Type": "application/tlsrpt+gzip"})
        self.assertEqual(status, 413)
        self.assert_operator_saw_nothing()

    def test_a_body_that_never_ends_is_cut_at_the_limit(self):
        chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
        sent = 0
        with tls_socket() as s:
            s.sendall(b"POST /tlsrpt HTTP/1.1\r\nHost: " + HOST.encode() + b"\r\n"
                      b"Content-Type: application/tlsrpt+gzip\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n")
            # Endless until nginx answers (after its answer it reads on for a while, to discard,
            # and closes); 64 MiB bounds a broken nginx.
            first = None
            with contextlib.suppress(ConnectionError, ssl.SSLError, socket.timeout):
                while sent < 64 * LIMIT and (first := answer_begun(s)) is None:
                    s.sendall(chunk)
                    sent += 65536
            answer = (first or b"") + read_answer(s)
        self.assertEqual(status_of(answer), 413, answer[:200])
        # Answered near the limit: what was sent past it sat in the sockets' buffers.
        self.assertLess(sent, 8 * LIMIT)
        self.assert_operator_saw_nothing()

    def test_a_slow_client_is_cut_by_nginx(self):
        with tls_socket() as s:
            s.sendall(b"POST /tlsrpt HTTP/1.1\r\nHost: " + HOST.encode() + b"\r\n"
                      b"Content-Type: application/tlsrpt+gzip\r\nContent-Length: 100\r\n\r\n"
                      b"0123456789")
            s.settimeout(3 * BODY_TIMEOUT)
            started = time.monotonic()
            answer = read_answer(s)  # the next bytes would come later than the body timeout
            waited = time.monotonic() - started
        # nginx closes the connection, with no answer (it logs 408), once no byte has come for
        # client_body_timeout.
        self.assertEqual(answer, b"")
        self.assertGreaterEqual(waited, BODY_TIMEOUT - 1)
        self.assertLess(waited, BODY_TIMEOUT + 5)
        self.assert_operator_saw_nothing()

    def test_no_operator_is_a_bad_gateway_at_once(self):
        self.recorder.close()
        started = time.monotonic()
        status, _, _ = request("POST", "/tlsrpt", b"{}", {"Content-Type": REPORT_TYPES[1]})
        self.assertEqual(status, 502)
        self.assertLess(time.monotonic() - started, 5)


class PolicyHostUnchangedTest(unittest.TestCase):
    """What the intake's location must not change on the rest of the host."""

    def test_the_policy_location_keeps_its_1k_body_limit(self):
        for path in ("/.well-known/mta-sts.txt", "/", "/tlsrpt/", "/TLSRPT"):
            with self.subTest(path=path):
                self.assertEqual(request("POST", path, b"x" * 2048)[0], 413)

    def test_everything_else_is_still_404_and_the_policy_still_served(self):
        for path in ("/tlsrpt/", "/tlsrpt/x", "/tlsrpt.txt", "/.well-known/tlsrpt", "/x"):
            with self.subTest(path=path):
                self.assertEqual(request("GET", path)[0], 404)
                self.assertEqual(request("POST", path, b"{}")[0], 404)
        self.assertEqual(request("GET", "/.well-known/mta-sts.txt")[0], 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
