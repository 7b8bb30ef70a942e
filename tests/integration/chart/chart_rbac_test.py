#!/usr/bin/python3
"""The chart's RBAC is enough, and no more: the operator runs through a whole story (a policy
written, served, announced, changed, removed) with a token of the chart's ServiceAccount and
only the rules the chart renders (the Roles for one namespace; the ClusterRole when it watches
every namespace), and that token is refused what the rules leave out. The world (nginx on the production config, BIND9 fed by the real external-dns, the CA
issuer) is tests/integration/operator/world.py, run with the admin's credentials as the
cluster's own controllers would be.

    chart_rbac_test.py [unittest args]   (KUBECONFIG, MTASTS_CONTROLPLANE, MTASTS_OPERATOR and
                                          MTASTS_CLI set; BIND9 up)
"""
import os
import sys
import unittest

import yaml

from chart import ROOT, find, render

sys.path.insert(0, os.path.join(ROOT, "tests", "integration", "operator"))
import world  # noqa: E402
from operator_test import CONVERGE, DNSENDPOINTS, OperatorCase, manifest  # noqa: E402

RELEASE = "mail"
FULLNAME = f"{RELEASE}-mta-sts-operator"
RBAC_KINDS = ("ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding")


class StoryCase(OperatorCase):
    """One nginx, external-dns, the CA issuer, and the operator with the credentials of the
    chart's ServiceAccount, bound only to what the chart renders for values."""

    def account_kubeconfig(self, objects):
        """Applies the rendered RBAC objects (cluster-scoped ones removed after the test); a
        kubeconfig for the chart's ServiceAccount: the admin's server and CA, a bound token."""
        ns = self.world.namespace
        rbac = [o for o in objects if o["kind"] in RBAC_KINDS]
        world.kubectl("apply", "-f", "-", stdin=yaml.safe_dump_all(rbac))
        for o in rbac:
            if o["kind"].startswith("Cluster"):
                self.addCleanup(world.kubectl, "delete", o["kind"], o["metadata"]["name"],
                                "--ignore-not-found", check=False)
        token = world.kubectl("create", "token", FULLNAME, "-n", ns,
                              "--duration=1h").stdout.strip()
        with open(self.world.kubeconfig) as f:
            cluster = yaml.safe_load(f)["clusters"][0]["cluster"]
        path = os.path.join(self.world.dir, "account.kubeconfig")
        with open(path, "w") as f:
            yaml.safe_dump({"apiVersion": "v1", "kind": "Config",
                            "clusters": [{"name": "c", "cluster": cluster}],
                            "users": [{"name": "u", "user": {"token": token}}],
                            "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u"}}],
                            "current-context": "c"}, f)
        os.chmod(path, 0o600)
        return path

    def bring_up_as_the_account(self, values, cluster_wide=False):
        """The operator verifies --serve-endpoint and publishes --policy-host-target (its
        EndpointSlices of the serve Service cannot be shown here: an EndpointSlice may not hold
        the loopback addresses this world serves on). cluster_wide: the chart watches every
        namespace (its ClusterRole), and so does the operator; else this world's namespace with
        Roles only."""
        w = self.world
        w.apply_crds()
        self.nginx = [w.add_nginx()]
        w.start_external_dns()
        w.start_ca_issuer()
        watched = [] if cluster_wide else [w.namespace]
        objects = render(dict(values, watchNamespaces=watched), RELEASE, w.namespace)
        self.assertEqual(bool(find(objects, "ClusterRole")), cluster_wide)
        self.kubeconfig = self.account_kubeconfig(objects)
        # The chart's lease name (its Role names that Lease only) and the account's credentials.
        self.operators = [w.start_operator(self.nginx[0], self.nginx, namespaces=watched, extra=(
            "--kubeconfig", self.kubeconfig, "--leader-election-id", FULLNAME))]
        self.domain = f"{w.namespace}.{world.ZONE}"
        self.host = f"mta-sts.{self.domain}"
        self.txt_name = f"_mta-sts.{self.domain}"

    def story(self):
        """A policy written, served, announced, changed and removed, with no request refused."""
        name, mx = "p", [f"mx1.{self.domain}"]
        immediate = "  removal: Immediate\n"
        first = self.publish(name, manifest(name, self.domain, mx, immediate))
        changed = self.publish(name, manifest(name, self.domain, mx + [f"mx2.{self.domain}"],
                                              immediate))
        self.assertNotEqual(first["status"]["policyId"], changed["status"]["policyId"])
        self.assertIn("mtasts.io/removal", changed["metadata"].get("finalizers", []))

        world.kubectl("delete", "mtastspolicy", name, "-n", self.world.namespace, "--wait=false")
        world.wait_for(lambda: self.world.policy(name) is None, CONVERGE,
                       "the policy removed, its finalizer released")
        world.wait_for(lambda: self.world.get(*DNSENDPOINTS, f"{name}-mta-sts") is None,
                       CONVERGE, "its DNSEndpoint deleted")
        log = self.operators[0].process.log()
        self.assertNotIn("forbidden", log.lower(), "a request the chart's rules refused")
        self.assert_alive()

    def assert_refused_outside_the_rules(self, cluster_wide=False):
        ns = self.world.namespace
        refused = [["create", "secret", "generic", "x", "-n", ns],
                   ["get", "pods", "-n", ns],
                   ["get", "services", "-n", ns],
                   ["delete", "mtastspolicy", "p", "-n", ns],
                   ["get", "nodes"]]
        if not cluster_wide:
            refused += [["get", "secrets", "-n", "kube-system"],
                        ["get", "mtastspolicies", "-A"],
                        ["create", "configmap", "x", "-n", "default"]]
        for args in refused:
            with self.subTest(args=args):
                out = world.kubectl("--kubeconfig", self.kubeconfig, *args, check=False)
                self.assertNotEqual(out.returncode, 0, out.stdout)
                self.assertIn("forbidden", out.stderr)


class Story(StoryCase):
    def test_serve_endpoints_and_targets_with_the_charts_rules(self):
        # The Roles without the serve Service's rule: the operator never touches it here.
        self.bring_up_as_the_account({"externalDns.hostnameAnnotation": False,
                                      "policyHostTargets": ["93.184.215.14"]})
        self.story()
        self.assert_refused_outside_the_rules()

    def test_every_namespace_with_the_charts_cluster_role(self):
        self.bring_up_as_the_account({"externalDns.hostnameAnnotation": False,
                                      "policyHostTargets": ["93.184.215.14"]}, cluster_wide=True)
        self.story()
        self.assert_refused_outside_the_rules(cluster_wide=True)


if __name__ == "__main__":
    unittest.main()
