#!/usr/bin/python3
"""The health check and kstatus over MtaStsPolicy statuses as the operator writes them
(controller/conditions.cc: Ready, Reconciling, Stalled, each with observedGeneration), one change
per row from a Ready policy; and the argocd-cm form of the check is the .lua file the tests run.
The rollout test reads the same verdicts off live objects; these rows pin each one down.

    verdicts_test.py [unittest args]   (hack/gitops.sh build done)
"""
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gitops  # noqa: E402


def condition(kind, status, reason, message=""):
    return {"type": kind, "status": status, "reason": reason, "message": message,
            "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": 3}


READY = {
    "apiVersion": "mtasts.io/v1alpha1", "kind": "MtaStsPolicy",
    "metadata": {"name": "example", "namespace": "mail", "generation": 3},
    "spec": {"domain": "example.com", "mode": "enforce", "mx": ["mx1.example.com"]},
    "status": {"observedGeneration": 3, "effectiveMode": "enforce", "conditions": [
        condition("CertificateReady", "True", "Issued"),
        condition("PolicyServed", "True", "Served"),
        condition("DNSPublished", "True", "Published"),
        condition("Ready", "True", "Published", "mode enforce is served and announced"),
        condition("Reconciling", "False", "Published"),
        condition("Stalled", "False", "Published")]},
}


def changed(**conditions):
    """READY with the named conditions replaced: name=(status, reason, message)."""
    obj = copy.deepcopy(READY)
    for c in obj["status"]["conditions"]:
        if c["type"] in conditions:
            c["status"], c["reason"], c["message"] = conditions[c["type"]]
    return obj


SOAKING = "mode testing is announced since 2026-01-01T00:00:00Z; enforce may follow at ..."
STALLED = "mx1.example.com: certificate-expired; fix the MX, then enforce follows"


class Verdicts(unittest.TestCase):
    def test_each_status(self):
        no_status = copy.deepcopy(READY)
        del no_status["status"]
        defaulted = copy.deepcopy(no_status)
        defaulted["status"] = {"observedGeneration": 0}
        ahead = copy.deepcopy(READY)
        ahead["metadata"]["generation"] = 4
        rows = [
            ("ready", READY, ("Healthy", "Current")),
            ("soaking in testing", changed(Ready=("False", "Testing", SOAKING),
                                           Reconciling=("True", "Testing", SOAKING)),
             ("Progressing", "InProgress")),
            ("certificate being issued", changed(
                CertificateReady=("False", "Issuing", "waiting for cert-manager"),
                Ready=("False", "Issuing", "waiting for cert-manager"),
                Reconciling=("True", "Issuing", "waiting for cert-manager")),
             ("Progressing", "InProgress")),
            ("stalled", changed(Ready=("False", "GatesFailing", STALLED),
                                Stalled=("True", "GatesFailing", STALLED)),
             ("Degraded", "Failed")),
            ("a spec change not yet observed", ahead, ("Progressing", "InProgress")),
            # kstatus has nothing to go on without a status: it says Current. The health check
            # waits for the operator.
            ("without a status", no_status, ("Progressing", "Current")),
            # As the API server shows a policy the operator has not written yet: the CRD
            # defaults status.observedGeneration to 0, below the generation, so kstatus waits too.
            ("before the operator's first status", defaulted, ("Progressing", "InProgress")),
        ]
        for name, obj, expected in rows:
            with self.subTest(name):
                got, messages = gitops.verdicts(obj)
                self.assertEqual(got, expected, messages)

    def test_messages_are_the_operators(self):
        stalled = changed(Ready=("False", "GatesFailing", STALLED),
                          Stalled=("True", "GatesFailing", STALLED))
        self.assertEqual(gitops.argocd_health(stalled), ("Degraded", STALLED))
        self.assertEqual(gitops.argocd_health(READY),
                         ("Healthy", "mode enforce is served and announced"))


class ArgoCdConfigMap(unittest.TestCase):
    def test_the_configmap_holds_the_script_byte_for_byte(self):
        with open(os.path.join(gitops.DOCS, "argocd-cm.yaml")) as f:
            configmap = yaml.safe_load(f)
        with open(gitops.HEALTH_LUA) as f:
            script = f.read()
        self.assertEqual(configmap["metadata"]["name"], "argocd-cm")
        self.assertEqual(configmap["data"][gitops.HEALTH_KEY], script)


class GitopsStatus(unittest.TestCase):
    """The helper refuses what it cannot judge, with a clear error, and mirrors Argo CD's
    sandbox: no string library, os only through require."""

    def run_script(self, text, obj=READY):
        path = os.path.join(self.dir, "script.lua")
        with open(path, "w") as f:
            f.write(text)
        return gitops.argocd_health(obj, path)

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="gitops-status-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def test_argo_cd_sandbox(self):
        with self.assertRaisesRegex(AssertionError, "non-table object"):
            self.run_script('return {status = string.upper("healthy")}')
        self.assertEqual(self.run_script(
            'local os = require("os")\nreturn {status = "Healthy", message = os.date("!%Y")}')[0],
            "Healthy")
        self.assertEqual(self.run_script('return {status = "Fine"}'),
                         ("Unknown", "Lua returned an invalid health status"))
        with self.assertRaisesRegex(AssertionError, "expect table output"):
            self.run_script('return "Healthy"')

    def test_bad_object(self):
        r = subprocess.run([gitops.tool(), "kstatus"], input="not json\x1b[31m",
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a Kubernetes object", r.stderr)
        self.assertNotIn("\x1b", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
