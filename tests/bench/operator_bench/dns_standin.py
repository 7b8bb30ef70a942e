"""Plays external-dns and the authoritative DNS server for the benchmark, with no propagation
delay, and says so: it watches the operator's DNSEndpoints and answers UDP queries for their
TXT and A records at once, so a policy whose id is announced also reads as published
(DNSPublished=True) and its reconciles settle, as they would with DNS publishing behind them.
Publishing DNS is not what the benchmark measures (the dns tests run the real external-dns and
BIND9).

A TXT target becomes the record's text as external-dns's rfc2136 provider writes it into a
zone-file line: a quoted target is the text between the quotes; in a bare one a ";" starts a
comment. Names it does not hold get NXDOMAIN.

    dns_standin.py --kubeconfig K --port-file FILE     (writes its 127.0.0.1 UDP port to FILE)
"""

import argparse
import os
import socket
import struct
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kube  # noqa: E402

TYPES = {"A": 1, "TXT": 16}


def txt_text(target):
    if len(target) >= 2 and target[0] == '"' and target[-1] == '"':
        return target[1:-1]
    return target.split(";", 1)[0].rstrip()


def rdata(record_type, target):
    if record_type == "A":
        return socket.inet_aton(target)
    text = txt_text(target).encode()
    chunks = [text[i:i + 255] for i in range(0, len(text), 255)] or [b""]
    return b"".join(bytes([len(c)]) + c for c in chunks)


class Zone:
    """name -> {type: [(ttl, rdata)]}, rebuilt per DNSEndpoint."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_endpoint = {}  # "ns/name" -> {(name, type): [(ttl, rdata)]}
        self.records = {}

    def set(self, event_type, endpoint):
        meta = endpoint["metadata"]
        key = f"{meta['namespace']}/{meta['name']}"
        records = {}
        if event_type != "DELETED":
            for e in endpoint.get("spec", {}).get("endpoints", []):
                rtype = e.get("recordType")
                if rtype not in TYPES:
                    continue
                name = e["dnsName"].lower().rstrip(".")
                ttl = int(e.get("recordTTL", 300))
                records.setdefault((name, rtype), []).extend(
                    (ttl, rdata(rtype, t)) for t in e.get("targets", []))
        with self.lock:
            for name_type in self.by_endpoint.pop(key, {}):
                self.records.pop(name_type, None)
            if records:
                self.by_endpoint[key] = records
                self.records.update(records)

    def lookup(self, name, rtype):
        """(name known, [(ttl, rdata)])."""
        with self.lock:
            answers = self.records.get((name, rtype), [])
            known = bool(answers) or any(n == name for n, _ in self.records)
        return known, answers


def answer(zone, query):
    if len(query) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", query[:6])
    if qdcount != 1 or flags & 0x8000:
        return None
    labels, pos = [], 12
    while pos < len(query) and query[pos] != 0:
        length = query[pos]
        labels.append(query[pos + 1:pos + 1 + length].decode("ascii", "replace").lower())
        pos += 1 + length
    question_end = pos + 5
    if question_end > len(query):
        return None
    qtype = struct.unpack("!H", query[pos + 1:pos + 3])[0]
    rtype = {v: k for k, v in TYPES.items()}.get(qtype)
    known, answers = zone.lookup(".".join(labels), rtype) if rtype else (False, [])
    rcode = 0 if known else 3
    header = struct.pack("!HHHHHH", qid, 0x8400 | (flags & 0x0100) | rcode, 1, len(answers), 0, 0)
    body = b"".join(struct.pack("!HHHIH", 0xC00C, qtype, 1, ttl, len(data)) + data
                    for ttl, data in answers)
    return header + query[12:question_end] + body


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    client = kube.Kube(args.kubeconfig)
    zone = Zone()

    def follow():
        stop = threading.Event()
        while True:
            items, version = client.list(kube.DNS_ENDPOINTS, kube.MANAGED)
            for e in items:
                zone.set("ADDED", e)
            try:
                client.watch(kube.DNS_ENDPOINTS, version, zone.set, stop, kube.MANAGED)
            except kube.ApiError as e:
                if e.status != 410:
                    raise

    threading.Thread(target=follow, daemon=True).start()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(sock.getsockname()[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    while True:
        query, peer = sock.recvfrom(4096)
        reply = answer(zone, query)
        if reply:
            sock.sendto(reply, peer)


if __name__ == "__main__":
    main()
