#!/usr/bin/env python3
"""The CRD on a real kube-apiserver agrees with `mtasts lint` (src/spec).

Installs crds/mtasts.io_mtastspolicies.yaml, then sends each case to the API server
(kubectl apply --dry-run=server, strict field validation) and to `mtasts lint`, and checks
both verdicts. Also checks that the server applies the defaults the loader applies.

Usage: crd_apiserver_test.py MTASTS_BINARY SOURCE_DIR   (KUBECONFIG and MTASTS_CONTROLPLANE set)
"""
import json
import os
import subprocess
import sys
import unittest

MTASTS = SOURCE = ""
NAMESPACE = "cli-crd-test"
HEADER = "apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\nmetadata: {name: t, namespace: %s}\n" % NAMESPACE
OK_SPEC = "spec:\n  domain: example.com\n  mode: enforce\n"

# name, resource body after the header, API server accepts, mtasts lint accepts
CASES = [
    ("minimal", OK_SPEC, True, True),
    ("unknown-field", OK_SPEC + "  colour: blue\n", False, False),
    ("typo-nested", OK_SPEC + "  rollout: {testingPerod: 48h}\n", False, False),
    ("mode-enum", "spec: {domain: example.com, mode: enforcing}\n", False, False),
    ("domain-missing", "spec: {mode: none}\n", False, False),
    ("domain-upper", "spec: {domain: Example.com, mode: none}\n", False, False),
    ("domain-wildcard", "spec: {domain: '*.example.com', mode: none}\n", False, False),
    ("max-age-high", OK_SPEC + "  maxAge: 31557601\n", False, False),
    ("max-age-string", OK_SPEC + "  maxAge: '86400'\n", False, False),
    ("mx-weak-wildcard", OK_SPEC + "  mx: ['*.com']\n", False, False),
    ("mx-partial-wildcard", OK_SPEC + "  mx: ['mx*.example.com']\n", False, False),
    ("mx-duplicate", OK_SPEC + "  mx: [a.example.com, a.example.com]\n", False, False),
    ("mx-upper-ok", OK_SPEC + "  mx: [MX1.Example.com]\n", True, True),
    ("rua-http", OK_SPEC + "  tlsRpt: {rua: ['http://r.example.com/']}\n", False, False),
    ("rua-empty", OK_SPEC + "  tlsRpt: {rua: []}\n", False, False),
    ("rua-ok", OK_SPEC + "  tlsRpt: {rua: ['mailto:r@example.com', 'https://r.example.com/x']}\n",
     True, True),
    ("duration-days", OK_SPEC + "  rollout: {testingPeriod: 7d}\n", False, False),
    ("duration-ok", OK_SPEC + "  rollout: {testingPeriod: 1h30m, minCertValidity: 720h}\n",
     True, True),
    ("drift-enum", OK_SPEC + "  rollout: {onMxDrift: demote}\n", False, False),
    ("rate-ok", OK_SPEC + "  rollout: {maxFailureRate: 0.5%, minReportedSessions: 1000}\n",
     True, True),
    ("rate-three-decimals", OK_SPEC + "  rollout: {maxFailureRate: 0.125%}\n", False, False),
    ("rate-a-fraction", OK_SPEC + "  rollout: {maxFailureRate: '0.01'}\n", False, False),
    ("sessions-negative", OK_SPEC + "  rollout: {minReportedSessions: -1}\n", False, False),
    ("ttl-low", OK_SPEC + "  dns: {ttl: 5}\n", False, False),
    ("issuer-name-missing", OK_SPEC + "  certificate: {issuerRef: {kind: Issuer}}\n", False, False),
    ("removal-enum", OK_SPEC + "  removal: Later\n", False, False),
    # The loader is stricter than a regular expression can be; the server lets these through.
    ("domain-ip", "spec: {domain: 192.0.2.1, mode: none}\n", True, False),
    ("duration-over-a-year", OK_SPEC + "  rollout: {testingPeriod: 9000h}\n", True, False),
    ("rate-over-100", OK_SPEC + "  rollout: {maxFailureRate: 150%}\n", True, False),
]


def kubectl(*args, stdin=None):
    return subprocess.run([os.environ["MTASTS_CONTROLPLANE"], "kubectl", *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


class CrdOnApiServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        crd = os.path.join(SOURCE, "crds", "mtasts.io_mtastspolicies.yaml")
        for args in (("apply", "--server-side", "-f", crd),
                     ("wait", "--for=condition=Established", "--timeout=60s",
                      "crd/mtastspolicies.mtasts.io")):
            p = kubectl(*args)
            assert p.returncode == 0, p.stderr
        p = kubectl("create", "namespace", NAMESPACE)
        assert p.returncode == 0 or "AlreadyExists" in p.stderr, p.stderr

    def test_verdicts_agree(self):
        for name, body, server_ok, lint_ok in CASES:
            with self.subTest(case=name):
                doc = HEADER + body
                server = kubectl("apply", "--dry-run=server", "--validate=strict", "-f", "-",
                                 stdin=doc)
                self.assertEqual(server.returncode == 0, server_ok, server.stderr)
                lint = subprocess.run([MTASTS, "lint", "-"], input=doc, capture_output=True,
                                      text=True, timeout=30)
                self.assertIn(lint.returncode, (0, 1), lint.stderr)
                self.assertEqual(lint.returncode == 0, lint_ok, lint.stderr)

    def test_server_defaults_match_the_loader(self):
        p = kubectl("apply", "--dry-run=server", "-o", "json", "-f", "-", stdin=HEADER + OK_SPEC)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["spec"], {
            "domain": "example.com", "mode": "enforce", "maxAge": 1209600,
            "rollout": {"testingPeriod": "168h", "testingMaxAge": 86400, "autoPromote": True,
                        "onMxDrift": "Demote", "minCertValidity": "336h",
                        "maxFailureRate": "1%", "minReportedSessions": 0},
            "dns": {"provider": "ExternalDNS", "ttl": 300},
            "removal": "Graceful",
        })

    def test_example_is_accepted_and_printed(self):
        with open(os.path.join(SOURCE, "examples", "example-com.yaml")) as f:
            example = f.read().replace("namespace: mail", "namespace: " + NAMESPACE)
        p = kubectl("apply", "--validate=strict", "-f", "-", stdin=example)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = kubectl("get", "mtasts", "-n", NAMESPACE, "example-com")
        self.assertEqual(p.returncode, 0, p.stderr)
        header = p.stdout.splitlines()[0].split()
        self.assertEqual(header, ["NAME", "DOMAIN", "TARGET", "EFFECTIVE", "READY", "STATUS", "AGE"])
        self.assertIn("example.com", p.stdout)
        # What the server stores renders like the file itself.
        stored = kubectl("get", "mtastspolicy", "-n", NAMESPACE, "example-com", "-o", "yaml")
        rendered = subprocess.run([MTASTS, "render", "--only", "policy", "-"], input=stored.stdout,
                                  capture_output=True, text=True, timeout=30)
        from_file = subprocess.run(
            [MTASTS, "render", "--only", "policy", os.path.join(SOURCE, "examples",
                                                                 "example-com.yaml")],
            capture_output=True, text=True, timeout=30)
        self.assertEqual((rendered.returncode, rendered.stdout), (0, from_file.stdout),
                         rendered.stderr)
        kubectl("delete", "-n", NAMESPACE, "mtastspolicy", "example-com")


def main():
    global MTASTS, SOURCE
    MTASTS, SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])


if __name__ == "__main__":
    main()
