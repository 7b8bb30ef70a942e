#!/usr/bin/python3
"""Posts TLS reports as senders do and prints reports per second: each report on a connection of
its own (a TLS handshake of its own, with no session resumed, when --tls-host is given), each with
a report-id of its own, so every one is counted; gzip-compressed RFC 8460 reports of a realistic
size (two policies, several failure details, ~1 KB compressed), made before the clock starts.

    report_poster.py --address A --port P --domain D [--tls-host H --ca-file F]
                     [--count N] [--concurrency C] [--cpu NAME=PID[,PID...]]... [--policy]

Prints one line: the reports per second, how many were counted (200, "counted for ..."), the size
of a report, and for each --cpu the CPU milliseconds its processes spent per report. Exits 1 when
any report was not counted. --policy GETs the policy instead (/.well-known/mta-sts.txt, 200), to
compare with what the same TLS connections cost without the intake.
"""
import argparse
import datetime
import gzip
import json
import os
import socket
import ssl
import sys
import threading
import time


def report(report_id, domain):
    day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    failures = [("certificate-expired", "mx1", "192.0.2.1", 2),
                ("starttls-not-supported", "mx2", "192.0.2.2", 1),
                ("validation-failure", "mx1", "2001:db8::25", 1)]
    return {
        "organization-name": "Company-X", "contact-info": "smtp-tls-reporting@company-x.example",
        "report-id": report_id,
        "date-range": {"start-datetime": f"{day}T00:00:00Z", "end-datetime": f"{day}T23:59:59Z"},
        "policies": [{
            "policy": {"policy-type": kind, "policy-domain": domain,
                       "policy-string": ["version: STSv1", "mode: testing",
                                         f"mx: mx1.{domain}", f"mx: mx2.{domain}",
                                         "max_age: 86400"] if kind == "sts" else [],
                       "mx-host": [f"mx1.{domain}", f"mx2.{domain}"]},
            "summary": {"total-successful-session-count": 5326,
                        "total-failure-session-count": sum(f[3] for f in failures)},
            "failure-details": [{
                "result-type": result, "sending-mta-ip": ip,
                "receiving-mx-hostname": f"{mx}.{domain}", "receiving-ip": "203.0.113.25",
                "failed-session-count": count,
                "additional-information": "https://company-x.example/tls-report-help",
                "failure-reason-code": "X509_V_ERR_CERT_HAS_EXPIRED"}
                for result, mx, ip, count in failures]}
            for kind in ("sts", "no-policy-found")]}


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--address", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--domain", required=True)
    p.add_argument("--tls-host")
    p.add_argument("--ca-file")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=1)
    p.add_argument("--cpu", action="append", default=[])
    p.add_argument("--policy", action="store_true")
    a = p.parse_args()
    run = os.urandom(4).hex()
    bodies = [gzip.compress(json.dumps(report(f"{run}-{i}", a.domain)).encode())
              for i in range(a.count)]
    context = ssl.create_default_context(cafile=a.ca_file) if a.tls_host else None
    host = a.tls_host or a.address
    statuses, lock = {}, threading.Lock()

    def post(body):
        head = (f"POST /tlsrpt HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
                f"Content-Type: application/tlsrpt+gzip\r\nContent-Length: {len(body)}\r\n\r\n")
        if a.policy:
            head, body = (f"GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: {host}\r\n"
                          "Connection: close\r\n\r\n"), b""
        try:
            with socket.create_connection((a.address, a.port), timeout=30) as raw:
                s = context.wrap_socket(raw, server_hostname=host) if context else raw
                s.sendall(head.encode() + body)
                answer = b""
                while chunk := s.recv(4096):
                    answer += chunk
            status = answer[9:12].decode("ascii", "replace")
            # The intake's answer names the domains it counted the report for.
            if status == "200" and not a.policy and b"counted for" not in answer:
                status = "200, not counted"
        except OSError as e:
            status = type(e).__name__
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    def worker(mine):
        for body in mine:
            post(body)

    cpu = {name: [int(pid) for pid in pids.split(",")]
           for name, _, pids in (c.partition("=") for c in a.cpu)}
    cpu_before = {name: cpu_seconds(pids) for name, pids in cpu.items()}
    threads = [threading.Thread(target=worker, args=(bodies[i::a.concurrency],))
               for i in range(a.concurrency)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - start
    spent = "".join(f", {name} {1000 * (cpu_seconds(pids) - cpu_before[name]) / a.count:.2f} ms"
                    for name, pids in cpu.items())
    what = "policy fetches" if a.policy else "reports"
    print(f"{a.count / seconds:5.0f} {what}/s ({statuses.get('200', 0)} of {a.count} "
          f"{'200' if a.policy else 'counted'}, concurrency {a.concurrency}; CPU per request"
          f"{spent or ' not measured'}; {len(bodies[0])} B gzip)"
          + ("" if set(statuses) == {"200"} else f"  statuses {statuses}"))
    return 0 if set(statuses) == {"200"} else 1


if __name__ == "__main__":
    sys.exit(main())
