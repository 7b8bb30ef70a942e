#!/usr/bin/python3
"""Real Pods on the one-node cluster of hack/node.sh (kubelet, containerd 2, runc; the fixture
"node" brings it up and down): a plain Pod of the locally built pause image runs and its logs
come back through kube-apiserver; then the operator's chart, installed with the real helm, runs
the operator and its nginx sidecar as a Pod and serves a policy from inside it.

    node_test.py PlainPod
    node_test.py Operator   (MTASTS_OPERATOR_IMAGE and MTASTS_NGINX_IMAGE name the OCI archives
                             of the two images; default: where hack/image.sh writes them)
"""
import json
import os
import shutil
import ssl
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
NODE = os.path.join(ROOT, "hack", "node.sh")
CHART = os.path.join(ROOT, "charts", "mta-sts-operator")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration", "operator"))
from world import fetch  # noqa: E402  (the operator tests' HTTPS GET with SNI)


def run(*args, stdin=None, check=True, timeout=120):
    out = subprocess.run(list(args), input=stdin, capture_output=True, text=True,
                         timeout=timeout)
    if check and out.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    return out


def kubectl(*args, stdin=None, check=True):
    return run(NODE, "kubectl", *args, stdin=stdin, check=check)


def node_env():
    """hack/node.sh env as a dict (KUBECONFIG, MTASTS_NODE_APISERVER_HOST/PORT, ...)."""
    env = {}
    for line in run(NODE, "env").stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value
    return env


def wait_for(observe, timeout, what, interval=0.5):
    """Polls observe() until it returns something true; fails naming what it waited for."""
    deadline = time.monotonic() + timeout
    while True:
        value = observe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def pod(namespace, name):
    out = kubectl("get", "pod", name, "-n", namespace, "-o", "json", check=False)
    return json.loads(out.stdout) if out.returncode == 0 else None


def phase(namespace, name):
    p = pod(namespace, name)
    return p["status"].get("phase") if p else None


class NodeTestCase(unittest.TestCase):
    def setUp(self):
        self.ns = f"node-{uuid.uuid4().hex[:8]}"
        kubectl("create", "namespace", self.ns)
        # The ServiceAccount admission wants the namespace's "default" account, which the
        # controller-manager makes: wait for it, as a user of a fresh namespace would.
        wait_for(lambda: kubectl("get", "serviceaccount", "default", "-n", self.ns,
                                 check=False).returncode == 0, 30, "the default ServiceAccount")

    def tearDown(self):
        kubectl("delete", "namespace", self.ns, "--wait=false", check=False)

    def describe(self, name):
        return kubectl("describe", "pod", name, "-n", self.ns, check=False).stdout


class PlainPod(NodeTestCase):
    def test_runs_and_logs_come_back_through_the_apiserver(self):
        image = node_env()["MTASTS_NODE_PAUSE_IMAGE"]
        manifest = {
            "apiVersion": "v1", "kind": "List", "items": [
                # Runs until deleted.
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "sleeper"},
                 "spec": {"containers": [{"name": "pause", "image": image,
                                          "imagePullPolicy": "Never"}]}},
                # Prints its version and exits 0.
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hello"},
                 "spec": {"restartPolicy": "Never",
                          "containers": [{"name": "pause", "image": image, "args": ["-v"],
                                          "imagePullPolicy": "Never"}]}},
            ]}
        kubectl("apply", "-n", self.ns, "-f", "-", stdin=json.dumps(manifest))
        try:
            wait_for(lambda: phase(self.ns, "sleeper") == "Running", 90, "sleeper Running")
            wait_for(lambda: phase(self.ns, "hello") == "Succeeded", 90, "hello Succeeded")
        except AssertionError:
            print(self.describe("sleeper"), self.describe("hello"),
                  kubectl("get", "events", "-n", self.ns, check=False).stdout, file=sys.stderr)
            raise
        sleeper = pod(self.ns, "sleeper")
        self.assertEqual(sleeper["spec"]["nodeName"], "127.0.0.1")
        self.assertTrue(sleeper["status"]["containerStatuses"][0]["ready"])
        # Its own network namespace, with an address from the node's CNI network.
        self.assertTrue(sleeper["status"]["podIP"].startswith("10.88.0."), sleeper["status"])
        # kubectl logs goes through kube-apiserver to kubelet's API, which reads the file that
        # containerd wrote.
        logs = kubectl("logs", "hello", "-n", self.ns).stdout
        version = image.rsplit(":", 1)[1]
        self.assertEqual(logs, f"pause.c {version}\n")
        # Deleting a running Pod stops its container: kubelet and containerd really own it.
        kubectl("delete", "pod", "sleeper", "-n", self.ns, "--timeout=60s")
        self.assertIsNone(pod(self.ns, "sleeper"))


def image_name(archive):
    """The name an OCI archive gives its image (org.opencontainers.image.ref.name)."""
    with tarfile.open(archive) as tar:
        index = json.load(tar.extractfile("index.json"))
    names = [m.get("annotations", {}).get("org.opencontainers.image.ref.name")
             for m in index["manifests"]]
    if len(names) != 1 or not names[0] or ":" not in names[0]:
        raise AssertionError(f"{archive} names no single image NAME:TAG: {names}")
    return names[0]


def tool(script, *args):
    return run(os.path.join(ROOT, "hack", script), *args).stdout.strip()


POLICY = """apiVersion: mtasts.io/v1alpha1
kind: MtaStsPolicy
metadata: {{name: {name}}}
spec:
  domain: {domain}
  mode: testing
  mx: [mx1.{domain}]
"""


class Operator(NodeTestCase):
    """helm install of the chart, its images imported, not pulled; the pod in the host's network
    (host_network.py says why). The test plays cert-manager (ca_issuer.py, as the operator tests
    do). The policy must come back byte for byte from the nginx sidecar inside the pod."""

    def setUp(self):
        super().setUp()
        archives = [os.environ.get(f"MTASTS_{name.upper()}_IMAGE",
                                   os.path.join(ROOT, "build", "image", f"mta-sts-{name}.oci.tar"))
                    for name in ("operator", "nginx")]
        if not all(os.path.isfile(a) for a in archives):
            raise AssertionError(f"no image archives {archives}: run hack/image.sh build, or name"
                                 " them in MTASTS_OPERATOR_IMAGE and MTASTS_NGINX_IMAGE")
        self.images = [image_name(a) for a in archives]
        for archive in archives:
            run(NODE, "import", archive, timeout=300)
        self.env = node_env()
        self.tmp = tempfile.mkdtemp(prefix="mta-sts-node-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        dns_crds = [line.split("=", 1)[1] for line in tool("dnsstack.sh", "env").splitlines()
                    if line.startswith("export DNSSTACK_CRDS=")][0]
        for crd in [os.path.join(ROOT, "crds", "mtasts.io_mtastspolicies.yaml"),
                    os.path.join(dns_crds, "certificates.cert-manager.io.yaml"),
                    os.path.join(dns_crds, "dnsendpoints.externaldns.k8s.io.yaml")]:
            kubectl("apply", "--server-side", "--force-conflicts", "-f", crd)
        kubectl("wait", "--for=condition=Established", "--timeout=60s",
                "crd/mtastspolicies.mtasts.io", "crd/certificates.cert-manager.io",
                "crd/dnsendpoints.externaldns.k8s.io")

    def helm_install(self):
        (operator, operator_tag), (nginx, nginx_tag) = [i.rsplit(":", 1) for i in self.images]
        apiserver = ":".join(self.env[f"MTASTS_NODE_APISERVER_{part}"] for part in ("HOST", "PORT"))
        values = {
            "image.repository": operator, "image.tag": operator_tag, "image.pullPolicy": "Never",
            "nginx.image.repository": nginx, "nginx.image.tag": nginx_tag,
            "nginx.image.pullPolicy": "Never",
            # One replica: in the host's network a second would want the same ports.
            "replicaCount": "1", "service.type": "ClusterIP",
            "metrics.port": "28080", "probes.port": "28081",
            "defaultIssuer": "ClusterIssuer/test-ca", "watchNamespaces[0]": self.ns,
        }
        args = [arg for name, value in values.items() for arg in ("--set", f"{name}={value}")]
        run(tool("helm.sh", "path"), "install", "mta-sts", CHART, "--namespace", self.ns,
            "--kubeconfig", self.env["KUBECONFIG"], *args,
            "--post-renderer", os.path.join(HERE, "host_network.py"),
            "--post-renderer-args", apiserver)

    def print_pods(self):
        """What kubectl says of the pods: description, events, the last words of each container
        (of its previous run too)."""
        print(kubectl("describe", "pods", "-n", self.ns, check=False).stdout,
              kubectl("get", "events", "-n", self.ns, check=False).stdout, file=sys.stderr)
        for container in ("operator", "nginx"):
            for previous in ([], ["--previous"]):
                out = kubectl("logs", "-n", self.ns, "deployment/mta-sts-mta-sts-operator",
                              "-c", container, "--tail=30", *previous, check=False)
                print(f"== {container} {' '.join(previous)}:\n{out.stdout}{out.stderr}",
                      file=sys.stderr)

    def ready_pod(self):
        out = kubectl("get", "pods", "-n", self.ns, "-l", "app.kubernetes.io/name=mta-sts-operator",
                      "-o", "json").stdout
        for p in json.loads(out)["items"]:
            statuses = p["status"].get("containerStatuses", [])
            if len(statuses) == 2 and all(c.get("ready") for c in statuses):
                return p
        return None

    def test_the_chart_runs_the_operator_and_serves_a_policy_from_the_pod(self):
        self.helm_install()
        try:
            pod_ = wait_for(self.ready_pod, 180, "the operator's pod, both containers ready")
        except AssertionError:
            self.print_pods()
            raise
        self.assertEqual({c["image"] for c in pod_["spec"]["containers"]},
                         set(self.images))
        domain = "pod.operator.test"
        kubectl("apply", "-n", self.ns, "-f", "-",
                stdin=POLICY.format(name="example", domain=domain))
        # The operator in the pod asked cert-manager for a certificate: issue it as cert-manager
        # would, into the Secret the pod's syncer watches.
        wait_for(lambda: kubectl("get", "certificate", "example-mta-sts", "-n", self.ns,
                                 check=False).returncode == 0, 60, "the Certificate")
        run("/usr/bin/python3", os.path.join(ROOT, "tests", "integration", "operator",
                                             "ca_issuer.py"),
            "--kubeconfig", self.env["KUBECONFIG"], "--ca-dir", self.tmp,
            "--namespace", self.ns, "--once")
        configmap = json.loads(wait_for(lambda: kubectl(
            "get", "configmap", "example-mta-sts-policy", "-n", self.ns, "-o", "json",
            check=False).stdout, 60, "the policy ConfigMap"))
        policy = configmap["data"]["mta-sts.txt"].encode()
        self.assertIn(b"mode: testing\r\n", policy)
        host = f"mta-sts.{domain}"

        def served():
            try:
                status, body = fetch("127.0.0.1", host, os.path.join(self.tmp, "ca.crt"), 8443)
            except (OSError, ssl.SSLError):
                return None
            return body if status == 200 else None
        self.assertEqual(wait_for(served, 60, f"https://{host}/.well-known/mta-sts.txt"), policy)
        # The operator's own log, read through kube-apiserver and kubelet.
        logs = kubectl("logs", pod_["metadata"]["name"], "-c", "operator", "-n", self.ns).stdout
        self.assertIn("example", logs)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *sys.argv[1:]])
