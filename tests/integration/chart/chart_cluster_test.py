#!/usr/bin/python3
"""The chart on a real API server (hack/controlplane.sh) with the real CRDs of cert-manager,
external-dns and prometheus-operator's ServiceMonitor: every rendered object accepted by
`kubectl apply --dry-run=server`; helm install, upgrade and uninstall; the ServiceAccount's
rights as the API server judges them. No kubelet runs there, so no pod starts.

    chart_cluster_test.py [unittest args]   (KUBECONFIG and MTASTS_CONTROLPLANE set)
"""
import glob
import json
import os
import subprocess
import unittest
import uuid

from chart import CHART, ROOT, helm, set_args, switches, template

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


def pinned_crds():
    """The CRDs the chart's objects need, from their pinned releases (hack/dnsstack.sh build and
    hack/helm.sh build fetch them)."""
    out = subprocess.run([os.path.join(ROOT, "hack", "dnsstack.sh"), "env"], capture_output=True,
                         text=True, check=True)
    dnsstack = [line.split("=", 1)[1] for line in out.stdout.splitlines()
                if line.startswith("export DNSSTACK_CRDS=")][0]
    monitoring = subprocess.run([os.path.join(ROOT, "hack", "helm.sh"), "crds"],
                                capture_output=True, text=True, check=True).stdout.strip()
    files = sorted(glob.glob(os.path.join(dnsstack, "*.yaml"))
                   + glob.glob(os.path.join(monitoring, "*.yaml")))
    if len(files) != 3:
        raise AssertionError(f"want three pinned CRDs, found {files}: run hack/dnsstack.sh build "
                             "and hack/helm.sh build")
    return files


class ClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for crd in pinned_crds() + sorted(glob.glob(os.path.join(ROOT, "crds", "*.yaml"))):
            kubectl("apply", "--server-side", "--force-conflicts", "-f", crd)
        kubectl("wait", "--for=condition=Established", "--timeout=60s",
                "crd/certificates.cert-manager.io", "crd/dnsendpoints.externaldns.k8s.io",
                "crd/servicemonitors.monitoring.coreos.com", "crd/mtastspolicies.mtasts.io")

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
        for name, values in switches(self.ns).items():
            with self.subTest(switch=name):
                manifest = template(values, self.release, self.ns)
                out = kubectl("apply", "--dry-run=server", "-f", "-", stdin=manifest,
                              check=False)
                self.assertEqual(out.returncode, 0, out.stderr)
                # Every object was judged by the server: one line each.
                self.assertEqual(len(out.stdout.strip().splitlines()),
                                 manifest.count("\nkind: "), out.stdout)


class HelmLifecycle(ClusterTest):
    def install(self, command, values):
        self.output = helm(command, self.release, CHART, "--namespace", self.ns,
                           *set_args(values)).stdout
        return get("deployment", self.fullname, self.ns)

    def setUp(self):
        super().setUp()
        self.fullname = f"{self.release}-mta-sts-operator"

    def test_install_upgrade_uninstall(self):
        self.create_namespaces(self.ns)
        deployment = self.install("install", {})
        self.assertEqual(deployment["metadata"]["generation"], 1)
        self.assertIsNotNone(get("crd", "mtastspolicies.mtasts.io"))
        # NOTES.txt: the next steps, with this release's own names.
        self.assertIn(f"kubectl -n {self.ns} get service {self.fullname}", self.output)

        # The operator keeps external-dns's hostname annotation on the serve Service by
        # server-side apply (controller/manager.cc); an upgrade must leave it in place.
        hostname = "external-dns.kubernetes.io/hostname"
        annotation = {"apiVersion": "v1", "kind": "Service",
                      "metadata": {"name": self.fullname, "namespace": self.ns,
                                   "annotations": {hostname: "mta-sts.example.com"}}}
        kubectl("apply", "--server-side", "--field-manager=mta-sts-operator", "-f", "-",
                stdin=json.dumps(annotation))

        # A value outside the pod template changes its object and does not roll the pods.
        self.install("upgrade", {"podDisruptionBudget.maxUnavailable": 0})
        self.assertEqual(get("pdb", self.fullname, self.ns)["spec"]["maxUnavailable"], 0)
        self.assertEqual(get("deployment", self.fullname, self.ns)["metadata"]["generation"], 1)

        # A changed flag is a new pod template: the Deployment rolls.
        deployment = self.install("upgrade", {"workers": 4})
        self.assertEqual(deployment["metadata"]["generation"], 2)
        args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
        self.assertIn("--workers=4", args)
        service = get("service", self.fullname, self.ns)
        self.assertEqual(service["metadata"]["annotations"].get(hostname), "mta-sts.example.com")

        helm("uninstall", self.release, "--namespace", self.ns)
        for kind, name, ns in [("deployment", self.fullname, self.ns),
                               ("service", self.fullname, self.ns),
                               ("serviceaccount", self.fullname, self.ns),
                               ("clusterrole", self.fullname, None),
                               ("clusterrolebinding", self.fullname, None),
                               ("role", f"{self.fullname}-release", self.ns)]:
            self.assertIsNone(get(kind, name, ns), f"{kind} {name} left behind")
        # helm never deletes what crds/ installed: the policies outlive the release.
        self.assertIsNotNone(get("crd", "mtastspolicies.mtasts.io"))

    def test_the_service_account_may_do_what_the_operator_does_and_no_more(self):
        self.create_namespaces(self.ns, f"{self.ns}-mail")
        self.install("install", {"watchNamespaces": [f"{self.ns}-mail"]})
        mail, lease = f"{self.ns}-mail", self.fullname
        allowed = [
            ("list", "mtastspolicies.mtasts.io", mail),
            ("patch", "mtastspolicies.mtasts.io/status", mail),
            ("watch", "secrets", mail), ("delete", "secrets", mail),
            ("create", "configmaps", mail), ("patch", "certificates.cert-manager.io", mail),
            ("create", "dnsendpoints.externaldns.k8s.io", mail),
            ("create", "events.events.k8s.io", mail),
            ("update", f"leases.coordination.k8s.io/{lease}", self.ns),
            ("patch", f"services/{self.fullname}", self.ns),
            ("watch", "endpointslices.discovery.k8s.io", self.ns),
        ]
        refused = [
            ("list", "secrets", self.ns),              # not a namespace it manages
            ("create", "secrets", mail),               # cert-manager writes them
            ("update", "mtastspolicies.mtasts.io", mail),  # never the spec
            ("list", "mtastspolicies.mtasts.io", "default"),
            ("update", "leases.coordination.k8s.io/another-lease", self.ns),
            ("patch", "services/another-service", self.ns),
            ("create", "pods", mail),
            ("list", "configmaps", "kube-system"),
        ]
        account = f"system:serviceaccount:{self.ns}:{self.fullname}"
        for verb, resource, ns in allowed + refused:
            with self.subTest(verb=verb, resource=resource, namespace=ns):
                out = kubectl("auth", "can-i", verb, resource, "-n", ns, f"--as={account}",
                              check=False)
                self.assertEqual(out.stdout.strip(), "yes" if (verb, resource, ns) in allowed
                                 else "no", out.stderr)


if __name__ == "__main__":
    unittest.main()
