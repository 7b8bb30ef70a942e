#!/usr/bin/python3
"""The chart on a real API server (hack/controlplane.sh) with cert-manager's and external-dns's
real CRDs: every rendered object accepted by `kubectl apply --dry-run=server`, and helm install,
upgrade and uninstall. No kubelet runs there, so no pod starts; the objects are what is judged.

    chart_cluster_test.py [unittest args]   (KUBECONFIG and MTASTS_CONTROLPLANE set)
"""
import glob
import json
import os
import subprocess
import unittest
import uuid

from chart import CHART, ROOT, helm, set_args, template

# monitoring.coreos.com is not installed here: the ServiceMonitor is judged by chart_test.py only.
SWITCHES = {
    "defaults": {},
    "single-namespace": {"watchNamespaces": ["{ns}-mail", "{ns}-shop"]},
    "hostname-annotation-off": {"externalDns.hostnameAnnotation": False,
                                "policyHostTargets": ["192.0.2.10"]},
    "issuer": {"defaultIssuer": "ClusterIssuer/letsencrypt"},
    "one-replica": {"leaderElection.enabled": False, "replicaCount": 1},
}


def kubectl(*args, stdin=None, check=True):
    out = subprocess.run([os.environ["MTASTS_CONTROLPLANE"], "kubectl", *args], input=stdin,
                         capture_output=True, text=True, timeout=120)
    if check and out.returncode != 0:
        raise AssertionError(f"kubectl {' '.join(args)} failed:\n{out.stderr}")
    return out


def get(kind, name, namespace=None):
    args = ["get", kind, name, "-o", "json"] + (["-n", namespace] if namespace else [])
    out = kubectl(*args, check=False)
    return json.loads(out.stdout) if out.returncode == 0 else None


def dnsstack_crds():
    out = subprocess.run([os.path.join(ROOT, "hack", "dnsstack.sh"), "env"], capture_output=True,
                         text=True, check=True)
    folder = [line.split("=", 1)[1] for line in out.stdout.splitlines()
              if line.startswith("export DNSSTACK_CRDS=")][0]
    files = sorted(glob.glob(os.path.join(folder, "*.yaml")))
    if len(files) != 2:
        raise AssertionError(f"want the two pinned CRDs in {folder}: run hack/dnsstack.sh build")
    return files


class ClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for crd in dnsstack_crds() + sorted(glob.glob(os.path.join(ROOT, "crds", "*.yaml"))):
            kubectl("apply", "--server-side", "--force-conflicts", "-f", crd)
        kubectl("wait", "--for=condition=Established", "--timeout=60s",
                "crd/certificates.cert-manager.io", "crd/dnsendpoints.externaldns.k8s.io",
                "crd/mtastspolicies.mtasts.io")

    def setUp(self):
        # Each test its own release and namespaces: the control plane is shared.
        self.ns = f"chart-{uuid.uuid4().hex[:8]}"
        self.release = self.ns
        self.namespaces = [self.ns]

    def tearDown(self):
        helm("uninstall", self.release, "--namespace", self.ns, check=False)
        for ns in self.namespaces:
            kubectl("delete", "namespace", ns, "--wait=false", "--ignore-not-found", check=False)

    def create_namespaces(self, *names):
        for name in names:
            kubectl("create", "namespace", name)
        self.namespaces = sorted(set(self.namespaces) | set(names))


class ServerDryRun(ClusterTest):
    def test_every_switch_renders_objects_the_api_server_accepts(self):
        self.create_namespaces(self.ns, f"{self.ns}-mail", f"{self.ns}-shop")
        for name, values in SWITCHES.items():
            with self.subTest(switch=name):
                values = {k: json.loads(json.dumps(v).replace("{ns}", self.ns))
                          for k, v in values.items()}
                manifest = template(values, self.release, self.ns)
                out = kubectl("apply", "--dry-run=server", "-f", "-", stdin=manifest,
                              check=False)
                self.assertEqual(out.returncode, 0, out.stderr)
                # Every object was judged by the server: one line each.
                self.assertEqual(len(out.stdout.strip().splitlines()),
                                 manifest.count("\nkind: "), out.stdout)


if __name__ == "__main__":
    unittest.main()
