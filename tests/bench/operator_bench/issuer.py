"""Plays cert-manager's CA issuer for the benchmark, and says so: for each of the operator's
Certificates that is not Ready for its current generation, it signs a certificate for
spec.dnsNames with a fresh ECDSA P-256 key from a throwaway test CA, writes the kubernetes.io/tls
Secret spec.secretName carrying spec.secretTemplate's labels and annotations (server-side apply,
field manager cert-manager), and sets the Certificate's status Ready=True (status subresource).

Certificates are taken in batches: signed in a pool of processes, written by a pool of threads.
One JSON line per batch on stdout: how many, signing seconds, writing seconds.

    issuer.py --kubeconfig K --ca-dir DIR [--sign-processes 2] [--write-threads 8]

DIR/ca.crt and DIR/ca.key are made on the first run (the operator's --ca-file is DIR/ca.crt).
"""

import argparse
import base64
import concurrent.futures
import ctypes
import datetime
import json
import os
import queue
import signal
import sys
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kube  # noqa: E402

VALIDITY = datetime.timedelta(days=90)


def pem_key(key):
    # cert-manager's ECDSA default encoding (PKCS#1 option: SEC1 "EC PRIVATE KEY").
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def load_or_make_ca(ca_dir):
    cert_path, key_path = os.path.join(ca_dir, "ca.crt"), os.path.join(ca_dir, "ca.key")
    if not os.path.exists(cert_path):
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mta-sts-operator bench CA")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(hours=1))
                .not_valid_after(now + datetime.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False,
                                             False), critical=True)
                .sign(key, hashes.SHA256()))
        os.makedirs(ca_dir, exist_ok=True)
        with open(key_path + ".tmp", "wb") as f:
            f.write(pem_key(key))
        with open(cert_path + ".tmp", "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        os.rename(key_path + ".tmp", key_path)
        os.rename(cert_path + ".tmp", cert_path)
    with open(cert_path, "rb") as f:
        ca_pem = f.read()
    return ca_pem


_ca = None  # (certificate, key) in each signing process


def _load_signer(ca_dir):
    global _ca
    # A signing process ends with the issuer, however the issuer ends.
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    with open(os.path.join(ca_dir, "ca.crt"), "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    with open(os.path.join(ca_dir, "ca.key"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    _ca = (cert, key)


def sign(dns_names_list):
    """[(dnsName, ...)] -> [(certificate PEM, key PEM, notBefore, notAfter)], in a pool process."""
    ca_cert, ca_key = _ca
    out = []
    for dns_names in dns_names_list:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        cert = (x509.CertificateBuilder().subject_name(x509.Name([]))
                .issuer_name(ca_cert.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now).not_valid_after(now + VALIDITY)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]),
                               critical=True)
                .add_extension(x509.KeyUsage(True, False, False, False, False, False, False,
                                             False, False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
                .sign(ca_key, hashes.SHA256()))
        out.append((cert.public_bytes(serialization.Encoding.PEM), pem_key(key),
                    now.isoformat().replace("+00:00", "Z"),
                    (now + VALIDITY).isoformat().replace("+00:00", "Z")))
    return out


def is_ready_for(certificate):
    status = certificate.get("status", {})
    generation = certificate["metadata"].get("generation", 0)
    for c in status.get("conditions", []):
        if c.get("type") == "Ready":
            return c.get("status") == "True" and c.get("observedGeneration") == generation
    return False


class Issuer:
    def __init__(self, client, ca_dir, ca_pem, sign_processes, write_threads):
        self.client = client
        self.ca_pem = ca_pem
        self.pending = queue.Queue()
        self.queued = set()  # keys waiting to be issued
        self.latest = {}  # key -> the Certificate as last seen: its spec is what gets signed
        self.lock = threading.Lock()
        self.signers = concurrent.futures.ProcessPoolExecutor(
            sign_processes, initializer=_load_signer, initargs=(ca_dir,))
        self.writers = concurrent.futures.ThreadPoolExecutor(write_threads)
        self.sign_processes = sign_processes

    def offer(self, certificate):
        if is_ready_for(certificate):
            return
        meta = certificate["metadata"]
        key = f"{meta['namespace']}/{meta['name']}"
        with self.lock:
            self.latest[key] = certificate
            if key in self.queued:
                return
            self.queued.add(key)
        self.pending.put(key)

    def run(self):
        while True:
            batch = [self.pending.get()]
            deadline = time.monotonic() + 0.05
            while len(batch) < 2000:
                try:
                    batch.append(self.pending.get(timeout=max(0, deadline - time.monotonic())))
                except queue.Empty:
                    break
            self.issue(batch)

    def issue(self, keys):
        with self.lock:
            self.queued.difference_update(keys)
            certificates = [self.latest.pop(k) for k in keys]
        start = time.monotonic()
        names = [tuple(c["spec"]["dnsNames"]) for c in certificates]
        chunk = max(1, -(-len(names) // (self.sign_processes * 4)))
        signed = [s for part in self.signers.map(sign, [names[i:i + chunk]
                                                        for i in range(0, len(names), chunk)])
                  for s in part]
        signed_at = time.monotonic()
        results = list(self.writers.map(self.write, certificates, signed))
        print(json.dumps({"issued": sum(results), "failed": len(results) - sum(results),
                          "sign_seconds": round(signed_at - start, 3),
                          "write_seconds": round(time.monotonic() - signed_at, 3)}), flush=True)

    def write(self, certificate, signed):
        cert_pem, key_pem, not_before, not_after = signed
        meta, spec = certificate["metadata"], certificate["spec"]
        template = spec.get("secretTemplate", {})
        annotations = dict(template.get("annotations", {}))
        annotations.update({"cert-manager.io/certificate-name": meta["name"],
                            "cert-manager.io/issuer-name": spec["issuerRef"]["name"],
                            "cert-manager.io/issuer-kind": spec["issuerRef"].get("kind", "Issuer"),
                            "cert-manager.io/alt-names": ",".join(spec["dnsNames"])})
        secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
                  "metadata": {"name": spec["secretName"], "namespace": meta["namespace"],
                               "labels": template.get("labels", {}),
                               "annotations": annotations},
                  "data": {"tls.crt": base64.b64encode(cert_pem).decode(),
                           "tls.key": base64.b64encode(key_pem).decode(),
                           "ca.crt": base64.b64encode(self.ca_pem).decode()}}
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        status = {"status": {
            "conditions": [{"type": "Ready", "status": "True", "reason": "Ready",
                            "message": "Certificate is up to date and has not expired",
                            "observedGeneration": meta.get("generation", 0),
                            "lastTransitionTime": now.replace("+00:00", "Z")}],
            "notBefore": not_before, "notAfter": not_after,
            "revision": certificate.get("status", {}).get("revision", 0) + 1}}
        try:
            self.client.request(
                "PATCH", kube.namespaced(kube.SECRETS, meta["namespace"], spec["secretName"]) +
                "?fieldManager=cert-manager&force=true", secret, "application/apply-patch+yaml")
            self.client.request(
                "PATCH", kube.namespaced(kube.CERTIFICATES, meta["namespace"], meta["name"]) +
                "/status", status, "application/merge-patch+json")
            return True
        except kube.ApiError as e:
            print(json.dumps({"error": str(e)}), flush=True)
            return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--ca-dir", required=True)
    parser.add_argument("--sign-processes", type=int, default=2)
    parser.add_argument("--write-threads", type=int, default=8)
    args = parser.parse_args()
    ca_pem = load_or_make_ca(args.ca_dir)
    client = kube.Kube(args.kubeconfig)
    issuer = Issuer(client, args.ca_dir, ca_pem, args.sign_processes, args.write_threads)
    threading.Thread(target=issuer.run, daemon=True).start()
    stop = threading.Event()
    while True:
        items, version = client.list(kube.CERTIFICATES, kube.MANAGED)
        for c in items:
            issuer.offer(c)
        try:
            client.watch(kube.CERTIFICATES, version,
                         lambda kind, c: kind != "DELETED" and issuer.offer(c), stop, kube.MANAGED)
        except kube.ApiError as e:
            if e.status != 410:
                raise


if __name__ == "__main__":
    main()
