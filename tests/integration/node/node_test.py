#!/usr/bin/python3
"""Real Pods on the one-node cluster of hack/node.sh (kubelet, containerd 2, runc; the fixture
"node" brings it up and down): a plain Pod of the locally built pause image runs and its logs
come back through kube-apiserver; then the operator's chart, installed with the real helm, runs
the operator and its nginx sidecar as a Pod and serves a policy from inside it.

    node_test.py PlainPod|Operator
"""
import json
import os
import subprocess
import sys
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
NODE = os.path.join(ROOT, "hack", "node.sh")


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
        # kubectl logs goes through kube-apiserver to kubelet's API, which reads the file that
        # containerd wrote.
        logs = kubectl("logs", "hello", "-n", self.ns).stdout
        version = image.rsplit(":", 1)[1]
        self.assertEqual(logs, f"pause.c {version}\n")
        # Deleting a running Pod stops its container: kubelet and containerd really own it.
        kubectl("delete", "pod", "sleeper", "-n", self.ns, "--timeout=60s")
        self.assertIsNone(pod(self.ns, "sleeper"))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *sys.argv[1:]])
