#!/usr/bin/env python3
"""Runs the mtasts binary as a user would: exact outputs, exit codes, and hostile inputs.

Usage: cli_test.py MTASTS_BINARY SOURCE_DIR
"""
import email.mime.application
import email.mime.multipart
import email.mime.text
import gzip
import hashlib
import http.server
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import unittest

MTASTS = ""
SOURCE = ""
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = ""
AT = "2026-01-01T00:00:00Z"


def run(*args, stdin=b"", timeout=20):
    p = subprocess.run([MTASTS, *args], input=stdin, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def data(name):
    return os.path.join(HERE, "testdata", name)


class Render(unittest.TestCase):
    def test_example_exact(self):
        code, out, err = run("render", "--at", AT, EXAMPLE)
        self.assertEqual((code, err), (0, ""))
        with open(data("example-com.render.txt")) as f:
            self.assertEqual(out, f.read())

    def test_only_policy_is_the_served_bytes(self):
        code, out, _ = run("render", "--only", "policy", EXAMPLE)
        self.assertEqual(code, 0)
        self.assertEqual(out, "version: STSv1\r\nmode: enforce\r\nmx: *.mail.example.com\r\n"
                              "mx: mx1.example.com\r\nmax_age: 1209600\r\n")

    def test_testing_stage_and_stdin(self):
        with open(EXAMPLE, "rb") as f:
            code, out, _ = run("render", "--mode", "testing", "--only", "policy", "-",
                               stdin=f.read())
        self.assertEqual(code, 0)
        self.assertIn("mode: testing\r\n", out)
        self.assertIn("max_age: 86400\r\n", out)

    def test_id_is_time_and_digest_of_served_bytes(self):
        policy = run("render", "--only", "policy", EXAMPLE)[1].encode()
        digest = hashlib.sha256(policy).hexdigest()[:8]
        self.assertEqual(run("render", "--only", "sts", "--at", AT, EXAMPLE),
                         (0, "v=STSv1; id=20260101T000000Z" + digest + "\n", ""))

    def test_id_follows_time_and_bytes(self):
        ids = {run("render", "--only", "sts", "--at", at, "--mode", mode, EXAMPLE)[1]
               for at in (AT, "2026-01-02T00:00:00Z") for mode in ("testing", "enforce")}
        self.assertEqual(len(ids), 4)
        self.assertTrue(all(i.startswith("v=STSv1; id=2026010") for i in ids))

    def test_live_mx_when_spec_has_none(self):
        spec = (b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n"
                b"spec: {domain: example.org, mode: testing}\n")
        code, _, err = run("render", "-", stdin=spec)
        self.assertEqual(code, 1)
        self.assertIn("no mx patterns", err)
        code, out, _ = run("render", "--only", "policy", "--mx", "MX2.example.org.",
                           "--mx", "mx1.example.org", "-", stdin=spec)
        self.assertEqual(code, 0)
        self.assertIn("mx: mx1.example.org\r\nmx: mx2.example.org\r\n", out)

    def test_errors_listed_with_lines(self):
        code, out, err = run("render", data("broken.yaml"))
        self.assertEqual((code, out), (1, ""))
        self.assertIn("broken.yaml:6:9: error: spec.mode:", err)


class Lint(unittest.TestCase):
    def test_example_is_clean(self):
        self.assertEqual(run("lint", "--strict", EXAMPLE),
                         (0, EXAMPLE + ": ok (MtaStsPolicy)\n", ""))

    def test_resource_problems_with_line_and_column(self):
        code, out, err = run("lint", data("broken.yaml"))
        self.assertEqual(code, 1)
        name = data("broken.yaml")
        self.assertEqual(err.splitlines(), [
            name + ':5:11: error: spec.domain: "Example.com" has upper case; write it in '
                   'lower case: "example.com"',
            name + ':6:9: error: spec.mode: "enforcing" is not one of none, testing, enforce; '
                   'did you mean enforce?',
            name + ':10:7: error: spec.mx[1]: "*.com" covers every host under a top-level '
                   'domain; list your MX hosts or a wildcard under your own domain '
                   '(RFC 8461 §10.4)',
            name + ':12:5: error: spec.rollout.testingPerod: unknown field; did you mean '
                   'testingPeriod?',
            name + ':13:18: error: spec.rollout.autoPromote: write true or false, not yes',
        ])
        self.assertEqual(out, name + ": 5 errors, 0 warnings (MtaStsPolicy)\n")

    def test_policy_file_problems_with_lines(self):
        code, out, err = run("lint", data("policy-broken.txt"))
        self.assertEqual(code, 1)
        lines = err.splitlines()
        self.assertTrue(any(":4: error: " in l and "[bad_mx]" in l for l in lines), err)
        self.assertTrue(any(":6: warning: " in l and "[duplicate_field]" in l for l in lines), err)
        self.assertTrue(out.endswith("(policy file)\n"))

    def test_warnings_fail_only_when_strict(self):
        spec = (b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n"
                b"spec: {domain: example.org, mode: testing, maxAge: 3600}\n")
        code, out, err = run("lint", "-", stdin=spec)
        self.assertEqual(code, 0)
        self.assertIn("<stdin>:3:52: warning: spec.maxAge: 3600 is under one day", err)
        self.assertEqual(out, "<stdin>: 0 errors, 2 warnings (MtaStsPolicy)\n")
        self.assertEqual(run("lint", "--strict", "-", stdin=spec)[0], 1)

    def test_several_files_worst_status_wins(self):
        code, out, _ = run("lint", data("policy-ok.txt"), EXAMPLE, "/nonexistent/x.yaml")
        self.assertEqual(code, 2)
        self.assertIn("policy-ok.txt: ok (policy file)", out)


class HostileInput(unittest.TestCase):
    """Every bad input: one clear line on stderr, a non-zero status, no crash and no hang."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        d = cls.dir.name
        cls.files = {}

        def write(name, content):
            path = os.path.join(d, name)
            with open(path, "wb") as f:
                f.write(content)
            cls.files[name] = path

        write("empty.yaml", b"")
        write("garbage.bin", bytes(range(256)) * 64)
        write("ten-mb.yaml", b"a: b\n" * (2 * 1024 * 1024))
        levels = [b'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        levels += [b"a%d: &a%d [%s]" % (i, i, b", ".join([b"*a%d" % (i - 1)] * 9))
                   for i in range(1, 10)]
        write("bomb.yaml", b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n" +
              b"\n".join(levels) + b"\n")
        write("deep.yaml", b"spec: " + b"[" * 100000 + b"]" * 100000 + b"\n")
        write("latin1.yaml", b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n"
                             b"spec: {domain: caf\xe9.example, mode: none}\n")
        write("unknown.yaml", b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n"
                              b"spec: {domain: example.com, mode: none, colour: blue}\n")

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def check(self, args, status, message, stdin=b""):
        code, out, err = run(*args, stdin=stdin)
        self.assertEqual(code, status, (args, err))
        self.assertNotIn("terminate called", err)
        self.assertNotIn("Sanitizer", err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn(message, err)

    def test_bad_inputs(self):
        f = self.files
        cases = [
            (f["empty.yaml"], 1, "the file is empty"),
            (f["garbage.bin"], 1, "is this a binary file?"),
            (f["ten-mb.yaml"], 1, "larger than 1 MiB"),
            (f["bomb.yaml"], 1, "YAML anchors (&name) are not accepted"),
            (f["deep.yaml"], 1, "nesting deeper than 32 levels"),
            (f["latin1.yaml"], 1, ":3: invalid UTF-8"),
            (f["unknown.yaml"], 1, "spec.colour: unknown field"),
            (self.dir.name, 2, "is a directory"),
            ("/nonexistent/policy.yaml", 2, "no such file"),
        ]
        for command in ("lint", "render"):
            for path, status, message in cases:
                with self.subTest(command=command, path=os.path.basename(path)):
                    self.check([command, path], status, message)

    def test_bad_stdin(self):
        for command in ("lint", "render"):
            with self.subTest(command=command):
                self.check([command, "-"], 1, "<stdin>: the file is empty")
                self.check([command, "-"], 1, "is this a binary file?", stdin=b"\x00\x01\x02")

    def test_usage_errors(self):
        code, _, err = run()
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("Usage: mtasts COMMAND"))
        self.check(["frobnicate"], 2, 'unknown command "frobnicate"')
        self.check(["render"], 2, "expected one FILE")
        self.check(["lint"], 2, "expected at least one FILE")
        self.check(["render", "--mode", "fast", EXAMPLE], 2, "--mode must be")


class Report(unittest.TestCase):
    """`mtasts report`: reports as a mailbox saves them (JSON, gzip, the mail itself, built by
    Python's email package the way a sender's MIME library builds it), summed per domain, each
    report counted once, bad input refused with one line and the other files still counted."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        with open(data("tlsrpt-rfc8460.json"), "rb") as f:
            cls.rfc = f.read()
        cls.gz = cls.write("rfc.json.gz", gzip.compress(cls.rfc))
        cls.eml = cls.write("rfc.eml", cls.mail(gzip.compress(cls.rfc)))

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    @classmethod
    def write(cls, name, content):
        path = os.path.join(cls.dir.name, name)
        with open(path, "wb") as f:
            f.write(content)
        return path

    @staticmethod
    def mail(report_gz):
        """An RFC 8460 §5.3 report mail: multipart/report, report-type tlsrpt, a text part, the
        report as base64 application/tlsrpt+gzip."""
        msg = email.mime.multipart.MIMEMultipart("report", report_type="tlsrpt")
        msg["From"] = "noreply-smtp-tls-reporting@company-x.example"
        msg["Subject"] = "Report Domain: company-y.example Submitter: company-x.example"
        msg["TLS-Report-Domain"] = "company-y.example"
        msg.attach(email.mime.text.MIMEText("This is an aggregate TLS report."))
        part = email.mime.application.MIMEApplication(report_gz, "tlsrpt+gzip")
        part.add_header("Content-Disposition", "attachment",
                        filename="company-x.example!company-y.example!1459468800!1459555199.json.gz")
        msg.attach(part)
        return msg.as_bytes()

    def test_sums_per_domain(self):
        code, out, err = run("report", data("tlsrpt-rfc8460.json"))
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "company-y.example: 1 report, 5629 sessions, 303 failed (5.38%)\n"
                              "  failures by result: starttls-not-supported 200, "
                              "certificate-expired 100, validation-failure 3\n"
                              "  failures by MX:     mx2.mail.company-y.example 200, "
                              "mx1.mail.company-y.example 100, "
                              "mx-backup.mail.company-y.example 3\n"
                              "1 file: 1 report\n")
        # RFC 8460 Appendix B's mx-host is a string; §4.4 says an array.
        self.assertIn("mx-host: a string, read as a one-element array", err)

    def test_one_report_as_json_gzip_and_mail_counts_once(self):
        code, out, _ = run("report", "--json", data("tlsrpt-rfc8460.json"), self.gz, self.eml)
        self.assertEqual(code, 0)
        result = json.loads(out)
        self.assertEqual([(f["reports"], f["seenBefore"]) for f in result["files"]],
                         [(1, 0), (0, 1), (0, 1)])
        domain = result["domains"]["company-y.example"]
        self.assertEqual((domain["reports"], domain["successfulSessions"],
                          domain["failedSessions"]), (1, 5326, 303))
        self.assertEqual(domain["failuresByResult"]["certificate-expired"], 100)
        code, out, _ = run("report", self.eml)
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("company-y.example: 1 report, 5629 sessions"), out)

    def test_quirks_of_real_senders_warn_and_strict_refuses(self):
        quirks = data("tlsrpt-quirks.json")
        code, out, err = run("report", quirks)
        self.assertEqual(code, 0, err)
        # The policy domain in upper case is the same domain; the MX too.
        self.assertIn("company-y.example: 1 report, 100 sessions, 3 failed (3.00%)\n"
                      "  failures by result: some-new-result 3\n"
                      "  failures by MX:     mx1.company-y.example 3\n", out)
        self.assertIn("has no UTC offset", err)
        code, out, err = run("report", "--strict", quirks, data("tlsrpt-rfc8460.json"))
        self.assertEqual(code, 1)
        self.assertIn("tlsrpt-quirks.json: refused: date-range.start-datetime", err)
        self.assertIn("2 files: 1 report; 1 file refused", out)

    def test_bad_input_is_refused_and_the_rest_counts(self):
        bomb = self.write("bomb.json.gz", gzip.compress(b" " * (200 << 20), 9))
        escape = json.loads(self.rfc)
        escape["policies"][0]["policy"]["policy-domain"] = "evil\x1b[2J.example"
        escape["report-id"] = "escape"
        cases = {
            "bomb": (bomb, "gzip: inflates to more than 10485760 bytes"),
            "truncated": (self.write("cut.json.gz", gzip.compress(self.rfc)[:-20]),
                          "gzip: truncated"),
            "no report in the mail": (
                self.write("plain.eml", b"From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n"),
                "no TLS report in the message"),
            "not json": (self.write("x.json", b"{not json"), "refused:"),
            "wrong counts": (self.write("neg.json", self.rfc.replace(b"5326", b"-5")),
                             "non-negative"),
            "deep": (self.write("deep.json", b"{\"a\":" + b"[" * 100000), "refused:"),
            "too large": (self.write("big.eml", b"x" * (17 << 20)), "larger than 16 MiB"),
            "empty": (self.write("empty.json", b""), "the file is empty"),
        }
        for name, (path, message) in cases.items():
            with self.subTest(name):
                code, out, err = run("report", path, self.gz, timeout=30)
                self.assertEqual(code, 1, err)
                self.assertIn(message, err)
                self.assertNotIn("terminate called", err)
                self.assertIn("2 files: 1 report; 1 file refused", out)
        code, out, err = run("report", "--json", self.write("escape.json",
                                                            json.dumps(escape).encode()))
        self.assertEqual(code, 0, err)
        self.assertNotIn("\x1b", out)
        self.assertIn("evil\\\\x1b[2j.example", out)  # a domain, so in lower case
        self.assertNotIn("\x1b", run("report", self.dir.name + "/escape.json")[1])

    def test_usage(self):
        self.assertEqual(run("report")[0], 2)
        self.assertEqual(run("report", "/nonexistent.json")[0], 2)
        code, out, _ = run("report", "--help")
        self.assertEqual(code, 0)
        self.assertIn("Usage: mtasts report", out)


class Recorder:
    """A stand-in for the operator's TLS-RPT intake, which needs the control plane (the real one
    is POSTed to in tests/integration/operator/report_gate_test.py): a local HTTP server that
    records each request's method, path, Content-Type and body, and answers the status and
    one-line reason it is told. With a TLS context, it speaks https."""

    def __init__(self, tls=None):
        self.requests = []
        self.answer = (200, "counted for company-y.example")
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                recorder.requests.append(
                    (self.command, self.path, self.headers.get("Content-Type"), body))
                status, reason = recorder.answer
                text = (reason + "\n").encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def make_pki(directory, host):
    """A P-256 CA and a leaf for host signed by it; returns (ca.pem, leaf chain, leaf key)."""
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)
    p256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl("req", "-x509", *p256, "-days", "2", "-subj", "/CN=Report Test CA", "-keyout",
            "ca.key", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign")
    openssl("req", "-new", *p256, "-subj", f"/CN={host}", "-keyout", "leaf.key", "-out",
            "leaf.csr")
    with open(os.path.join(directory, "leaf.ext"), "w", encoding="utf-8") as f:
        f.write(f"subjectAltName=DNS:{host}\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", "2",
            "-set_serial", "1", "-extfile", "leaf.ext", "-out", "leaf.pem")
    return tuple(os.path.join(directory, name) for name in ("ca.pem", "leaf.pem", "leaf.key"))


class ReportPost(unittest.TestCase):
    """`mtasts report --post URL`: each report counted is forwarded once, byte-exact, with the
    RFC 8460 Content-Type; the intake's answer is shown per report and decides the exit status;
    a mail piped in on standard input is posted as its attachment."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        with open(data("tlsrpt-rfc8460.json"), "rb") as f:
            cls.rfc = f.read()
        with open(data("tlsrpt-quirks.json"), "rb") as f:
            cls.quirks_gz = gzip.compress(f.read())
        cls.rfc_gz = gzip.compress(cls.rfc)
        cls.eml = Report.mail(cls.rfc_gz)
        cls.quirks = os.path.join(cls.dir.name, "quirks.json.gz")
        with open(cls.quirks, "wb") as f:
            f.write(cls.quirks_gz)
        cls.intake = Recorder()
        cls.url = f"http://127.0.0.1:{cls.intake.port}/tlsrpt"

    @classmethod
    def tearDownClass(cls):
        cls.intake.close()
        cls.dir.cleanup()

    def setUp(self):
        self.intake.requests.clear()
        self.intake.answer = (200, "counted for company-y.example")

    def test_each_report_posted_once_byte_exact(self):
        eml = os.path.join(self.dir.name, "rfc.eml")
        with open(eml, "wb") as f:
            f.write(self.eml)
        code, out, err = run("report", "--post", self.url, data("tlsrpt-rfc8460.json"),
                             self.quirks, eml)
        self.assertEqual(code, 0, err)
        # The mail holds the first report again: counted once, so posted once.
        self.assertEqual(self.intake.requests, [
            ("POST", "/tlsrpt", "application/tlsrpt+json", self.rfc),
            ("POST", "/tlsrpt", "application/tlsrpt+gzip", self.quirks_gz)])
        self.assertIn("tlsrpt-rfc8460.json: posted: 200 counted for company-y.example\n", err)
        self.assertIn("quirks.json.gz: posted: 200 counted for company-y.example\n", err)
        self.assertIn("3 files: 2 reports (1 seen before, counted once); 2 posted\n", out)

    def test_mail_piped_in_posts_its_attachment(self):
        code, out, err = run("report", "--post", self.url + "?from=sieve", "-", stdin=self.eml)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.intake.requests, [
            ("POST", "/tlsrpt?from=sieve", "application/tlsrpt+gzip", self.rfc_gz)])
        self.assertIn("<stdin>: posted: 200 counted for company-y.example", err)

    def test_refused_or_failing_intake_exits_1_with_its_reason(self):
        for status in (400, 415, 503):
            with self.subTest(status):
                self.intake.answer = (status, "not a TLS report: \x1b[2J policies: bad")
                code, out, err = run("report", "--post", self.url, self.quirks)
                self.assertEqual(code, 1, err)
                # The reason as the intake sent it, but printable.
                self.assertIn(f"quirks.json.gz: not posted: {status} not a TLS report: "
                              "\\x1b[2J policies: bad\n", err)
                self.assertNotIn("\x1b", err + out)
                self.assertIn("; 0 posted, 1 not posted\n", out)
        code, out, _ = run("report", "--json", "--post", self.url, self.quirks)
        self.assertEqual(code, 1)
        self.assertEqual(json.loads(out)["files"][0]["posted"], [
            {"report": "", "accepted": False, "status": 503,
             "reason": "not a TLS report: \\x1b[2J policies: bad"}])

    def test_connection_refused_is_a_readable_error(self):
        with socket.socket() as s:  # a port nothing listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        code, out, err = run("report", "--post", f"http://127.0.0.1:{port}/", self.quirks)
        self.assertEqual(code, 1, err)
        self.assertIn(f"quirks.json.gz: not posted: connect to 127.0.0.1:{port}: "
                      "Connection refused\n", err)
        self.assertIn("1 file: 1 report; 0 posted, 1 not posted\n", out)

    def test_https_checks_the_certificate(self):
        ca, chain, key = make_pki(self.dir.name, "localhost")
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(chain, key)
        intake = Recorder(tls)
        try:
            url = f"https://localhost:{intake.port}/tlsrpt"
            code, _, err = run("report", "--post", url, "--ca-file", ca, self.quirks)
            self.assertEqual(code, 0, err)
            self.assertEqual(intake.requests,
                             [("POST", "/tlsrpt", "application/tlsrpt+gzip", self.quirks_gz)])
            cases = {  # what a strict sender refuses is not posted to
                "untrusted": (url, [], "does not chain to a trusted root"),
                "another name": (f"https://127.0.0.1:{intake.port}/tlsrpt", ["--ca-file", ca],
                                 "does not name 127.0.0.1"),
            }
            for name, (other_url, extra, message) in cases.items():
                with self.subTest(name):
                    code, _, err = run("report", "--post", other_url, *extra, self.quirks)
                    self.assertEqual(code, 1, err)
                    self.assertIn("quirks.json.gz: not posted: the certificate of ", err)
                    self.assertIn(message, err)
            self.assertEqual(len(intake.requests), 1)
        finally:
            intake.close()

    def test_usage(self):
        for args, message in {
            ("--post", "ftp://x/"): "must start with https:// or http://",
            ("--post", "https://u@x/"): "user info",
            ("--ca-file", "ca.pem"): "--ca-file applies to --post",
            ("--post", "https://x/", "--ca-file", "/nonexistent.pem"): "/nonexistent.pem",
        }.items():
            with self.subTest(args):
                code, _, err = run("report", *args, self.quirks)
                self.assertEqual(code, 2, err)
                self.assertIn(message, err)
        self.assertEqual(self.intake.requests, [])
        code, out, _ = run("report", "--help")
        self.assertIn("mtasts report --post https://mta-sts.example.com/tlsrpt -\n", out)
        self.assertIn("10 s to connect", out)


def main():
    global MTASTS, SOURCE, EXAMPLE
    MTASTS, SOURCE = sys.argv[1], sys.argv[2]
    EXAMPLE = os.path.join(SOURCE, "examples", "example-com.yaml")
    unittest.main(argv=[sys.argv[0], "-v"])


if __name__ == "__main__":
    main()
