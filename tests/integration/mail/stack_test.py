#!/usr/bin/python3
"""The mail stack serves exactly the world the scenario table describes.

Checks, with tools independent of our own code (dig, Python's ssl and smtplib):
  DNS    every scenario's MX set, _mta-sts and _smtp._tls RRsets (string by string), whether
         mta-sts.D has an address, and SERVFAIL where the table asks for it;
  HTTPS  every policy host serves the table's exact bytes (or 404), and its certificate fails
         verification in exactly the way its profile says;
  SMTP   every listener behaves as named: STARTTLS or not, TLS versions, and the certificate
         verification outcome (trusted, expired, expiring within 14 days, wrong name, untrusted);
         a listener with a "greeting" sends exactly those octets.
Usage: stack_test.py   (environment: hack/mailstack.sh env)
"""
import datetime
import json
import os
import re
import shlex
import smtplib
import socket
import ssl
import subprocess
import sys
import warnings

warnings.filterwarnings("ignore", "ssl.TLSVersion.TLSv1 is deprecated", DeprecationWarning)

ENV = os.environ
failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(what)


def dig(name, rtype):
    """Returns (status, answers) where each TXT answer is its list of character-strings."""
    address, port = ENV["MAILSTACK_DNS_SERVER"].rsplit(":", 1)
    out = subprocess.run(["dig", "+norec", "+noall", "+comments", "+answer", "-p", port,
                          f"@{address}", name, rtype],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    status = out.split("status: ", 1)[1].split(",", 1)[0] if "status: " in out else "NO ANSWER"
    answers = []
    for line in out.splitlines():
        fields = line.split(None, 4)
        if line.startswith(";") or len(fields) < 5 or fields[3] != rtype:
            continue
        answers.append([dig_octets(s) for s in shlex.split(fields[4])] if rtype == "TXT"
                       else fields[4])
    return status, answers


def as_strings(records):
    return sorted([r] if isinstance(r, str) else list(r) for r in records)


def dig_octets(text):
    """dig writes octets outside printable ASCII as \\DDD (decimal); the table writes one octet
    per character. Brings the first into the second form."""
    return re.sub(r"\\(\d{3})", lambda m: chr(int(m.group(1))), text)


def check_dns(sc):
    d = sc["domain"]
    servfail = sc.get("dns", {}).get("servfail", [])
    status, mx = dig(d, "MX")
    want = sorted(f"{m['priority']} {m['host']}." for m in sc["mx"])
    check(f"{d}: MX", sorted(mx) == want, f"{mx} != {want}")
    for prefix, key in (("_mta-sts.", "txt"), ("_smtp._tls.", "tlsrpt")):
        status, txt = dig(prefix + d, "TXT")
        if prefix + d in servfail:
            check(f"{d}: {prefix} SERVFAIL", status == "SERVFAIL", status)
        else:
            check(f"{d}: {prefix} TXT", sorted(txt) == as_strings(sc.get(key, [])),
                  f"{txt} ({status})")
    status, a = dig("mta-sts." + d, "A")
    has_address = sc.get("policy_host", {}).get("address", True)
    check(f"{d}: mta-sts address", bool(a) == has_address, f"{a} ({status})")


def trust(cafile=None):
    return ssl.create_default_context(cafile=cafile or ENV["MAILSTACK_CA_FILE"])


def verify_code(action):
    """Runs action(); returns 0 when it verified, else the OpenSSL verify code it failed with."""
    try:
        action()
        return 0
    except ssl.SSLCertVerificationError as e:
        return e.verify_code


def https_get(host, ctx):
    address = (ENV["MAILSTACK_HTTPS_ADDRESS"], int(ENV["MAILSTACK_HTTPS_PORT"]))
    with ctx.wrap_socket(socket.create_connection(address, timeout=10),
                         server_hostname=host) as tls:
        tls.sendall(f"GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: {host}\r\n"
                    "Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := tls.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def check_https(sc):
    host = "mta-sts." + sc["domain"]
    profile = sc.get("policy_host", {}).get("cert", "good")
    if profile == "good":
        status, body = https_get(host, trust())
        want = (404, None) if sc["policy"] is None else (200, sc["policy"].encode())
        got = (status, None if status == 404 else body)
        check(f"{host}: serves the table's policy", got == want, f"{got} != {want}")
        return
    want = {"wrong-name": 62, "untrusted": 20}[profile]  # hostname mismatch, unknown issuer
    code = verify_code(lambda: https_get(host, trust()))
    check(f"{host}: certificate fails as {profile}", code == want, f"verify code {code}")


def smtp_starttls(address, host, ctx, bait=b""):
    """EHLO, STARTTLS, handshake: None when STARTTLS is not offered, else (version, cert, the
    first bytes received inside TLS). `bait` goes out in the same write as STARTTLS."""
    raw = socket.create_connection((address, int(ENV["MAILSTACK_SMTP_PORT"])), timeout=10)
    with raw:
        reader = raw.makefile("rb")

        def reply():
            text = b""
            while True:
                line = reader.readline()
                text += line
                if len(line) < 4 or line[3:4] != b"-":
                    return text
        reply()
        raw.sendall(b"EHLO stack-test.test\r\n")
        keywords = [line[4:].split(b" ")[0].strip().upper() for line in reply().splitlines()]
        if b"STARTTLS" not in keywords[1:]:
            return None
        raw.sendall(b"STARTTLS\r\n" + bait)
        if not reply().startswith(b"220"):
            raise RuntimeError(f"{address}: STARTTLS refused")
        with ctx.wrap_socket(raw, server_hostname=host) as tls:
            tls.settimeout(1)
            try:
                first = tls.recv(100) if bait else b""
            except (TimeoutError, socket.timeout):
                first = b""
            return tls.version(), tls.getpeercert(), first


def days_left(cert):
    end = datetime.datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]),
                                          datetime.timezone.utc)
    return (end - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 86400


def legacy_tls10():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1
    return ctx


def smtp_greeting(address):
    with socket.create_connection((address, int(ENV["MAILSTACK_SMTP_PORT"])), timeout=10) as raw:
        return raw.makefile("rb").readline()


def check_smtp(name, listener, host):
    address, what = listener["address"], f"smtp {name} ({listener['address']}, {host})"
    if "greeting" in listener:
        greeting = smtp_greeting(address)
        want = listener["greeting"].encode("latin-1") + b"\r\n"
        check(f"{what}: greets with the table's octets", greeting == want, f"{greeting!r}")
        return
    if listener["tls"] == "none":
        check(f"{what}: no STARTTLS", smtp_starttls(address, host, trust()) is None)
        return
    if listener["tls"] == "tls1.0-only":
        try:
            smtp_starttls(address, host, trust())
            check(f"{what}: refuses TLS 1.2+", False, "handshake succeeded")
        except ssl.SSLError:
            check(f"{what}: refuses TLS 1.2+", True)
        version, _, _ = smtp_starttls(address, host, legacy_tls10())
        check(f"{what}: speaks TLS 1.0", version == "TLSv1", version)
        return
    want = {"good": 0, "expiring": 0, "expired": 10, "wrong-name": 62, "untrusted": 20}
    code = verify_code(lambda: smtp_starttls(address, host, trust()))
    check(f"{what}: verification as {listener['cert']}", code == want[listener["cert"]],
          f"verify code {code}")
    if code == 0:
        version, cert, _ = smtp_starttls(address, host, trust())
        check(f"{what}: TLS 1.2 or later", version in ("TLSv1.2", "TLSv1.3"), version)
        left = days_left(cert)
        in_window = 0 < left < 14 if listener["cert"] == "expiring" else left > 30
        check(f"{what}: {left:.1f} days left fits {listener['cert']}", in_window)
        _, _, first = smtp_starttls(address, host, trust(), bait=b"NOOP\r\n")
        flawed = listener["tls"] == "buffering-flaw"
        check(f"{what}: {'answers' if flawed else 'discards'} a NOOP sent behind STARTTLS",
              first.startswith(b"250") == flawed, repr(first))


def require_environment():
    if "MAILSTACK_SCENARIOS" not in os.environ:
        sys.exit("MAILSTACK_* variables missing: run under ctest (label mail) or after "
                 'eval "$(hack/mailstack.sh env)"')


def main():
    require_environment()
    with open(ENV["MAILSTACK_SCENARIOS"], encoding="utf-8") as f:
        table = json.load(f)
    for sc in table["scenarios"]:
        check_dns(sc)
        check_https(sc)
    for name, listener in table["servers"]["smtp"].items():
        hosts = [m["host"] for sc in table["scenarios"] for m in sc["mx"] if m["server"] == name]
        check_smtp(name, listener, hosts[0])
    print(f"{len(failures)} failure(s)" if failures else "the stack matches the table")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
