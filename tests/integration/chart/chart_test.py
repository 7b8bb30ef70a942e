#!/usr/bin/python3
"""What the chart renders, with its defaults and with each documented switch: the objects, the
operator's flags, the sidecar, the hardening and the exact RBAC rules. No cluster needed.

    chart_test.py [unittest args], e.g. chart_test.py Defaults
"""
import os
import subprocess
import unittest

from chart import (CHART, FULLNAME, NAMESPACE, container, find, flags, kinds, one, rejected,
                   render, switches)

HARDENED = {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
            "runAsNonRoot": True, "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"}}

# Least privilege, rule by rule: what the operator does (controller/reconciler.cc, syncer.cc,
# manager.cc) and nothing more. A rule added or widened in the chart fails here on purpose.
POLICY_RULES = [
    {"apiGroups": ["mtasts.io"], "resources": ["mtastspolicies"],
     "verbs": ["get", "list", "watch", "patch"]},
    {"apiGroups": ["mtasts.io"], "resources": ["mtastspolicies/status"], "verbs": ["patch"]},
    {"apiGroups": ["mtasts.io"], "resources": ["mtastspolicies/finalizers"], "verbs": ["update"]},
    {"apiGroups": [""], "resources": ["configmaps"],
     "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]},
    {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list", "watch", "delete"]},
    {"apiGroups": ["cert-manager.io"], "resources": ["certificates"],
     "verbs": ["get", "list", "watch", "create", "patch", "delete"]},
    {"apiGroups": ["externaldns.k8s.io"], "resources": ["dnsendpoints"],
     "verbs": ["get", "list", "watch", "create", "patch", "delete"]},
    {"apiGroups": ["events.k8s.io"], "resources": ["events"], "verbs": ["create", "patch"]},
]
LEASE_RULES = [
    {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "verbs": ["create"]},
    {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "resourceNames": [FULLNAME],
     "verbs": ["get", "update"]},
]
SLICE_RULES = [
    {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"],
     "verbs": ["get", "list", "watch"]},
]
SERVICE_RULES = [
    {"apiGroups": [""], "resources": ["services"], "resourceNames": [FULLNAME],
     "verbs": ["get", "patch"]},
]


def release_role(objects):
    return one(objects, "Role", f"{FULLNAME}-release", NAMESPACE)


class Defaults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.objects = render()
        cls.deployment = one(cls.objects, "Deployment", FULLNAME, NAMESPACE)

    def test_objects(self):
        self.assertEqual(kinds(self.objects), sorted([
            f"ClusterRole//{FULLNAME}", f"ClusterRoleBinding//{FULLNAME}",
            f"ConfigMap/{NAMESPACE}/{FULLNAME}-nginx", f"Deployment/{NAMESPACE}/{FULLNAME}",
            f"PodDisruptionBudget/{NAMESPACE}/{FULLNAME}", f"Role/{NAMESPACE}/{FULLNAME}-release",
            f"RoleBinding/{NAMESPACE}/{FULLNAME}-release", f"Service/{NAMESPACE}/{FULLNAME}",
            f"Service/{NAMESPACE}/{FULLNAME}-metrics", f"ServiceAccount/{NAMESPACE}/{FULLNAME}"]))

    def test_two_replicas_with_leader_election_on_one_lease(self):
        self.assertEqual(self.deployment["spec"]["replicas"], 2)
        f = flags(self.deployment)
        self.assertEqual(f["--leader-elect"], ["true"])
        self.assertEqual(f["--leader-election-namespace"], [NAMESPACE])
        self.assertEqual(f["--leader-election-id"], [FULLNAME])
        self.assertEqual(release_role(self.objects)["rules"],
                         LEASE_RULES + SLICE_RULES + SERVICE_RULES)

    def test_operator_writes_what_the_sidecar_serves(self):
        f = flags(self.deployment)
        serve_dir = f["--serve-dir"][0]
        self.assertEqual(f["--serve-service"], [f"{NAMESPACE}/{FULLNAME}"])
        nginx = container(self.deployment, "nginx")
        self.assertEqual(nginx["command"], ["nginx", "-e", "stderr", "-p", serve_dir + "/", "-c",
                                            serve_dir + "/nginx.conf", "-g", "daemon off;"])
        mounts = {c: {m["mountPath"]: m for m in container(self.deployment, c)["volumeMounts"]}
                  for c in ("operator", "nginx")}
        self.assertEqual(mounts["operator"][serve_dir]["name"], "serve")
        self.assertEqual(mounts["nginx"][serve_dir]["name"], "serve")
        volumes = {v["name"]: v for v in self.deployment["spec"]["template"]["spec"]["volumes"]}
        self.assertEqual(volumes["serve"], {"name": "serve", "emptyDir": {}})
        # nginx's prefix needs logs/ and tmp/ it can write, on a read-only root.
        for sub in ("logs", "tmp"):
            self.assertIn("emptyDir", volumes[mounts["nginx"][f"{serve_dir}/{sub}"]["name"]])

    def test_nginx_runs_the_config_the_tests_run(self):
        config = one(self.objects, "ConfigMap", f"{FULLNAME}-nginx")
        mounts = {m["mountPath"]: m for m in container(self.deployment, "nginx")["volumeMounts"]}
        serve_dir = flags(self.deployment)["--serve-dir"][0]
        for name in ("nginx.conf", "listen.conf", "intake.conf"):
            with open(os.path.join(CHART, "files", name)) as f:
                self.assertEqual(config["data"][name], f.read().rstrip("\n"))
            self.assertEqual(mounts[f"{serve_dir}/{name}"]["subPath"], name)
        self.assertIn("listen 8443 ssl;", config["data"]["listen.conf"])
        self.assertIn("checksum/nginx-config",
                      self.deployment["spec"]["template"]["metadata"]["annotations"])

    def test_nginx_passes_reports_to_the_operator_intake(self):
        config = one(self.objects, "ConfigMap", f"{FULLNAME}-nginx")
        self.assertIn("server 127.0.0.1:8082;", config["data"]["intake.conf"].splitlines())
        self.assertEqual(flags(self.deployment)["--report-bind-address"], ["127.0.0.1:8082"])
        # The operator's default path, which nginx.conf's location = /tlsrpt passes on.
        self.assertNotIn("--report-path", flags(self.deployment))

    def test_serve_service_reaches_nginx(self):
        service = one(self.objects, "Service", FULLNAME, NAMESPACE)
        self.assertEqual(service["spec"]["type"], "LoadBalancer")
        self.assertEqual(service["spec"]["ports"],
                         [{"name": "https", "port": 443, "targetPort": "https", "protocol": "TCP"}])
        self.assertEqual(container(self.deployment, "nginx")["ports"],
                         [{"name": "https", "containerPort": 8443, "protocol": "TCP"}])
        pod_labels = self.deployment["spec"]["template"]["metadata"]["labels"]
        self.assertLessEqual(service["spec"]["selector"].items(), pod_labels.items())
        # The operator owns external-dns's hostname annotation here; the chart never sets it.
        self.assertNotIn("annotations", service["metadata"])
        self.assertNotIn("--policy-host-target", flags(self.deployment))

    def test_probes_on_the_operator_probe_port(self):
        operator = container(self.deployment, "operator")
        f = flags(self.deployment)
        self.assertEqual(f["--health-probe-bind-address"], [":8081"])
        self.assertEqual(f["--metrics-bind-address"], [":8080"])
        ports = {p["name"]: p["containerPort"] for p in operator["ports"]}
        self.assertEqual(ports, {"probes": 8081, "metrics": 8080})
        self.assertEqual(operator["livenessProbe"]["httpGet"],
                         {"path": "/healthz", "port": "probes"})
        self.assertEqual(operator["readinessProbe"]["httpGet"],
                         {"path": "/readyz", "port": "probes"})

    def test_both_containers_hardened_and_nginx_reads_through_the_fs_group(self):
        pod = self.deployment["spec"]["template"]["spec"]
        self.assertTrue(pod["securityContext"]["runAsNonRoot"])
        self.assertEqual(pod["securityContext"]["seccompProfile"], {"type": "RuntimeDefault"})
        group = pod["securityContext"]["fsGroup"]
        users = {}
        for name in ("operator", "nginx"):
            c = container(self.deployment, name)
            context = c["securityContext"]
            self.assertLessEqual(HARDENED.items(), context.items(), name)
            self.assertIn("memory", c["resources"]["limits"], name)
            self.assertIn("cpu", c["resources"]["requests"], name)
            users[name] = context["runAsUser"]
        # Another user, in the serve dir's group: it reads the 0640 certificates through it.
        self.assertNotEqual(users["operator"], users["nginx"])
        self.assertEqual(container(self.deployment, "operator")["securityContext"]["runAsGroup"],
                         group)

    def test_cluster_wide_rbac_is_exactly_what_the_operator_does(self):
        self.assertEqual(one(self.objects, "ClusterRole", FULLNAME)["rules"], POLICY_RULES)
        account = one(self.objects, "ServiceAccount", FULLNAME, NAMESPACE)["metadata"]["name"]
        self.assertEqual(self.deployment["spec"]["template"]["spec"]["serviceAccountName"], account)
        for kind in ("ClusterRoleBinding", "RoleBinding"):
            for binding in find(self.objects, kind):
                self.assertEqual(binding["subjects"], [
                    {"kind": "ServiceAccount", "name": account, "namespace": NAMESPACE}])

    def test_disruption_budget_keeps_one_replica_serving(self):
        pdb = one(self.objects, "PodDisruptionBudget", FULLNAME, NAMESPACE)
        self.assertEqual(pdb["spec"]["maxUnavailable"], 1)
        self.assertEqual(pdb["spec"]["selector"]["matchLabels"],
                         self.deployment["spec"]["selector"]["matchLabels"])

    def test_no_default_issuer_and_the_default_annotation_prefix(self):
        f = flags(self.deployment)
        self.assertNotIn("--default-issuer", f)
        self.assertNotIn("--namespace", f)
        self.assertEqual(f["--annotation-prefix"], ["external-dns.kubernetes.io/"])
        self.assertEqual(f["--dns-txt-quoting"], ["quoted"])


class SingleNamespace(unittest.TestCase):
    def test_roles_only_in_each_namespace(self):
        objects = render({"watchNamespaces": ["mail", "shop"]})
        self.assertEqual(find(objects, "ClusterRole") + find(objects, "ClusterRoleBinding"), [])
        for ns in ("mail", "shop"):
            self.assertEqual(one(objects, "Role", FULLNAME, ns)["rules"], POLICY_RULES)
            self.assertEqual(one(objects, "RoleBinding", FULLNAME, ns)["roleRef"]["kind"], "Role")
        self.assertEqual(release_role(objects)["rules"], LEASE_RULES + SLICE_RULES + SERVICE_RULES)
        f = flags(one(objects, "Deployment", FULLNAME))
        self.assertEqual(f["--namespace"], ["mail", "shop"])


class ServiceMonitor(unittest.TestCase):
    def test_off_by_default(self):
        self.assertEqual(find(render(), "ServiceMonitor"), [])

    def test_on_scrapes_the_metrics_service(self):
        objects = render({"metrics.serviceMonitor.enabled": True})
        monitor = one(objects, "ServiceMonitor", FULLNAME, NAMESPACE)
        metrics = one(objects, "Service", f"{FULLNAME}-metrics", NAMESPACE)
        self.assertLessEqual(monitor["spec"]["selector"]["matchLabels"].items(),
                             metrics["metadata"]["labels"].items())
        # ...and not the serve Service, whose labels lack the component.
        serve = one(objects, "Service", FULLNAME, NAMESPACE)
        self.assertFalse(monitor["spec"]["selector"]["matchLabels"].items()
                         <= serve["metadata"]["labels"].items())
        self.assertEqual([e["port"] for e in monitor["spec"]["endpoints"]], ["metrics"])
        self.assertEqual(metrics["spec"]["ports"][0]["targetPort"], "metrics")


class ExternalDns(unittest.TestCase):
    def test_hostname_annotation_off_publishes_targets_and_leaves_the_service_alone(self):
        objects = render({"externalDns.hostnameAnnotation": False,
                          "policyHostTargets": ["93.184.215.14", "2606:2800:21f:cb07::68"]})
        f = flags(one(objects, "Deployment", FULLNAME))
        self.assertEqual(f["--policy-host-target"],
                         ["93.184.215.14", "2606:2800:21f:cb07::68"])
        self.assertEqual(release_role(objects)["rules"], LEASE_RULES + SLICE_RULES)

    def test_annotation_prefix_and_quoting(self):
        objects = render({"externalDns.annotationPrefix": "external-dns.alpha.kubernetes.io/",
                          "externalDns.txtQuoting": "bare"})
        f = flags(one(objects, "Deployment", FULLNAME))
        self.assertEqual(f["--annotation-prefix"], ["external-dns.alpha.kubernetes.io/"])
        self.assertEqual(f["--dns-txt-quoting"], ["bare"])

    def test_schema_wants_one_way_to_publish_the_policy_host(self):
        self.assertIn("policyHostTargets", rejected({"externalDns.hostnameAnnotation": False}))
        self.assertIn("policyHostTargets", rejected({"policyHostTargets": ["192.0.2.10"]}))


class Issuer(unittest.TestCase):
    def test_default_issuer_is_passed(self):
        f = flags(one(render({"defaultIssuer": "ClusterIssuer/letsencrypt"}), "Deployment"))
        self.assertEqual(f["--default-issuer"], ["ClusterIssuer/letsencrypt"])

    def test_schema_refuses_an_issuer_without_a_kind(self):
        self.assertIn("defaultIssuer", rejected({"defaultIssuer": "letsencrypt"}))


class Reports(unittest.TestCase):
    def test_off_runs_no_intake_and_keeps_nginx_as_it_is(self):
        defaults, off = render(), render({"reports.enabled": False})
        self.assertNotIn("--report-bind-address", flags(one(off, "Deployment")))
        # nginx.conf includes intake.conf either way; /tlsrpt then answers 502.
        self.assertEqual(one(off, "ConfigMap", f"{FULLNAME}-nginx"),
                         one(defaults, "ConfigMap", f"{FULLNAME}-nginx"))


class Schema(unittest.TestCase):
    def test_one_change_per_row_is_refused(self):
        for values, field in [
            ({"unknown": 1}, "unknown"),
            ({"replicaCount": 0}, "replicaCount"),
            ({"leaderElection.enabled": False}, "replicaCount"),  # two replicas would both lead
            ({"watchNamespaces": ["Not_A_Namespace"]}, "watchNamespaces"),
            ({"externalDns.txtQuoting": "single"}, "txtQuoting"),
            ({"service.type": "ExternalName"}, "type"),
            ({"checks.revalidateInterval": "an hour"}, "revalidateInterval"),
            ({"extraArgs": ["-v"]}, "extraArgs"),
            ({"reports.enabled": "no"}, "enabled"),
        ]:
            with self.subTest(values=values):
                error = rejected(values)
                self.assertIsNotNone(error)
                self.assertIn(field, error)

    def test_one_replica_without_leader_election(self):
        objects = render({"leaderElection.enabled": False, "replicaCount": 1})
        self.assertEqual(flags(one(objects, "Deployment"))["--leader-elect"], ["false"])
        self.assertEqual(release_role(objects)["rules"], SLICE_RULES + SERVICE_RULES)


class OperatorFlags(unittest.TestCase):
    def test_the_operator_accepts_what_each_switch_renders(self):
        """The rendered args parse (a bad flag or value exits 2, before anything starts); a
        kubeconfig that does not exist then stops the operator at its first step (exit 1)."""
        operator = os.environ["MTASTS_OPERATOR"]
        for name, values in switches("policies").items():
            with self.subTest(switch=name):
                args = container(one(render(values), "Deployment"), "operator")["args"]
                out = subprocess.run([operator, *args, "--kubeconfig=/nonexistent/kubeconfig"],
                                     capture_output=True, text=True, timeout=30)
                self.assertEqual(out.returncode, 1, out.stderr)
                self.assertIn("cannot start", out.stderr)
                self.assertIn("/nonexistent/kubeconfig", out.stderr)


if __name__ == "__main__":
    unittest.main()
