"""The chart as its users meet it: rendered by the real helm (hack/helm.sh builds it from the
pinned module) and read back as Kubernetes objects."""
import json
import os
import subprocess
import tempfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CHART = os.path.join(ROOT, "charts", "mta-sts-operator")
RELEASE, NAMESPACE = "mail-policies", "mta-sts"
# The release's objects are named after it (templates/_helpers.tpl).
FULLNAME = f"{RELEASE}-mta-sts-operator"

# helm keeps its config and caches here, never in the home folder of whoever runs the tests.
_HELM_HOME = tempfile.mkdtemp(prefix="chart-test-helm-")


def switches(prefix):
    """Each documented switch of values.yaml, by name; namespaces it names start with prefix."""
    return {
        "defaults": {},
        "single-namespace": {"watchNamespaces": [f"{prefix}-mail", f"{prefix}-shop"]},
        # Public addresses: the operator refuses to publish special-purpose ones.
        "hostname-annotation-off": {
            "externalDns.hostnameAnnotation": False,
            "policyHostTargets": ["93.184.215.14", "2606:2800:21f:cb07::68"]},
        "issuer": {"defaultIssuer": "ClusterIssuer/letsencrypt"},
        "service-monitor": {"metrics.serviceMonitor.enabled": True},
        "one-replica": {"leaderElection.enabled": False, "replicaCount": 1},
        "reports-off": {"reports.enabled": False},
        "dns": {"checks.dnsServers": ["192.0.2.53", "[2001:db8::53]:5353"],
                "externalDns.txtQuoting": "bare", "selector": "shard=a"},
    }


def helm_binary():
    out = subprocess.run([os.path.join(ROOT, "hack", "helm.sh"), "path"], capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip() or "hack/helm.sh path failed")
    return out.stdout.strip()


def helm(*args, check=True):
    env = dict(os.environ, HELM_CONFIG_HOME=os.path.join(_HELM_HOME, "config"),
               HELM_CACHE_HOME=os.path.join(_HELM_HOME, "cache"),
               HELM_DATA_HOME=os.path.join(_HELM_HOME, "data"))
    out = subprocess.run([helm_binary(), *args], capture_output=True, text=True, env=env,
                         timeout=120)
    if check and out.returncode != 0:
        raise AssertionError(f"helm {' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    return out


def set_args(values):
    """--set-json KEY=JSON for each value, so lists and booleans keep their types."""
    args = []
    for key, value in (values or {}).items():
        args += ["--set-json", f"{key}={json.dumps(value)}"]
    return args


def template(values=None, release=RELEASE, namespace=NAMESPACE):
    """The manifest helm renders for these values, as text."""
    return helm("template", release, CHART, "--namespace", namespace, *set_args(values)).stdout


def render(values=None, release=RELEASE, namespace=NAMESPACE):
    """The objects helm renders for these values, each a dict; fails on YAML that does not parse."""
    return [o for o in yaml.safe_load_all(template(values, release, namespace)) if o]


def rejected(values):
    """helm's error when the values schema refuses these values, else None."""
    out = helm("template", RELEASE, CHART, "--namespace", NAMESPACE, *set_args(values),
               check=False)
    return out.stderr if out.returncode != 0 else None


def find(objects, kind, name=None, namespace=None):
    return [o for o in objects if o["kind"] == kind
            and (name is None or o["metadata"]["name"] == name)
            and (namespace is None or o["metadata"].get("namespace") == namespace)]


def one(objects, kind, name=None, namespace=None):
    found = find(objects, kind, name, namespace)
    if len(found) != 1:
        raise AssertionError(f"want one {kind} {name or ''} {namespace or ''}, got {len(found)}")
    return found[0]


def kinds(objects):
    return sorted(f"{o['kind']}/{o['metadata'].get('namespace', '')}/{o['metadata']['name']}"
                  for o in objects)


def container(deployment, name):
    for c in deployment["spec"]["template"]["spec"]["containers"]:
        if c["name"] == name:
            return c
    raise AssertionError(f"no container {name}")


def flags(deployment):
    """The operator container's flags, as {--name: [values]}."""
    out = {}
    for arg in container(deployment, "operator")["args"]:
        name, _, value = arg.partition("=")
        out.setdefault(name, []).append(value)
    return out
