#!/usr/bin/python3
"""The CA issuer (ca_issuer.py, the tests' stand-in for cert-manager's CA issuer) on the real
control plane with cert-manager's real Certificate CRD: what it writes, that it writes nothing
more once done, that it follows changes, and how fast it signs.

    ca_issuer_test.py [unittest args]   (KUBECONFIG and MTASTS_CONTROLPLANE set)
    CA_ISSUER_COUNT=10000 ca_issuer_test.py Throughput   (the benchmark's size)
"""
import concurrent.futures
import os
import subprocess
import time
import unittest
from base64 import b64decode

from cryptography import x509
from cryptography.hazmat.primitives import serialization

import kube
import world
from world import HERE, PYTHON, ZONE, wait_for

HOST = f"mta-sts.a.{ZONE}"
COUNT = int(os.environ.get("CA_ISSUER_COUNT", "1000"))


def certificate(namespace, name, dns_names, issuer="test-ca", labels=None):
    return {
        "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"dnsNames": dns_names, "secretName": name + "-tls",
                 "issuerRef": {"kind": "ClusterIssuer", "name": issuer},
                 "secretTemplate": {"labels": labels or {"mtasts.io/content": "certificate"},
                                    "annotations": {"mtasts.io/policy-host": dns_names[0]}}},
    }


def pem_certificates(data):
    marker = b"-----END CERTIFICATE-----"
    return [x509.load_pem_x509_certificate(part + marker)
            for part in data.split(marker) if part.strip()]


class CaIssuerCase(world.WorldTestCase):
    def setUp(self):
        super().setUp()
        self.world.apply_crds()
        self.certificates = kube.object_path("cert-manager.io/v1", "certificates",
                                             self.world.namespace)

    def create(self, *objects):
        for obj in objects:
            self.world.client.request("POST", self.certificates, obj)

    def once(self, *args):
        w = self.world
        r = subprocess.run([PYTHON, os.path.join(HERE, "ca_issuer.py"), "--kubeconfig",
                            w.kubeconfig, "--ca-dir", os.path.join(w.dir, "ca"), "--namespace",
                            w.namespace, "--once", *args], capture_output=True, text=True,
                           timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stderr

    def secret(self, name):
        return self.world.get("v1", "secrets", name)

    def ready(self, name):
        cert = self.world.get("cert-manager.io/v1", "certificates", name)
        generation = cert["metadata"]["generation"]
        for c in (cert.get("status") or {}).get("conditions", []):
            if c["type"] == "Ready" and c.get("observedGeneration") == generation:
                return c["status"] == "True" and c["reason"] == "Ready"
        return False


class Once(CaIssuerCase):
    def test_writes_the_secret_as_cert_managers_ca_issuer_and_marks_ready(self):
        w = self.world
        self.create(certificate(w.namespace, "a", [HOST]))
        self.assertIn("issued 1 in", self.once())
        secret = self.secret("a-tls")
        self.assertEqual(secret["type"], "kubernetes.io/tls")
        data = {k: b64decode(v) for k, v in secret["data"].items()}
        self.assertEqual(sorted(data), ["ca.crt", "tls.crt", "tls.key"])
        leaf, ca = pem_certificates(data["tls.crt"])
        self.assertEqual(data["ca.crt"], w.ca.cert_pem)
        self.assertEqual(ca, w.ca.cert)
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        self.assertEqual(san.get_values_for_type(x509.DNSName), [HOST])
        key = serialization.load_pem_private_key(data["tls.key"], None)
        self.assertEqual(key.public_key().public_numbers(), leaf.public_key().public_numbers())
        self.assertEqual(key.curve.name, "secp256r1")
        # What a TLS client checks: the chain up to the CA, for this host, as a server.
        with open(os.path.join(w.dir, "chain.pem"), "wb") as f:
            f.write(data["tls.crt"])
        r = subprocess.run(["openssl", "verify", "-CAfile", w.ca_file, "-purpose", "sslserver",
                            "-verify_hostname", HOST, os.path.join(w.dir, "chain.pem")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        meta = secret["metadata"]
        self.assertEqual(meta["labels"], {"mtasts.io/content": "certificate",
                                          "controller.cert-manager.io/fao": "true"})
        self.assertEqual(meta["annotations"]["mtasts.io/policy-host"], HOST)
        self.assertEqual(meta["annotations"]["cert-manager.io/alt-names"], HOST)
        self.assertTrue(self.ready("a"))
        status = w.get("cert-manager.io/v1", "certificates", "a")["status"]
        self.assertEqual(status["revision"], 1)
        self.assertEqual(status["notAfter"],
                         leaf.not_valid_after.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def test_a_second_pass_writes_nothing(self):
        w = self.world
        self.create(certificate(w.namespace, "a", [HOST]))
        self.once()
        before = (self.secret("a-tls")["metadata"]["resourceVersion"],
                  w.get("cert-manager.io/v1", "certificates", "a")["metadata"]["resourceVersion"])
        self.assertIn("issued 0 in", self.once())
        after = (self.secret("a-tls")["metadata"]["resourceVersion"],
                 w.get("cert-manager.io/v1", "certificates", "a")["metadata"]["resourceVersion"])
        self.assertEqual(before, after)

    def test_signs_only_for_the_issuer_it_is_given(self):
        w = self.world
        self.create(certificate(w.namespace, "mine", [HOST]),
                    certificate(w.namespace, "other", [f"mta-sts.b.{ZONE}"], issuer="elsewhere"))
        self.once("--issuer", "ClusterIssuer/test-ca")
        self.assertIsNotNone(self.secret("mine-tls"))
        self.assertIsNone(self.secret("other-tls"))
        self.assertFalse(self.ready("other"))


class Watching(CaIssuerCase):
    def test_follows_changes_of_the_certificate_and_its_secret(self):
        w = self.world
        w.start_ca_issuer()
        self.create(certificate(w.namespace, "a", [HOST]))
        first = wait_for(lambda: self.secret("a-tls"), 15, "the Secret")
        wait_for(lambda: self.ready("a"), 15, "Ready")

        def serial():
            secret = self.secret("a-tls")
            chain = secret and pem_certificates(b64decode(secret["data"]["tls.crt"]))
            return chain and chain[0].serial_number

        path = self.certificates + "/a"
        kinds = [("cert-manager.io/v1", "certificates"), ("v1", "secrets")]
        with world.WriteWatch(w, kinds) as writes:
            # Nothing changes: nothing is written.
            since = time.time()
            time.sleep(3)
            self.assertEqual(writes.since(since), [])
            self.assertEqual(self.secret("a-tls")["metadata"]["resourceVersion"],
                             first["metadata"]["resourceVersion"])
            # Other dnsNames: a new certificate for them, and Ready for the new generation.
            old = serial()
            w.client.merge_patch(path, {"spec": {"dnsNames": [HOST, f"mta-sts.c.{ZONE}"]}},
                                 "test")
            wait_for(lambda: serial() != old, 15, "a new certificate for the new dnsNames")
            wait_for(lambda: self.ready("a"), 15, "Ready for the new generation")
            time.sleep(1)
            # Ours, then the issuer's: the Certificate's spec and status, and the Secret.
            self.assertEqual(sorted((w[1], w[2]) for w in writes.since(since)),
                             [("certificates", "MODIFIED"), ("certificates", "MODIFIED"),
                              ("secrets", "MODIFIED")])
        # The Secret deleted: signed again.
        old = serial()
        w.client.request("DELETE", kube.object_path("v1", "secrets", w.namespace, "a-tls"))
        wait_for(lambda: serial() not in (None, old), 15, "the Secret signed again")
        # A label of the secretTemplate: the Secret follows it.
        w.client.merge_patch(path, {"spec": {"secretTemplate": {"labels": {"extra": "yes"}}}},
                             "test")
        wait_for(lambda: self.secret("a-tls")["metadata"]["labels"].get("extra") == "yes", 15,
                 "the template's new label on the Secret")


class Throughput(CaIssuerCase):
    def test_signs_many_certificates_quickly(self):
        w = self.world
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: self.create(certificate(
                w.namespace, f"p{i}", [f"mta-sts.p{i}.{ZONE}"])), range(COUNT)))
        started = time.monotonic()
        log = self.once("--workers", "8")
        seconds = time.monotonic() - started
        print(f"\nca_issuer.py --once signed {COUNT} certificates in {seconds:.1f} s"
              f" ({COUNT / seconds:.0f}/s): {log.splitlines()[-1]}")
        self.assertIn(f"issued {COUNT} in", log)
        self.assertTrue(self.ready(f"p{COUNT - 1}"))
        # Enough for the benchmark's 10,000 in well under its cold-start budget.
        self.assertLess(seconds / COUNT * 10000, 600)


if __name__ == "__main__":
    unittest.main(verbosity=2)
