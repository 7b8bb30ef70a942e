#!/usr/bin/python3
"""A stand-in for cert-manager's CA issuer, for the operator's tests.

The real cert-manager cannot run here (no cluster, no pods), so this plays its part, keeping to
cert-manager's real Certificate schema (the CRD of cert-manager's pinned release, which
`hack/dnsstack.sh build` puts in $DNSSTACK_CRDS/certificates.cert-manager.io.yaml) and to what its
CA issuer writes. For each Certificate whose Secret is missing or out of date (other dnsNames,
issuer or secretTemplate), it makes an ECDSA P-256 key and a leaf for spec.dnsNames signed by
the test CA, and writes the Secret spec.secretName as cert-manager does: type kubernetes.io/tls,
tls.crt = leaf then the CA, tls.key, ca.crt = the CA, the labels and annotations of
spec.secretTemplate, cert-manager's own annotations, and the label
controller.cert-manager.io/fao=true. It then sets the Certificate's condition Ready=True (reason
Ready) through the status subresource. Nothing is written for a Certificate that is up to date.

Differences from cert-manager, on purpose: every key is ECDSA P-256 whatever spec.privateKey
says (SEC1 PEM, or PKCS#8 when spec.privateKey.encoding is PKCS8); there are no
CertificateRequests, no renewals and no revision history; issuerRef is not looked up (--issuer
limits which Certificates are signed).

    ca_issuer.py --kubeconfig FILE (--ca-dir DIR | --ca-cert FILE --ca-key FILE)
                 [--namespace NS] [--issuer KIND/NAME] [--workers N] [--once]

--ca-dir uses DIR/ca.crt and DIR/ca.key, making the CA there first when they are missing. Without
--once it lists and then watches Certificates and the Secrets it wrote, relisting after any
break (kube-apiserver restarted), and signs as changes come; with --once it makes one pass over
every Certificate and exits (status 1 when any failed). One line per issuance on stderr.
"""
import argparse
import base64
import collections
import datetime
import heapq
import os
import re
import sys
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kube  # noqa: E402

CERTIFICATES = "cert-manager.io/v1"
FAO_LABEL = "controller.cert-manager.io/fao"
ISSUING_MANAGER = "cert-manager-certificates-issuing"
READINESS_MANAGER = "cert-manager-certificates-readiness"
DEFAULT_DURATION = datetime.timedelta(hours=2160)  # cert-manager's default: 90 days
PEM = serialization.Encoding.PEM


def log(message):
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S.%f")[:-3]
    print(f"{stamp} ca-issuer: {message}", file=sys.stderr, flush=True)


class TestCa:
    """The test CA: loads ca.crt/ca.key, or makes them (ECDSA P-256, ten years)."""

    def __init__(self, cert_path, key_path):
        with open(cert_path, "rb") as f:
            self.cert_pem = f.read()
        with open(key_path, "rb") as f:
            self.key = serialization.load_pem_private_key(f.read(), password=None)
        self.cert = x509.load_pem_x509_certificate(self.cert_pem)
        self.ski = self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value

    @staticmethod
    def make(directory):
        """DIR/ca.crt and DIR/ca.key, made when missing; the TestCa."""
        cert_path, key_path = os.path.join(directory, "ca.crt"), os.path.join(directory, "ca.key")
        if not (os.path.exists(cert_path) and os.path.exists(key_path)):
            os.makedirs(directory, exist_ok=True)
            key = ec.generate_private_key(ec.SECP256R1())
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mta-sts operator test CA")])
            now = datetime.datetime.now(datetime.timezone.utc)
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                    .public_key(key.public_key()).serial_number(x509.random_serial_number())
                    .not_valid_before(now - datetime.timedelta(minutes=5))
                    .not_valid_after(now + datetime.timedelta(days=3650))
                    .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                    .add_extension(x509.KeyUsage(False, False, False, False, False, True, True,
                                                 False, False), critical=True)
                    .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                                   critical=False)
                    .sign(key, hashes.SHA256()))
            _write(key_path, key.private_bytes(PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()), 0o600)
            _write(cert_path, cert.public_bytes(PEM), 0o644)
        return TestCa(cert_path, key_path)

    def sign(self, dns_names, duration, pkcs8=False, age=datetime.timedelta(0)):
        """(tls.crt, tls.key, not_before, not_after) for a new key and a leaf for dns_names,
        valid for duration from age ago (an age beyond the duration makes an expired leaf)."""
        key = ec.generate_private_key(ec.SECP256R1())
        start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - age
        not_after = min(start + duration, self.cert.not_valid_after.replace(
            tzinfo=datetime.timezone.utc))
        leaf = (x509.CertificateBuilder()
                .subject_name(x509.Name([])).issuer_name(self.cert.subject)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(not_after)
                # An empty subject makes the SAN critical (RFC 5280 4.2.1.6), as cert-manager does.
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]),
                               critical=True)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False,
                                             False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                    self.ski), critical=False)
                .sign(self.key, hashes.SHA256()))
        key_format = (serialization.PrivateFormat.PKCS8 if pkcs8
                      else serialization.PrivateFormat.TraditionalOpenSSL)
        key_pem = key.private_bytes(PEM, key_format, serialization.NoEncryption())
        return leaf.public_bytes(PEM) + self.cert_pem, key_pem, start, not_after


def _write(path, data, mode):
    """Writes a temp file then renames it: a reader waiting for the file sees it whole."""
    fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.rename(path + ".tmp", path)


def parse_duration(text):
    """A Go duration as cert-manager takes it ("2160h", "1h30m0s"); None for anything else."""
    if not text or not re.fullmatch(r"(\d+(\.\d+)?(h|m|s|ms))+", text):
        return None
    seconds = 0.0
    for number, _, unit in re.findall(r"(\d+(\.\d+)?)(h|ms|m|s)", text):
        seconds += float(number) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
    return datetime.timedelta(seconds=seconds)


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class WorkQueue:
    """Keys to reconcile: each queued once however often it changes, handled by one worker at a
    time (a change during its handling queues it again), a failed one retried after a delay."""

    def __init__(self):
        self.cond = threading.Condition()
        self.queue, self.queued = collections.deque(), set()
        self.active, self.dirty, self.delayed = set(), set(), []

    def add(self, key):
        with self.cond:
            if key in self.active:
                self.dirty.add(key)
            elif key not in self.queued:
                self.queued.add(key)
                self.queue.append(key)
                self.cond.notify()

    def add_after(self, key, seconds):
        with self.cond:
            heapq.heappush(self.delayed, (time.monotonic() + seconds, key))
            self.cond.notify()

    def get(self):
        with self.cond:
            while True:
                now = time.monotonic()
                while self.delayed and self.delayed[0][0] <= now:
                    key = heapq.heappop(self.delayed)[1]
                    if key not in self.queued and key not in self.active:
                        self.queued.add(key)
                        self.queue.append(key)
                if self.queue:
                    key = self.queue.popleft()
                    self.queued.discard(key)
                    self.active.add(key)
                    return key
                self.cond.wait(self.delayed[0][0] - now if self.delayed else None)

    def done(self, key):
        with self.cond:
            self.active.discard(key)
            if key in self.dirty:
                self.dirty.discard(key)
                self.queued.add(key)
                self.queue.append(key)
            self.cond.notify_all()

    def wait_idle(self):
        with self.cond:
            while self.queue or self.active:
                self.cond.wait()


def key_of(obj):
    meta = obj["metadata"]
    return f"{meta.get('namespace', '')}/{meta['name']}"


class Issuer:
    """Decides what a Certificate needs and writes it; the caches are read, never listed here."""

    def __init__(self, client, ca, certificates, secrets, issuer=None):
        self.client, self.ca, self.issuer = client, ca, issuer
        self.certificates, self.secrets = certificates, secrets
        self.issued = 0

    def wanted(self, cert):
        """Whether this issuer signs cert (--issuer KIND/NAME, when given, must match)."""
        if not self.issuer:
            return True
        ref = cert["spec"].get("issuerRef") or {}
        return f"{ref.get('kind', 'Issuer')}/{ref.get('name')}" == self.issuer

    @staticmethod
    def secret_metadata(cert):
        """The labels and annotations the Secret must carry: the template's, then ours."""
        spec, name = cert["spec"], cert["metadata"]["name"]
        template = spec.get("secretTemplate") or {}
        ref = spec.get("issuerRef") or {}
        labels = dict(template.get("labels") or {}, **{FAO_LABEL: "true"})
        annotations = dict(template.get("annotations") or {}, **{
            "cert-manager.io/alt-names": ",".join(spec.get("dnsNames") or []),
            "cert-manager.io/certificate-name": name,
            "cert-manager.io/common-name": spec.get("commonName", ""),
            "cert-manager.io/ip-sans": ",".join(spec.get("ipAddresses") or []),
            "cert-manager.io/uri-sans": ",".join(spec.get("uris") or []),
            "cert-manager.io/issuer-name": ref.get("name", ""),
            "cert-manager.io/issuer-kind": ref.get("kind", "Issuer"),
            "cert-manager.io/issuer-group": ref.get("group", "cert-manager.io"),
        })
        return labels, annotations

    @staticmethod
    def up_to_date(secret, labels, annotations):
        if secret is None:
            return False
        meta = secret["metadata"]
        return (labels.items() <= (meta.get("labels") or {}).items()
                and annotations.items() <= (meta.get("annotations") or {}).items())

    def reconcile(self, key):
        cert = self.certificates.get(key)
        if cert is None or not self.wanted(cert):
            return
        spec, meta = cert["spec"], cert["metadata"]
        dns_names = spec.get("dnsNames") or []
        if not dns_names or not spec.get("secretName"):
            log(f"{key}: skipped: this issuer signs only Certificates with dnsNames and secretName")
            return
        labels, annotations = self.secret_metadata(cert)
        secret_key = f"{meta['namespace']}/{spec['secretName']}"
        issued = None
        if not self.up_to_date(self.secrets.get(secret_key), labels, annotations):
            issued = self.issue(cert, labels, annotations)
            self.secrets.update(secret_key, {"metadata": issued.pop("metadata")})
        self.set_ready(cert, issued)

    def issue(self, cert, labels, annotations):
        spec, meta = cert["spec"], cert["metadata"]
        duration = parse_duration(spec.get("duration")) or DEFAULT_DURATION
        pkcs8 = (spec.get("privateKey") or {}).get("encoding") == "PKCS8"
        chain, key, not_before, not_after = self.ca.sign(spec["dnsNames"], duration, pkcs8)
        secret = {
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": {"name": spec["secretName"], "namespace": meta["namespace"],
                         "labels": labels, "annotations": annotations},
            "data": {"tls.crt": _b64(chain), "tls.key": _b64(key),
                     "ca.crt": _b64(self.ca.cert_pem)},
        }
        path = kube.object_path("v1", "secrets", meta["namespace"], spec["secretName"])
        written = self.client.apply(path, secret, ISSUING_MANAGER)
        self.issued += 1
        log(f"{key_of(cert)}: issued Secret {spec['secretName']} for {','.join(spec['dnsNames'])}"
            f" until {rfc3339(not_after)}")
        return {"metadata": written["metadata"], "notBefore": rfc3339(not_before),
                "notAfter": rfc3339(not_after),
                "renewalTime": rfc3339(not_before + (not_after - not_before) * 2 / 3)}

    def set_ready(self, cert, issued):
        meta, status = cert["metadata"], cert.get("status") or {}
        conditions = status.get("conditions") or []
        ready = next((c for c in conditions if c.get("type") == "Ready"), {})
        current = (ready.get("status") == "True"
                   and ready.get("observedGeneration") == meta.get("generation"))
        if current and not issued:
            return
        now = rfc3339(datetime.datetime.now(datetime.timezone.utc))
        patch = {"conditions": [c for c in conditions if c.get("type") not in ("Ready", "Issuing")]
                 + [{"type": "Ready", "status": "True", "reason": "Ready",
                     "message": "Certificate is up to date and has not expired",
                     "lastTransitionTime": ready.get("lastTransitionTime", now)
                     if ready.get("status") == "True" else now,
                     "observedGeneration": meta.get("generation")}]}
        if issued:
            patch.update(issued, revision=(status.get("revision") or 0) + 1)
        path = kube.object_path(CERTIFICATES, "certificates", meta["namespace"], meta["name"],
                                "status")
        self.client.merge_patch(path, {"status": patch}, READINESS_MANAGER)


def _b64(data):
    return base64.b64encode(data).decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kubeconfig", default=os.environ.get("KUBECONFIG"))
    parser.add_argument("--ca-dir", help="DIR/ca.crt and DIR/ca.key, made when missing")
    parser.add_argument("--ca-cert")
    parser.add_argument("--ca-key")
    parser.add_argument("--namespace", help="only Certificates of this namespace")
    parser.add_argument("--issuer", help="only Certificates whose issuerRef is KIND/NAME")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    args = parser.parse_args()
    if not args.kubeconfig:
        parser.error("--kubeconfig (or $KUBECONFIG) is required")
    if bool(args.ca_cert) != bool(args.ca_key) or bool(args.ca_dir) == bool(args.ca_cert):
        parser.error("give --ca-dir, or --ca-cert with --ca-key")
    ca = TestCa.make(args.ca_dir) if args.ca_dir else TestCa(args.ca_cert, args.ca_key)
    client = kube.Client(args.kubeconfig)

    queue = WorkQueue()
    certificates = kube.Informer(client, kube.object_path(CERTIFICATES, "certificates",
                                                          args.namespace),
                                 lambda key, _: queue.add(key), log=log)

    def secret_changed(key, secret):
        name = (secret["metadata"].get("annotations") or {}).get("cert-manager.io/certificate-name")
        if name:
            queue.add(f"{key.split('/')[0]}/{name}")

    secrets = kube.Informer(client, kube.object_path("v1", "secrets", args.namespace),
                            secret_changed, query={"labelSelector": FAO_LABEL + "=true"},
                            metadata_only=True, log=log)
    issuer = Issuer(client, ca, certificates, secrets, args.issuer)
    failures = []

    def work():
        while True:
            key = queue.get()
            try:
                issuer.reconcile(key)
            except Exception as e:  # noqa: BLE001 - one Certificate's failure stops no other
                log(f"{key}: {e}")
                failures.append(key)
                if not args.once:
                    queue.add_after(key, 1.0)
            finally:
                queue.done(key)

    if args.once:
        secrets.list_once()  # the Secrets first: a Certificate is judged against them
        certificates.list_once()
    else:
        for informer in (secrets, certificates):
            threading.Thread(target=informer.run, daemon=True).start()
            informer.synced.wait()
    for _ in range(args.workers):
        threading.Thread(target=work, daemon=True).start()
    if args.once:
        started = time.monotonic()
        queue.wait_idle()
        log(f"issued {issuer.issued} in {time.monotonic() - started:.2f} s;"
            f" {len(failures)} failed")
        return 1 if failures else 0
    log(f"watching Certificates{' in ' + args.namespace if args.namespace else ''}")
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
