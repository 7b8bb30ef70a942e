#!/usr/bin/env python3
"""What the real external-dns publishes into BIND9 for each form of a DNSEndpoint TXT target.

The operator announces a policy with `_mta-sts.<domain>` TXT "v=STSv1; id=X" in a DNSEndpoint.
external-dns v0.23.0's rfc2136 provider writes a target into zone-file text as it is, where ';'
starts a comment: the bare target loses its id and external-dns still reports success; the
target with its quotes included is published whole, but an id change or a deletion then leaves
the old record in place (the removal has the same ';' problem). This test pins that behaviour
down with the real parts (external-dns from its module, BIND9, the DNSEndpoint CRD of the same
release): the operator cannot trust the provider to replace a record, and must look at what DNS
answers before it says a policy is published.

Usage: external_dns_test.py DNSSTACK_SCRIPT   (KUBECONFIG and MTASTS_CONTROLPLANE set)
"""
import os
import subprocess
import sys
import unittest

DNSSTACK = ""
NAMESPACE = "dns-external-dns-test"
ZONE = "operator.test"


def run(*args, stdin=None, timeout=120):
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=timeout)


def kubectl(*args, stdin=None):
    return run(os.environ["MTASTS_CONTROLPLANE"], "kubectl", *args, stdin=stdin)


def dnsstack_env():
    out = run(DNSSTACK, "env").stdout
    env = {}
    for line in out.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value.strip('"')
    return env


def endpoint(name, records):
    """A DNSEndpoint manifest; records: (dnsName, recordType, [targets])."""
    lines = ["apiVersion: externaldns.k8s.io/v1alpha1", "kind: DNSEndpoint",
             f"metadata: {{name: {name}, namespace: {NAMESPACE}}}", "spec:", "  endpoints:"]
    for dns_name, record_type, targets in records:
        lines += [f"  - dnsName: {dns_name}", f"    recordType: {record_type}",
                  "    recordTTL: 60", "    targets:"]
        lines += ["    - '%s'" % t.replace("'", "''") for t in targets]
    return "\n".join(lines) + "\n"


class ExternalDnsTxtTargets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.env = dnsstack_env()
        crd = os.path.join(cls.env["DNSSTACK_CRDS"], "dnsendpoints.externaldns.k8s.io.yaml")
        for args in (("apply", "-f", crd),
                     ("wait", "--for=condition=established", "--timeout=60s",
                      "crd/dnsendpoints.externaldns.k8s.io")):
            r = kubectl(*args)
            assert r.returncode == 0, r.stderr
        kubectl("delete", "namespace", NAMESPACE, "--wait=false", "--ignore-not-found")
        r = kubectl("create", "namespace", NAMESPACE)
        assert r.returncode == 0 or "AlreadyExists" in r.stderr, r.stderr

    @classmethod
    def tearDownClass(cls):
        kubectl("delete", "dnsendpoints", "--all", "-n", NAMESPACE)
        cls.sync()

    @classmethod
    def sync(cls):
        """One pass of external-dns over every DNSEndpoint; fails the test when it fails."""
        r = run(DNSSTACK, "external-dns", "--kubeconfig", os.environ["KUBECONFIG"],
                "--source=crd", "--crd-source-apiversion=externaldns.k8s.io/v1alpha1",
                "--crd-source-kind=DNSEndpoint", "--once", timeout=120)
        assert r.returncode == 0, "external-dns --once failed:\n" + r.stdout + r.stderr
        return r.stdout + r.stderr

    def apply(self, manifest):
        r = kubectl("apply", "-f", "-", stdin=manifest)
        self.assertEqual(r.returncode, 0, r.stderr)

    def txt(self, name):
        """The TXT RRset as BIND9 answers it, each record's strings joined, sorted."""
        host, port = self.env["DNSSTACK_SERVER"].split(":")
        r = run("dig", "+short", "+time=2", "+tries=1", "-p", port, f"@{host}", name, "TXT")
        self.assertEqual(r.returncode, 0, r.stderr)
        records = []
        for line in r.stdout.splitlines():
            # dig prints one record a line as "s1" "s2": the strings, quoted.
            strings = line.strip().split('" "')
            records.append("".join(s.strip('"') for s in strings))
        return sorted(records)

    def test_quoted_target_is_published_whole_and_bare_target_loses_the_id(self):
        self.apply(endpoint("forms", [
            (f"_mta-sts.quoted.{ZONE}", "TXT", ['"v=STSv1; id=20261129T000000Z1"']),
            (f"_mta-sts.bare.{ZONE}", "TXT", ["v=STSv1; id=20261129T000000Z2"]),
            (f"_smtp._tls.quoted.{ZONE}", "TXT", [f'"v=TLSRPTv1; rua=mailto:tlsrpt@quoted.{ZONE}"']),
        ]))
        self.sync()
        self.assertEqual(self.txt(f"_mta-sts.quoted.{ZONE}"), ["v=STSv1; id=20261129T000000Z1"])
        self.assertEqual(self.txt(f"_smtp._tls.quoted.{ZONE}"),
                         [f"v=TLSRPTv1; rua=mailto:tlsrpt@quoted.{ZONE}"])
        # The silent loss: everything after ';' became a zone-file comment.
        self.assertEqual(self.txt(f"_mta-sts.bare.{ZONE}"), ["v=STSv1"])

    def test_an_id_change_replaces_the_record_and_deletion_removes_it(self):
        # The release reads the live record back without its quotes and removes "v=STSv1; id=X"
        # as zone-file text, where ';' starts a comment: it asks BIND9 to remove "v=STSv1", which
        # is not there, and the old record stays beside the new one (a sender seeing two v=STSv1
        # records has no policy, RFC 8461 section 3.1). hack/tools/external-dns/
        # rfc2136-txt-removal.patch quotes the text it removes; without it this test fails.
        name = f"_mta-sts.bump.{ZONE}"
        for policy_id in ("20261129T000000Z3", "20261129T000100Z4"):
            self.apply(endpoint("bump", [(name, "TXT", [f'"v=STSv1; id={policy_id}"'])]))
            self.sync()
            self.assertEqual(self.txt(name), [f"v=STSv1; id={policy_id}"])
        r = kubectl("delete", "dnsendpoint", "bump", "-n", NAMESPACE)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.sync()
        self.assertEqual(self.txt(name), [])
        self.assertEqual(self.txt(f"txt-_mta-sts.bump.{ZONE}"), [])

    def test_a_record_for_the_policy_host(self):
        name = f"mta-sts.host.{ZONE}"
        self.apply(endpoint("host", [(name, "A", ["127.0.0.43"])]))
        self.sync()
        host, port = self.env["DNSSTACK_SERVER"].split(":")
        r = run("dig", "+short", "+time=2", "+tries=1", "-p", port, f"@{host}", name, "A")
        self.assertEqual(r.stdout.split(), ["127.0.0.43"])


if __name__ == "__main__":
    DNSSTACK = sys.argv.pop(1)
    unittest.main(verbosity=2)
